"""CloudWatch Logs: error signatures in the discovered log groups, incident window vs baseline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from .. import logtext
from ..aws import AwsClients, error_code, error_message
from ..events import Alarm
from ..models import LogGroupScan, LogsData, Window
from ..scope import discover, windows_for
from ..settings import GathererSettings
from ..signatures import SignatureCounter
from . import attempt, lookup_tags, out_of_time
from .discovery import awslogs_groups, ecs_services_behind
from .invocations import read_invocations
from .traces import lookup_downstreams

MAX_GROUPS = 10
MAX_GROUPS_PER_PREFIX = 5
MAX_PAGES = 5  # per group and window: at most 50,000 events


def _prefixed(logs: Any, prefix: str) -> list[str]:
    groups = logs.describe_log_groups(logGroupNamePrefix=prefix, limit=MAX_GROUPS_PER_PREFIX).get(
        "logGroups", []
    )
    return [str(group["logGroupName"]) for group in groups]


def resolve_log_groups(logs: Any, patterns: Sequence[str], limitations: list[str]) -> list[str]:
    """Names for the discovered entries; entries ending in ``*`` are prefixes."""
    names: list[str] = []
    for pattern in patterns:
        if not pattern.endswith("*"):
            names.append(pattern)
            continue
        names += attempt(f"log groups {pattern}", partial(_prefixed, logs, pattern[:-1]), [], limitations)
    unique = list(dict.fromkeys(names))
    if len(unique) > MAX_GROUPS:
        limitations.append(f"searched the first {MAX_GROUPS} of {len(unique)} log groups")
    return unique[:MAX_GROUPS]


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _filtered_events(
    logs: Any, group: str, window: Window, pattern: str | None, limitations: list[str]
) -> tuple[list[dict[str, Any]], bool]:
    """Events matching the pre-filter; True when the page cap or the time budget cut the window short."""
    request: dict[str, Any] = {
        "logGroupName": group,
        "startTime": _millis(window.start),
        "endTime": _millis(window.end),
    }
    if pattern:
        request["filterPattern"] = pattern
    events: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        page = logs.filter_log_events(**request)
        events.extend(page.get("events", []))
        if not page.get("nextToken"):
            return events, False
        if out_of_time(limitations, f"later pages of {group}"):
            break
        request["nextToken"] = page["nextToken"]
    return events, True


class _Scanner:
    """Reads groups with the most selective pre-filter CloudWatch accepts, falling back once per form."""

    def __init__(self, logs: Any, limitations: list[str]) -> None:
        self.logs = logs
        self.limitations = limitations
        self.patterns: list[str | None] = [*logtext.FILTER_PATTERNS, None]

    def read(self, group: str, window: Window) -> tuple[list[dict[str, Any]], bool]:
        while True:
            try:
                return _filtered_events(self.logs, group, window, self.patterns[0], self.limitations)
            except ClientError as exc:
                if error_code(exc) != "InvalidParameterException" or self.patterns[0] is None:
                    raise
                self.patterns.pop(0)
                self.limitations.append(f"a server-side filter pattern was rejected ({error_message(exc)})")


def scan_groups(logs: Any, groups: Sequence[str], incident: Window, history: Window) -> LogsData:
    """Signatures in the incident window, counted against the history window just before it."""
    counter = SignatureCounter()
    scans: list[LogGroupScan] = []
    limitations: list[str] = []
    scanner = _Scanner(logs, limitations)
    for index, group in enumerate(groups):
        if index and out_of_time(limitations, "further log groups"):
            break
        try:
            matched, truncated = scanner.read(group, incident)
            before, history_truncated = scanner.read(group, history)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
            limitations.append(f"log group {group} does not exist")
            continue
        for event in matched:
            counter.add(group, event, in_incident=True)
        for event in before:
            counter.add(group, event, in_incident=False)
        scans.append(
            LogGroupScan(
                name=group,
                matches=len(matched),
                baseline_matches=len(before),
                truncated=truncated or history_truncated,
            )
        )
        if truncated or history_truncated:
            limitations.append(f"{group}: more matching lines than read; counts are lower bounds")
    return LogsData(
        groups=scans,
        signatures=counter.signatures(),
        limitations=limitations,
        history_ratio=round(incident.duration / history.duration, 4),
    )


def gather_logs(alarm: Alarm, clients: AwsClients, settings: GathererSettings) -> LogsData:
    windows = windows_for(alarm)
    limitations: list[str] = []
    tags = lookup_tags(alarm, clients, limitations)
    downstreams = lookup_downstreams(alarm, clients, tags, settings, limitations)
    scope = discover(alarm, tags, settings.extra_log_groups, downstreams)
    services = ecs_services_behind(alarm, clients, limitations)
    container_groups = [
        group
        for service in services
        if service.get("taskDefinition")
        for group in awslogs_groups(clients, service["taskDefinition"], limitations)
    ]
    patterns = list(dict.fromkeys([*scope.log_groups, *container_groups]))
    groups = resolve_log_groups(clients.logs, patterns, limitations)
    data = scan_groups(clients.logs, groups, windows.incident, windows.history)
    data.limitations[:0] = limitations
    data.invocations = attempt(
        "Lambda REPORT lines",
        partial(read_invocations, clients.logs, groups, windows.incident, data.limitations),
        [],
        data.limitations,
    )
    if not patterns:
        data.limitations.append("no log group in scope: tag the alarm with analyzer:log-groups")
    return data
