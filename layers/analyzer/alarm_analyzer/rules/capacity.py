"""Capacity rules: the service's compute is at its ceiling, or far more requests arrive than usual."""

from __future__ import annotations

from .. import evidence as ev
from ..models import Series
from .base import Claim, Facts, Phrase, moved, now, total
from .tables import TABLES

SATURATION = TABLES["compute_saturation"].thresholds
SURGE = TABLES["traffic_surge"].thresholds
TRAFFIC_METRICS = (
    ("AWS/ApplicationELB", "RequestCount"),
    ("AWS/Lambda", "Invocations"),
    ("AWS/ApiGateway", "Count"),
)


def saturated(facts: Facts) -> Series | None:
    """The compute (ECS service, EC2 instance) whose CPU or memory sits at its ceiling, hotter than before."""
    for metric in ("CPUUtilization", "MemoryUtilization"):
        for series in facts.series(metric, "ecs_service") + facts.series(metric, "ec2_instance"):
            hot = (now(series).avg or 0) >= SATURATION["hot_percent"] or (
                (series.incident.max or 0) >= SATURATION["pinned_percent"]
                and (series.at_peak_share or 0) >= SATURATION["pinned_share"]
            )
            if hot and (series.change_ratio or 0) >= SATURATION["hotter_ratio"]:
                return series
    return None


def _traffic(facts: Facts) -> list[Series]:
    return [
        s
        for s in (facts.metrics.series if facts.metrics else [])
        if (s.namespace, s.metric_name) in TRAFFIC_METRICS and s.incident.count
    ]


def surge(series: Series) -> float:
    """How many times the usual traffic arrives (per period, since it rose): against the baseline, and
    against the same time a day earlier."""
    arriving = now(series).avg or 0.0
    usual = [s.avg for s in (series.baseline, series.day_ago) if s and s.count and s.avg]
    return min(arriving / u for u in usual) if usual else 0.0


def compute_saturation(facts: Facts) -> list[Claim]:
    hot = saturated(facts)
    symptom = facts.latency_symptom or facts.error_symptom
    if hot is None or (symptom is None and hot.role != "alarm"):
        return []
    claim = Claim("compute_saturation", hot.resource.id if hot.resource else None)
    claim.observe("compute_hot", ev.series_id(hot), moved(hot, now(hot).avg), hot.breach_start)
    if symptom:
        claim.symptom("symptom", symptom)
    if hot.role == "alarm":
        claim.watches(hot)
    traffic = _traffic(facts)
    if traffic and all(surge(s) < SATURATION["steady_surge"] for s in traffic):
        claim.observe(
            "traffic_steady",
            ev.series_id(traffic[0]),
            Phrase("r.traffic_steady", {"metric": traffic[0].metric_name}),
        )
    return [claim]


def peak_surge(series: Series) -> float:
    """The busiest minute against the usual busiest: a surge still ramping up averages low."""
    usual = max(series.baseline.max or 0.0, series.day_ago.max or 0.0 if series.day_ago else 0.0)
    return (series.incident.max or 0.0) / usual if usual else 0.0


def _strained(facts: Facts) -> Series | None:
    """What the extra traffic weighs on: compute working much harder, or throttled invocations."""
    busier = [
        s
        for s in facts.series("CPUUtilization", "ecs_service")
        + facts.series("CPUUtilization", "ec2_instance")
        if (s.change_ratio or 0.0) >= SURGE["strained_ratio"]
    ]
    throttles = [s for s in facts.series("Throttles") if total(s.incident) > 0]
    return next(iter(busier + throttles), None)


def traffic_surge(facts: Facts) -> list[Claim]:
    surging = [s for s in _traffic(facts) if surge(s) >= SURGE["surge_ratio"]]  # sustained, not a blip
    if not surging:
        return []
    # The alarm's own traffic metric first: the invocations of a function behind it follow it.
    top = next((s for s in surging if s.role == "alarm"), None) or max(surging, key=surge)
    claim = Claim("traffic_surge", top.resource.id if top.resource else None)
    ratio = max(surge(top), peak_surge(top))
    weight = "surge_large" if ratio >= SURGE["large_ratio"] else "surge"
    claim.observe(
        weight,
        ev.series_id(top),
        Phrase("r.surge", {"metric": top.metric_name, "ratio": f"{ratio:.1f}"}),
        top.breach_start,
    )
    symptom = facts.latency_symptom or facts.error_symptom
    if symptom:
        claim.symptom("symptom", symptom)
    strained = _strained(facts)
    if strained:
        claim.observe(
            "strained",
            ev.series_id(strained),
            Phrase("r.strained", {"metric": strained.metric_name}),
            strained.breach_start,
        )
    return [claim]
