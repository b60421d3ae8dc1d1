"""Resolving the scope once, before the gatherers: the ResolveScope state's work.

Every gatherer needs the same facts first: the alarm as DescribeAlarms describes it (a composite
alarm's children included), its tags, the resources it watches, the ECS services behind its load
balancer and their log groups, what a few traces reveal downstream, and the log groups to read.
Looking them up here, once, removes the calls each gatherer used to repeat and gives every gatherer
the same scope. Lookups that do not depend on each other run side by side:

    DescribeAlarms | tags -> trace probe | DescribeTargetGroups | ListClusters -> ListServices ->
    DescribeServices -> DescribeTaskDefinition | ListAccountAliases | dead-letter relationships
    (``dead_letters``) | the configuration that names log groups (``LOCATORS``: API stages, caches,
    state machines, the CloudWatch agent's) | DescribeListeners (the load balancer's certificates)
    then, side by side: DescribeLogGroups for each prefix | DescribeTaskDefinition | DescribeRouteTables
    (the NAT gateways the services' and functions' subnets go out through)

A lookup that fails becomes a note; the scope then holds what the event itself says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from . import dead_letters
from .catalog import located_by, resources_of
from .events import Alarm, MetricQuery, queries_of
from .gather import GatherContext, apigateway, ec2, elasticache, rds, stepfunctions
from .gather.alarm import config_of, describe
from .gather.network import nat_gateways_of, route_tables
from .gather.secrets import secret_arn
from .gather.traces import probe_traces
from .models import (
    ChildAlarm,
    EcsDeployment,
    EcsServiceRef,
    FunctionState,
    HealthCheck,
    Located,
    Resource,
    RouteTables,
    Scope,
    TargetGroupRef,
    TraceProbe,
)
from .scope import (
    alarm_resources,
    log_group_patterns,
    runbook_url,
    severity_tag,
    tagged_resources,
    trace_resources,
    trace_services,
    unique_resources,
)

MAX_CHILDREN = 99  # DescribeAlarms takes 100 names: the composite alarm and its children in one call
MAX_CLUSTERS = 5  # ListServices + DescribeServices per cluster: keep a busy account's cost bounded
MAX_SERVICES_PER_CLUSTER = 50
DESCRIBE_BATCH = 10  # DescribeServices takes at most 10 services per call
MAX_SERVICES = 3  # one DescribeTaskDefinition call each
MAX_TARGET_GROUPS = 5
MAX_LOG_GROUPS = 10
MAX_GROUPS_PER_PREFIX = 5
MAX_BALANCERS = 2  # one DescribeListeners call each
_BALANCED = frozenset({"target_group", "load_balancer"})


def target_group_arn(alarm: Alarm, dimension: str) -> str:
    """The TargetGroup dimension ("targetgroup/<name>/<id>") is the tail of the target group's ARN."""
    return f"arn:aws:elasticloadbalancing:{alarm.region}:{alarm.account}:{dimension}"


def load_balancer_arn(alarm: Alarm, dimension: str) -> str:
    """The LoadBalancer dimension ("app/<name>/<id>") follows "loadbalancer/" in its ARN."""
    return f"arn:aws:elasticloadbalancing:{alarm.region}:{alarm.account}:loadbalancer/{dimension}"


# --- the alarm ---------------------------------------------------------------------------------


def child_names(alarm: Alarm) -> list[str]:
    """The alarms a composite alarm's rule names (by name or ARN)."""
    return [name.rsplit(":alarm:", 1)[-1] for name in alarm.child_alarms][:MAX_CHILDREN]


def child_of(described: Mapping[str, Any]) -> ChildAlarm:
    metrics = []
    if described.get("MetricName") or described.get("Metrics"):
        queries = map(MetricQuery.model_validate, queries_of(described))
        metrics = [q.metric_stat for q in queries if q.metric_stat is not None]
    return ChildAlarm(
        name=described["AlarmName"],
        state=described.get("StateValue", "?"),
        namespace=described.get("Namespace"),
        metric_name=described.get("MetricName"),
        metrics=metrics,
    )


def _tags(alarm: Alarm, cloudwatch: Any) -> dict[str, str]:
    response = cloudwatch.list_tags_for_resource(ResourceARN=alarm.arn)
    return {tag["Key"]: tag["Value"] for tag in response.get("Tags", [])}


def child_resources(children: Sequence[ChildAlarm]) -> list[Resource]:
    return [
        resource
        for child in children
        for metric in child.metrics
        for resource in resources_of(metric.metric.namespace, metric.metric.dimensions)
    ]


# --- load balancers and ECS --------------------------------------------------------------------


def _health_check(group: Mapping[str, Any]) -> HealthCheck:
    matcher = group.get("Matcher") or {}
    return HealthCheck(
        protocol=group.get("HealthCheckProtocol"),
        port=group.get("HealthCheckPort"),
        path=group.get("HealthCheckPath"),
        matcher=matcher.get("HttpCode") or matcher.get("GrpcCode"),
        interval_s=group.get("HealthCheckIntervalSeconds"),
        timeout_s=group.get("HealthCheckTimeoutSeconds"),
        healthy_threshold=group.get("HealthyThresholdCount"),
        unhealthy_threshold=group.get("UnhealthyThresholdCount"),
    )


def _target_group(group: Mapping[str, Any]) -> TargetGroupRef:
    return TargetGroupRef(
        arn=group["TargetGroupArn"],
        name=group.get("TargetGroupName", group["TargetGroupArn"]),
        load_balancers=list(group.get("LoadBalancerArns", [])),
        vpc=group.get("VpcId"),
        target_type=group.get("TargetType"),
        health_check=_health_check(group),
    )


def target_groups(context: GatherContext, resources: Sequence[Resource]) -> list[TargetGroupRef]:
    """The target groups the alarm watches, or those of the load balancer it watches."""
    alarm, elbv2 = context.alarm, context.clients.client("elbv2")
    named = [
        target_group_arn(alarm, r.dimensions["TargetGroup"]) for r in resources if r.kind == "target_group"
    ]
    balancers = [
        load_balancer_arn(alarm, r.dimensions["LoadBalancer"]) for r in resources if r.kind == "load_balancer"
    ]
    if named:
        request: dict[str, Any] = {"TargetGroupArns": named[:MAX_TARGET_GROUPS]}
    elif balancers:
        request = {"LoadBalancerArn": balancers[0]}
    else:
        return []
    groups: list[dict[str, Any]] = context.attempt(
        "target_groups", lambda: elbv2.describe_target_groups(**request)["TargetGroups"], []
    )
    return [_target_group(g) for g in groups[:MAX_TARGET_GROUPS]]


def cluster_name(service: Mapping[str, Any]) -> str:
    """The cluster of a DescribeServices entry, named as the AWS/ECS ClusterName dimension names it."""
    return str(service.get("clusterArn", "")).rsplit("/", 1)[-1]


def service_ref(service: Mapping[str, Any]) -> EcsServiceRef:
    awsvpc = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    return EcsServiceRef(
        cluster=cluster_name(service),
        name=str(service.get("serviceName", "?")),
        arn=service.get("serviceArn"),
        task_definition=service.get("taskDefinition"),
        desired=service.get("desiredCount", 0),
        running=service.get("runningCount", 0),
        subnets=awsvpc.get("subnets", []),
        security_groups=awsvpc.get("securityGroups", []),
        target_groups=[
            lb["targetGroupArn"] for lb in service.get("loadBalancers", []) if lb.get("targetGroupArn")
        ],
        deployments=[
            EcsDeployment(
                task_definition=d.get("taskDefinition"),
                status=d.get("status"),
                rollout_state=d.get("rolloutState"),
                rollout_state_reason=d.get("rolloutStateReason"),
                created_at=d["createdAt"],
                running=d.get("runningCount", 0),
                desired=d.get("desiredCount", 0),
                failed_tasks=d.get("failedTasks", 0),
            )
            for d in service.get("deployments", [])
            if d.get("createdAt")
        ],
    )


def _described(context: GatherContext, cluster: str, names: Sequence[str]) -> Iterator[dict[str, Any]]:
    ecs = context.clients.client("ecs")
    batches = [list(names[start : start + DESCRIBE_BATCH]) for start in range(0, len(names), DESCRIBE_BATCH)]
    responses = context.parallel(
        *(lambda b=b: ecs.describe_services(cluster=cluster, services=b) for b in batches)
    )
    for response in responses:
        # A service the alarm names that does not exist comes back as a failure, not an error.
        for failure in response.get("failures", []):
            context.note(
                "ecs_service_failure", service=str(failure.get("arn")), reason=str(failure.get("reason"))
            )
        yield from response.get("services", [])


def _named_services(context: GatherContext, resources: Sequence[Resource]) -> list[dict[str, Any]]:
    by_cluster: dict[str, list[str]] = {}
    for resource in resources:
        if resource.kind == "ecs_service":
            by_cluster.setdefault(resource.dimensions["ClusterName"], []).append(
                resource.dimensions["ServiceName"]
            )
    found = context.parallel(
        *(lambda c=c, n=n: list(_described(context, c, n)) for c, n in by_cluster.items())
    )
    return [service for services in found for service in services]


def _services_in(context: GatherContext, cluster: str) -> list[dict[str, Any]]:
    ecs = context.clients.client("ecs")
    names = ecs.list_services(cluster=cluster, maxResults=MAX_SERVICES_PER_CLUSTER).get("serviceArns", [])
    return list(_described(context, cluster, names))


def _balanced_services(context: GatherContext) -> list[dict[str, Any]]:
    """Every service of the first clusters: which are behind the alarm's target groups is decided later,
    so that this listing runs alongside the target group lookup instead of after it."""
    ecs = context.clients.client("ecs")
    clusters = ecs.list_clusters(maxResults=MAX_CLUSTERS).get("clusterArns", [])
    found = context.parallel(*(lambda c=c: _services_in(context, c) for c in clusters))
    return [service for services in found for service in services]


def ecs_services(context: GatherContext, resources: Sequence[Resource]) -> list[EcsServiceRef]:
    """The services the alarm names; for a load balancer alarm, every service of the first clusters
    (which of them are behind its target groups is decided with the target groups, looked up alongside)."""
    if any(r.kind == "ecs_service" for r in resources):
        named = context.attempt(
            "ecs_services", lambda: _named_services(context, resources), list[dict[str, Any]]()
        )
        return [service_ref(s) for s in named]
    if not any(r.kind in _BALANCED for r in resources):
        return []
    listed = context.attempt("ecs_services", lambda: _balanced_services(context), list[dict[str, Any]]())
    return [service_ref(s) for s in listed]


def behind(services: Sequence[EcsServiceRef], groups: Sequence[TargetGroupRef]) -> list[EcsServiceRef]:
    """The services registered with one of the target groups."""
    arns = {group.arn for group in groups}
    return [s for s in services if arns & set(s.target_groups)]


def task_definition(context: GatherContext, arn: str) -> dict[str, list[str]]:
    """What a task definition says its tasks use: the log groups its containers write to with the
    awslogs driver, the Secrets Manager secrets they read, and the task's roles."""
    ecs = context.clients.client("ecs")
    described: dict[str, Any] = context.attempt(
        "task_definition",
        lambda: ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"],
        {},
        subject=arn.rsplit("/", 1)[-1],
    )
    containers = described.get("containerDefinitions", [])
    groups = [
        container.get("logConfiguration", {}).get("options", {}).get("awslogs-group")
        for container in containers
        if container.get("logConfiguration", {}).get("logDriver") == "awslogs"
    ]
    secrets = [
        secret_arn(str(secret.get("valueFrom", "")))
        for container in containers
        for secret in container.get("secrets", [])
        if ":secretsmanager:" in str(secret.get("valueFrom", ""))
    ]
    roles = [described.get(key) for key in ("taskRoleArn", "executionRoleArn")]
    return {
        "log_groups": [group for group in dict.fromkeys(groups) if group],
        "secrets": list(dict.fromkeys(secrets)),
        "roles": [role for role in dict.fromkeys(roles) if role],
    }


def with_task_definitions(context: GatherContext, services: Sequence[EcsServiceRef]) -> list[EcsServiceRef]:
    chosen = list(services[:MAX_SERVICES])
    found = context.parallel(
        *(
            lambda s=s: task_definition(context, s.task_definition) if s.task_definition else {}
            for s in chosen
        )
    )
    return [service.model_copy(update=used) for service, used in zip(chosen, found, strict=True)]


def service_resources(services: Sequence[EcsServiceRef]) -> list[Resource]:
    """The ECS services as resources whose AWS/ECS metrics (CPU, memory) can be read."""
    return [
        Resource(
            kind="ecs_service",
            id=f"{s.cluster}/{s.name}",
            namespace="AWS/ECS",
            dimensions={"ClusterName": s.cluster, "ServiceName": s.name},
        )
        for s in services
        if s.cluster and s.name
    ]


def listener_certificates(context: GatherContext, resources: Sequence[Resource]) -> list[Resource]:
    """The ACM certificates the alarm's load balancers present on their TLS listeners (HTTPS, TLS):
    an expired one refuses every handshake in front of the service. DescribeListeners names each
    listener's default certificate; IAM server certificates have no ACM state and are left out."""
    alarm, elbv2 = context.alarm, context.clients.client("elbv2")
    balancers = list(
        dict.fromkeys(
            load_balancer_arn(alarm, r.dimensions["LoadBalancer"]) for r in resources if r.kind in _BALANCED
        )
    )[:MAX_BALANCERS]
    found = context.parallel(
        *(
            lambda b=b: context.attempt(
                "listeners",
                lambda: elbv2.describe_listeners(LoadBalancerArn=b)["Listeners"],
                list[dict[str, Any]](),
                subject=b.rsplit("/", 2)[-2],
            )
            for b in balancers
        )
    )
    arns = [
        str(certificate["CertificateArn"])
        for listeners in found
        for listener in listeners
        if listener.get("Protocol") in ("HTTPS", "TLS")
        for certificate in listener.get("Certificates", [])
        if ":acm:" in str(certificate.get("CertificateArn", ""))
    ]
    return [
        certificate.model_copy(update={"via": "configuration"})
        for arn in dict.fromkeys(arns)
        for certificate in resources_of("AWS/CertificateManager", {"CertificateArn": arn})
    ]


# --- NAT gateways ------------------------------------------------------------------------------


def service_routes(
    context: GatherContext,
    services: Sequence[EcsServiceRef],
    functions: Sequence[FunctionState],
    groups: Sequence[TargetGroupRef],
) -> RouteTables | None:
    """The route tables of the subnets the services' tasks and the functions run in."""
    subnets = [s for service in services for s in service.subnets]
    subnets += [s for function in functions for s in function.subnets]
    vpcs = [g.vpc for g in groups if g.vpc] + [f.vpc for f in functions if f.vpc]
    return route_tables(context, subnets, vpcs)


def egress_gateways(
    routes: RouteTables | None, services: Sequence[EcsServiceRef], functions: Sequence[FunctionState]
) -> list[Resource]:
    """The NAT gateways the services' tasks and the functions go out through, found from their subnets'
    routes: their port allocation errors and drops are the service's outbound connections failing."""
    subnets = [s for service in services for s in service.subnets]
    subnets += [s for function in functions for s in function.subnets]
    return [
        gateway.model_copy(update={"via": "configuration"})
        for name in nat_gateways_of(routes.tables if routes else [], subnets)
        for gateway in resources_of("AWS/NATGateway", {"NatGatewayId": name})
    ]


# --- log groups --------------------------------------------------------------------------------


def _prefixed(context: GatherContext, prefix: str) -> list[str]:
    logs = context.clients.logs
    found: list[dict[str, Any]] = context.attempt(
        "log_groups",
        lambda: logs.describe_log_groups(logGroupNamePrefix=prefix, limit=MAX_GROUPS_PER_PREFIX)["logGroups"],
        [],
        subject=f"{prefix}*",
    )
    return [str(group["logGroupName"]) for group in found]


def expand(context: GatherContext, patterns: Sequence[str]) -> list[str]:
    """Names for the entries, in order; an entry ending in ``*`` is a prefix, listed with DescribeLogGroups."""
    unique = list(dict.fromkeys(patterns))
    prefixes = [p for p in unique if p.endswith("*")]
    found = context.parallel(*(lambda p=p: _prefixed(context, p[:-1]) for p in prefixes))
    listed = dict(zip(prefixes, found, strict=True))
    return list(dict.fromkeys(name for p in unique for name in listed.get(p, [p])))


def capped(context: GatherContext, names: Sequence[str]) -> list[str]:
    unique = list(dict.fromkeys(names))
    if len(unique) > MAX_LOG_GROUPS:
        context.note("log_groups_capped", read=MAX_LOG_GROUPS, found=len(unique))
    return unique[:MAX_LOG_GROUPS]


def account_alias(context: GatherContext) -> str | None:
    """The alarm's account by name, for the report's header (an account has at most one alias)."""
    iam = context.clients.client("iam")
    aliases: list[str] = context.attempt(
        "account_alias", lambda: iam.list_account_aliases()["AccountAliases"], list[str]()
    )
    return aliases[0] if aliases else None


# --- configuration that names log groups ------------------------------------------------------

# The code behind each locate of the catalog (the scope-step reads), by the Located field it fills.
LOCATORS: dict[str, Callable[[GatherContext, Sequence[Resource]], list[Any]]] = {
    "stages": apigateway.locate,
    "caches": elasticache.locate,
    "state_machines": stepfunctions.locate,
    "agent_configs": ec2.agent_configs,
    "databases": rds.locate,
}


def locate(context: GatherContext, resources: Sequence[Resource]) -> Located:
    """The configuration of the resources whose log groups (or member resources) only it names."""
    wanted = [name for name in LOCATORS if located_by(resources, name)]
    found = context.parallel(*(lambda n=n: LOCATORS[n](context, resources) for n in wanted))
    return Located(**dict(zip(wanted, found, strict=True)))


# --- the whole scope ---------------------------------------------------------------------------


def _balanced(
    context: GatherContext, resources: Sequence[Resource]
) -> tuple[list[TargetGroupRef], list[EcsServiceRef]]:
    """Target groups and ECS services of the resources, the two looked up side by side."""
    with context.side_by_side() as work:
        groups = work.submit(lambda: target_groups(context, resources))
        services = work.submit(lambda: ecs_services(context, resources))
    named = any(r.kind == "ecs_service" for r in resources)
    return groups.result(), services.result() if named else behind(services.result(), groups.result())


def resolve_scope(context: GatherContext) -> Scope:
    """The scope of the alarm's analysis; ``context.scope`` is what the event alone says."""
    alarm, known = context.alarm, context.scope
    cloudwatch = context.clients.cloudwatch
    on_alarm = alarm_resources(alarm)

    def tags_and_probe() -> tuple[dict[str, str], TraceProbe | None]:
        tags = known.tags
        if alarm.tags is None:
            tags = context.attempt("alarm_tags", lambda: _tags(alarm, cloudwatch), {})
        return tags, probe_traces(context, trace_services(alarm, tags))

    names = [alarm.name, *child_names(alarm)]
    with context.side_by_side() as work:
        described = work.submit(
            lambda: context.attempt("alarm_config", lambda: describe(cloudwatch, names), None)
        )
        tagged = work.submit(tags_and_probe)
        balanced = work.submit(lambda: _balanced(context, on_alarm))
        alias = work.submit(lambda: account_alias(context))
        located = work.submit(lambda: locate(context, on_alarm))
        dead = work.submit(
            lambda: context.attempt(
                "dead_letters", lambda: dead_letters.discover(context, on_alarm), dead_letters.Found()
            )
        )
        certificates = work.submit(lambda: listener_certificates(context, on_alarm))
    alarms = described.result()
    own = next((a for a in alarms or [] if a["AlarmName"] == alarm.name), None)
    if alarms is not None and own is None:
        context.note("alarm_not_found", alarm=alarm.name)
    children = [child_of(a) for a in alarms or [] if a["AlarmName"] != alarm.name]
    tags, probe = tagged.result()
    groups, services = balanced.result()
    # A composite alarm's children bring their own resources (a load balancer, a database), known only now.
    from_children = [r for r in unique_resources(child_resources(children)) if r not in on_alarm]
    if from_children:
        more_groups, more_services = _balanced(context, from_children)
        groups, services = [*groups, *more_groups], [*services, *more_services]
    downstreams = probe.downstreams if probe else known.downstreams
    found = dead.result()
    # A composite alarm's children, and the traces (a cache the service calls), may name configuration
    # too (a stage, a cache's members and log groups), read now.
    configured = located.result()
    known_already = {(r.kind, r.id) for r in on_alarm}
    later = [
        r
        for r in unique_resources([*from_children, *trace_resources(downstreams)])
        if (r.kind, r.id) not in known_already
    ]
    if any(located_by(later, name) for name in LOCATORS):
        configured = configured.merged(locate(context, later))
    resources = unique_resources(
        [
            *on_alarm,
            *from_children,
            *found.resources,
            *elasticache.member_resources(configured.caches),
            *rds.member_resources(configured.databases),
            *tagged_resources(tags),
            *trace_resources(downstreams),
            *certificates.result(),
        ]
    )
    patterns = dead_letters.logged_where(
        log_group_patterns(
            tags, resources, downstreams, context.settings.extra_log_groups, configured.log_groups()
        ),
        found.functions,
    )
    # Only the alarm's own functions: a queue's search reads every function of the account.
    own_functions = [f for f in found.functions if f.name in {r.id for r in on_alarm}]
    with context.side_by_side() as work:
        logged = work.submit(lambda: with_task_definitions(context, services))
        expanded = work.submit(lambda: expand(context, patterns))
        # NAT gateways write no log groups: their lookup runs alongside the log groups'.
        routes = work.submit(lambda: service_routes(context, services, own_functions, groups))
    services = logged.result()
    gateways = egress_gateways(routes.result(), services, own_functions)
    config = config_of(own) if own else None
    return Scope(
        windows=known.windows,
        tags=tags,
        alarm=config,
        children=children,
        resources=unique_resources([*resources, *service_resources(services), *gateways]),
        log_groups=capped(context, [*expanded.result(), *(g for s in services for g in s.log_groups)]),
        trace_services=trace_services(alarm, tags),
        target_groups=groups,
        services=services,
        downstreams=downstreams,
        probe=probe,
        dead_letters=found.links,
        functions=found.functions,
        located=configured,
        route_tables=routes.result(),
        runbook_url=runbook_url(tags, alarm.description or (config.description if config else None)),
        severity=severity_tag(tags),
        account_alias=alias.result(),
    )
