"""The rule engine: rules make claims, the engine weighs them and finds the cause the symptoms lead to.

Each rule is a plain function ``Facts -> list[Claim]``: for its category, observations that each cite
evidence and name their weight in the category's table (``tables.py``). The engine

1. weighs a claim: the weights of the observations whose evidence the report holds (others count
   for nothing), capped below certainty; a claim left with no observation is dropped;
2. caps it below the floor when a source the category needs could not be read, or when a cause it
   may have is seen but cannot be confirmed for that reason, or could not be looked for at all (none
   of its sources read), saying what would confirm it: a confident answer must not rest on evidence
   nobody looked at;
3. links causes to symptoms along the causal model (``Table.explains``): a cause explains a symptom
   when it has support of its own, began no later than the symptom did, and concerns a resource of
   the alarm's scope. The root cause is the first link: the strongest claim nothing explains, the
   likelier for explaining symptoms the evidence shows; its chain runs from it to the alarm's symptom.

A score at or above the floor becomes a confidence through ``tables.CALIBRATION``: how often answers
with that score were right on the variant benchmark. Below the floor the report says ``inconclusive``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..i18n import t
from ..report import Category, ChainLink, Hypothesis, Role, RootCause
from . import (
    alarm_config,
    capacity,
    changes,
    database,
    edge,
    errors,
    functions,
    lag,
    latency,
    network,
    platform,
    queues,
    targets,
)
from .base import Claim, Facts, Observation
from .tables import CALIBRATION, TABLES

CONFIDENCE_FLOOR = 0.5
CERTAINTY_CAP = 0.97  # evidence makes a cause likely, never certain
LINK_SUPPORT = 0.4  # a cause needs this much evidence of its own before it explains anything
EXPLAINING = 0.1  # a cause that accounts for symptoms the evidence shows is the likelier for it
UNREAD_CAP = CONFIDENCE_FLOOR - 0.05  # a category whose deciding source is missing stays below the floor
LINK_GRACE = timedelta(minutes=2)  # per-minute metrics: a cause and its effect may show in the same minutes

Rule = Callable[[Facts], list[Claim]]


def interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    """``x`` through the piecewise-linear function of ``points`` (increasing in x), flat beyond its ends."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def calibrated(score: float) -> float:
    """How often an answer with this evidence score is right (``tables.CALIBRATION``); below the floor
    a score is no answer, and stays as it is."""
    return score if score < CONFIDENCE_FLOOR else interpolate(CALIBRATION, score)


RULES: list[Rule] = [
    database.connection_exhaustion,
    database.resource_pressure,
    database.slow_query,
    latency.downstream_dependency,
    latency.application_code,
    errors.application_error,
    changes.deployment_regression,
    functions.lambda_timeout,
    functions.lambda_throttling,
    functions.lambda_memory_exhaustion,
    queues.async_processing_failure,
    targets.unhealthy_targets,
    targets.health_check_misconfiguration,
    network.network_misconfiguration,
    capacity.compute_saturation,
    capacity.traffic_surge,
    alarm_config.misconfiguration,
    platform.cache_pressure,
    platform.storage_exhaustion,
    platform.burst_credit_exhaustion,
    platform.infrastructure_failure,
    edge.nat_gateway_exhaustion,
    edge.certificate_expiry,
    edge.credentials_failure,
    lag.dynamodb_throttling,
    lag.api_throttling,
    lag.consumer_lag,
    lag.replication_lag,
]


@dataclass(frozen=True)
class Weighed:
    """A claim with what counts of it: its cited observations, their weight, and the sources it lacks."""

    claim: Claim
    observations: tuple[Observation, ...]
    score: float
    unread: tuple[str, ...]  # sources the category needs that could not be read

    @property
    def category(self) -> Category:
        return self.claim.category

    @property
    def onset(self) -> datetime | None:
        """When its own mechanism began, as far as its evidence says (symptoms it cites do not count)."""
        moments = [o.at for o in self.observations if o.at is not None and not o.symptom]
        return min(moments, default=None)

    @property
    def earliest(self) -> datetime | None:
        """The earliest its own mechanism may have begun, given how finely its evidence dates it."""
        moments = [o.at - o.slack for o in self.observations if o.at is not None and not o.symptom]
        return min(moments, default=None)


def weigh(claim: Claim, facts: Facts) -> Weighed | None:
    cited = tuple(o for o in claim.observations if facts.cites(o.evidence_id))
    if not cited:
        return None
    table = TABLES[claim.category]
    unread = tuple(sorted(table.needs & facts.failed))
    return Weighed(claim, cited, sum(table.weights[o.weight] for o in cited), unread)


def could_explain(cause: Weighed, effect: Weighed, facts: Facts) -> bool:
    """The causal model allows it (``tables.Link``), the cause came first, and is on the path."""
    link = TABLES[cause.category].explains.get(effect.category)
    began, shows = cause.earliest, effect.onset
    return (
        link is not None
        and not any(o.weight in link.unless for o in effect.observations)
        and not (link.apart and cause.claim.resource == effect.claim.resource)
        and (began is None or shows is None or began <= shows + LINK_GRACE)
        and facts.on_path(cause.claim.on)
    )


def explains(cause: Weighed, effect: Weighed, facts: Facts) -> bool:
    """It could, and the cause is confirmed: support of its own, from every source it needs."""
    return cause.score >= LINK_SUPPORT and not cause.unread and could_explain(cause, effect, facts)


@dataclass(frozen=True)
class Diagnosis:
    root: RootCause
    hypotheses: list[Hypothesis]  # the root's first, then the rest by confidence


class Links:
    """Who explains whom among the weighed claims."""

    def __init__(self, weighed: Sequence[Weighed], facts: Facts) -> None:
        self.effects = {id(w): [e for e in weighed if e is not w and explains(w, e, facts)] for w in weighed}
        self.explained = {id(e) for effects in self.effects.values() for e in effects}
        # A link whose condition a missing source would show: neither side can be confirmed.
        self.unread: dict[int, set[str]] = {id(w): set(w.unread) for w in weighed}
        # Nor can a claim whose cause may be there unseen for want of a source it needs: seen and able
        # to explain it but unconfirmed, or not seen at all (a surge with no metrics read).
        for effect in weighed:
            for category, table in TABLES.items():
                missing = table.needs & facts.failed
                seen = [c for c in weighed if c.category == category and c is not effect]
                if (
                    effect.category in table.explains
                    and missing
                    and (not seen or any(could_explain(c, effect, facts) for c in seen))
                ):
                    self.unread[id(effect)] |= missing
        for cause in weighed:
            for effect in self.effects[id(cause)]:
                link = TABLES[cause.category].explains[effect.category]
                self.unread[id(cause)] |= link.needs & facts.failed
                self.unread[id(effect)] |= link.needs & facts.failed

    def support(self, weighed: Weighed) -> float:
        """How likely its evidence makes it, before the cap for what could not be read."""
        return calibrated(weighed.score + (EXPLAINING if self.effects[id(weighed)] else 0.0))

    def confidence(self, weighed: Weighed) -> float:
        return round(min(self.support(weighed), UNREAD_CAP if self.unread[id(weighed)] else CERTAINTY_CAP), 2)

    def chain(self, root: Weighed) -> list[Weighed]:
        """The longest run of links from the root: cause, what it brought about, ..., the alarm's symptom."""
        longest = [root]
        for effect in self.effects[id(root)]:
            below = self.chain(effect)
            if len(below) + 1 > len(longest) or (
                len(below) + 1 == len(longest) and below[0].score > longest[1].score
            ):
                longest = [root, *below]
        return longest

    def consequences(self, root: Weighed) -> dict[int, Category]:
        """Everything the root explains, directly or through another link, and the link that explains it."""
        found: dict[int, Category] = {}
        stack = [root]
        while stack:
            cause = stack.pop()
            for effect in self.effects[id(cause)]:
                if id(effect) not in found and effect is not root:
                    found[id(effect)] = cause.category
                    stack.append(effect)
        return found


def _summary(weighed: Weighed, facts: Facts) -> str:
    return t(facts.lang, f"s.{weighed.category}", resource=weighed.claim.resource or "?")


def _hypothesis(
    weighed: Weighed, links: Links, facts: Facts, role: Role, explained_by: Category | None
) -> Hypothesis:
    to_confirm, unread = None, links.unread[id(weighed)]
    if unread:
        confirm = t(facts.lang, f"confirm.{weighed.category}")
        to_confirm = t(facts.lang, "confirm.unread", sources=", ".join(sorted(unread)), confirm=confirm)
    return Hypothesis(
        category=weighed.category,
        summary=_summary(weighed, facts),
        confidence=links.confidence(weighed),
        resource=weighed.claim.resource,
        reasons=list(dict.fromkeys(o.reason.text(facts.lang) for o in weighed.observations)),
        evidence_ids=list(dict.fromkeys(o.evidence_id for o in weighed.observations)),
        to_confirm=to_confirm,
        role=role,
        explained_by=explained_by,
    )


def diagnose(facts: Facts, rules: Sequence[Rule] = RULES) -> Diagnosis:
    """The root cause and every hypothesis, from the rules' claims (those citing nothing the report
    holds are dropped)."""
    weighed = [w for rule in rules for claim in rule(facts) if (w := weigh(claim, facts))]
    links = Links(weighed, facts)
    unexplained = [w for w in weighed if id(w) not in links.explained]
    if not unexplained:
        return Diagnosis(root=inconclusive(facts), hypotheses=[])
    # The best-supported explanation, confirmable or not: when it cannot be confirmed, a weaker one
    # does not become the answer in its place (the analysis is inconclusive). Calibration is flat at
    # its top, so claims it cannot tell apart are told apart by their evidence, not by rule order.
    root = max(unexplained, key=lambda w: (links.support(w), w.score))
    consequences = links.consequences(root)
    others = [
        _hypothesis(
            w, links, facts, "symptom" if id(w) in consequences else "alternative", consequences.get(id(w))
        )
        for w in weighed
        if w is not root
    ]
    hypotheses = [
        _hypothesis(root, links, facts, "root", None),
        *sorted(others, key=lambda h: h.confidence, reverse=True),
    ]
    leader = hypotheses[0]
    if leader.confidence < CONFIDENCE_FLOOR:
        return Diagnosis(root=inconclusive(facts), hypotheses=hypotheses)
    chain = links.chain(root)
    return Diagnosis(
        root=RootCause(
            category=leader.category,
            summary=leader.summary,
            confidence=leader.confidence,
            resource=leader.resource,
            reasons=leader.reasons,
            chain=[
                ChainLink(
                    category=link.category,
                    summary=_summary(link, facts),
                    evidence_ids=list(dict.fromkeys(o.evidence_id for o in link.observations)),
                )
                for link in chain
            ]
            if len(chain) > 1
            else [],
        ),
        hypotheses=hypotheses,
    )


def inconclusive(facts: Facts) -> RootCause:
    summary = t(facts.lang, "s.inconclusive", checked=_checked(facts))
    return RootCause(category="inconclusive", summary=summary, confidence=0.0, resource=None)


def _checked(facts: Facts) -> str:
    lang, parts = facts.lang, []
    if facts.alarm_data:
        parts.append(t(lang, "checked.alarm"))
    if facts.metrics:
        parts.append(t(lang, "checked.metrics", count=len(facts.metrics.series)))
    if facts.logs:
        parts.append(t(lang, "checked.logs", count=len(facts.logs.groups)))
    if facts.traces:
        parts.append(t(lang, "checked.traces", count=facts.traces.analyzed))
    return ", ".join(parts) or "-"
