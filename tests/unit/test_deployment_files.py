"""The files SAM deploys and runs locally: template, state machine definition, sample events."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import SnsModel

from alarm_analyzer.delivery import message_from_sns
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.models import CorrelateInput, GatherInput
from alarm_analyzer.sources import NAMES, SCOPE_ACTIONS, SCOPE_FUNCTION, SOURCES
from alarm_devtools import workflow
from alarm_devtools.emulator.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
ASL = json.loads((ROOT / "statemachine/analyze.asl.json").read_text())
FUNCTIONS = {k: v for k, v in TEMPLATE["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


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


def _granted(function: str) -> set[str]:
    statements = [s for p in FUNCTIONS[function]["Properties"]["Policies"] for s in p["Statement"]]
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
    for logical_id, resource in FUNCTIONS.items():
        if not logical_id.startswith("Gather"):
            continue
        statements = [s for p in resource["Properties"]["Policies"] for s in p["Statement"]]
        always = [
            a
            for s in statements
            if "Action" in s
            for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        ]
        verbs = {a.split(":")[1] for a in always}
        assert all(
            v.startswith(("Describe", "List", "Get", "Filter", "BatchGet", "Lookup")) for v in verbs
        ), logical_id
        # The one conditional grant: reading (never deleting) a dead-letter message, when opted in, from
        # queues tagged for it.
        conditional = [s["Fn::If"] for s in statements if "Fn::If" in s]
        assert all(c[0] == "PeekDeadLetters" and c[1]["Action"] == "sqs:ReceiveMessage" for c in conditional)
        assert all(
            c[1]["Condition"] == {"StringEquals": {"aws:ResourceTag/analyzer:peek": "true"}}
            for c in conditional
        )


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
