"""DynamoDB tables in scope: how each is billed, what it may consume, and who raises that limit.

DescribeTable per table (billing mode, provisioned capacity of the table and of each global index,
an on-demand ceiling) and, side by side, one DescribeScalableTargets for the tables and the indexes
in scope: whether auto scaling may raise the capacity, and up to where. A provisioned table whose
consumption meets its capacity, with scaling at its maximum or absent, throttles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from ..catalog import described_by
from ..models import IndexCapacity, ScalingTarget, TableState
from . import GatherContext
from .network import Placement

MAX_TABLES = 3  # one DescribeTable call each
MAX_INDEXES = 10


def _scaling(targets: Sequence[Mapping[str, Any]], resource_id: str, unit: str) -> ScalingTarget | None:
    for target in targets:
        if target.get("ResourceId") == resource_id and str(target.get("ScalableDimension", "")).endswith(
            unit
        ):
            suspended = target.get("SuspendedState") or {}
            return ScalingTarget(
                dimension=target["ScalableDimension"],
                min=target.get("MinCapacity", 0),
                max=target.get("MaxCapacity", 0),
                suspended=any(
                    suspended.get(k) for k in ("DynamicScalingInSuspended", "DynamicScalingOutSuspended")
                ),
            )
    return None


def _index(table: str, index: Mapping[str, Any], targets: Sequence[Mapping[str, Any]]) -> IndexCapacity:
    throughput = index.get("ProvisionedThroughput") or {}
    resource_id = f"table/{table}/index/{index['IndexName']}"
    return IndexCapacity(
        name=index["IndexName"],
        status=index.get("IndexStatus"),
        read_capacity=throughput.get("ReadCapacityUnits") or None,
        write_capacity=throughput.get("WriteCapacityUnits") or None,
        read_scaling=_scaling(targets, resource_id, "ReadCapacityUnits"),
        write_scaling=_scaling(targets, resource_id, "WriteCapacityUnits"),
    )


def table_state(described: Mapping[str, Any], targets: Sequence[Mapping[str, Any]]) -> TableState:
    """A DescribeTable answer and the auto scaling targets, as the state of the table."""
    name = described["TableName"]
    throughput = described.get("ProvisionedThroughput") or {}
    on_demand = described.get("OnDemandThroughput") or {}
    billing = (described.get("BillingModeSummary") or {}).get("BillingMode")
    # A table created in provisioned mode before billing modes existed has no summary.
    mode = billing or ("PROVISIONED" if throughput.get("ReadCapacityUnits") else None)
    return TableState(
        name=name,
        status=described.get("TableStatus"),
        billing_mode=mode,
        read_capacity=throughput.get("ReadCapacityUnits") or None,
        write_capacity=throughput.get("WriteCapacityUnits") or None,
        max_read_request_units=on_demand.get("MaxReadRequestUnits"),
        max_write_request_units=on_demand.get("MaxWriteRequestUnits"),
        read_scaling=_scaling(targets, f"table/{name}", "ReadCapacityUnits"),
        write_scaling=_scaling(targets, f"table/{name}", "WriteCapacityUnits"),
        decreases_today=throughput.get("NumberOfDecreasesToday"),
        indexes=[_index(name, i, targets) for i in described.get("GlobalSecondaryIndexes", [])[:MAX_INDEXES]],
        replica_regions=[r["RegionName"] for r in described.get("Replicas", []) if r.get("RegionName")],
    )


def _scalable_targets(context: GatherContext, resource_ids: list[str]) -> list[dict[str, Any]]:
    autoscaling = context.clients.client("application-autoscaling")
    found: list[dict[str, Any]] = autoscaling.describe_scalable_targets(
        ServiceNamespace="dynamodb", ResourceIds=resource_ids
    ).get("ScalableTargets", [])
    return found


def tables(context: GatherContext, placement: Placement) -> list[TableState]:
    """The tables the scope names (an index alarm names its table), with their auto scaling."""
    resources = described_by(context.scope.resources, "tables")
    names = list(dict.fromkeys(r.dimensions["TableName"] for r in resources))[:MAX_TABLES]
    indexes = [
        f"table/{r.dimensions['TableName']}/index/{r.dimensions['GlobalSecondaryIndexName']}"
        for r in resources
        if r.kind == "dynamodb_index" and r.dimensions["TableName"] in names
    ]
    dynamodb = context.clients.client("dynamodb")
    with context.side_by_side() as work:
        described = work.submit(
            lambda: context.parallel(
                *(
                    lambda n=n: context.attempt(
                        "table", lambda: dynamodb.describe_table(TableName=n)["Table"], None, subject=n
                    )
                    for n in names
                )
            )
        )
        scaling = work.submit(
            lambda: context.attempt(
                "table_scaling",
                partial(_scalable_targets, context, [*(f"table/{n}" for n in names), *indexes]),
                list[dict[str, Any]](),
            )
        )
    targets = scaling.result()
    return [table_state(table, targets) for table in described.result() if table is not None]
