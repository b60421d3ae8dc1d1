"""The starter: one execution per incident, duplicates as successful no-ops, redrives analyzed again,
and a message back in the queue whenever its analysis ended without a report or a dead letter."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from alarm_analyzer.admission import (
    NAME_LIMIT,
    AnalysisNotFinished,
    admit,
    execution_arn,
    execution_name,
    unwrap,
)
from alarm_analyzer.events import parse_alarm_event

ROOT = Path(__file__).resolve().parents[2]
MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:alarm-analyzer-AnalysisStateMachine"
EVENT = json.loads((ROOT / "events/alarm-metric.json").read_text())
BODY = json.dumps(EVENT)
NAME = execution_name(EVENT, "m-1")
STARTED = datetime(2026, 11, 20, 3, 13, tzinfo=UTC)


def _described(name: str, status: str, error: str | None = None) -> dict[str, Any]:
    described: dict[str, Any] = {
        "executionArn": execution_arn(MACHINE, name),
        "stateMachineArn": MACHINE,
        "status": status,
        "startDate": STARTED,
    }
    if status != "RUNNING":
        described["stopDate"] = STARTED
    if error:
        described["error"] = error
    return described


@pytest.fixture
def sfn() -> Any:
    client = boto3.client("stepfunctions", region_name="eu-west-1")
    with Stubber(client) as stubber:
        client.stubber = stubber
        yield client
        stubber.assert_no_pending_responses()


def _admit(sfn: Any, body: str = BODY, message_id: str = "m-1", deadline: float = float("inf")) -> Any:
    return admit(sfn, MACHINE, body, message_id, deadline=deadline, poll_seconds=0.01, sleep=lambda _: None)


def _expect_start(sfn: Any, name: str, body: str = BODY) -> None:
    sfn.stubber.add_response(
        "start_execution",
        {"executionArn": execution_arn(MACHINE, name), "startDate": STARTED},
        {"stateMachineArn": MACHINE, "name": name, "input": body},
    )


def _expect_exists(sfn: Any, name: str) -> None:
    sfn.stubber.add_client_error(
        "start_execution",
        service_error_code="ExecutionAlreadyExists",
        service_message=f"Execution Already Exists: '{execution_arn(MACHINE, name)}'",
        expected_params={"stateMachineArn": MACHINE, "name": name, "input": ANY},
    )


def _expect_describe(sfn: Any, name: str, status: str, error: str | None = None) -> None:
    sfn.stubber.add_response(
        "describe_execution", _described(name, status, error), {"executionArn": execution_arn(MACHINE, name)}
    )


def _expect_describe_any(sfn: Any, status: str, error: str | None = None) -> None:
    sfn.stubber.add_response("describe_execution", _described("x", status, error), {"executionArn": ANY})


def test_the_execution_is_named_after_the_incident_in_characters_step_functions_accepts() -> None:
    alarm = parse_alarm_event(EVENT)
    assert f"checkout-api-latency-{alarm.incident_id}" == NAME
    odd = json.loads(BODY)
    odd["detail"]["alarmName"] = "注文 API: p99 > 2s / eu"
    name = execution_name(odd, "m-1")
    assert len(name) <= NAME_LIMIT
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
    assert execution_name({"detail": {}}, "m-1") != execution_name(
        {"detail": {}}, "m-2"
    )  # no incident: by message


def test_a_new_incident_is_started_and_waited_for(sfn: Any) -> None:
    _expect_start(sfn, NAME)
    _expect_describe(sfn, NAME, "RUNNING")
    _expect_describe(sfn, NAME, "SUCCEEDED")
    admitted = _admit(sfn)
    assert (admitted.status, admitted.duplicate) == ("SUCCEEDED", False)


@pytest.mark.parametrize("status", ["RUNNING", "SUCCEEDED"])
def test_a_duplicate_of_an_incident_under_analysis_or_reported_is_a_successful_no_op(
    sfn: Any, status: str
) -> None:
    _expect_exists(sfn, NAME)
    _expect_describe(sfn, NAME, status)
    admitted = _admit(sfn, message_id="m-2")
    assert (admitted.status, admitted.duplicate) == (status, True)


def test_a_duplicate_of_a_dead_lettered_incident_adds_no_second_dead_letter(sfn: Any) -> None:
    _expect_exists(sfn, NAME)
    _expect_describe(sfn, NAME, "FAILED", error="AnalysisFailed")
    assert _admit(sfn, message_id="m-2").duplicate


def test_an_incident_whose_analysis_timed_out_is_analyzed_again_under_a_name_of_its_own(sfn: Any) -> None:
    _expect_exists(sfn, NAME)
    _expect_describe(sfn, NAME, "TIMED_OUT")
    again = f"{NAME[: NAME_LIMIT - 13]}-"
    sfn.stubber.add_response(
        "start_execution",
        {"executionArn": execution_arn(MACHINE, again + "x"), "startDate": STARTED},
        {"stateMachineArn": MACHINE, "name": ANY, "input": BODY},
    )
    _expect_describe_any(sfn, "SUCCEEDED")
    assert not _admit(sfn, message_id="m-2").duplicate


def test_a_redriven_dead_letter_analyzes_its_original_event_again(sfn: Any) -> None:
    dead_letter = json.dumps(
        {"input": EVENT, "error": "States.Timeout", "cause": "...", "execution": "arn:x"}
    )
    sfn.stubber.add_response(
        "start_execution",
        {"executionArn": execution_arn(MACHINE, "again"), "startDate": STARTED},
        {"stateMachineArn": MACHINE, "name": ANY, "input": json.dumps(EVENT)},
    )
    _expect_describe_any(sfn, "SUCCEEDED")
    assert _admit(sfn, body=dead_letter).status == "SUCCEEDED"


@pytest.mark.parametrize(("status", "error"), [("FAILED", "States.Runtime"), ("ABORTED", None)])
def test_an_analysis_that_ends_without_report_or_dead_letter_sends_the_message_back(
    sfn: Any, status: str, error: str | None
) -> None:
    _expect_start(sfn, NAME)
    _expect_describe(sfn, NAME, status, error)
    with pytest.raises(AnalysisNotFinished, match=status):
        _admit(sfn)


def test_an_analysis_the_workflow_dead_lettered_is_done(sfn: Any) -> None:
    _expect_start(sfn, NAME)
    _expect_describe(sfn, NAME, "FAILED", error="AnalysisFailed")
    assert _admit(sfn).status == "FAILED"


def test_a_starter_out_of_time_leaves_the_message_to_rejoin_the_running_execution(sfn: Any) -> None:
    _expect_start(sfn, NAME)
    _expect_describe(sfn, NAME, "RUNNING")
    with pytest.raises(AnalysisNotFinished, match="still running"):
        _admit(sfn, deadline=0.0)


def test_text_that_is_not_json_still_reaches_the_workflow_to_be_refused_with_its_reason() -> None:
    text, event, redriven = unwrap("not json {")
    assert json.loads(text) == "not json {" == event
    assert not redriven
