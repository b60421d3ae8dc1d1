"""Every API call the scope resolver and each gatherer makes is allowed by its function's policy in
template.yaml, and a function refused everything costs its source, never the analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.correlate import correlate
from alarm_analyzer.models import CorrelateInput, GatherInput
from alarm_analyzer.pipeline import gather, resolve
from alarm_analyzer.sources import BY_NAME, NAMES, SCOPE_FUNCTION
from alarm_devtools.emulator import seed, world
from alarm_devtools.emulator.injected import injected
from alarm_devtools.emulator.scenarios import SCENARIOS
from alarm_devtools.emulator.template import load_template

ROOT = Path(__file__).resolve().parents[2]


# IAM names a few services differently from botocore.
IAM_PREFIX = {"elbv2": "elasticloadbalancing"}


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """A policy's statements, a conditional one (Fn::If) counted as granted."""
    return [s["Fn::If"][1] if "Fn::If" in s else s for s in policy["Statement"]]


def _allowed(function: str) -> set[str]:
    """What a function's inline policies grant (the member role policy applies only with members)."""
    policies = load_template(ROOT / "template.yaml")["Resources"][function]["Properties"]["Policies"]
    actions: set[str] = set()
    for policy in policies:
        if "Statement" not in policy:
            continue
        for statement in _statements(policy):
            action = statement["Action"]
            actions |= {action} if isinstance(action, str) else set(action)
    return actions


@pytest.mark.usefixtures("aws_env")
# Between them: an ALB with ECS, RDS and the network; a false alarm; a Lambda canary with CodeDeploy and
# CloudTrail; a dead-letter queue read with the opt-in peek; dead-letter queues of a function and of an SNS
# subscription (the queue's policy, the topic's subscriptions).
@pytest.mark.parametrize(
    "scenario",
    [
        "db-connection-pool",
        "misconfigured-alarm",
        "worker-canary-keyerror",
        "push-jobs-dead-lettered-schema",
        "listing-images-dead-lettered-by-function",
        "partner-events-dead-lettered-by-subscription",
    ],
)
def test_every_step_calls_only_what_its_policy_allows(scenario: str) -> None:
    chosen = SCENARIOS[scenario]
    with mock_aws():
        incident = seed(AwsClients(region="us-east-1", config=world.SEEDING_CONFIG), chosen)
        incident.event.get("detail", {}).pop("alarmTags", None)  # make the scope look the tags up
        with injected(incident.responses):
            clients = AwsClients(region="us-east-1")
            request = resolve(incident.event, clients, chosen.settings)
            steps = [(SCOPE_FUNCTION, clients)]
            for source in NAMES:
                clients = AwsClients(region="us-east-1")
                gather(source, request, clients, chosen.settings)
                steps.append((BY_NAME[source].function, clients))
    for function, made in steps:
        # botocore names the service "cloudwatch"/"logs"/"xray" and the operation as IAM does.
        called = {
            f"{IAM_PREFIX.get(service, service)}:{operation}"
            for service, operation in (c.split(":") for c in made.calls)
        }
        assert called, function
        assert called <= _allowed(function), f"{function} calls {called - _allowed(function)}"


def _denied() -> AwsClients:
    """Clients whose every call AWS refuses, as it does without the IAM permission."""
    session = boto3.Session(region_name="us-east-1")

    def deny(model: Any, **_: Any) -> None:
        error = {
            "Error": {"Code": "AccessDeniedException", "Message": f"not authorized to perform {model.name}"}
        }
        raise ClientError(error, model.name)

    session.events.register("before-call", deny)
    return AwsClients(session)


def _clients(refused: str, step: str) -> AwsClients:
    return _denied() if step == refused else AwsClients(region="us-east-1")


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("refused", ["scope", *NAMES])
def test_a_step_refused_everything_leaves_a_gap_not_a_failed_analysis(refused: str) -> None:
    with mock_aws():
        incident = seed(AwsClients(region="us-east-1", config=world.SEEDING_CONFIG), SCENARIOS["rds-memory"])
        incident.event.get("detail", {}).pop("alarmTags", None)
        request: GatherInput = resolve(incident.event, _clients(refused, "scope"))
        results = [gather(source, request, _clients(refused, source)) for source in NAMES]
        report = correlate(CorrelateInput(**request.model_dump(), results=results))
    gaps = [gap.reason for gap in report.gaps if gap.source == refused]
    assert any("AccessDenied" in reason for reason in gaps), gaps
    others = {r.source: r.status for r in results if r.source != refused}
    assert set(others.values()) <= {"ok", "no_data"}
    assert report.root_cause.category
