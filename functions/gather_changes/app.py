"""Gathers what changed just before the alarm: API calls, deployments, alias moves, flags, stacks."""

from alarm_analyzer.lambda_handlers import gatherer

handler = gatherer("changes")
