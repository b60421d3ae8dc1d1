"""Gatherers against real-shaped responses (botocore Stubber) where the emulator fakes or lacks the API:
alarm history, rejected percentiles, regex filter patterns, loud log windows, X-Ray filter expressions,
access denied. Work that runs side by side runs in order here (``sequential``), as Stubber queues it."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY

from alarm_analyzer import logtext
from alarm_analyzer.aws import AwsClients, sequential
from alarm_analyzer.events import MetricStat, parse_alarm_event
from alarm_analyzer.gather import run
from alarm_analyzer.gather.alarm import history, investigation_event, similar_metrics
from alarm_analyzer.gather.logs import breach_slices, gather_logs
from alarm_analyzer.gather.metrics import Query, alarm_queries, collect, query_ids
from alarm_analyzer.gather.traces import MAX_SUMMARY_PAGES, fetch_traces, gather_traces, view_trace
from alarm_analyzer.models import LogsData, TraceProbe
from alarm_analyzer.scope import windows_for
from alarm_analyzer.sources import BY_NAME
from tests.conftest import load
from tests.factories import STATE_CHANGE, alarm, context_for

pytestmark = pytest.mark.usefixtures("aws_env")


@pytest.fixture(autouse=True)
def in_order() -> Any:
    with sequential():
        yield


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
    context = context_for(AwsClients(region="eu-west-1", cloudwatch=cloudwatch), the_alarm)
    (series,) = collect(context, [query], windows)
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
    stub.add_client_error("get_metric_data", "Throttling", "Rate exceeded", 400)  # the day earlier
    context = context_for(AwsClients(region="eu-west-1", cloudwatch=cloudwatch), the_alarm)
    with pytest.raises(ClientError, match="Throttling"):
        collect(context, [query], windows_for(the_alarm))


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
    context = context_for(AwsClients(region="eu-west-1", cloudwatch=cloudwatch), the_alarm)
    total, network_in, _ = collect(context, queries, windows_for(the_alarm))
    assert context.notes == []
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


def _logs_context(logs: Any, groups: list[str], deadline: float | None = None) -> Any:
    return context_for(AwsClients(region="eu-west-1", logs=logs), log_groups=groups, deadline=deadline)


def test_log_scan_uses_the_regex_prefilter_and_counts_incident_against_history(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    pool = "ERROR PoolTimeout: couldn't get a connection after 30.0 sec (request {})"
    stub.add_response(
        "filter_log_events",
        {"events": [_event(5, pool.format(i)) for i in range(4)] + [_event(4, "WARN cache miss for key 3")]},
        {
            "logGroupName": "/ecs/ledger",
            "startTime": ANY,
            "endTime": ANY,
            "filterPattern": logtext.FILTER_PATTERNS[0],
        },
    )
    stub.add_response(
        "filter_log_events",
        {"events": [_event(20, "WARN cache miss for key 12")]},
        {"logGroupName": "/ecs/ledger", "startTime": ANY, "endTime": ANY, "filterPattern": ANY},
    )
    context = _logs_context(logs, ["/ecs/ledger"])
    data = gather_logs(context)
    (top,) = [s for s in data.signatures if "PoolTimeout" in s.signature]
    assert (top.count, top.new) == (4, True)
    (usual,) = [s for s in data.signatures if "cache miss" in s.signature]
    assert (usual.count, usual.baseline_count) == (1, 1)
    assert data.groups[0].matches == 5
    assert not data.groups[0].truncated
    assert context.notes == []


def test_a_quiet_group_costs_one_call(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    stub.add_response("filter_log_events", {"events": []})  # nothing in the incident: no history to compare
    data = gather_logs(_logs_context(logs, ["/ecs/ledger"]))
    assert data.signatures == []
    assert data.groups[0].matches == 0


def test_a_loud_window_is_read_from_the_breach_backwards_and_says_which_minutes(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    incident = windows_for(alarm()).incident  # 15 minutes
    # Background noise fills every page: the first one covers the window's first minute only.
    stub.add_response("filter_log_events", {"events": [_event(14, "WARN cache miss")], "nextToken": "more"})
    slices = breach_slices(incident.start + timedelta(minutes=1), incident.end)
    assert [round(s.duration.total_seconds() / 60) for s in slices] == [7, 4, 2, 1]  # from the breach back
    fault = "ERROR OperationalError: remaining connection slots are reserved"
    for span in slices:
        # The fault fills the last three minutes, and the last slice is read whole; older slices are
        # loud too: each of their pages stops a minute in.
        recent = STATE_CHANGE - span.start <= timedelta(minutes=1)
        line, token = (fault, {}) if recent else ("WARN cache miss", {"nextToken": "more"})
        first = span.start + timedelta(minutes=1) if not recent else span.start + timedelta(seconds=30)
        event = _event(round((STATE_CHANGE - first).total_seconds() / 60, 2), line)
        expected = {"logGroupName": "/ecs/ledger", "startTime": int(span.start.timestamp() * 1000),
                    "endTime": int(span.end.timestamp() * 1000), "filterPattern": ANY}  # fmt: skip
        stub.add_response("filter_log_events", {"events": [event], **token}, expected)
    stub.add_response("filter_log_events", {"events": []})  # the history window
    context = _logs_context(logs, ["/ecs/ledger"])
    data = gather_logs(context)
    (found,) = [s for s in data.signatures if "remaining connection slots" in s.signature]
    assert found.count == 1  # read in full: no scaling
    (noise,) = [s for s in data.signatures if "cache miss" in s.signature]
    assert noise.count > 4  # each sampled line stands for the minutes its slice was not read
    (sampled,) = [n for n in context.notes if n.code == "logs_sampled"]
    assert (sampled.params["window"], sampled.params["minutes"]) == ("incident", 15)
    assert sampled.params["read"] == 5.0  # 1 + 1 + 1 + 1 minute, and the last minute in full
    assert data.groups[0].truncated
    assert data.groups[0].read_share == 0.333


def test_a_rejected_regex_filter_falls_back_to_terms(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
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
    context = _logs_context(logs, ["/ecs/ledger", "/ecs/gone"])
    data = gather_logs(context)
    assert data.signatures[0].count == 1
    assert [n.code for n in context.notes] == ["filter_pattern_rejected", "log_group_missing"]
    assert context.notes[1].params == {"group": "/ecs/gone"}


def test_a_function_log_group_gives_errors_and_invocation_reports_in_one_read(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    report = "REPORT RequestId: 8f5e Duration: 3000.00 ms Billed Duration: 3000 ms Memory Size: 256 MB Max Memory Used: 91 MB Status: timeout"
    expected = {"logGroupName": "/aws/lambda/resizer", "startTime": ANY, "endTime": ANY, "filterPattern": ANY}
    stub.add_response("filter_log_events", {"events": [_event(3, report), _event(2, report)]}, expected)
    data = gather_logs(_logs_context(logs, ["/aws/lambda/resizer"]))
    (invocations,) = data.invocations
    assert (invocations.function, invocations.invocations, invocations.timeouts) == ("resizer", 2, 2)
    assert data.signatures == []  # REPORT lines are invocations, not error signatures


def test_the_regex_filter_uses_only_characters_cloudwatch_documents() -> None:
    regex = logtext.FILTER_PATTERNS[0]
    assert regex.startswith("%")
    assert regex.endswith("%")
    assert set(regex) <= set(string.ascii_letters + string.digits + "%|[].")


def test_slicing_stops_when_the_time_budget_is_spent(stubbed: Any) -> None:
    logs, stub = stubbed("logs")
    stub.add_response("filter_log_events", {"events": [_event(3, "ERROR boom")], "nextToken": "more"})
    stub.add_response("filter_log_events", {"events": [], "nextToken": "more"})  # the history window
    stub.add_response("filter_log_events", {"events": []})  # the second group, read side by side
    context = _logs_context(logs, ["/ecs/a", "/ecs/b"], deadline=0)
    result = run("logs", gather_logs, BY_NAME["logs"].empty, context)
    assert result.status == "ok"
    data = result.data_as(LogsData)
    assert data is not None
    assert data.groups[0].truncated
    assert any(n.code == "out_of_time" and n.params["part"] == "log_slices" for n in result.notes)


def _traces_context(xray: Any, threshold: float | None = None, **scope: Any) -> Any:
    the_alarm = (
        alarm(metric="TargetResponseTime", threshold=threshold or 2.0)
        if threshold
        else alarm(metric="RequestCount")
    )
    return context_for(AwsClients(region="eu-west-1", xray=xray), the_alarm, **scope)


def _record(trace: int) -> Any:
    return view_trace(_segment(trace, 0.2))


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
    durations = [2.5] * 5 + [0.1] * 2  # as the traces read below last
    summaries = [
        {"Id": f"1-00000000-{i:024x}", "Duration": d, "ResponseTime": d, "HasFault": False}
        for i, d in enumerate(durations)
    ]
    stub.add_response(
        "get_trace_summaries",
        {"TraceSummaries": summaries, "TracesProcessedCount": 7},
        {"StartTime": windows.incident.start, "EndTime": windows.incident.end, "Sampling": False},
    )
    # The baseline's summaries are asked without the filter X-Ray refused.
    baseline = {"StartTime": windows.baseline.start, "EndTime": windows.baseline.end, "Sampling": False}
    stub.add_response("get_trace_summaries", {"TraceSummaries": []}, baseline)
    stub.add_response("batch_get_traces", {"Traces": [_segment(i, 2.5) for i in range(5)]}, {"TraceIds": ANY})
    stub.add_response("batch_get_traces", {"Traces": [_segment(i, 0.1) for i in (5, 6)]}, {"TraceIds": ANY})
    context = _traces_context(xray, threshold=2.0, trace_services=["ledger-api"])
    data = gather_traces(context)
    assert data.analyzed == 7
    assert data.slow_share == round(5 / 7, 3)
    assert [n.code for n in context.notes] == ["trace_filter_rejected"]


def test_a_throttled_trace_query_is_not_mistaken_for_a_bad_filter(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    stub.add_client_error("get_trace_summaries", "ThrottledException", "Rate exceeded", 429)
    with pytest.raises(ClientError, match="Throttled"):
        gather_traces(_traces_context(xray, trace_services=["ledger-api"]))


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
    stub.add_response(
        "get_trace_summaries", {"TraceSummaries": [{"Id": f"1-00000000-{i:024x}"} for i in range(9, 14)]}
    )
    stub.add_response("batch_get_traces", {"Traces": [trace(i, remote=0.6, own=2.4) for i in range(5)]})
    stub.add_response("batch_get_traces", {"Traces": [trace(i, remote=0.5, own=0.2) for i in range(9, 14)]})
    assert windows == windows_for(alarm())
    data = gather_traces(_traces_context(xray, threshold=None))
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
    assert fetch_traces(_traces_context(xray), ids) == []


def test_the_traces_the_scope_probed_are_not_read_again(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    probed = [_record(i) for i in range(3)]
    summaries = [{"id": f"1-00000000-{i:024x}", "response_time": 1.0} for i in range(8)]
    probe = TraceProbe.model_validate({"summaries": summaries, "traces": [r.model_dump() for r in probed]})
    stub.add_response("get_trace_summaries", {"TraceSummaries": []})  # the baseline window
    rest = [f"1-00000000-{i:024x}" for i in range(3, 8)]
    stub.add_response(
        "batch_get_traces", {"Traces": [_segment(i, 0.2) for i in range(3, 8)]}, {"TraceIds": rest}
    )
    data = gather_traces(_traces_context(xray, probe=probe))
    assert data.analyzed == 8
    assert data.traces_in_window == 8


def test_access_denied_becomes_an_error_envelope(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    stub.add_client_error(
        "get_metric_data", "AccessDenied", "User is not authorized to perform: cloudwatch:GetMetricData"
    )
    stub.add_client_error("get_metric_data", "AccessDenied", "not authorized")  # the day earlier: a note
    context = context_for(AwsClients(region="eu-west-1", cloudwatch=cloudwatch))
    spec = BY_NAME["metrics"]
    result = run("metrics", spec.gather, spec.empty, context)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.code == "AccessDenied"
    assert result.api_calls == 2
    assert result.data is None
    assert [n.params["part"] for n in result.notes] == ["day_ago"]  # taken before the failure, kept


def test_window_timestamps_are_utc() -> None:
    assert windows_for(alarm()).incident.end.tzinfo == UTC


def test_a_capped_read_of_trace_summaries_says_the_count_is_a_lower_bound(stubbed: Any) -> None:
    xray, stub = stubbed("xray")
    page = {"TraceSummaries": [{"Id": f"1-00000000-{i:024x}"} for i in range(2)], "NextToken": "more"}
    first = TraceProbe(summaries=[], next_token="more")  # the scope read the first page: it was empty
    for _ in range(MAX_SUMMARY_PAGES - 1):
        stub.add_response("get_trace_summaries", page)
    stub.add_response("get_trace_summaries", {"TraceSummaries": []})  # the baseline window
    stub.add_response("batch_get_traces", {"Traces": []})
    stub.add_response("batch_get_traces", {"Traces": []})
    stub.add_response("batch_get_traces", {"Traces": []})
    stub.add_response("batch_get_traces", {"Traces": []})
    context = _traces_context(xray, probe=first)
    data = gather_traces(context)
    assert data.traces_in_window == 2 * (MAX_SUMMARY_PAGES - 1)
    assert data.more_in_window
    (note,) = context.notes
    assert (note.code, note.params["pages"]) == ("trace_summaries_capped", MAX_SUMMARY_PAGES)


def test_similar_metrics_name_each_dimension_set_once(stubbed: Any) -> None:
    cloudwatch, stub = stubbed("cloudwatch")
    dims = [
        {"Name": "TargetGroup", "Value": "targetgroup/web-tg/00aa"},
        {"Name": "LoadBalancer", "Value": "app/web/01"},
    ]
    # ListMetrics lists one entry per metric stream it has seen: the same dimensions more than once.
    listed = [{"Namespace": "AWS/ApplicationELB", "MetricName": "HealthyHostCount", "Dimensions": dims}] * 3
    stub.add_response("list_metrics", {"Metrics": listed})
    metric = MetricStat.model_validate({
        "metric": {"namespace": "AWS/ApplicationELB", "name": "HealthyHostCount",
                   "dimensions": {"TargetGroup": "web-tg", "LoadBalancer": "app/web/01"}},
        "period": 60, "stat": "Minimum",
    })  # fmt: skip
    assert similar_metrics(cloudwatch, metric) == [
        {"TargetGroup": "targetgroup/web-tg/00aa", "LoadBalancer": "app/web/01"}
    ]
