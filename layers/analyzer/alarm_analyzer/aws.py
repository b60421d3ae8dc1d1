"""The one place boto3 clients are made, with adaptive retries and an API call counter.

Besides counting calls, it measures the critical path in sequential rounds: every call adds a round
to the path of the work that made it, and work run side by side (``fork``) continues from the
longest of its branches. At 100 ms per call, rounds x 100 ms is the time the calls alone take.
"""

from __future__ import annotations

import contextvars
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .costs import billed_units

RETRY_CONFIG = Config(
    retries={"mode": "adaptive", "max_attempts": 4},
    connect_timeout=3,
    read_timeout=10,
)

# Pre-signed report links must be Signature Version 4: botocore may still sign S3 links with SigV2,
# which newer regions refuse.
SERVICE_CONFIG = {"s3": Config(signature_version="s3v4")}

# Codes that mean "you may not look here": reported as a gap, never as a crash.
ACCESS_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
THROTTLING_CODES = frozenset(
    {"Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "LimitExceeded"}
)


T = TypeVar("T")

MAX_PARALLEL = 6  # concurrent calls of one piece of work: a few, not a burst against per-API quotas


@dataclass
class CallPath:
    """Sequential rounds of API calls so far on one path of work."""

    rounds: int = 0


class Pacing(Protocol):
    """Waits until a call of this operation keeps the work within its API budget (quotas.Pacer)."""

    def wait(self, service: str, operation: str) -> None: ...


_PATH: contextvars.ContextVar[CallPath | None] = contextvars.ContextVar("call_path", default=None)
_PACING: contextvars.ContextVar[Pacing | None] = contextvars.ContextVar("pacing", default=None)
# One thread, in submission order: for tests that queue responses in order (botocore's Stubber).
_SEQUENTIAL: contextvars.ContextVar[bool] = contextvars.ContextVar("sequential", default=False)


@contextmanager
def sequential() -> Iterator[None]:
    """Run work that would go side by side one piece after another, in the order it is submitted."""
    token = _SEQUENTIAL.set(True)
    try:
        yield
    finally:
        _SEQUENTIAL.reset(token)


@contextmanager
def measured_path() -> Iterator[CallPath]:
    """Count the rounds of the calls made inside the block (and in work it forks)."""
    path = CallPath()
    token = _PATH.set(path)
    try:
        yield path
    finally:
        _PATH.reset(token)


@contextmanager
def paced(pacing: Pacing) -> Iterator[None]:
    """Every call made inside the block (and in work it forks) waits for its pace first."""
    token = _PACING.set(pacing)
    try:
        yield
    finally:
        _PACING.reset(token)


class SideBySide:
    """Work run in threads alongside the current path (boto3 clients are thread-safe).

    Each piece starts from the current path's rounds; when the block ends, the path has the
    longest piece's. ``submit`` returns a future; its ``result()`` raises what the piece raised.
    """

    def __enter__(self) -> SideBySide:
        self._parent = _PATH.get()
        self._branches: list[CallPath] = []
        self._pool = ThreadPoolExecutor(max_workers=1 if _SEQUENTIAL.get() else MAX_PARALLEL)
        return self

    def submit(self, call: Callable[[], T]) -> Future[T]:
        branch = CallPath(self._parent.rounds if self._parent else 0)
        self._branches.append(branch)

        def run() -> T:
            _PATH.set(branch)
            return call()

        future = self._pool.submit(contextvars.copy_context().run, run)
        if _SEQUENTIAL.get():
            future.exception()  # wait: the next piece starts only after this one
        return future

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)
        if self._parent is not None and self._branches:
            self._parent.rounds = max(self._parent.rounds, *(b.rounds for b in self._branches))


def fork(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Independent calls side by side; their results in order."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with SideBySide() as work:
        futures = [work.submit(call) for call in calls]
    return [future.result() for future in futures]


class AwsClients:
    """Lazily created clients sharing one session, counting every API call they make.

    Tests hand in ready-made clients (emulator-backed or wrapped in a Stubber) through ``overrides``.
    """

    def __init__(
        self,
        session: boto3.Session | None = None,
        region: str | None = None,
        config: Config | None = None,
        **overrides: Any,
    ) -> None:
        self._given_session, self._region = session, region
        self._session_made: boto3.Session | None = None
        self._config = RETRY_CONFIG.merge(config) if config else RETRY_CONFIG
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.units: Counter[str] = Counter()  # priced units used (costs.PRICES): metrics, traces read...
        for service, client in overrides.items():
            self._register(service, client)

    @property
    def _session(self) -> boto3.Session:
        """Made on first use: a Lambda cold start does not pay for clients a handler never needs."""
        if self._session_made is None:
            self._session_made = self._given_session or boto3.Session(region_name=self._region)
        return self._session_made

    @property
    def region(self) -> str:
        return str(self._session.region_name or "us-east-1")

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                config = (
                    self._config.merge(SERVICE_CONFIG[service]) if service in SERVICE_CONFIG else self._config
                )
                self._register(service, self._session.client(service, config=config))
            return self._clients[service]

    @property
    def cloudwatch(self) -> Any:
        return self.client("cloudwatch")

    @property
    def logs(self) -> Any:
        return self.client("logs")

    @property
    def xray(self) -> Any:
        return self.client("xray")

    @property
    def sns(self) -> Any:
        return self.client("sns")

    @property
    def dynamodb(self) -> Any:
        return self.client("dynamodb")

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def _register(self, service: str, client: Any) -> None:
        def count(params: dict[str, Any], model: Any, **_: Any) -> None:
            with self._count_lock:
                self.calls[f"{service}:{model.name}"] += 1
                self.units.update(billed_units(service, model.name, params))
            path = _PATH.get()
            if path is not None:
                path.rounds += 1

        def pace(model: Any, **_: Any) -> None:
            pacing = _PACING.get()
            if pacing is not None:
                pacing.wait(service, model.name)

        def scanned(parsed: dict[str, Any], **_: Any) -> None:
            with self._count_lock:
                self.units["trace_read"] += len(parsed.get("TraceSummaries") or [])

        client.meta.events.register("before-parameter-build", count)
        # The last moment before the request is sent, and before any handler that answers in its place.
        client.meta.events.register_first("before-call", pace)
        if service == "xray":
            client.meta.events.register("after-call.xray.GetTraceSummaries", scanned)
        self._clients[service] = client


def error_code(exc: BaseException) -> str:
    """The AWS error code of a failed call (or the exception's type for non-AWS failures)."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    return type(exc).__name__


def error_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Message") or exc)
    return str(exc) or type(exc).__name__


AWS_ERRORS = (ClientError, BotoCoreError)
