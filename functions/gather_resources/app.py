"""Gathers the state of the resources involved: target health, functions, databases, queues, network."""

from alarm_analyzer.lambda_handlers import gatherer

handler = gatherer("resources")
