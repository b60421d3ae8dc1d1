"""Gatherers: each turns one source of evidence into a compact summary inside the common envelope."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import TypeVar

from ..aws import AWS_ERRORS, AwsClients, error_code, error_message
from ..events import Alarm, InvalidAlarmEvent
from ..models import (
    AlarmData,
    AlarmResult,
    ChangesData,
    ChangesResult,
    LogsData,
    LogsResult,
    MetricsData,
    MetricsResult,
    ResourcesData,
    ResourcesResult,
    Source,
    SourceError,
    TracesData,
    TracesResult,
)
from ..scope import alarm_tags

T = TypeVar("T")
Data = AlarmData | MetricsData | LogsData | TracesData | ChangesData | ResourcesData
Result = AlarmResult | MetricsResult | LogsResult | TracesResult | ChangesResult | ResourcesResult

logger = logging.getLogger(__name__)

# When the running gatherer must have returned (monotonic seconds); None means no limit.
_DEADLINE: ContextVar[float | None] = ContextVar("gather_deadline", default=None)


def out_of_time(limitations: list[str], what: str) -> bool:
    """True once the gatherer's time budget is spent; notes once what was left out."""
    deadline = _DEADLINE.get()
    if deadline is None or time.monotonic() < deadline:
        return False
    note = f"stopped early to stay within the time budget: {what} left out"
    if note not in limitations:
        limitations.append(note)
    return True


def attempt(what: str, call: Callable[[], T], default: T, limitations: list[str]) -> T:
    """Run an optional lookup; if it fails for any reason, note the limitation and go on without it.

    The source's main call decides whether the source worked; an extra (history, tags, a trace
    probe) must never cost the evidence already in hand.
    """
    try:
        return call()
    except Exception as exc:
        limitations.append(f"{what} unavailable ({error_code(exc)}: {error_message(exc)})")
        return default


def aws_time(value: str | None) -> datetime | None:
    """A timestamp as AWS APIs write it in strings ("2026-05-04T11:50:00.000+0000", "...Z"), or None."""
    try:
        return datetime.fromisoformat(value or "")
    except ValueError:
        return None


def lookup_tags(alarm: Alarm, clients: AwsClients, limitations: list[str]) -> dict[str, str]:
    """The alarm's tags, or none (noted) when they cannot be read."""
    tags: dict[str, str] = attempt(
        "alarm tags", lambda: alarm_tags(alarm, clients.cloudwatch), {}, limitations
    )
    return tags


def _is_empty(data: Data) -> bool:
    if isinstance(data, MetricsData):
        return not any(s.incident.count or s.baseline.count for s in data.series)
    if isinstance(data, LogsData):
        return not data.groups
    if isinstance(data, TracesData):
        return data.traces_in_window == 0
    if isinstance(data, ChangesData | ResourcesData):
        return not data.looked_at  # nothing in scope; "no change found" is itself evidence
    return data.config is None


_RESULT_TYPES: dict[Source, type[Result]] = {
    "alarm": AlarmResult,
    "metrics": MetricsResult,
    "logs": LogsResult,
    "traces": TracesResult,
    "changes": ChangesResult,
    "resources": ResourcesResult,
}


def run(
    source: Source, gather: Callable[[], Data], clients: AwsClients, budget_seconds: float | None = None
) -> Result:
    """Run one gatherer and wrap what it found, or why it failed, in the envelope.

    A failing source becomes a gap in the report, never a failed analysis: the only exception that
    escapes is an invalid event, which no other source could analyze either. With a budget, the
    gatherer stops paging in time and returns what it has.
    """
    started, calls_before = time.monotonic(), clients.total_calls
    budget = _DEADLINE.set(started + budget_seconds if budget_seconds is not None else None)
    data: Data | None = None
    error: SourceError | None = None
    try:
        data = gather()
        status = "no_data" if _is_empty(data) else "ok"
    except InvalidAlarmEvent:
        raise
    except AWS_ERRORS as exc:
        logger.warning("%s gatherer: AWS refused a call: %s", source, exc)
        status, error = "error", SourceError(code=error_code(exc), message=error_message(exc))
    except Exception as exc:  # a bug in one gatherer must not cost the other sources' evidence
        logger.exception("%s gatherer failed", source)
        status, error = "error", SourceError(code=type(exc).__name__, message=str(exc))
    finally:
        _DEADLINE.reset(budget)
    return _RESULT_TYPES[source].model_validate(
        {
            "data": data,
            "status": status,
            "error": error,
            "api_calls": clients.total_calls - calls_before,
            "duration_ms": round((time.monotonic() - started) * 1000),
        }
    )
