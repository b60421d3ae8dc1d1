"""Running the analysis: one gatherer (a Lambda function's job) or all of them in-process (the CLI)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from .aws import AwsClients
from .correlate import correlate
from .events import Alarm, parse_alarm_event
from .gather import Data, Result, run
from .gather.alarm import gather_alarm
from .gather.changes import gather_changes
from .gather.logs import gather_logs
from .gather.metrics import gather_metrics
from .gather.resources import gather_resources
from .gather.traces import gather_traces
from .i18n import Lang
from .models import Source
from .report import Report
from .settings import GathererSettings

SOURCES: tuple[Source, ...] = ("alarm", "metrics", "logs", "traces", "changes", "resources")

GATHERERS: dict[Source, Callable[[Alarm, AwsClients, GathererSettings], Data]] = {
    "alarm": lambda alarm, clients, _: gather_alarm(alarm, clients),
    "metrics": gather_metrics,
    "logs": gather_logs,
    "traces": gather_traces,
    "changes": gather_changes,
    "resources": gather_resources,
}


def gather(
    source: Source,
    event: Mapping[str, Any],
    clients: AwsClients,
    settings: GathererSettings | None = None,
    budget_seconds: float | None = None,
) -> Result:
    """One source, wrapped in the envelope; raises InvalidAlarmEvent for an event no source could use."""
    alarm = parse_alarm_event(event)
    chosen = settings or GathererSettings()
    return run(source, partial(GATHERERS[source], alarm, clients, chosen), clients, budget_seconds)


def gather_all(
    event: Mapping[str, Any], clients_for: Callable[[], AwsClients], settings: GathererSettings | None = None
) -> list[Result]:
    """Every source concurrently, each with its own clients (so each counts its own API calls)."""
    parse_alarm_event(event)
    with ThreadPoolExecutor(max_workers=len(SOURCES)) as pool:
        futures = [pool.submit(gather, s, event, clients_for(), settings) for s in SOURCES]
        return [future.result() for future in futures]


def analyze(
    event: Mapping[str, Any],
    clients_for: Callable[[], AwsClients],
    lang: Lang = "en",
    settings: GathererSettings | None = None,
) -> Report:
    return correlate(event, gather_all(event, clients_for, settings), lang)
