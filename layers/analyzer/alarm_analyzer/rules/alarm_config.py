"""Alarm rules: the alarm watches something that does not exist or gets no data, while the service is fine."""

from __future__ import annotations

from .. import evidence as ev
from ..events import Alarm
from ..i18n import percent, t
from ..models import Series
from ..report import Hypothesis
from .base import Case, Facts

HEALTHY_FAULT_RATE = 0.05


def _healthy(facts: Facts) -> str | None:
    """Evidence id showing the service behaves normally, if the evidence says so."""
    if facts.surging_errors:
        return None
    traces = facts.traces
    if traces and traces.analyzed:
        return ev.TRACE_FAULTS if traces.fault_rate < HEALTHY_FAULT_RATE else None
    related = [s for s in facts.metrics.series if s.role == "related"] if facts.metrics else []
    calm = [s for s in related if s.incident.count and s.breach_start is None]
    return (
        ev.series_id(calm[0]) if calm and len(calm) == len([s for s in related if s.incident.count]) else None
    )


def threshold_in_normal_range(alarm: Alarm, series: Series) -> bool:
    """Values the metric has when nothing is wrong (before the incident, a day earlier) already breach the
    threshold, and the incident is not much worse than that: the alarm fires on normal behaviour."""
    threshold, direction = alarm.threshold, alarm.breach_direction
    if threshold is None or direction is None or series.role != "alarm" or not series.baseline.count:
        return False
    normal = [series.baseline] + ([series.day_ago] if series.day_ago and series.day_ago.count else [])
    if direction == "above":
        crosses = all((stats.max or 0.0) > threshold for stats in normal)
        return crosses and (series.change_ratio or 0.0) < 1.5
    crosses = all(stats.min is not None and stats.min < threshold for stats in normal)
    return crosses and (series.change_ratio or 2.0) > 1 / 1.5


def _tight_threshold(facts: Facts) -> list[Hypothesis]:
    tight = next((s for s in facts.alarm_series if threshold_in_normal_range(facts.alarm, s)), None)
    healthy = _healthy(facts)
    if tight is None or healthy is None or facts.error_symptom:
        return []
    case = Case("alarm_misconfiguration", facts.alarm.name, facts)
    reason = t(
        facts.lang,
        "r.threshold_normal",
        threshold=ev.value_of(tight, facts.alarm.threshold),
        baseline=ev.value_of(
            tight, tight.baseline.max if facts.alarm.breach_direction == "above" else tight.baseline.min
        ),
    )
    case.support(0.4, ev.series_id(tight), reason)
    fault_pct = percent(facts.traces.fault_rate) if facts.traces else "0"
    case.support(
        0.1,
        healthy,
        t(facts.lang, "r.healthy", detail=t(facts.lang, "r.healthy.detail", fault_pct=fault_pct)),
    )
    history = facts.alarm_data.history if facts.alarm_data else None
    if history and history.transitions >= 4:
        case.support(0.1, ev.ALARM_HISTORY, t(facts.lang, "r.flapping", transitions=history.transitions))
    return case.hypothesis()


def misconfiguration(facts: Facts) -> list[Hypothesis]:
    data, metric = facts.alarm_data, facts.alarm.primary_metric
    if data is None or metric is None:
        return []
    case = Case("alarm_misconfiguration", facts.alarm.name, facts)
    if data.metric_exists is False:
        reason = t(
            facts.lang, "r.metric_missing", namespace=metric.metric.namespace, metric=metric.metric.name
        )
        case.support(0.45, ev.ALARM_METRIC_MISSING, reason)
    for issue in data.dimension_issues:
        suggestion = (
            t(facts.lang, "ev.alarm.suggestion", suggestion=issue.suggestion) if issue.suggestion else ""
        )
        reason = t(
            facts.lang,
            "r.dimension",
            name=issue.name,
            value=issue.value,
            expected=issue.expected,
            suggestion=suggestion,
        )
        case.support(0.2, ev.dimension_id(issue.name), reason)
    if not case.evidence_ids:
        return _tight_threshold(facts)  # the metric exists and is well formed: is its threshold?
    # The alarm's own series, read over the incident window: no datapoint at all there.
    empty = next((s for s in facts.alarm_series if s.incident.count == 0), None)
    if empty is not None:
        case.support(0.15, ev.series_id(empty), t(facts.lang, "r.no_datapoints"))
    healthy = _healthy(facts)
    if healthy:
        fault_pct = percent(facts.traces.fault_rate) if facts.traces else "0"
        detail = t(facts.lang, "r.healthy.detail", fault_pct=fault_pct)
        case.support(0.1, healthy, t(facts.lang, "r.healthy", detail=detail))
    return case.hypothesis()
