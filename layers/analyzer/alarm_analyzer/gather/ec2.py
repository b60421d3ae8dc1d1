"""EC2 in scope: instances (type, CPU credits, status checks, scheduled events), NAT gateways, EBS
volumes, and where the CloudWatch agent sends an instance's logs.

Instances: DescribeInstances, DescribeInstanceStatus (with scheduled reboots, retirements and
maintenance) and DescribeInstanceCreditSpecifications (a T class's standard or unlimited credits),
side by side, one call each for every instance in scope. NAT gateways and volumes: one call each.

The agent's log groups are in its configuration, which its wizard and Systems Manager keep in
Parameter Store as ``AmazonCloudWatch-<name>``: the scope step (``agent_configs``) lists those
parameters and reads them (two calls) for the ``log_group_name`` of each file it collects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from ..catalog import described_by, located_by
from ..models import AgentConfig, InstanceState, NatGatewayState, Resource, ScheduledEvent, VolumeState
from . import GatherContext
from .network import Placement

MAX_INSTANCES = 5
MAX_NAT_GATEWAYS = 5
MAX_VOLUMES = 10
AGENT_PARAMETER_PREFIX = "AmazonCloudWatch-"
MAX_AGENT_CONFIGS = 10  # GetParameters reads 10 names at most
_BURSTABLE = re.compile(r"^t\d[a-z]*\.")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _ids(context: GatherContext, describe: str, dimension: str, limit: int) -> list[str]:
    named = (r.dimensions[dimension] for r in described_by(context.scope.resources, describe))
    return list(dict.fromkeys(named))[:limit]


# --- instances ---------------------------------------------------------------------------------


def _scheduled(status: Mapping[str, Any]) -> list[ScheduledEvent]:
    return [
        ScheduledEvent(
            code=event["Code"],
            description=event.get("Description"),
            not_before=event.get("NotBefore"),
            not_after=event.get("NotAfter"),
        )
        for event in status.get("Events", [])
        if event.get("Code") and not str(event.get("Description", "")).startswith("[Completed]")
    ]


def instance_state(
    described: Mapping[str, Any], status: Mapping[str, Any] | None, credits: str | None
) -> InstanceState:
    kind = str(described.get("InstanceType") or "")
    placement = described.get("Placement") or {}
    status = status or {}
    return InstanceState(
        id=described["InstanceId"],
        type=kind or None,
        state=(described.get("State") or {}).get("Name"),
        burstable=bool(_BURSTABLE.match(kind)),
        cpu_credits=credits if credits in ("standard", "unlimited") else None,
        zone=placement.get("AvailabilityZone"),
        subnet=described.get("SubnetId"),
        launched_at=described.get("LaunchTime"),
        system_status=(status.get("SystemStatus") or {}).get("Status"),
        instance_status=(status.get("InstanceStatus") or {}).get("Status"),
        scheduled_events=_scheduled(status),
        volumes=[
            m["Ebs"]["VolumeId"]
            for m in described.get("BlockDeviceMappings", [])
            if (m.get("Ebs") or {}).get("VolumeId")
        ],
    )


def _described(ec2: Any, ids: list[str]) -> list[dict[str, Any]]:
    reservations = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    return [instance for reservation in reservations for instance in reservation.get("Instances", [])]


def instances(context: GatherContext, placement: Placement) -> list[InstanceState]:
    ids = _ids(context, "instances", "InstanceId", MAX_INSTANCES)
    ec2 = context.clients.client("ec2")
    with context.side_by_side() as work:
        described = work.submit(
            lambda: context.attempt("instances", partial(_described, ec2, ids), list[dict[str, Any]]())
        )
        statuses = work.submit(
            lambda: context.attempt(
                "instance_status",
                lambda: ec2.describe_instance_status(InstanceIds=ids, IncludeAllInstances=True)[
                    "InstanceStatuses"
                ],
                list[dict[str, Any]](),
            )
        )
        credits = work.submit(
            lambda: context.attempt(
                "cpu_credits",
                lambda: ec2.describe_instance_credit_specifications(InstanceIds=ids)[
                    "InstanceCreditSpecifications"
                ],
                list[dict[str, Any]](),
            )
        )
    by_status = {s["InstanceId"]: s for s in statuses.result()}
    by_credits = {c["InstanceId"]: c.get("CpuCredits") for c in credits.result()}
    found = []
    for instance in described.result():
        placement.add(
            "targets",
            [instance["SubnetId"]] if instance.get("SubnetId") else [],
            instance.get("VpcId"),
            [g["GroupId"] for g in instance.get("SecurityGroups", [])],
        )
        identifier = instance["InstanceId"]
        found.append(instance_state(instance, by_status.get(identifier), by_credits.get(identifier)))
    return found


# --- NAT gateways and volumes ------------------------------------------------------------------


def nat_gateway_state(described: Mapping[str, Any]) -> NatGatewayState:
    failure = ": ".join(str(described[k]) for k in ("FailureCode", "FailureMessage") if described.get(k))
    return NatGatewayState(
        id=described["NatGatewayId"],
        state=described.get("State"),
        connectivity=described.get("ConnectivityType"),
        subnet=described.get("SubnetId"),
        vpc=described.get("VpcId"),
        addresses=len(described.get("NatGatewayAddresses", [])),
        failure=failure or None,
    )


def nat_gateways(context: GatherContext, placement: Placement) -> list[NatGatewayState]:
    """The alarmed or tagged gateways. One found as the default route of the service's subnets is not
    described: the route's own state says whether it still exists (a deleted one leaves a blackhole),
    and its counters say the rest."""
    routed = {r.id for r in context.scope.of_kind("nat_gateway") if r.via == "configuration"}
    ids = [i for i in _ids(context, "nat_gateways", "NatGatewayId", MAX_NAT_GATEWAYS) if i not in routed]
    if not ids:
        return []
    ec2 = context.clients.client("ec2")
    found: list[dict[str, Any]] = context.attempt(
        "nat_gateways", lambda: ec2.describe_nat_gateways(NatGatewayIds=ids)["NatGateways"], []
    )
    return [nat_gateway_state(g) for g in found]


def volume_state(described: Mapping[str, Any]) -> VolumeState:
    return VolumeState(
        id=described["VolumeId"],
        type=described.get("VolumeType"),
        size_gb=described.get("Size"),
        iops=described.get("Iops"),
        throughput_mibps=described.get("Throughput"),
        state=described.get("State"),
        attached_to=[a["InstanceId"] for a in described.get("Attachments", []) if a.get("InstanceId")],
    )


def volumes(context: GatherContext, placement: Placement) -> list[VolumeState]:
    ids = _ids(context, "volumes", "VolumeId", MAX_VOLUMES)
    ec2 = context.clients.client("ec2")
    found: list[dict[str, Any]] = context.attempt(
        "volumes", lambda: ec2.describe_volumes(VolumeIds=ids)["Volumes"], []
    )
    return [volume_state(v) for v in found]


# --- the CloudWatch agent's log groups ---------------------------------------------------------


def agent_log_groups(config: Mapping[str, Any], instances: Sequence[str]) -> list[str]:
    """The log groups an agent configuration writes, for these instances: ``{instance_id}`` filled in,
    any other placeholder (host name, address) read as a prefix up to it."""
    collected = (config.get("logs") or {}).get("logs_collected") or {}
    names = [
        str(entry["log_group_name"])
        for section in ("files", "windows_events")
        for entry in (collected.get(section) or {}).get("collect_list", [])
        if isinstance(entry, Mapping) and entry.get("log_group_name")
    ]
    groups: list[str] = []
    for name in names:
        filled = [name.replace("{instance_id}", i) for i in instances] if "{instance_id}" in name else [name]
        for group in filled:
            placeholder = _PLACEHOLDER.search(group)
            groups.append(group[: placeholder.start()] + "*" if placeholder else group)
    return list(dict.fromkeys(group for group in groups if group != "*"))


def _agent_configs(context: GatherContext, instances: list[str]) -> list[AgentConfig]:
    ssm = context.clients.client("ssm")
    listed = ssm.describe_parameters(
        ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [AGENT_PARAMETER_PREFIX]}],
        MaxResults=MAX_AGENT_CONFIGS,
    ).get("Parameters", [])
    names = [p["Name"] for p in listed if p.get("Type") != "SecureString"]
    if not names:
        return []
    found = []
    for parameter in ssm.get_parameters(Names=names).get("Parameters", []):
        try:
            config = json.loads(parameter.get("Value") or "{}")
        except ValueError:
            context.note("agent_config_unreadable", parameter=parameter["Name"])
            continue
        if isinstance(config, Mapping):
            found.append(
                AgentConfig(parameter=parameter["Name"], log_groups=agent_log_groups(config, instances))
            )
    return found


def agent_configs(context: GatherContext, resources: Sequence[Resource]) -> list[AgentConfig]:
    """The agent's configurations in Parameter Store and their log groups (none when none is kept there)."""
    instances = list(
        dict.fromkeys(r.dimensions["InstanceId"] for r in located_by(resources, "agent_configs"))
    )
    if not instances:
        return []
    found: list[AgentConfig] = context.attempt(
        "agent_config", partial(_agent_configs, context, instances), []
    )
    return found
