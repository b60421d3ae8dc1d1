"""ElastiCache clusters and replication groups in scope: engine, node type, eviction policy, events.

The scope step reads each (``locate``: DescribeCacheClusters or DescribeReplicationGroups) because
its log delivery names the slow and engine log groups, and a replication group names the member
clusters whose metrics tell its load. The resources gatherer completes them (``describe``): the
``maxmemory-policy`` of a custom parameter group (DescribeCacheParameters; a default group keeps
the engine's default) and the events of the incident window and the hour before (failovers,
reboots, node replacements: DescribeEvents, the replication group's for a member cluster), side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from ..catalog import located_by, named
from ..models import CacheState, DatabaseEvent, Resource, Window
from . import GatherContext, platform_event_kind
from .network import Placement

MAX_CACHES = 3
MAX_MEMBERS = 3  # a replication group's clusters whose metrics are read
MAX_EVENTS = 20
EVENTS_LEAD = timedelta(hours=1)
# Valkey's and Redis OSS's default eviction policy; Memcached has none to choose (always LRU).
DEFAULT_MAXMEMORY_POLICY = "volatile-lru"


def _log_groups(described: Mapping[str, Any]) -> list[str]:
    return [
        str(details["LogGroup"])
        for delivery in described.get("LogDeliveryConfigurations", [])
        if delivery.get("DestinationType") == "cloudwatch-logs"
        and (details := (delivery.get("DestinationDetails") or {}).get("CloudWatchLogsDetails") or {}).get(
            "LogGroup"
        )
    ]


def cluster_state(described: Mapping[str, Any]) -> CacheState:
    return CacheState(
        id=described["CacheClusterId"],
        kind="cluster",
        engine=described.get("Engine"),
        engine_version=described.get("EngineVersion"),
        node_type=described.get("CacheNodeType"),
        status=described.get("CacheClusterStatus"),
        nodes=described.get("NumCacheNodes"),
        parameter_group=(described.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
        replication_group=described.get("ReplicationGroupId"),
        log_groups=_log_groups(described),
    )


def group_state(described: Mapping[str, Any]) -> CacheState:
    members = list(described.get("MemberClusters", []))
    return CacheState(
        id=described["ReplicationGroupId"],
        kind="replication_group",
        engine=described.get("Engine"),
        node_type=described.get("CacheNodeType"),
        status=described.get("Status"),
        nodes=len(members),
        members=members,
        automatic_failover=described.get("AutomaticFailover"),
        log_groups=_log_groups(described),
    )


def _cluster(context: GatherContext, identifier: str) -> CacheState:
    elasticache = context.clients.client("elasticache")
    described = elasticache.describe_cache_clusters(CacheClusterId=identifier)["CacheClusters"][0]
    return cluster_state(described)


def _group(context: GatherContext, identifier: str) -> CacheState:
    elasticache = context.clients.client("elasticache")
    described = elasticache.describe_replication_groups(ReplicationGroupId=identifier)["ReplicationGroups"][0]
    return group_state(described)


def locate(context: GatherContext, resources: Sequence[Resource]) -> list[CacheState]:
    chosen = located_by(resources, "caches")[:MAX_CACHES]
    found = context.parallel(
        *(
            lambda r=r: context.attempt(
                "cache",
                partial(_cluster if r.kind == "cache_cluster" else _group, context, r.id),
                None,
                subject=r.id,
            )
            for r in chosen
        )
    )
    return [state for state in found if state is not None]


def member_resources(caches: Sequence[CacheState]) -> list[Resource]:
    """A replication group's member clusters: where its metrics are published."""
    return [
        named("cache_cluster", member, "configuration")
        for cache in caches
        if cache.kind == "replication_group"
        for member in cache.members[:MAX_MEMBERS]
    ]


def _maxmemory_policy(context: GatherContext, cache: CacheState) -> tuple[str | None, str | None]:
    """The parameter group (a replication group's: its first member's) and its maxmemory-policy."""
    elasticache = context.clients.client("elasticache")
    group = cache.parameter_group
    if group is None and cache.members:
        member = elasticache.describe_cache_clusters(CacheClusterId=cache.members[0])["CacheClusters"][0]
        group = (member.get("CacheParameterGroup") or {}).get("CacheParameterGroupName")
    if cache.engine == "memcached" or group is None:
        return group, None
    if group.startswith("default."):
        return group, DEFAULT_MAXMEMORY_POLICY
    parameters = elasticache.describe_cache_parameters(CacheParameterGroupName=group, Source="user")[
        "Parameters"
    ]
    configured = next(
        (p.get("ParameterValue") for p in parameters if p.get("ParameterName") == "maxmemory-policy"), None
    )
    return group, configured or DEFAULT_MAXMEMORY_POLICY


def _events(context: GatherContext, cache: CacheState, window: Window) -> list[DatabaseEvent]:
    """The events of the cluster, or of the replication group it belongs to (where failovers are recorded)."""
    group = cache.id if cache.kind == "replication_group" else cache.replication_group
    response = context.clients.client("elasticache").describe_events(
        SourceType="replication-group" if group else "cache-cluster",
        SourceIdentifier=group or cache.id,
        StartTime=window.start - EVENTS_LEAD,
        EndTime=window.end,
        MaxRecords=100,
    )
    found = [
        DatabaseEvent(
            at=e["Date"], message=e.get("Message", ""), kind=platform_event_kind((), e.get("Message", ""))
        )
        for e in response.get("Events", [])
    ]
    return sorted(found, key=lambda e: e.at)[-MAX_EVENTS:]


def _completed(context: GatherContext, cache: CacheState, window: Window) -> CacheState:
    unknown: tuple[str | None, str | None] = (cache.parameter_group, None)
    with context.side_by_side() as work:
        policy = work.submit(
            lambda: context.attempt(
                "cache_parameters", partial(_maxmemory_policy, context, cache), unknown, subject=cache.id
            )
        )
        events = work.submit(
            lambda: context.attempt(
                "cache_events",
                partial(_events, context, cache, window),
                list[DatabaseEvent](),
                subject=cache.id,
            )
        )
    group, maxmemory = policy.result()
    return cache.model_copy(
        update={"parameter_group": group, "maxmemory_policy": maxmemory, "events": events.result()}
    )


def caches(context: GatherContext, placement: Placement) -> list[CacheState]:
    located = context.scope.located
    found = located.caches if located is not None else locate(context, context.scope.resources)
    window = context.scope.windows.incident
    return context.parallel(*(lambda c=c: _completed(context, c, window) for c in found))
