"""Correlation: from the event and the gatherers' envelopes to the report."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from . import evidence as ev
from .charts import chart_data
from .console import ConsoleAccess
from .costs import estimate
from .events import Alarm, parse_alarm_event
from .gather import UNREACHABLE
from .i18n import Lang, duration_ms, percent, quantity, t, title
from .metric_catalog import USER_FACING_ERRORS, is_latency_metric
from .models import AlarmData, CorrelateInput, Note, Resolution, Result, Scope, Series, Windows
from .playbook import plan
from .report import (
    AlarmSection,
    Evidence,
    Figure,
    Finding,
    Gap,
    Hypothesis,
    Impact,
    Report,
    RootCause,
    RunStats,
    Severity,
    SourceStats,
)
from .rules import CONFIDENCE_FLOOR, diagnose
from .rules.alarm_config import threshold_in_normal_range
from .rules.base import Facts, increased, total
from .rules.changes import describe, rollback_of
from .scope import event_scope, path_of
from .sources import BY_NAME

FLAPPING_TRANSITIONS = 6
USER_FACING_NAMESPACES = frozenset(
    {"AWS/ApplicationELB", "AWS/ELB", "AWS/ApiGateway", "AWS/CloudFront", "AWS/AppSync"}
)


def gathered_from(results: Sequence[Result]) -> ev.Gathered:
    return ev.Gathered(r.data for r in results if r.data is not None)


def evidence_of(
    alarm: Alarm, windows: Windows, gathered: ev.Gathered, results: Sequence[Result], lang: Lang
) -> list[Evidence]:
    """Every evidence item, each source's built by its declared builder; ids are unique."""
    at = ev.Context(alarm=alarm, windows=windows, lang=lang, breach=ev.breach_start(alarm, windows, gathered))
    found = [
        item for r in results if r.data is not None for item in BY_NAME[r.source].build_evidence(r.data, at)
    ]
    return list({e.id: e for e in found}.values())


def alarm_section(alarm: Alarm, data: AlarmData | None, account_alias: str | None = None) -> AlarmSection:
    config = data.config if data else None
    metric = alarm.primary_metric
    return AlarmSection(
        name=alarm.name,
        arn=alarm.arn,
        account=alarm.account,
        account_alias=account_alias,
        region=alarm.region,
        type=alarm.type,
        state=alarm.state,
        previous_state=alarm.previous_state,
        reason=alarm.reason,
        state_changed_at=alarm.state_changed_at,
        namespace=metric.metric.namespace if metric else None,
        metric_name=metric.metric.name if metric else None,
        dimensions=metric.metric.dimensions if metric else {},
        statistic=metric.stat if metric else None,
        period=metric.period if metric else None,
        threshold=config.threshold if config and config.threshold is not None else alarm.threshold,
        comparison=config.comparison if config else None,
        evaluation_periods=config.evaluation_periods if config else None,
    )


def _alarm_metric_figure(facts: Facts) -> list[Figure]:
    """The metric that fired: its worst value in the window against its usual level."""
    return [
        Figure(
            label=series.metric_name,
            value=ev.value_of(series, series.peak),
            baseline=ev.value_of(series, series.baseline.avg),
            evidence_id=ev.series_id(series),
        )
        for series in facts.alarm_series[:1]
        if series.incident.count
    ]


def _latency_figures(facts: Facts) -> list[Figure]:
    figures = []
    symptom = facts.latency_symptom
    alarm_ids = {ev.series_id(s) for s in facts.alarm_series}
    if symptom and symptom.evidence_id.startswith("metrics:") and symptom.evidence_id not in alarm_ids:
        series = next(s for s in facts.series("TargetResponseTime") if ev.series_id(s) == symptom.evidence_id)
        figures.append(
            Figure(
                label=t(facts.lang, "fig.latency", metric=series.metric_name),
                value=ev.value_of(series, series.incident.avg),
                baseline=ev.value_of(series, series.baseline.avg),
                evidence_id=symptom.evidence_id,
            )
        )
    traces = facts.traces
    if traces and traces.analyzed and traces.slow_share >= 0.05:
        threshold = duration_ms(traces.slow_threshold_ms)
        figures += [
            Figure(
                label=t(facts.lang, "fig.slow_share", threshold=threshold),
                value=f"{percent(traces.slow_share)}%",
                evidence_id=ev.TRACE_LATENCY,
            ),
            Figure(
                label=t(facts.lang, "fig.p95"), value=duration_ms(traces.p95_ms), evidence_id=ev.TRACE_LATENCY
            ),
        ]
    return figures


def _error_figures(facts: Facts) -> list[Figure]:
    figures = []
    errors = _error_series(facts)
    if errors and errors.role != "alarm" and increased(errors):
        figures.append(
            Figure(
                label=t(facts.lang, "fig.errors", metric=errors.metric_name),
                value=quantity(total(errors.incident), ""),
                baseline=quantity(total(errors.baseline), ""),
                evidence_id=ev.series_id(errors),
            )
        )
    traces = facts.traces
    if traces and traces.fault_rate >= 0.01:
        figures.append(
            Figure(
                label=t(facts.lang, "fig.faults"),
                value=f"{percent(traces.fault_rate)}%",
                evidence_id=ev.TRACE_FAULTS,
            )
        )
    return figures


def _error_series(facts: Facts) -> Series | None:
    candidates = [
        s
        for s in (facts.metrics.series if facts.metrics else [])
        if (s.namespace, s.metric_name) in USER_FACING_ERRORS and s.incident.count
    ]
    return max(candidates, key=lambda s: total(s.incident), default=None)


def impact_of(facts: Facts, root: RootCause) -> Impact:
    figures = _alarm_metric_figure(facts) + _latency_figures(facts) + _error_figures(facts)
    errors = _error_series(facts)
    user_facing = root.category != "alarm_misconfiguration" and _user_facing(
        facts, bool(errors and increased(errors))
    )
    if root.category == "alarm_misconfiguration":
        summary = t(facts.lang, "i.false_positive")
    elif figures:
        baseline = t(facts.lang, "label.baseline")
        summary = t(facts.lang, "joiner").join(
            f"{f.label}: {f.value}" + (f" ({baseline} {f.baseline})" if f.baseline else "")
            for f in figures[:3]
        )
    else:
        summary = t(facts.lang, "i.none")
    return Impact(summary=summary, user_facing=user_facing, figures=figures)


def _user_facing(facts: Facts, errors_up: bool) -> bool:
    traces = facts.traces
    if errors_up or (traces and traces.fault_rate >= 0.05):
        return True
    metric = facts.alarm.primary_metric
    front_door = metric is not None and metric.metric.namespace in USER_FACING_NAMESPACES
    slow = facts.latency_symptom is not None
    return slow and (front_door or bool(traces and traces.slow_share >= 0.1))


def severity_of(root: RootCause, impact: Impact, scope: Scope) -> Severity:
    if root.category == "alarm_misconfiguration":
        return "info"
    if scope.severity:
        return scope.severity  # the team said how this alarm should reach them
    return "page" if impact.user_facing else "ticket"


def _metric_findings(alarm: Alarm, data: AlarmData, facts: Facts) -> list[Finding]:
    """What the alarm's metric says about the alarm: a threshold normal values cross, missing data."""
    lang, config, findings = facts.lang, data.config, []
    metric = alarm.primary_metric
    tight = next((s for s in facts.alarm_series if threshold_in_normal_range(alarm, s)), None)
    if tight is not None:
        threshold = ev.value_of(tight, alarm.threshold)
        findings.append(
            Finding(
                code="threshold_in_normal_range", summary=t(lang, "q.threshold_normal", threshold=threshold)
            )
        )
    missing = config.treat_missing_data if config else None
    if missing == "breaching":
        findings.append(Finding(code="missing_data_breaching", summary=t(lang, "q.missing_breaching")))
    sparse = bool(facts.alarm_series) and all(s.incident.count < 3 for s in facts.alarm_series)
    if (alarm.previous_state == "INSUFFICIENT_DATA" or sparse) and missing in (None, "missing"):
        findings.append(Finding(code="insufficient_data", summary=t(lang, "q.insufficient_data")))
    if (
        metric is not None
        and metric.stat == "Average"
        and is_latency_metric(metric.metric.namespace, metric.metric.name)
    ):
        findings.append(
            Finding(
                code="average_hides_tail", summary=t(lang, "q.average_latency", metric=metric.metric.name)
            )
        )
    return findings


def alarm_quality(alarm: Alarm, data: AlarmData | None, scope: Scope, facts: Facts) -> list[Finding]:
    if data is None:
        return []
    lang = facts.lang
    findings = []
    if not scope.runbook_url:
        findings.append(Finding(code="no_runbook", summary=t(lang, "q.no_runbook")))
    if not (alarm.description or (data.config and data.config.description)):
        findings.append(Finding(code="no_description", summary=t(lang, "q.no_description")))
    if data.config and not data.config.actions_enabled:
        findings.append(Finding(code="actions_disabled", summary=t(lang, "q.actions_disabled")))
    if data.history and data.history.transitions >= FLAPPING_TRANSITIONS:
        findings.append(
            Finding(code="flapping", summary=t(lang, "q.flapping", transitions=data.history.transitions))
        )
    if data.metric_exists is False:
        findings.append(Finding(code="metric_missing", summary=t(lang, "q.metric_missing")))
    findings += [
        Finding(code="dimension_form", summary=t(lang, "q.dimension_form", name=i.name, expected=i.expected))
        for i in data.dimension_issues
    ]
    return findings + _metric_findings(alarm, data, facts)


def note_text(note: Note, lang: Lang) -> str:
    """A note worded in the report's language; a ``part`` value names what could not be read."""
    params = dict(note.params)
    if "part" in params:
        params["part"] = t(lang, f"part.{params['part']}", subject=params.get("subject", ""))
    return t(lang, f"note.{note.code}", **params)


def _explained(notes: Sequence[Note]) -> bool:
    """A note says why the whole step failed (the alarm's account could not be read): it words the gap."""
    return any(note.code == UNREACHABLE for note in notes)


def gaps_of(results: Sequence[Result], resolution: Resolution, lang: Lang) -> list[Gap]:
    """What each step could not read, and why. The same note from several steps (the alarm's account
    refused to every one of them) is one gap naming them all."""
    gaps = []
    if resolution.error and not _explained(resolution.notes):
        error = resolution.error
        gaps.append(Gap(source="scope", reason=t(lang, "gap.scope", code=error.code, message=error.message)))
    for result in results:
        if result.status == "error" and result.error and not _explained(result.notes):
            gaps.append(
                Gap(
                    source=result.source,
                    reason=t(lang, "gap.error", code=result.error.code, message=result.error.message),
                )
            )
        elif result.status == "no_data":
            gaps.append(Gap(source=result.source, reason=t(lang, "gap.no_data")))
    noted = [("scope", note) for note in resolution.notes] + [(r.source, n) for r in results for n in r.notes]
    grouped: dict[str, tuple[Note, list[str]]] = {}
    for source, note in noted:
        grouped.setdefault(note.model_dump_json(), (note, []))[1].append(source)
    gaps += [
        Gap(source=", ".join(names), reason=note_text(note, lang), code=note.code, params=note.params)
        for note, names in grouped.values()
    ]
    return gaps


CLOSE_CALL = 0.15


def with_separators(hypotheses: list[Hypothesis], lang: Lang) -> list[Hypothesis]:
    """When an alternative comes close to the leader, say for both what would confirm it, so the on-call
    engineer knows which check settles it (a symptom of the leader is no rival: it agrees with it)."""
    if not hypotheses:
        return hypotheses
    leader = hypotheses[0]
    rival = next(
        (h for h in hypotheses[1:] if h.role == "alternative" and h.category != leader.category), None
    )
    if (
        rival is None
        or leader.confidence - rival.confidence > CLOSE_CALL
        or rival.confidence < CONFIDENCE_FLOOR - CLOSE_CALL
    ):
        return hypotheses
    return [
        h.model_copy(update={"to_confirm": h.to_confirm or t(lang, f"confirm.{h.category}")})
        if h in (leader, rival)
        else h
        for h in hypotheses
    ]


def _details(
    root: RootCause, hypotheses: Sequence[Hypothesis], gathered: ev.Gathered, lang: Lang
) -> dict[str, str]:
    """The specifics a category's actions name: for a deployment, the change and the way back."""
    if root.category != "deployment_regression" or not gathered.changes:
        return {}
    cited = set(hypotheses[0].evidence_ids)
    change = next((c for c in gathered.changes.changes if ev.change_id(c) in cited), None)
    return {"change": describe(change), "rollback": rollback_of(change, lang)} if change else {}


def run_stats(request: CorrelateInput, started: float) -> RunStats:
    """Calls, rounds and time per source and for the whole analysis, and what it is estimated to cost."""
    results, resolution = request.results, request.resolution
    sources = {"scope": SourceStats(status="error" if resolution.error else "ok", api_calls=resolution.api_calls,
                                    duration_ms=resolution.duration_ms, rounds=resolution.rounds)}  # fmt: skip
    sources |= {
        r.source: SourceStats(
            status=r.status, api_calls=r.api_calls, duration_ms=r.duration_ms, rounds=r.rounds
        )
        for r in results
    }
    usage: Counter[str] = Counter(resolution.units)
    for result in results:
        usage.update(result.units)
    # As deployed: ResolveScope, the Parallel and a task per source, Correlate; one report published,
    # stored and recorded as delivered.
    usage.update({"state_transition": 3 + len(results), "sns_publish": 1, "s3_put": 1, "dynamodb_write": 2})
    durations = {name: stats.duration_ms for name, stats in sources.items()}
    durations["correlate"] = round((time.monotonic() - started) * 1000)
    cost = estimate(usage, durations)
    return RunStats(
        api_calls=sum(stats.api_calls for stats in sources.values()),
        duration_ms=resolution.duration_ms + max((r.duration_ms for r in results), default=0),
        rounds=resolution.rounds + max((r.rounds for r in results), default=0),
        sources=sources,
        cost_usd=round(sum(item.usd for item in cost), 6),
        cost=cost,
    )


def correlate(
    request: CorrelateInput,
    lang: Lang = "en",
    now: datetime | None = None,
    console: ConsoleAccess | None = None,
) -> Report:
    started = time.monotonic()
    alarm = parse_alarm_event(request.event)
    scope = request.scope or event_scope(alarm)
    windows, results = scope.windows, request.results
    gathered = gathered_from(results)
    evidence = (console or ConsoleAccess()).links(
        evidence_of(alarm, windows, gathered, results, lang), alarm.account
    )
    facts = Facts(
        alarm=alarm,
        windows=windows,
        gathered=gathered,
        lang=lang,
        evidence_ids=frozenset(e.id for e in evidence),
        failed=frozenset(r.source for r in results if r.status == "error"),
        path=path_of(scope),
    )
    diagnosis = diagnose(facts)
    hypotheses, root = with_separators(diagnosis.hypotheses, lang), diagnosis.root
    impact = impact_of(facts, root)
    actions, runbook = plan(root.category, root.resource, lang, _details(root, hypotheses, gathered, lang))
    return Report(
        incident_id=alarm.incident_id,
        language=lang,
        generated_at=now or datetime.now(UTC),
        alarm=alarm_section(alarm, gathered.alarm, scope.account_alias),
        severity=severity_of(root, impact, scope),
        impact=impact,
        root_cause=root,
        hypotheses=list(hypotheses),
        evidence=evidence,
        actions=actions,
        runbook_url=scope.runbook_url,
        runbook=runbook,
        gaps=gaps_of(results, request.resolution, lang),
        alarm_quality=alarm_quality(alarm, gathered.alarm, scope, facts),
        stats=run_stats(request, started),
        charts=chart_data(windows, gathered),
    )


def verdict(report: Report) -> str:
    """One line: the category and its summary (the first line of every rendering)."""
    return t(
        report.language,
        "verdict",
        title=title(report.root_cause.category, report.language),
        summary=report.root_cause.summary,
    )
