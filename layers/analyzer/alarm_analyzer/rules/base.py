"""What rules read (``Facts``) and how they argue (``Case``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .. import evidence as ev
from ..events import Alarm
from ..i18n import Lang, duration_ms, quantity, t
from ..metric_catalog import USER_FACING_ERRORS, is_latency_metric
from ..models import (
    AlarmData,
    ChangesData,
    FunctionState,
    LogsData,
    LogSignature,
    MetricsData,
    ResourceKind,
    ResourcesData,
    Series,
    Stats,
    TracesData,
    Windows,
)
from ..report import Category, Hypothesis
from ..signatures import rising, surging
from .signals import Mechanism, mechanisms_in

MIN_ERRORS = 5  # a few failed requests in the incident window are background, not a symptom


def total(stats: Stats) -> float:
    """The window's total of a per-period statistic (incident and baseline windows are equally long)."""
    return (stats.avg or 0.0) * stats.count


def increased(series: Series, factor: float = 2.0, at_least: float = 1.0) -> bool:
    """Counted much more often in the incident than in the baseline (and at least ``at_least`` times)."""
    return total(series.incident) > max(factor * total(series.baseline), at_least)


# Error counts that say requests or invocations failed.
ERROR_METRICS = USER_FACING_ERRORS | {
    ("AWS/Lambda", "Errors"),
    ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"),
}


def first_sustained_breach(
    points: Sequence[tuple[datetime, float]], since: datetime, threshold: float, direction: str
) -> datetime | None:
    """The first of two breaching points in a row at or after ``since``: a lone spike is not an onset."""
    inside = [(at, value) for at, value in points if at >= since]
    breaching = [value > threshold if direction == "above" else value < threshold for _, value in inside]
    return next((inside[i][0] for i in range(len(inside) - 1) if breaching[i] and breaching[i + 1]), None)


def _slower_than_before(traces: TracesData) -> bool:
    """Traces slower than the baseline's, when there is one to compare with."""
    before, now = traces.baseline_p95_ms, traces.p95_ms
    return before is None or now is None or now >= 1.2 * before


@dataclass(frozen=True)
class Facts:
    alarm: Alarm
    windows: Windows
    gathered: ev.Gathered
    lang: Lang = "en"
    # The evidence items the report holds (None: all): an observation on anything else does not count.
    evidence_ids: frozenset[str] | None = None

    def cites(self, evidence_id: str) -> bool:
        return self.evidence_ids is None or evidence_id in self.evidence_ids

    @property
    def alarm_data(self) -> AlarmData | None:
        return self.gathered.alarm

    @property
    def metrics(self) -> MetricsData | None:
        return self.gathered.metrics

    @property
    def logs(self) -> LogsData | None:
        return self.gathered.logs

    @property
    def traces(self) -> TracesData | None:
        return self.gathered.traces

    @property
    def changes(self) -> ChangesData | None:
        return self.gathered.changes

    @property
    def resources(self) -> ResourcesData | None:
        return self.gathered.resources

    @cached_property
    def breach_start(self) -> datetime:
        return ev.breach_start(self.alarm, self.windows, self.gathered)

    @cached_property
    def onset(self) -> datetime:
        """When the symptoms began: the alarm's metric first breaching for two periods running in the
        incident window, or an error series leaving its baseline, whichever came first; else the breach."""
        moments = [self.breach_start]
        threshold, direction = self.alarm.threshold, self.alarm.breach_direction
        if threshold is not None and direction is not None:
            since = self.windows.incident.start
            firsts = (
                first_sustained_breach(s.points, since, threshold, direction) for s in self.alarm_series
            )
            moments += [moment for moment in firsts if moment]
        errors = self.error_symptom
        moments += [
            s.breach_start
            for s in (self.metrics.series if self.metrics else [])
            if errors and ev.series_id(s) == errors[0] and s.breach_start
        ]
        return min(moments)

    def series_of(self, metric_name: str, kind: ResourceKind, resource_id: str) -> Series | None:
        """One resource's series of a metric: a function's Errors, a queue's depth."""
        found = self.series(metric_name, kind)
        return next((s for s in found if s.resource and s.resource.id == resource_id), None)

    def function(self, name: str) -> FunctionState | None:
        found = self.resources.functions if self.resources else []
        return next((f for f in found if f.name == name), None)

    def series(self, metric_name: str, kind: ResourceKind | None = None) -> list[Series]:
        return self.metrics.find(metric_name, kind) if self.metrics else []

    @cached_property
    def alarm_series(self) -> list[Series]:
        return [s for s in self.metrics.series if s.role == "alarm"] if self.metrics else []

    def signatures(self, mechanism: Mechanism) -> list[LogSignature]:
        """Rising signatures that show a mechanism, most frequent first."""
        if not self.logs:
            return []
        logs = self.logs
        found = [
            s
            for s in logs.signatures
            if rising(s.count, logs.expected(s)) and mechanism in mechanisms_in(s.text)
        ]
        return sorted(found, key=lambda s: s.count, reverse=True)

    @cached_property
    def rising_errors(self) -> list[LogSignature]:
        if not self.logs:
            return []
        logs = self.logs
        return [
            s
            for s in logs.signatures
            if rising(s.count, logs.expected(s)) and s.level in ("error", "warning")
        ]

    @cached_property
    def surging_errors(self) -> list[LogSignature]:
        """Error signatures new, or well above their usual rate: background errors that merely fluctuate
        neither explain an incident nor make a service unhealthy."""
        logs = self.logs
        return [
            s
            for s in self.rising_errors
            if logs and s.level == "error" and surging(s.count, logs.expected(s))
        ]

    @cached_property
    def error_symptom(self) -> tuple[str, str] | None:
        """Evidence that requests or invocations fail more than they used to, with a short reason."""
        counted = [
            s
            for s in (self.metrics.series if self.metrics else [])
            if (s.namespace, s.metric_name) in ERROR_METRICS and increased(s, at_least=MIN_ERRORS)
        ]
        if counted:
            worst = max(counted, key=lambda s: total(s.incident))
            reason = t(
                self.lang,
                "r.errors_up",
                metric=worst.metric_name,
                count=quantity(total(worst.incident), ""),
                baseline=quantity(total(worst.baseline), ""),
            )
            return ev.series_id(worst), reason
        traces = self.traces
        if traces and traces.analyzed and traces.fault_rate >= 0.05:
            return ev.TRACE_FAULTS, t(self.lang, "r.trace_faults", fault_pct=f"{traces.fault_rate * 100:.0f}")
        return None

    @cached_property
    def latency_symptom(self) -> tuple[str, str] | None:
        """Evidence that requests got slower, with a short reason, or None."""
        for series in self.alarm_series + self.series("TargetResponseTime"):
            if not is_latency_metric(series.namespace, series.metric_name):
                continue
            # A breach counts only where it is also a change: an alarm whose metric sits where it always
            # sits says something about the threshold, not about slower requests.
            breached = series.role == "alarm" and self.alarm.state == "ALARM"
            worse = series.change_ratio is None or series.change_ratio >= 1.2
            if (breached and worse) or (series.change_ratio or 0) >= 1.5:
                reason = t(
                    self.lang,
                    "r.latency_up",
                    value=ev.value_of(series, series.incident.avg),
                    baseline=ev.value_of(series, series.baseline.avg),
                )
                return ev.series_id(series), reason
        traces = self.traces
        if traces and traces.analyzed and traces.slow_share >= 0.2 and _slower_than_before(traces):
            return ev.TRACE_LATENCY, t(self.lang, "r.p95", p95=duration_ms(traces.p95_ms))
        return None


@dataclass
class Case:
    """The argument for one category: weighted observations, each citing its evidence.

    An observation whose evidence the report does not hold adds nothing: neither weight nor a reason.
    """

    category: Category
    resource: str | None
    facts: Facts
    confidence: float = 0.0
    evidence_ids: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def lang(self) -> Lang:
        return self.facts.lang

    def support(self, weight: float, evidence_id: str, reason: str) -> None:
        if not self.facts.cites(evidence_id):
            return
        self.confidence += weight
        self.evidence_ids.append(evidence_id)
        self.reasons.append(reason)

    def hypothesis(self) -> list[Hypothesis]:
        if not self.evidence_ids:
            return []
        return [
            Hypothesis(
                category=self.category,
                summary=t(self.lang, f"s.{self.category}", resource=self.resource or "?"),
                confidence=round(min(self.confidence, 0.97), 2),
                resource=self.resource,
                reasons=self.reasons,
                evidence_ids=list(dict.fromkeys(self.evidence_ids)),
            )
        ]
