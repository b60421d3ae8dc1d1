"""Error rules: the service's own code fails (a new or more frequent exception), nothing else explains it."""

from __future__ import annotations

from typing import get_args

from .. import evidence as ev
from ..i18n import t
from ..models import LogSignature
from ..report import Hypothesis
from .base import Case, Facts
from .signals import Mechanism, mechanisms_in

# Mechanisms other rules diagnose as a cause of their own; a crash or an unhandled exception is not one.
OTHER_CAUSES = frozenset(get_args(Mechanism)) - {"crash"}


def own_errors(facts: Facts) -> list[LogSignature]:
    """Surging error signatures that are not a known mechanism (pool, timeout, memory, throttling)."""
    return [s for s in facts.surging_errors if not mechanisms_in(s.text) & OTHER_CAUSES]


def application_error(facts: Facts) -> list[Hypothesis]:
    """Requests or invocations fail, and the logs show the code throwing an exception more than before."""
    errors = own_errors(facts)
    symptom = facts.error_symptom
    if not errors or symptom is None:
        return []
    top = max(errors, key=lambda s: s.count)
    case = Case("application_error", top.log_groups[0] if top.log_groups else None, facts)
    new = t(facts.lang, "r.new") if top.new else ""
    reason = t(facts.lang, "r.exception_logs", signature=top.signature, count=top.count, new=new)
    case.support(0.4 if top.new else 0.3, ev.signature_id(top), reason)
    case.support(0.2, *symptom)
    if facts.changes is not None and not facts.changes.changes:
        case.support(0.05, ev.CHANGES, t(facts.lang, "r.no_change"))
    return case.hypothesis()
