"""Lambda's own account of each invocation: the REPORT line (text) or platform.report record (JSON).

It says how long the invocation ran against its timeout, how much memory it used against its size,
whether it was a cold start, and (newer runtimes) how it ended: the facts behind a timeout or an
out-of-memory diagnosis, which no metric gives per invocation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import InvocationReport

LAMBDA_LOG_GROUP = "/aws/lambda/"
# Text REPORT lines, JSON platform.report records, and the lines older runtimes write instead of a status.
REPORT_TERMS = (
    "REPORT RequestId",
    "platform.report",
    "Task timed out",
    "Runtime.OutOfMemory",
    "signal: killed",
)

_TEXT = re.compile(
    r"REPORT RequestId:.*?Duration: (?P<duration>[\d.]+) ms.*?Memory Size: (?P<size>\d+) MB"
    r".*?Max Memory Used: (?P<used>\d+) MB(?:.*?Init Duration: (?P<init>[\d.]+) ms)?"
    r"(?:.*?Status: (?P<status>\w+))?(?:.*?Error Type: (?P<error>[\w.]+))?"
)
_TIMED_OUT = re.compile(r"Task timed out after")
_OUT_OF_MEMORY = re.compile(r"Runtime\.OutOfMemory|Runtime exited with error: signal: killed")


@dataclass(frozen=True)
class ReportLine:
    duration_ms: float
    memory_size_mb: int
    max_memory_used_mb: int
    init_ms: float | None
    status: str | None  # success, error, timeout (newer runtimes only)
    error_type: str | None


def _json_report(message: str) -> ReportLine | None:
    try:
        record = json.loads(message)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("type") != "platform.report":
        return None
    body = record.get("record") or {}
    metrics = body.get("metrics") or {}
    return ReportLine(
        duration_ms=float(metrics.get("durationMs", 0.0)),
        memory_size_mb=int(metrics.get("memorySizeMB", 0)),
        max_memory_used_mb=int(metrics.get("maxMemoryUsedMB", 0)),
        init_ms=metrics.get("initDurationMs"),
        status=body.get("status"),
        error_type=body.get("errorType"),
    )


def parse_report(message: str) -> ReportLine | None:
    """The REPORT facts of one log event, in either log format, or None for any other line."""
    stripped = message.strip()
    if stripped.startswith("{"):
        return _json_report(stripped)
    found = _TEXT.search(stripped)
    if not found:
        return None
    return ReportLine(
        duration_ms=float(found["duration"]),
        memory_size_mb=int(found["size"]),
        max_memory_used_mb=int(found["used"]),
        init_ms=float(found["init"]) if found["init"] else None,
        status=found["status"],
        error_type=found["error"],
    )


def summarize(function: str, group: str, messages: Sequence[str]) -> InvocationReport | None:
    """One function's invocations in the window, from its REPORT lines and timeout/OOM lines."""
    reports = [r for r in map(parse_report, messages) if r]
    if not reports:
        return None
    # Older runtimes say "Task timed out" in a line of its own; newer ones put it in the REPORT status.
    timeouts = max(
        sum(1 for r in reports if r.status == "timeout"), sum(1 for m in messages if _TIMED_OUT.search(m))
    )
    out_of_memory = max(
        sum(1 for r in reports if r.error_type == "Runtime.OutOfMemory"),
        sum(1 for m in messages if not m.lstrip().startswith("{") and _OUT_OF_MEMORY.search(m)),
    )
    inits = [r.init_ms for r in reports if r.init_ms is not None]
    return InvocationReport(
        function=function,
        log_group=group,
        invocations=len(reports),
        timeouts=timeouts,
        out_of_memory=out_of_memory,
        memory_size_mb=max(r.memory_size_mb for r in reports),
        max_memory_used_mb=max(r.max_memory_used_mb for r in reports),
        max_duration_ms=max(r.duration_ms for r in reports),
        max_init_ms=max(inits) if inits else None,
        cold_starts=len(inits),
    )


def with_reports(pattern: str | None) -> str | None:
    """A signature filter pattern that also lets REPORT lines through: one read of a function's log group
    gives its error lines and its invocations' reports. None (no pattern) already lets everything through."""
    if pattern is None:
        return None
    if pattern.startswith("%") and pattern.endswith("%"):
        # CloudWatch's regex form: "." stands for a space and a colon.
        return (
            pattern[:-1]
            + "|"
            + "|".join(term.replace(" ", ".").replace(":", ".") for term in REPORT_TERMS)
            + "%"
        )
    return pattern + "".join(f' ?"{term}"' for term in REPORT_TERMS)


def invocations_of(group: str, messages: Sequence[str]) -> InvocationReport | None:
    """What a Lambda function's log group says about its invocations (None for other groups)."""
    if not group.startswith(LAMBDA_LOG_GROUP):
        return None
    return summarize(group.removeprefix(LAMBDA_LOG_GROUP), group, messages)
