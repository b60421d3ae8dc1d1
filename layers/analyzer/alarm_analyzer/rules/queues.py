"""Asynchronous processing rules: messages that could not be processed pile up in a dead-letter queue."""

from __future__ import annotations

from .. import evidence as ev
from ..i18n import t
from ..models import QueueState, Series
from ..report import Hypothesis
from .base import Case, Facts


def _growing(series: Series | None) -> bool:
    return bool(
        series
        and (series.incident.max or 0) > max(series.baseline.max or 0, 0)
        and (series.incident.max or 0) >= 1
    )


def _dead_letter_queues(facts: Facts) -> list[QueueState]:
    return [q for q in (facts.resources.queues if facts.resources else []) if q.is_dead_letter_queue]


def async_processing_failure(facts: Facts) -> list[Hypothesis]:
    """A dead-letter queue fills up: the consumer fails on messages, permanently or for now."""
    hypotheses = []
    for queue in _dead_letter_queues(facts):
        depth = facts.series_of("ApproximateNumberOfMessagesVisible", "sqs_queue", queue.name)
        if not _growing(depth) and not queue.visible:
            continue
        case = Case("async_processing_failure", queue.name, facts)
        sources = ", ".join(queue.source_queues) or "?"
        if depth and _growing(depth):
            reason = t(
                facts.lang,
                "r.dlq_growing",
                queue=queue.name,
                peak=f"{depth.incident.max or 0:.0f}",
                baseline=f"{depth.baseline.max or 0:.0f}",
                sources=sources,
            )
            case.support(0.5, ev.series_id(depth), reason)
        else:
            reason = t(facts.lang, "r.dlq_not_empty", queue=queue.name, count=queue.visible, sources=sources)
            case.support(0.35, ev.queue_id(queue), reason)
        if queue.peeked:
            kind = t(facts.lang, f"failure.{queue.peeked.classification}")
            reason = t(facts.lang, "r.dlq_message", kind=kind, matched=queue.peeked.matched or "-")
            case.support(0.15, ev.dead_letter_id(queue), reason)
        consumer = next(
            (s for s in facts.rising_errors if any(g.startswith("/aws/lambda/") for g in s.log_groups)), None
        )
        if consumer:
            reason = t(facts.lang, "r.consumer_errors", signature=consumer.signature, count=consumer.count)
            case.support(0.1, ev.signature_id(consumer), reason)
        for source in queue.source_queues:
            age = facts.series_of("ApproximateAgeOfOldestMessage", "sqs_queue", source)
            if _growing(age) and age is not None:
                case.support(0.1, ev.series_id(age), t(facts.lang, "r.backlog", queue=source))
                break
        hypotheses += case.hypothesis()
    return hypotheses
