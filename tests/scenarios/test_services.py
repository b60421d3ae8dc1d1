"""Each namespace of the service catalog, in the emulator: an alarm on it gets its resource described,
its related metrics read against the baseline, and its log groups searched (where it writes any).

Each case seeds the world with one service (``world_services``) whose metric the fault moves, fires an
alarm on it and runs the scope and three sources on it as the workflow does. Facts moto cannot hold
(ElastiCache events and parameters, impaired status checks, certificate dates, secret rotation) are
answered in the real response shapes through ``injected``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.catalog import kind_of, related_metrics
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.models import ChangesData, LogsData, MetricsData, Resource, ResourcesData
from alarm_analyzer.pipeline import gather, resolve
from alarm_analyzer.scope import alarm_resources
from alarm_devtools.emulator import world
from alarm_devtools.emulator import world_services as ws
from alarm_devtools.emulator.benchmark import REGION
from alarm_devtools.emulator.injected import injected
from alarm_devtools.emulator.scenarios import Scenario, seed
from tests.service_cases import APP_LOGS, CASES, Case, scenario_for


def _clients() -> AwsClients:
    return AwsClients(session=world.shared_session(REGION))


def _analyzed(scenario: Scenario) -> tuple[Any, dict[str, Any]]:
    with mock_aws():
        incident = seed(
            AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG), scenario
        )
        with injected(incident.responses):
            request = resolve(incident.event, _clients())
            results = {
                name: gather(name, request, _clients())
                for name in ("metrics", "logs", "resources", "changes")
            }
    return incident, {"request": request, **results}


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("name", sorted(CASES))
def test_an_alarm_on_the_namespace_gets_its_resource_described_metrics_read_and_logs_searched(
    name: str,
) -> None:
    case = CASES[name]
    incident, found = _analyzed(scenario_for(name, case))
    alarmed: Resource = alarm_resources(parse_alarm_event(incident.event))[0]
    assert kind_of(alarmed.kind, case.namespace) is not None
    assert all(found[source].status == "ok" for source in ("metrics", "logs", "resources")), found
    resources = found["resources"].data
    assert isinstance(resources, ResourcesData)
    assert case.described(resources), resources.model_dump(exclude_defaults=True)
    assert not [n for n in found["resources"].notes if n.code == "unavailable"], found["resources"].notes

    metrics = found["metrics"].data
    assert isinstance(metrics, MetricsData)
    alarm_series = next(s for s in metrics.series if s.role == "alarm")
    assert alarm_series.breach_start is not None  # the fault moved the alarm's metric
    assert alarm_series.incident.count, "read in the incident window"
    assert alarm_series.baseline.count, "and against the baseline"
    related = [s for s in metrics.series if s.role == "related" and s.resource == alarmed]
    wanted = {m.name for m in related_metrics(alarmed) if not m.sparse}
    assert wanted, "the catalog names its related metrics"
    assert wanted <= {alarm_series.metric_name, *(s.metric_name for s in related)}
    assert not related or [s for s in related if s.incident.count and s.baseline.count]

    logs = found["logs"].data
    assert isinstance(logs, LogsData)
    searched = {group.name for group in logs.groups}
    if case.own_logs:
        own = incident.built.service_logs[case.own_logs]
        assert own in found["request"].scope.log_groups
        assert own in searched
        assert any(own in signature.log_groups for signature in logs.signatures)
    else:
        assert APP_LOGS in searched  # it writes none: the groups its alarm names are searched


@pytest.mark.usefixtures("aws_env")
def test_a_secret_the_worker_reads_is_described_and_its_rotation_is_a_change_of_its_own_kind() -> None:
    services = ws.Services(
        secret=ws.Secret(name="prod/orders/db-password", changed_ago=timedelta(minutes=25))
    )
    case = Case(services, "AWS/Lambda", "Errors", {"FunctionName": "{worker}"}, "Sum", 5, lambda r: True)
    incident, found = _analyzed(scenario_for("secret", case))
    resources, changes = found["resources"].data, found["changes"].data
    assert isinstance(resources, ResourcesData)
    assert isinstance(changes, ChangesData)
    (secret,) = resources.secrets
    assert secret.named_by == [incident.built.names.worker]
    assert secret.rotation_enabled
    assert secret.last_rotated == secret.last_changed
    (rotation,) = [c for c in changes.changes if c.kind == "secret"]
    assert (rotation.action, rotation.resource) == ("RotateSecret", "prod/orders/db-password")
    assert f"{incident.built.names.worker}-role" in changes.looked_at  # the role it runs as is watched too
