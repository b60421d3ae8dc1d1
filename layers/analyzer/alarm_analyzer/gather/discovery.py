"""Following an alarm past its dimensions: load balancer -> target groups -> ECS services -> their logs.

An ALB alarm names a load balancer or a target group, but the evidence lives with what serves it.
These lookups find the ECS services registered behind the alarm's target groups (or the service an
ECS alarm names) and the awslogs groups their containers write to. Shared by the logs, changes and
resources gatherers, each of which runs in its own Lambda function.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from ..aws import AwsClients
from ..events import Alarm
from ..models import Resource
from ..scope import alarm_resources
from . import attempt, out_of_time

MAX_CLUSTERS = 5  # ListServices + DescribeServices per cluster: keep a busy account's cost bounded
MAX_SERVICES_PER_CLUSTER = 50
DESCRIBE_BATCH = 10  # DescribeServices takes at most 10 services per call


def target_group_arn(alarm: Alarm, dimension: str) -> str:
    """The TargetGroup dimension ("targetgroup/<name>/<id>") is the tail of the target group's ARN."""
    return f"arn:aws:elasticloadbalancing:{alarm.region}:{alarm.account}:{dimension}"


def load_balancer_arn(alarm: Alarm, dimension: str) -> str:
    """The LoadBalancer dimension ("app/<name>/<id>") follows "loadbalancer/" in its ARN."""
    return f"arn:aws:elasticloadbalancing:{alarm.region}:{alarm.account}:loadbalancer/{dimension}"


def _target_groups_of(elbv2: Any, balancer: str) -> list[str]:
    return [
        group["TargetGroupArn"]
        for group in elbv2.describe_target_groups(LoadBalancerArn=balancer)["TargetGroups"]
    ]


def target_group_arns(alarm: Alarm, clients: AwsClients, limitations: list[str]) -> list[str]:
    """The target groups the alarm watches, or those of the load balancer it watches."""
    arns: list[str] = []
    for resource in alarm_resources(alarm):
        if resource.kind == "target_group":
            arns.append(target_group_arn(alarm, resource.dimensions["TargetGroup"]))
        elif resource.kind == "load_balancer" and not arns:
            balancer = load_balancer_arn(alarm, resource.dimensions["LoadBalancer"])
            elbv2 = clients.client("elbv2")
            arns += attempt(
                f"target groups of {resource.id}",
                partial(_target_groups_of, elbv2, balancer),
                [],
                limitations,
            )
    return list(dict.fromkeys(arns))


def _described(
    ecs: Any, cluster: str, names: Sequence[str], limitations: list[str]
) -> Iterator[dict[str, Any]]:
    for start in range(0, len(names), DESCRIBE_BATCH):
        batch = list(names[start : start + DESCRIBE_BATCH])
        response = ecs.describe_services(cluster=cluster, services=batch)
        # A service the alarm names that does not exist comes back as a failure, not an error.
        limitations += [
            f"ECS service {f.get('arn')}: {f.get('reason')}" for f in response.get("failures", [])
        ]
        yield from response.get("services", [])


def _named_services(alarm: Alarm, ecs: Any, limitations: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for resource in alarm_resources(alarm):
        if resource.kind == "ecs_service":
            dims = resource.dimensions
            found += _described(ecs, dims["ClusterName"], [dims["ServiceName"]], limitations)
    return found


def _services_behind(ecs: Any, arns: set[str], limitations: list[str]) -> list[dict[str, Any]]:
    clusters = ecs.list_clusters(maxResults=MAX_CLUSTERS).get("clusterArns", [])
    found: list[dict[str, Any]] = []
    for cluster in clusters:
        if out_of_time(limitations, "further ECS clusters"):
            break
        names = ecs.list_services(cluster=cluster, maxResults=MAX_SERVICES_PER_CLUSTER).get("serviceArns", [])
        found += [
            service
            for service in _described(ecs, cluster, names, limitations)
            if any(lb.get("targetGroupArn") in arns for lb in service.get("loadBalancers", []))
        ]
    return found


def ecs_services_behind(
    alarm: Alarm, clients: AwsClients, limitations: list[str], target_groups: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """ECS DescribeServices entries for the service the alarm names, or those behind its target groups."""
    ecs = clients.client("ecs")
    named: list[dict[str, Any]] = attempt(
        "ECS services", lambda: _named_services(alarm, ecs, limitations), [], limitations
    )
    if named:
        return named
    # A caller that has described the target groups already passes their ARNs: no second lookup.
    arns = set(target_groups) or set(target_group_arns(alarm, clients, limitations))
    if not arns:
        return []
    behind: list[dict[str, Any]] = attempt(
        "ECS services behind the target groups",
        lambda: _services_behind(ecs, arns, limitations),
        [],
        limitations,
    )
    return behind


def awslogs_groups(clients: AwsClients, task_definition: str, limitations: list[str]) -> list[str]:
    """The log groups a task definition's containers write to with the awslogs driver."""
    described: dict[str, Any] = attempt(
        f"task definition {task_definition.rsplit('/', 1)[-1]}",
        lambda: clients.client("ecs").describe_task_definition(taskDefinition=task_definition)[
            "taskDefinition"
        ],
        {},
        limitations,
    )
    groups = [
        container.get("logConfiguration", {}).get("options", {}).get("awslogs-group")
        for container in described.get("containerDefinitions", [])
        if container.get("logConfiguration", {}).get("logDriver") == "awslogs"
    ]
    return [group for group in dict.fromkeys(groups) if group]


def cluster_name(service: Mapping[str, Any]) -> str:
    """The cluster of a DescribeServices entry, named as the AWS/ECS ClusterName dimension names it."""
    return str(service.get("clusterArn", "")).rsplit("/", 1)[-1]


def service_resources(services: Sequence[dict[str, Any]]) -> list[Resource]:
    """The ECS services as resources whose AWS/ECS metrics (CPU, memory) can be read."""
    found = []
    for service in services:
        cluster = cluster_name(service)
        name = str(service.get("serviceName", ""))
        if cluster and name:
            dimensions = {"ClusterName": cluster, "ServiceName": name}
            found.append(
                Resource(
                    kind="ecs_service", id=f"{cluster}/{name}", namespace="AWS/ECS", dimensions=dimensions
                )
            )
    return found
