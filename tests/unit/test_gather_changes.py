"""Recent changes: CloudTrail, CodeDeploy, AppConfig, ECS and CloudFormation against real-shaped responses
(botocore Stubber: the emulator lacks or fakes them), Lambda versions and aliases against the emulator."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import ANY
from moto import mock_aws

from alarm_analyzer.aws import AwsClients, sequential
from alarm_analyzer.discovery import service_ref
from alarm_analyzer.events import Alarm, parse_alarm_event
from alarm_analyzer.gather.changes import (
    MAX_TRAIL_PAGES,
    TRAIL_PAGE_SIZE,
    _version_changes,
    appconfig_changes,
    appconfig_targets,
    change_window,
    cloudformation_changes,
    codedeploy_change,
    codedeploy_deployments,
    ecs_changes,
    gather_changes,
    lambda_changes,
    merge,
    select,
    stack_changes,
    trail_changes,
    trail_events,
    updated_stacks,
)
from alarm_analyzer.models import Change, ChangesData, EcsServiceRef, Window
from alarm_analyzer.scope import windows_for
from alarm_analyzer.sources import BY_NAME
from tests.factories import STATE_CHANGE, alarm, alarm_event, context_for

pytestmark = pytest.mark.usefixtures("aws_env")

FUNCTION = "checkout-fn"
LAMBDA_ALARM = alarm(namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": FUNCTION})
WINDOW = change_window(windows_for(LAMBDA_ALARM))


@pytest.fixture(autouse=True)
def in_order() -> Any:
    with sequential():  # Stubber answers in the order responses were queued
        yield


def _context(**clients: Any) -> Any:
    return context_for(AwsClients(region="eu-west-1", **clients), LAMBDA_ALARM)


def _trail_event(
    name: str,
    at: datetime,
    params: dict[str, Any],
    *,
    arn: str = "arn:aws:sts::123456789012:assumed-role/Admin/alice",
    resources: list[dict[str, str]] | None = None,
    response: dict[str, Any] | None = None,
    error: str | None = None,
    source: str = "lambda.amazonaws.com",
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:alice", "arn": arn},
        "eventTime": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": "eu-west-1",
        "requestParameters": params,
        "responseElements": response,
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
    }
    if error:
        record["errorCode"] = error
    return {
        "EventId": f"ev-{name}-{at.timestamp()}",
        "EventName": name,
        "ReadOnly": "false",
        "EventTime": at,
        "EventSource": source,
        "Username": "alice",
        "Resources": resources or [],
        "CloudTrailEvent": json.dumps(record),
    }


# --- CloudTrail ------------------------------------------------------------------------------------


def test_cloudtrail_keeps_writes_on_the_scope_and_the_network_path(stubbed: Any) -> None:
    cloudtrail, stub = stubbed("cloudtrail")
    at = STATE_CHANGE - timedelta(minutes=20)
    events = [
        _trail_event("UpdateFunctionConfiguration20150331v2", at, {"functionName": FUNCTION, "timeout": 3},
                     resources=[{"ResourceType": "AWS::Lambda::Function", "ResourceName": FUNCTION}]),
        _trail_event("UpdateFunctionConfiguration20150331v2", at, {"functionName": "billing-fn", "timeout": 3}),
        _trail_event("UpdateFunctionConfiguration20150331v2", at, {"functionName": f"{FUNCTION}-v2"}),
        _trail_event("GetFunction20150331v2", at, {"functionName": FUNCTION}),
        _trail_event("DeleteFunction20150331", at, {"functionName": FUNCTION}, error="AccessDenied"),
        _trail_event("PutFunctionConcurrency20171031", at, {"functionName": FUNCTION},
                     arn="arn:aws:sts::123456789012:assumed-role/analyzer-role/analyzer-gather-changes"),
        _trail_event("CreateLogStream", at, {"logGroupName": f"/aws/lambda/{FUNCTION}"}, source="logs.amazonaws.com"),
        _trail_event("ReplaceRoute", at, {"routeTableId": "rtb-0abc", "destinationCidrBlock": "0.0.0.0/0",
                                          "natGatewayId": "nat-0def"}, source="ec2.amazonaws.com"),
    ]  # fmt: skip
    stub.add_response(
        "lookup_events",
        {"Events": events},
        {
            "LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "false"}],
            "StartTime": WINDOW.start,
            "EndTime": WINDOW.end,
            "MaxResults": TRAIL_PAGE_SIZE,
        },
    )
    context = _context(cloudtrail=cloudtrail)
    found = trail_changes(trail_events(context, WINDOW), [FUNCTION], "analyzer-")
    assert context.notes == []
    assert [(c.action, c.resource) for c, _ in found] == [
        ("UpdateFunctionConfiguration", FUNCTION),
        ("ReplaceRoute", "rtb-0abc"),
    ]
    update, _ = found[0]
    assert update.actor == "arn:aws:sts::123456789012:assumed-role/Admin/alice"
    assert update.at == at
    assert update.detail is not None
    assert "timeout=3" in update.detail
    assert "nat-0def" in (found[1][0].detail or "")


def test_a_call_names_the_marker_it_produced() -> None:
    arn = f"arn:aws:lambda:eu-west-1:123456789012:function:{FUNCTION}"
    at = STATE_CHANGE - timedelta(minutes=5)
    events = [
        _trail_event(
            "UpdateAlias20150331", at, {"functionName": arn, "name": "live", "functionVersion": "42"}
        ),
        _trail_event("PublishVersion20150331", at, {"functionName": FUNCTION}, response={"version": "42"}),
    ]
    keys = [key for _, key in trail_changes(events, [FUNCTION], "")]
    assert keys == [("lambda_alias", f"{FUNCTION}:live"), ("lambda_version", FUNCTION, "42")]


def test_the_cloudtrail_page_cap_is_noted(stubbed: Any) -> None:
    cloudtrail, stub = stubbed("cloudtrail")
    for page in range(MAX_TRAIL_PAGES):
        at = STATE_CHANGE - timedelta(minutes=page)
        stub.add_response(
            "lookup_events",
            {"Events": [_trail_event("UpdateAlias20150331", at, {"functionName": FUNCTION})], "NextToken": f"t{page}"},
            {"LookupAttributes": ANY, "StartTime": ANY, "EndTime": ANY, "MaxResults": ANY,
             **({"NextToken": f"t{page - 1}"} if page else {})},
        )  # fmt: skip
    context = _context(cloudtrail=cloudtrail)
    events = trail_events(context, WINDOW)
    assert len(events) == MAX_TRAIL_PAGES
    (note,) = context.notes
    assert (note.code, note.params) == ("trail_capped", {"events": 5, "oldest": "11:56"})  # the oldest read


# --- Lambda versions and aliases -------------------------------------------------------------------


def _version(number: str, at: datetime, code: str) -> dict[str, Any]:
    return {
        "FunctionName": FUNCTION,
        "Version": number,
        "LastModified": at.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "CodeSha256": code,
    }


def test_versions_count_only_inside_the_window() -> None:
    versions = [
        _version("$LATEST", WINDOW.start + timedelta(minutes=5), "c3"),
        _version("40", WINDOW.start - timedelta(seconds=1), "c1"),
        _version("41", WINDOW.start, "c2"),
        _version("42", WINDOW.start + timedelta(minutes=5), "c2"),
    ]
    changes = _version_changes(FUNCTION, versions, WINDOW)
    assert [(c.identifier, c.previous) for c in changes] == [("41", "40"), ("42", "41"), ("$LATEST", None)]
    assert "new code" in (changes[0].detail or "")
    assert "same code" in (changes[1].detail or "")
    assert changes[2].detail == "$LATEST updated and not published"


@pytest.fixture
def emulated() -> Iterator[Any]:
    with mock_aws():
        role = boto3.client("iam").create_role(RoleName="fn-role", AssumeRolePolicyDocument="{}")["Role"][
            "Arn"
        ]
        lam = boto3.client("lambda", region_name="us-east-1")
        lam.create_function(
            FunctionName=FUNCTION,
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": _zip()},
        )
        yield lam


def _zip(result: str = "None") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", f"def handler(event, context):\n    return {result}\n")
    return buffer.getvalue()


def _publish(lam: Any, *releases: str) -> None:
    """New code, then a version: Lambda publishes no new version of unchanged code."""
    for release in releases:
        lam.update_function_code(FunctionName=FUNCTION, ZipFile=_zip(repr(release)))
        lam.publish_version(FunctionName=FUNCTION, Description=release)


def _now_window() -> Window:
    now = datetime.now(UTC)
    return Window(start=now - timedelta(hours=1), end=now + timedelta(minutes=1))


def test_a_canary_alias_names_the_new_version_and_the_rollback_target(emulated: Any) -> None:
    _publish(emulated, "v41", "v42")
    emulated.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion="1",
                          RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})  # fmt: skip
    changes = lambda_changes(_context(**{"lambda": emulated}), FUNCTION, _now_window()).changes
    (alias,) = [c for c in changes if c.kind == "lambda_alias"]
    assert alias.resource == f"{FUNCTION}:live"
    assert (alias.identifier, alias.previous) == ("2", "1")
    assert alias.detail == "live: 1 90% / 2 10%"
    assert {c.identifier for c in changes if c.kind == "lambda_version"} == {"1", "2"}


def test_a_full_alias_move_names_the_version_before(emulated: Any) -> None:
    _publish(emulated, "v41", "v42")
    emulated.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion="2")
    changes = lambda_changes(_context(**{"lambda": emulated}), FUNCTION, _now_window()).changes
    (alias,) = [c for c in changes if c.kind == "lambda_alias"]
    assert (alias.identifier, alias.previous, alias.detail) == ("2", "1", "live: 1 -> 2")


# --- CodeDeploy ------------------------------------------------------------------------------------

_APPSPEC = (
    '{"version": 0.0, "Resources": [{"checkout": {"Type": "AWS::Lambda::Function", "Properties": '
    '{"Name": "checkout-fn", "Alias": "live", "CurrentVersion": "41", "TargetVersion": "42"}}}]}'
)


def _deployment(deployment_id: str, app: str, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "applicationName": app,
        "deploymentGroupName": f"{app}-group",
        "deploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        "deploymentId": deployment_id,
        "revision": {"revisionType": "AppSpecContent", "appSpecContent": {"content": content}},
        "createTime": STATE_CHANGE - timedelta(minutes=12),
        "creator": "user",
        "computePlatform": "Lambda",
        **extra,
    }


def test_an_alarm_rollback_is_detected_and_unrelated_deployments_dropped(stubbed: Any) -> None:
    codedeploy, stub = stubbed("codedeploy")
    stub.add_response(
        "list_deployments",
        {"deployments": ["d-AAA", "d-BBB"]},
        {"createTimeRange": {"start": WINDOW.start, "end": WINDOW.end}},
    )
    rolled_back = _deployment(
        "d-AAA", "checkout", _APPSPEC, status="Stopped",
        errorInformation={"code": "ALARM_ACTIVE", "message": "One or more alarms have been activated"},
        rollbackInfo={"rollbackDeploymentId": "d-CCC", "rollbackMessage": "Deployment d-AAA was rolled back"},
    )  # fmt: skip
    other = _deployment("d-BBB", "billing", _APPSPEC.replace("checkout-fn", "billing-fn"), status="Succeeded")
    stub.add_response(
        "batch_get_deployments",
        {"deploymentsInfo": [rolled_back, other]},
        {"deploymentIds": ["d-AAA", "d-BBB"]},
    )
    deployments = codedeploy_deployments(_context(codedeploy=codedeploy), WINDOW)
    changes = [c for d in deployments if (c := codedeploy_change(d, [FUNCTION])) is not None]
    (change,) = changes
    assert change.identifier == "d-AAA"
    assert change.previous == "41"
    assert change.status == "Stopped"
    assert change.rolled_back is True
    assert change.detail is not None
    assert "41 -> 42" in change.detail
    assert "rolled back by an alarm" in change.detail


# --- ECS -------------------------------------------------------------------------------------------


def _service(described: dict[str, Any]) -> EcsServiceRef:
    """The scope's view of a DescribeServices entry."""
    return service_ref(described)


def test_an_ecs_deployment_names_the_task_definition_to_roll_back_to() -> None:
    task = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web"
    service = {
        "serviceName": "web",
        "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
        "taskDefinition": f"{task}:42",
        "deployments": [
            {"id": "ecs-svc/2", "status": "PRIMARY", "taskDefinition": f"{task}:42", "desiredCount": 4,
             "runningCount": 1, "failedTasks": 6, "createdAt": STATE_CHANGE - timedelta(minutes=15),
             "rolloutState": "FAILED",
             "rolloutStateReason": "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1"},
            {"id": "ecs-svc/1", "status": "ACTIVE", "taskDefinition": f"{task}:41", "desiredCount": 4,
             "runningCount": 3, "createdAt": STATE_CHANGE - timedelta(days=3), "rolloutState": "COMPLETED"},
        ],
    }  # fmt: skip
    (change,) = ecs_changes(_service(service), WINDOW)  # the deployment of three days ago is not recent
    assert change.resource == "prod/web"
    assert (change.identifier, change.previous) == ("web:42", "web:41")
    assert change.status == "FAILED"
    assert change.rolled_back is True
    assert "6 failed tasks" in (change.detail or "")


def test_a_finished_ecs_rollout_still_names_the_revision_before_it() -> None:
    task = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web"
    service = {
        "serviceName": "web",
        "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
        "deployments": [
            {"id": "ecs-svc/3", "status": "PRIMARY", "taskDefinition": f"{task}:7", "desiredCount": 2,
             "runningCount": 2, "createdAt": STATE_CHANGE - timedelta(minutes=12), "rolloutState": "COMPLETED"},
        ],
    }  # fmt: skip
    (change,) = ecs_changes(_service(service), WINDOW)
    assert (change.identifier, change.previous) == ("web:7", "web:6")


# --- AppConfig -------------------------------------------------------------------------------------


def test_a_tagged_appconfig_flag_rolled_back_by_an_alarm(stubbed: Any) -> None:
    appconfig, stub = stubbed("appconfig")
    stub.add_response("list_applications", {"Items": [{"Id": "app1", "Name": "checkout"},
                                                      {"Id": "app2", "Name": "checkout-admin"}]})  # fmt: skip
    stub.add_response(
        "list_environments",
        {"Items": [{"ApplicationId": "app1", "Id": "env1", "Name": "prod"},
                   {"ApplicationId": "app1", "Id": "env2", "Name": "staging"}]},
        {"ApplicationId": "app1"},
    )  # fmt: skip
    context = _context(appconfig=appconfig)
    pairs = appconfig_targets(context, appconfig, "checkout/prod", [FUNCTION])
    assert [(app["Name"], env["Name"]) for app, env in pairs] == [("checkout", "prod")]

    def item(number: int, version: str, state: str, started: datetime) -> dict[str, Any]:
        return {"DeploymentNumber": number, "ConfigurationProfileId": "prof1", "ConfigurationName": "flags",
                "ConfigurationVersion": version, "State": state, "PercentageComplete": 20.0, "StartedAt": started}  # fmt: skip

    stub.add_response(
        "list_deployments",
        {"Items": [item(3, "7", "ROLLED_BACK", STATE_CHANGE - timedelta(minutes=8)),
                   item(2, "6", "COMPLETE", STATE_CHANGE - timedelta(days=2))]},
        {"ApplicationId": "app1", "EnvironmentId": "env1", "MaxResults": ANY},
    )  # fmt: skip
    stub.add_response(
        "get_deployment",
        {"DeploymentNumber": 3, "State": "ROLLED_BACK",
         "EventLog": [{"EventType": "ROLLBACK_STARTED", "TriggeredBy": "CLOUDWATCH_ALARM",
                       "Description": "Rollback initiated by alarm", "OccurredAt": STATE_CHANGE}]},
        {"ApplicationId": "app1", "EnvironmentId": "env1", "DeploymentNumber": 3},
    )  # fmt: skip
    app, env = pairs[0]
    (change,) = appconfig_changes(context, app, env, WINDOW)
    assert change.resource == "checkout/prod"
    assert (change.identifier, change.previous) == ("flags version 7", "flags version 6")
    assert change.rolled_back is True
    assert "rolled back by an alarm" in (change.detail or "")


def test_appconfig_without_a_tag_relates_applications_by_name(stubbed: Any) -> None:
    appconfig, stub = stubbed("appconfig")
    stub.add_response(
        "list_applications", {"Items": [{"Id": "a1", "Name": "checkout"}, {"Id": "a2", "Name": "fn"}]}
    )
    stub.add_response("list_environments", {"Items": [{"ApplicationId": "a1", "Id": "e1", "Name": "prod"}]})
    pairs = appconfig_targets(_context(), appconfig, None, [FUNCTION])
    assert [app["Name"] for app, _ in pairs] == ["checkout"]  # "fn" is too short to relate by name


# --- CloudFormation --------------------------------------------------------------------------------


def test_stacks_in_question_are_the_alarms_own_and_those_cloudtrail_saw_updated() -> None:
    at = STATE_CHANGE - timedelta(minutes=20)
    arn = "arn:aws:cloudformation:eu-west-1:123456789012:stack/payments/6f1e"
    events = [
        _trail_event("UpdateStack", at, {"stackName": "checkout"}, source="cloudformation.amazonaws.com"),
        _trail_event("ExecuteChangeSet", at, {"stackName": arn, "changeSetName": "cs1"},
                     source="cloudformation.amazonaws.com"),
        _trail_event("UpdateStack", at, {"stackName": "refused"}, error="AccessDenied",
                     source="cloudformation.amazonaws.com"),
        _trail_event("UpdateFunctionCode20150331v2", at, {"functionName": FUNCTION}),
    ]  # fmt: skip
    assert updated_stacks(events) == ["checkout", "payments"]


def test_no_stack_in_question_costs_no_call() -> None:
    context = _context()
    assert cloudformation_changes(context, [], WINDOW) == []
    assert context.clients.total_calls == 0


def test_a_stack_update_that_rolled_back() -> None:
    def event(logical: str, status: str, minutes: int, physical: str, kind: str) -> dict[str, Any]:
        return {"StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/checkout/1", "EventId": f"{logical}-{status}",
                "StackName": "checkout", "LogicalResourceId": logical, "PhysicalResourceId": physical,
                "ResourceType": kind, "ResourceStatus": status, "Timestamp": STATE_CHANGE - timedelta(minutes=minutes)}  # fmt: skip

    stack, fn = "AWS::CloudFormation::Stack", "AWS::Lambda::Function"
    events = [
        event("checkout", "UPDATE_IN_PROGRESS", 30, "arn:stack", stack),
        event("CheckoutFunction", "UPDATE_COMPLETE", 29, FUNCTION, fn),
        event("OtherFunction", "UPDATE_COMPLETE", 29, "other-fn", fn),
        event("checkout", "UPDATE_ROLLBACK_IN_PROGRESS", 25, "arn:stack", stack),
        event("checkout", "UPDATE_ROLLBACK_COMPLETE", 20, "arn:stack", stack),
    ]
    (change,) = stack_changes("checkout", events, {FUNCTION})
    assert change.at == STATE_CHANGE - timedelta(minutes=30)
    assert change.status == "UPDATE_ROLLBACK_COMPLETE"
    assert change.rolled_back is True
    assert change.detail == "in scope: CheckoutFunction UPDATE_COMPLETE"


# --- assembly --------------------------------------------------------------------------------------


def test_an_alias_absorbs_the_calls_that_moved_it() -> None:
    estimated = STATE_CHANGE - timedelta(minutes=30)
    alias = Change(kind="lambda_alias", at=estimated, resource=f"{FUNCTION}:live", action="weighted alias (canary)",
                   identifier="42", previous="41", detail="live: 41 90% / 42 10%")  # fmt: skip
    moved = [
        Change(kind="api_call", at=STATE_CHANGE - timedelta(minutes=m), resource=FUNCTION, action="UpdateAlias",
               actor=f"codedeploy-{m}")
        for m in (20, 10)
    ]  # fmt: skip
    other = Change(kind="api_call", at=STATE_CHANGE, resource=FUNCTION, action="PutFunctionConcurrency")
    merged = merge([alias], [(c, ("lambda_alias", f"{FUNCTION}:live")) for c in moved] + [(other, None)])
    assert merged == [alias, other]
    assert alias.at == STATE_CHANGE - timedelta(minutes=20)  # when the shift began
    assert alias.actor == "codedeploy-20"
    assert alias.detail == "live: 41 90% / 42 10%; 2 alias updates, the last at 11:50"


def test_deployments_are_kept_first_and_listed_oldest_first() -> None:
    calls = [
        Change(
            kind="api_call", at=STATE_CHANGE - timedelta(minutes=m), resource=FUNCTION, action="UpdateAlias"
        )
        for m in range(5)
    ]
    deployment = Change(
        kind="codedeploy", at=STATE_CHANGE - timedelta(minutes=50), resource="a/g", action="x"
    )
    kept = select([*calls, deployment], limit=3)
    assert kept == [deployment, calls[1], calls[0]]


def _recent_lambda_alarm() -> Alarm:
    event = alarm_event(namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": FUNCTION})
    stamp = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    event["detail"]["state"]["timestamp"] = stamp
    event["detail"]["alarmTags"] = {}
    return parse_alarm_event(event)


def test_access_denied_becomes_a_gap_and_the_other_sources_still_count(emulated: Any, stubbed: Any) -> None:
    the_alarm = _recent_lambda_alarm()
    _publish(emulated, "v41", "v42")
    emulated.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion="2")
    codedeploy, codedeploy_stub = stubbed("codedeploy")
    codedeploy_stub.add_response("list_deployments", {"deployments": ["d-AAA"]})
    deployment = _deployment("d-AAA", "checkout", _APPSPEC, status="Succeeded")
    deployment["createTime"] = the_alarm.state_changed_at - timedelta(minutes=40)
    codedeploy_stub.add_response("batch_get_deployments", {"deploymentsInfo": [deployment]})
    appconfig, appconfig_stub = stubbed("appconfig")
    appconfig_stub.add_response("list_applications", {"Items": []})
    cloudtrail, cloudtrail_stub = stubbed("cloudtrail")
    cloudtrail_stub.add_client_error("lookup_events", "AccessDeniedException", "not authorized", 400)
    clients = AwsClients(region="us-east-1", codedeploy=codedeploy, appconfig=appconfig, cloudtrail=cloudtrail,
                         **{"lambda": emulated})  # fmt: skip
    context = context_for(clients, the_alarm)
    result = BY_NAME["changes"]
    data = gather_changes(context)

    assert isinstance(data, ChangesData)
    assert not result.empty(data)
    assert data.looked_at == [FUNCTION, "fn-role"]  # the function, and the role it runs as
    (note,) = context.notes
    assert (note.code, note.params["part"], note.params["error"]) == (
        "unavailable",
        "cloudtrail",
        "AccessDeniedException",
    )
    assert (data.changes[0].kind, data.changes[0].identifier) == ("codedeploy", "d-AAA")  # the oldest
    assert {(c.kind, c.identifier) for c in data.changes[1:]} == {
        ("lambda_version", "1"),
        ("lambda_version", "2"),
        ("lambda_alias", "2"),
    }
    assert data.window.end == the_alarm.state_changed_at
