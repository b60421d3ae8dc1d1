"""AssumeRole as AWS answers it.

moto hands out credentials for any role ARN, whether the role exists or not: that is how it switches
accounts. AWS refuses a role that does not exist, or whose trust policy does not let the caller's
account in, with ``AccessDenied``. While ``enforced()`` is active the emulator refuses them too, so a
member account without the analyzer's role is analyzed as it would be in AWS.

The trust policy's principals are checked; its conditions are not (the emulator's functions all run
as moto's default identity, so ``aws:PrincipalArn`` has nothing to compare: a unit test holds the member
role's condition to the central functions' role path instead).

Like ``injected``, the check is a botocore handler appended to ``BUILTIN_HANDLERS`` at import, so the
sessions the in-process Lambda handlers create carry it too; it does nothing outside ``enforced()``.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel
from moto.iam.models import get_account_id_from, iam_backends

_ENFORCED = threading.Event()


def _principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    if principal == "*":
        return ["*"]
    found = principal.get("AWS", []) if isinstance(principal, dict) else []
    return [found] if isinstance(found, str) else list(found)


def trusts(trust_policy: str, caller_account: str) -> bool:
    """Whether a role's trust policy lets principals of ``caller_account`` assume it."""
    document = json.loads(trust_policy)
    statements = document.get("Statement", [])
    for statement in [statements] if isinstance(statements, dict) else statements:
        actions = statement.get("Action", [])
        if statement.get("Effect") != "Allow" or "sts:AssumeRole" not in (
            [actions] if isinstance(actions, str) else actions
        ):
            continue
        for principal in _principals(statement):
            if principal in {"*", caller_account} or principal.split(":")[4:5] == [caller_account]:
                return True
    return False


def refusal(role_arn: str, caller_account: str) -> str | None:
    """Why AWS would refuse this AssumeRole, or None."""
    account = role_arn.split(":")[4]
    partition = role_arn.split(":")[1]
    try:
        role = iam_backends[account][partition].get_role_by_arn(role_arn)
    except Exception:  # moto's NotFoundException: AWS answers a missing role as a refusal
        role = None
    if role is None or not trusts(role.assume_role_policy_document, caller_account):
        return (
            f"User: arn:aws:iam::{caller_account}:user/emulated is not authorized to perform: "
            f"sts:AssumeRole on resource: {role_arn}"
        )
    return None


def _check(model: OperationModel, params: dict[str, Any], request_signer: Any, **_: Any) -> Any:
    """before-call: AccessDenied, as AWS answers, for a role that is missing or does not trust the caller."""
    if not _ENFORCED.is_set() or model.service_model.service_name != "sts" or model.name != "AssumeRole":
        return None
    credentials = request_signer._credentials.get_frozen_credentials()
    why = refusal(str(params["body"]["RoleArn"]), get_account_id_from(credentials.access_key))
    if why is None:
        return None
    error = {"Code": "AccessDenied", "Message": why, "Type": "Sender"}
    metadata = {"HTTPStatusCode": 403, "RequestId": str(uuid.uuid4())}
    return AWSResponse("https://sts.amazonaws.com/", 403, {}, None), {
        "Error": error,
        "ResponseMetadata": metadata,
    }


@contextmanager
def enforced() -> Iterator[None]:
    """Refuse AssumeRole as AWS does while the block runs (in every thread)."""
    _ENFORCED.set()
    try:
        yield
    finally:
        _ENFORCED.clear()


def _install() -> None:
    if ("before-call", _check) not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(("before-call", _check))


_install()
