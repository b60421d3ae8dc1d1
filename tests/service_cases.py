"""One world per namespace of the service catalog: the service, its metric moved by a fault, an alarm on it.

Shared by the scenario test of each namespace and the permissions test, which runs each through the
workflow's steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from alarm_analyzer.models import ResourcesData
from alarm_devtools.emulator import world_services as ws
from alarm_devtools.emulator.scenarios import Scenario
from alarm_devtools.emulator.world import AlarmSpec, Fault, LogLine

APP_LOGS = "/ecs/orders-api"


@dataclass(frozen=True)
class Case:
    services: ws.Services
    namespace: str
    metric: str
    dimensions: dict[str, str]
    statistic: str
    threshold: float
    described: Callable[[ResourcesData], bool]  # its state, as read
    own_logs: str | None = None  # the LogLine group its own log lines go to; None: it writes none
    comparison: str = "GreaterThanThreshold"


def _moved(metric: str, normal: float, fault: float) -> dict[str, ws.Level]:
    return {metric: ws.Level(normal, fault, spread=0.02)}


CASES: dict[str, Case] = {
    "AWS/DynamoDB": Case(
        ws.Services(
            table=ws.Table(
                write_capacity=50,
                index="by-customer",
                write_scaling=(50, 100),
                metrics=_moved("WriteThrottleEvents", 0, 400),
            )
        ),
        "AWS/DynamoDB",
        "WriteThrottleEvents",
        {"TableName": "{table}"},
        "Sum",
        50,
        lambda r: (
            r.tables[0].write_capacity == 50
            and r.tables[0].write_scaling is not None
            and r.tables[0].write_scaling.max == 100
            and r.tables[0].indexes[0].write_capacity == 10
        ),
    ),
    "AWS/ApiGateway (REST)": Case(
        ws.Services(
            api=ws.Api(
                rate_limit=100, burst_limit=200, usage_plan=(50, 100), metrics=_moved("4XXError", 30, 900)
            )
        ),
        "AWS/ApiGateway",
        "4XXError",
        {"ApiName": "{api}", "Stage": "{stage}"},
        "Sum",
        100,
        lambda r: (
            r.stages[0].rate_limit == 100
            and r.stages[0].usage_plans[0].rate_limit == 50
            and r.stages[0].account_limit is not None
        ),
        own_logs="api",
    ),
    "AWS/ApiGateway (HTTP)": Case(
        ws.Services(api=ws.Api(kind="http", rate_limit=40, metrics=_moved("4xx", 30, 900))),
        "AWS/ApiGateway",
        "4xx",
        {"ApiId": "{api_id}", "Stage": "{stage}"},
        "Sum",
        100,
        lambda r: r.stages[0].api_type == "http" and r.stages[0].rate_limit == 40,
        own_logs="api",
    ),
    "AWS/ElastiCache": Case(
        ws.Services(
            cache=ws.Cache(
                maxmemory_policy="allkeys-lru",
                metrics=_moved("Evictions", 0, 5000),
                events=((timedelta(minutes=20), "Cache node 0001 restarted"),),
            )
        ),
        "AWS/ElastiCache",
        "Evictions",
        {"CacheClusterId": "{cache}"},
        "Sum",
        100,
        lambda r: r.caches[0].maxmemory_policy == "allkeys-lru" and r.caches[0].events[0].kind == "reboot",
        own_logs="cache",
    ),
    "AWS/Kinesis": Case(
        ws.Services(
            stream=ws.Stream(shards=4, metrics=_moved("GetRecords.IteratorAgeMilliseconds", 400, 90000))
        ),
        "AWS/Kinesis",
        "GetRecords.IteratorAgeMilliseconds",
        {"StreamName": "{stream}"},
        "Maximum",
        60000,
        lambda r: r.streams[0].open_shards == 4 and r.streams[0].mode == "PROVISIONED",
    ),
    "AWS/EC2": Case(
        ws.Services(
            instance=ws.Instance(
                system_status="impaired",
                scheduled=(("instance-retirement", timedelta(days=3)),),
                metrics={"StatusCheckFailed_System": ws.Level(0, 1, spread=0, pinned=True)},
            )
        ),
        "AWS/EC2",
        "StatusCheckFailed_System",
        {"InstanceId": "{instance}"},
        "Maximum",
        0,
        lambda r: (
            r.instances[0].system_status == "impaired"
            and r.instances[0].burstable
            and r.instances[0].cpu_credits == "standard"
            and r.instances[0].scheduled_events[0].code == "instance-retirement"
        ),
        own_logs="instance",
    ),
    "CWAgent": Case(
        ws.Services(instance=ws.Instance(metrics=_moved("disk_used_percent", 61, 97))),
        "CWAgent",
        "disk_used_percent",
        {"InstanceId": "{instance}", "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
        "Maximum",
        90,
        lambda r: r.instances[0].type == "t3.medium",
        own_logs="instance",
    ),
    "AWS/NATGateway": Case(
        ws.Services(nat=ws.NatGateway(metrics=_moved("ErrorPortAllocation", 0, 300))),
        "AWS/NATGateway",
        "ErrorPortAllocation",
        {"NatGatewayId": "{nat}"},
        "Sum",
        10,
        lambda r: r.nat_gateways[0].state == "available" and r.nat_gateways[0].addresses == 1,
    ),
    "AWS/CertificateManager": Case(
        ws.Services(certificate=ws.Certificate(expires_in=timedelta(days=5), type="IMPORTED")),
        "AWS/CertificateManager",
        "DaysToExpiry",
        {"CertificateArn": "{certificate}"},
        "Minimum",
        14,
        lambda r: (
            r.certificates[0].days_to_expiry is not None
            and 4.9 < r.certificates[0].days_to_expiry < 5.1
            and r.certificates[0].renewal_eligibility == "INELIGIBLE"
        ),
        comparison="LessThanThreshold",
    ),
    "AWS/RDS (replica)": Case(
        ws.Services(replica=ws.Replica(metrics=_moved("ReplicaLag", 0.4, 600))),
        "AWS/RDS",
        "ReplicaLag",
        {"DBInstanceIdentifier": "orders-db-replica"},
        "Maximum",
        60,
        lambda r: any(d.replica_of == "orders-db" and d.allocated_storage_gb == 50 for d in r.databases),
    ),
    "AWS/RDS (storage)": Case(
        ws.Services(storage=ws.Storage(max_allocated_gb=200, metrics=_moved("FreeStorageSpace", 31e9, 1e9))),
        "AWS/RDS",
        "FreeStorageSpace",
        {"DBInstanceIdentifier": "{database}"},
        "Minimum",
        5e9,
        lambda r: r.databases[0].max_allocated_storage_gb == 200,
        comparison="LessThanThreshold",
    ),
    "AWS/EBS": Case(
        ws.Services(volume=ws.Volume(metrics=_moved("BurstBalance", 96, 0))),
        "AWS/EBS",
        "BurstBalance",
        {"VolumeId": "{volume}"},
        "Minimum",
        20,
        lambda r: r.volumes[0].type == "gp2" and r.volumes[0].burstable,
        comparison="LessThanThreshold",
    ),
    "AWS/EFS": Case(
        ws.Services(file_system=ws.FileSystem(metrics=_moved("BurstCreditBalance", 2.1e12, 0))),
        "AWS/EFS",
        "BurstCreditBalance",
        {"FileSystemId": "{file_system}"},
        "Minimum",
        1e11,
        lambda r: r.file_systems[0].throughput_mode == "bursting",
        comparison="LessThanThreshold",
    ),
    "AWS/States": Case(
        ws.Services(state_machine=ws.StateMachine(metrics=_moved("ExecutionsFailed", 0, 20))),
        "AWS/States",
        "ExecutionsFailed",
        {"StateMachineArn": "{state_machine}"},
        "Sum",
        5,
        lambda r: r.state_machines[0].logging_level == "ERROR" and r.state_machines[0].type == "STANDARD",
        own_logs="states",
    ),
    "AWS/Events": Case(
        ws.Services(rule=ws.Rule(metrics=_moved("FailedInvocations", 0, 3))),
        "AWS/Events",
        "FailedInvocations",
        {"RuleName": "{rule}"},
        "Sum",
        1,
        lambda r: r.rules[0].state == "ENABLED" and r.rules[0].targets[0].dead_letter_queue is None,
    ),
}


def scenario_for(name: str, case: Case) -> Scenario:
    """A world with the case's service, its metric moved by the fault, and an alarm on it."""
    lines = (LogLine(case.own_logs, "ERROR something in {n} failed", 3),) if case.own_logs else ()
    alarm = AlarmSpec(
        name=f"catalog-{name.lower().replace('/', '-').replace(' ', '')}",
        namespace=case.namespace,
        metric=case.metric,
        dimensions=case.dimensions,
        statistic=case.statistic,
        period=60,
        evaluation_periods=2,
        threshold=case.threshold,
        comparison=case.comparison,
        tags={"analyzer:log-groups": APP_LOGS},
    )
    return Scenario(
        name=alarm.name,
        expected="inconclusive",
        summary=f"an alarm on {name}",
        alarm=alarm,
        services=case.services,
        fault=Fault(starts=timedelta(minutes=12), log_lines=lines),
    )
