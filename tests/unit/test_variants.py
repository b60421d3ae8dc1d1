"""Scenario variants: deterministic per seed, varied, and still the same mechanism with the same answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_devtools.emulator import variants, world
from alarm_devtools.emulator.injected import injected
from alarm_devtools.emulator.scenarios import SCENARIOS, Scenario, seed
from alarm_devtools.emulator.variants import NEEDS, Variant, alarm_edges, catalog, draw, recognized, renamer
from alarm_devtools.emulator.world import LogLine

SEED = 11
PER_SCENARIO = 3


@pytest.fixture(scope="module")
def drawn() -> list[Variant]:
    return variants.variants(SCENARIOS.values(), PER_SCENARIO, SEED)


def test_the_same_seed_draws_the_same_variant_and_another_seed_another() -> None:
    base = SCENARIOS["db-connection-pool"]
    assert draw(base, SEED, 3) == draw(base, SEED, 3)
    assert draw(base, SEED, 3).scenario != draw(base, SEED + 1, 3).scenario
    assert draw(base, SEED, 3).scenario != draw(base, SEED, 4).scenario


def test_an_axis_left_out_leaves_the_others_draws_alone() -> None:
    base = SCENARIOS["slow-external"]
    every = draw(base, SEED, 2)
    without_wording = draw(base, SEED, 2, axes=("names", "values", "sources"))
    assert without_wording.scenario.names == every.scenario.names
    assert without_wording.scenario.alarm.threshold == every.scenario.alarm.threshold
    assert without_wording.scenario.noise == base.noise


def test_variants_vary_names_values_and_wording(drawn: list[Variant]) -> None:
    for variant in drawn:
        base = SCENARIOS[variant.base]
        assert variant.scenario.names.service != base.names.service
        assert variant.scenario.name == f"{base.name}~{variant.index}"
        assert variant.scenario.load != base.load
        assert variant.scenario.noise != base.noise
    # Each library line a mechanism recognizes is told in other words by some variant.
    for base in SCENARIOS.values():
        for position, line in enumerate(base.fault.log_lines if base.fault else ()):
            if recognized(line):
                told = {v.scenario.fault.log_lines[position].text for v in drawn if v.base == base.name}  # type: ignore[union-attr]
                assert told - {line.text}, (base.name, line.text)


def test_every_text_naming_a_resource_follows_the_new_names() -> None:
    old, new = (
        SCENARIOS["db-connection-pool"].names,
        draw(SCENARIOS["db-connection-pool"], SEED, 1).scenario.names,
    )
    rename = renamer(old, new)
    assert rename(f"/ecs/{old.service},/aws/rds/instance/{old.database}/postgresql") == (
        f"/ecs/{new.service},/aws/rds/instance/{new.database}/postgresql"
    )
    assert (
        rename(f"{old.target_group} and {old.dead_letter_queue}")
        == f"{new.target_group} and {new.dead_letter_queue}"
    )
    assert rename(f"{old.service}s-archive") == f"{old.service}s-archive"  # a longer word is another name
    variant = draw(SCENARIOS["slow-external"], SEED, 1).scenario
    texts = [variant.alarm.name, variant.alarm.description or "", *variant.alarm.tags.values()]
    texts += [line.text for line in variant.fault.log_lines]  # type: ignore[union-attr]
    assert not [t for t in texts if "orders-api" in t or "shipping-rates" in t]
    assert variant.names.service in variant.alarm.name


def _wordings_of(line_text: str, mechanism: variants.Mechanism) -> bool:
    """The line is one of the mechanism's wordings (its message up to the first placeholder or quote)."""
    prefixes = [w["message"].split("{")[0].split('"')[0].split("\\")[0][:30] for w in mechanism.wordings]
    return any(prefix and prefix in line_text for prefix in prefixes)


def test_a_variant_keeps_the_mechanism_and_the_answer(drawn: list[Variant]) -> None:
    for variant in drawn:
        base, varied = SCENARIOS[variant.base], variant.scenario
        assert varied.expected == base.expected
        assert (varied.alarm.namespace, varied.alarm.metric, varied.alarm.comparison) == (
            base.alarm.namespace,
            base.alarm.metric,
            base.alarm.comparison,
        )
        assert [d.kind for d in varied.deployments] == [d.kind for d in base.deployments]
        if base.fault is None:
            assert varied.fault is None
            continue
        assert varied.fault is not None
        fault = varied.fault
        assert (fault.targets, fault.network, fault.zones, set(fault.load)) == (
            base.fault.targets,
            base.fault.network,
            base.fault.zones,
            set(base.fault.load),
        )
        for extra in ("sql_extra_ms", "remote_extra_ms", "code_extra_ms", "dynamodb_timeout_ms"):
            assert bool(getattr(fault, extra)) == bool(getattr(base.fault, extra)), (variant.base, extra)
        # A release keeps its side of the onset, and a recent one stays recent.
        for before, after in zip(base.deployments, varied.deployments, strict=True):
            assert (before.ago > base.fault.starts) == (after.ago > fault.starts), variant.scenario.name
            assert (before.ago > variants.RECENT) == (after.ago > variants.RECENT), variant.scenario.name
        for line, told in zip(base.fault.log_lines, fault.log_lines, strict=True):
            found = recognized(line)
            assert told.group == line.group
            if found:
                assert _wordings_of(told.text, found[0]), (variant.scenario.name, told.text)


def test_the_threshold_keeps_its_place_between_normal_and_breach(drawn: list[Variant]) -> None:
    for variant in drawn:
        base, varied = SCENARIOS[variant.base], variant.scenario
        normal, breach = alarm_edges(base)
        greater = base.alarm.comparison.startswith("GreaterThan")
        inside = (
            max(normal, default=0) > base.alarm.threshold
            if greater
            else min(normal, default=0) < base.alarm.threshold
        )
        if (
            not normal
            or not breach
            or (min(breach) <= max(normal) if greater else max(breach) >= min(normal))
            or inside  # a threshold inside the normal range (an alarm set wrong) keeps its place there
        ):
            continue
        normal, breach = alarm_edges(replace(varied, name=base.name))
        if greater:
            assert max(normal) <= varied.alarm.threshold < min(breach), varied.name
        else:
            assert max(breach) < varied.alarm.threshold <= min(normal), varied.name


def test_a_missing_source_is_never_the_one_the_category_needs(drawn: list[Variant]) -> None:
    more = [draw(s, SEED + 1, i) for s in SCENARIOS.values() if s.expected in NEEDS for i in range(1, 6)]
    missing = [v for v in (*drawn, *more) if v.scenario.missing]
    assert {v.scenario.missing for v in missing} == {"traces", "tags", "cloudtrail"}
    for variant in missing:
        assert variant.scenario.missing not in NEEDS.get(variant.scenario.expected, frozenset())
        if variant.scenario.missing == "tags":
            assert SCENARIOS[variant.base].alarm.tags


def test_the_catalog_names_stacks_and_engines_it_knows() -> None:
    for name, mechanism in catalog()["mechanisms"].items():
        # An instance's agent ships the app's own log: its lines are the app's, in the app's stack.
        assert mechanism["group"] in ("app", "db", "worker", "instance"), name
        for wording in mechanism["wordings"]:
            assert wording.get("stack", "python") in variants.STACKS, (name, wording)
            assert wording.get("engine", "postgres") in ("postgres", "mysql"), (name, wording)
            assert mechanism["group"] == "db" or wording.get("level"), (name, wording)
    assert set(catalog()["noise"]) == set(variants.STACKS)


def _seeded(scenario: Scenario) -> tuple[AwsClients, dict[str, object]]:
    clients = AwsClients(session=world.shared_session("us-east-1"), config=world.SEEDING_CONFIG)
    incident = seed(clients, scenario)
    return clients, {"responses": incident.responses, "alarm": scenario.alarm.name}


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize("missing", ["traces", "tags", "cloudtrail"])
def test_the_world_lacks_the_missing_source(missing: str) -> None:
    scenario = replace(SCENARIOS["slow-external"], missing=missing, deployments=())
    with mock_aws():
        clients, seeded = _seeded(scenario)
        alarm = clients.cloudwatch.describe_alarms(AlarmNames=[seeded["alarm"]])["MetricAlarms"][0]
        tags = clients.cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
        now = world.utcnow()
        traces = clients.xray.get_trace_summaries(StartTime=now - timedelta(minutes=30), EndTime=now)
        with injected(seeded["responses"]):  # type: ignore[arg-type]
            try:
                clients.client("cloudtrail").lookup_events(MaxResults=5)
                refused = ""
            except ClientError as error:
                refused = error.response["Error"]["Code"]
    assert (not traces["TraceSummaries"]) == (missing == "traces")
    assert (not tags) == (missing == "tags")
    assert (refused == "AccessDeniedException") == (missing == "cloudtrail")


def test_a_sparse_metric_is_evaluated_up_to_the_period_still_filling() -> None:
    """5xx counts are only written in minutes that have some: the minute before the alarm is still evaluated."""
    spec = SCENARIOS["healthy-noise"].alarm
    now = variants.DRY_NOW
    minute = now.replace(second=0)

    def point(minutes_ago: int, value: float) -> dict[str, object]:
        return {"namespace": spec.namespace, "MetricName": spec.metric, "Dimensions": [{"Name": "LoadBalancer", "Value": "app/x/1"}],
                "Timestamp": minute - timedelta(minutes=minutes_ago), "Value": value}  # fmt: skip

    points = [point(3, 1), point(2, 1), point(1, 8)]  # nothing yet in the current minute
    evaluated = world.period_values(points, spec, {("LoadBalancer", "app/x/1")}, now)
    assert [value for _, value in evaluated] == [1, 8]
    assert [
        value
        for _, value in world.period_values([*points, point(0, 1)], spec, {("LoadBalancer", "app/x/1")}, now)
    ] == [1, 8]


def test_a_service_whose_id_aws_assigns_is_modeled_by_its_placeholder() -> None:
    # The alarm watches the NAT gateway by its id: the dry run publishes its series under the placeholder.
    normal, breach = alarm_edges(SCENARIOS["nat-port-allocation-dispatch"])
    assert normal
    assert breach
    assert min(breach) > max(normal)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (LogLine("app", "fail: Microsoft.AspNetCore.Server.Kestrel[13] An unhandled exception has occurred "
                 "while executing the request. System.NullReferenceException: Object reference not set"),
         "unhandled_exception"),
        # The framework's wrapper around another mechanism's error: the error's, not the code's own.
        (LogLine("app", "fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1] An unhandled "
                 "exception has occurred while executing the request. Amazon.S3.AmazonS3Exception: The provided "
                 "token has expired."), None),
        (LogLine("app", "An unhandled exception has occurred while executing the request. Npgsql.PostgresException "
                 "(0x80004005): 53300: sorry, too many clients already"), None),
        (LogLine("app", "software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: "
                 "The level of configured provisioned throughput for the table was exceeded."), "table_throttled"),
        # Kinesis words a shard's limit like a table's.
        (LogLine("app", "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000002 in "
                 "stream orders under account 123456789012."), None),
    ],
)  # fmt: skip
def test_a_recognizer_finds_its_own_mechanism_and_skips_another_s(
    line: LogLine, expected: str | None
) -> None:
    found = variants.recognized(line)
    assert (found[0].name if found else None) == expected
