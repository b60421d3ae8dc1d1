"""Latency rules: where the time of slow requests goes, according to traces."""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import duration_ms, percent
from ..models import Contributor, ContributorKind
from .base import Claim, Facts, Phrase
from .signals import mechanisms_in
from .tables import TABLES

MIN_SLOW_SHARE = 0.05  # with (almost) no slow traces, traces cannot say where slow requests spend time
DOWNSTREAM = TABLES["downstream_dependency_latency"].thresholds
OWN_CODE = TABLES["application_code_latency"].thresholds


def _top(facts: Facts, kinds: tuple[ContributorKind, ...]) -> Contributor | None:
    if not facts.traces or facts.traces.slow_share < MIN_SLOW_SHARE:
        return None
    return next((c for c in facts.traces.contributors if c.kind in kinds), None)


def dominance(contributor: Contributor) -> Phrase:
    was = (
        Phrase("r.was", {"before": duration_ms(contributor.baseline_avg_ms)})
        if contributor.baseline_avg_ms is not None
        else ""
    )
    return Phrase(
        "r.dominant",
        {
            "kind": Phrase(f"kind.{contributor.kind}"),
            "name": contributor.name,
            "share": percent(contributor.share),
            "avg": duration_ms(contributor.avg_ms),
            "was": was,
        },
    )


def downstream_dependency(facts: Facts) -> list[Claim]:
    """Slow requests spend their time waiting on a remote host or an AWS service, more than they used to."""
    symptom = facts.latency_symptom
    remote = _top(facts, ("remote_http", "aws_sdk"))
    if symptom is None or remote is None or remote.weight < DOWNSTREAM["remote_weight"]:
        return []
    others = facts.traces.contributors if facts.traces else []
    runner_up = max((c.weight for c in others if c is not remote), default=0.0)
    if remote.weight < DOWNSTREAM["lead"] * runner_up:
        return []  # the slowdown is spread over several contributors: none of them is the cause
    claim = Claim("downstream_dependency_latency", remote.resource or remote.name)
    weight = "remote_dominant_strongly" if remote.weight >= DOWNSTREAM["strongly"] else "remote_dominant"
    claim.observe(weight, ev.contributor_id(remote), dominance(remote))
    claim.symptom("latency", symptom)
    timeouts = [
        s
        for s in facts.signatures("downstream_timeout")
        if "connection_exhaustion" not in mechanisms_in(s.text)
    ]
    if timeouts:
        reason = Phrase("r.timeout_logs", {"signature": timeouts[0].signature, "count": timeouts[0].count})
        claim.logged("timeout_logs", timeouts[0], reason)
    return [claim]


def application_code(facts: Facts) -> list[Claim]:
    """Slow requests spend their time in the service's own code, not waiting on anything."""
    symptom = facts.latency_symptom
    own = _top(facts, ("own_code",))
    if symptom is None or own is None or own.weight < OWN_CODE["own_weight"]:
        return []
    others = [c for c in facts.traces.contributors if c.kind != "own_code"] if facts.traces else []
    if any(c.weight >= OWN_CODE["others_max"] for c in others):
        return []  # the code waits on something as much: another rule's case
    claim = Claim("application_code_latency", own.name)
    claim.observe(
        "code_dominant_strongly" if own.weight >= OWN_CODE["strongly"] else "code_dominant",
        ev.contributor_id(own),
        dominance(own),
    )
    claim.symptom("latency", symptom)
    return [claim]
