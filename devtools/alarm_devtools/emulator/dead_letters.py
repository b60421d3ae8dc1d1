"""Dead-letter scenarios: one per way AWS sends failures to a queue other than an SQS redrive policy.

In each, an alarm on the dead-letter queue's depth fires while the consumer rejects every message as
invalid. The alarm names no log group: the analysis must find what sends failures to the queue from
its configuration (a function's DeadLetterConfig or on-failure destination, an event source mapping's,
an SNS subscription's redrive policy) and read the consumer's own logs. The SNS consumer is the app
behind the load balancer (an HTTPS endpoint, no function to follow), so that alarm names the app's log
group, as the README asks of alarms whose consumer is a container. Wordings vary by stack (pydantic,
Ajv, Go's encoding/json, Jackson), and each log has the usual background noise.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from .scenarios import RUNBOOK, Scenario
from .world import AlarmSpec, Fault, LogLine, Names, Worker

LISTINGS = Names(
    service="listing-api", load_balancer="marketplace-web", target_group="listing-api-tg", database="listings-db",
    db_name="listings", worker="listing-image-processor", remote_host="api.image-cdn.example.com",
    slow_code="render_gallery", cluster="marketplace", table="listing-drafts", path="/listings/{n}",
    dead_letter_suffix="-async-dlq",
)  # fmt: skip
CLICKSTREAM = Names(
    service="storefront-web", load_balancer="storefront-edge", target_group="storefront-web-tg",
    database="storefront-db", db_name="storefront", worker="clickstream-sessionizer",
    remote_host="api.analytics-partner.example.com", slow_code="renderProductPage", cluster="storefront",
    table="storefront-carts", path="/p/{n}", dead_letter_suffix="-batch-failures",
)  # fmt: skip
PARTNERS = Names(
    service="fulfilment-service", load_balancer="fulfilment-alb", target_group="fulfilment-svc-tg",
    database="fulfilment-mysql", db_name="fulfilment", db_engine="mysql", db_log="error",
    worker="partner-sync", remote_host="api.carrier.example.org", slow_code="ShipmentService.quote",
    cluster="logistics", table="fulfilment-locks", path="/shipments/{n}", dead_letter_suffix="-webhook-dlq",
)  # fmt: skip
ORDERS = Names(
    service="order-gateway", load_balancer="orders-public", target_group="order-gateway-tg", database="orders-pg",
    db_name="orders", worker="order-fulfilment", remote_host="api.payments.example.net", slow_code="priceOrder",
    cluster="commerce", table="order-idempotency", path="/orders/{n}", dead_letter_suffix="-failed-invocations",
)  # fmt: skip


def _json(level: str, message: str, **fields: Any) -> str:
    return json.dumps({"level": level, "message": message, **fields})


def _depth_alarm(names: Names, tags: dict[str, str] | None = None) -> AlarmSpec:
    """An alarm on any message in the dead-letter queue, tagged only with what a team tags everything with."""
    return AlarmSpec(
        name=f"{names.dead_letter_queue}-not-empty",
        namespace="AWS/SQS",
        metric="ApproximateNumberOfMessagesVisible",
        dimensions={"QueueName": "{dead_letter_queue}"},
        statistic="Maximum",
        period=300,
        evaluation_periods=1,
        threshold=0,
        comparison="GreaterThanThreshold",
        description=f"Failed work is piling up. Runbook: {RUNBOOK.format(service=names.service)}",
        tags={"team": names.cluster, **(tags or {})},
    )


def _function_dead_letter_config() -> Scenario:
    """The miss that motivated it: the queue is the function's DeadLetterConfig target, no queue redrives."""
    names = LISTINGS
    return Scenario(
        name="listing-images-dead-lettered-by-function",
        expected="async_processing_failure",
        summary="A new upload client sends widths as '1080px'; every image job fails validation after "
        "Lambda's retries and lands in the function's dead-letter queue.",
        names=names,
        alarm=_depth_alarm(names),
        wiring="lambda_dlq",
        worker=Worker(timeout_s=60, memory_mb=1024),
        noise=(LogLine("worker", "[INFO]\tresized {n}.webp to 3 variants in {ms} ms", 2),),
        fault=Fault(
            starts=timedelta(minutes=18),
            load={"worker_error_share": 0.45, "dead_letters_per_minute": 1.6},
            log_lines=(
                LogLine("worker", "[ERROR]\t{id}\tValidationError: 1 validation error for ImageJob\nwidth\n  Input "
                        "should be a valid integer, unable to parse string as an integer [type=int_parsing, "
                        "input_value='1080px', input_type=str]", 4),
                LogLine("worker", "[WARNING]\tjob {id} retried by Lambda (attempt 2 of 3)", 1.5),
            ),
        ),
    )  # fmt: skip


def _stream_on_failure() -> Scenario:
    names = CLICKSTREAM
    return Scenario(
        name="clickstream-batches-failed-schema",
        expected="async_processing_failure",
        summary="The web app's new tracker sends sessionId as a number; the sessionizer's schema check rejects "
        "the records and the stream mapping sends the failed batches to its on-failure destination.",
        names=names,
        alarm=_depth_alarm(names, {"analyzer:severity": "ticket"}),
        wiring="esm_on_failure",
        worker=Worker(runtime="nodejs20.x", timeout_s=30, memory_mb=512, json_logs=True),
        noise=(
            LogLine("worker", _json("INFO", "flushed {n} sessions to the warehouse", logger="sessionizer"), 1),
            LogLine("worker", _json("WARN", "late event dropped: {ms}ms behind watermark", logger="window"), 0.2),
        ),
        fault=Fault(
            starts=timedelta(minutes=14),
            load={"worker_error_share": 0.3, "dead_letters_per_minute": 2.4},
            log_lines=(
                LogLine("worker", _json("ERROR", "Record rejected by schema clickstream-event v7: data/sessionId must "
                                        "be string, data/sessionId must match format \"uuid\"",
                                        logger="validator", shard="shardId-000000000001", seq="{n}"), 5),
            ),
        ),
    )  # fmt: skip


def _partner_webhook_redrive() -> Scenario:
    names = PARTNERS
    return Scenario(
        name="partner-events-dead-lettered-by-subscription",
        expected="async_processing_failure",
        summary="A carrier changed its amount format; the webhook answers 400 to every notification and the "
        "SNS subscription redrives them into its dead-letter queue.",
        names=names,
        alarm=_depth_alarm(names, {"analyzer:log-groups": names.app_log_group}),
        wiring="sns_redrive",
        noise=(
            LogLine("app", "INFO  c.e.f.ShipmentController - GET /shipments/{n} 200 {ms}ms", 2),
            LogLine("app", "WARN  o.h.e.j.s.SqlExceptionHelper - SQL Warning Code: 1287 (deprecated syntax)", 0.1),
        ),
        fault=Fault(
            starts=timedelta(minutes=22),
            load={"client_error_share": 0.05, "dead_letters_per_minute": 1.2},
            log_lines=(
                LogLine("app", "WARN  c.e.f.w.PartnerEventController - Rejected partner event {id}: 400 Bad Request: "
                        "JSON parse error: Cannot deserialize value of type `java.math.BigDecimal` from String "
                        "\"12,50\": not a valid representation", 3),
            ),
        ),
    )  # fmt: skip


def _on_failure_destination() -> Scenario:
    names = ORDERS
    return Scenario(
        name="order-events-to-on-failure-destination",
        expected="async_processing_failure",
        summary="Orders arrive with totals as strings; the fulfilment function (Go) fails to decode each one, "
        "and Lambda sends the failed invocations to its on-failure destination.",
        names=names,
        alarm=_depth_alarm(names),
        wiring="lambda_on_failure",
        worker=Worker(runtime="provided.al2023", timeout_s=15, memory_mb=256, json_logs=True),
        noise=(LogLine("worker", _json("INFO", "order {n} reserved in warehouse eu-2"), 1.5),),
        fault=Fault(
            starts=timedelta(minutes=11),
            load={"worker_error_share": 0.5, "dead_letters_per_minute": 2.0},
            log_lines=(
                LogLine("worker", json.dumps({"level": "ERROR", "msg": "decode order event",
                                              "err": "json: cannot unmarshal string into Go struct field "
                                              "Order.total of type float64", "request_id": "{id}"}), 4),
            ),
        ),
    )  # fmt: skip


DEAD_LETTERS: dict[str, Scenario] = {
    s.name: s
    for s in (
        _function_dead_letter_config(),
        _stream_on_failure(),
        _partner_webhook_redrive(),
        _on_failure_destination(),
    )
}
