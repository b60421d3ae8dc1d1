"""Asynchronous processing rules: messages that could not be processed pile up in a dead-letter queue.

A queue is a dead-letter queue when configuration says something sends its failures there (an SQS
redrive policy, a function's DeadLetterConfig or on-failure destination, an event source mapping's,
an EventBridge target's dead-letter queue, an SNS subscription's redrive policy: ``dead_letters``).
A queue only named like one is weak evidence, weighed lower. The consumer's errors count when they
are its own: logged in the log group of the function whose failures the queue holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import evidence as ev
from ..models import DeadLetterLink, LogSignature, QueueState, Series
from ..scope import alarm_resources
from .base import Claim, Facts, Phrase


def _growing(series: Series | None) -> bool:
    return bool(
        series
        and (series.incident.max or 0) > max(series.baseline.max or 0, 0)
        and (series.incident.max or 0) >= 1
    )


def _dead_letter_queues(facts: Facts) -> list[QueueState]:
    """Queues something dead-letters into, or named like one (weak): those that hold failures."""
    return [q for q in (facts.resources.queues if facts.resources else []) if q.dead_letters]


def _sources(links: Sequence[DeadLetterLink]) -> Phrase:
    """What sends its failures to the queue, worded by kind of relationship: the first, and how many more."""
    first, *rest = links
    phrase = Phrase(f"dl.{first.kind}", {"source": first.source_name, "consumer": first.consumer or "?"})
    return Phrase("dl.more", {"first": phrase, "count": len(rest)}) if rest else phrase


def _logged_in(group: str, patterns: Sequence[str]) -> bool:
    return any(group == p or (p.endswith("*") and group.startswith(p[:-1])) for p in patterns)


def consumer_errors(facts: Facts, queue: QueueState) -> LogSignature | None:
    """The most frequent rising error the queue's consumers logged in their own log groups."""
    own = [
        s
        for s in facts.rising_errors
        if any(_logged_in(group, queue.consumer_log_groups) for group in s.log_groups)
    ]
    return max(own, key=lambda s: s.count, default=None)


def _depth(claim: Claim, queue: QueueState, depth: Series | None) -> None:
    """How full the queue got: growing (per its depth metric), else holding messages now."""
    confirmed = [link for link in queue.dead_letters if link.confirmed]
    if confirmed:
        values: dict[str, str | int | Phrase] = {"queue": queue.name, "sources": _sources(confirmed)}
        growing, holding, weight = "r.dlq_growing", "r.dlq_not_empty", "dlq"
    else:
        guess = next((link.consumer for link in queue.dead_letters if link.consumer), None)
        of = Phrase("r.dlq_named_of", {"consumer": guess}) if guess else ""
        values = {"queue": queue.name, "of": of}
        growing, holding, weight = "r.dlq_named_growing", "r.dlq_named_not_empty", "dlq_named"
    if depth is not None and _growing(depth):
        peak, baseline = f"{depth.incident.max or 0:.0f}", f"{depth.baseline.max or 0:.0f}"
        reason = Phrase(growing, {**values, "peak": peak, "baseline": baseline})
        claim.observe(f"{weight}_growing", ev.series_id(depth), reason, depth.breach_start)
    else:
        reason = Phrase(holding, {**values, "count": queue.visible})
        claim.observe(f"{weight}_not_empty", ev.queue_id(queue), reason)


def async_processing_failure(facts: Facts) -> list[Claim]:
    """A dead-letter queue fills up: the consumer fails on messages, permanently or for now."""
    claims = []
    watched = {r.id for r in alarm_resources(facts.alarm) if r.kind == "sqs_queue"}
    for queue in _dead_letter_queues(facts):
        depth = facts.series_of("ApproximateNumberOfMessagesVisible", "sqs_queue", queue.name)
        if not _growing(depth) and not queue.visible:
            continue
        claim = Claim("async_processing_failure", queue.name)
        _depth(claim, queue, depth)
        if queue.name in watched and queue.is_dead_letter_queue:
            claim.observe(
                "alarm_watches", ev.queue_id(queue), Phrase("r.alarm_watches_dlq", {"queue": queue.name})
            )
        if queue.peeked:
            kind = Phrase(f"failure.{queue.peeked.classification}")
            reason = Phrase("r.dlq_message", {"kind": kind, "matched": queue.peeked.matched or "-"})
            claim.observe("dlq_message", ev.dead_letter_id(queue), reason)
        consumer = consumer_errors(facts, queue)
        if consumer:
            group = next(g for g in consumer.log_groups if _logged_in(g, queue.consumer_log_groups))
            reason = Phrase(
                "r.consumer_errors",
                {"signature": consumer.signature, "count": consumer.count, "log_group": group},
            )
            weight = "consumer_errors_new" if consumer.new else "consumer_errors"
            claim.logged(weight, consumer, reason)
        for source in (link.source for link in queue.dead_letters if link.kind == "sqs_redrive"):
            age = facts.series_of("ApproximateAgeOfOldestMessage", "sqs_queue", source)
            if _growing(age) and age is not None:
                claim.observe(
                    "backlog", ev.series_id(age), Phrase("r.backlog", {"queue": source}), age.breach_start
                )
                break
        claims += claim.made()
    return claims
