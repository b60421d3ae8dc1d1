"""A complete report as the correlate step makes it (chart points included), for channel tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from alarm_analyzer.correlate import correlate
from alarm_analyzer.models import AlarmData, LogsData, MetricsData
from alarm_analyzer.report import Report
from alarm_analyzer.scope import windows_for
from tests.factories import (
    alarm,
    alarm_event,
    correlate_input,
    latency_alarm_series,
    result,
    signature,
    traces,
)

POOL = "ERROR sqlalchemy.exc.TimeoutError: QueuePool limit of size <n> overflow <n> reached"
CARD = "ERROR payment declined for order <n>: card_declined"


def _alarm_series() -> Any:
    """The alarm's latency: flat at 0.25 s, then over the 2 s threshold for the last eight minutes."""
    windows = windows_for(alarm())
    start, end = windows.baseline.start, windows.incident.end
    minutes = int((end - start).total_seconds() // 60)
    points = [(start + timedelta(minutes=i), 3.2 if minutes - i <= 8 else 0.25) for i in range(minutes)]
    breach = points[-8][0]
    return latency_alarm_series().model_copy(update={"points": points, "breach_start": breach})


def sample_report(lang: str = "en", name: str = "web-latency") -> Report:
    results = [
        result(AlarmData(), api_calls=4),
        result(MetricsData(series=[_alarm_series()]), api_calls=2),
        result(
            LogsData(signatures=[signature(POOL, count=90), signature(CARD, count=4, baseline=6)]),
            api_calls=6,
        ),
        result(
            traces([("sql", "db.example", 0.9), ("remote_http", "api.example.net", 0.05)], slow_share=0.8),
            api_calls=7,
        ),
    ]
    request = correlate_input(alarm_event(name=name), results, runbook_url="https://wiki.example.org/rb/web")
    return correlate(request, lang)  # type: ignore[arg-type]


def later(report: Report, minutes: int, state: str = "ALARM", **changes: Any) -> Report:
    """The same alarm's analysis ``minutes`` later: a repeat or, with state OK, of its recovery."""
    moment = report.alarm.state_changed_at + timedelta(minutes=minutes)
    return report.model_copy(
        update={
            "incident_id": f"{report.alarm.arn}#{moment:%Y%m%dT%H%M}",
            "alarm": report.alarm.model_copy(update={"state_changed_at": moment, "state": state}),
            **changes,
        }
    )
