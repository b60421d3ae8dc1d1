"""What rules read (``Facts``) and what they say (``Claim``: observations, each citing its evidence).

A rule decides nothing about confidence and writes no text: it makes a claim for a category, made
of observations. Each observation names the evidence it rests on, the key of its weight in the
category's table (``tables.py``), and its reason as a phrase of the message catalog, worded when
the report is. The engine (``rules/__init__.py``) weighs what survives and links causes to symptoms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Literal

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
from ..report import Category
from ..scope import names_in
from ..signatures import rising, surging
from .signals import PREFILTERED, Mechanism, mechanisms_in
from .tables import TABLES

MIN_ERRORS = 5  # a few failed requests in the incident window are background, not a symptom


def total(stats: Stats) -> float:
    """The window's total of a per-period statistic (incident and baseline windows are equally long)."""
    return (stats.avg or 0.0) * stats.count


def now(series: Series) -> Stats:
    """The series as the incident has it now: since it left its usual level, else the whole window."""
    return series.recent or series.incident


def usual(series: Series, worse: Literal["above", "below"] = "above") -> Stats:
    """Where the series normally sits: the window before the incident, or the same hours a day earlier
    where those were further from the bad side. A lag, backlog or credit drain builds for tens of minutes
    to hours, so the window just before may already be part of it; the day before, as bad, is the hour's
    usual level."""
    day, before = series.day_ago, series.baseline
    if day is None or day.avg is None or before.avg is None:
        return before
    calmer = day.avg < before.avg if worse == "above" else day.avg > before.avg
    return day if calmer else before


def moved(series: Series, value: float | None) -> Phrase:
    """The series at ``value`` in the incident, against its baseline's average."""
    return Phrase(
        "r.metric_moved",
        {
            "metric": series.metric_name,
            "incident": ev.value_of(series, value),
            "baseline": ev.value_of(series, series.baseline.avg),
        },
    )


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
    failed: frozenset[str] = frozenset()  # the sources that could not be read (denied, throttled, failed)
    path: frozenset[str] = frozenset()  # the names of what the alarm's scope holds (empty: unknown)

    def cites(self, evidence_id: str) -> bool:
        return self.evidence_ids is None or evidence_id in self.evidence_ids

    def on_path(self, resource: str | None) -> bool:
        """The resource is one the alarm's scope reached (or the scope, or the resource, is unknown)."""
        return resource is None or not self.path or bool(names_in(resource) & self.path)

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
            if errors and ev.series_id(s) == errors.evidence_id and s.breach_start
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
        """Rising signatures that show a mechanism (or, for lines logged only past a threshold, new
        ones), most frequent first."""
        if not self.logs:
            return []
        logs = self.logs
        found = [
            s
            for s in logs.signatures
            if (rising(s.count, logs.expected(s)) or (s.new and mechanism in PREFILTERED))
            and mechanism in mechanisms_in(s.text)
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
    def error_symptom(self) -> Symptom | None:
        """Evidence that requests or invocations fail more than they used to."""
        counted = [
            s
            for s in (self.metrics.series if self.metrics else [])
            if (s.namespace, s.metric_name) in ERROR_METRICS and increased(s, at_least=MIN_ERRORS)
        ]
        if counted:
            worst = max(counted, key=lambda s: total(s.incident))
            reason = Phrase(
                "r.errors_up",
                {
                    "metric": worst.metric_name,
                    "count": quantity(total(worst.incident), ""),
                    "baseline": quantity(total(worst.baseline), ""),
                },
            )
            return Symptom(ev.series_id(worst), reason, worst.breach_start)
        traces = self.traces
        if traces and traces.analyzed and traces.fault_rate >= 0.05:
            return Symptom(
                ev.TRACE_FAULTS, Phrase("r.trace_faults", {"fault_pct": f"{traces.fault_rate * 100:.0f}"})
            )
        return None

    @cached_property
    def latency_symptom(self) -> Symptom | None:
        """Evidence that requests got slower, or None."""
        for series in self.alarm_series + self.series("TargetResponseTime"):
            if not is_latency_metric(series.namespace, series.metric_name):
                continue
            # A breach counts only where it is also a change: an alarm whose metric sits where it always
            # sits says something about the threshold, not about slower requests.
            breached = series.role == "alarm" and self.alarm.state == "ALARM"
            worse = series.change_ratio is None or series.change_ratio >= 1.2
            if (breached and worse) or (series.change_ratio or 0) >= 1.5:
                reason = Phrase(
                    "r.latency_up",
                    {
                        "value": ev.value_of(series, now(series).avg),
                        "baseline": ev.value_of(series, series.baseline.avg),
                    },
                )
                return Symptom(ev.series_id(series), reason, series.breach_start)
        traces = self.traces
        if traces and traces.analyzed and traces.slow_share >= 0.2 and _slower_than_before(traces):
            return Symptom(ev.TRACE_LATENCY, Phrase("r.p95", {"p95": duration_ms(traces.p95_ms)}))
        return None


PhraseValue = str | int | float


@dataclass(frozen=True)
class Phrase:
    """A message of the catalog (``i18n``) and its values; a value may be a phrase itself."""

    key: str
    values: Mapping[str, PhraseValue | Phrase] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        return t(
            lang,
            self.key,
            **{k: v.text(lang) if isinstance(v, Phrase) else v for k, v in self.values.items()},
        )


MAX_LOG_SLACK = timedelta(minutes=5)  # rarer lines than this date nothing


@dataclass(frozen=True)
class Symptom:
    """What the service shows (slower, failing), the evidence of it, and when it began (when known)."""

    evidence_id: str
    reason: Phrase
    at: datetime | None = None


@dataclass(frozen=True)
class Observation:
    evidence_id: str
    weight: str  # the key of its weight in the category's table
    reason: Phrase
    at: datetime | None = None  # when what it shows began, when the evidence says
    symptom: bool = False  # it shows the service's symptom, not the category's own mechanism
    slack: timedelta = timedelta(0)  # how much earlier it may have begun than its evidence shows


@dataclass
class Claim:
    """One category's argument: its observations, in the order the rule made them."""

    category: Category
    resource: str | None  # what the summary names
    observations: list[Observation] = field(default_factory=list)
    # What it concerns, when the rule found it outside the scope's own resources (a CloudTrail call may
    # name anything): a cause must concern the alarm's scope to explain its symptoms.
    on: str | None = None

    def observe(self, weight: str, evidence_id: str, reason: Phrase, at: datetime | None = None) -> None:
        self.observations.append(Observation(evidence_id, self._known(weight), reason, at))

    def watches(self, series: Series) -> None:
        """The alarm itself watches this series."""
        reason = Phrase("r.alarm_watches", {"metric": series.metric_name})
        self.observe("alarm_watches", ev.series_id(series), reason)

    def logged(self, weight: str, signature: LogSignature, reason: Phrase) -> None:
        """A log signature's lines, begun when the first was written or up to a typical gap before: a line
        written every few minutes first shows a while after what it reports began."""
        at, slack = signature.first_seen, min(signature.spacing, MAX_LOG_SLACK)
        self.observations.append(
            Observation(ev.signature_id(signature), self._known(weight), reason, at, slack=slack)
        )

    def symptom(self, weight: str, symptom: Symptom, reason: Phrase | None = None) -> None:
        observation = Observation(
            symptom.evidence_id, self._known(weight), reason or symptom.reason, symptom.at, True
        )
        self.observations.append(observation)

    @property
    def strength(self) -> float:
        """The weight of all its observations, cited or not: to choose among a rule's own claims."""
        weights = TABLES[self.category].weights
        return sum(weights[o.weight] for o in self.observations)

    def _known(self, weight: str) -> str:
        """A weight the category's table has: a typo fails in the tests, not silently in a report."""
        if weight not in TABLES[self.category].weights:
            raise KeyError(f"{self.category} has no weight {weight!r} in rules/tables.py")
        return weight

    def made(self) -> list[Claim]:
        """The claim, if it has anything to say."""
        return [self] if self.observations else []
