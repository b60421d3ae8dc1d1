"""Intake: the alarm state change events we accept, normalized into one ``Alarm``.

Accepted: the EventBridge "CloudWatch Alarm State Change" event (single-metric, metric-math,
anomaly-detection and composite alarms) and the payload CloudWatch sends when an alarm invokes a
Lambda function directly. Anything else raises ``InvalidAlarmEvent`` naming the offending field.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

StateValue = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]
AlarmType = Literal["metric", "math", "anomaly", "composite"]

ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"


class InvalidAlarmEvent(ValueError):
    """The input is not an alarm state change we can analyze; the message names the field."""


def _cloudwatch_timestamp(value: Any) -> Any:
    # CloudWatch writes "+0000" offsets, which ISO 8601 parsers want as "+00:00".
    if isinstance(value, str):
        return re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip())
    return value


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Timestamp = Annotated[datetime, BeforeValidator(_cloudwatch_timestamp), AfterValidator(_as_utc)]


def _json_object(value: Any) -> Any:
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg})") from None
    return value


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class MetricId(_Model):
    namespace: str = Field(min_length=1)
    name: str = Field(min_length=1)
    dimensions: dict[str, str] = Field(default_factory=dict)


class MetricStat(_Model):
    metric: MetricId
    period: int = Field(gt=0)
    stat: str = Field(min_length=1)
    unit: str | None = None


class MetricQuery(_Model):
    """One entry of ``configuration.metrics``: a metric or a math expression over metrics."""

    id: str = Field(min_length=1)
    metric_stat: MetricStat | None = Field(default=None, alias="metricStat")
    expression: str | None = None
    label: str | None = None
    return_data: bool = Field(default=True, alias="returnData")

    @model_validator(mode="after")
    def _metric_or_expression(self) -> MetricQuery:
        if (self.metric_stat is None) == (self.expression is None):
            raise ValueError("needs exactly one of metricStat or expression")
        return self


class AlarmState(_Model):
    value: StateValue
    reason: str = ""
    reason_data: Annotated[dict[str, Any], BeforeValidator(_json_object)] = Field(
        default_factory=dict, alias="reasonData"
    )
    timestamp: Timestamp


class AlarmConfiguration(_Model):
    description: str | None = None
    metrics: list[MetricQuery] = Field(default_factory=list)
    alarm_rule: str | None = Field(default=None, alias="alarmRule")

    @model_validator(mode="after")
    def _metrics_or_rule(self) -> AlarmConfiguration:
        if not self.metrics and not self.alarm_rule:
            raise ValueError("needs metrics (metric alarm) or alarmRule (composite alarm)")
        return self


class AlarmDetail(_Model):
    alarm_name: str = Field(alias="alarmName", min_length=1)
    state: AlarmState
    previous_state: AlarmState | None = Field(default=None, alias="previousState")
    configuration: AlarmConfiguration
    alarm_tags: dict[str, str] | None = Field(default=None, alias="alarmTags")


class EventBridgeAlarmEvent(_Model):
    detail_type: Literal["CloudWatch Alarm State Change"] = Field(alias="detail-type")
    source: Literal["aws.cloudwatch"]
    account: str | None = None  # always sent by AWS; derived from the alarm ARN when missing
    region: str = Field(min_length=1)
    resources: list[str] = Field(min_length=1)
    detail: AlarmDetail


class LambdaAlarmAction(_Model):
    source: Literal["aws.cloudwatch"]
    alarm_arn: str = Field(alias="alarmArn", min_length=1)
    account_id: str = Field(alias="accountId", min_length=1)
    region: str = Field(min_length=1)
    alarm_data: AlarmDetail = Field(alias="alarmData")


_RULE_OPERAND = re.compile(r"\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*\"?([^\")]+?)\"?\s*\)")


class Alarm(_Model):
    """The alarm state change every gatherer and rule works from."""

    name: str
    arn: str
    account: str
    region: str
    type: AlarmType
    state: StateValue
    previous_state: StateValue | None
    reason: str
    reason_data: dict[str, Any]
    state_changed_at: datetime
    description: str | None
    queries: list[MetricQuery]
    alarm_rule: str | None
    tags: dict[str, str] | None  # None: the event did not carry tags (look them up)

    @property
    def incident_id(self) -> str:
        """Stable for one state change: the same alarm ARN and state timestamp give the same id."""
        key = f"{self.arn}|{self.state_changed_at.isoformat()}"
        return "inc-" + hashlib.sha256(key.encode()).hexdigest()[:20]

    @property
    def metric_stats(self) -> list[MetricStat]:
        return [q.metric_stat for q in self.queries if q.metric_stat is not None]

    @property
    def primary_metric(self) -> MetricStat | None:
        """The metric the alarm is "about": the returned metric, else the first input of the math."""
        returned = [q.metric_stat for q in self.queries if q.metric_stat is not None and q.return_data]
        candidates = returned or self.metric_stats
        return candidates[0] if candidates else None

    @property
    def period(self) -> int | None:
        if self.metric_stats:
            return max(m.period for m in self.metric_stats)
        period = self.reason_data.get("period")
        return int(period) if isinstance(period, int | float) and period > 0 else None

    @property
    def evaluated_periods(self) -> int:
        """How many periods the alarm looked at, as far as the event tells."""
        data = self.reason_data
        return max(len(data.get("evaluatedDatapoints") or []), len(data.get("recentDatapoints") or []), 1)

    @property
    def threshold(self) -> float | None:
        value = self.reason_data.get("threshold")
        return float(value) if isinstance(value, int | float) else None

    @property
    def breach_direction(self) -> Literal["above", "below"] | None:
        """Whether the alarm fires on high or on low values, as far as the event tells."""
        data = self.reason_data
        recent = data.get("recentDatapoints") or []
        threshold = self.threshold
        if recent and threshold is not None and self.state == "ALARM" and recent[-1] != threshold:
            return "above" if recent[-1] > threshold else "below"
        lower, upper = data.get("recentLowerThresholds") or [], data.get("recentUpperThresholds") or []
        if recent and lower and recent[-1] < lower[-1]:
            return "below"
        if recent and upper and recent[-1] > upper[-1]:
            return "above"
        reason = self.reason.lower()
        if "greater than" in reason and "not greater than" not in reason:
            return "above"
        if "less than" in reason and "not less than" not in reason:
            return "below"
        return None

    @property
    def child_alarms(self) -> list[str]:
        """Alarm names (or ARNs) a composite alarm's rule refers to."""
        return _RULE_OPERAND.findall(self.alarm_rule or "")


def _alarm_type(configuration: AlarmConfiguration) -> AlarmType:
    if configuration.alarm_rule:
        return "composite"
    expressions = [q.expression or "" for q in configuration.metrics]
    if any("ANOMALY_DETECTION_BAND" in e.upper() for e in expressions):
        return "anomaly"
    if any(expressions) or len(configuration.metrics) > 1:
        return "math"
    return "metric"


def _account_of(arn: str, field: str = "resources.0") -> str:
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "cloudwatch" or parts[5] != "alarm":
        raise InvalidAlarmEvent(f"{field}: not a CloudWatch alarm ARN: {arn!r}")
    return parts[4]


def _from_detail(detail: AlarmDetail, arn: str, account: str | None, region: str, arn_field: str) -> Alarm:
    arn_account = _account_of(arn, arn_field)
    return Alarm(
        name=detail.alarm_name,
        arn=arn,
        account=account or arn_account,
        region=region,
        type=_alarm_type(detail.configuration),
        state=detail.state.value,
        previous_state=detail.previous_state.value if detail.previous_state else None,
        reason=detail.state.reason,
        reason_data=detail.state.reason_data,
        state_changed_at=detail.state.timestamp,
        description=detail.configuration.description,
        queries=detail.configuration.metrics,
        alarm_rule=detail.configuration.alarm_rule,
        tags=detail.alarm_tags,
    )


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "event"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def parse_alarm_event(payload: Any) -> Alarm:
    """Validate an incoming event and normalize it; raise InvalidAlarmEvent naming the bad field."""
    if not isinstance(payload, Mapping):
        raise InvalidAlarmEvent(f"event: expected a JSON object, got {type(payload).__name__}")
    try:
        if "alarmData" in payload:
            action = LambdaAlarmAction.model_validate(payload)
            return _from_detail(
                action.alarm_data, action.alarm_arn, action.account_id, action.region, "alarmArn"
            )
        if "detail-type" in payload or "detail" in payload:
            event = EventBridgeAlarmEvent.model_validate(payload)
            return _from_detail(event.detail, event.resources[0], event.account, event.region, "resources.0")
    except ValidationError as exc:
        raise InvalidAlarmEvent(_describe(exc)) from None
    raise InvalidAlarmEvent(
        "event: not an alarm state change (expected an EventBridge "
        f"'{ALARM_STATE_CHANGE}' event or a CloudWatch Lambda alarm action with 'alarmData')"
    )


def _cloudwatch_time(value: datetime) -> str:
    return _as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def queries_of(described: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The event's ``configuration.metrics`` for a metric alarm as DescribeAlarms returns it."""
    if described.get("Metrics"):
        queries = []
        for query in described["Metrics"]:
            entry: dict[str, Any] = {"id": query["Id"], "returnData": query.get("ReturnData", True)}
            if "MetricStat" in query:
                stat = query["MetricStat"]
                entry["metricStat"] = {
                    "metric": {
                        "namespace": stat["Metric"]["Namespace"],
                        "name": stat["Metric"]["MetricName"],
                        "dimensions": {d["Name"]: d["Value"] for d in stat["Metric"].get("Dimensions", [])},
                    },
                    "period": stat["Period"],
                    "stat": stat["Stat"],
                }
            else:
                entry |= {"expression": query["Expression"], "label": query.get("Label")}
            queries.append(entry)
        return queries
    return [
        {
            "id": "m1",
            "metricStat": {
                "metric": {
                    "namespace": described["Namespace"],
                    "name": described["MetricName"],
                    "dimensions": {d["Name"]: d["Value"] for d in described.get("Dimensions", [])},
                },
                "period": described["Period"],
                "stat": described.get("ExtendedStatistic") or described["Statistic"],
            },
            "returnData": True,
        }
    ]


def event_from_alarm(
    described: Mapping[str, Any], region: str, at: datetime | None = None, previous_state: str | None = None
) -> dict[str, Any]:
    """The EventBridge event CloudWatch would send for an alarm as DescribeAlarms returns it.

    ``at`` re-anchors the analysis at another moment (``investigate --at``); otherwise the alarm's
    last state change is the anchor. DescribeAlarms does not say the previous state; pass it if known.
    """
    arn = described["AlarmArn"]
    changed = at or described["StateUpdatedTimestamp"]
    if isinstance(changed, str):
        changed = datetime.fromisoformat(_cloudwatch_timestamp(changed))
    configuration: dict[str, Any] = {"description": described.get("AlarmDescription")}
    if described.get("AlarmRule"):
        configuration["alarmRule"] = described["AlarmRule"]
    else:
        configuration["metrics"] = queries_of(described)
    detail: dict[str, Any] = {
        "alarmName": described["AlarmName"],
        "configuration": configuration,
        "state": {
            "value": described["StateValue"],
            "reason": described.get("StateReason", ""),
            "reasonData": described.get("StateReasonData") or "{}",
            "timestamp": _cloudwatch_time(changed),
        },
    }
    if previous_state:
        detail["previousState"] = {"value": previous_state, "timestamp": _cloudwatch_time(changed)}
    return {
        "version": "0",
        "id": hashlib.sha256(f"{arn}|{changed}".encode()).hexdigest()[:32],
        "detail-type": ALARM_STATE_CHANGE,
        "source": "aws.cloudwatch",
        "account": _account_of(arn, "AlarmArn"),
        "time": _as_utc(changed).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [arn],
        "detail": detail,
    }
