"""NAT gateways, certificates and credentials: each rule's case, in several stacks' words, and its near misses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alarm_analyzer.catalog import related_metrics
from alarm_analyzer.logtext import level_of
from alarm_analyzer.models import CertificateState, Change, ChangesData, ResourcesData, SecretState, Window
from alarm_analyzer.rules import CONFIDENCE_FLOOR, edge
from alarm_analyzer.rules.signals import mechanisms_in
from alarm_analyzer.scope import TAG_NAT_GATEWAYS, tagged_resources
from tests.factories import STATE_CHANGE, alarm, everything, facts, judged, series, signature, stats

NAT = "nat-0a1b2c3d4e5f60718"
FIRST_REFUSAL = STATE_CHANGE - timedelta(minutes=9)


def _errors_up() -> list:
    return [
        series(
            "HTTPCode_Target_5XX_Count",
            stats(40),
            stats(0.5),
            namespace="AWS/ApplicationELB",
            kind="target_group",
            resource="targetgroup/ledger/0123",
            stat="Sum",
        )
    ]


def _nat(metric: str, incident: float, baseline: float, day_ago: float | None = None, role: str = "related"):
    return series(
        metric,
        stats(incident),
        stats(baseline),
        namespace="AWS/NATGateway",
        kind="nat_gateway",
        resource=NAT,
        stat="Sum",
        role=role,
        day_ago=stats(day_ago) if day_ago is not None else None,
    )


def _nat_alarm(metric: str = "ErrorPortAllocation"):
    return alarm(
        namespace="AWS/NATGateway", metric=metric, dimensions={"NatGatewayId": NAT}, stat="Sum", threshold=10
    )


# --- log mechanisms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'psycopg.OperationalError: connection failed: FATAL:  password authentication failed for user "ledger"',
        'org.postgresql.util.PSQLException: FATAL: password authentication failed for user "app"',
        "pymysql.err.OperationalError: (1045, \"Access denied for user 'app'@'10.0.3.7' (using password: YES)\")",
        "An error occurred (ExpiredTokenException) when calling the PutItem operation: The security token "
        "included in the request is expired",
        "UnrecognizedClientException: The security token included in the request is invalid.",
        "botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the "
        "GetCallerIdentity operation",
        "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ledger/x is not authorized to "
        "perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:123456789012:key/1234",
        "Login failed for user 'reports'. Reason: Password did not match that for the login provided.",
        "WRONGPASS invalid username-password pair or user is disabled.",
        "Amazon.S3.AmazonS3Exception: The provided token has expired.",
        "upload failed: operation error S3: PutObject, https response error StatusCode: 400, The provided "
        "token has expired.",
        "S3ServiceException: The provided token has expired. (requestId 8F2A)",
        "refreshing the client: the session token is expired",
    ],
)
def test_refused_credentials_are_recognized_in_every_stacks_words(line: str) -> None:
    assert "credentials_refused" in mechanisms_in(line)


@pytest.mark.parametrize(
    "line",
    [
        "invalid token for user 4411: Signature has expired",
        "JWT expired at 2026-01-01T00:00:00Z for subject 81",
        "UnauthorizedError: jwt expired (user 7)",
        "IDX10223: Lifetime validation failed. The token is expired. User 12",
        "login page: wrong password for user 88, 2 attempts left",
        "session token has expired for user 41, redirecting to the login page",
        "The provided token has expired for subject 9: please sign in again",
    ],
)
def test_end_users_expired_tokens_are_not_the_services_credentials(line: str) -> None:
    assert "credentials_refused" not in mechanisms_in(line)


@pytest.mark.parametrize(
    "line",
    [
        "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate "
        "has expired (_ssl.c:1006)",
        "Error: certificate has expired\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1659:34) code: "
        "'CERT_HAS_EXPIRED'",
        'Get "https://api.partner.example.com/v1": x509: certificate has expired or is not yet valid: current '
        "time 2026-05-04T12:00:00Z is after 2026-05-03T23:59:59Z",
        "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
        "java.security.cert.CertPathValidatorException: validity check failed",
        "Caused by: java.security.cert.CertificateExpiredException: NotAfter: Sun May 03 23:59:59 UTC 2026",
    ],
)
def test_refused_certificates_are_recognized_in_every_stacks_words(line: str) -> None:
    assert "certificate_rejected" in mechanisms_in(line)
    assert edge._EXPIRED.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.fx.example.com', port=443): Max "
        "retries exceeded (Caused by ConnectTimeoutError('Connection to api.fx.example.com timed out. "
        "(connect timeout=3)'))",
        "Error: connect ETIMEDOUT 52.18.44.7:443",
        'Post "https://hooks.partner.example.net/v2": dial tcp 34.241.9.80:443: i/o timeout',
        "java.net.SocketTimeoutException: Connect timed out",
    ],
)
def test_connect_timeouts_are_told_from_pool_waits(line: str) -> None:
    assert "connect_timeout" in mechanisms_in(line)
    assert "connect_timeout" not in mechanisms_in(
        "sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 10 reached, connection timed out"
    )


# --- NAT gateways ------------------------------------------------------------------------------


def test_a_gateway_out_of_ports_with_connect_timeouts_to_outside_hosts_is_the_cause() -> None:
    timeouts = signature("Error: connect ETIMEDOUT 52.18.44.7:443", 60, baseline=1)
    found = facts(
        the_alarm=_nat_alarm(),
        metrics=[
            _nat("ErrorPortAllocation", 180, 0, role="alarm"),
            _nat("PacketsDropCount", 900, 20),
            _nat("ActiveConnectionCount", 54000, 21000),
        ],
        signatures=[timeouts],
    )
    (hypothesis,) = judged(edge.nat_gateway_exhaustion, found)
    assert hypothesis.category == "nat_gateway_exhaustion"
    assert hypothesis.resource == NAT
    assert hypothesis.confidence >= 0.9
    assert everything(found)[0].category == "nat_gateway_exhaustion"
    assert any("ETIMEDOUT" in reason for reason in hypothesis.reasons)


def test_drops_within_the_daily_normal_and_timeouts_to_private_addresses_are_no_exhaustion() -> None:
    daily = facts(
        the_alarm=_nat_alarm("PacketsDropCount"),
        metrics=[
            _nat("PacketsDropCount", 300, 120, day_ago=290, role="alarm"),
            _nat("ErrorPortAllocation", 0, 0),
        ],
        signatures=[signature("Error: connect ETIMEDOUT 10.0.12.47:5432", 30)],
    )
    assert judged(edge.nat_gateway_exhaustion, daily) == []
    private = facts(
        metrics=[_nat("PacketsDropCount", 300, 20)],
        signatures=[signature("Error: connect ETIMEDOUT 10.0.12.47:5432", 30)],
    )
    (hypothesis,) = judged(edge.nat_gateway_exhaustion, private)
    assert hypothesis.confidence < CONFIDENCE_FLOOR  # drops alone, the timeouts stay inside the VPC


# --- certificates ------------------------------------------------------------------------------


def _certificate(days: float, **kwargs: object) -> CertificateState:
    return CertificateState(
        arn="arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c",
        domain="pay.example.com",
        status="EXPIRED" if days <= 0 else "ISSUED",
        days_to_expiry=days,
        not_after=STATE_CHANGE + timedelta(days=days),
        **kwargs,  # type: ignore[arg-type]
    )


def _acm_alarm():
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c"
    return alarm(
        namespace="AWS/CertificateManager",
        metric="DaysToExpiry",
        dimensions={"CertificateArn": arn},
        stat="Minimum",
    )


def test_an_imported_certificate_days_from_expiry_is_the_finding_of_its_alarm() -> None:
    days = series("DaysToExpiry", stats(5), stats(5), namespace="AWS/CertificateManager", kind="certificate",
                  resource="arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c", role="alarm")  # fmt: skip
    found = facts(
        the_alarm=_acm_alarm(),
        metrics=[days],
        resources=ResourcesData(
            certificates=[_certificate(5, type="IMPORTED", renewal_eligibility="INELIGIBLE")]
        ),
    )
    (hypothesis,) = judged(edge.certificate_expiry, found)
    assert hypothesis.resource == "pay.example.com"
    assert hypothesis.confidence >= CONFIDENCE_FLOOR


def test_a_certificate_forty_days_out_or_renewing_by_itself_without_tls_errors_is_nothing() -> None:
    for certificate in (
        _certificate(40, type="IMPORTED", renewal_eligibility="INELIGIBLE"),
        _certificate(
            12, type="AMAZON_ISSUED", renewal_eligibility="ELIGIBLE", renewal_status="PENDING_AUTO_RENEWAL"
        ),
    ):
        found = facts(the_alarm=_acm_alarm(), resources=ResourcesData(certificates=[certificate]))
        assert judged(edge.certificate_expiry, found) == []


def test_handshakes_refusing_an_expired_partner_certificate_explain_the_errors() -> None:
    refused = signature(
        'Get "https://api.partner.example.com/v1": x509: certificate has expired or is not yet valid', 80
    )
    found = facts(metrics=_errors_up(), signatures=[refused])
    root = everything(found)[0]
    assert root.category == "certificate_expiry"
    assert root.confidence >= CONFIDENCE_FLOOR
    assert "application_error" not in [h.category for h in everything(found)]  # not the code's own error


def test_an_untrusted_chain_without_an_expiring_certificate_is_not_expiry() -> None:
    untrusted = signature(
        "ssl.SSLCertVerificationError: certificate verify failed: self signed certificate", 40
    )
    assert judged(edge.certificate_expiry, facts(metrics=_errors_up(), signatures=[untrusted])) == []


_FRONT = "app/ledger-front/0123456789abcdef"


def _front(handshakes: tuple[float, float], requests: tuple[float, float]) -> list:
    """The load balancer's TLS negotiation errors and requests per minute: (incident, window before)."""
    return [
        series(name, stats(now), stats(before), namespace="AWS/ApplicationELB", kind="load_balancer",
               resource=_FRONT, stat="Sum", role=role)
        for name, (now, before), role in (
            (edge.HANDSHAKE_ERRORS, handshakes, "related"), ("RequestCount", requests, "alarm"),
        )
    ]  # fmt: skip


def _requests_alarm():
    return alarm(namespace="AWS/ApplicationELB", metric="RequestCount", dimensions={"LoadBalancer": _FRONT},
                 stat="Sum")  # fmt: skip


def test_handshakes_failing_at_the_load_balancer_beside_its_expired_certificate_explain_requests_falling() -> (
    None
):
    found = facts(
        the_alarm=_requests_alarm(),
        metrics=_front(handshakes=(90, 2), requests=(60, 400)),
        resources=ResourcesData(certificates=[_certificate(-0.01, type="IMPORTED")]),
    )
    (hypothesis,) = judged(edge.certificate_expiry, found)
    assert hypothesis.confidence >= CONFIDENCE_FLOOR
    said = " | ".join(hypothesis.reasons)
    assert "TLS handshakes failed at the load balancer" in said
    assert "RequestCount dropped" in said


def test_handshakes_as_many_as_before_count_when_the_certificate_expired_before_that_window() -> None:
    # Expired two hours ago: the window before is as broken as the incident's.
    found = facts(
        the_alarm=_requests_alarm(),
        metrics=_front(handshakes=(90, 85), requests=(60, 90)),
        resources=ResourcesData(certificates=[_certificate(-2 / 24, type="IMPORTED")]),
    )
    (hypothesis,) = judged(edge.certificate_expiry, found)
    assert any("TLS handshakes failed at the load balancer" in reason for reason in hypothesis.reasons)


def test_handshake_errors_and_falling_requests_without_a_failing_certificate_are_no_expiry() -> None:
    found = facts(
        the_alarm=_requests_alarm(),
        metrics=_front(handshakes=(90, 2), requests=(60, 400)),
        resources=ResourcesData(certificates=[_certificate(200)]),
    )
    assert judged(edge.certificate_expiry, found) == []


# --- credentials -------------------------------------------------------------------------------


def _rotation(ago: timedelta, kind: str = "secret", action: str = "RotateSecret") -> ChangesData:
    window = Window(start=STATE_CHANGE - timedelta(hours=2), end=STATE_CHANGE)
    change = Change(kind=kind, at=FIRST_REFUSAL - ago, resource="prod/ledger/db", action=action)  # type: ignore[arg-type]
    return ChangesData(window=window, changes=[change])


def _refused(count: int, baseline: int = 0):
    return signature(
        'psycopg.OperationalError: FATAL:  password authentication failed for user "ledger"',
        count,
        baseline=baseline,
        first_seen=FIRST_REFUSAL,
    )


def test_refusals_after_a_rotation_are_credentials_not_an_application_error_nor_a_deployment() -> None:
    found = facts(metrics=_errors_up(), signatures=[_refused(120)], changes=_rotation(timedelta(minutes=4)))
    hypotheses = everything(found)
    assert hypotheses[0].category == "credentials_failure"
    assert hypotheses[0].resource == "prod/ledger/db"
    assert hypotheses[0].confidence >= 0.9
    assert not {"application_error", "deployment_regression"} & {h.category for h in hypotheses}


def test_a_secrets_own_date_stands_in_when_cloudtrail_is_unread() -> None:
    secret = SecretState(name="prod/ledger/db", last_changed=FIRST_REFUSAL - timedelta(minutes=3))
    found = facts(metrics=_errors_up(), signatures=[_refused(50)], resources=ResourcesData(secrets=[secret]))
    (hypothesis,) = judged(edge.credentials_failure, found)
    assert hypothesis.resource == "prod/ledger/db"
    assert any("prod/ledger/db" in reason for reason in hypothesis.reasons)


def test_a_rotation_without_refusals_and_one_refusal_in_the_background_are_nothing() -> None:
    quiet = facts(metrics=_errors_up(), changes=_rotation(timedelta(minutes=4)))
    assert judged(edge.credentials_failure, quiet) == []
    background = facts(
        metrics=_errors_up(), signatures=[_refused(1)], changes=_rotation(timedelta(minutes=4))
    )
    assert judged(edge.credentials_failure, background) == []
    usual = facts(metrics=_errors_up(), signatures=[_refused(6, baseline=20)])
    assert judged(edge.credentials_failure, usual) == []


def test_a_rotation_long_before_the_refusals_does_not_count() -> None:
    found = facts(signatures=[_refused(30)], changes=_rotation(timedelta(hours=2)))
    (hypothesis,) = judged(edge.credentials_failure, found)
    assert not any("RotateSecret" in reason for reason in hypothesis.reasons)


def test_the_nat_gateways_tag_brings_a_gateway_into_scope_as_its_namespace_names_it() -> None:
    (gateway,) = tagged_resources({TAG_NAT_GATEWAYS: NAT})
    assert (gateway.kind, gateway.dimensions, gateway.via) == ("nat_gateway", {"NatGatewayId": NAT}, "tags")
    assert {"ErrorPortAllocation", "PacketsDropCount"} <= {m.name for m in related_metrics(gateway)}


def test_refused_logins_starve_a_pool_but_do_not_explain_connections_pinned_at_a_ceiling() -> None:
    pool = signature("HikariPool-1 - Connection is not available, request timed out after 30000ms", 90)
    starved = facts(metrics=_errors_up(), signatures=[_refused(20), pool])
    hypotheses = {h.category: h for h in everything(starved)}
    assert hypotheses["database_connection_exhaustion"].explained_by == "credentials_failure"
    pinned = series("DatabaseConnections", stats(400, 2), stats(90, 5), at_peak_share=0.8)
    exhausted = {
        h.category: h
        for h in everything(facts(metrics=[*_errors_up(), pinned], signatures=[_refused(20), pool]))
    }
    assert exhausted["database_connection_exhaustion"].explained_by is None


@pytest.mark.parametrize(
    "line",
    [
        'Get "https://api.partner.example.com/v1": x509: certificate has expired or is not yet valid',
        "The security token included in the request is expired",
    ],
)
def test_refusals_logged_without_a_level_are_read_as_errors(line: str) -> None:
    assert level_of(line) == "error"
