"""Capacity rules: the service's compute is at its ceiling, or far more requests arrive than usual."""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import t
from ..models import Series
from ..report import Hypothesis
from .base import Case, Facts, total

HOT = 85.0  # percent of CPU or memory
TRAFFIC_METRICS = (
    ("AWS/ApplicationELB", "RequestCount"),
    ("AWS/Lambda", "Invocations"),
    ("AWS/ApiGateway", "Count"),
)


def saturated(facts: Facts) -> Series | None:
    """The compute (ECS service, EC2 instance) whose CPU or memory sits at its ceiling, hotter than before."""
    for metric in ("CPUUtilization", "MemoryUtilization"):
        for series in facts.series(metric, "ecs_service") + facts.series(metric, "ec2_instance"):
            hot = (series.incident.avg or 0) >= HOT or (
                (series.incident.max or 0) >= 95 and (series.at_peak_share or 0) >= 0.3
            )
            if hot and (series.change_ratio or 0) >= 1.3:
                return series
    return None


def _traffic(facts: Facts) -> list[Series]:
    return [
        s
        for s in (facts.metrics.series if facts.metrics else [])
        if (s.namespace, s.metric_name) in TRAFFIC_METRICS and s.incident.count
    ]


def surge(series: Series) -> float:
    """How many times the usual traffic arrived: against the baseline, and the same time a day earlier."""
    before = total(series.baseline)
    ratio = total(series.incident) / before if before else 0.0
    if series.day_ago and series.day_ago.count:
        day = total(series.day_ago)
        ratio = min(ratio, total(series.incident) / day if day else ratio)
    return ratio


def compute_saturation(facts: Facts) -> list[Hypothesis]:
    hot = saturated(facts)
    symptom = facts.latency_symptom or facts.error_symptom
    if hot is None or (symptom is None and hot.role != "alarm"):
        return []
    case = Case("compute_saturation", hot.resource.id if hot.resource else None, facts)
    reason = t(
        facts.lang,
        "r.metric_moved",
        metric=hot.metric_name,
        incident=ev.value_of(hot, hot.incident.avg),
        baseline=ev.value_of(hot, hot.baseline.avg),
    )
    case.support(0.45, ev.series_id(hot), reason)
    if symptom:
        case.support(0.15, *symptom)
    if hot.role == "alarm":
        case.support(0.1, ev.series_id(hot), t(facts.lang, "r.alarm_watches", metric=hot.metric_name))
    traffic = _traffic(facts)
    if traffic and all(surge(s) < 1.5 for s in traffic):
        case.support(
            0.1, ev.series_id(traffic[0]), t(facts.lang, "r.traffic_steady", metric=traffic[0].metric_name)
        )
    return case.hypothesis()


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
        if (s.change_ratio or 0.0) >= 1.5
    ]
    throttles = [s for s in facts.series("Throttles") if total(s.incident) > 0]
    return next(iter(busier + throttles), None)


def traffic_surge(facts: Facts) -> list[Hypothesis]:
    surging = [s for s in _traffic(facts) if surge(s) >= 2.0]  # sustained over the window, not a blip
    if not surging:
        return []
    # The alarm's own traffic metric first: the invocations of a function behind it follow it.
    top = next((s for s in surging if s.role == "alarm"), None) or max(surging, key=surge)
    case = Case("traffic_surge", top.resource.id if top.resource else None, facts)
    ratio = max(surge(top), peak_surge(top))
    reason = t(facts.lang, "r.surge", metric=top.metric_name, ratio=f"{ratio:.1f}")
    case.support(0.45 if ratio >= 3 else 0.35, ev.series_id(top), reason)
    symptom = facts.latency_symptom or facts.error_symptom
    if symptom:
        case.support(0.15, *symptom)
    strained = _strained(facts)
    if strained:
        case.support(0.1, ev.series_id(strained), t(facts.lang, "r.strained", metric=strained.metric_name))
    return case.hypothesis()
