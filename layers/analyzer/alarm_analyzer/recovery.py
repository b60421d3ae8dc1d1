"""The recovery follow-up: when an analyzed alarm is back to OK, how long recovery took and whether the
hypothesis still holds, judged by re-reading the evidence it cited (did the error signature stop, is
the metric back to its usual level) in the analysis of the OK transition."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from .correlate import verdict
from .i18n import Lang, number, quantity, t, unit_of
from .models import Model
from .report import Category, Report, Severity, Shown

Status = Literal["holds", "doubtful", "unverified"]


class CitedSignal(Model):
    """One piece of cited evidence the follow-up re-reads: a log signature or a metric's level."""

    evidence_id: str
    kind: Literal["signature", "metric"]
    label: str  # the signature, or the metric's name
    count: int | None = None  # lines during the incident (signatures)
    incident: float | None = None  # average during the incident (metrics)
    baseline: float | None = None  # average before it (metrics)
    unit: str = ""


class IncidentRecord(Model):
    """What the follow-up needs of the original report; kept in the table until recovery (or the TTL)."""

    incident_id: str
    alarm_arn: str
    alarm_name: str
    language: Lang
    category: Category
    severity: Severity
    verdict: str
    state_changed_at: datetime
    html_url: str | None = None
    signals: list[CitedSignal] = Field(default_factory=list)


class Recovery(Shown):
    """The follow-up message every channel renders, tied to the original incident."""

    kind: Literal["recovery"] = "recovery"
    incident_id: str  # this OK transition (the idempotency key of its delivery)
    original_incident_id: str
    language: Lang
    alarm_name: str
    alarm_arn: str
    category: Category
    severity: Severity
    verdict: str
    alarm_at: datetime
    recovered_at: datetime
    status: Status
    reasons: list[str] = Field(default_factory=list)
    html_url: str | None = None

    @property
    def seconds_to_recover(self) -> int:
        return int((self.recovered_at - self.alarm_at).total_seconds())


def _signal(evidence_id: str, source: str, detail: dict[str, Any]) -> CitedSignal | None:
    if source == "logs" and "signature" in detail:
        return CitedSignal(
            evidence_id=evidence_id, kind="signature", label=detail["signature"], count=detail.get("count")
        )
    if source == "metrics" and "incident" in detail:
        return CitedSignal(
            evidence_id=evidence_id,
            kind="metric",
            label=detail["metric_name"],
            incident=detail["incident"].get("avg"),
            baseline=detail["baseline"].get("avg"),
            unit=unit_of(detail["namespace"], detail["metric_name"]),
        )
    return None


def record_of(report: Report) -> IncidentRecord:
    signals = [_signal(e.id, e.source, e.detail) for e in report.cited()]
    return IncidentRecord(
        incident_id=report.incident_id,
        alarm_arn=report.alarm.arn,
        alarm_name=report.alarm.name,
        language=report.language,
        category=report.root_cause.category,
        severity=report.severity,
        verdict=verdict(report),
        state_changed_at=report.alarm.state_changed_at,
        html_url=report.html_url,
        signals=[s for s in signals if s is not None],
    )


def _recheck(signal: CitedSignal, now: Report, minutes: int, lang: Lang) -> tuple[bool, str] | None:
    """(still abnormal, why) for one signal, or None when the OK analysis could not look at it."""
    found = next((e for e in now.evidence if e.id == signal.evidence_id), None)
    if signal.kind == "signature":
        if found is None:
            logs = now.stats.sources.get("logs")
            if logs is None or logs.status == "error":  # not looked at: absence proves nothing
                return None
            return False, t(
                lang, "rec.signature_stopped", signature=signal.label, minutes=minutes, count=signal.count
            )
        return True, t(
            lang,
            "rec.signature_continues",
            signature=signal.label,
            minutes=minutes,
            now=number(found.detail.get("count", 0)),
            count=signal.count,
        )
    current = found.detail.get("incident", {}).get("avg") if found else None
    if current is None or signal.incident is None or signal.baseline is None:
        return None
    abnormal = abs(current - signal.incident) < abs(current - signal.baseline)
    return abnormal, t(
        lang,
        "rec.metric_abnormal" if abnormal else "rec.metric_normal",
        metric=signal.label,
        now=quantity(current, signal.unit),
        incident=quantity(signal.incident, signal.unit),
        baseline=quantity(signal.baseline, signal.unit),
    )


def follow_up(record: IncidentRecord, now: Report, window_minutes: int) -> Recovery:
    """The follow-up of ``record``'s incident from ``now``, the analysis of the alarm's OK transition
    (its incident window is the ``window_minutes`` before the recovery)."""
    checks = [_recheck(s, now, window_minutes, record.language) for s in record.signals]
    done = [c for c in checks if c is not None]
    status: Status = (
        "unverified" if not done else "doubtful" if any(abnormal for abnormal, _ in done) else "holds"
    )
    return Recovery(
        incident_id=now.incident_id,
        original_incident_id=record.incident_id,
        language=record.language,
        alarm_name=record.alarm_name,
        alarm_arn=record.alarm_arn,
        category=record.category,
        severity=record.severity,
        verdict=record.verdict,
        alarm_at=record.state_changed_at,
        recovered_at=now.alarm.state_changed_at,
        status=status,
        reasons=[why for _, why in done],
        html_url=record.html_url,
    )


def duration(seconds: int, lang: Lang) -> str:
    minutes = max(seconds, 0) // 60
    if minutes < 60:
        return t(lang, "duration.minutes", minutes=minutes)
    return t(lang, "duration.hours", hours=minutes // 60, minutes=minutes % 60)


def summary_lines(recovery: Recovery) -> list[str]:
    """The follow-up in sentences, the same for every channel: time to recover, the hypothesis, why."""
    lang = recovery.language
    return [
        t(
            lang,
            "rec.time",
            duration=duration(recovery.seconds_to_recover, lang),
            alarm_at=f"{recovery.alarm_at:%Y-%m-%d %H:%M}",
            ok_at=f"{recovery.recovered_at:%Y-%m-%d %H:%M}",
        ),
        t(lang, f"rec.status.{recovery.status}"),
        *recovery.reasons,
        t(lang, "rec.incident", incident_id=recovery.original_incident_id, verdict=recovery.verdict),
    ]
