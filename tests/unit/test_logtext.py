"""Log lines: levels, messages, redaction, mechanisms (how signatures group them: test_signatures.py)."""

from __future__ import annotations

import pytest

from alarm_analyzer import logtext, signatures
from alarm_analyzer.rules.signals import mechanisms_in


def signature(line: str) -> str:
    (found,), _ = signatures.assign([line])
    return found


def test_json_log_lines_use_their_message_and_level() -> None:
    line = '{"level":"ERROR","message":"payment provider returned 503","request_id":"abc-123"}'
    message, level = logtext.message_of(line)
    assert message == "payment provider returned 503"
    assert logtext.level_of(message, level) == "error"


def test_structured_info_lines_are_ordinary_unless_they_show_pressure() -> None:
    assert logtext.level_of("GET /health took 3 ms", "INFO") is None
    assert logtext.level_of("spilled sort to temporary file of 200 MB", "INFO") == "notice"


def test_python_traceback_is_read_from_its_last_line() -> None:
    event = (
        "Traceback (most recent call last):\n"
        '  File "/app/db.py", line 12, in get\n'
        "    conn = pool.getconn()\n"
        "psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec\n"
    )
    message, _ = logtext.message_of(event)
    assert message.startswith("psycopg_pool.PoolTimeout")
    assert logtext.level_of(message) == "error"


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("FATAL:  sorry, too many clients already", "error"),
        ("java.net.SocketTimeoutException: Read timed out", "error"),
        ("WARNING: retrying request to billing", "warning"),
        ('LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp1.0", size 104857600', "notice"),
        ("GET /orders/12 200 31ms", None),
    ],
)
def test_levels(line: str, level: str | None) -> None:
    assert logtext.level_of(line) == level


def test_secrets_are_redacted_from_samples_and_signatures() -> None:
    line = (
        "connect postgres://app:s3cr3t-pw@db.internal:5432/orders password=hunter2 "
        "Authorization: Bearer abc.def AKIAABCDEFGHIJKLMNOP mail bob@example.com DB_PASSWORD=pa55 "
        "aws_secret_access_key=wJalrXUtnFEMI session_token: FQoGZXIvYXdz SecretAccessKey=Zm9vYmFy "
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc ghp_16C7e42F292c6912E7710c838347Ae178B4a xoxb-1234-5678-abcdefgh"
    )
    sample = logtext.sample_of(line)
    secrets = (
        "s3cr3t-pw", "hunter2", "abc.def", "AKIAABCDEFGHIJKLMNOP", "bob@example.com", "pa55", "wJalrXUtnFEMI",
        "FQoGZXIvYXdz", "Zm9vYmFy", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "xoxb-1234-5678-abcdefgh",
    )  # fmt: skip
    for secret in secrets:
        assert secret not in sample
        assert secret not in signature(line)


@pytest.mark.parametrize(
    "line",
    [
        "psycopg.OperationalError: connection pool exhausted",
        "psycopg2.pool.PoolError: connection pool exhausted",
        "psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec",
        "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out",
        "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
        "FATAL:  sorry, too many clients already",
        "Error: ER_CON_COUNT_ERROR: Too many connections",
        "FATAL: max_connections reached for role app",
        "Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool.",
        "Timed out fetching a new connection from the connection pool.",
        "SequelizeConnectionAcquireTimeoutError: Operation timeout",
        "org.apache.tomcat.jdbc.pool.PoolExhaustedException: Timeout: Pool empty. Unable to fetch a connection",
        # A pool's deadline for handing out a connection, however the wait is worded.
        "Error: timeout exceeded when trying to connect",  # node-postgres' pg-pool
        "Timeout after 30001ms of waiting for a connection.",  # HikariCP 2
        "An attempt by a client to checkout a Connection has timed out.",  # c3p0
        "io.r2dbc.spi.R2dbcTimeoutException: Connection acquisition timed out after 10000ms",
        "acquiring a database connection timed out after 5s",
        "MySqlConnector.MySqlException: Connect Timeout expired. All pooled connections are in use.",
        # A server or a bouncer out of connections, as Go's drivers and PgBouncer report it.
        "failed to connect to `user=app database=orders`: server error (SQLSTATE 53300)",
        "ERROR: no more connections allowed (max_client_conn)",
        "ERROR: query_wait_timeout",
        # A database pool's error that mentions a cache in passing is still the database's.
        "QueuePool limit of size 5 overflow 10 reached, connection timed out; sessions in redis://cache:6379/0",
    ],
)
def test_connection_exhaustion_is_recognized_in_any_driver_wording(line: str) -> None:
    assert "connection_exhaustion" in mechanisms_in(line)


@pytest.mark.parametrize(
    "line",
    [
        "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.example', port=443): Read timed out.",
        "urllib3.exceptions.MaxRetryError: HTTPConnectionPool(host='x', port=80): Max retries exceeded",
        "ERROR invoice 12 could not be rendered: KeyError 'customer'",
        "GET /pool/status 200",
        "WARNING urllib3.connectionpool: Connection pool is full, discarding connection: api.example.com",
        "urllib3.connectionpool Read timed out. (read timeout=10)",
        "worker pool full, queueing job 42",
        "LOG:  parameter max_connections = 100",
        "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
        "Error: Timeout exceeded while trying to connect to api.partner.example.com:443",
        "redis: connection pool timeout",  # go-redis: the cache client's pool, not the database's
        "redis.clients.jedis.exceptions.JedisConnectionException: Could not get a resource from the pool",
        "poolTimeout: 30000",
    ],
)
def test_http_client_pools_and_other_errors_are_not_connection_exhaustion(line: str) -> None:
    assert "connection_exhaustion" not in mechanisms_in(line)


@pytest.mark.parametrize(
    ("line", "mechanism"),
    [
        ('LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp9.1", size 268435456', "db_memory_pressure"),
        ("ERROR:  out of memory DETAIL:  Failed on request of size 8192.", "db_memory_pressure"),
        ("Out of sort memory, consider increasing server sort buffer size", "db_memory_pressure"),
        ("httpx.ReadTimeout: timed out", "downstream_timeout"),
        ("upstream request timeout", "downstream_timeout"),
        ("context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "downstream_timeout"),
    ],
)
def test_other_mechanisms(line: str, mechanism: str) -> None:
    assert mechanism in mechanisms_in(line)


@pytest.mark.parametrize(
    "line",
    [
        "2026-11-20T03:00:01.000Z 1b2c REPORT Duration: 504.12 ms Billed Duration: 505 ms",
        "2026-11-20T03:00:01.000Z 1b2c Task timed out after 30.03 seconds",
        "GET /orders took 504 ms",
    ],
)
def test_not_downstream_timeouts(line: str) -> None:
    assert "downstream_timeout" not in mechanisms_in(line)


def test_lambda_platform_records_are_told_apart_from_the_function_s_own_lines() -> None:
    assert logtext.is_platform_record("REPORT RequestId: 8f5e Duration: 3003.12 ms Status: timeout")
    assert logtext.is_platform_record('{"time":"2026-05-04T11:58:00Z","type":"platform.report","record":{}}')
    assert not logtext.is_platform_record('{"level":"ERROR","type":"order","message":"payment failed"}')
    assert not logtext.is_platform_record("2026-05-04T11:58:00Z 8f5e Task timed out after 30.03 seconds")


def test_a_jvm_stack_trace_keeps_the_exception_under_the_logger_line() -> None:
    raw = (
        "ERROR c.e.b.InvoiceController - Request processing failed\n"
        'java.lang.NullPointerException: Cannot invoke "Address.getCountry()" because "billingAddress" is null\n'
        "\tat com.example.billing.TaxCalculator.rateFor(TaxCalculator.java:57)"
    )
    message, _ = logtext.message_of(raw)
    assert message.startswith(
        "ERROR c.e.b.InvoiceController - Request processing failed: java.lang.NullPointerException"
    )
    assert "TaxCalculator.java" not in message
    plain, _ = logtext.message_of("WARN cache miss\nwhile loading orders")
    assert plain == "WARN cache miss"


def test_an_entry_opened_by_a_header_is_named_by_what_it_says_and_what_it_was_about() -> None:
    """MySQL's slow log writes each entry as a block: a header, the timing, the statement."""
    entry = (
        "# Time: 2026-05-04T11:58:12.345678Z\n# User@Host: ledger[ledger] @  [10.0.11.20]  Id: 12345\n"
        "# Query_time: 12.345678  Lock_time: 0.000102 Rows_sent: 1  Rows_examined: 4812345\n"
        "SET timestamp=1777895892;\nSELECT * FROM entries WHERE account_id = 42 LIMIT 50;"
    )
    message, _ = logtext.message_of(entry)
    assert message.startswith("# Query_time: 12.345678")
    assert message.endswith("SELECT * FROM entries WHERE account_id = 42 LIMIT 50;")
    assert mechanisms_in(message) == {"slow_query"}
    assert logtext.message_of("first line\nsecond line") == ("first line", "")
