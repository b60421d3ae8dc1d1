"""The report, schema version 1: the single source every renderer and channel uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from .costs import CostItem
from .models import Model, NoteValue, Window
from .redaction import clean_data

Category = Literal[
    "database_connection_exhaustion",
    "database_resource_pressure",
    "slow_database_query",
    "downstream_dependency_latency",
    "application_code_latency",
    "application_error",
    "deployment_regression",
    "lambda_timeout",
    "lambda_throttling",
    "lambda_memory_exhaustion",
    "async_processing_failure",
    "unhealthy_targets",
    "health_check_misconfiguration",
    "network_misconfiguration",
    "compute_saturation",
    "traffic_surge",
    "alarm_misconfiguration",
    "inconclusive",
    "cache_pressure",
    "storage_exhaustion",
    "burst_credit_exhaustion",
    "infrastructure_failure",
    "nat_gateway_exhaustion",
    "certificate_expiry",
    "credentials_failure",
    "dynamodb_throttling",
    "api_throttling",
    "consumer_lag",
    "replication_lag",
]
Severity = Literal["page", "ticket", "info"]
Lang = Literal["en", "ja"]


class Shown(Model):
    """What the channels render (a report, a recovery follow-up): every text in it is cleaned (control
    sequences removed, secrets and personal data redacted) whenever one is built or read back, so no
    path by which a text got here (a log line, a tag, an alarm's description or reason, a dead-letter
    message, an AWS error) can take it to a reader. The one exception is the link to the stored
    report, which is the analyzer's own: a pre-signed URL carries its credential by design."""

    @model_validator(mode="before")
    @classmethod
    def _cleaned(cls, data: Any) -> Any:
        return clean_data(data, keep={"html_url"})


class AlarmSection(Model):
    name: str
    arn: str
    account: str
    account_alias: str | None = None  # the account's name, where the analyzer may read it
    region: str
    type: Literal["metric", "math", "anomaly", "composite"]
    state: str
    previous_state: str | None
    reason: str
    state_changed_at: datetime
    namespace: str | None = None
    metric_name: str | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)
    statistic: str | None = None
    period: int | None = None
    threshold: float | None = None
    comparison: str | None = None
    evaluation_periods: int | None = None


class Figure(Model):
    label: str
    value: str
    baseline: str | None = None
    evidence_id: str | None = None


class Impact(Model):
    summary: str
    user_facing: bool
    figures: list[Figure] = Field(default_factory=list)


class Diagnosed(Model):
    category: Category
    summary: str
    confidence: float = Field(ge=0, le=1)
    resource: str | None = None
    reasons: list[str] = Field(default_factory=list)  # the observations behind it, each backed by evidence


class ChainLink(Model):
    """One link of a causal chain: a category the evidence supports, and that evidence."""

    category: Category
    summary: str
    evidence_ids: list[str] = Field(min_length=1)


class RootCause(Diagnosed):
    # From the root cause to the alarm's symptom, when the cause shows through other problems
    # (a traffic surge -> saturated compute -> slow requests); empty when it stands alone.
    chain: list[ChainLink] = Field(default_factory=list)


Role = Literal["root", "symptom", "alternative"]


class Hypothesis(Diagnosed):
    evidence_ids: list[str] = Field(min_length=1)  # a hypothesis without evidence is invalid
    # When a rival hypothesis is close, or a source it needs is missing: what would confirm it.
    to_confirm: str | None = None
    # The root cause; a symptom of it (explained by the link named); or an alternative explanation.
    role: Role = "alternative"
    explained_by: Category | None = None


class Evidence(Model):
    id: str
    source: str  # the source that found it (sources.NAMES)
    summary: str
    detail: dict[str, Any] = Field(default_factory=dict)
    window: Window | None = None
    link: str | None = None


class Actions(Model):
    short_term: list[str]
    long_term: list[str]


class Runbook(Model):
    """Built-in steps for the category: a three-minute triage, safe recovery, the permanent fix."""

    triage: list[str]
    mitigate: list[str]
    fix: list[str]


class Gap(Model):
    source: str  # a source, or "scope" (resolving what to look at); several, comma-separated, for one note
    reason: str  # worded in the report's language
    code: str | None = None  # the note's code, for machines (None: the source failed or found nothing)
    params: dict[str, NoteValue] = Field(default_factory=dict)


class Finding(Model):
    code: str
    summary: str


class SourceStats(Model):
    status: str
    api_calls: int
    duration_ms: int
    rounds: int = 0  # sequential rounds of API calls on its critical path


class RunStats(Model):
    api_calls: int
    duration_ms: int
    sources: dict[str, SourceStats]  # every source, and "scope"
    rounds: int = 0  # the analysis' critical path in rounds: the scope's, then the slowest source's
    cost_usd: float | None = None  # estimated (costs.PRICES); None where not measured
    cost: list[CostItem] = Field(default_factory=list)


class MetricChart(Model):
    """The alarm's metric over the baseline and incident windows, as the HTML report draws it (with the
    threshold of the report's alarm section)."""

    metric_name: str
    stat: str
    unit: str
    points: list[tuple[datetime, float]]
    breach_start: datetime | None = None
    baseline: Window
    incident: Window
    evidence_id: str


class SegmentTime(Model):
    """Where slow requests spend their time: one trace segment, now and before."""

    kind: str
    name: str
    avg_ms: float
    baseline_avg_ms: float | None = None
    share: float
    evidence_id: str


class SignatureCount(Model):
    """An error signature's count in the incident window against its count in the history window."""

    signature: str
    level: str
    count: int
    baseline_count: int
    baseline_minutes: int
    evidence_id: str


class Charts(Model):
    alarm_metric: MetricChart | None = None
    latency: list[SegmentTime] = Field(default_factory=list)
    errors: list[SignatureCount] = Field(default_factory=list)


class Report(Shown):
    schema_version: Literal["1"] = "1"
    incident_id: str
    language: Lang = "en"
    generated_at: datetime
    alarm: AlarmSection
    severity: Severity
    impact: Impact
    root_cause: RootCause
    hypotheses: list[Hypothesis]
    evidence: list[Evidence]
    actions: Actions
    runbook_url: str | None
    runbook: Runbook
    gaps: list[Gap]
    alarm_quality: list[Finding]
    stats: RunStats
    # Optional additions within schema 1: what the charts draw, and where the HTML page is stored.
    charts: Charts = Field(default_factory=Charts)
    html_url: str | None = None

    def cited(self) -> list[Evidence]:
        """Evidence the hypotheses cite, in the order they cite it."""
        wanted = list(dict.fromkeys(i for h in self.hypotheses for i in h.evidence_ids))
        by_id = {e.id: e for e in self.evidence}
        return [by_id[i] for i in wanted if i in by_id]
