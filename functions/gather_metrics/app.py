"""Gathers the alarm metric and the related metrics of every resource in scope."""

from alarm_analyzer.lambda_handlers import gatherer

handler = gatherer("metrics")
