"""What we know about CloudWatch metrics themselves: their units and direction, and which statistics
some reject. Which metrics to read for a resource, and the forms of its dimensions, are the service
catalog's (``catalog.py``)."""

from __future__ import annotations

import re

from .events import Alarm

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
    ("AWS/DynamoDB", "SuccessfulRequestLatency"): 1.0,
}

# Metrics where a drop, not a rise, is the bad news: free space and memory, healthy hosts, credits, days left.
LOW_IS_BAD = frozenset(
    {
        "FreeableMemory",
        "HealthyHostCount",
        "FreeStorageSpace",
        "FreeLocalStorage",
        "CPUCreditBalance",
        "BurstBalance",
        "BurstCreditBalance",
        "DaysToExpiry",
    }
)

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
