"""Hostile and unusual input for the intake, as data: what AWS can send (accepted, analyzed) and what it
cannot (refused with the offending field named).

Each malformed kind is one edit of an AWS-documented sample event (or raw bytes for the file the CLI
reads) and the field the refusal must name. The kinds cover every field of both event shapes and each
failure class: wrong types, missing fields, out-of-range values, oversized values, bad encodings, bad
JSON. The valid kinds sit at AWS's own limits.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import load

DELETE = object()
Path = tuple[str | int, ...]

_STATE = ("detail", "state")
_REASON = (*_STATE, "reasonData")
_CONFIG = ("detail", "configuration")
_METRIC = (*_CONFIG, "metrics", 0)
_STAT = (*_METRIC, "metricStat")
_DIMENSIONS = (*_STAT, "metric", "dimensions")
_LAMBDA_STATE = ("alarmData", "state")

SAMPLES = {
    "metric": "aws/eb-single-metric.json",
    "math": "aws/eb-metric-math.json",
    "anomaly": "aws/eb-anomaly-detection.json",
    "composite": "aws/eb-composite.json",
    "lambda": "aws/lambda-alarm-action.json",
    "lambda-composite": "aws/lambda-alarm-action-composite.json",
}


def _cloudwatch_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _in(now: timedelta) -> str:
    return _cloudwatch_time(datetime.now(UTC) + now)


def _reason(**fields: Any) -> str:
    """The sample's reasonData (a JSON string, as CloudWatch sends it) with some fields replaced."""
    data: dict[str, Any] = {
        "version": "1.0",
        "queryDate": "2019-10-02T17:04:40.985+0000",
        "startDate": "2019-10-02T16:59:00.000+0000",
        "statistic": "Average",
        "period": 300,
        "recentDatapoints": [99.50160229693434],
        "threshold": 50.0,
    }
    return json.dumps(data | fields)  # NaN and Infinity are written as JavaScript literals on purpose


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"deeper": value}
    return value


def _metric_query(index: int) -> dict[str, Any]:
    return {
        "id": f"m{index}",
        "metricStat": {
            "metric": {
                "namespace": "AWS/EC2",
                "name": "CPUUtilization",
                "dimensions": {"InstanceId": f"i-{index:017d}"},
            },
            "period": 300,
            "stat": "Average",
        },
        "returnData": False,
    }


def _expression(index: int, expression: str) -> dict[str, Any]:
    return {"id": f"e{index}", "expression": expression, "returnData": index == 1}


def _rule(children: int, name_length: int = 6) -> str:
    return " OR ".join(f"ALARM({'c' * (name_length - 5)}{i:05d})" for i in range(children))


@dataclass(frozen=True)
class Kind:
    """One input: a sample with edits (``path -> value``; DELETE removes), or raw file bytes."""

    name: str
    sample: str = "metric"
    edits: dict[Path, Any] = field(default_factory=dict)
    raw: Callable[[], bytes] | None = None
    field: str = ""  # the field a refusal names (the start of the message)
    before: str = ""  # what `replay` did before the strict intake (measured): "crash" or "accepted"

    def payload(self) -> Any:
        event = load(SAMPLES[self.sample])
        for path, value in self.edits.items():
            if not path:
                return value
            *parents, last = path
            target = event
            for part in parents:
                target = target[part]
            if value is DELETE:
                del target[last]
            else:
                target[last] = copy.deepcopy(value) if not callable(value) else value()
        return event

    def file_bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw()
        return json.dumps(self.payload()).encode()


def _name(name: str, sample: str = "metric") -> dict[Path, Any]:
    region_account = "us-east-1:123456789012" if sample != "lambda" else "us-east-1:444455556666"
    arn = f"arn:aws:cloudwatch:{region_account}:alarm:{name}"
    if sample == "lambda":
        return {("alarmArn",): arn, ("alarmData", "alarmName"): name}
    return {("resources",): [arn], ("detail", "alarmName"): name}


MALFORMED: list[Kind] = [
    # --- the envelope
    Kind("list instead of an object", edits={(): []}, field="event"),
    Kind("string instead of an object", edits={(): "ALARM"}, field="event"),
    Kind("null", edits={(): None}, field="event"),
    Kind("another AWS event", edits={(): {"Records": [{"eventSource": "aws:sqs"}]}}, field="event"),
    Kind(
        "another detail-type",
        edits={("detail-type",): "EC2 Instance State-change Notification"},
        field="detail-type",
    ),
    Kind("detail-type missing", edits={("detail-type",): DELETE}, field="detail-type"),
    Kind("source of another service", edits={("source",): "aws.ec2"}, field="source"),
    Kind("source a number", edits={("source",): 1}, field="source"),
    Kind("region a path", edits={("region",): "../../etc/passwd"}, field="region", before="accepted"),
    Kind("region empty", edits={("region",): ""}, field="region"),
    Kind("region in capitals", edits={("region",): "US-EAST-1"}, field="region", before="accepted"),
    Kind("region a number", edits={("region",): 1}, field="region"),
    Kind(
        "region other than the alarm's",
        edits={("region",): "eu-west-1"},
        field="resources.0",
        before="accepted",
    ),
    Kind("account with letters", edits={("account",): "12345678901a"}, field="account", before="accepted"),
    Kind("account too short", edits={("account",): "1234"}, field="account", before="accepted"),
    Kind("account a number", edits={("account",): 123456789012}, field="account"),
    Kind(
        "account other than the alarm's",
        edits={("account",): "210987654321"},
        field="resources.0",
        before="accepted",
    ),
    Kind("event time in 9999", edits={("time",): "9999-12-31T23:59:59Z"}, field="time", before="accepted"),
    Kind("resources empty", edits={("resources",): []}, field="resources"),
    Kind(
        "resources a string",
        edits={("resources",): "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"},
        field="resources",
    ),
    Kind(
        "resource not an alarm",
        edits={("resources",): ["arn:aws:ec2:us-east-1:123456789012:instance/i-1"]},
        field="resources.0",
    ),
    Kind(
        "resource ARN without account",
        edits={("resources",): ["arn:aws:cloudwatch:us-east-1::alarm:x"]},
        field="resources.0",
        before="accepted",
    ),
    Kind(
        "resource ARN over 1600 characters",
        edits={("resources",): ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + "x" * 1600]},
        field="resources.0",
        before="accepted",
    ),
    Kind("event over 256 KB", edits={("padding",): "x" * 5_000_000}, field="event", before="accepted"),
    Kind("event nested 800 deep", edits={("extra",): lambda: _nested(800)}, field="event", before="accepted"),
    # --- detail
    Kind("detail a string", edits={("detail",): "ALARM"}, field="detail"),
    Kind("alarm name missing", edits={("detail", "alarmName"): DELETE}, field="detail.alarmName"),
    Kind("alarm name empty", edits={("detail", "alarmName"): ""}, field="detail.alarmName"),
    Kind(
        "alarm name of 10,000 characters",
        edits=_name("n" * 10_000),
        field="detail.alarmName",
        before="accepted",
    ),
    Kind("alarm name a number", edits={("detail", "alarmName"): 42}, field="detail.alarmName"),
    Kind("alarm name with a NUL", edits=_name("cpu\x00high"), field="detail.alarmName", before="accepted"),
    Kind(
        "alarm name with a terminal escape",
        edits=_name("cpu\x1b[2Jhigh"),
        field="detail.alarmName",
        before="accepted",
    ),
    Kind(
        "alarm tags a list",
        edits={("detail", "alarmTags"): ["analyzer:service=checkout"]},
        field="detail.alarmTags",
    ),
    Kind(
        "alarm tag value a number",
        edits={("detail", "alarmTags"): {"analyzer:severity": 1}},
        field="detail.alarmTags.analyzer:severity",
    ),
    Kind(
        "alarm tag key over 128 characters",
        edits={("detail", "alarmTags"): {"k" * 129: "v"}},
        field="detail.alarmTags",
        before="accepted",
    ),
    Kind(
        "alarm tag value over 256 characters",
        edits={("detail", "alarmTags"): {"team": "v" * 257}},
        field="detail.alarmTags.team",
        before="accepted",
    ),
    # --- state
    Kind("state missing", edits={(*_STATE,): DELETE}, field="detail.state"),
    Kind("state value unknown", edits={(*_STATE, "value"): "BROKEN"}, field="detail.state.value"),
    Kind("state value in lower case", edits={(*_STATE, "value"): "alarm"}, field="detail.state.value"),
    Kind("state timestamp missing", edits={(*_STATE, "timestamp"): DELETE}, field="detail.state.timestamp"),
    Kind(
        "state timestamp in year 0001",
        edits={(*_STATE, "timestamp"): "0001-01-01T00:00:00.000+0000"},
        field="detail.state.timestamp",
        before="crash",
    ),
    Kind(
        "state timestamp in 2099",
        edits={(*_STATE, "timestamp"): "2099-01-01T00:00:00.000+0000"},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp in 9999",
        edits={(*_STATE, "timestamp"): "9999-12-31T23:59:59.999+0000"},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp an hour ahead",
        edits={(*_STATE, "timestamp"): lambda: _in(timedelta(hours=1))},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp at epoch 0",
        edits={(*_STATE, "timestamp"): "1970-01-01T00:00:00.000+0000"},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp the number 0",
        edits={(*_STATE, "timestamp"): 0},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp epoch seconds",
        edits={(*_STATE, "timestamp"): 1_700_000_000},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp before CloudWatch",
        edits={(*_STATE, "timestamp"): "2008-12-31T23:59:59.000+0000"},
        field="detail.state.timestamp",
        before="accepted",
    ),
    Kind(
        "state timestamp not a date",
        edits={(*_STATE, "timestamp"): "yesterday"},
        field="detail.state.timestamp",
    ),
    Kind(
        "state timestamp on 30 February",
        edits={(*_STATE, "timestamp"): "2024-02-30T10:00:00.000+0000"},
        field="detail.state.timestamp",
    ),
    Kind("state reason a number", edits={(*_STATE, "reason"): 5}, field="detail.state.reason"),
    Kind(
        "state reason over 1023 characters",
        edits={(*_STATE, "reason"): "r" * 1024},
        field="detail.state.reason",
        before="accepted",
    ),
    Kind(
        "previous state value unknown",
        edits={("detail", "previousState", "value"): "MAYBE"},
        field="detail.previousState.value",
    ),
    Kind(
        "previous state timestamp in 9999",
        edits={("detail", "previousState", "timestamp"): "9999-01-01T00:00:00.000+0000"},
        field="detail.previousState.timestamp",
        before="accepted",
    ),
    # --- reasonData
    Kind("reasonData not JSON", edits={(*_REASON,): "{not json"}, field="detail.state.reasonData"),
    Kind("reasonData a JSON list", edits={(*_REASON,): "[1, 2]"}, field="detail.state.reasonData"),
    Kind("reasonData a number", edits={(*_REASON,): 7}, field="detail.state.reasonData"),
    Kind(
        "reasonData over 4000 characters",
        edits={(*_REASON,): lambda: _reason(note="n" * 4000)},
        field="detail.state.reasonData",
        before="accepted",
    ),
    Kind(
        "reasonData nested 1,900 deep",
        edits={(*_REASON,): lambda: "[" * 1_900 + "]" * 1_900},
        field="detail.state.reasonData",
        before="crash",
    ),
    Kind(
        "reasonData nested 100 deep",
        edits={(*_REASON,): lambda: json.dumps({"note": _nested(100)})},
        field="detail.state.reasonData",
        before="accepted",
    ),
    Kind(
        "evaluatedDatapoints an integer",
        edits={(*_REASON,): _reason(evaluatedDatapoints=5)},
        field="detail.state.reasonData.evaluatedDatapoints",
        before="crash",
    ),
    Kind(
        "evaluatedDatapoints of strings",
        edits={(*_REASON,): _reason(evaluatedDatapoints=["99.5"])},
        field="detail.state.reasonData.evaluatedDatapoints.0",
        before="accepted",
    ),
    Kind(
        "evaluated datapoint in year 0001",
        edits={
            (*_REASON,): _reason(
                evaluatedDatapoints=[{"timestamp": "0001-01-01T00:00:00.000+0000", "value": 1.0}]
            )
        },
        field="detail.state.reasonData.evaluatedDatapoints.0.timestamp",
        before="accepted",
    ),
    Kind(
        "recentDatapoints an integer",
        edits={(*_REASON,): _reason(recentDatapoints=3)},
        field="detail.state.reasonData.recentDatapoints",
        before="crash",
    ),
    Kind(
        "recentDatapoints of strings",
        edits={(*_REASON,): _reason(recentDatapoints=["99.5"])},
        field="detail.state.reasonData.recentDatapoints.0",
        before="crash",
    ),
    Kind(
        "recentDatapoints with NaN",
        edits={(*_REASON,): _reason(recentDatapoints=[float("nan")])},
        field="detail.state.reasonData.recentDatapoints.0",
        before="accepted",
    ),
    Kind(
        "threshold NaN",
        edits={(*_REASON,): _reason(threshold=float("nan"))},
        field="detail.state.reasonData.threshold",
        before="accepted",
    ),
    Kind(
        "threshold Infinity",
        edits={(*_REASON,): _reason(threshold=float("inf"))},
        field="detail.state.reasonData.threshold",
        before="accepted",
    ),
    Kind(
        "threshold a string",
        edits={(*_REASON,): _reason(threshold="50")},
        field="detail.state.reasonData.threshold",
        before="accepted",
    ),
    Kind(
        "threshold 1e400",
        edits={(*_REASON,): _reason(threshold=50.0).replace("50.0", "1e400")},
        field="detail.state.reasonData.threshold",
        before="accepted",
    ),
    Kind(
        "reasonData period 10^30",
        edits={(*_REASON,): _reason(period=10**30)},
        field="detail.state.reasonData.period",
        before="accepted",
    ),
    Kind(
        "reasonData period negative",
        edits={(*_REASON,): _reason(period=-60)},
        field="detail.state.reasonData.period",
        before="accepted",
    ),
    Kind(
        "anomaly band of strings",
        sample="anomaly",
        edits={(*_REASON,): json.dumps({"recentDatapoints": [0.0], "recentLowerThresholds": ["low"]})},
        field="detail.state.reasonData.recentLowerThresholds.0",
        before="crash",
    ),
    Kind(
        "queryDate in 2099",
        edits={(*_REASON,): _reason(queryDate="2099-10-02T17:04:40.985+0000")},
        field="detail.state.reasonData.queryDate",
        before="accepted",
    ),
    # --- configuration
    Kind("configuration missing", edits={(*_CONFIG,): DELETE}, field="detail.configuration"),
    Kind(
        "configuration without metrics or rule",
        edits={(*_CONFIG,): {"description": "nothing"}},
        field="detail.configuration",
    ),
    Kind(
        "description over 1024 characters",
        edits={(*_CONFIG, "description"): "d" * 1025},
        field="detail.configuration.description",
        before="accepted",
    ),
    Kind(
        "description a number", edits={(*_CONFIG, "description"): 3}, field="detail.configuration.description"
    ),
    Kind(
        "metrics an object", edits={(*_CONFIG, "metrics"): {"id": "m1"}}, field="detail.configuration.metrics"
    ),
    Kind(
        "100-metric math alarm",
        sample="math",
        edits={
            (*_CONFIG, "metrics"): lambda: (
                [_expression(1, "SUM(METRICS())")] + [_metric_query(i) for i in range(100)]
            )
        },
        field="detail.configuration.metrics",
        before="accepted",
    ),
    Kind(
        "11 metrics in a math alarm",
        sample="math",
        edits={
            (*_CONFIG, "metrics"): lambda: (
                [_expression(1, "SUM(METRICS())")] + [_metric_query(i) for i in range(11)]
            )
        },
        field="detail.configuration.metrics",
        before="accepted",
    ),
    Kind(
        "query with metric and expression",
        edits={(*_METRIC, "expression"): "m1 * 2"},
        field="detail.configuration.metrics.0",
    ),
    Kind(
        "query with neither", edits={(*_METRIC, "metricStat"): DELETE}, field="detail.configuration.metrics.0"
    ),
    Kind("query id missing", edits={(*_METRIC, "id"): DELETE}, field="detail.configuration.metrics.0.id"),
    Kind(
        "query id over 255 characters",
        edits={(*_METRIC, "id"): "i" * 256},
        field="detail.configuration.metrics.0.id",
        before="accepted",
    ),
    Kind(
        "returnData a string",
        edits={(*_METRIC, "returnData"): "yes"},
        field="detail.configuration.metrics.0.returnData",
        before="accepted",
    ),
    Kind(
        "expression over 2048 characters",
        sample="math",
        edits={(*_METRIC, "expression"): "m1+" * 700 + "m1"},
        field="detail.configuration.metrics.0.expression",
        before="accepted",
    ),
    Kind(
        "period 10^30",
        edits={(*_STAT, "period"): 10**30},
        field="detail.configuration.metrics.0.metricStat.period",
        before="crash",
    ),
    Kind(
        "period 8 days",
        edits={(*_STAT, "period"): 8 * 86_400},
        field="detail.configuration.metrics.0.metricStat.period",
        before="accepted",
    ),
    Kind("period 0", edits={(*_STAT, "period"): 0}, field="detail.configuration.metrics.0.metricStat.period"),
    Kind(
        "period a string",
        edits={(*_STAT, "period"): "300"},
        field="detail.configuration.metrics.0.metricStat.period",
        before="accepted",
    ),
    Kind(
        "period a fraction",
        edits={(*_STAT, "period"): 300.5},
        field="detail.configuration.metrics.0.metricStat.period",
    ),
    Kind(
        "period true",
        edits={(*_STAT, "period"): True},
        field="detail.configuration.metrics.0.metricStat.period",
        before="accepted",
    ),
    Kind("stat empty", edits={(*_STAT, "stat"): ""}, field="detail.configuration.metrics.0.metricStat.stat"),
    Kind(
        "stat a list",
        edits={(*_STAT, "stat"): ["Average"]},
        field="detail.configuration.metrics.0.metricStat.stat",
    ),
    Kind(
        "unit not a CloudWatch unit",
        edits={(*_STAT, "unit"): "Parsecs"},
        field="detail.configuration.metrics.0.metricStat.unit",
        before="accepted",
    ),
    Kind(
        "namespace empty",
        edits={(*_STAT, "metric", "namespace"): ""},
        field="detail.configuration.metrics.0.metricStat.metric.namespace",
    ),
    Kind(
        "namespace starting with a colon",
        edits={(*_STAT, "metric", "namespace"): ":AWS/EC2"},
        field="detail.configuration.metrics.0.metricStat.metric.namespace",
        before="accepted",
    ),
    Kind(
        "namespace over 255 characters",
        edits={(*_STAT, "metric", "namespace"): "N" * 256},
        field="detail.configuration.metrics.0.metricStat.metric.namespace",
        before="accepted",
    ),
    Kind(
        "metric name over 255 characters",
        edits={(*_STAT, "metric", "name"): "M" * 256},
        field="detail.configuration.metrics.0.metricStat.metric.name",
        before="accepted",
    ),
    Kind(
        "31 dimensions",
        edits={(*_DIMENSIONS,): {f"D{i}": "v" for i in range(31)}},
        field="detail.configuration.metrics.0.metricStat.metric.dimensions",
        before="accepted",
    ),
    Kind(
        "dimensions in the API's list form",
        edits={(*_DIMENSIONS,): [{"Name": "InstanceId", "Value": "i-1"}]},
        field="detail.configuration.metrics.0.metricStat.metric.dimensions",
    ),
    Kind(
        "dimension value a number",
        edits={(*_DIMENSIONS,): {"InstanceId": 12}},
        field="detail.configuration.metrics.0.metricStat.metric.dimensions.InstanceId",
    ),
    Kind(
        "dimension value over 1024 characters",
        edits={(*_DIMENSIONS,): {"InstanceId": "i" * 1025}},
        field="detail.configuration.metrics.0.metricStat.metric.dimensions.InstanceId",
        before="accepted",
    ),
    Kind(
        "dimension name over 255 characters",
        edits={(*_DIMENSIONS,): {"D" * 256: "v"}},
        field="detail.configuration.metrics.0.metricStat.metric.dimensions",
        before="accepted",
    ),
    Kind(
        "alarm rule over 10,240 characters",
        sample="composite",
        edits={(*_CONFIG, "alarmRule"): _rule(1_000, 10)},
        field="detail.configuration.alarmRule",
        before="accepted",
    ),
    Kind(
        "composite of 5,000 children",
        sample="composite",
        edits={(*_CONFIG, "alarmRule"): _rule(5_000)},
        field="detail.configuration.alarmRule",
        before="accepted",
    ),
    Kind(
        "composite of 101 children",
        sample="composite",
        edits={(*_CONFIG, "alarmRule"): _rule(101)},
        field="detail.configuration.alarmRule",
        before="accepted",
    ),
    Kind(
        "alarm rule a number",
        sample="composite",
        edits={(*_CONFIG, "alarmRule"): 1},
        field="detail.configuration.alarmRule",
    ),
    # --- the Lambda alarm action
    Kind(
        "alarm action ARN not an alarm",
        sample="lambda",
        edits={("alarmArn",): "arn:aws:lambda:us-east-1:444455556666:function:f"},
        field="alarmArn",
    ),
    Kind(
        "alarm action account a path",
        sample="lambda",
        edits={("accountId",): "../../etc"},
        field="accountId",
        before="accepted",
    ),
    Kind(
        "alarm action region a path",
        sample="lambda",
        edits={("region",): "../../etc/passwd"},
        field="region",
        before="accepted",
    ),
    Kind("alarm action data a list", sample="lambda", edits={("alarmData",): []}, field="alarmData"),
    Kind(
        "alarm action timestamp in 2099",
        sample="lambda",
        edits={(*_LAMBDA_STATE, "timestamp"): "2099-08-04T12:36:15.490+0000"},
        field="alarmData.state.timestamp",
        before="accepted",
    ),
    Kind(
        "alarm action name of 10,000 characters",
        sample="lambda",
        edits=_name("n" * 10_000, "lambda"),
        field="alarmData.alarmName",
        before="accepted",
    ),
    # --- the file itself (replay --event FILE)
    Kind("binary file", raw=lambda: bytes(range(256)) * 4, field="event file", before="crash"),
    Kind(
        "UTF-16 file",
        raw=lambda: json.dumps(load(SAMPLES["metric"])).encode("utf-16"),
        field="event file",
        before="crash",
    ),
    Kind(
        "truncated JSON", raw=lambda: json.dumps(load(SAMPLES["metric"])).encode()[:300], field="event file"
    ),
    Kind("empty file", raw=lambda: b"", field="event file"),
    Kind(
        "NaN literal in the JSON",
        raw=lambda: json.dumps(load(SAMPLES["metric"]) | {"x": float("nan")}).encode(),
        field="event file",
        before="accepted",
    ),
    Kind(
        "JSON nested 100,000 deep",
        raw=lambda: b"[" * 100_000 + b"]" * 100_000,
        field="event file",
        before="crash",
    ),
    Kind("two JSON documents", raw=lambda: b"{}\n{}", field="event file"),
    Kind(
        "file of 5 MB",
        raw=lambda: json.dumps(load(SAMPLES["metric"]) | {"padding": "x" * 5_000_000}).encode(),
        field="event file",
        before="accepted",
    ),
]


def _max_math() -> list[dict[str, Any]]:
    """What PutMetricAlarm allows: 10 metrics and 10 expressions, one of them returned."""
    expressions = [_expression(1, "SUM(METRICS())")] + [_expression(i, f"m{i} * 2") for i in range(2, 11)]
    return expressions + [_metric_query(i) for i in range(10)]


def _long_rule() -> str:
    """100 children (CloudWatch's limit) with names as long as 10,240 characters of rule allow."""
    children = [f'ALARM("{"payments-" + str(i).zfill(3):x<88}")' for i in range(100)]
    return " OR ".join(children)


VALID: list[Kind] = [
    Kind("single-metric sample"),
    Kind("metric math sample", sample="math"),
    Kind("anomaly detection sample", sample="anomaly"),
    Kind("composite sample", sample="composite"),
    Kind("Lambda alarm action", sample="lambda"),
    Kind("Lambda alarm action of a composite", sample="lambda-composite"),
    Kind("emoji in the name", edits=_name("🔥 checkout 5xx 🚨 — 日本語")),
    Kind("255-character name", edits=_name("a" * 255)),
    Kind("name with colons and spaces", edits=_name("team:payments / p99 latency")),
    Kind(
        "math alarm at 10 metrics and 10 expressions", sample="math", edits={(*_CONFIG, "metrics"): _max_math}
    ),
    Kind(
        "Metrics Insights query over many metrics",
        sample="math",
        edits={
            (*_CONFIG, "metrics"): [
                {
                    "id": "q1",
                    "expression": 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)',
                    "period": 300,
                    "returnData": True,
                }
            ]
        },
    ),
    Kind(
        "composite of 100 children in 10,240 characters",
        sample="composite",
        edits={(*_CONFIG, "alarmRule"): _long_rule},
    ),
    Kind(
        "30 dimensions of 1024 characters",
        edits={(*_DIMENSIONS,): {f"Dimension{i}": "v" * 1024 for i in range(30)}},
    ),
    Kind("period of 7 days", edits={(*_STAT, "period"): 604_800}),
    Kind("high-resolution period of 10 s", edits={(*_STAT, "period"): 10}),
    Kind(
        "timestamp a minute ahead (clock skew)",
        edits={(*_STATE, "timestamp"): lambda: _in(timedelta(minutes=1))},
    ),
    Kind("timestamp in ISO form with Z", edits={(*_STATE, "timestamp"): "2019-10-02T17:04:40.989Z"}),
    Kind("INSUFFICIENT_DATA state", edits={(*_STATE, "value"): "INSUFFICIENT_DATA"}),
    Kind("description of 1024 characters", edits={(*_CONFIG, "description"): "d" * 1024}),
    Kind("no description", edits={(*_CONFIG, "description"): None}),
    Kind("reasonData empty", edits={(*_REASON,): ""}),
    Kind("reasonData as an object", edits={(*_REASON,): {"threshold": 50.0, "recentDatapoints": [99.5]}}),
    Kind(
        "evaluated datapoints with sample counts",
        edits={
            (*_REASON,): _reason(
                evaluatedDatapoints=[
                    {"timestamp": "2019-10-02T16:59:00.000+0000", "sampleCount": 5.0, "value": 99.5}
                ]
            )
        },
    ),
    Kind(
        "50 tags with unicode values",
        edits={("detail", "alarmTags"): {f"tag-{i}": "値" * 256 for i in range(50)}},
    ),
    Kind(
        "China partition",
        edits={
            ("region",): "cn-north-1",
            ("resources",): ["arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:ServerCpuTooHigh"],
        },
    ),
    Kind(
        "GovCloud partition",
        edits={
            ("region",): "us-gov-west-1",
            ("resources",): ["arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:ServerCpuTooHigh"],
        },
    ),
]
