"""The real statemachine/analyze.asl.json, run by the emulator's Step Functions engine with the real
handlers: every demo incident end to end, a malformed event, a failing source, a duplicate event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from alarm_analyzer.aws import AwsClients
from alarm_devtools.emulator import Emulator
from alarm_devtools.emulator.scenarios import DEMO_SCENARIOS
from tests.intake_corpus import MALFORMED, Kind


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        yield running


def _one_execution(emulator: Emulator, event: dict[str, Any]) -> dict[str, Any]:
    executions = emulator.put_event(event)
    assert len(executions) == 1, "the template's EventBridge pattern should match the alarm event once"
    return emulator.wait(executions[0])


@pytest.mark.parametrize("name", sorted(DEMO_SCENARIOS))
def test_each_demo_incident_gets_its_category_in_exactly_one_message(emulator: Emulator, name: str) -> None:
    scenario = DEMO_SCENARIOS[name]
    incident = emulator.seed(scenario)
    execution = _one_execution(emulator, incident.event)
    assert execution["status"] == "SUCCEEDED"
    reports = emulator.reports()
    assert len(reports) == 1
    assert reports[0].root_cause.category == scenario.expected
    assert reports[0].alarm.name == scenario.alarm.name
    assert emulator.dead_letters() == []


def test_a_malformed_event_lands_in_the_dead_letter_queue_intact(emulator: Emulator) -> None:
    event = {
        "version": "0",
        "id": "5b6e1c2a-0000-0000-0000-000000000000",
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "region": "us-east-1",
        "resources": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:half-an-event"],
        "detail": {"alarmName": "half-an-event", "state": {"value": "ALARM"}},
    }
    execution = emulator.wait(emulator.start(event))
    assert execution["status"] == "FAILED"
    (dead,) = emulator.dead_letters()
    assert dead["input"] == event
    assert dead["error"] == "InvalidAlarmEvent"
    assert "detail.state.timestamp" in dead["cause"] or "detail.configuration" in dead["cause"]
    assert emulator.reports() == []


# What used to crash a gatherer, and what used to be analyzed although AWS cannot send it.
HOSTILE = [kind for kind in MALFORMED if kind.name in {"evaluatedDatapoints an integer", "region a path"}]


@pytest.mark.parametrize("kind", HOSTILE, ids=[kind.name for kind in HOSTILE])
def test_a_hostile_event_is_dead_lettered_with_the_field_named(emulator: Emulator, kind: Kind) -> None:
    event = kind.payload()
    execution = emulator.wait(emulator.start(event))
    assert execution["status"] == "FAILED"
    (dead,) = emulator.dead_letters()
    assert dead["input"] == event
    assert dead["error"] == "InvalidAlarmEvent"
    assert f"{kind.field}:" in dead["cause"]
    assert emulator.reports() == []


def test_a_source_refused_by_iam_becomes_a_gap_in_the_report(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = emulator.seed(DEMO_SCENARIOS["slow-external"])
    denied = boto3.client("logs", region_name=emulator.region)
    stubber = Stubber(denied)
    for operation in ("describe_log_groups", "filter_log_events"):
        stubber.add_client_error(
            operation,
            service_error_code="AccessDeniedException",
            service_message=f"User is not authorized to perform: logs:{operation}",
            http_status_code=400,
        )
    stubber.activate()
    monkeypatch.setattr(AwsClients, "logs", property(lambda _: denied))
    execution = _one_execution(emulator, incident.event)
    assert execution["status"] == "SUCCEEDED"
    (report,) = emulator.reports()
    gaps = {gap.source: gap.reason for gap in report.gaps}
    assert "AccessDeniedException" in gaps["logs"]
    assert report.stats.sources["logs"].status == "error"
    assert report.root_cause.category == "downstream_dependency_latency"  # traces still tell the story


def test_a_duplicate_event_is_published_once(emulator: Emulator) -> None:
    incident = emulator.seed(DEMO_SCENARIOS["slow-logic"])
    first = _one_execution(emulator, incident.event)
    second = _one_execution(emulator, incident.event)
    assert first["status"] == second["status"] == "SUCCEEDED"
    assert len(emulator.reports()) == 1
    first_output, second_output = json.loads(first["output"]), json.loads(second["output"])
    assert first_output["message_id"] == second_output["message_id"]
    assert first_output["incident_id"] == second_output["incident_id"]


def test_a_gatherer_function_that_times_out_becomes_a_gap(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = emulator.seed(DEMO_SCENARIOS["db-connection-pool"])
    invoke = emulator.runtime.invoke

    def traces_time_out(function: Any, event: Any) -> tuple[str, bool, str]:
        if function.function_name.endswith("GatherTracesFunction"):
            # What Lambda returns when the function runs past its timeout.
            timeout = {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out after 60.00 seconds"}
            return json.dumps(timeout), True, ""
        return invoke(function, event)

    monkeypatch.setattr(emulator.runtime, "invoke", traces_time_out)
    execution = _one_execution(emulator, incident.event)
    assert execution["status"] == "SUCCEEDED"
    (report,) = emulator.reports()
    assert report.stats.sources["traces"].status == "error"
    assert any(g.source == "traces" and "Sandbox.Timedout" in g.reason for g in report.gaps)
    assert report.root_cause.category == "database_connection_exhaustion"  # logs and metrics suffice
    assert emulator.dead_letters() == []
