"""RDS instances in scope: class, engine, storage, placement and replication (DescribeDBInstances).

The scope step reads them (``locate``) because their replication names more of the scope: a read
replica's lag is published on the replica, and a replica's load comes from its source. The resources
gatherer completes these states (parameters, events) instead of reading them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..catalog import located_by, named
from ..models import DatabaseState, Resource
from . import GatherContext

MAX_DATABASES = 3  # one DescribeEvents call each, plus one per custom parameter group
MAX_REPLICAS = 3  # per database: each brings its metrics into scope


def database_state(instance: Mapping[str, Any]) -> DatabaseState:
    """What its description says; its events and its parameters' max_connections are read later."""
    subnet_group = instance.get("DBSubnetGroup") or {}
    return DatabaseState(
        id=instance["DBInstanceIdentifier"],
        engine=instance.get("Engine"),
        instance_class=instance.get("DBInstanceClass"),
        status=instance.get("DBInstanceStatus"),
        multi_az=instance.get("MultiAZ"),
        parameter_groups=[g["DBParameterGroupName"] for g in instance.get("DBParameterGroups", [])],
        replica_of=instance.get("ReadReplicaSourceDBInstanceIdentifier"),
        replicas=list(instance.get("ReadReplicaDBInstanceIdentifiers", [])),
        storage_type=instance.get("StorageType"),
        allocated_storage_gb=instance.get("AllocatedStorage"),
        max_allocated_storage_gb=instance.get("MaxAllocatedStorage"),
        iops=instance.get("Iops"),
        vpc=subnet_group.get("VpcId"),
        subnets=[s["SubnetIdentifier"] for s in subnet_group.get("Subnets", [])],
        security_groups=[g["VpcSecurityGroupId"] for g in instance.get("VpcSecurityGroups", [])],
    )


def locate(context: GatherContext, resources: Sequence[Resource]) -> list[DatabaseState]:
    """The instances in scope, and a cluster's, one DescribeDBInstances call per kind of filter."""
    rds, chosen = context.clients.client("rds"), located_by(resources, "databases")
    filters = [
        (name, values)
        for name, kind in (("db-instance-id", "rds_instance"), ("db-cluster-id", "rds_cluster"))
        if (values := [r.id for r in chosen if r.kind == kind])
    ]
    found: list[list[dict[str, Any]]] = context.parallel(
        *(
            lambda n=n, v=v: context.attempt(
                "rds_instances",
                lambda: rds.describe_db_instances(Filters=[{"Name": n, "Values": v}])["DBInstances"],
                [],
            )
            for n, v in filters
        )
    )
    return [database_state(instance) for batch in found for instance in batch][:MAX_DATABASES]


def member_resources(databases: Sequence[DatabaseState]) -> list[Resource]:
    """A database's read replicas and a replica's source: where the lag is published, and what it replays."""
    return [
        named("rds_instance", other, "configuration")
        for database in databases
        for other in [
            *([database.replica_of] if database.replica_of else []),
            *database.replicas[:MAX_REPLICAS],
        ]
    ]
