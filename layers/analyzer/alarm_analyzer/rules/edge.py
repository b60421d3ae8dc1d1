"""Edge rules: what a service needs to reach anything outside itself stopped working.

- A NAT gateway out of ports or dropping packets: outbound connections from private subnets are never
  established, so the service's calls to outside hosts time out while connecting.
- A TLS certificate expired (or about to, with nothing to renew it): handshakes are refused.
- A credential the service presents refused: a rotated database password, an expired or revoked AWS
  key or token, a KMS key or IAM permission taken away; often just after a rotation or an IAM change.

Each needs the mechanism itself (the gateway's own counters, the certificate's dates or handshake
errors, the refusals in the logs); a change or an alarm alone proves nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .. import evidence as ev
from ..models import Change, LogSignature, Series
from .base import Claim, Facts, Phrase, Symptom, total
from .tables import TABLES

NAT = TABLES["nat_gateway_exhaustion"].thresholds
CERTIFICATE = TABLES["certificate_expiry"].thresholds
CREDENTIALS = TABLES["credentials_failure"].thresholds

# Handshakes the load balancer could not complete: clients refusing the certificate it presents (or
# offering no protocol or cipher it accepts, so they count only beside a certificate that explains them).
HANDSHAKE_ERRORS = "ClientTLSNegotiationErrorCount"
CREDENTIAL_KINDS = frozenset({"secret", "access_key", "iam_policy"})
# ACM will not renew these in time: imported certificates, and renewals that need someone's action.
NOT_RENEWING = frozenset({"FAILED", "PENDING_VALIDATION"})
_EXPIRED = re.compile(r"expired|not yet valid|validity check failed|NotAfter|NotTimeValid", re.IGNORECASE)
# A connection to a private address never crosses a NAT gateway; a host name or a public address may.
_PRIVATE = re.compile(r"\b(10\.\d+|172\.(1[6-9]|2\d|3[01])|192\.168)\.\d+\.\d+\b")
_HOST = re.compile(r"\b[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PUBLIC_ADDRESS = re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")


# --- NAT gateways ------------------------------------------------------------------------------


def _above_normal(series: Series, minimum: float) -> bool:
    """Much more than in the baseline and than a day earlier (when known): not the daily normal."""
    now = total(series.incident)
    usual = max(total(series.baseline), total(series.day_ago) if series.day_ago else 0.0)
    return now >= minimum and now > NAT["ratio"] * usual


def _outside(signature: LogSignature) -> bool:
    """A connect timeout to a host name or a public address: traffic that leaves through NAT."""
    text = _PRIVATE.sub("", signature.text)
    return bool(_HOST.search(text) or _PUBLIC_ADDRESS.search(text))


def _gateway(facts: Facts, gateway: str) -> Claim:
    claim = Claim("nat_gateway_exhaustion", gateway)
    ports = facts.series_of("ErrorPortAllocation", "nat_gateway", gateway)
    if ports and _above_normal(ports, NAT["min_port_errors"]):
        reason = Phrase("r.nat_port_errors", {"count": round(total(ports.incident)), "gateway": gateway})
        claim.observe("port_errors", ev.series_id(ports), reason, ports.breach_start)
    drops = facts.series_of("PacketsDropCount", "nat_gateway", gateway)
    if drops and _above_normal(drops, NAT["min_drops"]):
        reason = Phrase("r.nat_drops", {"count": round(total(drops.incident)), "gateway": gateway})
        claim.observe("packets_dropped", ev.series_id(drops), reason, drops.breach_start)
    if not claim.observations:
        return claim
    active = facts.series_of("ActiveConnectionCount", "nat_gateway", gateway)
    if active and (active.change_ratio or 0) >= NAT["connections_ratio"]:
        claim.observe("connections_high", ev.series_id(active), Phrase("r.nat_connections"))
    timeouts = [s for s in facts.signatures("connect_timeout") if _outside(s)]
    if timeouts:
        reason = Phrase(
            "r.connect_timeouts", {"signature": timeouts[0].signature, "count": timeouts[0].count}
        )
        claim.logged("connect_timeouts", timeouts[0], reason)
    metric = facts.alarm.primary_metric
    if metric and metric.metric.namespace == "AWS/NATGateway" and facts.alarm_series:
        claim.watches(facts.alarm_series[0])
    symptom = facts.error_symptom or facts.latency_symptom
    if symptom:
        claim.symptom("symptom", symptom)
    return claim


def nat_gateway_exhaustion(facts: Facts) -> list[Claim]:
    """A NAT gateway allocating no more ports or dropping packets, well beyond its usual."""
    gateways = {
        s.resource.id
        for s in facts.series("ErrorPortAllocation", "nat_gateway")
        + facts.series("PacketsDropCount", "nat_gateway")
        if s.resource
    }
    claims = [claim for gateway in sorted(gateways) for claim in _gateway(facts, gateway).made()]
    return sorted(claims, key=lambda c: c.strength, reverse=True)[:1]


# --- certificates ------------------------------------------------------------------------------


def _usual(series: Series) -> float:
    """The lower of the baseline and a day earlier: refusals that grew for an hour as clients' sessions
    ran out are already in the baseline, not in yesterday's same hour."""
    return min(total(series.baseline), total(series.day_ago) if series.day_ago else total(series.baseline))


def _handshakes_failing(facts: Facts, expired_at: datetime | None) -> Series | None:
    """A load balancer's TLS negotiation errors well beyond their usual; or, when the certificate expired
    before the baseline began (both windows after it), as many as a failing listener sees."""
    expired_before = expired_at is not None and expired_at <= facts.windows.baseline.start
    failing = [
        s
        for s in facts.series(HANDSHAKE_ERRORS)
        if total(s.incident) >= CERTIFICATE["min_handshake_errors"]
        and (expired_before or total(s.incident) > CERTIFICATE["handshake_ratio"] * _usual(s))
    ]
    return max(failing, key=lambda s: total(s.incident), default=None)


def _requests_fell(facts: Facts) -> Symptom | None:
    """Requests that no longer arrive: what clients refusing the front certificate leave to be seen."""
    fell = [
        s
        for s in facts.series("RequestCount")
        if _usual(s) and total(s.incident) < CERTIFICATE["requests_share"] * _usual(s)
    ]
    if not fell:
        return None
    reason = Phrase("r.traffic_dropped", {"metric": fell[0].metric_name})
    return Symptom(ev.series_id(fell[0]), reason, fell[0].breach_start)


def certificate_expiry(facts: Facts) -> list[Claim]:
    """A certificate past its date (or close to it with no renewal coming), or handshakes refusing one."""
    claim = Claim("certificate_expiry", None)
    expired_at: datetime | None = None
    for certificate in facts.resources.certificates if facts.resources else []:
        days = certificate.days_to_expiry
        name = certificate.domain or certificate.arn
        renewing = (
            certificate.renewal_eligibility != "INELIGIBLE"
            and certificate.type != "IMPORTED"
            and certificate.renewal_status not in NOT_RENEWING
        )
        if certificate.status == "EXPIRED" or (days is not None and days <= 0):
            expired_at = min(filter(None, (expired_at, certificate.not_after)), default=None)
            claim.observe(
                "expired", ev.certificate_id(certificate), Phrase("r.certificate_expired", {"name": name})
            )
        elif days is not None and days <= CERTIFICATE["soon_days"] and not renewing:
            reason = Phrase("r.certificate_unrenewed", {"name": name, "days": round(days)})
            claim.observe("expiring_unrenewed", ev.certificate_id(certificate), reason)
        else:
            continue
        claim.resource = claim.resource or name
    handshakes = _handshakes_failing(facts, expired_at) if claim.observations else None
    if handshakes:
        reason = Phrase(
            "r.handshakes_failing",
            {"count": round(total(handshakes.incident)), "baseline": round(total(handshakes.baseline))},
        )
        claim.observe("handshake_errors", ev.series_id(handshakes), reason, handshakes.breach_start)
    refused = facts.signatures("certificate_rejected")
    expired = [s for s in refused if _EXPIRED.search(s.text)]
    if expired or (refused and claim.observations):
        top = (expired or refused)[0]
        weight = ("expired_logs_new" if top.new else "expired_logs") if expired else "tls_logs"
        reason = Phrase("r.tls_refused", {"signature": top.signature, "count": top.count})
        claim.logged(weight, top, reason)
        claim.resource = claim.resource or (top.log_groups[0] if top.log_groups else None)
    if not claim.observations:
        return []
    metric = facts.alarm.primary_metric
    if metric and metric.metric.namespace == "AWS/CertificateManager" and facts.alarm_series:
        claim.watches(facts.alarm_series[0])
    symptom = facts.error_symptom or facts.latency_symptom or (_requests_fell(facts) if handshakes else None)
    if symptom:
        claim.symptom("symptom", symptom)
    return [claim]


# --- credentials -------------------------------------------------------------------------------


def _credential_change(facts: Facts, before: datetime) -> Change | None:
    """The latest secret, access key or IAM change in the hour before the refusals began."""
    lookback, grace = timedelta(minutes=CREDENTIALS["lookback_minutes"]), timedelta(minutes=1)
    found = [
        c
        for c in (facts.changes.changes if facts.changes else [])
        if c.kind in CREDENTIAL_KINDS and before - lookback <= c.at <= before + grace
    ]
    return max(found, key=lambda c: c.at, default=None)


def credentials_failure(facts: Facts) -> list[Claim]:
    """The service's credentials refused, more than before; a credential change just before strengthens it."""
    refused = facts.signatures("credentials_refused")
    if not refused:
        return []
    top = refused[0]
    claim = Claim("credentials_failure", top.log_groups[0] if top.log_groups else None)
    reason = Phrase("r.credentials_refused", {"signature": top.signature, "count": top.count})
    claim.logged("refused_logs_new" if top.new else "refused_logs", top, reason)
    began = min(s.first_seen for s in refused)
    change = _credential_change(facts, began)
    if change:
        # The changes gatherer looks only at the credentials the scope's tasks, functions and tags name.
        claim.resource = change.resource
        minutes = round((began - change.at).total_seconds() / 60)
        reason = Phrase(
            "r.credential_change", {"action": change.action, "resource": change.resource, "minutes": minutes}
        )
        claim.observe("credential_change", ev.change_id(change), reason, change.at)
    else:
        lookback = timedelta(minutes=CREDENTIALS["lookback_minutes"])
        for secret in facts.resources.secrets if facts.resources else []:
            changed = max((d for d in (secret.last_changed, secret.last_rotated) if d), default=None)
            if changed and began - lookback <= changed <= began + timedelta(minutes=1):
                claim.resource = secret.name
                reason = Phrase("r.secret_changed", {"secret": secret.name})
                claim.observe("secret_changed", ev.secret_id(secret), reason, changed)
                break
    symptom = facts.error_symptom or facts.latency_symptom
    if symptom:
        claim.symptom("symptom", symptom)
    return [claim]
