"""The scenario benchmark: every seeded incident through gather -> correlate, scored per category.

Top-1 accuracy says how often the verdict is right; a confident wrong answer (a wrong category at
or above the confidence floor) is the costly mistake, since it sends the on-call engineer the wrong
way. ``inconclusive`` is never confident, so saying it is at worst a miss.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.pipeline import analyze
from alarm_analyzer.report import Category, Report
from alarm_analyzer.rules import CONFIDENCE_FLOOR

from . import world
from .injected import injected
from .scenarios import Scenario, seed

REGION = "us-east-1"


@dataclass(frozen=True)
class Outcome:
    scenario: str
    expected: Category
    got: Category
    confidence: float
    seconds: float  # gather -> correlate, seeding excluded
    api_calls: int

    @property
    def correct(self) -> bool:
        return self.got == self.expected

    @property
    def confident_wrong(self) -> bool:
        return not self.correct and self.confidence >= CONFIDENCE_FLOOR


@dataclass(frozen=True)
class Score:
    category: Category
    expected: int  # scenarios whose answer is this category
    answered: int  # verdicts of this category
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.expected if self.expected else None


def _clients() -> AwsClients:
    # Sessions sharing one model loader: parsing the service models per session would dominate a run.
    return AwsClients(session=world.shared_session(REGION))


def diagnose(scenario: Scenario, clients_for: Callable[[], AwsClients] = _clients) -> tuple[Report, float]:
    """Seed the scenario in a fresh emulated account and analyze it in-process; the report and seconds.

    ``clients_for`` makes the clients of each step, the scope's first, then each source's in order.
    """
    with mock_aws():
        seeding = AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG)
        incident = seed(seeding, scenario)
        # What moto cannot represent (target health, CloudTrail, deployments, alarm history) is answered
        # through the same client calls the gatherers make.
        with injected(incident.responses):
            started = time.monotonic()
            # moto enforces no quota: keeping the API budgets here would only cost time (the storm in
            # make bench-faults measures them, through the state machine).
            unpaced = scenario.settings.model_copy(update={"pace_api_calls": False})
            report = analyze(incident.event, clients_for, settings=unpaced)
            return report, time.monotonic() - started


def run(scenarios: Iterable[Scenario]) -> list[Outcome]:
    outcomes = []
    for scenario in scenarios:
        report, seconds = diagnose(scenario)
        outcomes.append(
            Outcome(
                scenario=scenario.name,
                expected=scenario.expected,
                got=report.root_cause.category,
                confidence=report.root_cause.confidence,
                seconds=seconds,
                api_calls=report.stats.api_calls,
            )
        )
    return outcomes


def scores(outcomes: Sequence[Outcome]) -> list[Score]:
    categories = sorted({o.expected for o in outcomes} | {o.got for o in outcomes})
    return [
        Score(
            category=category,
            expected=sum(o.expected == category for o in outcomes),
            answered=sum(o.got == category for o in outcomes),
            correct=sum(o.correct and o.expected == category for o in outcomes),
        )
        for category in categories
    ]


def accuracy(outcomes: Sequence[Outcome]) -> float:
    return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else 0.0
