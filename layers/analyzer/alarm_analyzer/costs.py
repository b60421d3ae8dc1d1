"""What one analysis costs, estimated from what it used, at the list prices below.

Prices are AWS's published on-demand list prices for us-east-1 (other regions differ by a few
percent); free tiers are ignored, so the estimate is an upper bound for a small account. Update the
table when AWS changes a price: it is the only place they live.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import Model


class CostItem(Model):
    name: str  # a key of PRICES
    units: float
    usd: float


# USD per unit.
PRICES: Mapping[str, float] = {
    "lambda_gb_second": 0.0000133334,  # arm64 (Graviton) duration
    "lambda_request": 0.20 / 1_000_000,
    "state_transition": 0.025 / 1_000,  # Step Functions Standard
    "metric_requested": 0.01 / 1_000,  # GetMetricData, per metric in a query
    "cloudwatch_request": 0.01 / 1_000,  # other CloudWatch API requests (DescribeAlarms, ListMetrics...)
    "trace_read": 0.50 / 1_000_000,  # X-Ray traces retrieved or scanned
    "sns_publish": 0.50 / 1_000_000,
    "email_delivery": 2.00 / 100_000,
    "dynamodb_write": 0.625 / 1_000_000,  # on-demand write request units
    "dynamodb_read": 0.125 / 1_000_000,
    "s3_put": 0.005 / 1_000,
}

# Free per request: CloudWatch Logs FilterLogEvents/DescribeLogGroups, CloudTrail LookupEvents, the
# describe calls of ELB, ECS, RDS, EC2, SQS, Lambda, CodeDeploy, AppConfig and CloudFormation.
CLOUDWATCH_BILLED_CALLS = frozenset(
    {"DescribeAlarms", "DescribeAlarmHistory", "ListMetrics", "ListTagsForResource"}
)
DEFAULT_MEMORY_MB = 512  # the template's Globals


def billed_units(service: str, operation: str, params: Mapping[str, Any]) -> dict[str, float]:
    """The priced units one API call uses, from its request (traces scanned come from its response)."""
    if service == "cloudwatch" and operation == "GetMetricData":
        return {"metric_requested": len(params.get("MetricDataQueries") or [])}
    if service == "cloudwatch" and operation in CLOUDWATCH_BILLED_CALLS:
        return {"cloudwatch_request": 1}
    if service == "xray" and operation == "BatchGetTraces":
        return {"trace_read": len(params.get("TraceIds") or [])}
    return {}


def estimate(
    usage: Mapping[str, float], durations_ms: Mapping[str, int], memory_mb: int = DEFAULT_MEMORY_MB
) -> list[CostItem]:
    """Cost items of one analysis.

    ``usage`` counts units by price name (metrics requested, traces read, state transitions...) and
    billed CloudWatch requests; ``durations_ms`` is each Lambda function's run.
    """
    gb_seconds = sum(durations_ms.values()) / 1000 * memory_mb / 1024
    units = {
        **usage,
        "lambda_gb_second": gb_seconds,
        "lambda_request": len(durations_ms),
    }
    return [
        CostItem(name=name, units=round(amount, 3), usd=round(amount * PRICES[name], 8))
        for name, amount in units.items()
        if amount and name in PRICES
    ]
