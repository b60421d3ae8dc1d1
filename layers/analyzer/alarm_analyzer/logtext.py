"""Reading log lines: what a line says, how bad it is, and a copy safe to share.

Samples travel to email and Slack, so secrets are redacted first (``redaction``). Signatures (what
stays the same across occurrences of one message) are in ``signatures``.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from .redaction import redact

Level = Literal["error", "warning", "notice"]

MAX_SAMPLE = 500
MAX_JSON = 8192  # a longer line is read as text: parsing it would cost more than the line is worth

_ERROR = re.compile(
    r"\b(FATAL|CRITICAL|ERROR|SEVERE|PANIC|EMERG|ALERT)\b|Traceback|\bException\b|(?<=\w)(Error|Exception|Timeout|Fault)\b|"
    r"\b(failed|failure|refused|denied|exhausted|unavailable)\b|Task timed out|\btimed? ?out\b"
    r"|no space left on device|\bENOSPC\b"
    # A certificate or an AWS token refused, in the words of runtimes that log them without a level.
    r"|\bx509: |certificate has expired|\bCERT_HAS_EXPIRED\b|\bExpiredToken|security token included in the request",
    re.IGNORECASE,
)
_WARNING = re.compile(r"\bWARN(ING)?\b", re.IGNORECASE)
# Lines that are not errors but show a system under pressure (spilling to disk, retrying, throttled).
_NOTICE = re.compile(
    r"temporary file|out of memory|\bswap|spill|throttl|retry(ing)?|slow (query|request)|too many|"
    r"\bkilled\b|\bOOM\b|deadlock|reset by peer|circuit|duration: ?[\d.]+ ?ms\s+(statement|execute)|\bQuery_time:",
    re.IGNORECASE,
)

# CloudWatch Logs' server-side pre-filters, most selective first. Both are generous on purpose:
# every line they return is classified again here, exactly. The regex form (matched anywhere in a
# line) may only use the characters CloudWatch documents, so "." stands for a space; if a partition
# rejects it, the classic OR-of-terms form (whole terms, case-sensitive) takes over.
FILTER_PATTERNS = (
    "%[Ee]rror|ERROR|[Ee]xception|[Ff]atal|FATAL|[Ff]ail|FAIL|[Tt]imeout|TIMEOUT|[Tt]imed.out|[Ww]arn|WARN"
    "|[Rr]efused|[Dd]enied|[Ee]xhaust|[Tt]oo.many|[Tt]emporary.file|[Mm]emory|[Tt]hrottl|[Dd]eadlock"
    "|[Pp]anic|PANIC|[Kk]illed|OOM|[Uu]navailable|[Rr]etry|[Ss]low|duration..[0123456789]|Query.time"
    "|[Nn]o.space.left|ENOSPC|x509|[Cc]ertificate.has.expired|CERT.HAS.EXPIRED|ExpiredToken|security.token%",
    " ".join(
        f"?{term}"
        for term in (
            "ERROR", "Error", "error", "FATAL", "Fatal", "fatal", "CRITICAL", "Exception", "exception",
            "Traceback", "WARN", "Warn", "warn", "WARNING", "Warning", "warning", "failed", "Failed",
            "timeout", "Timeout", "timed", "refused", "denied", "exhausted", "temporary", "memory",
            "throttled", "Throttled", "retrying", "slow", "many", "killed", "deadlock", "PANIC", "panic",
            "duration", "Query_time", "space", "ENOSPC", "x509", "expired", "CERT_HAS_EXPIRED",
            "ExpiredToken", "ExpiredTokenException",
        )
    ),
)  # fmt: skip

_JSON_MESSAGE_KEYS = ("message", "msg", "errorMessage", "error", "exception", "err")
_JSON_LEVEL_KEYS = ("level", "levelname", "severity", "log_level", "lvl")
_LEVEL_WORDS = frozenset(
    {"ERROR", "FATAL", "CRITICAL", "SEVERE", "PANIC", "WARN", "WARNING", "INFO", "DEBUG", "TRACE"}
)


def _from_json(line: str) -> tuple[str, str] | None:
    if len(line) > MAX_JSON:
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    message = next((str(record[k]) for k in _JSON_MESSAGE_KEYS if record.get(k)), None)
    level = next((record[k] for k in _JSON_LEVEL_KEYS if record.get(k)), "")
    if isinstance(level, int | float):
        # pino and bunyan write numeric levels: 40 warn, 50 error, 60 fatal.
        level = "ERROR" if level >= 50 else "WARN" if level >= 40 else "INFO"
    if message is None:
        return None
    return message, str(level)


_PLATFORM_TEXT = re.compile(r"^(START|END|REPORT|INIT_START|EXTENSION|TELEMETRY) (RequestId|Runtime|Name)")
_PLATFORM_JSON = re.compile(r'"type"\s*:\s*"platform\.')


def is_platform_record(raw: str) -> bool:
    """A line the Lambda service writes about an invocation (text or JSON format), not the function."""
    line = raw.strip()
    return bool(_PLATFORM_TEXT.match(line) or (line.startswith("{") and _PLATFORM_JSON.search(line[:200])))


# The exception line under a logger line: "java.lang.NullPointerException: ...", "Caused by: ...".
_CAUSE_LINE = re.compile(r"^\s*(Caused by: )?[a-zA-Z_$][\w$]*(\.[\w$]+)+(Exception|Error)\b")


def message_of(raw: str) -> tuple[str, str]:
    """The meaningful message of a log event and any level it declares.

    A line is structured when it is a JSON object, or when its last tab-separated field is one (the
    Lambda runtime's "time, request id, level, message" form); otherwise its text is the message.
    """
    line = raw.strip()
    if not line.startswith("{") and "\t" not in line and "\n" not in line and "\r" not in line:
        return line, ""  # most lines: plain text on one line
    message, level = line, ""
    fields = line.split("\t")
    if line.startswith("{"):
        message, level = _from_json(line) or (line, "")
    elif len(fields) > 1 and fields[-1].lstrip().startswith("{"):
        prefix_level = next((f for f in fields[:-1] if f.strip().upper() in _LEVEL_WORDS), "")
        message, level = _from_json(fields[-1].strip()) or (line, "")
        level = level or prefix_level
    lines = [part for part in message.splitlines() if part.strip()]
    if len(lines) > 1 and lines[0].startswith("Traceback"):
        # A Python traceback says what went wrong on its last line.
        return lines[-1].strip(), level
    cause = next((line.strip() for line in lines[1:] if _CAUSE_LINE.match(line)), None)
    if cause:
        # A JVM or .NET logger line names the request; the exception under it names the failure.
        return f"{lines[0].strip()}: {cause}", level
    first = lines[0].strip() if lines else ""
    said = next((part.strip() for part in lines[1:] if level_of(part)), None)
    if not level and said and level_of(first) is None:
        # A header opens the entry (MySQL's slow log: "# Time:", "# User@Host:", "# Query_time:", the
        # statement): its first line that says something names it, with its last, what it was about.
        last = lines[-1].strip()
        return (f"{said} {last}" if last != said else said), level
    return first, level


def level_of(message: str, declared: str = "") -> Level | None:
    """error, warning, notice (pressure without an error), or None for an ordinary line."""
    declared = declared.upper()
    if declared in {"ERROR", "FATAL", "CRITICAL", "SEVERE", "PANIC"}:
        return "error"
    if declared in {"WARN", "WARNING"}:
        return "warning"
    if declared in {"INFO", "DEBUG", "TRACE"}:
        # A structured line's level is authoritative, except for signs of pressure.
        return "notice" if _NOTICE.search(message) else None
    if _ERROR.search(message):
        return "error"
    if _WARNING.search(message):
        return "warning"
    if _NOTICE.search(message):
        return "notice"
    return None


def sample_of(raw: str) -> str:
    return redact(raw.strip(), MAX_SAMPLE)[:MAX_SAMPLE]
