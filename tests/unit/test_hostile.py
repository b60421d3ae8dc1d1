"""The hostile corpus through every rendering and channel: a report whose log signature and samples, alarm
reason and description, tags and dead-letter sample carry each entry, rendered as text, Markdown, JSON
and HTML, stored as a page, published to SNS, posted to Slack and to GitHub, with its recovery follow-up.
No secret survives in any of them, and nothing from the evidence is live markup, a mention, a link that
is not http(s), or a terminal control sequence."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import boto3
import pytest
from markdown_it import MarkdownIt
from moto import mock_aws

from alarm_analyzer.correlate import correlate
from alarm_analyzer.delivery import publish_recovery, recovery_text, sns_message
from alarm_analyzer.github import GitHubIssues, deliver_recovery, deliver_report
from alarm_analyzer.incidents import IncidentStore
from alarm_analyzer.models import (
    AlarmData,
    CorrelateInput,
    DeadLetterLink,
    LogsData,
    MetricsData,
    PeekedMessage,
    QueueState,
    ResourcesData,
)
from alarm_analyzer.pages import page_key, store_page
from alarm_analyzer.recovery import Recovery, follow_up, record_of
from alarm_analyzer.redaction import strip_control
from alarm_analyzer.render import markdown_text, to_html, to_json, to_markdown, to_text
from alarm_analyzer.report import Report
from alarm_analyzer.scope import TAG_RUNBOOK
from alarm_analyzer.slack import recovery_message, report_message
from alarm_devtools import hostile
from tests.factories import alarm_event, latency_alarm_series, result, signature
from tests.loopback import GitHubApi
from tests.reports import POOL, later

ENTRIES = [*hostile.SECRETS, hostile.EMAIL, *hostile.MARKUP]
LEAKS = [secret for entry in (*hostile.SECRETS, hostile.EMAIL) for secret in entry.secrets]
BUCKET = "alarm-analyzer-reportbucket"
TABLE = "alarm-analyzer-IdempotencyTable"
HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "footer", "section", "span", "small",
    "h1", "h2", "h3", "dl", "dt", "dd", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
    "td", "a", "code", "svg", "rect", "line", "text", "polyline",
    "div", "strong", "br",  # the chain diagram, drawn when a cause explains the symptom
}  # fmt: skip
MARKDOWN_TAGS = {"h1", "h2", "p", "ul", "ol", "li", "strong", "em", "a", "br"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MENTION = re.compile(r"(?<![\w`])[@#][A-Za-z0-9]")  # what GitHub and Slack turn into a notification


def hostile_report(line: str, lang: str = "en") -> Report:
    """A report whose every way in carries ``line``: the cited log signature and its samples, the alarm's
    reason and description, its runbook tag and a dead-letter message."""
    event = alarm_event()
    # The alarm's own texts carry what CloudWatch lets them carry: no control characters, bounded lengths.
    allowed = "".join(c for c in line if c.isprintable())
    event["detail"]["state"]["reason"] = f"Threshold Crossed: {allowed}"[:1000]
    description = f"{allowed[:700]} Runbook: {hostile.CREDENTIALED_RUNBOOK} mirror {hostile.DATA_URL}"
    event["detail"]["configuration"]["description"] = description
    tags = {TAG_RUNBOOK: hostile.JAVASCRIPT_RUNBOOK, "team": allowed[:256]}
    event["detail"]["alarmTags"] = tags
    cited = signature(f"{POOL} {line}", count=90)
    dead_letter = QueueState(
        name="orders-dlq",
        url="https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq",
        visible=3,
        dead_letters=[
            DeadLetterLink(
                kind="sqs_redrive", source="orders", target="arn:aws:sqs:eu-west-1:123456789012:orders-dlq"
            )
        ],
        peeked=PeekedMessage(classification="unknown", sample=line),
    )
    results = [
        result(AlarmData()),
        result(MetricsData(series=[latency_alarm_series()])),
        result(LogsData(signatures=[cited, signature(line, count=5)])),
        result(ResourcesData(queues=[dead_letter])),
    ]
    # The scope the event gives: its runbook comes from the tag or the description, through safe_link.
    report = correlate(CorrelateInput(event=event, results=results), lang)  # type: ignore[arg-type]
    assert any(e.source == "logs" for e in report.cited()), "the hostile signature must be shown everywhere"
    return report


class _Sns:
    def publish(self, **request: Any) -> dict[str, str]:
        self.request = request
        return {"MessageId": "m-1"}


@pytest.fixture(scope="module")
def aws() -> Iterator[tuple[Any, IncidentStore]]:
    """A report bucket and the incidents table, in moto, for the whole module."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
            env.setenv(name, value)
        env.delenv("AWS_ENDPOINT_URL", raising=False)
        with mock_aws():
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket=BUCKET)
            dynamodb = boto3.client("dynamodb", region_name="us-east-1")
            dynamodb.create_table(
                TableName=TABLE,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            )
            yield s3, IncidentStore(dynamodb, TABLE, ttl_seconds=3600)


@pytest.fixture(scope="module")
def github() -> Iterator[tuple[GitHubApi, GitHubIssues]]:
    api = GitHubApi()
    with api.serving() as url:
        yield api, GitHubIssues(api.repository, api.token, api_url=url)


Renderings = dict[str, tuple[str, str]]  # name -> (medium, what the reader or machine gets)


@pytest.fixture
def channels(aws: tuple[Any, IncidentStore], github: tuple[GitHubApi, GitHubIssues]) -> Any:
    s3, store = aws
    api, issues = github

    def render(report: Report) -> Renderings:
        link = store_page(s3, BUCKET, report, 3600)
        page = s3.get_object(Bucket=BUCKET, Key=page_key(report))["Body"].read().decode()
        report = report.model_copy(update={"html_url": link})
        message = sns_message(report)
        envelope = json.loads(message["Message"])
        start = len(api.requests)
        deliver_report(issues, store, report)  # opens the alarm's issue
        deliver_report(issues, store, later(report, 30))  # comments on it
        sent = [r.body for r in api.requests[start:] if r.method in ("POST", "PATCH") and r.body]
        recovery: Recovery = follow_up(record_of(report), later(report, 60, state="OK"), window_minutes=20)
        sns = _Sns()
        publish_recovery(sns, "arn:aws:sns:eu-west-1:123456789012:reports", recovery)
        recovery_envelope = json.loads(sns.request["Message"])
        deliver_recovery(issues, store, recovery)
        closing = api.requests[-2].body["body"]
        return {
            "text": ("text", to_text(report)),
            "markdown": ("markdown", to_markdown(report)),
            "json": ("json", to_json(report)),
            "html": ("html", to_html(report)),
            "stored page": ("html", page),
            "sns subject": ("text", message["Subject"]),
            "sns email": ("text", envelope["email"]),
            "sns json": ("json", envelope["default"]),
            "slack": ("slack", json.dumps(report_message(report))),
            "github title": ("title", sent[0]["title"]),
            "github body": ("markdown", sent[0]["body"]),
            "github comment": ("markdown", sent[1]["body"]),
            "recovery email": ("text", recovery_text(recovery)),
            "recovery sns subject": ("text", sns.request["Subject"]),
            "recovery json": ("json", recovery_envelope["default"]),
            "recovery slack": ("slack", json.dumps(recovery_message(recovery))),
            "recovery github": ("markdown", closing),
        }

    return render


def _decodings(text: str) -> list[str]:
    """What a reader may see of a rendering: as sent, entities decoded, Markdown and JSON escapes undone."""
    decoded = html.unescape(text).replace("\u200b", "")
    return [text, decoded, re.sub(r"\\(.)", r"\1", decoded)]


class _Elements(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def _live_html_problems(page: str, allowed: set[str], notifying: bool = False) -> list[str]:
    elements = _Elements(page)
    problems = [f"<{tag}>" for tag, _ in elements.tags if tag not in allowed]
    for tag, attrs in elements.tags:
        problems += [f"{tag} {name}" for name in attrs if name.startswith("on")]
        href = attrs.get("href") or ""
        if tag == "a" and not href.startswith(("#ev-", "https://")):
            problems.append(f"link to {href}")
    if notifying:  # GitHub turns @user, @org/team and #123 in the text into notifications
        problems += [f"mention {m.group()}" for text in elements.texts for m in MENTION.finditer(text)]
    return problems


def _slack_problems(payload: dict[str, Any]) -> list[str]:
    problems = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("type") == "mrkdwn":
                text = value["text"]
                if not value.get("verbatim"):
                    problems.append("mrkdwn not verbatim")
                problems.extend(f"markup {m}" for m in re.findall(r"<[^>]*>?", text))
                problems.extend(f"mention {m.group()}" for m in MENTION.finditer(text))
            if value.get("type") == "button" and not value["url"].startswith("https://"):
                problems.append(f"button to {value['url']}")
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(payload)
    problems += [f"fallback markup {m}" for m in re.findall(r"<[^>]*>?", payload["text"])]
    return problems


def live_problems(medium: str, rendering: str) -> list[str]:
    """What in ``rendering`` would act rather than show: markup, mentions, unsafe links, control codes."""
    problems = [f"control {c!r}" for c in CONTROL.findall(rendering)]
    if medium == "html":
        problems += _live_html_problems(rendering, HTML_TAGS)
    elif medium == "markdown":
        problems += _live_html_problems(MarkdownIt("commonmark").render(rendering), MARKDOWN_TAGS, True)
    elif medium == "slack":
        problems += _slack_problems(json.loads(rendering))
    elif medium == "title":  # an issue title: plain text on GitHub
        problems += [f"mention {m.group()}" for m in MENTION.finditer(rendering)]
    elif medium == "json":
        problems += [f"control {c!r}" for c in CONTROL.findall(json.dumps(json.loads(rendering)))]
    return problems


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.kind for entry in ENTRIES])
def test_no_secret_survives_and_nothing_is_live_in_any_rendering_or_channel(
    entry: Any, channels: Any
) -> None:
    renderings: Renderings = channels(hostile_report(entry.line))
    leaks = [
        (name, secret)
        for name, (_, rendering) in renderings.items()
        for secret in LEAKS
        if any(secret in seen for seen in _decodings(rendering))
    ]
    assert leaks == []
    live = {name: live_problems(medium, text) for name, (medium, text) in renderings.items()}
    assert {name: problems for name, problems in live.items() if problems} == {}
    # The entry did reach the readers (redacted): its words are in every full rendering.
    word = strip_control(entry.line).split()[1]
    for name in ("text", "markdown", "json", "html", "stored page", "sns email", "github body"):
        assert any(word in seen for seen in _decodings(renderings[name][1])), name


def test_the_runbook_link_is_the_description_url_without_its_credentials(channels: Any) -> None:
    report = hostile_report("ERROR nothing else")
    assert report.runbook_url == "https://wiki.example.org/runbooks/web-latency"
    for name, (_, rendering) in channels(report).items():
        assert "admin:password" not in rendering, name
        assert "javascript:" not in rendering, name


def test_unsafe_links_in_a_report_read_back_never_become_links(channels: Any) -> None:
    data = hostile_report("ERROR nothing else").model_dump(mode="json")
    data["runbook_url"] = hostile.JAVASCRIPT_RUNBOOK
    for evidence in data["evidence"]:
        evidence["link"] = hostile.DATA_URL
    report = Report.model_validate(data)
    renderings = channels(report)
    for name, (medium, rendering) in renderings.items():
        assert live_problems(medium, rendering) == [], name
    assert "javascript:" in renderings["text"][1]  # shown as the text it is, never as a link


def test_keep_lines_reach_the_report_unchanged() -> None:
    report = hostile_report(" ".join(hostile.KEEP))
    for line in hostile.KEEP:
        assert line in to_json(report)


def test_a_long_line_reaches_the_report_cut_with_a_marker() -> None:
    data = hostile_report("ERROR x").model_dump(mode="json")
    long = hostile.long_line()
    data["alarm"]["reason"] = long
    data["evidence"][0]["summary"] = long
    report = Report.model_validate(data)
    assert report.alarm.reason.endswith("…")
    assert len(report.alarm.reason) < 20_000
    assert report.evidence[0].summary == report.alarm.reason


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "12. not a list",
        "- not a bullet",
        "> not a quote",
        "=== not a rule",
        "a <b>c</b> &amp; *d* _e_ `f` [g](h) ![i](j) \\k",
        "ping @octocat and @acme/team about #12",
    ],
)
def test_markdown_text_renders_as_the_text_itself(text: str) -> None:
    rendered = MarkdownIt("commonmark").render(markdown_text(text))
    elements = _Elements(rendered)
    assert [tag for tag, _ in elements.tags] == ["p"]
    assert "".join(elements.texts).strip().replace("\u200b", "") == text
