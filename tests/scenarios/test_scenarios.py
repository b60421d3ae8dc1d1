"""Scenario suite: every seeded incident through scope -> gather -> correlate, in-process, with its
category, within the call budget, and with no lookup made twice by two steps."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.rules import CONFIDENCE_FLOOR
from alarm_analyzer.sources import NAMES
from alarm_devtools.emulator import world
from alarm_devtools.emulator.benchmark import REGION, diagnose
from alarm_devtools.emulator.scenarios import LIBRARY, SCENARIOS

MAX_CALLS = 40  # per analysis of the library's incidents
# The causal chains and dead-letter wirings stage more of a system at once (a load balancer, its service,
# a database, a function it calls and that function's own dependency): a few more describes.
MAX_CALLS_STAGED = 45
MAX_ROUNDS = 10  # sequential rounds on the critical path: 1 s at 100 ms per call


class Recorder:
    """Clients for each step of one analysis (the scope's first, then each source's), recording every
    request each step makes."""

    def __init__(self) -> None:
        self.steps = iter(["scope", *NAMES])
        self.requests: dict[tuple[str, str], set[str]] = defaultdict(set)  # (operation, params) -> steps

    def clients(self) -> AwsClients:
        step, session = next(self.steps), world.shared_session(REGION)

        def record(params: dict[str, Any], model: Any, **_: Any) -> None:
            self.requests[model.name, json.dumps(params, sort_keys=True, default=str)].add(step)

        session._session.register("before-parameter-build", record)
        return AwsClients(session=session)

    def repeated(self) -> list[str]:
        return [f"{op} by {sorted(steps)}" for (op, _), steps in self.requests.items() if len(steps) > 1]


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_is_diagnosed(name: str) -> None:
    scenario = SCENARIOS[name]
    recorder = Recorder()
    report, _ = diagnose(scenario, recorder.clients)
    assert recorder.requests, "the recorder saw the calls"
    assert recorder.repeated() == [], "the same lookup made by two steps"
    assert report.stats.api_calls <= (MAX_CALLS if name in LIBRARY else MAX_CALLS_STAGED)
    assert report.stats.rounds <= MAX_ROUNDS
    assert report.root_cause.category == scenario.expected, [
        (h.category, h.confidence) for h in report.hypotheses
    ]
    if scenario.expected == "inconclusive":
        return
    assert report.root_cause.confidence >= CONFIDENCE_FLOOR
    assert report.cited(), "a root cause must cite its evidence"
    # A close rival may stay ranked (the report says what would separate them), but never above the answer.
    assert report.hypotheses[0].category == scenario.expected


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("name", ["db-connection-pool", "worker-canary-keyerror", "vpc-endpoint-route"])
def test_the_same_incident_makes_the_same_calls_every_time(name: str) -> None:
    first, second = (diagnose(SCENARIOS[name])[0].stats for _ in range(2))
    assert (first.api_calls, first.rounds) == (second.api_calls, second.rounds)
    assert {k: v.api_calls for k, v in first.sources.items()} == {
        k: v.api_calls for k, v in second.sources.items()
    }
