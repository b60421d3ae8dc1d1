"""Platform rules: what the service stands on ran short or failed under it.

A cache that evicts or refuses writes sends its load to what is behind it; a database or a disk out of
space fails writes; a burstable instance, volume or file system that spent its credits is held at its
baseline; an instance, host or database node that failed or was replaced drops what ran on it. Each rule
says what the metrics, the resource's state and events, and the logs show of its own mechanism; the
causal model (``tables.py``) links them to the symptoms they bring about.
"""

from __future__ import annotations

from datetime import timedelta

from .. import evidence as ev
from ..models import DatabaseEvent, ResourceKind, Series
from .base import Claim, Facts, Phrase, increased, moved, now, usual
from .signals import Mechanism
from .tables import TABLES

CACHE = TABLES["cache_pressure"].thresholds
STORAGE = TABLES["storage_exhaustion"].thresholds
CREDITS = TABLES["burst_credit_exhaustion"].thresholds
PLATFORM = TABLES["infrastructure_failure"].thresholds
GIB = 1 << 30


def _resource(series: Series) -> str | None:
    return series.resource.id if series.resource else None


def _watched(claim: Claim, hits: list[Series]) -> None:
    watched = next((s for s in hits if s.role == "alarm"), None)
    if watched:
        claim.watches(watched)


def _logged(claim: Claim, facts: Facts, mechanism: Mechanism, weight: str) -> bool:
    """The mechanism's most frequent rising signature, weighed more when it was never seen before."""
    found = facts.signatures(mechanism)
    if not found:
        return False
    top = found[0]
    new = Phrase("r.new") if top.new else ""
    reason = Phrase("r.pool_logs", {"signature": top.signature, "count": top.count, "new": new})
    claim.logged(f"{weight}_new" if top.new else weight, top, reason)
    return True


def _symptom(claim: Claim, facts: Facts) -> None:
    symptom = facts.latency_symptom or facts.error_symptom
    if symptom:
        claim.symptom("symptom", symptom)


# --- a cache under pressure --------------------------------------------------------------------


def _level(series: Series) -> float:
    """Where a percentage is now. One near its ceiling cannot move "well away" from a usual level above
    half of it, so it may have no recent run of its own: its last point says where it is then."""
    return max(now(series).avg or 0.0, series.incident.last or 0.0)


def _above_usual(series: Series, percent: float, rise: float) -> bool:
    """At a ceiling now, and well above where it sits in the baseline and the same time a day earlier."""
    level = _level(series)
    usual = max((s.avg or 0.0) for s in (series.baseline, series.day_ago) if s is not None)
    return level >= percent and level - usual >= rise


def cache_pressure(facts: Facts) -> list[Claim]:
    """A cache evicts, runs out of memory or engine CPU, or refuses commands."""
    evicting = [
        s
        for s in facts.series("Evictions", "cache_cluster")
        if increased(s, CACHE["evictions_ratio"], CACHE["min_evictions"])
    ]
    full = [
        s
        for s in facts.series("DatabaseMemoryUsagePercentage", "cache_cluster")
        if _above_usual(s, CACHE["memory_percent"], CACHE["memory_rise"])
    ]
    hot = [
        s
        for s in facts.series("EngineCPUUtilization", "cache_cluster")
        + facts.series("CPUUtilization", "cache_cluster")
        if (now(s).avg or 0.0) >= CACHE["cpu_percent"] and (s.change_ratio or 0.0) >= CACHE["cpu_ratio"]
    ]
    hits = [*evicting, *full, *hot]
    cache = _resource(hits[0]) if hits else None
    # A cache explains what the service's database went through only when it is on the alarm's path.
    claim = Claim("cache_pressure", cache, on=cache)
    for weight, found in (("evictions", evicting), ("memory_full", full), ("engine_cpu_hot", hot)):
        if found:
            top = found[0]
            level = _level(top) if weight == "memory_full" else now(top).avg
            claim.observe(weight, ev.series_id(top), moved(top, level), top.breach_start)
    refused = _logged(claim, facts, "cache_refused", "refused_logs")
    if not hits and not refused:
        return []
    if hits:  # clients timing out on a cache seen straining; alone, a timeout may be the network's
        _logged(claim, facts, "cache_timeout", "timeout_logs")
    missing = next(
        (
            s
            for s in facts.series("CacheMisses", "cache_cluster")
            if (s.change_ratio or 0.0) >= CACHE["misses_ratio"]
        ),
        None,
    )
    if missing and hits:
        claim.observe(
            "misses_up", ev.series_id(missing), moved(missing, now(missing).avg), missing.breach_start
        )
    _watched(claim, hits)
    _symptom(claim, facts)
    return [claim]


# --- storage running out -----------------------------------------------------------------------


def _allocated_gb(facts: Facts, database: str | None) -> int | None:
    found = facts.resources.databases if facts.resources else []
    return next((d.allocated_storage_gb for d in found if d.id == database), None)


def _free_space(facts: Facts) -> tuple[list[Series], list[Series]]:
    """Database storage whose free space fell fast, and whose free space is nearly gone."""
    filling, nearly_full = [], []
    for series in facts.series("FreeStorageSpace"):
        low, before = series.incident.min, series.baseline.avg
        if low is None or not before:
            continue
        if low <= (1 - STORAGE["fall_share"]) * before:
            filling.append(series)
        allocated = _allocated_gb(facts, _resource(series))
        if allocated and low <= STORAGE["free_share"] * allocated * GIB:
            nearly_full.append(series)
    return filling, nearly_full


def _disk_used(facts: Facts) -> tuple[list[Series], list[Series]]:
    """Disks (the CloudWatch agent's) that filled within the window, and those all but full."""
    filling, nearly_full = [], []
    for series in facts.series("disk_used_percent"):
        level, before = series.incident.max or 0.0, series.baseline.avg or 0.0
        if level >= STORAGE["used_percent"]:
            nearly_full.append(series)
        if level - before >= STORAGE["used_rise"] and level >= STORAGE["used_percent"] - STORAGE["used_rise"]:
            filling.append(series)
    return filling, nearly_full


def _recent_events(facts: Facts, kinds: set[str], lookback: float) -> list[tuple[DatabaseEvent, str, str]]:
    """Events of these kinds on the databases and caches in scope, from ``lookback`` minutes before the
    symptoms began to the breach: (event, what it concerns, its evidence id)."""
    resources = facts.resources
    if resources is None:
        return []
    since = facts.onset - timedelta(minutes=lookback)
    until = facts.breach_start + timedelta(minutes=PLATFORM["grace_minutes"])
    found = [(e, d.id, ev.database_id(d)) for d in resources.databases for e in d.events]
    found += [(e, c.id, ev.cache_id(c)) for c in resources.caches for e in c.events]
    return sorted(
        ((e, on, evidence) for e, on, evidence in found if e.kind in kinds and since <= e.at <= until),
        key=lambda item: item[0].at,
    )


def _event_reason(event: DatabaseEvent, on: str) -> Phrase:
    return Phrase("r.platform_event", {"resource": on, "at": f"{event.at:%H:%M}", "message": event.message})


def storage_exhaustion(facts: Facts) -> list[Claim]:
    """A database's or an instance's storage filled up: writes fail."""
    rds_filling, rds_full = _free_space(facts)
    disk_filling, disk_full = _disk_used(facts)
    filling, full = rds_filling + disk_filling, rds_full + disk_full
    hits = filling + full
    claim = Claim("storage_exhaustion", _resource(hits[0]) if hits else None)
    if filling:
        worst = (
            filling[0].incident.max
            if filling[0].metric_name == "disk_used_percent"
            else filling[0].incident.min
        )
        claim.observe(
            "storage_filling", ev.series_id(filling[0]), moved(filling[0], worst), filling[0].breach_start
        )
    if full:
        nearly = full[0]
        worst = nearly.incident.max if nearly.metric_name == "disk_used_percent" else nearly.incident.min
        claim.observe("storage_nearly_full", ev.series_id(nearly), moved(nearly, worst), nearly.breach_start)
    logged = _logged(claim, facts, "disk_full", "storage_logs")
    events = _recent_events(facts, {"storage"}, STORAGE["lookback_minutes"])
    if events:
        event, on, evidence = events[-1]
        claim.observe("storage_event", evidence, _event_reason(event, on), event.at)
    if not hits and not logged:
        return []
    _watched(claim, hits)
    _symptom(claim, facts)
    return [claim]


# --- burst credits spent -----------------------------------------------------------------------

# Each balance, where it is published, and what it pays for: the series that shows the resource held at
# its baseline once it is spent, and how.
_BALANCES: tuple[tuple[str, ResourceKind, str, str], ...] = (
    ("CPUCreditBalance", "ec2_instance", "CPUUtilization", "flat"),
    # RDS burstable classes (db.t2; db.t3/t4g in standard mode) publish the same balance.
    ("CPUCreditBalance", "rds_instance", "CPUUtilization", "flat"),
    ("BurstBalance", "ebs_volume", "VolumeQueueLength", "up"),
    ("BurstBalance", "rds_instance", "ReadLatency", "up"),
    ("BurstBalance", "rds_instance", "WriteLatency", "up"),
    ("BurstBalance", "rds_instance", "DiskQueueDepth", "up"),
    ("BurstCreditBalance", "efs_file_system", "PermittedThroughput", "down"),
)


def _spent(series: Series) -> bool:
    before, low = usual(series, "below").avg or 0.0, series.incident.min
    return low is not None and before > 0 and low <= CREDITS["spent_share"] * before


def _held(series: Series, how: str) -> bool:
    if how == "flat":
        # Spent credits bring the CPU down from its bursts to the baseline rate, where it stays.
        low, last, before = series.incident.min, series.incident.last, usual(series, "below").avg
        return (
            low is not None
            and last is not None
            and before is not None
            and last <= low * (1 + CREDITS["floor_tolerance"])
            and low <= CREDITS["floor_drop"] * before
        )
    if how == "up":
        level, before = now(series).avg, usual(series).avg
        return (
            level is not None
            and before is not None
            and before > 0
            and level >= CREDITS["queue_ratio"] * before
        )
    return series.change_ratio is not None and series.change_ratio <= CREDITS["throughput_ratio"]


def _unlimited(facts: Facts, instance: str | None) -> bool:
    """A T instance in unlimited mode keeps bursting past its credits (and pays for it): nothing is held."""
    found = facts.resources.instances if facts.resources else []
    return any(i.id == instance and i.cpu_credits == "unlimited" for i in found)


def _held_by(facts: Facts, balance: str, kind: ResourceKind, resource: str | None) -> Series | None:
    """What the spent balance paid for, held at the baseline on the same resource."""
    return next(
        (
            s
            for name, k, paid, how in _BALANCES
            if (name, k) == (balance, kind)
            for s in facts.series(paid, kind)
            if _resource(s) == resource and _held(s, how)
        ),
        None,
    )


def burst_credit_exhaustion(facts: Facts) -> list[Claim]:
    """A burstable instance, volume or file system spent its credits and is held at its baseline."""
    spent = [
        (series, balance, kind)
        for balance, kind in dict.fromkeys((b, k) for b, k, _, _ in _BALANCES)
        for series in facts.series(balance, kind)
        if _spent(series)
    ]
    if not spent:
        return []
    # The alarm's own balance first, then one that holds something back.
    series, balance, kind = min(
        spent, key=lambda f: (f[0].role != "alarm", _held_by(facts, f[1], f[2], _resource(f[0])) is None)
    )
    resource = _resource(series)
    claim = Claim("burst_credit_exhaustion", resource)
    claim.observe(
        "credits_spent", ev.series_id(series), moved(series, series.incident.min), series.breach_start
    )
    held = _held_by(facts, balance, kind, resource)
    if held and not (kind == "ec2_instance" and _unlimited(facts, resource)):
        claim.observe("held", ev.series_id(held), moved(held, now(held).avg), held.breach_start)
        _symptom(claim, facts)
    _watched(claim, [series])
    return [claim]


# --- the platform under the service failed -----------------------------------------------------

_STATUS_CHECKS = ("StatusCheckFailed_System", "StatusCheckFailed_Instance", "StatusCheckFailed")
_SCHEDULED = (
    "instance-retirement",
    "system-reboot",
    "instance-reboot",
    "system-maintenance",
    "instance-stop",
)


def _failed_checks(facts: Facts) -> list[Series]:
    return [
        s
        for metric in _STATUS_CHECKS
        for s in facts.series(metric, "ec2_instance")
        if (s.incident.max or 0.0) >= 1 and (s.baseline.max or 0.0) < 1
    ]


def infrastructure_failure(facts: Facts) -> list[Claim]:
    """An instance or its host failed, or a database or cache node failed over, rebooted or was replaced."""
    failed = _failed_checks(facts)
    claim = Claim("infrastructure_failure", _resource(failed[0]) if failed else None)
    if failed:
        check = failed[0]
        reason = Phrase("r.status_check", {"metric": check.metric_name, "resource": _resource(check) or "?"})
        claim.observe("status_check_failed", ev.series_id(check), reason, check.breach_start)
    for instance in facts.resources.instances if facts.resources else []:
        impaired = "impaired" in (instance.system_status, instance.instance_status)
        if impaired:
            claim.resource = claim.resource or instance.id
            status = Phrase("r.impaired", {"resource": instance.id, "system": instance.system_status or "?",
                                           "instance": instance.instance_status or "?"})  # fmt: skip
            claim.observe("impaired", ev.instance_id(instance), status)
        scheduled = [e for e in instance.scheduled_events if e.code in _SCHEDULED]
        if scheduled and (impaired or failed):
            reason = Phrase("r.scheduled_event", {"resource": instance.id, "code": scheduled[0].code})
            claim.observe("scheduled_event", ev.instance_id(instance), reason)
    events = _recent_events(
        facts, {"failover", "reboot", "replacement", "maintenance"}, PLATFORM["lookback_minutes"]
    )
    if events:
        event, on, evidence = events[-1]
        claim.resource = claim.resource or on
        claim.observe("platform_event", evidence, _event_reason(event, on), event.at)
    _logged(claim, facts, "failover", "failover_logs")
    if not claim.observations:
        return []
    _watched(claim, failed)
    _symptom(claim, facts)
    return [claim]
