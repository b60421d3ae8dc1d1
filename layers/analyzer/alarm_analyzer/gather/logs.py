"""CloudWatch Logs: error signatures in the scope's log groups, incident window against the history before.

FilterLogEvents returns a window oldest first, 10,000 events a page. Paging through a loud window
would read its oldest minutes and miss the fault next to the breach, so a window that does not fit
in one page is read as slices side by side instead (``Reader``), each slice's first page, and the
report says which minutes were read. CloudWatch's own filter pattern fetches error-like lines only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from .. import logtext
from ..aws import error_code, error_message
from ..discovery import capped, expand
from ..models import LogGroupScan, LogsData, Window
from ..signatures import SignatureCounter
from . import GatherContext
from .invocations import LAMBDA_LOG_GROUP, invocations_of, with_reports

FIRST_SLICE = timedelta(minutes=1)
MAX_SLICES = 5  # FilterLogEvents allows 5 calls a second per account and region


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _moment(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def breach_slices(start: datetime, end: datetime) -> list[Window]:
    """From the breach backwards, slices doubling in length (1, 2, 4... minutes), at most a few: the
    minutes next to the breach are read whole, older ones sampled. Oldest first."""
    slices: list[Window] = []
    length = FIRST_SLICE
    while end > start and len(slices) < MAX_SLICES - 1:
        slices.append(Window(start=max(start, end - length), end=end))
        end, length = end - length, length * 2
    if end > start:
        slices.append(Window(start=start, end=end))
    return slices[::-1]


def even_slices(start: datetime, end: datetime, count: int = MAX_SLICES) -> list[Window]:
    step = (end - start) / count
    return [Window(start=start + i * step, end=start + (i + 1) * step) for i in range(count)]


@dataclass
class WindowRead:
    """What was read of one window of one group: the events with their weights, and which minutes."""

    window: Window
    events: list[tuple[dict[str, Any], float]] = field(default_factory=list)  # event, lines it stands for
    read: timedelta = timedelta(0)

    @property
    def complete(self) -> bool:
        return self.read >= self.window.duration

    def add(self, events: Sequence[dict[str, Any]], span: Window, until: datetime | None) -> None:
        """One page of ``span``; ``until`` is where it stopped (None: the whole span was read)."""
        covered = (until or span.end) - span.start
        weight = span.duration / max(covered, timedelta(seconds=1)) if until else 1.0
        self.events += [(event, weight) for event in events]
        self.read += covered if until else span.duration


class Reader:
    """Reads groups with the most selective pre-filter CloudWatch accepts, falling back once per form.

    A window is read with one call when it fits in a page. A loud one (more matching lines than a
    page holds) is read as slices side by side, each slice's first page: the incident window from the
    breach backwards, the history window evenly. Counts of a sampled slice are scaled to its length.
    """

    def __init__(self, context: GatherContext) -> None:
        self.context = context
        self.logs = context.clients.logs
        self.patterns: list[str | None] = [*logtext.FILTER_PATTERNS, None]
        self._lock = threading.Lock()

    def _page(self, group: str, span: Window, reports: bool) -> tuple[list[dict[str, Any]], datetime | None]:
        """The first page of a span (with ``reports``, Lambda's REPORT lines too), and where it stopped if
        the span holds more."""
        while True:
            form = self.patterns[0]
            pattern = with_reports(form) if reports else form
            request: dict[str, Any] = {
                "logGroupName": group,
                "startTime": _millis(span.start),
                "endTime": _millis(span.end),
            }
            if pattern:
                request["filterPattern"] = pattern
            try:
                page = self.logs.filter_log_events(**request)
            except ClientError as exc:
                if error_code(exc) != "InvalidParameterException" or pattern is None:
                    raise
                with self._lock:
                    if self.patterns[0] == form:
                        self.patterns.pop(0)
                        self.context.note("filter_pattern_rejected", message=error_message(exc))
                continue
            events = list(page.get("events", []))
            if not page.get("nextToken") or not events:
                return events, None
            return events, _moment(max(int(e["timestamp"]) for e in events))

    def read(
        self,
        group: str,
        window: Window,
        slices: Callable[[datetime, datetime], list[Window]],
        reports: bool = False,
    ) -> WindowRead:
        found = WindowRead(window)
        events, until = self._page(group, window, reports)
        found.add(events, window, until)
        if until is None or self.context.out_of_time("log_slices", subject=group):
            return found
        rest = slices(until, window.end)
        for span, (page, stopped) in zip(
            rest,
            self.context.parallel(*(lambda s=s: self._page(group, s, reports) for s in rest)),
            strict=True,
        ):
            found.add(page, span, stopped)
        # The first page covered the window's start up to where it stopped; the slices the rest.
        found.read = min(found.read, window.duration)
        return found


def _scan(
    context: GatherContext, reader: Reader, group: str
) -> tuple[LogGroupScan, WindowRead, WindowRead] | None:
    windows = context.scope.windows
    try:
        now = reader.read(group, windows.incident, breach_slices, reports=group.startswith(LAMBDA_LOG_GROUP))
        # The history only says whether a line of the incident is usual: none (or only Lambda's own
        # REPORT records), nothing to compare.
        lines = any(not logtext.is_platform_record(str(event.get("message", ""))) for event, _ in now.events)
        before = (
            reader.read(group, windows.history, even_slices)
            if lines
            else WindowRead(windows.history, read=windows.history.duration)
        )
    except ClientError as exc:
        if error_code(exc) != "ResourceNotFoundException":
            raise
        context.note("log_group_missing", group=group)
        return None
    for read, which in ((now, "incident"), (before, "history")):
        if not read.complete:
            context.note(
                "logs_sampled",
                group=group,
                window=which,
                read=round(read.read.total_seconds() / 60, 1),
                minutes=read.window.minutes,
            )
    scan = LogGroupScan(
        name=group,
        matches=round(sum(w for _, w in now.events)),
        baseline_matches=round(sum(w for _, w in before.events)),
        truncated=not (now.complete and before.complete),
        read_share=round(now.read / now.window.duration, 3),
    )
    return scan, now, before


def gather_logs(context: GatherContext) -> LogsData:
    scope = context.scope
    groups = scope.log_groups
    if any(group.endswith("*") for group in groups):
        groups = capped(context, expand(context, groups))  # the scope could not be resolved: expand here
    if not groups:
        context.note("no_log_groups")
    reader = Reader(context)
    scanned = context.parallel(*(lambda g=g: _scan(context, reader, g) for g in groups))
    counter = SignatureCounter(deadline=context.deadline)
    scans, invocations = [], []
    for found in scanned:
        if found is None:
            continue
        scan, now, before = found
        scans.append(scan)
        for event, weight in now.events:
            counter.add(scan.name, event, in_incident=True, weight=weight)
        for event, weight in before.events:
            counter.add(scan.name, event, in_incident=False, weight=weight)
        report = invocations_of(scan.name, [str(event.get("message", "")) for event, _ in now.events])
        if report is not None:
            invocations.append(report)
    for code, values in counter.limits():
        context.note(code, **values)
    windows = scope.windows
    return LogsData(
        groups=scans,
        signatures=counter.signatures(),
        invocations=invocations,
        history_ratio=round(windows.incident.duration / windows.history.duration, 4),
    )
