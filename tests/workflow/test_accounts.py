"""Every account and region from one deployment: the real template.yaml and ASL in the emulator, with a
member account in another region that has member.yaml deployed, its alarm forwarded as AWS forwards it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto.sts.models import sts_backends

from alarm_analyzer.render import RENDERERS
from alarm_analyzer.report import Report
from alarm_analyzer.slack import report_message
from alarm_analyzer.sources import NAMES
from alarm_devtools.emulator import Emulator
from alarm_devtools.emulator.injected import injected
from alarm_devtools.emulator.scenarios import DEMO_SCENARIOS

MEMBER, MEMBER_REGION = "111122223333", "eu-west-1"
READER = f"arn:aws:iam::{MEMBER}:role/alarm-analyzer-reader"
STEPS = ("scope", *NAMES)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(parameters={"MemberAccountIds": MEMBER}) as running:
        yield running


def _analyzed(emulator: Emulator, event: dict[str, object], responses: object) -> Report:
    with injected(responses):  # type: ignore[arg-type]
        (execution,) = emulator.put_event(event)
        finished = emulator.wait(execution)
    assert finished["status"] == "SUCCEEDED", finished.get("cause")
    (report,) = emulator.reports()
    return report


def _assumed(role_arn: str) -> int:
    return sum(1 for role in sts_backends[MEMBER]["aws"].assumed_roles if role.role_arn == role_arn)


def test_an_alarm_of_a_member_account_in_another_region_is_analyzed_where_it_is(emulator: Emulator) -> None:
    # The stack set's instances: the one in the central region creates the role, each forwards alarms.
    emulator.member(MEMBER, emulator.region)
    member = emulator.member(MEMBER, MEMBER_REGION)
    member.clients.client("iam").create_account_alias(AccountAlias="shop-prod")
    scenario = DEMO_SCENARIOS["db-connection-pool"]
    incident = member.seed(scenario)
    assert (incident.event["account"], incident.event["region"]) == (MEMBER, MEMBER_REGION)

    report = _analyzed(emulator, incident.event, incident.responses)

    assert report.root_cause.category == scenario.expected
    assert (report.alarm.account, report.alarm.account_alias, report.alarm.region) == (
        MEMBER,
        "shop-prod",
        MEMBER_REGION,
    )
    # Every step read the member's resources (the central account holds none of them) ...
    assert {name: stats.status for name, stats in report.stats.sources.items()} == dict.fromkeys(STEPS, "ok")
    assert report.gaps == []
    assert emulator.clients.cloudwatch.describe_alarms()["MetricAlarms"] == []
    assert {e.source for e in report.evidence} >= {"alarm", "metrics", "logs", "traces", "resources"}
    # ... through the member role, assumed once per step, not per call.
    assert _assumed(READER) == len(STEPS)
    # Every console link opens in the member's region; every rendering names the account and region.
    links = [e.link for e in report.evidence if e.link]
    assert links
    for link in links:
        assert link.startswith(f"https://{MEMBER_REGION}.console.aws.amazon.com/"), link
        assert f"region={MEMBER_REGION}" in link
    where = f"shop-prod ({MEMBER}), {MEMBER_REGION}"  # JSON has them as fields, checked above
    for name, render in RENDERERS.items():
        assert name == "json" or where in render(report), name
    assert where in str(report_message(report))


def test_a_member_without_the_role_gets_a_report_whose_gaps_name_it(emulator: Emulator) -> None:
    # The stack set left out the region that creates the role: the alarm is forwarded, no role exists.
    member = emulator.member(MEMBER, MEMBER_REGION)
    incident = member.seed(DEMO_SCENARIOS["slow-external"])

    report = _analyzed(emulator, incident.event, incident.responses)

    (gap,) = report.gaps
    assert gap.code == "account_unreachable"
    assert gap.source == ", ".join(STEPS)  # every step tried once and was refused
    assert (gap.params["account"], gap.params["role"], gap.params["error"]) == (
        MEMBER,
        READER,
        "AccessDenied",
    )
    assert MEMBER in gap.reason
    assert READER in gap.reason
    assert {stats.status for stats in report.stats.sources.values()} == {"error"}
    assert report.root_cause.category == "inconclusive"
    assert (report.alarm.account, report.alarm.region) == (MEMBER, MEMBER_REGION)
    assert emulator.dead_letters() == []


def test_the_bus_takes_alarms_only_from_the_accounts_it_names(emulator: Emulator) -> None:
    stranger = emulator.member("444455556666", MEMBER_REGION)
    incident = stranger.seed(DEMO_SCENARIOS["slow-logic"])
    with injected(incident.responses):
        assert emulator.put_event(incident.event) == []
    assert emulator.reports() == []
