"""The API quotas the analyzer is designed for, and the pace each analysis keeps within them.

AWS throttles its read APIs per account and region, and the analyzer shares those quotas with
everything else in the account (FilterLogEvents allows 5 calls a second to every reader of the
account's logs together). A storm of alarms must not turn the analyzer into the account's largest
reader, so each API gets a budget: at most ``SHARE`` of its quota for the whole analyzer. The
admission queue runs at most ``MAX_CONCURRENT_ANALYSES`` analyses at once, and a function runs one
step of one analysis, so each function invocation may use its share of that budget:
quota x SHARE / (concurrent analyses x functions that call the API). No shared counter is needed,
and a lone analysis keeps the same pace as one in a storm.

A pace is "at most ``calls`` calls in any ``window`` seconds". When an invocation's share is below
one call a second, the window grows instead (one call every 1.25 s for CloudTrail's LookupEvents),
so in any one second each invocation makes at most one call: the whole analyzer's peak in a second
is then at most the number of invocations that may call the API at once, which the default
concurrency keeps at or below every quota here.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

# Each function invocation's share of a quota is computed from this; the README's quota table too.
SHARE = 0.8
# The template's default for MaxConcurrentAnalyses: the starter's concurrency and every function's.
MAX_CONCURRENT_ANALYSES = 2

# Between a call's slot and the request on the wire lie a few milliseconds of the SDK's own work: slots
# are this much further apart, so that the calls AWS counts keep the pace too.
SLACK_SECONDS = 0.05

# IAM names a few services differently from botocore.
IAM_PREFIX = {"elbv2": "elasticloadbalancing"}


@dataclass(frozen=True)
class Quota:
    per_second: float  # the default quota per account and region
    where: str  # where AWS states it; "assumed" where AWS publishes no rate for the action


# Documented defaults (calls a second per account and region). For the describes AWS throttles at
# rates it does not publish, the analyzer assumes 10 a second: it calls each once or twice per analysis.
ASSUMED = Quota(10, "assumed")
QUOTAS: dict[str, Quota] = {
    "cloudwatch:GetMetricData": Quota(50, "CloudWatch service quotas"),
    "cloudwatch:ListMetrics": Quota(25, "CloudWatch service quotas"),
    "cloudwatch:DescribeAlarms": Quota(9, "CloudWatch service quotas"),
    "cloudwatch:DescribeAlarmHistory": Quota(3, "CloudWatch service quotas"),
    "logs:FilterLogEvents": Quota(5, "CloudWatch Logs service quotas"),
    "logs:DescribeLogGroups": Quota(10, "CloudWatch Logs service quotas"),
    "xray:GetTraceSummaries": Quota(5, "X-Ray endpoints and quotas"),
    "xray:BatchGetTraces": Quota(5, "X-Ray endpoints and quotas"),
    "cloudtrail:LookupEvents": Quota(2, "CloudTrail quotas (not adjustable)"),
    # EC2's non-mutating actions share a bucket refilled at 20 a second (EC2 API request throttling).
    **{
        f"ec2:{action}": Quota(20, "EC2 API throttling, describe bucket")
        for action in (
            "DescribeSubnets",
            "DescribeRouteTables",
            "DescribeNetworkAcls",
            "DescribeSecurityGroups",
            "DescribeVpcEndpoints",
            "DescribeInstances",
        )
    },
    # Lambda's control-plane requests (all but invocations, GetFunction and GetPolicy): 15 a second.
    **{
        f"lambda:{action}": Quota(15, "Lambda quotas, control plane")
        for action in (
            "GetFunctionConfiguration",
            "GetFunctionConcurrency",
            "ListVersionsByFunction",
            "ListAliases",
        )
    },
}


def quota(action: str) -> Quota:
    return QUOTAS.get(action, ASSUMED)


@dataclass(frozen=True)
class Pace:
    """At most ``calls`` calls in any ``window`` seconds."""

    calls: int
    window: float

    @property
    def per_second(self) -> float:
        return self.calls / self.window

    @property
    def peak_in_a_second(self) -> int:
        """The most calls one invocation can make inside any one second."""
        return self.calls if self.window >= 1 else math.ceil(self.calls / self.window)


def pace(action: str, callers: int, concurrency: int = MAX_CONCURRENT_ANALYSES) -> Pace:
    """The pace of one invocation of a function calling ``action``, when ``callers`` functions
    call it and ``concurrency`` analyses run at once."""
    allowed = quota(action).per_second * SHARE / (callers * concurrency)
    if allowed >= 1:
        return Pace(math.floor(allowed), 1.0)
    return Pace(1, 1 / allowed)


def iam_action(service: str, operation: str) -> str:
    """botocore's service and operation as IAM names them: ("elbv2", "DescribeTargetHealth") ->
    "elasticloadbalancing:DescribeTargetHealth"."""
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


class Pacer:
    """One invocation's pace for every API it calls; threads of the invocation share it.

    Calls of one API wait in turn, each until the pace allows it, and the time a call is let go is
    what the next one counts from: a thread that wakes up late cannot bunch the calls after it.
    """

    def __init__(self, paces: Mapping[str, Pace]) -> None:
        self._paces = paces
        self._released: dict[str, deque[float]] = {}
        self._turns: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def wait(self, service: str, operation: str) -> None:
        action = iam_action(service, operation)
        chosen = self._paces.get(action)
        if chosen is None:
            return
        with self._lock:
            turn = self._turns.setdefault(action, threading.Lock())
            released = self._released.setdefault(action, deque(maxlen=chosen.calls))
        with turn:
            if len(released) == chosen.calls:
                wait = released[0] + chosen.window + SLACK_SECONDS - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            released.append(time.monotonic())
