"""The scope, resolved once, reaches every gatherer: a composite alarm's children's resources, the
Japanese report of a false alarm, and a loud log window read from the breach backwards."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.correlate import correlate
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.models import ChangesData, CorrelateInput, LogsData, ResourcesData
from alarm_analyzer.pipeline import analyze, gather, resolve
from alarm_analyzer.render import RENDERERS
from alarm_analyzer.scope import windows_for
from alarm_devtools.emulator import world
from alarm_devtools.emulator.benchmark import REGION
from alarm_devtools.emulator.catalog import SCENARIOS as EVERY_SCENARIO
from alarm_devtools.emulator.injected import injected
from alarm_devtools.emulator.scenarios import SCENARIOS, seed
from tests.conftest import load
from tests.languages import english_sentences

pytestmark = pytest.mark.usefixtures("aws_env")


def _clients() -> AwsClients:
    return AwsClients(session=world.shared_session(REGION))


def _composite(incident: Any, children: list[str]) -> dict[str, Any]:
    """The EventBridge event of a composite alarm over ``children``, changing state with the incident."""
    event = copy.deepcopy(load("aws/eb-composite.json"))
    detail = event["detail"]
    detail["alarmName"] = "shop-degraded"
    event["resources"] = [f"arn:aws:cloudwatch:{REGION}:{world.ACCOUNT}:alarm:shop-degraded"]
    detail["configuration"] = {"alarmRule": " OR ".join(f"ALARM({name})" for name in children)}
    stamp = incident.event["detail"]["state"]["timestamp"]
    detail["state"]["timestamp"] = stamp
    detail["state"].pop("actionsSuppressedBy")
    detail["state"].pop("actionsSuppressedReason")
    detail["previousState"]["timestamp"] = stamp
    event["time"] = incident.event["time"]
    return event


def test_a_composite_alarm_brings_its_childrens_resources_to_every_gatherer() -> None:
    scenario = SCENARIOS["db-connection-pool"]  # an ALB latency alarm over ECS, an RDS database behind
    with mock_aws():
        incident = seed(
            AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG), scenario
        )
        database = scenario.names.database
        _clients().cloudwatch.put_metric_alarm(
            AlarmName="orders-db-connections", Namespace="AWS/RDS", MetricName="DatabaseConnections",
            Dimensions=[{"Name": "DBInstanceIdentifier", "Value": database}], Statistic="Maximum", Period=60,
            EvaluationPeriods=3, Threshold=80, ComparisonOperator="GreaterThanThreshold",
        )  # fmt: skip
        event = _composite(incident, [scenario.alarm.name, "orders-db-connections"])
        assert parse_alarm_event(event).type == "composite"
        with injected(incident.responses):
            request = resolve(event, _clients())
            found = {
                source: gather(source, request, _clients()) for source in ("logs", "changes", "resources")
            }
    assert request.scope is not None
    kinds = {r.kind for r in request.scope.resources}
    assert {"load_balancer", "rds_instance", "ecs_service"} <= kinds
    logs = found["logs"].data_as(LogsData)
    assert logs is not None
    read = {group.name for group in logs.groups}
    assert scenario.names.app_log_group in read  # the ECS service behind the ALB child
    assert any(name.startswith(f"/aws/rds/instance/{database}/") for name in read)  # the RDS child
    changes = found["changes"].data_as(ChangesData)
    assert changes is not None
    assert database in changes.looked_at
    assert scenario.names.service in changes.looked_at
    resources = found["resources"].data_as(ResourcesData)
    assert resources is not None
    assert [d.id for d in resources.databases] == [database]
    assert resources.target_groups


def test_the_japanese_report_of_a_false_alarm_has_no_english_sentence() -> None:
    scenario = SCENARIOS["misconfigured-alarm"]
    with mock_aws():
        incident = seed(
            AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG), scenario
        )
        incident.event["detail"].pop("alarmTags", None)
        with injected(incident.responses):
            report = analyze(incident.event, _clients, "ja", scenario.settings)
    assert report.root_cause.category == "alarm_misconfiguration"
    assert report.gaps, "the gaps (notes of the sources) are part of what is checked"
    for name, render in RENDERERS.items():
        output = render(report)
        leaks = [
            f"{where}: {part!r}"
            for where, parts in english_sentences().items()
            for part in parts
            if part in output
        ]
        assert not leaks, (name, leaks)


def _flood(clients: AwsClients, group: str, start: Any, end: Any, lines: int) -> None:
    """``lines`` ordinary request lines spread evenly over the window, in a stream of their own."""
    logs = clients.logs
    logs.create_log_stream(logGroupName=group, logStreamName="flood")
    first, span = int(start.timestamp() * 1000), int((end - start).total_seconds() * 1000)
    events = [
        {
            "timestamp": first + span * i // lines,
            "message": f"WARN GET /catalog/{i} took {i % 900} ms, slow request",
        }
        for i in range(lines)
    ]
    for batch in range(0, lines, 10_000):
        logs.put_log_events(
            logGroupName=group, logStreamName="flood", logEvents=events[batch : batch + 10_000]
        )


def test_a_loud_window_finds_the_fault_next_to_the_breach_and_says_which_minutes_were_read() -> None:
    """100,000 lines in the incident window; the fault's lines only in its last three minutes."""
    base = SCENARIOS["hikari-pool-mysql-too-many-connections"]
    assert base.fault is not None
    late = replace(base, fault=replace(base.fault, starts=timedelta(minutes=3), ramp_minutes=0))
    with mock_aws():
        seeding = AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG)
        incident = seed(seeding, late)
        windows = windows_for(parse_alarm_event(incident.event))
        _flood(seeding, late.names.app_log_group, windows.incident.start, windows.incident.end, 100_000)
        with injected(incident.responses):
            request = resolve(incident.event, _clients(), late.settings)
            logs = gather("logs", request, _clients(), late.settings)
            report = correlate(CorrelateInput(event=request.event, scope=request.scope, results=[logs]))
    data = logs.data_as(LogsData)
    assert data is not None
    (app,) = [g for g in data.groups if g.name == late.names.app_log_group]
    assert app.truncated
    assert app.matches >= 90_000  # read in part, counted for the whole window
    fault = [s for s in data.signatures if s.new and s.level == "error"]
    assert fault, [s.signature for s in data.signatures]
    assert all(s.first_seen >= windows.incident.end - timedelta(minutes=4) for s in fault)
    (sampled,) = [g for g in report.gaps if g.code == "logs_sampled" and g.params["group"] == app.name]
    assert sampled.params["window"] == "incident"
    assert float(sampled.params["read"]) < windows.incident.minutes
    assert f"{windows.incident.minutes} minutes" in sampled.reason


def test_an_alarm_on_the_database_finds_the_cache_in_front_of_it_through_the_service_s_traces() -> None:
    """Nothing in an RDS alarm names the cache: the service's traces call it by its endpoint, which names
    its replication group; the group's configuration names its member clusters and its slow log."""
    scenario = EVERY_SCENARIO["page-cache-evicts-database-cpu"]
    cache = scenario.services.cache
    assert cache is not None
    with mock_aws():
        incident = seed(
            AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG), scenario
        )
        with injected(incident.responses):
            request = resolve(incident.event, _clients())
            resources = gather("resources", request, _clients()).data_as(ResourcesData)
    assert request.scope is not None
    found = {(r.kind, r.id, r.via) for r in request.scope.resources}
    assert ("replication_group", cache.id, "traces") in found
    assert ("cache_cluster", f"{cache.id}-001", "configuration") in found
    assert f"/elasticache/{cache.id}/slow-log" in request.scope.log_groups
    assert resources is not None
    assert [(c.id, c.maxmemory_policy) for c in resources.caches] == [(cache.id, cache.maxmemory_policy)]
