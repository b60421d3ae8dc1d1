"""The HTML report: one self-contained page with the metric chart, the latency breakdown, the error
signatures and every evidence item (the browser test in tests/browser looks at it rendered)."""

from __future__ import annotations

import re

from alarm_analyzer.render import to_html, to_markdown, to_text
from alarm_analyzer.report import Charts
from tests.reports import POOL, sample_report


def test_the_chart_draws_the_metric_the_threshold_and_the_breach_start() -> None:
    report = sample_report()
    page = to_html(report)
    chart = re.search(r'<svg id="alarm-chart".*?</svg>', page, re.S)
    assert chart
    (points,) = re.findall(r'<polyline class="metric" points="([^"]+)"', chart.group(0))
    assert len(points.split()) == len(report.charts.alarm_metric.points)  # type: ignore[union-attr]
    assert 'class="threshold"' in chart.group(0)
    assert "threshold 2.00 s" in chart.group(0)
    breach = report.charts.alarm_metric.breach_start  # type: ignore[union-attr]
    assert f"breach from {breach:%H:%M}Z" in chart.group(0)


def test_the_page_needs_nothing_from_the_network() -> None:
    page = to_html(sample_report())
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\b(src|srcset)=|url\(|@import", page)


def test_latency_breakdown_error_counts_and_every_evidence_item() -> None:
    report = sample_report()
    page = to_html(report)
    assert '<svg id="latency-chart"' in page
    assert "SQL: db.example" in page
    row = re.search(r"<tr><td><a[^>]*><code>([^<]+)</code></a></td><td>errors</td>(.*?)</tr>", page)
    assert row
    assert row.group(1) == POOL.replace("<", "&lt;").replace(">", "&gt;")
    assert re.findall(r'class="n">([^<]+)<', row.group(2)) == ["90", "0"]
    for evidence in report.evidence:
        assert f'id="ev-{evidence.id}"' in page
    for step in report.runbook.triage + report.actions.short_term:
        assert step.replace("'", "&#x27;").replace('"', "&quot;") in page


def test_without_datapoints_the_page_says_so_instead_of_drawing() -> None:
    report = sample_report().model_copy(update={"charts": Charts()})
    page = to_html(report)
    assert "alarm-chart" not in page
    assert "No datapoints of the alarm&#x27;s metric to draw" in page


def test_japanese_page() -> None:
    page = to_html(sample_report("ja"))
    assert page.startswith('<!doctype html><html lang="ja">')
    assert "アラームのメトリクス" in page
    assert "しきい値 2.00 s" in page


def test_text_and_markdown_carry_the_link_to_the_stored_page() -> None:
    report = sample_report().model_copy(
        update={"html_url": "https://bucket.s3.amazonaws.com/r.html?X-Amz-Expires=86400"}
    )
    assert "Full report with charts: https://bucket.s3.amazonaws.com/r.html?X-Amz-Expires=86400" in to_text(
        report
    )
    assert "Full report with charts: <https://bucket.s3" in to_markdown(report)


def test_the_footer_says_what_the_analysis_cost_at_list_prices() -> None:
    report = sample_report()
    assert report.stats.cost_usd is not None
    assert report.stats.cost_usd > 0
    footer = to_html(report).split("<footer>", 1)[1]
    assert f"${report.stats.cost_usd:.4f} at list prices" in footer
    assert "ドル" in to_html(sample_report("ja")).split("<footer>", 1)[1]
