"""The scenario benchmark's figures: top-1 and top-2 accuracy, confident wrong answers, calibration."""

from __future__ import annotations

import pytest

from alarm_analyzer.report import Category
from alarm_analyzer.rules import calibrated
from alarm_devtools.emulator.benchmark import (
    PRIOR_ANSWERS,
    Outcome,
    accuracy,
    calibration,
    expected_calibration_error,
    fitted_calibration,
    scores,
    top_two,
)


def _outcome(expected: Category, *ranked: tuple[Category, float]) -> Outcome:
    got, confidence = ranked[0]
    return Outcome(
        scenario=f"{expected}~1", base=expected, expected=expected, got=got, confidence=confidence,
        ranked=ranked, seeding_seconds=0.5, seconds=0.5, api_calls=70,
    )  # fmt: skip


OUTCOMES = [
    _outcome("traffic_surge", ("traffic_surge", 0.85)),
    _outcome("traffic_surge", ("application_code_latency", 0.65), ("traffic_surge", 0.55)),
    _outcome("slow_database_query", ("database_resource_pressure", 0.55)),
    _outcome("slow_database_query", ("slow_database_query", 0.92)),
    _outcome("lambda_timeout", ("inconclusive", 0.0), ("lambda_timeout", 0.4)),
]


def test_top_one_top_two_and_confident_wrong_answers() -> None:
    assert accuracy(OUTCOMES) == pytest.approx(2 / 5)
    assert top_two(OUTCOMES) == pytest.approx(4 / 5)
    assert [o.confident_wrong for o in OUTCOMES] == [False, True, True, False, False]


def test_precision_and_recall_per_category() -> None:
    by_category = {s.category: s for s in scores(OUTCOMES)}
    assert (by_category["traffic_surge"].precision, by_category["traffic_surge"].recall) == (1.0, 0.5)
    assert by_category["database_resource_pressure"].precision == 0.0
    assert by_category["database_resource_pressure"].recall is None
    assert by_category["inconclusive"].answered == 1


def test_calibration_bins_the_confident_answers_and_weighs_their_gaps() -> None:
    bins = {(b.low, b.high): b for b in calibration(OUTCOMES)}
    assert set(bins) == {(0.5, 0.6), (0.6, 0.7), (0.8, 0.9), (0.9, 1.0)}
    assert (bins[0.5, 0.6].answers, bins[0.5, 0.6].accuracy) == (1, 0.0)
    assert bins[0.9, 1.0].mean_confidence == pytest.approx(0.92)
    # (0.55 + 0.65 + |1 - 0.85| + |1 - 0.92|) / 4 answers at or above the floor
    assert expected_calibration_error(OUTCOMES) == pytest.approx((0.55 + 0.65 + 0.15 + 0.08) / 4)
    assert expected_calibration_error(OUTCOMES[-1:]) is None


def test_the_fitted_calibration_follows_how_often_each_score_was_right() -> None:
    """Scores of 0.5-0.6 right half the time, 0.7-0.8 always: the fit says so, leaning on the prior,
    and never falls as the score grows."""
    low, high = calibrated(0.55), calibrated(0.75)
    runs = [_outcome("traffic_surge", ("traffic_surge", low))] * 20
    runs += [_outcome("traffic_surge", ("compute_saturation", low))] * 20
    runs += [_outcome("traffic_surge", ("traffic_surge", high))] * 40
    fitted = dict(fitted_calibration(runs))
    assert fitted[0.5] == pytest.approx((20 + PRIOR_ANSWERS * 0.55) / (40 + PRIOR_ANSWERS), abs=0.01)
    assert fitted[0.7] == pytest.approx(
        min((40 + PRIOR_ANSWERS * 0.75) / (40 + PRIOR_ANSWERS), 0.97), abs=0.01
    )
    assert list(fitted.values()) == sorted(fitted.values())
