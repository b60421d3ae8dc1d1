"""Intake: the AWS-documented sample events of each alarm type, and what we refuse."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from alarm_analyzer.events import InvalidAlarmEvent, event_from_alarm, parse_alarm_event
from tests.conftest import load


@pytest.mark.parametrize(
    ("sample", "kind", "metric", "period"),
    [
        ("aws/eb-single-metric.json", "metric", "CPUUtilization", 300),
        ("aws/eb-single-metric-muted.json", "metric", "CPUUtilization", 300),
        ("aws/eb-metric-math.json", "math", "NetworkIn", 300),
        ("aws/eb-anomaly-detection.json", "anomaly", "CPUUtilization", 60),
        ("aws/lambda-alarm-action.json", "metric", "CallCount", 60),
    ],
)
def test_metric_alarm_samples_parse(sample: str, kind: str, metric: str, period: int) -> None:
    alarm = parse_alarm_event(load(sample))
    assert alarm.type == kind
    assert alarm.state == "ALARM"
    assert alarm.primary_metric is not None
    assert alarm.primary_metric.metric.name == metric
    assert alarm.period == period
    assert alarm.state_changed_at.tzinfo is not None


@pytest.mark.parametrize("sample", ["aws/eb-composite.json", "aws/lambda-alarm-action-composite.json"])
def test_composite_samples_name_their_children(sample: str) -> None:
    alarm = parse_alarm_event(load(sample))
    assert alarm.type == "composite"
    assert alarm.primary_metric is None
    assert len(alarm.child_alarms) == 2


def test_state_timestamp_with_plus0000_offset_is_utc() -> None:
    alarm = parse_alarm_event(load("aws/eb-single-metric.json"))
    assert alarm.state_changed_at == datetime(2019, 10, 2, 17, 4, 40, 989000, tzinfo=UTC)


def test_reason_data_json_string_is_parsed() -> None:
    alarm = parse_alarm_event(load("aws/eb-single-metric.json"))
    assert alarm.threshold == 50.0
    assert alarm.breach_direction == "above"


def test_anomaly_band_alarm_has_no_threshold_but_a_direction_from_its_reason() -> None:
    alarm = parse_alarm_event(load("aws/eb-anomaly-detection.json"))
    assert alarm.threshold is None
    assert alarm.breach_direction == "below"  # "was less than the lower thresholds"


def test_incident_id_is_stable_per_state_change() -> None:
    event = load("aws/eb-single-metric.json")
    later = copy.deepcopy(event)
    later["detail"]["state"]["timestamp"] = "2019-10-02T17:09:40.989+0000"
    assert parse_alarm_event(event).incident_id == parse_alarm_event(copy.deepcopy(event)).incident_id
    assert parse_alarm_event(event).incident_id != parse_alarm_event(later).incident_id


def test_tags_delivered_in_the_event_are_kept() -> None:
    event = load("aws/eb-single-metric.json")
    event["detail"]["alarmTags"] = {"analyzer:service": "checkout"}
    assert parse_alarm_event(event).tags == {"analyzer:service": "checkout"}
    assert parse_alarm_event(load("aws/eb-single-metric.json")).tags is None


def test_missing_account_is_taken_from_the_alarm_arn() -> None:
    event = load("aws/eb-single-metric.json")
    del event["account"]
    assert parse_alarm_event(event).account == "123456789012"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda e: e["detail"]["state"].pop("timestamp"), "detail.state.timestamp"),
        (lambda e: e["detail"]["state"].update(value="BROKEN"), "detail.state.value"),
        (lambda e: e.update({"detail-type": "EC2 Instance State-change Notification"}), "detail-type"),
        (lambda e: e["detail"].pop("configuration"), "detail.configuration"),
        (lambda e: e["detail"]["configuration"]["metrics"][0]["metricStat"].update(period=0), "period"),
        (lambda e: e["detail"]["state"].update(reasonData="{not json"), "detail.state.reasonData"),
        (lambda e: e.update(resources=["arn:aws:ec2:us-east-1:123456789012:instance/i-1"]), "resources.0"),
        (lambda e: e.update(resources=[]), "resources"),
    ],
)
def test_malformed_events_are_rejected_naming_the_field(change: object, field: str) -> None:
    event = load("aws/eb-single-metric.json")
    change(event)  # type: ignore[operator]
    with pytest.raises(InvalidAlarmEvent, match=field.replace(".", r"\.")):
        parse_alarm_event(event)


@pytest.mark.parametrize("payload", [[], "ALARM", {"hello": "world"}, {"Records": []}])
def test_other_payloads_are_refused(payload: object) -> None:
    with pytest.raises(InvalidAlarmEvent, match="event"):
        parse_alarm_event(payload)


def test_event_from_describe_alarms_round_trips_through_the_parser() -> None:
    described = {
        "AlarmName": "checkout-p99",
        "AlarmArn": "arn:aws:cloudwatch:eu-west-1:210987654321:alarm:checkout-p99",
        "AlarmDescription": "p99 latency. Runbook: https://runbooks.example.org/checkout",
        "StateValue": "ALARM",
        "StateReason": "Threshold Crossed",
        "StateReasonData": '{"threshold": 0.8, "recentDatapoints": [1.2, 1.4]}',
        "StateUpdatedTimestamp": datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
        "Namespace": "AWS/ApplicationELB",
        "MetricName": "TargetResponseTime",
        "ExtendedStatistic": "p99",
        "Dimensions": [{"Name": "LoadBalancer", "Value": "app/checkout/0123456789abcdef"}],
        "Period": 60,
    }
    alarm = parse_alarm_event(event_from_alarm(described, "eu-west-1"))
    assert alarm.name == "checkout-p99"
    assert alarm.account == "210987654321"
    assert alarm.state_changed_at == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    assert alarm.primary_metric is not None
    assert alarm.primary_metric.stat == "p99"
    assert alarm.primary_metric.metric.dimensions == {"LoadBalancer": "app/checkout/0123456789abcdef"}
    assert alarm.evaluated_periods == 2


def test_event_from_alarm_can_be_anchored_elsewhere() -> None:
    described = {
        "AlarmName": "x",
        "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x",
        "StateValue": "OK",
        "StateUpdatedTimestamp": datetime(2026, 3, 1, tzinfo=UTC),
        "AlarmRule": 'ALARM("a") OR ALARM(b)',
    }
    at = datetime(2026, 2, 27, 23, 0, tzinfo=UTC)
    alarm = parse_alarm_event(event_from_alarm(described, "us-east-1", at=at))
    assert alarm.state_changed_at == at
    assert alarm.type == "composite"
    assert alarm.child_alarms == ["a", "b"]
