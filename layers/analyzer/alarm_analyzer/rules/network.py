"""Network rules: one subnet on the path differs from its siblings, and traffic through it fails.

The resources gatherer compares the subnets of each role (load balancer, targets, function) side by
side: a route table without the internet gateway route, a network ACL without the 1024-65535 return
rule, a route table missing a gateway endpoint. A difference alone can be harmless; it is the cause
when the symptoms are the ones it produces (timeouts, 504s, calls to that endpoint timing out).
"""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import t
from ..models import SubnetDifference
from ..report import Hypothesis
from .base import Case, Facts, increased, total

PATH_NAMESPACES = frozenset({"AWS/ApplicationELB", "AWS/NetworkELB", "AWS/Lambda", "AWS/ECS"})


def _endpoint_service(difference: SubnetDifference) -> str:
    """The short service name of the missing endpoint: com.amazonaws.us-east-1.dynamodb -> dynamodb."""
    return difference.others.split(",")[0].strip().rsplit(".", 1)[-1].lower()


def _symptoms(case: Case, facts: Facts, difference: SubnetDifference) -> None:
    if difference.aspect == "endpoint":
        service = _endpoint_service(difference)
        timeouts = [
            s for s in facts.signatures("downstream_timeout") if service and service in s.text.lower()
        ]
        if timeouts:
            reason = t(facts.lang, "r.endpoint_timeouts", signature=timeouts[0].signature, service=service)
            case.support(0.3, ev.signature_id(timeouts[0]), reason)
    else:
        group = next(
            (
                g
                for g in (facts.resources.target_groups if facts.resources else [])
                if any(x.state == "unhealthy" and x.zone == difference.zone for x in g.targets)
            ),
            None,
        )
        if group:
            case.support(
                0.2, ev.targets_id(group), t(facts.lang, "r.zone_targets", zone=difference.zone or "?")
            )
        elb = [
            s
            for s in facts.series("HTTPCode_ELB_5XX_Count") + facts.series("TargetConnectionErrorCount")
            if increased(s)
        ]
        if elb:
            case.support(0.1, ev.series_id(elb[0]), t(facts.lang, "r.elb_errors"))
        if difference.role == "load balancer":
            # Clients resolved to the load balancer's node in that subnet never reach it: traffic drops.
            dropped = [
                s for s in facts.series("RequestCount") if total(s.incident) < 0.75 * total(s.baseline)
            ]
            if dropped:
                reason = t(facts.lang, "r.traffic_dropped", metric=dropped[0].metric_name)
                case.support(0.2, ev.series_id(dropped[0]), reason)
    symptom = facts.error_symptom or facts.latency_symptom
    metric = facts.alarm.primary_metric
    if symptom:
        case.support(0.1, *symptom)
    elif (
        facts.alarm.state == "ALARM"
        and metric
        and metric.metric.namespace in PATH_NAMESPACES
        and facts.alarm_series
    ):
        case.support(0.1, ev.series_id(facts.alarm_series[0]), t(facts.lang, "r.alarm_on_path"))


def network_misconfiguration(facts: Facts) -> list[Hypothesis]:
    network = facts.resources.network if facts.resources else None
    if network is None:
        return []
    hypotheses = []
    for difference in network.differences:
        case = Case("network_misconfiguration", difference.subnet, facts)
        reason = t(
            facts.lang,
            "r.subnet_differs",
            subnet=difference.subnet,
            zone=difference.zone or "?",
            role=difference.role,
            aspect=t(facts.lang, f"aspect.{difference.aspect}"),
            value=difference.value,
            others=difference.others,
        )
        case.support(0.35, ev.difference_id(difference), reason)
        _symptoms(case, facts, difference)
        changed = [
            c
            for c in (facts.changes.changes if facts.changes else [])
            if c.kind == "api_call" and difference.subnet in f"{c.resource} {c.detail or ''}"
        ]
        if changed:
            case.support(
                0.1, ev.change_id(changed[-1]), t(facts.lang, "r.network_change", action=changed[-1].action)
            )
        hypotheses += case.hypothesis()
    return sorted(hypotheses, key=lambda h: h.confidence, reverse=True)[:1]


def missing_endpoint(facts: Facts, name: str) -> bool:
    """A subnet on the path lacks the gateway endpoint of the AWS service ``name`` (e.g. DynamoDB)."""
    network = facts.resources.network if facts.resources else None
    differences = network.differences if network else []
    wanted = name.lower()
    return any(d.aspect == "endpoint" and _endpoint_service(d) in wanted for d in differences)
