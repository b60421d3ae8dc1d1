"""Admission: alarm events wait in a queue, and at most MaxConcurrentAnalyses analyses run at once.

EventBridge delivers every matching alarm event into the admission queue. Lambda's SQS event source
mapping hands the starter one message at a time, to at most MaxConcurrentAnalyses starters at once
(its maximum concurrency); each starts the analysis (a Standard execution) and waits for it to end.
So a storm of alarms waits in the queue, in order, instead of starting hundreds of executions whose
API calls throttle each other and the account. (An EventBridge Pipe from the queue can start a
Standard workflow only asynchronously: it would empty the queue as fast as it can call
StartExecution, and nothing would bound how many analyses run at once.)

One execution per incident: the execution is named after the incident (the alarm and its state
change), so StartExecution itself sorts out what arrives twice. The same message back again (its
starter stopped) joins the running execution; a duplicate event is refused, and ends as a
successful no-op: the analysis already running or done publishes the one report. A redriven
dead letter is analyzed again under a new name. A message whose analysis ends neither with a
report nor in the dead-letter queue (timed out, aborted) fails, and comes back; after the queue's
receive limit, SQS puts the original event into the dead-letter queue.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from .aws import error_code
from .events import InvalidAlarmEvent, parse_alarm_event

NAME_LIMIT = 80  # Step Functions execution names: 1 to 80 characters
RUNNING = frozenset({"RUNNING", "PENDING_REDRIVE"})
# The workflow's own end after it put the event and the error into the dead-letter queue.
DEAD_LETTERED = "AnalysisFailed"
# What the workflow puts into the dead-letter queue; redriving one analyzes its input again.
DEAD_LETTER_KEYS = frozenset({"input", "error", "cause", "execution"})


class AnalysisNotFinished(RuntimeError):
    """The analysis ended without a report and without a dead letter, or is still running when the
    starter must stop: the message comes back to the queue."""


@dataclass(frozen=True)
class Admitted:
    execution_arn: str
    status: str  # how the execution ended (or stands, for a duplicate of one still running)
    duplicate: bool  # another message's execution analyzes this incident


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def execution_name(event: Any, message_id: str) -> str:
    """The alarm's name, readable in the console, and the incident id; only the characters Step
    Functions accepts everywhere (CloudWatch Logs among them). An event that is no alarm state change
    gets a name of its own: the workflow dead-letters it with the field named."""
    try:
        alarm = parse_alarm_event(event)
    except InvalidAlarmEvent:
        return f"invalid-event-{_digest(message_id, 32)}"
    label = re.sub(r"[^A-Za-z0-9_-]+", "-", alarm.name).strip("-")[:40] or "alarm"
    return f"{label}-{alarm.incident_id}"


def execution_arn(state_machine_arn: str, name: str) -> str:
    """arn:...:stateMachine:NAME -> arn:...:execution:NAME:EXECUTION (the ARN StartExecution returns)."""
    return f"{state_machine_arn.replace(':stateMachine:', ':execution:', 1)}:{name}"


def unwrap(body: str) -> tuple[str, Any, bool]:
    """The execution input, the event and whether the message redrives a dead letter of the workflow.

    Text that is not JSON still starts an analysis (as a JSON string), so that the workflow refuses it
    with the reason into the dead-letter queue, like any other event it cannot analyze."""
    try:
        payload = json.loads(body)
    except ValueError:
        return json.dumps(body), body, False
    if isinstance(payload, dict) and payload.keys() >= DEAD_LETTER_KEYS:
        return json.dumps(payload["input"]), payload["input"], True
    return body, payload, False


def _ended_well(execution: dict[str, Any]) -> bool:
    """A report was published, or the workflow itself put the event and the error into the dead-letter queue."""
    return execution["status"] == "SUCCEEDED" or (
        execution["status"] == "FAILED" and execution.get("error") == DEAD_LETTERED
    )


def admit(
    sfn: Any,
    state_machine_arn: str,
    body: str,
    message_id: str,
    *,
    deadline: float,
    poll_seconds: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Admitted:
    """Start (or join) the analysis of one queued message and wait until it ends.

    Raises AnalysisNotFinished when the message must come back to the queue.
    """
    text, event, redriven = unwrap(body)
    name = execution_name(event, message_id)
    if not redriven:
        started = _start(sfn, state_machine_arn, name, text)
        if started is not None:
            return _wait(sfn, started, deadline, poll_seconds, sleep)
        existing = sfn.describe_execution(executionArn=execution_arn(state_machine_arn, name))
        if existing["status"] in RUNNING or _ended_well(existing):
            return Admitted(existing["executionArn"], existing["status"], duplicate=True)
        # The incident's analysis ended without a report or a dead letter (timed out, aborted): again.
    again = f"{name[: NAME_LIMIT - 13]}-{_digest(message_id, 12)}"  # this message's own analysis
    started = _start(sfn, state_machine_arn, again, text) or execution_arn(state_machine_arn, again)
    return _wait(sfn, started, deadline, poll_seconds, sleep)


def _start(sfn: Any, state_machine_arn: str, name: str, text: str) -> str | None:
    """The execution's ARN; None when an execution of that name exists with another input or has ended
    (the same name and input while it runs returns the running one: StartExecution is idempotent)."""
    try:
        return str(
            sfn.start_execution(stateMachineArn=state_machine_arn, name=name, input=text)["executionArn"]
        )
    except ClientError as exc:
        if error_code(exc) == "ExecutionAlreadyExists":
            return None
        raise


def _wait(
    sfn: Any, arn: str, deadline: float, poll_seconds: float, sleep: Callable[[float], None]
) -> Admitted:
    while True:
        execution = sfn.describe_execution(executionArn=arn)
        if execution["status"] not in RUNNING:
            return _settled(execution)
        if time.monotonic() + poll_seconds >= deadline:
            # The message comes back after the queue's visibility timeout and joins this execution.
            raise AnalysisNotFinished(f"{arn} is still running; the message will rejoin it")
        sleep(poll_seconds)


def _settled(execution: dict[str, Any]) -> Admitted:
    if not _ended_well(execution):
        raise AnalysisNotFinished(
            f"{execution['executionArn']} ended {execution['status']} without a report or a dead letter"
        )
    return Admitted(execution["executionArn"], execution["status"], duplicate=False)
