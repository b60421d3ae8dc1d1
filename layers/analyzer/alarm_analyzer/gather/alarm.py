"""The alarm itself: its configuration, tags, recent history, and whether it watches anything real."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..aws import AwsClients
from ..events import Alarm, MetricStat, event_from_alarm
from ..metric_catalog import DIMENSION_FORMS
from ..models import (
    AlarmConfig,
    AlarmData,
    AlarmHistory,
    ChildAlarm,
    DimensionIssue,
    StateTransition,
    Window,
)
from ..scope import runbook_url, severity_tag, windows_for
from . import attempt, lookup_tags

MAX_SIMILAR = 5
HISTORY_SPAN = timedelta(days=1)


def describe(cloudwatch: Any, names: Sequence[str]) -> list[dict[str, Any]]:
    response = cloudwatch.describe_alarms(
        AlarmNames=list(names), AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    )
    return [*response.get("MetricAlarms", []), *response.get("CompositeAlarms", [])]


def config_of(described: dict[str, Any]) -> AlarmConfig:
    return AlarmConfig(
        namespace=described.get("Namespace"),
        metric_name=described.get("MetricName"),
        dimensions={d["Name"]: d["Value"] for d in described.get("Dimensions", [])},
        statistic=described.get("ExtendedStatistic") or described.get("Statistic"),
        period=described.get("Period"),
        evaluation_periods=described.get("EvaluationPeriods"),
        datapoints_to_alarm=described.get("DatapointsToAlarm"),
        threshold=described.get("Threshold"),
        comparison=described.get("ComparisonOperator"),
        treat_missing_data=described.get("TreatMissingData"),
        actions_enabled=described.get("ActionsEnabled", True),
        alarm_actions=described.get("AlarmActions", []),
        description=described.get("AlarmDescription"),
        alarm_rule=described.get("AlarmRule"),
    )


def history(cloudwatch: Any, alarm: Alarm) -> AlarmHistory:
    """State changes in the day before this one (flapping shows up here)."""
    end = alarm.state_changed_at + timedelta(seconds=1)
    items = cloudwatch.describe_alarm_history(
        AlarmName=alarm.name,
        AlarmTypes=["MetricAlarm", "CompositeAlarm"],
        HistoryItemType="StateUpdate",
        StartDate=end - HISTORY_SPAN,
        EndDate=end,
        ScanBy="TimestampDescending",
        MaxRecords=100,
    ).get("AlarmHistoryItems", [])
    transitions = []
    for item in items:
        data = json.loads(item.get("HistoryData") or "{}")
        old, new = data.get("oldState", {}), data.get("newState", {})
        transitions.append(
            StateTransition(
                at=item["Timestamp"], old=old.get("stateValue", "?"), new=new.get("stateValue", "?")
            )
        )
    return AlarmHistory(
        transitions=len(transitions),
        alarm_entries=sum(1 for t in transitions if t.new == "ALARM"),
        recent=transitions[:5],
    )


def last_alarm_transition(cloudwatch: Any, name: str, until: datetime) -> dict[str, Any] | None:
    """The alarm's last change into ALARM at or before ``until``: when, from what, and why."""
    items = cloudwatch.describe_alarm_history(
        AlarmName=name,
        AlarmTypes=["MetricAlarm", "CompositeAlarm"],
        HistoryItemType="StateUpdate",
        EndDate=until,
        ScanBy="TimestampDescending",
        MaxRecords=100,
    ).get("AlarmHistoryItems", [])
    for item in items:
        data = json.loads(item.get("HistoryData") or "{}")
        new = data.get("newState", {})
        if new.get("stateValue") == "ALARM":
            return {
                "at": item["Timestamp"],
                "previous": data.get("oldState", {}).get("stateValue"),
                "StateValue": "ALARM",
                "StateReason": new.get("stateReason", ""),
                "StateReasonData": json.dumps(new.get("stateReasonData") or {}),
            }
    return None


def investigation_event(
    cloudwatch: Any, described: dict[str, Any], region: str, at: datetime | None = None
) -> dict[str, Any]:
    """The event to analyze an alarm on demand: its last change into ALARM (before ``at``, if given).

    Without history (or without such a change), the alarm's current state is analyzed, anchored at
    ``at`` or at its last state transition.
    """
    until = at or datetime.now(UTC)
    transition = attempt(
        "alarm history", lambda: last_alarm_transition(cloudwatch, described["AlarmName"], until), None, []
    )
    if transition:
        state = {k: v for k, v in transition.items() if k.startswith("State")}
        return event_from_alarm(
            {**described, **state}, region, at=transition["at"], previous_state=transition["previous"]
        )
    anchor = at or described.get("StateTransitionedTimestamp") or described.get("StateUpdatedTimestamp")
    return event_from_alarm(described, region, at=anchor)


def _dimension_list(dimensions: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in dimensions.items()]


def metric_exists(cloudwatch: Any, metric: MetricStat) -> bool:
    """Whether a metric with exactly this namespace, name and dimension set has data (last two weeks)."""
    wanted = metric.metric.dimensions
    request: dict[str, Any] = {
        "Namespace": metric.metric.namespace,
        "MetricName": metric.metric.name,
        "Dimensions": _dimension_list(wanted),
    }
    for _ in range(3):
        page = cloudwatch.list_metrics(**request)
        for found in page.get("Metrics", []):
            if {d["Name"]: d["Value"] for d in found.get("Dimensions", [])} == wanted:
                return True
        if not page.get("NextToken"):
            return False
        request["NextToken"] = page["NextToken"]
    return False


def similar_metrics(cloudwatch: Any, metric: MetricStat) -> list[dict[str, str]]:
    """Metrics of the same name with the same dimension names: what the alarm probably meant."""
    names = set(metric.metric.dimensions)
    page = cloudwatch.list_metrics(Namespace=metric.metric.namespace, MetricName=metric.metric.name)
    candidates = [
        dims
        for found in page.get("Metrics", [])
        if set(dims := {d["Name"]: d["Value"] for d in found.get("Dimensions", [])}) == names
    ]

    def closeness(dims: dict[str, str]) -> int:
        return sum(
            2 if dims[k] == v else 1 if v and v in dims[k] else 0 for k, v in metric.metric.dimensions.items()
        )

    candidates.sort(key=closeness, reverse=True)
    return candidates[:MAX_SIMILAR]


def dimension_issues(metric: MetricStat, similar: Sequence[dict[str, str]]) -> list[DimensionIssue]:
    issues = []
    for name, value in metric.metric.dimensions.items():
        form = DIMENSION_FORMS.get((metric.metric.namespace, name))
        if form is None or form.pattern.match(value):
            continue
        suggestion = next((dims[name] for dims in similar if value and value in dims.get(name, "")), None)
        issues.append(DimensionIssue(name=name, value=value, expected=form.expected, suggestion=suggestion))
    return issues


def datapoints_in(cloudwatch: Any, metric: MetricStat, window: Window) -> int:
    """How many datapoints the alarm's metric received in the window (SampleCount works for any statistic)."""
    response = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "datapoints",
                "MetricStat": {
                    "Metric": {
                        "Namespace": metric.metric.namespace,
                        "MetricName": metric.metric.name,
                        "Dimensions": _dimension_list(metric.metric.dimensions),
                    },
                    "Period": metric.period,
                    "Stat": "SampleCount",
                },
            }
        ],
        StartTime=window.start,
        EndTime=window.end,
    )
    return sum(len(r.get("Values", [])) for r in response.get("MetricDataResults", []))


def child_descriptions(cloudwatch: Any, alarm: Alarm) -> list[dict[str, Any]]:
    """DescribeAlarms for the alarms a composite alarm's rule names (by name or ARN)."""
    names = [name.rsplit(":alarm:", 1)[-1] for name in alarm.child_alarms][:100]
    return describe(cloudwatch, names) if names else []


def children(cloudwatch: Any, alarm: Alarm) -> list[ChildAlarm]:
    return [
        ChildAlarm(
            name=child["AlarmName"],
            state=child.get("StateValue", "?"),
            namespace=child.get("Namespace"),
            metric_name=child.get("MetricName"),
        )
        for child in child_descriptions(cloudwatch, alarm)
    ]


def gather_alarm(alarm: Alarm, clients: AwsClients) -> AlarmData:
    cloudwatch = clients.cloudwatch
    limitations: list[str] = []
    described = describe(cloudwatch, [alarm.name])
    config = config_of(described[0]) if described else None
    if config is None:
        limitations.append(f"alarm {alarm.name} not found by DescribeAlarms (deleted or renamed?)")
    tags = lookup_tags(alarm, clients, limitations)
    data = AlarmData(
        config=config,
        tags=tags,
        runbook_url=runbook_url(tags, alarm.description or (config.description if config else None)),
        severity_tag=severity_tag(tags),
        history=attempt("alarm history", lambda: history(cloudwatch, alarm), None, limitations),
        limitations=limitations,
    )
    if alarm.type == "composite":
        data.children = attempt("child alarms", lambda: children(cloudwatch, alarm), [], limitations)
        return data
    metric = alarm.primary_metric
    if metric is None:
        return data
    data.metric_exists = attempt(
        "metric lookup", lambda: metric_exists(cloudwatch, metric), None, limitations
    )
    if data.metric_exists is False:
        data.similar_metrics = attempt(
            "similar metrics", lambda: similar_metrics(cloudwatch, metric), [], limitations
        )
    data.dimension_issues = dimension_issues(metric, data.similar_metrics)
    data.datapoints_in_window = attempt(
        "datapoint count",
        lambda: datapoints_in(cloudwatch, metric, windows_for(alarm).incident),
        None,
        limitations,
    )
    return data
