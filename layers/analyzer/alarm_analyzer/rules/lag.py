"""Throttling and lag rules: a table or an API refuses requests at its limit; a consumer or a replica
falls behind.

Throttling is read from the service's own counts (a table's throttle events against its capacity, a
stage's 4XX with its requests at the rate limit) and from what callers log when refused, whatever SDK
wrote it (``signals.py``). Lag is an age that stays far above its usual (a stream's iterator age, a
queue's oldest message, a replica's lag) for minutes, not a blip that recovered.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import evidence as ev
from ..i18n import quantity
from ..models import (
    ApiStageState,
    IndexCapacity,
    LogSignature,
    ResourceKind,
    ScalingTarget,
    Series,
    TableState,
)
from .base import Claim, Facts, Phrase, increased, now, total, usual
from .signals import mechanisms_in
from .tables import TABLES

TABLE = TABLES["dynamodb_throttling"].thresholds
API = TABLES["api_throttling"].thresholds
CONSUMER = TABLES["consumer_lag"].thresholds
REPLICA = TABLES["replication_lag"].thresholds

TABLE_KINDS: tuple[ResourceKind, ...] = ("dynamodb_table", "dynamodb_index")
THROTTLE_EVENTS = ("ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests")
STAGE_KINDS: tuple[ResourceKind, ...] = ("rest_api_stage", "rest_api", "http_api_stage", "http_api")
STAGE_ERRORS = ("4XXError", "4xx")
# Ages that say how far behind a consumer or a replica is, and the factor to seconds.
CONSUMER_AGES: Mapping[tuple[str, str], float] = {
    ("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds"): 0.001,
    ("AWS/Lambda", "IteratorAge"): 0.001,
    ("AWS/SQS", "ApproximateAgeOfOldestMessage"): 1.0,
}
REPLICA_LAGS: Mapping[tuple[str, str], float] = {
    ("AWS/RDS", "ReplicaLag"): 1.0,
    ("AWS/RDS", "AuroraReplicaLag"): 0.001,
    ("AWS/RDS", "AuroraReplicaLagMaximum"): 0.001,
    ("AWS/DynamoDB", "ReplicationLatency"): 0.001,
    ("AWS/ElastiCache", "ReplicationLag"): 1.0,
}


def _count(series: Series) -> Phrase:
    return Phrase(
        "r.counted",
        {
            "metric": series.metric_name,
            "count": quantity(total(series.incident), ""),
            "baseline": quantity(total(series.baseline), ""),
        },
    )


def _watched(facts: Facts, series: Series) -> bool:
    return series.role == "alarm" or any(
        a.metric_name == series.metric_name and a.dimensions == series.dimensions for a in facts.alarm_series
    )


def _minutes(facts: Facts, series: Series, above: float) -> int:
    """Minutes of the incident window above ``above``: counted on the points where the series keeps them
    (the alarm's own), else the run since it left its usual level, when that run went above it."""
    if series.points:
        since = facts.windows.incident.start
        return sum(1 for at, value in series.points if at >= since and value > above)
    run = series.recent
    return run.count if run and (run.max or 0.0) > above else 0


def _symptom(claim: Claim, facts: Facts) -> None:
    """The failing or slower service the claim's resource serves, when it shows."""
    symptom = facts.error_symptom or facts.latency_symptom
    if symptom:
        claim.symptom("symptom", symptom)


def _logged(claim: Claim, signature: LogSignature, key: str) -> None:
    weight = "throttle_logs_new" if signature.new else "throttle_logs"
    reason = Phrase(key, {"signature": signature.signature, "count": signature.count})
    claim.logged(weight, signature, reason)


# --- DynamoDB ----------------------------------------------------------------------------------


def _table_state(facts: Facts, resource: str) -> TableState | None:
    name = resource.split("/", 1)[0]
    found = facts.resources.tables if facts.resources else []
    return next((t for t in found if t.name == name), None)


def _throttled(facts: Facts) -> dict[str, Series]:
    """Per table or index, its most throttled series: many throttles, above the baseline, for minutes."""
    found: dict[str, Series] = {}
    for metric in THROTTLE_EVENTS:
        for kind in TABLE_KINDS:
            for series in facts.series(metric, kind):
                if (
                    series.resource is None
                    or not increased(series, at_least=TABLE["min_throttles"])
                    or _minutes(facts, series, 0) < TABLE["throttled_minutes"]
                ):
                    continue
                known = found.get(series.resource.id)
                if known is None or total(series.incident) > total(known.incident):
                    found[series.resource.id] = series
    return found


def _holder(table: TableState, resource: str) -> TableState | IndexCapacity | None:
    """What holds the capacity of the throttled resource: the table, or its index ("table/index")."""
    if "/" not in resource:
        return table
    index = resource.split("/", 1)[1]
    return next((i for i in table.indexes if i.name == index), None)


def _scaling(table: TableState, resource: str, *, reads: bool) -> ScalingTarget | None:
    holder = _holder(table, resource)
    if holder is None:
        return None
    return holder.read_scaling if reads else holder.write_scaling


def _provisioned(facts: Facts, throttles: Series, table: TableState | None) -> tuple[Series, float] | None:
    """The consumed capacity of the throttled side (reads or writes) and what it may consume per second."""
    side = "Read" if throttles.metric_name.startswith("Read") else "Write"
    resource = throttles.resource.id if throttles.resource else ""
    consumed = next(
        (s for s in facts.series(f"Consumed{side}CapacityUnits") if s.resource and s.resource.id == resource),
        None,
    )
    if consumed is None:
        return None
    provisioned = next(
        (
            s
            for s in facts.series(f"Provisioned{side}CapacityUnits")
            if s.resource and s.resource.id == resource
        ),
        None,
    )
    limit = provisioned.incident.avg if provisioned else None
    holder = _holder(table, resource) if table else None
    if limit is None and holder is not None:
        limit = holder.read_capacity if side == "Read" else holder.write_capacity
    if limit is None and isinstance(holder, TableState):  # on demand: its throughput ceiling, when set
        limit = holder.max_read_request_units if side == "Read" else holder.max_write_request_units
    return (consumed, float(limit)) if limit else None


def dynamodb_throttling(facts: Facts) -> list[Claim]:
    """A table or index refuses reads or writes: its capacity, a hot key, or an on-demand limit."""
    logged = facts.signatures("table_throttled")
    claims = []
    throttled = _throttled(facts)
    for resource, throttles in throttled.items():
        claim = Claim("dynamodb_throttling", resource)
        claim.observe("throttles", ev.series_id(throttles), _count(throttles), throttles.breach_start)
        table = _table_state(facts, resource)
        capacity = _provisioned(facts, throttles, table)
        if capacity:
            consumed, limit = capacity
            per_second = (consumed.incident.max or 0.0) / consumed.period
            if per_second >= TABLE["capacity_share"] * limit:
                reason = Phrase(
                    "r.capacity_reached",
                    {
                        "metric": consumed.metric_name,
                        "consumed": f"{per_second:.0f}",
                        "limit": f"{limit:.0f}",
                    },
                )
                claim.observe("at_capacity", ev.series_id(consumed), reason, consumed.breach_start)
        if table:
            scaling = _scaling(table, resource, reads=throttles.metric_name.startswith("Read"))
            capped = scaling and (scaling.suspended or (capacity is not None and capacity[1] >= scaling.max))
            if scaling and capped:
                reason = Phrase("r.scaling_capped", {"max": scaling.max})
                claim.observe("scaling_capped", ev.table_id(table), reason)
        if _watched(facts, throttles):
            claim.watches(throttles)
        if logged:
            _logged(claim, logged[0], "r.table_throttle_logs")
        _symptom(claim, facts)
        claims += claim.made()
    if not throttled and logged:
        # No table in scope shows it, but callers log its refusals: the table is somewhere they write.
        top = logged[0]
        tables = {s.resource.id for s in facts.series("ConsumedWriteCapacityUnits") if s.resource}
        claim = Claim("dynamodb_throttling", next(iter(tables)) if len(tables) == 1 else top.log_groups[0])
        _logged(claim, top, "r.table_throttle_logs")
        _symptom(claim, facts)
        claims += claim.made()
    return claims


# --- API rate limits ---------------------------------------------------------------------------


def _stage_state(facts: Facts, series: Series) -> ApiStageState | None:
    dimensions = series.dimensions
    found = facts.resources.stages if facts.resources else []
    return next(
        (
            s
            for s in found
            if dimensions.get("Stage", s.stage) == s.stage
            and (
                dimensions.get("ApiName") in (s.api_name, None)
                and dimensions.get("ApiId") in (s.api_id, None)
            )
        ),
        None,
    )


def _limits(stage: ApiStageState) -> list[float]:
    """The rates (requests per second) that refuse the stage's requests: its own, its plans', the account's."""
    rates = [t.rate_limit for t in stage.throttles] + [p.rate_limit for p in stage.usage_plans]
    if stage.account_limit:
        rates.append(stage.account_limit.rate_limit)
    return [rate for rate in rates if rate]


def _stage_label(series: Series) -> str:
    dimensions = series.dimensions
    api = dimensions.get("ApiName") or dimensions.get("ApiId") or "?"
    return f"{api}/{dimensions['Stage']}" if "Stage" in dimensions else api


def _refusals(facts: Facts) -> list[LogSignature]:
    """Callers refused by a rate limit (not a table's capacity, which is its own category)."""
    if any(increased(s) for s in facts.series("Throttles", "lambda_function")):
        return []  # a function refused at its concurrency: its invokers' throttle lines are Lambda throttling
    return [s for s in facts.signatures("throttled") if "table_throttled" not in mechanisms_in(s.text)]


def _rejecting_stages(facts: Facts) -> list[Series]:
    """Stages whose 4XX rose well above their baseline; the most specific series of each API first."""
    found = [
        s
        for metric in STAGE_ERRORS
        for kind in STAGE_KINDS
        for s in facts.series(metric, kind)
        if increased(s, at_least=API["min_rejected"])
    ]
    found.sort(key=lambda s: ("Stage" not in s.dimensions, -total(s.incident)))
    chosen: dict[str, Series] = {}
    for series in found:
        chosen.setdefault(series.dimensions.get("ApiName") or series.dimensions.get("ApiId") or "", series)
    return list(chosen.values())


def api_throttling(facts: Facts) -> list[Claim]:
    """Requests refused by a rate limit: an API stage's, usage plan's or account's, or an AWS API's."""
    refusals = _refusals(facts)
    claims = []
    for rejected in _rejecting_stages(facts):
        claim = Claim("api_throttling", _stage_label(rejected))
        claim.observe("rejected", ev.series_id(rejected), _count(rejected), rejected.breach_start)
        stage = _stage_state(facts, rejected)
        count = next((s for s in facts.series("Count") if s.dimensions == rejected.dimensions), None)
        limits = _limits(stage) if stage else []
        if count and limits:
            per_second = (count.incident.max or 0.0) / count.period
            limit = min(limits)
            if per_second >= API["limit_share"] * limit:
                reason = Phrase("r.rate_limit_reached", {"rate": f"{per_second:.0f}", "limit": f"{limit:g}"})
                claim.observe("at_limit", ev.series_id(count), reason, count.breach_start)
        if _watched(facts, rejected):
            claim.watches(rejected)
        own = [s for s in refusals if stage and set(s.log_groups) & set(stage.log_groups)]
        if own:
            _logged(claim, own[0], "r.refusal_logs")
        claims += claim.made()
    if not claims and refusals:
        top = refusals[0]
        claim = Claim("api_throttling", top.log_groups[0] if top.log_groups else None)
        _logged(claim, top, "r.refusal_logs")
        _symptom(claim, facts)
        claims += claim.made()
    return claims


# --- lag ---------------------------------------------------------------------------------------


def _lagging(facts: Facts, series: Series, to_seconds: float, thresholds: Mapping[str, float]) -> bool:
    """Far above its usual for minutes, and old enough for anyone to wait on it."""
    before = usual(series)
    usual_avg, usual_max = before.avg or 0.0, before.max or 0.0
    arriving = now(series).avg or 0.0
    return (
        arriving > thresholds["ratio"] * usual_avg
        and (series.incident.max or 0.0) * to_seconds >= thresholds["min_seconds"]
        and _minutes(facts, series, max(2 * usual_max, thresholds["min_seconds"] / to_seconds / 2))
        >= thresholds["lagging_minutes"]
    )


def _behind(claim: Claim, series: Series, thresholds: Mapping[str, float], weight: str) -> None:
    """The lag itself, and whether it is still near its worst at the end of the window."""
    reason = Phrase(
        "r.lag_grew",
        {
            "metric": series.metric_name,
            "peak": ev.value_of(series, series.incident.max),
            "baseline": ev.value_of(series, usual(series).avg),
        },
    )
    claim.observe(weight, ev.series_id(series), reason, series.breach_start)
    last = series.points[-1][1] if series.points else series.incident.last
    if last is not None and last >= thresholds["still_share"] * (series.incident.max or 0.0):
        claim.observe(
            "still_behind",
            ev.series_id(series),
            Phrase("r.still_behind", {"last": ev.value_of(series, last)}),
        )


def _consumer_state(claim: Claim, facts: Facts, series: Series) -> None:
    """How the consumer fares: slow or capped but not failing is lag; failing is another category.
    The consumer is the function whose iterator age it is, else the functions in scope."""
    own = series.dimensions.get("FunctionName")
    functions = (
        [own]
        if own
        else sorted(
            {s.dimensions.get("FunctionName", "") for s in facts.series("Invocations", "lambda_function")}
        )
    )
    for function in functions:
        errors = facts.series_of("Errors", "lambda_function", function)
        if errors and not increased(errors, at_least=5) and facts.error_symptom is None:
            reason = Phrase("r.consumer_succeeds", {"function": function})
            claim.observe("consumer_succeeds", ev.series_id(errors), reason)
            break
    for function in functions:
        concurrency = facts.series_of("ConcurrentExecutions", "lambda_function", function)
        duration = facts.series_of("Duration", "lambda_function", function)
        if (
            concurrency
            and (concurrency.at_peak_share or 0) >= CONSUMER["flat_share"]
            and (concurrency.change_ratio or 0) >= CONSUMER["busier_ratio"]
        ):
            limit = f"{concurrency.incident.max or 0:.0f}"
            reason = Phrase("r.consumer_capped", {"function": function, "limit": limit})
            claim.observe("consumer_capped", ev.series_id(concurrency), reason, concurrency.breach_start)
            return
        if duration and (duration.change_ratio or 0) >= CONSUMER["busier_ratio"]:
            reason = Phrase(
                "r.consumer_slower", {"function": function, "ratio": f"{duration.change_ratio:.1f}"}
            )
            claim.observe("consumer_capped", ev.series_id(duration), reason, duration.breach_start)
            return


def _dead_letter_queue(facts: Facts, series: Series) -> bool:
    """A dead-letter queue's messages age by design: nothing consumes them."""
    queues = facts.resources.queues if facts.resources else []
    return any(q.name == (series.resource.id if series.resource else None) and q.dead_letters for q in queues)


def consumer_lag(facts: Facts) -> list[Claim]:
    """Consumers fall behind producers without failing: the oldest record or message keeps ageing."""
    claims = []
    for series in facts.metrics.series if facts.metrics else []:
        to_seconds = CONSUMER_AGES.get((series.namespace, series.metric_name))
        if (
            to_seconds is None
            or series.resource is None
            or _dead_letter_queue(facts, series)
            or not _lagging(facts, series, to_seconds, CONSUMER)
        ):
            continue
        claim = Claim("consumer_lag", series.resource.id)
        _behind(claim, series, CONSUMER, "age_growing")
        _consumer_state(claim, facts, series)
        refused = facts.series_of("ReadProvisionedThroughputExceeded", "kinesis_stream", series.resource.id)
        if refused and increased(refused):
            claim.observe("read_throttled", ev.series_id(refused), _count(refused), refused.breach_start)
        if _watched(facts, series):
            claim.watches(series)
        claims += claim.made()
    # One lag seen twice (a stream's iterator age and its consumer's): the best-evidenced claim.
    return [max(claims, key=lambda c: c.strength)] if claims else []


def replication_lag(facts: Facts) -> list[Claim]:
    """A replica falls behind its source: its lag far above its usual, for minutes."""
    claims = []
    databases = facts.resources.databases if facts.resources else []
    for series in facts.metrics.series if facts.metrics else []:
        to_seconds = REPLICA_LAGS.get((series.namespace, series.metric_name))
        if to_seconds is None or series.resource is None or not _lagging(facts, series, to_seconds, REPLICA):
            continue
        replica = series.resource.id
        claim = Claim("replication_lag", replica)
        _behind(claim, series, REPLICA, "lag_growing")
        # The replica's own configuration, else its source's (a replica read only for its lag).
        state, source = next(
            (
                (d, d.replica_of if d.id == replica else d.id)
                for d in databases
                if (d.id == replica and d.replica_of) or replica in d.replicas
            ),
            (None, None),
        )
        if state and source:
            claim.observe("replica_of", ev.database_id(state), Phrase("r.replica_of", {"source": source}))
            for metric in ("CPUUtilization", "WriteIOPS", "WriteThroughput"):
                busy = facts.series_of(metric, "rds_instance", source)
                if busy and (busy.change_ratio or 0) >= REPLICA["busy_ratio"]:
                    reason = Phrase("r.source_busy", {"source": source, "metric": metric})
                    claim.observe("source_busy", ev.series_id(busy), reason, busy.breach_start)
                    break
        if _watched(facts, series):
            claim.watches(series)
        _symptom(claim, facts)
        claims += claim.made()
    return claims
