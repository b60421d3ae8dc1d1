"""Secrets Manager secrets in scope: when each value last changed and how it rotates (DescribeSecret).

A secret comes into scope because something names it: the alarm's ``analyzer:secrets`` tag, an
environment variable of a function in scope whose name ends in ``SECRET_ARN``, ``SECRET_ID`` or
``SECRET_NAME``, or a container of an ECS task definition in scope reading it (``secrets``). The
value is never read: only its dates and rotation settings, which tell whether a credential the
service uses changed just before it failed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..models import SecretState
from . import GatherContext

MAX_SECRETS = 5
SECRET_VARIABLE = re.compile(r"SECRET_(?:ARN|ID|NAME)$", re.IGNORECASE)
_SUFFIX = re.compile(
    r"-[A-Za-z0-9]{6}$"
)  # Secrets Manager appends six characters to a secret's name in its ARN


def secret_name(identifier: str) -> str:
    """A secret's name, from its name or ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf)."""
    if ":secret:" not in identifier:
        return identifier
    return _SUFFIX.sub("", identifier.split(":secret:", 1)[1].split(":", 1)[0])


def secret_arn(reference: str) -> str:
    """The secret an ECS ``valueFrom`` reads: its ARN, without the JSON key and version that may follow."""
    return ":".join(reference.split(":")[:7]) if reference.startswith("arn:") else reference


def environment_secrets(variables: Mapping[str, str]) -> list[str]:
    """The secrets a function's environment names: the values of variables named like ``DB_SECRET_ARN``."""
    return [value for name, value in variables.items() if SECRET_VARIABLE.search(name) and value]


def secret_state(described: Mapping[str, Any], named_by: Sequence[str]) -> SecretState:
    rules = described.get("RotationRules") or {}
    return SecretState(
        name=described.get("Name") or secret_name(str(described.get("ARN", "?"))),
        arn=described.get("ARN"),
        named_by=list(named_by),
        rotation_enabled=bool(described.get("RotationEnabled")),
        rotation_days=rules.get("AutomaticallyAfterDays"),
        last_rotated=described.get("LastRotatedDate"),
        last_changed=described.get("LastChangedDate"),
        last_accessed=described.get("LastAccessedDate"),
        next_rotation=described.get("NextRotationDate"),
        deleted=described.get("DeletedDate"),
    )


def secrets(context: GatherContext, named: Mapping[str, Sequence[str]]) -> list[SecretState]:
    """``named``: each secret (name or ARN) and what names it; one secret named two ways is read once."""
    by_name: dict[str, tuple[str, list[str]]] = {}
    for identifier, namers in named.items():
        key = secret_name(identifier)
        known, already = by_name.get(key, (identifier, []))
        # An ARN finds the secret even in another account; a name only in this one.
        by_name[key] = (identifier if identifier.startswith("arn:") else known, [*already, *namers])
    if len(by_name) > MAX_SECRETS:
        context.note("secrets_capped", read=MAX_SECRETS, found=len(by_name))
    manager = context.clients.client("secretsmanager")
    chosen = list(by_name.items())[:MAX_SECRETS]
    found = context.parallel(
        *(
            lambda k=k, i=i, n=n: context.attempt(
                "secret",
                lambda: secret_state(manager.describe_secret(SecretId=i), list(dict.fromkeys(n))),
                None,
                subject=k,
            )
            for k, (i, n) in chosen
        )
    )
    return [state for state in found if state is not None]
