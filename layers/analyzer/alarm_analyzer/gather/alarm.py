"""The alarm itself: its configuration, tags, recent history, and whether it watches anything real."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..aws import AWS_ERRORS
from ..catalog import DIMENSION_FORMS
from ..events import Alarm, MetricStat, event_from_alarm
from ..models import AlarmConfig, AlarmData, AlarmHistory, DimensionIssue, StateTransition
from . import GatherContext

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
    try:
        transition = last_alarm_transition(cloudwatch, described["AlarmName"], until)
    except AWS_ERRORS:
        transition = None  # no history to read (not allowed, or not kept): the current state it is
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
    candidates: list[dict[str, str]] = []
    for found in page.get("Metrics", []):
        dims = {d["Name"]: d["Value"] for d in found.get("Dimensions", [])}
        # ListMetrics lists a dimension set once per metric it has seen it with: count each set once.
        if set(dims) == names and dims not in candidates:
            candidates.append(dims)

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


def gather_alarm(context: GatherContext) -> AlarmData:
    """The alarm as the scope describes it, its recent history, and whether its metric is real."""
    alarm, scope, cloudwatch = context.alarm, context.scope, context.clients.cloudwatch
    data = AlarmData(
        config=scope.alarm,
        children=scope.children,
    )
    metric = None if alarm.type == "composite" else alarm.primary_metric
    if metric is None:
        data.history = context.attempt("alarm_history", lambda: history(cloudwatch, alarm), None)
        return data
    with context.side_by_side() as work:
        recent = work.submit(
            lambda: context.attempt("alarm_history", lambda: history(cloudwatch, alarm), None)
        )
        exists = work.submit(
            lambda: context.attempt("metric_lookup", lambda: metric_exists(cloudwatch, metric), None)
        )
    data.history, data.metric_exists = recent.result(), exists.result()
    if data.metric_exists is False:
        data.similar_metrics = context.attempt(
            "similar_metrics", lambda: similar_metrics(cloudwatch, metric), []
        )
    data.dimension_issues = dimension_issues(metric, data.similar_metrics)
    return data
