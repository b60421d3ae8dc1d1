"""The rules added for the rest of the vocabulary: each one's case, and the near miss it must not claim."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from alarm_analyzer import evidence as ev
from alarm_analyzer.correlate import alarm_quality, with_separators
from alarm_analyzer.gather.metrics import Query, summarize_series
from alarm_analyzer.models import (
    AlarmConfig,
    AlarmData,
    Change,
    ChangesData,
    DeadLetterLink,
    FunctionState,
    HealthCheck,
    InvocationReport,
    NetworkState,
    PeekedMessage,
    QueueState,
    ResourcesData,
    SubnetDifference,
    TargetGroupState,
    TargetHealthState,
    Window,
)
from alarm_analyzer.report import Hypothesis
from alarm_analyzer.rules import (
    CONFIDENCE_FLOOR,
    capacity,
    changes,
    database,
    errors,
    functions,
    network,
    queues,
    targets,
)
from alarm_analyzer.rules.alarm_config import misconfiguration
from alarm_analyzer.scope import event_scope, windows_for
from tests.factories import (
    STATE_CHANGE,
    alarm,
    everything,
    facts,
    judged,
    latency_alarm_series,
    series,
    signature,
    stats,
    traces,
)

BREACH = STATE_CHANGE - timedelta(minutes=5)
EXCEPTION = "ERROR KeyError: 'currency' in checkout.totals (cart <n>)"
ELB = "app/shop/0123456789abcdef"
EXISTS = AlarmData(metric_exists=True)


def _breached_latency() -> object:
    return latency_alarm_series().model_copy(update={"breach_start": BREACH})


def _changes(*found: Change) -> ChangesData:
    window = Window(start=STATE_CHANGE - timedelta(hours=2), end=STATE_CHANGE)
    return ChangesData(window=window, looked_at=["checkout-api"], changes=list(found))


def _deploy(minutes_before_breach: int, kind: str = "ecs_deployment") -> Change:
    return Change(
        kind=kind,  # type: ignore[arg-type]
        at=BREACH - timedelta(minutes=minutes_before_breach),
        resource="shop/checkout-api",
        action="deployment",
        identifier="checkout-api:42",
        previous="checkout-api:41",
        status="PRIMARY",
    )


def _errors_up() -> object:
    return series(
        "HTTPCode_Target_5XX_Count",
        stats(40, 5),
        stats(2, 1),
        namespace="AWS/ApplicationELB",
        kind="load_balancer",
        resource=ELB,
        stat="Sum",
    )


# --- deployment_regression -------------------------------------------------------------------------


def test_a_deployment_followed_by_a_new_exception_is_the_regression_and_names_the_rollback() -> None:
    new_error = signature(EXCEPTION, count=60, first_seen=BREACH - timedelta(minutes=3))
    found = judged(
        changes.deployment_regression,
        facts(
            metrics=[_breached_latency(), _errors_up()],  # type: ignore[list-item]
            signatures=[new_error],
            changes=_changes(_deploy(8)),
        ),
    )
    assert [h.category for h in found] == ["deployment_regression"]
    assert found[0].confidence >= 0.8
    assert "checkout-api:42" in (found[0].resource or "")
    assert ev.change_id(_deploy(8)) in found[0].evidence_ids
    assert "checkout-api:41" in changes.rollback_of(_deploy(8), "en")


def test_a_deployment_after_the_symptoms_began_is_not_blamed() -> None:
    old_error = signature(EXCEPTION, count=60, first_seen=BREACH - timedelta(minutes=20))
    late = Change(
        kind="ecs_deployment",
        at=BREACH + timedelta(minutes=4),
        resource="shop/checkout-api",
        action="deployment",
    )
    found = judged(
        changes.deployment_regression,
        facts(
            metrics=[_breached_latency(), _errors_up()],  # type: ignore[list-item]
            signatures=[old_error],
            changes=_changes(late),
        ),
    )
    assert found == []


def test_a_deployment_hours_before_is_outside_the_look_back() -> None:
    found = judged(
        changes.deployment_regression,
        facts(metrics=[_breached_latency()], changes=_changes(_deploy(180))),  # type: ignore[list-item]
    )
    assert found == []


# --- application_error -----------------------------------------------------------------------------


def test_a_new_exception_with_more_5xx_and_no_change_is_an_application_error() -> None:
    found = judged(
        errors.application_error,
        facts(
            metrics=[_errors_up()],  # type: ignore[list-item]
            signatures=[signature(EXCEPTION, count=45)],
            changes=_changes(),
        ),
    )
    assert [h.category for h in found] == ["application_error"]
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_exceptions_without_failing_requests_or_known_mechanisms_are_not_application_errors() -> None:
    assert judged(errors.application_error, facts(signatures=[signature(EXCEPTION, count=45)])) == []
    pool = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms."
    assert (
        judged(errors.application_error, facts(metrics=[_errors_up()], signatures=[signature(pool, 80)]))
        == []
    )  # type: ignore[list-item]


# --- slow_database_query ---------------------------------------------------------------------------


def test_sql_time_growth_with_slow_query_logs_is_a_slow_query() -> None:
    slow_log = signature(
        "LOG: duration: <*> ms statement: SELECT * FROM orders WHERE status = <*>", 30, level="notice"
    )
    found = judged(
        database.slow_query,
        facts(
            metrics=[latency_alarm_series()],
            signatures=[slow_log],
            trace_data=traces([("sql", "orders-db.c1.eu-west-1.rds.amazonaws.com", 0.85)], slow_share=0.7),
        ),
    )
    assert [h.category for h in found] == ["slow_database_query"]
    assert found[0].confidence >= 0.75


def test_slow_sql_on_a_database_short_of_memory_is_left_to_the_pressure_rule() -> None:
    memory = series("FreeableMemory", stats(200e6, 20e6), stats(900e6, 10e6))
    found = judged(
        database.slow_query,
        facts(
            metrics=[latency_alarm_series(), memory],
            trace_data=traces([("sql", "orders-db.c1.eu-west-1.rds.amazonaws.com", 0.85)], slow_share=0.7),
        ),
    )
    assert found == []


def test_one_new_statement_in_the_slow_log_that_heats_the_database_is_the_cause_of_the_pressure() -> None:
    """A database logs a statement only past its threshold: one never seen before is evidence, and the
    CPU it burns is its symptom, however high (the statement is logged when it ends, after the CPU rose)."""
    report_query = signature(
        "# Query_time: <*> Lock_time: <*> Rows_sent: <*> SELECT region, SUM(total) FROM invoices GROUP BY region",
        1,
        level="notice",
    ).model_copy(update={"first_seen": BREACH + timedelta(minutes=6)})
    cpu = series("CPUUtilization", stats(87, 4), stats(23, 3), breach_start=BREACH)
    found = everything(facts(metrics=[latency_alarm_series(), cpu], signatures=[report_query]))
    assert [(h.category, h.role) for h in found] == [
        ("slow_database_query", "root"),
        ("database_resource_pressure", "symptom"),
    ]
    assert found[0].confidence >= CONFIDENCE_FLOOR


# --- lambda_timeout, lambda_memory_exhaustion, lambda_throttling -----------------------------------

FUNCTION = FunctionState(name="invoice-sync", timeout_s=30, memory_mb=512, reserved_concurrency=10)


def _report(**values: object) -> InvocationReport:
    defaults: dict[str, object] = {
        "function": "invoice-sync",
        "log_group": "/aws/lambda/invoice-sync",
        "invocations": 40,
        "memory_size_mb": 512,
        "max_memory_used_mb": 210,
        "max_duration_ms": 8000.0,
    }
    return InvocationReport.model_validate(defaults | values)


def _lambda_facts(report: InvocationReport, *metrics: object) -> object:
    return facts(
        metrics=list(metrics),  # type: ignore[arg-type]
        invocations=[report],
        resources=ResourcesData(looked_at=["invoice-sync"], functions=[FUNCTION]),
    )


def _lambda_series(metric: str, incident: float, baseline: float, **kw: object) -> object:
    return series(metric, stats(incident, 0), stats(baseline, 0), namespace="AWS/Lambda", kind="lambda_function",
                  resource="invoice-sync", **kw)  # type: ignore[arg-type]  # fmt: skip


def test_invocations_cut_off_at_the_timeout_are_a_lambda_timeout() -> None:
    report = _report(timeouts=12, max_duration_ms=30000.0)
    duration = _lambda_series("Duration", 30000.0, 4000.0, stat="Maximum")
    found = judged(functions.lambda_timeout, _lambda_facts(report, duration))  # type: ignore[arg-type]
    assert [h.category for h in found] == ["lambda_timeout"]
    assert found[0].confidence >= 0.65
    assert ev.invocations_id(report) in found[0].evidence_ids


def test_slow_invocations_well_inside_the_timeout_are_not_timeouts() -> None:
    found = judged(functions.lambda_timeout, _lambda_facts(_report(timeouts=1, max_duration_ms=15000.0)))  # type: ignore[arg-type]
    assert found == []


def test_invocations_killed_at_the_memory_size_are_memory_exhaustion() -> None:
    report = _report(out_of_memory=5, max_memory_used_mb=512)
    found = judged(functions.lambda_memory_exhaustion, _lambda_facts(report))  # type: ignore[arg-type]
    assert [h.category for h in found] == ["lambda_memory_exhaustion"]
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_memory_use_with_headroom_is_not_exhaustion() -> None:
    assert judged(functions.lambda_memory_exhaustion, _lambda_facts(_report(max_memory_used_mb=300))) == []  # type: ignore[arg-type]


def test_throttles_with_concurrency_flat_at_the_reservation_are_throttling() -> None:
    throttles = _lambda_series("Throttles", 12.0, 0.0, stat="Sum")
    concurrency = _lambda_series("ConcurrentExecutions", 10.0, 4.0, stat="Maximum", at_peak_share=0.8)
    found = judged(functions.lambda_throttling, _lambda_facts(_report(), throttles, concurrency))  # type: ignore[arg-type]
    assert [h.category for h in found] == ["lambda_throttling"]
    assert found[0].confidence >= 0.7


def test_steady_background_throttles_are_not_an_incident() -> None:
    throttles = _lambda_series("Throttles", 3.0, 2.5, stat="Sum")
    assert judged(functions.lambda_throttling, _lambda_facts(_report(), throttles)) == []  # type: ignore[arg-type]


# --- async_processing_failure ---------------------------------------------------------------------


def _dead_letter_queue(peeked: PeekedMessage | None = None, visible: int = 0) -> QueueState:
    return QueueState(
        name="payments-dlq",
        url="https://sqs.eu-west-1.amazonaws.com/123456789012/payments-dlq",
        visible=visible,
        dead_letters=[
            DeadLetterLink(
                kind="sqs_redrive",
                source="payments",
                target="arn:aws:sqs:eu-west-1:123456789012:payments-dlq",
            )
        ],
        peeked=peeked,
    )


def test_a_growing_dead_letter_queue_is_an_async_failure_and_cites_the_peeked_message() -> None:
    peeked = PeekedMessage(
        classification="permanent", matched="ValidationError", sample="ValidationError: sku"
    )
    depth = series("ApproximateNumberOfMessagesVisible", stats(30, 25), stats(0, 0), namespace="AWS/SQS",
                   kind="sqs_queue", resource="payments-dlq", stat="Maximum")  # fmt: skip
    queue = _dead_letter_queue(peeked, visible=55)
    found = judged(
        queues.async_processing_failure,
        facts(metrics=[depth], resources=ResourcesData(looked_at=["payments-dlq"], queues=[queue])),
    )
    assert [h.category for h in found] == ["async_processing_failure"]
    assert ev.dead_letter_id(queue) in found[0].evidence_ids
    assert found[0].confidence >= 0.6


def test_an_empty_dead_letter_queue_is_no_failure() -> None:
    depth = series("ApproximateNumberOfMessagesVisible", stats(0, 0), stats(0, 0), namespace="AWS/SQS",
                   kind="sqs_queue", resource="payments-dlq", stat="Maximum")  # fmt: skip
    found = judged(
        queues.async_processing_failure,
        facts(
            metrics=[depth],
            resources=ResourcesData(looked_at=["payments-dlq"], queues=[_dead_letter_queue()]),
        ),
    )
    assert found == []


# --- unhealthy_targets, health_check_misconfiguration ----------------------------------------------


def _group(reason: str, description: str, unhealthy: int = 2, matcher: str = "200") -> TargetGroupState:
    states = [
        TargetHealthState(id=f"10.0.{i}.10", zone=f"eu-west-1{'ab'[i % 2]}", state="unhealthy" if i < unhealthy else "healthy",
                          reason=reason if i < unhealthy else None, description=description if i < unhealthy else None)
        for i in range(3)
    ]  # fmt: skip
    return TargetGroupState(
        name="web-tg",
        arn="arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/00aa11bb22cc33dd",
        health_check=HealthCheck(protocol="HTTP", path="/health", matcher=matcher),
        targets=states,
    )


def _with(group: TargetGroupState, *metrics: object) -> object:
    return facts(metrics=list(metrics), resources=ResourcesData(looked_at=["web-tg"], target_groups=[group]))  # type: ignore[arg-type]


def test_an_app_answering_299_to_a_200_matcher_is_a_health_check_misconfiguration() -> None:
    group = _group("Target.ResponseCodeMismatch", "Health checks failed with these codes: [299]")
    found = judged(targets.health_check_misconfiguration, _with(group))  # type: ignore[arg-type]
    assert [h.category for h in found] == ["health_check_misconfiguration"]
    assert found[0].confidence >= CONFIDENCE_FLOOR
    assert judged(targets.unhealthy_targets, _with(group)) == []  # type: ignore[arg-type]


def test_targets_answering_503_fail_for_real() -> None:
    group = _group("Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]")
    assert judged(targets.health_check_misconfiguration, _with(group)) == []  # type: ignore[arg-type]
    found = judged(targets.unhealthy_targets, _with(group))  # type: ignore[arg-type]
    assert [h.category for h in found] == ["unhealthy_targets"]
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_timeouts_only_in_the_zone_of_a_misconfigured_subnet_are_the_network_s_case() -> None:
    group = _group("Target.Timeout", "Request timed out", unhealthy=1)
    difference = SubnetDifference(subnet="subnet-0b", zone="eu-west-1a", role="targets", aspect="acl_outbound_return",
                                  value="blocked", others="allowed")  # fmt: skip
    five_xx = series("HTTPCode_ELB_5XX_Count", stats(30, 5), stats(1, 1), namespace="AWS/ApplicationELB",
                     kind="load_balancer", resource=ELB, stat="Sum")  # fmt: skip
    state = facts(
        metrics=[five_xx],
        resources=ResourcesData(
            looked_at=["web-tg"],
            target_groups=[group],
            network=NetworkState(vpc="vpc-1", differences=[difference]),
        ),
    )
    found = everything(state)
    assert [(h.category, h.role, h.explained_by) for h in found] == [
        ("network_misconfiguration", "root", None),
        ("unhealthy_targets", "symptom", "network_misconfiguration"),
    ]
    assert found[0].resource == "subnet-0b"
    assert found[0].confidence >= 0.7


# --- network_misconfiguration ---------------------------------------------------------------------

ENDPOINT_GAP = SubnetDifference(
    subnet="subnet-0c",
    zone="eu-west-1b",
    role="targets",
    aspect="endpoint",
    value="no gateway endpoint",
    others="com.amazonaws.eu-west-1.dynamodb",
)


def test_dynamodb_timeouts_from_a_subnet_without_the_endpoint_are_the_network_not_dynamodb() -> None:
    timeout = 'ERROR botocore.exceptions.ConnectTimeoutError: Connect timeout on endpoint URL: "<url>"'
    text = signature(timeout, 40).model_copy(
        update={"samples": [timeout.replace("<url>", "https://dynamodb.eu-west-1.amazonaws.com/")]}
    )
    state = facts(
        metrics=[latency_alarm_series(), _errors_up()],  # type: ignore[list-item]
        signatures=[text],
        trace_data=traces([("aws_sdk", "DynamoDB", 0.8)], slow_share=0.6),
        resources=ResourcesData(
            looked_at=["web-tg"], network=NetworkState(vpc="vpc-1", differences=[ENDPOINT_GAP])
        ),
    )
    found = everything(state)
    assert [(h.category, h.role) for h in found][:2] == [
        ("network_misconfiguration", "root"),
        ("downstream_dependency_latency", "symptom"),
    ]
    assert found[0].confidence >= 0.7


def test_a_differing_subnet_without_symptoms_stays_below_the_floor() -> None:
    state = facts(
        resources=ResourcesData(
            looked_at=["web-tg"], network=NetworkState(vpc="vpc-1", differences=[ENDPOINT_GAP])
        )
    )
    found = judged(network.network_misconfiguration, state)
    assert all(h.confidence < CONFIDENCE_FLOOR for h in found)


# --- compute_saturation, traffic_surge -------------------------------------------------------------


def _cpu(value: float, before: float) -> object:
    return series("CPUUtilization", stats(value, 2), stats(before, 3), namespace="AWS/ECS", kind="ecs_service",
                  resource="shop/checkout-api", at_peak_share=0.6)  # fmt: skip


def _requests(value: float, before: float, day_ago: float | None = None) -> object:
    return series("RequestCount", stats(value, 10), stats(before, 10), namespace="AWS/ApplicationELB",
                  kind="load_balancer", resource=ELB, stat="Sum",
                  day_ago=stats(day_ago, 10) if day_ago is not None else None)  # fmt: skip


def test_cpu_pinned_at_steady_traffic_is_compute_saturation_and_not_slow_code() -> None:
    state = facts(
        metrics=[latency_alarm_series(), _cpu(96, 40), _requests(1200, 1150)],  # type: ignore[list-item]
        trace_data=traces([("own_code", "render_invoice", 0.8)], slow_share=0.6),
    )
    found = everything(state)
    assert [(h.category, h.role, h.explained_by) for h in found] == [
        ("compute_saturation", "root", None),
        ("application_code_latency", "symptom", "compute_saturation"),
    ]
    assert found[0].confidence >= 0.7


def test_a_surge_still_ramping_up_is_judged_by_its_busiest_minute() -> None:
    ramping = series("RequestCount", stats(2600, 1500), stats(1150, 60), namespace="AWS/ApplicationELB",
                     kind="load_balancer", resource=ELB, stat="Sum", role="alarm")  # fmt: skip
    found = judged(capacity.traffic_surge, facts(metrics=[latency_alarm_series(), ramping]))  # type: ignore[list-item]
    assert [h.category for h in found] == ["traffic_surge"]
    assert found[0].confidence >= 0.6
    assert "3.4x" in found[0].reasons[0]  # 4100 at the peak against 1210 at most before


def test_cpu_as_busy_as_it_always_is_is_not_saturation() -> None:
    state = facts(metrics=[latency_alarm_series(), _cpu(88, 86), _requests(1200, 1150)])  # type: ignore[list-item]
    assert judged(capacity.compute_saturation, state) == []


def test_three_times_the_usual_traffic_is_a_surge_but_not_a_daily_peak() -> None:
    surge = facts(metrics=[latency_alarm_series(), _requests(3600, 1150, day_ago=1100)])  # type: ignore[list-item]
    found = judged(capacity.traffic_surge, surge)
    assert [h.category for h in found] == ["traffic_surge"]
    assert found[0].confidence >= 0.6
    daily = facts(metrics=[latency_alarm_series(), _requests(3600, 1150, day_ago=3400)])  # type: ignore[list-item]
    assert judged(capacity.traffic_surge, daily) == []


# --- alarm_misconfiguration: a threshold inside the normal range ------------------------------------


def test_a_threshold_normal_values_cross_on_a_healthy_service_is_a_misconfigured_alarm() -> None:
    tight = series("TargetResponseTime", stats(0.34, 0.05), stats(0.33, 0.06), namespace="AWS/ApplicationELB",
                   kind="load_balancer", resource=ELB, role="alarm", day_ago=stats(0.32, 0.06))  # fmt: skip
    state = facts(
        the_alarm=alarm(threshold=0.3), metrics=[tight], trace_data=traces(fault_rate=0.0), alarm_data=EXISTS
    )
    found = judged(misconfiguration, state)
    assert [h.category for h in found] == ["alarm_misconfiguration"]
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_a_real_breach_far_beyond_the_normal_range_is_not_blamed_on_the_threshold() -> None:
    found = judged(
        misconfiguration,
        facts(the_alarm=alarm(threshold=0.3), metrics=[latency_alarm_series()], alarm_data=EXISTS),
    )
    assert found == []


# --- close hypotheses -----------------------------------------------------------------------------


def _hypothesis(category: str, confidence: float) -> Hypothesis:
    return Hypothesis(category=category, summary="s", confidence=confidence, evidence_ids=["x"])  # type: ignore[arg-type]


def test_close_hypotheses_both_say_what_would_confirm_them() -> None:
    close = with_separators(
        [_hypothesis("lambda_timeout", 0.7), _hypothesis("downstream_dependency_latency", 0.62)], "en"
    )
    assert all(h.to_confirm for h in close)
    clear = with_separators(
        [_hypothesis("lambda_timeout", 0.9), _hypothesis("downstream_dependency_latency", 0.5)], "en"
    )
    assert not any(h.to_confirm for h in clear)


# --- alarm-quality findings -----------------------------------------------------------------------


def _codes(state: Any, data: AlarmData) -> set[str]:
    with_runbook = event_scope(state.alarm).model_copy(update={"runbook_url": "https://wiki.example.org/rb"})
    return {f.code for f in alarm_quality(state.alarm, data, with_runbook, state)}


def test_alarm_quality_names_a_tight_threshold_missing_data_handling_and_an_averaged_latency() -> None:
    tight = series("TargetResponseTime", stats(0.34, 0.05), stats(0.33, 0.06), namespace="AWS/ApplicationELB",
                   kind="load_balancer", resource=ELB, role="alarm", day_ago=stats(0.32, 0.06))  # fmt: skip
    state = facts(the_alarm=alarm(threshold=0.3), metrics=[tight])
    breaching = AlarmData(config=AlarmConfig(treat_missing_data="breaching", description="d"))
    assert _codes(state, breaching) == {
        "threshold_in_normal_range",
        "missing_data_breaching",
        "average_hides_tail",
    }


def test_a_sparse_metric_left_missing_is_insufficient_data_and_a_percentile_latency_alarm_is_fine() -> None:
    sparse = series("TargetResponseTime", stats(3.1, 0.1, count=2), stats(0.2, 0.01, count=2),
                    namespace="AWS/ApplicationELB", kind="load_balancer", resource=ELB, role="alarm")  # fmt: skip
    state = facts(the_alarm=alarm(stat="p99"), metrics=[sparse])
    missing = AlarmData(config=AlarmConfig(treat_missing_data="missing", description="d"))
    assert _codes(state, missing) == {"insufficient_data"}


def test_a_surge_that_began_late_in_the_window_is_judged_from_when_it_began() -> None:
    """Nine calm minutes and six at 3.2 times the traffic average to under twice: the level since the
    series rose is the incident's."""
    windows = windows_for(alarm())
    minutes = [windows.incident.start + timedelta(minutes=i) for i in range(15)]
    before = [(windows.baseline.start + timedelta(minutes=i), 1000.0) for i in range(15)]
    points = before + [(m, 1000.0 if i < 9 else 3200.0) for i, m in enumerate(minutes)]
    query = Query("related", "AWS/ApplicationELB", "RequestCount", (("LoadBalancer", ELB),), "Sum", 60, None)
    requests = summarize_series(query, points, windows, alarm(), stat_used="Sum")
    assert (requests.incident.avg or 0) < 2 * 1000
    assert requests.breach_start == minutes[9]
    assert requests.change_ratio == pytest.approx(3.2)
    found = judged(capacity.traffic_surge, facts(metrics=[latency_alarm_series(), requests]))
    assert [h.category for h in found] == ["traffic_surge"]


def test_an_alarm_on_the_database_s_own_cpu_is_pressure_without_traces() -> None:
    cpu = series("CPUUtilization", stats(96, 2), stats(21, 3), role="alarm", breach_start=BREACH)
    found = everything(facts(the_alarm=alarm(namespace="AWS/RDS", metric="CPUUtilization", threshold=80,
                                             dimensions={"DBInstanceIdentifier": "ledger-db"}), metrics=[cpu]))  # fmt: skip
    assert [h.category for h in found] == ["database_resource_pressure"]
    assert found[0].confidence >= CONFIDENCE_FLOOR
