"""Latency rules: where the time of slow requests goes, according to traces."""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import duration_ms, percent, t
from ..models import Contributor, ContributorKind
from ..report import Hypothesis
from .base import Case, Facts
from .capacity import saturated
from .network import missing_endpoint
from .signals import mechanisms_in

MIN_SLOW_SHARE = 0.05  # with (almost) no slow traces, traces cannot say where slow requests spend time


def _top(facts: Facts, kinds: tuple[ContributorKind, ...]) -> Contributor | None:
    if not facts.traces or facts.traces.slow_share < MIN_SLOW_SHARE:
        return None
    return next((c for c in facts.traces.contributors if c.kind in kinds), None)


def dominance(facts: Facts, contributor: Contributor) -> str:
    reason = t(
        facts.lang,
        "r.dominant",
        kind=t(facts.lang, f"kind.{contributor.kind}"),
        name=contributor.name,
        share=percent(contributor.share),
        avg=duration_ms(contributor.avg_ms),
    )
    if contributor.baseline_avg_ms is not None:
        reason += t(facts.lang, "r.was", before=duration_ms(contributor.baseline_avg_ms))
    return reason


def downstream_dependency(facts: Facts) -> list[Hypothesis]:
    """Slow requests spend their time waiting on a remote host or an AWS service, more than they used to."""
    symptom = facts.latency_symptom
    remote = _top(facts, ("remote_http", "aws_sdk"))
    if symptom is None or remote is None or remote.weight < 0.35:
        return []
    if remote.kind == "aws_sdk" and missing_endpoint(facts, f"{remote.name} {remote.resource or ''}"):
        return []  # the call cannot reach the service from one subnet: a network rule's case
    case = Case("downstream_dependency_latency", remote.resource or remote.name, facts)
    case.support(0.55 if remote.weight >= 0.5 else 0.35, ev.contributor_id(remote), dominance(facts, remote))
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
    if symptom is None or own is None or own.weight < 0.5 or saturated(facts):
        return []  # own code is slow on a CPU at its ceiling: compute saturation's case
    others = [c for c in facts.traces.contributors if c.kind != "own_code"] if facts.traces else []
    if any(c.weight >= 0.3 for c in others):
        return []
    case = Case("application_code_latency", own.name, facts)
    case.support(0.5 if own.weight < 0.7 else 0.6, ev.contributor_id(own), dominance(facts, own))
    case.support(0.15, *symptom)
    return case.hypothesis()
