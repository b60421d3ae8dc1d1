"""Incident references in the project's DynamoDB table, each with a TTL: the open incident of an alarm
(for the recovery follow-up) and the alarm's open GitHub issue (so repeats comment instead of opening
another). One item per alarm and kind, next to the idempotency records."""

from __future__ import annotations

import time
from typing import Any

from .recovery import IncidentRecord


class IncidentStore:
    def __init__(self, dynamodb: Any, table: str, ttl_seconds: int) -> None:
        self._dynamodb, self._table, self._ttl = dynamodb, table, ttl_seconds

    def _put(self, key: str, value: str) -> None:
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                "id": {"S": key},
                "value": {"S": value},
                "expiration": {"N": str(int(time.time()) + self._ttl)},
            },
        )

    def _get(self, key: str) -> str | None:
        item = self._dynamodb.get_item(TableName=self._table, Key={"id": {"S": key}}, ConsistentRead=True)
        found = item.get("Item")
        # DynamoDB deletes expired items lazily; an expired one is as good as gone.
        if not found or int(found["expiration"]["N"]) < time.time():
            return None
        return str(found["value"]["S"])

    def _delete(self, key: str) -> None:
        self._dynamodb.delete_item(TableName=self._table, Key={"id": {"S": key}})

    def save_incident(self, record: IncidentRecord) -> None:
        self._put(f"incident#{record.alarm_arn}", record.model_dump_json())

    def open_incident(self, alarm_arn: str) -> IncidentRecord | None:
        value = self._get(f"incident#{alarm_arn}")
        return IncidentRecord.model_validate_json(value) if value else None

    def close_incident(self, alarm_arn: str) -> None:
        self._delete(f"incident#{alarm_arn}")

    def save_issue(self, alarm_arn: str, number: int) -> None:
        self._put(f"github-issue#{alarm_arn}", str(number))

    def open_issue(self, alarm_arn: str) -> int | None:
        value = self._get(f"github-issue#{alarm_arn}")
        return int(value) if value else None

    def close_issue(self, alarm_arn: str) -> None:
        self._delete(f"github-issue#{alarm_arn}")
