"""What a report may show: secrets and personal data redacted, control sequences removed, links checked.

Reports travel to email, Slack and GitHub, so anything an application wrote into a log line, an alarm
description or a dead-letter message is redacted before a reader sees it: AWS keys and session
tokens, private keys, JWTs, well-known API tokens, card numbers (Luhn-checked), social security and
phone numbers, cookies, authorization headers, credentials in URLs and connection strings, values of
keys that name a secret, and email addresses.

One pass, linear in the text: every kind is one alternative of a single pattern, each alternative
starts on a literal or behind a boundary (so inside a long token every position fails at once), and
every repetition is bounded (so no position costs more than a fixed amount, whatever the text): a
64 KB single token costs a few milliseconds and a 1 MB line of dense log text about 100 (``make
bench-hostile``), and ``limit`` bounds the work to what is shown. Shapes a pattern cannot judge
alone (Luhn, the mix of characters in a bare AWS secret key, the length of a Japanese phone number)
are checked on the match, so git SHAs, hex digests, UUIDs, timestamps, versions and ordinary words
stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REDACTED = "<redacted>"

# Names whose value is a secret, in any casing, alone or ending a longer name (DB_PASSWORD, dbPassword,
# PGPASSWORD, aws_secret_access_key, X-Amz-Security-Token, client_secret, SessionId), by first letter.
# A name starts where a lowercase run does not continue into it (a word start, after "_", "-" or a
# capital); a suffix is allowed only when it still names the value, so "SignatureDoesNotMatch:" or
# "ExpiredTokenException:" are not names.
_SECRET_NAMES = {
    "a": r"pi[_-]?key|ccess[_-]?key|ccount[_-]?key",
    "c": r"redentials?",
    "e": r"ncryption[_-]?key",
    "m": r"aster[_-]?key",
    "n": r"ational[_-]?id",
    "p": r"assw(?:or)?d|assphrase|wd|rivate[_-]?key",
    "s": r"ecret|ession(?:[_-]?id)?|essid|ig(?:nature)?|sn|igning[_-]?key|hared[_-]?access[_-]?key"
    r"|ocial[_-]?security(?:[_-]?number)?",
    "t": r"oken|ax[_-]?id",
}
_HEADER_NAMES = {"a": "uthorization", "c": "ookie"}  # Authorization, Proxy-Authorization, Cookie, Set-Cookie
_NAME_SUFFIX = r"(?i:[_.-]?(?:id|key|value|string|hash|b64|base64))?s?"
_SEPARATOR = r"(?:\\?[\"'])?\s{0,3}(?:=>|[=:])\s{0,3}"
# A quoted value, its closing quote missing when the text was cut inside it.
_QUOTED = (
    r"\\\"[^\"]{0,4000}?(?:\\\"|$)"  # a quoted value inside a JSON string: \"...\"
    r"|\"(?:[^\"\\\r\n]|\\.){0,4000}(?:\"|$)"
    r"|'[^'\r\n]{0,4000}(?:'|$)"
)
# A bare value ends at a space, a quote, a bracket, a comma or semicolon, or a "&" that starts the next
# query parameter (a password may hold "&"); one that starts with "<" is a placeholder already.
_BARE = r"(?!<)(?:[^\s,;&\"'(){}\[\]\\]|&(?![\w.-]{1,40}=)){1,4000}"
_NOT_AFTER = r"(?<![.+-].)"  # after the first character: no ".", "+" or "-" before it (not inside a number)
_DIGIT_END = r"(?![0-9]|[.-]\d)"  # not followed by more of a number


def _names(names: dict[str, str]) -> str:
    """One alternative for a set of names by first letter: the letter (a lowercase one not continuing a
    lowercase run, none after ":" as in an ARN's ``:secret:name``), then the rest of a name that starts
    with it, in any casing."""
    firsts = "".join(names)
    rests = "|".join(f"(?<=[{f}{f.upper()}])(?i:{rest})" for f, rest in names.items())
    return f"[{firsts}{firsts.upper()}](?<![a-z][{firsts}])(?<!:[{firsts}{firsts.upper()}])(?:{rests})"


# Each kind is one alternative, and every alternative starts on a literal or a character class (the
# engine rejects a position on its first character) or behind a boundary that fails inside a token;
# the match names its kind by an empty group at its end. Kinds that start a word share one boundary
# test; names of secrets may end a longer name, so they run anywhere.
_ANYWHERE: tuple[tuple[str, str], ...] = (
    (
        "private_key",
        r"-----BEGIN[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----)){0,65536}"
        r"(?:-----END[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?",
    ),
    (
        "header",
        # The whole header value: a scheme and its credentials, or every cookie of the line.
        rf"{_names(_HEADER_NAMES)}s?{_SEPARATOR}(?P<header_value>{_QUOTED}|[^\r\n\"'\\]{{1,8192}})",
    ),
    ("secret_value", rf"{_names(_SECRET_NAMES)}{_NAME_SUFFIX}{_SEPARATOR}(?P<value>{_QUOTED}|{_BARE})"),
)
_WORD_START: tuple[tuple[str, str], ...] = (
    ("url_credentials", r"[A-Za-z]" + _NOT_AFTER + r"[A-Za-z0-9+.-]{0,30}+://[^\s/?#@\"'<>\\]{1,256}+@"),
    ("card_code", r"[Cc](?i:vv2?|vc2?|sc)(?![A-Za-z0-9])[\s:=]{1,3}(?P<code>\d{3,4})(?![0-9])"),
    ("bearer", r"[Bb](?i:earer|asic)\s{1,3}(?P<credential>[A-Za-z0-9._~+/=-]{8,4096})"),
    ("jwt", r"e(?<![_-]e)yJ[A-Za-z0-9_-]{5,4096}+\.eyJ[A-Za-z0-9_-]{0,8192}(?:\.[A-Za-z0-9_-]{0,4096})?"),
    (
        "aws_session_token",
        r"[AFI](?<![+/].)(?:goJb3JpZ2lu|QoDYXdz|woGZXIvYXdz|QoGZXIvYXdz|QoJb3JpZ2lu)[A-Za-z0-9+/=]{16,8192}",
    ),
    ("aws_access_key", r"A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
    (
        "token",
        r"(?=[AGSghnprsx])(?<![_-])(?:(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,247}|gh[pousr]_[A-Za-z0-9]{36,251}"
        r"|github_pat_[A-Za-z0-9_]{40,255}|glpat-[A-Za-z0-9_-]{20,64}|xox[abposre]-[A-Za-z0-9-]{10,250}"
        r"|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}|pypi-AgE[A-Za-z0-9_-]{50,1000}"
        r"|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,250}|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}|hf_[A-Za-z0-9]{34}"
        r"|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{8,200})",
    ),
    ("aws_secret_key", r"[A-Za-z0-9+/](?<![+/=].)[A-Za-z0-9+/]{39}(?![A-Za-z0-9+/=])"),
    (
        "email",
        r"[A-Za-z0-9_](?<![_.+-].)[A-Za-z0-9_.+-]{0,63}+@[A-Za-z0-9-]{1,63}+(?:\.[A-Za-z0-9-]{1,63}+){1,8}",
    ),
    (
        "card",
        # Issuer prefixes 2-6 (Mastercard, Amex, Visa, Discover); contiguous, in groups of four (16 to
        # 19 digits), or 4-6-5 / 4-6-4 (Amex, Diners), with one kind of separator.
        r"[2-6]"
        + _NOT_AFTER
        + r"\d{3}(?:\d{9,15}+(?![0-9])|(?P<sep4>[ -])\d{4}(?P=sep4)\d{4}(?P=sep4)\d{1,4}"
        r"(?:(?P=sep4)\d{1,3})?(?![0-9])|(?P<sep6>[ -])\d{6}(?P=sep6)\d{4,5}(?![0-9]))",
    ),
    ("ssn", r"[0-8]" + _NOT_AFTER + r"\d{2}(?<!000)(?<!666)-(?!00)\d{2}-(?!0000)\d{4}" + _DIGIT_END),
    ("phone_e164", r"\+(?<!\+\+)[1-9](?:[ .-]?\d){7,14}(?![0-9])"),
    ("phone_us", r"\d" + _NOT_AFTER + r"\d{2}[.-]\d{3}[.-]\d{4}" + _DIGIT_END),
    ("phone_us_area", r"\(" + _NOT_AFTER + r"\d{3}\)\s?\d{3}[.-]\d{4}" + _DIGIT_END),
    ("phone_national", r"0" + _NOT_AFTER + r"\d{1,4}(?:-\d{1,4}-|\(\d{1,4}\))\d{3,4}" + _DIGIT_END),
)


def _alternatives(kinds: tuple[tuple[str, str], ...]) -> str:
    return "|".join(f"(?:{pattern})(?P<{kind}>)" for kind, pattern in kinds)


_SCAN = re.compile(f"(?<![A-Za-z0-9])(?:{_alternatives(_WORD_START)})|{_alternatives(_ANYWHERE)}")

_CONTROL = re.compile(
    # ANSI/VT escape sequences (CSI, OSC up to its terminator, two-character escapes), then any other C0
    # or C1 control character but tab and newline, the bidirectional overrides that reorder text, and
    # the invisible characters that could split a secret in two.
    r"\x1b(?:\[[0-?]{0,64}[ -/]{0,16}[@-~]?|\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?|[@-Z\\^_])?"
    r"|\x9b[0-?]{0,64}[ -/]{0,16}[@-~]?|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)

# Real AWS secret keys are random: about 25 switches between character classes in 40 characters, and
# fewer than 16 in fewer than 1 in 1,000 keys; words, paths and CamelCase names switch far less.
_MIN_CLASS_SWITCHES = 16


def _class_of(char: str) -> int:
    return 0 if char.isupper() else 1 if char.islower() else 2 if char.isdigit() else 3


def looks_random(token: str) -> bool:
    """A bare 40-character token shaped like an AWS secret access key, not a SHA, digest, word or path."""
    classes = [_class_of(c) for c in token]
    if not {0, 1, 2} <= set(classes):
        return False
    return sum(a != b for a, b in pairwise(classes)) >= _MIN_CLASS_SWITCHES


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    """A card-shaped number: redacted when it (or, with a stray last group, its first 16+ digits) passes
    the Luhn test; an order or account number that fails it stays."""
    text = match.group()
    candidates = [text]
    if match.group("sep4") and text.count(match.group("sep4")) == 4:
        candidates.append(text[: text.rindex(match.group("sep4"))])
    for candidate in candidates:
        if luhn_valid(re.sub(r"\D", "", candidate)):
            return "<card>" + text[len(candidate) :]
    return text


def _phone_national(match: re.Match[str]) -> str:
    """Trunk-prefixed national numbers (Japan 03-1234-5678, 090-1234-5678, 0120-123-456; the UK, France,
    Germany alike) have 10 or 11 digits; a date such as 05-04-2026 has fewer."""
    digits = sum(c.isdigit() for c in match.group())
    return "<phone>" if digits in (10, 11) else match.group()


def _before(match: re.Match[str], group: str) -> str:
    """The match up to ``group``: the name and separator before a value."""
    return match.string[match.start() : match.start(group)]


def _redacted_value(match: re.Match[str], group: str) -> str:
    """The name kept and its value redacted, inside the value's quotes when it had some (JSON stays
    readable)."""
    value = match.group(group)
    quote = next((q for q in ('\\"', '"', "'") if value.startswith(q) and len(value) > len(q)), "")
    return f"{_before(match, group)}{quote}{REDACTED}{quote}"


def _credential(match: re.Match[str]) -> str:
    """After "Bearer" or "Basic": a credential has digits, capitals or symbols; a word does not."""
    credential = match.group("credential")
    if credential.isalpha() and credential[1:].islower():
        return match.group()
    return _before(match, "credential") + REDACTED


_REPLACEMENTS: dict[str, Callable[[re.Match[str]], str]] = {
    "private_key": lambda m: "<private-key>",
    "url_credentials": lambda m: m.group()[: m.group().index("://") + 3] + REDACTED + "@",
    "header": lambda m: _redacted_value(m, "header_value"),
    "secret_value": lambda m: _redacted_value(m, "value"),
    "card_code": lambda m: _before(m, "code") + REDACTED,
    "bearer": _credential,
    "jwt": lambda m: "<jwt>",
    "aws_session_token": lambda m: "<aws-session-token>",
    "aws_access_key": lambda m: "<aws-access-key>",
    "token": lambda m: "<token>",
    "aws_secret_key": lambda m: "<aws-secret-key>" if looks_random(m.group()) else m.group(),
    "email": lambda m: "<email>",
    "card": _card,
    "ssn": lambda m: "<ssn>",
    "phone_e164": lambda m: "<phone>",
    "phone_us": lambda m: "<phone>",
    "phone_us_area": lambda m: "<phone>",
    "phone_national": _phone_national,
}


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.lastgroup or ""](match)


# No pattern reaches further than this past the start of its match, except those that still match when
# cut short (a private key, a JWT, a session token): redacting this much beyond what is shown redacts
# everything shown.
_REACH = 16_384
MAX_TEXT = 16_384  # the longest text a report shows; a log sample is 500 characters, a summary a line
CUT = "…"


def redact(text: str, limit: int | None = None) -> str:
    """``text`` with every secret and personal datum replaced by a placeholder naming its kind; with
    ``limit``, only its first ``limit`` characters (a secret that starts there is replaced whole), and
    only what can reach them is read, so the work is bounded however long the text is."""
    if limit is None or len(text) <= limit:
        return _SCAN.sub(_replace, text)
    parts, position = [], 0
    for match in _SCAN.finditer(text, 0, limit + _REACH):
        if match.start() >= limit:
            break
        parts += [text[position : match.start()], _replace(match)]
        position = match.end()
    parts.append(text[position:limit])
    return "".join(parts)


def strip_control(text: str) -> str:
    """``text`` without terminal escape sequences, control characters (tab and newline stay),
    bidirectional overrides or invisible characters."""
    return _CONTROL.sub("", text)


def clean(text: str, limit: int = MAX_TEXT) -> str:
    """What a reader may see of ``text``: control sequences removed first (so none can split a secret
    the redaction would otherwise see), then secrets redacted; cut with a marker past ``limit``."""
    window = text[: limit + 2 * _REACH]
    visible = strip_control(window)
    if len(window) == len(text) and len(visible) <= limit:
        return redact(visible)
    # Cut: show only what the window holds with room for the longest secret after it.
    shown = limit if len(window) == len(text) else max(min(limit, len(visible) - _REACH), 0)
    return redact(visible, shown) + CUT


def clean_data(value: Any, keep: Collection[str] = ()) -> Any:
    """Every string in ``value`` (models, mappings and sequences, recursively) cleaned, except the values
    of the keys in ``keep``."""
    if isinstance(value, str):
        return clean(value)
    if callable(getattr(value, "model_dump", None)):  # a pydantic model (not imported: the CLI's log
        value = value.model_dump()  # signatures start without pydantic)
    if isinstance(value, Mapping):
        return {k: v if k in keep else clean_data(v, keep) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(v, keep) for v in value)
    return value


_LINK_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`]")
MAX_LINK = 3000  # what Slack takes in a button; longer URLs are not what a runbook or console link is


def safe_link(url: str | None) -> str | None:
    """``url`` as a link the report may render, or None: http or https with a host, credentials removed
    (``https://admin:pw@wiki/x`` becomes ``https://wiki/x``), nothing that could leave an attribute.
    A ``javascript:`` or ``data:`` URL is never a link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:  # a malformed host or port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
    link = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
    return None if len(link) > MAX_LINK or _LINK_UNSAFE.search(link) else link
