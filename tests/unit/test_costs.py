"""What an analysis is estimated to cost: the priced units each call uses, and the list prices."""

from __future__ import annotations

from typing import Any

import pytest

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.costs import PRICES, estimate

pytestmark = pytest.mark.usefixtures("aws_env")


def test_metrics_requested_and_traces_read_are_counted_per_call(stubbed: Any) -> None:
    cloudwatch, cw_stub = stubbed("cloudwatch")
    xray, xray_stub = stubbed("xray")
    clients = AwsClients(region="eu-west-1", cloudwatch=cloudwatch, xray=xray)
    queries = [
        {"Id": f"m{i}", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization"},
                                      "Period": 60, "Stat": "Average"}}
        for i in range(3)
    ]  # fmt: skip
    cw_stub.add_response("get_metric_data", {"MetricDataResults": []})
    cw_stub.add_response("describe_alarm_history", {"AlarmHistoryItems": []})
    summaries = [{"Id": f"1-00000000-{i:024x}"} for i in range(4)]
    xray_stub.add_response("get_trace_summaries", {"TraceSummaries": summaries})
    xray_stub.add_response("batch_get_traces", {"Traces": []})
    clients.cloudwatch.get_metric_data(MetricDataQueries=queries, StartTime=0, EndTime=60)
    clients.cloudwatch.describe_alarm_history(AlarmName="x")
    clients.xray.get_trace_summaries(StartTime=0, EndTime=60)
    clients.xray.batch_get_traces(TraceIds=[s["Id"] for s in summaries[:2]])
    assert clients.units == {"metric_requested": 3, "cloudwatch_request": 1, "trace_read": 4 + 2}


def test_the_estimate_prices_each_unit_and_the_lambda_time() -> None:
    items = {
        i.name: i for i in estimate({"metric_requested": 40, "state_transition": 9}, {"a": 1000, "b": 500})
    }
    assert items["metric_requested"].usd == pytest.approx(40 * 0.01 / 1000)
    assert items["state_transition"].usd == pytest.approx(9 * PRICES["state_transition"])
    assert items["lambda_gb_second"].units == pytest.approx(1.5 * 0.5)  # 1.5 s at 512 MB
    assert items["lambda_request"].units == 2
    assert "sns_publish" not in items  # nothing used, nothing billed
