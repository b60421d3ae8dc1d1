"""Scenario suite: every seeded incident through gather -> correlate, in-process, with its category."""

from __future__ import annotations

import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.emulator import seed, world
from alarm_analyzer.emulator.scenarios import DEMO_SCENARIOS
from alarm_analyzer.pipeline import analyze
from alarm_analyzer.rules import CONFIDENCE_FLOOR


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("name", sorted(DEMO_SCENARIOS))
def test_scenario_is_diagnosed(name: str) -> None:
    scenario = DEMO_SCENARIOS[name]
    with mock_aws():
        incident = seed(AwsClients(region="us-east-1", config=world.SEEDING_CONFIG), scenario)
        report = analyze(incident.event, lambda: AwsClients(region="us-east-1"))
    assert report.root_cause.category == scenario.expected
    wrong = [
        h for h in report.hypotheses if h.category != scenario.expected and h.confidence >= CONFIDENCE_FLOOR
    ]
    assert wrong == [], "no other category may be claimed confidently"
    if scenario.expected != "inconclusive":
        assert report.root_cause.confidence >= CONFIDENCE_FLOOR
        assert report.cited(), "a root cause must cite its evidence"
