"""Slack: the report (or its recovery follow-up) as a Block Kit message for an incoming webhook.

Block Kit rejects a message that breaks its limits, so every text is cut to its limit with a visible
marker and only the top evidence items get a block (at most 15 blocks, of the 50 allowed): the
message always goes out, and the full report has the rest.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from .correlate import verdict
from .i18n import Lang, t
from .recovery import Recovery, summary_lines
from .redaction import safe_link
from .render import chain_line, inert, notable_evidence, one_line, subject, where
from .report import Report

# Block Kit's limits (docs.slack.dev, reference/block-kit).
MAX_BLOCKS = 50
HEADER_CHARS = 150
SECTION_CHARS = 3000
FIELD_CHARS = 2000
MAX_FIELDS = 10
BUTTON_CHARS = 75
URL_CHARS = 3000
CONTEXT_CHARS = 3000
MAX_EVIDENCE = 5  # a phone screen's worth; the full report has every item

RETRIES = 3
BACKOFF_SECONDS = 0.5


class SlackDeliveryError(RuntimeError):
    """Slack did not take the message, after the retries."""


def escape(text: str) -> str:
    """A text of the report as mrkdwn that shows as itself: the control characters escaped as Slack
    documents (so no ``<!channel>``, ``<@U...>`` or ``<url|label>`` from evidence is live), and
    ``@here``-style mentions inert."""
    return inert(one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def fit(text: str, limit: int, lang: Lang) -> str:
    """``text`` within ``limit`` characters, cut with a visible marker (never inside an escape)."""
    if len(text) <= limit:
        return text
    marker = t(lang, "label.truncated")
    cut = re.sub(r"&[a-z]*$", "", text[: limit - len(marker)])
    return cut + marker


def _section(text: str, lang: Lang, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": _mrkdwn(fit(text, SECTION_CHARS, lang))}
    if accessory:
        block["accessory"] = accessory
    return block


def _mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object taken verbatim: Slack neither links URLs and channel names in it nor
    parses mentions of its own accord."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _button(label: str, url: str | None, lang: Lang) -> dict[str, Any] | None:
    link = safe_link(url)
    if not link or len(link) > URL_CHARS:  # a cut URL would lead nowhere: no button rather than a broken one
        return None
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": fit(label, BUTTON_CHARS, lang)},
        "url": link,
    }


def _header(text: str, lang: Lang) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": fit(one_line(text), HEADER_CHARS, lang)}}


def _context(text: str, lang: Lang) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(fit(text, CONTEXT_CHARS, lang))]}


def _heading_and_lines(heading: str, lines: list[str]) -> str:
    return "\n".join([f"*{escape(heading)}*", *(escape(line) for line in lines)])


def _buttons(report_url: str | None, runbook_url: str | None, lang: Lang) -> list[dict[str, Any]]:
    buttons = [
        _button(t(lang, "label.open_report"), report_url, lang),
        _button(t(lang, "label.open_runbook"), runbook_url, lang),
    ]
    present = [b for b in buttons if b]
    return [{"type": "actions", "elements": present}] if present else []


def report_message(report: Report) -> dict[str, Any]:
    """The incoming-webhook payload of a report."""
    lang, root = report.language, report.root_cause
    fields = [
        (t(lang, "label.severity"), t(lang, f"severity.{report.severity}")),
        (t(lang, "label.alarm"), f"{report.alarm.name} ({report.alarm.state})"),
        (t(lang, "label.where"), where(report.alarm)),
        (t(lang, "label.confidence"), f"{root.confidence:.2f}"),
        (t(lang, "label.state_changed"), f"{report.alarm.state_changed_at:%Y-%m-%d %H:%M:%S} UTC"),
    ]
    figures = [
        f"• {f.label}: {f.value}" + (f" ({f.baseline})" if f.baseline else "") for f in report.impact.figures
    ]
    cause = [root.summary, *(f"• {reason}" for reason in root.reasons)]
    cause += [chain] if (chain := chain_line(report)) else []
    cause.append(f"{t(lang, 'label.confidence')}: {root.confidence:.2f}")
    evidence = notable_evidence(report)
    blocks: list[dict[str, Any]] = [
        _header(verdict(report), lang),
        {
            "type": "section",
            "fields": [
                _mrkdwn(fit(f"*{escape(label)}*\n{escape(value)}", FIELD_CHARS, lang))
                for label, value in fields[:MAX_FIELDS]
            ],
        },
        _section(_heading_and_lines(t(lang, "h.impact"), [report.impact.summary, *figures]), lang),
        _section(_heading_and_lines(t(lang, "h.root_cause"), cause), lang),
        _section(f"*{escape(t(lang, 'h.evidence'))}*", lang),
    ]
    blocks += [
        _section(escape(f"[{e.source}] {e.summary}"), lang, _button(t(lang, "label.console"), e.link, lang))
        for e in evidence[:MAX_EVIDENCE]
    ]
    if len(evidence) > MAX_EVIDENCE:
        blocks.append(_context(t(lang, "label.more", count=len(evidence) - MAX_EVIDENCE), lang))
    steps = [f"{n}. {step}" for n, step in enumerate(report.actions.short_term, 1)]
    blocks.append(_section(_heading_and_lines(t(lang, "h.short_term"), steps), lang))
    blocks += _buttons(report.html_url, report.runbook_url, lang)
    return {"text": escape(subject(report)), "blocks": blocks}


def recovery_message(recovery: Recovery) -> dict[str, Any]:
    """The incoming-webhook payload of a recovery follow-up."""
    lang = recovery.language
    heading = t(lang, "rec.heading", alarm=recovery.alarm_name)
    time_line, status, *reasons, incident = summary_lines(recovery)
    blocks = [
        _header(heading, lang),
        _section(
            "\n".join(escape(line) for line in (time_line, f"*{status}*", *(f"• {r}" for r in reasons))), lang
        ),
        _context(escape(incident), lang),
        *_buttons(recovery.html_url, None, lang),
    ]
    return {"text": fit(escape(heading), SECTION_CHARS, lang), "blocks": blocks}


def post(url: str, payload: dict[str, Any], backoff_seconds: float | None = None) -> None:
    """Send to an incoming webhook, retrying connection errors, rate limits and server errors with
    exponential backoff; raise SlackDeliveryError when Slack still refuses (the caller's retry and
    dead-letter queue take it from there)."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_seconds or BACKOFF_SECONDS)
    client = WebhookClient(
        url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=backoff),
            RateLimitErrorRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=backoff),
        ],
    )
    response = client.send_dict(payload)
    if response.status_code != 200:
        raise SlackDeliveryError(f"Slack answered {response.status_code}: {response.body[:200]}")
