"""Evidence items: every fact the gatherers found, with a stable id, a one-line summary and its window.

Rules cite evidence by id; the ids are derived from what the fact is about (a metric of a
resource, a log signature, a trace contributor), so they are stable across runs and languages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from .events import Alarm
from .i18n import Lang, duration_ms, number, percent, quantity, t, unit_of
from .models import (
    AlarmData,
    ApiStageState,
    CacheState,
    CertificateState,
    Change,
    ChangesData,
    Contributor,
    DatabaseState,
    DeadLetterLink,
    EcsServiceState,
    EventRuleState,
    FileSystemState,
    FunctionState,
    InstanceState,
    InvocationReport,
    LogsData,
    LogSignature,
    MetricsData,
    Model,
    NatGatewayState,
    NetworkState,
    QueueState,
    ResourcesData,
    ScalingTarget,
    SecretState,
    Series,
    SourceData,
    StateMachineState,
    StreamState,
    SubnetDifference,
    TableState,
    TargetGroupState,
    TracesData,
    VolumeState,
    Windows,
)
from .redaction import redact
from .report import Evidence

D = TypeVar("D", bound=SourceData)

TRACE_LATENCY = "traces:latency"
TRACE_FAULTS = "traces:faults"
ALARM_STATE = "alarm:state"
ALARM_METRIC_MISSING = "alarm:metric-missing"
ALARM_HISTORY = "alarm:history"
ALARM_CHILDREN = "alarm:children"
CHANGES = "changes:window"
NETWORK = "resources:network"
EVENTBRIDGE_RETRIES = 185  # what a target without a retry policy gets (over 24 hours)


class Gathered:
    """What the gatherers returned, by kind; a source that failed or was not asked is absent."""

    def __init__(self, found: Iterable[SourceData]) -> None:
        self._found = {type(data): data for data in found}

    def get(self, model: type[D]) -> D | None:
        found = self._found.get(model)
        return found if isinstance(found, model) else None

    # The six sources every rule family reads.
    @property
    def alarm(self) -> AlarmData | None:
        return self.get(AlarmData)

    @property
    def metrics(self) -> MetricsData | None:
        return self.get(MetricsData)

    @property
    def logs(self) -> LogsData | None:
        return self.get(LogsData)

    @property
    def traces(self) -> TracesData | None:
        return self.get(TracesData)

    @property
    def changes(self) -> ChangesData | None:
        return self.get(ChangesData)

    @property
    def resources(self) -> ResourcesData | None:
        return self.get(ResourcesData)


@dataclass(frozen=True)
class Context:
    """What every evidence builder needs besides the data: the alarm, the windows, the language, and
    when the breach began (changes are placed before or after it)."""

    alarm: Alarm
    windows: Windows
    lang: Lang
    breach: datetime

    @property
    def region(self) -> str:
        return self.alarm.region


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


# Ids read well and stay unique: a readable slug, then a digest of everything that identifies the fact.
def series_id(series: Series) -> str:
    resource = series.resource.id if series.resource else ",".join(series.dimensions.values())
    return f"metrics:{_slug(series.metric_name)}:{_slug(resource)}:{_digest(series.key)}"


def signature_id(signature: LogSignature) -> str:
    return f"logs:{_digest(signature.signature)}"


def contributor_id(contributor: Contributor) -> str:
    identity = f"{contributor.kind}|{contributor.name}|{contributor.resource}"
    return f"traces:{contributor.kind}:{_slug(contributor.name)}:{_digest(identity)}"


def dimension_id(name: str) -> str:
    return f"alarm:dimension:{_slug(name)}"


def change_id(change: Change) -> str:
    identity = f"{change.kind}|{change.resource}|{change.action}|{change.identifier}|{change.at.isoformat()}"
    # The name last: one ending like a secret's key ("db-password") followed by ":" would read as one.
    return f"changes:{change.kind}:{_digest(identity)}:{_slug(change.resource)}"


def invocations_id(report: InvocationReport) -> str:
    return f"logs:invocations:{_slug(report.function)}"


def targets_id(group: TargetGroupState) -> str:
    return f"resources:targets:{_slug(group.name)}:{_digest(group.arn)}"


def service_id(service: EcsServiceState) -> str:
    return f"resources:service:{_slug(service.name)}:{_digest(service.cluster + service.name)}"


def function_id(function: FunctionState) -> str:
    return f"resources:function:{_slug(function.name)}"


def database_id(database: DatabaseState) -> str:
    return f"resources:database:{_slug(database.id)}"


def queue_id(queue: QueueState) -> str:
    return f"resources:queue:{_slug(queue.name)}:{_digest(queue.url)}"


def dead_letter_id(queue: QueueState) -> str:
    return f"resources:dead-letter:{_slug(queue.name)}:{_digest(queue.url)}"


def table_id(table: TableState) -> str:
    return f"resources:table:{_slug(table.name)}:{_digest(table.name)}"


def stage_id(stage: ApiStageState) -> str:
    return f"resources:stage:{_slug(stage.api_name or stage.api_id)}-{_slug(stage.stage)}:{_digest(stage.api_id + stage.stage)}"


def cache_id(cache: CacheState) -> str:
    return f"resources:cache:{_slug(cache.id)}"


def stream_id(stream: StreamState) -> str:
    return f"resources:stream:{_slug(stream.name)}:{_digest(stream.name)}"


def instance_id(instance: InstanceState) -> str:
    return f"resources:instance:{instance.id}"


def nat_gateway_id(gateway: NatGatewayState) -> str:
    return f"resources:nat-gateway:{gateway.id}"


def certificate_id(certificate: CertificateState) -> str:
    return f"resources:certificate:{_slug(certificate.domain or 'certificate')}:{_digest(certificate.arn)}"


def volume_id(volume: VolumeState) -> str:
    return f"resources:volume:{volume.id}"


def file_system_id(file_system: FileSystemState) -> str:
    return f"resources:file-system:{file_system.id}"


def state_machine_id(machine: StateMachineState) -> str:
    return f"resources:state-machine:{_slug(machine.name)}:{_digest(machine.arn)}"


def rule_id(rule: EventRuleState) -> str:
    return f"resources:rule:{_slug(rule.name)}:{_digest(rule.bus + '/' + rule.name)}"


def secret_id(secret: SecretState) -> str:
    return f"resources:secret:{_digest(secret.arn or secret.name)}:{_slug(secret.name)}"  # the name last, as for changes


def difference_id(difference: SubnetDifference) -> str:
    return f"resources:subnet:{difference.subnet}:{difference.aspect}"


def breach_start(alarm: Alarm, windows: Windows, gathered: Gathered) -> datetime:
    """When the alarm's metric began breaching; without its series, the evaluated periods' start."""
    series = gathered.metrics.series if gathered.metrics else []
    starts = [s.breach_start for s in series if s.role == "alarm" and s.breach_start]
    if starts:
        return min(starts)
    evaluated = timedelta(seconds=(alarm.period or 300) * max(alarm.evaluated_periods, 1))
    return windows.incident.end - evaluated


def minutes_from_breach(moment: datetime, breach: datetime, lang: Lang) -> str:
    minutes = round((breach - moment).total_seconds() / 60)
    if minutes >= 0:
        return t(lang, "ev.before_breach", minutes=minutes)
    return t(lang, "ev.after_breach", minutes=-minutes)


def _console(region: str, fragment: str) -> str:
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#{fragment}"


def number_or_dash(value: float | None) -> str:
    return number(value) if value is not None else "-"


def value_of(series: Series, value: float | None) -> str:
    return quantity(value, unit_of(series.namespace, series.metric_name))


def resource_label(series: Series) -> str:
    if series.resource:
        return series.resource.id
    return ", ".join(f"{k}={v}" for k, v in series.dimensions.items()) or series.namespace


def _series(series: Series, windows: Windows, lang: Lang) -> Evidence:
    labels = {"metric": series.metric_name, "resource": resource_label(series), "stat": series.stat_used}
    if not series.incident.count and not series.baseline.count:
        summary = t(lang, "ev.series.empty", **labels)
    else:
        ratio = t(lang, "ev.series.ratio", ratio=f"{series.change_ratio:.1f}") if series.change_ratio else ""
        peak = ""
        if series.peak is not None and series.peak_at is not None:
            peak = t(
                lang, "ev.series.peak", peak=value_of(series, series.peak), at=f"{series.peak_at:%H:%M}Z"
            )
        summary = t(
            lang,
            "ev.series",
            **labels,
            incident=value_of(series, series.incident.avg),
            baseline=value_of(series, series.baseline.avg),
            ratio=ratio,
            peak=peak,
        )
    if series.day_ago and series.day_ago.count:
        summary += t(lang, "ev.series.day_ago", value=value_of(series, series.day_ago.avg))
    if series.fallback:
        summary += t(lang, "ev.series.fallback", note=series.fallback)
    return Evidence(
        id=series_id(series),
        source="metrics",
        summary=summary,
        detail=series.model_dump(mode="json", exclude={"points", "key"}),
        window=windows.incident,
    )


def _signature(signature: LogSignature, windows: Windows, lang: Lang, region: str) -> Evidence:
    history_minutes = windows.history.minutes
    note = (
        t(lang, "ev.signature.new")
        if signature.new
        else t(lang, "ev.signature.baseline", baseline=signature.baseline_count, minutes=history_minutes)
    )
    group = signature.log_groups[0] if signature.log_groups else ""
    return Evidence(
        id=signature_id(signature),
        source="logs",
        summary=t(
            lang,
            "ev.signature",
            count=signature.count,
            level=t(lang, f"level.{signature.level}"),
            groups=", ".join(signature.log_groups),
            signature=signature.signature,
            baseline_note=note,
        ),
        detail=signature.model_dump(mode="json"),
        window=windows.incident,
        link=_console(region, "logsV2:log-groups/log-group/" + quote(quote(group, safe=""), safe="")),
    )


def _traces(traces: TracesData, windows: Windows, lang: Lang, region: str) -> list[Evidence]:
    link = _console(region, f"xray:traces/{traces.sample_trace_ids[0]}") if traces.sample_trace_ids else None
    found = [
        Evidence(
            id=TRACE_LATENCY,
            source="traces",
            summary=t(
                lang,
                "ev.traces.latency",
                analyzed=traces.analyzed,
                total=f"{traces.traces_in_window}+" if traces.more_in_window else traces.traces_in_window,
                p50=duration_ms(traces.p50_ms),
                p95=duration_ms(traces.p95_ms),
                slow_pct=percent(traces.slow_share),
                threshold=duration_ms(traces.slow_threshold_ms),
            ),
            detail=traces.model_dump(
                mode="json",
                include={
                    "p50_ms",
                    "p95_ms",
                    "max_ms",
                    "slow_share",
                    "slow_threshold_ms",
                    "analyzed",
                    "traces_in_window",
                    "sample_trace_ids",
                },
            ),
            window=windows.incident,
            link=link,
        ),
        Evidence(
            id=TRACE_FAULTS,
            source="traces",
            summary=t(
                lang,
                "ev.traces.faults",
                fault_pct=percent(traces.fault_rate),
                error_pct=percent(traces.error_rate),
                throttle_pct=percent(traces.throttle_rate),
            ),
            detail=traces.model_dump(mode="json", include={"fault_rate", "error_rate", "throttle_rate"}),
            window=windows.incident,
            link=link,
        ),
    ]
    found += [
        Evidence(
            id=contributor_id(c),
            source="traces",
            summary=t(
                lang,
                "ev.contributor",
                kind=t(lang, f"kind.{c.kind}"),
                name=c.name,
                share=percent(c.share),
                avg=duration_ms(c.avg_ms),
            ),
            detail=c.model_dump(mode="json"),
            window=windows.incident,
            link=link,
        )
        for c in traces.contributors
    ]
    return found


def alarm_evidence(data: AlarmData, at: Context) -> list[Evidence]:
    alarm, windows, lang = at.alarm, at.windows, at.lang
    link = _console(alarm.region, "alarmsV2:alarm/" + quote(alarm.name, safe=""))
    found = [
        Evidence(
            id=ALARM_STATE,
            source="alarm",
            summary=t(lang, "ev.alarm.state", reason=alarm.reason),
            detail={"state": alarm.state, "reason_data": alarm.reason_data},
            window=windows.incident,
            link=link,
        )
    ]
    metric = alarm.primary_metric
    if data.metric_exists is False and metric is not None:
        similar = "; ".join(
            ",".join(f"{k}={v}" for k, v in dims.items()) for dims in data.similar_metrics[:3]
        )
        summary = t(
            lang,
            "ev.alarm.metric_missing",
            namespace=metric.metric.namespace,
            metric=metric.metric.name,
            dimensions=", ".join(f"{k}={v}" for k, v in metric.metric.dimensions.items()),
        )
        if similar:
            summary += t(lang, "ev.alarm.similar", similar=similar)
        found.append(
            Evidence(
                id=ALARM_METRIC_MISSING,
                source="alarm",
                summary=summary,
                detail={"similar_metrics": data.similar_metrics},
                link=link,
            )
        )
    for issue in data.dimension_issues:
        suggestion = t(lang, "ev.alarm.suggestion", suggestion=issue.suggestion) if issue.suggestion else ""
        found.append(
            Evidence(
                id=dimension_id(issue.name),
                source="alarm",
                summary=t(
                    lang,
                    "ev.alarm.dimension",
                    name=issue.name,
                    value=issue.value,
                    namespace=metric.metric.namespace if metric else "",
                    expected=issue.expected,
                    suggestion=suggestion,
                ),
                detail=issue.model_dump(mode="json"),
                link=link,
            )
        )
    if data.children:
        states = ", ".join(f"{child.name} ({child.state})" for child in data.children)
        found.append(
            Evidence(
                id=ALARM_CHILDREN,
                source="alarm",
                summary=t(lang, "ev.alarm.children", children=states),
                detail={"children": [c.model_dump(mode="json") for c in data.children]},
                link=link,
            )
        )
    if data.history is not None:
        found.append(
            Evidence(
                id=ALARM_HISTORY,
                source="alarm",
                summary=t(
                    lang,
                    "ev.alarm.history",
                    transitions=data.history.transitions,
                    alarms=data.history.alarm_entries,
                ),
                detail=data.history.model_dump(mode="json"),
                link=link,
            )
        )
    return found


def _optional(lang: Lang, key: str, value: object) -> str:
    return t(lang, key, value=value) if value not in (None, "") else ""


def _change(change: Change, breach: datetime, lang: Lang) -> Evidence:
    return Evidence(
        id=change_id(change),
        source="changes",
        summary=t(
            lang,
            "ev.change",
            when=minutes_from_breach(change.at, breach, lang),
            action=change.action,
            resource=change.resource,
            identifier=_optional(lang, "ev.change.identifier", change.identifier),
            status=_optional(lang, "ev.change.status", change.status),
            actor=_optional(lang, "ev.change.actor", change.actor),
            detail=_optional(lang, "ev.change.detail", change.detail),
        )
        + (t(lang, "ev.change.rolled_back") if change.rolled_back else ""),
        detail=change.model_dump(mode="json"),
    )


def changes_evidence(data: ChangesData, at: Context) -> list[Evidence]:
    breach, lang = at.breach, at.lang
    looked_at = ", ".join(data.looked_at) or "-"
    overview = Evidence(
        id=CHANGES,
        source="changes",
        summary=t(lang, "ev.changes", count=len(data.changes), resources=looked_at)
        if data.changes
        else t(lang, "ev.changes.none", resources=looked_at),
        detail={"looked_at": data.looked_at, "changes": len(data.changes)},
        window=data.window,
    )
    return [overview, *(_change(c, breach, lang) for c in data.changes)]


def _invocations(report: InvocationReport, windows: Windows, lang: Lang) -> Evidence:
    return Evidence(
        id=invocations_id(report),
        source="logs",
        summary=t(
            lang,
            "ev.invocations",
            function=report.function,
            invocations=report.invocations,
            timeouts=report.timeouts,
            oom=report.out_of_memory,
            duration=duration_ms(report.max_duration_ms),
            used=report.max_memory_used_mb,
            size=report.memory_size_mb,
            cold=report.cold_starts,
        ),
        detail=report.model_dump(mode="json"),
        window=windows.incident,
    )


def _resource(evidence_id: str, state: Model, lang: Lang, key: str, /, **params: Any) -> Evidence:
    """A resource's state as the resources step read it: its summary worded by ``key``, the state itself."""
    return Evidence(
        id=evidence_id,
        source="resources",
        summary=t(lang, key, **params),
        detail=state.model_dump(mode="json"),
    )


def _targets(group: TargetGroupState, lang: Lang) -> Evidence:
    unhealthy = [target for target in group.targets if target.state == "unhealthy"]
    reasons = "; ".join(
        dict.fromkeys(f"{target.reason}: {target.description}" for target in unhealthy if target.reason)
    )
    zones = ", ".join(
        f"{zone} " + "/".join(f"{count} {state}" for state, count in sorted(states.items()))
        for zone, states in sorted(group.by_zone().items())
    )
    check = group.health_check
    return _resource(
        targets_id(group),
        group,
        lang,
        "ev.targets",
        name=group.name,
        unhealthy=len(unhealthy),
        total=len(group.targets),
        reasons=_optional(lang, "ev.targets.reasons", reasons),
        protocol=check.protocol or "",
        path=check.path or "",
        matcher=check.matcher or "-",
        zones=zones or "-",
    )


def _service(service: EcsServiceState, lang: Lang) -> Evidence:
    return _resource(
        service_id(service),
        service,
        lang,
        "ev.service",
        name=service.name,
        running=service.running,
        desired=service.desired,
        task_definition=service.task_definition or "-",
    )


def _function(function: FunctionState, lang: Lang) -> Evidence:
    reserved = function.reserved_concurrency
    return _resource(
        function_id(function),
        function,
        lang,
        "ev.function",
        name=function.name,
        timeout=function.timeout_s,
        memory=function.memory_mb,
        reserved=_optional(lang, "ev.function.reserved", reserved),
        vpc=_optional(lang, "ev.function.vpc", ", ".join(function.subnets)),
    )


def _storage(database: DatabaseState, lang: Lang) -> str:
    if database.allocated_storage_gb is None:
        return ""
    ceiling = (
        t(lang, "ev.database.storage_ceiling", value=database.max_allocated_storage_gb)
        if database.max_allocated_storage_gb
        else t(lang, "ev.database.no_autoscaling")
    )
    return t(
        lang,
        "ev.database.storage",
        allocated=database.allocated_storage_gb,
        type=database.storage_type or "?",
        ceiling=ceiling,
    )


def _database(database: DatabaseState, lang: Lang) -> Evidence:
    events = "; ".join(f"{e.at:%H:%M}Z {e.message}" for e in database.events[-3:])
    return _resource(
        database_id(database),
        database,
        lang,
        "ev.database",
        id=database.id,
        instance_class=database.instance_class or "?",
        engine=database.engine or "?",
        status=database.status or "?",
        max_connections=_optional(lang, "ev.database.max_connections", database.max_connections)
        + _optional(lang, "ev.database.replica", database.replica_of)
        + _storage(database, lang),
        events=_optional(lang, "ev.database.events", events),
    )


def dead_letter_sources(links: Sequence[DeadLetterLink], lang: Lang) -> str:
    """What sends its failures to a queue, worded by kind of relationship: the first, and how many more."""
    first, *rest = links
    text = t(lang, f"dl.{first.kind}", source=first.source_name, consumer=first.consumer or "?")
    return t(lang, "dl.more", first=text, count=len(rest)) if rest else text


def _queue(queue: QueueState, lang: Lang) -> list[Evidence]:
    confirmed = [link for link in queue.dead_letters if link.confirmed]
    if confirmed:
        role = t(lang, "ev.queue.dlq_of", sources=dead_letter_sources(confirmed, lang))
    elif queue.dead_letters:
        role = t(lang, "ev.queue.named_dlq")
    else:
        role = _optional(lang, "ev.queue.dlq", queue.dead_letter_target)
    found = [
        Evidence(
            id=queue_id(queue),
            source="resources",
            summary=t(
                lang,
                "ev.queue",
                name=queue.name,
                visible=queue.visible,
                in_flight=queue.in_flight,
                role=role,
            ),
            detail=queue.model_dump(mode="json", exclude={"peeked"}),
        )
    ]
    if queue.peeked:
        found.append(
            Evidence(
                id=dead_letter_id(queue),
                source="resources",
                summary=t(
                    lang,
                    "ev.dead_letter",
                    name=queue.name,
                    classification=t(lang, f"failure.{queue.peeked.classification}"),
                    matched=_optional(lang, "ev.dead_letter.matched", queue.peeked.matched),
                    sample=redact(queue.peeked.sample, 160),  # cut after redacting: no secret cut in two
                ),
                detail=queue.peeked.model_dump(mode="json"),
            )
        )
    return found


def _when(moment: datetime | None, breach: datetime, lang: Lang) -> str:
    """A moment near the breach as minutes from it; an older one as its date."""
    if moment is None:
        return "-"
    if abs(breach - moment) <= timedelta(days=1):
        return minutes_from_breach(moment, breach, lang)
    return f"{moment:%Y-%m-%d %H:%M}Z"


def _scaling(scaling: ScalingTarget | None, lang: Lang) -> str:
    if scaling is None:
        return ""
    return t(
        lang,
        "ev.table.scaling",
        dimension=scaling.dimension.rsplit(":", 1)[-1],
        min=scaling.min,
        max=scaling.max,
        suspended=t(lang, "ev.table.suspended") if scaling.suspended else "",
    )


def _table(table: TableState, lang: Lang) -> Evidence:
    if table.billing_mode == "PAY_PER_REQUEST":
        ceiling = (
            t(
                lang,
                "ev.table.ceiling",
                read=table.max_read_request_units or "-",
                write=table.max_write_request_units or "-",
            )
            if table.max_read_request_units or table.max_write_request_units
            else ""
        )
        billing = t(lang, "ev.table.on_demand", ceiling=ceiling)
        scaling = ""
    else:
        billing = t(
            lang, "ev.table.provisioned", read=table.read_capacity or "-", write=table.write_capacity or "-"
        )
        scaling = _scaling(table.read_scaling, lang) + _scaling(table.write_scaling, lang) or t(
            lang, "ev.table.no_scaling"
        )
    indexes = "".join(
        t(lang, "ev.table.index", name=i.name, read=i.read_capacity or "-", write=i.write_capacity or "-")
        for i in table.indexes
        if i.read_capacity or i.write_capacity
    )
    return Evidence(
        id=table_id(table),
        source="resources",
        summary=t(lang, "ev.table", name=table.name, billing=billing, scaling=scaling, indexes=indexes),
        detail=table.model_dump(mode="json"),
    )


def _stage(stage: ApiStageState, lang: Lang) -> Evidence:
    throttles = ", ".join(
        t(
            lang,
            "ev.stage.throttle",
            route=th.route,
            rate=number_or_dash(th.rate_limit),
            burst=number_or_dash(th.burst_limit),
        )
        for th in stage.throttles[:3]
    )
    plans = ", ".join(
        t(
            lang,
            "ev.stage.plan",
            name=plan.name or plan.id,
            rate=number_or_dash(plan.rate_limit),
            burst=number_or_dash(plan.burst_limit),
            quota=f"{plan.quota_limit}/{plan.quota_period}" if plan.quota_limit else "-",
        )
        for plan in stage.usage_plans[:3]
    )
    account = stage.account_limit
    return _resource(
        stage_id(stage),
        stage,
        lang,
        "ev.stage",
        kind=stage.api_type.upper(),
        api=stage.api_name or stage.api_id,
        stage=stage.stage,
        throttle=throttles or t(lang, "ev.stage.no_throttle"),
        plans=_optional(lang, "ev.stage.plans", plans),
        account=t(
            lang,
            "ev.stage.account",
            rate=number_or_dash(account.rate_limit),
            burst=number_or_dash(account.burst_limit),
        )
        if account
        else "",
        logging=", ".join(stage.log_groups) or stage.logging_level or "OFF",
    )


def _cache(cache: CacheState, lang: Lang) -> Evidence:
    events = "; ".join(f"{e.at:%H:%M}Z {e.message}" for e in cache.events[-3:])
    return _resource(
        cache_id(cache),
        cache,
        lang,
        "ev.cache",
        id=cache.id,
        engine=cache.engine or "?",
        node_type=cache.node_type or "?",
        nodes=cache.nodes if cache.nodes is not None else "?",
        status=cache.status or "?",
        policy=_optional(lang, "ev.cache.policy", cache.maxmemory_policy),
        failover=_optional(lang, "ev.cache.failover", cache.automatic_failover),
        events=_optional(lang, "ev.database.events", events),
    )


def _stream(stream: StreamState, lang: Lang) -> Evidence:
    return _resource(
        stream_id(stream),
        stream,
        lang,
        "ev.stream",
        name=stream.name,
        mode=stream.mode or "?",
        shards=stream.open_shards if stream.open_shards is not None else "?",
        consumers=stream.consumers if stream.consumers is not None else "?",
        status=stream.status or "?",
    )


def _instance(instance: InstanceState, breach: datetime, lang: Lang) -> Evidence:
    events = "; ".join(f"{e.code} {_when(e.not_before, breach, lang)}" for e in instance.scheduled_events[:3])
    return _resource(
        instance_id(instance),
        instance,
        lang,
        "ev.instance",
        id=instance.id,
        type=instance.type or "?",
        credits=_optional(lang, "ev.instance.credits", instance.cpu_credits if instance.burstable else None),
        state=instance.state or "?",
        system=instance.system_status or "?",
        instance=instance.instance_status or "?",
        events=_optional(lang, "ev.instance.events", events),
    )


def _nat_gateway(gateway: NatGatewayState, lang: Lang) -> Evidence:
    return _resource(
        nat_gateway_id(gateway),
        gateway,
        lang,
        "ev.nat",
        id=gateway.id,
        state=gateway.state or "?",
        connectivity=gateway.connectivity or "public",
        addresses=gateway.addresses,
        subnet=gateway.subnet or "?",
        failure=_optional(lang, "ev.nat.failure", gateway.failure),
    )


def _certificate(certificate: CertificateState, lang: Lang) -> Evidence:
    renewal = (
        t(
            lang,
            "ev.certificate.renewal",
            eligibility=certificate.renewal_eligibility or "?",
            status=certificate.renewal_status or "-",
            reason=f" ({certificate.renewal_reason})" if certificate.renewal_reason else "",
        )
        if certificate.renewal_eligibility or certificate.renewal_status
        else ""
    )
    return _resource(
        certificate_id(certificate),
        certificate,
        lang,
        "ev.certificate",
        domain=certificate.domain or certificate.arn,
        type=certificate.type or "?",
        status=certificate.status or "?",
        expires=f"{certificate.not_after:%Y-%m-%d %H:%M}Z" if certificate.not_after else "-",
        days=f"{certificate.days_to_expiry:.1f}" if certificate.days_to_expiry is not None else "?",
        renewal=renewal,
    )


def _volume(volume: VolumeState, lang: Lang) -> Evidence:
    return _resource(
        volume_id(volume),
        volume,
        lang,
        "ev.volume",
        id=volume.id,
        type=volume.type or "?",
        size=volume.size_gb if volume.size_gb is not None else "?",
        iops=_optional(lang, "ev.volume.iops", volume.iops),
        attached=", ".join(volume.attached_to) or "-",
    )


def _file_system(file_system: FileSystemState, lang: Lang) -> Evidence:
    size = quantity(float(file_system.size_bytes), "bytes") if file_system.size_bytes else None
    return _resource(
        file_system_id(file_system),
        file_system,
        lang,
        "ev.file_system",
        id=file_system.name or file_system.id,
        throughput=file_system.throughput_mode or "?",
        performance=file_system.performance_mode or "?",
        size=_optional(lang, "ev.file_system.size", size),
    )


def _state_machine(machine: StateMachineState, lang: Lang) -> Evidence:
    return _resource(
        state_machine_id(machine),
        machine,
        lang,
        "ev.state_machine",
        name=machine.name,
        type=machine.type or "?",
        status=machine.status or "?",
        level=machine.logging_level or "OFF",
    )


def _rule(rule: EventRuleState, lang: Lang) -> Evidence:
    targets = "; ".join(
        t(
            lang,
            "ev.rule.target",
            target=target.arn.rsplit(":", 1)[-1],
            dead_letter=t(lang, "ev.rule.dead_letter", value=target.dead_letter_queue.rsplit(":", 1)[-1])
            if target.dead_letter_queue
            else t(lang, "ev.rule.no_dead_letter"),
            retries=target.max_retries if target.max_retries is not None else EVENTBRIDGE_RETRIES,
        )
        for target in rule.targets[:3]
    )
    return Evidence(
        id=rule_id(rule),
        source="resources",
        summary=t(
            lang, "ev.rule", name=rule.name, bus=rule.bus, state=rule.state or "?", targets=targets or "-"
        ),
        detail=rule.model_dump(mode="json"),
    )


def _secret(secret: SecretState, breach: datetime, lang: Lang) -> Evidence:
    rotation = (
        t(lang, "ev.secret.rotation", value=secret.rotation_days or "?")
        if secret.rotation_enabled
        else t(lang, "ev.secret.no_rotation")
    )
    return _resource(
        secret_id(secret),
        secret,
        lang,
        "ev.secret",
        name=secret.name,
        changed=_when(secret.last_changed, breach, lang),
        rotated=t(lang, "ev.secret.rotated", value=_when(secret.last_rotated, breach, lang))
        if secret.last_rotated
        else "",
        rotation=rotation + (t(lang, "ev.secret.deleted") if secret.deleted else ""),
        named_by=", ".join(secret.named_by) or "-",
    )


def _network(network: NetworkState, lang: Lang) -> list[Evidence]:
    side_by_side = " | ".join(
        t(
            lang,
            "ev.subnet",
            id=subnet.id,
            zone=subnet.zone or "?",
            role=subnet.role,
            route=subnet.default_route or "-",
            endpoints=",".join(e.rsplit(".", 1)[-1] for e in subnet.endpoint_services) or "-",
            acl="ok" if subnet.acl_inbound_return and subnet.acl_outbound_return else "no-return",
        )
        for subnet in network.subnets
    )
    found = [
        Evidence(
            id=NETWORK,
            source="resources",
            summary=t(lang, "ev.network", vpc=network.vpc, subnets=side_by_side or "-"),
            detail=network.model_dump(
                mode="json", include={"vpc", "subnets", "endpoints", "security_groups"}
            ),
        )
    ]
    found += [
        Evidence(
            id=difference_id(d),
            source="resources",
            summary=t(
                lang,
                "ev.difference",
                subnet=d.subnet,
                zone=d.zone or "?",
                role=d.role,
                aspect=t(lang, f"aspect.{d.aspect}"),
                value=d.value,
                others=d.others,
            ),
            detail=d.model_dump(mode="json"),
        )
        for d in network.differences
    ]
    return found


def resources_evidence(data: ResourcesData, at: Context) -> list[Evidence]:
    lang = at.lang
    found = [_targets(group, lang) for group in data.target_groups]
    found += [_service(service, lang) for service in data.services]
    found += [_function(function, lang) for function in data.functions]
    found += [_database(database, lang) for database in data.databases]
    found += [item for queue in data.queues for item in _queue(queue, lang)]
    found += [_table(table, lang) for table in data.tables]
    found += [_stage(stage, lang) for stage in data.stages]
    found += [_cache(cache, lang) for cache in data.caches]
    found += [_stream(stream, lang) for stream in data.streams]
    found += [_instance(instance, at.breach, lang) for instance in data.instances]
    found += [_nat_gateway(gateway, lang) for gateway in data.nat_gateways]
    found += [_certificate(certificate, lang) for certificate in data.certificates]
    found += [_volume(volume, lang) for volume in data.volumes]
    found += [_file_system(file_system, lang) for file_system in data.file_systems]
    found += [_state_machine(machine, lang) for machine in data.state_machines]
    found += [_rule(rule, lang) for rule in data.rules]
    found += [_secret(secret, at.breach, lang) for secret in data.secrets]
    if data.network:
        found += _network(data.network, lang)
    return found


def metrics_evidence(data: MetricsData, at: Context) -> list[Evidence]:
    return [_series(s, at.windows, at.lang) for s in data.series]


def logs_evidence(data: LogsData, at: Context) -> list[Evidence]:
    found = [_signature(s, at.windows, at.lang, at.region) for s in data.signatures]
    return found + [_invocations(r, at.windows, at.lang) for r in data.invocations]


def traces_evidence(data: TracesData, at: Context) -> list[Evidence]:
    return _traces(data, at.windows, at.lang, at.region) if data.analyzed else []
