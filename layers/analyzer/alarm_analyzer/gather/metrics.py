"""CloudWatch metrics: the alarm's own metric and the related metrics of every resource in scope.

All series come from one GetMetricData call spanning baseline and incident (plus one for the same
hours a day earlier), split locally. When an extended statistic (p99, tm90...) is rejected, the
series falls back to Maximum or Average and says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from ..aws import AWS_ERRORS, AwsClients, error_code
from ..events import Alarm, MetricQuery, MetricStat, queries_of
from ..metric_catalog import LOW_IS_BAD, RELATED_METRICS, fallback_statistic, is_extended_statistic
from ..models import MetricsData, Resource, Series, Stats, Windows
from ..scope import resources_of, trace_resources, windows_for
from . import attempt, lookup_tags
from .alarm import child_descriptions
from .traces import lookup_downstreams

RELATED_PERIOD = 60
MAX_POINTS = 60
MAX_PAGES = 5
Direction = Literal["above", "below"]


@dataclass(frozen=True)
class Query:
    """One series to fetch."""

    role: Literal["alarm", "related"]
    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int
    resource: Resource | None

    @property
    def key(self) -> str:
        dims = ",".join(f"{k}={v}" for k, v in self.dimensions)
        return f"{self.namespace}:{self.metric_name}:{dims}:{self.stat}"


def _alarm_queries(stats: Sequence[MetricStat]) -> list[Query]:
    return [
        Query(
            role="alarm",
            namespace=m.metric.namespace,
            metric_name=m.metric.name,
            dimensions=tuple(sorted(m.metric.dimensions.items())),
            stat=m.stat,
            period=m.period,
            resource=next(iter(resources_of(m.metric.namespace, m.metric.dimensions)), None),
        )
        for m in stats
    ]


def _related_queries(
    resources: Sequence[Resource], already: set[tuple[str, str, tuple[tuple[str, str], ...]]]
) -> list[Query]:
    queries = []
    for resource in resources:
        for metric in RELATED_METRICS.get(resource.kind, []):
            dims = tuple(sorted(resource.dimensions.items()))
            if resource.namespace is None or (resource.namespace, metric.name, dims) in already:
                continue
            queries.append(
                Query("related", resource.namespace, metric.name, dims, metric.stat, RELATED_PERIOD, resource)
            )
    return queries


def _metric_data_query(index: int, query: Query, stat: str) -> dict[str, Any]:
    return {
        "Id": f"q{index}",
        "Label": query.key,
        "MetricStat": {
            "Metric": {
                "Namespace": query.namespace,
                "MetricName": query.metric_name,
                "Dimensions": [{"Name": k, "Value": v} for k, v in query.dimensions],
            },
            "Period": query.period,
            "Stat": stat,
        },
        "ReturnData": True,
    }


def _aligned(moment: datetime, period: int) -> datetime:
    seconds = int(moment.timestamp()) // period * period
    return datetime.fromtimestamp(seconds, tz=UTC)


def fetch_series(
    cloudwatch: Any, queries: Sequence[Query], start: datetime, end: datetime, stats: Sequence[str]
) -> dict[int, list[tuple[datetime, float]]]:
    """Datapoints per query index, oldest first, in one GetMetricData call (paged)."""
    period = min((q.period for q in queries), default=RELATED_PERIOD)
    request: dict[str, Any] = {
        "MetricDataQueries": [
            _metric_data_query(i, q, s) for i, (q, s) in enumerate(zip(queries, stats, strict=True))
        ],
        "StartTime": _aligned(start, period),
        "EndTime": end,
        "ScanBy": "TimestampAscending",
    }
    points: dict[int, list[tuple[datetime, float]]] = {i: [] for i in range(len(queries))}
    for _ in range(MAX_PAGES):
        page = cloudwatch.get_metric_data(**request)
        for result in page.get("MetricDataResults", []):
            index = int(result["Id"][1:])
            points[index].extend(zip(result.get("Timestamps", []), result.get("Values", []), strict=False))
        if not page.get("NextToken"):
            break
        request["NextToken"] = page["NextToken"]
    return {i: sorted((_utc(t), float(v)) for t, v in found) for i, found in points.items()}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def fetch_with_fallback(
    cloudwatch: Any, queries: Sequence[Query], start: datetime, end: datetime
) -> tuple[dict[int, list[tuple[datetime, float]]], list[str], str | None]:
    """Fetch; if the call is refused while it asks for extended statistics, retry without them."""
    requested = [q.stat for q in queries]
    try:
        return fetch_series(cloudwatch, queries, start, end, requested), requested, None
    except AWS_ERRORS as exc:
        if not any(is_extended_statistic(s) for s in requested):
            raise
        used = [fallback_statistic(s) if is_extended_statistic(s) else s for s in requested]
        return fetch_series(cloudwatch, queries, start, end, used), used, error_code(exc)


def stats_of(values: Sequence[float]) -> Stats:
    if not values:
        return Stats()
    return Stats(
        count=len(values),
        avg=round(statistics.fmean(values), 6),
        min=min(values),
        max=max(values),
        last=values[-1],
    )


def _direction(query: Query, alarm: Alarm) -> Direction:
    if query.role == "alarm" and alarm.breach_direction:
        return alarm.breach_direction
    return "below" if query.metric_name in LOW_IS_BAD else "above"


def breach_start(points: Sequence[tuple[datetime, float]], is_breaching: Any) -> datetime | None:
    """Start of the last unbroken run of breaching points (the one the alarm fired on)."""
    start = None
    for moment, value in points:
        start = (start or moment) if is_breaching(value) else None
    return start


def _breaching(query: Query, alarm: Alarm, baseline: Stats, direction: Direction) -> Any:
    if query.role == "alarm" and alarm.threshold is not None:
        threshold = alarm.threshold
        return (lambda v: v > threshold) if direction == "above" else (lambda v: v < threshold)
    if baseline.avg is None:
        return lambda v: False
    # Related metrics breach when they move well away from their own baseline.
    margin = max(abs(baseline.avg) * 0.5, (baseline.max or 0) - (baseline.min or 0))
    low, high = baseline.avg - margin, baseline.avg + margin
    return (lambda v: v > high) if direction == "above" else (lambda v: v < low)


def summarize_series(
    query: Query,
    points: Sequence[tuple[datetime, float]],
    windows: Windows,
    alarm: Alarm,
    *,
    stat_used: str,
    day_ago: Sequence[tuple[datetime, float]] | None = None,
    fallback: str | None = None,
) -> Series:
    incident = [(t, v) for t, v in points if windows.incident.start <= t < windows.incident.end]
    before = [v for t, v in points if windows.baseline.start <= t < windows.baseline.end]
    incident_stats, baseline_stats = stats_of([v for _, v in incident]), stats_of(before)
    direction = _direction(query, alarm)
    worst = (max if direction == "above" else min)(incident, key=lambda p: p[1], default=None)
    ratio = None
    if incident_stats.avg is not None and baseline_stats.avg:
        ratio = round(incident_stats.avg / baseline_stats.avg, 3)
    plateau = None
    if worst is not None:
        near = sum(1 for _, v in incident if abs(v - worst[1]) <= 0.05 * abs(worst[1]))
        plateau = round(near / len(incident), 3)
    return Series(
        key=query.key,
        role=query.role,
        namespace=query.namespace,
        metric_name=query.metric_name,
        dimensions=dict(query.dimensions),
        stat=query.stat,
        stat_used=stat_used,
        period=query.period,
        resource=query.resource,
        incident=incident_stats,
        baseline=baseline_stats,
        day_ago=stats_of([v for _, v in day_ago]) if day_ago else None,
        peak=worst[1] if worst else None,
        peak_at=worst[0] if worst else None,
        breach_start=breach_start(incident, _breaching(query, alarm, baseline_stats, direction)),
        change_ratio=ratio,
        at_peak_share=plateau,
        points=[(t, v) for t, v in points if t >= windows.baseline.start][-MAX_POINTS:]
        if query.role == "alarm"
        else [],
        fallback=fallback,
    )


def _fallback_note(requested: str, used: str, code: str | None) -> str | None:
    if requested == used:
        return None
    return f"{requested} was rejected ({code}); showing {used} instead"


def collect(cloudwatch: Any, alarm: Alarm, queries: Sequence[Query], windows: Windows) -> list[Series]:
    points, used, code = fetch_with_fallback(
        cloudwatch, queries, windows.baseline.start, windows.incident.end
    )
    alarm_indexes = [i for i, q in enumerate(queries) if q.role == "alarm"]
    day_ago: dict[int, list[tuple[datetime, float]]] = {}
    if alarm_indexes:
        alarm_queries = [queries[i] for i in alarm_indexes]
        earlier = fetch_series(
            cloudwatch,
            alarm_queries,
            windows.day_ago.start,
            windows.day_ago.end,
            [used[i] for i in alarm_indexes],
        )
        day_ago = {alarm_indexes[j]: found for j, found in earlier.items()}
    return [
        summarize_series(
            query,
            points[i],
            windows,
            alarm,
            stat_used=used[i],
            day_ago=day_ago.get(i),
            fallback=_fallback_note(query.stat, used[i], code),
        )
        for i, query in enumerate(queries)
    ]


def child_metric_stats(cloudwatch: Any, alarm: Alarm) -> list[MetricStat]:
    """For a composite alarm, the metrics of the metric alarms its rule names."""
    return [
        query.metric_stat
        for child in child_descriptions(cloudwatch, alarm)
        if child.get("MetricName") or child.get("Metrics")
        for query in map(MetricQuery.model_validate, queries_of(child))
        if query.metric_stat is not None
    ]


def gather_metrics(alarm: Alarm, clients: AwsClients) -> MetricsData:
    windows = windows_for(alarm)
    limitations: list[str] = []
    own = alarm.metric_stats or attempt(
        "child alarms", lambda: child_metric_stats(clients.cloudwatch, alarm), [], limitations
    )
    downstreams = lookup_downstreams(
        clients, windows.incident, lookup_tags(alarm, clients, limitations), limitations
    )
    resources = [r for s in own for r in resources_of(s.metric.namespace, s.metric.dimensions)]
    resources += trace_resources(downstreams) if downstreams else []
    unique = list({(r.kind, r.id): r for r in resources}.values())
    alarm_queries = _alarm_queries(own)
    seen = {(q.namespace, q.metric_name, q.dimensions) for q in alarm_queries}
    queries = [*alarm_queries, *_related_queries(unique, seen)]
    series = collect(clients.cloudwatch, alarm, queries, windows) if queries else []
    return MetricsData(series=series, resources=unique, limitations=limitations)
