"""What we know about CloudWatch metrics: which ones to read per resource, their units and direction."""

from __future__ import annotations

import re
from typing import NamedTuple

from .events import Alarm
from .models import ResourceKind


class RelatedMetric(NamedTuple):
    name: str
    stat: str


_ALB = [
    RelatedMetric("TargetResponseTime", "Average"),
    RelatedMetric("RequestCount", "Sum"),
    RelatedMetric("HTTPCode_Target_5XX_Count", "Sum"),
]
_TARGET_HEALTH = [
    RelatedMetric("HealthyHostCount", "Minimum"),
    RelatedMetric("UnHealthyHostCount", "Maximum"),
]

# What to read next to an alarm, per (namespace, resource kind): NLBs publish other metrics than ALBs.
RELATED_METRICS: dict[tuple[str, ResourceKind], list[RelatedMetric]] = {
    ("AWS/ApplicationELB", "load_balancer"): [
        *_ALB,
        RelatedMetric("HTTPCode_ELB_5XX_Count", "Sum"),
        RelatedMetric("TargetConnectionErrorCount", "Sum"),
    ],
    ("AWS/ApplicationELB", "target_group"): [*_ALB, *_TARGET_HEALTH],
    ("AWS/NetworkELB", "load_balancer"): [
        RelatedMetric("ActiveFlowCount", "Average"),
        RelatedMetric("TCP_Target_Reset_Count", "Sum"),
        RelatedMetric("TCP_ELB_Reset_Count", "Sum"),
    ],
    ("AWS/NetworkELB", "target_group"): [*_TARGET_HEALTH, RelatedMetric("TCP_Target_Reset_Count", "Sum")],
    ("AWS/RDS", "rds_instance"): [
        RelatedMetric("DatabaseConnections", "Maximum"),
        RelatedMetric("FreeableMemory", "Minimum"),
        RelatedMetric("SwapUsage", "Maximum"),
        RelatedMetric("CPUUtilization", "Average"),
        RelatedMetric("ReadLatency", "Average"),
        RelatedMetric("WriteLatency", "Average"),
        RelatedMetric("DiskQueueDepth", "Average"),
    ],
    ("AWS/RDS", "rds_cluster"): [
        RelatedMetric("DatabaseConnections", "Maximum"),
        RelatedMetric("FreeableMemory", "Minimum"),
        RelatedMetric("CPUUtilization", "Average"),
    ],
    ("AWS/Lambda", "lambda_function"): [
        RelatedMetric("Invocations", "Sum"),
        RelatedMetric("Errors", "Sum"),
        RelatedMetric("Throttles", "Sum"),
        RelatedMetric("Duration", "Maximum"),
        RelatedMetric("ConcurrentExecutions", "Maximum"),
    ],
    ("AWS/ECS", "ecs_service"): [
        RelatedMetric("CPUUtilization", "Average"),
        RelatedMetric("MemoryUtilization", "Average"),
    ],
    ("AWS/EC2", "ec2_instance"): [
        RelatedMetric("CPUUtilization", "Average"),
        RelatedMetric("StatusCheckFailed", "Maximum"),
    ],
    ("AWS/SQS", "sqs_queue"): [
        RelatedMetric("ApproximateNumberOfMessagesVisible", "Maximum"),
        RelatedMetric("ApproximateAgeOfOldestMessage", "Maximum"),
    ],
    ("AWS/DynamoDB", "dynamodb_table"): [
        RelatedMetric("SuccessfulRequestLatency", "Average"),
        RelatedMetric("ThrottledRequests", "Sum"),
    ],
}

# Latency metrics, with the factor that turns their unit into milliseconds.
LATENCY_METRICS: dict[tuple[str, str], float] = {
    ("AWS/ApplicationELB", "TargetResponseTime"): 1000.0,
    ("AWS/ELB", "Latency"): 1000.0,
    ("AWS/ApiGateway", "Latency"): 1.0,
    ("AWS/ApiGateway", "IntegrationLatency"): 1.0,
    ("AWS/Lambda", "Duration"): 1.0,
    ("AWS/AppSync", "Latency"): 1.0,
    ("AWS/RDS", "ReadLatency"): 1000.0,
    ("AWS/RDS", "WriteLatency"): 1000.0,
}

# Metrics where a drop, not a rise, is the bad news.
LOW_IS_BAD = frozenset({"FreeableMemory", "HealthyHostCount", "FreeStorageSpace", "FreeLocalStorage"})

# Metrics that count errors the users of a front door see.
USER_FACING_ERRORS = frozenset(
    {
        ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
        ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"),
        ("AWS/ApiGateway", "5XXError"),
        ("AWS/ApiGateway", "5xx"),
        ("AWS/AppSync", "5XXError"),
    }
)

_EXTENDED_STAT = re.compile(r"^(p|tm|wm|tc|ts|pr)\(?\d|^iqm$", re.IGNORECASE)


def is_extended_statistic(stat: str) -> bool:
    """Percentiles and trimmed statistics, which some metrics and emulators reject."""
    return bool(_EXTENDED_STAT.match(stat))


def fallback_statistic(stat: str) -> str:
    """What to show instead of a rejected extended statistic: the maximum for tail percentiles."""
    digits = re.findall(r"\d+(?:\.\d+)?", stat)
    return "Maximum" if stat.lower().startswith("p") and digits and float(digits[0]) >= 90 else "Average"


def is_latency_metric(namespace: str, name: str) -> bool:
    return (namespace, name) in LATENCY_METRICS


def slow_threshold_ms(alarm: Alarm) -> float | None:
    """The alarm's threshold in milliseconds when it is a latency alarm that fires on high values."""
    metric = alarm.primary_metric
    # A math alarm's threshold applies to its expression, whose unit is not the metric's.
    if (
        alarm.type != "metric"
        or metric is None
        or alarm.threshold is None
        or alarm.breach_direction == "below"
    ):
        return None
    factor = LATENCY_METRICS.get((metric.metric.namespace, metric.metric.name))
    return alarm.threshold * factor if factor else None


class DimensionForm(NamedTuple):
    pattern: re.Pattern[str]
    expected: str


_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")

_TARGET_GROUP = DimensionForm(re.compile(r"^targetgroup/[^/]+/[0-9a-f]{16}$"), "targetgroup/<name>/<id>")

DIMENSION_FORMS: dict[tuple[str, str], DimensionForm] = {
    ("AWS/ApplicationELB", "LoadBalancer"): DimensionForm(
        re.compile(r"^app/[^/]+/[0-9a-f]{16}$"), "app/<name>/<id>"
    ),
    ("AWS/ApplicationELB", "TargetGroup"): _TARGET_GROUP,
    ("AWS/NetworkELB", "LoadBalancer"): DimensionForm(
        re.compile(r"^net/[^/]+/[0-9a-f]{16}$"), "net/<name>/<id>"
    ),
    ("AWS/NetworkELB", "TargetGroup"): _TARGET_GROUP,
    ("AWS/Lambda", "FunctionName"): DimensionForm(
        re.compile(r"^[A-Za-z0-9_-]{1,64}$"), "the function name (not an ARN)"
    ),
    ("AWS/SQS", "QueueName"): DimensionForm(
        re.compile(r"^[A-Za-z0-9_-]{1,80}(\.fifo)?$"), "the queue name (not a URL or ARN)"
    ),
    ("AWS/RDS", "DBInstanceIdentifier"): DimensionForm(
        re.compile(r"^[a-z][a-z0-9-]{0,62}$"), "the lowercase instance identifier (not an endpoint or ARN)"
    ),
    ("AWS/EC2", "InstanceId"): DimensionForm(re.compile(r"^i-[0-9a-f]{8,17}$"), "i-<hex id>"),
    ("AWS/ECS", "ClusterName"): DimensionForm(_NAME, "the cluster name (not an ARN)"),
    ("AWS/ECS", "ServiceName"): DimensionForm(_NAME, "the service name (not an ARN)"),
    ("AWS/DynamoDB", "TableName"): DimensionForm(_NAME, "the table name (not an ARN)"),
}
