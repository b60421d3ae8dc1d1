"""Resolving the scope (emulated): from an ALB alarm to the ECS services behind its target group and
their awslogs groups, an ECS alarm's own service, and nothing to look up for a Lambda alarm."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.pipeline import resolve
from tests.factories import alarm_event


@pytest.fixture
def clients(aws_env: None) -> Iterator[AwsClients]:
    with mock_aws():
        yield AwsClients(region="eu-west-1")


def _service(clients: AwsClients, cluster: str, name: str, target_group: str | None, log_group: str) -> None:
    ecs = clients.client("ecs")
    ecs.create_cluster(clusterName=cluster)
    definition = ecs.register_task_definition(
        family=name,
        containerDefinitions=[
            {
                "name": "app",
                "image": "public.ecr.aws/nginx/nginx:latest",
                "memory": 512,
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": log_group}},
            },
            {"name": "sidecar", "image": "public.ecr.aws/xray/aws-xray-daemon:latest", "memory": 128},
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    balancers = [{"targetGroupArn": target_group, "containerName": "app", "containerPort": 8080}]
    ecs.create_service(
        cluster=cluster,
        serviceName=name,
        taskDefinition=definition,
        desiredCount=2,
        loadBalancers=balancers if target_group else [],
    )


def _balancer(clients: AwsClients) -> tuple[str, str]:
    ec2, elbv2 = clients.client("ec2"), clients.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.8.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    lb = elbv2.create_load_balancer(Name="storefront", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elbv2.create_target_group(Name="cart-tg", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )
    return lb, tg


def test_an_alb_alarm_leads_to_the_service_behind_its_target_group_and_its_logs(clients: AwsClients) -> None:
    lb, tg = _balancer(clients)
    _service(clients, "shop", "cart", tg, "/ecs/cart")
    _service(clients, "shop", "search", None, "/ecs/search")
    event = alarm_event(dimensions={"LoadBalancer": lb.split(":loadbalancer/")[1]}, name="storefront-5xx")
    resolved = resolve(event, clients)
    assert resolved.scope is not None
    assert [g.arn for g in resolved.scope.target_groups] == [tg]
    assert [(s.name, s.log_groups) for s in resolved.scope.services] == [("cart", ["/ecs/cart"])]
    assert "/ecs/cart" in resolved.scope.log_groups
    assert ("ecs_service", "shop/cart") in [(r.kind, r.id) for r in resolved.scope.resources]
    # The alarm itself is not in this account: noted, and everything else still resolved.
    assert [n.code for n in resolved.resolution.notes] == ["alarm_not_found"]


def test_an_ecs_alarm_names_its_service_directly(clients: AwsClients) -> None:
    _service(clients, "batch", "invoicer", None, "/ecs/invoicer")
    event = alarm_event(
        namespace="AWS/ECS",
        metric="CPUUtilization",
        dimensions={"ClusterName": "batch", "ServiceName": "invoicer"},
    )
    scope = resolve(event, clients).scope
    assert scope is not None
    assert [s.name for s in scope.services] == ["invoicer"]
    assert "ecs:ListClusters" not in clients.calls  # named, not searched for


def test_a_lambda_alarm_looks_up_only_its_function(clients: AwsClients) -> None:
    event = alarm_event(namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": "thumbnailer"})
    scope = resolve(event, clients).scope
    assert scope is not None
    assert scope.services == []
    assert not [call for call in clients.calls if call.startswith(("ecs:", "elbv2:"))]
    # Where its failures go: its configuration, its asynchronous and its mappings' destinations.
    assert {call for call in clients.calls if call.startswith("lambda:")} == {
        "lambda:GetFunctionConfiguration", "lambda:ListFunctionEventInvokeConfigs", "lambda:ListEventSourceMappings",
    }  # fmt: skip
    assert scope.log_groups == ["/aws/lambda/thumbnailer"]
