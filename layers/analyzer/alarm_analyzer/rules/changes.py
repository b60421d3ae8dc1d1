"""Change rules: a deployment, alias shift or flag flip shortly before the breach that the symptoms follow.

A change alone proves nothing (teams deploy all day); it becomes the probable cause only when the
symptoms corroborate it: an error signature never seen before that first appears after it, or the
alarm's metric starting to breach after it. Symptoms that began before the change clear it.
"""

from __future__ import annotations

from datetime import timedelta

from .. import evidence as ev
from ..i18n import Lang, t
from ..models import CALL_KINDS, Change
from .base import Claim, Facts, Phrase
from .tables import TABLES

DEPLOYMENT = TABLES["deployment_regression"].thresholds
# The seed runbook's "deployed in the last hour?"; per-minute metrics: the symptoms' first minute counts.
LOOKBACK = timedelta(minutes=DEPLOYMENT["lookback_minutes"])
CLOSE = timedelta(minutes=DEPLOYMENT["close_minutes"])
GRACE = timedelta(minutes=DEPLOYMENT["grace_minutes"])

# API calls that change what runs: code, configuration, the version traffic goes to, a flag.
DEPLOYING_CALLS = frozenset(
    {
        "UpdateFunctionCode",
        "UpdateFunctionConfiguration",
        "PublishVersion",
        "UpdateAlias",
        "CreateAlias",
        "UpdateService",
        "CreateDeployment",
        "StartDeployment",
        "UpdateStack",
        "ExecuteChangeSet",
        "RegisterTaskDefinition",
        "UpdateConfigurationProfile",
        "CreateHostedConfigurationVersion",
    }
)


def is_deployment(change: Change) -> bool:
    """A deployment marker, or a CloudTrail call that changes what runs (not a secret, key or capacity)."""
    return change.kind not in CALL_KINDS or change.action in DEPLOYING_CALLS


def _candidates(facts: Facts) -> list[Change]:
    if not facts.changes:
        return []
    onset = facts.onset
    return [
        c for c in facts.changes.changes if is_deployment(c) and onset - LOOKBACK <= c.at <= onset + GRACE
    ]


def rollback_of(change: Change, lang: Lang) -> str:
    """The precise way back: the previous version, task definition or configuration when known."""
    previous = change.previous or t(lang, "rollback.previous")
    return t(lang, f"rollback.{change.kind}", previous=previous, resource=change.resource)


def describe(change: Change) -> str:
    identifier = f" {change.identifier}" if change.identifier else ""
    return f"{change.action}{identifier} ({change.resource})"


def deployment_regression(facts: Facts) -> list[Claim]:
    """The most recent change before the breach, when the symptoms began after it."""
    candidates = _candidates(facts)
    if not candidates:
        return []
    change = max(candidates, key=lambda c: c.at)
    new_after = [s for s in facts.rising_errors if s.new and s.first_seen >= change.at - GRACE]
    breached_after = facts.onset >= change.at - GRACE
    if not new_after and not breached_after:
        return []
    symptom = facts.error_symptom or facts.latency_symptom
    if not new_after and symptom is None:
        return []  # the alarm followed the change but nothing else says the service got worse
    # Deployment markers are found from the scope's resources; a CloudTrail call may name anything.
    on = change.resource if change.kind in CALL_KINDS else None
    claim = Claim("deployment_regression", describe(change), on=on)
    minutes = round((facts.breach_start - change.at).total_seconds() / 60)
    weight = "change_just_before" if facts.breach_start - change.at <= CLOSE else "change_before"
    claim.observe(
        weight,
        ev.change_id(change),
        Phrase("r.change_before", {"change": describe(change), "minutes": minutes}),
        change.at,
    )
    if new_after:
        signature = new_after[0]
        reason = Phrase("r.new_after_change", {"signature": signature.signature, "count": signature.count})
        claim.logged("new_after_change", signature, reason)
    if breached_after and symptom:
        claim.symptom("after_change", symptom, Phrase("r.after_change", {"symptom": symptom.reason}))
    if change.rolled_back:
        claim.observe("rolled_back", ev.change_id(change), Phrase("r.rolled_back"))
    return [claim]
