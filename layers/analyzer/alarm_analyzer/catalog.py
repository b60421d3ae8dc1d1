"""The services the analyzer knows, as data: one entry per CloudWatch namespace.

An entry says which dimensions name a resource (its kind, most specific first), the form each
dimension's value takes, the related metrics to read against the baseline, the log groups the
resource writes, and how its configuration and state are read: the ``ResourcesData`` field a
describe fills (its code: ``gather.resources.DESCRIBERS`` under the same name) and the IAM actions
its calls need, and, where the configuration names the resource's log groups, what the scope step
reads to find them (``discovery.LOCATORS``; the resources gatherer completes those states instead
of reading them again).

Adding a service is an entry here, its describe (a module under ``gather/``), its typed state in
``models.py`` with an evidence item, and its rules; no gatherer changes. Secrets have no metrics of
their own: they come into scope because a tag, a function's environment or a task definition names
them (``REFERENCED``), and are described after what names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from .models import Resource, ResourceKind, ResourceVia


class RelatedMetric(NamedTuple):
    name: str
    stat: str
    namespace: str | None = None  # another namespace's metric of the same resource (CWAgent -> AWS/EC2)
    sparse: bool = False  # published only for some resources of the kind (replicas, burstable classes)


class DimensionForm(NamedTuple):
    pattern: re.Pattern[str]
    expected: str


@dataclass(frozen=True)
class Read:
    """A group of calls: the name its code is registered under and the IAM actions the calls need."""

    name: str
    actions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Kind:
    """One kind of resource a namespace's dimensions name."""

    kind: ResourceKind
    dimensions: tuple[str, ...]  # all present in a metric's dimensions: they name the resource
    related: tuple[RelatedMetric, ...] = ()
    log_groups: tuple[
        str, ...
    ] = ()  # over the dimensions: "/aws/lambda/{FunctionName}"; a trailing * is a prefix
    describe: Read | None = None  # the resources gatherer: the ResourcesData field it fills
    locate: Read | None = None  # the scope step: the Located field it fills (the state, its log groups)


@dataclass(frozen=True)
class Namespace:
    name: str
    kinds: tuple[Kind, ...]  # most specific first: a target group before its load balancer
    forms: Mapping[str, DimensionForm] = field(default_factory=dict)


def _form(pattern: str, expected: str) -> DimensionForm:
    return DimensionForm(re.compile(pattern), expected)


def _metrics(
    stat: str, *names: str, sparse: bool = False, namespace: str | None = None
) -> tuple[RelatedMetric, ...]:
    return tuple(RelatedMetric(name, stat, namespace, sparse) for name in names)


_NAME = _form(r"^[A-Za-z0-9_.-]{1,255}$", "the name (not an ARN)")
_TARGET_GROUP = _form(r"^targetgroup/[^/]+/[0-9a-f]{16}$", "targetgroup/<name>/<id>")
_INSTANCE_ID = _form(r"^i-[0-9a-f]{8,17}$", "i-<hex id>")

# --- the describes: what each reads, and the actions it needs -------------------------------------

TARGET_GROUPS = Read(
    "target_groups",
    frozenset({"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetHealth"}),
)
SERVICES = Read("services")  # the scope step described them (DescribeServices): nothing more to read
FUNCTIONS = Read("functions", frozenset({"lambda:GetFunctionConfiguration", "lambda:GetFunctionConcurrency"}))
DATABASES = Read(
    "databases", frozenset({"rds:DescribeDBInstances", "rds:DescribeEvents", "rds:DescribeDBParameters"})
)
# The scope step reads them: a database's replication names more of the scope (a replica's lag, a source's load).
DATABASES_LOCATED = Read("databases", frozenset({"rds:DescribeDBInstances"}))
# What dead-letters into a queue is found by the scope step (dead_letters.py): only its depth is read here.
QUEUES = Read(
    "queues",
    frozenset(
        {"sqs:GetQueueAttributes", "sqs:ReceiveMessage"}
    ),  # ReceiveMessage only with PeekDeadLetterMessages
)
TABLES = Read(
    "tables", frozenset({"dynamodb:DescribeTable", "application-autoscaling:DescribeScalableTargets"})
)
# API Gateway's IAM knows one read action per HTTP verb: every Get* of both APIs is apigateway:GET.
# A describe whose state the scope step locates reads it itself only when the scope could not be
# resolved: its actions include the locate's (the agent's configuration names only log groups: no).
STAGES = Read("stages", frozenset({"apigateway:GET"}))
STAGES_LOCATED = Read("stages", frozenset({"apigateway:GET"}))
CACHES = Read(
    "caches",
    frozenset(
        {
            "elasticache:DescribeCacheClusters",
            "elasticache:DescribeReplicationGroups",
            "elasticache:DescribeCacheParameters",
            "elasticache:DescribeEvents",
        }
    ),
)
CACHES_LOCATED = Read(
    "caches", frozenset({"elasticache:DescribeCacheClusters", "elasticache:DescribeReplicationGroups"})
)
STREAMS = Read("streams", frozenset({"kinesis:DescribeStreamSummary"}))
INSTANCES = Read(
    "instances",
    frozenset(
        {"ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceCreditSpecifications"}
    ),
)
# The CloudWatch agent's configuration, where its wizard and SSM keep it (AmazonCloudWatch-*): its log groups.
AGENT_CONFIGS = Read("agent_configs", frozenset({"ssm:DescribeParameters", "ssm:GetParameters"}))
NAT_GATEWAYS = Read("nat_gateways", frozenset({"ec2:DescribeNatGateways"}))
CERTIFICATES = Read("certificates", frozenset({"acm:DescribeCertificate"}))
VOLUMES = Read("volumes", frozenset({"ec2:DescribeVolumes"}))
FILE_SYSTEMS = Read("file_systems", frozenset({"elasticfilesystem:DescribeFileSystems"}))
STATE_MACHINES = Read("state_machines", frozenset({"states:DescribeStateMachine"}))
STATE_MACHINES_LOCATED = Read("state_machines", frozenset({"states:DescribeStateMachine"}))
RULES = Read("rules", frozenset({"events:DescribeRule", "events:ListTargetsByRule"}))
SECRETS = Read("secrets", frozenset({"secretsmanager:DescribeSecret"}))

# --- the namespaces ----------------------------------------------------------------------------

_ALB = (
    RelatedMetric("TargetResponseTime", "Average"),
    RelatedMetric("RequestCount", "Sum"),
    RelatedMetric("HTTPCode_Target_5XX_Count", "Sum"),
)
_TARGET_HEALTH = (
    RelatedMetric("HealthyHostCount", "Minimum"),
    RelatedMetric("UnHealthyHostCount", "Maximum"),
)
_EC2 = (
    RelatedMetric("CPUUtilization", "Average", "AWS/EC2"),
    RelatedMetric("StatusCheckFailed_System", "Maximum", "AWS/EC2"),
    RelatedMetric("StatusCheckFailed_Instance", "Maximum", "AWS/EC2"),
    RelatedMetric("CPUCreditBalance", "Minimum", "AWS/EC2", sparse=True),  # burstable (T) classes only
)
_TABLE_CAPACITY = (
    *_metrics(
        "Sum",
        "ConsumedReadCapacityUnits",
        "ConsumedWriteCapacityUnits",
        "ReadThrottleEvents",
        "WriteThrottleEvents",
    ),
    # Provisioned capacity exists only in provisioned mode, and only for the table or index that has it.
    *_metrics("Average", "ProvisionedReadCapacityUnits", "ProvisionedWriteCapacityUnits", sparse=True),
)
_REST = (
    *_metrics("Sum", "Count", "4XXError", "5XXError"),
    *_metrics("Average", "Latency", "IntegrationLatency"),
)
_HTTP = (
    *_metrics("Sum", "Count", "4xx", "5xx"),
    *_metrics("Average", "Latency", "IntegrationLatency"),
)
_CACHE = (
    RelatedMetric("CPUUtilization", "Average"),
    RelatedMetric("EngineCPUUtilization", "Average", sparse=True),  # Valkey and Redis OSS only
    RelatedMetric("DatabaseMemoryUsagePercentage", "Maximum", sparse=True),
    RelatedMetric("Evictions", "Sum"),
    RelatedMetric("CurrConnections", "Maximum"),
    RelatedMetric("CacheMisses", "Sum", sparse=True),
    RelatedMetric("FreeableMemory", "Minimum"),
    RelatedMetric("ReplicationLag", "Maximum", sparse=True),  # replicas only
)

_RULE = _metrics(
    "Sum",
    "TriggeredRules",
    "Invocations",
    "FailedInvocations",
    "ThrottledRules",
    "DeadLetterInvocations",
    "InvocationsFailedToBeSentToDlq",
)

NAMESPACES: tuple[Namespace, ...] = (
    Namespace(
        "AWS/ApplicationELB",
        (
            Kind(
                "target_group",
                ("LoadBalancer", "TargetGroup"),
                related=(*_ALB, *_TARGET_HEALTH),
                describe=TARGET_GROUPS,
            ),
            Kind(
                "load_balancer",
                ("LoadBalancer",),
                related=(
                    *_ALB,
                    *_metrics("Sum", "HTTPCode_ELB_5XX_Count", "TargetConnectionErrorCount"),
                    # Handshakes refused by the load balancer's own certificate; only TLS listeners have it.
                    RelatedMetric("ClientTLSNegotiationErrorCount", "Sum", sparse=True),
                ),
                describe=TARGET_GROUPS,
            ),
        ),
        {
            "LoadBalancer": _form(r"^app/[^/]+/[0-9a-f]{16}$", "app/<name>/<id>"),
            "TargetGroup": _TARGET_GROUP,
        },
    ),
    Namespace(
        "AWS/NetworkELB",
        (
            Kind(
                "target_group",
                ("LoadBalancer", "TargetGroup"),
                related=(*_TARGET_HEALTH, RelatedMetric("TCP_Target_Reset_Count", "Sum")),
                describe=TARGET_GROUPS,
            ),
            Kind(
                "load_balancer",
                ("LoadBalancer",),
                related=(
                    RelatedMetric("ActiveFlowCount", "Average"),
                    *_metrics("Sum", "TCP_Target_Reset_Count", "TCP_ELB_Reset_Count"),
                ),
                describe=TARGET_GROUPS,
            ),
        ),
        {
            "LoadBalancer": _form(r"^net/[^/]+/[0-9a-f]{16}$", "net/<name>/<id>"),
            "TargetGroup": _TARGET_GROUP,
        },
    ),
    Namespace(
        "AWS/RDS",
        (
            Kind(
                "rds_instance",
                ("DBInstanceIdentifier",),
                related=(
                    RelatedMetric("DatabaseConnections", "Maximum"),
                    RelatedMetric("FreeableMemory", "Minimum"),
                    RelatedMetric("SwapUsage", "Maximum"),
                    RelatedMetric("CPUUtilization", "Average"),
                    *_metrics("Average", "ReadLatency", "WriteLatency", "DiskQueueDepth"),
                    RelatedMetric("FreeStorageSpace", "Minimum"),
                    RelatedMetric("ReplicaLag", "Maximum", sparse=True),  # read replicas only
                    # Burstable (T) classes, and gp2 storage's I/O credits.
                    *_metrics("Minimum", "CPUCreditBalance", "BurstBalance", sparse=True),
                ),
                log_groups=("/aws/rds/instance/{DBInstanceIdentifier}/*",),
                describe=DATABASES,
                locate=DATABASES_LOCATED,
            ),
            Kind(
                "rds_cluster",
                ("DBClusterIdentifier",),
                related=(
                    RelatedMetric("DatabaseConnections", "Maximum"),
                    RelatedMetric("FreeableMemory", "Minimum"),
                    RelatedMetric("CPUUtilization", "Average"),
                    RelatedMetric("AuroraReplicaLagMaximum", "Maximum", sparse=True),
                ),
                log_groups=("/aws/rds/cluster/{DBClusterIdentifier}/*",),
                describe=DATABASES,
                locate=DATABASES_LOCATED,
            ),
        ),
        {
            "DBInstanceIdentifier": _form(
                r"^[a-z][a-z0-9-]{0,62}$", "the lowercase instance identifier (not an endpoint or ARN)"
            ),
        },
    ),
    Namespace(
        "AWS/Lambda",
        (
            Kind(
                "lambda_function",
                ("FunctionName",),
                related=(
                    *_metrics("Sum", "Invocations", "Errors", "Throttles"),
                    *_metrics("Maximum", "Duration", "ConcurrentExecutions"),
                    RelatedMetric("IteratorAge", "Maximum", sparse=True),  # stream consumers only
                ),
                log_groups=("/aws/lambda/{FunctionName}",),
                describe=FUNCTIONS,
            ),
        ),
        {"FunctionName": _form(r"^[A-Za-z0-9_-]{1,64}$", "the function name (not an ARN)")},
    ),
    Namespace(
        "AWS/ECS",
        (
            Kind(
                "ecs_service",
                ("ClusterName", "ServiceName"),
                related=_metrics("Average", "CPUUtilization", "MemoryUtilization"),
                describe=SERVICES,
            ),
        ),
        {
            "ClusterName": _form(_NAME.pattern.pattern, "the cluster name (not an ARN)"),
            "ServiceName": _form(_NAME.pattern.pattern, "the service name (not an ARN)"),
        },
    ),
    Namespace(
        "AWS/SQS",
        (
            Kind(
                "sqs_queue",
                ("QueueName",),
                related=_metrics(
                    "Maximum", "ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"
                ),
                describe=QUEUES,
            ),
        ),
        {"QueueName": _form(r"^[A-Za-z0-9_-]{1,80}(\.fifo)?$", "the queue name (not a URL or ARN)")},
    ),
    Namespace(
        "AWS/DynamoDB",
        (
            Kind(
                "dynamodb_index",
                ("TableName", "GlobalSecondaryIndexName"),
                related=_TABLE_CAPACITY,
                describe=TABLES,
            ),
            Kind("dynamodb_table", ("TableName",), related=_TABLE_CAPACITY, describe=TABLES),
        ),
        {
            "TableName": _form(r"^[A-Za-z0-9_.-]{3,255}$", "the table name (not an ARN)"),
            "GlobalSecondaryIndexName": _form(r"^[A-Za-z0-9_.-]{3,255}$", "the index name"),
        },
    ),
    Namespace(
        "AWS/ApiGateway",
        (
            # REST APIs are named by their name, HTTP and WebSocket APIs by their id.
            Kind(
                "rest_api_stage", ("ApiName", "Stage"), related=_REST, describe=STAGES, locate=STAGES_LOCATED
            ),
            Kind("rest_api", ("ApiName",), related=_REST, describe=STAGES, locate=STAGES_LOCATED),
            Kind("http_api_stage", ("ApiId", "Stage"), related=_HTTP, describe=STAGES, locate=STAGES_LOCATED),
            Kind("http_api", ("ApiId",), related=_HTTP, describe=STAGES, locate=STAGES_LOCATED),
        ),
        {"ApiId": _form(r"^[a-z0-9]{10}$", "the API id (10 lowercase letters and digits)")},
    ),
    Namespace(
        "AWS/ElastiCache",
        (
            Kind(
                "cache_cluster", ("CacheClusterId",), related=_CACHE, describe=CACHES, locate=CACHES_LOCATED
            ),
            # CloudWatch publishes a replication group's metrics per member cluster (<group>-001, -002...):
            # the scope adds the members once it knows them, and the group stands for what they share.
            Kind("replication_group", ("ReplicationGroupId",), describe=CACHES, locate=CACHES_LOCATED),
        ),
        {"CacheClusterId": _form(r"^[a-z][a-z0-9-]{0,49}$", "the lowercase cluster id (not an endpoint)")},
    ),
    Namespace(
        "AWS/Kinesis",
        (
            Kind(
                "kinesis_stream",
                ("StreamName",),
                related=(
                    RelatedMetric("GetRecords.IteratorAgeMilliseconds", "Maximum"),
                    *_metrics(
                        "Sum",
                        "IncomingRecords",
                        "IncomingBytes",
                        "WriteProvisionedThroughputExceeded",
                        "ReadProvisionedThroughputExceeded",
                    ),
                ),
                describe=STREAMS,
            ),
        ),
        {"StreamName": _form(r"^[A-Za-z0-9_.-]{1,128}$", "the stream name (not an ARN)")},
    ),
    Namespace(
        "AWS/EC2",
        (Kind("ec2_instance", ("InstanceId",), related=_EC2, describe=INSTANCES, locate=AGENT_CONFIGS),),
        {"InstanceId": _INSTANCE_ID},
    ),
    # The CloudWatch agent's metrics (memory, disk) name the instance; its platform metrics are AWS/EC2's.
    Namespace(
        "CWAgent",
        (Kind("ec2_instance", ("InstanceId",), related=_EC2, describe=INSTANCES, locate=AGENT_CONFIGS),),
        {"InstanceId": _INSTANCE_ID},
    ),
    Namespace(
        "AWS/NATGateway",
        (
            Kind(
                "nat_gateway",
                ("NatGatewayId",),
                related=(
                    *_metrics(
                        "Sum",
                        "ErrorPortAllocation",
                        "PacketsDropCount",
                        "ConnectionAttemptCount",
                        "IdleTimeoutCount",
                    ),
                    RelatedMetric("ActiveConnectionCount", "Maximum"),
                ),
                describe=NAT_GATEWAYS,
            ),
        ),
        {"NatGatewayId": _form(r"^nat-[0-9a-f]{8,17}$", "nat-<hex id>")},
    ),
    Namespace(
        "AWS/CertificateManager",
        (
            Kind(
                "certificate",
                ("CertificateArn",),
                related=(RelatedMetric("DaysToExpiry", "Minimum"),),
                describe=CERTIFICATES,
            ),
        ),
        {
            "CertificateArn": _form(
                r"^arn:aws[\w-]*:acm:[\w-]+:\d{12}:certificate/[\w-]+$", "the certificate's ARN"
            )
        },
    ),
    Namespace(
        "AWS/EBS",
        (
            Kind(
                "ebs_volume",
                ("VolumeId",),
                related=(
                    RelatedMetric("BurstBalance", "Minimum", sparse=True),  # gp2, st1 and sc1 only
                    RelatedMetric("VolumeQueueLength", "Average"),
                    *_metrics("Sum", "VolumeReadOps", "VolumeWriteOps"),
                ),
                describe=VOLUMES,
            ),
        ),
        {"VolumeId": _form(r"^vol-[0-9a-f]{8,17}$", "vol-<hex id>")},
    ),
    Namespace(
        "AWS/EFS",
        (
            Kind(
                "efs_file_system",
                ("FileSystemId",),
                related=(
                    RelatedMetric("BurstCreditBalance", "Minimum"),
                    RelatedMetric("PercentIOLimit", "Maximum", sparse=True),  # General Purpose mode only
                    RelatedMetric("PermittedThroughput", "Average"),
                    RelatedMetric("MeteredIOBytes", "Sum"),
                    RelatedMetric("ClientConnections", "Sum"),
                ),
                describe=FILE_SYSTEMS,
            ),
        ),
        {"FileSystemId": _form(r"^fs-[0-9a-f]{8,17}$", "fs-<hex id>")},
    ),
    Namespace(
        "AWS/States",
        (
            Kind(
                "state_machine",
                ("StateMachineArn",),
                related=(
                    *_metrics(
                        "Sum",
                        "ExecutionsStarted",
                        "ExecutionsFailed",
                        "ExecutionsTimedOut",
                        "ExecutionThrottled",
                    ),
                    RelatedMetric("ExecutionTime", "Average"),
                ),
                describe=STATE_MACHINES,
                locate=STATE_MACHINES_LOCATED,
            ),
        ),
        {
            "StateMachineArn": _form(
                r"^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]+$", "the state machine's ARN"
            )
        },
    ),
    Namespace(
        "AWS/Events",
        (
            Kind(
                "event_rule",
                ("EventBusName", "RuleName"),
                related=_RULE,
                describe=RULES,
            ),
            Kind(
                "event_rule",
                ("RuleName",),
                related=_RULE,
                describe=RULES,
            ),
        ),
    ),
)

# Resources no metric names: they come into scope because something names them, and are described after it.
REFERENCED: tuple[Kind, ...] = (Kind("secret", (), describe=SECRETS),)

_BY_NAME = {namespace.name: namespace for namespace in NAMESPACES}


def kinds() -> Iterator[tuple[Namespace | None, Kind]]:
    yield from ((namespace, kind) for namespace in NAMESPACES for kind in namespace.kinds)
    yield from ((None, kind) for kind in REFERENCED)


def kind_of(kind: ResourceKind, namespace: str | None = None) -> Kind | None:
    """The entry of a kind of resource (found under this namespace, if given)."""
    return next(
        (
            k
            for n, k in kinds()
            if k.kind == kind and (namespace is None or (n is not None and n.name == namespace))
        ),
        None,
    )


def resources_of(namespace: str, dimensions: Mapping[str, str]) -> list[Resource]:
    """The resources a metric's dimensions name, most specific first (a target group, then its load balancer)."""
    known = _BY_NAME.get(namespace)
    found: list[Resource] = []
    for kind in known.kinds if known else ():
        # The most specific entry of a kind names it (a rule on its bus); a less specific one adds nothing.
        if all(name in dimensions for name in kind.dimensions) and all(r.kind != kind.kind for r in found):
            picked = {name: dimensions[name] for name in kind.dimensions}
            found.append(
                Resource(kind=kind.kind, id="/".join(picked.values()), namespace=namespace, dimensions=picked)
            )
    return found


def named(kind: ResourceKind, name: str, via: ResourceVia) -> Resource:
    """A resource of a kind one dimension names (a function, a queue, a database), by that name."""
    namespace, entry = next((n, k) for n, k in kinds() if k.kind == kind and n is not None)
    (dimension,) = entry.dimensions
    return Resource(kind=kind, id=name, namespace=namespace.name, dimensions={dimension: name}, via=via)


def related_metrics(resource: Resource) -> tuple[RelatedMetric, ...]:
    entry = kind_of(resource.kind, resource.namespace) if resource.namespace else None
    return entry.related if entry else ()


def log_groups_of(resource: Resource) -> list[str]:
    """Log groups AWS itself writes for a resource, named from its dimensions; a trailing ``*`` marks a prefix."""
    entry = kind_of(resource.kind, resource.namespace)
    if entry is None or not all(name in resource.dimensions for name in entry.dimensions):
        return []
    return [template.format(**resource.dimensions) for template in entry.log_groups]


def describes() -> dict[str, Read]:
    """Every describe by the field it fills, its actions merged over the kinds that use it."""
    found: dict[str, Read] = {}
    for _, kind in kinds():
        if kind.describe:
            known = found.get(kind.describe.name, Read(kind.describe.name))
            found[kind.describe.name] = Read(known.name, known.actions | kind.describe.actions)
    return found


def locates() -> dict[str, Read]:
    """Every scope-step read by the Located field it fills, its actions merged over the kinds."""
    found: dict[str, Read] = {}
    for _, kind in kinds():
        if kind.locate:
            known = found.get(kind.locate.name, Read(kind.locate.name))
            found[kind.locate.name] = Read(known.name, known.actions | kind.locate.actions)
    return found


def kinds_described_by(name: str) -> frozenset[ResourceKind]:
    return frozenset(kind.kind for _, kind in kinds() if kind.describe and kind.describe.name == name)


def kinds_located_by(name: str) -> frozenset[ResourceKind]:
    return frozenset(kind.kind for _, kind in kinds() if kind.locate and kind.locate.name == name)


def described_by(resources: Iterable[Resource], name: str) -> list[Resource]:
    """The resources whose kind the describe of this name reads."""
    wanted = kinds_described_by(name)
    return [r for r in resources if r.kind in wanted]


def located_by(resources: Iterable[Resource], name: str) -> list[Resource]:
    """The resources whose configuration the scope step reads under this name."""
    wanted = kinds_located_by(name)
    return [r for r in resources if r.kind in wanted]


DIMENSION_FORMS: dict[tuple[str, str], DimensionForm] = {
    (namespace.name, dimension): form
    for namespace in NAMESPACES
    for dimension, form in namespace.forms.items()
}
