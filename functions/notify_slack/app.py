"""Posts each report and recovery follow-up from the report topic to Slack as a Block Kit message."""

from alarm_analyzer.lambda_notifiers import slack_notifier

handler = slack_notifier()
