"""Gatherers against real-shaped responses (botocore Stubber) where the emulator fakes or lacks the API:
alarm history, rejected percentiles, regex filter patterns, X-Ray filter expressions, access denied."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY

from alarm_analyzer import logtext
from alarm_analyzer.aws import AwsClients
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.gather import run
from alarm_analyzer.gather.alarm import gather_alarm, history, investigation_event
from alarm_analyzer.gather.logs import scan_groups
from alarm_analyzer.gather.metrics import Query, alarm_queries, collect, query_ids
from alarm_analyzer.gather.traces import collect_traces, fetch_traces
from alarm_analyzer.models import Window
from alarm_analyzer.scope import windows_for
from tests.conftest import load
from tests.factories import STATE_CHANGE, alarm

pytestmark = pytest.mark.usefixtures("aws_env")


def test_alarm_history_counts_state_changes(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    response = load("aws/describe-alarm-history.json")
    for item in response["AlarmHistoryItems"]:
        item["Timestamp"] = datetime.fromisoformat(item["Timestamp"].replace("Z", "+00:00"))
    stub.add_response(
        "describe_alarm_history",
        response,
        {
            "AlarmName": "web-latency",
            "AlarmTypes": ["MetricAlarm", "CompositeAlarm"],
            "HistoryItemType": "StateUpdate",
            "StartDate": ANY,
            "EndDate": ANY,
            "ScanBy": "TimestampDescending",
            "MaxRecords": 100,
        },
    )
    found = history(cloudwatch, alarm())
    assert found.transitions == 2
    assert found.alarm_entries == 1
    assert [t.new for t in found.recent] == ["OK", "ALARM"]


def test_an_investigation_analyzes_the_last_change_into_alarm(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    history_data = {
        "version": "1.0",
        "oldState": {
            "stateValue": "OK",
            "stateReason": "Threshold Crossed: 2 datapoints were not greater than 2.0",
        },
        "newState": {
            "stateValue": "ALARM",
            "stateReason": "Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (2.0)",
            "stateReasonData": {
                "version": "1.0",
                "threshold": 2.0,
                "recentDatapoints": [2.7, 3.4],
                "period": 60,
            },
        },
    }
    recovered = {**history_data, "oldState": history_data["newState"], "newState": history_data["oldState"]}
    items = [
        {"AlarmName": "web-latency", "AlarmType": "MetricAlarm", "HistoryItemType": "StateUpdate",
         "Timestamp": STATE_CHANGE + timedelta(minutes=20), "HistorySummary": "Alarm updated from ALARM to OK",
         "HistoryData": json.dumps(recovered)},
        {"AlarmName": "web-latency", "AlarmType": "MetricAlarm", "HistoryItemType": "StateUpdate",
         "Timestamp": STATE_CHANGE, "HistorySummary": "Alarm updated from OK to ALARM",
         "HistoryData": json.dumps(history_data)},
    ]  # fmt: skip
    stub.add_response("describe_alarm_history", {"AlarmHistoryItems": items})
    described = {
        "AlarmName": "web-latency",
        "AlarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-latency",
        "StateValue": "OK",
        "StateReason": "recovered",
        "StateUpdatedTimestamp": STATE_CHANGE + timedelta(hours=2),
        "Namespace": "AWS/ApplicationELB",
        "MetricName": "TargetResponseTime",
        "Statistic": "Average",
        "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/0123456789abcdef"}],
        "Period": 60,
    }
    analyzed = parse_alarm_event(investigation_event(cloudwatch, described, "eu-west-1"))
    assert analyzed.state == "ALARM"
    assert analyzed.previous_state == "OK"
    assert analyzed.state_changed_at == STATE_CHANGE
    assert analyzed.threshold == 2.0


def _metric_result(query_id: str, values: list[float], start: datetime) -> dict[str, Any]:
    stamps = [start + timedelta(minutes=i) for i in range(len(values))]
    return {
        "Id": query_id,
        "Label": query_id,
        "Timestamps": stamps,
        "Values": values,
        "StatusCode": "Complete",
    }


def test_a_rejected_percentile_falls_back_and_says_so(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    the_alarm = alarm(stat="p99", threshold=1.5)
    windows = windows_for(the_alarm)
    query = Query("alarm", "AWS/ApplicationELB", "TargetResponseTime",
                  (("LoadBalancer", "app/web/0123456789abcdef"),), "p99", 60, None)  # fmt: skip
    stub.add_client_error(
        "get_metric_data",
        service_error_code="ValidationError",
        service_message="The value p99 for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.",
        http_status_code=400,
    )
    start = windows.incident.start
    stub.add_response(
        "get_metric_data", {"MetricDataResults": [_metric_result("q0", [1.2, 2.4, 3.1], start)]}
    )
    stub.add_response("get_metric_data", {"MetricDataResults": [_metric_result("q0", [0.2], start)]})
    (series,) = collect(cloudwatch, the_alarm, [query], windows, [])
    assert series.stat == "p99"
    assert series.stat_used == "Maximum"
    assert series.fallback is not None
    assert "ValidationError" in series.fallback
    assert series.incident.max == 3.1
    assert series.breach_start == start + timedelta(minutes=1)  # 2.4 and 3.1 are above 1.5


def test_throttling_is_not_mistaken_for_a_rejected_statistic(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    the_alarm = alarm(stat="p99", threshold=1.5)
    query = Query("alarm", "AWS/ApplicationELB", "TargetResponseTime", (), "p99", 60, None)
    stub.add_client_error("get_metric_data", "Throttling", "Rate exceeded", 400)
    with pytest.raises(ClientError, match="Throttling"):
        collect(cloudwatch, the_alarm, [query], windows_for(the_alarm), [])


def test_a_math_alarm_is_read_as_it_evaluates_its_expression(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    the_alarm = parse_alarm_event(load("aws/eb-metric-math.json"))
    queries = alarm_queries(the_alarm)
    assert [(q.role, q.query_id) for q in queries] == [("alarm", "e1"), ("input", "m1"), ("input", "m2")]
    start = windows_for(the_alarm).incident.start
    expected = {
        "MetricDataQueries": [
            {"Id": "e1", "Expression": "SUM(METRICS())", "Label": "Total Network Traffic", "ReturnData": True},
            {"Id": "m1", "Label": ANY, "MetricStat": ANY, "ReturnData": True},
            {"Id": "m2", "Label": ANY, "MetricStat": ANY, "ReturnData": True},
        ],
        "StartTime": ANY, "EndTime": ANY, "ScanBy": "TimestampAscending",
    }  # fmt: skip
    stub.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                _metric_result("e1", [9000, 45628], start),
                _metric_result("m1", [30000], start),
            ]
        },
        expected,
    )
    stub.add_response(
        "get_metric_data", {"MetricDataResults": []}, expected
    )  # a day earlier, inputs included
    limitations: list[str] = []
    total, network_in, _ = collect(cloudwatch, the_alarm, queries, windows_for(the_alarm), limitations)
    assert limitations == []
    assert total.metric_name == "Total Network Traffic"
    assert total.breach_start == start + timedelta(minutes=1)  # the threshold (10000) applies to the sum
    assert network_in.breach_start is None  # not to an input


def test_generated_query_ids_never_collide_with_the_alarms_own() -> None:
    own = Query("alarm", "AWS/EC2", "CPUUtilization", (), "Average", 60, None, query_id="q1")
    related = [Query("related", "AWS/EC2", f"M{i}", (), "Sum", 60, None) for i in range(3)]
    ids = query_ids([related[0], own, *related[1:]])
    assert ids[1] == "q1"
    assert len(set(ids)) == 4


def test_anomaly_and_composite_alarms_fetch_what_breached() -> None:
    anomaly = alarm_queries(parse_alarm_event(load("aws/eb-anomaly-detection.json")))
    assert [(q.role, q.metric_name) for q in anomaly] == [("alarm", "CPUUtilization")]
    assert alarm_queries(parse_alarm_event(load("aws/eb-composite.json"))) == []


def _event(minutes_before: int, message: str) -> dict[str, Any]:
    at = STATE_CHANGE - timedelta(minutes=minutes_before)
    return {"logStreamName": "s", "timestamp": int(at.timestamp() * 1000), "message": message, "eventId": "1"}


def test_log_scan_uses_the_regex_prefilter_and_counts_incident_against_baseline(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    incident = Window(start=STATE_CHANGE - timedelta(minutes=15), end=STATE_CHANGE)
    baseline = Window(start=STATE_CHANGE - timedelta(minutes=30), end=STATE_CHANGE - timedelta(minutes=15))
    pool = "ERROR PoolTimeout: couldn't get a connection after 30.0 sec (request {})"
    stub.add_response(
        "filter_log_events",
        {"events": [_event(5, pool.format(i)) for i in range(3)], "nextToken": "page-2"},
        {
            "logGroupName": "/ecs/ledger",
            "startTime": ANY,
            "endTime": ANY,
            "filterPattern": logtext.FILTER_PATTERNS[0],
        },
    )
    stub.add_response(
        "filter_log_events",
        {"events": [_event(2, pool.format(9)), _event(2, "INFO GET /health 200")]},
        {
            "logGroupName": "/ecs/ledger",
            "startTime": ANY,
            "endTime": ANY,
            "filterPattern": ANY,
            "nextToken": "page-2",
        },
    )
    stub.add_response(
        "filter_log_events",
        {"events": [_event(20, "WARN cache miss for key 12")]},
        {"logGroupName": "/ecs/ledger", "startTime": ANY, "endTime": ANY, "filterPattern": ANY},
    )
    data = scan_groups(logs, ["/ecs/ledger"], incident, baseline)
    (top,) = [s for s in data.signatures if "PoolTimeout" in s.signature]
    assert top.count == 4
    assert top.new
    assert data.groups[0].matches == 5
    assert all(
        "cache miss" not in s.signature for s in data.signatures
    )  # baseline-only signatures are dropped


def test_a_rejected_regex_filter_falls_back_to_terms(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    window = Window(start=STATE_CHANGE - timedelta(minutes=15), end=STATE_CHANGE)
    stub.add_client_error("filter_log_events", "InvalidParameterException", "Invalid character(s) in term")
    terms = {
        "logGroupName": "/ecs/ledger",
        "startTime": ANY,
        "endTime": ANY,
        "filterPattern": logtext.FILTER_PATTERNS[1],
    }
    stub.add_response("filter_log_events", {"events": [_event(3, "FATAL: too many clients")]}, terms)
    stub.add_response("filter_log_events", {"events": []}, terms)
    stub.add_client_error(
        "filter_log_events", "ResourceNotFoundException", "The specified log group does not exist."
    )
    data = scan_groups(logs, ["/ecs/ledger", "/ecs/gone"], window, window)
    assert data.signatures[0].count == 1
    assert any("rejected" in note for note in data.limitations)
    assert any("/ecs/gone does not exist" in note for note in data.limitations)


def test_the_regex_filter_uses_only_characters_cloudwatch_documents() -> None:
    regex = logtext.FILTER_PATTERNS[0]
    assert regex.startswith("%")
    assert regex.endswith("%")
    assert set(regex) <= set(string.ascii_letters + string.digits + "%|[].")


def test_paging_stops_when_the_time_budget_is_spent(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    window = Window(start=STATE_CHANGE - timedelta(minutes=15), end=STATE_CHANGE)
    stub.add_response("filter_log_events", {"events": [_event(3, "ERROR boom")], "nextToken": "more"})
    stub.add_response("filter_log_events", {"events": [], "nextToken": "more"})  # the history window
    clients = AwsClients(region="eu-west-1", logs=logs)
    result = run("logs", lambda: scan_groups(clients.logs, ["/ecs/a", "/ecs/b"], window, window), clients,
                 budget_seconds=0)  # fmt: skip
    assert result.status == "ok"
    assert result.data is not None
    assert [g.name for g in result.data.groups] == ["/ecs/a"]  # the second group is left out
    assert result.data.groups[0].truncated
    assert any("time budget" in note for note in result.data.limitations)


def _segment(trace: int, seconds: float) -> dict[str, Any]:
    start = STATE_CHANGE.timestamp() - 120
    document = {"id": f"{trace:016x}", "name": "ledger-api", "start_time": start, "end_time": start + seconds}
    return {
        "Id": f"1-00000000-{trace:024x}",
        "Segments": [{"Id": document["id"], "Document": json.dumps(document)}],
    }


def test_rejected_filter_expression_reads_all_traces_in_batches_of_five(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    windows = windows_for(alarm())
    stub.add_client_error("get_trace_summaries", "InvalidRequestException", "Invalid filter expression", 400)
    summaries = [{"Id": f"1-00000000-{i:024x}", "Duration": 1.0, "HasFault": False} for i in range(7)]
    stub.add_response(
        "get_trace_summaries",
        {"TraceSummaries": summaries, "TracesProcessedCount": 7},
        {"StartTime": windows.incident.start, "EndTime": windows.incident.end, "Sampling": False},
    )
    stub.add_response("batch_get_traces", {"Traces": [_segment(i, 2.5) for i in range(5)]}, {"TraceIds": ANY})
    stub.add_response("batch_get_traces", {"Traces": [_segment(i, 0.1) for i in (5, 6)]}, {"TraceIds": ANY})
    baseline = {"StartTime": windows.baseline.start, "EndTime": windows.baseline.end, "Sampling": False}
    stub.add_client_error("get_trace_summaries", "InvalidRequestException", "Invalid filter expression", 400)
    stub.add_response("get_trace_summaries", {"TraceSummaries": []}, baseline)
    data = collect_traces(xray, windows, ["ledger-api"], alarm_threshold_ms=2000)
    assert data.analyzed == 7
    assert data.slow_share == round(5 / 7, 3)
    assert any("rejected" in note for note in data.limitations)


def test_a_throttled_trace_query_is_not_mistaken_for_a_bad_filter(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    stub.add_client_error("get_trace_summaries", "ThrottledException", "Rate exceeded", 429)
    with pytest.raises(ClientError, match="Throttled"):
        collect_traces(xray, windows_for(alarm()), ["ledger-api"])


def test_baseline_traces_show_what_grew(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    windows = windows_for(alarm())

    def trace(i: int, remote: float, own: float) -> dict[str, Any]:
        start = STATE_CHANGE.timestamp() - 100
        doc = {
            "id": f"{i:016x}",
            "name": "web",
            "start_time": start,
            "end_time": start + remote + own,
            "subsegments": [
                {
                    "id": f"{i + 500:016x}",
                    "name": "db.example",
                    "namespace": "remote",
                    "start_time": start,
                    "end_time": start + remote,
                    "sql": {"url": "postgresql://db.example/x"},
                }
            ],
        }
        return {"Id": f"1-00000000-{i:024x}", "Segments": [{"Id": doc["id"], "Document": json.dumps(doc)}]}

    stub.add_response(
        "get_trace_summaries", {"TraceSummaries": [{"Id": f"1-00000000-{i:024x}"} for i in range(5)]}
    )
    stub.add_response("batch_get_traces", {"Traces": [trace(i, remote=0.6, own=2.4) for i in range(5)]})
    stub.add_response(
        "get_trace_summaries", {"TraceSummaries": [{"Id": f"1-00000000-{i:024x}"} for i in range(9, 14)]}
    )
    stub.add_response("batch_get_traces", {"Traces": [trace(i, remote=0.5, own=0.2) for i in range(9, 14)]})
    data = collect_traces(xray, windows, [])
    top = data.contributors[0]
    # The service always spends time in SQL; what grew is its own code.
    assert (top.kind, top.name) == ("own_code", "web")
    assert top.growth_share is not None
    assert top.growth_share > 0.9
    assert data.baseline_p95_ms == 700
    assert data.slow_threshold_ms == 1400  # twice the usual p95


def test_batch_get_traces_never_asks_for_more_than_five(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    ids = [f"1-00000000-{i:024x}" for i in range(12)]
    for chunk in (ids[:5], ids[5:10], ids[10:]):
        stub.add_response("batch_get_traces", {"Traces": []}, {"TraceIds": chunk})
    assert fetch_traces(xray, ids) == []


def test_access_denied_becomes_an_error_envelope(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    stub.add_client_error(
        "describe_alarms", "AccessDenied", "User is not authorized to perform: cloudwatch:DescribeAlarms"
    )
    clients = AwsClients(region="eu-west-1", cloudwatch=cloudwatch)
    result = run("alarm", lambda: gather_alarm(alarm(), clients), clients)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.code == "AccessDenied"
    assert result.api_calls == 1
    assert result.data is None


def test_window_timestamps_are_utc() -> None:
    assert windows_for(alarm()).incident.end.tzinfo == UTC
