"""Console links open in the alarm's region, and through an access portal in the alarm's account; every
rendering's header names the account (by alias where known) and the region."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from alarm_analyzer.console import ConsoleAccess
from alarm_analyzer.correlate import correlate
from alarm_analyzer.models import CorrelateInput, LogsData, MetricsData
from alarm_analyzer.render import RENDERERS
from alarm_analyzer.slack import report_message
from tests.factories import alarm_event, correlate_input, latency_alarm_series, result, signature

PORTAL = "https://my-org.awsapps.com/start"


def _request(**scope: object) -> CorrelateInput:
    results = [
        result(MetricsData(series=[latency_alarm_series()])),
        result(LogsData(signatures=[signature("ERROR upstream timed out", count=40)])),
    ]
    return correlate_input(alarm_event(), results, **scope)


def test_links_open_the_console_in_the_alarms_region() -> None:
    report = correlate(_request())
    links = [e.link for e in report.evidence if e.link]
    assert links
    assert all(link.startswith("https://eu-west-1.console.aws.amazon.com/") for link in links)
    assert all("region=eu-west-1" in link for link in links)


def test_through_a_portal_every_link_signs_in_to_the_alarms_account_then_opens_the_same_page() -> None:
    direct = correlate(_request())
    portal = correlate(_request(), console=ConsoleAccess(PORTAL + "/", "ReadOnly"))
    pairs = [(d.link, p.link) for d, p in zip(direct.evidence, portal.evidence, strict=True) if d.link]
    assert pairs
    for page, shortcut in pairs:
        assert shortcut is not None
        before, _, fragment = shortcut.partition("#")
        assert before == PORTAL + "/"
        path, _, query = fragment.partition("?")
        assert path == "/console"
        assert parse_qs(query) == {
            "account_id": ["123456789012"],
            "role_name": ["ReadOnly"],
            "destination": [page],
        }
    without_role = ConsoleAccess(PORTAL).link("https://eu-west-1.console.aws.amazon.com/x", "111122223333")
    assert "role_name" not in parse_qs(urlsplit(without_role).fragment.partition("?")[2])


def test_every_rendering_names_the_account_and_region() -> None:
    named = correlate(_request(account_alias="shop-prod"))
    unnamed = correlate(_request())
    for report, where in (
        (named, "shop-prod (123456789012), eu-west-1"),
        (unnamed, "123456789012, eu-west-1"),
    ):
        for name, render in RENDERERS.items():
            shown = render(report)
            assert (where in shown) if name != "json" else (report.alarm.account in shown), name
        assert where in str(report_message(report))
    assert named.alarm.account_alias == "shop-prod"
