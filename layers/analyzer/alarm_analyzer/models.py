"""What travels between the states: time windows, resources, the gatherer envelope and its summaries.

Every gatherer returns the same envelope (``source``, ``status``, ``data``, ``error``,
``api_calls``, ``duration_ms``); ``data`` is a compact typed summary, never a raw dump, because
Step Functions caps a state's payload at 256 KB.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["alarm", "metrics", "logs", "traces"]
Status = Literal["ok", "no_data", "error"]
ResourceKind = Literal[
    "load_balancer",
    "target_group",
    "rds_instance",
    "rds_cluster",
    "lambda_function",
    "ecs_service",
    "sqs_queue",
    "dynamodb_table",
    "ec2_instance",
    "other",
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Window(Model):
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


class Windows(Model):
    """Incident window ending at the state change, the same length just before it, a day earlier, and
    a longer history before it."""

    incident: Window
    baseline: Window
    day_ago: Window
    history: Window  # a longer look back, for rare events such as a log signature


class Resource(Model):
    """Something the alarm or the traces point at, named the way its CloudWatch namespace names it."""

    kind: ResourceKind
    id: str
    namespace: str | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)
    via: Literal["alarm", "traces", "tags"] = "alarm"


class SourceError(Model):
    code: str
    message: str


# --- alarm -------------------------------------------------------------------------------------


class AlarmConfig(Model):
    namespace: str | None = None
    metric_name: str | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)
    statistic: str | None = None
    period: int | None = None
    evaluation_periods: int | None = None
    datapoints_to_alarm: int | None = None
    threshold: float | None = None
    comparison: str | None = None
    treat_missing_data: str | None = None
    actions_enabled: bool = True
    alarm_actions: list[str] = Field(default_factory=list)
    description: str | None = None
    alarm_rule: str | None = None


class StateTransition(Model):
    at: datetime
    old: str
    new: str


class AlarmHistory(Model):
    transitions: int  # state changes in the day before the state change
    alarm_entries: int
    recent: list[StateTransition] = Field(default_factory=list)


class DimensionIssue(Model):
    name: str
    value: str
    expected: str  # the form the namespace uses, e.g. "targetgroup/<name>/<id>"
    suggestion: str | None = None  # an existing value that fits


class ChildAlarm(Model):
    name: str
    state: str
    namespace: str | None = None
    metric_name: str | None = None


class AlarmData(Model):
    config: AlarmConfig | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    runbook_url: str | None = None
    severity_tag: Literal["page", "ticket"] | None = None
    history: AlarmHistory | None = None
    metric_exists: bool | None = None  # a metric with exactly these namespace/name/dimensions exists
    datapoints_in_window: int | None = None
    dimension_issues: list[DimensionIssue] = Field(default_factory=list)
    similar_metrics: list[dict[str, str]] = Field(default_factory=list)
    children: list[ChildAlarm] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)


# --- metrics -----------------------------------------------------------------------------------


class Stats(Model):
    count: int = 0
    avg: float | None = None
    min: float | None = None
    max: float | None = None
    last: float | None = None


class Series(Model):
    key: str
    role: Literal["alarm", "input", "related"]  # evaluated by the alarm, an input of its math, related
    namespace: str
    metric_name: str
    dimensions: dict[str, str]
    stat: str  # as requested
    stat_used: str  # after a fallback
    period: int
    resource: Resource | None = None
    incident: Stats
    baseline: Stats
    day_ago: Stats | None = None
    peak: float | None = None
    peak_at: datetime | None = None
    breach_start: datetime | None = None
    change_ratio: float | None = None  # incident average / baseline average
    at_peak_share: float | None = None  # incident points within 5% of the worst value: a plateau at a limit
    points: list[tuple[datetime, float]] = Field(default_factory=list)
    fallback: str | None = None


class MetricsData(Model):
    series: list[Series] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)

    def find(self, metric_name: str, kind: str | None = None) -> list[Series]:
        return [
            s
            for s in self.series
            if s.metric_name == metric_name and (kind is None or (s.resource and s.resource.kind == kind))
        ]


# --- logs --------------------------------------------------------------------------------------


class LogSignature(Model):
    signature: str
    level: Literal["error", "warning", "notice"]
    count: int
    baseline_count: int  # in the history window (an hour or more) before the incident
    first_seen: datetime
    last_seen: datetime
    log_groups: list[str]
    samples: list[str]

    @property
    def new(self) -> bool:
        return self.baseline_count == 0

    @property
    def text(self) -> str:
        """Signature and samples together: what a rule reads to recognize a mechanism."""
        return "\n".join([self.signature, *self.samples])


class LogGroupScan(Model):
    name: str
    matches: int
    baseline_matches: int  # lines matched in the history window
    truncated: bool = False


class LogsData(Model):
    groups: list[LogGroupScan] = Field(default_factory=list)
    signatures: list[LogSignature] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)
    history_ratio: float = 1.0  # incident window length / history window length

    def expected(self, signature: LogSignature) -> float:
        """How often the signature would appear in the incident window at its usual rate."""
        return signature.baseline_count * self.history_ratio


# --- traces ------------------------------------------------------------------------------------

ContributorKind = Literal["sql", "remote_http", "aws_sdk", "own_code"]


class Contributor(Model):
    kind: ContributorKind
    name: str
    resource: str | None = None  # database host, remote host, AWS resource
    total_ms: float
    avg_ms: float  # per slow trace
    share: float  # of the slow traces' time
    traces: int
    baseline_avg_ms: float | None = None  # per trace before the incident
    growth_share: float | None = None  # of the time slow traces gained over the baseline

    @property
    def weight(self) -> float:
        """How much of the slowdown is this contributor's: its share of the growth, else of the time."""
        return self.growth_share if self.growth_share is not None else self.share


class DatabaseRef(Model):
    host: str
    engine: str | None = None
    rds_instance: str | None = None
    rds_cluster: str | None = None


class Downstreams(Model):
    databases: list[DatabaseRef] = Field(default_factory=list)
    remote_hosts: list[str] = Field(default_factory=list)
    aws_resources: list[str] = Field(default_factory=list)
    log_groups: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    lambda_functions: list[str] = Field(default_factory=list)


class TracesData(Model):
    traces_in_window: int = 0
    analyzed: int = 0
    fault_rate: float = 0.0
    error_rate: float = 0.0
    throttle_rate: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    baseline_analyzed: int = 0
    baseline_p50_ms: float | None = None
    baseline_p95_ms: float | None = None
    slow_threshold_ms: float | None = None
    slow_share: float = 0.0
    contributors: list[Contributor] = Field(default_factory=list)
    sample_trace_ids: list[str] = Field(default_factory=list)
    downstreams: Downstreams = Field(default_factory=Downstreams)
    limitations: list[str] = Field(default_factory=list)


# --- the envelope ------------------------------------------------------------------------------


class _Result(Model):
    status: Status
    error: SourceError | None = None
    api_calls: int = 0
    duration_ms: int = 0


class AlarmResult(_Result):
    source: Literal["alarm"] = "alarm"
    data: AlarmData | None = None


class MetricsResult(_Result):
    source: Literal["metrics"] = "metrics"
    data: MetricsData | None = None


class LogsResult(_Result):
    source: Literal["logs"] = "logs"
    data: LogsData | None = None


class TracesResult(_Result):
    source: Literal["traces"] = "traces"
    data: TracesData | None = None


GatherResult = Annotated[
    AlarmResult | MetricsResult | LogsResult | TracesResult, Field(discriminator="source")
]


class CorrelateInput(Model):
    """What the workflow hands the correlate step: the original event and every gatherer's envelope."""

    event: dict[str, Any]
    results: list[GatherResult]


class CorrelateOutput(Model):
    incident_id: str
    alarm_name: str
    category: str
    confidence: float
    severity: str
    message_id: str | None
    report_bytes: int
