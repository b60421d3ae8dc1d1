"""The alarm-analyzer command: investigate against an emulator server, replay, demo, exit codes."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.cli import main
from alarm_analyzer.sources import BY_NAME, NAMES
from alarm_devtools.emulator import seed, world
from alarm_devtools.emulator.scenarios import DEMO_SCENARIOS
from tests.intake_corpus import VALID, Kind

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def moto_server(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    yield endpoint
    server.stop()


def test_investigate_against_an_emulator_server_prints_schema_v1_json(moto_server: str) -> None:
    scenario = DEMO_SCENARIOS["db-connection-pool"]
    seed(AwsClients(region="us-east-1", config=world.SEEDING_CONFIG), scenario)
    environment = {**os.environ, "AWS_ENDPOINT_URL": moto_server, "AWS_REGION": "us-east-1"}
    finished = subprocess.run(
        [sys.executable, "-m", "alarm_analyzer", "investigate", "--alarm-name", scenario.alarm.name, "--format", "json"],
        capture_output=True, text=True, env=environment, timeout=300, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)  # stdout is the JSON report and nothing else
    assert report["schema_version"] == "1"
    assert report["root_cause"]["category"] == "database_connection_exhaustion"
    assert report["alarm"]["name"] == scenario.alarm.name


def _investigate(endpoint: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1"}
    return subprocess.run(
        [sys.executable, "-m", "alarm_analyzer", "investigate", *arguments, "--format", "json"],
        capture_output=True, text=True, env=environment, timeout=300, check=False,
    )  # fmt: skip


def test_investigate_with_a_role_reads_the_alarm_where_it_is(moto_server: str) -> None:
    member, region = "111122223333", "eu-west-1"
    # The server tells accounts apart by credentials: seed the incident as the member's administrator.
    granted = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="seeding"
    )["Credentials"]
    session = boto3.Session(
        region_name=region,
        aws_access_key_id=granted["AccessKeyId"],
        aws_secret_access_key=granted["SecretAccessKey"],
        aws_session_token=granted["SessionToken"],
    )
    scenario = DEMO_SCENARIOS["db-connection-pool"]
    seed(AwsClients(session, config=world.SEEDING_CONFIG), scenario)
    role = f"arn:aws:iam::{member}:role/incident-responder"

    mine = _investigate(moto_server, "--alarm-name", scenario.alarm.name, "--region", region)
    assert mine.returncode == 2  # the user's own account has no such alarm
    assert f"no alarm named {scenario.alarm.name!r} in {region}" in mine.stderr

    theirs = _investigate(
        moto_server, "--alarm-name", scenario.alarm.name, "--region", region, "--role-arn", role
    )
    assert theirs.returncode == 0, theirs.stderr
    report = json.loads(theirs.stdout)
    assert (report["alarm"]["account"], report["alarm"]["region"]) == (member, region)
    assert report["root_cause"]["category"] == "database_connection_exhaustion"
    links = [e["link"] for e in report["evidence"] if e.get("link")]
    assert links
    assert all(link.startswith(f"https://{region}.console.aws.amazon.com/") for link in links)

    wrong = _investigate(
        moto_server, "--alarm-name", scenario.alarm.name, "--role-arn", "arn:aws:iam::role/x"
    )
    assert wrong.returncode == 2
    assert "--role-arn: not an IAM role ARN" in wrong.stderr


def test_investigating_an_alarm_that_does_not_exist_is_bad_input(
    aws_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with mock_aws():
        code = main(["investigate", "--alarm-name", "no-such-alarm", "--region", "us-east-1"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "no alarm named 'no-such-alarm' in us-east-1" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        (json.dumps({"detail-type": "CloudWatch Alarm State Change", "source": "aws.cloudwatch"}), "region"),
        (json.dumps({"Records": []}), "not an alarm state change"),
    ],
)
def test_replaying_a_bad_event_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "event.json"
    path.write_text(content)
    assert main(["replay", "--event", str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_replay_of_a_missing_file_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--event", "/nowhere/event.json"]) == 2
    assert "/nowhere/event.json" in capsys.readouterr().err


def test_replay_analyzes_a_saved_event(
    aws_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with mock_aws():
        clients = AwsClients(region="us-east-1", config=world.SEEDING_CONFIG)
        incident = seed(clients, DEMO_SCENARIOS["slow-external"])
        path = tmp_path / "event.json"
        path.write_text(json.dumps(incident.event))
        code = main(
            ["replay", "--event", str(path), "--format", "markdown", "--output", str(tmp_path / "r.md")]
        )
    assert code == 0
    assert (tmp_path / "r.md").read_text().startswith("# Slow downstream dependency")


# Unusual but valid events, one per shape the gatherers read differently.
UNUSUAL = [
    kind
    for kind in VALID
    if kind.name
    in {
        "emoji in the name",
        "255-character name",
        "math alarm at 10 metrics and 10 expressions",
        "Metrics Insights query over many metrics",
        "composite of 100 children in 10,240 characters",
        "Lambda alarm action of a composite",
        "30 dimensions of 1024 characters",
        "period of 7 days",
        "50 tags with unicode values",
    }
]


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("kind", UNUSUAL, ids=[kind.name for kind in UNUSUAL])
def test_replaying_an_unusual_event_runs_every_source(
    kind: Kind, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "event.json"
    path.write_bytes(kind.file_bytes())
    with mock_aws():
        code = main(["replay", "--event", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert (
        report["alarm"]["name"] == (kind.payload().get("detail") or kind.payload()["alarmData"])["alarmName"]
    )
    assert set(report["stats"]["sources"]) == {"scope", *NAMES}


def test_demo_prints_only_json_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--scenario", "misconfigured-alarm", "--format", "json", "--lang", "ja"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["root_cause"]["category"] == "alarm_misconfiguration"
    assert report["language"] == "ja"
    assert report["severity"] == "info"


def test_unknown_scenario_is_rejected_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--scenario", "nope"])
    assert exited.value.code == 2
    assert "no scenario 'nope'" in capsys.readouterr().err


@pytest.mark.usefixtures("aws_env")
def test_the_scenario_benchmark_prints_verdicts_and_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "health-check-299", "healthy-noise", "--strict", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "health_check_misconfiguration" in out
    assert "precision" in out
    assert "top-1 accuracy 100.0% (2/2); top-2 accuracy 100.0%; confident wrong answers: 0" in out
    assert "2 runs in" in out


@pytest.mark.usefixtures("aws_env")
def test_the_variant_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            ["scenarios", "slow-logic", "healthy-noise~2", "--variants", "1", "--seed", "5", "--workers", "1"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Variants per scenario" in out
    assert "slow-logic" in out
    assert "healthy-noise" in out
    for figure in (
        "top-1 accuracy",
        "top-2 accuracy",
        "confident wrong answers:",
        "expected calibration error:",
    ):
        assert figure in out
    assert "Calibration of the answers at or above the floor" in out
    assert "seed 5, 2 runs in" in out


def test_the_scenario_benchmark_names_an_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "no-such-incident", "slow-logic~x"]) == 2
    assert "no scenario no-such-incident, slow-logic~x" in capsys.readouterr().err


def test_replay_reports_what_it_has_when_its_timeout_runs_out(
    aws_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()

    def stuck(context: Any) -> Any:  # a source that would answer long after the budget
        released.wait(30)
        raise TimeoutError("released")

    monkeypatch.setitem(BY_NAME, "logs", dataclasses.replace(BY_NAME["logs"], gather=stuck))
    with mock_aws():
        incident = seed(
            AwsClients(region="us-east-1", config=world.SEEDING_CONFIG), DEMO_SCENARIOS["slow-external"]
        )
        path = tmp_path / "event.json"
        path.write_text(json.dumps(incident.event))
        try:
            code = main(["replay", "--event", str(path), "--format", "json", "--timeout", "15"])
        finally:
            released.set()
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    gaps = {gap["source"]: gap["reason"] for gap in report["gaps"]}
    assert "OutOfTime" in gaps["logs"]
    assert report["root_cause"]["category"] == "downstream_dependency_latency"  # the traces answered in time
