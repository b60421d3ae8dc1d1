"""Latency rules: where the time of slow requests goes, according to traces."""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import duration_ms, percent, t
from ..models import Contributor, ContributorKind
from ..report import Hypothesis
from .base import Case, Facts
from .signals import mechanisms_in


def _top(facts: Facts, kinds: tuple[ContributorKind, ...]) -> Contributor | None:
    if not facts.traces:
        return None
    return next((c for c in facts.traces.contributors if c.kind in kinds), None)


def _dominance(facts: Facts, contributor: Contributor) -> str:
    return t(
        facts.lang,
        "r.dominant",
        kind=t(facts.lang, f"kind.{contributor.kind}"),
        name=contributor.name,
        share=percent(contributor.share),
        avg=duration_ms(contributor.avg_ms),
    )


def downstream_dependency(facts: Facts) -> list[Hypothesis]:
    """Slow requests spend their time waiting on a remote host or an AWS service."""
    symptom = facts.latency_symptom
    remote = _top(facts, ("remote_http", "aws_sdk"))
    if symptom is None or remote is None or remote.share < 0.35:
        return []
    case = Case("downstream_dependency_latency", remote.resource or remote.name, facts.lang)
    case.support(0.55 if remote.share >= 0.5 else 0.35, ev.contributor_id(remote), _dominance(facts, remote))
    case.support(0.15, *symptom)
    timeouts = [
        s
        for s in facts.signatures("downstream_timeout")
        if "connection_exhaustion" not in mechanisms_in(s.text)
    ]
    if timeouts:
        reason = t(facts.lang, "r.timeout_logs", signature=timeouts[0].signature, count=timeouts[0].count)
        case.support(0.15, ev.signature_id(timeouts[0]), reason)
    return case.hypothesis()


def application_code(facts: Facts) -> list[Hypothesis]:
    """Slow requests spend their time in the service's own code, not waiting on anything."""
    symptom = facts.latency_symptom
    own = _top(facts, ("own_code",))
    if symptom is None or own is None or own.share < 0.5:
        return []
    others = [c for c in facts.traces.contributors if c.kind != "own_code"] if facts.traces else []
    if any(c.share >= 0.3 for c in others):
        return []
    case = Case("application_code_latency", own.name, facts.lang)
    case.support(0.5 if own.share < 0.7 else 0.6, ev.contributor_id(own), _dominance(facts, own))
    case.support(0.15, *symptom)
    return case.hypothesis()
