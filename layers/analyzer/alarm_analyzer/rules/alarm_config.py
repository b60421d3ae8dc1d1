"""Alarm rules: the alarm watches something that does not exist or gets no data, while the service is fine."""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import percent, t
from ..report import Hypothesis
from .base import Case, Facts

HEALTHY_FAULT_RATE = 0.05


def _healthy(facts: Facts) -> str | None:
    """Evidence id showing the service behaves normally, if the evidence says so."""
    if facts.rising_errors:
        return None
    traces = facts.traces
    if traces and traces.analyzed:
        return ev.TRACE_FAULTS if traces.fault_rate < HEALTHY_FAULT_RATE else None
    related = [s for s in facts.metrics.series if s.role == "related"] if facts.metrics else []
    calm = [s for s in related if s.incident.count and s.breach_start is None]
    return (
        ev.series_id(calm[0]) if calm and len(calm) == len([s for s in related if s.incident.count]) else None
    )


def misconfiguration(facts: Facts) -> list[Hypothesis]:
    data, metric = facts.alarm_data, facts.alarm.primary_metric
    if data is None or metric is None:
        return []
    case = Case("alarm_misconfiguration", facts.alarm.name, facts.lang)
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
        return []  # a metric that exists and is well formed is not a misconfiguration
    if data.datapoints_in_window == 0:
        case.support(0.15, ev.ALARM_DATAPOINTS, t(facts.lang, "r.no_datapoints"))
    healthy = _healthy(facts)
    if healthy:
        fault_pct = percent(facts.traces.fault_rate) if facts.traces else "0"
        detail = t(facts.lang, "r.healthy.detail", fault_pct=fault_pct)
        case.support(0.1, healthy, t(facts.lang, "r.healthy", detail=detail))
    return case.hypothesis()
