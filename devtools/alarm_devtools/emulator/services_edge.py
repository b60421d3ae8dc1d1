"""Incidents at the service's edge: a NAT gateway out of ports, a certificate expired, credentials refused.

Each category has incidents in several stacks' words, one where it causes the symptom an alarm watches
(5xx after a database password rotated, a function failing on an expired token or certificate), near
misses whose right answer is something else (drops within the gateway's daily normal, a certificate a
month out that ACM renews by itself, a rotation nothing refused), and the chains of its causal edges.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from . import world_services as ws
from .scenarios import (
    _LB,
    _TG,
    JAVA_NOISE,
    JSON_NOISE,
    NODE_NOISE,
    PYTHON_NOISE,
    Scenario,
    _alarm,
    _errors_alarm,
    _tags,
    _worker_alarm,
)
from .world import AlarmSpec, Fault, Load, LogLine, Names, Worker

PAYROLL = Names(
    service="payroll-api", load_balancer="payroll-web", target_group="payroll-api-tg", database="payroll-db",
    db_name="payroll", worker="payslip-mailer", remote_host="api.bank-transfers.example.com",
    slow_code="compute_net_pay", cluster="hr-prod", table="payroll-runs", path="/payslips/{n}",
)  # fmt: skip
FREIGHT = Names(
    service="freight-service", load_balancer="freight-alb", target_group="freight-svc-tg", database="freight-mysql",
    db_name="freight", db_engine="mysql", db_log="error", worker="manifest-builder",
    remote_host="api.customs-declare.example.org", slow_code="ManifestService.declare", cluster="logistics",
    table="freight-locks", path="/shipments/{n}",
)  # fmt: skip
CLINIC = Names(
    service="appointments-api", load_balancer="clinic-web", target_group="appointments-tg", database="clinic-db",
    db_name="clinic", worker="reminder-sender", remote_host="api.sms-relay.example.net",
    worker_dependency="hooks.insurer-portal.example.com", slow_code="book_slot", cluster="clinic",
    table="clinic-holds", path="/appointments/{n}",
)  # fmt: skip
RIDES = Names(
    service="dispatch-api", load_balancer="rides-edge", target_group="dispatch-api-tg", database="rides-db",
    db_name="rides", worker="fare-settler", remote_host="maps.routing-partner.example.com",
    slow_code="assign_driver", cluster="mobility", table="ride-offers", path="/rides/{n}",
)  # fmt: skip
MARKET = Names(
    service="market-data", load_balancer="market-web", target_group="market-data-tg", database="market-pg",
    db_name="market", worker="tick-archiver", remote_host="stream.quotes-vendor.example.io",
    slow_code="merge_ticks", cluster="trading", table="market-cursors", path="/quotes/{n}",
)  # fmt: skip
SUBSCRIPTIONS = Names(
    service="subscriptions-svc", load_balancer="subs-web", target_group="subs-svc-tg", database="subs-pg",
    db_name="subs", worker="renewal-charger", remote_host="api.card-vault.example.com",
    slow_code="SubscriptionService.renew", cluster="billing-prod", table="subs-locks", path="/subscriptions/{n}",
)  # fmt: skip


def _nat_alarm(names: Names, metric: str, threshold: float) -> AlarmSpec:
    """An alarm on the NAT gateway the service's private subnets go out through, tagged with the service."""
    watched = ("AWS/NATGateway", metric, {"NatGatewayId": "{nat}"})
    return _alarm(
        names, f"nat-{metric.lower()}", watched, "Sum", threshold, tags=_tags(names, names.app_log_group)
    )


def _certificate_alarm(names: Names, threshold: float) -> AlarmSpec:
    watched = ("AWS/CertificateManager", "DaysToExpiry", {"CertificateArn": "{certificate}"})
    return _alarm(names, "certificate-days", watched, "Minimum", threshold, comparison="LessThanThreshold",
                  period=3600, evaluation_periods=1, tags=_tags(names, names.app_log_group))  # fmt: skip


def _with_secret(alarm: AlarmSpec, secret: str) -> AlarmSpec:
    return replace(alarm, tags={**alarm.tags, "analyzer:secrets": secret})


# --- NAT gateways ------------------------------------------------------------------------------


def _nat_ports_node() -> Scenario:
    names = RIDES
    return Scenario(
        name="nat-port-allocation-dispatch",
        expected="nat_gateway_exhaustion",
        summary="Every request opens a new connection to the routing partner; the NAT gateway runs out of "
        "source ports for that one destination and connects time out.",
        names=names,
        alarm=_nat_alarm(names, "ErrorPortAllocation", 20),
        noise=NODE_NOISE,
        services=ws.Services(nat=ws.NatGateway(metrics={
            "ErrorPortAllocation": ws.Level(0, 420, spread=0.1), "PacketsDropCount": ws.Level(3, 900),
            "ActiveConnectionCount": ws.Level(2100, 54800, spread=0.02)})),
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"fault_share": 0.06},
            log_lines=(
                LogLine("app", "error: Error: connect ETIMEDOUT 34.120.18.{n}:443\n    at TCPConnectWrap.afterConnect "
                        f"[as oncomplete] (node:net:1555:16) {{ errno: -110, code: 'ETIMEDOUT', host: '{names.remote_host}' }}", 5),
            ),
        ),
    )  # fmt: skip


def _nat_drops_python() -> Scenario:
    names = MARKET
    return Scenario(
        name="nat-drops-market-feed",
        expected="nat_gateway_exhaustion",
        summary="A reconnect storm to the quotes vendor fills the NAT gateway: it drops packets and fails to "
        "allocate ports; the feed's connects time out.",
        names=names,
        alarm=_nat_alarm(names, "PacketsDropCount", 500),
        noise=PYTHON_NOISE,
        services=ws.Services(nat=ws.NatGateway(metrics={
            "PacketsDropCount": ws.Level(12, 4200), "ErrorPortAllocation": ws.Level(0, 60, spread=0.2),
            "ActiveConnectionCount": ws.Level(900, 2400)})),
        fault=Fault(
            starts=timedelta(minutes=13),
            log_lines=(
                LogLine("app", "ERROR market.feed: requests.exceptions.ConnectTimeout: HTTPSConnectionPool("
                        f"host='{names.remote_host}', port=443): Max retries exceeded with url: /v1/ticks (Caused by "
                        f"ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f{{n}}>, 'Connection to "
                        f"{names.remote_host} timed out. (connect timeout=3)'))", 4),
            ),
        ),
    )  # fmt: skip


def _nat_drops_daily_normal() -> Scenario:
    names = FREIGHT
    return Scenario(
        name="nat-drops-within-daily-normal",
        expected="alarm_misconfiguration",
        summary="The NAT gateway drops a few dozen packets a minute as it always does; the alarm's threshold "
        "sits inside that normal and fires on it.",
        names=names,
        alarm=_nat_alarm(names, "PacketsDropCount", 43),
        noise=JAVA_NOISE,
        services=ws.Services(nat=ws.NatGateway(metrics={"PacketsDropCount": ws.Level(40, 42, spread=0.15)})),
        fault=Fault(starts=timedelta(minutes=6)),
    )


# --- certificates ------------------------------------------------------------------------------


def _partner_certificate_go() -> Scenario:
    names = CLINIC
    return Scenario(
        name="insurer-certificate-expired-go",
        expected="certificate_expiry",
        summary="The SMS relay's certificate expired overnight; every booking confirmation fails its TLS "
        "handshake and the API answers 502.",
        names=names,
        alarm=_errors_alarm(names, 12),
        noise=(LogLine("app", 'level=INFO logger=scheduler msg="job purge-holds finished rows={n}"', every_minutes=10),),
        fault=Fault(
            starts=timedelta(minutes=10),
            load={"fault_share": 0.2},
            log_lines=(
                LogLine("app", f'level=ERROR logger=notify msg="send confirmation: Post \\"https://{names.remote_host}/v2/messages\\": '
                        "x509: certificate has expired or is not yet valid: current time 2026-05-04T07:12:09Z is after "
                        '2026-05-04T00:00:00Z"', 6),
            ),
        ),
    )  # fmt: skip


def _worker_certificate_node() -> Scenario:
    names = CLINIC
    return Scenario(
        name="reminder-worker-cert-has-expired",
        expected="certificate_expiry",
        summary="The insurer's portal serves an expired certificate; the reminder function fails on every call.",
        names=names,
        worker=Worker(runtime="nodejs20.x"),
        alarm=_worker_alarm(names, "Errors", "Sum", 5),
        load=Load(worker_remote_ms=80),
        fault=Fault(
            starts=timedelta(minutes=9),
            load={"worker_error_share": 0.6},
            log_lines=(
                LogLine("worker", "ERROR\tInvoke Error \tError: certificate has expired\n    at TLSSocket.onConnectSecure "
                        "(node:_tls_wrap:1674:34)\n    at TLSSocket.emit (node:events:519:28) { code: 'CERT_HAS_EXPIRED' }", 3),
            ),
        ),
    )  # fmt: skip


def _imported_certificate() -> Scenario:
    names = PAYROLL
    return Scenario(
        name="imported-certificate-expiring",
        expected="certificate_expiry",
        summary="The payroll site's imported certificate expires in six days; ACM never renews imported ones.",
        names=names,
        alarm=_certificate_alarm(names, 14),
        noise=PYTHON_NOISE,
        services=ws.Services(
            certificate=ws.Certificate(
                domain="payroll.example.com", expires_in=timedelta(days=6), type="IMPORTED"
            )
        ),
    )


def _certificate_renewing() -> Scenario:
    names = MARKET
    return Scenario(
        name="certificate-forty-days-renewing",
        expected="inconclusive",
        summary="An ACM certificate 40 days from expiry, in use and pending automatic renewal: the 45-day alarm "
        "is a reminder, nothing is broken.",
        names=names,
        alarm=_certificate_alarm(names, 45),
        noise=JSON_NOISE,
        services=ws.Services(
            certificate=ws.Certificate(
                domain="quotes.example.io",
                expires_in=timedelta(days=40),
                renewal_status="PENDING_AUTO_RENEWAL",
            )
        ),
    )


# --- credentials -------------------------------------------------------------------------------


def _rotated_password_python() -> Scenario:
    names = PAYROLL
    secret = "prod/payroll/db-password"
    return Scenario(
        name="payroll-db-password-rotated",
        expected="credentials_failure",
        summary="Secrets Manager rotated the database password; the API's connections still present the old "
        "one and every new connection is refused, so requests fail with 500.",
        names=names,
        alarm=_with_secret(_errors_alarm(names, 10), secret),
        noise=PYTHON_NOISE,
        services=ws.Services(secret=ws.Secret(name=secret, changed_ago=timedelta(minutes=16))),
        fault=Fault(
            starts=timedelta(minutes=12),
            load={"fault_share": 0.25},
            log_lines=(
                LogLine("app", 'ERROR payroll.db: psycopg.OperationalError: connection failed: connection to server at '
                        '"10.0.21.{n}", port 5432 failed: FATAL:  password authentication failed for user "payroll"', 7),
            ),
        ),
    )  # fmt: skip


def _mysql_access_denied_java() -> Scenario:
    names = FREIGHT
    secret = "prod/freight/mysql"
    return Scenario(
        name="freight-mysql-access-denied",
        expected="credentials_failure",
        summary="Someone put a new value in the database secret without changing the MySQL user; the service's "
        "new connections are denied.",
        names=names,
        alarm=_with_secret(_errors_alarm(names, 8), secret),
        noise=JAVA_NOISE,
        services=ws.Services(secret=ws.Secret(name=secret, changed_ago=timedelta(minutes=19), action="PutSecretValue",
                                              rotation_days=None, actor="arn:aws:sts::123456789012:assumed-role/Ops/kato")),
        fault=Fault(
            starts=timedelta(minutes=14),
            load={"fault_share": 0.18},
            log_lines=(
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Exception during pool initialization.\n"
                        "java.sql.SQLException: Access denied for user 'freight'@'10.0.12.{n}' (using password: YES)\n"
                        "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)", 5),
            ),
        ),
    )  # fmt: skip


def _expired_token_worker() -> Scenario:
    names = MARKET
    return Scenario(
        name="archiver-expired-session-token",
        expected="credentials_failure",
        summary="The archiver writes with a session token it assumed at start-up and never refreshes; it expired "
        "and every write is refused.",
        names=names,
        worker=Worker(runtime="nodejs20.x"),
        alarm=_worker_alarm(names, "Errors", "Sum", 5),
        fault=Fault(
            starts=timedelta(minutes=10),
            load={"worker_error_share": 0.7},
            log_lines=(
                LogLine("worker", "ERROR\tInvoke Error \tExpiredTokenException: The security token included in the "
                        "request is expired\n    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/smithy-client/"
                        "dist-cjs/index.js:840:20) { '$metadata': { httpStatusCode: 403 } }", 3),
            ),
        ),
    )  # fmt: skip


def _rotation_nothing_refused() -> Scenario:
    names = RIDES
    secret = "prod/rides/db"
    return Scenario(
        name="rotation-with-nothing-refused",
        expected="inconclusive",
        summary="The database password rotated as scheduled twenty minutes earlier; a short 5xx blip with no "
        "error in the logs follows, and one refusal line is the usual background.",
        names=names,
        alarm=_with_secret(_errors_alarm(names, 4), secret),
        noise=(*NODE_NOISE, LogLine("app", 'error: password authentication failed for user "report_ro"', every_minutes=45)),
        services=ws.Services(secret=ws.Secret(name=secret, changed_ago=timedelta(minutes=21))),
        fault=Fault(starts=timedelta(minutes=5), load={"fault_share": 0.05}),
    )  # fmt: skip


def _kms_denied_chain() -> Scenario:
    names = PAYROLL
    return Scenario(
        name="kms-grant-revoked-breaks-payslips",
        expected="credentials_failure",
        chain=("credentials_failure", "application_error"),
        summary="The task role lost kms:Decrypt on the payslip key; decrypting fails now and then as before, "
        "then on every payslip, and the service's own error (an empty payslip body) floods the logs.",
        names=names,
        alarm=_errors_alarm(names, 10),
        noise=(
            *PYTHON_NOISE,
            LogLine(
                "app",
                "ERROR payroll.crypto: botocore.exceptions.ClientError: An error occurred "
                "(AccessDeniedException) when calling the Decrypt operation: User is not authorized "
                "to perform: kms:Decrypt",
                every_minutes=40,
            ),
        ),
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"fault_share": 0.3},
            log_lines=(
                LogLine(
                    "app",
                    "ERROR payroll.crypto: botocore.exceptions.ClientError: An error occurred "
                    "(AccessDeniedException) when calling the Decrypt operation: User is not authorized "
                    "to perform: kms:Decrypt",
                    3,
                ),
                LogLine(
                    "app",
                    "ERROR payroll.views: unhandled exception in GET /payslips/{n}\nTraceback (most recent "
                    'call last):\n  File "/app/payroll/render.py", line 52, in payslip\n    body = template.render('
                    "lines=decoded['lines'])\nTypeError: 'NoneType' object is not subscriptable",
                    9,
                ),
            ),
        ),
    )


def _password_changed_in_database_chain() -> Scenario:
    names = SUBSCRIPTIONS
    return Scenario(
        name="dba-password-change-starves-hikari-pool",
        expected="credentials_failure",
        chain=("credentials_failure", "database_connection_exhaustion"),
        summary="A DBA changed the service user's password in PostgreSQL itself (nothing in CloudTrail); the "
        "pool cannot open connections, requests wait for one until they time out and answer 500.",
        names=names,
        alarm=_errors_alarm(names, 10),
        noise=JAVA_NOISE,
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"fault_share": 0.3, "db_connections": 2},
            log_lines=(
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Connection is not available, request timed out "
                        "after 30000ms (total=0, active=0, idle=0, waiting=41)\n"
                        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
                        "timed out after 30000ms\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException("
                        "HikariPool.java:696)", 8),
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Failed to create connection\n"
                        f"org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"{names.db_name}\"", 2),
                LogLine("db", f'FATAL:  password authentication failed for user "{names.db_name}"', 2),
            ),
        ),
    )  # fmt: skip


def _expired_partner_certificate_chain() -> Scenario:
    names = RIDES
    return Scenario(
        name="maps-certificate-expiry-panics-dispatch",
        expected="certificate_expiry",
        chain=("certificate_expiry", "application_error"),
        summary="One node of the routing partner served an expired certificate for an hour, then all of them; "
        "the dispatch service's error path dereferences the missing route and panics on every ride.",
        names=names,
        alarm=_errors_alarm(names, 10),
        noise=(
            LogLine("app", 'level=INFO logger=scheduler msg="job expire-offers finished rows={n}"', every_minutes=10),
            LogLine("app", f'level=ERROR logger=routing msg="Get \\"https://{names.remote_host}/v1/route\\": x509: '
                    'certificate has expired or is not yet valid"', every_minutes=30),
        ),
        fault=Fault(
            starts=timedelta(minutes=10),
            load={"fault_share": 0.25},
            log_lines=(
                LogLine("app", f'level=ERROR logger=routing msg="Get \\"https://{names.remote_host}/v1/route\\": x509: '
                        'certificate has expired or is not yet valid"', 1.5),
                LogLine("app", 'level=ERROR logger=http msg="http: panic serving 10.0.1.{n}:4{n}: runtime error: invalid '
                        'memory address or nil pointer dereference"\ngoroutine 1849 [running]:\nmain.(*Dispatcher).'
                        "assign(0xc0001a2000)\n\t/src/dispatch.go:88 +0x1d4", 9),
            ),
        ),
    )  # fmt: skip


def _nat_slows_dependency_chain() -> Scenario:
    names = RIDES
    return Scenario(
        name="nat-ports-slow-routing-calls",
        expected="nat_gateway_exhaustion",
        chain=("nat_gateway_exhaustion", "downstream_dependency_latency"),
        summary="The NAT gateway fails to allocate ports for the routing partner; connects retry until they "
        "get through, and the routing call dominates every slow request.",
        names=names,
        alarm=_nat_alarm(names, "ErrorPortAllocation", 10),
        noise=NODE_NOISE,
        services=ws.Services(nat=ws.NatGateway(metrics={"ErrorPortAllocation": ws.Level(0, 160, spread=0.1)})),
        fault=Fault(
            starts=timedelta(minutes=12),
            remote_extra_ms=2600,
            affected_share=0.8,
            log_lines=(
                LogLine("app", f"warn: connect ETIMEDOUT {names.remote_host}:443, retrying (attempt 2)", 3),
            ),
        ),
    )  # fmt: skip


def _nat_slows_worker() -> Scenario:
    names = CLINIC
    alarm = _worker_alarm(names, "Duration", "Average", 4000)
    return Scenario(
        name="nat-ports-slow-reminder-function",
        expected="nat_gateway_exhaustion",
        summary="The reminder function's calls to the insurer's portal go out through a NAT gateway that runs "
        "out of ports; connects retry until they get through and the function's duration alarms.",
        names=names,
        worker=Worker(runtime="python3.13", timeout_s=30),
        alarm=replace(alarm, tags={**alarm.tags, "analyzer:nat-gateways": "{nat}"}),
        load=Load(worker_remote_ms=90),
        services=ws.Services(nat=ws.NatGateway(metrics={
            "ErrorPortAllocation": ws.Level(0, 260, spread=0.1), "ActiveConnectionCount": ws.Level(1600, 52000)})),
        fault=Fault(
            starts=timedelta(minutes=12),
            load={"worker_remote_ms": 7800},
            log_lines=(
                LogLine("worker", f"[WARNING] connect to {names.worker_dependency}:443 timed out after 3.0s, retrying "
                        "(urllib3 ConnectTimeoutError)", 2),
            ),
        ),
    )  # fmt: skip


# --- found through the service's own network and listeners, with no tag ------------------------

CLAIMS = Names(
    service="claims-gateway", load_balancer="claims-public", target_group="claims-gw-tg", database="claims-sql",
    db_name="claims", worker="claim-notifier", remote_host="api.underwriter-quotes.example.com",
    worker_dependency="webhooks.broker-desk.example.org", slow_code="ClaimsController.Quote", cluster="insurance",
    table="claims-locks", path="/claims/{n}",
)  # fmt: skip
LEDGER = Names(
    service="ledger-web", load_balancer="ledger-front", target_group="ledger-web-tg", database="ledger-pg",
    db_name="ledger", worker="statement-exporter", remote_host="api.fx-feed.example.net", slow_code="post_entries",
    cluster="finance", table="ledger-locks", path="/accounts/{n}/entries",
)  # fmt: skip


def _nat_ports_behind_latency_dotnet() -> Scenario:
    names = CLAIMS
    return Scenario(
        name="nat-ports-slow-claims-quotes-untagged",
        expected="nat_gateway_exhaustion",
        summary="A batch of quote requests opens one connection per call to the underwriter; the NAT gateway "
        "the tasks' subnets route through runs out of ports, connects retry and responses slow down. Nothing "
        "tags the gateway: the alarm is on the load balancer's response time.",
        names=names,
        alarm=_alarm(names, "alb-latency", ("AWS/ApplicationELB", "TargetResponseTime", _TG), "Average", 1.5),
        noise=(LogLine("app", "info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 GET "
                       "http://claims/claims/{n} - 200 - application/json {ms}ms", 3),),
        load=Load(remote_ms=140),
        services=ws.Services(nat=ws.NatGateway(metrics={
            "ErrorPortAllocation": ws.Level(0, 1900, spread=0.1), "ActiveConnectionCount": ws.Level(7000, 54000),
            "ConnectionAttemptCount": ws.Level(9000, 48000)})),
        fault=Fault(
            starts=timedelta(minutes=12),
            remote_extra_ms=3100,
            affected_share=0.6,
            log_lines=(
                LogLine("app", "warn: Claims.Quotes.UnderwriterClient[0] quote attempt 1 failed, retrying\n"
                        "System.Net.Http.HttpRequestException: A connection attempt failed because the connected "
                        "party did not properly respond after a period of time, or established connection failed "
                        f"because connected host has failed to respond. ({names.remote_host}:443)", 4),
            ),
        ),
    )  # fmt: skip


def _nat_ports_behind_function_timeouts_ruby() -> Scenario:
    names = CLAIMS
    return Scenario(
        name="nat-ports-time-out-notifier-function-untagged",
        expected="nat_gateway_exhaustion",
        chain=("nat_gateway_exhaustion", "lambda_timeout"),
        summary="The notifier function runs in the private subnets; another team's crawler takes their NAT "
        "gateway's ports towards the broker desk; the function's calls there never connect, retry until the "
        "function's own limit and it times out. The alarm is on the function's errors; nothing names the gateway.",
        names=names,
        worker=Worker(runtime="ruby3.3", timeout_s=15),
        alarm=_worker_alarm(names, "Errors", "Sum", 6),
        load=Load(worker_remote_ms=110),
        services=ws.Services(nat=ws.NatGateway(metrics={"ErrorPortAllocation": ws.Level(0, 380, spread=0.2)})),
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"worker_timeout_share": 0.4, "worker_remote_ms": 9000},
            log_lines=(
                LogLine("worker", "E, [2026-12-01T19:02:11.482 #8] ERROR -- : notify claim {n} failed: "
                        f"Net::OpenTimeout: Failed to open TCP connection to {names.worker_dependency}:443 "
                        "(execution expired) - connect timed out after 5s", 2),
            ),
        ),
    )  # fmt: skip


def _listener_certificate_expired() -> Scenario:
    names = LEDGER
    return Scenario(
        name="listener-imported-certificate-expired-traffic-falls",
        expected="certificate_expiry",
        summary="The load balancer's HTTPS listener presents a certificate imported from the bank's own CA; "
        "nobody replaced it and it expired this morning. Clients refuse the handshake, so requests never "
        "reach the service: the alarm is on the load balancer's request count falling.",
        names=names,
        alarm=_alarm(names, "requests-low", ("AWS/ApplicationELB", "RequestCount", _LB), "Sum", 200,
                     comparison="LessThanThreshold", evaluation_periods=3),
        noise=JAVA_NOISE,
        load=Load(requests=700),
        services=ws.Services(certificate=ws.Certificate(
            domain="ledger.bank-internal.example.com", expires_in=-timedelta(minutes=40), type="IMPORTED",
            on_listener=True, metrics={ws.HANDSHAKE_ERRORS: ws.Level(1, 1700)})),
        fault=Fault(starts=timedelta(minutes=40), ramp_minutes=30, load={"requests": 90}),
    )  # fmt: skip


EDGE: dict[str, Scenario] = {
    s.name: s
    for s in (
        _nat_ports_node(),
        _nat_drops_python(),
        _nat_drops_daily_normal(),
        _partner_certificate_go(),
        _worker_certificate_node(),
        _imported_certificate(),
        _certificate_renewing(),
        _rotated_password_python(),
        _mysql_access_denied_java(),
        _expired_token_worker(),
        _rotation_nothing_refused(),
        _kms_denied_chain(),
        _nat_slows_dependency_chain(),
        _nat_slows_worker(),
        _password_changed_in_database_chain(),
        _expired_partner_certificate_chain(),
        _nat_ports_behind_latency_dotnet(),
        _nat_ports_behind_function_timeouts_ruby(),
        _listener_certificate_expired(),
    )
}
