"""Clients where the alarm is: its own account and region, another region, another account's role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients, Places, Unreachable
from alarm_analyzer.correlate import correlate
from alarm_analyzer.models import CorrelateInput, GatherInput
from alarm_analyzer.pipeline import gather, resolve
from alarm_analyzer.settings import GathererSettings
from tests.factories import alarm_event

HOME, MEMBER = "123456789012", "111122223333"
READER = f"arn:aws:iam::{MEMBER}:role/reader"


@pytest.fixture
def moto(aws_env: None) -> Iterator[None]:
    with mock_aws():
        yield


def _alarm_in(clients: AwsClients, name: str) -> None:
    clients.cloudwatch.put_metric_alarm(
        AlarmName=name, Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum", Period=60,
        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
    )  # fmt: skip


def _names(clients: AwsClients) -> list[str]:
    return [a["AlarmName"] for a in clients.cloudwatch.describe_alarms()["MetricAlarms"]]


def _member_admin(region: str) -> AwsClients:
    granted = boto3.client("sts", region_name=region).assume_role(
        RoleArn=f"arn:aws:iam::{MEMBER}:role/admin", RoleSessionName="seed"
    )["Credentials"]
    return AwsClients(
        boto3.Session(
            region_name=region,
            aws_access_key_id=granted["AccessKeyId"],
            aws_secret_access_key=granted["SecretAccessKey"],
            aws_session_token=granted["SessionToken"],
        )
    )


@pytest.mark.usefixtures("moto")
def test_the_alarms_own_account_and_region_use_the_steps_clients() -> None:
    clients = AwsClients(region="us-east-1")
    assert Places(clients, HOME, "reader").at(HOME, "us-east-1") is clients
    assert clients.total_calls == 0


@pytest.mark.usefixtures("moto")
def test_another_region_gets_clients_of_that_region_counted_with_the_steps() -> None:
    _alarm_in(AwsClients(region="eu-west-1"), "in-ireland")
    clients = AwsClients(region="us-east-1")
    places = Places(clients, HOME, "reader")
    there = places.at(HOME, "eu-west-1")
    assert there.region == "eu-west-1"
    assert _names(there) == ["in-ireland"]
    assert _names(clients) == []
    assert places.at(HOME, "eu-west-1") is there
    assert clients.calls == {"cloudwatch:DescribeAlarms": 2}  # no AssumeRole in one's own account


@pytest.mark.usefixtures("moto")
def test_another_account_is_read_through_its_role_assumed_once() -> None:
    _alarm_in(_member_admin("ap-northeast-1"), "in-tokyo")
    clients = AwsClients(region="us-east-1")
    places = Places(clients, HOME, "reader", session_name="logs")
    there = places.at(MEMBER, "ap-northeast-1")
    assert _names(there) == ["in-tokyo"]
    assert places.at(MEMBER, "ap-northeast-1") is there
    _names(there)
    assert clients.calls == {"sts:AssumeRole": 1, "cloudwatch:DescribeAlarms": 2}
    assert places.session_name == "alarm-analyzer-logs"


@pytest.mark.usefixtures("moto")
@pytest.mark.parametrize(("home", "role"), [(None, "reader"), (HOME, "")], ids=["cli", "no-members"])
def test_without_a_home_account_or_a_member_role_nothing_is_assumed(home: str | None, role: str) -> None:
    clients = AwsClients(region="us-east-1")
    assert Places(clients, home, role).at(MEMBER, "us-east-1") is clients


def _refused(stubbed: Any) -> AwsClients:
    sts, stubber = stubbed("sts")
    stubber.add_client_error(
        "assume_role",
        service_error_code="AccessDenied",
        service_message=f"not authorized to perform: sts:AssumeRole on resource: {READER}",
        http_status_code=403,
    )
    return AwsClients(region="eu-west-1", sts=sts)


def test_a_refused_role_names_the_account_and_the_role(stubbed: Any) -> None:
    with pytest.raises(Unreachable) as refused:
        Places(_refused(stubbed), HOME, "reader").at(MEMBER, "eu-west-1")
    assert (refused.value.account, refused.value.role_arn, refused.value.code) == (
        MEMBER,
        READER,
        "AccessDenied",
    )


def test_a_refused_role_is_a_gap_naming_it_not_a_lost_analysis(stubbed: Any) -> None:
    event = alarm_event()
    event["account"] = MEMBER
    event["resources"] = [r.replace(HOME, MEMBER) for r in event["resources"]]
    settings = GathererSettings(MEMBER_ROLE_NAME="reader")
    request = resolve(event, _refused(stubbed), settings, home=HOME)
    result = gather(
        "logs", GatherInput.model_validate(request.model_dump()), _refused(stubbed), settings, home=HOME
    )
    assert (result.status, result.api_calls, result.error.code if result.error else None) == (
        "error", 1, "AccessDenied"
    )  # fmt: skip
    report = correlate(CorrelateInput(**request.model_dump(), results=[result]), "ja")
    (gap,) = report.gaps
    assert (gap.source, gap.code) == ("scope, logs", "account_unreachable")
    assert gap.params == {
        "account": MEMBER,
        "role": READER,
        "error": "AccessDenied",
        "message": f"not authorized to perform: sts:AssumeRole on resource: {READER}",
    }
    assert gap.reason.startswith(f"アカウント {MEMBER} を {READER} として読めなかった")
    assert report.stats.sources["scope"].status == "error"
