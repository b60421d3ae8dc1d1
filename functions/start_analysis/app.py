"""Starts one analysis per queued alarm event and waits for it: at most MaxConcurrentAnalyses run at once."""

from alarm_analyzer.lambda_handlers import starter

handler = starter()
