"""Hostile content, shared by the tests and ``make bench-hostile``: what an application may write into its
logs, alarm descriptions, tags and dead-letter messages that must never reach a reader of the report.

Three kinds of entries:
- ``SECRETS``: a log line per kind of secret or personal datum; each names the parts that must not
  survive in any rendering or channel. The secrets are made up here (seeded, so the corpus is stable)
  in the shapes the real ones have, not copied from any documentation.
- ``MARKUP``: text that would become live markup, a mention or a terminal control sequence if a
  renderer passed it through; each names what must not appear live in each medium.
- ``KEEP``: ordinary log text that looks a little like a secret (a git SHA, a UUID, an order number
  failing Luhn, timestamps, versions); redaction must leave it alone.

``long_line()`` and ``long_tokens()`` are the inputs that made the old redaction quadratic.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

_RNG = random.Random(20260504)
_BASE64 = string.ascii_letters + string.digits + "+/"
_ALNUM = string.ascii_letters + string.digits


def _pick(alphabet: str, length: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(length))


def _secret_access_key() -> str:
    """40 base64 characters with every character class in them, as AWS issues them."""
    while True:
        key = _pick(_BASE64, 40)
        if any(c.isupper() for c in key) and any(c.islower() for c in key) and any(c.isdigit() for c in key):
            return key


def _luhn_complete(prefix: str) -> str:
    """``prefix`` and the check digit that makes it pass the Luhn test."""
    total = 0
    for i, digit in enumerate(reversed(prefix)):
        value = int(digit) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return prefix + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Secret:
    kind: str
    line: str
    secrets: tuple[str, ...]  # substrings that must not survive anywhere


ACCESS_KEY_ID = "AKIA" + _pick(string.ascii_uppercase + "234567", 16)
SESSION_KEY_ID = "ASIA" + _pick(string.ascii_uppercase + "234567", 16)
SECRET_ACCESS_KEY = _secret_access_key()
SESSION_TOKEN = "IQoJb3JpZ2luX2VjE" + _pick(_BASE64, 360) + "=="
PRIVATE_KEY_BODY = _pick(_BASE64, 64)
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJ1c2VyLTQyIiwiZW1haWwiOiJib2JAZXhhbXBsZS5jb20iLCJpYXQiOjE3NzgwMDAwMDB9."
    + _pick(_ALNUM + "-_", 43)
)
GITHUB_TOKEN = "ghp_" + _pick(_ALNUM, 36)
SLACK_TOKEN = "xoxb-" + _pick(string.digits, 12) + "-" + _pick(string.digits, 13) + "-" + _pick(_ALNUM, 24)
STRIPE_KEY = "sk_live_" + _pick(_ALNUM, 24)
GOOGLE_KEY = "AIza" + _pick(_ALNUM + "-_", 35)
CARD = _luhn_complete("4" + _pick(string.digits, 14))
CARD_SPACED = " ".join(CARD[i : i + 4] for i in range(0, 16, 4))
AMEX = _luhn_complete("37" + _pick(string.digits, 12))
AMEX_DASHED = f"{AMEX[:4]}-{AMEX[4:10]}-{AMEX[10:]}"
COOKIE_VALUE = _pick(_ALNUM, 32)
BASIC_CREDENTIALS = "YWRtaW46aHVudGVyMg=="  # admin:hunter2
SIGNATURE = _pick("0123456789abcdef", 64)

SECRETS: tuple[Secret, ...] = (
    Secret(
        "aws_access_key_id",
        f"ERROR s3 PutObject failed for {ACCESS_KEY_ID}: SignatureDoesNotMatch",
        (ACCESS_KEY_ID,),
    ),
    Secret(
        "aws_secret_access_key",
        f"WARN signing with {SESSION_KEY_ID} {SECRET_ACCESS_KEY} failed, retrying",
        (SESSION_KEY_ID, SECRET_ACCESS_KEY),
    ),
    Secret(
        "aws_session_token",
        f"DEBUG assumed role, session {SESSION_TOKEN} expires soon",
        (SESSION_TOKEN, SESSION_TOKEN[:40], SESSION_TOKEN[-40:]),
    ),
    Secret(
        "private_key",
        f'ERROR bad key "-----BEGIN RSA PRIVATE KEY-----\\n{PRIVATE_KEY_BODY}\\n-----END RSA PRIVATE KEY-----"',
        (PRIVATE_KEY_BODY, PRIVATE_KEY_BODY[:24]),
    ),
    Secret("jwt", f"ERROR token rejected: {JWT} (expired)", (JWT, JWT.split(".")[1], JWT.split(".")[2])),
    Secret(
        "api_token",
        f"ERROR clients failed: github {GITHUB_TOKEN} slack {SLACK_TOKEN} stripe {STRIPE_KEY} maps {GOOGLE_KEY}",
        (GITHUB_TOKEN, SLACK_TOKEN, STRIPE_KEY, GOOGLE_KEY),
    ),
    Secret(
        "card_number",
        f"ERROR payment declined card={CARD_SPACED} exp 12/29 cvv 123; retry with {AMEX_DASHED}",
        (CARD_SPACED, CARD, AMEX_DASHED, AMEX, "cvv 123", CARD_SPACED[-4:] + " exp"),
    ),
    Secret(
        "national_id",
        "ERROR KYC check failed for ssn 536-22-8145 (tax id on file)",
        ("536-22-8145",),
    ),
    Secret(
        "phone_number",
        "WARN SMS undeliverable to +1 415-555-0132, (212) 555-0187, +81 90-1234-5678 and 03-5412-7788",
        ("415-555-0132", "555-0187", "90-1234-5678", "03-5412-7788", "5412-7788"),
    ),
    Secret(
        "cookie",
        f'ERROR session lost Cookie: sessionid={COOKIE_VALUE}; csrftoken=Zq81 | Set-Cookie: sid={COOKIE_VALUE[::-1]}; HttpOnly | {{"cookie": "auth={COOKIE_VALUE[:16]}"}}',
        (COOKIE_VALUE, COOKIE_VALUE[::-1], COOKIE_VALUE[:16], "Zq81"),
    ),
    Secret(
        "authorization_header",
        f"WARN 401 for Authorization: Basic {BASIC_CREDENTIALS} then Authorization: AWS4-HMAC-SHA256 "
        f"Credential={SESSION_KEY_ID}/20260504/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature={SIGNATURE}",
        (BASIC_CREDENTIALS, SESSION_KEY_ID, SIGNATURE),
    ),
    Secret(
        "url_credentials",
        "ERROR fetch https://admin:Pa55word@wiki.example.org/rb failed; cache redis://:s3cr3tRedis@cache:6379/0",
        ("admin:Pa55word", "Pa55word", "s3cr3tRedis"),
    ),
    Secret(
        "connection_string",
        "FATAL cannot open Server=tcp:db.example.net,1433;Database=orders;User ID=app;Password=Tr0ub4dor&3;"
        " nor mongodb+srv://svc:Mongo-Pw-77@cluster0.example.net/orders",
        ("Tr0ub4dor", "&3;", "Mongo-Pw-77"),
    ),
    Secret(
        "key_value",
        'ERROR config DB_PASSWORD=hunter2 dbPassword: "correct horse battery" {"client_secret": "c1i3nt-s3cr3t",'
        ' "apiKey": \'k-9f8e7d6c\'} body={\\"password\\":\\"esc4ped-pw\\"} X-Api-Key: 0a9b8c7d6e',
        ("hunter2", "correct horse", "battery", "c1i3nt-s3cr3t", "k-9f8e7d6c", "esc4ped-pw", "0a9b8c7d6e"),
    ),
)

EMAIL = Secret("email", "WARN password reset mail to bob.smith+ops@example.com bounced", ("bob.smith+ops",))


@dataclass(frozen=True)
class Markup:
    kind: str
    line: str
    live: tuple[str, ...]  # what must not appear as such in a rendering that would make it live


MARKUP: tuple[Markup, ...] = (
    Markup(
        "html",
        'ERROR render failed: <script>alert(1)</script> <img src=x onerror="alert(2)">',
        ("<script", "<img"),
    ),
    Markup(
        "mention", "ERROR escalate to @acme/oncall-team and @octocat now", ("@acme/oncall-team", "@octocat")
    ),
    Markup(
        "markdown_link",
        "ERROR see ![pixel](https://evil.example/p.png) or [click](javascript:alert(3))",
        ("![pixel](", "[click]("),
    ),
    Markup(
        "slack",
        "ERROR <!channel> <!here> <@U024BE7LH> <!subteam^S0123> <https://evil.example|click>",
        ("<!", "<@", "<https"),
    ),
    Markup(
        "control",
        "ERROR \x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b[2J\x00 \u202eeulav\r"
        "OK all good",
        ("\x1b", "\x00", "\u202e", "\r", "\x07"),
    ),
)

# Links an alarm may carry that must never become live: in the runbook tag and the description.
JAVASCRIPT_RUNBOOK = "javascript:alert(document.domain)"
DATA_URL = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
CREDENTIALED_RUNBOOK = "https://admin:password@wiki.example.org/runbooks/web-latency"

KEEP: tuple[str, ...] = (
    "deployed commit 3f9c2a7be1d04c6f8a5e2b9d7c1f0e4a6b8d2c5f",  # a git SHA
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",  # a digest
    "request 5f0c1e2a-4b7d-4c1e-9a3b-2d9e8f7a6b5c",  # a UUID
    "order 4111111111111112 rejected",  # fails Luhn
    "at 2026-05-04T12:00:00.123+09:00 took 1714824000123 ms",  # timestamps
    "runtime python3.13 version 10.0.19041.1234 build 1.2.3",  # versions
    "account 123456789012 region eu-west-1",  # an AWS account id
    "path /aws/lambda/OrderServiceCheckoutHandlerFunction01",  # a 40-character path
)


def long_line(size: int = 1_000_000) -> str:
    """An ordinary-looking log line of ``size`` characters: words, numbers, key=value pairs, ids."""
    unit = (
        "ERROR order 4411 failed after 3012 ms user=alice status=503 id=7f3a9c2e1d "
        "url=https://api.example.com/v1/x?id=9 ip 10.2.3.4:8443 at 12:00:01.123 "
    )
    return (unit * (size // len(unit) + 1))[:size]


def long_tokens(size: int = 64 * 1024) -> dict[str, str]:
    """Single tokens of ``size`` characters, one per character class a secret pattern might start on."""
    return {
        "letters": "a" * size,
        "hex": ("0123456789abcdef" * (size // 16 + 1))[:size],
        "base64": _pick(_BASE64, size),
        "digits": ("4111" * (size // 4 + 1))[:size],
        "spaced digits": ("4 " * (size // 2 + 1))[:size],
        "word chars": ("a_b-c.d" * (size // 7 + 1))[:size],
    }
