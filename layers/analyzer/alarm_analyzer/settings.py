"""Deployment settings, read from the environment and validated like any other input."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import BeforeValidator, ConfigDict, Field

from .i18n import Lang
from .models import Model
from .quotas import MAX_CONCURRENT_ANALYSES
from .scope import comma_separated


def _empty_is_none(value: Any) -> Any:
    return value or None


def _comma_separated(value: Any) -> Any:
    return comma_separated(value) if isinstance(value, str) else value


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
    # Analyses that may run at once (the template's MaxConcurrentAnalyses): each API's budget is shared by them.
    max_concurrent_analyses: int = Field(
        default=MAX_CONCURRENT_ANALYSES, alias="MAX_CONCURRENT_ANALYSES", ge=1
    )
    # Keep each API's pace (quotas.py); only an emulated account, which has no quotas, can do without.
    pace_api_calls: bool = Field(default=True, alias="PACE_API_CALLS")
    # The role the member template creates in every other account; empty: one account, no role assumed.
    member_role_name: str = Field(default="", alias="MEMBER_ROLE_NAME", pattern=r"^[\w+=,.@-]{0,64}$")


class CorrelateSettings(_Settings):
    topic_arn: str = Field(alias="TOPIC_ARN", min_length=1)
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    report_language: Lang = Field(default="en", alias="REPORT_LANGUAGE")
    # Delivery channels (template parameters; empty when a channel is off).
    report_bucket: Annotated[str | None, BeforeValidator(_empty_is_none)] = Field(
        default=None, alias="REPORT_BUCKET"
    )
    report_link_hours: int = Field(default=24, alias="REPORT_LINK_EXPIRY_HOURS", ge=1, le=168)
    recovery_follow_up: bool = Field(default=False, alias="RECOVERY_FOLLOW_UP")
    analyze_ok: bool = Field(default=False, alias="ANALYZE_OK_TRANSITIONS")
    incident_ttl_days: int = Field(default=7, alias="INCIDENT_TTL_DAYS", ge=1)
    # An IAM Identity Center access portal: console links then sign the reader in to the alarm's account.
    console_portal_url: str = Field(default="", alias="CONSOLE_PORTAL_URL", pattern=r"^$|^https://\S+$")
    console_role_name: str = Field(default="", alias="CONSOLE_ROLE_NAME", pattern=r"^[\w+=,.@-]{0,64}$")


class SlackSettings(_Settings):
    webhook_secret_arn: str = Field(alias="SLACK_WEBHOOK_SECRET_ARN", min_length=1)


class GitHubSettings(_Settings):
    repository: str = Field(alias="GITHUB_REPOSITORY", pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    token_secret_arn: str = Field(alias="GITHUB_TOKEN_SECRET_ARN", min_length=1)
    api_url: str = Field(default="https://api.github.com", alias="GITHUB_API_URL")
    table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    incident_ttl_days: int = Field(default=7, alias="INCIDENT_TTL_DAYS", ge=1)


class AdmissionSettings(_Settings):
    state_machine_arn: str = Field(alias="STATE_MACHINE_ARN", min_length=1)
    # How often the starter looks whether its analysis has ended (DescribeExecution: 25 a second).
    poll_seconds: float = Field(default=1.0, alias="STATUS_POLL_SECONDS", gt=0)
