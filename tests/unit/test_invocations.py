"""Lambda REPORT lines, in the text and the JSON log formats, summarized per function."""

from __future__ import annotations

import json

from alarm_analyzer.gather.invocations import parse_report, summarize

TEXT = (
    "REPORT RequestId: 3f1c7a52-2b7e-4c1f-9d8e-0a1b2c3d4e5f\tDuration: {duration} ms\tBilled Duration: 1000 ms\t"
    "Memory Size: 512 MB\tMax Memory Used: {used} MB\t{extra}"
)


def _text(duration: float = 812.4, used: int = 180, extra: str = "") -> str:
    return TEXT.format(duration=duration, used=used, extra=extra)


def _json(status: str, error: str | None = None, used: int = 250) -> str:
    record: dict[str, object] = {
        "requestId": "c0ffee00-0000-4000-8000-000000000000",
        "metrics": {
            "durationMs": 6000.5,
            "billedDurationMs": 6000,
            "memorySizeMB": 256,
            "maxMemoryUsedMB": used,
        },
        "status": status,
    }
    if error:
        record["errorType"] = error
    return json.dumps({"time": "2026-05-04T11:58:00.000Z", "type": "platform.report", "record": record})


def test_a_text_report_line_gives_duration_memory_and_init() -> None:
    report = parse_report(_text(extra="Init Duration: 402.18 ms\t"))
    assert report is not None
    assert (report.duration_ms, report.memory_size_mb, report.max_memory_used_mb) == (812.4, 512, 180)
    assert report.init_ms == 402.18
    assert report.status is None


def test_a_newer_runtime_states_how_the_invocation_ended() -> None:
    report = parse_report(_text(duration=3000.0, extra="Status: timeout"))
    assert report is not None
    assert report.status == "timeout"


def test_json_platform_report_records_are_read_and_other_json_is_not() -> None:
    report = parse_report(_json("error", "Runtime.OutOfMemory"))
    assert report is not None
    assert (report.memory_size_mb, report.max_memory_used_mb, report.error_type) == (
        256,
        250,
        "Runtime.OutOfMemory",
    )
    assert parse_report(json.dumps({"level": "ERROR", "message": "Duration: 5 ms"})) is None
    assert parse_report("START RequestId: 1 Version: $LATEST") is None


def test_timeouts_are_counted_from_the_status_or_the_older_timeout_line() -> None:
    older = [
        _text(duration=30000.0, used=90),
        "2026-05-04T11:58:00Z 1 Task timed out after 30.03 seconds",
        _text(),
    ]
    summary = summarize("billing-sync", "/aws/lambda/billing-sync", older)
    assert summary is not None
    assert (summary.invocations, summary.timeouts, summary.max_duration_ms) == (2, 1, 30000.0)
    newer = [_text(duration=3000.0, extra="Status: timeout")] * 3 + [_text(extra="Status: success")]
    summary = summarize("f", "/aws/lambda/f", newer)
    assert summary is not None
    assert summary.timeouts == 3


def test_out_of_memory_and_cold_starts_are_counted() -> None:
    lines = [
        _json("error", "Runtime.OutOfMemory", used=256),
        _json("success", used=120),
        _text(extra="Init Duration: 950.0 ms\t"),
        "RequestId: 9 Error: Runtime exited with error: signal: killed",
    ]
    summary = summarize("resizer", "/aws/lambda/resizer", lines)
    assert summary is not None
    assert summary.out_of_memory == 1
    assert (summary.max_memory_used_mb, summary.memory_size_mb) == (256, 512)
    assert (summary.cold_starts, summary.max_init_ms) == (1, 950.0)


def test_a_group_without_report_lines_has_no_summary() -> None:
    assert summarize("f", "/aws/lambda/f", ["ERROR boom"]) is None
