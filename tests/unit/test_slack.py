"""The Slack channel: the Block Kit message of a report and of a recovery follow-up, Block Kit's limits,
and delivery with retries (a local webhook stands in for Slack)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from alarm_analyzer import slack
from alarm_analyzer.correlate import verdict
from alarm_analyzer.recovery import Recovery
from alarm_analyzer.render import notable_evidence
from alarm_analyzer.report import Evidence, Report
from tests.loopback import SlackWebhook, block_kit_problems
from tests.reports import sample_report

LINK = "https://alarm-analyzer-reportbucket.s3.amazonaws.com/reports/r.html?X-Amz-Expires=86400"


def _texts(payload: dict[str, Any]) -> str:
    return "\n".join(
        [b.get("text", {}).get("text", "") for b in payload["blocks"]]
        + [f["text"] for b in payload["blocks"] for f in b.get("fields", [])]
        + [e.get("text", "") for b in payload["blocks"] if b["type"] == "context" for e in b["elements"]]
    )


def _buttons(payload: dict[str, Any]) -> list[tuple[str, str]]:
    found = [b.get("accessory") for b in payload["blocks"]]
    found += [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return [(b["text"]["text"], b["url"]) for b in found if b]


def test_the_message_leads_with_the_verdict_and_carries_what_on_call_needs() -> None:
    report = sample_report().model_copy(update={"html_url": LINK})
    payload = slack.report_message(report)
    header = payload["blocks"][0]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": verdict(report)}}
    text = _texts(payload)
    assert "*Severity*\nPAGE" in text
    assert "*Impact*" in text
    assert report.impact.figures[0].value in text
    assert f"confidence: {report.root_cause.confidence:.2f}" in text
    assert "QueuePool limit of size &lt;n&gt;" in text  # mrkdwn control characters escaped
    assert f"1. {report.actions.short_term[0]}" in text
    buttons = _buttons(payload)
    assert ("Full report", LINK) in buttons
    assert ("Runbook", "https://wiki.example.org/rb/web") in buttons
    consoles = [url for label, url in buttons if label == "console"]
    assert consoles
    assert consoles[0] == notable_evidence(report)[0].link
    assert payload["text"] == "[PAGE] web-latency: Database connection exhaustion"
    assert block_kit_problems(payload) == []


def test_a_huge_report_stays_inside_block_kit_limits_with_visible_cut_marks() -> None:
    report = sample_report()
    long_name = "orders-" + "x" * 400
    flood = [
        Evidence(
            id=f"logs:{i}",
            source="logs",
            summary="connection refused " * 400,
            link="https://x.example/" + "y" * 3100,
        )
        for i in range(60)
    ]
    huge: Report = report.model_copy(
        update={
            "alarm": report.alarm.model_copy(update={"name": long_name}),
            "root_cause": report.root_cause.model_copy(
                update={"summary": "pool exhausted " * 40, "reasons": ["reason " * 300] * 20}
            ),
            "hypotheses": [report.hypotheses[0].model_copy(update={"evidence_ids": [e.id for e in flood]})],
            "evidence": report.evidence + flood,
            "actions": report.actions.model_copy(update={"short_term": ["restart " * 100] * 80}),
            "html_url": "https://bucket.example/" + "z" * 3100,
        }
    )
    payload = slack.report_message(huge)
    assert block_kit_problems(payload) == []
    text = _texts(payload)
    assert "… (cut, see the full report)" in text
    assert "… and 55 more in the full report" in text
    assert all(len(url) <= slack.URL_CHARS for _, url in _buttons(payload))  # over-long links get no button
    assert len(payload["blocks"]) <= slack.MAX_BLOCKS


def test_japanese_message() -> None:
    payload = slack.report_message(sample_report("ja"))
    text = _texts(payload)
    assert "*重大度*" in text
    assert "*今すぐ行うこと*" in text
    assert payload["blocks"][0]["text"]["text"].startswith("DB コネクション枯渇: ")


def test_the_recovery_message_is_short_and_points_at_the_incident() -> None:
    report = sample_report()
    recovery = Recovery(
        incident_id="ok-1",
        original_incident_id=report.incident_id,
        language="en",
        alarm_name="web-latency",
        alarm_arn=report.alarm.arn,
        category="database_connection_exhaustion",
        severity="page",
        verdict=verdict(report),
        alarm_at=report.alarm.state_changed_at,
        recovered_at=report.alarm.state_changed_at + timedelta(minutes=23),
        status="holds",
        reasons=['"ERROR pool" stopped'],
        html_url=LINK,
    )
    payload = slack.recovery_message(recovery)
    assert payload["blocks"][0]["text"]["text"] == "Recovered: web-latency"
    text = _texts(payload)
    assert "Back to OK after 23 min" in text
    assert "*The hypothesis still holds: its evidence went away with the alarm*" in text
    assert f"Incident {report.incident_id}" in text
    assert ("Full report", LINK) in _buttons(payload)
    assert len(payload["blocks"]) <= 4
    assert block_kit_problems(payload) == []


def test_delivery_is_retried_with_backoff_until_slack_takes_it() -> None:
    hook = SlackWebhook(failures=2)
    with hook.serving() as url:
        slack.post(f"{url}/services/T0/B0/x", slack.report_message(sample_report()), backoff_seconds=0.01)
    assert len(hook.requests) == 3
    assert hook.requests[-1].body == hook.requests[0].body


def test_delivery_that_keeps_failing_raises_for_the_retry_and_the_dead_letter_queue() -> None:
    hook = SlackWebhook(failures=100)
    with hook.serving() as url, pytest.raises(slack.SlackDeliveryError, match="500"):
        slack.post(f"{url}/services/T0/B0/x", slack.report_message(sample_report()), backoff_seconds=0.01)
    assert len(hook.requests) == 1 + slack.RETRIES


def test_a_rejected_message_is_not_retried() -> None:
    hook = SlackWebhook(failures=1, failure_status=404)
    with hook.serving() as url, pytest.raises(slack.SlackDeliveryError, match="404"):
        slack.post(f"{url}/services/T0/B0/gone", {"text": "x"}, backoff_seconds=0.01)
    assert len(hook.requests) == 1
