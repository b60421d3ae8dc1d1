"""Gathers X-Ray traces: latency, faults and where the time of slow requests goes."""

from alarm_analyzer.lambda_handlers import gatherer

handler = gatherer("traces")
