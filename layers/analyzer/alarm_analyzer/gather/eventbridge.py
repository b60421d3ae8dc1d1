"""EventBridge rules in scope: state, schedule and targets with their retry policy and dead-letter
queue (DescribeRule and ListTargetsByRule, side by side).

A target without a dead-letter queue loses the events it could not deliver once its retries end;
``FailedInvocations`` then has nowhere to show up but the metric itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalog import described_by
from ..models import EventRuleState, Resource, RuleTarget
from . import GatherContext
from .network import Placement

MAX_RULES = 3
MAX_TARGETS = 10


def rule_target(target: Mapping[str, Any]) -> RuleTarget:
    retry = target.get("RetryPolicy") or {}
    return RuleTarget(
        id=target["Id"],
        arn=target["Arn"],
        dead_letter_queue=(target.get("DeadLetterConfig") or {}).get("Arn"),
        max_retries=retry.get("MaximumRetryAttempts"),
        max_event_age_s=retry.get("MaximumEventAgeInSeconds"),
    )


def _rule(context: GatherContext, resource: Resource) -> EventRuleState:
    events = context.clients.client("events")
    name, bus = resource.dimensions["RuleName"], resource.dimensions.get("EventBusName", "default")
    with context.side_by_side() as work:
        described = work.submit(lambda: events.describe_rule(Name=name, EventBusName=bus))
        targets = work.submit(
            lambda: context.attempt(
                "rule_targets",
                lambda: events.list_targets_by_rule(Rule=name, EventBusName=bus)["Targets"],
                list[dict[str, Any]](),
                subject=name,
            )
        )
    rule = described.result()
    return EventRuleState(
        name=name,
        bus=bus,
        state=rule.get("State"),
        schedule=rule.get("ScheduleExpression"),
        targets=[rule_target(t) for t in targets.result()[:MAX_TARGETS]],
    )


def rules(context: GatherContext, placement: Placement) -> list[EventRuleState]:
    chosen = described_by(context.scope.resources, "rules")[:MAX_RULES]
    found = context.parallel(
        *(lambda r=r: context.attempt("rule", lambda: _rule(context, r), None, subject=r.id) for r in chosen)
    )
    return [state for state in found if state is not None]
