"""Every API call the scope resolver and each gatherer makes is allowed by its function's policy in
template.yaml, and a function refused everything costs its source, never the analysis."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.catalog import describes, locates, resources_of
from alarm_analyzer.correlate import correlate
from alarm_analyzer.discovery import locate
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.gather import GatherContext
from alarm_analyzer.models import CorrelateInput, GatherInput, Resource
from alarm_analyzer.pipeline import gather, resolve
from alarm_analyzer.sources import BY_NAME, NAMES, SCOPE_FUNCTION, iam_action
from alarm_devtools.emulator import seed, world
from alarm_devtools.emulator import world_services as ws
from alarm_devtools.emulator.injected import injected
from alarm_devtools.emulator.scenarios import SCENARIOS, Incident, Scenario
from alarm_devtools.emulator.template import load_template
from alarm_devtools.emulator.world import AlarmSpec

ROOT = Path(__file__).resolve().parents[2]


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


def _called(clients: AwsClients) -> set[str]:
    """The IAM actions the calls these clients made need."""
    return {iam_action(*call.split(":")) for call in clients.calls}


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
        called = _called(made)
        assert called, function
        assert called <= _allowed(function), f"{function} calls {called - _allowed(function)}"


EVERY_SERVICE = ws.Services(
    table=ws.Table(index="by-customer", write_scaling=(50, 100)),
    api=ws.Api(usage_plan=(50, 100)),
    cache=ws.Cache(
        replication_group=True, events=((timedelta(minutes=20), "Failover to replica completed"),)
    ),
    stream=ws.Stream(),
    instance=ws.Instance(system_status="impaired"),
    nat=ws.NatGateway(),
    certificate=ws.Certificate(expires_in=timedelta(days=9)),
    secret=ws.Secret(changed_ago=timedelta(minutes=30)),
    volume=ws.Volume(),
    file_system=ws.FileSystem(),
    state_machine=ws.StateMachine(),
    rule=ws.Rule(),
    replica=ws.Replica(),
)


def _every_resource(incident: Incident) -> list[Resource]:
    """Every resource of the world's services, as alarms on each would name them; an HTTP API too,
    created here."""
    ids, clients = incident.built.services, AwsClients(region="us-east-1")
    http = clients.client("apigatewayv2").create_api(Name="edge", ProtocolType="HTTP")["ApiId"]
    clients.client("apigatewayv2").create_stage(ApiId=http, StageName="live")
    named = [
        ("AWS/DynamoDB", {"TableName": ids["table"], "GlobalSecondaryIndexName": ids["table_index"]}),
        ("AWS/ApiGateway", {"ApiName": ids["api"], "Stage": ids["stage"]}),
        ("AWS/ApiGateway", {"ApiId": http, "Stage": "live"}),
        ("AWS/ElastiCache", {"ReplicationGroupId": ids["cache"]}),
        ("AWS/ElastiCache", {"CacheClusterId": f"{ids['cache']}-001"}),
        ("AWS/Kinesis", {"StreamName": ids["stream"]}),
        ("CWAgent", {"InstanceId": ids["instance"]}),
        ("AWS/NATGateway", {"NatGatewayId": ids["nat"]}),
        ("AWS/CertificateManager", {"CertificateArn": ids["certificate"]}),
        ("AWS/EBS", {"VolumeId": ids["volume"]}),
        ("AWS/EFS", {"FileSystemId": ids["file_system"]}),
        ("AWS/States", {"StateMachineArn": ids["state_machine"]}),
        ("AWS/Events", {"RuleName": ids["rule"]}),
        ("AWS/RDS", {"DBInstanceIdentifier": ids["replica"]}),
        ("AWS/Lambda", {"FunctionName": incident.built.names.worker}),
    ]
    return [resource for namespace, dimensions in named for resource in resources_of(namespace, dimensions)]


@pytest.mark.usefixtures("aws_env")
def test_every_describe_of_the_service_catalog_calls_only_what_its_function_may_and_each_is_called() -> None:
    """One world with every service, a scope holding all of them: each call of the scope step's locates and
    of the resources and changes sources is in its function's policy, and every action the catalog
    declares for them is used."""
    scenario = Scenario(
        name="every-service",
        expected="inconclusive",
        summary="every service of the catalog in one world",
        alarm=AlarmSpec(
            name="orders-table-throttles", namespace="AWS/DynamoDB", metric="WriteThrottleEvents",
            dimensions={"TableName": "{table}"}, statistic="Sum", period=60, evaluation_periods=2,
            threshold=-1, comparison="GreaterThanThreshold",
        ),
        services=EVERY_SERVICE,
    )  # fmt: skip
    with mock_aws():
        incident = seed(AwsClients(region="us-east-1", config=world.SEEDING_CONFIG), scenario)
        resources = _every_resource(incident)
        with injected(incident.responses):
            scoped = AwsClients(region="us-east-1")
            request = resolve(incident.event, scoped)
            assert request.scope is not None
            every = request.scope.model_copy(update={"resources": [*request.scope.resources, *resources]})
            context = GatherContext(parse_alarm_event(incident.event), every, scoped)
            every = every.model_copy(update={"located": locate(context, every.resources)})
            widened = GatherInput(event=request.event, scope=every)
            steps = [(SCOPE_FUNCTION, scoped)]
            for source in ("resources", "changes"):
                clients = AwsClients(region="us-east-1")
                result = gather(source, widened, clients)
                assert not [n for n in result.notes if n.code == "unavailable"], result.notes
                steps.append((BY_NAME[source].function, clients))
    for function, made in steps:
        assert _called(made) <= _allowed(function), f"{function} calls {_called(made) - _allowed(function)}"
    # What the scope step located, the describes read again only when the scope could not be resolved.
    located = {a for read in locates().values() for a in read.actions}
    declared = {a for read in describes().values() for a in read.actions} - QUEUE_AND_BALANCER_READS - located
    assert declared <= _called(steps[1][1]), declared - _called(steps[1][1])
    assert {a for read in locates().values() for a in read.actions} <= _called(steps[0][1])


# Reads of the describes this world's scope has no resource for (its queues and load balancers are
# covered by the library's scenarios above).
QUEUE_AND_BALANCER_READS = frozenset(
    {
        "sqs:GetQueueAttributes",
        "sqs:ListDeadLetterSourceQueues",
        "sqs:ReceiveMessage",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetHealth",
        "rds:DescribeDBParameters",  # only for a custom parameter group
    }
)


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
