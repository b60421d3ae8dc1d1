"""What reading another account costs an analysis (``make bench-accounts``).

Each demo incident runs through the real state machine in the emulator twice: seeded in the central
account and region, then in a member account in another region, read through the member role. The
table gives both runs' verdicts, API calls, sequential rounds (the critical path: at 100 ms a call,
rounds x 100 ms) and seconds, and the AssumeRole calls of the second. The emulator runs the steps'
threads on shared cores, so a step's own time to reach the member is measured on its own afterwards:
AssumeRole with the session, and each client made there (a warm function pays both per invocation:
its member clients live as long as the invocation's credentials), and the STS client a cold function
makes once.
"""

from __future__ import annotations

import os
import statistics
import time
from unittest import mock

from moto import mock_aws
from moto.sts.models import sts_backends
from rich.console import Console
from rich.table import Table

from alarm_analyzer.aws import AwsClients, Places
from alarm_analyzer.report import Report

from .emulator import Emulator, Member
from .emulator.injected import injected
from .emulator.scenarios import DEMO_SCENARIOS, Incident

MEMBER, MEMBER_REGION = "111122223333", "eu-west-1"
READER = f"arn:aws:iam::{MEMBER}:role/alarm-analyzer-reader"
SCENARIOS = ("db-connection-pool", "slow-external", "rds-memory")
# What the gatherers of one step typically open: the scope step's services, at most.
SERVICES = ("cloudwatch", "iam", "elbv2", "ecs", "xray", "logs")
REPEAT = 15


def _run(emulator: Emulator, incident: Incident) -> tuple[Report, float]:
    started = time.monotonic()
    with injected(incident.responses):
        (execution,) = emulator.put_event(incident.event)
        emulator.wait(execution)
    (report,) = emulator.reports()
    return report, time.monotonic() - started


def _member(emulator: Emulator) -> Member:
    emulator.member(MEMBER, emulator.region)  # the stack instance that creates the role
    return emulator.member(MEMBER, MEMBER_REGION)


def _assumed() -> int:
    return sum(1 for role in sts_backends[MEMBER]["aws"].assumed_roles if role.role_arn == READER)


def _alone() -> tuple[float, float, float]:
    """Median milliseconds to reach a member (AssumeRole, session), to make one client there, and what
    the STS client adds to a cold function."""
    environment = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    reaching, making, cold = [], [], []
    with mock.patch.dict(os.environ, environment), mock_aws():
        for _ in range(REPEAT):
            fresh = AwsClients(region="us-east-1")
            fresh.client("cloudwatch")  # the session a cold function makes anyway
            started = time.perf_counter()
            fresh.client("sts")
            cold.append((time.perf_counter() - started) * 1000)
        home = AwsClients(region="us-east-1")
        for service in (*SERVICES, "sts"):
            home.client(service)  # a warm function's own clients
        for _ in range(REPEAT):
            places = Places(home, "123456789012", "reader", "bench")
            started = time.perf_counter()
            there = places.at(MEMBER, MEMBER_REGION)
            reached = time.perf_counter()
            for service in SERVICES:
                there.client(service)
            reaching.append((reached - started) * 1000)
            making.append((time.perf_counter() - reached) * 1000 / len(SERVICES))
    return statistics.median(reaching), statistics.median(making), statistics.median(cold)


def main() -> None:
    table = Table(
        title="One analysis: in the central account and region | in a member account, another region"
    )
    for column in (
        "scenario",
        "verdict (both)",
        "calls",
        "rounds",
        "s",
        "| calls",
        "AssumeRole",
        "rounds ",
        "s ",
    ):
        table.add_column(column, justify="left" if column in ("scenario", "verdict (both)") else "right")
    for name in SCENARIOS:
        scenario = DEMO_SCENARIOS[name]
        with Emulator() as emulator:
            home, home_seconds = _run(emulator, emulator.seed(scenario))
        with Emulator(parameters={"MemberAccountIds": MEMBER}) as emulator:
            away, away_seconds = _run(emulator, _member(emulator).seed(scenario))
            assumed = _assumed()
        verdict = home.root_cause.category
        table.add_row(
            name, verdict if away.root_cause.category == verdict else f"{verdict} | {away.root_cause.category}",
            str(home.stats.api_calls), str(home.stats.rounds), f"{home_seconds:.1f}",
            f"| {away.stats.api_calls}", str(assumed), str(away.stats.rounds), f"{away_seconds:.1f}",
        )  # fmt: skip
    console = Console(width=max(Console().width, 120))
    console.print(table)
    reach, client, cold = _alone()
    console.print(
        f"Reaching a member, per step (moto in-process, median of {REPEAT}): {reach:.1f} ms for AssumeRole and "
        f"the session, {client:.1f} ms per client made there (service models shared with the function's "
        f"session); the STS client adds {cold:.1f} ms to a cold function, once."
    )


if __name__ == "__main__":
    main()
