"""Correlates the gathered evidence into a report and publishes it to SNS once per incident."""

from alarm_analyzer.lambda_handlers import correlator

handler = correlator()
