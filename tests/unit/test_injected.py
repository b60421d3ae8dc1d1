"""Injected responses: facts moto cannot represent, served through an ordinary client."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ParamValidationError
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_devtools.emulator import world_services as ws
from alarm_devtools.emulator.injected import injected, validated

AT = datetime(2026, 5, 4, 11, 50, tzinfo=UTC)
EVENT = {
    "EventId": "0f3e6c1a-8f4b-4a43-9b71-2d1c0a7e5b10",
    "EventName": "UpdateService",
    "ReadOnly": "false",
    "EventTime": AT,
    "EventSource": "ecs.amazonaws.com",
    "Username": "deployer",
    "CloudTrailEvent": json.dumps({"eventName": "UpdateService", "requestParameters": {"service": "orders"}}),
}


@pytest.mark.usefixtures("aws_env")
def test_an_injected_response_arrives_through_a_normal_client_and_is_counted() -> None:
    with mock_aws():
        clients = AwsClients(region="us-east-1")
        with injected({("cloudtrail", "LookupEvents"): {"Events": [EVENT]}}):
            events = clients.client("cloudtrail").lookup_events(MaxResults=50)["Events"]
    assert [e["EventName"] for e in events] == ["UpdateService"]
    assert events[0]["EventTime"] == AT
    assert clients.calls["cloudtrail:LookupEvents"] == 1


@pytest.mark.usefixtures("aws_env")
def test_a_callable_answer_gets_the_callers_parameters_in_any_thread() -> None:
    seen: list[dict[str, Any]] = []

    def lookup(params: dict[str, Any]) -> dict[str, Any]:
        seen.append(params)
        return {"Events": []}

    with mock_aws(), injected({("cloudtrail", "LookupEvents"): lookup}):
        # Step Functions runs Lambda tasks in its own threads, with sessions of their own.
        worker = threading.Thread(
            target=lambda: boto3.client("cloudtrail", region_name="us-east-1").lookup_events(MaxResults=7)
        )
        worker.start()
        worker.join()
    assert seen == [{"MaxResults": 7}]


@pytest.mark.usefixtures("aws_env")
def test_a_response_in_the_wrong_shape_is_rejected() -> None:
    with mock_aws(), injected({("cloudtrail", "LookupEvents"): {"Events": [{"EventTime": "yesterday"}]}}):
        client = boto3.client("cloudtrail", region_name="us-east-1")
        with pytest.raises(ParamValidationError):
            client.lookup_events()


@pytest.mark.usefixtures("aws_env")
def test_outside_the_block_moto_answers_as_before() -> None:
    with mock_aws():
        elbv2 = boto3.client("elbv2", region_name="us-east-1")
        with injected({("cloudtrail", "LookupEvents"): {"Events": [EVENT]}}):
            pass
        with pytest.raises(NotImplementedError):
            boto3.client("cloudtrail", region_name="us-east-1").lookup_events()
        assert elbv2.describe_load_balancers()["LoadBalancers"] == []


@pytest.mark.parametrize("renewal", ["PENDING_AUTO_RENEWAL", "PENDING_VALIDATION", "SUCCESS", "FAILED"])
def test_a_certificate_s_renewal_is_described_in_the_shape_acm_answers(renewal: str) -> None:
    ids = {"certificate": "arn:aws:acm:us-east-1:123456789012:certificate/1", "region": "us-east-1",
           "account": "123456789012"}  # fmt: skip
    facts = ws.Certificate(renewal_status=renewal).facts(ids, AT)  # type: ignore[arg-type]
    answer = facts["acm", "DescribeCertificate"]({"CertificateArn": ids["certificate"]})
    model = botocore.session.get_session().get_service_model("acm").operation_model("DescribeCertificate")
    summary = validated(model, answer)["Certificate"]["RenewalSummary"]
    (domain,) = summary["DomainValidationOptions"]
    assert summary["RenewalStatus"] == renewal
    assert domain["ValidationStatus"] == ("SUCCESS" if renewal.endswith(("RENEWAL", "SUCCESS")) else renewal)
