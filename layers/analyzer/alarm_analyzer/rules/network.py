"""Network rules: one subnet on the path differs from its siblings, and traffic through it fails.

The resources gatherer compares the subnets of each role (load balancer, targets, function) side by
side: a route table without the internet gateway route, a network ACL without the 1024-65535 return
rule, a route table missing a gateway endpoint. A difference alone can be harmless; it is the cause
when the symptoms are the ones it produces (timeouts, 504s, calls to that endpoint timing out).
"""

from __future__ import annotations

from .. import evidence as ev
from ..models import SubnetDifference
from .base import Claim, Facts, Phrase, increased, total
from .tables import TABLES

NETWORK = TABLES["network_misconfiguration"].thresholds
PATH_NAMESPACES = frozenset({"AWS/ApplicationELB", "AWS/NetworkELB", "AWS/Lambda", "AWS/ECS"})


def _endpoint_service(difference: SubnetDifference) -> str:
    """The short service name of the missing endpoint: com.amazonaws.us-east-1.dynamodb -> dynamodb."""
    return difference.others.split(",")[0].strip().rsplit(".", 1)[-1].lower()


def _through_the_zone(claim: Claim, facts: Facts, difference: SubnetDifference) -> None:
    """What a subnet that drops traffic produces: targets failing in its zone, 5xx, traffic lost."""
    group = next(
        (
            g
            for g in (facts.resources.target_groups if facts.resources else [])
            if any(x.state == "unhealthy" and x.zone == difference.zone for x in g.targets)
        ),
        None,
    )
    if group:
        claim.observe(
            "zone_targets", ev.targets_id(group), Phrase("r.zone_targets", {"zone": difference.zone or "?"})
        )
    elb = [
        s
        for s in facts.series("HTTPCode_ELB_5XX_Count") + facts.series("TargetConnectionErrorCount")
        if increased(s)
    ]
    if elb:
        claim.observe("elb_errors", ev.series_id(elb[0]), Phrase("r.elb_errors"), elb[0].breach_start)
    if difference.role == "load balancer":
        # Clients resolved to the load balancer's node in that subnet never reach it: traffic drops.
        dropped = [
            s
            for s in facts.series("RequestCount")
            if total(s.incident) < NETWORK["dropped_share"] * total(s.baseline)
        ]
        if dropped:
            reason = Phrase("r.traffic_dropped", {"metric": dropped[0].metric_name})
            claim.observe("traffic_dropped", ev.series_id(dropped[0]), reason, dropped[0].breach_start)


def _symptoms(claim: Claim, facts: Facts, difference: SubnetDifference) -> None:
    if difference.aspect == "endpoint":
        service = _endpoint_service(difference)
        timeouts = [
            s for s in facts.signatures("downstream_timeout") if service and service in s.text.lower()
        ]
        if timeouts:
            reason = Phrase("r.endpoint_timeouts", {"signature": timeouts[0].signature, "service": service})
            claim.logged("endpoint_timeouts", timeouts[0], reason)
    else:
        _through_the_zone(claim, facts, difference)
    symptom = facts.error_symptom or facts.latency_symptom
    metric = facts.alarm.primary_metric
    if symptom:
        claim.symptom("symptom", symptom)
    elif (
        facts.alarm.state == "ALARM"
        and metric
        and metric.metric.namespace in PATH_NAMESPACES
        and facts.alarm_series
    ):
        claim.observe("alarm_on_path", ev.series_id(facts.alarm_series[0]), Phrase("r.alarm_on_path"))


def network_misconfiguration(facts: Facts) -> list[Claim]:
    """The subnet on the path that differs from its siblings, with the symptoms such a difference produces."""
    network = facts.resources.network if facts.resources else None
    if network is None:
        return []
    claims = []
    for difference in network.differences:
        claim = Claim("network_misconfiguration", difference.subnet)
        reason = Phrase(
            "r.subnet_differs",
            {
                "subnet": difference.subnet,
                "zone": difference.zone or "?",
                "role": difference.role,
                "aspect": Phrase(f"aspect.{difference.aspect}"),
                "value": difference.value,
                "others": difference.others,
            },
        )
        claim.observe("subnet_differs", ev.difference_id(difference), reason)
        _symptoms(claim, facts, difference)
        changed = [
            c
            for c in (facts.changes.changes if facts.changes else [])
            if c.kind == "api_call" and difference.subnet in f"{c.resource} {c.detail or ''}"
        ]
        if changed:
            reason = Phrase("r.network_change", {"action": changed[-1].action})
            claim.observe("network_change", ev.change_id(changed[-1]), reason, changed[-1].at)
        claims.append(claim)
    return sorted(claims, key=lambda c: c.strength, reverse=True)[:1]  # the subnet that explains the most
