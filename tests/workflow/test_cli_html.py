"""The HTML page from the command line: `--format html` and the demo write it to a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from alarm_analyzer.cli import main


def test_demo_writes_the_html_report_and_format_html_goes_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--scenario", "slow-external", "--format", "html", "--html", "demo.html"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # a page goes to a file, not to the terminal
    assert "report written to alarm-report.html" in captured.err
    page = (tmp_path / "alarm-report.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert '<svg id="alarm-chart"' in page
    assert (tmp_path / "demo.html").read_text(encoding="utf-8") == page
