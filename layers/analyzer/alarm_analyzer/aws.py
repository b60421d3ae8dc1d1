"""The one place boto3 clients are made, with adaptive retries and an API call counter.

Besides counting calls, it measures the critical path in sequential rounds: every call adds a round
to the path of the work that made it, and work run side by side (``fork``) continues from the
longest of its branches. At 100 ms per call, rounds x 100 ms is the time the calls alone take.

An alarm may live in another account or region than the analyzer: ``Places`` gives the clients of
the alarm's account and region for one analysis step, assuming the member role once per step (never
per call) and counting every call, the ``AssumeRole`` included, with the step's own clients.
"""

from __future__ import annotations

import contextvars
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import boto3
import botocore.session
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
AWS_ERRORS = (ClientError, BotoCoreError)
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

    def elsewhere(self, region: str, credentials: Mapping[str, str] | None = None) -> AwsClients:
        """Clients of another region, or of another account with these temporary credentials, whose
        calls count with these. Without credentials they act as this session does.

        The new session shares this one's service models: parsing them again (ec2's is megabytes of
        JSON) would cost more than the calls it makes.
        """
        core = botocore.session.get_session()
        core.register_component("data_loader", self._session._session.get_component("data_loader"))
        if credentials is None:
            frozen = self._session.get_credentials()
            current = frozen.get_frozen_credentials() if frozen else None
            credentials = (
                {
                    "aws_access_key_id": current.access_key,
                    "aws_secret_access_key": current.secret_key,
                    "aws_session_token": current.token,
                }
                if current
                else {}
            )
        other = AwsClients(boto3.Session(botocore_session=core, region_name=region, **credentials))
        other._config, other.calls, other.units = self._config, self.calls, self.units
        other._count_lock = self._count_lock
        return other

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


class Unreachable(Exception):
    """The alarm's account could not be reached: AssumeRole was refused or failed."""

    def __init__(self, account: str, role_arn: str, code: str, message: str) -> None:
        super().__init__(f"cannot read account {account} as {role_arn}: {code}: {message}")
        self.account, self.role_arn, self.code, self.message = account, role_arn, code, message


# AWS caps a session name at 64 characters of [\w+=,.@-].
_SESSION_NAME = re.compile(r"[^\w+=,.@-]")


class Places:
    """The clients of the account and region an alarm is in, for one analysis step.

    The step's own clients read their account and region. Another region: clients of that region with
    the same credentials. Another account: the member role (``role_name`` in that account) assumed
    once, its credentials reused for every call of the step. ``home`` None means the credentials read
    whatever account the alarm is in (the CLI: the user chose them, with ``--role-arn`` or a profile);
    an empty ``role_name`` means no member roles are deployed, and every account is read as home.
    """

    def __init__(
        self,
        clients: AwsClients,
        home: str | None = None,
        role_name: str = "",
        session_name: str = "analyzer",
    ) -> None:
        self.clients, self.home, self.role_name = clients, home, role_name
        self.session_name = _SESSION_NAME.sub("-", f"alarm-analyzer-{session_name}")[:64]
        self._made: dict[tuple[str, str], AwsClients] = {}
        self._lock = threading.Lock()

    def role_arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:iam::{account}:role/{self.role_name}"

    def at(self, account: str, region: str, partition: str = "aws") -> AwsClients:
        """Clients reading ``account`` in ``region``; raises Unreachable when the role cannot be assumed."""
        other_account = self.home is not None and bool(self.role_name) and account != self.home
        if not other_account and region == self.clients.region:
            return self.clients
        with self._lock:
            key = (account if other_account else "", region)
            if key not in self._made:
                self._made[key] = (
                    self.clients.elsewhere(region, self._assumed(partition, account))
                    if other_account
                    else self.clients.elsewhere(region)
                )
            return self._made[key]

    def _assumed(self, partition: str, account: str) -> dict[str, str]:
        arn = self.role_arn(partition, account)
        try:
            granted = self.clients.client("sts").assume_role(RoleArn=arn, RoleSessionName=self.session_name)
        except AWS_ERRORS as exc:
            raise Unreachable(account, arn, error_code(exc), error_message(exc)) from exc
        credentials = granted["Credentials"]
        return {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }


def error_code(exc: BaseException) -> str:
    """The AWS error code of a failed call (or the exception's type for non-AWS failures)."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    return type(exc).__name__


def error_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Message") or exc)
    return str(exc) or type(exc).__name__
