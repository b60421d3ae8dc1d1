"""Failure mechanisms recognized in log text, whatever the driver, framework or language wrote them.

Each pattern describes the mechanism (a pool that cannot hand out a connection, a server refusing
more clients, memory spilling to disk, a remote call that timed out) rather than one library's
message, so psycopg, SQLAlchemy, HikariCP, node-postgres, .NET and MySQL all land in the same bucket.
An exclusion removes look-alikes (an HTTP client's connection pool, a worker pool, a config dump).
"""

from __future__ import annotations

import re
from typing import Literal

Mechanism = Literal["connection_exhaustion", "db_memory_pressure", "downstream_timeout"]

MECHANISMS: dict[Mechanism, re.Pattern[str]] = {
    "connection_exhaustion": re.compile(
        r"\b\w*pool\w*\W.{0,60}?(exhaust|timed? ?out|limit|empty|overflow|no (available|free|idle))"
        r"|(exhaust|timed? ?out|timeout).{0,40}?\bpool"
        r"|(unable|could ?n[o']?t|cannot|failed|timed out|timeout) (to |while |when )?"
        r"(acquir|obtain|get|check ?out|fetch)\w* (a |new )?(new )?(db |database |jdbc )?connection"
        r"|(timeout|timed out|elapsed).{0,80}(acquir|obtain|get|fetch)\w* (a |new )?connection"
        r"|connection ?acquire ?timeout|connection is not available|no (available|free) connections?"
        r"|too many (connections|clients)|remaining connection slots"
        r"|max_connections.{0,30}(reached|exceeded)|(reached|exceeded).{0,30}max_connections"
        r"|connection (limit|quota) (reached|exceeded)|\bER_CON_COUNT_ERROR\b",
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
}

_NOT: dict[Mechanism, re.Pattern[str]] = {
    # HTTP client pools (urllib3, requests, aiohttp) and thread/worker pools are not database pools.
    "connection_exhaustion": re.compile(
        r"https?\w*connectionpool|urllib3|aiohttp|discarding connection|(worker|thread|process|task) ?pool",
        re.IGNORECASE,
    ),
    # A function running out of its own time is not a dependency timing out.
    "downstream_timeout": re.compile(r"Task timed out after", re.IGNORECASE),
}


def mechanisms_in(text: str) -> set[Mechanism]:
    return {
        name
        for name, pattern in MECHANISMS.items()
        if pattern.search(text) and not (name in _NOT and _NOT[name].search(text))
    }
