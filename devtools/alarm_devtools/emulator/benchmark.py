"""The scenario benchmark: seeded incidents (the library's, or variants of them) through gather -> correlate.

Top-1 accuracy says how often the verdict is right, top-2 whether the right category is at least the
runner-up. A confident wrong answer (a wrong category at or above the confidence floor) is the costly
mistake, since it sends the on-call engineer the wrong way; ``inconclusive`` is never confident, so
saying it is at worst a miss. The calibration table compares the confidence of the answers at or above
the floor with how often they are right (a report at 0.8 should be right about 8 times in 10).

Each run seeds a fresh emulated account in-process; the runs are spread over one worker process per
core, each with its own moto. What makes a run cheap is kept here: moto's EC2 backend skips loading its
thousands of default AMIs (the world uses none), and the analysis's clients do not retry, since moto
answers the X-Ray filter expressions it does not implement with HTTP 500, which botocore would retry
with back-off before the gatherer falls back (AWS implements them; nothing else in moto throttles).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from unittest import mock

from botocore.config import Config
from moto import mock_aws
from moto.moto_api._internal import mock_random

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.pipeline import analyze
from alarm_analyzer.report import Category, Report
from alarm_analyzer.rules import CERTAINTY_CAP, CONFIDENCE_FLOOR, interpolate
from alarm_analyzer.rules.tables import CALIBRATION

from . import variants, world
from .injected import injected
from .scenarios import Scenario, seed

REGION = "us-east-1"
WITHOUT_RETRIES = Config(retries={"total_max_attempts": 1})
CHEAP_MOTO = {"MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
CALIBRATION_BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # the confident answers' bins, [low, high)
PRIOR_ANSWERS = 20  # what a bin's fitted rate leans on: this many answers right as often as its score says


@dataclass(frozen=True)
class Outcome:
    scenario: str  # the library scenario's name, or <name>~<index> for a variant
    base: str  # the library scenario
    expected: Category
    got: Category
    confidence: float
    ranked: tuple[tuple[Category, float], ...]  # the answer, then the other hypotheses, best first
    seeding_seconds: float
    seconds: float  # gather -> correlate
    api_calls: int
    changes: tuple[str, ...] = ()  # what the variant drew
    gaps: tuple[str, ...] = ()  # the sources the report says it could not read, and why

    @property
    def correct(self) -> bool:
        return self.got == self.expected

    @property
    def in_top_two(self) -> bool:
        return self.expected in [category for category, _ in self.ranked[:2]]

    @property
    def confident_wrong(self) -> bool:
        return not self.correct and self.confidence >= CONFIDENCE_FLOOR

    @property
    def runner_up(self) -> tuple[Category, float] | None:
        return self.ranked[1] if len(self.ranked) > 1 else None


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


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    answers: int
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True)
class Job:
    """One run: a library scenario itself (``index`` 0), or its variant ``index`` under ``seed``."""

    scenario: Scenario
    index: int = 0
    seed: int = 0


def _clients() -> AwsClients:
    # Sessions sharing one model loader: parsing the service models per session would dominate a run.
    return AwsClients(session=world.shared_session(REGION), config=WITHOUT_RETRIES)


def measure(
    scenario: Scenario, clients_for: Callable[[], AwsClients] = _clients
) -> tuple[Report, float, float]:
    """Seed the scenario in a fresh emulated account and analyze it in-process: the report, the seconds
    seeding took, and the seconds the analysis took.

    ``clients_for`` makes the clients of each step, the scope's first, then each source's in order.
    """
    started = time.monotonic()
    with mock.patch.dict(os.environ, CHEAP_MOTO), mock_aws():
        # The ids moto makes up (subnets, load balancers...) are the same in every run of the scenario.
        mock_random.seed(zlib.crc32(scenario.name.encode()))
        seeding = AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG)
        incident = seed(seeding, scenario, in_process=True)
        seeded = time.monotonic()
        # What moto cannot represent (target health, CloudTrail, deployments, alarm history) is answered
        # through the same client calls the gatherers make.
        with injected(incident.responses):
            # moto enforces no quota: keeping the API budgets here would only cost time (the storm in
            # make bench-faults measures them, through the state machine).
            unpaced = scenario.settings.model_copy(update={"pace_api_calls": False})
            report = analyze(incident.event, clients_for, settings=unpaced)
        return report, seeded - started, time.monotonic() - seeded


def diagnose(scenario: Scenario, clients_for: Callable[[], AwsClients] = _clients) -> tuple[Report, float]:
    """The scenario's report and the seconds its analysis took (seeding excluded)."""
    report, _, seconds = measure(scenario, clients_for)
    return report, seconds


def _ranked(report: Report) -> tuple[tuple[Category, float], ...]:
    answer = report.root_cause
    others = [(h.category, h.confidence) for h in report.hypotheses if h.category != answer.category]
    return ((answer.category, answer.confidence), *others)


def run_one(job: Job) -> Outcome:
    scenario, changes = job.scenario, tuple[str, ...]()
    if job.index:
        drawn = variants.draw(scenario, job.seed, job.index)
        scenario, changes = drawn.scenario, drawn.changes
    report, seeding, seconds = measure(scenario)
    return Outcome(
        scenario=scenario.name,
        base=job.scenario.name,
        expected=scenario.expected,
        got=report.root_cause.category,
        confidence=report.root_cause.confidence,
        ranked=_ranked(report),
        seeding_seconds=seeding,
        seconds=seconds,
        api_calls=report.stats.api_calls,
        changes=changes,
        gaps=tuple(f"{gap.source}: {gap.reason}" for gap in report.gaps),
    )


def run(jobs: Iterable[Job | Scenario], workers: int = 1) -> list[Outcome]:
    """Every job's outcome, in order; with ``workers`` > 1 spread over that many processes."""
    queued = [job if isinstance(job, Job) else Job(job) for job in jobs]
    workers = min(workers, len(queued))
    if workers <= 1:
        return [run_one(job) for job in queued]
    # Spawned, not forked: each worker starts its own moto and botocore, sharing no locks with this one.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(run_one, queued))


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


def top_two(outcomes: Sequence[Outcome]) -> float:
    return sum(o.in_top_two for o in outcomes) / len(outcomes) if outcomes else 0.0


def calibration(outcomes: Sequence[Outcome]) -> list[Bin]:
    """The confident answers by confidence bin: how sure the reports were, and how often right."""
    bins = []
    for low, high in itertools.pairwise(CALIBRATION_BINS):
        inside = [o for o in outcomes if low <= o.confidence < high or (high == 1.0 and o.confidence == 1.0)]
        if inside:
            bins.append(
                Bin(
                    low=low,
                    high=high,
                    answers=len(inside),
                    mean_confidence=sum(o.confidence for o in inside) / len(inside),
                    accuracy=accuracy(inside),
                )
            )
    return bins


def expected_calibration_error(outcomes: Sequence[Outcome]) -> float | None:
    """The answers-weighted gap between confidence and accuracy over the confident answers' bins."""
    bins = calibration(outcomes)
    total = sum(b.answers for b in bins)
    if not total:
        return None
    return sum(b.answers * abs(b.accuracy - b.mean_confidence) for b in bins) / total


def fitted_calibration(outcomes: Sequence[Outcome]) -> tuple[tuple[float, float], ...]:
    """``rules.tables.CALIBRATION`` fitted on these runs: per bin of evidence score (recovered from each
    answer's confidence through the table in use), how often the answers were right, leaning on a prior
    of ``PRIOR_ANSWERS`` at the bin's own score; never falling as the score grows, capped below certainty."""
    through = [(confidence, score) for score, confidence in CALIBRATION]
    scored = [
        (interpolate(through, o.confidence), o.correct) for o in outcomes if o.confidence >= CONFIDENCE_FLOOR
    ]
    points: list[tuple[float, float]] = []
    for low, high in itertools.pairwise(CALIBRATION_BINS):
        right = [
            correct for score, correct in scored if low <= score < high or (high == 1.0 and score >= high)
        ]
        rate = (sum(right) + PRIOR_ANSWERS * (low + high) / 2) / (len(right) + PRIOR_ANSWERS)
        rate = round(min(max(rate, points[-1][1] if points else 0.0), CERTAINTY_CAP), 2)
        if not points or rate > points[-1][1]:
            points.append((low, rate))
    return tuple(points)
