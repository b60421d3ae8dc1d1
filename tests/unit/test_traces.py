"""Trace analysis: exclusive time per contributor, downstreams, sampling, statistics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alarm_analyzer.gather.traces import percentile, pick_sample, summarize, view_trace
from alarm_analyzer.models import Contribution, TraceRecord, TraceSummaryRef
from tests.conftest import FIXTURES


def _trace(
    *documents: dict[str, Any], trace_id: str = "1-67000000-000000000000000000000001"
) -> dict[str, Any]:
    return {"Id": trace_id, "Segments": [{"Id": d["id"], "Document": json.dumps(d)} for d in documents]}


def _shares(view: Any) -> dict[tuple[str, str], float]:
    return {(c.kind, c.name): round(c.ms) for c in view.contributions}


def test_time_is_attributed_exclusively_to_the_innermost_node() -> None:
    segment = {
        "id": "a1", "name": "checkout", "start_time": 100.0, "end_time": 103.0,
        "subsegments": [
            {"id": "b1", "name": "load_cart", "start_time": 100.0, "end_time": 102.5, "subsegments": [
                {"id": "c1", "name": "cart@carts.cluster-ro-abc.eu-west-1.rds.amazonaws.com", "namespace": "remote",
                 "start_time": 100.5, "end_time": 102.0, "sql": {"url": "jdbc:mysql://carts.cluster-ro-abc.eu-west-1.rds.amazonaws.com:3306/cart"}},
            ]},
        ],
    }  # fmt: skip
    view = view_trace(_trace(segment))
    assert view is not None
    assert view.response_ms == 3000
    assert _shares(view) == {
        ("own_code", "checkout"): 500,
        ("own_code", "checkout: load_cart"): 1000,
        ("sql", "carts.cluster-ro-abc.eu-west-1.rds.amazonaws.com"): 1500,
    }
    assert view.downstreams.databases[0].rds_cluster == "carts"


def test_parallel_children_are_not_counted_twice_against_their_parent() -> None:
    segment = {
        "id": "a1", "name": "api", "start_time": 0.0, "end_time": 1.0,
        "subsegments": [
            {"id": "b1", "name": "search.example.com", "namespace": "remote", "start_time": 0.0, "end_time": 0.8,
             "http": {"request": {"url": "https://search.example.com/q"}}},
            {"id": "b2", "name": "dynamodb", "namespace": "aws", "start_time": 0.1, "end_time": 0.9,
             "aws": {"operation": "Query", "table_name": "sessions"}},
        ],
    }  # fmt: skip
    view = view_trace(_trace(segment))
    assert view is not None
    shares = _shares(view)
    assert shares[("own_code", "api")] == 100  # only 0.9-1.0 is uncovered
    assert shares[("remote_http", "search.example.com")] == 800
    assert shares[("aws_sdk", "dynamodb Query")] == 800
    assert view.downstreams.aws_resources == ["sessions"]


def test_downstream_segments_hang_under_the_calling_subsegment_and_inferred_ones_are_skipped() -> None:
    caller = {
        "id": "a1",
        "name": "orders",
        "start_time": 0.0,
        "end_time": 2.0,
        "subsegments": [
            {
                "id": "s1",
                "name": "Lambda",
                "namespace": "aws",
                "start_time": 0.2,
                "end_time": 1.9,
                "aws": {"operation": "Invoke", "function_name": "pdf-render"},
            }
        ],
    }
    callee = {
        "id": "f1",
        "name": "pdf-render",
        "parent_id": "s1",
        "origin": "AWS::Lambda::Function",
        "start_time": 0.25,
        "end_time": 1.85,
        "aws": {"function_arn": "arn:aws:lambda:eu-west-1:111122223333:function:pdf-render"},
    }
    inferred = {
        "id": "i1",
        "name": "pdf-render",
        "parent_id": "s1",
        "inferred": True,
        "start_time": 0.2,
        "end_time": 1.9,
    }
    view = view_trace(_trace(caller, callee, inferred))  # fmt: skip
    assert view is not None
    shares = _shares(view)
    assert shares[("own_code", "pdf-render")] == 1600
    assert shares[("aws_sdk", "Lambda Invoke")] == 100
    assert view.downstreams.lambda_functions == ["pdf-render"]
    assert "/aws/lambda/pdf-render" in view.downstreams.log_groups


def test_a_function_the_caller_invoked_is_found_even_when_it_never_ran() -> None:
    """A throttled invocation leaves no segment of its own: the caller's Invoke subsegment names it."""

    def invoking(function: str, status: int) -> dict[str, Any]:
        return {"id": "s1", "name": "Lambda", "namespace": "aws", "start_time": 0.1, "end_time": 0.2,
                "aws": {"operation": "Invoke", "function_name": function}, "http": {"response": {"status": status}},
                "throttle": status == 429}  # fmt: skip

    def caller(*subsegments: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": "a1",
            "name": "tickets",
            "start_time": 0.0,
            "end_time": 0.5,
            "subsegments": list(subsegments),
        }

    arn = "arn:aws:lambda:eu-west-1:111122223333:function:ticket-pdf:live"
    throttled = view_trace(_trace(caller(invoking(arn, 429))))
    assert throttled is not None
    assert throttled.downstreams.lambda_functions == ["ticket-pdf"]
    assert "/aws/lambda/ticket-pdf" in throttled.downstreams.log_groups
    handed_off = view_trace(_trace(caller(invoking("mailer", 202))))
    assert handed_off is not None
    assert handed_off.downstreams.lambda_functions == []


def test_real_python_sdk_segments_are_read() -> None:
    lines = (Path(FIXTURES) / "xray/python-sdk-2.15.0.jsonl").read_text().splitlines()
    documents = [json.loads(line) for line in lines if line.strip()]
    views = [view_trace(_trace(doc, trace_id=doc.get("trace_id", "t"))) for doc in documents]
    assert all(v is not None for v in views)
    kinds = {c.kind for v in views if v for c in v.contributions}
    assert {"sql", "own_code"} <= kinds
    hosts = {db.host for v in views if v for db in v.downstreams.databases}
    assert "127.0.0.1" in hosts


def test_in_progress_documents_are_ignored() -> None:
    assert view_trace(_trace({"id": "a", "name": "x", "start_time": 1.0, "in_progress": True})) is None


def test_percentiles_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([], 95) is None


def test_sample_keeps_faults_and_spreads_over_the_rest() -> None:
    summaries = [TraceSummaryRef(id=f"t{i}", fault=i % 10 == 0) for i in range(100)]
    sample = pick_sample(summaries, 30)
    assert len(sample) == 30
    assert sum(1 for s in sample if int(s[1:]) % 10 == 0) >= 10
    assert int(sample[-1][1:]) > 80  # the spread reaches the end of the window


def test_under_a_latency_alarm_the_sample_takes_the_few_slow_traces_and_still_spreads() -> None:
    """Five slow requests among a hundred: a plain spread of 30 would meet one or two of them."""
    summaries = [TraceSummaryRef(id=f"t{i}", response_time=3.2 if i % 20 == 7 else 0.1) for i in range(100)]
    sample = pick_sample(summaries, 30, slow_ms=2000)
    assert {f"t{i}" for i in range(7, 100, 20)} <= set(sample)
    assert len(sample) == 30
    assert int(sample[-1][1:]) > 80
    assert pick_sample(summaries, 30) == pick_sample(summaries, 30, slow_ms=None)


def test_latency_and_the_slow_share_come_from_every_summary_when_the_sample_favours_slow_traces() -> None:
    slow_views = [_record(i, 3000.0, 100.0) for i in range(5)]
    summaries = [TraceSummaryRef(id=f"t{i}", response_time=3.1 if i < 5 else 0.12) for i in range(100)]
    data = summarize(slow_views, summaries, alarm_threshold_ms=2000)
    assert data.slow_share == 0.05
    assert data.p50_ms == 120
    assert data.contributors[0].kind == "sql"


def test_summaries_that_misstate_the_traces_read_are_no_measure_of_latency() -> None:
    """Every summary says one second (as an emulator might); the traces read say otherwise."""
    views = [_record(i, 3000.0, 100.0) for i in range(5)] + [_record(i, 20.0, 100.0) for i in range(5, 10)]
    summaries = [TraceSummaryRef(id=f"t{i}", response_time=1.0) for i in range(100)]
    data = summarize(views, summaries, alarm_threshold_ms=2000)
    assert data.slow_share == 0.5
    assert data.p95_ms == 3100


def test_summary_rates_come_from_summaries_and_latency_from_analyzed_traces() -> None:
    def simple(i: int, seconds: float) -> dict[str, Any]:
        return _trace(
            {"id": f"s{i}", "name": "web", "start_time": 0.0, "end_time": seconds}, trace_id=f"t{i}"
        )

    views = [v for i in range(10) if (v := view_trace(simple(i, 3.0 if i < 8 else 0.1)))]
    summaries = [TraceSummaryRef(id=f"t{i}", fault=i < 2) for i in range(40)]
    data = summarize(views, summaries, alarm_threshold_ms=2000)
    assert data.traces_in_window == 40
    assert data.fault_rate == 0.05
    assert data.slow_share == 0.8
    assert data.p95_ms == 3000
    assert data.contributors[0].name == "web"


def test_a_table_that_refused_the_request_s_calls_is_found_and_one_that_answered_is_not() -> None:
    """DynamoDB answers a throttled call with a 400: the SDK's error names the mechanism, whether or
    not the X-Ray SDK flagged the subsegment a throttle."""

    def put_item(table: str, **outcome: Any) -> dict[str, Any]:
        return {"id": f"d-{table}", "name": "DynamoDB", "namespace": "aws", "start_time": 0.1, "end_time": 0.3,
                "aws": {"operation": "PutItem", "table_name": table}, **outcome}  # fmt: skip

    refused = {
        "error": True,
        "http": {"response": {"status": 400}},
        "cause": {"exceptions": [{"id": "e1", "type": "ProvisionedThroughputExceededException",
                                  "message": "The level of configured provisioned throughput for the table was exceeded."}]},
    }  # fmt: skip
    segment = {
        "id": "a1",
        "name": "checkout",
        "start_time": 0.0,
        "end_time": 0.5,
        "subsegments": [
            put_item("carts", **refused),
            put_item("orders", http={"response": {"status": 200}}),
            put_item("holds", throttle=True, http={"response": {"status": 400}}),
        ],
    }
    view = view_trace(_trace(segment))
    assert view is not None
    assert view.downstreams.throttled_tables == ["carts", "holds"]
    assert set(view.downstreams.aws_resources) == {"carts", "orders", "holds"}


def _record(i: int, sql_ms: float, code_ms: float) -> TraceRecord:
    parts = [
        Contribution(kind="sql", name="db", resource="db", ms=sql_ms),
        Contribution(kind="own_code", name="web", ms=code_ms),
    ]
    return TraceRecord(id=f"t{i}", response_ms=sql_ms + code_ms, fault=False, contributions=parts)


def test_no_part_of_a_slowdown_that_did_not_happen_is_blamed() -> None:
    usual = [_record(i, 22.0, 100.0) for i in range(20)]
    as_usual = [_record(i, 22.0 + i % 3, 100.0) for i in range(20)]
    weights = {c.name: c.weight for c in summarize(as_usual, [], None, baseline=usual).contributors}
    assert weights == {"db": 0.0, "web": 0.0}


def test_the_part_that_grew_carries_the_slowdown() -> None:
    usual = [_record(i, 22.0, 100.0) for i in range(20)]
    slower = [_record(i, 80.0, 101.0) for i in range(20)]
    weights = {c.name: c.weight for c in summarize(slower, [], None, baseline=usual).contributors}
    assert weights["db"] > 0.95
