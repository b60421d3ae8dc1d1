"""The one place boto3 clients are made, with adaptive retries and an API call counter."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

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
        self._session = session or boto3.Session(region_name=region)
        self._config = RETRY_CONFIG.merge(config) if config else RETRY_CONFIG
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        for service, client in overrides.items():
            self._register(service, client)

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
        def count(model: Any, **_: Any) -> None:
            self.calls[f"{service}:{model.name}"] += 1

        client.meta.events.register("before-parameter-build", count)
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
