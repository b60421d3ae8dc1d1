"""Step Functions state machines in scope: type and logging (DescribeStateMachine).

The scope step reads each (``locate``) because its logging configuration names the log group its
executions write to; the resources gatherer takes the states from the scope as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..catalog import located_by
from ..models import Resource, StateMachineState
from . import GatherContext
from .apigateway import log_group_name
from .network import Placement

MAX_STATE_MACHINES = 3


def state_machine_state(described: Mapping[str, Any]) -> StateMachineState:
    logging = described.get("loggingConfiguration") or {}
    groups = [
        log_group_name((d.get("cloudWatchLogsLogGroup") or {}).get("logGroupArn"))
        for d in logging.get("destinations", [])
    ]
    return StateMachineState(
        arn=described["stateMachineArn"],
        name=described.get("name") or described["stateMachineArn"].rsplit(":", 1)[-1],
        type=described.get("type"),
        status=described.get("status"),
        logging_level=logging.get("level"),
        log_groups=[g for g in groups if g] if logging.get("level", "OFF") != "OFF" else [],
        role=described.get("roleArn"),
    )


def locate(context: GatherContext, resources: Sequence[Resource]) -> list[StateMachineState]:
    arns = list(
        dict.fromkeys(r.dimensions["StateMachineArn"] for r in located_by(resources, "state_machines"))
    )
    stepfunctions = context.clients.client("stepfunctions")
    found = context.parallel(
        *(
            lambda a=a: context.attempt(
                "state_machine",
                lambda: state_machine_state(stepfunctions.describe_state_machine(stateMachineArn=a)),
                None,
                subject=a.rsplit(":", 1)[-1],
            )
            for a in arns[:MAX_STATE_MACHINES]
        )
    )
    return [state for state in found if state is not None]


def state_machines(context: GatherContext, placement: Placement) -> list[StateMachineState]:
    located = context.scope.located
    return located.state_machines if located is not None else locate(context, context.scope.resources)
