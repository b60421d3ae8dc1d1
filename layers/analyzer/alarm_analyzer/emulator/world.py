"""A small web service living in the emulator: ALB -> app (ECS) -> RDS PostgreSQL, plus one Lambda.

Three hours of per-minute metrics, log lines and X-Ray segments are generated from one model of
the service (requests per minute, time spent in own code, SQL, a remote API and the Lambda), so
every source tells the same story. A ``Fault`` changes that model from some minute on; the alarm
is then set to ALARM with the reason CloudWatch would give. Every timestamp is relative to now.
"""

from __future__ import annotations

import json
import random
import secrets
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.config import Config

from ..aws import AwsClients

ACCOUNT = "123456789012"  # moto's default account
SEED_SPAN = timedelta(hours=3)
DENSE_TRACES = timedelta(minutes=30)  # traces are seeded densely only where the analysis reads them
MB = 1 << 20


@dataclass(frozen=True)
class Names:
    """What things are called in one world; scenarios vary them so nothing keys on a name."""

    service: str = "orders-api"
    load_balancer: str = "shop-web"
    target_group: str = "orders-api-tg"
    database: str = "orders-db"
    db_name: str = "orders"
    worker: str = "orders-thumbnailer"
    remote_host: str = "api.shipping-rates.example.net"
    slow_code: str = "render_invoice_pdf"

    @property
    def app_log_group(self) -> str:
        return f"/ecs/{self.service}"

    @property
    def db_log_group(self) -> str:
        return f"/aws/rds/instance/{self.database}/postgresql"

    @property
    def worker_log_group(self) -> str:
        return f"/aws/lambda/{self.worker}"


@dataclass(frozen=True)
class Load:
    """How the service behaves in a minute: traffic and where a request's time goes (milliseconds)."""

    requests: float = 120
    code_ms: float = 35
    sql_ms: float = 22
    remote_ms: float = 45
    worker_ms: float = 160
    worker_share: float = 0.2
    fault_share: float = 0.0
    db_connections: float = 12
    db_cpu: float = 18
    db_memory: float = 950 * MB
    db_swap: float = 1 * MB
    db_read_latency: float = 0.002


@dataclass(frozen=True)
class LogLine:
    """A line some log group writes ``per_minute`` times; {n}, {id}, {ip}, {ms} vary per line."""

    group: str  # "app", "db" or "worker"
    text: str
    per_minute: float


@dataclass(frozen=True)
class Fault:
    """What changes from ``starts`` before the alarm on (optionally only for ``lasts``)."""

    starts: timedelta = timedelta(minutes=12)
    lasts: timedelta | None = None
    ramp_minutes: int = 3
    affected_share: float = 0.85
    sql_extra_ms: float = 0.0
    remote_extra_ms: float = 0.0
    code_extra_ms: float = 0.0
    load: dict[str, float] = field(default_factory=dict)  # Load fields to move towards these values
    log_lines: tuple[LogLine, ...] = ()


NOISE = (
    LogLine("app", 'INFO {ip} "GET /orders/{n} HTTP/1.1" 200 {ms}ms', 2),
    LogLine("app", "WARN cache miss for orders:{n}, loading from database", 0.2),
    LogLine("app", "ERROR payment declined for order {n}: card_declined", 0.15),
    LogLine("db", "LOG:  checkpoint complete: wrote {n} buffers (0.{n}%); 0 WAL file(s) added", 0.2),
    LogLine("worker", "START RequestId: {id} Version: $LATEST", 1),
)


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


@dataclass
class Built:
    """Identifiers AWS assigned when the world was created (dimension values, endpoints)."""

    names: Names
    load_balancer: str  # the LoadBalancer dimension: app/<name>/<id>
    target_group: str  # the TargetGroup dimension: targetgroup/<name>/<id>
    db_endpoint: str
    worker_arn: str
    lb_dns: str


class Rng:
    """Deterministic randomness, so a scenario seeds the same data every run."""

    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)

    def noisy(self, value: float, spread: float = 0.08) -> float:
        return max(0.0, value * (1 + self.random.uniform(-spread, spread)))

    def hex(self, length: int) -> str:
        return "".join(self.random.choice("0123456789abcdef") for _ in range(length))

    def fill(self, text: str) -> str:
        return (
            text.replace("{n}", str(self.random.randint(2, 9999)))
            .replace("{id}", f"{self.hex(8)}-{self.hex(4)}-{self.hex(4)}-{self.hex(4)}-{self.hex(12)}")
            .replace("{ip}", f"10.0.{self.random.randint(1, 9)}.{self.random.randint(2, 250)}")
            .replace("{ms}", str(self.random.randint(20, 400)))
        )

    def happens(self, per_minute: float) -> int:
        """How many times an event with this rate happens in one minute."""
        whole, fraction = divmod(per_minute, 1)
        return int(whole) + (1 if self.random.random() < fraction else 0)


def build(clients: AwsClients, names: Names) -> Built:
    """Create the service's resources; AWS-assigned ids become the metrics' dimension values."""
    ec2, elb = clients.client("ec2"), clients.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{clients.region}{zone}")[
            "Subnet"
        ]["SubnetId"]
        for i, zone in ((1, "a"), (2, "b"))
    ]
    lb = elb.create_load_balancer(Name=names.load_balancer, Subnets=subnets, Type="application")[
        "LoadBalancers"
    ][0]
    tg = elb.create_target_group(
        Name=names.target_group,
        Protocol="HTTP",
        Port=8080,
        VpcId=vpc,
        TargetType="ip",
        HealthCheckPath="/health",
    )["TargetGroups"][0]
    elb.register_targets(
        TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": "10.0.1.10"}, {"Id": "10.0.2.10"}]
    )
    db = clients.client("rds").create_db_instance(
        DBInstanceIdentifier=names.database,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword=secrets.token_urlsafe(16),
        AllocatedStorage=20,
    )["DBInstance"]
    role = clients.client("iam").create_role(
        RoleName=f"{names.worker}-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    worker = clients.client("lambda").create_function(
        FunctionName=names.worker,
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        Timeout=30,
        MemorySize=256,
    )["FunctionArn"]
    for group in (names.app_log_group, names.db_log_group, names.worker_log_group):
        clients.logs.create_log_group(logGroupName=group)
    return Built(
        names=names,
        load_balancer=lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1],
        target_group=tg["TargetGroupArn"].split(":", 5)[5],
        db_endpoint=db.get("Endpoint", {}).get("Address")
        or f"{names.database}.c9akciq32.{clients.region}.rds.amazonaws.com",
        worker_arn=worker,
        lb_dns=lb["DNSName"],
    )


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


def _request_ms(minute: Minute) -> float:
    """Mean request time in the minute, the fault's extra time spread over the affected share."""
    load = minute.load
    mean = load.code_ms + load.sql_ms + load.remote_ms + load.worker_share * load.worker_ms
    if minute.fault and minute.faulty:
        extra = minute.fault.sql_extra_ms + minute.fault.remote_extra_ms + minute.fault.code_extra_ms
        mean += extra * minute.fault.affected_share * minute.strength
    return mean


def metric_points(built: Built, minutes: Sequence[Minute], rng: Rng) -> list[dict[str, Any]]:
    """PutMetricData entries for the load balancer, target group, database and Lambda."""
    names = built.names
    lb = [{"Name": "LoadBalancer", "Value": built.load_balancer}]
    tg = [*lb, {"Name": "TargetGroup", "Value": built.target_group}]
    db = [{"Name": "DBInstanceIdentifier", "Value": names.database}]
    fn = [{"Name": "FunctionName", "Value": names.worker}]
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

    for m in minutes:
        load, at = m.load, m.at
        requests = rng.noisy(load.requests)
        latency_s = rng.noisy(_request_ms(m), 0.05) / 1000
        errors = requests * load.fault_share
        for dims in (lb, tg):
            put("AWS/ApplicationELB", "RequestCount", dims, at, round(requests))
            put("AWS/ApplicationELB", "TargetResponseTime", dims, at, latency_s)
            if errors >= 1:
                put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, at, round(errors))
        put("AWS/ApplicationELB", "HealthyHostCount", tg, at, 2)
        put("AWS/ApplicationELB", "UnHealthyHostCount", tg, at, 0)
        pinned = m.faulty and m.fault is not None and "db_connections" in m.fault.load and m.strength >= 1
        put(
            "AWS/RDS",
            "DatabaseConnections",
            db,
            at,
            load.db_connections if pinned else rng.noisy(load.db_connections),
        )
        put("AWS/RDS", "CPUUtilization", db, at, rng.noisy(load.db_cpu))
        put("AWS/RDS", "FreeableMemory", db, at, rng.noisy(load.db_memory, 0.01))
        put("AWS/RDS", "SwapUsage", db, at, rng.noisy(load.db_swap, 0.05))
        put("AWS/RDS", "ReadLatency", db, at, rng.noisy(load.db_read_latency))
        put("AWS/RDS", "WriteLatency", db, at, rng.noisy(load.db_read_latency * 1.5))
        invocations = requests * load.worker_share
        put("AWS/Lambda", "Invocations", fn, at, round(invocations))
        put("AWS/Lambda", "Duration", fn, at, rng.noisy(load.worker_ms))
        put("AWS/Lambda", "ConcurrentExecutions", fn, at, max(1, round(invocations * load.worker_ms / 60000)))
    return points


# A moto server cannot read gzipped PutMetricData bodies: seed with clients made with this config.
SEEDING_CONFIG = Config(disable_request_compression=True)


def put_metrics(clients: AwsClients, points: Iterable[dict[str, Any]]) -> None:
    cloudwatch = clients.cloudwatch
    by_namespace: dict[str, list[dict[str, Any]]] = {}
    for point in points:
        entry = dict(point)
        by_namespace.setdefault(entry.pop("namespace"), []).append(entry)
    for namespace, data in by_namespace.items():
        for start in range(0, len(data), 1000):
            cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start : start + 1000])


def log_events(built: Built, minutes: Sequence[Minute], rng: Rng) -> dict[str, list[dict[str, Any]]]:
    groups = {
        "app": built.names.app_log_group,
        "db": built.names.db_log_group,
        "worker": built.names.worker_log_group,
    }
    events: dict[str, list[dict[str, Any]]] = {name: [] for name in groups.values()}
    for m in minutes:
        lines = list(NOISE)
        if m.faulty and m.fault:
            lines += [replace(line, per_minute=line.per_minute * m.strength) for line in m.fault.log_lines]
        for line in lines:
            for _ in range(rng.happens(line.per_minute)):
                at = m.at + timedelta(seconds=rng.random.uniform(0, 59.9))
                events[groups[line.group]].append(
                    {"timestamp": int(at.timestamp() * 1000), "message": rng.fill(line.text)}
                )
    return events


def put_logs(clients: AwsClients, events: dict[str, list[dict[str, Any]]]) -> None:
    for group, found in events.items():
        found.sort(key=lambda e: e["timestamp"])
        clients.logs.create_log_stream(logGroupName=group, logStreamName="seed")
        for start in range(0, len(found), 5000):
            clients.logs.put_log_events(
                logGroupName=group, logStreamName="seed", logEvents=found[start : start + 5000]
            )


def _subsegment(rng: Rng, name: str, start: float, ms: float, **fields: Any) -> dict[str, Any]:
    return {"id": rng.hex(16), "name": name, "start_time": start, "end_time": start + ms / 1000, **fields}


def trace_documents(built: Built, minutes: Sequence[Minute], rng: Rng, now: datetime) -> list[str]:
    """X-Ray segment documents as the SDKs write them: the service's segment with its subsegments,
    and the Lambda function's own segment under the invoking subsegment."""
    names, documents = built.names, []
    for m in minutes:
        dense = m.at >= now - DENSE_TRACES
        for _ in range(rng.happens(8 if dense else 0.5)):
            start = m.at.timestamp() + rng.random.uniform(0, 58)
            trace_id = f"1-{int(start):08x}-{rng.hex(24)}"
            affected = m.faulty and m.fault is not None and rng.random.random() < m.fault.affected_share
            fault = m.fault if affected else None
            strength = m.strength if affected else 0.0
            cursor = start
            subsegments = []
            code = rng.noisy(m.load.code_ms / 2)
            subsegments.append(_subsegment(rng, "validate_order", cursor, code, namespace="local"))
            cursor += code / 1000
            sql = rng.noisy(m.load.sql_ms) + (fault.sql_extra_ms * strength if fault else 0)
            subsegments.append(
                _subsegment(
                    rng,
                    f"{names.db_name}@{built.db_endpoint}",
                    cursor,
                    sql,
                    namespace="remote",
                    sql={
                        "url": f"postgresql://app@{built.db_endpoint}:5432/{names.db_name}",
                        "database_type": "PostgreSQL",
                        "driver_version": "Psycopg 3",
                        "user": "app",
                    },
                )
            )
            cursor += sql / 1000
            remote = rng.noisy(m.load.remote_ms) + (fault.remote_extra_ms * strength if fault else 0)
            subsegments.append(
                _subsegment(
                    rng,
                    names.remote_host,
                    cursor,
                    remote,
                    namespace="remote",
                    http={
                        "request": {"method": "POST", "url": f"https://{names.remote_host}/v2/quotes"},
                        "response": {"status": 200},
                    },
                )
            )
            cursor += remote / 1000
            if fault and fault.code_extra_ms:
                slow = fault.code_extra_ms * strength
                subsegments.append(_subsegment(rng, names.slow_code, cursor, slow, namespace="local"))
                cursor += slow / 1000
            worker_doc = None
            if rng.random.random() < m.load.worker_share:
                worker_ms = rng.noisy(m.load.worker_ms)
                invoke = _subsegment(
                    rng,
                    "lambda",
                    cursor,
                    worker_ms + 12,
                    namespace="aws",
                    aws={"operation": "Invoke", "function_name": names.worker, "region": "us-east-1"},
                    http={"response": {"status": 200}},
                )
                subsegments.append(invoke)
                worker_doc = {
                    "id": rng.hex(16),
                    "trace_id": trace_id,
                    "parent_id": invoke["id"],
                    "name": names.worker,
                    "origin": "AWS::Lambda::Function",
                    "start_time": cursor + 0.006,
                    "end_time": cursor + 0.006 + worker_ms / 1000,
                    "aws": {"function_arn": built.worker_arn, "account_id": ACCOUNT},
                    "subsegments": [_subsegment(rng, "Invocation", cursor + 0.006, worker_ms)],
                }
                cursor += (worker_ms + 12) / 1000
            end = cursor + rng.noisy(m.load.code_ms / 2) / 1000
            failed = rng.random.random() < m.load.fault_share
            segment: dict[str, Any] = {
                "id": rng.hex(16),
                "trace_id": trace_id,
                "name": names.service,
                "start_time": start,
                "end_time": end,
                "origin": "AWS::ECS::Container",
                "http": {
                    "request": {
                        "method": "GET",
                        "url": f"http://{built.lb_dns}/orders/{rng.random.randint(1, 9999)}",
                    },
                    "response": {"status": 500 if failed else 200},
                },
                "aws": {
                    "ecs": {"container": f"{names.service}-{rng.hex(6)}"},
                    "cloudwatch_logs": [{"log_group": names.app_log_group}],
                },
                "subsegments": subsegments,
            }
            if failed:
                segment["fault"] = True
            documents.append(json.dumps(segment))
            if worker_doc:
                documents.append(json.dumps(worker_doc))
    return documents


def put_traces(clients: AwsClients, documents: Sequence[str]) -> None:
    for start in range(0, len(documents), 50):
        clients.xray.put_trace_segments(TraceSegmentDocuments=list(documents[start : start + 50]))


# --- the alarm ----------------------------------------------------------------------------------------


def resolve_dimensions(built: Built, dimensions: dict[str, str]) -> list[dict[str, str]]:
    """Dimension values may name the world's parts: {load_balancer}, {target_group}, {database}..."""
    values = {
        "load_balancer": built.load_balancer,
        "target_group": built.target_group,
        "target_group_name": built.names.target_group,
        "database": built.names.database,
        "worker": built.names.worker,
    }
    return [{"Name": k, "Value": v.format(**values)} for k, v in dimensions.items()]


def _breaching(comparison: str) -> Callable[[float, float], bool]:
    if comparison.startswith("GreaterThan"):
        return lambda value, threshold: (
            value > threshold or (comparison.endswith("OrEqualToThreshold") and value == threshold)
        )
    return lambda value, threshold: (
        value < threshold or (comparison.endswith("OrEqualToThreshold") and value == threshold)
    )


def _period_values(
    points: Sequence[dict[str, Any]], spec: AlarmSpec, dimensions: set[tuple[str, str]]
) -> list[tuple[datetime, float]]:
    """The alarm's last evaluated datapoints: the seeded minutes aggregated per alarm period."""
    buckets: dict[datetime, list[float]] = {}
    for p in points:
        if (
            p["namespace"] == spec.namespace
            and p["MetricName"] == spec.metric
            and {(d["Name"], d["Value"]) for d in p["Dimensions"]} == dimensions
        ):
            start = datetime.fromtimestamp(p["Timestamp"].timestamp() // spec.period * spec.period, tz=UTC)
            buckets.setdefault(start, []).append(p["Value"])
    aggregates: dict[str, Callable[[list[float]], float]] = {
        "Sum": sum,
        "Maximum": max,
        "Minimum": min,
        "SampleCount": len,
    }
    aggregate = aggregates.get(spec.statistic, statistics.fmean)
    # The newest bucket is still filling; CloudWatch evaluates complete periods.
    complete = sorted(buckets.items())[:-1]
    return [(at, round(aggregate(values), 6)) for at, values in complete[-spec.evaluation_periods :]]


def fire(
    clients: AwsClients, built: Built, spec: AlarmSpec, points: Sequence[dict[str, Any]], now: datetime
) -> None:
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
        "Tags": [{"Key": k, "Value": v} for k, v in spec.tags.items()],
    }
    request["ExtendedStatistic" if spec.statistic.startswith("p") else "Statistic"] = spec.statistic
    if spec.description:
        request["AlarmDescription"] = spec.description
    cloudwatch.put_metric_alarm(**request)
    recent = _period_values(points, spec, {(d["Name"], d["Value"]) for d in dimensions})
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


def utcnow() -> datetime:
    return datetime.now(UTC)
