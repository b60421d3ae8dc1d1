"""EFS file systems in scope: throughput and performance modes (DescribeFileSystems, one call each).

In bursting mode a file system's throughput rests on credits earned by its size: a small one that
spent them is held at its baseline, which BurstCreditBalance and PermittedThroughput show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalog import described_by
from ..models import FileSystemState
from . import GatherContext
from .network import Placement

MAX_FILE_SYSTEMS = 3


def file_system_state(described: Mapping[str, Any]) -> FileSystemState:
    return FileSystemState(
        id=described["FileSystemId"],
        name=described.get("Name") or None,
        throughput_mode=described.get("ThroughputMode"),
        performance_mode=described.get("PerformanceMode"),
        provisioned_mibps=described.get("ProvisionedThroughputInMibps"),
        size_bytes=(described.get("SizeInBytes") or {}).get("Value"),
        state=described.get("LifeCycleState"),
    )


def file_systems(context: GatherContext, placement: Placement) -> list[FileSystemState]:
    ids = list(
        dict.fromkeys(
            r.dimensions["FileSystemId"] for r in described_by(context.scope.resources, "file_systems")
        )
    )
    efs = context.clients.client("efs")
    found = context.parallel(
        *(
            lambda i=i: context.attempt(
                "file_system",
                lambda: [
                    file_system_state(f) for f in efs.describe_file_systems(FileSystemId=i)["FileSystems"]
                ],
                list[FileSystemState](),
                subject=i,
            )
            for i in ids[:MAX_FILE_SYSTEMS]
        )
    )
    return [state for states in found for state in states]
