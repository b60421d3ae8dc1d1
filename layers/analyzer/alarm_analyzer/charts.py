"""What the report's charts draw, picked from the gathered data at correlate time: the alarm's metric
over its windows, where slow requests spend their time, and error signatures now against before.
Every channel draws these same figures; none computes its own."""

from __future__ import annotations

from . import evidence as ev
from .i18n import unit_of
from .models import Windows
from .report import Charts, MetricChart, SegmentTime, SignatureCount

MAX_SEGMENTS = 8
MAX_SIGNATURES = 10


def _alarm_metric(windows: Windows, gathered: ev.Gathered) -> MetricChart | None:
    series = next(
        (s for s in (gathered.metrics.series if gathered.metrics else []) if s.role == "alarm" and s.points),
        None,
    )
    if series is None:
        return None
    return MetricChart(
        metric_name=series.metric_name,
        stat=series.stat_used,
        unit=unit_of(series.namespace, series.metric_name),
        points=series.points,
        breach_start=series.breach_start,
        baseline=windows.baseline,
        incident=windows.incident,
        evidence_id=ev.series_id(series),
    )


def chart_data(windows: Windows, gathered: ev.Gathered) -> Charts:
    traces, logs = gathered.traces, gathered.logs
    history_minutes = windows.history.minutes
    return Charts(
        alarm_metric=_alarm_metric(windows, gathered),
        latency=[
            SegmentTime(
                kind=c.kind,
                name=c.name,
                avg_ms=c.avg_ms,
                baseline_avg_ms=c.baseline_avg_ms,
                share=c.share,
                evidence_id=ev.contributor_id(c),
            )
            for c in (traces.contributors if traces else [])[:MAX_SEGMENTS]
        ],
        errors=[
            SignatureCount(
                signature=s.signature,
                level=s.level,
                count=s.count,
                baseline_count=s.baseline_count,
                baseline_minutes=history_minutes,
                evidence_id=ev.signature_id(s),
            )
            for s in (logs.signatures if logs else [])[:MAX_SIGNATURES]
        ],
    )
