"""The files SAM deploys and runs locally: template, state machine definition, sample events."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import SnsModel

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.delivery import message_from_sns
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.models import CorrelateInput, GatherInput
from alarm_analyzer.sources import NAMES, SCOPE_ACTIONS, SCOPE_FUNCTION, SOURCES
from alarm_devtools import workflow
from alarm_devtools.emulator.template import Stack, load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
MEMBER = load_template(ROOT / "member.yaml")
ASL = json.loads((ROOT / "statemachine/analyze.asl.json").read_text())
FUNCTIONS = {k: v for k, v in TEMPLATE["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
# The functions that read where the alarm is: in a member account, through its role.
READERS = {SCOPE_FUNCTION, *(spec.function for spec in SOURCES)}
# How a reader may assume the member roles: only when the stack has members.
MEMBER_ACCESS = {"Fn::If": ["HasMembers", {"Ref": "MemberReadPolicy"}, {"Ref": "AWS::NoValue"}]}


def _states(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = dict(definition["States"])
    for state in definition["States"].values():
        for branch in state.get("Branches", []):
            found |= _states(branch)
    return found


def test_every_function_has_its_handler_and_an_input_event() -> None:
    for resource in FUNCTIONS.values():
        code = ROOT / resource["Properties"]["CodeUri"]
        assert (code / "app.py").is_file()
        # Every gatherer gets the same input: the event and its scope.
        sample = "gather" if code.name.startswith("gather_") else code.name
        assert (ROOT / "events" / f"{sample}.json").is_file(), f"events/{sample}.json is missing"


def test_substitutions_match_the_definition() -> None:
    (machine,) = [r for r in TEMPLATE["Resources"].values() if r["Type"] == "AWS::Serverless::StateMachine"]
    used = set(re.findall(r"\$\{(\w+)\}", (ROOT / machine["Properties"]["DefinitionUri"]).read_text()))
    assert used == set(machine["Properties"]["DefinitionSubstitutions"])


def test_the_definition_is_generated_from_the_declared_sources() -> None:
    assert (ROOT / "statemachine/analyze.asl.json").read_text() == workflow.rendered(), "run make asl"


def test_the_scope_first_then_a_parallel_branch_per_source_then_correlate() -> None:
    assert ASL["StartAt"] == "ResolveScope"
    gather = ASL["States"][ASL["States"]["ResolveScope"]["Next"]]
    assert gather["Type"] == "Parallel"
    lost = [
        state["Parameters"]["source"]
        for branch in gather["Branches"]
        for state in branch["States"].values()
        if state["Type"] == "Pass"
    ]
    assert lost == list(NAMES)
    assert gather["Next"] == "Correlate"
    unresolved = ASL["States"]["ScopeUnresolved"]
    assert unresolved["Next"] == "Gather"  # a failed scope still gives an analysis, from the event alone
    assert unresolved["Parameters"]["event.$"] == "$$.Execution.Input"


def test_every_task_retries_transient_errors_and_every_failure_reaches_the_dead_letter_queue() -> None:
    states = _states(ASL)
    for name, state in states.items():
        if state["Type"] == "Task":
            assert state.get("Retry"), f"{name} has no Retry"
    rejected, lost = ASL["States"]["ResolveScope"]["Catch"]
    assert rejected["ErrorEquals"] == ["InvalidAlarmEvent"]  # an event no source can use: the DLQ
    assert rejected["Next"] == "SendToDeadLetterQueue"
    assert (lost["ErrorEquals"], lost["Next"]) == (["States.ALL"], "ScopeUnresolved")
    # A duplicate whose report is being published waits for it instead of failing into the DLQ.
    in_progress = [
        r
        for r in ASL["States"]["Correlate"]["Retry"]
        if r["ErrorEquals"] == ["IdempotencyAlreadyInProgressError"]
    ]
    assert in_progress
    assert in_progress[0]["MaxAttempts"] >= 5
    for name in ("Gather", "Correlate"):
        (catch,) = ASL["States"][name]["Catch"]
        assert catch["ErrorEquals"] == ["States.ALL"]
        assert catch["Next"] == "SendToDeadLetterQueue"
    for branch in ASL["States"]["Gather"]["Branches"]:
        task = branch["States"][branch["StartAt"]]
        (lost,) = task["Catch"]
        assert lost["ErrorEquals"] == ["States.ALL"]
        assert branch["States"][lost["Next"]]["Parameters"]["status"] == "error"  # any failure: a gap
    body = ASL["States"]["SendToDeadLetterQueue"]["Parameters"]["MessageBody"]
    assert body["input.$"] == "$$.Execution.Input"
    assert ASL["States"][ASL["States"]["SendToDeadLetterQueue"]["Next"]]["Type"] == "Fail"


# Verbs of read actions; API Gateway's one read action is its HTTP verb, apigateway:GET.
READ_VERBS = ("Describe", "List", "Get", "Filter", "BatchGet", "Lookup")


def _own_statements(function: str) -> list[dict[str, Any]]:
    """The statements of a function's inline policies (the member access policy is checked on its own)."""
    policies = FUNCTIONS[function]["Properties"]["Policies"]
    return [s for p in policies if p != MEMBER_ACCESS for s in p["Statement"]]


def _granted(function: str) -> set[str]:
    statements = _own_statements(function)
    actions: set[str] = set()
    for statement in statements:
        granted = statement["Fn::If"][1]["Action"] if "Fn::If" in statement else statement["Action"]
        actions |= {granted} if isinstance(granted, str) else set(granted)
    return actions


def test_each_function_policy_grants_exactly_what_its_source_declares() -> None:
    assert _granted(SCOPE_FUNCTION) == SCOPE_ACTIONS
    for spec in SOURCES:
        assert _granted(spec.function) == spec.actions, spec.name


def test_correlate_may_only_publish_to_the_topic_and_use_its_table() -> None:
    policies = FUNCTIONS["CorrelateFunction"]["Properties"]["Policies"]
    assert policies[0] == {
        "SNSPublishMessagePolicy": {"TopicName": {"Fn::GetAtt": ["ReportTopic", "TopicName"]}}
    }
    (key,) = policies[1]["Statement"]  # only with a customer key for the topic: that key
    assert key["Fn::If"][0] == "HasTopicKey"
    assert key["Fn::If"][1]["Resource"] == {"Ref": "TopicKmsKeyArn"}
    (statement,) = policies[2]["Statement"]
    assert statement["Resource"] == {"Fn::GetAtt": ["IdempotencyTable", "Arn"]}
    assert all(action.startswith("dynamodb:") for action in statement["Action"])


def test_gatherers_only_read() -> None:
    for logical_id in FUNCTIONS:
        if not logical_id.startswith("Gather"):
            continue
        statements = _own_statements(logical_id)
        always = [
            a
            for s in statements
            if "Action" in s
            for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        ]
        verbs = {a.split(":")[1] for a in always}
        assert all(v.startswith(READ_VERBS) or v == "GET" for v in verbs), logical_id
        # The one conditional grant: reading (never deleting) a dead-letter message, when opted in, from
        # queues tagged for it.
        conditional = [s["Fn::If"] for s in statements if "Fn::If" in s]
        assert all(c[0] == "PeekDeadLetters" and c[1]["Action"] == "sqs:ReceiveMessage" for c in conditional)
        assert all(
            c[1]["Condition"] == {"StringEquals": {"aws:ResourceTag/analyzer:peek": "true"}}
            for c in conditional
        )


def _actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def _policy_statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    """An IAM role's inline policy statements, a conditional one (Fn::If) counted as granted."""
    statements = [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
    return [s["Fn::If"][1] if "Fn::If" in s else s for s in statements]


def test_the_member_role_reads_exactly_what_the_central_functions_read() -> None:
    role = MEMBER["Resources"]["ReaderRole"]
    granted = {a for s in _policy_statements(role) for a in _actions(s)}
    assert "iam:ListAccountAliases" in granted  # the account's name in the report's header
    assert granted == SCOPE_ACTIONS.union(*(spec.actions for spec in SOURCES))
    assert all(s["Effect"] == "Allow" for s in _policy_statements(role))
    # Every read on "*", but the two whose resources hold secrets next to what is read: API Gateway's
    # paths (API keys are paths too) and Parameter Store (only the CloudWatch agent's configuration).
    scoped = {frozenset(_actions(s)) for s in _policy_statements(role) if s["Resource"] != "*"}
    assert scoped == {frozenset({"apigateway:GET"}), frozenset({"ssm:GetParameters"})}
    paths = next(s["Resource"] for s in _policy_statements(role) if _actions(s) == {"apigateway:GET"})
    assert not any("apikeys" in path["Fn::Sub"] or path["Fn::Sub"].endswith("::/*") for path in paths)
    # As in the central stack, reading one dead-letter message is granted only when opted in.
    conditional = [s["Fn::If"] for p in role["Properties"]["Policies"]
                   for s in p["PolicyDocument"]["Statement"] if "Fn::If" in s]  # fmt: skip
    assert [(c[0], c[1]["Action"]) for c in conditional] == [("PeekDeadLetters", "sqs:ReceiveMessage")]


def test_the_member_template_deploys_nothing_that_writes() -> None:
    resources = MEMBER["Resources"]
    assert {r["Type"] for r in resources.values()} == {"AWS::Events::Rule", "AWS::IAM::Role"}
    central_bus = {
        "Fn::Sub": "arn:${AWS::Partition}:events:${CentralRegion}:${CentralAccountId}:event-bus/"
        "${CentralStackName}-alarms"
    }
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in _policy_statements(resource):
            verbs = {a.split(":")[1] for a in _actions(statement)}
            if verbs == {"PutEvents"}:  # the forwarding rule's role: the central bus, nothing else
                assert statement["Resource"] == central_bus, logical_id
                continue
            assert all(v.startswith(READ_VERBS) or v in ("GET", "ReceiveMessage") for v in verbs), logical_id
    (target,) = resources["AlarmForwardingRule"]["Properties"]["Targets"]
    assert target["Arn"] == central_bus
    assert target["RoleArn"] == {"Fn::GetAtt": ["AlarmForwardingRole", "Arn"]}


def test_the_member_role_trusts_only_the_central_reading_functions() -> None:
    (trust,) = MEMBER["Resources"]["ReaderRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${CentralAccountId}:root"}}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {
        "ArnLike": {
            "aws:PrincipalArn": {
                "Fn::Sub": "arn:${AWS::Partition}:iam::${CentralAccountId}:role/${CentralStackName}/*"
            }
        }
    }
    # In the central stack, that path holds the readers' roles and no other function's; only the readers
    # may assume the member role, and only the member role.
    paths = {k: f["Properties"].get("RolePath") for k, f in FUNCTIONS.items()}
    assert {k for k, path in paths.items() if path} == READERS
    assert {paths[k]["Fn::Sub"] for k in READERS} == {"/${AWS::StackName}/"}
    assert {k for k, f in FUNCTIONS.items() if MEMBER_ACCESS in f["Properties"]["Policies"]} == READERS
    (assume,) = TEMPLATE["Resources"]["MemberReadPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert assume["Action"] == "sts:AssumeRole"
    assert assume["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:iam::*:role/${MemberRoleName}"}


def test_member_alarms_reach_the_admission_queue_through_the_same_pattern() -> None:
    own = TEMPLATE["Resources"]["AlarmStateChangeRule"]["Properties"]
    (own_target,) = own["Targets"]
    rule = TEMPLATE["Resources"]["MemberAlarmStateChangeRule"]["Properties"]
    assert rule["EventPattern"] == own["EventPattern"]
    assert rule["EventBusName"] == {"Ref": "AlarmEventBus"}
    assert TEMPLATE["Resources"]["AlarmEventBus"]["Properties"]["Name"] == {
        "Fn::Sub": "${AWS::StackName}-alarms"
    }
    (target,) = rule["Targets"]
    assert target["Arn"] == own_target["Arn"] == {"Fn::GetAtt": ["AdmissionQueue", "Arn"]}
    assert target["DeadLetterConfig"] == own_target["DeadLetterConfig"]
    assert target["RetryPolicy"] == own_target["RetryPolicy"]
    # Members forward every ALARM and OK change; the central patterns choose which to analyze.
    forwarded = MEMBER["Resources"]["AlarmForwardingRule"]["Properties"]["EventPattern"]
    assert forwarded["detail"]["state"]["value"] == ["ALARM", "OK"]
    assert {k: forwarded[k] for k in ("source", "detail-type")} == {
        k: own["EventPattern"][k] for k in ("source", "detail-type")
    }


def test_the_readmes_permission_table_lists_what_each_reading_function_may_do() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", (ROOT / "README.md").read_text(), re.MULTILINE))
    for logical_id in READERS:
        name = Path(FUNCTIONS[logical_id]["Properties"]["CodeUri"]).name
        assert set(re.findall(r"`([a-z0-9-]+:[A-Za-z]+)`", rows[name])) == _granted(logical_id), name


def test_without_members_the_stack_is_the_single_account_one() -> None:
    single = Stack(ROOT, AwsClients(region="us-east-1"))
    for kind in ("AWS::Events::EventBus", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role"):
        assert single.resources(kind) == {}, kind
    assert set(single.resources("AWS::Events::Rule")) == {"AlarmStateChangeRule"}  # the default bus's alone
    role_name = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]["MEMBER_ROLE_NAME"]
    assert single.resolve(role_name) == ""  # no role is ever assumed
    members = Stack(ROOT, AwsClients(region="us-east-1"), {"MemberAccountIds": "111122223333,444455556666"})
    assert set(members.resources("AWS::Events::EventBus")) == {"AlarmEventBus"}
    assert members.resolve(role_name) == "alarm-analyzer-reader"


@pytest.mark.parametrize("path", sorted((ROOT / "events").glob("*.json")), ids=lambda p: p.name)
def test_every_sample_event_parses_with_the_model_its_function_expects(path: Path) -> None:
    payload = json.loads(path.read_text())
    if path.name.startswith("notify"):
        for record in parse(event=payload, model=SnsModel).Records:
            assert message_from_sns(str(record.Sns.Message)).incident_id
    elif path.name.startswith("correlate"):
        request = CorrelateInput.model_validate(payload)
        assert [r.source for r in request.results] == list(NAMES)
        assert request.scope is not None
        parse_alarm_event(request.event)
    elif path.name == "start_analysis.json":
        for record in payload["Records"]:
            assert parse_alarm_event(json.loads(record["body"])).state == "ALARM"
    elif path.name == "gather.json":
        gathered = GatherInput.model_validate(payload)
        assert gathered.scope is not None
        assert parse_alarm_event(gathered.event).state == "ALARM"
    else:
        assert parse_alarm_event(payload).state == "ALARM"
