"""Builders for the typed summaries rules read, so each test states only what matters to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from alarm_analyzer import evidence as ev
from alarm_analyzer.aws import AwsClients
from alarm_analyzer.events import Alarm, parse_alarm_event
from alarm_analyzer.gather import GatherContext
from alarm_analyzer.models import (
    AlarmData,
    ChangesData,
    Contributor,
    ContributorKind,
    CorrelateInput,
    InvocationReport,
    LogsData,
    LogSignature,
    MetricsData,
    Resource,
    ResourceKind,
    ResourcesData,
    Result,
    Scope,
    Series,
    SourceData,
    Stats,
    TracesData,
)
from alarm_analyzer.report import Hypothesis
from alarm_analyzer.rules import Rule, diagnose
from alarm_analyzer.rules.base import Facts
from alarm_analyzer.scope import event_scope, windows_for
from alarm_analyzer.settings import GathererSettings

STATE_CHANGE = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def alarm_event(
    *,
    namespace: str = "AWS/ApplicationELB",
    metric: str = "TargetResponseTime",
    dimensions: dict[str, str] | None = None,
    stat: str = "Average",
    period: int = 60,
    threshold: float = 2.0,
    recent: tuple[float, ...] = (3.1, 3.3),
    name: str = "web-latency",
) -> dict[str, Any]:
    dims = dimensions if dimensions is not None else {"LoadBalancer": "app/web/0123456789abcdef"}
    stamp = STATE_CHANGE.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return {
        "version": "0",
        "id": "0c5e6f0e-0000-0000-0000-000000000000",
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "account": "123456789012",
        "time": STATE_CHANGE.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "eu-west-1",
        "resources": [f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}"],
        "detail": {
            "alarmName": name,
            "configuration": {
                "metrics": [
                    {
                        "id": "m1",
                        "metricStat": {
                            "metric": {"namespace": namespace, "name": metric, "dimensions": dims},
                            "period": period,
                            "stat": stat,
                        },
                        "returnData": True,
                    }
                ]
            },
            "previousState": {"value": "OK", "reason": "", "timestamp": stamp},
            "state": {
                "value": "ALARM",
                "reason": "Threshold Crossed",
                "reasonData": json.dumps({"threshold": threshold, "recentDatapoints": list(recent)}),
                "timestamp": stamp,
            },
        },
    }


def alarm(**kwargs: Any) -> Alarm:
    return parse_alarm_event(alarm_event(**kwargs))


def stats(avg: float, spread: float = 0.0, count: int = 15) -> Stats:
    return Stats(count=count, avg=avg, min=avg - spread, max=avg + spread, last=avg)


_DIMENSION: dict[str, str] = {
    "rds_instance": "DBInstanceIdentifier",
    "lambda_function": "FunctionName",
    "sqs_queue": "QueueName",
    "target_group": "TargetGroup",
}


def series(
    metric: str,
    incident: Stats,
    baseline: Stats,
    *,
    namespace: str = "AWS/RDS",
    kind: ResourceKind = "rds_instance",
    resource: str = "ledger-db",
    stat: str = "Average",
    role: str = "related",
    at_peak_share: float | None = None,
    breach_start: datetime | None = None,
    day_ago: Stats | None = None,
) -> Series:
    dims = {_DIMENSION.get(kind, "LoadBalancer"): resource}
    ratio = round(incident.avg / baseline.avg, 3) if incident.avg is not None and baseline.avg else None
    return Series(
        key=f"{namespace}:{metric}:{resource}",
        role=role,  # type: ignore[arg-type]
        namespace=namespace,
        metric_name=metric,
        dimensions=dims,
        stat=stat,
        stat_used=stat,
        period=60,
        resource=Resource(kind=kind, id=resource, namespace=namespace, dimensions=dims),
        incident=incident,
        baseline=baseline,
        peak=incident.max,
        peak_at=STATE_CHANGE - timedelta(minutes=2),
        change_ratio=ratio,
        at_peak_share=at_peak_share,
        breach_start=breach_start,
        day_ago=day_ago,
    )


def signature(
    text: str,
    count: int,
    *,
    baseline: int = 0,
    level: str = "error",
    group: str = "/ecs/ledger-api",
    first_seen: datetime | None = None,
) -> LogSignature:
    return LogSignature(
        signature=text,
        level=level,  # type: ignore[arg-type]
        count=count,
        baseline_count=baseline,
        first_seen=first_seen or STATE_CHANGE - timedelta(minutes=9),
        last_seen=STATE_CHANGE - timedelta(minutes=1),
        log_groups=[group],
        samples=[text],
    )


def traces(
    contributors: list[tuple[ContributorKind, str, float]] | None = None,
    slow_share: float = 0.0,
    p95_ms: float = 180.0,
    fault_rate: float = 0.0,
) -> TracesData:
    return TracesData(
        traces_in_window=200,
        analyzed=30,
        fault_rate=fault_rate,
        p50_ms=p95_ms / 2,
        p95_ms=p95_ms,
        slow_threshold_ms=2000.0,
        slow_share=slow_share,
        contributors=[
            Contributor(
                kind=kind,
                name=name,
                resource=name if kind != "own_code" else None,
                total_ms=share * 1000,
                avg_ms=share * 3000,
                share=share,
                traces=20,
            )
            for kind, name, share in contributors or []
        ],
        sample_trace_ids=["1-67000000-000000000000000000000001"],
    )


def facts(
    *,
    the_alarm: Alarm | None = None,
    metrics: list[Series] | None = None,
    signatures: list[LogSignature] | None = None,
    trace_data: TracesData | None = None,
    alarm_data: AlarmData | None = None,
    changes: ChangesData | None = None,
    resources: ResourcesData | None = None,
    invocations: list[InvocationReport] | None = None,
    lang: str = "en",
) -> Facts:
    chosen = the_alarm or alarm()
    return Facts(
        alarm=chosen,
        windows=windows_for(chosen),
        gathered=ev.Gathered(
            data
            for data in (
                alarm_data,
                MetricsData(series=metrics or []),
                LogsData(signatures=signatures or [], invocations=invocations or []),
                trace_data,
                changes,
                resources,
            )
            if data is not None
        ),
        lang=lang,  # type: ignore[arg-type]
    )


def latency_alarm_series(incident: float = 3.2, baseline: float = 0.25) -> Series:
    """The alarm's own TargetResponseTime series, breached."""
    return series(
        "TargetResponseTime",
        stats(incident, 0.2),
        stats(baseline, 0.02),
        namespace="AWS/ApplicationELB",
        kind="load_balancer",
        resource="app/web/0123456789abcdef",
        role="alarm",
    )


def result(data: SourceData, api_calls: int = 1) -> Result:
    """A source's envelope around what it found."""
    return Result(source=data.source_name, status="ok", data=data, api_calls=api_calls)


def correlate_input(event: dict[str, Any], results: list[Result], **scope: Any) -> CorrelateInput:
    """The correlate step's input; ``scope`` overrides fields of the scope the event gives (a runbook...)."""
    resolved: Scope = event_scope(parse_alarm_event(event)).model_copy(update=scope)
    return CorrelateInput(event=event, scope=resolved, results=results)


def context_for(
    clients: AwsClients,
    the_alarm: Alarm | None = None,
    deadline: float | None = None,
    settings: GathererSettings | None = None,
    **scope: Any,
) -> GatherContext:
    """A gatherer's context: the alarm's scope as the event gives it, ``scope`` overriding its fields."""
    chosen = the_alarm or alarm()
    return GatherContext(chosen, event_scope(chosen).model_copy(update=scope), clients, settings, deadline)


def judged(rule: Rule, facts: Facts) -> list[Hypothesis]:
    """One rule's claims as the engine weighs them, with no other rule's to link with."""
    return diagnose(facts, [rule]).hypotheses


def everything(facts: Facts) -> list[Hypothesis]:
    """Every rule's claims, weighed and linked: the root's first."""
    return diagnose(facts).hypotheses
