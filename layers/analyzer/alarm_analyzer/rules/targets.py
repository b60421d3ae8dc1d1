"""Load balancer target rules: targets that really fail, and health checks that fail healthy targets.

A target's health reason tells them apart: timeouts and 5xx answers mean the target is in trouble;
a 2xx/3xx answer the matcher does not accept, or a 404 on the check's path, mean the check is wrong.
"""

from __future__ import annotations

import re

from .. import evidence as ev
from ..i18n import t
from ..models import TargetGroupState, TargetHealthState
from ..report import Hypothesis
from .base import Case, Facts, increased

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


def _unhealthy_hosts(case: Case, facts: Facts) -> None:
    for series in facts.series("UnHealthyHostCount") + facts.series("HealthyHostCount"):
        moved = series.incident.max if series.metric_name == "UnHealthyHostCount" else series.incident.min
        before = series.baseline.max if series.metric_name == "UnHealthyHostCount" else series.baseline.min
        if moved is not None and before is not None and moved != before:
            reason = t(
                facts.lang,
                "r.metric_moved",
                metric=series.metric_name,
                incident=f"{moved:.0f}",
                baseline=f"{before:.0f}",
            )
            case.support(0.1, ev.series_id(series), reason)
            return


def health_check_misconfiguration(facts: Facts) -> list[Hypothesis]:
    """Targets fail a health check whose matcher or path disagrees with an application that answers."""
    hypotheses = []
    for group in facts.resources.target_groups if facts.resources else []:
        unhealthy = _unhealthy(group)
        disagreeing = [target for target in unhealthy if _check_disagrees(target)]
        if not disagreeing or len(disagreeing) < len(unhealthy) / 2:
            continue
        check = group.health_check
        codes = sorted({code for target in disagreeing for code in codes_of(target)})
        case = Case("health_check_misconfiguration", group.name, facts)
        reason = t(
            facts.lang,
            "r.check_disagrees",
            count=len(disagreeing),
            codes=", ".join(map(str, codes)),
            path=check.path or "/",
            matcher=check.matcher or "?",
        )
        case.support(0.5 if all(code < 400 for code in codes) else 0.45, ev.targets_id(group), reason)
        _unhealthy_hosts(case, facts)
        if facts.error_symptom is None:
            case.support(0.1, ev.targets_id(group), t(facts.lang, "r.serving_fine"))
        hypotheses += case.hypothesis()
    return hypotheses


def explained_by_network(facts: Facts, targets: list[TargetHealthState]) -> bool:
    """Every failing target sits in an Availability Zone whose subnet differs from the others."""
    network = facts.resources.network if facts.resources else None
    zones = {d.zone for d in network.differences if d.role != "load balancer"} if network else set()
    return bool(zones) and all(target.zone in zones for target in targets)


def unhealthy_targets(facts: Facts) -> list[Hypothesis]:
    """Targets fail their health checks for real: they time out, refuse, or answer with server errors."""
    hypotheses = []
    for group in facts.resources.target_groups if facts.resources else []:
        failing = [target for target in _unhealthy(group) if not _check_disagrees(target)]
        if not failing or explained_by_network(facts, failing):
            continue
        case = Case("unhealthy_targets", group.name, facts)
        reasons = ", ".join(sorted({target.reason or "?" for target in failing}))
        reason = t(
            facts.lang, "r.targets_failing", count=len(failing), total=len(group.targets), reasons=reasons
        )
        case.support(
            0.4 + (0.1 if len(failing) * 2 >= len(group.targets) else 0.0), ev.targets_id(group), reason
        )
        _unhealthy_hosts(case, facts)
        elb_errors = [s for s in facts.series("HTTPCode_ELB_5XX_Count") if increased(s)]
        if elb_errors:
            case.support(0.1, ev.series_id(elb_errors[0]), t(facts.lang, "r.elb_errors"))
        crashes = facts.signatures("crash") or facts.signatures("out_of_memory")
        if crashes:
            case.support(
                0.1,
                ev.signature_id(crashes[0]),
                t(facts.lang, "r.crash_logs", signature=crashes[0].signature),
            )
        hypotheses += case.hypothesis()
    return hypotheses
