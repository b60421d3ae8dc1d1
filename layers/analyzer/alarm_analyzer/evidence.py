"""Evidence items: every fact the gatherers found, with a stable id, a one-line summary and its window.

Rules cite evidence by id; the ids are derived from what the fact is about (a metric of a
resource, a log signature, a trace contributor), so they are stable across runs and languages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from .events import Alarm
from .i18n import Lang, duration_ms, percent, quantity, t, unit_of
from .models import (
    AlarmData,
    ChangesData,
    Contributor,
    LogsData,
    LogSignature,
    MetricsData,
    ResourcesData,
    Series,
    TracesData,
    Windows,
)
from .report import Evidence

TRACE_LATENCY = "traces:latency"
TRACE_FAULTS = "traces:faults"
ALARM_STATE = "alarm:state"
ALARM_METRIC_MISSING = "alarm:metric-missing"
ALARM_DATAPOINTS = "alarm:datapoints"
ALARM_HISTORY = "alarm:history"
ALARM_CHILDREN = "alarm:children"


@dataclass(frozen=True)
class Gathered:
    """What the gatherers returned; None where a source failed or was not asked."""

    alarm: AlarmData | None = None
    metrics: MetricsData | None = None
    logs: LogsData | None = None
    traces: TracesData | None = None
    changes: ChangesData | None = None
    resources: ResourcesData | None = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


# Ids read well and stay unique: a readable slug, then a digest of everything that identifies the fact.
def series_id(series: Series) -> str:
    resource = series.resource.id if series.resource else ",".join(series.dimensions.values())
    return f"metrics:{_slug(series.metric_name)}:{_slug(resource)}:{_digest(series.key)}"


def signature_id(signature: LogSignature) -> str:
    return f"logs:{_digest(signature.signature)}"


def contributor_id(contributor: Contributor) -> str:
    identity = f"{contributor.kind}|{contributor.name}|{contributor.resource}"
    return f"traces:{contributor.kind}:{_slug(contributor.name)}:{_digest(identity)}"


def dimension_id(name: str) -> str:
    return f"alarm:dimension:{_slug(name)}"


def _console(region: str, fragment: str) -> str:
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#{fragment}"


def value_of(series: Series, value: float | None) -> str:
    return quantity(value, unit_of(series.namespace, series.metric_name))


def resource_label(series: Series) -> str:
    if series.resource:
        return series.resource.id
    return ", ".join(f"{k}={v}" for k, v in series.dimensions.items()) or series.namespace


def _series(series: Series, windows: Windows, lang: Lang) -> Evidence:
    labels = {"metric": series.metric_name, "resource": resource_label(series), "stat": series.stat_used}
    if not series.incident.count and not series.baseline.count:
        summary = t(lang, "ev.series.empty", **labels)
    else:
        ratio = t(lang, "ev.series.ratio", ratio=f"{series.change_ratio:.1f}") if series.change_ratio else ""
        peak = ""
        if series.peak is not None and series.peak_at is not None:
            peak = t(
                lang, "ev.series.peak", peak=value_of(series, series.peak), at=f"{series.peak_at:%H:%M}Z"
            )
        summary = t(
            lang,
            "ev.series",
            **labels,
            incident=value_of(series, series.incident.avg),
            baseline=value_of(series, series.baseline.avg),
            ratio=ratio,
            peak=peak,
        )
    if series.day_ago and series.day_ago.count:
        summary += t(lang, "ev.series.day_ago", value=value_of(series, series.day_ago.avg))
    if series.fallback:
        summary += t(lang, "ev.series.fallback", note=series.fallback)
    return Evidence(
        id=series_id(series),
        source="metrics",
        summary=summary,
        detail=series.model_dump(mode="json", exclude={"points", "key"}),
        window=windows.incident,
    )


def _signature(signature: LogSignature, windows: Windows, lang: Lang, region: str) -> Evidence:
    history_minutes = round(windows.history.duration.total_seconds() / 60)
    note = (
        t(lang, "ev.signature.new")
        if signature.new
        else t(lang, "ev.signature.baseline", baseline=signature.baseline_count, minutes=history_minutes)
    )
    group = signature.log_groups[0] if signature.log_groups else ""
    return Evidence(
        id=signature_id(signature),
        source="logs",
        summary=t(
            lang,
            "ev.signature",
            count=signature.count,
            level=t(lang, f"level.{signature.level}"),
            groups=", ".join(signature.log_groups),
            signature=signature.signature,
            baseline_note=note,
        ),
        detail=signature.model_dump(mode="json"),
        window=windows.incident,
        link=_console(region, "logsV2:log-groups/log-group/" + quote(quote(group, safe=""), safe="")),
    )


def _traces(traces: TracesData, windows: Windows, lang: Lang, region: str) -> list[Evidence]:
    link = _console(region, f"xray:traces/{traces.sample_trace_ids[0]}") if traces.sample_trace_ids else None
    found = [
        Evidence(
            id=TRACE_LATENCY,
            source="traces",
            summary=t(
                lang,
                "ev.traces.latency",
                analyzed=traces.analyzed,
                total=traces.traces_in_window,
                p50=duration_ms(traces.p50_ms),
                p95=duration_ms(traces.p95_ms),
                slow_pct=percent(traces.slow_share),
                threshold=duration_ms(traces.slow_threshold_ms),
            ),
            detail=traces.model_dump(
                mode="json",
                include={
                    "p50_ms",
                    "p95_ms",
                    "max_ms",
                    "slow_share",
                    "slow_threshold_ms",
                    "analyzed",
                    "traces_in_window",
                    "sample_trace_ids",
                },
            ),
            window=windows.incident,
            link=link,
        ),
        Evidence(
            id=TRACE_FAULTS,
            source="traces",
            summary=t(
                lang,
                "ev.traces.faults",
                fault_pct=percent(traces.fault_rate),
                error_pct=percent(traces.error_rate),
                throttle_pct=percent(traces.throttle_rate),
            ),
            detail=traces.model_dump(mode="json", include={"fault_rate", "error_rate", "throttle_rate"}),
            window=windows.incident,
            link=link,
        ),
    ]
    found += [
        Evidence(
            id=contributor_id(c),
            source="traces",
            summary=t(
                lang,
                "ev.contributor",
                kind=t(lang, f"kind.{c.kind}"),
                name=c.name,
                share=percent(c.share),
                avg=duration_ms(c.avg_ms),
            ),
            detail=c.model_dump(mode="json"),
            window=windows.incident,
            link=link,
        )
        for c in traces.contributors
    ]
    return found


def _alarm(data: AlarmData, alarm: Alarm, windows: Windows, lang: Lang) -> list[Evidence]:
    link = _console(alarm.region, "alarmsV2:alarm/" + quote(alarm.name, safe=""))
    found = [
        Evidence(
            id=ALARM_STATE,
            source="alarm",
            summary=t(lang, "ev.alarm.state", reason=alarm.reason),
            detail={"state": alarm.state, "reason_data": alarm.reason_data},
            window=windows.incident,
            link=link,
        )
    ]
    metric = alarm.primary_metric
    if data.metric_exists is False and metric is not None:
        similar = "; ".join(
            ",".join(f"{k}={v}" for k, v in dims.items()) for dims in data.similar_metrics[:3]
        )
        summary = t(
            lang,
            "ev.alarm.metric_missing",
            namespace=metric.metric.namespace,
            metric=metric.metric.name,
            dimensions=", ".join(f"{k}={v}" for k, v in metric.metric.dimensions.items()),
        )
        if similar:
            summary += t(lang, "ev.alarm.similar", similar=similar)
        found.append(
            Evidence(
                id=ALARM_METRIC_MISSING,
                source="alarm",
                summary=summary,
                detail={"similar_metrics": data.similar_metrics},
                link=link,
            )
        )
    if data.datapoints_in_window is not None:
        key = "ev.alarm.no_datapoints" if data.datapoints_in_window == 0 else "ev.alarm.datapoints"
        found.append(
            Evidence(
                id=ALARM_DATAPOINTS,
                source="alarm",
                summary=t(lang, key, count=data.datapoints_in_window),
                detail={"datapoints": data.datapoints_in_window},
                window=windows.incident,
                link=link,
            )
        )
    for issue in data.dimension_issues:
        suggestion = t(lang, "ev.alarm.suggestion", suggestion=issue.suggestion) if issue.suggestion else ""
        found.append(
            Evidence(
                id=dimension_id(issue.name),
                source="alarm",
                summary=t(
                    lang,
                    "ev.alarm.dimension",
                    name=issue.name,
                    value=issue.value,
                    namespace=metric.metric.namespace if metric else "",
                    expected=issue.expected,
                    suggestion=suggestion,
                ),
                detail=issue.model_dump(mode="json"),
                link=link,
            )
        )
    if data.children:
        states = ", ".join(f"{child.name} ({child.state})" for child in data.children)
        found.append(
            Evidence(
                id=ALARM_CHILDREN,
                source="alarm",
                summary=t(lang, "ev.alarm.children", children=states),
                detail={"children": [c.model_dump(mode="json") for c in data.children]},
                link=link,
            )
        )
    if data.history is not None:
        found.append(
            Evidence(
                id=ALARM_HISTORY,
                source="alarm",
                summary=t(
                    lang,
                    "ev.alarm.history",
                    transitions=data.history.transitions,
                    alarms=data.history.alarm_entries,
                ),
                detail=data.history.model_dump(mode="json"),
                link=link,
            )
        )
    return found


def build(alarm: Alarm, windows: Windows, gathered: Gathered, lang: Lang) -> list[Evidence]:
    found: list[Evidence] = []
    if gathered.alarm:
        found += _alarm(gathered.alarm, alarm, windows, lang)
    if gathered.metrics:
        found += [_series(s, windows, lang) for s in gathered.metrics.series]
    if gathered.logs:
        found += [_signature(s, windows, lang, alarm.region) for s in gathered.logs.signatures]
    if gathered.traces and gathered.traces.analyzed:
        found += _traces(gathered.traces, windows, lang, alarm.region)
    return list({e.id: e for e in found}.values())
