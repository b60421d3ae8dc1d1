"""What Lambda's SQS event source mapping does for the starter, done by the emulator (moto's mapping
invokes a function inside SendMessage, one message at a time, with no bound on concurrency).

As the template's mapping says: batches of ``BatchSize`` messages, at most ``MaximumConcurrency``
invocations at once, each through Lambda's Invoke (so the real handler runs in-process), partial batch
responses honoured. A message that failed is visible again at once, as if its visibility timeout had
passed; SQS's own redrive policy (moto applies it on receive) moves it to the dead-letter queue after
``maxReceiveCount`` receives.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from alarm_analyzer.aws import AwsClients


class PollingTimeout(RuntimeError):
    """The queue did not drain in time."""


class QueuePoller:
    def __init__(self, clients: AwsClients, mapping: Mapping[str, Any], region: str) -> None:
        self.clients, self.region = clients, region
        self.queue_arn = str(mapping["EventSourceArn"])
        self.function = str(mapping["FunctionName"])
        self.batch_size = int(mapping.get("BatchSize", 10))
        self.concurrency = int(mapping.get("ScalingConfig", {}).get("MaximumConcurrency", 1000))
        self.partial = "ReportBatchItemFailures" in mapping.get("FunctionResponseTypes", [])
        name = self.queue_arn.rsplit(":", 1)[-1]
        self.queue_url = clients.client("sqs").get_queue_url(QueueName=name)["QueueUrl"]

    def drain(self, timeout: float) -> None:
        """Invoke the function on every message until the queue is empty and no invocation runs."""
        deadline = time.monotonic() + timeout
        sqs = self.clients.client("sqs")
        busy: set[Future[None]] = set()
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            while True:
                while len(busy) < self.concurrency:
                    messages = sqs.receive_message(
                        QueueUrl=self.queue_url,
                        MaxNumberOfMessages=self.batch_size,
                        AttributeNames=["All"],
                        MessageAttributeNames=["All"],
                    ).get("Messages", [])
                    if not messages:
                        break
                    busy.add(pool.submit(self._invoke, messages))
                if not busy:
                    return
                if time.monotonic() > deadline:
                    raise PollingTimeout(f"{self.queue_url} still busy after {timeout} s")
                done, busy = wait(busy, timeout=0.05, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()

    def _invoke(self, messages: list[dict[str, Any]]) -> None:
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": self.queue_arn,
                "awsRegion": self.region,
            }
            for m in messages
        ]
        response = self.clients.client("lambda").invoke(
            FunctionName=self.function, Payload=json.dumps({"Records": records}).encode()
        )
        result = json.loads(response["Payload"].read() or b"null")
        if "FunctionError" in response:
            failed = {m["MessageId"] for m in messages}
        elif self.partial and isinstance(result, dict):
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures") or []}
        else:
            failed = set()
        sqs = self.clients.client("sqs")
        for message in messages:
            if message["MessageId"] in failed:
                sqs.change_message_visibility(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
