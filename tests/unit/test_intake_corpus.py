"""The intake against the corpus of malformed and unusual input (tests/intake_corpus.py): every
malformed kind is refused with one line naming its field, by ``parse_alarm_event`` and by
``alarm-analyzer replay`` (exit 2, nothing on stdout, no traceback); every valid kind is accepted,
and the CLI turns it into a report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alarm_analyzer import cli, pipeline
from alarm_analyzer.correlate import correlate
from alarm_analyzer.events import InvalidAlarmEvent, parse_alarm_event
from alarm_analyzer.i18n import Lang
from alarm_analyzer.models import CorrelateInput
from alarm_analyzer.report import Report
from tests.intake_corpus import MALFORMED, VALID, Kind

EVENTS = [kind for kind in MALFORMED if kind.raw is None]
MESSAGE_LIMIT = 300  # one readable line, however long the offending value


def _ids(kinds: list[Kind]) -> list[str]:
    return [kind.name for kind in kinds]


def test_the_corpus_covers_many_fields_and_what_used_to_crash_or_pass() -> None:
    assert len(MALFORMED) >= 64
    assert len({kind.field for kind in MALFORMED}) >= 45  # many fields, not one field 64 ways
    assert sum(kind.before == "crash" for kind in MALFORMED) >= 7
    assert sum(kind.before == "accepted" for kind in MALFORMED) >= 7


@pytest.mark.parametrize("kind", EVENTS, ids=_ids(EVENTS))
def test_a_malformed_event_is_refused_naming_its_field(kind: Kind) -> None:
    with pytest.raises(InvalidAlarmEvent) as refused:
        parse_alarm_event(kind.payload())
    message = str(refused.value)
    assert message.startswith(f"{kind.field}:"), message
    assert "\n" not in message
    assert len(message) <= MESSAGE_LIMIT


@pytest.mark.parametrize("kind", VALID, ids=_ids(VALID))
def test_an_unusual_event_aws_can_send_is_accepted(kind: Kind) -> None:
    payload = kind.payload()
    alarm = parse_alarm_event(payload)
    detail = payload.get("detail") or payload["alarmData"]
    assert alarm.name == detail["alarmName"]
    assert alarm.state == detail["state"]["value"]
    assert alarm.queries or alarm.child_alarms


def _replay(tmp_path: Path, kind: Kind, main: Callable[[list[str]], int]) -> int:
    path = tmp_path / "event.json"
    path.write_bytes(kind.file_bytes())
    return main(["replay", "--event", str(path), "--format", "json"])


@pytest.mark.parametrize("kind", MALFORMED, ids=_ids(MALFORMED))
def test_replaying_a_malformed_event_exits_2_with_one_line_naming_the_field(
    kind: Kind, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyze", _never)
    assert _replay(tmp_path, kind, cli.main) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"alarm-analyzer: {kind.field}"), line
    assert "Traceback" not in captured.err
    assert len(line) <= MESSAGE_LIMIT + 100  # the event file's path comes first for file-level errors


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("kind", VALID, ids=_ids(VALID))
def test_replaying_an_unusual_event_gives_a_report(
    kind: Kind, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Intake, correlation and rendering as they run; the gatherers (tests/workflow) find nothing here.
    monkeypatch.setattr(pipeline, "analyze", _nothing_gathered)
    assert _replay(tmp_path, kind, cli.main) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["alarm"]["name"] == parse_alarm_event(kind.payload()).name
    assert report["root_cause"]["category"] == "inconclusive"


def _never(*_: Any) -> Report:
    raise AssertionError("a malformed event reached the analysis")


def _nothing_gathered(
    event: dict[str, Any], _clients: Any, lang: Lang, budget_seconds: float | None = None
) -> Report:
    return correlate(CorrelateInput(event=event, results=[]), lang)
