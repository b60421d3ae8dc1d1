"""The world's log lines: the service's (per task stream), the database's, and the worker's REPORT lines.

Background noise and the fault's lines are written at the rates the model gives, minute by minute;
a zoned fault's lines come from the tasks of its zones. The worker writes START/END/REPORT for a
sample of its invocations in the text or JSON log format, with the timeout and out-of-memory
endings Lambda itself writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from alarm_analyzer.aws import AwsClients

from .world import LOGGED_INVOCATIONS_PER_MINUTE, NOISE, Built, Load, LogLine, Minute, Rng, Task, Worker

Events = dict[tuple[str, str], list[dict[str, Any]]]  # (log group, stream) -> events


def _stream_of(task: Task) -> str:
    return f"app/web/{task.id}"  # awslogs: <prefix>/<container>/<task id>


def log_events(built: Built, minutes: Sequence[Minute], rng: Rng, noise: Sequence[LogLine] = ()) -> Events:
    """The app's lines land in the stream of the task that wrote them (a zoned fault's in its zones'),
    the database's in its log, the worker's around its invocations (``invocation_events``)."""
    names = built.names
    groups = {
        "db": (names.db_log_group, "seed"),
        "worker": (names.worker_log_group, built.worker_stream),
        **{key: (group, "seed") for key, group in built.service_logs.items()},
    }
    events: Events = {}
    for m in minutes:
        lines = [(line, False) for line in (*NOISE, *noise)]
        if m.faulty and m.fault:
            lines += [
                (replace(line, per_minute=line.per_minute * m.strength), True) for line in m.fault.log_lines
            ]
        for line, faulty in lines:
            count = (
                (1 if int(m.at.timestamp() // 60) % line.every_minutes == 0 else 0)
                if line.every_minutes
                else 0
            )
            for _ in range(count + rng.happens(line.per_minute)):
                at = m.at + timedelta(seconds=rng.random.uniform(0, 59.9))
                if line.group == "app":
                    tasks = [t for t in built.tasks if not (faulty and m.fault) or m.fault.hits(t.zone)]
                    where = (names.app_log_group, _stream_of(rng.random.choice(tasks or built.tasks)))
                else:
                    where = groups[line.group]
                events.setdefault(where, []).append(
                    {"timestamp": int(at.timestamp() * 1000), "message": rng.fill(line.text, names.path)}
                )
    return events


@dataclass(frozen=True)
class _Ended:
    """How one invocation went, as its REPORT tells it."""

    request: str
    ms: float
    used_mb: int
    init_ms: float | None
    ending: str  # ok, error, timeout, oom


def _report_text(run: _Ended, worker: Worker) -> str:
    parts = [
        f"REPORT RequestId: {run.request}",
        f"Duration: {run.ms:.2f} ms",
        f"Billed Duration: {int(run.ms) + 1} ms",
        f"Memory Size: {worker.memory_mb} MB",
        f"Max Memory Used: {run.used_mb} MB",
    ]
    if run.init_ms is not None:
        parts.append(f"Init Duration: {run.init_ms:.2f} ms")
    if run.ending == "timeout":
        parts.append("Status: timeout")
    elif run.ending == "oom":
        parts += ["Status: error", "Error Type: Runtime.OutOfMemory"]
    return "\t".join(parts) + "\t"


def _report_json(run: _Ended, worker: Worker, at: datetime) -> str:
    metrics: dict[str, Any] = {
        "durationMs": round(run.ms, 3),
        "billedDurationMs": int(run.ms) + 1,
        "memorySizeMB": worker.memory_mb,
        "maxMemoryUsedMB": run.used_mb,
    }
    if run.init_ms is not None:
        metrics["initDurationMs"] = round(run.init_ms, 3)
    record: dict[str, Any] = {"requestId": run.request, "metrics": metrics, "status": "success"}
    if run.ending == "timeout":
        record["status"] = "timeout"
    elif run.ending == "oom":
        record.update(status="error", errorType="Runtime.OutOfMemory")
    elif run.ending == "error":
        record.update(status="error", errorType="Runtime.HandlerError")
    return json.dumps({"time": _stamp(at), "type": "platform.report", "record": record})


def _stamp(at: datetime) -> str:
    return f"{at:%Y-%m-%dT%H:%M:%S}.{at.microsecond // 1000:03d}Z"


def _ending(load: Load, rng: Rng) -> str:
    roll = rng.random.random()
    if roll < load.worker_timeout_share:
        return "timeout"
    if roll < load.worker_timeout_share + load.worker_oom_share:
        return "oom"
    return (
        "error"
        if roll < load.worker_timeout_share + load.worker_oom_share + load.worker_error_share
        else "ok"
    )


def _invocation(built: Built, m: Minute, rng: Rng, at: datetime) -> list[str]:
    """START, END and REPORT of one invocation (text or JSON format), with the timeout or OOM lines."""
    worker, load = built.worker, m.load
    ending = _ending(load, rng)
    init_ms = rng.noisy(420, 0.3) if rng.random.random() < 0.06 else None
    limit_ms = worker.timeout_s * 1000
    # An invocation that has not timed out ended before the timeout, however slow it was.
    ms = min(rng.noisy(load.worker_ms + load.worker_remote_ms, 0.3), limit_ms * rng.random.uniform(0.9, 0.99))
    used = min(worker.memory_mb, round(rng.noisy(load.worker_memory_mb, 0.1)))
    run = _Ended(rng.uuid(), ms, used, init_ms, ending)
    if ending == "timeout":
        run = replace(run, ms=limit_ms + rng.random.uniform(1, 40))
    elif ending == "oom":
        run = replace(run, used_mb=worker.memory_mb)
    if worker.json_logs:
        start = {
            "time": _stamp(at),
            "type": "platform.start",
            "record": {"requestId": run.request, "version": "$LATEST"},
        }
        return [json.dumps(start), _report_json(run, worker, at)]
    lines = [f"START RequestId: {run.request} Version: $LATEST"]
    if ending == "timeout":
        lines.append(f"{_stamp(at)} {run.request} Task timed out after {run.ms / 1000:.2f} seconds")
    elif ending == "oom":
        lines.append(
            f"RequestId: {run.request} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"
        )
    return [*lines, f"END RequestId: {run.request}", _report_text(run, worker)]


def invocation_events(built: Built, minutes: Sequence[Minute], rng: Rng) -> Events:
    """The worker's own account of a sample of its invocations."""
    found: list[dict[str, Any]] = []
    for m in minutes:
        for _ in range(rng.happens(LOGGED_INVOCATIONS_PER_MINUTE)):
            at = m.at + timedelta(seconds=rng.random.uniform(0, 58))
            for offset, message in enumerate(_invocation(built, m, rng, at)):
                found.append({"timestamp": int(at.timestamp() * 1000) + offset, "message": message})
    return {(built.names.worker_log_group, built.worker_stream): found}


def put_logs(clients: AwsClients, *sources: Events) -> None:
    merged: Events = {}
    for source in sources:
        for where, found in source.items():
            merged.setdefault(where, []).extend(found)
    for (group, stream), found in merged.items():
        found.sort(key=lambda e: e["timestamp"])
        clients.logs.create_log_stream(logGroupName=group, logStreamName=stream)
        for start in range(0, len(found), 5000):
            clients.logs.put_log_events(
                logGroupName=group, logStreamName=stream, logEvents=found[start : start + 5000]
            )
