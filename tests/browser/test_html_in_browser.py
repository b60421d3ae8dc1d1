"""The HTML report in a real browser: Debian's headless Chromium opens the page of the default demo
incident from a file; the verdict and the chart must be visible and the page must request nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, Route, sync_playwright

from alarm_analyzer.correlate import verdict
from alarm_analyzer.render import to_html
from alarm_devtools.emulator import run_demo
from alarm_devtools.emulator.scenarios import DEFAULT_SCENARIO, DEMO_SCENARIOS

CHROMIUM = Path("/usr/bin/chromium")  # `make browser` installs it with apt-get
SCREENSHOT = Path(__file__).resolve().parents[2] / "build" / "html-report.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        # No sandbox: CI runs as root, where Chromium refuses to start sandboxed; the page is our own file.
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def test_the_demo_report_shows_its_verdict_and_chart_and_fetches_nothing(
    browser: Browser, tmp_path: Path
) -> None:
    report = run_demo(DEMO_SCENARIOS[DEFAULT_SCENARIO]).report
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(report), encoding="utf-8")

    requested: list[str] = []
    blocked: list[str] = []

    def only_the_file(route: Route, request: Request) -> None:
        if request.url == page_file.as_uri():
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    page = browser.new_page(viewport={"width": 1100, "height": 1500})
    page.on("request", lambda request: requested.append(request.url))
    page.route("**/*", only_the_file)
    page.goto(page_file.as_uri(), wait_until="load")

    headline = page.locator("#verdict")
    assert headline.is_visible()
    assert headline.inner_text() == verdict(report)
    chart = page.locator("#alarm-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 600
    assert box["height"] > 150
    line = page.locator("#alarm-chart polyline.metric").bounding_box()
    assert line is not None
    assert line["width"] > box["width"] / 2  # the metric is drawn across the windows, not a dot
    assert page.locator("#alarm-chart line.threshold").count() == 1
    # Nothing on top of the chart hides it: the element at its centre belongs to the chart.
    assert page.evaluate(
        "() => { const r = document.querySelector('#alarm-chart').getBoundingClientRect();"
        " return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)"
        ".closest('#alarm-chart') !== null; }"
    )

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOT)  # the first screen: verdict, impact, chart, root cause
    assert SCREENSHOT.stat().st_size > 20_000
    assert requested == [page_file.as_uri()]
    assert blocked == []
    page.close()
