"""Delivery: one SNS message per report, readable text for email and the JSON report for machines."""

from __future__ import annotations

import json
from typing import Any

from .render import subject, to_text
from .report import Report

# SNS caps a message at 256 KiB; leave room for the text rendering and the envelope.
MAX_JSON_BYTES = 150_000


def compact(report: Report) -> Report:
    """The report, trimmed until its JSON fits in one SNS message: uncited evidence goes first."""
    if len(report.model_dump_json().encode()) <= MAX_JSON_BYTES:
        return report
    cited = {e.id for e in report.cited()}
    trimmed = report.model_copy(update={"evidence": [e for e in report.evidence if e.id in cited]})
    if len(trimmed.model_dump_json().encode()) <= MAX_JSON_BYTES:
        return trimmed
    return trimmed.model_copy(
        update={"evidence": [e.model_copy(update={"detail": {}}) for e in trimmed.evidence]}
    )


def sns_message(report: Report) -> dict[str, str]:
    """Publish arguments: email subscribers get text, everything else (Lambda, SQS, HTTPS) gets JSON."""
    body = compact(report).model_dump_json()
    return {
        "Subject": subject(report),
        "MessageStructure": "json",
        "Message": json.dumps({"default": body, "email": to_text(report)}),
    }


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


def report_from_message(message: str) -> Report:
    """Read a report back from an SNS message body (structured, or the JSON report itself)."""
    payload = json.loads(message)
    if isinstance(payload, dict) and "default" in payload and "schema_version" not in payload:
        payload = json.loads(payload["default"])
    return Report.model_validate(payload)
