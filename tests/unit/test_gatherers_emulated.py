"""The scope and the gatherers against the emulator (moto) where it is faithful: metrics, alarms, logs,
trace segments. Each test runs the ResolveScope step first, as the workflow does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.events import event_from_alarm
from alarm_analyzer.models import AlarmData, LogsData, MetricsData, SourceData, TracesData
from alarm_analyzer.pipeline import gather, resolve

TG = "targetgroup/web-tg/00aa11bb22cc33dd"
LB = "app/web/0123456789abcdef"


@pytest.fixture
def clients(aws_env: None) -> Iterator[AwsClients]:
    with mock_aws():
        yield AwsClients(region="us-east-1")


def _minutes(count: int) -> list[datetime]:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return [now - timedelta(minutes=count - i) for i in range(count)]


def _put(clients: AwsClients, namespace: str, name: str, dims: dict[str, str], values: list[float]) -> None:
    data = [
        {"MetricName": name, "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()], "Timestamp": at,
         "Value": value}
        for at, value in zip(_minutes(len(values)), values, strict=True)
    ]  # fmt: skip
    clients.cloudwatch.put_metric_data(Namespace=namespace, MetricData=data)


def _fire(
    clients: AwsClients, name: str, namespace: str, metric: str, dims: dict[str, str], **extra: object
) -> dict[str, Any]:
    clients.cloudwatch.put_metric_alarm(
        AlarmName=name, Namespace=namespace, MetricName=metric,
        Dimensions=[{"Name": k, "Value": v} for k, v in dims.items()],
        Statistic="Average", Period=60, EvaluationPeriods=2, ComparisonOperator="GreaterThanThreshold", **extra,
    )  # fmt: skip
    clients.cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="test")
    described = clients.cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
    return event_from_alarm(described, "us-east-1")


def _gathered(source: str, event: dict[str, Any], model: type[SourceData]) -> Any:
    """The scope resolved once, then one source gathered with it (each with clients of its own)."""
    result = gather(source, resolve(event, AwsClients(region="us-east-1")), AwsClients(region="us-east-1"))
    data = result.data_as(model)
    assert data is not None, result
    return data


def test_an_alarm_on_a_misspelled_target_group_is_caught(clients: AwsClients) -> None:
    _put(
        clients, "AWS/ApplicationELB", "HealthyHostCount", {"TargetGroup": TG, "LoadBalancer": LB}, [2.0] * 30
    )
    event = _fire(clients, "web-hosts", "AWS/ApplicationELB", "HealthyHostCount",
                  {"TargetGroup": "web-tg", "LoadBalancer": LB}, Threshold=1.0, TreatMissingData="breaching")  # fmt: skip
    data = _gathered("alarm", event, AlarmData)
    assert data.metric_exists is False
    (own,) = [s for s in _gathered("metrics", event, MetricsData).series if s.role == "alarm"]
    assert own.incident.count == 0
    assert [(i.name, i.suggestion) for i in data.dimension_issues] == [("TargetGroup", TG)]
    assert data.similar_metrics[0]["TargetGroup"] == TG
    assert data.config is not None
    assert data.config.treat_missing_data == "breaching"


def test_a_well_formed_alarm_passes_the_checks(clients: AwsClients) -> None:
    _put(clients, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, [0.2] * 30)
    event = _fire(clients, "web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB},
                  Threshold=2.0, AlarmDescription="Slow. Runbook: https://wiki.example.org/rb/web",
                  Tags=[{"Key": "analyzer:severity", "Value": "page"}])  # fmt: skip
    data = _gathered("alarm", event, AlarmData)
    assert data.metric_exists is True
    assert data.dimension_issues == []
    scope = resolve(event, AwsClients(region="us-east-1")).scope
    assert scope is not None
    assert scope.runbook_url == "https://wiki.example.org/rb/web"
    assert scope.severity == "page"


def test_metrics_compare_the_incident_with_the_baseline(clients: AwsClients) -> None:
    db = {"DBInstanceIdentifier": "ledger-db"}
    _put(clients, "AWS/RDS", "CPUUtilization", db, [20.0] * 30 + [95.0] * 10)
    _put(clients, "AWS/RDS", "DatabaseConnections", db, [10.0] * 40)
    event = _fire(clients, "ledger-cpu", "AWS/RDS", "CPUUtilization", db, Threshold=90.0)
    data = _gathered("metrics", event, MetricsData)
    by_name = {s.metric_name: s for s in data.series}
    cpu = by_name["CPUUtilization"]
    assert cpu.role == "alarm"
    assert cpu.baseline.avg == pytest.approx(20.0)
    assert cpu.incident.max == 95.0
    assert cpu.breach_start is not None
    assert cpu.change_ratio is not None
    assert cpu.change_ratio > 2
    assert by_name["DatabaseConnections"].role == "related"
    assert {r.id for r in data.resources} == {"ledger-db"}


def test_logs_are_found_through_tags_and_prefixes(clients: AwsClients) -> None:
    for group in ("/ecs/ledger-api", "/aws/rds/instance/ledger-db/postgresql"):
        clients.logs.create_log_group(logGroupName=group)
        clients.logs.create_log_stream(logGroupName=group, logStreamName="s")
    now = datetime.now(UTC)
    events = [
        {"timestamp": int((now - timedelta(minutes=m)).timestamp() * 1000), "message": f"FATAL: too many clients already ({m})"}
        for m in range(5, 0, -1)
    ]  # fmt: skip
    clients.logs.put_log_events(logGroupName="/aws/rds/instance/ledger-db/postgresql", logStreamName="s",
                                logEvents=events)  # fmt: skip
    event = _fire(clients, "ledger-conn", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "ledger-db"},
                  Threshold=90.0, Tags=[{"Key": "analyzer:log-groups", "Value": "/ecs/ledger-api"}])  # fmt: skip
    data = _gathered("logs", event, LogsData)
    assert {g.name for g in data.groups} == {"/ecs/ledger-api", "/aws/rds/instance/ledger-db/postgresql"}
    assert data.signatures[0].count == 5
    assert data.signatures[0].signature == "FATAL: too many clients already (<*>)"


def test_traces_show_where_the_time_goes(clients: AwsClients) -> None:
    now = datetime.now(UTC).timestamp()
    documents = []
    for i in range(6):
        start = now - 300 + i * 10
        documents.append(json.dumps({
            "id": f"{i:016x}", "trace_id": f"1-{int(start):08x}-{i:024x}", "name": "ledger-api",
            "start_time": start, "end_time": start + 3.0,
            "subsegments": [{"id": f"{i + 100:016x}", "name": "rates.partner.example", "namespace": "remote",
                             "start_time": start + 0.1, "end_time": start + 2.9,
                             "http": {"request": {"url": "https://rates.partner.example/v1"}}}],
        }))  # fmt: skip
    clients.xray.put_trace_segments(TraceSegmentDocuments=documents)
    event = _fire(clients, "ledger-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB},
                  Threshold=2.0)  # fmt: skip
    data = _gathered("traces", event, TracesData)
    assert data.analyzed == 6
    top = data.contributors[0]
    assert (top.kind, top.name) == ("remote_http", "rates.partner.example")
    assert data.downstreams.remote_hosts == ["rates.partner.example"]


def test_gather_reports_its_own_api_calls_and_rounds(clients: AwsClients) -> None:
    event = _fire(clients, "x", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "db"}, Threshold=1.0)
    resolved = resolve(event, AwsClients(region="us-east-1"))
    assert resolved.resolution.api_calls >= 2  # DescribeAlarms and the tags at least
    result = gather("metrics", resolved, AwsClients(region="us-east-1"))
    assert result.source == "metrics"
    assert result.api_calls == 2  # the windows and the same hours a day earlier, side by side
    assert result.rounds == 1
    assert result.status in ("ok", "no_data")
