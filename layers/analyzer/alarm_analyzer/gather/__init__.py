"""Gatherers: each turns one source of evidence into a compact summary inside the common envelope.

Every gatherer (and the scope resolver before them) works through a ``GatherContext``: the clients,
the deadline, ``attempt`` for lookups that may fail without costing the rest, ``note`` for what was
left out (typed, worded later in the report's language, never lost), and ``parallel`` for lookups
that do not depend on each other.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from ..aws import (
    AWS_ERRORS,
    AwsClients,
    Places,
    SideBySide,
    Unreachable,
    error_code,
    error_message,
    fork,
    measured_path,
)
from ..events import Alarm, InvalidAlarmEvent
from ..models import Note, NoteValue, PlatformEventKind, Result, Scope, SourceData, SourceError
from ..settings import GathererSettings

T = TypeVar("T")

# The note that explains a whole step's failure: the alarm's account could not be read.
UNREACHABLE = "account_unreachable"

logger = logging.getLogger(__name__)


class GatherContext:
    """What a gatherer works with: the alarm, its scope, clients, settings, a deadline and its notes."""

    def __init__(
        self,
        alarm: Alarm,
        scope: Scope,
        clients: AwsClients,
        settings: GathererSettings | None = None,
        deadline: float | None = None,
    ) -> None:
        self.alarm = alarm
        self.scope = scope
        self.clients = clients
        self.settings = settings or GathererSettings()
        self.deadline = deadline  # monotonic seconds by which the gatherer must have returned
        self.notes: list[Note] = []

    def go_to_alarm(self, places: Places) -> None:
        """Read where the alarm is from now on: its account and region (raises Unreachable)."""
        partition = self.alarm.arn.split(":", 2)[1]
        self.clients = places.at(self.alarm.account, self.alarm.region, partition)

    def unreachable(self, exc: Unreachable) -> SourceError:
        """Note that the alarm's account could not be read, naming it and the role; the error for the envelope."""
        self.note(UNREACHABLE, account=exc.account, role=exc.role_arn, error=exc.code, message=exc.message)
        return SourceError(code=exc.code, message=exc.message)

    def note(self, code: str, **params: NoteValue) -> None:
        """Record what was left out or only partly read (once)."""
        note = Note(code=code, params=params)
        if note not in self.notes:
            self.notes.append(note)

    def out_of_time(self, part: str, **params: NoteValue) -> bool:
        """True once the time budget is spent; notes which part was left out."""
        if self.deadline is None or time.monotonic() < self.deadline:
            return False
        self.note("out_of_time", part=part, **params)
        return True

    def attempt(self, part: str, call: Callable[[], T], default: T, **params: NoteValue) -> T:
        """Run an optional lookup; if it fails for any reason, note it and go on without it.

        A source's main call decides whether the source worked; an extra (history, a describe of one
        resource) must never cost the evidence already in hand.
        """
        try:
            return call()
        except Exception as exc:
            self.note("unavailable", part=part, error=error_code(exc), message=error_message(exc), **params)
            return default

    def parallel(self, *calls: Callable[[], T]) -> list[T]:
        """Independent lookups of one kind side by side; their results in order."""
        return fork(calls)

    @staticmethod
    def side_by_side() -> SideBySide:
        """Independent lookups of different kinds: ``with ctx.side_by_side() as work: f = work.submit(...)``."""
        return SideBySide()


def aws_time(value: str | None) -> datetime | None:
    """A timestamp as AWS APIs write it in strings ("2026-05-04T11:50:00.000+0000", "...Z"), or None."""
    try:
        return datetime.fromisoformat(value or "")
    except ValueError:
        return None


_PLATFORM_EVENTS: tuple[tuple[PlatformEventKind, re.Pattern[str]], ...] = (
    ("failover", re.compile(r"fail(?:ed)?[ -]?over|promot", re.IGNORECASE)),
    ("replacement", re.compile(r"replac|recover|retir|host (?:fail|degrad)|hardware", re.IGNORECASE)),
    ("reboot", re.compile(r"reboot|restart", re.IGNORECASE)),
    ("maintenance", re.compile(r"maintenance|patch|upgrad|update .*applied|engine version", re.IGNORECASE)),
    ("storage", re.compile(r"storage|disk|space", re.IGNORECASE)),
)


def platform_event_kind(categories: Sequence[str], message: str) -> PlatformEventKind:
    """What an RDS or ElastiCache event says happened under the service: its categories first (RDS
    names "failover", "maintenance", "low storage"...), else its message (ElastiCache has none)."""
    for text in (" ".join(categories), message):
        for kind, pattern in _PLATFORM_EVENTS:
            if pattern.search(text):
                return kind
    return "other"


def run(
    source: str,
    gather: Callable[[GatherContext], SourceData],
    is_empty: Callable[[SourceData], bool],
    context: GatherContext,
    places: Places | None = None,
) -> Result:
    """Run one gatherer where the alarm is (``places``; else with the context's clients) and wrap what
    it found, or why it failed, in the envelope.

    A failing source becomes a gap in the report, never a failed analysis: the only exception that
    escapes is an invalid event, which no other source could analyze either. Notes taken before a
    failure stay in the envelope.
    """
    started, calls_before = time.monotonic(), context.clients.total_calls
    units_before = context.clients.units.copy()
    data: SourceData | None = None
    error: SourceError | None = None
    with measured_path() as path:
        try:
            if places is not None:
                context.go_to_alarm(places)
            data = gather(context)
            status = "no_data" if is_empty(data) else "ok"
        except InvalidAlarmEvent:
            raise
        except Unreachable as exc:
            logger.warning("%s gatherer: %s", source, exc)
            status, error = "error", context.unreachable(exc)
        except AWS_ERRORS as exc:
            logger.warning("%s gatherer: AWS refused a call: %s", source, exc)
            status, error = "error", SourceError(code=error_code(exc), message=error_message(exc))
        except Exception as exc:  # a bug in one gatherer must not cost the other sources' evidence
            logger.exception("%s gatherer failed", source)
            status, error = "error", SourceError(code=type(exc).__name__, message=str(exc))
    return Result(
        source=source,
        status=status,
        data=data,
        notes=context.notes,
        error=error,
        api_calls=context.clients.total_calls - calls_before,
        rounds=path.rounds,
        duration_ms=round((time.monotonic() - started) * 1000),
        units=dict(context.clients.units - units_before),
    )
