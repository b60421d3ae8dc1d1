"""A small web service living in the emulator: ALB -> app (ECS) -> RDS and DynamoDB, plus a Lambda worker.

Three hours of per-minute metrics, log lines and X-Ray segments are generated from one model of
the service (requests per minute, time spent in own code, SQL, DynamoDB, a remote API and the
worker; the tasks' CPU; the worker's queue), so every source tells the same story. A ``Fault``
changes that model from some minute on, possibly only for the tasks of some Availability Zones;
the alarm is then set to ALARM with the reason CloudWatch would give. Every timestamp is relative
to now. The resources themselves are created by ``world_build``; what moto cannot represent is
answered by ``world_facts``.
"""

from __future__ import annotations

import json
import random
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from moto.cloudwatch.models import cloudwatch_backends

from alarm_analyzer.aws import AwsClients

ACCOUNT = "123456789012"  # moto's default account
SEED_SPAN = timedelta(hours=3)
DAY_AGO_SPAN = (
    timedelta(days=1, minutes=45),
    timedelta(days=1) - timedelta(minutes=5),
)  # "same time yesterday"
DENSE_TRACES = timedelta(minutes=30)  # traces are seeded densely only where the analysis reads them
MB = 1 << 20
ZONES = ("a", "b")  # Availability Zone suffixes; the world has one public and one app subnet in each
TASKS_PER_ZONE = 2
ASYNC_INVOKE_MS = 14.0  # handing a job to the worker (Invoke, InvocationType Event)
LOGGED_INVOCATIONS_PER_MINUTE = 2.0  # the worker's START/END/REPORT lines are written for a sample

NetworkFault = Literal["lb_subnet_wrong_route_table", "nacl_missing_ephemeral", "endpoint_route_missing"]
# What sends failures to the dead-letter queue: the job queue's redrive policy (the worker consumes it), the
# worker's DeadLetterConfig or asynchronous on-failure destination (the app invokes it asynchronously), the
# on-failure destination of the worker's mapping from an event stream, an EventBridge rule's target (the
# worker), or an SNS subscription delivering to the app's webhook behind the load balancer.
DeadLetterWiring = Literal[
    "sqs_redrive", "lambda_dlq", "lambda_on_failure", "esm_on_failure", "eventbridge_dlq", "sns_redrive"
]


@dataclass(frozen=True)
class Names:
    """What things are called in one world; scenarios vary them so nothing keys on a name."""

    service: str = "orders-api"
    load_balancer: str = "shop-web"
    target_group: str = "orders-api-tg"
    database: str = "orders-db"
    db_name: str = "orders"
    db_engine: Literal["postgres", "mysql"] = "postgres"
    db_log: str = "postgresql"  # the RDS log it exports: postgresql, or error / slowquery for MySQL
    db_class: str = "db.t3.micro"
    worker: str = "orders-thumbnailer"
    remote_host: str = "api.shipping-rates.example.net"
    worker_dependency: str = "images.partner-cdn.example.net"  # what the worker calls, when it calls out
    slow_code: str = "render_invoice_pdf"
    cluster: str = "shop-prod"
    table: str = "orders-sessions"
    path: str = "/orders/{n}"
    dead_letter_suffix: str = "-jobs-dlq"  # the job queue's dead-letter queue is the worker's name and this

    @property
    def app_log_group(self) -> str:
        return f"/ecs/{self.service}"

    @property
    def db_log_group(self) -> str:
        return f"/aws/rds/instance/{self.database}/{self.db_log}"

    @property
    def worker_log_group(self) -> str:
        return f"/aws/lambda/{self.worker}"

    @property
    def queue(self) -> str:
        return f"{self.worker}-jobs"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.worker}{self.dead_letter_suffix}"


@dataclass(frozen=True)
class Worker:
    """The Lambda worker's configuration."""

    runtime: str = "python3.13"
    timeout_s: int = 30
    memory_mb: int = 256
    reserved_concurrency: int | None = None
    json_logs: bool = False  # the JSON log format: platform.report records instead of REPORT lines
    # The service waits for the function's answer (RequestResponse) instead of handing it a job (Event):
    # the function's time, throttles and failures become the request's.
    synchronous: bool = False
    # Runs in the app subnets (VpcConfig), going out through their NAT gateway; None: when the world's
    # NAT gateway is one of its services (a scenario about it).
    in_vpc: bool | None = None


@dataclass(frozen=True)
class HealthCheckSpec:
    path: str = "/health"
    matcher: str = "200"


@dataclass(frozen=True)
class Load:
    """How the service behaves in a minute: traffic and where a request's time goes (milliseconds)."""

    requests: float = 120
    code_ms: float = 35
    sql_ms: float = 22
    dynamodb_ms: float = 6
    remote_ms: float = 45
    worker_ms: float = 160  # an invocation's own work
    worker_remote_ms: float = 0.0  # what an invocation waits on the worker's dependency (0: it calls none)
    worker_share: float = 0.2  # jobs per request, handed to the worker asynchronously
    fault_share: float = 0.0  # requests the targets answer with a 5xx
    elb_error_share: float = 0.0  # requests the load balancer answers itself with a 502/503/504
    client_error_share: float = 0.015  # 4xx: unknown ids, expired sessions
    db_connections: float = 12
    db_cpu: float = 18
    db_memory: float = 950 * MB
    db_swap: float = 1 * MB
    db_read_latency: float = 0.002
    ecs_cpu: float = 34
    ecs_memory: float = 48
    worker_error_share: float = 0.0
    worker_timeout_share: float = 0.0
    worker_oom_share: float = 0.0
    worker_memory_mb: float = 92  # what a typical invocation uses at most
    queue_visible: float = 3
    queue_age_s: float = 20
    dead_letters_per_minute: float = 0.0


@dataclass(frozen=True)
class LogLine:
    """A line some log group writes ``per_minute`` times (or once every ``every_minutes``);
    {n}, {id}, {ip}, {ms} vary per line."""

    # The service's own groups, or (with ``Services``) an API's execution log ("api"), a cache's slow
    # log ("cache"), the CloudWatch agent's group of an instance ("instance"), a state machine's ("states").
    group: Literal["app", "db", "worker", "api", "cache", "instance", "states"]
    text: str
    per_minute: float = 0.0
    every_minutes: int = 0


@dataclass(frozen=True)
class TargetFailure:
    """Why the load balancer's health checks fail for the targets the fault hits."""

    reason: str  # Target.Timeout, Target.ResponseCodeMismatch, Target.FailedHealthChecks
    description: str


@dataclass(frozen=True)
class Fault:
    """What changes from ``starts`` before the alarm on (optionally only for ``lasts``)."""

    starts: timedelta = timedelta(minutes=12)
    lasts: timedelta | None = None
    ramp_minutes: int = 3
    affected_share: float = 0.85
    zones: tuple[str, ...] = ()  # only requests served by tasks in these zones; all when empty
    sql_extra_ms: float = 0.0
    remote_extra_ms: float = 0.0
    code_extra_ms: float = 0.0
    dynamodb_timeout_ms: float = 0.0  # DynamoDB calls hang this long, then fail (connect timeout)
    dynamodb_throttled: float = 0.0  # share of the affected requests whose DynamoDB call is refused
    worker_table_throttled: float = 0.0  # share of the worker's invocations whose table writes are refused
    load: dict[str, float] = field(default_factory=dict)  # Load fields to move towards these values
    log_lines: tuple[LogLine, ...] = ()
    targets: TargetFailure | None = None  # health checks of the affected zones' targets fail
    network: NetworkFault | None = None  # how the network is misconfigured (built that way)

    def hits(self, zone: str) -> bool:
        return not self.zones or zone[-1] in self.zones


NOISE = (
    LogLine("app", 'INFO {ip} "GET {path} HTTP/1.1" 200 {ms}ms', 2),
    LogLine("app", 'INFO {ip} "GET {path} HTTP/1.1" 404 {ms}ms', 0.2),
    LogLine("app", "WARN cache miss for orders:{n}, loading from database", 0.2),
    LogLine("app", "ERROR payment declined for order {n}: card_declined", 0.15),
    LogLine("app", "INFO scheduler: job expire-carts finished in {ms}ms, {n} rows", every_minutes=15),
    LogLine("db", "LOG:  checkpoint complete: wrote {n} buffers (0.{n}%); 0 WAL file(s) added", 0.2),
    LogLine("worker", "[WARNING] image {n}.jpg has no EXIF orientation, assuming 1", 0.1),
)


DeploymentKind = Literal["ecs", "lambda_canary", "appconfig"]


@dataclass(frozen=True)
class Deployment:
    """A release: a new ECS task definition, a Lambda version taking 10% of the alias, a flag flipped."""

    kind: DeploymentKind
    ago: timedelta  # how long before the alarm it started
    what: str = "release"  # what its author called it: a commit subject, the flag turned on
    actor: str = "github-actions-deploy"  # the role the pipeline assumes


@dataclass(frozen=True)
class ApiCall:
    """A mutating call CloudTrail recorded (requestParameters as CloudTrail writes them)."""

    source: str  # ec2.amazonaws.com
    name: str  # ModifyTargetGroup
    ago: timedelta
    parameters: dict[str, Any]
    actor: str = "arn:aws:sts::123456789012:assumed-role/PlatformAdmin/sato"


@dataclass(frozen=True)
class DeadLetter:
    """A message the worker gave up on: its body, and the error Lambda attached to an async event."""

    body: str
    error: str | None = None


@dataclass(frozen=True)
class AlarmSpec:
    name: str
    namespace: str
    metric: str
    dimensions: dict[str, str]
    statistic: str
    period: int
    evaluation_periods: int
    threshold: float
    comparison: str
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    treat_missing_data: str = "missing"


@dataclass(frozen=True)
class Task:
    """One ECS task of the service: a load balancer target."""

    id: str
    ip: str
    zone: str  # us-east-1a
    subnet: str


@dataclass
class Built:
    """Identifiers AWS assigned when the world was created (dimension values, endpoints, ARNs)."""

    names: Names
    worker: Worker
    account: str
    region: str
    load_balancer: str  # the LoadBalancer dimension: app/<name>/<id>
    target_group: str  # the TargetGroup dimension: targetgroup/<name>/<id>
    target_group_arn: str
    lb_dns: str
    db_endpoint: str
    worker_arn: str
    vpc: str
    tasks: list[Task]
    cluster_arn: str
    service: dict[str, Any]  # DescribeServices' entry as created
    task_definitions: list[str]  # ARNs, oldest first; the last one is live
    worker_config: dict[str, Any]  # GetFunctionConfiguration as created
    worker_versions: list[dict[str, Any]]  # ListVersionsByFunction as created
    queue_url: str
    dead_letter_url: str
    wiring: DeadLetterWiring
    worker_stream: str  # the log stream of the worker's execution environment
    appconfig: dict[str, str] = field(default_factory=dict)  # application and profile ids
    services: dict[str, str] = field(default_factory=dict)  # the other services' ids: {table}, {api_id}...
    service_logs: dict[str, str] = field(default_factory=dict)  # LogLine group -> its log group
    network_calls: list[tuple[str, dict[str, Any]]] = field(
        default_factory=list
    )  # the misconfiguring API calls


class Rng:
    """Deterministic randomness, so a scenario seeds the same data every run."""

    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)

    def noisy(self, value: float, spread: float = 0.08) -> float:
        return max(0.0, value * (1 + self.random.uniform(-spread, spread)))

    def hex(self, length: int) -> str:
        return "".join(self.random.choice("0123456789abcdef") for _ in range(length))

    def uuid(self) -> str:
        return f"{self.hex(8)}-{self.hex(4)}-{self.hex(4)}-{self.hex(4)}-{self.hex(12)}"

    def fill(self, text: str, path: str = "/orders/{n}") -> str:
        return (
            text.replace("{path}", path)
            .replace("{n}", str(self.random.randint(2, 9999)))
            .replace("{id}", self.uuid())
            .replace("{ip}", f"203.0.113.{self.random.randint(2, 250)}")
            .replace("{ms}", str(self.random.randint(20, 400)))
        )

    def happens(self, per_minute: float) -> int:
        """How many times an event with this rate happens in one minute."""
        whole, fraction = divmod(per_minute, 1)
        return int(whole) + (1 if self.random.random() < fraction else 0)


_LOADER = botocore.loaders.create_loader()


def shared_session(region: str) -> boto3.Session:
    """A session reusing one model loader: botocore otherwise parses every service model (ec2's is
    megabytes of JSON) again in each new session, which dominates a seeded scenario's run time."""
    session = botocore.session.get_session()
    session.register_component("data_loader", _LOADER)
    return boto3.Session(botocore_session=session, region_name=region)


# --- the model over time ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Minute:
    at: datetime
    load: Load
    faulty: bool
    fault: Fault | None
    strength: float  # 0..1, how far the fault has ramped up


def timeline(now: datetime, base: Load, fault: Fault | None) -> list[Minute]:
    this_minute = now.replace(second=0, microsecond=0)
    minutes = []
    at = this_minute - SEED_SPAN
    while at < now:
        strength = 0.0
        if fault:
            began = this_minute - fault.starts
            active = at >= began and (fault.lasts is None or at < began + fault.lasts)
            if active:
                strength = min(1.0, ((at - began).total_seconds() / 60 + 1) / max(fault.ramp_minutes, 1))
        load = base
        if fault and strength:
            moved = {k: getattr(base, k) + (v - getattr(base, k)) * strength for k, v in fault.load.items()}
            load = replace(base, **moved)
        minutes.append(Minute(at=at, load=load, faulty=strength > 0, fault=fault, strength=strength))
        at += timedelta(minutes=1)
    return minutes


def day_ago(now: datetime, base: Load) -> list[Minute]:
    """The same clock time a day earlier, an ordinary day: what "compared with yesterday" reads."""
    this_minute = now.replace(second=0, microsecond=0)
    earliest, latest = DAY_AGO_SPAN
    count = int((earliest - latest).total_seconds() // 60)
    return [
        Minute(
            at=this_minute - earliest + timedelta(minutes=i), load=base, faulty=False, fault=None, strength=0
        )
        for i in range(count)
    ]


def _extra(minute: Minute) -> float:
    fault = minute.fault
    if not (fault and minute.faulty):
        return 0.0
    return fault.sql_extra_ms + fault.remote_extra_ms + fault.code_extra_ms + fault.dynamodb_timeout_ms


def _hit_share(built: Built, fault: Fault | None) -> float:
    """Share of the requests served by tasks in the zones the fault hits."""
    if fault is None or not built.tasks:
        return 1.0
    return sum(1 for t in built.tasks if fault.hits(t.zone)) / len(built.tasks)


def invocation_ms(load: Load, worker: Worker) -> float:
    """How long the worker's invocations run on average: a timed-out one lasts the timeout."""
    limit = worker.timeout_s * 1000.0
    finished = min(load.worker_ms + load.worker_remote_ms, limit)
    return finished * (1 - load.worker_timeout_share) + limit * load.worker_timeout_share


def _request_ms(built: Built, minute: Minute) -> float:
    """Mean request time in the minute, the fault's extra time spread over the affected share."""
    load = minute.load
    handed = invocation_ms(load, built.worker) if built.worker.synchronous else ASYNC_INVOKE_MS
    mean = load.code_ms + load.sql_ms + load.dynamodb_ms + load.remote_ms + handed * min(load.worker_share, 1)
    if minute.fault and minute.faulty:
        mean += (
            _extra(minute) * minute.fault.affected_share * _hit_share(built, minute.fault) * minute.strength
        )
    return mean


def _failing_share(built: Built, minute: Minute, requests: float) -> float:
    """Requests that fail because a call hangs until it times out (only the affected zones' tasks), or
    because the function they wait for was throttled or failed."""
    share = 0.0
    if built.worker.synchronous:
        share += min(minute.load.worker_share, 1) * worker_failures(built, minute.load, requests)
    fault = minute.fault
    if fault and minute.faulty and fault.dynamodb_timeout_ms:
        share += fault.affected_share * _hit_share(built, fault) * minute.strength
    if fault and minute.faulty and fault.dynamodb_throttled:
        share += fault.dynamodb_throttled * fault.affected_share * _hit_share(built, fault) * minute.strength
    return share


def _healthy_targets(built: Built, minute: Minute) -> int:
    fault = minute.fault
    failing = fault is not None and fault.targets is not None and minute.faulty and minute.strength >= 1
    return sum(1 for t in built.tasks if not (failing and fault is not None and fault.hits(t.zone)))


def _pinned(minute: Minute, field_name: str) -> bool:
    """A limit reached: the value sits exactly at it, without the usual jitter."""
    return bool(minute.faulty and minute.fault and field_name in minute.fault.load and minute.strength >= 1)


@dataclass(frozen=True)
class _WorkerMinute:
    invocations: float
    throttles: float
    concurrency: float
    errors: float


def _demand(built: Built, load: Load, requests: float) -> float:
    """The concurrency the worker's invocations need: arrivals times how long each runs. Arrivals are
    bursty: the busiest second needs about twice the mean."""
    return max(1.0, 2 * requests * load.worker_share * invocation_ms(load, built.worker) / 60000)


def admitted_share(built: Built, load: Load, requests: float) -> float:
    """Of the invocations wanted, the share reserved concurrency lets run (the rest is throttled)."""
    reserved, demand = built.worker.reserved_concurrency, _demand(built, load, requests)
    return 1.0 if reserved is None or demand <= reserved else reserved / demand


def worker_failures(built: Built, load: Load, requests: float) -> float:
    """Of the invocations wanted, the share that is throttled or fails."""
    admitted = admitted_share(built, load, requests)
    failing = load.worker_error_share + load.worker_timeout_share + load.worker_oom_share
    return 1 - admitted + admitted * failing


def _worker_minute(built: Built, minute: Minute, requests: float) -> _WorkerMinute:
    """Invocations wanted, and what reserved concurrency lets through (the rest is throttled)."""
    load, reserved = minute.load, built.worker.reserved_concurrency
    wanted = requests * load.worker_share
    demand = _demand(built, load, requests)
    admitted = admitted_share(built, load, requests)
    invocations = wanted * admitted
    failing = load.worker_error_share + load.worker_timeout_share + load.worker_oom_share
    return _WorkerMinute(
        invocations=invocations,
        throttles=wanted - invocations,
        concurrency=float(reserved) if reserved is not None and admitted < 1 else demand,
        errors=invocations * failing,
    )


def metric_points(built: Built, minutes: Sequence[Minute], rng: Rng) -> list[dict[str, Any]]:
    """PutMetricData entries for the load balancer, target group, tasks, database, worker and queues."""
    names = built.names
    lb = [{"Name": "LoadBalancer", "Value": built.load_balancer}]
    tg = [*lb, {"Name": "TargetGroup", "Value": built.target_group}]
    db = [{"Name": "DBInstanceIdentifier", "Value": names.database}]
    fn = [{"Name": "FunctionName", "Value": names.worker}]
    ecs = [{"Name": "ClusterName", "Value": names.cluster}, {"Name": "ServiceName", "Value": names.service}]
    queue = [{"Name": "QueueName", "Value": names.queue}]
    dead_letters = [{"Name": "QueueName", "Value": names.dead_letter_queue}]
    points: list[dict[str, Any]] = []

    def put(namespace: str, metric: str, dims: list[dict[str, str]], at: datetime, value: float) -> None:
        points.append(
            {
                "namespace": namespace,
                "MetricName": metric,
                "Dimensions": dims,
                "Timestamp": at,
                "Value": round(value, 6),
            }
        )

    dead_lettered = 0.0
    for m in minutes:
        load, at = m.load, m.at
        requests = rng.noisy(load.requests)
        latency_s = rng.noisy(_request_ms(built, m), 0.05) / 1000
        failed = requests * (load.fault_share + _failing_share(built, m, requests))
        for dims in (lb, tg):
            put("AWS/ApplicationELB", "RequestCount", dims, at, round(requests))
            put("AWS/ApplicationELB", "TargetResponseTime", dims, at, latency_s)
            if failed >= 1:
                put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, at, round(failed))
            put(
                "AWS/ApplicationELB",
                "HTTPCode_Target_4XX_Count",
                dims,
                at,
                rng.happens(requests * load.client_error_share),
            )
        if requests * load.elb_error_share >= 1:
            put(
                "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, at, round(requests * load.elb_error_share)
            )
        healthy = _healthy_targets(built, m)
        put("AWS/ApplicationELB", "HealthyHostCount", tg, at, healthy)
        put("AWS/ApplicationELB", "UnHealthyHostCount", tg, at, len(built.tasks) - healthy)
        put(
            "AWS/ECS",
            "CPUUtilization",
            ecs,
            at,
            min(100.0, rng.noisy(load.ecs_cpu, 0.03 if _pinned(m, "ecs_cpu") else 0.1)),
        )
        put("AWS/ECS", "MemoryUtilization", ecs, at, min(100.0, rng.noisy(load.ecs_memory, 0.03)))
        connections = load.db_connections if _pinned(m, "db_connections") else rng.noisy(load.db_connections)
        put("AWS/RDS", "DatabaseConnections", db, at, connections)
        put("AWS/RDS", "CPUUtilization", db, at, rng.noisy(load.db_cpu))
        put("AWS/RDS", "FreeableMemory", db, at, rng.noisy(load.db_memory, 0.01))
        put("AWS/RDS", "SwapUsage", db, at, rng.noisy(load.db_swap, 0.05))
        put("AWS/RDS", "ReadLatency", db, at, rng.noisy(load.db_read_latency))
        put("AWS/RDS", "WriteLatency", db, at, rng.noisy(load.db_read_latency * 1.5))
        worker = _worker_minute(built, m, requests)
        put("AWS/Lambda", "Invocations", fn, at, round(worker.invocations))
        put("AWS/Lambda", "Errors", fn, at, round(worker.errors))
        put("AWS/Lambda", "Throttles", fn, at, round(worker.throttles))
        put("AWS/Lambda", "ConcurrentExecutions", fn, at, round(worker.concurrency))
        points.append(_duration_point(built, m, worker.invocations, rng, fn))
        dead_lettered += rng.noisy(load.dead_letters_per_minute, 0.3)
        backlog = load.queue_visible if _pinned(m, "queue_visible") else rng.noisy(load.queue_visible, 0.3)
        put("AWS/SQS", "NumberOfMessagesSent", queue, at, round(worker.invocations + worker.throttles))
        put("AWS/SQS", "ApproximateNumberOfMessagesVisible", queue, at, round(backlog))
        put("AWS/SQS", "ApproximateAgeOfOldestMessage", queue, at, rng.noisy(load.queue_age_s, 0.2))
        # Redriven messages are not counted as sent to the dead-letter queue; they only pile up in it.
        put("AWS/SQS", "NumberOfMessagesSent", dead_letters, at, 0)
        put("AWS/SQS", "ApproximateNumberOfMessagesVisible", dead_letters, at, round(dead_lettered))
        put("AWS/SQS", "ApproximateAgeOfOldestMessage", dead_letters, at, 0)
    return points


def _duration_point(
    built: Built, m: Minute, invocations: float, rng: Rng, dims: list[dict[str, str]]
) -> dict[str, Any]:
    """Lambda Duration as CloudWatch aggregates it per minute: a timed-out invocation lasts the timeout."""
    count = max(1, round(invocations))
    mean = rng.noisy(m.load.worker_ms + m.load.worker_remote_ms)
    timed_out = m.load.worker_timeout_share * count
    limit = built.worker.timeout_s * 1000.0
    longest = limit if timed_out >= 0.5 else min(mean * rng.random.uniform(1.6, 2.4), limit * 0.99)
    total = mean * (count - timed_out) + limit * timed_out
    return {
        "namespace": "AWS/Lambda",
        "MetricName": "Duration",
        "Dimensions": dims,
        "Timestamp": m.at,
        "StatisticValues": {
            "SampleCount": count,
            "Sum": round(total, 3),
            "Minimum": round(mean * 0.4, 3),
            "Maximum": round(max(longest, total / count), 3),
        },
        "Unit": "Milliseconds",
    }


# A moto server cannot read gzipped PutMetricData bodies: seed with clients made with this config.
SEEDING_CONFIG = Config(disable_request_compression=True)


def put_metrics(
    clients: AwsClients, points: Iterable[dict[str, Any]], *, into_account: str | None = None
) -> None:
    """PutMetricData; ``into_account`` (moto mocked in this process only) hands the datapoints to moto's
    CloudWatch backend of that account instead, skipping botocore's serializer and moto's parser: a third
    of the time a scenario takes to seed goes to the 14,000 datapoints otherwise."""
    cloudwatch = clients.cloudwatch
    by_namespace: dict[str, list[dict[str, Any]]] = {}
    for point in points:
        entry = dict(point)
        by_namespace.setdefault(entry.pop("namespace"), []).append(entry)
    if into_account:
        backend = cloudwatch_backends[into_account][clients.region]
        for namespace, data in by_namespace.items():
            # moto keeps what its parser makes of a timestamp: naive UTC.
            naive = [{**d, "Timestamp": d["Timestamp"].astimezone(UTC).replace(tzinfo=None)} for d in data]
            backend.put_metric_data(namespace, naive)
        return
    for namespace, data in by_namespace.items():
        for start in range(0, len(data), 1000):
            cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start : start + 1000])


# --- the alarm ----------------------------------------------------------------------------------------


def placeholders(built: Built) -> dict[str, str]:
    """What a scenario's texts may name before the world exists: {load_balancer}, {target_group}..."""
    return {
        "target_group_arn": built.target_group_arn,
        "load_balancer": built.load_balancer,
        "target_group": built.target_group,
        "target_group_name": built.names.target_group,
        "database": built.names.database,
        "worker": built.names.worker,
        "cluster": built.names.cluster,
        "service": built.names.service,
        "queue": built.names.queue,
        "dead_letter_queue": built.names.dead_letter_queue,
        **built.services,
    }


def resolve_dimensions(built: Built, dimensions: dict[str, str]) -> list[dict[str, str]]:
    """Dimension values may name the world's parts (see ``placeholders``)."""
    values = placeholders(built)
    return [{"Name": k, "Value": v.format(**values)} for k, v in dimensions.items()]


def _breaching(comparison: str) -> Callable[[float, float], bool]:
    if comparison.startswith("GreaterThan"):
        return lambda value, threshold: (
            value > threshold or (comparison.endswith("OrEqualToThreshold") and value == threshold)
        )
    return lambda value, threshold: (
        value < threshold or (comparison.endswith("OrEqualToThreshold") and value == threshold)
    )


def _values(point: dict[str, Any], statistic: str) -> list[float]:
    """A point's contribution to a statistic: one value, or a pre-aggregated StatisticValues set."""
    if "StatisticValues" not in point:
        return [point["Value"]]
    stats = point["StatisticValues"]
    if statistic in ("Maximum", "Minimum"):
        return [stats[statistic]]
    return [stats["Sum"] / stats["SampleCount"]] if statistic == "Average" else [stats[statistic]]


def period_values(
    points: Sequence[dict[str, Any]], spec: AlarmSpec, dimensions: set[tuple[str, str]], now: datetime
) -> list[tuple[datetime, float]]:
    """The alarm's last evaluated datapoints: the seeded minutes aggregated per alarm period, up to the
    period still filling at ``now`` (a sparse metric, 5xx say, may have no datapoint in it)."""
    current = datetime.fromtimestamp(now.timestamp() // spec.period * spec.period, tz=UTC)
    buckets: dict[datetime, list[float]] = {}
    for p in points:
        if (
            p["namespace"] == spec.namespace
            and p["MetricName"] == spec.metric
            and {(d["Name"], d["Value"]) for d in p["Dimensions"]} == dimensions
        ):
            start = datetime.fromtimestamp(p["Timestamp"].timestamp() // spec.period * spec.period, tz=UTC)
            buckets.setdefault(start, []).extend(_values(p, spec.statistic))
    aggregates: dict[str, Callable[[list[float]], float]] = {
        "Sum": sum,
        "Maximum": max,
        "Minimum": min,
        "SampleCount": len,
    }
    aggregate = aggregates.get(spec.statistic, statistics.fmean)
    # CloudWatch evaluates complete periods.
    complete = sorted((start, values) for start, values in buckets.items() if start < current)
    return [(at, round(aggregate(values), 6)) for at, values in complete[-spec.evaluation_periods :]]


@dataclass(frozen=True)
class Fired:
    """The state change CloudWatch recorded, as its history and its event tell it."""

    reason: str
    reason_data: dict[str, Any]


def fire(
    clients: AwsClients, built: Built, spec: AlarmSpec, points: Sequence[dict[str, Any]], now: datetime
) -> Fired:
    """Create the alarm and put it into ALARM with the reason CloudWatch would write."""
    cloudwatch = clients.cloudwatch
    dimensions = resolve_dimensions(built, spec.dimensions)
    request: dict[str, Any] = {
        "AlarmName": spec.name,
        "Namespace": spec.namespace,
        "MetricName": spec.metric,
        "Dimensions": dimensions,
        "Period": spec.period,
        "EvaluationPeriods": spec.evaluation_periods,
        "Threshold": spec.threshold,
        "ComparisonOperator": spec.comparison,
        "TreatMissingData": spec.treat_missing_data,
        "Tags": [{"Key": k, "Value": v.format(**placeholders(built))} for k, v in spec.tags.items()],
    }
    request["ExtendedStatistic" if spec.statistic.startswith("p") else "Statistic"] = spec.statistic
    if spec.description:
        request["AlarmDescription"] = spec.description
    cloudwatch.put_metric_alarm(**request)
    recent = period_values(points, spec, {(d["Name"], d["Value"]) for d in dimensions}, now)
    values = [value for _, value in recent]
    breaching = _breaching(spec.comparison)
    word = "greater than" if spec.comparison.startswith("GreaterThan") else "less than"
    if values:
        shown = ", ".join(f"{value} ({at:%d/%m/%y %H:%M:%S})" for at, value in recent)
        count = sum(1 for v in values if breaching(v, spec.threshold))
        reason = (
            f"Threshold Crossed: {count} out of the last {len(values)} datapoints [{shown}] was {word} the threshold "
            f"({spec.threshold}) (minimum {spec.evaluation_periods} datapoint for OK -> ALARM transition)."
        )
    else:
        reason = (
            f"Threshold Crossed: no datapoints were received for {spec.evaluation_periods} periods and "
            f"{spec.evaluation_periods} missing datapoints were treated as [Breaching]."
        )
    reason_data = {
        "version": "1.0",
        "queryDate": now.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "startDate": (now - timedelta(seconds=spec.period * spec.evaluation_periods)).strftime(
            "%Y-%m-%dT%H:%M:%S.000+0000"
        ),
        "statistic": spec.statistic,
        "period": spec.period,
        "recentDatapoints": values,
        "threshold": spec.threshold,
        "evaluatedDatapoints": [
            {"timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.000+0000"), "value": value} for at, value in recent
        ],
    }
    cloudwatch.set_alarm_state(
        AlarmName=spec.name, StateValue="ALARM", StateReason=reason, StateReasonData=json.dumps(reason_data)
    )
    return Fired(reason=reason, reason_data=reason_data)


def utcnow() -> datetime:
    return datetime.now(UTC)
