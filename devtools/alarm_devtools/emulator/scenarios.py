"""Seeded incidents: a world, a fault, the alarm that fires, and the category a good analysis finds.

Scenarios of one category differ in names, numbers, wording (psycopg or HikariCP, Python or Java or
Node, text or JSON logs) and background noise, so that no rule can key on one of them. Near misses
carry a suspect that is not the cause (a release hours earlier, a release after the breach began).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Literal

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.events import event_from_alarm
from alarm_analyzer.report import Category
from alarm_analyzer.settings import GathererSettings

from . import world, world_build, world_facts, world_logs, world_services, world_traces
from .injected import Answer, refusal
from .world import (
    MB,
    AlarmSpec,
    ApiCall,
    DeadLetter,
    Deployment,
    Fault,
    HealthCheckSpec,
    Load,
    LogLine,
    Names,
    TargetFailure,
    Worker,
)
from .world_network import MISCONFIGURED_ZONE

# A source the analysis can do without: no traces were recorded, the alarm has no tags, CloudTrail refuses.
OptionalSource = Literal["traces", "tags", "cloudtrail"]


@dataclass(frozen=True)
class Scenario:
    name: str
    expected: Category
    summary: str
    alarm: AlarmSpec
    fault: Fault | None = None
    names: Names = field(default_factory=Names)
    load: Load = field(default_factory=Load)
    worker: Worker = field(default_factory=Worker)
    health_check: HealthCheckSpec = field(default_factory=HealthCheckSpec)
    deployments: tuple[Deployment, ...] = ()
    calls: tuple[ApiCall, ...] = ()  # other changes CloudTrail recorded
    dead_letters: tuple[DeadLetter, ...] = ()
    noise: tuple[LogLine, ...] = ()  # background lines in the service's own wording
    flapping: int = 0  # earlier ALARM episodes of the alarm in the past day
    peek_dead_letters: bool = False  # the deployment opted in to reading one dead-letter message
    wiring: world.DeadLetterWiring = "sqs_redrive"  # what sends failures to the dead-letter queue
    missing: OptionalSource | None = None  # a source this account lacks (the benchmark's variants)
    # The edge of the causal model (cause, effect) it demonstrates: the report names the cause and
    # chains it to the effect, whose own evidence is the stronger (tests/scenarios/test_chains.py).
    chain: tuple[Category, Category] | None = None
    services: world_services.Services = field(default_factory=world_services.Services)  # beyond the web stack

    @property
    def settings(self) -> GathererSettings:
        """The gatherer settings the analysis runs with (in-process)."""
        return GathererSettings(peek_dead_letters=self.peek_dead_letters)

    @property
    def parameters(self) -> dict[str, str]:
        """The template parameters the analyzer is deployed with (the emulated workflow)."""
        return {"PeekDeadLetterMessages": "true"} if self.peek_dead_letters else {}


@dataclass
class Incident:
    scenario: Scenario
    event: dict[str, Any]
    built: world.Built
    responses: dict[tuple[str, str], Answer]  # what AWS would answer where moto cannot: see injected.py


STATE_CHANGE_SECOND = 30
NETWORK_CHANGE_LEAD = timedelta(minutes=2)  # a misconfiguring call precedes its first effect


def _placed(worker: Worker, services: world_services.Services) -> Worker:
    """The worker in the app subnets when asked, or by default when the world's NAT gateway is a service."""
    return worker if worker.in_vpc is not None else replace(worker, in_vpc=services.nat is not None)


def seed(clients: AwsClients, scenario: Scenario, *, in_process: bool = False) -> Incident:
    """Create the world, three hours of its telemetry with the fault in it, and fire the alarm.

    ``clients`` must be made with ``world.SEEDING_CONFIG``; the event is the one CloudWatch would send.
    Analyze it inside ``injected(incident.responses)``, with ``scenario.settings``. ``in_process``: moto
    is mocked in this process (not a server), so the metrics may go straight into it.
    """
    # The world's alarm was OK until the fault fired it. It changes state now, at the same point of the
    # minute in every run, so which per-minute datapoints fall inside the windows, and where a release
    # falls among them, never depends on the clock.
    now = world.utcnow().replace(second=STATE_CHANGE_SECOND, microsecond=0)
    fault = scenario.fault
    alarm = replace(scenario.alarm, tags={}) if scenario.missing == "tags" else scenario.alarm
    built = world_build.build(
        clients,
        scenario.names,
        now,
        worker=_placed(scenario.worker, scenario.services),
        health_check=scenario.health_check,
        fault=fault,
        deployments=scenario.deployments,
        wiring=scenario.wiring,
    )
    seeded = world_services.build(clients, scenario.services, built, now)
    built.services, built.service_logs = seeded.ids, seeded.log_groups
    rng = world.Rng(scenario.name)
    minutes = world.timeline(now, scenario.load, fault)
    earlier = world.day_ago(now, scenario.load)
    points = world.metric_points(built, minutes, rng)
    day_ago = world.metric_points(built, earlier, rng)
    points += world_services.metric_points(scenario.services, seeded, minutes, scenario.name)
    day_ago += world_services.metric_points(scenario.services, seeded, earlier, f"{scenario.name}/day-ago")
    world.put_metrics(clients, [*points, *day_ago], into_account=built.account if in_process else None)
    world_logs.put_logs(
        clients,
        world_logs.log_events(built, minutes, rng, scenario.noise),
        world_logs.invocation_events(built, minutes, rng),
    )
    if scenario.missing != "traces":
        world_traces.put_traces(clients, world_traces.trace_documents(built, minutes, rng, now))
    dead_lettered = [p["Value"] for p in points if p["MetricName"] == "ApproximateNumberOfMessagesVisible"
                     and p["Dimensions"][0]["Value"] == scenario.names.dead_letter_queue]  # fmt: skip
    world_build.put_dead_letters(clients, built, scenario.dead_letters, round(dead_lettered[-1]), rng)
    fired = world.fire(clients, built, alarm, points, now)
    network_calls = [
        ApiCall("ec2.amazonaws.com", name, fault.starts + NETWORK_CHANGE_LEAD, parameters)
        for name, parameters in built.network_calls
        if fault is not None
    ]
    facts = world_facts.FactsInput(
        built=built,
        now=now,
        last_minute=minutes[-1],
        deployments=scenario.deployments,
        calls=[*scenario.calls, *network_calls, *world_services.calls(scenario.services, seeded)],
        alarm_name=scenario.alarm.name,
        fired=fired,
        flapping=scenario.flapping,
    )
    described = clients.cloudwatch.describe_alarms(AlarmNames=[alarm.name])["MetricAlarms"][0]
    event = event_from_alarm(described, clients.region, previous_state="OK", at=now)
    responses = {**world_facts.responses(facts), **world_services.responses(scenario.services, seeded, now)}
    if scenario.missing == "cloudtrail":
        # A role without cloudtrail:LookupEvents (or an organization policy denying it) gets this.
        message = "User is not authorized to perform: cloudtrail:LookupEvents"
        responses[("cloudtrail", "LookupEvents")] = refusal("AccessDeniedException", message)
    return Incident(scenario=scenario, event=event, built=built, responses=responses)


# --- the worlds' names -----------------------------------------------------------------------------

SHOP = Names()
CHECKOUT = Names(
    service="checkout-api", load_balancer="storefront", target_group="checkout-tg", database="checkout-db",
    db_name="checkout", worker="receipt-mailer", remote_host="api.payments-gateway.example.com",
    slow_code="applyPromotions", cluster="storefront-prod", table="checkout-carts", path="/checkout/{n}",
)  # fmt: skip
BILLING = Names(
    service="billing-service", load_balancer="billing-alb", target_group="billing-svc-tg", database="billing-mysql",
    db_name="billing", db_engine="mysql", db_log="error", worker="invoice-renderer",
    remote_host="api.tax-rates.example.org", slow_code="InvoiceService.calculateTax", cluster="finance",
    table="billing-idempotency", path="/invoices/{n}",
)  # fmt: skip
CATALOG = Names(
    service="catalog-api", load_balancer="catalog-public", target_group="catalog-api-tg", database="catalog-pg",
    db_name="catalog", worker="catalog-indexer", remote_host="feeds.partner-catalog.example.com",
    slow_code="buildFacets", cluster="catalog", table="catalog-cache", path="/products/{n}", db_class="db.t3.medium",
)  # fmt: skip
BOOKING = Names(
    service="booking-api", load_balancer="travel-web", target_group="booking-api-tg", database="bookings-db",
    db_name="bookings", worker="booking-confirmation", remote_host="api.hotel-availability.example.net",
    slow_code="price_itinerary", cluster="travel-prod", table="booking-locks", path="/bookings/{n}",
)  # fmt: skip
MEDIA = Names(
    service="media-api", load_balancer="media-edge", target_group="media-api-tg", database="media-db",
    db_name="media", worker="video-transcoder", remote_host="api.cdn-purge.example.com", slow_code="sign_urls",
    cluster="media", table="media-uploads", path="/videos/{n}",
)  # fmt: skip
LEDGER = Names(
    service="ledger-service", load_balancer="ledger-internal", target_group="ledger-svc-tg", database="ledger-mysql",
    db_name="ledger", db_engine="mysql", db_log="slowquery", worker="statement-exporter",
    remote_host="api.fx-rates.example.org", slow_code="LedgerService.balance", cluster="finance-core",
    table="ledger-locks", path="/accounts/{n}/entries",
)  # fmt: skip
ALERTS = Names(
    service="notify-api", load_balancer="notify-web", target_group="notify-api-tg", database="notify-db",
    db_name="notify", worker="push-notifier", remote_host="fcm.googleapis.com", slow_code="renderTemplate",
    cluster="messaging", table="notify-dedup", path="/notifications/{n}",
)  # fmt: skip
WORKSHOP = Names(
    service="web-app", load_balancer="workshop-alb", target_group="web-app-tg", database="workshop-db",
    db_name="app", worker="web-app-jobs", remote_host="api.github.com", slow_code="render_page",
    cluster="workshop", table="workshop-items", path="/items/{n}",
)  # fmt: skip

RUNBOOK = "https://wiki.example.com/runbooks/{service}"
CI_ROLE = "github-actions-deploy"


def _json(level: str, message: str, **fields: Any) -> str:
    """A structured log line as JSON loggers write it (level, logger, message, extras)."""
    return json.dumps({"level": level, "logger": fields.pop("logger", "app"), "message": message, **fields})


# Background lines in each stack's own wording: warnings nobody acts on, a periodic job.
PYTHON_NOISE = (
    LogLine(
        "app", "WARNING urllib3.connectionpool: Connection pool is full, discarding connection: {ip}", 0.05
    ),
    LogLine("app", "INFO celery.beat: Scheduler: Sending due task cleanup-sessions", every_minutes=10),
)
JAVA_NOISE = (
    LogLine(
        "app",
        "WARN  o.h.e.j.s.SqlExceptionHelper - SQL Warning Code: 1287, SQLState: HY000 (deprecated syntax)",
        0.1,
    ),
    LogLine(
        "app",
        "INFO  o.s.s.a.ScheduledAnnotationBeanPostProcessor - reconcile-payments completed in {ms} ms",
        every_minutes=5,
    ),
)
NODE_NOISE = (
    LogLine(
        "app",
        "(node:1) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' is insecure",
        0.05,
    ),
    LogLine("app", "info: cron refresh-sitemap done in {ms}ms", every_minutes=30),
)
JSON_NOISE = (
    LogLine("app", _json("WARNING", "slow cache refresh", logger="cache", took_ms=512), 0.1),
    LogLine(
        "app", _json("INFO", "cron job finished", logger="scheduler", job="purge-holds"), every_minutes=10
    ),
)


def _tags(names: Names, *groups: str) -> dict[str, str]:
    return {"analyzer:log-groups": ",".join(groups or (names.app_log_group, names.db_log_group)),
            "analyzer:service": names.service}  # fmt: skip


_TG = {"LoadBalancer": "{load_balancer}", "TargetGroup": "{target_group}"}
_LB = {"LoadBalancer": "{load_balancer}"}


def _alarm(
    names: Names,
    suffix: str,
    watched: tuple[str, str, dict[str, str]],  # namespace, metric, dimensions
    statistic: str,
    threshold: float,
    *,
    comparison: str = "GreaterThanThreshold",
    period: int = 60,
    evaluation_periods: int = 2,
    tags: dict[str, str] | None = None,
) -> AlarmSpec:
    namespace, metric, dimensions = watched
    return AlarmSpec(
        name=f"{names.service}-{suffix}",
        namespace=namespace,
        metric=metric,
        dimensions=dimensions,
        statistic=statistic,
        period=period,
        evaluation_periods=evaluation_periods,
        threshold=threshold,
        comparison=comparison,
        description=f"{names.service}: {metric} breached. Runbook: {RUNBOOK.format(service=names.service)}",
        tags=_tags(names) if tags is None else tags,
    )


def _latency_alarm(names: Names, threshold: float) -> AlarmSpec:
    watched = ("AWS/ApplicationELB", "TargetResponseTime", _TG)
    return _alarm(names, "alb-target-response-time", watched, "Average", threshold)


def _errors_alarm(names: Names, threshold: float = 10, dimensions: dict[str, str] = _TG) -> AlarmSpec:
    return _alarm(
        names, "alb-5xx", ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimensions), "Sum", threshold
    )


def _worker_alarm(names: Names, metric: str, statistic: str, threshold: float) -> AlarmSpec:
    watched = ("AWS/Lambda", metric, {"FunctionName": "{worker}"})
    tags = {"analyzer:service": names.worker}
    return _alarm(names, f"worker-{metric.lower()}", watched, statistic, threshold, tags=tags)


def _targets_alarm(names: Names, metric: str = "HealthyHostCount") -> AlarmSpec:
    watched = ("AWS/ApplicationELB", metric, _TG)
    if metric == "HealthyHostCount":
        return _alarm(names, "healthy-hosts", watched, "Minimum", 2, comparison="LessThanThreshold")
    return _alarm(names, "unhealthy-hosts", watched, "Maximum", 0)


def _ecs_alarm(names: Names, threshold: float) -> AlarmSpec:
    watched = ("AWS/ECS", "CPUUtilization", {"ClusterName": "{cluster}", "ServiceName": "{service}"})
    tags = _tags(names, names.app_log_group)
    return _alarm(names, "cpu", watched, "Average", threshold, evaluation_periods=3, tags=tags)


# --- database ----------------------------------------------------------------------------------------


def _db_connection_pool(names: Names) -> Scenario:
    return Scenario(
        name="db-connection-pool",
        expected="database_connection_exhaustion",
        summary="The app's connection pools drain the database's connection slots; requests queue for one.",
        names=names,
        alarm=_latency_alarm(names, 2.0),
        noise=PYTHON_NOISE,
        fault=Fault(
            sql_extra_ms=3000,
            affected_share=0.85,
            load={"db_connections": 100, "fault_share": 0.04, "db_cpu": 26},
            log_lines=(
                LogLine(
                    "app",
                    "ERROR sqlalchemy.exc.TimeoutError: QueuePool limit of size 20 overflow 10 reached, "
                    "connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)",
                    6,
                ),
                LogLine(
                    "db",
                    "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
                    2,
                ),
            ),
        ),
    )


def _hikari_too_many_connections() -> Scenario:
    names = BILLING
    return Scenario(
        name="hikari-pool-mysql-too-many-connections",
        expected="database_connection_exhaustion",
        summary="A Java service's HikariCP pools and a batch job together use up MySQL's max_connections.",
        names=names,
        alarm=_latency_alarm(names, 1.5),
        noise=JAVA_NOISE,
        load=Load(requests=90, db_connections=30, sql_ms=15, code_ms=28),
        fault=Fault(
            starts=timedelta(minutes=14),
            sql_extra_ms=2400,
            affected_share=0.7,
            load={"db_connections": 83, "fault_share": 0.05, "db_cpu": 31},
            log_lines=(
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Connection is not available, request timed out "
                        "after 30000ms (total=40, active=40, idle=0, waiting=57)\n"
                        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n"
                        "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                        "\tat com.example.billing.InvoiceRepository.findOpen(InvoiceRepository.java:88)", 5),
                LogLine("db", "[Warning] [MY-010055] [Server] IP address '10.0.11.{n}' could not be resolved: Name or "
                        "service not known; Too many connections (max_connections=85)", 1.5),
                LogLine("app", "ERROR o.h.e.j.s.SqlExceptionHelper - Data source rejected establishment of connection, "
                        "message from server: \"Too many connections\"", 2),
            ),
        ),
    )  # fmt: skip


def _pool_exhaustion_after_old_release() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="asyncpg-too-many-clients-old-release",
        expected="database_connection_exhaustion",
        summary="Postgres runs out of client slots; a release three hours earlier is a red herring.",
        names=names,
        alarm=_latency_alarm(names, 1.8),
        noise=NODE_NOISE,
        deployments=(Deployment("ecs", timedelta(hours=3, minutes=5), "chore: bump dependencies"),),
        fault=Fault(
            starts=timedelta(minutes=10),
            sql_extra_ms=2600,
            affected_share=0.8,
            load={"db_connections": 112, "fault_share": 0.06},
            log_lines=(
                LogLine(
                    "app",
                    "ERROR asyncpg.exceptions.TooManyConnectionsError: sorry, too many clients already",
                    4,
                ),
                LogLine("db", "FATAL:  sorry, too many clients already", 3),
            ),
        ),
    )


def _rds_memory(names: Names) -> Scenario:
    return Scenario(
        name="rds-memory",
        expected="database_resource_pressure",
        summary="Queries sorting into temporary files squeeze the database's memory; it starts swapping.",
        names=names,
        alarm=AlarmSpec(
            name=f"{names.database}-freeable-memory",
            namespace="AWS/RDS",
            metric="FreeableMemory",
            dimensions={"DBInstanceIdentifier": "{database}"},
            statistic="Average",
            period=300,
            evaluation_periods=2,
            threshold=536870912,
            comparison="LessThanThreshold",
            description="Database memory is low.",
            tags={"analyzer:service": names.service},
        ),
        fault=Fault(
            starts=timedelta(minutes=18),
            ramp_minutes=10,
            sql_extra_ms=1400,
            affected_share=0.6,
            load={"db_memory": 430 * MB, "db_swap": 120 * MB, "db_read_latency": 0.008, "db_cpu": 38},
            log_lines=(
                LogLine(
                    "db", 'LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{n}.0", size {n}4857600', 4
                ),
            ),
        ),
    )


def _rds_cpu_checkpoints() -> Scenario:
    names = CATALOG
    return Scenario(
        name="catalog-db-cpu-and-checkpoints",
        expected="database_resource_pressure",
        summary="A bulk price import saturates the database's CPU and WAL; every query waits on it.",
        names=names,
        alarm=_alarm(names, "db-cpu", ("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "{database}"}), "Average",
                     85, period=300, evaluation_periods=2, tags={"analyzer:service": names.service}),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=16),
            ramp_minutes=4,
            sql_extra_ms=900,
            affected_share=0.7,
            load={"db_cpu": 96, "db_read_latency": 0.011},
            log_lines=(
                LogLine("db", "LOG:  checkpoints are occurring too frequently (8 seconds apart)\n"
                        "HINT:  Consider increasing the configuration parameter \"max_wal_size\".", 1),
                LogLine("db", "LOG:  automatic vacuum of table \"catalog.public.prices\": index scans: 1, "
                        "pages: 0 removed, {n} remain; system usage: CPU: user: 41.22 s", 0.3),
            ),
        ),
    )  # fmt: skip


def _slow_query_postgres() -> Scenario:
    names = BOOKING
    return Scenario(
        name="booking-history-query-seq-scan",
        expected="slow_database_query",
        summary="One query, the booking history, lost its index and now scans the table for four seconds.",
        names=names,
        alarm=_latency_alarm(names, 1.2),
        noise=JSON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=13),
            sql_extra_ms=4100,
            affected_share=0.3,
            log_lines=(
                LogLine("db", "LOG:  duration: 4211.532 ms  statement: SELECT b.* FROM bookings b JOIN travellers t "
                        "ON t.id = b.traveller_id WHERE t.customer_ref = 'C-{n}' ORDER BY b.created_at DESC LIMIT 50", 4),
                LogLine("app", _json("WARNING", "slow request", logger="booking.api", path="/bookings/history",
                                     duration_ms=4390), 3),
            ),
        ),
    )  # fmt: skip


def _slow_query_mysql() -> Scenario:
    names = LEDGER
    return Scenario(
        name="ledger-entries-query-full-scan",
        expected="slow_database_query",
        summary="A ledger query reads two million rows per call after a column type change broke its index.",
        names=names,
        alarm=_latency_alarm(names, 1.0),
        noise=JAVA_NOISE,
        load=Load(requests=75, sql_ms=12),
        fault=Fault(
            starts=timedelta(minutes=11),
            sql_extra_ms=5200,
            affected_share=0.25,
            log_lines=(
                LogLine("db", "# Time: 2026-01-01T00:00:00.000000Z\n# User@Host: ledger[ledger] @  [10.0.11.{n}]  Id: {n}\n"
                        "# Query_time: 5.203117  Lock_time: 0.000121 Rows_sent: 20  Rows_examined: 2418311\n"
                        "SET timestamp=1767225600;\nSELECT * FROM ledger_entries WHERE account_ref = 'ACC-{n}' "
                        "ORDER BY posted_at DESC LIMIT 20;", 3),
            ),
        ),
    )  # fmt: skip


# --- latency of dependencies and of the code -----------------------------------------------------------


def _slow_external(names: Names) -> Scenario:
    return Scenario(
        name="slow-external",
        expected="downstream_dependency_latency",
        summary="A third-party API the service calls on every request slows to over two seconds.",
        names=names,
        alarm=_latency_alarm(names, 1.5),
        fault=Fault(
            remote_extra_ms=2200,
            affected_share=0.8,
            log_lines=(
                LogLine(
                    "app",
                    f"WARN httpx.ReadTimeout: timed out calling https://{names.remote_host}/v2/quotes, retrying",
                    3,
                ),
            ),
        ),
    )


def _slow_payment_gateway() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="payment-gateway-slow-responses",
        expected="downstream_dependency_latency",
        summary="The payment provider's API answers in three seconds instead of fifty milliseconds.",
        names=names,
        alarm=_latency_alarm(names, 1.2),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=9),
            remote_extra_ms=3100,
            affected_share=0.65,
            load={"fault_share": 0.02},
            log_lines=(
                LogLine("app", f"warn: upstream {names.remote_host} responded in {{n}}ms (POST /v2/quotes)", 4),
                LogLine("app", "error: AxiosError: timeout of 5000ms exceeded\n    at RedirectableRequest.handleRequestTimeout "
                        "(/app/node_modules/axios/lib/adapters/http.js:647:16)", 0.6),
            ),
        ),
    )  # fmt: skip


def _slow_logic(names: Names) -> Scenario:
    return Scenario(
        name="slow-logic",
        expected="application_code_latency",
        summary="A code path in the service itself (document rendering) takes five seconds.",
        names=names,
        alarm=_latency_alarm(names, 2.0),
        fault=Fault(code_extra_ms=4800, affected_share=0.7),
    )


def _slow_facets() -> Scenario:
    names = CATALOG
    return Scenario(
        name="catalog-facet-building-slow",
        expected="application_code_latency",
        summary="Facet building in the catalog service grows quadratic with a large category; no change shipped.",
        names=names,
        alarm=_latency_alarm(names, 1.5),
        noise=NODE_NOISE,
        load=Load(ecs_cpu=38),
        fault=Fault(
            starts=timedelta(minutes=15),
            code_extra_ms=2900,
            affected_share=0.55,
            load={"ecs_cpu": 47},
            log_lines=(
                LogLine("app", "warn: buildFacets took {n}ms for category 'electronics' (12480 products)", 2),
            ),
        ),
    )


# --- errors and releases --------------------------------------------------------------------------------


def _null_pointer_java() -> Scenario:
    names = BILLING
    return Scenario(
        name="invoice-null-pointer",
        expected="application_error",
        summary="Invoices of customers without a billing address throw a NullPointerException; nothing changed.",
        names=names,
        alarm=_errors_alarm(names, 8),
        noise=JAVA_NOISE,
        deployments=(Deployment("ecs", timedelta(hours=4, minutes=10), "feat: PDF letterhead"),),
        fault=Fault(
            starts=timedelta(minutes=10),
            affected_share=0.2,
            load={"fault_share": 0.12},
            log_lines=(
                LogLine("app", "ERROR c.e.b.InvoiceController - Request processing failed\n"
                        "java.lang.NullPointerException: Cannot invoke \"com.example.billing.Address.getCountry()\" "
                        "because \"customer.billingAddress\" is null\n"
                        "\tat com.example.billing.TaxCalculator.rateFor(TaxCalculator.java:57)\n"
                        "\tat com.example.billing.InvoiceService.calculateTax(InvoiceService.java:131)", 9),
            ),
        ),
    )  # fmt: skip


def _key_error_json() -> Scenario:
    names = BOOKING
    return Scenario(
        name="booking-missing-currency-key",
        expected="application_error",
        summary="A partner started sending bookings without a currency; the handler raises KeyError.",
        names=names,
        alarm=_errors_alarm(names, 6),
        noise=JSON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=8),
            load={"fault_share": 0.09},
            log_lines=(
                LogLine("app", _json("ERROR", "unhandled exception in POST /bookings", logger="booking.api",
                                     exc_info="Traceback (most recent call last):\n  File \"/app/booking/pricing.py\", "
                                     "line 88, in price_itinerary\n    currency = offer[\"currency\"]\nKeyError: 'currency'"), 7),
            ),
        ),
    )  # fmt: skip


def _release_type_error() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="checkout-release-typeerror",
        expected="deployment_regression",
        summary="Nine minutes after a new task definition rolled out, checkout throws a TypeError on every cart.",
        names=names,
        alarm=_errors_alarm(names, 10),
        noise=NODE_NOISE,
        deployments=(Deployment("ecs", timedelta(minutes=17), "feat: new totals component (#4812)"),),
        fault=Fault(
            starts=timedelta(minutes=8),
            load={"fault_share": 0.15},
            log_lines=(
                LogLine("app", "error: TypeError: Cannot read properties of undefined (reading 'total')\n"
                        "    at summarizeCart (/app/dist/cart/summary.js:41:27)\n"
                        "    at async CheckoutController.create (/app/dist/checkout/controller.js:88:5)", 11),
            ),
        ),
    )  # fmt: skip


def _lambda_canary() -> Scenario:
    names = SHOP
    return Scenario(
        name="worker-canary-keyerror",
        expected="deployment_regression",
        summary="A canary sends 10% of the thumbnail jobs to a new version that fails on a missing setting.",
        names=names,
        alarm=_worker_alarm(names, "Errors", "Sum", 3),
        noise=PYTHON_NOISE,
        deployments=(Deployment("lambda_canary", timedelta(minutes=14), "resize with configurable sizes"),),
        load=Load(worker_share=0.25),
        fault=Fault(
            starts=timedelta(minutes=12),
            ramp_minutes=1,
            load={"worker_error_share": 0.1},
            log_lines=(
                LogLine("worker", "[ERROR] KeyError: 'THUMBNAIL_SIZES'\nTraceback (most recent call last):\n"
                        "  File \"/var/task/app.py\", line 23, in handler\n    sizes = os.environ[\"THUMBNAIL_SIZES\"]", 2.5),
            ),
        ),
    )  # fmt: skip


def _flag_flip() -> Scenario:
    names = replace(
        CHECKOUT, service="cart-service", target_group="cart-service-tg", load_balancer="cart-web"
    )
    return Scenario(
        name="flag-flip-new-checkout-flow",
        expected="deployment_regression",
        summary="Turning on the new_checkout_flow feature flag in AppConfig sends carts down an unfinished path.",
        names=names,
        alarm=_errors_alarm(names, 8),
        noise=NODE_NOISE,
        deployments=(Deployment("appconfig", timedelta(minutes=15), "enable new_checkout_flow"),),
        fault=Fault(
            starts=timedelta(minutes=12),
            load={"fault_share": 0.11},
            log_lines=(
                LogLine("app", "error: PaymentIntentError: payment intent missing for flow=new_checkout_flow cart={n}\n"
                        "    at NewCheckoutFlow.confirm (/app/dist/flows/new-checkout.js:112:11)", 8),
            ),
        ),
    )  # fmt: skip


# --- the Lambda worker ----------------------------------------------------------------------------------


def _transcoder_timeouts() -> Scenario:
    names = MEDIA
    return Scenario(
        name="transcoder-hits-timeout",
        expected="lambda_timeout",
        summary="Longer uploads make the transcoder run into its 60 s timeout.",
        names=names,
        worker=Worker(timeout_s=60, memory_mb=2048),
        load=Load(worker_ms=21000, worker_share=0.05, worker_memory_mb=880),
        alarm=_worker_alarm(names, "Errors", "Sum", 1),
        noise=PYTHON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=14),
            load={"worker_timeout_share": 0.4, "worker_ms": 48000},
            log_lines=(
                LogLine(
                    "worker", "[WARNING] ffmpeg still running after 50s for upload {n}.mov (1.9 GB)", 0.8
                ),
            ),
        ),
    )


def _indexer_timeouts_json() -> Scenario:
    names = CATALOG
    return Scenario(
        name="indexer-timeouts-json-logs",
        expected="lambda_timeout",
        summary="The catalog indexer (JSON log format) waits on a slow partner feed until its 15 s timeout.",
        names=names,
        worker=Worker(runtime="nodejs20.x", timeout_s=15, memory_mb=512, json_logs=True),
        load=Load(worker_ms=2400, worker_share=0.1, worker_memory_mb=140),
        alarm=_worker_alarm(names, "Duration", "Maximum", 14000),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"worker_timeout_share": 0.3, "worker_ms": 9800},
            log_lines=(
                LogLine("worker", _json("WARN", f"feed request to {names.remote_host} still pending after 10000ms",
                                        logger="indexer"), 1),
            ),
        ),
    )  # fmt: skip


def _throttled_mailer() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="mailer-throttled-at-reserved-concurrency",
        expected="lambda_throttling",
        summary="A receipt backlog needs more than the mailer's reserved concurrency of 5; invocations are throttled.",
        names=names,
        worker=Worker(runtime="nodejs20.x", timeout_s=20, reserved_concurrency=5),
        load=Load(worker_ms=900, worker_share=0.3),
        alarm=_worker_alarm(names, "Throttles", "Sum", 10),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=12),
            load={"worker_share": 2.4, "queue_visible": 2400, "queue_age_s": 540},
        ),
    )


def _throttled_confirmations() -> Scenario:
    names = BOOKING
    return Scenario(
        name="confirmation-worker-burst-throttled",
        expected="lambda_throttling",
        summary="A partner's bulk import triples confirmation jobs; reserved concurrency 20 caps the worker.",
        names=names,
        worker=Worker(timeout_s=30, reserved_concurrency=20, json_logs=True),
        load=Load(requests=200, worker_ms=1400, worker_share=0.9),
        alarm=_worker_alarm(names, "Throttles", "Sum", 25),
        noise=JSON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=9),
            ramp_minutes=2,
            load={"worker_share": 3.2, "queue_visible": 5200, "queue_age_s": 780},
            log_lines=(
                LogLine(
                    "app", _json("INFO", "bulk import accepted", logger="booking.partners", rows=18000), 0.2
                ),
            ),
        ),
    )


def _thumbnailer_oom() -> Scenario:
    names = SHOP
    return Scenario(
        name="thumbnailer-large-images-oom",
        expected="lambda_memory_exhaustion",
        summary="Phone panoramas decode to more than the thumbnailer's 256 MB; the runtime is killed.",
        names=names,
        alarm=_worker_alarm(names, "Errors", "Sum", 3),
        noise=PYTHON_NOISE,
        load=Load(worker_memory_mb=170),
        fault=Fault(
            starts=timedelta(minutes=10),
            load={"worker_oom_share": 0.3, "worker_memory_mb": 240},
            log_lines=(
                LogLine("worker", "[ERROR] MemoryError: cannot allocate 186MB for image {n}.heic", 0.5),
            ),
        ),
    )


def _renderer_heap() -> Scenario:
    names = BILLING
    return Scenario(
        name="invoice-renderer-heap-exhausted",
        expected="lambda_memory_exhaustion",
        summary="Year-end invoices with thousands of lines exhaust the Node renderer's 512 MB (JSON logs).",
        names=names,
        worker=Worker(runtime="nodejs20.x", memory_mb=512, timeout_s=60, json_logs=True),
        load=Load(worker_ms=2200, worker_memory_mb=310),
        alarm=_worker_alarm(names, "Errors", "Sum", 4),
        noise=JAVA_NOISE,
        fault=Fault(
            starts=timedelta(minutes=13),
            load={"worker_oom_share": 0.25, "worker_memory_mb": 505},
            log_lines=(
                LogLine("worker", _json("ERROR", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap "
                                        "out of memory", logger="runtime"), 0.6),
            ),
        ),
    )  # fmt: skip


# --- queues ---------------------------------------------------------------------------------------------


def _dead_letter_alarm(names: Names) -> AlarmSpec:
    return _alarm(names, "dlq-depth", ("AWS/SQS", "ApproximateNumberOfMessagesVisible",
                  {"QueueName": "{dead_letter_queue}"}), "Maximum", 0, period=300, evaluation_periods=1,
                  tags={"analyzer:log-groups": names.worker_log_group, "analyzer:service": names.worker})  # fmt: skip


def _dead_letters_schema() -> Scenario:
    names = ALERTS
    return Scenario(
        name="push-jobs-dead-lettered-schema",
        expected="async_processing_failure",
        summary="A producer started omitting device_token; every push job fails validation and ends in the DLQ.",
        names=names,
        alarm=_dead_letter_alarm(names),
        noise=NODE_NOISE,
        peek_dead_letters=True,
        dead_letters=(
            DeadLetter('{"job_id": "{id}", "user_id": {n}, "template": "order_shipped", '
                       '"error": "ValidationError: \'device_token\' is a required property"}'),
        ),
        fault=Fault(
            starts=timedelta(minutes=20),
            load={"worker_error_share": 0.35, "dead_letters_per_minute": 1.5},
            log_lines=(LogLine("worker", "ERROR\tValidationError: 'device_token' is a required property "
                               "(schema push-job v3, path $.device_token)", 4),),
        ),
    )  # fmt: skip


def _dead_letters_transient() -> Scenario:
    names = BOOKING
    return Scenario(
        name="confirmation-jobs-dead-lettered-throttling",
        expected="async_processing_failure",
        summary="The email provider throttles; confirmation events exhaust their retries into the DLQ.",
        names=names,
        alarm=_dead_letter_alarm(names),
        noise=JSON_NOISE,
        worker=Worker(json_logs=True),
        peek_dead_letters=True,
        dead_letters=(
            DeadLetter('{"booking_id": "B-{n}", "template": "confirmation"}',
                       error="ThrottlingException: Maximum sending rate exceeded (SES SendEmail)"),
            DeadLetter('{"booking_id": "B-{n}", "template": "confirmation"}',
                       error="Task timed out after 30.02 seconds"),
        ),
        fault=Fault(
            starts=timedelta(minutes=16),
            load={"worker_error_share": 0.2, "dead_letters_per_minute": 2.2},
            log_lines=(LogLine("worker", _json("ERROR", "SES SendEmail failed: ThrottlingException: Maximum sending "
                                               "rate exceeded", logger="mailer"), 3),),
        ),
    )  # fmt: skip


# --- targets and health checks --------------------------------------------------------------------------

TIMEOUT = TargetFailure("Target.Timeout", "Request timed out")


def _codes(*codes: int) -> TargetFailure:
    listed = ", ".join(str(c) for c in codes)
    return TargetFailure("Target.ResponseCodeMismatch", f"Health checks failed with these codes: [{listed}]")


def _tasks_out_of_memory() -> Scenario:
    names = BILLING
    return Scenario(
        name="billing-tasks-crash-out-of-memory",
        expected="unhealthy_targets",
        summary="The billing tasks run out of heap in both zones, stop answering health checks and restart.",
        names=names,
        alarm=_targets_alarm(names),
        noise=JAVA_NOISE,
        fault=Fault(
            starts=timedelta(minutes=9),
            targets=TIMEOUT,
            load={"ecs_memory": 99, "elb_error_share": 0.3, "fault_share": 0.05},
            log_lines=(
                LogLine("app", "ERROR o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() threw exception\n"
                        "java.lang.OutOfMemoryError: Java heap space\n"
                        "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)", 3),
                LogLine("app", "WARN  o.s.b.a.h.HealthEndpointSupport - Health check took 6123 ms, exceeding 5000 ms", 2),
            ),
        ),
    )  # fmt: skip


def _gunicorn_502() -> Scenario:
    names = SHOP
    return Scenario(
        name="gunicorn-workers-crash-502",
        expected="unhealthy_targets",
        summary="Gunicorn workers time out and die in every task; the health check gets 502 from the proxy.",
        names=names,
        alarm=_targets_alarm(names, "UnHealthyHostCount"),
        noise=PYTHON_NOISE,
        deployments=(Deployment("ecs", timedelta(hours=5, minutes=20), "fix: typo in footer"),),
        fault=Fault(
            starts=timedelta(minutes=7),
            targets=_codes(502),
            load={"elb_error_share": 0.18, "fault_share": 0.08, "ecs_cpu": 71},
            log_lines=(
                LogLine("app", "[CRITICAL] WORKER TIMEOUT (pid:{n})", 3),
                LogLine("app", "[ERROR] Worker (pid:{n}) was sent SIGKILL! Perhaps out of memory?", 2),
            ),
        ),
    )


def _health_check_299() -> Scenario:
    names = WORKSHOP
    return Scenario(
        name="health-check-299",
        expected="health_check_misconfiguration",
        summary="The app answers its health check with 299; the target group only accepts 200.",
        names=names,
        alarm=_targets_alarm(names, "UnHealthyHostCount"),
        noise=PYTHON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=12),
            targets=_codes(299),
            log_lines=(
                LogLine("app", 'INFO 10.0.1.{n} "GET /health HTTP/1.1" 299 1ms "ELB-HealthChecker/2.0"', 8),
            ),
        ),
    )


def _health_check_wrong_path() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="health-check-path-renamed-404",
        expected="health_check_misconfiguration",
        summary="The target group's health check path was changed to /healthz, which the app does not serve.",
        names=names,
        health_check=HealthCheckSpec(path="/healthz"),
        alarm=_targets_alarm(names),
        noise=NODE_NOISE,
        calls=(
            ApiCall("elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", timedelta(minutes=14),
                    {"targetGroupArn": "{target_group_arn}",
                     "healthCheckPath": "/healthz"}),
        ),
        fault=Fault(
            starts=timedelta(minutes=12),
            targets=_codes(404),
            log_lines=(LogLine("app", 'info: 10.0.1.{n} "GET /healthz HTTP/1.1" 404 0.4ms "ELB-HealthChecker/2.0"', 8),),
        ),
    )  # fmt: skip


# --- network --------------------------------------------------------------------------------------------

ONE_ZONE = (MISCONFIGURED_ZONE,)


def _lb_subnet_route_table() -> Scenario:
    names = WORKSHOP
    return Scenario(
        name="lb-subnet-route-table",
        expected="network_misconfiguration",
        summary="One ALB subnet is associated with a route table without the internet gateway; its clients time out.",
        names=names,
        alarm=_alarm(names, "alb-requests-low", ("AWS/ApplicationELB", "RequestCount", _LB), "Sum", 80,
                     comparison="LessThanThreshold", evaluation_periods=3),
        noise=PYTHON_NOISE,
        fault=Fault(starts=timedelta(minutes=10), network="lb_subnet_wrong_route_table", zones=ONE_ZONE,
                    load={"requests": 62}),
    )  # fmt: skip


def _nacl_ephemeral() -> Scenario:
    names = replace(WORKSHOP, service="web-api", target_group="web-api-tg")
    return Scenario(
        name="nacl-ephemeral-return",
        expected="network_misconfiguration",
        summary="One app subnet's network ACL lacks the ephemeral-port return rule: its targets time out, 504s.",
        names=names,
        alarm=_alarm(names, "alb-elb-5xx", ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", _LB), "Sum", 5),
        noise=PYTHON_NOISE,
        fault=Fault(starts=timedelta(minutes=11), network="nacl_missing_ephemeral", zones=ONE_ZONE, targets=TIMEOUT,
                    load={"elb_error_share": 0.22}),
    )  # fmt: skip


def _vpc_endpoint_route() -> Scenario:
    names = replace(WORKSHOP, service="items-api", target_group="items-api-tg")
    return Scenario(
        name="vpc-endpoint-route",
        expected="network_misconfiguration",
        summary="One app subnet's route table lacks the DynamoDB gateway endpoint; its tasks' calls time out.",
        names=names,
        alarm=_errors_alarm(names, 5),
        noise=PYTHON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=10),
            network="endpoint_route_missing",
            zones=ONE_ZONE,
            affected_share=0.95,
            dynamodb_timeout_ms=2000,
            load={"fault_share": 0.0},
            log_lines=(
                LogLine("app", "ERROR botocore.exceptions.ConnectTimeoutError: Connect timeout on endpoint URL: "
                        "\"https://dynamodb.us-east-1.amazonaws.com/\"", 5),
            ),
        ),
    )  # fmt: skip


# --- capacity -------------------------------------------------------------------------------------------


def _cpu_pinned_node() -> Scenario:
    names = CATALOG
    return Scenario(
        name="catalog-tasks-cpu-pinned",
        expected="compute_saturation",
        summary="The catalog tasks' CPU sits at its limit with ordinary traffic; the event loop lags.",
        names=names,
        alarm=_ecs_alarm(names, 90),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=14),
            load={"ecs_cpu": 97, "code_ms": 480},
            log_lines=(LogLine("app", "warn: event loop delay p99 {n}ms exceeds 200ms", 1.5),),
        ),
    )


def _cpu_saturated_java() -> Scenario:
    names = LEDGER
    return Scenario(
        name="ledger-tasks-cpu-saturated",
        expected="compute_saturation",
        summary="The ledger service's JVMs burn their CPU on garbage collection; latency follows.",
        names=names,
        alarm=_ecs_alarm(names, 90),
        noise=JAVA_NOISE,
        load=Load(requests=75, ecs_cpu=45, ecs_memory=70),
        fault=Fault(
            starts=timedelta(minutes=17),
            load={"ecs_cpu": 94, "ecs_memory": 88, "code_ms": 900},
            log_lines=(LogLine("app", "[gc,cpu] GC(8812) Pause Young (G1 Evacuation Pause) 941M->902M(1024M) 312.551ms "
                               "User=1.21s Sys=0.02s Real=0.31s", 3),),
        ),
    )  # fmt: skip


def _flash_sale() -> Scenario:
    names = SHOP
    return Scenario(
        name="flash-sale-traffic",
        expected="traffic_surge",
        summary="A flash sale brings three and a half times the usual requests; the service slows and sheds some.",
        names=names,
        alarm=_alarm(names, "alb-requests-high", ("AWS/ApplicationELB", "RequestCount", _LB), "Sum", 300),
        noise=PYTHON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=10),
            ramp_minutes=4,
            load={
                "requests": 420,
                "code_ms": 160,
                "sql_ms": 48,
                "ecs_cpu": 82,
                "db_connections": 30,
                "db_cpu": 44,
                "fault_share": 0.015,
            },
            log_lines=(LogLine("app", "WARNING gunicorn: backlog of {n} requests waiting for a worker", 1),),
        ),
    )


def _crawler_surge() -> Scenario:
    names = CATALOG
    return Scenario(
        name="crawler-traffic-surge",
        expected="traffic_surge",
        summary="An aggressive crawler quadruples the catalog's requests; 5xx and latency rise.",
        names=names,
        alarm=_errors_alarm(names, 8),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=8),
            load={"requests": 500, "code_ms": 120, "ecs_cpu": 78, "fault_share": 0.03, "client_error_share": 0.08},
            log_lines=(LogLine("app", 'info: 198.51.100.{n} "GET /products/{n}?page={n}" 200 "Mozilla/5.0 (compatible; '
                               'DataForSeoBot/1.0)"', 6),),
        ),
    )  # fmt: skip


# --- the alarm itself and no clear cause ------------------------------------------------------------------


def _misconfigured_alarm(names: Names) -> Scenario:
    return Scenario(
        name="misconfigured-alarm",
        expected="alarm_misconfiguration",
        summary="A HealthyHostCount alarm names its target group without the targetgroup/<name>/<id> form.",
        names=names,
        alarm=AlarmSpec(
            name=f"{names.service}-healthy-hosts",
            namespace="AWS/ApplicationELB",
            metric="HealthyHostCount",
            dimensions={"TargetGroup": "{target_group_name}", "LoadBalancer": "{load_balancer}"},
            statistic="Minimum",
            period=60,
            evaluation_periods=2,
            threshold=1,
            comparison="LessThanThreshold",
            treat_missing_data="breaching",
            description=f"No healthy {names.service} task. Runbook: {RUNBOOK.format(service=names.service)}",
            tags={"analyzer:log-groups": names.app_log_group, "analyzer:service": names.service},
        ),
    )


def _threshold_in_normal_range() -> Scenario:
    names = BOOKING
    return Scenario(
        name="latency-threshold-below-normal",
        expected="alarm_misconfiguration",
        summary="A latency alarm's threshold (108 ms) sits inside the healthy service's normal range; it flaps.",
        names=names,
        alarm=_alarm(names, "latency-strict", ("AWS/ApplicationELB", "TargetResponseTime", _TG), "Average", 0.108,
                     evaluation_periods=1),
        noise=JSON_NOISE,
        flapping=14,
    )  # fmt: skip


def _healthy_noise(names: Names) -> Scenario:
    return Scenario(
        name="healthy-noise",
        expected="inconclusive",
        summary="A one-minute blip of a few 5xx over the usual background errors; nothing is broken.",
        names=names,
        load=Load(fault_share=0.01),
        alarm=_errors_alarm(names, 5, _LB),
        # One bad minute: the last complete one, which the alarm just evaluated.
        fault=Fault(
            starts=timedelta(minutes=1),
            lasts=timedelta(minutes=1),
            ramp_minutes=1,
            load={"fault_share": 0.07},
        ),
    )


def _mixed_weak_signals() -> Scenario:
    names = MEDIA
    return Scenario(
        name="mixed-weak-latency-signals",
        expected="inconclusive",
        summary="Latency rose a little everywhere at once: a bit more SQL, remote and code time, no errors, no logs.",
        names=names,
        alarm=_latency_alarm(names, 0.135),
        noise=PYTHON_NOISE,
        fault=Fault(
            starts=timedelta(minutes=9),
            # Equal small shares: no contributor dominates the slowdown.
            sql_extra_ms=26,
            remote_extra_ms=26,
            code_extra_ms=26,
            affected_share=0.6,
            load={"db_cpu": 24, "requests": 132},
        ),
    )


def _release_after_blip() -> Scenario:
    names = ALERTS
    return Scenario(
        name="release-after-brief-5xx-blip",
        expected="inconclusive",
        summary="A short burst of 5xx began before a routine release went out; the release came after it.",
        names=names,
        load=Load(fault_share=0.008),
        alarm=_errors_alarm(names, 6, _LB),
        noise=NODE_NOISE,
        deployments=(Deployment("ecs", timedelta(minutes=2), "docs: update README"),),
        fault=Fault(
            starts=timedelta(minutes=4),
            lasts=timedelta(minutes=4),
            ramp_minutes=1,
            load={"fault_share": 0.07},
        ),
    )


DEMO_SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        _db_connection_pool(Names()),
        _rds_memory(Names()),
        _misconfigured_alarm(Names()),
        _slow_external(Names()),
        _slow_logic(Names()),
        _healthy_noise(Names()),
    )
}
DEFAULT_SCENARIO = "db-connection-pool"

# The library: one or more scenarios per category, near misses and noise. The dead-letter scenarios
# (dead_letters.py) add one per kind of dead-letter relationship, the causal chains (chains.py) one per
# edge of the causal model; SCENARIOS (catalog.py) holds them all.
LIBRARY: dict[str, Scenario] = {
    **DEMO_SCENARIOS,
    **{
        s.name: s
        for s in (
            _hikari_too_many_connections(),
            _pool_exhaustion_after_old_release(),
            _rds_cpu_checkpoints(),
            _slow_query_postgres(),
            _slow_query_mysql(),
            _slow_payment_gateway(),
            _slow_facets(),
            _null_pointer_java(),
            _key_error_json(),
            _release_type_error(),
            _lambda_canary(),
            _flag_flip(),
            _transcoder_timeouts(),
            _indexer_timeouts_json(),
            _throttled_mailer(),
            _throttled_confirmations(),
            _thumbnailer_oom(),
            _renderer_heap(),
            _dead_letters_schema(),
            _dead_letters_transient(),
            _tasks_out_of_memory(),
            _gunicorn_502(),
            _health_check_299(),
            _health_check_wrong_path(),
            _lb_subnet_route_table(),
            _nacl_ephemeral(),
            _vpc_endpoint_route(),
            _cpu_pinned_node(),
            _cpu_saturated_java(),
            _flash_sale(),
            _crawler_surge(),
            _threshold_in_normal_range(),
            _mixed_weak_signals(),
            _release_after_blip(),
        )
    },
}


def __getattr__(name: str) -> dict[str, Scenario]:
    """``SCENARIOS``, every scenario (``catalog.py``), for the callers that import it from here: looked up
    on first use, since the other modules of scenarios build on this one and cannot be imported while it loads."""
    if name == "SCENARIOS":
        from .catalog import SCENARIOS  # noqa: PLC0415 - see above

        return SCENARIOS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
