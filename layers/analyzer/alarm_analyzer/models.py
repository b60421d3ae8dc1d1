"""What travels between the states: time windows, resources, the scope, the gatherer envelope and its
summaries.

Every gatherer returns the same envelope (``source``, ``status``, ``data``, ``notes``, ``error``,
``api_calls``, ``rounds``, ``duration_ms``); ``data`` is a compact typed summary, never a raw dump,
because Step Functions caps a state's payload at 256 KB.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, model_validator

from .events import MetricStat

Status = Literal["ok", "no_data", "error"]
# The kinds of resource the service catalog (catalog.py) knows, and "other".
ResourceKind = Literal[
    "load_balancer",
    "target_group",
    "rds_instance",
    "rds_cluster",
    "lambda_function",
    "ecs_service",
    "sqs_queue",
    "dynamodb_table",
    "dynamodb_index",
    "rest_api",
    "rest_api_stage",
    "http_api",
    "http_api_stage",
    "cache_cluster",
    "replication_group",
    "kinesis_stream",
    "ec2_instance",
    "nat_gateway",
    "certificate",
    "ebs_volume",
    "efs_file_system",
    "state_machine",
    "event_rule",
    "secret",
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

    @property
    def minutes(self) -> int:
        return round(self.duration.total_seconds() / 60)


class Windows(Model):
    """Incident window ending at the state change, the same length just before it, a day earlier, and
    a longer history before it."""

    incident: Window
    baseline: Window
    day_ago: Window
    history: Window  # a longer look back, for rare events such as a log signature


ResourceVia = Literal["alarm", "traces", "tags", "dead_letters", "configuration"]


class Resource(Model):
    """Something the alarm or the traces point at, named the way its CloudWatch namespace names it."""

    kind: ResourceKind
    id: str
    namespace: str | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)
    # Where it came from: the alarm's metrics, traces, tags, a dead-letter relationship, or the
    # configuration of something in scope (a replication group's member clusters).
    via: ResourceVia = "alarm"


class SourceError(Model):
    code: str
    message: str


NoteValue = str | int | float


class Note(Model):
    """Something left out or only partly read, as a message code and its values.

    Notes are worded when the report is, in its language (``i18n`` holds ``note.<code>``); values
    that are themselves codes (``part``: what could not be read) are worded too.
    """

    code: str
    params: dict[str, NoteValue] = Field(default_factory=dict)


class SourceData(Model):
    """What one source found. Each kind names its source, which is how the envelope finds its model."""

    source_name: ClassVar[str] = ""
    by_source: ClassVar[dict[str, type[SourceData]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        SourceData.by_source[cls.source_name] = cls


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
    metrics: list[MetricStat] = Field(default_factory=list)  # what a metric alarm child evaluates


class AlarmData(SourceData):
    source_name: ClassVar[str] = "alarm"

    config: AlarmConfig | None = None  # as the scope described it: None when DescribeAlarms did not answer
    history: AlarmHistory | None = None
    metric_exists: bool | None = None  # a metric with exactly these namespace/name/dimensions exists
    dimension_issues: list[DimensionIssue] = Field(default_factory=list)
    similar_metrics: list[dict[str, str]] = Field(default_factory=list)
    children: list[ChildAlarm] = Field(default_factory=list)


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
    # The incident since the series left its usual level (two points or more): a fault that began late
    # in the window, not averaged away by the calm minutes before it.
    recent: Stats | None = None
    day_ago: Stats | None = None
    peak: float | None = None
    peak_at: datetime | None = None
    breach_start: datetime | None = None
    change_ratio: float | None = None  # recent (else incident) average / baseline average
    at_peak_share: float | None = None  # incident points within 5% of the worst value: a plateau at a limit
    points: list[tuple[datetime, float]] = Field(default_factory=list)
    fallback: str | None = None


class MetricsData(SourceData):
    source_name: ClassVar[str] = "metrics"

    series: list[Series] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)

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
    def spacing(self) -> timedelta:
        """The typical gap between its lines (none known for a single line)."""
        return (self.last_seen - self.first_seen) / (self.count - 1) if self.count > 1 else timedelta(0)

    @property
    def text(self) -> str:
        """Signature and samples together: what a rule reads to recognize a mechanism."""
        return "\n".join([self.signature, *self.samples])


class LogGroupScan(Model):
    name: str
    matches: int
    baseline_matches: int  # lines matched in the history window
    truncated: bool = False  # more lines than read: some minutes were sampled, their counts scaled
    read_share: float = 1.0  # of the incident window's minutes, the share read


class InvocationReport(Model):
    """What one Lambda function's REPORT lines say about its invocations in the incident window."""

    function: str
    log_group: str
    invocations: int
    timeouts: int = 0  # Status: timeout, or "Task timed out after"
    out_of_memory: int = 0  # Runtime.OutOfMemory, or the runtime killed at its memory size
    memory_size_mb: int | None = None
    max_memory_used_mb: int | None = None
    max_duration_ms: float | None = None
    max_init_ms: float | None = None
    cold_starts: int = 0


class LogsData(SourceData):
    source_name: ClassVar[str] = "logs"

    groups: list[LogGroupScan] = Field(default_factory=list)
    signatures: list[LogSignature] = Field(default_factory=list)
    invocations: list[InvocationReport] = Field(default_factory=list)
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
    throttled_tables: list[str] = Field(default_factory=list)  # DynamoDB tables that refused calls in them


class TracesData(SourceData):
    source_name: ClassVar[str] = "traces"

    traces_in_window: int = 0
    more_in_window: bool = False  # the summaries read were capped: traces_in_window is a lower bound
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


# --- changes -----------------------------------------------------------------------------------

ChangeKind = Literal[
    "api_call",  # a mutating management event in CloudTrail, of none of the kinds below
    "secret",  # a secret's value changed or rotated: PutSecretValue, RotateSecret, UpdateSecret...
    "access_key",  # an IAM access key created, deactivated or deleted
    "iam_policy",  # a role's permissions or trust changed: PutRolePolicy, AttachRolePolicy, UpdateAssumeRolePolicy...
    "capacity",  # a table's capacity or its auto scaling: UpdateTable, RegisterScalableTarget, PutScalingPolicy
    "api_stage",  # an API's stage, usage plan or deployment: UpdateStage, UpdateUsagePlan, CreateDeployment
    "parameter_group",  # a database's or cache's parameters: ModifyDBParameterGroup, ModifyCacheParameterGroup
    "lambda_version",
    "lambda_alias",
    "codedeploy",
    "ecs_deployment",
    "appconfig",
    "cloudformation",
]
# The kinds that are CloudTrail calls (the others are deployment markers, which say what to roll back to).
CALL_KINDS: frozenset[str] = frozenset(
    {"api_call", "secret", "access_key", "iam_policy", "capacity", "api_stage", "parameter_group"}
)


class Change(Model):
    """Something that changed a resource in scope: an API call, a deployment, a flag flipped."""

    kind: ChangeKind
    at: datetime  # when it took effect (a deployment's start)
    resource: str  # what it changed: function, service, stack, security group, application/environment
    action: str  # the API (UpdateFunctionCode) or what the deployment did
    actor: str | None = None  # the IAM principal, or the service that deployed
    identifier: str | None = None  # what to name when rolling it back: version, deployment id, flag version
    previous: str | None = None  # what was live before it: the rollback target, when known
    status: str | None = None  # deployments: Succeeded, Failed, Stopped, InProgress...
    rolled_back: bool = False  # an automatic (e.g. alarm-based) rollback already happened
    detail: str | None = None  # one line of specifics: "live: 41 -> 42, 10% to 42"


class ChangesData(SourceData):
    source_name: ClassVar[str] = "changes"

    window: Window  # the incident window and the hour before it
    looked_at: list[str] = Field(default_factory=list)  # the resources whose changes were searched
    changes: list[Change] = Field(default_factory=list)  # oldest first


# --- resources ---------------------------------------------------------------------------------


class TargetHealthState(Model):
    id: str
    port: int | None = None
    zone: str | None = None
    state: str  # healthy, unhealthy, initial, draining, unused, unavailable
    reason: str | None = None  # Target.ResponseCodeMismatch, Target.Timeout, Target.FailedHealthChecks...
    description: str | None = None  # "Health checks failed with these codes: [299]"


class HealthCheck(Model):
    protocol: str | None = None
    port: str | None = None
    path: str | None = None
    matcher: str | None = None  # HTTP codes the check accepts, e.g. "200" or "200-299"
    interval_s: int | None = None
    timeout_s: int | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None


class TargetGroupState(Model):
    name: str
    arn: str
    health_check: HealthCheck
    targets: list[TargetHealthState] = Field(default_factory=list)

    def by_zone(self) -> dict[str, dict[str, int]]:
        """Target states counted per Availability Zone: an AZ whose targets all fail stands out."""
        zones: dict[str, dict[str, int]] = {}
        for target in self.targets:
            counts = zones.setdefault(target.zone or "?", {})
            counts[target.state] = counts.get(target.state, 0) + 1
        return zones


class EcsServiceState(Model):
    cluster: str
    name: str
    desired: int
    running: int
    task_definition: str | None = None
    log_groups: list[str] = Field(default_factory=list)  # the awslogs groups of its containers
    subnets: list[str] = Field(default_factory=list)
    security_groups: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)  # the task role and execution role (ARNs)
    secrets: list[str] = Field(default_factory=list)  # Secrets Manager secrets its containers read (ARNs)


class FunctionState(Model):
    name: str
    runtime: str | None = None
    timeout_s: int
    memory_mb: int
    reserved_concurrency: int | None = None
    last_modified: datetime | None = None
    version: str | None = None
    subnets: list[str] = Field(default_factory=list)
    security_groups: list[str] = Field(default_factory=list)
    vpc: str | None = None
    log_group: str | None = None  # where it logs, when not /aws/lambda/<name> (LoggingConfig.LogGroup)
    dead_letter_target: str | None = None  # its DeadLetterConfig: where failed asynchronous events go
    role: str | None = None  # the execution role's ARN
    secrets: list[str] = Field(
        default_factory=list
    )  # secrets its environment names (*SECRET_ARN, *SECRET_ID...)


PlatformEventKind = Literal["failover", "reboot", "maintenance", "replacement", "storage", "other"]


class DatabaseEvent(Model):
    """An event the service recorded about a database or cache node (RDS or ElastiCache DescribeEvents)."""

    at: datetime
    message: str
    categories: list[str] = Field(default_factory=list)
    kind: PlatformEventKind = "other"  # what happened to the platform under it


class DatabaseState(Model):
    id: str
    engine: str | None = None
    instance_class: str | None = None
    status: str | None = None
    multi_az: bool | None = None
    max_connections: int | None = None  # from the parameter group or the engine's default for the class
    events: list[DatabaseEvent] = Field(default_factory=list)  # in the incident window and the hour before
    parameter_groups: list[str] = Field(default_factory=list)
    replica_of: str | None = None  # the source instance, when this is a read replica
    replicas: list[str] = Field(default_factory=list)  # its read replicas
    storage_type: str | None = None  # gp2, gp3, io1, io2, standard, aurora
    allocated_storage_gb: int | None = None
    max_allocated_storage_gb: int | None = None  # storage autoscaling's ceiling; None: autoscaling off
    iops: int | None = None
    vpc: str | None = None
    subnets: list[str] = Field(default_factory=list)
    security_groups: list[str] = Field(default_factory=list)


class PeekedMessage(Model):
    """One dead-letter message read without deleting it: what kind of failure put it there."""

    classification: Literal["permanent", "transient", "unknown"]
    matched: str | None = None  # the words that decided it
    sample: str  # redacted and shortened
    receive_count: int | None = None


DeadLetterKind = Literal[
    "sqs_redrive",  # a queue's redrive policy: messages received maxReceiveCount times
    "lambda_dlq",  # a function's DeadLetterConfig: asynchronous events that failed every retry
    "lambda_on_failure",  # a function's on-failure destination for asynchronous invocations
    "esm_on_failure",  # an event source mapping's on-failure destination (streams, Kafka)
    "eventbridge_dlq",  # an EventBridge target's dead-letter queue: events it could not deliver
    "sns_redrive",  # an SNS subscription's redrive policy: messages it could not deliver
    "name_only",  # no configuration says so: only the names suggest it (weak evidence)
]


class DeadLetterLink(Model):
    """One dead-letter relationship: what fails to process ``source`` ends in the queue ``target``.

    Found from configuration (``dead_letters``), never from names alone unless ``kind`` says so.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DeadLetterKind
    source: str  # what dead-letters: a queue, a function, a stream, a rule's target, a subscription
    target: str  # the dead-letter queue's ARN
    consumer: str | None = None  # the Lambda function (name) whose failures these are, or the endpoint
    log_group: str | None = None  # where that function logs: its errors are the evidence

    @property
    def confirmed(self) -> bool:
        return self.kind != "name_only"

    @property
    def source_name(self) -> str:
        """The source without the ARN around it: a stream's or table's name, a topic's, a queue's."""
        parts = self.source.split(":", 5)
        resource = parts[5] if self.source.startswith("arn:") and len(parts) == 6 else self.source
        if self.kind == "sns_redrive":
            return resource.split(":", 1)[0]  # "<topic>:<subscription id>"
        return re.sub(r"^(?:stream|table)/|/stream/.*$", "", resource)


class QueueState(Model):
    name: str
    url: str
    visible: int = 0
    in_flight: int = 0
    delayed: int = 0
    dead_letter_target: str | None = None  # the DLQ of this queue (its redrive policy)
    max_receive_count: int | None = None
    dead_letters: list[DeadLetterLink] = Field(default_factory=list)  # what dead-letters into this one
    consumer_log_groups: list[str] = Field(default_factory=list)  # where its sources' consumers log
    peeked: PeekedMessage | None = None

    @property
    def is_dead_letter_queue(self) -> bool:
        """Its configuration (not only its name) makes it some source's dead-letter queue."""
        return any(link.confirmed for link in self.dead_letters)


# The state of the catalog's other services, one model each: what their describes (gather/*.py) read.


class ScalingTarget(Model):
    """Application Auto Scaling on one dimension of a table or index (DescribeScalableTargets)."""

    dimension: str  # dynamodb:table:WriteCapacityUnits, dynamodb:index:ReadCapacityUnits
    min: int
    max: int
    suspended: bool = False  # scaling in or out (or scheduled scaling) suspended


class IndexCapacity(Model):
    name: str
    status: str | None = None
    read_capacity: int | None = None  # provisioned mode only
    write_capacity: int | None = None
    read_scaling: ScalingTarget | None = None
    write_scaling: ScalingTarget | None = None


class TableState(Model):
    """A DynamoDB table: how it is billed, what it may consume, and who raises that limit."""

    name: str
    status: str | None = None
    billing_mode: Literal["PROVISIONED", "PAY_PER_REQUEST"] | None = None
    read_capacity: int | None = None  # provisioned mode only
    write_capacity: int | None = None
    max_read_request_units: int | None = None  # on-demand throughput ceiling, when set
    max_write_request_units: int | None = None
    read_scaling: ScalingTarget | None = None
    write_scaling: ScalingTarget | None = None
    decreases_today: int | None = None  # capacity decreases so far today (limited per day)
    indexes: list[IndexCapacity] = Field(default_factory=list)
    replica_regions: list[str] = Field(default_factory=list)  # a global table's other regions


class MethodThrottle(Model):
    """A throttling limit on one route or method ("GET /orders", "*/*" for the whole stage)."""

    route: str
    rate_limit: float | None = None  # requests per second
    burst_limit: int | None = None


class UsagePlanLimit(Model):
    id: str
    name: str | None = None
    rate_limit: float | None = None
    burst_limit: int | None = None
    quota_limit: int | None = None
    quota_period: str | None = None  # DAY, WEEK, MONTH


class ApiStageState(Model):
    """An API Gateway stage: its throttling, logging and usage plans (REST: GetStage; HTTP: apigatewayv2 GetStage)."""

    api_type: Literal["rest", "http"]
    api_id: str
    api_name: str | None = None
    stage: str
    deployment_id: str | None = None
    last_updated: datetime | None = None
    throttles: list[MethodThrottle] = Field(
        default_factory=list
    )  # the stage's default first ("*/*" or "$default")
    usage_plans: list[UsagePlanLimit] = Field(default_factory=list)  # REST: the plans that include the stage
    account_limit: MethodThrottle | None = None  # REST: the account's limit in the region, above every stage
    logging_level: str | None = None  # execution logging: OFF, ERROR, INFO
    log_groups: list[str] = Field(default_factory=list)  # execution and access log groups

    @property
    def rate_limit(self) -> float | None:
        """The stage-wide rate limit (requests per second), when one is set."""
        default = next((t for t in self.throttles if t.route in ("*/*", "$default")), None)
        return default.rate_limit if default else None


class CacheState(Model):
    """An ElastiCache cluster or replication group: engine, node type, eviction policy, events."""

    id: str
    kind: Literal["cluster", "replication_group"]
    engine: str | None = None
    engine_version: str | None = None
    node_type: str | None = None
    status: str | None = None
    nodes: int | None = None
    members: list[str] = Field(default_factory=list)  # a replication group's clusters
    replication_group: str | None = (
        None  # the group a member cluster belongs to (its failovers are the group's)
    )
    automatic_failover: str | None = None  # enabled, disabled...
    parameter_group: str | None = None
    maxmemory_policy: str | None = None  # from a custom parameter group, else the engine's default
    log_groups: list[str] = Field(default_factory=list)  # slow and engine log destinations in CloudWatch Logs
    events: list[DatabaseEvent] = Field(default_factory=list)  # failovers, reboots... in the window


class StreamState(Model):
    """A Kinesis data stream's capacity (DescribeStreamSummary)."""

    name: str
    arn: str | None = None
    status: str | None = None
    mode: Literal["PROVISIONED", "ON_DEMAND"] | None = None
    open_shards: int | None = None
    consumers: int | None = None  # enhanced fan-out consumers
    retention_hours: int | None = None


class ScheduledEvent(Model):
    """An EC2 scheduled event: AWS will reboot, retire or stop the instance (DescribeInstanceStatus)."""

    code: str  # instance-reboot, system-reboot, system-maintenance, instance-retirement, instance-stop
    description: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None


class InstanceState(Model):
    """An EC2 instance: its type and credits, its status checks and what AWS scheduled for it."""

    id: str
    type: str | None = None
    state: str | None = None  # running, stopped...
    burstable: bool = False  # a T class: it earns and spends CPU credits
    cpu_credits: Literal["standard", "unlimited"] | None = None  # credit specification of a T class
    zone: str | None = None
    subnet: str | None = None
    launched_at: datetime | None = None
    system_status: str | None = None  # ok, impaired, insufficient-data, not-applicable
    instance_status: str | None = None
    scheduled_events: list[ScheduledEvent] = Field(default_factory=list)
    volumes: list[str] = Field(default_factory=list)  # attached EBS volumes


class NatGatewayState(Model):
    id: str
    state: str | None = None  # pending, available, failed, deleting, deleted
    connectivity: str | None = None  # public, private
    subnet: str | None = None
    vpc: str | None = None
    addresses: int = 0  # IP addresses: each gives 55,000 concurrent connections per destination
    failure: str | None = None  # FailureCode: FailureMessage


class CertificateState(Model):
    """An ACM certificate: when it expires and whether ACM can renew it."""

    arn: str
    domain: str | None = None
    status: str | None = None  # ISSUED, EXPIRED, PENDING_VALIDATION...
    type: str | None = None  # AMAZON_ISSUED, IMPORTED (never renewed by ACM), PRIVATE
    not_after: datetime | None = None
    days_to_expiry: float | None = None  # at the alarm's state change
    renewal_eligibility: str | None = None  # ELIGIBLE, INELIGIBLE
    renewal_status: str | None = None  # PENDING_AUTO_RENEWAL, PENDING_VALIDATION, SUCCESS, FAILED
    renewal_reason: str | None = None
    in_use_by: list[str] = Field(default_factory=list)


class VolumeState(Model):
    id: str
    type: str | None = None  # gp2, gp3, io1, io2, st1, sc1, standard
    size_gb: int | None = None
    iops: int | None = None
    throughput_mibps: int | None = None
    state: str | None = None
    attached_to: list[str] = Field(default_factory=list)

    @property
    def burstable(self) -> bool:
        """Volumes that run on I/O credits (BurstBalance)."""
        return self.type in ("gp2", "st1", "sc1")


class FileSystemState(Model):
    id: str
    name: str | None = None
    throughput_mode: str | None = None  # bursting (credits), provisioned, elastic
    performance_mode: str | None = None  # generalPurpose, maxIO
    provisioned_mibps: float | None = None
    size_bytes: int | None = None
    state: str | None = None


class StateMachineState(Model):
    arn: str
    name: str
    type: str | None = None  # STANDARD, EXPRESS
    status: str | None = None
    logging_level: str | None = None  # ALL, ERROR, FATAL, OFF
    log_groups: list[str] = Field(default_factory=list)
    role: str | None = None


class RuleTarget(Model):
    id: str
    arn: str
    dead_letter_queue: str | None = None  # where events it could not deliver go
    max_retries: int | None = None
    max_event_age_s: int | None = None


class EventRuleState(Model):
    name: str
    bus: str = "default"
    state: str | None = None  # ENABLED, DISABLED
    schedule: str | None = None
    targets: list[RuleTarget] = Field(default_factory=list)


class SecretState(Model):
    """A Secrets Manager secret in scope: when its value last changed and how it rotates."""

    name: str
    arn: str | None = None
    named_by: list[str] = Field(default_factory=list)  # the tag, function or task definition that names it
    rotation_enabled: bool = False
    rotation_days: int | None = None
    last_rotated: datetime | None = None
    last_changed: datetime | None = None
    last_accessed: datetime | None = None
    next_rotation: datetime | None = None
    deleted: datetime | None = None  # scheduled for deletion: reads fail


class AgentConfig(Model):
    """The CloudWatch agent's configuration in Parameter Store, and the log groups it writes."""

    parameter: str
    log_groups: list[str] = Field(default_factory=list)


class Located(Model):
    """What the scope step read of a configuration because it names log groups (or member resources).

    The resources gatherer completes these states instead of reading them again.
    """

    stages: list[ApiStageState] = Field(default_factory=list)
    caches: list[CacheState] = Field(default_factory=list)
    state_machines: list[StateMachineState] = Field(default_factory=list)
    agent_configs: list[AgentConfig] = Field(default_factory=list)
    databases: list[DatabaseState] = Field(default_factory=list)

    def merged(self, other: Located) -> Located:
        return Located(
            **{name: [*getattr(self, name), *getattr(other, name)] for name in Located.model_fields}
        )

    def log_groups(self) -> list[str]:
        states: list[ApiStageState | CacheState | StateMachineState | AgentConfig] = [
            *self.stages,
            *self.caches,
            *self.state_machines,
            *self.agent_configs,
        ]
        return list(dict.fromkeys(group for state in states for group in state.log_groups))


class SubnetView(Model):
    """One subnet as traffic sees it: its routes, its network ACL and the gateway endpoints it reaches."""

    id: str
    zone: str | None = None
    cidr: str | None = None
    role: str  # what sits in it: "load balancer", "targets", "function", "database"
    route_table: str | None = None
    default_route: str | None = None  # target of 0.0.0.0/0: igw-..., nat-..., tgw-...; None if absent
    blackholes: list[str] = Field(default_factory=list)  # destinations routed to a deleted target
    endpoint_services: list[str] = Field(default_factory=list)  # gateway endpoints in its route table
    network_acl: str | None = None
    acl_inbound_return: bool = True  # inbound allows TCP 1024-65535 (replies to its outbound calls)
    acl_outbound_return: bool = True  # outbound allows TCP 1024-65535 (replies to its clients)


class SubnetDifference(Model):
    """A subnet that differs from the others in the same role: the likely odd one out."""

    subnet: str
    zone: str | None = None
    role: str
    aspect: Literal["default_route", "acl_inbound_return", "acl_outbound_return", "endpoint", "blackhole"]
    value: str
    others: str


class SecurityGroupView(Model):
    id: str
    name: str | None = None
    inbound: list[str] = Field(default_factory=list)  # "tcp 8080 from sg-0abc", "all from 10.0.0.0/16"
    outbound: list[str] = Field(default_factory=list)


class EndpointView(Model):
    id: str
    service: str  # com.amazonaws.<region>.dynamodb
    type: str  # Gateway, Interface
    route_tables: list[str] = Field(default_factory=list)
    subnets: list[str] = Field(default_factory=list)


class NetworkState(Model):
    vpc: str
    subnets: list[SubnetView] = Field(default_factory=list)
    differences: list[SubnetDifference] = Field(default_factory=list)
    security_groups: list[SecurityGroupView] = Field(default_factory=list)
    endpoints: list[EndpointView] = Field(default_factory=list)


class ResourcesData(SourceData):
    source_name: ClassVar[str] = "resources"

    looked_at: list[str] = Field(default_factory=list)
    target_groups: list[TargetGroupState] = Field(default_factory=list)
    services: list[EcsServiceState] = Field(default_factory=list)
    functions: list[FunctionState] = Field(default_factory=list)
    databases: list[DatabaseState] = Field(default_factory=list)
    queues: list[QueueState] = Field(default_factory=list)
    tables: list[TableState] = Field(default_factory=list)
    stages: list[ApiStageState] = Field(default_factory=list)
    caches: list[CacheState] = Field(default_factory=list)
    streams: list[StreamState] = Field(default_factory=list)
    instances: list[InstanceState] = Field(default_factory=list)
    nat_gateways: list[NatGatewayState] = Field(default_factory=list)
    certificates: list[CertificateState] = Field(default_factory=list)
    volumes: list[VolumeState] = Field(default_factory=list)
    file_systems: list[FileSystemState] = Field(default_factory=list)
    state_machines: list[StateMachineState] = Field(default_factory=list)
    rules: list[EventRuleState] = Field(default_factory=list)
    secrets: list[SecretState] = Field(default_factory=list)
    network: NetworkState | None = None


# --- the scope ---------------------------------------------------------------------------------


class TargetGroupRef(Model):
    """A target group in scope as DescribeTargetGroups describes it."""

    arn: str
    name: str
    load_balancers: list[str] = Field(default_factory=list)
    vpc: str | None = None
    target_type: str | None = None  # instance, ip, lambda, alb
    health_check: HealthCheck = Field(default_factory=HealthCheck)


class EcsDeployment(Model):
    task_definition: str | None = None
    status: str | None = None  # PRIMARY, ACTIVE, INACTIVE
    rollout_state: str | None = None  # COMPLETED, IN_PROGRESS, FAILED
    rollout_state_reason: str | None = None
    created_at: datetime
    running: int = 0
    desired: int = 0
    failed_tasks: int = 0


class EcsServiceRef(Model):
    """An ECS service in scope (named by the alarm, or behind its target groups) as DescribeServices says."""

    cluster: str
    name: str
    arn: str | None = None
    task_definition: str | None = None
    desired: int = 0
    running: int = 0
    subnets: list[str] = Field(default_factory=list)
    security_groups: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    log_groups: list[str] = Field(default_factory=list)  # the awslogs groups of its task definition
    deployments: list[EcsDeployment] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)  # its task definition's task and execution roles
    secrets: list[str] = Field(default_factory=list)  # the Secrets Manager secrets its containers read


class Contribution(Model):
    kind: ContributorKind
    name: str
    resource: str | None = None
    ms: float


class TraceRecord(Model):
    """One trace reduced to what the analysis needs: its time, whether it failed, where the time went."""

    id: str
    response_ms: float
    fault: bool
    contributions: list[Contribution] = Field(default_factory=list)
    downstreams: Downstreams = Field(default_factory=Downstreams)


class TraceSummaryRef(Model):
    """One GetTraceSummaries entry, reduced to what sampling needs."""

    id: str
    response_time: float | None = None  # seconds: the root segment's, what the caller waited
    fault: bool = False
    error: bool = False
    throttle: bool = False


class TraceProbe(Model):
    """The first page of the incident window's trace summaries and the few traces read to find downstreams.

    The traces gatherer continues from here (``next_token``) instead of asking again.
    """

    services: list[str] = Field(default_factory=list)
    filter_accepted: bool = True  # False: X-Ray refused the service filter; all traces were read
    summaries: list[TraceSummaryRef] = Field(default_factory=list)
    next_token: str | None = None
    traces: list[TraceRecord] = Field(default_factory=list)
    downstreams: Downstreams = Field(default_factory=Downstreams)


class RouteTables(Model):
    """Route tables the scope read to find the NAT gateways, as DescribeRouteTables gives them (the parts
    that route). Read for whole VPCs (``vpcs``), they are the network step's too, not read again."""

    vpcs: list[str] = Field(default_factory=list)  # empty: only the subnets' own tables were read
    tables: list[dict[str, Any]] = Field(default_factory=list)


class Scope(Model):
    """What to look at and when, resolved once per analysis and shared by every gatherer."""

    windows: Windows
    tags: dict[str, str] = Field(default_factory=dict)
    alarm: AlarmConfig | None = None  # None: DescribeAlarms did not answer (deleted, or not allowed)
    children: list[ChildAlarm] = Field(default_factory=list)  # a composite alarm's rule, described
    resources: list[Resource] = Field(default_factory=list)
    log_groups: list[str] = Field(default_factory=list)  # resolved names, at most a bounded number
    trace_services: list[str] = Field(default_factory=list)
    target_groups: list[TargetGroupRef] = Field(default_factory=list)
    services: list[EcsServiceRef] = Field(default_factory=list)
    downstreams: Downstreams = Field(default_factory=Downstreams)
    probe: TraceProbe | None = None
    # Dead-letter relationships of the alarm's queues and functions, and the functions met on the way
    # (their configuration as read, so that no gatherer reads it again).
    dead_letters: list[DeadLetterLink] = Field(default_factory=list)
    functions: list[FunctionState] = Field(default_factory=list)
    # Configuration the scope step read for its log groups; None when the scope could not be resolved.
    located: Located | None = None
    route_tables: RouteTables | None = None
    runbook_url: str | None = None
    severity: Literal["page", "ticket"] | None = None
    account_alias: str | None = None  # the alarm's account by name, where IAM ListAccountAliases is allowed

    def of_kind(self, kind: ResourceKind) -> list[Resource]:
        return [r for r in self.resources if r.kind == kind]


class Resolution(Model):
    """How resolving the scope went: what it left out and cost, or why it failed."""

    notes: list[Note] = Field(default_factory=list)
    error: SourceError | None = None
    api_calls: int = 0
    rounds: int = 0
    duration_ms: int = 0
    units: dict[str, float] = Field(default_factory=dict)  # priced units its calls used (costs.PRICES)


# --- the envelope ------------------------------------------------------------------------------

D = TypeVar("D", bound=SourceData)


class Result(Model):
    """One source's envelope: what it found (or why it could not), what it left out, what it cost."""

    source: str
    status: Status
    data: SerializeAsAny[SourceData] | None = None
    notes: list[Note] = Field(default_factory=list)
    error: SourceError | None = None
    api_calls: int = 0
    rounds: int = 0  # sequential rounds of API calls on its critical path
    duration_ms: int = 0
    units: dict[str, float] = Field(default_factory=dict)  # priced units its calls used (costs.PRICES)

    @model_validator(mode="before")
    @classmethod
    def _data_of_its_source(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("data"), dict):
            model = SourceData.by_source.get(str(value.get("source")))
            if model is None:
                raise ValueError(f"source: unknown source {value.get('source')!r}")
            value = {**value, "data": model.model_validate(value["data"])}
        return value

    def data_as(self, model: type[D]) -> D | None:
        return self.data if isinstance(self.data, model) else None


class GatherInput(Model):
    """What each gatherer gets: the event and its scope (None when resolving failed: see ``resolution``).

    The ResolveScope state returns it; a gatherer never looks up anything the scope holds.
    """

    event: dict[str, Any]
    scope: Scope | None = None
    resolution: Resolution = Field(default_factory=Resolution)


class CorrelateInput(GatherInput):
    """What the correlate step gets: the event, the scope and every gatherer's envelope."""

    results: list[Result]


class CorrelateOutput(Model):
    incident_id: str
    alarm_name: str
    category: str
    confidence: float
    severity: str
    message_id: str | None
    report_bytes: int
