"""Load balancer target rules: targets that really fail, and health checks that fail healthy targets.

A target's health reason tells them apart: timeouts and 5xx answers mean the target is in trouble;
a 2xx/3xx answer the matcher does not accept, or a 404 on the check's path, mean the check is wrong.
"""

from __future__ import annotations

import re

from .. import evidence as ev
from ..models import TargetGroupState, TargetHealthState
from .base import Claim, Facts, Phrase, increased

_CODES = re.compile(r"\[([\d,\s]+)\]")


def codes_of(target: TargetHealthState) -> list[int]:
    """The HTTP codes a ResponseCodeMismatch description lists: "Health checks failed with these codes: [299]"."""
    found = _CODES.search(target.description or "")
    return [int(code) for code in found.group(1).replace(" ", "").split(",") if code] if found else []


def _check_disagrees(target: TargetHealthState) -> bool:
    """The target answered, with a code a working app gives (2xx, 3xx) or a missing path (404)."""
    codes = codes_of(target)
    return (
        target.reason == "Target.ResponseCodeMismatch"
        and bool(codes)
        and all(c < 400 or c == 404 for c in codes)
    )


def _unhealthy(group: TargetGroupState) -> list[TargetHealthState]:
    return [target for target in group.targets if target.state == "unhealthy"]


def _unhealthy_hosts(claim: Claim, facts: Facts) -> None:
    for series in facts.series("UnHealthyHostCount") + facts.series("HealthyHostCount"):
        moved = series.incident.max if series.metric_name == "UnHealthyHostCount" else series.incident.min
        before = series.baseline.max if series.metric_name == "UnHealthyHostCount" else series.baseline.min
        if moved is not None and before is not None and moved != before:
            reason = Phrase(
                "r.metric_moved",
                {"metric": series.metric_name, "incident": f"{moved:.0f}", "baseline": f"{before:.0f}"},
            )
            claim.observe("hosts_moved", ev.series_id(series), reason, series.breach_start)
            return


def health_check_misconfiguration(facts: Facts) -> list[Claim]:
    """Targets fail a health check whose matcher or path disagrees with an application that answers."""
    claims = []
    for group in facts.resources.target_groups if facts.resources else []:
        unhealthy = _unhealthy(group)
        disagreeing = [target for target in unhealthy if _check_disagrees(target)]
        if not disagreeing or len(disagreeing) < len(unhealthy) / 2:
            continue
        check = group.health_check
        codes = sorted({code for target in disagreeing for code in codes_of(target)})
        claim = Claim("health_check_misconfiguration", group.name)
        reason = Phrase(
            "r.check_disagrees",
            {
                "count": len(disagreeing),
                "codes": ", ".join(map(str, codes)),
                "path": check.path or "/",
                "matcher": check.matcher or "?",
            },
        )
        working = all(code < 400 for code in codes)
        claim.observe(
            "check_disagrees_working" if working else "check_disagrees", ev.targets_id(group), reason
        )
        _unhealthy_hosts(claim, facts)
        if facts.error_symptom is None:
            claim.observe("serving_fine", ev.targets_id(group), Phrase("r.serving_fine"))
        claims += claim.made()
    return claims


def unhealthy_targets(facts: Facts) -> list[Claim]:
    """Targets fail their health checks for real: they time out, refuse, or answer with server errors."""
    claims = []
    for group in facts.resources.target_groups if facts.resources else []:
        failing = [target for target in _unhealthy(group) if not _check_disagrees(target)]
        if not failing:
            continue
        claim = Claim("unhealthy_targets", group.name)
        reasons = ", ".join(sorted({target.reason or "?" for target in failing}))
        reason = Phrase(
            "r.targets_failing", {"count": len(failing), "total": len(group.targets), "reasons": reasons}
        )
        most = len(failing) * 2 >= len(group.targets)
        claim.observe("targets_failing_most" if most else "targets_failing", ev.targets_id(group), reason)
        _unhealthy_hosts(claim, facts)
        elb_errors = [s for s in facts.series("HTTPCode_ELB_5XX_Count") if increased(s)]
        if elb_errors:
            claim.observe(
                "elb_errors", ev.series_id(elb_errors[0]), Phrase("r.elb_errors"), elb_errors[0].breach_start
            )
        crashes = facts.signatures("crash") or facts.signatures("out_of_memory")
        if crashes:
            reason = Phrase("r.crash_logs", {"signature": crashes[0].signature})
            claim.logged("crash_logs", crashes[0], reason)
        claims += claim.made()
    return claims
