"""Resolves once what every gatherer needs: the alarm, its tags, resources, services, log groups, traces."""

from alarm_analyzer.lambda_handlers import scope_resolver

handler = scope_resolver()
