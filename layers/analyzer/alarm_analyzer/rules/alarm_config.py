"""Alarm rules: the alarm watches something that does not exist or gets no data, while the service is fine."""

from __future__ import annotations

from .. import evidence as ev
from ..events import Alarm
from ..i18n import percent
from ..models import Series
from .base import Claim, Facts, Phrase
from .tables import TABLES

ALARM = TABLES["alarm_misconfiguration"].thresholds


def _healthy(facts: Facts) -> str | None:
    """Evidence id showing the service behaves normally, if the evidence says so."""
    if facts.surging_errors:
        return None
    traces = facts.traces
    if traces and traces.analyzed:
        return ev.TRACE_FAULTS if traces.fault_rate < ALARM["healthy_fault_rate"] else None
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
        return crosses and (series.change_ratio or 0.0) < ALARM["normal_ratio"]
    crosses = all(stats.min is not None and stats.min < threshold for stats in normal)
    return crosses and (series.change_ratio or 2.0) > 1 / ALARM["normal_ratio"]


def _healthy_reason(facts: Facts) -> Phrase:
    fault_pct = percent(facts.traces.fault_rate) if facts.traces else "0"
    return Phrase("r.healthy", {"detail": Phrase("r.healthy.detail", {"fault_pct": fault_pct})})


def _tight_threshold(facts: Facts) -> list[Claim]:
    tight = next((s for s in facts.alarm_series if threshold_in_normal_range(facts.alarm, s)), None)
    healthy = _healthy(facts)
    if tight is None or healthy is None or facts.error_symptom:
        return []
    claim = Claim("alarm_misconfiguration", facts.alarm.name)
    usual = tight.baseline.max if facts.alarm.breach_direction == "above" else tight.baseline.min
    reason = Phrase(
        "r.threshold_normal",
        {"threshold": ev.value_of(tight, facts.alarm.threshold), "baseline": ev.value_of(tight, usual)},
    )
    claim.observe("threshold_normal", ev.series_id(tight), reason)
    claim.observe("healthy", healthy, _healthy_reason(facts))
    history = facts.alarm_data.history if facts.alarm_data else None
    if history and history.transitions >= ALARM["flapping_transitions"]:
        claim.observe(
            "flapping", ev.ALARM_HISTORY, Phrase("r.flapping", {"transitions": history.transitions})
        )
    return [claim]


def misconfiguration(facts: Facts) -> list[Claim]:
    """The alarm watches a metric no resource publishes, or with dimensions of the wrong form; failing
    that, a threshold the metric crosses when nothing is wrong."""
    data, metric = facts.alarm_data, facts.alarm.primary_metric
    if data is None or metric is None:
        return []
    claim = Claim("alarm_misconfiguration", facts.alarm.name)
    if data.metric_exists is False:
        reason = Phrase(
            "r.metric_missing", {"namespace": metric.metric.namespace, "metric": metric.metric.name}
        )
        claim.observe("metric_missing", ev.ALARM_METRIC_MISSING, reason)
    for issue in data.dimension_issues:
        suggestion = (
            Phrase("ev.alarm.suggestion", {"suggestion": issue.suggestion}) if issue.suggestion else ""
        )
        reason = Phrase(
            "r.dimension",
            {"name": issue.name, "value": issue.value, "expected": issue.expected, "suggestion": suggestion},
        )
        claim.observe("dimension", ev.dimension_id(issue.name), reason)
    if not any(facts.cites(o.evidence_id) for o in claim.observations):
        return _tight_threshold(facts)  # the metric exists and is well formed: is its threshold?
    # The alarm's own series, read over the incident window: no datapoint at all there.
    empty = next((s for s in facts.alarm_series if s.incident.count == 0), None)
    if empty is not None:
        claim.observe("no_datapoints", ev.series_id(empty), Phrase("r.no_datapoints"))
    healthy = _healthy(facts)
    if healthy:
        claim.observe("healthy", healthy, _healthy_reason(facts))
    return [claim]
