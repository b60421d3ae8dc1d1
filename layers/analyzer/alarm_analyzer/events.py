"""Intake: the alarm state change events we accept, normalized into one ``Alarm``.

Accepted: the EventBridge "CloudWatch Alarm State Change" event (single-metric, metric-math,
anomaly-detection and composite alarms) and the payload CloudWatch sends when an alarm invokes a
Lambda function directly. Anything else raises ``InvalidAlarmEvent`` with one line naming the offending
field, so the CLI exits 2 and the workflow's dead-letter message says why.

Strict, because the event decides what the gatherers query and over which hours: every field is held
to what AWS itself can send. Lengths and counts are CloudWatch's API limits (PutMetricAlarm,
PutCompositeAlarm, DescribeAlarms and TagResource in the API reference; a unit test compares them with
botocore's service model), the whole event is at most what EventBridge and Step Functions carry,
numbers are finite, JSON types are not coerced ("300" is not a period), and times fall between
CloudWatch's launch and now.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)

StateValue = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]
AlarmType = Literal["metric", "math", "anomaly", "composite"]
Unit = Literal[
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
    "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
    "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
    "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
    "Count/Second", "None",
]  # fmt: skip

ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"

# EventBridge takes entries up to 256 KB and Step Functions inputs up to 256 KiB: nothing larger
# reaches a gatherer in Lambda, so nothing larger is an alarm event in the CLI either.
MAX_EVENT_BYTES = 256 * 1024
# The deepest field of an alarm event (an evaluated datapoint's timestamp inside reasonData) is 6
# levels down; anything far deeper is not from CloudWatch and would only exhaust the parsers.
MAX_DEPTH = 32
# CloudWatch's API limits.
MAX_NAME = 255  # alarm, namespace, metric and dimension names, query ids
MAX_ARN = 1600
MAX_DESCRIPTION = 1024
MAX_REASON = 1023
MAX_REASON_DATA = 4000
MAX_DIMENSIONS = 30
MAX_DIMENSION_VALUE = 1024
MAX_EXPRESSION = 2048
MAX_QUERIES = 20
MAX_QUERIES_OF_A_KIND = 10  # of those 20, at most 10 metrics and 10 expressions
MAX_ALARM_RULE = 10_240
MAX_RULE_CHILDREN = 100
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
MAX_PERIOD = 7 * 24 * 3600  # period x evaluation periods is at most 7 days
# CloudWatch opened in 2009: no state change is older. AWS refuses requests signed more than 5 minutes
# off its clock, so a machine able to gather evidence is not further off than that.
EARLIEST = datetime(2009, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)

# Every region name AWS has used: a two-to-four letter area, one to three words, a number
# (us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1).
REGION = re.compile(r"[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}")
ACCOUNT = re.compile(r"\d{12}")
ALARM_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:cloudwatch:(?P<region>[^:]*):(?P<account>[^:]*):alarm:.+", re.DOTALL
)
# CloudWatch's names and texts are XML text: no control characters but tab and line breaks, and no
# unpaired surrogates. (So no terminal escape sequence reaches a report either.)
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class InvalidAlarmEvent(ValueError):
    """The input is not an alarm state change we can analyze; the message names the field."""


def _text(value: str) -> str:
    found = _NOT_TEXT.search(value)
    if found:
        raise ValueError(
            f"contains the control character U+{ord(found.group()):04X}, which CloudWatch does not allow"
        )
    return value


def _region(value: str) -> str:
    if not REGION.fullmatch(value):
        raise ValueError("not an AWS region name")
    return value


def _account(value: str) -> str:
    if not ACCOUNT.fullmatch(value):
        raise ValueError("not a 12-digit AWS account id")
    return value


def _namespace(value: str) -> str:
    if value.startswith(":"):
        raise ValueError("a namespace cannot start with ':'")
    return value


def _period(value: int) -> int:
    if not 1 <= value <= MAX_PERIOD:
        raise ValueError(f"a period is 1 to {MAX_PERIOD} seconds (7 days)")
    return value


Text = Annotated[str, AfterValidator(_text)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), AfterValidator(_text)]
Namespace = Annotated[Name, AfterValidator(_namespace)]
DimensionValue = Annotated[str, Field(min_length=1, max_length=MAX_DIMENSION_VALUE), AfterValidator(_text)]
Expression = Annotated[str, Field(min_length=1, max_length=MAX_EXPRESSION), AfterValidator(_text)]
Description = Annotated[str, Field(max_length=MAX_DESCRIPTION), AfterValidator(_text)]
Reason = Annotated[str, Field(max_length=MAX_REASON), AfterValidator(_text)]
Arn = Annotated[str, Field(min_length=1, max_length=MAX_ARN), AfterValidator(_text)]
TagKey = Annotated[str, Field(min_length=1, max_length=MAX_TAG_KEY), AfterValidator(_text)]
TagValue = Annotated[str, Field(max_length=MAX_TAG_VALUE), AfterValidator(_text)]
Region = Annotated[str, Field(max_length=64), AfterValidator(_region)]
AccountId = Annotated[str, Field(max_length=64), AfterValidator(_account)]
Period = Annotated[int, AfterValidator(_period)]


def _iso(value: str) -> str:
    # CloudWatch writes "+0000" offsets, which ISO 8601 parsers want as "+00:00".
    return re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip())


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The clock a state change may not be later than (tests that replay the future move it)."""
    return datetime.now(UTC)


def _timestamp(value: Any, info: ValidationInfo) -> datetime:
    """A time CloudWatch could have written: an ISO 8601 string, since 2009, not in the future."""
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 time as a string")
    try:
        moment = _as_utc(datetime.fromisoformat(_iso(value[:64])))
    except (ValueError, OverflowError):
        raise ValueError("not an ISO 8601 time") from None
    now: datetime = (info.context or {}).get("now") or utcnow()
    if moment < EARLIEST:
        raise ValueError(f"{moment:%Y-%m-%d} is before CloudWatch existed (2009)")
    if moment > now + CLOCK_SKEW:
        raise ValueError(f"{moment:%Y-%m-%dT%H:%M:%SZ} is in the future (now is {now:%Y-%m-%dT%H:%M:%SZ})")
    return moment


Timestamp = Annotated[datetime, BeforeValidator(_timestamp)]


def _depth(value: Any) -> int:
    """How deeply a JSON value nests (up to just past MAX_DEPTH), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= MAX_DEPTH:
        current, depth = stack.pop()
        if isinstance(current, Mapping | list):
            deepest = max(deepest, depth)
            stack.extend(
                (child, depth + 1)
                for child in (current.values() if isinstance(current, Mapping) else current)
            )
    return deepest


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def decode_json(text: str, non_finite: bool = False) -> Any:
    """JSON as RFC 8259 has it, unless ``non_finite`` lets NaN and Infinity through for the fields
    to refuse by name. Raises ValueError, also for nesting too deep to parse."""
    try:
        decoded = json.loads(text) if non_finite else json.loads(text, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise ValueError("not JSON (nested too deeply)") from None
    if _depth(decoded) > MAX_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
    return decoded


def _reason_data(value: Any) -> Any:
    """CloudWatch sends reasonData as a JSON string of at most 4000 characters; decode it."""
    if value is None:
        return {}
    if not isinstance(value, str):
        return value
    if len(value) > MAX_REASON_DATA:
        raise ValueError(f"over {MAX_REASON_DATA} characters, more than CloudWatch writes")
    return decode_json(value, non_finite=True) if value.strip() else {}


_RULE_OPERAND = re.compile(r'\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*+(?:"([^"]*+)"|([^"()]*+))\s*+\)')


def rule_children(rule: str) -> list[str]:
    """The alarm names (or ARNs) a composite alarm's rule refers to, each once, in order."""
    names = (quoted or bare.strip() for quoted, bare in _RULE_OPERAND.findall(rule))
    return list(dict.fromkeys(name for name in names if name))


def _alarm_rule(rule: str) -> str:
    if len(rule_children(rule)) > MAX_RULE_CHILDREN:
        raise ValueError(
            f"refers to more than {MAX_RULE_CHILDREN} alarms, CloudWatch's limit for a composite alarm"
        )
    return rule


AlarmRule = Annotated[
    str, Field(min_length=1, max_length=MAX_ALARM_RULE), AfterValidator(_text), AfterValidator(_alarm_rule)
]


class _Model(BaseModel):
    # Strict: AWS sends JSON types, so "300" is no period and true is no number.
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, strict=True, allow_inf_nan=False
    )


class MetricId(_Model):
    namespace: Namespace
    name: Name
    dimensions: dict[Name, DimensionValue] = Field(default_factory=dict, max_length=MAX_DIMENSIONS)


class MetricStat(_Model):
    metric: MetricId
    period: Period
    stat: Name
    unit: Unit | None = None


class MetricQuery(_Model):
    """One entry of ``configuration.metrics``: a metric or a math expression over metrics."""

    id: Name
    metric_stat: MetricStat | None = Field(default=None, alias="metricStat")
    expression: Expression | None = None
    label: Text | None = None
    period: Period | None = None  # an expression's own period (Metrics Insights queries)
    return_data: bool = Field(default=True, alias="returnData")

    @model_validator(mode="after")
    def _metric_or_expression(self) -> MetricQuery:
        if (self.metric_stat is None) == (self.expression is None):
            raise ValueError("needs exactly one of metricStat or expression")
        return self


def _query_kinds(queries: list[MetricQuery]) -> list[MetricQuery]:
    metrics = sum(1 for q in queries if q.metric_stat is not None)
    if max(metrics, len(queries) - metrics) > MAX_QUERIES_OF_A_KIND:
        raise ValueError(
            f"{metrics} metrics and {len(queries) - metrics} expressions; CloudWatch allows an alarm "
            f"{MAX_QUERIES_OF_A_KIND} of each"
        )
    return queries


class EvaluatedDatapoint(_Model):
    timestamp: Timestamp
    sample_count: Annotated[float, Field(ge=0)] | None = Field(default=None, alias="sampleCount")
    value: float | None = None


class TriggeringState(_Model):
    value: StateValue
    timestamp: Timestamp | None = None


class TriggeringAlarm(_Model):
    arn: Arn
    state: TriggeringState | None = None


class ReasonData(_Model):
    """What CloudWatch wrote about the evaluation; fields not declared here are kept as they came."""

    model_config = ConfigDict(extra="allow")

    query_date: Timestamp | None = Field(default=None, alias="queryDate")
    start_date: Timestamp | None = Field(default=None, alias="startDate")
    statistic: Name | None = None
    period: Period | None = None
    threshold: float | None = None
    recent_datapoints: list[float] = Field(default_factory=list, alias="recentDatapoints")
    evaluated_datapoints: list[EvaluatedDatapoint] = Field(default_factory=list, alias="evaluatedDatapoints")
    recent_lower_thresholds: list[float] = Field(default_factory=list, alias="recentLowerThresholds")
    recent_upper_thresholds: list[float] = Field(default_factory=list, alias="recentUpperThresholds")
    triggering_alarms: list[TriggeringAlarm] = Field(default_factory=list, alias="triggeringAlarms")


class AlarmState(_Model):
    value: StateValue
    reason: Reason = ""
    reason_data: Annotated[ReasonData, BeforeValidator(_reason_data)] = Field(
        default_factory=ReasonData, alias="reasonData"
    )
    timestamp: Timestamp


class AlarmConfiguration(_Model):
    description: Description | None = None
    metrics: Annotated[list[MetricQuery], Field(max_length=MAX_QUERIES), AfterValidator(_query_kinds)] = (
        Field(default_factory=list)
    )
    alarm_rule: AlarmRule | None = Field(default=None, alias="alarmRule")

    @model_validator(mode="after")
    def _metrics_or_rule(self) -> AlarmConfiguration:
        if not self.metrics and not self.alarm_rule:
            raise ValueError("needs metrics (metric alarm) or alarmRule (composite alarm)")
        return self


class AlarmDetail(_Model):
    alarm_name: Name = Field(alias="alarmName")
    state: AlarmState
    previous_state: AlarmState | None = Field(default=None, alias="previousState")
    configuration: AlarmConfiguration
    alarm_tags: dict[TagKey, TagValue] | None = Field(default=None, alias="alarmTags", max_length=MAX_TAGS)


class EventBridgeAlarmEvent(_Model):
    detail_type: Literal["CloudWatch Alarm State Change"] = Field(alias="detail-type")
    source: Literal["aws.cloudwatch"]
    account: AccountId | None = None  # always sent by AWS; derived from the alarm ARN when missing
    region: Region
    time: Timestamp | None = None
    detail: AlarmDetail  # before resources: a bad alarm name is named as such, not as a bad ARN
    resources: list[Arn] = Field(min_length=1)


class LambdaAlarmAction(_Model):
    source: Literal["aws.cloudwatch"]
    account_id: AccountId = Field(alias="accountId")
    region: Region
    time: Timestamp | None = None
    alarm_data: AlarmDetail = Field(alias="alarmData")
    alarm_arn: Arn = Field(alias="alarmArn")


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
    reason_data: dict[str, Any]  # as validated by ReasonData, in its JSON form
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
        return period if isinstance(period, int) else None

    @property
    def evaluated_periods(self) -> int:
        """How many periods the alarm looked at, as far as the event tells."""
        data = self.reason_data
        return max(len(data.get("evaluatedDatapoints", [])), len(data.get("recentDatapoints", [])), 1)

    @property
    def threshold(self) -> float | None:
        value = self.reason_data.get("threshold")
        return float(value) if isinstance(value, int | float) else None

    @property
    def breach_direction(self) -> Literal["above", "below"] | None:
        """Whether the alarm fires on high or on low values, as far as the event tells: CloudWatch's
        reason names the comparison ("were greater than the threshold"); a band's, the datapoints.
        The last datapoint alone can mislead: an M-of-N alarm fires with its newest point back in range."""
        reason = self.reason.lower()
        above = "greater than" in reason and "not greater than" not in reason
        below = "less than" in reason and "not less than" not in reason
        if above != below:  # a band alarm's reason names both sides: its datapoints tell which
            return "above" if above else "below"
        data = self.reason_data
        recent = data.get("recentDatapoints", [])
        threshold = self.threshold
        lower, upper = data.get("recentLowerThresholds", []), data.get("recentUpperThresholds", [])
        if recent and lower and recent[-1] < lower[-1]:
            return "below"
        if recent and upper and recent[-1] > upper[-1]:
            return "above"
        if recent and threshold is not None and self.state == "ALARM" and recent[-1] != threshold:
            return "above" if recent[-1] > threshold else "below"
        return None

    @property
    def child_alarms(self) -> list[str]:
        """Alarm names (or ARNs) a composite alarm's rule refers to."""
        return rule_children(self.alarm_rule or "")


def _alarm_type(configuration: AlarmConfiguration) -> AlarmType:
    if configuration.alarm_rule:
        return "composite"
    expressions = [q.expression or "" for q in configuration.metrics]
    if any("ANOMALY_DETECTION_BAND" in e.upper() for e in expressions):
        return "anomaly"
    if any(expressions) or len(configuration.metrics) > 1:
        return "math"
    return "metric"


def _clip(value: str, limit: int = 60) -> str:
    shown = value if value.isprintable() else value.encode("unicode_escape", "backslashreplace").decode()
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _account_of(
    arn: str, field: str = "resources.0", region: str | None = None, account: str | None = None
) -> str:
    """The account of a CloudWatch alarm ARN, which must agree with the event's region and account."""
    match = ALARM_ARN.fullmatch(arn)
    if not match or not REGION.fullmatch(match["region"]) or not ACCOUNT.fullmatch(match["account"]):
        raise InvalidAlarmEvent(f"{field}: not a CloudWatch alarm ARN: {_clip(arn)!r}")
    if region is not None and match["region"] != region:
        raise InvalidAlarmEvent(f"{field}: the alarm is in {match['region']}, the event says {region}")
    if account is not None and match["account"] != account:
        raise InvalidAlarmEvent(
            f"{field}: the alarm is in account {match['account']}, the event says {account}"
        )
    return match["account"]


def _from_detail(detail: AlarmDetail, arn: str, account: str | None, region: str, arn_field: str) -> Alarm:
    return Alarm(
        name=detail.alarm_name,
        arn=arn,
        account=_account_of(arn, arn_field, region, account),
        region=region,
        type=_alarm_type(detail.configuration),
        state=detail.state.value,
        previous_state=detail.previous_state.value if detail.previous_state else None,
        reason=detail.state.reason,
        reason_data=detail.state.reason_data.model_dump(mode="json", by_alias=True, exclude_unset=True),
        state_changed_at=detail.state.timestamp,
        description=detail.configuration.description,
        queries=detail.configuration.metrics,
        alarm_rule=detail.configuration.alarm_rule,
        tags=detail.alarm_tags,
    )


def _describe(error: ValidationError) -> str:
    """The first error as one line: where (dotted, each part clipped), then what."""
    first = error.errors(include_url=False)[0]
    loc = [str(part) for part in first["loc"]]
    what = " ".join(first["msg"].removeprefix("Value error, ").split())
    if loc[-1:] == ["[key]"]:  # a mapping's key is at fault: name the mapping, then the key
        *loc, key, _ = loc
        what = f"key {_clip(key, 40)!r}: {what}"
    where = ".".join(_clip(part, 40) for part in loc) or "event"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {_clip(what, 160)}{more}"


def _check_shape(payload: Mapping[str, Any]) -> None:
    """Depth first (a deep value would exhaust the serializer), then size."""
    if _depth(payload) > MAX_DEPTH:
        raise InvalidAlarmEvent(f"event: nested deeper than {MAX_DEPTH} levels; CloudWatch's events are not")
    try:
        encoded = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError) as exc:
        raise InvalidAlarmEvent(f"event: not a JSON object ({_clip(str(exc))})") from None
    size = len(encoded.encode("utf-8", "surrogatepass"))
    if size > MAX_EVENT_BYTES:
        raise InvalidAlarmEvent(f"event: {size:,} bytes, over the 256 KB an EventBridge event can carry")


def parse_alarm_event(payload: Any, now: datetime | None = None) -> Alarm:
    """Validate an incoming event and normalize it; raise InvalidAlarmEvent naming the bad field.

    ``now`` is the moment no state change may be later than (beyond clock skew); default the clock.
    """
    if not isinstance(payload, Mapping):
        raise InvalidAlarmEvent(f"event: expected a JSON object, got {type(payload).__name__}")
    _check_shape(payload)
    context = {"now": now or utcnow()}
    try:
        if "alarmData" in payload:
            action = LambdaAlarmAction.model_validate(payload, context=context)
            return _from_detail(
                action.alarm_data, action.alarm_arn, action.account_id, action.region, "alarmArn"
            )
        if "detail-type" in payload or "detail" in payload:
            event = EventBridgeAlarmEvent.model_validate(payload, context=context)
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
        changed = datetime.fromisoformat(_iso(changed))
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
