"""Causal chains: one seeded incident per edge of the causal model (``rules/tables.py``, ``explains``).

In each, the symptom has the stronger evidence of its own (a loud, well-evidenced effect) and the cause
the quieter, earlier one: a traffic surge that makes every article render slower, a release whose only
trace is that the latency followed it, a dependency that hangs until the function calling it times
out. A good analysis still names the cause and chains it to the symptom. The incidents vary names,
stacks, log wording, values and noise like the library does, and are built from its parts.
"""

from __future__ import annotations

from datetime import timedelta

from .scenarios import (
    _TG,
    JAVA_NOISE,
    JSON_NOISE,
    NODE_NOISE,
    ONE_ZONE,
    PYTHON_NOISE,
    TIMEOUT,
    Scenario,
    _alarm,
    _errors_alarm,
    _json,
    _latency_alarm,
    _tags,
    _targets_alarm,
    _worker_alarm,
)
from .world import MB, AlarmSpec, ApiCall, Deployment, Fault, Load, LogLine, Names, TargetFailure, Worker


def _calling_alarm(names: Names, metric: str, statistic: str, threshold: float) -> AlarmSpec:
    """An alarm on the service in front of a function it calls, tagged with the service's own log group
    (the function's is found through the traces)."""
    watched = ("AWS/ApplicationELB", metric, _TG)
    return _alarm(
        names, metric.lower(), watched, statistic, threshold, tags=_tags(names, names.app_log_group)
    )


# --- a traffic surge and what it strains -----------------------------------------------------------

SCORES = Names(
    service="scores-api", load_balancer="scores-edge", target_group="scores-api-tg", database="scores-db",
    db_name="scores", worker="scores-notifier", remote_host="api.sportsfeed.example.com",
    slow_code="merge_live_scores", cluster="sports-prod", table="scores-cache", path="/matches/{n}/live",
)  # fmt: skip
NEWSROOM = Names(
    service="article-api", load_balancer="newsroom-web", target_group="article-api-tg", database="news-db",
    db_name="news", worker="news-push", remote_host="api.wire-feeds.example.com", slow_code="render_article",
    cluster="newsroom", table="news-sessions", path="/articles/{n}",
)  # fmt: skip
TICKETS = Names(
    service="tickets-api", load_balancer="tickets-web", target_group="tickets-api-tg", database="tickets-db",
    db_name="tickets", worker="ticket-pdf-renderer", remote_host="api.seatmaps.example.net",
    slow_code="reserve_seats", cluster="ticketing", table="ticket-holds", path="/events/{n}/tickets",
    worker_dependency="fonts.pdf-assets.example.net",
)  # fmt: skip
QUOTES = Names(
    service="quotes-api", load_balancer="quotes-web", target_group="quotes-api-tg", database="quotes-pg",
    db_name="quotes", db_class="db.r6g.large", worker="quote-mailer", remote_host="api.vehicle-data.example.com",
    slow_code="price_policy", cluster="insurance", table="quote-drafts", path="/quotes/{n}",
)  # fmt: skip
STOREFRONT = Names(
    service="storefront-api", load_balancer="storefront-web", target_group="storefront-api-tg",
    database="storefront-mysql", db_name="storefront", db_engine="mysql", db_log="error", worker="order-exporter",
    remote_host="api.stock-feed.example.org", slow_code="CartService.price", cluster="retail",
    table="storefront-carts", path="/carts/{n}",
)  # fmt: skip


def _push_campaign() -> Scenario:
    names = SCORES
    return Scenario(
        name="push-campaign-saturates-cpu",
        expected="traffic_surge",
        chain=("traffic_surge", "compute_saturation"),
        summary="A kick-off push notification brings 2.4 times the usual requests to tasks already at two thirds "
        "of their CPU; it pins at 97% and live scores lag.",
        names=names,
        alarm=_latency_alarm(names, 0.25),
        noise=NODE_NOISE,
        load=Load(requests=140, code_ms=30, ecs_cpu=64),
        fault=Fault(
            starts=timedelta(minutes=13),
            load={"requests": 340, "ecs_cpu": 97, "code_ms": 260, "db_cpu": 31},
            log_lines=(LogLine("app", "warn: event loop lag {n}ms while merging live scores", 1.2),),
        ),
    )


def _breaking_news() -> Scenario:
    names = NEWSROOM
    return Scenario(
        name="breaking-news-slows-rendering",
        expected="traffic_surge",
        chain=("traffic_surge", "application_code_latency"),
        summary="A breaking story brings five times the usual readers; every article renders slower under the load.",
        names=names,
        alarm=_latency_alarm(names, 0.6),
        noise=PYTHON_NOISE,
        load=Load(requests=150, code_ms=40, ecs_cpu=30),
        fault=Fault(
            starts=timedelta(minutes=12),
            ramp_minutes=4,
            code_extra_ms=700,
            affected_share=0.9,
            load={"requests": 760, "ecs_cpu": 68, "code_ms": 55},
        ),
    )


def _ticket_drop() -> Scenario:
    names = TICKETS
    return Scenario(
        name="ticket-drop-throttles-pdf-function",
        expected="traffic_surge",
        chain=("traffic_surge", "lambda_throttling"),
        summary="A concert's ticket sale opens: 2.6 times the requests; the PDF function it calls hits its reserve of 6.",
        names=names,
        alarm=_calling_alarm(names, "HTTPCode_Target_5XX_Count", "Sum", 10),
        noise=NODE_NOISE,
        worker=Worker(runtime="nodejs20.x", timeout_s=10, memory_mb=1024, reserved_concurrency=6, synchronous=True),
        load=Load(requests=100, worker_share=0.4, worker_ms=2500),
        fault=Fault(
            starts=timedelta(minutes=11),
            ramp_minutes=2,
            load={"requests": 260, "ecs_cpu": 47},
            log_lines=(
                LogLine("app", "error: TooManyRequestsException: Rate Exceeded.\n    at de_TooManyRequestsExceptionRes "
                        "(/app/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:2510:21)", 4),
            ),
        ),
    )  # fmt: skip


def _tv_spot() -> Scenario:
    names = QUOTES
    return Scenario(
        name="tv-spot-strains-database",
        expected="traffic_surge",
        chain=("traffic_surge", "database_resource_pressure"),
        summary="A television spot brings 2.6 times the usual quote requests; the database's CPU runs at 93%.",
        names=names,
        alarm=_latency_alarm(names, 0.5),
        noise=JSON_NOISE,
        load=Load(requests=110, sql_ms=25, db_cpu=24),
        fault=Fault(
            starts=timedelta(minutes=15),
            ramp_minutes=3,
            sql_extra_ms=650,
            affected_share=0.8,
            load={"requests": 290, "db_cpu": 93, "db_read_latency": 0.009, "ecs_cpu": 58},
            log_lines=(
                LogLine("db", 'LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{n}.0", size {n}2880', 2),
            ),
        ),
    )


def _black_friday() -> Scenario:
    names = STOREFRONT
    return Scenario(
        name="black-friday-drains-connection-pools",
        expected="traffic_surge",
        chain=("traffic_surge", "database_connection_exhaustion"),
        summary="Black Friday opens with 3.2 times the usual carts; every task's HikariCP pool of 20 runs dry.",
        names=names,
        alarm=_latency_alarm(names, 1.0),
        noise=JAVA_NOISE,
        load=Load(requests=130, sql_ms=18, db_connections=34),
        fault=Fault(
            starts=timedelta(minutes=10),
            ramp_minutes=3,
            sql_extra_ms=1800,
            affected_share=0.6,
            load={"requests": 420, "db_connections": 80, "db_cpu": 45, "ecs_cpu": 55},
            log_lines=(
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Connection is not available, request timed out "
                        "after 30000ms (total=20, active=20, idle=0, waiting={n})\n"
                        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n"
                        "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)", 5),
            ),
        ),
    )  # fmt: skip


# --- a release and what it brought ------------------------------------------------------------------

INVENTORY = Names(
    service="inventory-api", load_balancer="warehouse-web", target_group="inventory-api-tg",
    database="inventory-mysql", db_name="inventory", db_engine="mysql", db_log="error", worker="stock-sync",
    remote_host="api.carrier-rates.example.com", slow_code="ReservationService.reserve", cluster="warehouse",
    table="inventory-locks", path="/skus/{n}/reservations",
)  # fmt: skip
CRM = Names(
    service="crm-api", load_balancer="crm-web", target_group="crm-api-tg", database="crm-pg", db_name="crm",
    worker="crm-digest", remote_host="api.enrichment.example.io", slow_code="build_timeline", cluster="crm",
    table="crm-sessions", path="/customers/{n}/activity",
)  # fmt: skip
LISTINGS = Names(
    service="listings-api", load_balancer="listings-web", target_group="listings-api-tg", database="listings-db",
    db_name="listings", worker="listing-photo-resizer", remote_host="api.geo-lookup.example.com",
    slow_code="rank_listings", cluster="realestate", table="listing-drafts", path="/listings/{n}",
)  # fmt: skip
EXPORTS = Names(
    service="reports-api", load_balancer="reports-web", target_group="reports-api-tg", database="reports-db",
    db_name="reports", worker="csv-exporter", remote_host="api.fx.example.org", slow_code="assemble_report",
    cluster="analytics", table="report-jobs", path="/reports/{n}",
)  # fmt: skip
CLAIMS = Names(
    service="claims-api", load_balancer="claims-web", target_group="claims-api-tg", database="claims-pg",
    db_name="claims", worker="claims-archiver", remote_host="api.body-shops.example.com",
    slow_code="ClaimService.renderSummaryPdf", cluster="insurance-claims", table="claims-locks", path="/claims/{n}",
)  # fmt: skip
PAYOUTS = Names(
    service="payouts-api", load_balancer="payouts-web", target_group="payouts-api-tg", database="payouts-db",
    db_name="payouts", worker="payout-notifier", remote_host="api.bank-gateway.example.com",
    slow_code="schedulePayout", cluster="payments", table="payout-idempotency", path="/payouts/{n}",
)  # fmt: skip
LOYALTY = Names(
    service="loyalty-api", load_balancer="loyalty-web", target_group="loyalty-api-tg", database="loyalty-pg",
    db_name="loyalty", worker="points-expirer", remote_host="api.partner-miles.example.com",
    slow_code="accruePoints", cluster="loyalty", table="loyalty-sessions", path="/members/{n}/points",
)  # fmt: skip

OPTIMISTIC_LOCK = (
    "ERROR c.e.i.ReservationController - Request processing failed\n"
    "org.springframework.orm.ObjectOptimisticLockingFailureException: Row was updated or deleted by another "
    "transaction (or unsaved-value mapping was incorrect) : [com.example.inventory.StockLevel#{n}]\n"
    "\tat com.example.inventory.ReservationService.reserve(ReservationService.java:74)"
)


def _retry_removed() -> Scenario:
    names = INVENTORY
    return Scenario(
        name="release-drops-retry-lock-conflicts",
        expected="deployment_regression",
        chain=("deployment_regression", "application_error"),
        summary="A release removed the retry around stock reservations; when the hourly stock sync starts, a "
        "lock conflict seen a few times an hour fails one request in ten.",
        names=names,
        alarm=_errors_alarm(names, 8),
        noise=(*JAVA_NOISE, LogLine("app", OPTIMISTIC_LOCK, 0.1)),
        deployments=(Deployment("ecs", timedelta(minutes=42), "refactor: drop retry around stock reservation (#2291)"),),
        fault=Fault(
            starts=timedelta(minutes=9),
            ramp_minutes=2,
            load={"fault_share": 0.1},
            log_lines=(
                LogLine("app", OPTIMISTIC_LOCK, 9),
                LogLine("app", "INFO  c.e.i.StockSyncJob - stock sync batch {n}/48 committed", 2),
            ),
        ),
    )  # fmt: skip


def _timeline_query() -> Scenario:
    names = CRM
    return Scenario(
        name="release-adds-unindexed-timeline-query",
        expected="deployment_regression",
        chain=("deployment_regression", "slow_database_query"),
        summary="A release's new activity timeline filters a large table on an unindexed column: 2.7 s a query.",
        names=names,
        alarm=_latency_alarm(names, 0.8),
        noise=PYTHON_NOISE,
        deployments=(Deployment("ecs", timedelta(minutes=16), "feat: customer activity timeline (#3377)"),),
        fault=Fault(
            starts=timedelta(minutes=11),
            sql_extra_ms=2600,
            affected_share=0.35,
            log_lines=(
                LogLine("db", "LOG:  duration: 2712.448 ms  execute <unnamed>: SELECT a.* FROM activities a WHERE "
                        "a.customer_id = $1 AND a.kind = ANY($2) ORDER BY a.occurred_at DESC LIMIT 100", 3),
            ),
        ),
    )  # fmt: skip


def _resizer_leak() -> Scenario:
    names = LISTINGS
    return Scenario(
        name="canary-leaks-memory-until-oom",
        expected="deployment_regression",
        chain=("deployment_regression", "lambda_memory_exhaustion"),
        summary="A canary of the photo resizer keeps decoded images between invocations; its memory grows to the "
        "512 MB limit and the runtime is killed (JSON log format).",
        names=names,
        worker=Worker(runtime="python3.12", memory_mb=512, timeout_s=30, json_logs=True),
        load=Load(worker_share=0.3, worker_ms=850, worker_memory_mb=210),
        alarm=_worker_alarm(names, "Errors", "Sum", 2),
        noise=PYTHON_NOISE,
        deployments=(Deployment("lambda_canary", timedelta(minutes=22), "resize: cache decoded images"),),
        fault=Fault(
            starts=timedelta(minutes=15),
            ramp_minutes=8,
            load={"worker_oom_share": 0.1, "worker_memory_mb": 505},
        ),
    )


def _timeout_lowered() -> Scenario:
    names = EXPORTS
    return Scenario(
        name="config-change-lowers-function-timeout",
        expected="deployment_regression",
        chain=("deployment_regression", "lambda_timeout"),
        summary="A Terraform apply meant for staging set the CSV exporter's timeout to 6 s; long exports now time "
        "out (JSON log format).",
        names=names,
        worker=Worker(runtime="nodejs20.x", timeout_s=6, memory_mb=1024, json_logs=True),
        load=Load(worker_share=0.1, worker_ms=2400, worker_memory_mb=300),
        alarm=_worker_alarm(names, "Errors", "Sum", 2),
        noise=NODE_NOISE,
        calls=(
            ApiCall("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", timedelta(minutes=15),
                    {"functionName": "{worker}", "timeout": 6},
                    "arn:aws:sts::123456789012:assumed-role/terraform-apply/ci-run-88412"),
        ),
        fault=Fault(starts=timedelta(minutes=14), ramp_minutes=1, load={"worker_timeout_share": 0.3}),
    )  # fmt: skip


def _pdf_in_request() -> Scenario:
    names = CLAIMS
    return Scenario(
        name="release-renders-pdf-in-request",
        expected="deployment_regression",
        chain=("deployment_regression", "application_code_latency"),
        summary="A release renders each claim's PDF summary inside the request; responses take two seconds more.",
        names=names,
        alarm=_latency_alarm(names, 1.0),
        noise=JAVA_NOISE,
        load=Load(requests=80, ecs_cpu=31),
        deployments=(Deployment("ecs", timedelta(minutes=14), "feat: attach PDF summary to claim response (#918)"),),
        fault=Fault(starts=timedelta(minutes=10), code_extra_ms=1900, affected_share=0.6, load={"ecs_cpu": 52}),
    )  # fmt: skip


def _wrong_port() -> Scenario:
    names = PAYOUTS
    return Scenario(
        name="release-listens-on-another-port",
        expected="deployment_regression",
        chain=("deployment_regression", "unhealthy_targets"),
        summary="A release reads its port from a new variable and listens on 3000; the targets on 8080 fail "
        "their health checks.",
        names=names,
        alarm=_targets_alarm(names),
        noise=NODE_NOISE,
        deployments=(Deployment("ecs", timedelta(minutes=9), "chore: read port from APP_PORT (#1502)"),),
        fault=Fault(
            starts=timedelta(minutes=7),
            ramp_minutes=1,
            targets=TargetFailure("Target.FailedHealthChecks", "Health checks failed"),
            load={"elb_error_share": 0.35},
            log_lines=(LogLine("app", "info: payouts-api listening on http://0.0.0.0:3000", 0.3),),
        ),
    )


def _pool_raised() -> Scenario:
    names = LOYALTY
    return Scenario(
        name="release-raises-pool-past-max-connections",
        expected="deployment_regression",
        chain=("deployment_regression", "database_connection_exhaustion"),
        summary="A release raised the node-postgres pool to 50 per task; four tasks ask for more connections than "
        "the database allows.",
        names=names,
        alarm=_latency_alarm(names, 1.2),
        noise=NODE_NOISE,
        deployments=(Deployment("ecs", timedelta(minutes=12), "perf: raise pg pool max to 50 (#812)"),),
        fault=Fault(
            starts=timedelta(minutes=9),
            sql_extra_ms=2200,
            affected_share=0.6,
            load={"db_connections": 100, "db_cpu": 33},
            log_lines=(
                LogLine("app", "error: error: sorry, too many clients already\n    at Parser.parseErrorMessage "
                        "(/app/node_modules/pg-protocol/dist/parser.js:283:98)", 5),
                LogLine("db", "FATAL:  sorry, too many clients already", 3),
            ),
        ),
    )  # fmt: skip


# --- a slow query and what it holds up -------------------------------------------------------------

MARKETPLACE = Names(
    service="marketplace-api", load_balancer="marketplace-web", target_group="marketplace-api-tg",
    database="marketplace-pg", db_name="marketplace", db_class="db.r6g.large", worker="seller-payouts",
    remote_host="api.shipping-labels.example.com", slow_code="search_offers", cluster="marketplace",
    table="marketplace-carts", path="/offers/{n}",
)  # fmt: skip
FULFILMENT = Names(
    service="fulfilment-service", load_balancer="fulfilment-internal", target_group="fulfilment-svc-tg",
    database="fulfilment-pg", db_name="fulfilment", worker="label-printer", remote_host="api.couriers.example.net", slow_code="PickListService.build",
    cluster="logistics", table="fulfilment-locks", path="/warehouses/{n}/pick-lists",
)  # fmt: skip


def _dashboard_query() -> Scenario:
    names = MARKETPLACE
    alarm = _alarm(names, "db-cpu", ("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "{database}"}), "Average",
                   80, evaluation_periods=3, tags={"analyzer:service": names.service,
                                                   "analyzer:log-groups": names.db_log_group})  # fmt: skip
    return Scenario(
        name="dashboard-query-burns-database-cpu",
        expected="slow_database_query",
        chain=("slow_database_query", "database_resource_pressure"),
        summary="A new BI dashboard refreshes a sales aggregate every minute: sorts spill to disk and the "
        "database's CPU goes from 20% to 87%.",
        names=names,
        alarm=alarm,
        noise=JSON_NOISE,
        load=Load(db_cpu=20),
        fault=Fault(
            starts=timedelta(minutes=14),
            sql_extra_ms=700,
            affected_share=0.8,
            load={"db_cpu": 87, "db_read_latency": 0.008, "db_memory": 520 * MB},
            log_lines=(
                LogLine("db", "LOG:  duration: 11873.221 ms  statement: SELECT s.seller_id, date_trunc('day', "
                        "o.created_at) AS day, sum(o.total) FROM orders o JOIN sellers s ON s.id = o.seller_id "
                        "GROUP BY 1, 2 ORDER BY 3 DESC", 2),
                LogLine("db", 'LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{n}.3", size 734003200', 2),
            ),
        ),
    )  # fmt: skip


def _plan_flip() -> Scenario:
    names = FULFILMENT
    return Scenario(
        name="plan-flip-full-scan-drains-pool",
        expected="slow_database_query",
        chain=("slow_database_query", "database_connection_exhaustion"),
        summary="After the nightly ANALYZE the pick-list query stops using its index: 4.8 s full scans hold "
        "connections until the HikariCP pools run dry.",
        names=names,
        alarm=_latency_alarm(names, 2.0),
        noise=JAVA_NOISE,
        load=Load(requests=70, db_connections=30, sql_ms=14),
        fault=Fault(
            starts=timedelta(minutes=12),
            sql_extra_ms=4800,
            affected_share=0.5,
            load={"db_connections": 80, "db_cpu": 41},
            log_lines=(
                LogLine("db", "LOG:  duration: 4812.204 ms  execute S_3: SELECT * FROM pick_items WHERE warehouse_id "
                        "= $1 AND status = $2 ORDER BY priority LIMIT 200\nDETAIL:  parameters: $1 = '{n}', $2 = 'OPEN'", 3),
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Connection is not available, request timed "
                        "out after 10000ms (total=20, active=20, idle=0, waiting={n})", 4),
            ),
        ),
    )  # fmt: skip


# --- a slow dependency and the function waiting on it ----------------------------------------------

GEO = Names(
    service="delivery-api", load_balancer="delivery-web", target_group="delivery-api-tg", database="delivery-db",
    db_name="delivery", worker="geocode-address", remote_host="api.maps-tiles.example.com",
    slow_code="plan_route", cluster="delivery", table="delivery-slots", path="/deliveries/{n}",
    worker_dependency="api.geocoder.example.com",
)  # fmt: skip
TAXES = Names(
    service="checkout-service", load_balancer="checkout-web", target_group="checkout-svc-tg",
    database="checkout-pg", db_name="checkout", worker="tax-quote", remote_host="api.fraud-score.example.com",
    slow_code="assemble_order", cluster="commerce", table="checkout-sessions", path="/orders/{n}/confirm",
    worker_dependency="api.taxrates.example.org",
)  # fmt: skip


def _geocoder_slow() -> Scenario:
    names = GEO
    return Scenario(
        name="slow-geocoder-throttles-function",
        expected="downstream_dependency_latency",
        chain=("downstream_dependency_latency", "lambda_throttling"),
        summary="The geocoding provider slows from 120 ms to 1.6 s; the function calling it holds its reserve "
        "of 10 and further calls are throttled.",
        names=names,
        alarm=_worker_alarm(names, "Throttles", "Sum", 10),
        noise=PYTHON_NOISE,
        worker=Worker(runtime="python3.12", timeout_s=10, reserved_concurrency=10, synchronous=True),
        load=Load(requests=260, worker_share=0.8, worker_ms=90, worker_remote_ms=120),
        fault=Fault(starts=timedelta(minutes=11), ramp_minutes=2, load={"worker_remote_ms": 1600}),
    )


def _tax_provider_hangs() -> Scenario:
    names = TAXES
    return Scenario(
        name="hanging-tax-api-times-out-function",
        expected="downstream_dependency_latency",
        chain=("downstream_dependency_latency", "lambda_timeout"),
        summary="The tax provider stops answering; the function calling it has no client timeout and runs into "
        "its own 8 s timeout.",
        names=names,
        alarm=_worker_alarm(names, "Errors", "Sum", 5),
        noise=JSON_NOISE,
        worker=Worker(runtime="python3.12", timeout_s=8, synchronous=True),
        load=Load(requests=90, worker_share=0.5, worker_ms=60, worker_remote_ms=180),
        fault=Fault(
            starts=timedelta(minutes=10),
            ramp_minutes=2,
            load={"worker_remote_ms": 30000, "worker_timeout_share": 0.6},
            log_lines=(
                LogLine("app", _json("ERROR", "tax quote failed", logger="checkout.tax",
                                     error="Task timed out after 8.01 seconds"), 3),
            ),
        ),
    )  # fmt: skip


# --- a network misconfiguration and what it cuts off ----------------------------------------------

WISHLIST = Names(
    service="wishlist-api", load_balancer="wishlist-web", target_group="wishlist-api-tg", database="wishlist-db",
    db_name="wishlist", worker="wishlist-digest", remote_host="api.price-watch.example.com",
    slow_code="mergeLists", cluster="wishlist", table="wishlist-items", path="/wishlists/{n}",
)  # fmt: skip
INTRANET = Names(
    service="intranet-api", load_balancer="intranet-alb", target_group="intranet-api-tg", database="intranet-db",
    db_name="intranet", worker="intranet-indexer", remote_host="api.directory.example.com",
    slow_code="render_dashboard", cluster="corp-it", table="intranet-sessions", path="/pages/{n}",
)  # fmt: skip


def _acl_cuts_zone() -> Scenario:
    names = INTRANET
    return Scenario(
        name="acl-cuts-zone-targets-unhealthy",
        expected="network_misconfiguration",
        chain=("network_misconfiguration", "unhealthy_targets"),
        summary="A replaced network ACL on one app subnet drops the load balancer's return traffic; that zone's "
        "targets fail their health checks.",
        names=names,
        alarm=_targets_alarm(names, "UnHealthyHostCount"),
        noise=PYTHON_NOISE,
        fault=Fault(starts=timedelta(minutes=11), network="nacl_missing_ephemeral", zones=ONE_ZONE, targets=TIMEOUT,
                    load={"elb_error_share": 0.05}),
    )  # fmt: skip


def _endpoint_route_node() -> Scenario:
    names = WISHLIST
    return Scenario(
        name="endpoint-route-missing-node-etimedout",
        expected="network_misconfiguration",
        chain=("network_misconfiguration", "downstream_dependency_latency"),
        summary="One app subnet's new route table lacks the DynamoDB gateway endpoint; the Node SDK's connects "
        "time out (ETIMEDOUT, the log names only an address).",
        names=names,
        alarm=_errors_alarm(names, 5),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=10),
            network="endpoint_route_missing",
            zones=ONE_ZONE,
            affected_share=0.95,
            dynamodb_timeout_ms=2000,
            log_lines=(
                LogLine("app", "error: TimeoutError: connect ETIMEDOUT 3.218.182.{n}:443\n    at TCPConnectWrap."
                        "afterConnect [as oncomplete] (node:net:1607:16)", 5),
            ),
        ),
    )  # fmt: skip


# --- saturated compute and what it slows down ------------------------------------------------------

SEARCH = Names(
    service="search-api", load_balancer="search-web", target_group="search-api-tg", database="search-db",
    db_name="search", worker="search-reindexer", remote_host="api.synonyms.example.com", slow_code="rank_results",
    cluster="search", table="search-cache", path="/search?q={n}",
)  # fmt: skip
RIDES = Names(
    service="rides-api", load_balancer="rides-web", target_group="rides-api-tg", database="rides-db",
    db_name="rides", worker="fare-receipts", remote_host="api.traffic-data.example.com", slow_code="quoteFare",
    cluster="mobility", table="ride-locks", path="/rides/{n}",
)  # fmt: skip


def _sidecar_burns_cpu() -> Scenario:
    names = SEARCH
    return Scenario(
        name="log-router-sidecar-starves-ranking",
        expected="compute_saturation",
        chain=("compute_saturation", "application_code_latency"),
        summary="The tasks' log router loops on failed flushes and takes the CPU; result ranking, the service's "
        "CPU-bound step, slows with ordinary traffic.",
        names=names,
        alarm=_latency_alarm(names, 0.7),
        noise=PYTHON_NOISE,
        load=Load(requests=160, ecs_cpu=41),
        fault=Fault(
            starts=timedelta(minutes=13),
            code_extra_ms=900,
            affected_share=0.85,
            load={"ecs_cpu": 96},
            log_lines=(
                LogLine("app", "[2026/01/01 00:00:00] [ warn] [engine] failed to flush chunk '1-17{n}.flb', retry in "
                        "10 seconds: task_id=3, input=forward.1 > output=cloudwatch_logs.0 (out_id=0)", 6),
            ),
        ),
    )  # fmt: skip


def _cpu_starved_health_checks() -> Scenario:
    names = RIDES
    return Scenario(
        name="cpu-bound-tasks-fail-health-checks",
        expected="compute_saturation",
        chain=("compute_saturation", "unhealthy_targets"),
        summary="Tasks right-sized last week to a quarter vCPU pin at 97% when the evening peak brings 1.5 times "
        "the afternoon's requests; health checks time out and the targets drop out.",
        names=names,
        alarm=_targets_alarm(names, "UnHealthyHostCount"),
        noise=NODE_NOISE,
        load=Load(requests=120, ecs_cpu=52),
        fault=Fault(
            starts=timedelta(minutes=13),
            ramp_minutes=2,
            targets=TIMEOUT,
            load={"requests": 180, "ecs_cpu": 97, "code_ms": 240, "elb_error_share": 0.12},
            log_lines=(LogLine("app", "warn: event loop blocked for {n}ms (quoteFare)", 2),),
        ),
    )


CHAINS: dict[str, Scenario] = {
    s.name: s
    for s in (
        _push_campaign(),
        _breaking_news(),
        _ticket_drop(),
        _tv_spot(),
        _black_friday(),
        _retry_removed(),
        _timeline_query(),
        _resizer_leak(),
        _timeout_lowered(),
        _pdf_in_request(),
        _wrong_port(),
        _pool_raised(),
        _dashboard_query(),
        _plan_flip(),
        _geocoder_slow(),
        _tax_provider_hangs(),
        _acl_cuts_zone(),
        _endpoint_route_node(),
        _sidecar_burns_cpu(),
        _cpu_starved_health_checks(),
    )
}
