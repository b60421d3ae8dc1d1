"""What to look at and when: time windows and scope discovery, shared by every gatherer and the CLI.

Windows are anchored at the alarm's state change, never at "now", so a replayed or late event is
analyzed for when it happened. Scope comes, in order, from the alarm's tags, its description, the
namespace and dimensions of its metrics, what traces reveal, and deployment-wide defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Literal

from .catalog import log_groups_of, named, resources_of
from .events import Alarm
from .models import Downstreams, Resource, Scope, Window, Windows
from .redaction import safe_link

TAG_LOG_GROUPS = "analyzer:log-groups"
TAG_SERVICE = "analyzer:service"
TAG_RUNBOOK = "analyzer:runbook"
TAG_SEVERITY = "analyzer:severity"
TAG_SECRETS = "analyzer:secrets"  # Secrets Manager secrets (names or ARNs) the service reads
TAG_IAM = "analyzer:iam"  # IAM users or roles (names or ARNs) whose credentials the service uses
TAG_NAT_GATEWAYS = "analyzer:nat-gateways"  # the NAT gateways the service's private subnets go out through

MIN_WINDOW = timedelta(minutes=15)
HISTORY = timedelta(hours=1)  # how far back a log signature must be absent to count as new
MAX_WINDOW = timedelta(hours=6)
DEFAULT_PERIOD = 300  # composite alarms carry no period of their own

_URL = re.compile(r"https?://[^\s<>\"')\]]+")
# ElastiCache endpoints, as clients connect to them (X-Ray names a Redis or Memcached call after its
# host): a replication group's primary, reader and configuration endpoints (master.<group>.<hash>.<region>,
# replica..., clustercfg..., or <group>.<hash>.ng.0001.<region> and <group>-ro...), a node's
# (<cluster>.<hash>.0001.<region>) and a Memcached cluster's configuration endpoint (<cluster>.<hash>.cfg...).
_CACHE_HOST = re.compile(
    r"^(?:(?P<role>master|replica|clustercfg)\.)?(?P<id>[a-z][a-z0-9-]{0,49})\.[a-z0-9]{4,10}\."
    r"(?:(?P<group>ng\.)?(?P<node>\d{4})\.|(?P<cfg>cfg)\.)?[a-z]{2,5}\d{1,2}\.cache\.amazonaws\.com(?:\.cn)?$"
)


def windows_for(alarm: Alarm) -> Windows:
    """Incident: period x evaluated periods + a margin before the state change; baseline: just before."""
    period = timedelta(seconds=alarm.period or DEFAULT_PERIOD)
    margin = max(2 * period, timedelta(minutes=10))
    length = min(max(period * alarm.evaluated_periods + margin, MIN_WINDOW), MAX_WINDOW)
    end = alarm.state_changed_at
    incident = Window(start=end - length, end=end)
    baseline = Window(start=incident.start - length, end=incident.start)
    day_ago = Window(start=incident.start - timedelta(days=1), end=end - timedelta(days=1))
    history = Window(start=incident.start - max(length, HISTORY), end=incident.start)
    return Windows(incident=incident, baseline=baseline, day_ago=day_ago, history=history)


def comma_separated(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def trace_services(alarm: Alarm, tags: dict[str, str]) -> list[str]:
    """X-Ray services to focus on: the tagged ones, else the Lambda functions the alarm watches."""
    tagged = comma_separated(tags.get(TAG_SERVICE))
    return tagged or [r.id for r in alarm_resources(alarm) if r.kind == "lambda_function"]


def runbook_url(tags: dict[str, str], description: str | None) -> str | None:
    """The tagged runbook, else the first URL of the description; only a safe link (http or https,
    credentials removed) counts, so a ``javascript:`` tag falls back to the description."""
    tagged = safe_link(tags.get(TAG_RUNBOOK))
    if tagged:
        return tagged
    found = (safe_link(url.group(0).rstrip(".,;")) for url in _URL.finditer(description or ""))
    return next((link for link in found if link), None)


def severity_tag(tags: dict[str, str]) -> Literal["page", "ticket"] | None:
    value = tags.get(TAG_SEVERITY, "").strip().lower()
    if value == "page":
        return "page"
    if value == "ticket":
        return "ticket"
    return None


def alarm_resources(alarm: Alarm) -> list[Resource]:
    return unique_resources(
        r for m in alarm.metric_stats for r in resources_of(m.metric.namespace, m.metric.dimensions)
    )


def tagged_resources(tags: dict[str, str]) -> list[Resource]:
    """What the alarm's tags name beyond its metrics: the secrets the service reads, and the NAT gateways
    its outbound connections go through (their counters are read like an alarmed gateway's)."""
    secrets = [
        Resource(kind="secret", id=name, via="tags") for name in comma_separated(tags.get(TAG_SECRETS))
    ]
    gateways = [
        gateway.model_copy(update={"via": "tags"})
        for name in comma_separated(tags.get(TAG_NAT_GATEWAYS))
        for gateway in resources_of("AWS/NATGateway", {"NatGatewayId": name})
    ]
    return [*secrets, *gateways]


def trace_resources(downstreams: Downstreams) -> list[Resource]:
    found: list[Resource] = []
    for db in downstreams.databases:
        if db.rds_instance:
            found.append(named("rds_instance", db.rds_instance, "traces"))
        elif db.rds_cluster:
            found.append(named("rds_cluster", db.rds_cluster, "traces"))
    found.extend(named("lambda_function", name, "traces") for name in downstreams.lambda_functions)
    # A table that refused the requests' calls: its capacity and throttles are read like the alarm's own.
    found.extend(named("dynamodb_table", name, "traces") for name in downstreams.throttled_tables)
    found.extend(cache for host in downstreams.remote_hosts if (cache := cache_of_endpoint(host)))
    return unique_resources(found)


def cache_of_endpoint(host: str) -> Resource | None:
    """The ElastiCache replication group or cluster an endpoint belongs to; None for any other host (a
    serverless cache's endpoint names no cluster whose metrics CloudWatch publishes per cluster id)."""
    match = _CACHE_HOST.match(host.lower().rstrip("."))
    if not match:
        return None
    if match["role"] or match["group"]:
        group = match["id"].removesuffix("-ro") if match["group"] else match["id"]
        return named("replication_group", group, "traces")
    if match["node"] or match["cfg"]:
        return named("cache_cluster", match["id"], "traces")
    return None


def unique_resources(resources: Iterable[Resource]) -> list[Resource]:
    seen: dict[tuple[str, str], Resource] = {}
    for resource in resources:
        seen.setdefault((resource.kind, resource.id), resource)
    return list(seen.values())


def log_group_patterns(
    tags: dict[str, str],
    resources: Sequence[Resource],
    revealed: Downstreams,
    extra_log_groups: Sequence[str] = (),
    configured: Sequence[str] = (),
) -> list[str]:
    """Log groups to read, in order: tagged, the resources' own (by their names, then as their
    configuration names them), named in traces, deployment-wide."""
    return list(
        dict.fromkeys(
            [
                *comma_separated(tags.get(TAG_LOG_GROUPS)),
                *(group for resource in resources for group in log_groups_of(resource)),
                *configured,
                *revealed.log_groups,
                *extra_log_groups,
            ]
        )
    )


def event_scope(alarm: Alarm, extra_log_groups: Sequence[str] = ()) -> Scope:
    """What the event alone says about the scope: the scope when resolving it failed.

    Log group prefixes stay unexpanded here (a trailing ``*``); the logs gatherer expands them.
    """
    tags = dict(alarm.tags or {})
    resources = unique_resources([*alarm_resources(alarm), *tagged_resources(tags)])
    return Scope(
        windows=windows_for(alarm),
        tags=tags,
        resources=resources,
        log_groups=log_group_patterns(tags, resources, Downstreams(), extra_log_groups),
        trace_services=trace_services(alarm, tags),
        runbook_url=runbook_url(tags, alarm.description),
        severity=severity_tag(tags),
    )


def names_in(identifier: str) -> frozenset[str]:
    """An identifier and its parts: an ARN, a log group or "cluster/service" names each of its parts."""
    return frozenset({identifier, *(part for part in re.split(r"[/:]", identifier) if len(part) > 2)})


def path_of(scope: Scope) -> frozenset[str]:
    """The names of everything the alarm's scope reached, each with its parts:
    what a cause must concern to explain the alarm's symptoms."""
    downstreams = scope.downstreams
    identifiers = [
        *(r.id for r in scope.resources),
        *(value for r in scope.resources for value in r.dimensions.values()),
        *scope.log_groups,
        *scope.trace_services,
        *(g.name for g in scope.target_groups),
        *(s.name for s in scope.services),
        *(d.rds_instance or d.rds_cluster or d.host for d in downstreams.databases),
        *downstreams.remote_hosts,
        *downstreams.aws_resources,
        *downstreams.log_groups,
        *downstreams.services,
        *downstreams.lambda_functions,
        *scope.tags.values(),
    ]
    return frozenset(name for identifier in identifiers for name in names_in(identifier))
