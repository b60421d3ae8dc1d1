"""Lambda rules: invocations that run out of time, out of memory, or are not allowed to run at all.

Lambda's REPORT lines (read by the logs gatherer) say per invocation how long it ran and how much
memory it used; the function's configuration (resources gatherer) says against which limits.
"""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import t
from ..models import InvocationReport
from ..report import Hypothesis
from .base import Case, Facts, increased, total

MIN_TIMEOUTS = 2
MEMORY_CEILING = 0.95  # max memory used at 95%+ of the memory size: nothing left for a larger payload


def _reports(facts: Facts) -> list[InvocationReport]:
    return facts.logs.invocations if facts.logs else []


def _errors(case: Case, facts: Facts, function: str) -> None:
    errors = facts.series_of("Errors", "lambda_function", function)
    if errors and increased(errors):
        reason = t(
            facts.lang,
            "r.errors_up",
            metric="Errors",
            count=f"{total(errors.incident):.0f}",
            baseline=f"{total(errors.baseline):.0f}",
        )
        case.support(0.1, ev.series_id(errors), reason)


def lambda_timeout(facts: Facts) -> list[Hypothesis]:
    """Invocations reach the function's timeout and are cut off."""
    hypotheses = []
    for report in _reports(facts):
        if report.timeouts < MIN_TIMEOUTS:
            continue
        case = Case("lambda_timeout", report.function, facts)
        config = facts.function(report.function)
        limit = f"{config.timeout_s} s" if config else "?"
        reason = t(
            facts.lang, "r.timeouts", timeouts=report.timeouts, invocations=report.invocations, limit=limit
        )
        case.support(0.5, ev.invocations_id(report), reason)
        duration = facts.series_of("Duration", "lambda_function", report.function)
        if config and duration and (duration.incident.max or 0) >= 0.95 * config.timeout_s * 1000:
            case.support(0.15, ev.series_id(duration), t(facts.lang, "r.duration_at_limit", limit=limit))
        elif config:
            case.support(0.1, ev.function_id(config), t(facts.lang, "r.configured_timeout", limit=limit))
        _errors(case, facts, report.function)
        hypotheses += case.hypothesis()
    return hypotheses


def lambda_memory_exhaustion(facts: Facts) -> list[Hypothesis]:
    """Invocations use all the memory the function has and are killed."""
    hypotheses = []
    for report in _reports(facts):
        size, used = report.memory_size_mb, report.max_memory_used_mb
        at_ceiling = bool(size and used and used >= MEMORY_CEILING * size)
        if not report.out_of_memory and not at_ceiling:
            continue
        case = Case("lambda_memory_exhaustion", report.function, facts)
        reason = t(facts.lang, "r.memory", used=used, size=size, oom=report.out_of_memory)
        case.support(0.45 if report.out_of_memory else 0.2, ev.invocations_id(report), reason)
        if report.out_of_memory and at_ceiling:
            case.support(0.15, ev.invocations_id(report), t(facts.lang, "r.memory_ceiling"))
        killed = facts.signatures("out_of_memory")
        if killed:
            case.support(
                0.15, ev.signature_id(killed[0]), t(facts.lang, "r.oom_logs", signature=killed[0].signature)
            )
        _errors(case, facts, report.function)
        hypotheses += case.hypothesis()
    return hypotheses


def lambda_throttling(facts: Facts) -> list[Hypothesis]:
    """Invocations are refused: the function is at its reserved concurrency or the account's limit."""
    hypotheses = []
    for throttles in facts.series("Throttles", "lambda_function"):
        if total(throttles.incident) < 5 or not increased(throttles):
            continue
        function = throttles.dimensions.get("FunctionName", "")
        case = Case("lambda_throttling", function, facts)
        reason = t(
            facts.lang,
            "r.throttles",
            count=f"{total(throttles.incident):.0f}",
            baseline=f"{total(throttles.baseline):.0f}",
        )
        case.support(0.45, ev.series_id(throttles), reason)
        concurrency = facts.series_of("ConcurrentExecutions", "lambda_function", function)
        config = facts.function(function)
        reserved = config.reserved_concurrency if config else None
        if concurrency and (concurrency.at_peak_share or 0) >= 0.3:
            at_reserved = reserved is not None and (concurrency.incident.max or 0) >= reserved
            limit = str(reserved) if at_reserved else f"{concurrency.incident.max or 0:.0f}"
            reason = t(facts.lang, "r.concurrency_flat", limit=limit)
            case.support(0.25 if at_reserved else 0.15, ev.series_id(concurrency), reason)
        elif config and reserved is not None:
            case.support(0.1, ev.function_id(config), t(facts.lang, "r.reserved", limit=reserved))
        hypotheses += case.hypothesis()
    return hypotheses
