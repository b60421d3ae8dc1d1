"""The state and configuration of the resources involved, as they are now.

Target health with its reason (a 299 answering a check that expects 200), the ECS services behind
the target groups, the Lambda functions', databases' and queues' limits and settings, and the
network around them (``network.py``). Each part is an independent lookup: a part AWS refuses (no
permission, throttled) becomes a limitation, never a failure, and the other parts still count.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any, Literal

from .. import logtext
from ..aws import AwsClients
from ..events import Alarm
from ..models import (
    DatabaseEvent,
    DatabaseState,
    EcsServiceState,
    FunctionState,
    HealthCheck,
    PeekedMessage,
    QueueState,
    Resource,
    ResourcesData,
    TargetGroupState,
    TargetHealthState,
    Window,
)
from ..scope import discover, windows_for
from ..settings import GathererSettings
from . import attempt, aws_time, lookup_tags, out_of_time
from .discovery import awslogs_groups, cluster_name, ecs_services_behind, load_balancer_arn, target_group_arn
from .network import Placement, describe_network
from .traces import lookup_downstreams

MAX_TARGET_GROUPS = 5  # one DescribeTargetHealth call each
MAX_LOAD_BALANCERS = 5  # all in one DescribeLoadBalancers call
MAX_TARGETS = 50  # per target group: enough to see a per-AZ pattern, small enough for the payload cap
MAX_SERVICES = 3  # one DescribeTaskDefinition call each
MAX_FUNCTIONS = 5  # two calls each
MAX_DATABASES = 3  # one DescribeEvents call each, plus one per custom parameter group
MAX_DB_EVENTS = 20
MAX_QUEUES = 5  # three or four calls each, as many again for a source queue's dead-letter queue
MAX_PEEK_SAMPLE = 300
EVENTS_LEAD = timedelta(hours=1)  # RDS events that far before the incident can still explain it
_BALANCED = frozenset({"target_group", "load_balancer"})


# --- load balancing ----------------------------------------------------------------------------


def _health_check(group: dict[str, Any]) -> HealthCheck:
    return HealthCheck(
        protocol=group.get("HealthCheckProtocol"),
        port=group.get("HealthCheckPort"),
        path=group.get("HealthCheckPath"),
        matcher=(group.get("Matcher") or {}).get("HttpCode") or (group.get("Matcher") or {}).get("GrpcCode"),
        interval_s=group.get("HealthCheckIntervalSeconds"),
        timeout_s=group.get("HealthCheckTimeoutSeconds"),
        healthy_threshold=group.get("HealthyThresholdCount"),
        unhealthy_threshold=group.get("UnhealthyThresholdCount"),
    )


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


def _described_groups(elbv2: Any, alarm: Alarm, resources: Sequence[Resource]) -> list[dict[str, Any]]:
    named = [
        target_group_arn(alarm, r.dimensions["TargetGroup"]) for r in resources if r.kind == "target_group"
    ]
    if named:
        return list(elbv2.describe_target_groups(TargetGroupArns=named[:MAX_TARGET_GROUPS])["TargetGroups"])
    balancers = [
        load_balancer_arn(alarm, r.dimensions["LoadBalancer"]) for r in resources if r.kind == "load_balancer"
    ]
    if not balancers:
        return []
    groups = elbv2.describe_target_groups(LoadBalancerArn=balancers[0])["TargetGroups"]
    return list(groups[:MAX_TARGET_GROUPS])


def _health(elbv2: Any, arn: str) -> list[dict[str, Any]]:
    return list(elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"])


def _place_balancers(elbv2: Any, arns: list[str], placement: Placement) -> None:
    for balancer in elbv2.describe_load_balancers(LoadBalancerArns=arns)["LoadBalancers"]:
        subnets = [zone["SubnetId"] for zone in balancer.get("AvailabilityZones", []) if zone.get("SubnetId")]
        placement.add("load balancer", subnets, balancer.get("VpcId"), balancer.get("SecurityGroups", []))


def target_groups(
    alarm: Alarm,
    clients: AwsClients,
    resources: Sequence[Resource],
    placement: Placement,
    limitations: list[str],
) -> list[TargetGroupState]:
    """Health-check settings and per-target health of the alarm's target groups (or its load balancer's)."""
    elbv2 = clients.client("elbv2")
    groups: list[dict[str, Any]] = attempt(
        "target groups", partial(_described_groups, elbv2, alarm, resources), [], limitations
    )
    balancers = [
        load_balancer_arn(alarm, r.dimensions["LoadBalancer"])
        for r in resources
        if "LoadBalancer" in r.dimensions
    ]
    balancers += [arn for g in groups for arn in g.get("LoadBalancerArns", [])]
    if balancers:
        unique = list(dict.fromkeys(balancers))[:MAX_LOAD_BALANCERS]
        attempt("load balancers", partial(_place_balancers, elbv2, unique, placement), None, limitations)
    found = []
    for group in groups:
        if out_of_time(limitations, "further target groups"):
            break
        arn = group["TargetGroupArn"]
        placement.add("targets", [], group.get("VpcId"))
        health: list[dict[str, Any]] = attempt(
            f"target health of {group.get('TargetGroupName', arn)}",
            partial(_health, elbv2, arn),
            [],
            limitations,
        )
        targets = [_target(d) for d in health[:MAX_TARGETS]]
        for target in targets:
            _note_target(placement, target.id)
        found.append(
            TargetGroupState(
                name=group.get("TargetGroupName", arn),
                arn=arn,
                health_check=_health_check(group),
                targets=targets,
            )
        )
    return found


def _fill_zones(groups: Sequence[TargetGroupState], zones: dict[str, str]) -> None:
    for group in groups:
        for target in group.targets:
            target.zone = target.zone or zones.get(target.id)


# --- ECS services ------------------------------------------------------------------------------


def _service_state(clients: AwsClients, service: dict[str, Any], limitations: list[str]) -> EcsServiceState:
    awsvpc = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    task_definition = service.get("taskDefinition")
    return EcsServiceState(
        cluster=cluster_name(service) or "?",
        name=service.get("serviceName", "?"),
        desired=service.get("desiredCount", 0),
        running=service.get("runningCount", 0),
        task_definition=task_definition,
        log_groups=awslogs_groups(clients, task_definition, limitations) if task_definition else [],
        subnets=awsvpc.get("subnets", []),
        security_groups=awsvpc.get("securityGroups", []),
    )


def ecs_services(
    alarm: Alarm,
    clients: AwsClients,
    placement: Placement,
    limitations: list[str],
    target_groups: Sequence[str] = (),
) -> list[EcsServiceState]:
    found = []
    for service in ecs_services_behind(alarm, clients, limitations, target_groups)[:MAX_SERVICES]:
        state = _service_state(clients, service, limitations)
        placement.add("targets", state.subnets, groups=state.security_groups)
        found.append(state)
    return found


# --- Lambda functions --------------------------------------------------------------------------


def _function(awslambda: Any, name: str, limitations: list[str]) -> FunctionState:
    config = awslambda.get_function_configuration(FunctionName=name)
    reserved = attempt(
        f"reserved concurrency of {name}",
        lambda: awslambda.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions"),
        None,
        limitations,
    )
    vpc = config.get("VpcConfig") or {}
    return FunctionState(
        name=config.get("FunctionName", name),
        runtime=config.get("Runtime"),
        timeout_s=config.get("Timeout", 3),
        memory_mb=config.get("MemorySize", 128),
        reserved_concurrency=reserved,
        last_modified=aws_time(config.get("LastModified")),
        version=config.get("Version"),
        subnets=vpc.get("SubnetIds", []),
        security_groups=vpc.get("SecurityGroupIds", []),
    )


def functions(
    clients: AwsClients, names: Sequence[str], placement: Placement, limitations: list[str]
) -> list[FunctionState]:
    awslambda = clients.client("lambda")
    found = []
    for name in names[:MAX_FUNCTIONS]:
        if out_of_time(limitations, "further Lambda functions"):
            break
        state = attempt(
            f"function {name}", partial(_function, awslambda, name, limitations), None, limitations
        )
        if state is not None:
            placement.add("function", state.subnets, groups=state.security_groups)
            found.append(state)
    return found


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


def _configured_max_connections(rds: Any, instance: dict[str, Any]) -> str | None:
    """max_connections as set in a custom parameter group ("user" source); defaults are not listed."""
    groups = [g["DBParameterGroupName"] for g in instance.get("DBParameterGroups", [])]
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
        DatabaseEvent(at=e["Date"], message=e.get("Message", ""), categories=e.get("EventCategories", []))
        for e in response.get("Events", [])
    ]
    return sorted(found, key=lambda e: e.at)[-MAX_DB_EVENTS:]


def _db_instances(rds: Any, instances: list[str], clusters: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name, values in (("db-instance-id", instances), ("db-cluster-id", clusters)):
        if values:
            found += rds.describe_db_instances(Filters=[{"Name": name, "Values": values}])["DBInstances"]
    return found[:MAX_DATABASES]


def _database_state(
    rds: Any, instance: dict[str, Any], window: Window, limitations: list[str]
) -> DatabaseState:
    identifier = instance["DBInstanceIdentifier"]
    configured = attempt(
        f"parameters of {identifier}", partial(_configured_max_connections, rds, instance), None, limitations
    )
    events: list[DatabaseEvent] = attempt(
        f"events of {identifier}", partial(_events, rds, identifier, window), [], limitations
    )
    return DatabaseState(
        id=identifier,
        engine=instance.get("Engine"),
        instance_class=instance.get("DBInstanceClass"),
        status=instance.get("DBInstanceStatus"),
        multi_az=instance.get("MultiAZ"),
        max_connections=max_connections(instance.get("Engine"), instance.get("DBInstanceClass"), configured),
        events=events,
    )


def databases(
    clients: AwsClients,
    resources: Sequence[Resource],
    window: Window,
    placement: Placement,
    limitations: list[str],
) -> list[DatabaseState]:
    """RDS instances in scope (the alarm's, a cluster's members, or those the traces name)."""
    rds = clients.client("rds")
    instances = [r.id for r in resources if r.kind == "rds_instance"]
    clusters = [r.id for r in resources if r.kind == "rds_cluster"]
    described: list[dict[str, Any]] = attempt(
        "RDS instances", partial(_db_instances, rds, instances, clusters), [], limitations
    )
    found = []
    for instance in described:
        subnet_group = instance.get("DBSubnetGroup") or {}
        placement.add(
            "database",
            [s["SubnetIdentifier"] for s in subnet_group.get("Subnets", [])],
            subnet_group.get("VpcId"),
            [g["VpcSecurityGroupId"] for g in instance.get("VpcSecurityGroups", [])],
        )
        found.append(_database_state(rds, instance, window, limitations))
    return found


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


def _queue(sqs: Any, name: str, account: str, sources: list[str] | None) -> QueueState:
    """A queue's depth and redrive policy; whether it is a dead-letter queue is asked unless known."""
    url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
    state = _queue_state(sqs, name, url)
    if sources is None:
        urls = sqs.list_dead_letter_source_queues(QueueUrl=url).get("queueUrls", [])
        sources = [u.rstrip("/").rsplit("/", 1)[-1] for u in urls]
    state.source_queues = sources
    state.is_dead_letter_queue = bool(sources)
    return state


def queues(
    alarm: Alarm,
    clients: AwsClients,
    names: Sequence[str],
    settings: GathererSettings,
    limitations: list[str],
) -> list[QueueState]:
    """The alarm's queues and, for a source queue, its dead-letter queue (whose depth tells the failures)."""
    sqs = clients.client("sqs")
    found: list[QueueState] = []
    pending: list[tuple[str, str, list[str] | None]] = [(n, alarm.account, None) for n in names[:MAX_QUEUES]]
    while pending:
        name, account, sources = pending.pop(0)
        if any(q.name == name for q in found) or out_of_time(limitations, f"queue {name}"):
            continue
        state = attempt(f"queue {name}", partial(_queue, sqs, name, account, sources), None, limitations)
        if state is None:
            continue
        dead_letters = (state.dead_letter_target or "").split(":")  # arn:aws:sqs:<region>:<account>:<name>
        if len(dead_letters) == 6:
            pending.append((dead_letters[5], dead_letters[4], [name]))
        if state.is_dead_letter_queue and settings.peek_dead_letters:
            state.peeked = attempt(f"a message of {name}", partial(peek, sqs, state.url), None, limitations)
        found.append(state)
    return found


# --- the gatherer ------------------------------------------------------------------------------


def _ids(resources: Sequence[Resource], kind: str) -> list[str]:
    return [r.id for r in resources if r.kind == kind]


def gather_resources(alarm: Alarm, clients: AwsClients, settings: GathererSettings) -> ResourcesData:
    limitations: list[str] = []
    tags = lookup_tags(alarm, clients, limitations)
    downstreams = lookup_downstreams(alarm, clients, tags, settings, limitations)
    resources = discover(alarm, tags, settings.extra_log_groups, downstreams).resources
    data = ResourcesData()
    placement = Placement()
    if any(r.kind in _BALANCED for r in resources):
        data.target_groups = target_groups(alarm, clients, resources, placement, limitations)
    if not out_of_time(limitations, "ECS services"):
        balanced = [group.arn for group in data.target_groups]
        data.services = ecs_services(alarm, clients, placement, limitations, balanced)
    if not out_of_time(limitations, "Lambda functions"):
        data.functions = functions(clients, _ids(resources, "lambda_function"), placement, limitations)
    if not out_of_time(limitations, "databases"):
        data.databases = databases(clients, resources, windows_for(alarm).incident, placement, limitations)
    if not out_of_time(limitations, "queues"):
        data.queues = queues(alarm, clients, _ids(resources, "sqs_queue"), settings, limitations)
    if not out_of_time(limitations, "network"):
        data.network = describe_network(clients.client("ec2"), placement, limitations)
        _fill_zones(data.target_groups, placement.target_zones)
    examined = [
        *(r.id for r in resources),
        *(g.arn for g in data.target_groups),
        *(f"{s.cluster}/{s.name}" for s in data.services),
        *(q.name for q in data.queues),
        *([data.network.vpc] if data.network else []),
    ]
    data.looked_at = list(dict.fromkeys(examined))
    data.limitations = limitations  # the model copies a list given at construction: set it once complete
    return data
