"""What the service stands on: a cache, storage, burst credits, the hosts and database nodes under it.

Per category, incidents where its resource's own alarm fires, where it is the cause of an alarm on the
service's symptom (5xx, latency), and near misses whose right answer is another category: a cache whose
memory sits where it sits every day, a disk that has been as full for weeks, credits spent while nothing
is held back, a failover long before the alarm. Stacks, names and wording differ (Jedis, ioredis,
redis-py; Python, Java, Node, Go; PostgreSQL and MySQL), like the library's.
"""

from __future__ import annotations

from datetime import timedelta

from . import world_services as ws
from .scenarios import (
    BILLING,
    CATALOG,
    CHECKOUT,
    JAVA_NOISE,
    JSON_NOISE,
    LEDGER,
    MEDIA,
    NODE_NOISE,
    PYTHON_NOISE,
    Scenario,
    _alarm,
    _errors_alarm,
    _json,
    _latency_alarm,
    _tags,
)
from .world import AlarmSpec, Fault, Load, LogLine, Names

SESSIONS = Names(
    service="sessions-api", load_balancer="accounts-web", target_group="sessions-api-tg", database="accounts-db",
    db_name="accounts", worker="session-reaper", remote_host="api.identity-proofing.example.com",
    slow_code="load_profile", cluster="identity", table="sessions-locks", path="/sessions/{n}",
)  # fmt: skip
REPORTS = Names(
    service="reports-worker", load_balancer="reports-internal", target_group="reports-tg", database="reports-db",
    db_name="reports", worker="report-mailer", remote_host="api.pdf-render.example.org",
    slow_code="render_report", cluster="analytics", table="report-jobs", path="/reports/{n}",
)  # fmt: skip
CARTS = Names(
    service="cart-api", load_balancer="shop-edge", target_group="cart-api-tg", database="cart-db",
    db_name="cart", worker="cart-expirer", remote_host="api.promotions.example.net", slow_code="priceCart",
    cluster="commerce", table="cart-holds", path="/carts/{n}",
)  # fmt: skip


def _on(
    names: Names,
    suffix: str,
    watched: tuple[str, str, dict[str, str]],
    statistic: str,
    threshold: float,
    *,
    comparison: str = "GreaterThanThreshold",
) -> AlarmSpec:
    """An alarm on a resource beside the service, tagged with the service's log group."""
    tags = _tags(names, names.app_log_group)
    return _alarm(names, suffix, watched, statistic, threshold, comparison=comparison, tags=tags)


def _cache_alarm(names: Names, metric: str, statistic: str, threshold: float) -> AlarmSpec:
    watched = ("AWS/ElastiCache", metric, {"CacheClusterId": "{cache}"})
    return _on(names, f"cache-{metric.lower()}", watched, statistic, threshold)


def _instance_alarm(
    names: Names,
    watched: tuple[str, str],  # namespace, metric
    statistic: str,
    threshold: float,
    *,
    comparison: str = "GreaterThanThreshold",
    extra: dict[str, str] | None = None,
) -> AlarmSpec:
    namespace, metric = watched
    dimensions = {"InstanceId": "{instance}", **(extra or {})}
    suffix = f"host-{metric.lower()}"
    return _on(names, suffix, (namespace, metric, dimensions), statistic, threshold, comparison=comparison)


_DISK = {"path": "/", "device": "nvme0n1p1", "fstype": "xfs"}


# --- cache_pressure ----------------------------------------------------------------------------


def _sessions_evictions() -> Scenario:
    names = SESSIONS
    return Scenario(
        name="sessions-cache-evicting",
        expected="cache_pressure",
        summary="The session cache fills to its maxmemory; Redis evicts thousands of keys a minute and refuses "
        "writes with OOM, as Jedis tells the Java service.",
        names=names,
        alarm=_cache_alarm(names, "Evictions", "Sum", 500),
        noise=JAVA_NOISE,
        services=ws.Services(
            cache=ws.Cache(
                id="sessions",
                metrics={
                    "Evictions": ws.Level(0, 4200),
                    "DatabaseMemoryUsagePercentage": ws.Level(63, 99.7, spread=0.01, pinned=True),
                    "CacheMisses": ws.Level(2400, 21000),
                },
            )
        ),
        fault=Fault(
            starts=timedelta(minutes=12),
            log_lines=(
                LogLine(
                    "app",
                    "ERROR c.e.s.SessionStore - could not save session {id}: redis.clients.jedis.exceptions."
                    "JedisDataException: OOM command not allowed when used memory > 'maxmemory'.",
                    3,
                ),
            ),
        ),
    )


def _cart_redis_oom() -> Scenario:
    names = CARTS
    return Scenario(
        name="cart-redis-oom-5xx",
        expected="cache_pressure",
        summary="Carts are written to a Redis node at its maxmemory with noeviction: every write is refused with "
        "OOM and the Node service answers 500; only its logs name the cache.",
        names=names,
        alarm=_errors_alarm(names, 20),
        noise=NODE_NOISE,
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"fault_share": 0.07},
            log_lines=(
                LogLine("app", "error: PUT /carts/{n} failed: ReplyError: OOM command not allowed when used memory "
                        "> 'maxmemory'.\n    at parseError (/app/node_modules/redis-parser/lib/parser.js:179:12)", 7),
            ),
        ),
    )  # fmt: skip


def _cache_memory_as_always() -> Scenario:
    names = CATALOG
    return Scenario(
        name="catalog-cache-memory-as-always",
        expected="alarm_misconfiguration",
        summary="An alarm at 80% on a product cache that keeps 82-85% of its memory full every day by design "
        "(allkeys-lru); nothing is evicted faster than usual.",
        names=names,
        alarm=_cache_alarm(names, "DatabaseMemoryUsagePercentage", "Maximum", 80),
        noise=PYTHON_NOISE,
        services=ws.Services(cache=ws.Cache(id="product-facets", maxmemory_policy="allkeys-lru", metrics={
            "DatabaseMemoryUsagePercentage": ws.Level(83, 84.5, spread=0.01), "Evictions": ws.Level(40, spread=0.2)})),
        fault=Fault(starts=timedelta(minutes=10)),
    )  # fmt: skip


# --- storage_exhaustion ------------------------------------------------------------------------


def _reports_disk_full() -> Scenario:
    names = REPORTS
    return Scenario(
        name="reports-host-disk-full",
        expected="storage_exhaustion",
        summary="A report host's root volume fills with rendered PDFs nobody cleans; Python writes fail with "
        "ENOSPC.",
        names=names,
        alarm=_instance_alarm(names, ("CWAgent", "disk_used_percent"), "Maximum", 90, extra=_DISK),
        noise=PYTHON_NOISE,
        services=ws.Services(instance=ws.Instance(type="m6i.large", metrics={
            "disk_used_percent": ws.Level(71, 99.6, spread=0.005, pinned=True)})),
        fault=Fault(
            starts=timedelta(minutes=13),
            ramp_minutes=5,
            log_lines=(
                LogLine("instance", "ERROR reports.render: failed to write /var/reports/{id}.pdf: OSError: [Errno 28] "
                        "No space left on device", 4),
            ),
        ),
    )  # fmt: skip


def _ledger_table_full() -> Scenario:
    names = LEDGER
    return Scenario(
        name="ledger-db-storage-full",
        expected="storage_exhaustion",
        summary="The MySQL database's storage runs out while a backfill writes entries: inserts fail with 'The "
        "table is full' and the Java service answers 500.",
        names=names,
        alarm=_errors_alarm(names, 15),
        noise=JAVA_NOISE,
        services=ws.Services(storage=ws.Storage(allocated_gb=100, metrics={
            "FreeStorageSpace": ws.Level(21 * (1 << 30), 0.3 * (1 << 30), spread=0.002, pinned=True)})),
        fault=Fault(
            starts=timedelta(minutes=12),
            load={"fault_share": 0.08},
            log_lines=(
                LogLine("app", "ERROR o.h.e.j.s.SqlExceptionHelper - The table 'ledger_entries' is full", 5),
                LogLine("db", "[ERROR] [MY-012144] [InnoDB] posix_fallocate(): Failed to preallocate data for file "
                        "./ledger/ledger_entries.ibd, desired size 4194304 bytes. Operating system error number 28.", 1),
            ),
        ),
    )  # fmt: skip


def _disk_as_full_as_always() -> Scenario:
    names = MEDIA
    return Scenario(
        name="media-host-disk-as-always",
        expected="alarm_misconfiguration",
        summary="A disk alarm at 80% on a media host whose cache volume has sat at 84-86% for weeks; nothing fails.",
        names=names,
        alarm=_instance_alarm(names, ("CWAgent", "disk_used_percent"), "Maximum", 80, extra=_DISK),
        noise=JSON_NOISE,
        services=ws.Services(instance=ws.Instance(type="c6g.xlarge", metrics={
            "disk_used_percent": ws.Level(85, 85.6, spread=0.005)})),
        fault=Fault(starts=timedelta(minutes=10)),
    )  # fmt: skip


def _storage_fails_writes() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="checkout-db-storage-fails-orders",
        expected="storage_exhaustion",
        chain=("storage_exhaustion", "application_error"),
        summary="The checkout database's free storage falls to almost nothing during a bulk import; the service "
        "logs only its own exception when orders fail to save.",
        names=names,
        alarm=_errors_alarm(names, 15),
        noise=JAVA_NOISE,
        services=ws.Services(storage=ws.Storage(allocated_gb=50, metrics={
            "FreeStorageSpace": ws.Level(19 * (1 << 30), 0.4 * (1 << 30), spread=0.002, pinned=True)})),
        fault=Fault(
            starts=timedelta(minutes=12),
            load={"fault_share": 0.09},
            log_lines=(
                LogLine("app", "ERROR c.e.c.OrderService - order {n} not saved: org.springframework.dao."
                        "DataAccessResourceFailureException: could not execute statement; SQL [n/a]", 8),
            ),
        ),
    )  # fmt: skip


# --- burst_credit_exhaustion -------------------------------------------------------------------


def _batch_host_credits() -> Scenario:
    names = REPORTS
    return Scenario(
        name="batch-host-cpu-credits-spent",
        expected="burst_credit_exhaustion",
        summary="A t3 batch host bursts through a nightly backlog until its CPU credits are gone; EC2 then holds it "
        "at its 20% baseline.",
        names=names,
        alarm=_instance_alarm(names, ("AWS/EC2", "CPUCreditBalance"), "Minimum", 20, comparison="LessThanThreshold"),
        noise=PYTHON_NOISE,
        services=ws.Services(instance=ws.Instance(type="t3.small", metrics={
            "CPUCreditBalance": ws.Level(260, 0, spread=0.02, pinned=True),
            "CPUUtilization": ws.Level(71, 20, spread=0.04, pinned=True)})),
        fault=Fault(starts=timedelta(minutes=12), ramp_minutes=4),
    )  # fmt: skip


def _uploads_volume_burst() -> Scenario:
    names = MEDIA
    return Scenario(
        name="uploads-volume-burst-balance",
        expected="burst_credit_exhaustion",
        summary="A gp2 volume under a transcoding scratch directory spends its I/O credits; its queue grows as it "
        "is held at its baseline IOPS.",
        names=names,
        alarm=_on(names, "volume-burst-balance", ("AWS/EBS", "BurstBalance", {"VolumeId": "{volume}"}), "Minimum", 20, comparison="LessThanThreshold"),
        noise=NODE_NOISE,
        services=ws.Services(volume=ws.Volume(size_gb=200, metrics={
            "BurstBalance": ws.Level(94, 0, spread=0.01, pinned=True), "VolumeQueueLength": ws.Level(0.7, 19)})),
        fault=Fault(starts=timedelta(minutes=12), ramp_minutes=4),
    )  # fmt: skip


def _credits_spent_nothing_held() -> Scenario:
    names = SESSIONS
    return Scenario(
        name="sessions-host-credits-low-cpu-free",
        expected="inconclusive",
        summary="A t3 host's CPU credit balance runs low during a deploy's warm-up, but its CPU never reaches its "
        "baseline and nothing is slower.",
        names=names,
        alarm=_instance_alarm(names, ("AWS/EC2", "CPUCreditBalance"), "Minimum", 15, comparison="LessThanThreshold"),
        noise=JSON_NOISE,
        services=ws.Services(instance=ws.Instance(type="t3.medium", metrics={
            "CPUCreditBalance": ws.Level(140, 2, spread=0.02), "CPUUtilization": ws.Level(18, 19)})),
        fault=Fault(starts=timedelta(minutes=12)),
    )  # fmt: skip


def _db_io_credits() -> Scenario:
    names = BILLING
    return Scenario(
        name="billing-db-io-credits-slow-queries",
        expected="burst_credit_exhaustion",
        chain=("burst_credit_exhaustion", "slow_database_query"),
        summary="The billing database's gp2 storage spends its I/O burst balance under a month-end export; reads "
        "wait at the baseline IOPS and every invoice query slows.",
        names=names,
        alarm=_latency_alarm(names, 0.6),
        noise=JAVA_NOISE,
        load=Load(requests=110, sql_ms=30),
        services=ws.Services(storage=ws.Storage(metrics={"BurstBalance": ws.Level(97, 0, spread=0.01, pinned=True)})),
        fault=Fault(
            starts=timedelta(minutes=13),
            ramp_minutes=3,
            sql_extra_ms=900,
            affected_share=0.85,
            load={"db_read_latency": 0.045},
        ),
    )  # fmt: skip


# --- infrastructure_failure --------------------------------------------------------------------


def _host_status_check() -> Scenario:
    names = CARTS
    return Scenario(
        name="cart-host-system-check-failed",
        expected="infrastructure_failure",
        summary="The host under a cart worker instance fails: the system status check fails, EC2 reports it "
        "impaired and schedules its retirement.",
        names=names,
        alarm=_instance_alarm(names, ("AWS/EC2", "StatusCheckFailed_System"), "Maximum", 1, comparison="GreaterThanOrEqualToThreshold"),
        noise=NODE_NOISE,
        services=ws.Services(instance=ws.Instance(type="m5.large", system_status="impaired", metrics={
            "StatusCheckFailed_System": ws.Level(0, 1, spread=0, pinned=True)},
            scheduled=(("instance-retirement", timedelta(days=3)),))),
        fault=Fault(starts=timedelta(minutes=9), ramp_minutes=1),
    )  # fmt: skip


def _db_failover_pool() -> Scenario:
    names = CHECKOUT
    return Scenario(
        name="checkout-db-failover-drains-pool",
        expected="infrastructure_failure",
        chain=("infrastructure_failure", "database_connection_exhaustion"),
        summary="The checkout database fails over to its standby; while it does, HikariCP's pool cannot hand out "
        "a connection and requests queue.",
        names=names,
        alarm=_latency_alarm(names, 1.5),
        noise=JAVA_NOISE,
        services=ws.Services(database_events=ws.DatabaseEvents(events=(
            (timedelta(minutes=13), "Multi-AZ instance failover started.", ("failover",)),
            (timedelta(minutes=12), "Multi-AZ instance failover completed.", ("failover",)),
        ))),
        fault=Fault(
            starts=timedelta(minutes=12),
            sql_extra_ms=2400,
            affected_share=0.8,
            log_lines=(
                LogLine("app", "ERROR c.z.h.p.HikariPool - HikariPool-1 - Connection is not available, request timed out "
                        "after 30000ms (total=10, active=10, idle=0, waiting=31)", 6),
            ),
        ),
    )  # fmt: skip


def _failover_cold_cache() -> Scenario:
    names = Names(
        service="listings-api", load_balancer="listings-web", target_group="listings-api-tg", database="listings-pg",
        db_name="listings", worker="listing-thumbnailer", remote_host="api.geocoder.example.net",
        slow_code="filter_listings", cluster="marketplace", table="listing-holds", path="/listings/{n}",
    )  # fmt: skip
    return Scenario(
        name="listings-db-failover-cold-queries",
        expected="infrastructure_failure",
        chain=("infrastructure_failure", "slow_database_query"),
        summary="The listings database fails over to its standby; the new primary starts with a cold buffer cache "
        "and every search reads from disk, so the queries behind the alarm run several times longer.",
        names=names,
        alarm=_latency_alarm(names, 0.7),
        noise=PYTHON_NOISE,
        services=ws.Services(database_events=ws.DatabaseEvents(events=(
            (timedelta(minutes=14), "Multi-AZ instance failover started.", ("failover",)),
            (timedelta(minutes=13), "Multi-AZ instance failover completed.", ("failover",)),
        ))),
        fault=Fault(
            starts=timedelta(minutes=12),
            sql_extra_ms=1100,
            affected_share=0.85,
            load={"db_read_latency": 0.012},
        ),
    )  # fmt: skip


def _db_reboot_go() -> Scenario:
    names = Names(
        service="payouts-svc", load_balancer="payouts-lb", target_group="payouts-svc-tg", database="payouts-mysql",
        db_name="payouts", db_engine="mysql", db_log="error", worker="payout-notifier",
        remote_host="api.bank-transfers.example.com", slow_code="SettleBatch", cluster="payments", table="payout-locks",
        path="/payouts/{n}",
    )  # fmt: skip
    return Scenario(
        name="payouts-db-reboot-5xx",
        expected="infrastructure_failure",
        summary="RDS restarts the payouts MySQL instance for a hardware problem; the Go service's queries fail "
        "with 'Server shutdown in progress' and it answers 500 until the instance is back.",
        names=names,
        alarm=_errors_alarm(names, 12),
        noise=JSON_NOISE,
        services=ws.Services(database_events=ws.DatabaseEvents(events=(
            (timedelta(minutes=11), "DB instance restarted", ("availability",)),
        ))),
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"fault_share": 0.06},
            log_lines=(
                LogLine("app", _json("error", "settle batch failed: Error 1053 (08S01): Server shutdown in progress",
                                     logger="store", batch="{n}"), 5),
            ),
        ),
    )  # fmt: skip


def _failover_fails_invoices() -> Scenario:
    names = BILLING
    return Scenario(
        name="billing-db-failover-fails-invoices",
        expected="infrastructure_failure",
        chain=("infrastructure_failure", "application_error"),
        summary="The billing MySQL instance fails over to its standby; the connections the service held die "
        "with it, and it logs only its own exception for each invoice it cannot save until the pool reconnects.",
        names=names,
        alarm=_errors_alarm(names, 12),
        noise=JAVA_NOISE,
        services=ws.Services(database_events=ws.DatabaseEvents(events=(
            (timedelta(minutes=12), "Multi-AZ instance failover started.", ("failover",)),
            (timedelta(minutes=11), "Multi-AZ instance failover completed.", ("failover",)),
        ))),
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"fault_share": 0.07},
            log_lines=(
                LogLine("app", "ERROR c.e.b.InvoiceController - Could not save invoice {n}: "
                        "org.hibernate.exception.JDBCConnectionException: could not execute statement", 6),
            ),
        ),
    )  # fmt: skip


def _failover_long_before() -> Scenario:
    names = Names(
        service="search-api", load_balancer="search-web", target_group="search-api-tg", database="search-pg",
        db_name="search", worker="search-indexer", remote_host="api.synonyms.example.org", slow_code="rank_results",
        cluster="search", table="search-cursors", path="/search/{n}",
    )  # fmt: skip
    return Scenario(
        name="search-db-failover-hours-before",
        expected="slow_database_query",
        summary="The database failed over during the morning's maintenance, nearly an hour before; the alarm is "
        "a new ranking query the slow log shows.",
        names=names,
        alarm=_latency_alarm(names, 0.8),
        noise=PYTHON_NOISE,
        services=ws.Services(database_events=ws.DatabaseEvents(events=(
            (timedelta(minutes=55), "Multi-AZ instance failover started.", ("failover",)),
            (timedelta(minutes=54), "Multi-AZ instance failover completed.", ("failover",)),
        ))),
        fault=Fault(
            starts=timedelta(minutes=12),
            sql_extra_ms=1400,
            affected_share=0.8,
            log_lines=(
                LogLine("db", "LOG:  duration: {ms}3.512 ms  statement: SELECT d.id, ts_rank(d.tsv, q) FROM documents d, "
                        "plainto_tsquery($1) q WHERE d.tsv @@ q ORDER BY 2 DESC LIMIT 50", 2),
            ),
        ),
    )  # fmt: skip


# --- a cache under pressure sends its reads to the database behind it -----------------------------


def _database_cpu_alarm(names: Names, threshold: float) -> AlarmSpec:
    """An alarm on the database's CPU, tagged with the service that reads it (whose traces name the cache)."""
    watched = ("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "{database}"})
    return _alarm(
        names, "rds-cpu", watched, "Average", threshold, period=300, evaluation_periods=1, tags=_tags(names)
    )


def _catalog_pages_evicting() -> Scenario:
    names = Names(
        service="catalog-pages", load_balancer="catalog-web", target_group="catalog-pages-tg", database="catalog-pg",
        db_name="catalog", db_class="db.r6g.large", worker="catalog-sitemap", remote_host="api.reviews.example.com",
        slow_code="render_product_page", cluster="catalog", table="catalog-locks", path="/products/{n}",
    )  # fmt: skip
    return Scenario(
        name="page-cache-evicts-database-cpu",
        expected="cache_pressure",
        chain=("cache_pressure", "database_resource_pressure"),
        summary="The product-page cache fills to its maxmemory as the autumn catalogue is published; Redis evicts "
        "pages faster than the Python service writes them and every miss becomes a query: the database's CPU "
        "alarm fires at 91%. Only the service's traces name the cache.",
        names=names,
        alarm=_database_cpu_alarm(names, 80),
        noise=PYTHON_NOISE,
        load=Load(requests=160, sql_ms=12, db_cpu=27, code_ms=30),
        services=ws.Services(
            cache=ws.Cache(
                id="product-pages",
                replication_group=True,
                maxmemory_policy="allkeys-lru",
                parameter_group="product-pages-redis7",
                metrics={
                    "Evictions": ws.Level(0, 2600),
                    "CacheMisses": ws.Level(1800, 17000),
                    "CacheHits": ws.Level(52000, 37000),
                    "DatabaseMemoryUsagePercentage": ws.Level(74, 99.9, spread=0.01, pinned=True),
                },
            )
        ),
        fault=Fault(
            starts=timedelta(minutes=14),
            ramp_minutes=2,
            sql_extra_ms=420,
            affected_share=0.7,
            load={"db_cpu": 91, "db_read_latency": 0.011},
            log_lines=(
                LogLine("db", 'LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{n}.3", size {n}4096', 2),
            ),
        ),
    )  # fmt: skip


def _feed_cache_misses() -> Scenario:
    names = Names(
        service="feed-api", load_balancer="social-web", target_group="feed-api-tg", database="social-pg",
        db_name="social", db_class="db.r6g.2xlarge", worker="feed-fanout", remote_host="api.link-preview.example.com",
        slow_code="rankFeed", cluster="social", table="feed-cursors", path="/users/{n}/feed",
    )  # fmt: skip
    return Scenario(
        name="feed-cache-evicts-queries-pile-up",
        expected="cache_pressure",
        chain=("cache_pressure", "slow_database_query"),
        summary="A celebrity's post fans out to millions of feeds; the Redis group that holds assembled feeds "
        "fills and evicts them, and the Node service rebuilds each from PostgreSQL: its large instance keeps up "
        "at half its CPU, but the feed queries now run for a second and more behind the latency alarm.",
        names=names,
        alarm=_latency_alarm(names, 0.5),
        noise=NODE_NOISE,
        load=Load(requests=240, sql_ms=10, db_cpu=21, code_ms=28),
        services=ws.Services(
            cache=ws.Cache(
                id="home-feeds",
                replication_group=True,
                maxmemory_policy="allkeys-lru",
                parameter_group="home-feeds-valkey8",
                metrics={
                    "Evictions": ws.Level(0, 7300),
                    "CacheMisses": ws.Level(4200, 31000),
                    "DatabaseMemoryUsagePercentage": ws.Level(71, 99.8, spread=0.01, pinned=True),
                },
            )
        ),
        fault=Fault(
            starts=timedelta(minutes=13),
            ramp_minutes=2,
            sql_extra_ms=1100,
            affected_share=0.75,
            load={"db_cpu": 52},
            log_lines=(
                LogLine("db", "LOG:  duration: 1{ms}4.881 ms  execute <unnamed>: SELECT p.id, p.body, p.created_at FROM "
                        "posts p JOIN follows f ON f.followee_id = p.author_id WHERE f.follower_id = $1 "
                        "ORDER BY p.created_at DESC LIMIT 200", 4),
            ),
        ),
    )  # fmt: skip


def _rankings_recomputed() -> Scenario:
    names = Names(
        service="recs-api", load_balancer="recs-edge", target_group="recs-api-tg", database="recs-pg",
        db_name="recs", worker="recs-trainer", remote_host="api.catalog-feed.example.com",
        slow_code="scoreCandidates", cluster="recs", table="recs-locks", path="/users/{n}/recommendations",
    )  # fmt: skip
    return Scenario(
        name="evicted-rankings-recomputed-in-code",
        expected="cache_pressure",
        chain=("cache_pressure", "application_code_latency"),
        summary="A bulk import of new listings fills the Valkey node that holds each user's precomputed "
        "recommendations; it evicts them, and the Node service scores every candidate again in-process on each "
        "request: the traces put the time in its own code, under a latency alarm, not in the cache or database.",
        names=names,
        alarm=_latency_alarm(names, 0.6),
        noise=NODE_NOISE,
        load=Load(requests=310, code_ms=40),
        services=ws.Services(
            cache=ws.Cache(
                id="user-rankings",
                maxmemory_policy="volatile-lru",
                parameter_group="user-rankings-valkey8",
                metrics={"Evictions": ws.Level(0, 4100), "CacheMisses": ws.Level(3000, 24000)},
            )
        ),
        fault=Fault(starts=timedelta(minutes=11), ramp_minutes=2, code_extra_ms=780, affected_share=0.7),
    )  # fmt: skip


def _price_cache_misses() -> Scenario:
    names = Names(
        service="pricing-svc", load_balancer="pricing-lb", target_group="pricing-svc-tg", database="pricing-mysql",
        db_name="pricing", db_engine="mysql", db_log="error", db_class="db.r6g.large", worker="price-exporter",
        remote_host="api.fx-rates.example.org", slow_code="QuotePrice", cluster="pricing", table="price-locks",
        path="/prices/{n}",
    )  # fmt: skip
    return Scenario(
        name="price-cache-full-slows-quotes",
        expected="cache_pressure",
        summary="The Go pricing service's Redis node runs out of memory when a partner's price list triples; it "
        "evicts quotes minutes after caching them, the misses land on MySQL, whose CPU climbs to 88%, and the "
        "latency alarm fires.",
        names=names,
        alarm=_latency_alarm(names, 0.4),
        noise=JSON_NOISE,
        load=Load(requests=220, sql_ms=9, db_cpu=22, code_ms=25),
        services=ws.Services(
            cache=ws.Cache(
                id="price-quotes",
                node_type="cache.m6g.large",
                maxmemory_policy="volatile-lru",
                parameter_group="price-quotes-redis7",
                slow_log=False,
                metrics={
                    "Evictions": ws.Level(0, 5400),
                    "CacheMisses": ws.Level(3100, 26000),
                    "DatabaseMemoryUsagePercentage": ws.Level(68, 100, spread=0.01, pinned=True),
                },
            )
        ),
        fault=Fault(
            starts=timedelta(minutes=12),
            ramp_minutes=2,
            sql_extra_ms=600,
            affected_share=0.8,
            load={"db_cpu": 88, "db_read_latency": 0.009},
            log_lines=(
                LogLine("app", _json("warn", "quote cache miss, reading price list from database",
                                     logger="quotes", sku="{n}"), 6),
            ),
        ),
    )  # fmt: skip


PLATFORM: dict[str, Scenario] = {
    s.name: s
    for s in (
        _sessions_evictions(),
        _cart_redis_oom(),
        _cache_memory_as_always(),
        _reports_disk_full(),
        _ledger_table_full(),
        _disk_as_full_as_always(),
        _storage_fails_writes(),
        _batch_host_credits(),
        _uploads_volume_burst(),
        _credits_spent_nothing_held(),
        _db_io_credits(),
        _host_status_check(),
        _db_failover_pool(),
        _failover_cold_cache(),
        _db_reboot_go(),
        _failover_long_before(),
        _failover_fails_invoices(),
        _catalog_pages_evicting(),
        _feed_cache_misses(),
        _price_cache_misses(),
        _rankings_recomputed(),
    )
}
