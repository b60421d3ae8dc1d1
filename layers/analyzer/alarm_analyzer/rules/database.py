"""Database rules: connections exhausted, the instance short of memory or CPU, a slow query.

A slow query can be the cause of the other two (it holds connections, it burns the instance's CPU):
each rule says only what it sees, and the causal model (``tables.py``) links them.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import evidence as ev
from ..models import Contributor, Series
from .base import Claim, Facts, Phrase, moved, now
from .latency import dominance
from .tables import TABLES

MB = 1 << 20
EXHAUSTION = TABLES["database_connection_exhaustion"].thresholds
PRESSURE = TABLES["database_resource_pressure"].thresholds
SLOW = TABLES["slow_database_query"].thresholds


def _top_sql(facts: Facts, min_weight: float) -> Contributor | None:
    if not facts.traces:
        return None
    return next((c for c in facts.traces.contributors if c.kind == "sql" and c.weight >= min_weight), None)


def _relevant(facts: Facts, series: list[Series]) -> list[Series]:
    """Database series the alarm names, or found through traces whose slow requests spend time in SQL."""
    linked = bool(
        facts.traces
        and any(
            c.kind == "sql" and c.share >= PRESSURE["linked_sql_share"] for c in facts.traces.contributors
        )
    )
    return [s for s in series if s.resource is None or s.resource.via != "traces" or linked]


def _database_name(facts: Facts, series: list[Series]) -> str | None:
    for s in series:
        if s.resource and s.resource.kind in ("rds_instance", "rds_cluster"):
            return s.resource.id
    sql = _top_sql(facts, 0.0)
    return sql.resource if sql else None


def _cite_sql(claim: Claim, facts: Facts, min_weight: float) -> None:
    sql = _top_sql(facts, min_weight)
    if sql:
        claim.observe("sql_dominant", ev.contributor_id(sql), dominance(sql))


def connection_exhaustion(facts: Facts) -> list[Claim]:
    """Requests wait for a database connection: pool/server limit errors, connections pinned at a ceiling."""
    connections = _relevant(facts, facts.series("DatabaseConnections"))
    claim = Claim("database_connection_exhaustion", _database_name(facts, connections))
    for index, signature in enumerate(facts.signatures("connection_exhaustion")[:2]):
        weight = "pool_logs_more" if index else "pool_logs_new" if signature.new else "pool_logs"
        new = Phrase("r.new") if signature.new else ""
        reason = Phrase(
            "r.pool_logs", {"signature": signature.signature, "count": signature.count, "new": new}
        )
        claim.logged(weight, signature, reason)
    for series in connections:
        peak, before = series.incident.max, series.baseline.avg
        pinned = peak and peak >= EXHAUSTION["pinned_ratio"] * max(before or 0.0, 1.0)
        if pinned and (series.at_peak_share or 0) >= EXHAUSTION["pinned_share"]:
            reason = Phrase(
                "r.connections_pinned",
                {
                    "metric": series.metric_name,
                    "peak": ev.value_of(series, peak),
                    "baseline": ev.value_of(series, before),
                },
            )
            claim.observe("connections_pinned", ev.series_id(series), reason, series.breach_start)
            break
    if not claim.observations:
        return []
    _cite_sql(claim, facts, EXHAUSTION["sql_weight"])
    if facts.latency_symptom:
        claim.symptom("latency", facts.latency_symptom)
    return [claim]


def _memory_drop(series: Series) -> bool:
    low, before = series.incident.min, series.baseline.avg
    return low is not None and before is not None and before > 0 and low <= PRESSURE["memory_left"] * before


def _swap_growth(series: Series) -> bool:
    peak = series.incident.max or 0.0
    return peak >= PRESSURE["swap_mb"] * MB and peak >= 2 * (series.baseline.max or 0.0) + 10 * MB


def _cpu_hot(series: Series) -> bool:
    return (now(series).avg or 0.0) >= PRESSURE["cpu_percent"] and (series.change_ratio or 0.0) >= PRESSURE[
        "cpu_ratio"
    ]


def _database_series(facts: Facts) -> list[Series]:
    everything = facts.metrics.series if facts.metrics else []
    return _relevant(facts, [s for s in everything if s.resource and s.resource.kind.startswith("rds")])


def resource_pressure(facts: Facts) -> list[Claim]:
    """The database instance is short of memory (swap, temp files) or CPU, so queries slow down."""
    rds = _database_series(facts)
    claim = Claim("database_resource_pressure", _database_name(facts, rds))
    pressure: list[tuple[str, str, Callable[[Series], bool], Callable[[Series], float | None]]] = [
        ("FreeableMemory", "memory_drop", _memory_drop, lambda s: s.incident.min),
        ("SwapUsage", "swap_growth", _swap_growth, lambda s: s.incident.max),
        ("CPUUtilization", "cpu_hot", _cpu_hot, lambda s: now(s).avg),
    ]
    hits = []
    for metric, weight, test, worst in pressure:
        hit = next((s for s in rds if s.metric_name == metric and test(s)), None)
        if hit:
            claim.observe(weight, ev.series_id(hit), moved(hit, worst(hit)), hit.breach_start)
            hits.append(hit)
    if not hits:
        return []
    watched = next((hit for hit in hits if hit.role == "alarm"), None)
    if watched:
        claim.watches(watched)
    slower = next(
        (
            s
            for s in rds
            if s.metric_name in ("ReadLatency", "WriteLatency")
            and (s.change_ratio or 0) >= PRESSURE["io_ratio"]
        ),
        None,
    )
    if slower:
        claim.observe("io_slower", ev.series_id(slower), moved(slower, now(slower).avg), slower.breach_start)
    spills = facts.signatures("db_memory_pressure")
    if spills:
        reason = Phrase("r.pressure_logs", {"signature": spills[0].signature, "count": spills[0].count})
        claim.logged("pressure_logs", spills[0], reason)
    _cite_sql(claim, facts, PRESSURE["sql_weight"])  # the slow requests wait on this database
    return [claim]


def _under_pressure(facts: Facts) -> bool:
    return any(
        (s.metric_name == "FreeableMemory" and _memory_drop(s))
        or (s.metric_name == "CPUUtilization" and _cpu_hot(s))
        for s in _database_series(facts)
    )


def slow_query(facts: Facts) -> list[Claim]:
    """A statement runs long: slow requests wait on SQL, or the database logs statements that ran long.

    Where the requests may as well be waiting for a connection or for a strained instance, SQL time
    alone does not tell which: then the database's own slow-statement log must show the query.
    """
    sql = _top_sql(facts, SLOW["sql_weight"])
    statements = facts.signatures("slow_query")
    contested = bool(facts.signatures("connection_exhaustion")) or _under_pressure(facts)
    if contested and not statements:
        return []  # SQL time alone cannot tell a slow statement from a wait for a connection or a CPU
    if not statements and (sql is None or facts.latency_symptom is None):
        return []
    claim = Claim("slow_database_query", _database_name(facts, _database_series(facts)))
    if sql:
        weight = "sql_dominant_strongly" if sql.weight >= SLOW["strongly"] else "sql_dominant"
        claim.observe(weight, ev.contributor_id(sql), dominance(sql))
    if facts.latency_symptom:
        claim.symptom("latency", facts.latency_symptom)
    if statements:
        top = statements[0]
        reason = Phrase("r.slow_query_logs", {"signature": top.signature, "count": top.count})
        # A statement is logged when it ends: its log time does not say when it began to weigh.
        claim.observe("slow_query_logs_new" if top.new else "slow_query_logs", ev.signature_id(top), reason)
    return [claim]
