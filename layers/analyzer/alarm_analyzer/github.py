"""GitHub issues: one open issue per alarm. The first report opens it (title: the verdict, body: the
Markdown report, labels for severity and category); repeats comment on it; the recovery follow-up
comments and closes it. The REST calls are the documented ones (API version 2022-11-28)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from .correlate import verdict
from .i18n import clip, t
from .incidents import IncidentStore
from .recovery import Recovery, summary_lines
from .render import inert, markdown_text, one_line, to_markdown
from .report import Report

API_VERSION = "2022-11-28"
MAX_TITLE = 256
MAX_BODY = 65_536  # GitHub rejects longer issue and comment bodies
TIMEOUT_SECONDS = 10


class GitHubError(RuntimeError):
    """GitHub refused a call; raised so that the delivery is retried, then dead-lettered."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


GONE = frozenset({404, 410})  # an issue deleted (or moved away) since the analyzer opened it


class GitHubIssues:
    def __init__(self, repository: str, token: str, api_url: str = "https://api.github.com") -> None:
        self._base = f"{api_url.rstrip('/')}/repos/{repository}"
        self._token = token

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self._base}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self._token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "alarm-analyzer",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return dict(json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as exc:
            raise GitHubError(
                f"GitHub answered {exc.code} to {method} {path}: {exc.read()[:200]!r}", exc.code
            ) from None

    def create(self, title: str, body: str, labels: list[str]) -> int:
        created = self._call("POST", "/issues", {"title": title, "body": body, "labels": labels})
        return int(created["number"])

    def is_open(self, number: int) -> bool:
        try:
            return self._call("GET", f"/issues/{number}").get("state") == "open"
        except GitHubError as error:
            if error.status in GONE:
                return False  # deleted or transferred: the next report opens a new issue
            raise

    def comment(self, number: int, body: str) -> None:
        self._call("POST", f"/issues/{number}/comments", {"body": body})

    def close(self, number: int) -> None:
        self._call("PATCH", f"/issues/{number}", {"state": "closed", "state_reason": "completed"})


def labels_of(report: Report) -> list[str]:
    return [f"severity:{report.severity}", f"category:{report.root_cause.category}"]


def issue_title(report: Report) -> str:
    """The verdict as a title: plain text (GitHub renders no Markdown there), mentions inert."""
    return clip(inert(one_line(verdict(report))), MAX_TITLE)


def deliver_report(issues: GitHubIssues, store: IncidentStore, report: Report) -> int:
    """Open the alarm's issue, or comment on the one still open; returns the issue number."""
    number = store.open_issue(report.alarm.arn)
    if number is not None and issues.is_open(number):
        again = t(report.language, "gh.again", at=f"{report.alarm.state_changed_at:%Y-%m-%d %H:%M}")
        issues.comment(number, clip(f"{again}\n\n{to_markdown(report)}", MAX_BODY))
        return number
    number = issues.create(issue_title(report), clip(to_markdown(report), MAX_BODY), labels_of(report))
    store.save_issue(report.alarm.arn, number)
    return number


def recovery_markdown(recovery: Recovery) -> str:
    lang = recovery.language
    time_line, status, *reasons, incident = summary_lines(recovery)
    lines = [
        f"## {markdown_text(t(lang, 'rec.heading', alarm=recovery.alarm_name))}",
        "",
        markdown_text(time_line),
        "",
        f"**{markdown_text(status)}**",
        "",
    ]
    lines += [f"- {markdown_text(reason)}" for reason in reasons]
    return "\n".join([*lines, "", f"_{markdown_text(incident)}_", "", t(lang, "rec.closed")]) + "\n"


def deliver_recovery(issues: GitHubIssues, store: IncidentStore, recovery: Recovery) -> int | None:
    """Comment the follow-up on the alarm's open issue and close it; None when there is none."""
    number = store.open_issue(recovery.alarm_arn)
    if number is None:
        return None
    try:
        issues.comment(number, clip(recovery_markdown(recovery), MAX_BODY))
    except GitHubError as error:
        if error.status not in GONE:
            raise
        store.close_issue(recovery.alarm_arn)  # deleted since: nothing left to follow up
        return None
    issues.close(number)
    store.close_issue(recovery.alarm_arn)
    return number
