"""Asynchronous processing rules: messages that could not be processed pile up in a dead-letter queue."""

from __future__ import annotations

from .. import evidence as ev
from ..models import QueueState, Series
from .base import Claim, Facts, Phrase


def _growing(series: Series | None) -> bool:
    return bool(
        series
        and (series.incident.max or 0) > max(series.baseline.max or 0, 0)
        and (series.incident.max or 0) >= 1
    )


def _dead_letter_queues(facts: Facts) -> list[QueueState]:
    return [q for q in (facts.resources.queues if facts.resources else []) if q.is_dead_letter_queue]


def async_processing_failure(facts: Facts) -> list[Claim]:
    """A dead-letter queue fills up: the consumer fails on messages, permanently or for now."""
    claims = []
    for queue in _dead_letter_queues(facts):
        depth = facts.series_of("ApproximateNumberOfMessagesVisible", "sqs_queue", queue.name)
        if not _growing(depth) and not queue.visible:
            continue
        claim = Claim("async_processing_failure", queue.name)
        sources = ", ".join(queue.source_queues) or "?"
        if depth and _growing(depth):
            reason = Phrase(
                "r.dlq_growing",
                {
                    "queue": queue.name,
                    "peak": f"{depth.incident.max or 0:.0f}",
                    "baseline": f"{depth.baseline.max or 0:.0f}",
                    "sources": sources,
                },
            )
            claim.observe("dlq_growing", ev.series_id(depth), reason, depth.breach_start)
        else:
            reason = Phrase(
                "r.dlq_not_empty", {"queue": queue.name, "count": queue.visible, "sources": sources}
            )
            claim.observe("dlq_not_empty", ev.queue_id(queue), reason)
        if queue.peeked:
            kind = Phrase(f"failure.{queue.peeked.classification}")
            reason = Phrase("r.dlq_message", {"kind": kind, "matched": queue.peeked.matched or "-"})
            claim.observe("dlq_message", ev.dead_letter_id(queue), reason)
        consumer = next(
            (s for s in facts.rising_errors if any(g.startswith("/aws/lambda/") for g in s.log_groups)), None
        )
        if consumer:
            reason = Phrase("r.consumer_errors", {"signature": consumer.signature, "count": consumer.count})
            claim.observe("consumer_errors", ev.signature_id(consumer), reason, consumer.first_seen)
        for source in queue.source_queues:
            age = facts.series_of("ApproximateAgeOfOldestMessage", "sqs_queue", source)
            if _growing(age) and age is not None:
                claim.observe(
                    "backlog", ev.series_id(age), Phrase("r.backlog", {"queue": source}), age.breach_start
                )
                break
        claims += claim.made()
    return claims
