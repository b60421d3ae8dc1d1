"""Error rules: the service's own code fails (a new or more frequent exception), nothing else explains it."""

from __future__ import annotations

from typing import get_args

from .. import evidence as ev
from ..models import LogSignature
from .base import Claim, Facts, Phrase
from .signals import Mechanism, mechanisms_in

# Mechanisms other rules diagnose as a cause of their own; a crash or an unhandled exception is not one.
OTHER_CAUSES = frozenset(get_args(Mechanism)) - {"crash"}


def own_errors(facts: Facts) -> list[LogSignature]:
    """Surging error signatures that are not a known mechanism (pool, timeout, memory, throttling)."""
    return [s for s in facts.surging_errors if not mechanisms_in(s.text) & OTHER_CAUSES]


def application_error(facts: Facts) -> list[Claim]:
    """Requests or invocations fail, and the logs show the code throwing an exception more than before."""
    errors = own_errors(facts)
    symptom = facts.error_symptom
    if not errors or symptom is None:
        return []
    top = max(errors, key=lambda s: s.count)
    claim = Claim("application_error", top.log_groups[0] if top.log_groups else None)
    new = Phrase("r.new") if top.new else ""
    reason = Phrase("r.exception_logs", {"signature": top.signature, "count": top.count, "new": new})
    claim.logged("exception_logs_new" if top.new else "exception_logs", top, reason)
    claim.symptom("errors_up", symptom)
    if facts.changes is not None and not facts.changes.changes:
        claim.observe("no_change", ev.CHANGES, Phrase("r.no_change"))
    return [claim]
