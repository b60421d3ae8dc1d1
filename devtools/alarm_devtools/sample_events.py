"""The sample inputs of the workflow's functions (``make events``), from an incident of the emulator.

``events/start_analysis.json`` is the admission queue's delivery of the alarm's EventBridge event to
the starter, ``events/resolve_scope.json`` the event itself, ``events/gather.json`` what the
ResolveScope step hands every gatherer (the event and its scope), ``events/correlate.json`` what
the correlate step gets: the same, with every gatherer's envelope. ``sam local invoke <Function> -e``
takes them as they are.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.models import CorrelateInput
from alarm_analyzer.pipeline import gather_all, resolve

from .emulator import world
from .emulator.injected import injected
from .emulator.scenarios import DEFAULT_SCENARIO, SCENARIOS, seed

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"


def _write(name: str, payload: Any) -> None:
    path = ROOT / "events" / name
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {path.relative_to(ROOT)}\n")


def queued(event: dict[str, Any]) -> dict[str, Any]:
    """The event as Lambda's SQS event source mapping hands it to the starter, from the admission queue."""
    body = json.dumps(event, ensure_ascii=False)
    return {
        "Records": [
            {
                "messageId": "3f1c2b7e-9a4d-4c1e-8b2f-6d5e4a3c2b1a",
                "receiptHandle": "AQEBexample==",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795144360000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1795144360050",
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(body.encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{event['region']}:{world.ACCOUNT}:alarm-analyzer-AdmissionQueue",
                "awsRegion": event["region"],
            }
        ]
    }


def main() -> int:
    scenario = SCENARIOS[DEFAULT_SCENARIO]
    with mock_aws():
        incident = seed(
            AwsClients(session=world.shared_session(REGION), config=world.SEEDING_CONFIG), scenario
        )
        with injected(incident.responses):
            request = resolve(
                incident.event, AwsClients(session=world.shared_session(REGION)), scenario.settings
            )
            results = gather_all(
                request, lambda: AwsClients(session=world.shared_session(REGION)), scenario.settings
            )
    correlated = CorrelateInput(
        event=request.event, scope=request.scope, resolution=request.resolution, results=results
    )
    _write("start_analysis.json", queued(incident.event))
    _write("resolve_scope.json", incident.event)
    _write("gather.json", request.model_dump(mode="json"))
    _write("correlate.json", correlated.model_dump(mode="json"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
