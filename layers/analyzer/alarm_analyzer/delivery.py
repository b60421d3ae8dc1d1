"""Delivery: one SNS message per report, readable text for email and the JSON report for machines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .i18n import t, title
from .recovery import Recovery, summary_lines
from .redaction import safe_link
from .render import fit_subject, one_line, subject, to_text
from .report import Report

# SNS caps a message at 256 KiB; the JSON structure holds the report twice over (JSON and text).
MAX_MESSAGE_BYTES = 250_000


def _trimmings(report: Report) -> Iterator[Report]:
    """The report, then ever smaller versions of it: uncited details, uncited evidence, all details."""
    yield report
    cited = {e.id for e in report.cited()}
    evidence = [e if e.id in cited else e.model_copy(update={"detail": {}}) for e in report.evidence]
    yield report.model_copy(update={"evidence": evidence})
    evidence = [e for e in evidence if e.id in cited]
    yield report.model_copy(update={"evidence": evidence})
    yield report.model_copy(update={"evidence": [e.model_copy(update={"detail": {}}) for e in evidence]})


def _message(report: Report) -> str:
    body = {"default": report.model_dump_json(), "email": to_text(report)}
    return json.dumps(body, ensure_ascii=False)


def sns_message(report: Report) -> dict[str, str]:
    """Publish arguments: email subscribers get text, everything else (Lambda, SQS, HTTPS) gets the JSON
    report, trimmed (uncited evidence first) until the message fits in SNS."""
    message = ""
    for trimmed in _trimmings(report):
        message = _message(trimmed)
        if len(message.encode()) <= MAX_MESSAGE_BYTES:
            break
    return {"Subject": subject(report), "MessageStructure": "json", "Message": message}


def publish(sns: Any, topic_arn: str, report: Report) -> str:
    response = sns.publish(
        TopicArn=topic_arn,
        MessageAttributes={
            "severity": {"DataType": "String", "StringValue": report.severity},
            "category": {"DataType": "String", "StringValue": report.root_cause.category},
        },
        **sns_message(report),
    )
    return str(response["MessageId"])


def _payload(message: str) -> Any:
    payload = json.loads(message)
    if isinstance(payload, dict) and "default" in payload and "schema_version" not in payload:
        payload = json.loads(payload["default"])
    return payload


def report_from_message(message: str) -> Report:
    """Read a report back from an SNS message body (structured, or the JSON report itself)."""
    return Report.model_validate(_payload(message))


def message_from_sns(message: str) -> Report | Recovery:
    """What a subscriber got: a report, or the recovery follow-up of one."""
    payload = _payload(message)
    if isinstance(payload, dict) and payload.get("kind") == "recovery":
        return Recovery.model_validate(payload)
    return Report.model_validate(payload)


def recovery_text(recovery: Recovery) -> str:
    heading = t(recovery.language, "rec.heading", alarm=recovery.alarm_name)
    lines = [one_line(heading), "", *(one_line(line) for line in summary_lines(recovery))]
    link = safe_link(recovery.html_url)
    if link:
        lines.append(t(recovery.language, "label.full_report", url=link))
    return "\n".join(lines) + "\n"


def publish_recovery(sns: Any, topic_arn: str, recovery: Recovery) -> str:
    """The follow-up to every subscriber: text for email, the JSON follow-up for everything else."""
    lang = recovery.language
    body = {"default": recovery.model_dump_json(), "email": recovery_text(recovery)}
    response = sns.publish(
        TopicArn=topic_arn,
        Subject=fit_subject(
            t(lang, "rec.subject", alarm=recovery.alarm_name, title=title(recovery.category, lang))
        ),
        MessageStructure="json",
        Message=json.dumps(body, ensure_ascii=False),
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "recovery"}},
    )
    return str(response["MessageId"])
