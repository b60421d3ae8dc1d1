"""Kinesis data streams in scope: their capacity (DescribeStreamSummary, one call each).

A provisioned stream takes 1 MB or 1,000 records a second per shard and serves 2 MB a second per
shard to its shared-throughput consumers together; enhanced fan-out consumers get their own 2 MB.
Shards, mode and consumers say which limit a growing iterator age or a throughput error meets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalog import described_by
from ..models import StreamState
from . import GatherContext
from .network import Placement

MAX_STREAMS = 3


def stream_state(summary: Mapping[str, Any]) -> StreamState:
    return StreamState(
        name=summary["StreamName"],
        arn=summary.get("StreamARN"),
        status=summary.get("StreamStatus"),
        mode=(summary.get("StreamModeDetails") or {}).get("StreamMode"),
        open_shards=summary.get("OpenShardCount"),
        consumers=summary.get("ConsumerCount"),
        retention_hours=summary.get("RetentionPeriodHours"),
    )


def streams(context: GatherContext, placement: Placement) -> list[StreamState]:
    names = list(
        dict.fromkeys(r.dimensions["StreamName"] for r in described_by(context.scope.resources, "streams"))
    )
    kinesis = context.clients.client("kinesis")
    found = context.parallel(
        *(
            lambda n=n: context.attempt(
                "stream",
                lambda: stream_state(
                    kinesis.describe_stream_summary(StreamName=n)["StreamDescriptionSummary"]
                ),
                None,
                subject=n,
            )
            for n in names[:MAX_STREAMS]
        )
    )
    return [state for state in found if state is not None]
