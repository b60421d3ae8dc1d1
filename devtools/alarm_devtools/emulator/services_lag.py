"""Throttling and lag incidents: a table or an API refusing requests at its limit, consumers and replicas
falling behind, and their near misses.

Each category has incidents on its own metric in different stacks and wordings (Java, Go, Python,
Node SDK errors; REST and HTTP APIs; Kinesis and SQS; PostgreSQL and MySQL replicas), one where it is
the cause of an alarm on a symptom (the load balancer's 5XX, a queue's backlog), and near misses: a
capacity alarm inside the table's daily range, throttles too few to matter, client errors far below
the rate limit, a lag blip that recovered.
"""

from __future__ import annotations

from datetime import timedelta

from . import world_services as ws
from .scenarios import (
    JAVA_NOISE,
    JSON_NOISE,
    NODE_NOISE,
    PYTHON_NOISE,
    Scenario,
    _alarm,
    _errors_alarm,
    _json,
    _tags,
    _worker_alarm,
)
from .world import Fault, Load, LogLine, Names, Worker

INVENTORY = Names(
    service="inventory-api", load_balancer="inventory-web", target_group="inventory-api-tg",
    database="inventory-db", db_name="inventory", worker="stock-sync", remote_host="api.suppliers.example.com",
    slow_code="reserve_stock", cluster="warehouse", table="inventory-items", path="/items/{n}/stock",
)  # fmt: skip
PROFILES = Names(
    service="profile-svc", load_balancer="accounts-web", target_group="profile-svc-tg", database="accounts-db",
    db_name="accounts", worker="avatar-resizer", remote_host="api.identity.example.org", slow_code="load_profile",
    cluster="accounts", table="user-profiles", path="/users/{n}/profile",
)  # fmt: skip
CARTS = Names(
    service="checkout-api", load_balancer="checkout-web", target_group="checkout-api-tg", database="checkout-db",
    db_name="checkout", worker="receipt-mailer", remote_host="api.payments.example.com", slow_code="price_cart",
    cluster="commerce", table="carts-v2", path="/carts/{n}/checkout",
)  # fmt: skip
CATALOG = Names(
    service="catalog-api", load_balancer="catalog-web", target_group="catalog-api-tg", database="catalog-db",
    db_name="catalog", worker="catalog-indexer", remote_host="api.pim.example.net", slow_code="render_product",
    cluster="catalog", table="catalog-items", path="/products/{n}",
)  # fmt: skip
LEDGER = Names(
    service="ledger-api", load_balancer="ledger-web", target_group="ledger-api-tg", database="ledger-db",
    db_name="ledger", worker="ledger-exporter", remote_host="api.fx-rates.example.com", slow_code="post_entry",
    cluster="finance", table="ledger-idempotency", path="/entries/{n}",
)  # fmt: skip
QUOTES = Names(
    service="quote-engine", load_balancer="quotes-edge", target_group="quote-engine-tg", database="quotes-db",
    db_name="quotes", worker="quote-pdf", remote_host="api.rating.example.com", slow_code="rate_quote",
    cluster="insurance", table="quote-sessions", path="/quotes/{n}",
)  # fmt: skip
TELEMETRY = Names(
    service="telemetry-api", load_balancer="telemetry-edge", target_group="telemetry-api-tg",
    database="telemetry-db", db_name="telemetry", worker="telemetry-rollup", remote_host="api.maps.example.com",
    slow_code="decode_frame", cluster="iot", table="device-state", path="/devices/{n}/frames",
)  # fmt: skip
PRICING = Names(
    service="pricing-svc", load_balancer="pricing-web", target_group="pricing-svc-tg", database="pricing-db",
    db_name="pricing", worker="price-notifier", remote_host="api.tariffs.example.org", slow_code="apply_rules",
    cluster="pricing", table="price-cache", path="/prices/{n}",
)  # fmt: skip
TICKETING = Names(
    service="tickets-svc", load_balancer="tickets-edge", target_group="tickets-svc-tg", database="tickets-pg",
    db_name="tickets", worker="ticket-mailer", remote_host="api.venues.example.com", slow_code="hold_seats",
    cluster="events", table="seat-holds", path="/shows/{n}/seats",
)  # fmt: skip
MOBILE = Names(
    service="mobile-bff", load_balancer="mobile-web", target_group="mobile-bff-tg", database="mobile-db",
    db_name="mobile", worker="push-sender", remote_host="api.push.example.com", slow_code="compose_feed",
    cluster="mobile", table="mobile-devices", path="/feed/{n}",
)  # fmt: skip
CLICKS = Names(
    service="tracking-api", load_balancer="tracking-web", target_group="tracking-api-tg", database="tracking-db",
    db_name="tracking", worker="click-aggregator", remote_host="api.geoip.example.net", slow_code="enrich_click",
    cluster="analytics", table="click-sessions", path="/t/{n}",
)  # fmt: skip
REPORTS = Names(
    service="reports-api", load_balancer="reports-web", target_group="reports-api-tg", database="reports-db",
    db_name="reports", worker="report-builder", remote_host="api.fx.example.com", slow_code="build_report",
    cluster="reporting", table="report-jobs", path="/reports/{n}",
)  # fmt: skip
BILLING = Names(
    service="billing-api", load_balancer="billing-web", target_group="billing-api-tg", database="billing-db",
    db_name="billing", worker="invoice-mailer", remote_host="api.tax.example.com", slow_code="compute_invoice",
    cluster="billing", table="billing-locks", path="/invoices/{n}",
)  # fmt: skip
NOTIFY = Names(
    service="notify-api", load_balancer="notify-web", target_group="notify-api-tg", database="notify-db",
    db_name="notify", worker="notification-sender", remote_host="api.mailer.example.com", slow_code="render_mail",
    cluster="messaging", table="notify-prefs", path="/notifications/{n}",
)  # fmt: skip
LOYALTY = Names(
    service="loyalty-api", load_balancer="loyalty-web", target_group="loyalty-api-tg", database="loyalty-db",
    db_name="loyalty", worker="points-writer", remote_host="api.partners.example.net", slow_code="earn_points",
    cluster="loyalty", table="points-ledger", path="/members/{n}/points",
)  # fmt: skip
RESERVATIONS = Names(
    service="booking-api", load_balancer="booking-web", target_group="booking-api-tg", database="bookings-db",
    db_name="bookings", worker="booking-mailer", remote_host="api.rates.example.com", slow_code="price_stay",
    cluster="travel", table="booking-holds", path="/bookings/{n}/confirmation",
)  # fmt: skip
SHOP = Names(
    service="shop-api", load_balancer="shop-edge", target_group="shop-api-tg", database="shop-mysql",
    db_name="shop", db_engine="mysql", db_log="error", worker="shop-exporter", remote_host="api.stock.example.org",
    slow_code="CartService.total", cluster="retail", table="shop-carts", path="/cart/{n}",
)  # fmt: skip


def _own_logs(names: Names) -> dict[str, str]:
    return _tags(names, names.app_log_group)


# --- DynamoDB throttling -----------------------------------------------------------------------


def _inventory_writes() -> Scenario:
    names = INVENTORY
    capacity = 40
    return Scenario(
        name="inventory-table-write-throttled",
        expected="dynamodb_throttling",
        summary="A stock import writes faster than the table's 40 provisioned WCU, and auto scaling is already "
        "at its maximum: writes are throttled and the Java service retries.",
        names=names,
        noise=JAVA_NOISE,
        services=ws.Services(
            table=ws.Table(
                name=names.table,
                write_capacity=capacity,
                write_scaling=(20, capacity),
                metrics={
                    "ConsumedWriteCapacityUnits": ws.Level(capacity * 60 * 0.45, capacity * 60, pinned=True),
                    "WriteThrottleEvents": ws.Level(0, 650, spread=0.15),
                },
            )
        ),
        alarm=_alarm(
            names,
            "write-throttles",
            ("AWS/DynamoDB", "WriteThrottleEvents", {"TableName": "{table}"}),
            "Sum",
            100,
            tags=_own_logs(names),
        ),
        fault=Fault(
            starts=timedelta(minutes=12),
            log_lines=(
                LogLine(
                    "app",
                    "WARN  c.w.i.StockRepository - put failed, retrying: software.amazon.awssdk."
                    "services.dynamodb.model.ProvisionedThroughputExceededException: The level of configured "
                    "provisioned throughput for the table was exceeded. (Service: DynamoDb, Status Code: 400, "
                    "Request ID: {id})",
                    3,
                ),
            ),
        ),
    )


def _profile_index_reads() -> Scenario:
    names = PROFILES
    index_capacity = 25
    return Scenario(
        name="profile-index-read-throttled",
        expected="dynamodb_throttling",
        summary="A login storm queries the by-email index beyond its 25 RCU; the Go service's lookups are "
        "throttled while the table itself has room.",
        names=names,
        services=ws.Services(
            table=ws.Table(
                name=names.table,
                index="by-email",
                index_read_capacity=index_capacity,
                metrics={
                    "ConsumedReadCapacityUnits": ws.Level(
                        index_capacity * 60 * 0.4, index_capacity * 60, pinned=True
                    ),
                    "ReadThrottleEvents": ws.Level(0, 420, spread=0.15),
                },
            )
        ),
        alarm=_alarm(
            names,
            "index-read-throttles",
            (
                "AWS/DynamoDB",
                "ReadThrottleEvents",
                {"TableName": "{table}", "GlobalSecondaryIndexName": "{table_index}"},
            ),
            "Sum",
            50,
            tags=_own_logs(names),
        ),
        fault=Fault(
            starts=timedelta(minutes=10),
            log_lines=(
                LogLine(
                    "app",
                    'level=error msg="lookup by email failed" err="operation error DynamoDB: Query, '
                    "exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: "
                    "{id}, ProvisionedThroughputExceededException: The level of configured provisioned "
                    'throughput for one or more global secondary indexes of the table was exceeded."',
                    2.5,
                ),
                LogLine(
                    "app", 'level=info msg="request served" path=/users/{n}/profile status=200 ms={ms}', 2
                ),
            ),
        ),
    )


def _checkout_failures() -> Scenario:
    names = CARTS
    return Scenario(
        name="checkout-5xx-from-throttled-cart-table",
        expected="dynamodb_throttling",
        chain=("dynamodb_throttling", "application_error"),
        summary="The on-demand cart table throttles writes to one hot partition; the checkout catches the "
        "refusal and answers 500 with its own error, so the alarm is on the load balancer's 5XX.",
        names=names,
        noise=PYTHON_NOISE,
        services=ws.Services(
            table=ws.Table(
                name=names.table,
                billing="PAY_PER_REQUEST",
                metrics={"WriteThrottleEvents": ws.Level(0, 260, 0.15)},
            )
        ),
        alarm=_errors_alarm(names, 20),
        fault=Fault(
            starts=timedelta(minutes=11),
            dynamodb_throttled=0.3,
            log_lines=(
                LogLine("app", "ERROR app.checkout: CheckoutError: order for cart {n} was not saved", 4),
            ),
        ),
    )


def _capacity_alarm_daily_peak() -> Scenario:
    names = CATALOG
    capacity = 400
    return Scenario(
        name="catalog-read-capacity-alarm-daily-peak",
        expected="alarm_misconfiguration",
        summary="An alarm on consumed read capacity at 65% of provisioned fires at the daily peak, which always "
        "sits at 70%: nothing is throttled.",
        names=names,
        noise=NODE_NOISE,
        services=ws.Services(
            table=ws.Table(
                name=names.table,
                read_capacity=capacity,
                metrics={"ConsumedReadCapacityUnits": ws.Level(capacity * 60 * 0.7, spread=0.04)},
            )
        ),
        alarm=_alarm(
            names,
            "read-capacity",
            ("AWS/DynamoDB", "ConsumedReadCapacityUnits", {"TableName": "{table}"}),
            "Sum",
            capacity * 60 * 0.65,
            tags=_own_logs(names),
        ),
    )


def _few_throttles() -> Scenario:
    names = LEDGER
    return Scenario(
        name="ledger-table-few-throttles-retried",
        expected="inconclusive",
        summary="A strict alarm on any write throttle fires on a handful the SDK retried successfully; "
        "the service is fine.",
        names=names,
        noise=JSON_NOISE,
        services=ws.Services(
            table=ws.Table(
                name=names.table, write_capacity=100, metrics={"WriteThrottleEvents": ws.Level(0, 1.5, 0.5)}
            )
        ),
        alarm=_alarm(
            names,
            "any-write-throttle",
            ("AWS/DynamoDB", "WriteThrottleEvents", {"TableName": "{table}"}),
            "Sum",
            0,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=8)),
    )


# --- API rate limits ---------------------------------------------------------------------------

_ACCESS_429 = _json("INFO", "Too Many Requests", logger="access", status="429", requestId="{id}", ip="{ip}")


def _partner_stage_limit() -> Scenario:
    names = QUOTES
    return Scenario(
        name="partner-api-stage-rate-limit",
        expected="api_throttling",
        summary="A partner's batch pushes the quotes stage to its 50 requests/s throttle; the excess is answered "
        "429 and the stage's 4XX alarm fires.",
        names=names,
        services=ws.Services(
            api=ws.Api(
                name="partner-quotes",
                stage="v1",
                rate_limit=50,
                burst_limit=100,
                execution_logging="OFF",
                requests_per_minute=2500,
                metrics={
                    "Count": ws.Level(2500, 3000, pinned=True),
                    "4XXError": ws.Level(25, 1100, spread=0.1),
                },
            )
        ),
        alarm=_alarm(
            names,
            "api-4xx",
            ("AWS/ApiGateway", "4XXError", {"ApiName": "{api}", "Stage": "{stage}"}),
            "Sum",
            300,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=9), log_lines=(LogLine("api", _ACCESS_429, 6),)),
    )


def _http_api_limit() -> Scenario:
    names = TELEMETRY
    return Scenario(
        name="device-http-api-route-throttled",
        expected="api_throttling",
        summary="Firmware retries double the devices' calls against the HTTP API's 20 requests/s default route "
        "throttle; the API answers 429 and its 4xx alarm fires.",
        names=names,
        noise=NODE_NOISE,
        services=ws.Services(
            api=ws.Api(
                kind="http",
                name="device-ingest",
                stage="live",
                rate_limit=20,
                burst_limit=40,
                requests_per_minute=1000,
                metrics={"Count": ws.Level(1000, 1200, pinned=True), "4xx": ws.Level(10, 700, spread=0.1)},
            )
        ),
        alarm=_alarm(
            names,
            "http-4xx",
            ("AWS/ApiGateway", "4xx", {"ApiId": "{api_id}", "Stage": "{stage}"}),
            "Sum",
            200,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=10)),
    )


def _parameter_store_rate() -> Scenario:
    names = PRICING
    return Scenario(
        name="pricing-5xx-from-parameter-store-rate-limit",
        expected="api_throttling",
        chain=("api_throttling", "application_error"),
        summary="The pricing service reads its tariffs from Parameter Store on every request; past the API's "
        "rate the calls are refused and requests fail with the service's own error.",
        names=names,
        noise=PYTHON_NOISE,
        alarm=_errors_alarm(names, 15),
        fault=Fault(
            starts=timedelta(minutes=10),
            load={"fault_share": 0.18},
            log_lines=(
                LogLine(
                    "app",
                    "WARNING botocore.retries.standard: giving up after 4 attempts: An error occurred "
                    "(ThrottlingException) when calling the GetParameter operation: Rate exceeded",
                    3,
                ),
                LogLine("app", "ERROR app.pricing: TariffUnavailable: no tariff loaded for price {n}", 3),
            ),
        ),
    )


def _on_sale_surge() -> Scenario:
    names = TICKETING
    return Scenario(
        name="on-sale-surge-hits-stage-limit",
        expected="traffic_surge",
        chain=("traffic_surge", "api_throttling"),
        summary="Tickets go on sale: 3.5 times the usual requests reach the public stage, whose 115 requests/s "
        "throttle refuses the excess with 429s.",
        names=names,
        services=ws.Services(
            api=ws.Api(
                name="tickets-public",
                stage="prod",
                rate_limit=115,
                burst_limit=230,
                execution_logging="OFF",
                requests_per_minute=2000,
                metrics={
                    "Count": ws.Level(2000, 7000, pinned=True),
                    "4XXError": ws.Level(20, 2400, spread=0.1),
                },
            )
        ),
        alarm=_alarm(
            names,
            "public-4xx",
            ("AWS/ApiGateway", "4XXError", {"ApiName": "{api}", "Stage": "{stage}"}),
            "Sum",
            500,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=10), ramp_minutes=2),
    )


def _expired_tokens() -> Scenario:
    names = MOBILE
    return Scenario(
        name="mobile-api-4xx-far-below-limit",
        expected="inconclusive",
        summary="An app release sends requests without their session header; the stage answers 401s, far below "
        "its 500 requests/s limit: nothing is throttled.",
        names=names,
        services=ws.Services(
            api=ws.Api(
                name="mobile-gateway",
                stage="prod",
                rate_limit=500,
                execution_logging="OFF",
                requests_per_minute=3000,
                metrics={"4XXError": ws.Level(30, 600, spread=0.1)},
            )
        ),
        alarm=_alarm(
            names,
            "gateway-4xx",
            ("AWS/ApiGateway", "4XXError", {"ApiName": "{api}", "Stage": "{stage}"}),
            "Sum",
            200,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=9)),
    )


# --- consumer lag ------------------------------------------------------------------------------


def _clickstream_lag() -> Scenario:
    names = CLICKS
    return Scenario(
        name="clickstream-consumer-falls-behind",
        expected="consumer_lag",
        summary="The stream's consumer processes fewer records per minute than arrive; the iterator age climbs "
        "for a quarter of an hour without a single failure.",
        names=names,
        noise=JAVA_NOISE,
        services=ws.Services(
            stream=ws.Stream(
                name="clickstream-events",
                shards=4,
                metrics={"GetRecords.IteratorAgeMilliseconds": ws.Level(800, 900_000, spread=0.04)},
            )
        ),
        alarm=_alarm(
            names,
            "iterator-age",
            ("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", {"StreamName": "{stream}"}),
            "Maximum",
            60_000,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=14), ramp_minutes=12),
    )


def _report_backlog() -> Scenario:
    names = REPORTS
    return Scenario(
        name="report-queue-backlog-slow-builder",
        expected="consumer_lag",
        summary="Each report takes seven times as long to build after the data grew; the builder keeps "
        "succeeding but the job queue's backlog and its oldest message's age climb, and the depth alarm fires.",
        names=names,
        noise=NODE_NOISE,
        worker=Worker(runtime="nodejs20.x", timeout_s=60),
        load=Load(worker_ms=200, worker_share=0.2),
        alarm=_alarm(
            names,
            "jobs-backlog",
            ("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "{queue}"}),
            "Maximum",
            1000,
            tags={"analyzer:service": names.worker},
        ),
        fault=Fault(
            starts=timedelta(minutes=13),
            ramp_minutes=10,
            load={"queue_visible": 5000, "queue_age_s": 1800, "worker_ms": 1400},
        ),
    )


def _capped_consumer() -> Scenario:
    names = NOTIFY
    return Scenario(
        name="notification-queue-ages-behind-capped-sender",
        expected="lambda_throttling",
        chain=("lambda_throttling", "consumer_lag"),
        summary="A newsletter multiplies the notification jobs by twelve; the sender's reserved concurrency of 4 caps it, "
        "its invocations are throttled and the queue's oldest message ages past ten minutes.",
        names=names,
        noise=PYTHON_NOISE,
        worker=Worker(runtime="python3.13", timeout_s=30, reserved_concurrency=4),
        load=Load(worker_ms=2000, worker_share=0.25),
        alarm=_alarm(
            names,
            "jobs-age",
            ("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "{queue}"}),
            "Maximum",
            300,
            tags={"analyzer:service": names.worker},
        ),
        fault=Fault(
            starts=timedelta(minutes=14),
            ramp_minutes=8,
            load={"worker_share": 3.0, "queue_visible": 3000, "queue_age_s": 1100},
        ),
    )


def _throttled_writer() -> Scenario:
    names = LOYALTY
    capacity = 30
    return Scenario(
        name="points-queue-ages-behind-throttled-table",
        expected="dynamodb_throttling",
        chain=("dynamodb_throttling", "consumer_lag"),
        summary="The points worker writes each job to a table provisioned for 30 WCU; past it the writes are "
        "throttled and retried, each job takes longer and the job queue's oldest message ages past ten minutes.",
        names=names,
        noise=JAVA_NOISE,
        worker=Worker(runtime="python3.13", timeout_s=60),
        load=Load(worker_ms=250, worker_share=0.3),
        services=ws.Services(
            table=ws.Table(
                name=names.table,
                write_capacity=capacity,
                metrics={
                    "ConsumedWriteCapacityUnits": ws.Level(capacity * 60 * 0.5, capacity * 60, pinned=True),
                    "WriteThrottleEvents": ws.Level(0, 480, spread=0.15),
                },
            )
        ),
        alarm=_alarm(
            names,
            "jobs-age",
            ("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "{queue}"}),
            "Maximum",
            600,
            tags={"analyzer:service": names.worker},
        ),
        fault=Fault(
            starts=timedelta(minutes=14),
            ramp_minutes=8,
            worker_table_throttled=0.7,
            load={"worker_ms": 1600, "queue_visible": 4000, "queue_age_s": 1500},
        ),
    )


def _lag_blip() -> Scenario:
    names = BILLING
    return Scenario(
        name="cdc-stream-lag-blip-recovered",
        expected="inconclusive",
        summary="A consumer restart leaves the change stream's iterator age high for two minutes; it caught up "
        "before anyone looked.",
        names=names,
        noise=PYTHON_NOISE,
        services=ws.Services(
            stream=ws.Stream(
                name="billing-cdc",
                metrics={"GetRecords.IteratorAgeMilliseconds": ws.Level(500, 95_000, 0.05)},
            )
        ),
        alarm=_alarm(
            names,
            "cdc-iterator-age",
            ("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", {"StreamName": "{stream}"}),
            "Maximum",
            60_000,
            evaluation_periods=1,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=5), lasts=timedelta(minutes=2), ramp_minutes=1),
    )


# --- replication lag ---------------------------------------------------------------------------


def _reporting_replica() -> Scenario:
    names = LEDGER
    return Scenario(
        name="ledger-replica-falls-behind",
        expected="replication_lag",
        summary="A month-end batch writes heavily on the primary; its read replica replays slower than the "
        "writes arrive and its lag climbs past five minutes.",
        names=names,
        noise=JAVA_NOISE,
        services=ws.Services(
            replica=ws.Replica(
                name="ledger-db-reporting", metrics={"ReplicaLag": ws.Level(0.4, 1200, spread=0.04)}
            )
        ),
        alarm=_alarm(
            names,
            "replica-lag",
            ("AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "{replica}"}),
            "Maximum",
            300,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=14), ramp_minutes=10, load={"db_cpu": 62}),
    )


def _mysql_replica() -> Scenario:
    names = SHOP
    return Scenario(
        name="shop-mysql-replica-lag",
        expected="replication_lag",
        summary="A schema change on the MySQL primary rewrites a large table; the read replica applies it in one "
        "thread and falls behind by half an hour.",
        names=names,
        noise=JSON_NOISE,
        services=ws.Services(
            replica=ws.Replica(name="shop-mysql-ro", metrics={"ReplicaLag": ws.Level(1, 2400, spread=0.05)})
        ),
        alarm=_alarm(
            names,
            "ro-replica-lag",
            ("AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "{replica}"}),
            "Maximum",
            600,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=15), ramp_minutes=12),
    )


def _stale_reads() -> Scenario:
    names = RESERVATIONS
    return Scenario(
        name="booking-5xx-from-lagging-read-replica",
        expected="replication_lag",
        summary="The booking service reads from a replica; a bulk rate update on the primary puts it minutes "
        "behind, bookings just made are not found and the confirmation page answers 5XX.",
        names=names,
        noise=NODE_NOISE,
        services=ws.Services(
            replica=ws.Replica(
                name="bookings-db-read",
                serves_reads=True,
                metrics={"ReplicaLag": ws.Level(0.3, 420, spread=0.05)},
            )
        ),
        alarm=_errors_alarm(names, 12),
        fault=Fault(
            starts=timedelta(minutes=13),
            ramp_minutes=6,
            load={"fault_share": 0.12},
            log_lines=(
                LogLine("app", "warn: booking {n} created but not found on read, retrying in {ms}ms", 3),
            ),
        ),
    )


def _replica_blip() -> Scenario:
    names = PROFILES
    return Scenario(
        name="replica-lag-blip-recovered",
        expected="inconclusive",
        summary="A vacuum on the primary holds the replica back for a minute; it caught up right after.",
        names=names,
        noise=PYTHON_NOISE,
        services=ws.Services(
            replica=ws.Replica(name="accounts-db-ro", metrics={"ReplicaLag": ws.Level(0.4, 95, spread=0.05)})
        ),
        alarm=_alarm(
            names,
            "ro-lag",
            ("AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "{replica}"}),
            "Maximum",
            60,
            evaluation_periods=1,
            tags=_own_logs(names),
        ),
        fault=Fault(starts=timedelta(minutes=4), lasts=timedelta(minutes=1), ramp_minutes=1),
    )


def _stale_replica_fails_worker() -> Scenario:
    names = Names(
        service="claims-api", load_balancer="claims-web", target_group="claims-api-tg", database="claims-db",
        db_name="claims", worker="claims-notifier", remote_host="api.sms.example.net", slow_code="assess_claim",
        cluster="insurance", table="claims-locks", path="/claims/{n}",
    )  # fmt: skip
    return Scenario(
        name="notifier-reads-lagging-replica",
        expected="replication_lag",
        summary="The notifier function loads each claim the API just filed from the database's read replica; a "
        "nightly re-rating job on the primary puts the replica two minutes behind and the loads fail. The "
        "function's traces name only the primary: the replica comes into scope as the database's own.",
        names=names,
        worker=Worker(runtime="nodejs20.x", timeout_s=30),
        alarm=_worker_alarm(names, "Errors", "Sum", 8),
        noise=NODE_NOISE,
        services=ws.Services(replica=ws.Replica(name="claims-db-ro", metrics={"ReplicaLag": ws.Level(0.5, 135)})),
        load=Load(worker_share=0.4),
        fault=Fault(
            starts=timedelta(minutes=11),
            ramp_minutes=4,
            load={"worker_error_share": 0.4},
            log_lines=(
                LogLine("worker", "ERROR\tInvoke Error\t{\"errorType\":\"EntityNotFoundError\",\"errorMessage\":"
                        "\"Could not find any entity of type \\\"Claim\\\" matching: {\\\"id\\\": {n}}\"}", 2),
            ),
        ),
    )  # fmt: skip


LAG: dict[str, Scenario] = {
    s.name: s
    for s in (
        _inventory_writes(),
        _profile_index_reads(),
        _checkout_failures(),
        _capacity_alarm_daily_peak(),
        _few_throttles(),
        _partner_stage_limit(),
        _http_api_limit(),
        _parameter_store_rate(),
        _on_sale_surge(),
        _expired_tokens(),
        _clickstream_lag(),
        _report_backlog(),
        _capped_consumer(),
        _throttled_writer(),
        _lag_blip(),
        _reporting_replica(),
        _mysql_replica(),
        _stale_reads(),
        _replica_blip(),
        _stale_replica_fails_worker(),
    )
}
