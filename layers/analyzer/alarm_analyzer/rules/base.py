"""What rules read (``Facts``) and how they argue (``Case``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .. import evidence as ev
from ..events import Alarm
from ..i18n import Lang, duration_ms, t
from ..metric_catalog import is_latency_metric
from ..models import AlarmData, LogsData, LogSignature, MetricsData, ResourceKind, Series, TracesData, Windows
from ..report import Category, Hypothesis
from .signals import Mechanism, mechanisms_in

MIN_COUNT = 3  # fewer occurrences than this are noise, not a signal


def rising(signature: LogSignature, expected: float) -> bool:
    """Frequent enough to matter and at least twice its usual rate (``expected`` in the same time)."""
    return signature.count >= MIN_COUNT and signature.count >= 2 * expected + 1


@dataclass(frozen=True)
class Facts:
    alarm: Alarm
    windows: Windows
    gathered: ev.Gathered
    lang: Lang = "en"

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
            s for s in logs.signatures if rising(s, logs.expected(s)) and mechanism in mechanisms_in(s.text)
        ]
        return sorted(found, key=lambda s: s.count, reverse=True)

    @cached_property
    def rising_errors(self) -> list[LogSignature]:
        if not self.logs:
            return []
        logs = self.logs
        return [s for s in logs.signatures if rising(s, logs.expected(s)) and s.level in ("error", "warning")]

    @cached_property
    def latency_symptom(self) -> tuple[str, str] | None:
        """Evidence that requests got slower, with a short reason, or None."""
        for series in self.alarm_series + self.series("TargetResponseTime"):
            if not is_latency_metric(series.namespace, series.metric_name):
                continue
            breached = series.role == "alarm" and self.alarm.state == "ALARM"
            if breached or (series.change_ratio or 0) >= 1.5:
                reason = t(
                    self.lang,
                    "r.latency_up",
                    value=ev.value_of(series, series.incident.avg),
                    baseline=ev.value_of(series, series.baseline.avg),
                )
                return ev.series_id(series), reason
        traces = self.traces
        if traces and traces.analyzed and traces.slow_share >= 0.2:
            return ev.TRACE_LATENCY, t(self.lang, "r.p95", p95=duration_ms(traces.p95_ms))
        return None


@dataclass
class Case:
    """The argument for one category: weighted observations, each citing its evidence."""

    category: Category
    resource: str | None
    lang: Lang
    confidence: float = 0.0
    evidence_ids: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def support(self, weight: float, evidence_id: str, reason: str) -> None:
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
