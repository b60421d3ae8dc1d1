"""Each API's budget: every function invocation keeps its pace, so that all of them together stay within
the quota at the template's concurrency, whatever the moment each call is made."""

from __future__ import annotations

import pytest

from alarm_analyzer import quotas
from alarm_analyzer.quotas import MAX_CONCURRENT_ANALYSES, SHARE, Pace, Pacer, pace, quota
from alarm_analyzer.sources import callers


@pytest.mark.parametrize("action", sorted(callers()))
def test_at_the_default_concurrency_no_api_can_exceed_its_quota_in_any_second(action: str) -> None:
    functions = callers()[action]
    chosen = pace(action, functions)
    invocations = functions * MAX_CONCURRENT_ANALYSES  # the most that may call it at one moment
    assert invocations * chosen.peak_in_a_second <= quota(action).per_second
    assert invocations * chosen.per_second <= quota(action).per_second * SHARE + 1e-9


def test_a_share_below_one_call_a_second_widens_the_window_instead() -> None:
    lookup = pace("cloudtrail:LookupEvents", callers=1, concurrency=2)  # 2 a second for the whole account
    assert lookup == Pace(1, 1.25)
    assert lookup.peak_in_a_second == 1
    assert pace("logs:FilterLogEvents", callers=1, concurrency=2) == Pace(2, 1.0)


def test_a_pacer_hands_out_slots_in_order_and_leaves_other_apis_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr(quotas.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(quotas.time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    pacer = Pacer({"cloudtrail:LookupEvents": Pace(1, 1.25), "logs:FilterLogEvents": Pace(2, 1.0)})
    moments = []
    for _ in range(3):
        pacer.wait("cloudtrail", "LookupEvents")
        moments.append(clock[0])
    gap = 1.25 + quotas.SLACK_SECONDS
    assert moments == pytest.approx([100.0, 100.0 + gap, 100.0 + 2 * gap])
    before = clock[0]
    pacer.wait("logs", "FilterLogEvents")
    pacer.wait("logs", "FilterLogEvents")  # two in a second: no wait
    pacer.wait("elbv2", "DescribeTargetHealth")  # no budget declared: no wait
    assert clock[0] == before
    pacer.wait("logs", "FilterLogEvents")
    assert clock[0] == pytest.approx(before + 1.0 + quotas.SLACK_SECONDS)
