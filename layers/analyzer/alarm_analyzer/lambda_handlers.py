"""The Lambda side: Powertools-instrumented handlers around the domain package.

Each function's ``app.py`` names one of these; they parse the input, call the domain package and
return the output model as JSON. Clients and settings are created once per execution environment.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from .aws import AwsClients
from .correlate import correlate
from .delivery import publish
from .models import CorrelateInput, CorrelateOutput, Source
from .pipeline import gather
from .report import Report
from .settings import CorrelateSettings, GathererSettings

logger = Logger()
tracer = Tracer()
metrics = Metrics()

Handler = Any  # a Lambda handler: (event, context) -> JSON-able dict

RETURN_MARGIN_SECONDS = 5.0

# EventBridge delivers at least once and Step Functions retries: one incident, one message, for a day.
IDEMPOTENCY_TTL_SECONDS = 24 * 3600


def gatherer(source: Source) -> Handler:
    """The handler of one gatherer function."""
    settings = GathererSettings.from_env()
    clients = AwsClients()
    metrics.set_default_dimensions(source=source)

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        # Return what was found before the function times out, rather than lose it all.
        budget = context.get_remaining_time_in_millis() / 1000 - RETURN_MARGIN_SECONDS
        result = gather(source, event, clients, settings, budget_seconds=max(budget, 1.0))
        logger.info(
            "gathered", extra={"source": source, "status": result.status, "api_calls": result.api_calls}
        )
        metrics.add_metric(name="ApiCalls", unit=MetricUnit.Count, value=result.api_calls)
        metrics.add_metric(name="GatherDuration", unit=MetricUnit.Milliseconds, value=result.duration_ms)
        return result.model_dump(mode="json")

    return handler


def correlator() -> Handler:
    """The handler of the correlate function: report, then publish it once per incident."""
    settings = CorrelateSettings.from_env()
    clients = AwsClients()
    persistence = DynamoDBPersistenceLayer(
        table_name=settings.idempotency_table, boto3_client=clients.dynamodb
    )
    config = IdempotencyConfig(
        event_key_jmespath="incident_id", expires_after_seconds=IDEMPOTENCY_TTL_SECONDS
    )

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="report", persistence_store=persistence, config=config
    )
    def deliver(report: Report) -> dict[str, Any]:
        message_id = publish(clients.sns, settings.topic_arn, report)
        return CorrelateOutput(
            incident_id=report.incident_id,
            alarm_name=report.alarm.name,
            category=report.root_cause.category,
            confidence=report.root_cause.confidence,
            severity=report.severity,
            message_id=message_id,
            report_bytes=len(report.model_dump_json().encode()),
        ).model_dump(mode="json")

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        config.register_lambda_context(context)
        request = CorrelateInput.model_validate(event)
        report = correlate(request.event, request.results, settings.report_language)
        logger.info(
            "report", extra={"incident_id": report.incident_id, "category": report.root_cause.category}
        )
        metrics.add_metric(name="Reports", unit=MetricUnit.Count, value=1)
        delivered: dict[str, Any] = deliver(report=report)
        return delivered

    return handler
