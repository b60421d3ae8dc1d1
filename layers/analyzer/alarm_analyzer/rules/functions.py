"""Lambda rules: invocations that run out of time, out of memory, or are not allowed to run at all.

Lambda's REPORT lines (read by the logs gatherer) say per invocation how long it ran and how much
memory it used; the function's configuration (resources gatherer) says against which limits.
"""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import quantity
from ..models import InvocationReport
from .base import Claim, Facts, Phrase, increased, total
from .tables import TABLES

TIMEOUT = TABLES["lambda_timeout"].thresholds
THROTTLING = TABLES["lambda_throttling"].thresholds
MEMORY = TABLES["lambda_memory_exhaustion"].thresholds


def _reports(facts: Facts) -> list[InvocationReport]:
    return facts.logs.invocations if facts.logs else []


def _errors(claim: Claim, facts: Facts, function: str) -> None:
    errors = facts.series_of("Errors", "lambda_function", function)
    if errors and increased(errors):
        reason = Phrase(
            "r.errors_up",
            {
                "metric": "Errors",
                "count": quantity(total(errors.incident), ""),
                "baseline": quantity(total(errors.baseline), ""),
            },
        )
        claim.observe("errors_up", ev.series_id(errors), reason, errors.breach_start)


def lambda_timeout(facts: Facts) -> list[Claim]:
    """Invocations reach the function's timeout and are cut off."""
    claims = []
    for report in _reports(facts):
        if report.timeouts < TIMEOUT["min_timeouts"]:
            continue
        claim = Claim("lambda_timeout", report.function)
        config = facts.function(report.function)
        limit = f"{config.timeout_s} s" if config else "?"
        reason = Phrase(
            "r.timeouts", {"timeouts": report.timeouts, "invocations": report.invocations, "limit": limit}
        )
        claim.observe("timeouts", ev.invocations_id(report), reason)
        duration = facts.series_of("Duration", "lambda_function", report.function)
        if (
            config
            and duration
            and (duration.incident.max or 0) >= TIMEOUT["duration_share"] * config.timeout_s * 1000
        ):
            claim.observe(
                "duration_at_limit",
                ev.series_id(duration),
                Phrase("r.duration_at_limit", {"limit": limit}),
                duration.breach_start,
            )
        elif config:
            claim.observe(
                "configured_timeout", ev.function_id(config), Phrase("r.configured_timeout", {"limit": limit})
            )
        _errors(claim, facts, report.function)
        claims += claim.made()
    return claims


def lambda_memory_exhaustion(facts: Facts) -> list[Claim]:
    """Invocations use all the memory the function has and are killed."""
    claims = []
    for report in _reports(facts):
        size, used = report.memory_size_mb, report.max_memory_used_mb
        at_ceiling = bool(size and used and used >= MEMORY["ceiling_share"] * size)
        if not report.out_of_memory and not at_ceiling:
            continue
        claim = Claim("lambda_memory_exhaustion", report.function)
        reason = Phrase("r.memory", {"used": used or "?", "size": size or "?", "oom": report.out_of_memory})
        claim.observe(
            "out_of_memory" if report.out_of_memory else "memory_high", ev.invocations_id(report), reason
        )
        if report.out_of_memory and at_ceiling:
            claim.observe("memory_ceiling", ev.invocations_id(report), Phrase("r.memory_ceiling"))
        killed = facts.signatures("out_of_memory")
        if killed:
            claim.logged("oom_logs", killed[0], Phrase("r.oom_logs", {"signature": killed[0].signature}))
        _errors(claim, facts, report.function)
        claims += claim.made()
    return claims


def lambda_throttling(facts: Facts) -> list[Claim]:
    """Invocations are refused: the function is at its reserved concurrency or the account's limit."""
    claims = []
    for throttles in facts.series("Throttles", "lambda_function"):
        if total(throttles.incident) < THROTTLING["min_throttles"] or not increased(throttles):
            continue
        function = throttles.dimensions.get("FunctionName", "")
        claim = Claim("lambda_throttling", function)
        reason = Phrase(
            "r.throttles",
            {
                "count": quantity(total(throttles.incident), ""),
                "baseline": quantity(total(throttles.baseline), ""),
            },
        )
        claim.observe("throttles", ev.series_id(throttles), reason, throttles.breach_start)
        concurrency = facts.series_of("ConcurrentExecutions", "lambda_function", function)
        config = facts.function(function)
        reserved = config.reserved_concurrency if config else None
        if concurrency and (concurrency.at_peak_share or 0) >= THROTTLING["flat_share"]:
            at_reserved = reserved is not None and (concurrency.incident.max or 0) >= reserved
            limit = str(reserved) if at_reserved else f"{concurrency.incident.max or 0:.0f}"
            weight = "concurrency_at_reserved" if at_reserved else "concurrency_flat"
            claim.observe(
                weight,
                ev.series_id(concurrency),
                Phrase("r.concurrency_flat", {"limit": limit}),
                concurrency.breach_start,
            )
        elif config and reserved is not None:
            claim.observe("reserved", ev.function_id(config), Phrase("r.reserved", {"limit": reserved}))
        if facts.error_symptom:  # a refused invocation fails whoever waited for it
            claim.symptom("errors_up", facts.error_symptom)
        claims += claim.made()
    return claims
