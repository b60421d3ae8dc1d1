"""Redaction: each kind of secret or personal datum, a near miss of it that must stay, bounded work on long
text, control sequences, and which links the report may render."""

from __future__ import annotations

import pytest

from alarm_analyzer.redaction import (
    CUT,
    MAX_TEXT,
    REDACTED,
    clean,
    clean_data,
    looks_random,
    luhn_valid,
    redact,
    safe_link,
    strip_control,
)
from alarm_devtools import hostile

SECRET_KEY = "Ab3dE/fG5hIj7kLm+nO9pQrS1tUv2wXy4zA6bC8d"


@pytest.mark.parametrize(
    ("line", "secret", "placeholder"),
    [
        ("login failed for AKIAQWERTYUIOPASDFGH:", "AKIAQWERTYUIOPASDFGH", "<aws-access-key>"),
        (f"signing with {SECRET_KEY} failed", SECRET_KEY, "<aws-secret-key>"),
        (f'"{SECRET_KEY}"', SECRET_KEY, "<aws-secret-key>"),
        (f"creds {hostile.SESSION_TOKEN} ok", hostile.SESSION_TOKEN[12:60], "<aws-session-token>"),
        (
            "key -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY----- end",
            "b3BlbnNzaC1rZXk",
            "<private-key> end",
        ),
        (
            "truncated -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
            "MIIEvQIBADAN",
            "<private-key>",
        ),
        (f"bad token {hostile.JWT}", hostile.JWT.split(".")[1], "<jwt>"),
        (f"github {hostile.GITHUB_TOKEN}.", hostile.GITHUB_TOKEN, "<token>."),
        (f"slack {hostile.SLACK_TOKEN}", hostile.SLACK_TOKEN, "<token>"),
        (f"stripe {hostile.STRIPE_KEY}", hostile.STRIPE_KEY, "<token>"),
        (f"maps {hostile.GOOGLE_KEY}", hostile.GOOGLE_KEY, "<token>"),
        ("card=4111 1111 1111 1111 exp 12/29", "1111 1111", "card=<card> exp"),
        ("card 4111-1111-1111-1111 12/29", "1111-1111", "card <card> 12/29"),
        ("pan 4111111111111111.", "4111111111111111", "pan <card>."),
        ("amex 3782 822463 10005", "822463", "amex <card>"),
        ("cvv 123 exp", "123", f"cvv {REDACTED} exp"),
        ("ssn 536-22-8145.", "536-22-8145", "ssn <ssn>."),
        ("call +1 415 555 0132 now", "555 0132", "call <phone> now"),
        ("call (415) 555-0132 now", "555-0132", "call <phone> now"),
        ("call 415.555.0132 now", "555.0132", "call <phone> now"),
        ("tel +81-3-5412-7788", "5412-7788", "tel <phone>"),
        ("tel 03-5412-7788 / 090-1234-5678 / 0120-123-456", "1234-5678", "tel <phone> / <phone> / <phone>"),
        ("Cookie: session=abc123; theme=dark", "abc123", f"Cookie: {REDACTED}"),
        ("Set-Cookie: sid=s3cr3t; HttpOnly", "s3cr3t", f"Set-Cookie: {REDACTED}"),
        ("Authorization: Bearer abc.def-ghi", "abc.def", f"Authorization: {REDACTED}"),
        ("{'Authorization': 'Basic dXNlcjpwYXNz'}", "dXNlcjpwYXNz", f"{{'Authorization': '{REDACTED}'}}"),
        ("retrying with Bearer Zm9vYmFyYmF6", "Zm9vYmFyYmF6", f"retrying with Bearer {REDACTED}"),
        ("https://admin:hunter2@wiki.example.org/x", "hunter2", f"https://{REDACTED}@wiki.example.org/x"),
        ("redis://:hunter2@cache:6379", "hunter2", f"redis://{REDACTED}@cache:6379"),
        ("Server=db;User Id=sa;Password=p&ss;Encrypt=true", "p&ss", f"Password={REDACTED};Encrypt=true"),
        ("jdbc:mysql://db/x?user=app&password=hunter2&ssl=1", "hunter2", f"password={REDACTED}&ssl=1"),
        ("DB_PASSWORD=hunter2 PGPASSWORD=hunter3", "hunter", f"DB_PASSWORD={REDACTED} PGPASSWORD={REDACTED}"),
        ('{"dbPassword": "a b c"}', "a b c", f'{{"dbPassword": "{REDACTED}"}}'),
        ("aws_secret_access_key = wJalr", "wJalr", f"aws_secret_access_key = {REDACTED}"),
        ('msg="{\\"client_secret\\":\\"s3\\"}"', "s3\\", f'{{\\"client_secret\\":\\"{REDACTED}\\"}}'),
        ("X-Amz-Security-Token=FQo%2Fabc&X-Amz-Signature=ab12", "FQo", f"Token={REDACTED}&X-Amz-Signature"),
        ("sas ?sv=2024&sig=Zm9v%2Bbar&se=1", "Zm9v", f"sig={REDACTED}&se=1"),
        ("password=ab<cd ok", "<cd", f"password={REDACTED} ok"),
        ("mail bob.smith+ops@example.co.jp now", "bob.smith", "mail <email> now"),
    ],
)
def test_each_kind_is_redacted(line: str, secret: str, placeholder: str) -> None:
    redacted = redact(line)
    assert secret not in redacted
    assert placeholder in redacted


@pytest.mark.parametrize(
    "line",
    [
        *hostile.KEEP,
        "deployed 3F9C2A7BE1D04C6F8A5E2B9D7C1F0E4A6B8D2C5F",  # an uppercase SHA
        "class AbstractSingletonProxyFactoryBean1234 failed",  # a long CamelCase name with a digit
        "path /aws/lambda/OrderCheckoutHandlerFn012",  # a path of exactly 40 characters
        "order 4111 1111 1111 1112 rejected",  # grouped like a card, fails Luhn
        "invoice 1714824000123456",  # an epoch in microseconds
        "on 05-04-2026 and 2026-05-04 at 12:00:00",  # dates
        "ip 192.168.100.200:8443 and 10.0.0.1",
        "id 12345678-1234-1234-1234-123456789012",  # an all-digit UUID
        "SignatureDoesNotMatch: The request signature we calculated does not match",
        "ExpiredTokenException: The security token included in the request is expired",
        "token_count=5 secretArn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:x",
        "Basic authentication failed; bearer token expired",
        "+0000 and +09:00 offsets, 3+4 retries",
    ],
)
def test_near_misses_stay(line: str) -> None:
    assert redact(line) == line


def test_a_bare_secret_key_needs_the_mix_of_a_random_one() -> None:
    assert looks_random(SECRET_KEY)
    assert looks_random(hostile.SECRET_ACCESS_KEY)
    assert not looks_random("3f9c2a7be1d04c6f8a5e2b9d7c1f0e4a6b8d2c5f")
    assert not looks_random("OrderServiceCheckoutHandlerFunction01234")


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid(hostile.CARD)
    assert not luhn_valid("4111111111111112")


def test_redacting_twice_changes_nothing() -> None:
    once = redact(" ".join(s.line for s in hostile.SECRETS))
    assert redact(once) == once


def test_a_limit_reads_only_what_reaches_the_shown_part_and_replaces_a_secret_across_it_whole() -> None:
    secret = "AKIAQWERTYUIOPASDFGH"
    text = "x" * 95 + " " + secret + " " + "y" * 100_000
    shown = redact(text, 100)
    assert shown == "x" * 95 + " <aws-access-key>"
    assert redact("short " + secret, 100) == "short <aws-access-key>"


def test_clean_cuts_long_text_with_a_marker_and_keeps_tab_and_newline() -> None:
    cleaned = clean(hostile.long_line())
    assert cleaned.endswith(CUT)
    assert len(cleaned) <= MAX_TEXT + len(CUT) + 20
    assert clean("a\tb\nc") == "a\tb\nc"


def test_a_secret_split_by_control_characters_is_joined_then_redacted() -> None:
    assert clean("key AKIA\x1b[0mQWERTYUIOP\u200bASDFGH end") == "key <aws-access-key> end"
    # Many control characters before a cut leave less to show, never a secret cut in two.
    text = "\x07" * 40_000 + "password=hunter2 " + "z" * 40_000
    assert "hunter2" not in clean(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;https://evil.example\x07link\x1b]8;;\x07", "link"),
        ("a\x00b\x7fc\x85d\x9b2Je", "abcde"),
        ("\u202eevil\u2066x\u2069", "evilx"),
        ("line\r\nnext\ttab", "line\nnext\ttab"),
    ],
)
def test_control_sequences_are_removed(text: str, expected: str) -> None:
    assert strip_control(text) == expected


def test_clean_data_cleans_every_text_but_the_kept_keys() -> None:
    data = {"a": ["AKIAQWERTYUIOPASDFGH", ("x", 1)], "b": {"c": "\x1bz"}, "keep": "password=x"}
    assert clean_data(data, keep={"keep"}) == {
        "a": ["<aws-access-key>", ("x", 1)],
        "b": {"c": "z"},
        "keep": "password=x",
    }


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://wiki.example.org/rb?x=1#top", "https://wiki.example.org/rb?x=1#top"),
        (" HTTP://Wiki.Example.org:8443/rb ", "http://wiki.example.org:8443/rb"),
        ("https://admin:password@wiki.example.org/rb", "https://wiki.example.org/rb"),
        ("https://token@github.com/acme/runbooks", "https://github.com/acme/runbooks"),
        ("https://[::1]:8080/x", "https://[::1]:8080/x"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("wiki/runbook", None),
        ("https://", None),
        ('https://x.example/"onmouseover="alert(1)', None),
        ("https://x.example/<script>", None),
        ("https://x.example:99999/", None),
        (None, None),
        ("", None),
    ],
)
def test_only_http_links_without_credentials_are_links(url: str | None, link: str | None) -> None:
    assert safe_link(url) == link
