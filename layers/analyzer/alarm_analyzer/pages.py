"""The HTML report in the stack's report bucket, shared by a pre-signed link that expires."""

from __future__ import annotations

import hashlib
from typing import Any

from .render import to_html
from .report import Report


def page_key(report: Report) -> str:
    digest = hashlib.sha256(report.incident_id.encode()).hexdigest()[:20]
    return f"reports/{report.alarm.state_changed_at:%Y/%m/%d}/{digest}.html"


def store_page(s3: Any, bucket: str, report: Report, expires_in_seconds: int) -> str:
    """Put the report's page in the bucket; return a link to it valid for ``expires_in_seconds`` (or
    until the signing role's session ends, whichever comes first)."""
    key = page_key(report)
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=to_html(report).encode(),
        ContentType="text/html; charset=utf-8",
    )
    return str(
        s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires_in_seconds
        )
    )
