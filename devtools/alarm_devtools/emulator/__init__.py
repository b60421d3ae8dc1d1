"""An AWS account in-process (moto), with Alarm Analyzer deployed from the repository's template.yaml.

Used by ``alarm-analyzer demo`` and the workflow tests: seed an incident, put the alarm's
EventBridge event, let the template's rule deliver it into the admission queue, the starter start
the real state machine, which runs the real handlers; read the report from SNS.

Other accounts of the organisation, in any region, join with ``member(...)``: member.yaml is deployed
there, an incident can be seeded there, and its alarm's event travels as AWS sends it: the member's
rule, the central stack's bus (its policy decides who may send) and its rule, the admission queue.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
from moto import mock_aws
from moto.iam.models import iam_backends

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.delivery import message_from_sns
from alarm_analyzer.recovery import Recovery
from alarm_analyzer.report import Report

from . import roles, world
from .admission import QueuePoller
from .injected import injected
from .lambda_runtime import FunctionSpec, InProcessLambda
from .scenarios import Incident, Scenario, seed
from .template import STACK, Stack

# The role AWS Organizations creates in every account it creates, trusting the management account.
ADMIN_ROLE = "OrganizationAccountAccessRole"

PROJECT_ROOT = Path(__file__).resolve().parents[3]
QUIET = {"POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"}
# Analyses take seconds here: the starter looks at its execution more often than in AWS.
EMULATED = {"STATUS_POLL_SECONDS": "0.1"}


class EmulatorError(RuntimeError):
    """The emulated run did not produce what it should have."""


def _drain(sqs: Any, url: str) -> Iterator[dict[str, Any]]:
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
            "Messages", []
        )
        if not messages:
            return
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            yield message


@dataclass
class Member:
    """Another account of the organisation in one region, with member.yaml deployed in it."""

    account: str
    region: str
    clients: AwsClients  # as the account's administrator: for seeding
    tap: str  # the queue the member's forwarding rule delivers to (in AWS: the central bus)

    def seed(self, scenario: Scenario) -> Incident:
        return seed(self.clients, scenario)

    def forwarded(self, event: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Put the alarm's event on the member's bus; what its forwarding rule sends on, as it sends it."""
        self.clients.client("events").put_events(Entries=[_entry(event)])
        return [json.loads(m["Body"]) for m in _drain(self.clients.client("sqs"), self.tap)]


def _entry(event: Mapping[str, Any], bus: str | None = None) -> dict[str, Any]:
    entry = {
        "Source": event["source"],
        "DetailType": event["detail-type"],
        "Detail": json.dumps(event["detail"]),
        "Resources": event.get("resources", []),
    }
    return {**entry, "EventBusName": bus} if bus else entry


def _queue_arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def _tap(clients: AwsClients, name: str, patterns: list[tuple[str, dict[str, Any]]]) -> str:
    """A queue the rules with these (bus, pattern) deliver to, in place of the target moto cannot run."""
    sqs, events = clients.client("sqs"), clients.client("events")
    url = str(sqs.create_queue(QueueName=name)["QueueUrl"])
    for number, (bus, pattern) in enumerate(patterns):
        rule = f"{name}-{number}"
        events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "tap", "Arn": _queue_arn(sqs, url)}])
    return url


class Emulator:
    def __init__(
        self,
        root: Path = PROJECT_ROOT,
        region: str = "us-east-1",
        parameters: Mapping[str, str] | None = None,
        quiet: bool = True,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        """``secrets`` maps a template parameter that names a secret's ARN (SlackWebhookSecretArn) to the
        secret's value: the emulator stores it in Secrets Manager and passes the ARN."""
        if not (root / "template.yaml").is_file():
            raise EmulatorError(
                f"no template.yaml in {root}: the emulator deploys the repository's own template, "
                "so run it from a checkout (make demo)"
            )
        self.root, self.region, self.quiet = root, region, quiet
        self.parameters = dict(parameters or {})
        self.secrets = dict(secrets or {})
        self.runtime = InProcessLambda()
        self._stack = ExitStack()

    def __enter__(self) -> Emulator:
        environment = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }
        self._stack.enter_context(mock.patch.dict(os.environ, environment))
        for variable in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            os.environ.pop(variable, None)
        self._stack.enter_context(mock_aws(config={"stepfunctions": {"execute_state_machine": True}}))
        self._stack.enter_context(self.runtime.installed())
        self._stack.enter_context(roles.enforced())
        self.members: dict[tuple[str, str], Member] = {}
        self.clients = AwsClients(region=self.region, config=world.SEEDING_CONFIG)
        for parameter, value in self.secrets.items():
            created = self.clients.client("secretsmanager").create_secret(Name=parameter, SecretString=value)
            self.parameters[parameter] = created["ARN"]
        self.deploy()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def deploy(self) -> None:
        stack = Stack(self.root, self.clients, self.parameters)
        role = self.clients.client("iam").create_role(
            RoleName="alarm-analyzer",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        stack.deploy_supporting()
        for spec in stack.deploy_functions(role).values():
            environment = {**spec["environment"], **EMULATED, **(QUIET if self.quiet else {})}
            self.runtime.register(
                FunctionSpec(spec["name"], spec["code"], spec["handler"], environment, spec["timeout"])
            )
        self.state_machine_arn = stack.deploy_state_machine(role)
        self.rules = stack.deploy_rules()
        self.dead_letter_queue = stack.deployed.refs["DeadLetterQueue"]
        self.senders = stack.deploy_buses()
        sqs = self.clients.client("sqs")
        # Lambda polls the admission queue for the starter; here the emulator does, as the mapping says.
        (mapping,) = stack.event_source_mappings()
        self.admission = QueuePoller(self.clients, mapping, self.region)
        # The rules on the members' bus deliver into a tap: the emulator passes each event it matched on
        # to the admission queue as the member forwarded it (moto would rewrite its account and region).
        self.member_tap = _tap(self.clients, "member-bus-tap", stack.bus_rules())
        # Reports are read back the way a subscriber gets them: from the topic, into a queue.
        self.inbox = sqs.create_queue(QueueName="report-inbox")["QueueUrl"]
        inbox_arn = _queue_arn(sqs, self.inbox)
        self.clients.sns.subscribe(
            TopicArn=stack.deployed.refs["ReportTopic"],
            Protocol="sqs",
            Endpoint=inbox_arn,
            Attributes={"RawMessageDelivery": "true"},
        )

    def seed(self, scenario: Scenario) -> Incident:
        return seed(self.clients, scenario)

    def member(self, account: str, region: str, parameters: Mapping[str, str] | None = None) -> Member:
        """Another account of the organisation, in ``region``, with member.yaml deployed (``parameters``
        over the ones that point it at this stack)."""
        # As Organizations creates it; made in moto's backend: no credentials reach the account before it.
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"AWS": f"arn:aws:iam::{world.ACCOUNT}:root"}}]}  # fmt: skip
        admins = iam_backends[account]["aws"]
        if not any(role.name == ADMIN_ROLE for role in admins.get_roles()):
            admins.create_role(ADMIN_ROLE, json.dumps(trust), "/", None, "", [], None)
        granted = self.clients.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{ADMIN_ROLE}", RoleSessionName="emulator"
        )["Credentials"]
        session = boto3.Session(
            botocore_session=world.shared_session(region)._session,
            region_name=region,
            aws_access_key_id=granted["AccessKeyId"],
            aws_secret_access_key=granted["SecretAccessKey"],
            aws_session_token=granted["SessionToken"],
        )
        clients = AwsClients(session, config=world.SEEDING_CONFIG)
        chosen = {
            "CentralAccountId": world.ACCOUNT,
            "CentralRegion": self.region,
            "CentralStackName": STACK,
            "MemberRoleName": self.parameters.get("MemberRoleName", "alarm-analyzer-reader"),
            **(parameters or {}),
        }
        stack = Stack(self.root, clients, chosen, template="member.yaml", account=account)
        stack.deploy_roles()
        tap = _tap(clients, "forwarding-tap", [("default", p) for p in stack.rule_patterns()])
        self.members[account, region] = Member(account, region, clients, tap)
        return self.members[account, region]

    def put_event(self, event: Mapping[str, Any]) -> list[str]:
        """Put the event on the bus of its account and region, and let the admission queue drain: the
        executions it started. A member's event reaches the stack's bus if the member's rule forwards it
        and the bus's policy lets the member send, and the admission queue if the stack's rule on that
        bus matches it."""
        before = set(self.executions())
        member = self.members.get((str(event.get("account")), str(event.get("region"))))
        if member is None:
            self.put_events([event])
        else:
            sqs, events = self.clients.client("sqs"), self.clients.client("events")
            for forwarded in member.forwarded(event):
                for bus, senders in self.senders.items():
                    if not senders & {"*", member.account}:
                        continue
                    events.put_events(Entries=[_entry(forwarded, bus)])
                    for _ in _drain(sqs, self.member_tap):
                        sqs.send_message(QueueUrl=self.admission.queue_url, MessageBody=json.dumps(forwarded))
        self.settle()
        return [arn for arn in self.executions() if arn not in before]

    def put_events(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Put the events on the default bus (ten to a call, as PutEvents takes them); the rule queues the alarms'."""
        entries = [_entry(event) for event in events]
        for first in range(0, len(entries), 10):
            self.clients.client("events").put_events(Entries=entries[first : first + 10])

    def settle(self, timeout: float = 600) -> None:
        """Run the starter on every queued event, as many at once as its mapping allows, until the queue is empty."""
        self.admission.drain(timeout)

    def executions(self) -> list[str]:
        """Every execution of the state machine, oldest first."""
        pages = self.clients.client("stepfunctions").get_paginator("list_executions")
        found = [
            e for page in pages.paginate(stateMachineArn=self.state_machine_arn) for e in page["executions"]
        ]
        return [e["executionArn"] for e in sorted(found, key=lambda e: e["startDate"])]

    def start(self, payload: Any) -> str:
        """Start the state machine on any input, as the starter (or a test, beside the queue) would."""
        return str(
            self.clients.client("stepfunctions").start_execution(
                stateMachineArn=self.state_machine_arn, name=f"run-{uuid.uuid4()}", input=json.dumps(payload)
            )["executionArn"]
        )

    def wait(self, execution_arn: str, timeout: float = 120) -> dict[str, Any]:
        sfn = self.clients.client("stepfunctions")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            execution = sfn.describe_execution(executionArn=execution_arn)
            if execution["status"] != "RUNNING":
                return dict(execution)
            time.sleep(0.05)
        raise EmulatorError(f"execution {execution_arn} still running after {timeout} s")

    def largest_payload(self, execution_arn: str) -> int:
        """Bytes of the largest input, output or task parameters any state of the execution saw."""
        sizes = [0]
        request: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
        sfn = self.clients.client("stepfunctions")
        while True:
            page = sfn.get_execution_history(**request)
            for event in page["events"]:
                for key, details in event.items():
                    if key.endswith("EventDetails") and isinstance(details, dict):
                        sizes += [
                            len(str(details.get(f, "")).encode()) for f in ("input", "output", "parameters")
                        ]
            if not page.get("nextToken"):
                return max(sizes)
            request["nextToken"] = page["nextToken"]

    def delivered(self) -> list[Report | Recovery]:
        """Every message the topic delivered since the last look: reports and recovery follow-ups."""
        return [message_from_sns(m["Body"]) for m in _drain(self.clients.client("sqs"), self.inbox)]

    def reports(self) -> list[Report]:
        return [m for m in self.delivered() if isinstance(m, Report)]

    def dead_letters(self) -> list[dict[str, Any]]:
        return [json.loads(m["Body"]) for m in _drain(self.clients.client("sqs"), self.dead_letter_queue)]


@dataclass
class DemoRun:
    report: Report
    incident: Incident
    seconds: float  # from putting the event to the execution's end
    largest_payload: int  # bytes, the largest state input/output of the execution


def run_demo(scenario: Scenario, language: str = "en", slack_webhook: str | None = None) -> DemoRun:
    """Seed the scenario, fire its alarm through EventBridge and the state machine, return the report
    (posted to ``slack_webhook`` too, by the Slack notifier, when one is given)."""
    secrets = {"SlackWebhookSecretArn": slack_webhook} if slack_webhook else {}
    parameters = {"ReportLanguage": language, **scenario.parameters}
    with Emulator(parameters=parameters, secrets=secrets) as emulator:
        incident = emulator.seed(scenario)
        started = time.monotonic()
        # What moto cannot represent (target health, CloudTrail, deployments) answers the handlers' calls.
        with injected(incident.responses):
            executions = emulator.put_event(incident.event)
            if len(executions) != 1:
                raise EmulatorError(f"the EventBridge rule matched {len(executions)} times, expected once")
            execution = emulator.wait(executions[0])
        if execution["status"] != "SUCCEEDED":
            failures = emulator.dead_letters()
            detail = failures[0].get("cause") if failures else execution.get("cause")
            raise EmulatorError(f"the analysis ended {execution['status']}: {detail}")
        reports = emulator.reports()
        if len(reports) != 1:
            raise EmulatorError(f"expected one report on the topic, found {len(reports)}")
        return DemoRun(
            report=reports[0],
            incident=incident,
            seconds=time.monotonic() - started,
            largest_payload=emulator.largest_payload(executions[0]),
        )


__all__ = ["DemoRun", "Emulator", "EmulatorError", "Incident", "run_demo", "seed"]
