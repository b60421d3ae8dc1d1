"""The Lambda side: Powertools-instrumented handlers around the domain package.

Each function's ``app.py`` names one of these; they parse the input, call the domain package and
return the output model as JSON. Settings are read once per execution environment; clients are
made on first use.
"""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from .admission import admit
from .aws import AwsClients
from .console import ConsoleAccess
from .correlate import correlate
from .delivery import publish, publish_recovery
from .events import parse_alarm_event
from .incidents import IncidentStore
from .models import CorrelateInput, CorrelateOutput, GatherInput
from .pages import store_page
from .pipeline import gather, resolve
from .recovery import Recovery, follow_up, record_of
from .report import Report
from .scope import windows_for
from .settings import AdmissionSettings, CorrelateSettings, GathererSettings

logger = Logger()
tracer = Tracer()
metrics = Metrics()

Handler = Any  # a Lambda handler: (event, context) -> JSON-able dict

RETURN_MARGIN_SECONDS = 5.0

# EventBridge delivers at least once and Step Functions retries: one incident, one message, for a day.
IDEMPOTENCY_TTL_SECONDS = 24 * 3600


def _budget(context: LambdaContext) -> float:
    """Seconds to work before returning what was found, rather than lose it all to the timeout."""
    return max(context.get_remaining_time_in_millis() / 1000 - RETURN_MARGIN_SECONDS, 1.0)


def starter() -> Handler:
    """The handler of the starter: one queued alarm event, one analysis, waited for (admission.py).
    A message that fails comes back to the queue, and after its receive limit goes to the dead-letter queue."""
    settings = AdmissionSettings.from_env()
    clients = AwsClients()
    processor = BatchProcessor(event_type=EventType.SQS)

    def admit_record(record: SQSRecord, lambda_context: LambdaContext) -> None:
        admitted = admit(
            clients.client("stepfunctions"),
            settings.state_machine_arn,
            record.body,
            record.message_id,
            deadline=time.monotonic() + _budget(lambda_context),
            poll_seconds=settings.poll_seconds,
        )
        logger.info(
            "admitted",
            extra={
                "execution": admitted.execution_arn,
                "status": admitted.status,
                "duplicate": admitted.duplicate,
            },
        )
        metrics.add_metric(
            name="DuplicateEvents" if admitted.duplicate else "Analyses", unit=MetricUnit.Count, value=1
        )

    @logger.inject_lambda_context(log_event=False)
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        response = process_partial_response(
            event=event, record_handler=admit_record, processor=processor, context=context
        )
        return dict(response)

    return handler


def _home(context: LambdaContext) -> str:
    """The function's own account (its ARN says it): alarms of other accounts are read through their role."""
    return context.invoked_function_arn.split(":")[4]


def scope_resolver() -> Handler:
    """The handler of the ResolveScope function: the event and its scope, for every gatherer."""
    settings = GathererSettings.from_env()
    clients = AwsClients()

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        resolved = resolve(event, clients, settings, budget_seconds=_budget(context), home=_home(context))
        logger.info(
            "scope",
            extra={"api_calls": resolved.resolution.api_calls, "notes": len(resolved.resolution.notes)},
        )
        metrics.add_metric(name="ApiCalls", unit=MetricUnit.Count, value=resolved.resolution.api_calls)
        return resolved.model_dump(mode="json")

    return handler


def gatherer(source: str) -> Handler:
    """The handler of one gatherer function: it gets the event and the scope ResolveScope found."""
    settings = GathererSettings.from_env()
    clients = AwsClients()
    metrics.set_default_dimensions(source=source)

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        request = GatherInput.model_validate(event)
        result = gather(
            source, request, clients, settings, budget_seconds=_budget(context), home=_home(context)
        )
        logger.info(
            "gathered", extra={"source": source, "status": result.status, "api_calls": result.api_calls}
        )
        metrics.add_metric(name="ApiCalls", unit=MetricUnit.Count, value=result.api_calls)
        metrics.add_metric(name="GatherDuration", unit=MetricUnit.Milliseconds, value=result.duration_ms)
        return result.model_dump(mode="json")

    return handler


def _output(report: Report, message_id: str | None, message: Report | Recovery) -> dict[str, Any]:
    return CorrelateOutput(
        incident_id=report.incident_id,
        alarm_name=report.alarm.name,
        category=report.root_cause.category,
        confidence=report.root_cause.confidence,
        severity=report.severity,
        message_id=message_id,
        report_bytes=len(message.model_dump_json().encode()),
    ).model_dump(mode="json")


def correlator() -> Handler:
    """The handler of the correlate function: report, then publish it once per incident; when the alarm
    recovers, publish the follow-up of the incident it ends."""
    settings = CorrelateSettings.from_env()
    clients = AwsClients()
    persistence = DynamoDBPersistenceLayer(
        table_name=settings.idempotency_table, boto3_client=clients.dynamodb
    )
    config = IdempotencyConfig(
        event_key_jmespath="incident_id", expires_after_seconds=IDEMPOTENCY_TTL_SECONDS
    )
    incidents = IncidentStore(
        clients.dynamodb, settings.idempotency_table, settings.incident_ttl_days * 86400
    )
    console = ConsoleAccess(settings.console_portal_url, settings.console_role_name)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="report", persistence_store=persistence, config=config
    )
    def deliver(report: Report) -> dict[str, Any]:
        if settings.report_bucket:
            link = store_page(
                clients.client("s3"), settings.report_bucket, report, settings.report_link_hours * 3600
            )
            report = report.model_copy(update={"html_url": link})
        message_id = publish(clients.sns, settings.topic_arn, report)
        if settings.recovery_follow_up and report.alarm.state == "ALARM":
            incidents.save_incident(record_of(report))
        return _output(report, message_id, report)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="recovery", persistence_store=persistence, config=config
    )
    def deliver_follow_up(recovery: Recovery, report: Report) -> dict[str, Any]:
        message_id = publish_recovery(clients.sns, settings.topic_arn, recovery)
        incidents.close_incident(recovery.alarm_arn)
        return _output(report, message_id, recovery)

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        config.register_lambda_context(context)
        request = CorrelateInput.model_validate(event)
        report = correlate(request, settings.report_language, console=console)
        logger.info(
            "report", extra={"incident_id": report.incident_id, "category": report.root_cause.category}
        )
        if report.alarm.state == "OK" and settings.recovery_follow_up:
            record = incidents.open_incident(report.alarm.arn)
            if record is not None:
                window = windows_for(parse_alarm_event(request.event)).incident
                recovery = follow_up(record, report, window.minutes)
                logger.info("recovery", extra={"incident_id": record.incident_id, "status": recovery.status})
                metrics.add_metric(name="RecoveryFollowUps", unit=MetricUnit.Count, value=1)
                followed: dict[str, Any] = deliver_follow_up(recovery=recovery, report=report)
                return followed
            if not settings.analyze_ok:  # nothing to follow up, and OK reports were not asked for
                return _output(report, None, report)
        metrics.add_metric(name="Reports", unit=MetricUnit.Count, value=1)
        delivered: dict[str, Any] = deliver(report=report)
        return delivered

    return handler
