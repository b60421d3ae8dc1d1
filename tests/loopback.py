"""Local HTTP servers standing in for Slack's incoming webhooks and GitHub's REST API, answering the
way their documentation says, and recording every request."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from alarm_analyzer import slack


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case (HTTP header names are case-insensitive)
    body: Any


class Endpoint:
    """Subclasses answer a request with (status, JSON-able body or text)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []

    def answer(self, request: Recorded) -> tuple[int, Any]:
        raise NotImplementedError

    @contextmanager
    def serving(self) -> Iterator[str]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body: Any = json.loads(raw) if raw else None
                except json.JSONDecodeError:
                    body = raw.decode()
                headers = {name.lower(): value for name, value in self.headers.items()}
                request = Recorded(self.command, self.path, headers, body)
                endpoint.requests.append(request)
                status, answer = endpoint.answer(request)
                data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "text/plain" if isinstance(answer, str) else "application/json"
                )
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _handle

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def block_kit_problems(payload: dict[str, Any]) -> list[str]:
    """What Slack would reject in a message (its documented Block Kit limits)."""
    blocks = payload.get("blocks", [])
    problems = [f"{len(blocks)} blocks"] if len(blocks) > slack.MAX_BLOCKS else []
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "header" and len(text) > slack.HEADER_CHARS:
            problems.append(f"header of {len(text)} characters")
        if block["type"] == "section":
            if len(text) > slack.SECTION_CHARS:
                problems.append(f"section of {len(text)} characters")
            fields = block.get("fields", [])
            if len(fields) > slack.MAX_FIELDS or any(len(f["text"]) > slack.FIELD_CHARS for f in fields):
                problems.append("section fields")
        buttons = [*block.get("elements", []), block.get("accessory") or {}]
        for button in (b for b in buttons if b.get("type") == "button"):
            if len(button["text"]["text"]) > slack.BUTTON_CHARS or len(button["url"]) > slack.URL_CHARS:
                problems.append("button")
    return problems


@dataclass
class SlackWebhook(Endpoint):
    """An incoming webhook: 200 "ok", 400 "invalid_blocks", or a server error while ``failures`` last."""

    failures: int = 0
    failure_status: int = 500

    def __post_init__(self) -> None:
        super().__init__()

    def answer(self, request: Recorded) -> tuple[int, Any]:
        if self.failures:
            self.failures -= 1
            return self.failure_status, "internal_error"
        if request.method != "POST" or not isinstance(request.body, dict):
            return 400, "invalid_payload"
        return (400, "invalid_blocks") if block_kit_problems(request.body) else (200, "ok")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if isinstance(r.body, dict)]


@dataclass
class GitHubApi(Endpoint):
    """The issue endpoints the GitHub channel uses, with the request checks and response shapes of the
    REST API (version 2022-11-28): create an issue, get one, comment on one, update (close) one."""

    repository: str = "acme/shop"
    token: str = "ghp_test"
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()

    def _issue(self, number: int) -> dict[str, Any]:
        issue = self.issues[number]
        base = f"https://api.github.com/repos/{self.repository}/issues/{number}"
        return {
            "id": 1000 + number,
            "number": number,
            "url": base,
            "html_url": f"https://github.com/{self.repository}/issues/{number}",
            "state": issue["state"],
            "state_reason": issue.get("state_reason"),
            "title": issue["title"],
            "body": issue["body"],
            "labels": [{"name": name} for name in issue["labels"]],
            "comments": len(self.comments.get(number, [])),
        }

    def answer(self, request: Recorded) -> tuple[int, Any]:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"message": "Bad credentials"}
        if (
            request.headers.get("accept") != "application/vnd.github+json"
            or "user-agent" not in request.headers
        ):
            return 400, {"message": "missing Accept or User-Agent"}
        if request.headers.get("x-github-api-version") != "2022-11-28":
            return 400, {"message": "unsupported API version"}
        prefix = f"/repos/{self.repository}/issues"
        if not request.path.startswith(prefix):
            return 404, {"message": "Not Found"}
        rest = request.path[len(prefix) :].strip("/").split("/")
        body = request.body if isinstance(request.body, dict) else {}
        if request.method == "POST" and rest == [""]:
            if not isinstance(body.get("title"), str) or not body["title"]:
                return 422, {"message": "Validation Failed"}
            number = len(self.issues) + 1
            self.issues[number] = {
                "state": "open",
                "title": body["title"],
                "body": body.get("body"),
                "labels": body.get("labels", []),
            }
            return 201, self._issue(number)
        if not rest[0].isdigit() or int(rest[0]) not in self.issues:
            return 404, {"message": "Not Found"}
        number = int(rest[0])
        if request.method == "GET" and len(rest) == 1:
            return 200, self._issue(number)
        if request.method == "POST" and rest[1:] == ["comments"]:
            if not isinstance(body.get("body"), str):
                return 422, {"message": "Validation Failed"}
            self.comments.setdefault(number, []).append(body["body"])
            return 201, {"id": 5000 + len(self.comments[number]), "body": body["body"]}
        if request.method == "PATCH" and len(rest) == 1:
            if body.get("state") not in (None, "open", "closed"):
                return 422, {"message": "Validation Failed"}
            self.issues[number] |= {k: v for k, v in body.items() if k in ("state", "state_reason", "title")}
            return 200, self._issue(number)
        return 404, {"message": "Not Found"}
