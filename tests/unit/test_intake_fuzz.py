"""Property-based tests of the intake: whatever JSON arrives, in whichever field, the only failure is
``InvalidAlarmEvent`` (one line), and whatever is accepted stays within the bounds the rest of the
analyzer relies on (CloudWatch's limits, finite numbers, times since 2009 and not in the future)."""

from __future__ import annotations

import copy
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alarm_analyzer import events
from alarm_analyzer.cli import BadInput, read_event
from alarm_analyzer.events import Alarm, InvalidAlarmEvent, parse_alarm_event
from alarm_analyzer.scope import windows_for
from tests.conftest import load
from tests.intake_corpus import SAMPLES

NOW = datetime(2026, 6, 1, tzinfo=UTC)
FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Values near the edges of what the intake checks, mixed into arbitrary JSON.
EDGES = st.sampled_from(
    [
        0, -1, 1, 10, 60, 604_800, 604_801, 10**30, -(10**30), 0.5, 1e308, -0.0,
        float("nan"), float("inf"), float("-inf"), True, False, None, "", " ",
        "x" * 256, "x" * 1025, "x" * 4001, "\x00", "\x1b[31mred\x1b[0m", "\ud800", "🔥",
        "us-east-1", "../../etc/passwd", "123456789012", "12345678901a",
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x", "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
        "2019-10-02T17:04:40.989+0000", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2099-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z", "2026-06-01T00:04:00Z", "2026-06-01T00:06:00Z", "not a date",
        "ALARM", "OK", "INSUFFICIENT_DATA", "Average", "Percent", "SUM(METRICS())",
        '{"threshold": NaN}', '{"period": 1e400}', "[1, 2]", "{not json", '{"recentDatapoints": ["1"]}',
        " OR ".join(f"ALARM(c{i})" for i in range(101)),
    ]
)  # fmt: skip
LEAVES = EDGES | st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
JSON = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
DELETE = object()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every field of an event, down into the JSON inside reasonData."""
    found = [prefix] if prefix else []
    if isinstance(value, str) and prefix[-1:] == ("reasonData",) and value.strip():
        value = json.loads(value)
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


PATHS = sorted({(name, *path) for name, sample in SAMPLES.items() for path in _paths(load(sample))}, key=repr)


def _replace(target: Any, path: tuple[Any, ...], value: Any) -> Any:
    """``target`` with the field at ``path`` replaced (or deleted), re-encoding reasonData strings."""
    if not path:
        return value
    head, *rest = path
    if isinstance(target, str):  # reasonData, as CloudWatch sends it: a JSON string
        return json.dumps(_replace(json.loads(target), path, value))
    if value is DELETE and not rest:
        del target[head]
    else:
        target[head] = _replace(target[head], tuple(rest), value)
    return target


@st.composite
def mutated_events(draw: st.DrawFn) -> Any:
    """An AWS sample event with one to three fields replaced by arbitrary JSON or deleted."""
    chosen = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3))
    event = load(SAMPLES[chosen[0][0]])
    for sample, *path in chosen:
        if sample != chosen[0][0]:
            continue
        try:
            event = _replace(event, tuple(path), draw(JSON | st.just(DELETE)))
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # an earlier replacement removed the path (or made reasonData no longer JSON)
    return event


@st.composite
def event_shaped(draw: st.DrawFn) -> dict[str, Any]:
    """Dictionaries with the keys of either event shape, holding arbitrary JSON or plausible values."""
    plausible = {
        "detail-type": st.just(events.ALARM_STATE_CHANGE),
        "source": st.just("aws.cloudwatch"),
        "region": st.just("us-east-1"),
        "account": st.just("123456789012"),
        "accountId": st.just("123456789012"),
        "resources": st.just(["arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"]),
        "alarmArn": st.just("arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"),
        "detail": st.just(load(SAMPLES["metric"])["detail"]),
        "alarmData": st.just(load(SAMPLES["lambda"])["alarmData"]),
    }
    keys = draw(st.lists(st.sampled_from(sorted(plausible)), unique=True))
    return {key: draw(plausible[key] | JSON) for key in keys}


def _check(payload: Any) -> None:
    try:
        alarm = parse_alarm_event(copy.deepcopy(payload), now=NOW)
    except InvalidAlarmEvent as refused:
        message = str(refused)
        assert "\n" not in message
        assert message.split(":", 1)[0]  # names a field (or "event")
        return
    _assert_within_bounds(alarm)


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def _text_within(value: str, low: int, high: int) -> bool:
    return low <= len(value) <= high and not events._NOT_TEXT.search(value)


def _assert_within_bounds(alarm: Alarm) -> None:
    assert _text_within(alarm.name, 1, events.MAX_NAME)
    assert events.REGION.fullmatch(alarm.region)
    assert events.ACCOUNT.fullmatch(alarm.account)
    assert events.ALARM_ARN.fullmatch(alarm.arn)
    assert len(alarm.arn) <= events.MAX_ARN
    assert events.EARLIEST <= alarm.state_changed_at <= NOW + events.CLOCK_SKEW
    assert alarm.description is None or _text_within(alarm.description, 0, events.MAX_DESCRIPTION)
    assert _text_within(alarm.reason, 0, events.MAX_REASON)
    assert len(alarm.queries) <= events.MAX_QUERIES
    for stat in alarm.metric_stats:
        assert 1 <= stat.period <= events.MAX_PERIOD
        assert len(stat.metric.dimensions) <= events.MAX_DIMENSIONS
        assert all(len(v) <= events.MAX_DIMENSION_VALUE for v in stat.metric.dimensions.values())
    if alarm.alarm_rule is not None:
        assert _text_within(alarm.alarm_rule, 1, events.MAX_ALARM_RULE)
        assert len(alarm.child_alarms) <= events.MAX_RULE_CHILDREN
    if alarm.tags is not None:
        assert len(alarm.tags) <= events.MAX_TAGS
        assert all(_text_within(k, 1, events.MAX_TAG_KEY) for k in alarm.tags)
        assert all(_text_within(v, 0, events.MAX_TAG_VALUE) for v in alarm.tags.values())
    assert _finite(alarm.reason_data)
    assert alarm.period is None or 1 <= alarm.period <= events.MAX_PERIOD
    assert alarm.threshold is None or math.isfinite(alarm.threshold)
    assert alarm.evaluated_periods >= 1
    # What the gatherers derive from it works: time windows, the direction of the breach, the id.
    windows = windows_for(alarm)
    assert windows.history.start < windows.incident.end == alarm.state_changed_at
    assert alarm.breach_direction in {"above", "below", None}
    assert alarm.incident_id.startswith("inc-")
    json.loads(alarm.model_dump_json())


@FUZZ
@given(JSON)
def test_any_json_value_is_refused_or_accepted_within_bounds(payload: Any) -> None:
    _check(payload)


@FUZZ
@given(event_shaped())
def test_an_event_shaped_object_is_refused_or_accepted_within_bounds(payload: dict[str, Any]) -> None:
    _check(payload)


@FUZZ
@given(mutated_events())
def test_any_field_of_an_aws_event_replaced_by_any_json_is_refused_or_accepted_within_bounds(
    payload: Any,
) -> None:
    _check(payload)


@pytest.fixture(scope="module")
def event_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "event.json"


@FUZZ
@given(st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()) | st.text().map(str.encode))
def test_any_file_is_read_as_json_or_refused_as_bad_input(event_file: Path, content: bytes) -> None:
    event_file.write_bytes(content)
    try:
        read_event(event_file)
    except BadInput as refused:
        message = str(refused)
    else:
        return
    assert message.startswith("event file ")
    assert "\n" not in message
