"""Correlation into the schema-v1 report, its renderings and its SNS message."""

from __future__ import annotations

import json
import string

import pytest

from alarm_analyzer import evidence as ev
from alarm_analyzer.correlate import correlate
from alarm_analyzer.delivery import MAX_MESSAGE_BYTES, report_from_message, sns_message
from alarm_analyzer.i18n import CATEGORY_TITLES, LANGUAGES, MESSAGES
from alarm_analyzer.models import AlarmData, LogsData, MetricsData, Result, SourceError
from alarm_analyzer.playbook import PLAYBOOK
from alarm_analyzer.render import subject, to_html, to_json, to_markdown, to_text
from alarm_analyzer.report import Category, Evidence, Report
from alarm_analyzer.slack import report_message
from tests.factories import (
    alarm_event,
    correlate_input,
    latency_alarm_series,
    result,
    series,
    signature,
    stats,
    traces,
)

POOL = "ERROR sqlalchemy.exc.TimeoutError: QueuePool limit of size <n> overflow <n> reached"


RUNBOOK = "https://wiki.example.org/rb/web"


def _results(trace_error: bool = False) -> list[Result]:
    return [
        result(AlarmData(), api_calls=4),
        result(MetricsData(series=[latency_alarm_series()]), api_calls=2),
        result(LogsData(signatures=[signature(POOL, count=90)]), api_calls=6),
        Result(
            source="traces",
            status="error",
            error=SourceError(code="AccessDeniedException", message="not authorized"),
        )
        if trace_error
        else result(traces([("sql", "db.example", 0.9)], slow_share=0.8), api_calls=7),
    ]


def _report(lang: str = "en", trace_error: bool = False) -> Report:
    request = correlate_input(alarm_event(), _results(trace_error), runbook_url=RUNBOOK)
    return correlate(request, lang)  # type: ignore[arg-type]


def test_report_is_schema_v1_with_a_cited_root_cause() -> None:
    report = _report()
    data = json.loads(to_json(report))
    assert data["schema_version"] == "1"
    assert data["root_cause"]["category"] == "database_connection_exhaustion"
    assert data["alarm"]["name"] == "web-latency"
    assert data["runbook_url"] == "https://wiki.example.org/rb/web"
    assert data["stats"]["api_calls"] == 19
    evidence_ids = {e["id"] for e in data["evidence"]}
    assert set(data["hypotheses"][0]["evidence_ids"]) <= evidence_ids
    assert report.actions.short_term
    assert report.actions.long_term
    assert report.runbook.triage


def test_user_facing_latency_pages() -> None:
    report = _report()
    assert report.impact.user_facing
    assert report.severity == "page"
    assert any(f.evidence_id for f in report.impact.figures)


def test_the_severity_tag_decides_how_the_alarm_reaches_the_team() -> None:
    report = correlate(correlate_input(alarm_event(), _results(), severity="ticket"))
    assert report.impact.user_facing
    assert report.severity == "ticket"


def test_a_failed_source_becomes_a_gap_and_the_report_still_comes() -> None:
    report = _report(trace_error=True)
    assert [g.source for g in report.gaps] == ["traces"]
    assert "AccessDeniedException" in report.gaps[0].reason
    # A slow query holding the connections would show in the traces: the pool's errors lead, unconfirmed.
    assert report.root_cause.category == "inconclusive"
    leader = report.hypotheses[0]
    assert leader.category == "database_connection_exhaustion"
    assert "traces" in (leader.to_confirm or "")


def test_text_starts_with_the_verdict_and_lists_evidence_and_actions() -> None:
    text = to_text(_report())
    first = text.splitlines()[0]
    assert first.startswith("Database connection exhaustion: ")
    assert "QueuePool limit" in text
    assert "== Do now ==" in text
    assert "Your runbook: https://wiki.example.org/rb/web" in text


def test_markdown_has_sections_and_console_links() -> None:
    markdown = to_markdown(_report())
    assert markdown.startswith("# Database connection exhaustion")
    assert "## Evidence" in markdown
    assert "([console](<https://eu-west-1.console.aws.amazon.com/cloudwatch/home" in markdown


def test_html_is_a_page_with_escaped_text_and_links() -> None:
    report = _report()
    odd = report.model_copy(
        update={"root_cause": report.root_cause.model_copy(update={"summary": "<b>x</b> & y"})}
    )
    page = to_html(odd)
    assert page.startswith("<!doctype html>")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in page
    assert '<a href="https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#' in page
    assert page.count("<ol>") == page.count("</ol>")


def test_japanese_report() -> None:
    report = _report("ja")
    assert report.language == "ja"
    assert to_text(report).splitlines()[0].startswith("DB コネクション枯渇: ")
    assert "今すぐ行うこと" in to_text(report)


def test_subject_stays_under_100_characters() -> None:
    long_name = "x" * 230
    report = correlate(correlate_input(alarm_event(name=long_name), _results()))
    assert len(subject(report)) < 100
    assert subject(_report()) == "[PAGE] web-latency: Database connection exhaustion"


def test_sns_message_gives_email_text_and_everyone_else_json() -> None:
    message = sns_message(_report())
    assert message["MessageStructure"] == "json"
    bodies = json.loads(message["Message"])
    assert bodies["email"].splitlines()[0].startswith("Database connection exhaustion")
    assert report_from_message(bodies["default"]).root_cause.category == "database_connection_exhaustion"


def test_oversized_reports_shed_uncited_evidence_first_and_fit_in_sns() -> None:
    report = _report("ja")
    filler = [
        Evidence(id=f"logs:filler-{i}", source="logs", summary="長い" * 50, detail={"blob": "データ" * 800})
        for i in range(120)
    ]
    big = report.model_copy(update={"evidence": report.evidence + filler})
    message = sns_message(big)["Message"]
    assert len(message.encode()) <= MAX_MESSAGE_BYTES
    delivered = report_from_message(json.loads(message)["default"])
    assert {e.id for e in report.cited()} <= {e.id for e in delivered.evidence}
    assert "今すぐ行うこと" in message  # Japanese travels as UTF-8, not as \\u escapes


def test_evidence_ids_stay_distinct_for_long_similar_names() -> None:
    load_balancer = "app/storefront-production-eu/0123456789abcdef"
    groups = [f"targetgroup/storefront-production-eu-{n}/0123456789abcde{n}" for n in "ab"]
    ids = {
        ev.series_id(
            series("TargetResponseTime", stats(1.0), stats(1.0), namespace="AWS/ApplicationELB",
                   kind="target_group", resource=f"{load_balancer}/{group}")
        )
        for group in groups
    }  # fmt: skip
    assert len(ids) == 2


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    assert set(MESSAGES[key]) == set(LANGUAGES)
    assert _fields(MESSAGES[key]["en"]) == _fields(MESSAGES[key]["ja"])


def test_every_category_has_a_title_and_every_rule_category_a_play() -> None:
    assert set(CATEGORY_TITLES) == set(Category.__args__)  # type: ignore[attr-defined]
    for category in ("database_connection_exhaustion", "database_resource_pressure",
                     "downstream_dependency_latency", "application_code_latency", "alarm_misconfiguration",
                     "inconclusive"):  # fmt: skip
        assert set(PLAYBOOK[category]) == set(LANGUAGES)
        assert f"s.{category}" in MESSAGES or category == "inconclusive"


def _surge_report(lang: str = "en") -> Report:
    """Four times the usual requests saturate the service's CPU, and requests slow down."""
    elb = {"namespace": "AWS/ApplicationELB", "kind": "load_balancer", "resource": "app/web/0123456789abcdef"}
    requests = series("RequestCount", stats(4800, 300), stats(1200, 80), stat="Sum", **elb)  # type: ignore[arg-type]
    cpu = series("CPUUtilization", stats(93, 3), stats(41, 4), namespace="AWS/ECS", kind="ecs_service",
                 resource="shop/web", at_peak_share=0.6)  # fmt: skip
    results = [result(AlarmData()), result(MetricsData(series=[latency_alarm_series(), requests, cpu]))]
    return correlate(correlate_input(alarm_event(), results), lang)  # type: ignore[arg-type]


def test_the_chain_from_the_cause_to_the_symptom_shows_in_every_rendering() -> None:
    report = _surge_report()
    assert [link.category for link in report.root_cause.chain] == ["traffic_surge", "compute_saturation"]
    assert all(link.evidence_ids for link in report.root_cause.chain)
    chain = "How it unfolded: Traffic surge → Compute saturation"
    assert chain in to_text(report)
    assert chain in to_markdown(report)
    assert chain in json.dumps(report_message(report), ensure_ascii=False)
    html = to_html(report)
    assert html.count('<div class="link">') == 2
    assert html.index("Traffic surge</a>") < html.index("Compute saturation</a>")
    symptom = next(h for h in report.hypotheses if h.category == "compute_saturation")
    assert (symptom.role, symptom.explained_by) == ("symptom", "traffic_surge")
    assert "a symptom of Traffic surge" in to_text(report)


def test_the_chain_is_in_the_japanese_report_too() -> None:
    text = to_text(_surge_report("ja"))
    assert (
        f"連鎖: {CATEGORY_TITLES['traffic_surge']['ja']} → {CATEGORY_TITLES['compute_saturation']['ja']}"
        in text
    )
    assert "How it unfolded" not in text
