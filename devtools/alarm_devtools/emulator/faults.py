"""Faults where AWS would answer, and a log of every call the analyzer's functions make.

A botocore handler runs before each call a Lambda handler makes of an action the analyzer's
functions are granted (the emulator's own calls, and the starter's and correlate's, are left alone). It runs after the analyzer's own
pacing, and before the responses ``injected`` gives, so those calls are faulted and logged too:

- ``throttle``: each attempt is refused with ThrottlingException at the given rate; refused attempts
  are retried as botocore's retry mode does (up to its attempts, with its exponential backoff), and the
  call fails only when every attempt was refused. Every attempt is logged: AWS counts them all.
- ``deny``: AccessDeniedException, as without the IAM permission.
- ``latency``: the call answers after the given seconds.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import botocore.handlers
from botocore.exceptions import ClientError

from alarm_analyzer.aws import RETRY_CONFIG
from alarm_analyzer.quotas import iam_action
from alarm_analyzer.sources import callers

from .lambda_runtime import INVOKED

ANALYZER_ACTIONS = frozenset(callers())
ATTEMPTS = int((RETRY_CONFIG.retries or {}).get("max_attempts", 4))


@dataclass(frozen=True)
class Fault:
    kind: Literal["throttle", "deny", "latency"]
    services: frozenset[str] | None = None  # IAM service prefixes; None: every service
    rate: float = 1.0  # throttle: the share of attempts refused
    seconds: float = 0.0  # latency

    def applies(self, action: str) -> bool:
        return self.services is None or action.split(":", maxsplit=1)[0] in self.services


class CallLog:
    """When each call (each attempt, under throttling) of each action was made, in monotonic seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: dict[str, list[float]] = defaultdict(list)

    def record(self, action: str) -> None:
        with self._lock:
            self.calls[action].append(time.monotonic())

    def peak_per_second(self, action: str) -> int:
        """The most calls of the action inside any one second (a sliding window)."""
        times, peak, first = sorted(self.calls.get(action, [])), 0, 0
        for last, moment in enumerate(times):
            while moment - times[first] >= 1.0:
                first += 1
            peak = max(peak, last - first + 1)
        return peak

    def total(self) -> int:
        return sum(len(times) for times in self.calls.values())


_lock = threading.Lock()
_active: dict[str, Any] = {}


def _backoff(attempt: int) -> float:
    """botocore's exponential backoff: a random wait up to 2^(attempt-1) seconds, at most 20."""
    return random.random() * min(20.0, 2.0 ** (attempt - 1))


def _error(code: str, message: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


def _before_call(model: Any, **_: Any) -> None:
    action = iam_action(model.service_model.service_name, model.name)
    with _lock:
        fault, log = _active.get("fault"), _active.get("log")
    if log is None or action not in ANALYZER_ACTIONS or INVOKED.get() is None:
        return
    for attempt in range(1, ATTEMPTS + 1):
        log.record(action)
        if fault is None or not fault.applies(action):
            return
        if fault.kind == "deny":
            raise _error("AccessDeniedException", f"not authorized to perform: {action}", model.name)
        if fault.kind == "latency":
            time.sleep(fault.seconds)
            return
        if random.random() >= fault.rate:
            return
        if attempt < ATTEMPTS:
            time.sleep(_backoff(attempt))
    raise _error("ThrottlingException", "Rate exceeded", model.name)


@contextmanager
def faulted(fault: Fault | None, log: CallLog) -> Iterator[CallLog]:
    """Log every call of the analyzer's actions (in every thread) and inject the fault, while the block runs."""
    with _lock:
        _active.update(fault=fault, log=log)
    try:
        yield log
    finally:
        with _lock:
            _active.clear()


def _install() -> None:
    # First of all before-call handlers: before injected responses short-circuit a call.
    if ("before-call", _before_call) not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.insert(0, ("before-call", _before_call))


_install()
