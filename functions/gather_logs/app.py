"""Gathers error signatures in the discovered log groups, incident window vs baseline."""

from alarm_analyzer.lambda_handlers import gatherer

handler = gatherer("logs")
