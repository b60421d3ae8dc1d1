"""Dead-letter relationships, each kind found from configuration with bounded calls: SQS redrive, a
function's DeadLetterConfig (Stubber: moto drops it) and its asynchronous on-failure destination, an
event source mapping's, an EventBridge target's and an SNS subscription's (moto, where faithful); names
only as weak evidence; the consumer's own errors, not any function's."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from alarm_analyzer import dead_letters
from alarm_analyzer import evidence as ev
from alarm_analyzer.aws import AwsClients, sequential
from alarm_analyzer.dead_letters import FUNCTION_PAGES, MAX_RULES, discover, name_candidates, policy_sources
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.i18n import MESSAGES
from alarm_analyzer.models import DeadLetterLink, QueueState, ResourcesData, Scope
from alarm_analyzer.pipeline import gather, resolve
from alarm_analyzer.rules import CONFIDENCE_FLOOR, queues
from alarm_analyzer.scope import alarm_resources
from alarm_analyzer.sources import SCOPE_ACTIONS
from tests.factories import alarm_event, context_for, facts, judged, series, signature, stats

REGION, ACCOUNT = "eu-west-1", "123456789012"


def _arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}"


def _queue_alarm(queue: str) -> dict[str, Any]:
    return alarm_event(
        namespace="AWS/SQS", metric="ApproximateNumberOfMessagesVisible", dimensions={"QueueName": queue},
        stat="Maximum", threshold=0, name=f"{queue}-depth",
    )  # fmt: skip


@pytest.fixture
def clients(aws_env: None) -> Iterator[AwsClients]:
    with mock_aws():
        yield AwsClients(region=REGION)


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _function(clients: AwsClients, name: str) -> str:
    role = clients.client("iam").create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument="{}")
    return str(
        clients.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role["Role"]["Arn"],
            Handler="app.handler",
            Code={"ZipFile": _code()},
        )["FunctionArn"]
    )


def _queue(clients: AwsClients, name: str, **attributes: str) -> tuple[str, str]:
    sqs = clients.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _allow(service: str, queue_arn: str, source_arn: str) -> str:
    """The queue policy AWS documents for an EventBridge or SNS dead-letter queue."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": f"{service}.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}},
    }]})  # fmt: skip


def _scope(event: dict[str, Any]) -> tuple[Scope, AwsClients]:
    """The scope an analysis resolves, and the calls it made (apart from those that seeded the account)."""
    analyzing = AwsClients(region=REGION)
    scope = resolve(event, analyzing).scope
    assert scope is not None
    return scope, analyzing


def _kinds(scope: Scope) -> dict[str, tuple[str, str | None]]:
    return {link.kind: (link.source_name, link.consumer) for link in scope.dead_letters}


# --- each kind ---------------------------------------------------------------------------------


def test_a_source_queues_consumer_is_the_function_mapped_to_it(clients: AwsClients) -> None:
    _, dlq = _queue(clients, "orders-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": "5"})
    _, source = _queue(clients, "orders", RedrivePolicy=redrive)
    _function(clients, "orders-worker")
    clients.client("lambda").create_event_source_mapping(EventSourceArn=source, FunctionName="orders-worker")

    scope, analyzing = _scope(_queue_alarm("orders-dlq"))

    assert _kinds(scope) == {"sqs_redrive": ("orders", "orders-worker")}
    assert ("lambda_function", "orders-worker") in [(r.kind, r.id) for r in scope.resources]
    assert "/aws/lambda/orders-worker" in scope.log_groups  # its errors will be read
    assert set(analyzing.calls) <= SCOPE_ACTIONS  # every call it made, its policy grants


def test_an_event_source_mappings_on_failure_destination(clients: AwsClients) -> None:
    _, dlq = _queue(clients, "clickstream-failed-batches")
    kinesis = clients.client("kinesis")
    kinesis.create_stream(StreamName="clickstream", ShardCount=1)
    stream = kinesis.describe_stream(StreamName="clickstream")["StreamDescription"]["StreamARN"]
    _function(clients, "sessionizer")
    clients.client("lambda").create_event_source_mapping(
        EventSourceArn=stream, FunctionName="sessionizer", StartingPosition="LATEST",
        DestinationConfig={"OnFailure": {"Destination": dlq}}, MaximumRetryAttempts=2,
    )  # fmt: skip

    scope, _analyzing = _scope(_queue_alarm("clickstream-failed-batches"))

    assert _kinds(scope) == {"esm_on_failure": ("clickstream", "sessionizer")}
    assert "/aws/lambda/sessionizer" in scope.log_groups


def test_eventbridge_and_sns_dead_letters_are_found_through_the_queue_policy(clients: AwsClients) -> None:
    url, dlq = _queue(clients, "order-events-dlq")
    events, sns, sqs = clients.client("events"), clients.client("sns"), clients.client("sqs")
    fulfil = _function(clients, "fulfilment")
    notify = _function(clients, "notifier")
    rule = events.put_rule(Name="order-placed", EventPattern=json.dumps({"source": ["shop.orders"]}))[
        "RuleArn"
    ]
    events.put_targets(Rule="order-placed", Targets=[
        {"Id": "archive", "Arn": _arn("sqs", "archive")},
        {"Id": "fulfil", "Arn": fulfil, "DeadLetterConfig": {"Arn": dlq}},
    ])  # fmt: skip
    topic = sns.create_topic(Name="order-updates")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")  # pending: no ARN yet
    sns.subscribe(
        TopicArn=topic, Protocol="lambda", Endpoint=notify,
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq})},
    )  # fmt: skip
    policy = json.loads(_allow("events", dlq, rule))
    policy["Statement"] += json.loads(_allow("sns", dlq, topic))["Statement"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})

    scope, _analyzing = _scope(_queue_alarm("order-events-dlq"))

    assert _kinds(scope) == {
        "eventbridge_dlq": ("order-placed/fulfil", "fulfilment"),
        "sns_redrive": ("order-updates", "notifier"),
    }
    assert {"/aws/lambda/fulfilment", "/aws/lambda/notifier"} <= set(scope.log_groups)


def test_an_asynchronous_on_failure_destination_is_read_only_for_functions_named_like_the_queue(
    clients: AwsClients,
) -> None:
    _, dlq = _queue(clients, "invoice-renderer-failures")
    for name in ("invoice-renderer", "search-indexer", "renderer-warmup"):
        _function(clients, name)
    clients.client("lambda").put_function_event_invoke_config(
        FunctionName="invoice-renderer", DestinationConfig={"OnFailure": {"Destination": dlq}}
    )

    scope, analyzing = _scope(_queue_alarm("invoice-renderer-failures"))

    assert _kinds(scope) == {"lambda_on_failure": ("invoice-renderer", "invoice-renderer")}
    assert analyzing.calls["lambda:ListFunctionEventInvokeConfigs"] == 2  # the two whose names match


def test_a_name_alone_is_weak_evidence(clients: AwsClients) -> None:
    _queue(clients, "payments-dlq")
    _function(clients, "payments-api")

    scope, _analyzing = _scope(_queue_alarm("payments-dlq"))

    (link,) = scope.dead_letters
    assert (link.kind, link.consumer, link.confirmed) == ("name_only", "payments-api", False)
    queue = QueueState(name="payments-dlq", url="u", visible=40, dead_letters=[link],
                       consumer_log_groups=["/aws/lambda/payments-api"])  # fmt: skip
    assert not queue.is_dead_letter_queue
    depth = series("ApproximateNumberOfMessagesVisible", stats(30, 10), stats(0, 0), namespace="AWS/SQS",
                   kind="sqs_queue", resource="payments-dlq", stat="Maximum")  # fmt: skip
    errors = signature(
        "ERROR ValidationError: amount must be positive", count=60, group="/aws/lambda/payments-api"
    )
    found = judged(
        queues.async_processing_failure,
        facts(the_alarm=parse_alarm_event(_queue_alarm("payments-dlq")), metrics=[depth], signatures=[errors],
              resources=ResourcesData(queues=[queue])),
    )  # fmt: skip
    assert [h.category for h in found] == ["async_processing_failure"]
    assert found[0].confidence < CONFIDENCE_FLOOR  # the name raised the question; it does not answer it


def test_an_ordinary_queue_has_no_dead_letter_sources(clients: AwsClients) -> None:
    _queue(clients, "orders")
    _function(clients, "orders-api")
    scope, analyzing = _scope(_queue_alarm("orders"))
    assert scope.dead_letters == []
    assert analyzing.calls["lambda:ListFunctionEventInvokeConfigs"] == 0


# --- Stubber: what moto fakes, and the bounds -----------------------------------------------------


def _stubbed(service: str) -> tuple[Any, Stubber]:
    client = boto3.client(service, region_name=REGION)
    stub = Stubber(client)
    stub.activate()
    return client, stub


def _function_config(name: str, **extra: Any) -> dict[str, Any]:
    return {"FunctionName": name, "FunctionArn": _arn("lambda", f"function:{name}"), "Runtime": "nodejs20.x",
            "Timeout": 30, "MemorySize": 512, "LastModified": "2026-05-04T11:50:00.000+0000", "Version": "$LATEST",
            **extra}  # fmt: skip


def test_a_functions_dead_letter_config_makes_the_queue_its_dead_letter_queue(aws_env: None) -> None:
    """The incident that motivated it: the queue is a function's DeadLetterConfig target, no queue's."""
    dlq = _arn("sqs", "thumbnail-events-dlq")
    sqs, sqs_stub = _stubbed("sqs")
    awslambda, lambda_stub = _stubbed("lambda")
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/thumbnail-events-dlq"
    sqs_stub.add_response(
        "get_queue_attributes", {"Attributes": {"QueueArn": dlq}},
        {"QueueUrl": url, "AttributeNames": ["QueueArn", "RedrivePolicy", "Policy"]},
    )  # fmt: skip
    sqs_stub.add_response(
        "list_dead_letter_source_queues", {"queueUrls": []}, {"QueueUrl": url, "MaxResults": 20}
    )
    lambda_stub.add_response(
        "list_functions",
        {"Functions": [
            _function_config("thumbnailer", DeadLetterConfig={"TargetArn": dlq},
                             LoggingConfig={"LogFormat": "JSON", "LogGroup": "/media/thumbnailer"}),
            _function_config("resizer", DeadLetterConfig={"TargetArn": _arn("sqs", "other-dlq")}),
        ]},
        {"MaxItems": 50},
    )  # fmt: skip
    lambda_stub.add_response("list_event_source_mappings", {"EventSourceMappings": []}, {"MaxItems": 100})
    clients = AwsClients(region=REGION, sqs=sqs, **{"lambda": awslambda})
    context = context_for(clients, parse_alarm_event(_queue_alarm("thumbnail-events-dlq")))
    with sequential():
        found = discover(context, alarm_resources(context.alarm))
    sqs_stub.assert_no_pending_responses()
    lambda_stub.assert_no_pending_responses()

    assert found.links == [
        DeadLetterLink(kind="lambda_dlq", source="thumbnailer", target=dlq, consumer="thumbnailer",
                       log_group="/media/thumbnailer"),
    ]  # fmt: skip
    assert [(r.kind, r.id, r.via) for r in found.resources] == [
        ("lambda_function", "thumbnailer", "dead_letters")
    ]
    (state,) = found.functions
    assert (state.name, state.log_group, state.timeout_s) == ("thumbnailer", "/media/thumbnailer", 30)
    assert clients.total_calls == 4  # one round, side by side; nothing named like it was searched


def test_every_listing_is_bounded_and_says_what_it_left(aws_env: None) -> None:
    dlq = _arn("sqs", "jobs-dlq")
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs-dlq"
    rules = [_arn("events", f"rule/jobs-bus/rule-{n}") for n in range(MAX_RULES + 3)]
    policy = {"Statement": [json.loads(_allow("events", dlq, rule))["Statement"][0] for rule in rules]}
    sqs, sqs_stub = _stubbed("sqs")
    awslambda, lambda_stub = _stubbed("lambda")
    events, events_stub = _stubbed("events")
    sqs_stub.add_response(
        "get_queue_attributes", {"Attributes": {"QueueArn": dlq, "Policy": json.dumps(policy)}}
    )
    sqs_stub.add_response(
        "list_dead_letter_source_queues", {"queueUrls": []}, {"QueueUrl": url, "MaxResults": 20}
    )
    for page in range(FUNCTION_PAGES):
        lambda_stub.add_response(
            "list_functions",
            {
                "Functions": [_function_config(f"fn-{page}-{n}") for n in range(50)],
                "NextMarker": f"m{page + 1}",
            },
            {"MaxItems": 50, **({"Marker": f"m{page}"} if page else {})},
        )
    lambda_stub.add_response("list_event_source_mappings", {"EventSourceMappings": []}, {"MaxItems": 100})
    for rule in rules[:MAX_RULES]:
        target = {"Id": "t", "Arn": _arn("lambda", "function:fn-0-1"), "DeadLetterConfig": {"Arn": dlq}}
        events_stub.add_response(
            "list_targets_by_rule",
            {"Targets": [target]},
            {"Rule": rule.rsplit("/", 1)[-1], "EventBusName": "jobs-bus"},
        )
    clients = AwsClients(region=REGION, sqs=sqs, events=events, **{"lambda": awslambda})
    context = context_for(clients, parse_alarm_event(_queue_alarm("jobs-dlq")))
    with sequential():
        found = discover(context, alarm_resources(context.alarm))
    for stub in (sqs_stub, lambda_stub, events_stub):
        stub.assert_no_pending_responses()

    assert clients.calls["lambda:ListFunctions"] == FUNCTION_PAGES
    assert clients.calls["events:ListTargetsByRule"] == MAX_RULES
    assert [(n.code, n.params) for n in context.notes] == [
        ("listing_capped", {"part": "lambda_functions", "read": 50 * FUNCTION_PAGES})
    ]
    assert {link.kind for link in found.links} == {"eventbridge_dlq"}
    assert [r.id for r in found.resources] == ["fn-0-1"]  # one consumer, however many rules name it


def test_an_alarm_on_a_function_reads_where_its_own_failures_go(aws_env: None) -> None:
    dlq, destination, batches = (
        _arn("sqs", "mailer-dlq"),
        _arn("sqs", "mailer-failed"),
        _arn("sqs", "bounces-dlq"),
    )
    awslambda, stub = _stubbed("lambda")
    stub.add_response(
        "get_function_configuration", _function_config("mailer", DeadLetterConfig={"TargetArn": dlq}),
        {"FunctionName": "mailer"},
    )  # fmt: skip
    stub.add_response(
        "list_function_event_invoke_configs",
        {"FunctionEventInvokeConfigs": [{"FunctionArn": _arn("lambda", "function:mailer:live"),
                                         "DestinationConfig": {"OnFailure": {"Destination": destination}}}]},
        {"FunctionName": "mailer", "MaxItems": 50},
    )  # fmt: skip
    stub.add_response(
        "list_event_source_mappings",
        {"EventSourceMappings": [{"UUID": "5f3e2a9c-0d1b-4c8e-9a7f-3b2c1d0e9f8a", "FunctionArn": _arn("lambda", "function:mailer"),
                                  "EventSourceArn": _arn("dynamodb", "table/bounces/stream/2026-05-01T00:00:00.000"),
                                  "DestinationConfig": {"OnFailure": {"Destination": batches}}}]},
        {"FunctionName": "mailer", "MaxItems": 100},
    )  # fmt: skip
    clients = AwsClients(region=REGION, **{"lambda": awslambda})
    event = alarm_event(
        namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": "mailer"}, stat="Sum"
    )
    context = context_for(clients, parse_alarm_event(event))
    with sequential():
        found = discover(context, alarm_resources(context.alarm))
    stub.assert_no_pending_responses()

    assert [(link.kind, link.source_name, link.target) for link in found.links] == [
        ("lambda_on_failure", "mailer", destination),
        ("lambda_dlq", "mailer", dlq),
        ("esm_on_failure", "bounces", batches),
    ]
    assert [(r.kind, r.id) for r in found.resources] == [
        ("sqs_queue", "mailer-failed"), ("sqs_queue", "mailer-dlq"), ("sqs_queue", "bounces-dlq"),
    ]  # fmt: skip
    assert [f.dead_letter_target for f in found.functions] == [
        dlq
    ]  # the resources gatherer reads it from here


# --- the pieces ----------------------------------------------------------------------------------


def test_a_queue_policy_names_the_rules_and_topics_allowed_to_send() -> None:
    policy = json.dumps({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
         "Condition": {"ArnLike": {"aws:SourceArn": [_arn("events", "rule/orders/*"), _arn("sns", "alerts")]}}},
        {"Effect": "Allow", "Principal": {"Service": ["events.amazonaws.com"]}, "Action": "sqs:SendMessage",
         "Condition": {"ArnEquals": {"AWS:SourceArn": _arn("events", "rule/orders/placed")}}},
        {"Effect": "Deny", "Principal": "*", "Action": "*",
         "Condition": {"ArnEquals": {"aws:SourceArn": _arn("sns", "denied")}}},
    ]})  # fmt: skip
    assert policy_sources(policy) == ([_arn("events", "rule/orders/placed")], [_arn("sns", "alerts")])
    assert dead_letters.rule_of(_arn("events", "rule/orders/placed")) == ("placed", "orders")
    assert dead_letters.rule_of(_arn("events", "rule/nightly")) == ("nightly", None)
    assert policy_sources("not json") == ([], [])


@pytest.mark.parametrize(
    ("queue", "looks_like_one", "candidates"),
    [
        ("invoice-renderer-dlq", True, ["invoice-renderer"]),
        ("InvoiceRendererDeadLetterQueue", True, ["invoice-renderer"]),
        ("dlq_invoice_renderer.fifo", True, ["invoice-renderer"]),
        ("payments-failed-events", True, ["payments-events-consumer"]),
        ("invoice-renderer", False, ["invoice-renderer"]),
    ],
)
def test_names_are_only_candidates(queue: str, looks_like_one: bool, candidates: list[str]) -> None:
    functions = ["invoice-renderer", "search-indexer", "payments-events-consumer", "payments-api"]
    assert dead_letters.named_like_dead_letters(queue) is looks_like_one
    assert name_candidates(queue, functions)[:1] == candidates


def test_the_consumers_own_errors_count_not_any_functions() -> None:
    link = DeadLetterLink(kind="lambda_dlq", source="thumbnailer", target=_arn("sqs", "thumbs-dlq"),
                          consumer="thumbnailer", log_group="/aws/lambda/thumbnailer")  # fmt: skip
    queue = QueueState(name="thumbs-dlq", url="u", visible=12, dead_letters=[link],
                       consumer_log_groups=["/aws/lambda/thumbnailer"])  # fmt: skip
    depth = series("ApproximateNumberOfMessagesVisible", stats(12, 8), stats(0, 0), namespace="AWS/SQS",
                   kind="sqs_queue", resource="thumbs-dlq", stat="Maximum")  # fmt: skip
    own = signature(
        "ERROR SchemaError: 'width' must be an integer", count=30, group="/aws/lambda/thumbnailer"
    )
    other = signature("ERROR KeyError: 'user'", count=90, group="/aws/lambda/billing")
    the_alarm = parse_alarm_event(_queue_alarm("thumbs-dlq"))

    (found,) = judged(
        queues.async_processing_failure,
        facts(
            the_alarm=the_alarm,
            metrics=[depth],
            signatures=[other, own],
            resources=ResourcesData(queues=[queue]),
        ),
    )
    assert ev.signature_id(own) in found.evidence_ids
    assert ev.signature_id(other) not in found.evidence_ids
    assert found.confidence >= CONFIDENCE_FLOOR
    assert "DeadLetterConfig" in found.summary + " ".join(found.reasons)


def test_the_configuration_the_scope_read_is_not_read_again(clients: AwsClients) -> None:
    _, dlq = _queue(clients, "resize-dlq")
    _function(clients, "resizer")
    clients.client("lambda").put_function_event_invoke_config(
        FunctionName="resizer", DestinationConfig={"OnFailure": {"Destination": dlq}}
    )
    event = alarm_event(
        namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": "resizer"}, stat="Sum"
    )
    request = resolve(event, AwsClients(region=REGION))
    assert request.scope is not None
    assert ("sqs_queue", "resize-dlq", "dead_letters") in [
        (r.kind, r.id, r.via) for r in request.scope.resources
    ]

    gathering = AwsClients(region=REGION)
    data = gather("resources", request, gathering).data_as(ResourcesData)

    assert data is not None
    assert gathering.calls["lambda:GetFunctionConfiguration"] == 0
    assert [(f.name, f.timeout_s) for f in data.functions] == [("resizer", 3)]
    (queue,) = data.queues
    assert [(link.kind, link.source) for link in queue.dead_letters] == [("lambda_on_failure", "resizer")]
    assert queue.consumer_log_groups == ["/aws/lambda/resizer"]


def test_every_part_it_may_leave_out_is_worded() -> None:
    source = Path(dead_letters.__file__).read_text()
    parts = set(re.findall(r'attempt\(\s*"(\w+)"', source)) | set(re.findall(r'context, "(\w+)",', source))
    notes = set(re.findall(r'note\(\s*"(\w+)"', source))
    assert {"lambda_functions", "event_source_mappings", "rule_targets", "subscriptions"} <= parts
    assert [p for p in parts if f"part.{p}" not in MESSAGES] == []
    assert [n for n in notes if f"note.{n}" not in MESSAGES] == []
