"""Failure mechanisms recognized in log text, whatever the driver, framework or language wrote them.

Each pattern describes the mechanism (a pool that cannot hand out a connection, a server refusing
more clients, memory spilling to disk, a remote call that timed out) rather than one library's
message, so psycopg, SQLAlchemy, HikariCP, node-postgres, .NET and MySQL all land in the same bucket.
An exclusion removes look-alikes (an HTTP client's connection pool, a worker pool, a config dump).
"""

from __future__ import annotations

import re
from typing import Literal

Mechanism = Literal[
    "connection_exhaustion",
    "db_memory_pressure",
    "downstream_timeout",
    "slow_query",
    "function_timeout",
    "out_of_memory",
    "throttled",
    "crash",
    "cache_refused",
    "cache_timeout",
    "disk_full",
    "failover",
    "credentials_refused",
    "certificate_rejected",
    "connect_timeout",
    "table_throttled",
]

_CACHE_REFUSED = re.compile(
    r"\bOOM command not allowed|used memory > .?maxmemory|\bmaxmemory\b|max number of clients reached"
    r"|SERVER_ERROR out of memory",
    re.IGNORECASE,
)

# A cache client waiting in vain for its answer: redis-py, Jedis, Lettuce, ioredis, go-redis (a read
# from the Redis or Memcached port), StackExchange.Redis, spymemcached.
_CACHE_TIMEOUT = re.compile(
    r"redis\.exceptions\.TimeoutError|RedisCommandTimeoutException|RedisTimeoutException|Timeout performing \w+"
    r"|\b(redis|jedis|lettuce|ioredis|valkey|memcache\w*)\b.{0,120}?\b(timed? ?out|timeout)"
    r"|\b(timed? ?out|timeout)\b.{0,80}?\b(redis|valkey|memcache\w*)\b|:(6379|11211)\b.{0,60}?i/o timeout"
    r"|OperationTimeoutException: Timeout waiting for value",
    re.IGNORECASE,
)

MECHANISMS: dict[Mechanism, re.Pattern[str]] = {
    "connection_exhaustion": re.compile(
        r"\b\w*pool\w*\W.{0,60}?(exhaust|timed? ?out|limit|empty|overflow|no (available|free|idle))"
        r"|(exhaust|timed? ?out|timeout).{0,40}?\bpool"
        r"|(unable|could ?n[o']?t|cannot|failed|timed out|timeout) (to |while |when )?"
        r"(acquir|obtain|get|check ?out|fetch)\w* (a |new )?(new )?(db |database |jdbc )?connection"
        r"|(timeout|timed out|elapsed).{0,80}(acquir|obtain|get|fetch|wait)\w* (for )?(a |an? \w+ |new )?connection"
        # The wait named after what it waited for: "acquiring a connection timed out", "checkout a
        # Connection has timed out", "connection acquisition timed out", "timeout exceeded when trying
        # to connect" (a pool's deadline for handing out a client, node-postgres' words).
        r"|(acquir|obtain|check ?out|fetch)\w* (a |new )?(db |database |jdbc )?connection.{0,20}?timed? ?out"
        r"|connection ?acqui\w* ?(timeout|timed? ?out)|connection is not available|no (available|free) connections?"
        r"|timeout exceeded (when|while) (trying|attempting|waiting) to (connect|acquire|check ?out)\b"
        r"(?!\s+to\s+(https?://|[\w-]+\.[\w.-]+))"  # a connect to a named host is a remote's timeout
        r"|\ball (pooled |the )?connections (are|were) (in use|busy)"
        r"|too many (connections|clients)|remaining connection slots|no more connections allowed"
        r"|max_connections.{0,30}(reached|exceeded)|(reached|exceeded).{0,30}max_connections"
        r"|connection (limit|quota) (reached|exceeded)|\bER_CON_COUNT_ERROR\b|SQLSTATE[ =:]*53300\b"
        r"|\bquery_wait_timeout\b",
        re.IGNORECASE,
    ),
    "db_memory_pressure": re.compile(
        r"temporary file|out of (shared |sort )?memory|could not (resize|allocate)|cannot allocate memory"
        r"|insufficient memory|\bswap(ping)?\b|spill(ed|ing)? to disk|work_mem|sort_buffer|\bOOM\b",
        re.IGNORECASE,
    ),
    "downstream_timeout": re.compile(
        r"read ?timed? ?out|readtimeout|connect(ion)? ?timed? ?out|connecttimeout|sockettimeout"
        r"|gateway time-?out|upstream (request )?timed? ?out|deadline exceeded|\bETIMEDOUT\b"
        r"|\bESOCKETTIMEDOUT\b|timed out waiting|(request|call|read|socket) timed out after \d+",
        re.IGNORECASE,
    ),
    # A database saying a statement ran long: PostgreSQL's log_min_duration_statement, MySQL's slow log,
    # statement timeouts and lock waits, or a driver/ORM timing a query.
    "slow_query": re.compile(
        r"duration: ?(<\*>|[\d.]+) ?ms\s+(statement|execute|parse|bind)|\bQuery_time:|slow (sql|query|statement)"
        r"|long[- ]running (query|statement|transaction)|canceling statement due to statement timeout"
        r"|statement[_ ]timeout|lock wait timeout|query (took|exceeded) [\d.]+ ?m?s",
        re.IGNORECASE,
    ),
    # A function running out of its own time (not a dependency timing out).
    "function_timeout": re.compile(
        r"Task timed out after|Status: timeout|function.{0,20}timed out|Sandbox\.Timedout", re.IGNORECASE
    ),
    "out_of_memory": re.compile(
        r"Runtime\.OutOfMemory|\bMemoryError\b|heap out of memory|OutOfMemoryError|signal: killed"
        r"|OOMKilled|out of memory|Cannot allocate memory|memory limit|exit code 137",
        re.IGNORECASE,
    ),
    # A caller refused by a rate limit: an AWS API's (every SDK's throttling codes), an HTTP API's 429.
    "throttled": re.compile(
        r"TooManyRequests|too many requests|Rate exceeded|rate limit(ed)?\b.{0,20}(exceeded|reached|hit)"
        r"|ThrottlingException|Throttling:|\bthrottl|RequestLimitExceeded|RequestThrottled|\bSlowDown\b"
        r"|ReservedFunctionConcurrent|ConcurrentInvocationLimitExceeded|\b429\b",
        re.IGNORECASE,
    ),
    # A process or task ending abnormally: what makes a target fail its health checks for real.
    "crash": re.compile(
        r"segmentation fault|core dumped|exited with (code|status) [1-9]|Essential container in task exited"
        r"|CannotPullContainer|panic:|fatal error|unhandled (exception|rejection)|worker (timeout|died)"
        r"|OOMKilled|exit code 137|killed",
        re.IGNORECASE,
    ),
    # A cache refusing work: out of memory under its maxmemory (Redis/Valkey answer "-OOM" whatever the
    # client: Jedis, Lettuce, ioredis, go-redis, redis-py), or out of client slots; Memcached's own words.
    "cache_refused": _CACHE_REFUSED,
    "cache_timeout": _CACHE_TIMEOUT,
    # A file system or database out of space: the kernel's ENOSPC however a runtime words it, PostgreSQL
    # extending or writing a file, MySQL's full table or storage engine error 28, Windows' full disk.
    "disk_full": re.compile(
        r"no space left on device|\bENOSPC\b|\[Errno 28\]|errno:? ?28\b|error 28 from storage engine"
        r"|could not (extend|write to) file|could not write (block|to)\b|\btable '?[^' ]*'? is full"
        r"|\bER_RECORD_FILE_FULL\b|\bdisk ?full\b|DiskFull|out of disk space|insufficient (disk|storage) space"
        r"|not enough (space|storage) on the disk|storage[- ]full|disk quota exceeded|\bEDQUOT\b",
        re.IGNORECASE,
    ),
    # The node under a database or cache going away or coming back as another: a failover, a reboot,
    # a replaced host. What clients see while it happens, not a pool or a timeout of their own.
    "failover": re.compile(
        r"database system is (shutting down|starting up|in recovery mode|not yet accepting connections)"
        r"|terminating connection due to administrator command|server closed the connection unexpectedly"
        r"|server has gone away|server shutdown in progress|lost connection to (mysql )?server|READONLY You can.?t write against a read only"
        r"|cannot execute \w+ in a read-only transaction|running with the --read-only option"
        r"|LOADING Redis is loading|\bCLUSTERDOWN\b|\bMASTERDOWN\b|\bfail(ing)? ?over\b|failover (in progress|initiated)"
        r"|(host|instance) (is )?(being )?(retired|rebooted)|scheduled for retirement|degraded hardware"
        # Connector/J and HikariCP finding the connection they held dead under them.
        r"|communications link failure|failed to validate connection",
        re.IGNORECASE,
    ),
    # A credential the service presents refused: a database password (PostgreSQL, MySQL, SQL Server,
    # Oracle, Redis), AWS keys and session tokens (expired, unknown, badly signed), a KMS key or an IAM
    # permission the service's role no longer has. End users' expired tokens are the users' own.
    "credentials_refused": re.compile(
        r"password authentication failed|authentication failed for user|Access denied for user"
        r"|Login failed for user '|ORA-01017|invalid (username|user name)/password|\bWRONGPASS\b|\bNOAUTH\b"
        r"|SASL authentication failed|\bExpiredToken(Exception)?\b|security token included in the request is"
        # AWS's own words for a session's token run out (S3: "The provided token has expired."), as SDKs
        # print them without the error code; a token "for user ..." is an end user's, not the service's.
        r"|\b(provided|security|session) token\b(?![^.\n]{0,80}\b(user|subject|customer|member)\b)"
        r"[^.\n]{0,60}?\b(has |is )?expired"
        r"|\bInvalidClientTokenId\b|\bUnrecognizedClientException\b|\bSignatureDoesNotMatch\b"
        r"|\bInvalidAccessKeyId\b|\bAccessDenied(Exception)?\b|is not authorized to perform:? \w+:\w+"
        r"|\bKMSAccessDenied|\bKMSInvalidStateException\b|\bIncompleteSignature\b",
        re.IGNORECASE,
    ),
    # A TLS peer's certificate refused during the handshake (expired, not yet valid, untrusted chain),
    # as OpenSSL, Python, the JVM, Node, Go and .NET say it.
    "certificate_rejected": re.compile(
        r"certificate (has |is )?expired|\bCERT_HAS_EXPIRED\b|CertificateExpiredException"
        r"|CertificateNotYetValid|x509: certificate|CERTIFICATE_VERIFY_FAILED|certificate verify failed"
        r"|PKIX path (validation|building) failed|tlsv1 alert certificate|SSLHandshakeException.{0,120}certif"
        r"|RemoteCertificateValidationCallback|remote certificate is invalid|UNABLE_TO_VERIFY_LEAF_SIGNATURE"
        r"|\bNotAfter\b.{0,60}(passed|expired|before)",
        re.IGNORECASE,
    ),
    # A connection that was never established: the SYN went unanswered (not a slow answer).
    "connect_timeout": re.compile(
        r"connect(ion)? ?timed? ?out|connecttimeout|connect ETIMEDOUT|dial tcp [^ ]+: i/o timeout"
        r"|ConnectFailure|timeout while connecting|failed to connect.{0,80}timed? ?out"
        r"|connection attempt failed because the connected party did not properly respond",
        re.IGNORECASE,
    ),
    # A DynamoDB table or index refusing reads or writes above its capacity, as each SDK reports it:
    # the provisioned error code, on-demand's "throughput exceeds the current capacity", or a table
    # named beside a throttle.
    "table_throttled": re.compile(
        r"ProvisionedThroughputExceeded|throughput exceeds the current (capacity|throughput limit)"
        r"|\b(dynamo\w*|table|index|partition)\b.{0,80}?\bthrottl|\bthrottl\w*.{0,80}?\b(dynamo\w*|table|index|partition)\b"
        r"|(Read|Write)ThrottleEvents|RequestLimitExceeded.{0,120}throughput",
        re.IGNORECASE,
    ),
}

# Mechanisms whose lines the writer already filters by severity: a database logs a statement only
# when it ran longer than its threshold, so one such line never seen before is a signal of its own.
PREFILTERED: frozenset[Mechanism] = frozenset({"slow_query"})

_NOT: dict[Mechanism, re.Pattern[str]] = {
    # HTTP client pools (urllib3, requests, aiohttp, Apache HttpClient), a cache client's pool (go-redis,
    # Jedis, Lettuce) and thread/worker pools are not database pools.
    "connection_exhaustion": re.compile(
        r"https?\w*connectionpool|urllib3|aiohttp|org\.apache\.(http|hc)\b|discarding connection"
        r"|(worker|thread|process|task) ?pool|\bredis:\s|\bjedis|\blettuce\b|memcache|valkey",
        re.IGNORECASE,
    ),
    # A function running out of its own time is not a dependency timing out; a cache's client waiting
    # on it is the cache's case.
    "downstream_timeout": re.compile(r"Task timed out after|" + _CACHE_TIMEOUT.pattern, re.IGNORECASE),
    # A cache out of its memory is not the process or the database out of theirs (redis-py names its
    # refusal OutOfMemoryError).
    "db_memory_pressure": _CACHE_REFUSED,
    "out_of_memory": _CACHE_REFUSED,
    # Waiting for a database pool's connection is not a connection the network never established.
    "connect_timeout": re.compile(
        r"QueuePool|pooled connections|\bpool (limit|exhausted|timeout)", re.IGNORECASE
    ),
    # Kinesis words a shard's limit like a table's: a stream's shard is not a table.
    "table_throttled": re.compile(r"\bshard", re.IGNORECASE),
}


def mechanisms_in(text: str) -> set[Mechanism]:
    return {
        name
        for name, pattern in MECHANISMS.items()
        if pattern.search(text) and not (name in _NOT and _NOT[name].search(text))
    }
