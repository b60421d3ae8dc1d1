"""Every edge of the causal model has an incident where the symptom has the stronger evidence of its own,
and the report still names the cause, with the chain rendered.

"Of its own": the cause's evidence is what it shows beyond the symptom. A cause also cites the symptom
it produces (slower requests, the targets failing in its zone); that evidence is the symptom's.

The edges come from the tables (``Table.explains``), so an edge added without a scenario fails here.
Each edge's scenario (``Scenario.chain``, in ``chains.py``) runs through gather -> correlate in the
emulator; the library's checks (call budget, category) hold for it in ``test_scenarios.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pytest

from alarm_analyzer import correlate
from alarm_analyzer.i18n import title
from alarm_analyzer.render import CHAIN_ARROW, chain_line, to_html, to_text
from alarm_analyzer.report import Category
from alarm_analyzer.rules import RULES, Diagnosis, Rule, Weighed, diagnose, weigh
from alarm_analyzer.rules.base import Facts
from alarm_analyzer.rules.tables import TABLES
from alarm_devtools.emulator.benchmark import diagnose as analyze
from alarm_devtools.emulator.catalog import SCENARIOS
from alarm_devtools.emulator.chains import CHAINS
from alarm_devtools.emulator.dead_letters import DEAD_LETTERS
from alarm_devtools.emulator.scenarios import LIBRARY, Scenario
from alarm_devtools.emulator.services_edge import EDGE
from alarm_devtools.emulator.services_lag import LAG
from alarm_devtools.emulator.services_platform import PLATFORM

Edge = tuple[Category, Category]

EDGES: list[Edge] = sorted((cause, effect) for cause, table in TABLES.items() for effect in table.explains)

# Edges whose scenario is a realistic incident on which the analysis falls short today, and how: each
# turns into a failure (strict) once the analysis gets it right, to be taken off this list.
FALLS_SHORT: dict[Edge, str] = {}


@pytest.fixture
def claims(monkeypatch: pytest.MonkeyPatch) -> dict[Category, Weighed]:
    """Each category's strongest claim in the analysis, as the engine weighs it before linking and
    calibration: what "the stronger evidence of its own" compares (the report only shows confidences,
    which calibration flattens at the top)."""
    found: dict[Category, Weighed] = {}

    def weighing(facts: Facts, rules: Sequence[Rule] = RULES) -> Diagnosis:
        for weighed in (weigh(claim, facts) for rule in rules for claim in rule(facts)):
            if weighed and (weighed.category not in found or weighed.score > found[weighed.category].score):
                found[weighed.category] = weighed
        return diagnose(facts, rules)

    monkeypatch.setattr(correlate, "diagnose", weighing)
    return found


def beyond(cause: Weighed, symptom: Weighed) -> float:
    """The cause's evidence beyond the symptom: observations on evidence the symptom does not cite,
    and not the symptom the cause cites itself."""
    shown = {o.evidence_id for o in symptom.observations}
    weights = TABLES[cause.category].weights
    return round(
        sum(weights[o.weight] for o in cause.observations if o.evidence_id not in shown and not o.symptom), 2
    )


def _scenario_of(edge: Edge) -> Scenario:
    found = [s for s in SCENARIOS.values() if s.chain == edge]
    assert len(found) == 1, f"{len(found)} scenarios demonstrate {edge[0]} -> {edge[1]}: chains.py needs one"
    return found[0]


def _edges() -> list[object]:
    return [
        pytest.param(
            edge,
            id=f"{edge[0]}->{edge[1]}",
            marks=[pytest.mark.xfail(strict=True, reason=FALLS_SHORT[edge])] if edge in FALLS_SHORT else [],
        )
        for edge in EDGES
    ]


def test_every_scenario_has_one_name_and_demonstrates_an_edge_of_the_model() -> None:
    parts = (LIBRARY, DEAD_LETTERS, CHAINS, PLATFORM, EDGE, LAG)
    assert len(SCENARIOS) == sum(map(len, parts)), "a chain reuses another scenario's name"
    assert all(s.chain in EDGES for s in SCENARIOS.values() if s.chain), "an edge the tables do not have"
    assert set(FALLS_SHORT) <= set(EDGES)


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("edge", _edges())
def test_the_report_names_the_cause_of_a_better_evidenced_symptom(
    edge: Edge, claims: dict[Category, Weighed]
) -> None:
    cause, effect = edge
    report, _ = analyze(_scenario_of(edge))
    scores = {category: round(weighed.score, 2) for category, weighed in claims.items()}
    summary = [(h.category, h.confidence, h.role, h.explained_by) for h in report.hypotheses], scores
    assert report.root_cause.category == cause, summary
    assert [link.category for link in report.root_cause.chain][:2] == [cause, effect], summary
    symptom = next(h for h in report.hypotheses if h.category == effect)
    assert (symptom.role, symptom.explained_by) == ("symptom", cause)
    assert claims[effect].score > beyond(claims[cause], claims[effect]), summary

    titles = [title(link.category, report.language) for link in report.root_cause.chain]
    line = chain_line(report)
    assert line is not None
    assert CHAIN_ARROW.join(titles) in line
    assert line in to_text(report)
    html = to_html(report)
    assert html.count('<div class="chain">') == 1
    assert html.count('<div class="link">') == len(titles)
    positions = [html.index(f"{escape(name)}</a>", html.index('<div class="chain">')) for name in titles]
    assert positions == sorted(positions), "the diagram runs from the cause to the symptom"
