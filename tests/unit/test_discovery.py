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


# --- what the service goes out through, and what it presents -------------------------------------


def _routed_subnets(clients: AwsClients, route: str) -> tuple[str, list[str], str | None]:
    """A VPC with two private subnets, each on its own route table whose default route is ``route``:
    "nat" (one NAT gateway for both) or "igw"."""
    ec2 = clients.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    nat = None
    if route == "nat":
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    target = {"NatGatewayId": nat} if nat else {"GatewayId": igw}
    subnets = []
    for i, zone in ((1, "a"), (2, "b")):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"eu-west-1{zone}")
        table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", **target)
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet["Subnet"]["SubnetId"])
        subnets.append(subnet["Subnet"]["SubnetId"])
    return vpc, subnets, nat


def _function_in(clients: AwsClients, name: str, subnets: list[str]) -> None:
    iam = clients.client("iam")
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    clients.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": b"fake"},
        VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": []},
    )


def _routed(clients: AwsClients, event: dict[str, object]) -> list[tuple[str, str]]:
    scope = resolve(event, clients).scope
    assert scope is not None
    return [(r.id, r.via) for r in scope.resources if r.kind == "nat_gateway"]


def test_a_function_s_subnets_bring_the_nat_gateway_they_go_out_through_once(clients: AwsClients) -> None:
    _, subnets, nat = _routed_subnets(clients, "nat")
    _function_in(clients, "webhook-sender", subnets)
    event = alarm_event(
        namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": "webhook-sender"}
    )
    assert _routed(clients, event) == [(nat, "configuration")]  # two subnets, one gateway, no tag
    assert clients.calls["ec2:DescribeRouteTables"] == 1


def test_subnets_whose_default_route_is_an_internet_gateway_bring_no_nat(clients: AwsClients) -> None:
    _, subnets, _ = _routed_subnets(clients, "igw")
    _function_in(clients, "public-poller", subnets)
    event = alarm_event(namespace="AWS/Lambda", metric="Errors", dimensions={"FunctionName": "public-poller"})
    assert _routed(clients, event) == []


def test_a_service_s_tasks_on_the_vpc_main_table_go_out_through_its_nat(clients: AwsClients) -> None:
    ec2 = clients.client("ec2")
    vpc, _, nat = _routed_subnets(clients, "nat")
    (main,) = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"]
    ec2.create_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    unassociated = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.9.0/24")["Subnet"]["SubnetId"]
    elbv2 = clients.client("elbv2")
    group = elbv2.create_target_group(
        Name="orders-tg", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip"
    )
    tg = group["TargetGroups"][0]["TargetGroupArn"]
    _service(clients, "shop", "orders", tg, "/ecs/orders")
    clients.client("ecs").update_service(
        cluster="shop",
        service="orders",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [unassociated]}},
    )
    dimension = tg.split(":", 5)[5]
    event = alarm_event(dimensions={"TargetGroup": dimension, "LoadBalancer": "app/orders/0123456789abcdef"})
    assert _routed(clients, event) == [(nat, "configuration")]  # the VPC known from the target group


def test_an_alb_alarm_brings_the_certificates_of_its_https_listeners(clients: AwsClients) -> None:
    lb, tg = _balancer(clients)
    acm = clients.client("acm")
    certificate = acm.request_certificate(DomainName="shop.example.com")["CertificateArn"]
    clients.client("elbv2").create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )
    event = alarm_event(dimensions={"LoadBalancer": lb.split(":loadbalancer/")[1]}, metric="RequestCount")
    scope = resolve(event, clients).scope
    assert scope is not None
    found = [(r.id, r.via, r.dimensions) for r in scope.resources if r.kind == "certificate"]
    assert found == [(certificate, "configuration", {"CertificateArn": certificate})]
