"""``make bench-hostile``: what a 1 MB log line and a 64 KB single token cost, per renderer and channel.

A report is built for a small incident; then the same report carries each long input where hostile text
reaches a report (the cited log signature, its samples, the alarm's reason, a dead-letter sample), as if
no gatherer had cut it. Each row is one stage: the report being read back (``Report.model_validate``,
where every text is cleaned), then each rendering and channel of it, then the logs gatherer's redacted
sample of the raw line. Each cell is the best of a few runs, in milliseconds; the long-input columns
are the time added to the small report's. Nothing is asserted: the target is under 100 ms each.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table

from alarm_analyzer import logtext
from alarm_analyzer.correlate import correlate
from alarm_analyzer.delivery import sns_message
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.github import issue_title
from alarm_analyzer.models import AlarmData, CorrelateInput, LogsData, LogSignature, Result
from alarm_analyzer.redaction import redact
from alarm_analyzer.render import to_html, to_json, to_markdown, to_text
from alarm_analyzer.report import Report
from alarm_analyzer.scope import event_scope
from alarm_analyzer.slack import report_message

from .hostile import long_line, long_tokens

RUNS = 5
STATE_CHANGE = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
POOL = "ERROR sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached"

RENDERINGS: dict[str, Callable[[Report], object]] = {
    "text (email, terminal)": to_text,
    "markdown": to_markdown,
    "json": to_json,
    "html (stored page)": to_html,
    "sns message (email text + json)": sns_message,
    "slack block kit": lambda report: json.dumps(report_message(report)),
    "github issue (title + body)": lambda report: (issue_title(report), to_markdown(report)),
}


def _event() -> dict[str, Any]:
    stamp = STATE_CHANGE.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    metric = {
        "namespace": "AWS/ApplicationELB",
        "name": "TargetResponseTime",
        "dimensions": {"LoadBalancer": "app/web/1"},
    }
    return {
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "account": "123456789012",
        "region": "eu-west-1",
        "resources": ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-latency"],
        "detail": {
            "alarmName": "web-latency",
            "configuration": {
                "metrics": [{"id": "m1", "metricStat": {"metric": metric, "period": 60, "stat": "p99"}}]
            },
            "state": {"value": "ALARM", "reason": "Threshold Crossed", "timestamp": stamp},
        },
    }


def small_report() -> Report:
    """A small incident: a connection pool exhausted, one cited log signature with its samples."""
    signature = LogSignature(
        signature=POOL,
        level="error",
        count=90,
        baseline_count=0,
        first_seen=STATE_CHANGE - timedelta(minutes=9),
        last_seen=STATE_CHANGE - timedelta(minutes=1),
        log_groups=["/ecs/web"],
        samples=[POOL, POOL],
    )
    results = [
        Result(source="alarm", status="ok", data=AlarmData()),
        Result(source="logs", status="ok", data=LogsData(signatures=[signature])),
    ]
    event = _event()
    scope = event_scope(parse_alarm_event(event)).model_copy(
        update={"runbook_url": "https://wiki.example.org/rb/web"}
    )
    return correlate(CorrelateInput(event=event, scope=scope, results=results))


def carrying(report: Report, text: str) -> dict[str, Any]:
    """``report`` as data, with ``text`` wherever hostile text reaches a report, uncut."""
    data = report.model_dump(mode="json")
    data["alarm"]["reason"] = text
    for evidence in data["evidence"]:
        if evidence["source"] == "logs":
            evidence["summary"] += " " + text
            evidence["detail"]["signature"] = text
            evidence["detail"]["samples"] = [text, text]
    for error in data["charts"]["errors"]:
        error["signature"] = text
    return data


def best_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    inputs = {"1 MB line": long_line(), **{f"64 KB {k}": v for k, v in long_tokens().items()}}
    small = small_report()
    small_data = small.model_dump(mode="json")
    loaded = {name: carrying(small, text) for name, text in inputs.items()}
    reports = {name: Report.model_validate(data) for name, data in loaded.items()}

    table = Table(title=f"Time added by long hostile input (ms, best of {RUNS}; target < 100)")
    table.add_column("stage")
    table.add_column("small report", justify="right")
    for name in inputs:
        table.add_column(f"+ {name}", justify="right")
    _row(table, "report read back (every text cleaned)", Report.model_validate, small_data, loaded.values())
    for stage, render in RENDERINGS.items():
        _row(table, stage, render, small, reports.values())
    _row(table, "logs gatherer: redacted sample", logtext.sample_of, POOL, inputs.values())
    _row(table, "redact the whole text (no cap)", redact, POOL, inputs.values())
    Console(width=200).print(table)


def _row(table: Table, stage: str, action: Callable[[Any], object], small: Any, long: Iterable[Any]) -> None:
    """One stage: its time on the small input, then the time each long input adds to it."""
    base = best_ms(partial(action, small))
    added = [best_ms(partial(action, given)) - base for given in long]
    table.add_row(stage, f"{base:.1f}", *(f"{a:.1f}" if a < 100 else f"[red]{a:.1f}[/red]" for a in added))


if __name__ == "__main__":
    main()
