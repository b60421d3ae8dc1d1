"""Runs the real Lambda handlers in-process when the emulator's Step Functions engine invokes them.

moto runs Lambda code in Docker; there is no Docker here, so moto's invoke hook is replaced by a
function that imports the handler named by the function's ``Handler`` from its code directory and
calls it, with the function's environment and a Lambda context, like a warm execution environment.
Errors come back in the payload shape Lambda uses, so Step Functions' Retry and Catch see them.
"""

from __future__ import annotations

import contextvars
import importlib.util
import json
import os
import threading
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from aws_lambda_powertools.warnings import PowertoolsUserWarning
from moto.awslambda.models import LambdaFunction

# The function whose handler runs in this thread (and in the threads it forks): what the emulator's
# own calls to the emulated AWS are not.
INVOKED: contextvars.ContextVar[str | None] = contextvars.ContextVar("invoked_function", default=None)


@dataclass
class FunctionSpec:
    name: str
    code: Path
    handler: str
    environment: dict[str, str]
    timeout_seconds: int = 60
    memory_mb: int = 512


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    deadline: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def as_aws_sends(event: Any) -> Any:
    """moto's SNS records carry "EXAMPLE" for the signing certificate and unsubscribe URLs; SNS sends
    real URLs, and the handlers validate them (Powertools' SnsModel). Fill them in as SNS would."""
    if not isinstance(event, dict):
        return event
    for record in event.get("Records") or []:
        sns = record.get("Sns") if isinstance(record, dict) else None
        if not isinstance(sns, dict):
            continue
        region = str(sns.get("TopicArn", "arn:aws:sns:us-east-1")).split(":")[3]
        endpoint = f"https://sns.{region}.amazonaws.com"
        if not str(sns.get("SigningCertUrl", "")).startswith("https://"):
            sns["SigningCertUrl"] = f"{endpoint}/SimpleNotificationService-emulated.pem"
        if not str(sns.get("UnsubscribeUrl", "")).startswith("https://"):
            subscription = record.get("EventSubscriptionArn", "")
            sns["UnsubscribeUrl"] = f"{endpoint}/?Action=Unsubscribe&SubscriptionArn={subscription}"
    return event


class InProcessLambda:
    def __init__(self) -> None:
        self.functions: dict[str, FunctionSpec] = {}
        self.modules: dict[str, ModuleType] = {}
        self.invocations: list[tuple[str, bool]] = []
        self._lock = threading.Lock()

    def register(self, spec: FunctionSpec) -> None:
        self.functions[spec.name] = spec

    def handler(self, name: str) -> Callable[..., Any]:
        """Import the function's module once (a warm environment) and return its handler."""
        spec = self.functions[name]
        module_name, function_name = spec.handler.rsplit(".", 1)
        with self._lock:
            if name not in self.modules:
                os.environ.update(spec.environment)
                path = spec.code / f"{module_name.replace('.', '/')}.py"
                loader = importlib.util.spec_from_file_location(f"lambda_{name.replace('-', '_')}", path)
                if loader is None or loader.loader is None:
                    raise ImportError(f"cannot load {path}")
                module = importlib.util.module_from_spec(loader)
                loader.loader.exec_module(module)
                self.modules[name] = module
        return getattr(self.modules[name], function_name)  # type: ignore[no-any-return]

    def invoke(self, function: LambdaFunction, event: Any) -> tuple[str, bool, str]:
        spec = self.functions[function.function_name]
        event = as_aws_sends(event)
        # Every function's variables are the same or distinct keys, so concurrent branches agree.
        os.environ.update(spec.environment)
        context = LambdaContext(
            function_name=spec.name,
            memory_limit_in_mb=spec.memory_mb,
            invoked_function_arn=function.function_arn,
            aws_request_id=str(uuid.uuid4()),
            deadline=time.monotonic() + spec.timeout_seconds,
        )
        token = INVOKED.set(spec.name)
        try:
            result = self.handler(spec.name)(event, context)
        except Exception as exc:  # reported to Step Functions exactly as Lambda reports a function error
            self.invocations.append((spec.name, True))
            payload = {
                "errorMessage": str(exc),
                "errorType": type(exc).__name__,
                "stackTrace": traceback.format_tb(exc.__traceback__),
            }
            return json.dumps(payload), True, ""
        finally:
            INVOKED.reset(token)
        self.invocations.append((spec.name, False))
        return json.dumps(result), False, ""

    @contextmanager
    def installed(self) -> Iterator[InProcessLambda]:
        runtime = self

        def invoke(function: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
            if function.function_name not in runtime.functions:
                return (
                    json.dumps(
                        {
                            "errorMessage": "no code for this function in the emulator",
                            "errorType": "ResourceNotFoundException",
                        }
                    ),
                    True,
                    "",
                )
            return runtime.invoke(function, event)

        with mock.patch.object(LambdaFunction, "_invoke_lambda", invoke), warnings.catch_warnings():
            # The functions share one process here, so Powertools sees their metric dimensions overlap.
            warnings.simplefilter("ignore", PowertoolsUserWarning)
            yield self
