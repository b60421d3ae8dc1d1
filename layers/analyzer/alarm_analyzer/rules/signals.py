"""Failure mechanisms recognized in log text, whatever the driver, framework or language wrote them.

Each pattern describes the mechanism (a pool that cannot hand out a connection, a server refusing
more clients, memory spilling to disk, a remote call that timed out) rather than one library's
message, so psycopg, SQLAlchemy, HikariCP, node-postgres, .NET and MySQL all land in the same bucket.
"""

from __future__ import annotations

import re
from typing import Literal

Mechanism = Literal["connection_exhaustion", "db_memory_pressure", "downstream_timeout"]

MECHANISMS: dict[Mechanism, re.Pattern[str]] = {
    "connection_exhaustion": re.compile(
        # HTTP client pools (urllib3's HTTPSConnectionPool) are not database pools.
        r"\b(?!https?\w*pool)\w*pool\w*\W.{0,60}?(exhaust|timed? ?out|limit|full|empty|overflow|no (available|free|idle))"
        r"|(exhaust|timed? ?out|timeout).{0,40}?\bpool"
        r"|(unable|could ?n[o']?t|cannot|failed|timed out|timeout) (to |while |when )?"
        r"(acquir|obtain|get|check ?out|fetch)\w* (a |new )?(new )?(db |database |jdbc )?connection"
        r"|(timeout|timed out|elapsed).{0,80}(acquir|obtain|get|fetch)\w* (a |new )?connection"
        r"|connection ?acquire ?timeout|connection is not available|no (available|free) connections?"
        r"|too many (connections|clients)|remaining connection slots|max_connections"
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
        r"|gateway time-?out|\b504\b|upstream (request )?timed? ?out|deadline exceeded|\bETIMEDOUT\b"
        r"|\bESOCKETTIMEDOUT\b|timed out (waiting|after \d+)",
        re.IGNORECASE,
    ),
}


def mechanisms_in(text: str) -> set[Mechanism]:
    return {name for name, pattern in MECHANISMS.items() if pattern.search(text)}
