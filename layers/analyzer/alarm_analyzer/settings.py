"""Deployment settings, read from the environment and validated like any other input."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import BeforeValidator, ConfigDict, Field

from .i18n import Lang
from .models import Model


def _comma_separated(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class _Settings(Model):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        return cls.model_validate(dict(os.environ if environ is None else environ))


class GathererSettings(_Settings):
    extra_log_groups: Annotated[list[str], BeforeValidator(_comma_separated)] = Field(
        default_factory=list, alias="EXTRA_LOG_GROUPS"
    )
    # The analyzer's own functions are traced too; their names start with this, and are left out.
    own_name_prefix: str = Field(default="", alias="ANALYZER_NAME_PREFIX")
    # Reading one dead-letter message (never deleting it) is opt-in: message bodies may hold personal data.
    peek_dead_letters: bool = Field(default=False, alias="PEEK_DEAD_LETTERS")


class CorrelateSettings(_Settings):
    topic_arn: str = Field(alias="TOPIC_ARN", min_length=1)
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    report_language: Lang = Field(default="en", alias="REPORT_LANGUAGE")
