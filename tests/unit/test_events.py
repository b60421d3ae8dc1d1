"""Intake: the AWS-documented sample events of each alarm type, and what we refuse."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any, get_args

import botocore.loaders
import botocore.session
import pytest

from alarm_analyzer import events
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


def _cloudwatch_constraint(shape: str, member: str) -> dict[str, Any]:
    model = botocore.session.get_session().get_service_model("cloudwatch")
    return dict(model.shape_for(shape).members[member].metadata)


@pytest.mark.parametrize(
    ("limit", "shape", "member", "key"),
    [
        (events.MAX_NAME, "MetricAlarm", "AlarmName", "max"),
        (events.MAX_NAME, "CompositeAlarm", "AlarmName", "max"),
        (events.MAX_ARN, "MetricAlarm", "AlarmArn", "max"),
        (events.MAX_DESCRIPTION, "MetricAlarm", "AlarmDescription", "max"),
        (events.MAX_REASON, "MetricAlarm", "StateReason", "max"),
        (events.MAX_REASON_DATA, "MetricAlarm", "StateReasonData", "max"),
        (events.MAX_NAME, "Metric", "Namespace", "max"),
        (events.MAX_NAME, "Metric", "MetricName", "max"),
        (events.MAX_DIMENSIONS, "MetricAlarm", "Dimensions", "max"),
        (events.MAX_NAME, "Dimension", "Name", "max"),
        (events.MAX_DIMENSION_VALUE, "Dimension", "Value", "max"),
        (events.MAX_NAME, "MetricDataQuery", "Id", "max"),
        (events.MAX_EXPRESSION, "MetricDataQuery", "Expression", "max"),
        (events.MAX_ALARM_RULE, "CompositeAlarm", "AlarmRule", "max"),
        (events.MAX_TAG_KEY, "Tag", "Key", "max"),
        (events.MAX_TAG_VALUE, "Tag", "Value", "max"),
        (1, "MetricStat", "Period", "min"),
    ],
)
def test_limits_are_cloudwatchs_own(limit: int, shape: str, member: str, key: str) -> None:
    assert _cloudwatch_constraint(shape, member)[key] == limit


def test_units_and_states_are_cloudwatchs_own() -> None:
    assert set(get_args(events.Unit)) == set(_cloudwatch_constraint("MetricStat", "Unit")["enum"])
    assert set(get_args(events.StateValue)) == set(
        _cloudwatch_constraint("MetricAlarm", "StateValue")["enum"]
    )


def test_every_region_and_partition_aws_has_is_accepted() -> None:
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    for partition in endpoints["partitions"]:
        for region in partition["regions"]:
            assert events.REGION.fullmatch(region), region
            assert events.ALARM_ARN.fullmatch(
                f"arn:{partition['partition']}:cloudwatch:{region}:123456789012:alarm:a"
            )


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("2026-06-01T12:04:59.000+0000", True),  # within the clock skew AWS itself tolerates
        ("2026-06-01T12:05:01.000+0000", False),
        ("2009-01-01T00:00:00.000+0000", True),
        ("2008-12-31T23:59:59.999+0000", False),
        ("2026-06-01T14:00:00.000+0200", True),  # an offset, not the future
        ("0001-01-01T00:00:00.000+0100", False),  # before year 1 in UTC: out of range, not a crash
        ("9999-12-31T23:59:59.000-0100", False),
    ],
)
def test_the_state_time_is_between_cloudwatchs_launch_and_now(moment: str, accepted: bool) -> None:
    event = load("aws/eb-single-metric.json")
    event["detail"]["state"]["timestamp"] = moment
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    if accepted:
        assert parse_alarm_event(event, now=now).state_changed_at <= now + events.CLOCK_SKEW
    else:
        with pytest.raises(InvalidAlarmEvent, match=r"^detail\.state\.timestamp: "):
            parse_alarm_event(event, now=now)


@pytest.mark.parametrize(
    ("rule", "children"),
    [
        ('ALARM("a(b)") OR OK( spaced name ) AND NOT INSUFFICIENT_DATA("arn:aws:cloudwatch:x")', ["a(b)", "spaced name", "arn:aws:cloudwatch:x"]),
        ("ALARM(a) OR (ALARM(b) AND ALARM(a))", ["a", "b"]),  # each child once
        ("TRUE OR ALARM() OR ALARM(\"\")", []),
    ],
)  # fmt: skip
def test_a_composite_rule_names_its_children(rule: str, children: list[str]) -> None:
    assert events.rule_children(rule) == children


def test_reason_data_keeps_what_it_does_not_declare() -> None:
    event = load("aws/eb-single-metric.json")
    alarm = parse_alarm_event(event)
    assert alarm.reason_data["version"] == "1.0"
    assert alarm.reason_data["recentDatapoints"] == [99.50160229693434]


def test_an_m_of_n_alarm_whose_newest_point_is_back_in_range_still_fires_on_high_values() -> None:
    """CloudWatch's reason names the comparison; the newest datapoint may already be under the threshold."""
    event = load("aws/eb-single-metric.json")
    state = event["detail"]["state"]
    state["reason"] = (
        "Threshold Crossed: 2 out of the last 3 datapoints [72.0 (02/10/19 17:02:00), 3.0 (02/10/19 17:03:00), "
        "61.0 (02/10/19 17:01:00)] were greater than the threshold (50.0) (minimum 2 datapoints for OK -> ALARM "
        "transition)."
    )
    state["reasonData"] = json.dumps(
        {**json.loads(state["reasonData"]), "recentDatapoints": [61.0, 72.0, 3.0]}
    )
    assert parse_alarm_event(event).breach_direction == "above"
