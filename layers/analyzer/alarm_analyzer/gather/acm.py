"""ACM certificates in scope: when each expires and whether ACM can renew it (DescribeCertificate).

ACM renews the certificates it issued when they are in use and their domains still validate; an
imported certificate is never renewed. Days to expiry are counted at the alarm's state change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..catalog import described_by
from ..models import CertificateState
from . import GatherContext
from .network import Placement

MAX_CERTIFICATES = 3
DAY_SECONDS = 86400


def certificate_state(detail: Mapping[str, Any], at: datetime) -> CertificateState:
    renewal = detail.get("RenewalSummary") or {}
    not_after = detail.get("NotAfter")
    return CertificateState(
        arn=detail["CertificateArn"],
        domain=detail.get("DomainName"),
        status=detail.get("Status"),
        type=detail.get("Type"),
        not_after=not_after,
        days_to_expiry=round((not_after - at).total_seconds() / DAY_SECONDS, 2) if not_after else None,
        renewal_eligibility=detail.get("RenewalEligibility"),
        renewal_status=renewal.get("RenewalStatus"),
        renewal_reason=renewal.get("RenewalStatusReason"),
        in_use_by=list(detail.get("InUseBy", []))[:10],
    )


def certificates(context: GatherContext, placement: Placement) -> list[CertificateState]:
    arns = list(
        dict.fromkeys(
            r.dimensions["CertificateArn"] for r in described_by(context.scope.resources, "certificates")
        )
    )
    acm, at = context.clients.client("acm"), context.alarm.state_changed_at
    found = context.parallel(
        *(
            lambda a=a: context.attempt(
                "certificate",
                lambda: certificate_state(acm.describe_certificate(CertificateArn=a)["Certificate"], at),
                None,
                subject=a.rsplit("/", 1)[-1],
            )
            for a in arns[:MAX_CERTIFICATES]
        )
    )
    return [state for state in found if state is not None]
