"""Seeded incidents: a world, a fault, the alarm that fires, and the category a good analysis finds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..aws import AwsClients
from ..events import event_from_alarm
from ..report import Category
from . import world
from .world import MB, AlarmSpec, Fault, Load, LogLine, Names


@dataclass(frozen=True)
class Scenario:
    name: str
    expected: Category
    summary: str
    alarm: AlarmSpec
    fault: Fault | None = None
    names: Names = field(default_factory=Names)
    load: Load = field(default_factory=Load)


@dataclass
class Incident:
    scenario: Scenario
    event: dict[str, Any]
    built: world.Built


def seed(clients: AwsClients, scenario: Scenario) -> Incident:
    """Create the world, three hours of its telemetry with the fault in it, and fire the alarm.

    ``clients`` must be made with ``world.SEEDING_CONFIG``; the event is the one CloudWatch would send.
    """
    now = world.utcnow()
    built = world.build(clients, scenario.names)
    rng = world.Rng(scenario.name)
    minutes = world.timeline(now, scenario.load, scenario.fault)
    points = world.metric_points(built, minutes, rng)
    world.put_metrics(clients, points)
    world.put_logs(clients, world.log_events(built, minutes, rng))
    world.put_traces(clients, world.trace_documents(built, minutes, rng, now))
    world.fire(clients, built, scenario.alarm, points, now)
    described = clients.cloudwatch.describe_alarms(AlarmNames=[scenario.alarm.name])["MetricAlarms"][0]
    # The world's alarm was OK until the fault fired it.
    event = event_from_alarm(described, clients.region, previous_state="OK")
    return Incident(scenario=scenario, event=event, built=built)


RUNBOOK = "https://wiki.example.com/runbooks/{service}"


def _latency_alarm(names: Names, threshold: float) -> AlarmSpec:
    return AlarmSpec(
        name=f"{names.service}-alb-target-response-time",
        namespace="AWS/ApplicationELB",
        metric="TargetResponseTime",
        dimensions={"LoadBalancer": "{load_balancer}", "TargetGroup": "{target_group}"},
        statistic="Average",
        period=60,
        evaluation_periods=2,
        threshold=threshold,
        comparison="GreaterThanThreshold",
        description=f"{names.service} responds slowly. Runbook: {RUNBOOK.format(service=names.service)}",
        tags={
            "analyzer:log-groups": f"{names.app_log_group},{names.db_log_group}",
            "analyzer:service": names.service,
        },
    )


def _db_connection_pool(names: Names) -> Scenario:
    return Scenario(
        name="db-connection-pool",
        expected="database_connection_exhaustion",
        summary="The app's connection pools drain the database's connection slots; requests queue for one.",
        names=names,
        alarm=_latency_alarm(names, 2.0),
        fault=Fault(
            sql_extra_ms=3000,
            affected_share=0.85,
            load={"db_connections": 100, "fault_share": 0.04, "db_cpu": 26},
            log_lines=(
                LogLine(
                    "app",
                    "ERROR sqlalchemy.exc.TimeoutError: QueuePool limit of size 20 overflow 10 reached, "
                    "connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)",
                    6,
                ),
                LogLine(
                    "db",
                    "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
                    2,
                ),
            ),
        ),
    )


def _rds_memory(names: Names) -> Scenario:
    return Scenario(
        name="rds-memory",
        expected="database_resource_pressure",
        summary="Queries sorting into temporary files squeeze the database's memory; it starts swapping.",
        names=names,
        alarm=AlarmSpec(
            name=f"{names.database}-freeable-memory",
            namespace="AWS/RDS",
            metric="FreeableMemory",
            dimensions={"DBInstanceIdentifier": "{database}"},
            statistic="Average",
            period=300,
            evaluation_periods=2,
            threshold=536870912,
            comparison="LessThanThreshold",
            description="Database memory is low.",
            tags={"analyzer:service": names.service},
        ),
        fault=Fault(
            starts=timedelta(minutes=18),
            ramp_minutes=10,
            sql_extra_ms=1400,
            affected_share=0.6,
            load={"db_memory": 430 * MB, "db_swap": 120 * MB, "db_read_latency": 0.008, "db_cpu": 38},
            log_lines=(
                LogLine(
                    "db", 'LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{n}.0", size {n}4857600', 4
                ),
            ),
        ),
    )


def _misconfigured_alarm(names: Names) -> Scenario:
    return Scenario(
        name="misconfigured-alarm",
        expected="alarm_misconfiguration",
        summary="A HealthyHostCount alarm names its target group without the targetgroup/<name>/<id> form.",
        names=names,
        alarm=AlarmSpec(
            name=f"{names.service}-healthy-hosts",
            namespace="AWS/ApplicationELB",
            metric="HealthyHostCount",
            dimensions={"TargetGroup": "{target_group_name}", "LoadBalancer": "{load_balancer}"},
            statistic="Minimum",
            period=60,
            evaluation_periods=2,
            threshold=1,
            comparison="LessThanThreshold",
            treat_missing_data="breaching",
            description=f"No healthy {names.service} task. Runbook: {RUNBOOK.format(service=names.service)}",
            tags={"analyzer:log-groups": names.app_log_group, "analyzer:service": names.service},
        ),
    )


def _slow_external(names: Names) -> Scenario:
    return Scenario(
        name="slow-external",
        expected="downstream_dependency_latency",
        summary="A third-party API the service calls on every request slows to over two seconds.",
        names=names,
        alarm=_latency_alarm(names, 1.5),
        fault=Fault(
            remote_extra_ms=2200,
            affected_share=0.8,
            log_lines=(
                LogLine(
                    "app",
                    f"WARN httpx.ReadTimeout: timed out calling https://{names.remote_host}/v2/quotes, retrying",
                    3,
                ),
            ),
        ),
    )


def _slow_logic(names: Names) -> Scenario:
    return Scenario(
        name="slow-logic",
        expected="application_code_latency",
        summary="A code path in the service itself (document rendering) takes five seconds.",
        names=names,
        alarm=_latency_alarm(names, 2.0),
        fault=Fault(code_extra_ms=4800, affected_share=0.7),
    )


def _healthy_noise(names: Names) -> Scenario:
    return Scenario(
        name="healthy-noise",
        expected="inconclusive",
        summary="A one-minute blip of a few 5xx over the usual background errors; nothing is broken.",
        names=names,
        load=Load(fault_share=0.01),
        alarm=AlarmSpec(
            name=f"{names.service}-5xx",
            namespace="AWS/ApplicationELB",
            metric="HTTPCode_Target_5XX_Count",
            dimensions={"LoadBalancer": "{load_balancer}"},
            statistic="Sum",
            period=60,
            evaluation_periods=1,
            threshold=5,
            comparison="GreaterThanThreshold",
            tags={"analyzer:log-groups": names.app_log_group, "analyzer:service": names.service},
        ),
        # One bad minute: the last complete one, which the alarm just evaluated.
        fault=Fault(
            starts=timedelta(minutes=1),
            lasts=timedelta(minutes=1),
            ramp_minutes=1,
            load={"fault_share": 0.07},
        ),
    )


DEMO_SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        _db_connection_pool(Names()),
        _rds_memory(Names()),
        _misconfigured_alarm(Names()),
        _slow_external(Names()),
        _slow_logic(Names()),
        _healthy_noise(Names()),
    )
}
DEFAULT_SCENARIO = "db-connection-pool"
