"""Scenario suite: every seeded incident through gather -> correlate, in-process, with its category."""

from __future__ import annotations

import pytest

from alarm_analyzer.rules import CONFIDENCE_FLOOR
from alarm_devtools.emulator.benchmark import diagnose
from alarm_devtools.emulator.scenarios import SCENARIOS


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_is_diagnosed(name: str) -> None:
    scenario = SCENARIOS[name]
    report, _ = diagnose(scenario)
    assert report.root_cause.category == scenario.expected, [
        (h.category, h.confidence) for h in report.hypotheses
    ]
    if scenario.expected == "inconclusive":
        return
    assert report.root_cause.confidence >= CONFIDENCE_FLOOR
    assert report.cited(), "a root cause must cite its evidence"
    # A close rival may stay ranked (the report says what would separate them), but never above the answer.
    assert report.hypotheses[0].category == scenario.expected
