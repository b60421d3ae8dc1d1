"""Time windows and scope discovery."""

from __future__ import annotations

from datetime import timedelta

from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.models import DatabaseRef, Downstreams
from alarm_analyzer.scope import (
    event_scope,
    log_group_patterns,
    runbook_url,
    severity_tag,
    trace_resources,
    trace_services,
    windows_for,
)
from tests.conftest import load


def _alarm(sample: str = "aws/eb-single-metric.json", **detail: object) -> object:
    event = load(sample)
    event["detail"].update(detail)
    return parse_alarm_event(event)


def test_windows_end_at_the_state_change_not_now() -> None:
    alarm = parse_alarm_event(load("aws/eb-single-metric.json"))  # an event from 2019
    windows = windows_for(alarm)
    assert windows.incident.end == alarm.state_changed_at
    assert windows.baseline.end == windows.incident.start
    assert windows.baseline.duration == windows.incident.duration
    assert windows.day_ago.end == alarm.state_changed_at - timedelta(days=1)


def test_window_covers_the_evaluated_periods_plus_a_margin() -> None:
    alarm = parse_alarm_event(load("aws/eb-single-metric.json"))  # 300 s x 1 datapoint
    assert windows_for(alarm).incident.duration == timedelta(seconds=300 + 600)


def test_short_alarms_still_get_a_useful_window_and_long_ones_a_bounded_one() -> None:
    short = load("aws/eb-anomaly-detection.json")  # 60 s x 1
    assert windows_for(parse_alarm_event(short)).incident.duration == timedelta(minutes=15)
    daily = load("aws/eb-single-metric.json")
    daily["detail"]["configuration"]["metrics"][0]["metricStat"]["period"] = 86400
    assert windows_for(parse_alarm_event(daily)).incident.duration == timedelta(hours=6)


def test_tags_name_log_groups_services_runbook_and_severity() -> None:
    tags = {
        "analyzer:log-groups": "/ecs/checkout, /aws/lambda/pay-*",
        "analyzer:service": "checkout,payments",
        "analyzer:runbook": "https://wiki.example.org/rb/checkout",
        "analyzer:severity": "PAGE",
    }
    alarm = _alarm(alarmTags=tags)  # tag propagation: the tags come with the event
    scope = event_scope(alarm)
    assert scope.log_groups == ["/ecs/checkout", "/aws/lambda/pay-*"]
    assert scope.trace_services == ["checkout", "payments"]
    assert scope.runbook_url == "https://wiki.example.org/rb/checkout"
    assert scope.severity == "page"


def test_runbook_comes_from_the_description_when_no_tag_names_one() -> None:
    description = "Latency SLO burn. See https://wiki.example.org/rb/latency. Owner: team-a"
    assert runbook_url({}, description) == "https://wiki.example.org/rb/latency"
    assert runbook_url({}, "no link here") is None
    assert severity_tag({"analyzer:severity": "whenever"}) is None


def test_namespace_defaults_give_log_groups_and_resources() -> None:
    event = load("aws/eb-single-metric.json")
    metric = event["detail"]["configuration"]["metrics"][0]["metricStat"]["metric"]
    metric.update(namespace="AWS/Lambda", name="Errors", dimensions={"FunctionName": "resize-images"})
    scope = event_scope(parse_alarm_event(event))
    assert scope.log_groups == ["/aws/lambda/resize-images"]
    assert trace_services(parse_alarm_event(event), {}) == ["resize-images"]  # no tag: the function itself
    assert [(r.kind, r.id) for r in scope.resources] == [("lambda_function", "resize-images")]


def test_load_balancer_target_group_dimensions_name_both_resources() -> None:
    event = load("aws/eb-single-metric.json")
    metric = event["detail"]["configuration"]["metrics"][0]["metricStat"]["metric"]
    metric.update(
        namespace="AWS/ApplicationELB",
        name="HealthyHostCount",
        dimensions={
            "TargetGroup": "targetgroup/web/0123456789abcdef",
            "LoadBalancer": "app/web/fedcba9876543210",
        },
    )
    kinds = [r.kind for r in event_scope(parse_alarm_event(event)).resources]
    assert kinds == ["target_group", "load_balancer"]


def test_traces_reveal_the_database_and_its_logs() -> None:
    alarm = parse_alarm_event(load("aws/eb-single-metric.json"))
    revealed = Downstreams(
        databases=[DatabaseRef(host="ledger-db.c1x2.eu-west-1.rds.amazonaws.com", rds_instance="ledger-db")],
        log_groups=["/ecs/ledger"],
        services=["ledger"],
    )
    resources = trace_resources(revealed)
    assert [(r.kind, r.id) for r in resources] == [("rds_instance", "ledger-db")]
    patterns = log_group_patterns({}, resources, revealed, ["/shared/nginx"])
    assert patterns == ["/aws/rds/instance/ledger-db/*", "/ecs/ledger", "/shared/nginx"]
    assert event_scope(alarm, ["/shared/nginx"]).log_groups[-1] == "/shared/nginx"


def test_a_table_that_refused_traced_calls_is_read_like_the_alarm_s_own() -> None:
    revealed = Downstreams(aws_resources=["carts", "orders"], throttled_tables=["carts"])
    resources = trace_resources(revealed)
    assert [(r.kind, r.id, r.dimensions) for r in resources] == [
        ("dynamodb_table", "carts", {"TableName": "carts"})
    ]


def test_traces_reveal_the_cache_the_service_calls_by_its_endpoint() -> None:
    """A Redis or Memcached call's subsegment is named after the host: each endpoint form names its
    replication group or cluster, whose metrics and log groups the catalog then reads."""
    revealed = Downstreams(
        remote_hosts=[
            "master.sessions.x1y2z3.use1.cache.amazonaws.com",  # primary, in-transit encryption
            "replica.sessions.x1y2z3.use1.cache.amazonaws.com",  # the same group's reader
            "carts-ro.q9w8e7.ng.0001.euw1.cache.amazonaws.com",  # reader endpoint without encryption
            "clustercfg.feeds.a1b2c3.apse2.cache.amazonaws.com",  # cluster mode enabled
            "profiles-002.m4n5b6.0001.usw2.cache.amazonaws.com",  # one node
            "Tokens.K8J7H6.CFG.USE1.CACHE.AMAZONAWS.COM.",  # Memcached's configuration endpoint, as typed
        ]
    )
    found = [(r.kind, r.id, r.dimensions, r.via) for r in trace_resources(revealed)]
    assert found == [
        ("replication_group", "sessions", {"ReplicationGroupId": "sessions"}, "traces"),
        ("replication_group", "carts", {"ReplicationGroupId": "carts"}, "traces"),
        ("replication_group", "feeds", {"ReplicationGroupId": "feeds"}, "traces"),
        ("cache_cluster", "profiles-002", {"CacheClusterId": "profiles-002"}, "traces"),
        ("cache_cluster", "tokens", {"CacheClusterId": "tokens"}, "traces"),
    ]


def test_a_host_that_only_looks_like_a_cache_endpoint_brings_no_cache() -> None:
    revealed = Downstreams(
        remote_hosts=[
            "sessions.cache.amazonaws.com.example.com",  # another domain under a lookalike prefix
            "master.sessions.x1y2z3.use1.cache.example.com",
            "redis.sessions.internal",
            "cache.amazonaws.com",
            "sessions-x1y2z3.serverless.use1.cache.amazonaws.com",  # serverless: no cluster to read
            "api.quotes.cache-proxy.example.net",
        ]
    )
    assert trace_resources(revealed) == []
