"""The state and configuration of the resources involved, as they are now.

Target health with its reason (a 299 answering a check that expects 200), the ECS services behind
the target groups, the Lambda functions', databases' and queues' limits and settings, and every other
service of the catalog (``catalog.py``) through its describe (``DESCRIBERS``, one module per family
under ``gather/``); then the secrets those name, and the network around them (``network.py``). Each
part is an independent lookup, run side by side: a part AWS refuses (no permission, throttled)
becomes a note, never a failure, and the other parts count.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any, Literal

from .. import logtext
from ..catalog import described_by
from ..dead_letters import arn_part, function_state, queue_arn, queue_url
from ..discovery import load_balancer_arn
from ..models import (
    DatabaseEvent,
    DatabaseState,
    DeadLetterLink,
    EcsServiceState,
    FunctionState,
    PeekedMessage,
    QueueState,
    ResourcesData,
    TargetGroupRef,
    TargetGroupState,
    TargetHealthState,
    Window,
)
from ..scope import TAG_LOG_GROUPS, TAG_SECRETS, comma_separated
from . import (
    GatherContext,
    acm,
    apigateway,
    dynamodb,
    ec2,
    efs,
    elasticache,
    eventbridge,
    kinesis,
    platform_event_kind,
    rds,
    stepfunctions,
)
from .network import Placement, describe_network
from .secrets import secrets

MAX_TARGET_GROUPS = 5  # one DescribeTargetHealth call each
MAX_LOAD_BALANCERS = 5  # all in one DescribeLoadBalancers call
MAX_TARGETS = 50  # per target group: enough to see a per-AZ pattern, small enough for the payload cap
MAX_FUNCTIONS = 5  # two calls each
MAX_DB_EVENTS = 20
MAX_QUEUES = 5  # two calls each, as many again for a source queue's dead-letter queue
MAX_PEEK_SAMPLE = 300
EVENTS_LEAD = timedelta(hours=1)  # RDS events that far before the incident can still explain it


# --- load balancing ----------------------------------------------------------------------------


def _target(description: dict[str, Any]) -> TargetHealthState:
    target, health = description["Target"], description.get("TargetHealth", {})
    return TargetHealthState(
        id=target["Id"],
        port=target.get("Port"),
        zone=target.get("AvailabilityZone"),
        state=health.get("State", "unknown"),
        reason=health.get("Reason"),
        description=health.get("Description"),
    )


def _note_target(placement: Placement, target_id: str) -> None:
    """Instance and IP targets are placed in subnets later; Lambda and ALB targets have none."""
    if target_id.startswith("i-"):
        placement.target_instances.append(target_id)
        return
    try:
        ipaddress.ip_address(target_id)
    except ValueError:
        return
    placement.target_addresses.append(target_id)


def _place_balancers(elbv2: Any, arns: list[str], placement: Placement) -> None:
    for balancer in elbv2.describe_load_balancers(LoadBalancerArns=arns)["LoadBalancers"]:
        subnets = [zone["SubnetId"] for zone in balancer.get("AvailabilityZones", []) if zone.get("SubnetId")]
        placement.add("load balancer", subnets, balancer.get("VpcId"), balancer.get("SecurityGroups", []))


def _group_state(context: GatherContext, group: TargetGroupRef, placement: Placement) -> TargetGroupState:
    elbv2 = context.clients.client("elbv2")
    health: list[dict[str, Any]] = context.attempt(
        "target_health",
        lambda: elbv2.describe_target_health(TargetGroupArn=group.arn)["TargetHealthDescriptions"],
        [],
        subject=group.name,
    )
    targets = [_target(d) for d in health[:MAX_TARGETS]]
    placement.add("targets", [], group.vpc)
    for target in targets:
        _note_target(placement, target.id)
    return TargetGroupState(name=group.name, arn=group.arn, health_check=group.health_check, targets=targets)


def target_groups(context: GatherContext, placement: Placement) -> list[TargetGroupState]:
    """Per-target health of the scope's target groups, and where their load balancers sit."""
    alarm, scope = context.alarm, context.scope
    balancers = [
        load_balancer_arn(alarm, r.dimensions["LoadBalancer"])
        for r in scope.resources
        if "LoadBalancer" in r.dimensions
    ]
    balancers += [arn for group in scope.target_groups for arn in group.load_balancers]
    unique = list(dict.fromkeys(balancers))[:MAX_LOAD_BALANCERS]
    elbv2 = context.clients.client("elbv2")
    chosen = scope.target_groups[:MAX_TARGET_GROUPS]
    balanced, placed = Placement(), [Placement() for _ in chosen]
    with context.side_by_side() as work:
        if unique:
            work.submit(
                lambda: context.attempt(
                    "load_balancers", partial(_place_balancers, elbv2, unique, balanced), None
                )
            )
        states = work.submit(
            lambda: context.parallel(
                *(lambda g=g, p=p: _group_state(context, g, p) for g, p in zip(chosen, placed, strict=True))
            )
        )
    for part in (balanced, *placed):
        placement.merge(part)
    return states.result()


def _fill_zones(groups: Sequence[TargetGroupState], zones: dict[str, str]) -> None:
    for group in groups:
        for target in group.targets:
            target.zone = target.zone or zones.get(target.id)


# --- ECS services ------------------------------------------------------------------------------


def ecs_services(context: GatherContext, placement: Placement) -> list[EcsServiceState]:
    """The scope's ECS services as they run now (the scope described them: no call here)."""
    found = []
    for service in context.scope.services:
        placement.add("targets", service.subnets, groups=service.security_groups)
        found.append(
            EcsServiceState(
                cluster=service.cluster,
                name=service.name,
                desired=service.desired,
                running=service.running,
                task_definition=service.task_definition,
                log_groups=service.log_groups,
                subnets=service.subnets,
                security_groups=service.security_groups,
                roles=service.roles,
                secrets=service.secrets,
            )
        )
    return found


# --- Lambda functions --------------------------------------------------------------------------


def _function(context: GatherContext, name: str) -> FunctionState:
    """A function's limits: its configuration as the scope read it (else read now) and its reserved concurrency."""
    awslambda = context.clients.client("lambda")
    known = next((f for f in context.scope.functions if f.name == name), None)
    with context.side_by_side() as work:
        configured = work.submit(
            lambda: known or function_state(awslambda.get_function_configuration(FunctionName=name))
        )
        reserved = work.submit(
            lambda: context.attempt(
                "reserved_concurrency",
                lambda: awslambda.get_function_concurrency(FunctionName=name).get(
                    "ReservedConcurrentExecutions"
                ),
                None,
                subject=name,
            )
        )
    return configured.result().model_copy(update={"reserved_concurrency": reserved.result()})


def functions(context: GatherContext, placement: Placement) -> list[FunctionState]:
    names = [r.id for r in context.scope.of_kind("lambda_function")][:MAX_FUNCTIONS]
    found = context.parallel(
        *(
            lambda n=n: context.attempt("function", partial(_function, context, n), None, subject=n)
            for n in names
        )
    )
    states = [state for state in found if state is not None]
    for state in states:
        placement.add("function", state.subnets, groups=state.security_groups)
    return states


# --- RDS ---------------------------------------------------------------------------------------

# Engine defaults of max_connections (RDS parameter groups). Aurora MySQL's is a log formula and
# SQL Server's and Oracle's are not memory-based: those stay unknown (None).
_DEFAULT_MAX_CONNECTIONS = {
    "postgres": "LEAST({DBInstanceClassMemory/9531392},5000)",
    "aurora-postgresql": "LEAST({DBInstanceClassMemory/9531392},5000)",
    "mysql": "{DBInstanceClassMemory/12582880}",
    "mariadb": "{DBInstanceClassMemory/12582880}",
}
_GIB = 1024**3
_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_FORMULA = re.compile(r"^(?:LEAST\()?\{DBInstanceClassMemory/(\d+)\}(?:,\s*(\d+)\))?$")


def class_memory_bytes(instance_class: str) -> int | None:
    """Nominal memory of common classes: t2/t3/t4g, and m/r from generation 5 (8 and 16 GiB per "large",
    doubling with each size step). Others are unknown."""
    match = re.fullmatch(r"db\.(t[234]g?|[mr][5-8][a-z]*)\.(\w+)", instance_class)
    if not match:
        return None
    family, size = match.groups()
    if family.startswith("t"):
        gib = _BURSTABLE_GIB.get(size)
        return gib * _GIB if gib else None
    steps = {"large": 1, "xlarge": 2}.get(size) or (
        2 * int(size[:-6]) if re.fullmatch(r"\d+xlarge", size) else 0
    )
    return (8 if family.startswith("m") else 16) * steps * _GIB if steps else None


def max_connections(engine: str | None, instance_class: str | None, configured: str | None) -> int | None:
    """The parameter group's value if numeric, else its formula (or the engine default) for the class.

    The formula is evaluated with the class's nominal memory; RDS's DBInstanceClassMemory is that
    minus what the OS and RDS reserve, so the real limit is somewhat lower: an upper bound.
    """
    value = configured or _DEFAULT_MAX_CONNECTIONS.get(engine or "")
    if value is None:
        return None
    if value.strip().isdigit():
        return int(value)
    formula = _FORMULA.match(value.replace(" ", ""))
    memory = class_memory_bytes(instance_class or "")
    if not formula or memory is None:
        return None
    divisor, ceiling = formula.groups()
    computed = memory // int(divisor)
    return min(computed, int(ceiling)) if ceiling else computed


def _configured_max_connections(rds: Any, groups: Sequence[str]) -> str | None:
    """max_connections as set in a custom parameter group ("user" source); defaults are not listed."""
    custom = [g for g in groups if not g.startswith("default.")]
    if not custom:
        return None
    parameters = rds.describe_db_parameters(DBParameterGroupName=custom[0], Source="user")["Parameters"]
    return next(
        (p.get("ParameterValue") for p in parameters if p.get("ParameterName") == "max_connections"), None
    )


def _events(rds: Any, identifier: str, window: Window) -> list[DatabaseEvent]:
    response = rds.describe_events(
        SourceType="db-instance",
        SourceIdentifier=identifier,
        StartTime=window.start - EVENTS_LEAD,
        EndTime=window.end,
        MaxRecords=100,
    )
    found = [
        DatabaseEvent(
            at=e["Date"],
            message=e.get("Message", ""),
            categories=e.get("EventCategories", []),
            kind=platform_event_kind(e.get("EventCategories", []), e.get("Message", "")),
        )
        for e in response.get("Events", [])
    ]
    return sorted(found, key=lambda e: e.at)[-MAX_DB_EVENTS:]


def _completed_database(context: GatherContext, state: DatabaseState, window: Window) -> DatabaseState:
    identifier, rds = state.id, context.clients.client("rds")
    with context.side_by_side() as work:
        configured = work.submit(
            lambda: context.attempt(
                "db_parameters",
                partial(_configured_max_connections, rds, state.parameter_groups),
                None,
                subject=identifier,
            )
        )
        events = work.submit(
            lambda: context.attempt(
                "db_events",
                partial(_events, rds, identifier, window),
                list[DatabaseEvent](),
                subject=identifier,
            )
        )
    limit = max_connections(state.engine, state.instance_class, configured.result())
    return state.model_copy(update={"max_connections": limit, "events": events.result()})


def databases(context: GatherContext, placement: Placement) -> list[DatabaseState]:
    """RDS instances in scope (the alarm's, a cluster's members, or those the traces name)."""
    located = context.scope.located
    found = located.databases if located is not None else rds.locate(context, context.scope.resources)
    for state in found:
        placement.add("database", state.subnets, state.vpc, state.security_groups)
    window = context.scope.windows.incident
    return context.parallel(*(lambda d=d: _completed_database(context, d, window) for d in found))


# --- SQS ---------------------------------------------------------------------------------------

# What a dead-lettered message says about its failure. Retrying cannot fix a permanent one (bad
# input, missing resource); a transient one usually succeeds on redrive once the dependency is back.
_PERMANENT = re.compile(
    r"validat\w*|schema|not[ _]?found|does not exist|no such|pars(?:e|ing)|deserializ\w*|unmarshal\w*|"
    r"malformed|invalid\w*|missing\b[\w\s'\"]{0,30}\b(?:field|key|property|attribute|parameter)|"
    r"required (?:field|property|parameter)|bad request|unprocessable|forbidden|unauthori[sz]ed|access ?denied|"
    r"(?:http|status|code)\D{0,12}4(?!08|29)\d\d\b",
    re.IGNORECASE,
)
_TRANSIENT = re.compile(
    r"time[sd]? ?out|throttl\w*|rate exceeded|too many requests|connection (?:reset|refused|closed)|"
    r"econn(?:reset|refused)|etimedout|unavailable|temporar(?:y|ily)|try again|"
    r"(?:http|status|code)\D{0,12}(?:5\d\d|429|408)\b",
    re.IGNORECASE,
)


def classify_failure(text: str) -> tuple[Literal["permanent", "transient", "unknown"], str | None]:
    """Permanent, transient or unknown, and the words that decided it: the earliest match wins."""
    permanent, transient = _PERMANENT.search(text), _TRANSIENT.search(text)
    if permanent and (not transient or permanent.start() <= transient.start()):
        return "permanent", permanent.group(0)
    if transient:
        return "transient", transient.group(0)
    return "unknown", None


def _message_text(message: dict[str, Any]) -> str:
    """Error attributes first (Lambda's ErrorMessage, EventBridge's ERROR_MESSAGE), then the body."""
    errors = [
        f"{name}: {value.get('StringValue')}"
        for name, value in (message.get("MessageAttributes") or {}).items()
        if "error" in name.lower() and value.get("StringValue")
    ]
    return "\n".join([*errors, message.get("Body", "")])


def peek(sqs: Any, url: str) -> PeekedMessage | None:
    """One dead-letter message, left in the queue: visibility timeout 0 and never deleted."""
    messages = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=1,
        VisibilityTimeout=0,
        WaitTimeSeconds=0,
        MessageSystemAttributeNames=["ApproximateReceiveCount"],
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    if not messages:
        return None
    text = _message_text(messages[0])
    classification, matched = classify_failure(text)
    count = (messages[0].get("Attributes") or {}).get("ApproximateReceiveCount")
    return PeekedMessage(
        classification=classification,
        matched=matched,
        sample=logtext.sample_of(text)[:MAX_PEEK_SAMPLE],
        receive_count=int(count) if count else None,
    )


def _queue_state(sqs: Any, name: str, url: str) -> QueueState:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
             "ApproximateNumberOfMessagesDelayed", "RedrivePolicy"]  # fmt: skip
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names).get("Attributes", {})
    redrive = json.loads(attributes.get("RedrivePolicy") or "{}")
    return QueueState(
        name=name,
        url=url,
        visible=int(attributes.get("ApproximateNumberOfMessages", 0)),
        in_flight=int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
        delayed=int(attributes.get("ApproximateNumberOfMessagesDelayed", 0)),
        dead_letter_target=redrive.get("deadLetterTargetArn"),
        max_receive_count=int(redrive["maxReceiveCount"]) if redrive.get("maxReceiveCount") else None,
    )


def consumer_log_groups(links: Sequence[DeadLetterLink], tags: dict[str, str]) -> list[str]:
    """Where the consumers of a dead-letter queue's sources log: their own log groups, else (a consumer
    that is no Lambda function, or none known) the log groups the alarm's tags name."""
    own = [link.log_group for link in links if link.log_group]
    return list(dict.fromkeys(own)) if own else comma_separated(tags.get(TAG_LOG_GROUPS)) if links else []


def _queue(
    context: GatherContext, name: str, account: str, known: Sequence[DeadLetterLink] = ()
) -> QueueState:
    """A queue's depth and redrive policy, with what dead-letters into it (the scope found that).

    With the opt-in, one message of a dead-letter queue is peeked, alongside the rest. A queue only
    named like one is not peeked: reading a message of an ordinary queue would count as a receive
    towards its own dead-letter threshold.
    """
    sqs, url = context.clients.client("sqs"), queue_url(context.alarm, name, account)
    arn = queue_arn(context.alarm.region, account, name)
    links = list(
        dict.fromkeys([*known, *(link for link in context.scope.dead_letters if link.target == arn)])
    )
    peek_it = context.settings.peek_dead_letters and any(link.confirmed for link in links)
    with context.side_by_side() as work:
        described = work.submit(lambda: _queue_state(sqs, name, url))
        peeked = work.submit(
            lambda: (
                context.attempt("dead_letter_message", partial(peek, sqs, url), None, subject=name)
                if peek_it
                else None
            )
        )
    state = described.result()
    state.dead_letters = links
    state.consumer_log_groups = consumer_log_groups(links, context.scope.tags)
    state.peeked = peeked.result()
    return state


def _dead_letter_target(state: QueueState) -> tuple[str, str] | None:
    """(name, account) of the queue's dead-letter queue: arn:aws:sqs:<region>:<account>:<name>."""
    target = state.dead_letter_target or ""
    return (arn_part(target, 5), arn_part(target, 4)) if arn_part(target, 2) == "sqs" else None


def queues(context: GatherContext) -> list[QueueState]:
    """The scope's queues (the alarm's and the dead-letter queues discovery found) and, for a source queue
    whose dead-letter queue the scope does not hold, that one too (whose depth tells the failures)."""
    account = context.alarm.account
    found = [(r.id, account) for r in context.scope.of_kind("sqs_queue")][:MAX_QUEUES]
    states = context.parallel(
        *(
            lambda n=n, a=a: context.attempt("queue", partial(_queue, context, n, a), None, subject=n)
            for n, a in found
        )
    )
    described = [state for state in states if state is not None]
    # The redrive policy read here says as much as discovery would have (when the scope could not be resolved).
    targets = {
        target: DeadLetterLink(kind="sqs_redrive", source=state.name, target=state.dead_letter_target or "")
        for state in described
        if (target := _dead_letter_target(state)) and target[0] not in {name for name, _ in found}
    }
    more = context.parallel(
        *(
            lambda t=t, link=link: context.attempt(
                "queue", partial(_queue, context, t[0], t[1], [link]), None, subject=t[0]
            )
            for t, link in targets.items()
        )
    )
    return described + [state for state in more if state is not None]


# --- the gatherer ------------------------------------------------------------------------------

Describer = Callable[[GatherContext, Placement], list[Any]]

# The code behind each describe of the catalog, by the ResourcesData field it fills; in the order their
# placements merge (the alarmed resource's VPC first).
DESCRIBERS: dict[str, Describer] = {
    "target_groups": target_groups,
    "services": ecs_services,
    "functions": functions,
    "databases": databases,
    "queues": lambda context, _: queues(context),
    "instances": ec2.instances,
    "tables": dynamodb.tables,
    "stages": apigateway.stages,
    "caches": elasticache.caches,
    "streams": kinesis.streams,
    "nat_gateways": ec2.nat_gateways,
    "certificates": acm.certificates,
    "volumes": ec2.volumes,
    "file_systems": efs.file_systems,
    "state_machines": stepfunctions.state_machines,
    "rules": eventbridge.rules,
}
DESCRIBED_AFTER = "secrets"  # after the rest: the functions and task definitions they describe name them


def _wanted(context: GatherContext) -> list[str]:
    """The describes with something to read: a resource of their kinds in scope (or a target group)."""
    scope = context.scope
    return [
        name
        for name in DESCRIBERS
        if described_by(scope.resources, name) or (name == "target_groups" and scope.target_groups)
    ]


def named_secrets(context: GatherContext, data: ResourcesData) -> dict[str, list[str]]:
    """Each secret in scope (name or ARN) and what names it: the tag, a function, a task definition."""
    named: dict[str, list[str]] = {}
    for resource in described_by(context.scope.resources, DESCRIBED_AFTER):
        named.setdefault(resource.id, []).append(TAG_SECRETS if resource.via == "tags" else resource.via)
    for function in data.functions:
        for secret in function.secrets:
            named.setdefault(secret, []).append(function.name)
    for service in data.services:
        for secret in service.secrets:
            named.setdefault(secret, []).append(f"{service.cluster}/{service.name}")
    return named


def gather_resources(context: GatherContext) -> ResourcesData:
    """Each describe side by side; the secrets they name next; the network last, once the others say
    where things sit."""
    wanted = _wanted(context)
    placed = {name: Placement() for name in wanted}
    with context.side_by_side() as work:
        found = {name: work.submit(partial(DESCRIBERS[name], context, placed[name])) for name in wanted}
    data = ResourcesData(**{name: future.result() for name, future in found.items()})
    named = named_secrets(context, data)
    if named:
        data.secrets = secrets(context, named)
    placement = Placement()
    for part in placed.values():
        placement.merge(part)
    if not context.out_of_time("network"):
        # Security group rules explain targets that cannot be reached; for healthy ones they are noise.
        unreachable = any(t.state == "unhealthy" for g in data.target_groups for t in g.targets)
        data.network = describe_network(context, placement, security_groups=unreachable)
        _fill_zones(data.target_groups, placement.target_zones)
    examined = [
        *(r.id for r in context.scope.resources),
        *(g.arn for g in data.target_groups),
        *(f"{s.cluster}/{s.name}" for s in data.services),
        *(q.name for q in data.queues),
        *([data.network.vpc] if data.network else []),
    ]
    data.looked_at = list(dict.fromkeys(examined))
    return data
