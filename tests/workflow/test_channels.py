"""Every channel through the real state machine in the emulator: email (the topic), Slack and GitHub
(local servers standing in for them) get the report, repeats, and the recovery follow-up; a failing
Slack leaves the email channel unaffected."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alarm_analyzer import events, slack
from alarm_analyzer.correlate import verdict
from alarm_analyzer.recovery import Recovery
from alarm_analyzer.report import Report
from alarm_devtools.emulator import Emulator
from alarm_devtools.emulator.scenarios import DEFAULT_SCENARIO, DEMO_SCENARIOS
from tests.loopback import GitHubApi, SlackWebhook


@dataclass
class Channels:
    emulator: Emulator
    slack: SlackWebhook
    github: GitHubApi


def _deployed(slack_hook: SlackWebhook, github: GitHubApi) -> Iterator[Channels]:
    with ExitStack() as stack:
        slack_url = stack.enter_context(slack_hook.serving())
        github_url = stack.enter_context(github.serving())
        emulator = stack.enter_context(
            Emulator(
                parameters={"GitHubRepository": github.repository, "GitHubApiUrl": github_url, "RecoveryFollowUp": "true"},
                secrets={"SlackWebhookSecretArn": f"{slack_url}/services/T0/B0/x", "GitHubTokenSecretArn": github.token},
            )
        )  # fmt: skip
        yield Channels(emulator, slack_hook, github)


@pytest.fixture
def channels() -> Iterator[Channels]:
    yield from _deployed(SlackWebhook(), GitHubApi())


def _shifted(event: dict[str, Any], minutes: int, state: str = "ALARM") -> dict[str, Any]:
    """The alarm's next state change, ``minutes`` after this one."""
    changed = copy.deepcopy(event)
    stamp = datetime.strptime(event["detail"]["state"]["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z")
    previous = event["detail"]["state"]["value"]
    changed["detail"]["previousState"] = {**event["detail"]["state"], "value": previous}
    changed["detail"]["state"] |= {
        "value": state,
        "timestamp": (stamp + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
    }
    return changed


def _run(emulator: Emulator, event: dict[str, Any]) -> list[Report | Recovery]:
    (execution,) = emulator.put_event(event)
    assert emulator.wait(execution)["status"] == "SUCCEEDED"
    return emulator.delivered()


def test_report_repeat_and_recovery_reach_every_channel(
    channels: Channels, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The repeat and the recovery come 5 and 35 minutes after the incident seeded now: the intake,
    # which refuses state changes from the future, lives an hour ahead for this test.
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr(events, "utcnow", lambda: later)
    emulator = channels.emulator
    incident = emulator.seed(DEMO_SCENARIOS[DEFAULT_SCENARIO])

    (report,) = _run(emulator, incident.event)
    assert isinstance(report, Report)
    assert report.html_url
    assert "X-Amz-Expires=86400" in report.html_url
    (page,) = emulator.clients.client("s3").list_objects_v2(Bucket="alarm-analyzer-reportbucket")["Contents"]
    assert page["Key"] in report.html_url
    (message,) = channels.slack.messages
    assert message["blocks"][0]["text"]["text"] == verdict(report)
    assert {
        "type": "button",
        "text": {"type": "plain_text", "text": "Full report"},
        "url": report.html_url,
    } in [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [issue["title"] for issue in channels.github.issues.values()] == [verdict(report)]

    (repeat,) = _run(emulator, _shifted(incident.event, 5))
    assert isinstance(repeat, Report)
    assert repeat.incident_id != report.incident_id
    assert len(channels.slack.messages) == 2
    assert len(channels.github.issues) == 1  # a comment, not a second issue
    assert channels.github.comments[1][0].startswith("The alarm fired again at")

    (follow,) = _run(emulator, _shifted(_shifted(incident.event, 5), 30, state="OK"))
    assert isinstance(follow, Recovery)
    assert follow.original_incident_id == repeat.incident_id
    assert follow.seconds_to_recover == 30 * 60
    assert follow.status == "holds"  # the pool errors stopped with the recovery
    assert follow.html_url == repeat.html_url
    recovered = channels.slack.messages[-1]
    assert recovered["blocks"][0]["text"]["text"] == f"Recovered: {incident.scenario.alarm.name}"
    assert channels.github.issues[1]["state"] == "closed"
    assert channels.github.comments[1][-1].startswith(f"## Recovered: {incident.scenario.alarm.name}")

    # A second OK has no open incident left to follow up, and OK reports were not asked for.
    assert (
        _run(emulator, _shifted(_shifted(_shifted(incident.event, 5), 30, state="OK"), 10, state="OK")) == []
    )
    assert emulator.dead_letters() == []


def test_a_failing_slack_leaves_the_email_channel_unaffected() -> None:
    down = SlackWebhook(failures=1000)
    for channels in _deployed(down, GitHubApi()):
        incident = channels.emulator.seed(DEMO_SCENARIOS[DEFAULT_SCENARIO])
        (report,) = _run(channels.emulator, incident.event)
        assert isinstance(report, Report)
        assert report.root_cause.category == "database_connection_exhaustion"
        assert (
            len(down.requests) == 1 + slack.RETRIES
        )  # retried with backoff, then left to Lambda and the DLQ
        assert len(channels.github.issues) == 1
