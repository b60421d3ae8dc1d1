"""Gathers the alarm's configuration, tags, state history and sanity checks."""

from alarm_analyzer.lambda_handlers import gatherer

handler = gatherer("alarm")
