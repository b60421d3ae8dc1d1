"""The notifier functions: each report and recovery follow-up the topic publishes, to one channel.

Apart from the analysis handlers (``lambda_handlers``) so that those load neither Slack's SDK nor
Powertools' parser and parameters at a cold start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import SnsModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from .aws import AwsClients
from .delivery import message_from_sns
from .github import GitHubIssues, deliver_recovery, deliver_report
from .incidents import IncidentStore
from .lambda_handlers import Handler, logger, metrics, tracer
from .recovery import Recovery
from .report import Report
from .settings import GitHubSettings, SlackSettings
from .slack import post, recovery_message, report_message

SECRET_MAX_AGE_SECONDS = 300  # a rotated webhook URL or token is picked up within five minutes


def _secret(arn: str) -> Callable[[], str]:
    """The secret's value, read on use and cached a few minutes (Powertools), so rotation works; never logged."""
    return lambda: str(parameters.get_secret(arn, max_age=SECRET_MAX_AGE_SECONDS)).strip()


def _notifier(channel: str, deliver: Callable[[Report | Recovery], Any]) -> Handler:
    """A handler subscribed to the report topic that delivers each message to one channel."""

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        delivered = []
        for record in parse(event=event, model=SnsModel).Records:
            message = message_from_sns(str(record.Sns.Message))
            # A failure raises: Lambda retries the event, then it goes to the delivery dead-letter queue.
            delivered.append(deliver(message))
            logger.info("delivered", extra={"channel": channel, "incident_id": message.incident_id})
            metrics.add_metric(name="Deliveries", unit=MetricUnit.Count, value=1)
        return {"delivered": delivered}

    return handler


def slack_notifier() -> Handler:
    """The Slack notifier: each report or follow-up as a Block Kit message to the incoming webhook."""
    settings = SlackSettings.from_env()
    webhook_url = _secret(settings.webhook_secret_arn)

    def deliver(message: Report | Recovery) -> str:
        post(
            webhook_url(),
            recovery_message(message) if isinstance(message, Recovery) else report_message(message),
        )
        return message.incident_id

    return _notifier("slack", deliver)


def github_notifier() -> Handler:
    """The GitHub notifier: open, comment on and close the alarm's issue; returns the issue numbers."""
    settings = GitHubSettings.from_env()
    clients = AwsClients()
    incidents = IncidentStore(clients.dynamodb, settings.table, settings.incident_ttl_days * 86400)
    token = _secret(settings.token_secret_arn)

    def deliver(message: Report | Recovery) -> int | None:
        issues = GitHubIssues(settings.repository, token(), settings.api_url)
        if isinstance(message, Recovery):
            return deliver_recovery(issues, incidents, message)
        return deliver_report(issues, incidents, message)

    return _notifier("github", deliver)
