"""Throttling and lag rules: each category's case, and the near miss it must not claim."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from alarm_analyzer.events import Alarm
from alarm_analyzer.gather.metrics import Query, summarize_series
from alarm_analyzer.models import (
    ApiStageState,
    DatabaseState,
    DeadLetterLink,
    IndexCapacity,
    MethodThrottle,
    QueueState,
    Resource,
    ResourceKind,
    ResourcesData,
    ScalingTarget,
    Series,
    TableState,
)
from alarm_analyzer.report import Hypothesis
from alarm_analyzer.rules import CONFIDENCE_FLOOR, lag
from alarm_analyzer.rules.signals import mechanisms_in
from alarm_analyzer.scope import windows_for
from tests.factories import alarm, everything, facts, judged, signature

MINUTES = 15  # the incident window of a one-minute alarm, and the baseline's


Where = tuple[str, dict[str, str], ResourceKind]  # a resource's namespace, dimensions and kind


def _series(
    the_alarm: Alarm,
    where: Where,
    metric: str,
    before: Sequence[float] | float,
    during: Sequence[float] | float,
    *,
    role: str = "related",
    stat: str = "Sum",
    day_ago: Sequence[float] = (),
) -> Series:
    """A series summarized as the metrics gatherer does, from per-minute values before and during."""
    namespace, dimensions, kind = where
    windows = windows_for(the_alarm)

    def values(given: Sequence[float] | float) -> list[float]:
        return [float(given)] * MINUTES if isinstance(given, int | float) else [float(v) for v in given]

    points = [(windows.baseline.start + timedelta(minutes=i), v) for i, v in enumerate(values(before))] + [
        (windows.incident.start + timedelta(minutes=i), v) for i, v in enumerate(values(during))
    ]
    resource = Resource(
        kind=kind, id="/".join(dimensions.values()), namespace=namespace, dimensions=dimensions
    )
    query = Query(role, namespace, metric, tuple(dimensions.items()), stat, 60, resource)  # type: ignore[arg-type]
    earlier = [(windows.day_ago.start + timedelta(minutes=i), float(v)) for i, v in enumerate(day_ago)]
    return summarize_series(query, points, windows, the_alarm, stat_used=stat, day_ago=earlier)


WEB: Where = ("AWS/ApplicationELB", {"LoadBalancer": "app/web/0123456789abcdef"}, "load_balancer")
SOURCE: Where = ("AWS/RDS", {"DBInstanceIdentifier": "orders-db"}, "rds_instance")


def _ramp(normal: float, fault: float, since: int) -> list[float]:
    """Normal, then ``fault`` from minute ``since`` of the window."""
    return [normal if i < since else fault for i in range(MINUTES)]


# --- DynamoDB ----------------------------------------------------------------------------------

TABLE = {"TableName": "orders"}
THROTTLE_ALARM = alarm(
    namespace="AWS/DynamoDB",
    metric="WriteThrottleEvents",
    stat="Sum",
    threshold=50,
    dimensions=TABLE,
    recent=(300, 320),
)


def _table(
    the_alarm: Alarm,
    throttles: Sequence[float] | float,
    consumed: Sequence[float] | float,
    role: str = "related",
) -> list[Series]:
    return [
        _series(
            the_alarm,
            ("AWS/DynamoDB", TABLE, "dynamodb_table"),
            "WriteThrottleEvents",
            0,
            throttles,
            role=role,
        ),
        _series(
            the_alarm, ("AWS/DynamoDB", TABLE, "dynamodb_table"), "ConsumedWriteCapacityUnits", 900, consumed
        ),
        _series(
            the_alarm,
            ("AWS/DynamoDB", TABLE, "dynamodb_table"),
            "ProvisionedWriteCapacityUnits",
            50,
            50,
            stat="Average",
        ),
    ]


def test_a_table_throttled_at_its_provisioned_capacity_is_dynamodb_throttling() -> None:
    state = TableState(
        name="orders",
        billing_mode="PROVISIONED",
        write_capacity=50,
        write_scaling=ScalingTarget(dimension="dynamodb:table:WriteCapacityUnits", min=25, max=50),
    )
    found = everything(
        facts(
            the_alarm=THROTTLE_ALARM,
            metrics=_table(THROTTLE_ALARM, _ramp(0, 320, 5), _ramp(900, 3000, 5), role="alarm"),
            resources=ResourcesData(tables=[state]),
        )
    )
    top = found[0]
    assert (top.category, top.resource) == ("dynamodb_throttling", "orders")
    assert top.confidence >= 0.9
    assert any("3000 per second of 50" not in r and "of 50 allowed" in r for r in top.reasons), top.reasons
    assert any("maximum of 50" in r for r in top.reasons)


def test_an_index_is_judged_by_its_own_capacity_and_scaling() -> None:
    where: Where = (
        "AWS/DynamoDB",
        {"TableName": "orders", "GlobalSecondaryIndexName": "by-customer"},
        "dynamodb_index",
    )
    metrics = [
        _series(alarm(), where, "ReadThrottleEvents", 0, _ramp(0, 200, 5)),
        _series(alarm(), where, "ConsumedReadCapacityUnits", 300, _ramp(300, 1200, 5)),
    ]
    capped = ScalingTarget(dimension="dynamodb:index:ReadCapacityUnits", min=5, max=20)
    roomy = ScalingTarget(dimension="dynamodb:table:ReadCapacityUnits", min=5, max=4000)
    index = IndexCapacity(name="by-customer", read_capacity=20, read_scaling=capped)
    state = TableState(name="orders", read_capacity=1000, read_scaling=roomy, indexes=[index])
    found = judged(lag.dynamodb_throttling, facts(metrics=metrics, resources=ResourcesData(tables=[state])))
    assert found[0].resource == "orders/by-customer"
    assert any("of 20 allowed" in r for r in found[0].reasons), found[0].reasons
    assert any("maximum of 20" in r for r in found[0].reasons)


def test_callers_logging_the_throughput_error_in_any_sdk_wording_is_the_table() -> None:
    wordings = (
        "software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: The level of "
        "configured provisioned throughput for the table was exceeded. (Service: DynamoDb, Status Code: 400)",
        "botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the PutItem "
        "operation: Throughput exceeds the current capacity of your table or index.",
        "operation error DynamoDB: UpdateItem, https response error StatusCode: 400, "
        "api error ProvisionedThroughputExceededException",
    )
    for text in wordings:
        assert "table_throttled" in mechanisms_in(text), text
        errors = _series(alarm(), WEB, "HTTPCode_Target_5XX_Count", 1, 60)
        found = everything(facts(metrics=[errors], signatures=[signature(text, 240)]))
        assert found[0].category == "dynamodb_throttling", (text, found)
        assert "application_error" not in [h.category for h in found], (
            "the SDK's refusal is not the app's bug"
        )


def test_a_shard_s_throughput_error_is_not_a_table() -> None:
    assert "table_throttled" not in mechanisms_in(
        "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000002 in stream clicks"
    )


def test_a_few_throttles_retried_unnoticed_are_no_incident() -> None:
    few = [0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0, 0]
    assert judged(lag.dynamodb_throttling, facts(metrics=_table(alarm(), few, 1500))) == []


def test_a_one_minute_burst_of_throttles_is_no_incident() -> None:
    burst = [0] * 7 + [400] + [0] * 7
    assert judged(lag.dynamodb_throttling, facts(metrics=_table(alarm(), burst, 1500))) == []


def test_a_capacity_alarm_inside_the_daily_range_is_not_throttling() -> None:
    capacity_alarm = alarm(
        namespace="AWS/DynamoDB",
        metric="ConsumedWriteCapacityUnits",
        stat="Sum",
        threshold=2000,
        dimensions=TABLE,
        recent=(2100, 2150),
    )
    metrics = _table(capacity_alarm, 0, [2100] * MINUTES)
    assert [
        h
        for h in everything(facts(the_alarm=capacity_alarm, metrics=metrics))
        if h.category == "dynamodb_throttling"
    ] == []


# --- API rate limits ---------------------------------------------------------------------------

STAGE = {"ApiName": "shop-api", "Stage": "prod"}
STAGE_ALARM = alarm(
    namespace="AWS/ApiGateway",
    metric="4XXError",
    stat="Sum",
    threshold=200,
    dimensions=STAGE,
    recent=(900, 950),
)


def _stage(rate_limit: float) -> ApiStageState:
    return ApiStageState(
        api_type="rest",
        api_id="a1b2c3d4e5",
        api_name="shop-api",
        stage="prod",
        throttles=[MethodThrottle(route="*/*", rate_limit=rate_limit, burst_limit=200)],
        log_groups=["API-Gateway-Execution-Logs_a1b2c3d4e5/prod"],
    )


def _api(errors: Sequence[float] | float, count: Sequence[float] | float) -> list[Series]:
    return [
        _series(
            STAGE_ALARM, ("AWS/ApiGateway", STAGE, "rest_api_stage"), "4XXError", 30, errors, role="alarm"
        ),
        _series(STAGE_ALARM, ("AWS/ApiGateway", STAGE, "rest_api_stage"), "Count", 3000, count),
    ]


def test_a_stage_refusing_requests_at_its_rate_limit_is_api_throttling() -> None:
    found = everything(
        facts(
            the_alarm=STAGE_ALARM,
            metrics=_api(_ramp(30, 900, 4), _ramp(3000, 6000, 4)),
            resources=ResourcesData(stages=[_stage(100)]),
        )
    )
    top = found[0]
    assert (top.category, top.resource) == ("api_throttling", "shop-api/prod")
    assert top.confidence >= CONFIDENCE_FLOOR
    assert any("rate limit of 100" in r for r in top.reasons)


def test_client_errors_far_below_the_rate_limit_are_not_throttling() -> None:
    found = judged(
        lag.api_throttling,
        facts(
            the_alarm=STAGE_ALARM,
            metrics=_api(_ramp(30, 900, 4), 3000),
            resources=ResourcesData(stages=[_stage(500)]),
        ),
    )
    assert all(h.confidence < CONFIDENCE_FLOOR for h in found), found


def test_an_aws_api_s_rate_limit_logged_by_the_app_is_api_throttling() -> None:
    errors = _series(alarm(), WEB, "HTTPCode_Target_5XX_Count", 1, 60)
    for text in (
        "botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the "
        "GetParameter operation (reached max retries: 4): Rate exceeded",
        "TooManyRequestsException: Too Many Requests (Service: SecretsManager, Status Code: 400)",
        "operation error EC2: DescribeInstances, api error RequestLimitExceeded: Request limit exceeded.",
        'upstream answered "429 Too Many Requests" for POST /v1/charges',
    ):
        found = everything(facts(metrics=[errors], signatures=[signature(text, 180)]))
        assert found[0].category == "api_throttling", (text, found)


def test_a_function_throttled_at_its_concurrency_is_not_an_api_rate_limit() -> None:
    throttles = _series(
        alarm(), ("AWS/Lambda", {"FunctionName": "pdf"}, "lambda_function"), "Throttles", 0, 40
    )
    logged = signature("TooManyRequestsException: Rate Exceeded.", 120)
    assert judged(lag.api_throttling, facts(metrics=[throttles], signatures=[logged])) == []


# --- consumer lag ------------------------------------------------------------------------------

STREAM = {"StreamName": "clicks"}
AGE_ALARM = alarm(
    namespace="AWS/Kinesis",
    metric="GetRecords.IteratorAgeMilliseconds",
    stat="Maximum",
    threshold=60000,
    dimensions=STREAM,
    recent=(300000, 360000),
)


def _age(during: Sequence[float]) -> Series:
    return _series(
        AGE_ALARM,
        ("AWS/Kinesis", STREAM, "kinesis_stream"),
        "GetRecords.IteratorAgeMilliseconds",
        400,
        during,
        role="alarm",
        stat="Maximum",
    )


def test_an_iterator_age_growing_for_minutes_is_consumer_lag() -> None:
    growing = [400] * 4 + [30000 * i for i in range(1, 12)]
    found = everything(facts(the_alarm=AGE_ALARM, metrics=[_age(growing)]))
    top = found[0]
    assert (top.category, top.resource) == ("consumer_lag", "clicks")
    assert top.confidence >= CONFIDENCE_FLOOR
    assert any("not caught up" in r for r in top.reasons)


def test_a_one_minute_lag_blip_that_recovered_is_no_lag() -> None:
    blip = [400] * 9 + [95000] + [400] * 5
    assert judged(lag.consumer_lag, facts(the_alarm=AGE_ALARM, metrics=[_age(blip)])) == []


def test_a_consumer_failing_is_not_told_it_merely_lags() -> None:
    growing = [400] * 4 + [30000 * i for i in range(1, 12)]
    function = {"FunctionName": "clicks-consumer"}
    invocations = _series(AGE_ALARM, ("AWS/Lambda", function, "lambda_function"), "Invocations", 300, 300)

    def judged_with(errors: float) -> float:
        failed = _series(AGE_ALARM, ("AWS/Lambda", function, "lambda_function"), "Errors", 0, errors)
        found = judged(
            lag.consumer_lag, facts(the_alarm=AGE_ALARM, metrics=[_age(growing), invocations, failed])
        )
        return found[0].confidence

    quiet, failing = judged_with(0), judged_with(40)
    assert failing < quiet


def test_a_dead_letter_queue_s_messages_age_by_design() -> None:
    queue = {"QueueName": "orders-dlq"}
    aged = _series(
        alarm(),
        ("AWS/SQS", queue, "sqs_queue"),
        "ApproximateAgeOfOldestMessage",
        60,
        [60 * (i + 2) for i in range(MINUTES)],
        stat="Maximum",
    )
    link = DeadLetterLink(kind="sqs_redrive", source="orders", target="arn:aws:sqs:us-east-1:1:orders-dlq")
    dead = QueueState(name="orders-dlq", url="https://sqs/orders-dlq", dead_letters=[link])
    assert judged(lag.consumer_lag, facts(metrics=[aged], resources=ResourcesData(queues=[dead]))) == []


# --- replication lag ---------------------------------------------------------------------------

REPLICA = {"DBInstanceIdentifier": "orders-db-replica"}
LAG_ALARM = alarm(
    namespace="AWS/RDS",
    metric="ReplicaLag",
    stat="Maximum",
    threshold=60,
    dimensions=REPLICA,
    recent=(400, 460),
)


def _lag(during: Sequence[float]) -> Series:
    return _series(
        LAG_ALARM,
        ("AWS/RDS", REPLICA, "rds_instance"),
        "ReplicaLag",
        0.4,
        during,
        role="alarm",
        stat="Maximum",
    )


def test_a_replica_falling_behind_for_minutes_is_replication_lag() -> None:
    state = DatabaseState(id="orders-db-replica", replica_of="orders-db")
    source = _series(LAG_ALARM, SOURCE, "CPUUtilization", 20, _ramp(20, 70, 3), stat="Average")
    found = everything(
        facts(
            the_alarm=LAG_ALARM,
            metrics=[_lag([0.4] * 3 + [40.0 * i for i in range(1, 13)]), source],
            resources=ResourcesData(databases=[state]),
        )
    )
    top = found[0]
    assert (top.category, top.resource) == ("replication_lag", "orders-db-replica")
    assert top.confidence >= 0.9
    assert any("read replica of orders-db" in r for r in top.reasons)
    assert any("orders-db works harder" in r for r in top.reasons)


def test_a_replica_a_few_seconds_behind_is_no_lag() -> None:
    jitter = [0.4, 2, 5, 3, 1, 0.5, 6, 4, 2, 1, 3, 5, 2, 1, 0.4]
    assert judged(lag.replication_lag, facts(the_alarm=LAG_ALARM, metrics=[_lag(jitter)])) == []


# A lag building slowly since before the incident window: the window before is no longer its usual level.
CREEPING = [0.4 + 12.0 * i for i in range(MINUTES)]
STILL_CREEPING = [CREEPING[-1] + 12.0 * i for i in range(1, MINUTES + 1)]


def _slow_lag(day_ago: Sequence[float]) -> Series:
    return _series(
        LAG_ALARM, ("AWS/RDS", REPLICA, "rds_instance"), "ReplicaLag", CREEPING, STILL_CREEPING,
        role="alarm", stat="Maximum", day_ago=day_ago,
    )  # fmt: skip


def test_a_lag_that_built_for_an_hour_is_judged_against_the_same_hours_a_day_earlier() -> None:
    quiet_day = [0.4] * (2 * MINUTES)
    assert judged(lag.replication_lag, facts(the_alarm=LAG_ALARM, metrics=[_slow_lag(())])) == []
    found = judged(lag.replication_lag, facts(the_alarm=LAG_ALARM, metrics=[_slow_lag(quiet_day)]))
    assert [h.category for h in found] == ["replication_lag"]


def test_a_lag_as_long_at_the_same_hours_a_day_earlier_is_the_hour_s_usual() -> None:
    as_bad = CREEPING + STILL_CREEPING
    assert judged(lag.replication_lag, facts(the_alarm=LAG_ALARM, metrics=[_slow_lag(as_bad)])) == []


READ_REPLICA: Where = ("AWS/RDS", {"DBInstanceIdentifier": "orders-ro-1"}, "rds_instance")
NOT_FOUND = "OrderNotFound: order <*> not found"


def _reader_fails(replica_lag: Sequence[float] | float) -> list[Hypothesis]:
    """A reader of a replica only the database's configuration names (its lag read, it not described)."""
    errors = _series(alarm(), WEB, "HTTPCode_Target_5XX_Count", 1, 60)
    lag_series = _series(alarm(), READ_REPLICA, "ReplicaLag", 0.3, replica_lag, stat="Maximum")
    source = DatabaseState(id="orders-db", replicas=["orders-ro-1"])
    return everything(
        facts(
            metrics=[errors, lag_series],
            signatures=[signature(NOT_FOUND, 120)],
            resources=ResourcesData(databases=[source]),
        )
    )


def test_a_replica_only_its_source_names_falling_behind_is_replication_lag() -> None:
    found = _reader_fails(_ramp(0.3, 95, 3))
    assert [h.category for h in found][:2] == ["replication_lag", "application_error"]
    assert found[0].resource == "orders-ro-1"
    assert any("read replica of orders-db" in r for r in found[0].reasons)


def test_readers_failing_while_the_replica_keeps_up_are_the_code_s_own_errors() -> None:
    found = _reader_fails(0.3)
    assert found[0].category == "application_error"
    assert "replication_lag" not in [h.category for h in found]
