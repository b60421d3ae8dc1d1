"""Facts moto cannot represent, answered through the normal client interface.

moto does not implement CloudTrail LookupEvents or CloudWatch DescribeAlarmHistory, never reports an
unhealthy target, and keeps ECS deployments, CodeDeploy statuses and AppConfig deployments frozen at
creation. A scenario supplies those answers here; the gatherers still build their requests, count
their calls and parse the responses exactly as against AWS.

Two botocore handlers are appended to ``botocore.handlers.BUILTIN_HANDLERS`` at import, the way moto
hooks in, so every session created afterwards carries them (the in-process Lambda handlers create
their own). They do nothing unless ``injected(...)`` is active. A third makes FilterLogEvents page
in time order, as AWS always does. The answers live in module state
behind a lock, not a context variable: Step Functions runs its tasks in other threads.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.model import OperationModel
from botocore.validate import validate_parameters

# An answer: the parsed response (or a ``refusal``), or a function of the call's parameters that returns
# it, or None to leave that call to moto (say, a function other than the one whose versions are injected).
Answer = Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any] | None]
Responses = Mapping[tuple[str, str], Answer]  # (service name as boto3 names it, OperationName)

_PARAMS_KEY = "injected_api_params"
_lock = threading.Lock()
_active: dict[tuple[str, str], Answer] = {}


def _key(model: OperationModel) -> tuple[str, str]:
    return model.service_model.service_name, model.name


def _remember_params(
    params: dict[str, Any], model: OperationModel, context: dict[str, Any], **_: Any
) -> None:
    """before-parameter-build: keep the caller's parameters; before-call only sees the serialized request."""
    with _lock:
        wanted = _key(model) in _active
    if wanted:
        context[_PARAMS_KEY] = copy.deepcopy(params)


def validated(model: OperationModel, response: Mapping[str, Any]) -> dict[str, Any]:
    """The response checked against the operation's output shape, as botocore's Stubber checks it."""
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    if model.output_shape is not None:
        validate_parameters(body, model.output_shape)
    elif body:
        raise ParamValidationError(report=f"{model.name} returns no body, got {sorted(body)}")
    return dict(response)


def refusal(code: str, message: str, status: int = 400) -> dict[str, Any]:
    """An answer that fails the call as AWS refuses it: the caller gets a ClientError with this code."""
    return {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}


def _answer(
    model: OperationModel, context: dict[str, Any], **_: Any
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """before-call: short-circuit the HTTP call (and so moto) with the injected response."""
    with _lock:
        answer = _active.get(_key(model))
    if answer is None:
        return None
    params = context.get(_PARAMS_KEY, {})
    response = answer(params) if callable(answer) else answer
    if response is None:
        return None
    url = f"https://{model.service_model.endpoint_prefix}.amazonaws.com/"
    if "Error" in response:
        return AWSResponse(url, response["ResponseMetadata"]["HTTPStatusCode"], {}, None), dict(response)
    return AWSResponse(url, 200, {}, None), validated(model, response)


@contextmanager
def injected(responses: Responses) -> Iterator[None]:
    """Answer these operations with these responses while the block runs (in every thread)."""
    with _lock:
        if _active:
            raise RuntimeError("injected responses are already active; they do not nest")
        _active.update(responses)
    try:
        yield
    finally:
        with _lock:
            _active.clear()


def _interleaved(params: dict[str, Any], **_: Any) -> None:
    """FilterLogEvents pages a log group's events in time order across its streams: AWS always does
    (its ``interleaved`` parameter is ignored since 2019); moto does only when asked."""
    params.setdefault("interleaved", True)


def _install() -> None:
    for event, handler in (
        ("before-parameter-build", _remember_params),
        ("before-call", _answer),
        ("before-parameter-build.logs.FilterLogEvents", _interleaved),
    ):
        if (event, handler) not in botocore.handlers.BUILTIN_HANDLERS:
            botocore.handlers.BUILTIN_HANDLERS.append((event, handler))


_install()
