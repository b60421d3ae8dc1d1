"""The engine on its own: claims made by stand-in rules, weighed, capped and linked into a chain.

Stand-in rules make the claims each test needs, so what is tested is the engine's mechanism (weights
from the tables, the causal model, order in time, the path, missing sources), not any one rule.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from alarm_analyzer.report import Category
from alarm_analyzer.rules import (
    CERTAINTY_CAP,
    CONFIDENCE_FLOOR,
    EXPLAINING,
    LINK_GRACE,
    UNREAD_CAP,
    Rule,
    calibrated,
    diagnose,
)
from alarm_analyzer.rules.base import Claim, Phrase, Symptom
from alarm_analyzer.rules.tables import CALIBRATION, TABLES
from alarm_analyzer.sources import NAMES
from tests.factories import STATE_CHANGE, facts, signature

ONSET = STATE_CHANGE - timedelta(minutes=10)
REASON = Phrase("r.no_change")


def claim(
    category: Category,
    *weights: str,
    resource: str = "web",
    at: datetime | None = ONSET,
    symptom: str | None = None,
    on: str | None = None,
) -> Claim:
    """A claim of ``category`` made of the named observations, each on evidence of its own."""
    made = Claim(category, resource, on=on)
    for weight in weights:
        made.observe(weight, f"{category}:{weight}", REASON, at)
    if symptom:
        made.observe(symptom, "alarm:symptom", REASON, at)
    return made


def rules(*claims: Claim) -> list[Rule]:
    return [lambda _facts, c=c: [c] for c in claims]


def score(category: Category, *weights: str) -> float:
    return sum(TABLES[category].weights[w] for w in weights)


SURGE = ("surge_large",)  # 0.45 of its own: enough to explain, not to be reported alone
SLOW_CODE = ("code_dominant_strongly", "latency")  # 0.75: the stronger evidence


def test_a_cause_with_weaker_evidence_than_its_symptom_is_still_the_root() -> None:
    surge, slow = claim("traffic_surge", *SURGE), claim("application_code_latency", *SLOW_CODE)
    diagnosis = diagnose(facts(), rules(slow, surge))
    assert score("traffic_surge", *SURGE) < score("application_code_latency", *SLOW_CODE)
    assert diagnosis.root.category == "traffic_surge"
    assert diagnosis.root.confidence == pytest.approx(
        calibrated(score("traffic_surge", *SURGE) + EXPLAINING), abs=0.01
    )
    assert [link.category for link in diagnosis.root.chain] == ["traffic_surge", "application_code_latency"]
    assert diagnosis.root.chain[1].evidence_ids == [f"application_code_latency:{w}" for w in SLOW_CODE]
    root, symptom = diagnosis.hypotheses
    assert (root.role, root.explained_by) == ("root", None)
    assert (symptom.role, symptom.explained_by) == ("symptom", "traffic_surge")
    assert symptom.confidence == pytest.approx(
        calibrated(score("application_code_latency", *SLOW_CODE)), abs=0.01
    )


def test_a_cause_that_began_after_the_symptom_explains_nothing() -> None:
    late = claim("traffic_surge", *SURGE, at=ONSET + LINK_GRACE + timedelta(minutes=1))
    diagnosis = diagnose(facts(), rules(late, claim("application_code_latency", *SLOW_CODE)))
    assert diagnosis.root.category == "application_code_latency"
    assert diagnosis.root.chain == []
    assert [(h.category, h.role) for h in diagnosis.hypotheses] == [
        ("application_code_latency", "root"),
        ("traffic_surge", "alternative"),
    ]


def test_within_the_grace_the_order_of_a_cause_and_its_symptom_does_not_matter() -> None:
    close = claim("traffic_surge", *SURGE, at=ONSET + LINK_GRACE)
    diagnosis = diagnose(facts(), rules(close, claim("application_code_latency", *SLOW_CODE)))
    assert diagnosis.root.category == "traffic_surge"


def _logged_throttles(first_seen: datetime, count: int) -> Claim:
    """Throttle errors from their first line to a minute before the alarm, ``count`` lines in all."""
    throttles = signature("ProvisionedThroughputExceededException", count, first_seen=first_seen)
    made = Claim("dynamodb_throttling", "ledger")
    made.logged("throttle_logs_new", throttles, REASON)
    return made


def test_a_rare_line_dates_its_cause_no_later_than_a_gap_before_its_first_sighting() -> None:
    """Lines every four minutes, the first four minutes after the queue began to age: the throttling may
    have begun up to a gap earlier. As many lines a minute apart date it late for sure."""
    lag = claim("consumer_lag", "age_growing", "still_behind", at=ONSET)
    first = ONSET + LINK_GRACE + timedelta(minutes=2)
    gaps = (STATE_CHANGE - timedelta(minutes=1) - first) / timedelta(minutes=1)
    sparse = diagnose(facts(), rules(lag, _logged_throttles(first, round(gaps / 4) + 1)))
    assert sparse.root.category == "dynamodb_throttling"
    dense = diagnose(facts(), rules(lag, _logged_throttles(first, round(gaps) + 1)))
    assert dense.root.category == "consumer_lag"


def test_the_symptom_a_cause_cites_does_not_date_the_cause() -> None:
    """A cause's onset is its own mechanism's: the symptom it also cites began when the symptom did."""
    surge = claim("traffic_surge", *SURGE, at=ONSET + timedelta(minutes=20))
    surge.symptom("symptom", Symptom("alarm:symptom", REASON, ONSET))
    diagnosis = diagnose(facts(), rules(surge, claim("application_code_latency", *SLOW_CODE)))
    assert diagnosis.root.category == "application_code_latency"


def test_a_cause_without_support_of_its_own_explains_nothing() -> None:
    weak = claim("traffic_surge", "strained")  # 0.1: below the support a link needs
    diagnosis = diagnose(facts(), rules(weak, claim("application_code_latency", *SLOW_CODE)))
    assert diagnosis.root.category == "application_code_latency"
    assert diagnosis.hypotheses[1].role == "alternative"


def test_the_chain_runs_through_every_link_from_cause_to_symptom() -> None:
    surge = claim("traffic_surge", *SURGE)
    hot = claim("compute_saturation", "compute_hot", "symptom")
    slow = claim("application_code_latency", *SLOW_CODE)
    diagnosis = diagnose(facts(), rules(slow, hot, surge))
    assert [link.category for link in diagnosis.root.chain] == [
        "traffic_surge",
        "compute_saturation",
        "application_code_latency",
    ]
    explained = {h.category: h.explained_by for h in diagnosis.hypotheses}
    assert explained["compute_saturation"] == "traffic_surge"
    assert explained["application_code_latency"] in ("traffic_surge", "compute_saturation")


def test_a_cause_the_model_does_not_allow_explains_nothing() -> None:
    """Throttled invocations do not explain a traffic surge, whatever their order and strength."""
    throttles = claim(
        "lambda_throttling", "throttles", "concurrency_at_reserved", at=ONSET - timedelta(minutes=5)
    )
    surge = claim("traffic_surge", *SURGE, resource="api")
    diagnosis = diagnose(facts(), rules(throttles, surge))
    assert diagnosis.root.category == "lambda_throttling"
    assert all(h.role != "symptom" for h in diagnosis.hypotheses)


def test_a_surge_explains_throttling_only_when_it_arrives_in_front_of_the_function() -> None:
    throttles = claim("lambda_throttling", "throttles", "concurrency_at_reserved", resource="mailer")
    own_invocations = claim("traffic_surge", *SURGE, "symptom", resource="mailer")
    front_door = claim("traffic_surge", *SURGE, "symptom", resource="app/shop/0123")
    assert diagnose(facts(), rules(throttles, own_invocations)).root.category == "lambda_throttling"
    assert diagnose(facts(), rules(throttles, front_door)).root.category == "traffic_surge"


def test_overload_does_not_explain_targets_that_crash() -> None:
    hot = claim("compute_saturation", "compute_hot", "symptom")
    timing_out = claim("unhealthy_targets", "targets_failing_most", "hosts_moved")
    crashing = claim("unhealthy_targets", "targets_failing_most", "hosts_moved", "crash_logs")
    assert diagnose(facts(), rules(hot, timing_out)).root.category == "compute_saturation"
    assert diagnose(facts(), rules(hot, crashing)).root.category == "unhealthy_targets"


def test_when_the_source_that_would_show_a_crash_is_missing_neither_overload_nor_targets_is_confirmed() -> (
    None
):
    hot = claim("compute_saturation", "compute_hot", "symptom")
    failing = claim("unhealthy_targets", "targets_failing_most", "hosts_moved")
    diagnosis = diagnose(replace(facts(), failed=frozenset({"logs"})), rules(hot, failing))
    assert diagnosis.root.category == "inconclusive"
    assert [h.confidence for h in diagnosis.hypotheses] == [UNREAD_CAP, UNREAD_CAP]
    assert all("logs" in (h.to_confirm or "") for h in diagnosis.hypotheses)


def test_a_change_off_the_alarm_s_path_explains_nothing() -> None:
    errors = claim("application_error", "exception_logs_new", "errors_up", "no_change")
    change = ("change_before", "new_after_change")  # weaker than the errors' own evidence
    on_path = replace(facts(), path=frozenset({"checkout-api", "web"}))
    elsewhere = claim("deployment_regression", *change, on="arn:aws:lambda:eu-west-1:1:function:reports")
    here = claim("deployment_regression", *change, on="arn:aws:lambda:eu-west-1:1:function:checkout-api")
    assert diagnose(on_path, rules(errors, elsewhere)).root.category == "application_error"
    assert diagnose(on_path, rules(errors, here)).root.category == "deployment_regression"


def test_a_category_whose_deciding_source_could_not_be_read_stays_below_the_floor() -> None:
    slow_sql = claim("slow_database_query", "sql_dominant_strongly", "latency", "slow_query_logs_new")
    unread = replace(facts(), failed=frozenset({"logs"}))
    diagnosis = diagnose(unread, rules(slow_sql))
    assert diagnosis.root.category == "inconclusive"
    (hypothesis,) = diagnosis.hypotheses
    assert hypothesis.confidence == UNREAD_CAP < CONFIDENCE_FLOOR
    assert "logs" in (hypothesis.to_confirm or "")
    confirmed = diagnose(facts(), rules(slow_sql)).root
    assert confirmed.confidence == pytest.approx(
        calibrated(score("slow_database_query", "sql_dominant_strongly", "latency", "slow_query_logs_new"))
    )


def test_a_cause_that_cannot_be_confirmed_explains_nothing_and_leaves_its_symptom_unconfirmed() -> None:
    query = claim("slow_database_query", "sql_dominant_strongly", "slow_query_logs_new")
    pressure = claim("database_resource_pressure", "memory_drop", "cpu_hot", "io_slower")
    unread = replace(facts(), failed=frozenset({"traces"}))
    assert diagnose(facts(), rules(query, pressure)).root.category == "slow_database_query"
    diagnosis = diagnose(unread, rules(query, pressure))
    assert diagnosis.root.category == "inconclusive"
    assert {h.category: h.confidence for h in diagnosis.hypotheses} == {
        "database_resource_pressure": UNREAD_CAP,
        "slow_database_query": UNREAD_CAP,
    }
    assert all(h.role != "symptom" and "traces" in (h.to_confirm or "") for h in diagnosis.hypotheses)


def test_a_symptom_is_not_confirmed_when_what_could_cause_it_could_not_be_looked_for() -> None:
    pool = claim("database_connection_exhaustion", "pool_logs_new", "connections_pinned")
    assert diagnose(facts(), rules(pool)).root.category == "database_connection_exhaustion"
    no_metrics = diagnose(replace(facts(), failed=frozenset({"metrics"})), rules(pool))
    assert no_metrics.root.category == "inconclusive"  # a surge would show only in the metrics
    assert "metrics" in (no_metrics.hypotheses[0].to_confirm or "")
    no_alarm_history = diagnose(replace(facts(), failed=frozenset({"alarm"})), rules(pool))
    assert no_alarm_history.root.category == "database_connection_exhaustion"  # no cause needs it


def test_a_weaker_alternative_does_not_stand_in_for_a_stronger_claim_that_cannot_be_confirmed() -> None:
    throttled = claim(
        "lambda_throttling", "throttles", "concurrency_at_reserved", "reserved", resource="mailer"
    )
    busier = claim("traffic_surge", "surge", "symptom", resource="mailer")
    assert diagnose(facts(), rules(throttled, busier)).root.category == "lambda_throttling"
    no_traces = diagnose(replace(facts(), failed=frozenset({"traces"})), rules(throttled, busier))
    assert no_traces.root.category == "inconclusive"  # a slow dependency would show only in traces
    assert no_traces.hypotheses[0].category == "lambda_throttling"


def test_claims_calibration_cannot_tell_apart_are_told_apart_by_their_evidence_not_rule_order() -> None:
    check = claim("health_check_misconfiguration", "check_disagrees_working", "hosts_moved", "serving_fine")
    memory = claim("lambda_memory_exhaustion", "out_of_memory", "memory_high", "memory_ceiling", "oom_logs")
    assert calibrated(0.7) == calibrated(0.95)
    assert diagnose(facts(), rules(check, memory)).root.category == "lambda_memory_exhaustion"
    assert diagnose(facts(), rules(memory, check)).root.category == "lambda_memory_exhaustion"


def test_a_weight_the_table_does_not_have_is_refused() -> None:
    with pytest.raises(KeyError, match="traffic_surge has no weight 'huge'"):
        claim("traffic_surge", "huge")


def test_nothing_claimed_is_inconclusive_and_says_what_was_checked() -> None:
    diagnosis = diagnose(facts(), [])
    assert diagnosis.root.category == "inconclusive"
    assert diagnosis.hypotheses == []


# --- the tables ------------------------------------------------------------------------------------


def test_every_category_has_a_table_and_every_table_names_real_categories_and_sources() -> None:
    categories = set(Category.__args__) - {"inconclusive"}  # type: ignore[attr-defined]
    assert set(TABLES) == categories
    for category, table in TABLES.items():
        assert set(table.explains) <= categories - {category}, category
        assert table.needs <= set(NAMES), category
        assert all(0 < weight < 1 for weight in table.weights.values()), category
        for effect, link in table.explains.items():
            assert link.unless <= set(TABLES[effect].weights), (category, effect)


def test_the_causal_model_has_no_cycle() -> None:
    def reaches(start: Category, seen: frozenset[Category]) -> bool:
        return any(effect in seen or reaches(effect, seen | {effect}) for effect in TABLES[start].explains)

    assert not [c for c in TABLES if reaches(c, frozenset({c}))]


def test_evidence_makes_a_cause_likely_never_certain() -> None:
    everything_seen = ("pool_logs_new", "connections_pinned", "sql_dominant", "latency")
    assert score("database_connection_exhaustion", *everything_seen) > 1
    pool = claim("database_connection_exhaustion", *everything_seen)
    assert diagnose(facts(), rules(pool)).root.confidence == CERTAINTY_CAP


def _explains_cell(category: Category) -> str:
    cells = []
    for effect, link in TABLES[category].explains.items():
        seen_in = f" (from {', '.join(sorted(link.needs))})" if link.needs else ""
        conditions = (
            ["unless " + ", ".join(f"`{w}`" for w in sorted(link.unless)) + seen_in] if link.unless else []
        )
        conditions += ["from another resource"] if link.apart else []
        cells.append(f"`{effect}`" + (f" ({'; '.join(conditions)})" if conditions else ""))
    return ", ".join(cells) or "-"


def test_the_readme_category_table_says_what_the_tables_say() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    rows = {
        match[1]: (match[2], match[3])
        for match in re.finditer(r"^\| `([a-z_]+)` \| .* \| (.*) \| (.*) \|$", readme, re.MULTILINE)
    }
    for category, table in TABLES.items():
        assert rows.get(category) == (_explains_cell(category), ", ".join(sorted(table.needs)) or "-"), (
            category
        )


def test_confidence_is_the_calibrated_rate_of_a_score_and_never_falls_as_evidence_grows() -> None:
    scores = [i / 100 for i in range(0, 120)]
    confidences = [calibrated(s) for s in scores]
    assert all(a <= b for a, b in itertools.pairwise(confidences))
    assert all(c == s for s, c in zip(scores, confidences, strict=True) if s < CONFIDENCE_FLOOR)
    assert calibrated(CONFIDENCE_FLOOR) >= CONFIDENCE_FLOOR
    assert max(confidences) <= CERTAINTY_CAP
    knots = [x for x, _ in CALIBRATION]
    assert knots == sorted(knots)
    assert knots[0] == CONFIDENCE_FLOOR
