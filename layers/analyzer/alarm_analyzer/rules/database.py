"""Database rules: connection exhaustion and resource (memory, swap, CPU, I/O) pressure."""

from __future__ import annotations

from collections.abc import Callable

from .. import evidence as ev
from ..i18n import t
from ..models import Contributor, Series
from ..report import Hypothesis
from .base import Case, Facts
from .latency import dominance

MB = 1 << 20


LINKED_SQL_SHARE = 0.2  # a database found only through traces must matter to the slow requests


def _top_sql(facts: Facts, min_weight: float) -> Contributor | None:
    if not facts.traces:
        return None
    return next((c for c in facts.traces.contributors if c.kind == "sql" and c.weight >= min_weight), None)


def _relevant(facts: Facts, series: list[Series]) -> list[Series]:
    """Database series the alarm names, or found through traces whose slow requests spend time in SQL."""
    linked = bool(
        facts.traces
        and any(c.kind == "sql" and c.share >= LINKED_SQL_SHARE for c in facts.traces.contributors)
    )
    return [s for s in series if s.resource is None or s.resource.via != "traces" or linked]


def _database_name(facts: Facts, series: list[Series]) -> str | None:
    for s in series:
        if s.resource and s.resource.kind in ("rds_instance", "rds_cluster"):
            return s.resource.id
    sql = _top_sql(facts, 0.0)
    return sql.resource if sql else None


def _moved(facts: Facts, series: Series, worst: float | None) -> str:
    return t(
        facts.lang,
        "r.metric_moved",
        metric=series.metric_name,
        incident=ev.value_of(series, worst),
        baseline=ev.value_of(series, series.baseline.avg),
    )


def _cite_sql(case: Case, facts: Facts, weight: float) -> None:
    sql = _top_sql(facts, 0.4)
    if sql:
        case.support(weight, ev.contributor_id(sql), dominance(facts, sql))


def connection_exhaustion(facts: Facts) -> list[Hypothesis]:
    """Requests wait for a database connection: pool/server limit errors, connections pinned at a ceiling."""
    connections = _relevant(facts, facts.series("DatabaseConnections"))
    case = Case("database_connection_exhaustion", _database_name(facts, connections), facts)
    strong = False
    for signature in facts.signatures("connection_exhaustion")[:2]:
        weight = 0.45 if not strong else 0.05
        weight += 0.1 if signature.new and not strong else 0.0
        new = t(facts.lang, "r.new") if signature.new else ""
        reason = t(facts.lang, "r.pool_logs", signature=signature.signature, count=signature.count, new=new)
        case.support(weight, ev.signature_id(signature), reason)
        strong = True
    for series in connections:
        peak, before = series.incident.max, series.baseline.avg
        if peak and peak >= 1.5 * max(before or 0.0, 1.0) and (series.at_peak_share or 0) >= 0.3:
            reason = t(
                facts.lang,
                "r.connections_pinned",
                metric=series.metric_name,
                peak=ev.value_of(series, peak),
                baseline=ev.value_of(series, before),
            )
            case.support(0.3, ev.series_id(series), reason)
            strong = True
            break
    if not strong:
        return []
    _cite_sql(case, facts, 0.15)
    if facts.latency_symptom:
        case.support(0.1, *facts.latency_symptom)
    return case.hypothesis()


def _memory_drop(series: Series) -> bool:
    low, before = series.incident.min, series.baseline.avg
    return low is not None and before is not None and before > 0 and low <= 0.6 * before


def _swap_growth(series: Series) -> bool:
    peak = series.incident.max or 0.0
    return peak >= 50 * MB and peak >= 2 * (series.baseline.max or 0.0) + 10 * MB


def _cpu_hot(series: Series) -> bool:
    return (series.incident.avg or 0.0) >= 80 and (series.change_ratio or 0.0) >= 1.3


def resource_pressure(facts: Facts) -> list[Hypothesis]:
    """The database instance is short of memory (swap, temp files) or CPU, so queries slow down."""
    everything = facts.metrics.series if facts.metrics else []
    rds = _relevant(facts, [s for s in everything if s.resource and s.resource.kind.startswith("rds")])
    case = Case("database_resource_pressure", _database_name(facts, rds), facts)
    pressure: list[tuple[str, Callable[[Series], bool], float, Callable[[Series], float | None]]] = [
        ("FreeableMemory", _memory_drop, 0.3, lambda s: s.incident.min),
        ("SwapUsage", _swap_growth, 0.25, lambda s: s.incident.max),
        ("CPUUtilization", _cpu_hot, 0.25, lambda s: s.incident.avg),
    ]
    for metric, test, weight, worst in pressure:
        hit = next((s for s in rds if s.metric_name == metric and test(s)), None)
        if hit:
            case.support(weight, ev.series_id(hit), _moved(facts, hit, worst(hit)))
    if not case.evidence_ids:
        return []
    slower = next(
        (s for s in rds if s.metric_name in ("ReadLatency", "WriteLatency") and (s.change_ratio or 0) >= 2),
        None,
    )
    if slower:
        case.support(0.15, ev.series_id(slower), _moved(facts, slower, slower.incident.avg))
    spills = facts.signatures("db_memory_pressure")
    if spills:
        reason = t(facts.lang, "r.pressure_logs", signature=spills[0].signature, count=spills[0].count)
        case.support(0.2, ev.signature_id(spills[0]), reason)
    _cite_sql(case, facts, 0.15)  # the slow requests wait on this database
    return case.hypothesis()


def _under_pressure(facts: Facts) -> bool:
    everything = facts.metrics.series if facts.metrics else []
    rds = [s for s in everything if s.resource and s.resource.kind.startswith("rds")]
    return any(
        (s.metric_name == "FreeableMemory" and _memory_drop(s))
        or (s.metric_name == "CPUUtilization" and _cpu_hot(s))
        for s in rds
    )


def slow_query(facts: Facts) -> list[Hypothesis]:
    """Slow requests wait on SQL that got slower, while the database has connections, memory and CPU to spare."""
    symptom = facts.latency_symptom
    sql = _top_sql(facts, 0.5)
    if symptom is None or sql is None:
        return []
    if facts.signatures("connection_exhaustion") or _under_pressure(facts):
        return []  # waiting for a connection, or a database short of resources: other rules
    case = Case("slow_database_query", _database_name(facts, []), facts)
    case.support(0.5 if sql.weight >= 0.7 else 0.4, ev.contributor_id(sql), dominance(facts, sql))
    case.support(0.1, *symptom)
    slow = facts.signatures("slow_query")
    if slow:
        reason = t(facts.lang, "r.slow_query_logs", signature=slow[0].signature, count=slow[0].count)
        case.support(0.25, ev.signature_id(slow[0]), reason)
    return case.hypothesis()
