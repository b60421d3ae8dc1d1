"""CloudWatch metrics: what the alarm evaluates and the related metrics of every resource in scope.

Every series comes from one GetMetricData request spanning baseline and incident, split locally;
a second request reads the alarm's own series a day earlier. A metric-math alarm's expression is
fetched as the alarm evaluates it, its inputs alongside. When an extended statistic (p99, tm90...)
is rejected, the series falls back to Maximum or Average and says so.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from ..aws import ACCESS_DENIED_CODES, AWS_ERRORS, THROTTLING_CODES, error_code
from ..catalog import related_metrics, resources_of
from ..events import Alarm, MetricStat
from ..metric_catalog import LOW_IS_BAD, fallback_statistic, is_extended_statistic
from ..models import MetricsData, Resource, Series, Stats, Windows
from . import GatherContext

RELATED_PERIOD = 60
MAX_POINTS = 60
MAX_PAGES = 5
Direction = Literal["above", "below"]


_QUERY_ID = re.compile(r"^[a-z][a-zA-Z0-9_]*$")


@dataclass(frozen=True)
class Query:
    """One series to fetch: a metric, or (for a metric-math alarm) the alarm's own expression."""

    role: Literal["alarm", "input", "related"]
    namespace: str
    metric_name: str  # for an expression: its label
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int
    resource: Resource | None
    query_id: str | None = None  # kept when an expression refers to it
    expression: str | None = None
    sparse: bool = False  # published only for some resources of its kind: left out when it has no data

    @property
    def key(self) -> str:
        if self.expression:
            return f"expression:{self.query_id}:{self.expression}"
        dims = ",".join(f"{k}={v}" for k, v in self.dimensions)
        return f"{self.namespace}:{self.metric_name}:{dims}:{self.stat}"


def _metric_query(metric: MetricStat, role: Literal["alarm", "input"], query_id: str | None) -> Query:
    return Query(
        role=role,
        namespace=metric.metric.namespace,
        metric_name=metric.metric.name,
        dimensions=tuple(sorted(metric.metric.dimensions.items())),
        stat=metric.stat,
        period=metric.period,
        resource=next(iter(resources_of(metric.metric.namespace, metric.metric.dimensions)), None),
        query_id=query_id if query_id and _QUERY_ID.match(query_id) else None,
    )


def alarm_queries(alarm: Alarm, children: Sequence[MetricStat] = ()) -> list[Query]:
    """What the alarm evaluates (role "alarm") and, for metric math, what it is computed from ("input").

    An anomaly band is not fetched: the band's metric is what breached. A composite alarm's children
    are inputs; no threshold of its own applies to them.
    """
    if alarm.type == "composite":
        return [_metric_query(m, "input", None) for m in children]
    queries = []
    for query in alarm.queries:
        if query.metric_stat is not None:
            evaluated = alarm.type in ("metric", "anomaly") or query.return_data
            queries.append(_metric_query(query.metric_stat, "alarm" if evaluated else "input", query.id))
        elif alarm.type == "math" and query.return_data and query.expression:
            period = alarm.period or RELATED_PERIOD
            queries.append(
                Query("alarm", "", query.label or query.id, (), "", period, None, query.id, query.expression)
            )
    return queries


def _related_queries(
    resources: Sequence[Resource], already: set[tuple[str, str, tuple[tuple[str, str], ...]]]
) -> list[Query]:
    queries = []
    for resource in resources:
        for metric in related_metrics(resource):
            namespace = metric.namespace or resource.namespace or ""
            dims = tuple(sorted(resource.dimensions.items()))
            if (namespace, metric.name, dims) in already:
                continue
            already.add((namespace, metric.name, dims))
            queries.append(
                Query(
                    "related",
                    namespace,
                    metric.name,
                    dims,
                    metric.stat,
                    RELATED_PERIOD,
                    resource,
                    sparse=metric.sparse,
                )
            )
    return queries


def query_ids(queries: Sequence[Query]) -> list[str]:
    """GetMetricData ids: the alarm's own where an expression refers to them, unique ones elsewhere."""
    taken = {q.query_id for q in queries if q.query_id}
    ids = []
    for index, query in enumerate(queries):
        chosen = query.query_id or f"q{index}"
        while query.query_id is None and chosen in taken:
            chosen += "_"
        taken.add(chosen)
        ids.append(chosen)
    return ids


def _metric_data_query(query_id: str, query: Query, stat: str) -> dict[str, Any]:
    if query.expression:
        return {
            "Id": query_id,
            "Expression": query.expression,
            "Label": query.metric_name,
            "ReturnData": True,
        }
    return {
        "Id": query_id,
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
    ids = query_ids(queries)
    request: dict[str, Any] = {
        "MetricDataQueries": [
            _metric_data_query(query_id, q, s) for query_id, q, s in zip(ids, queries, stats, strict=True)
        ],
        "StartTime": _aligned(start, period),
        "EndTime": end,
        "ScanBy": "TimestampAscending",
    }
    index_of = {query_id: i for i, query_id in enumerate(ids)}
    points: dict[int, list[tuple[datetime, float]]] = {i: [] for i in range(len(queries))}
    for _ in range(MAX_PAGES):
        page = cloudwatch.get_metric_data(**request)
        for result in page.get("MetricDataResults", []):
            index = index_of[result["Id"]]
            points[index].extend(zip(result.get("Timestamps", []), result.get("Values", []), strict=False))
        if not page.get("NextToken"):
            break
        request["NextToken"] = page["NextToken"]
    return {i: sorted((_utc(t), float(v)) for t, v in found) for i, found in points.items()}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


Points = dict[int, list[tuple[datetime, float]]]  # datapoints per query index, oldest first
Fetched = tuple[Points, list[str], str | None]  # the points, the statistics used, why they fell back
NOTHING_FETCHED: Fetched = ({}, [], None)


def fetch_with_fallback(cloudwatch: Any, queries: Sequence[Query], start: datetime, end: datetime) -> Fetched:
    """Fetch; if the request is rejected while it asks for extended statistics, retry without them."""
    requested = [q.stat for q in queries]
    try:
        return fetch_series(cloudwatch, queries, start, end, requested), requested, None
    except AWS_ERRORS as exc:
        refused = error_code(exc) in THROTTLING_CODES | ACCESS_DENIED_CODES
        if refused or not any(is_extended_statistic(s) for s in requested):
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
    # Only the evaluated series has the alarm's direction; inputs and related metrics have their own.
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
    started = breach_start(incident, _breaching(query, alarm, baseline_stats, direction))
    since = [v for t, v in incident if started and t >= started]
    recent = stats_of(since) if len(since) >= 2 else None
    level = (recent or incident_stats).avg
    ratio = round(level / baseline_stats.avg, 3) if level is not None and baseline_stats.avg else None
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
        breach_start=started,
        recent=recent,
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


def _day_ago(
    context: GatherContext, queries: Sequence[Query], windows: Windows
) -> dict[int, list[tuple[datetime, float]]]:
    """The alarm's own series at the same hours a day earlier: is this level usual for the time of day?

    A math alarm's inputs come along, since its expression refers to them; only its result is kept.
    """
    own = [i for i, q in enumerate(queries) if q.role in ("alarm", "input")]
    if not any(q.role == "alarm" for q in queries):
        return {}
    cloudwatch = context.clients.cloudwatch
    fetched = context.attempt(
        "day_ago",
        lambda: fetch_with_fallback(
            cloudwatch, [queries[i] for i in own], windows.day_ago.start, windows.day_ago.end
        ),
        NOTHING_FETCHED,
    )
    return {own[j]: found for j, found in fetched[0].items() if queries[own[j]].role == "alarm"}


def collect(context: GatherContext, queries: Sequence[Query], windows: Windows) -> list[Series]:
    """Every series over baseline and incident in one request, the day-earlier read alongside it."""
    cloudwatch = context.clients.cloudwatch
    with context.side_by_side() as work:
        fetched = work.submit(
            lambda: fetch_with_fallback(cloudwatch, queries, windows.baseline.start, windows.incident.end)
        )
        earlier = work.submit(lambda: _day_ago(context, queries, windows))
    points, used, code = fetched.result()
    day_ago = earlier.result()
    return [
        summarize_series(
            query,
            points[i],
            windows,
            context.alarm,
            stat_used=used[i],
            day_ago=day_ago.get(i),
            fallback=_fallback_note(query.stat, used[i], code),
        )
        for i, query in enumerate(queries)
    ]


def gather_metrics(context: GatherContext) -> MetricsData:
    scope = context.scope
    children = [metric for child in scope.children for metric in child.metrics]
    own = alarm_queries(context.alarm, children)
    resources = [*scope.resources]
    resources += [q.resource for q in own if q.resource and q.resource not in resources]
    seen = {(q.namespace, q.metric_name, q.dimensions) for q in own}
    queries = [*own, *_related_queries(resources, seen)]
    series = collect(context, queries, scope.windows) if queries else []
    kept = [
        s
        for s, q in zip(series, queries, strict=True)
        if not (q.sparse and not (s.incident.count or s.baseline.count))
    ]
    return MetricsData(series=kept, resources=resources)
