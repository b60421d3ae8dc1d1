"""The resources gatherer: target health, services, functions, databases, queues and the subnets around them.

The network and SQS run against the emulator (moto is faithful for VPCs, route tables, ACLs,
endpoints, security groups and queues); target health reasons and RDS events, which moto never
produces, use botocore's Stubber with responses in the real API shape.
"""

from __future__ import annotations

import ipaddress
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber
from moto import mock_aws

from alarm_analyzer.aws import AwsClients, sequential
from alarm_analyzer.events import parse_alarm_event
from alarm_analyzer.gather.network import allows_return_traffic, rule_texts
from alarm_analyzer.gather.rds import locate, member_resources
from alarm_analyzer.gather.resources import classify_failure, gather_resources, max_connections
from alarm_analyzer.models import HealthCheck, Resource, Result, TargetGroupRef
from alarm_analyzer.pipeline import gather, resolve
from alarm_analyzer.settings import GathererSettings
from tests.factories import STATE_CHANGE, alarm_event, context_for

pytestmark = pytest.mark.usefixtures("aws_env")

REGION = "eu-west-1"  # the factories' alarms live there
ACCOUNT = "123456789012"
VPC_RANGE = ipaddress.IPv4Network("10.0.0.0/16")


@pytest.fixture
def clients() -> Iterator[AwsClients]:
    with mock_aws():
        yield AwsClients(region=REGION)


def _alarm(namespace: str, metric: str, dimensions: dict[str, str]) -> dict[str, Any]:
    event = alarm_event(namespace=namespace, metric=metric, dimensions=dimensions)
    event["detail"]["alarmTags"] = {}  # tags travel with the event: no tag lookup
    return event


def _gathered(event: dict[str, Any], clients: AwsClients, settings: GathererSettings | None = None) -> Result:
    """The scope resolved (with clients of its own), then the resources gathered with ``clients``."""
    return gather("resources", resolve(event, AwsClients(region=REGION)), clients, settings)


def _resources(event: dict[str, Any], clients: AwsClients, settings: GathererSettings | None = None) -> Any:
    data = _gathered(event, clients, settings).data
    assert data is not None
    return data


# --- the network -------------------------------------------------------------------------------


@dataclass
class WebVpc:
    """Two public (ALB) and two app subnets, configured with the workshop's three mistakes:
    public-b on the app route table (default route to NAT), app-b's ACL without the ephemeral-port
    return rule, and the DynamoDB gateway endpoint only on app-a's route table."""

    vpc: str
    public_a: str
    public_b: str
    app_a: str
    app_b: str
    nat: str
    igw: str
    lb_sg: str
    app_sg: str
    app_table_a: str
    app_acl_b: str


def _build_web_vpc(ec2: Any) -> WebVpc:
    vpc = ec2.create_vpc(CidrBlock=str(VPC_RANGE))["Vpc"]["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)

    def subnet(cidr: str, zone: str) -> str:
        return str(ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"])

    public_a, public_b = subnet("10.0.0.0/24", "eu-west-1a"), subnet("10.0.1.0/24", "eu-west-1b")
    app_a, app_b = subnet("10.0.10.0/24", "eu-west-1a"), subnet("10.0.11.0/24", "eu-west-1b")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public_a, AllocationId=allocation)["NatGateway"]["NatGatewayId"]

    def table(route: dict[str, str], *subnets: str) -> str:
        table_id = str(ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"])
        ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", **route)
        for subnet_id in subnets:
            ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
        return table_id

    table({"GatewayId": igw}, public_a)
    app_table_a = table({"NatGatewayId": nat}, app_a, public_b)  # public-b on the app table: the mistake
    table({"NatGatewayId": nat}, app_b)
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        VpcEndpointType="Gateway",
        ServiceName=f"com.amazonaws.{REGION}.dynamodb",
        RouteTableIds=[app_table_a],
    )
    app_acl_b = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for egress, number, protocol, ports in ((False, 100, "-1", None), (True, 100, "6", (443, 443))):
        extra = {"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}
        ec2.create_network_acl_entry(
            NetworkAclId=app_acl_b, RuleNumber=number, Protocol=protocol, RuleAction="allow",
            Egress=egress, CidrBlock="0.0.0.0/0", **extra,
        )  # fmt: skip
    current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [app_b]}])
    association = next(
        a["NetworkAclAssociationId"]
        for acl in current["NetworkAcls"]
        for a in acl["Associations"]
        if a["SubnetId"] == app_b
    )
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=app_acl_b)
    lb_sg = ec2.create_security_group(GroupName="web-lb", Description="lb", VpcId=vpc)["GroupId"]
    app_sg = ec2.create_security_group(GroupName="web-app", Description="app", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=lb_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=app_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": lb_sg}]}
        ],
    )
    return WebVpc(vpc, public_a, public_b, app_a, app_b, nat, igw, lb_sg, app_sg, app_table_a, app_acl_b)


def _web_service(clients: AwsClients, net: WebVpc, per_target_group: bool = True) -> dict[str, Any]:
    """An ALB in the public subnets, IP targets and an ECS service in the app subnets; its 5XX alarm,
    on the target group or on the whole load balancer."""
    elbv2, ecs = clients.client("elbv2"), clients.client("ecs")
    balancer = elbv2.create_load_balancer(
        Name="web", Subnets=[net.public_a, net.public_b], SecurityGroups=[net.lb_sg]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group = elbv2.create_target_group(
        Name="web-tg", Protocol="HTTP", Port=8080, VpcId=net.vpc, TargetType="ip",
        HealthCheckPath="/health", Matcher={"HttpCode": "200"},
    )["TargetGroups"][0]["TargetGroupArn"]  # fmt: skip
    elbv2.create_listener(
        LoadBalancerArn=balancer, Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )  # fmt: skip
    elbv2.register_targets(
        TargetGroupArn=group, Targets=[{"Id": "10.0.10.10", "Port": 8080}, {"Id": "10.0.11.10", "Port": 8080}]
    )
    ecs.create_cluster(clusterName="web")
    task = ecs.register_task_definition(
        family="web-api",
        networkMode="awsvpc",
        containerDefinitions=[
            {"name": "app", "image": "web-api:42", "memory": 512,
             "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web-api"}}}
        ],
    )["taskDefinition"]["taskDefinitionArn"]  # fmt: skip
    ecs.create_service(
        cluster="web", serviceName="web-api", taskDefinition=task, desiredCount=2,
        loadBalancers=[{"targetGroupArn": group, "containerName": "app", "containerPort": 8080}],
        networkConfiguration={"awsvpcConfiguration": {"subnets": [net.app_a, net.app_b], "securityGroups": [net.app_sg]}},
    )  # fmt: skip
    dimensions = {"LoadBalancer": balancer.split(":loadbalancer/")[1]}
    if per_target_group:
        dimensions["TargetGroup"] = group.rsplit(":", 1)[1]
    return _alarm("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimensions)


def test_the_subnet_that_differs_is_named_with_what_differs(clients: AwsClients) -> None:
    net = _build_web_vpc(clients.client("ec2"))
    data = _resources(_web_service(clients, net), clients)

    assert data.network is not None
    assert data.network.vpc == net.vpc
    roles = {(view.id, view.role) for view in data.network.subnets}
    assert roles == {
        (net.public_a, "load balancer"), (net.public_b, "load balancer"),
        (net.app_a, "targets"), (net.app_b, "targets"),
    }  # fmt: skip
    found = {(d.subnet, d.role, d.aspect): d for d in data.network.differences}
    # Exactly the three mistakes; public-a is not blamed for lacking an endpoint a load balancer never uses.
    assert set(found) == {
        (net.public_b, "load balancer", "default_route"),
        (net.app_b, "targets", "acl_outbound_return"),
        (net.app_b, "targets", "endpoint"),
    }
    route = found[net.public_b, "load balancer", "default_route"]
    assert route.value.startswith(net.nat)
    assert route.zone == "eu-west-1b"
    assert net.igw in route.others
    acl = found[net.app_b, "targets", "acl_outbound_return"]
    assert net.app_acl_b in acl.value
    assert acl.others == "allowed"
    endpoint = found[net.app_b, "targets", "endpoint"]
    assert endpoint.value == "no gateway endpoint"
    assert endpoint.others == f"com.amazonaws.{REGION}.dynamodb"
    app_b = next(v for v in data.network.subnets if v.id == net.app_b)
    assert app_b.acl_inbound_return  # its ingress allows everything: only the outbound side is missing
    (gateway,) = data.network.endpoints
    assert gateway.type == "Gateway"
    assert gateway.route_tables == [net.app_table_a]


def test_targets_services_and_security_groups_come_with_the_network(
    clients: AwsClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = _build_web_vpc(clients.client("ec2"))
    the_alarm = _web_service(clients, net, per_target_group=False)
    gathering = AwsClients(region=REGION)
    elbv2 = gathering.client("elbv2")
    healthy = elbv2.describe_target_health

    def failing(**request: Any) -> Any:  # moto never fails a health check: these targets time out
        found = healthy(**request)
        for target in found["TargetHealthDescriptions"]:
            target["TargetHealth"] = {"State": "unhealthy", "Reason": "Target.Timeout"}
        return found

    monkeypatch.setattr(elbv2, "describe_target_health", failing)
    data = _resources(the_alarm, gathering)
    made = gathering.calls

    (group,) = data.target_groups
    assert group.name == "web-tg"
    assert group.health_check.path == "/health"
    assert group.health_check.matcher == "200"
    # moto gives no zone: each target's zone is that of the subnet whose CIDR holds its address.
    assert {t.id: t.zone for t in group.targets} == {"10.0.10.10": "eu-west-1a", "10.0.11.10": "eu-west-1b"}
    (service,) = data.services
    assert (service.cluster, service.name, service.desired) == ("web", "web-api", 2)
    assert service.log_groups == ["/ecs/web-api"]
    assert service.security_groups == [net.app_sg]
    rules = {g.id: g for g in data.network.security_groups} if data.network else {}
    assert "tcp 80 from 0.0.0.0/0" in rules[net.lb_sg].inbound
    assert f"tcp 8080 from {net.lb_sg}" in rules[net.app_sg].inbound
    assert group.arn in data.looked_at
    assert "web/web-api" in data.looked_at
    ec2_calls = sum(count for call, count in made.items() if call.startswith("ec2:"))
    assert ec2_calls == 4  # one describe per kind for the whole VPC, never one per subnet
    # The scope read the VPC's route tables to find the NAT gateway the app subnets go out through: the
    # network compares the subnets with the same tables, and a gateway found that way is not described.
    assert "ec2:DescribeRouteTables" not in made
    assert data.nat_gateways == []
    assert {v.default_route for v in data.network.subnets if v.role == "targets"} == {net.nat}
    assert "elbv2:DescribeTargetGroups" not in made  # the scope described them
    assert made.total() <= 10


def test_an_alarm_on_a_target_group_finds_the_service_behind_it_and_healthy_targets_skip_the_rules(
    clients: AwsClients,
) -> None:
    net = _build_web_vpc(clients.client("ec2"))
    data = _resources(_web_service(clients, net), clients)

    assert [s.name for s in data.services] == ["web-api"]
    assert data.network.security_groups == []  # every target healthy: nothing for the rules to explain
    assert "ec2:DescribeSecurityGroups" not in clients.calls


def test_a_refused_part_becomes_a_limitation_and_the_rest_is_still_found(
    clients: AwsClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = _build_web_vpc(clients.client("ec2"))
    the_alarm = _web_service(clients, net)

    def refused(**_: Any) -> Any:
        error = {
            "Code": "UnauthorizedOperation",
            "Message": "You are not authorized to perform this operation.",
        }
        raise ClientError({"Error": error}, "DescribeNetworkAcls")

    monkeypatch.setattr(clients.client("ec2"), "describe_network_acls", refused)
    result = _gathered(the_alarm, clients)
    data = result.data
    assert data is not None

    (note,) = result.notes
    assert (note.code, note.params["part"], note.params["error"]) == (
        "unavailable",
        "network_acls",
        "UnauthorizedOperation",
    )
    assert data.network is not None
    aspects = {(d.subnet, d.aspect) for d in data.network.differences}
    assert (net.public_b, "default_route") in aspects
    assert (net.app_b, "endpoint") in aspects
    assert not any(aspect.startswith("acl_") for _, aspect in aspects)  # unknown, not "allowed"
    assert all(view.network_acl is None for view in data.network.subnets)
    assert len(data.target_groups[0].targets) == 2


# --- network ACL evaluation ----------------------------------------------------------------------


def _entry(number: int, action: str, *, egress: bool = True, protocol: str = "6", cidr: str = "0.0.0.0/0",
           ports: tuple[int, int] | None = (1024, 65535)) -> dict[str, Any]:  # fmt: skip
    entry: dict[str, Any] = {"RuleNumber": number, "RuleAction": action, "Egress": egress, "Protocol": protocol,
                             "CidrBlock": cidr}  # fmt: skip
    if ports and protocol != "-1":
        entry["PortRange"] = {"From": ports[0], "To": ports[1]}
    return entry


INTERNET = ipaddress.IPv4Network("0.0.0.0/0")


def test_acl_rules_are_read_in_number_order_and_the_first_match_wins() -> None:
    allow_all = _entry(100, "allow", protocol="-1")
    deny_ephemeral = _entry(90, "deny")
    default_deny = _entry(32767, "deny", protocol="-1")
    # Listed out of order on purpose: the API does not sort entries.
    assert not allows_return_traffic([allow_all, default_deny, deny_ephemeral], True, INTERNET)
    deny_after = _entry(110, "deny")
    assert allows_return_traffic([deny_after, default_deny, allow_all], True, INTERNET)


def test_acl_return_traffic_needs_the_whole_range_the_direction_and_the_peer() -> None:
    default_deny = _entry(32767, "deny", protocol="-1")
    low_half = _entry(100, "allow", ports=(1024, 32767))
    assert not allows_return_traffic([low_half, default_deny], True, INTERNET)
    ingress_only = _entry(100, "allow", egress=False)
    assert not allows_return_traffic([ingress_only, default_deny], True, INTERNET)
    assert allows_return_traffic([ingress_only, default_deny], False, INTERNET)
    vpc_only = _entry(100, "allow", cidr="10.0.0.0/8")
    assert allows_return_traffic([vpc_only, default_deny], True, VPC_RANGE)
    assert not allows_return_traffic([vpc_only, default_deny], True, INTERNET)
    udp = {**_entry(100, "allow"), "Protocol": "17"}
    assert not allows_return_traffic([udp, default_deny], True, INTERNET)


def test_security_group_rules_read_as_lines() -> None:
    permissions: list[dict[str, Any]] = [
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/16"}]},
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-0app"}],
         "PrefixListIds": [{"PrefixListId": "pl-0abc"}]},
        {"IpProtocol": "tcp", "FromPort": 1024, "ToPort": 65535, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
    ]  # fmt: skip
    assert rule_texts(permissions, "from") == [
        "all from 10.0.0.0/16",
        "tcp 5432 from sg-0app",
        "tcp 5432 from pl-0abc",
        "tcp 1024-65535 from ::/0",
    ]


# --- target health (Stubber: moto never reports an unhealthy target) ------------------------------


def test_target_health_reasons_and_zones_survive(clients: AwsClients) -> None:
    ec2 = clients.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.10.0/24", AvailabilityZone="eu-west-1a")["Subnet"]
    subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.11.0/24", AvailabilityZone="eu-west-1b")["Subnet"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance_a, instance_b = (
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=s["SubnetId"])["Instances"][0][
            "InstanceId"
        ]
        for s in (subnet_a, subnet_b)
    )
    group_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/web-tg/00aa11bb22cc33dd"
    balancer_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/0123456789abcdef"
    elbv2 = boto3.client("elbv2", region_name=REGION)
    stub = Stubber(elbv2)
    # The scope described the target group (its health check); the gatherer asks for its health.
    described = TargetGroupRef(
        arn=group_arn, name="web-tg", load_balancers=[balancer_arn], vpc=vpc, target_type="instance",
        health_check=HealthCheck(protocol="HTTP", path="/", matcher="200", unhealthy_threshold=2),
    )  # fmt: skip
    stub.add_response(
        "describe_load_balancers",
        {"LoadBalancers": [{
            "LoadBalancerArn": balancer_arn, "LoadBalancerName": "web", "Scheme": "internet-facing", "VpcId": vpc,
            "Type": "application", "SecurityGroups": [],
            "AvailabilityZones": [{"ZoneName": "eu-west-1a", "SubnetId": subnet_a["SubnetId"]}],
        }]},
        {"LoadBalancerArns": [balancer_arn]},
    )  # fmt: skip
    unhealthy_299 = {"State": "unhealthy", "Reason": "Target.ResponseCodeMismatch",
                     "Description": "Health checks failed with these codes: [299]"}  # fmt: skip
    timed_out = {"State": "unhealthy", "Reason": "Target.Timeout", "Description": "Request timed out"}
    stub.add_response(
        "describe_target_health",
        {"TargetHealthDescriptions": [
            {"Target": {"Id": instance_a, "Port": 80}, "HealthCheckPort": "80", "TargetHealth": unhealthy_299},
            {"Target": {"Id": instance_b, "Port": 80}, "HealthCheckPort": "80", "TargetHealth": timed_out},
            {"Target": {"Id": "10.9.0.5", "Port": 80, "AvailabilityZone": "all"}, "HealthCheckPort": "80",
             "TargetHealth": {"State": "healthy"}},
        ]},
        {"TargetGroupArn": group_arn},
    )  # fmt: skip
    stub.activate()
    stubbed = AwsClients(region=REGION, elbv2=elbv2)
    the_alarm = _alarm(
        "AWS/ApplicationELB",
        "UnHealthyHostCount",
        {"LoadBalancer": "app/web/0123456789abcdef", "TargetGroup": "targetgroup/web-tg/00aa11bb22cc33dd"},
    )
    context = context_for(stubbed, parse_alarm_event(the_alarm), target_groups=[described])
    with sequential():  # Stubber answers in the order responses were queued
        (group,) = gather_resources(context).target_groups
    stub.assert_no_pending_responses()

    targets = {t.id: t for t in group.targets}
    assert targets[instance_a].reason == "Target.ResponseCodeMismatch"
    assert targets[instance_a].description == "Health checks failed with these codes: [299]"
    assert targets[instance_b].reason == "Target.Timeout"
    assert group.health_check.matcher == "200"
    assert group.health_check.unhealthy_threshold == 2
    # Instance targets take their instance's zone; a zone given by the API is kept as given.
    assert group.by_zone() == {
        "eu-west-1a": {"unhealthy": 1},
        "eu-west-1b": {"unhealthy": 1},
        "all": {"healthy": 1},
    }


# --- queues ----------------------------------------------------------------------------------------


def _queues_with_a_dead_letter(
    clients: AwsClients, body: str, attributes: dict[str, Any] | None = None
) -> str:
    sqs = clients.client("sqs")
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})
    sqs.create_queue(QueueName="orders", Attributes={"RedrivePolicy": policy})
    sqs.send_message(QueueUrl=dlq, MessageBody=body, MessageAttributes=attributes or {})
    return str(dlq)


def test_a_source_queue_leads_to_its_dead_letters_peeked_without_consuming(clients: AwsClients) -> None:
    body = json.dumps({"order": 81, "error": "ValidationError: missing required field customer_id",
                       "db_password": "hunter2"})  # fmt: skip
    dlq = _queues_with_a_dead_letter(clients, body)
    the_alarm = _alarm("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "orders"})
    data = _resources(the_alarm, clients, GathererSettings(PEEK_DEAD_LETTERS=True))

    source, dead = data.queues
    assert source.name == "orders"
    assert source.dead_letter_target is not None
    assert source.dead_letter_target.endswith(":orders-dlq")
    assert source.max_receive_count == 5
    assert not source.is_dead_letter_queue
    assert source.peeked is None
    assert (dead.name, dead.is_dead_letter_queue, dead.visible) == ("orders-dlq", True, 1)
    assert [(link.kind, link.source) for link in dead.dead_letters] == [("sqs_redrive", "orders")]
    assert dead.peeked is not None
    assert dead.peeked.classification == "permanent"
    assert dead.peeked.matched == "ValidationError"
    assert "hunter2" not in dead.peeked.sample
    assert "<redacted>" in dead.peeked.sample
    assert "sqs:DeleteMessage" not in clients.calls
    left = clients.client("sqs").receive_message(QueueUrl=dlq, MaxNumberOfMessages=1)
    assert len(left.get("Messages", [])) == 1  # still there for a redrive


def test_dead_letters_are_not_read_unless_opted_in(clients: AwsClients) -> None:
    _queues_with_a_dead_letter(clients, '{"order": 81}')
    the_alarm = _alarm("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "orders"})
    data = _resources(the_alarm, clients)

    assert [q.name for q in data.queues] == ["orders", "orders-dlq"]
    assert data.queues[1].visible == 1  # the depth is still read
    assert all(q.peeked is None for q in data.queues)
    assert "sqs:ReceiveMessage" not in clients.calls


def test_an_alarm_on_a_dead_letter_queue_classifies_lambdas_error_attribute(clients: AwsClients) -> None:
    attributes = {"ErrorMessage": {"DataType": "String", "StringValue": "Task timed out after 30.00 seconds"},
                  "RequestID": {"DataType": "String", "StringValue": "0c5e6f0e"}}  # fmt: skip
    _queues_with_a_dead_letter(clients, '{"order": 82}', attributes)
    the_alarm = _alarm("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "orders-dlq"})
    (dead,) = _resources(the_alarm, clients, GathererSettings(PEEK_DEAD_LETTERS=True)).queues

    assert dead.is_dead_letter_queue
    assert [(link.kind, link.source) for link in dead.dead_letters] == [("sqs_redrive", "orders")]
    assert dead.peeked is not None
    assert (dead.peeked.classification, dead.peeked.matched) == ("transient", "timed out")
    assert dead.peeked.receive_count == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("upstream returned HTTP 503 Service Unavailable", "transient"),
        ("ThrottlingException: Rate exceeded", "transient"),
        ("status code 429 from partner API", "transient"),
        ("ECONNRESET: connection reset by peer", "transient"),
        ("status code 404 for /customers/81", "permanent"),
        ("JSON parse error at line 1", "permanent"),
        ("KeyError: missing 'customer_id' field", "permanent"),
        ("Validation failed before the timeout", "permanent"),  # the earliest words decide
        ('{"order": 404, "amount": 503}', "unknown"),  # numbers in a payload are not status codes
    ],
)
def test_failures_are_told_permanent_from_transient(text: str, expected: str) -> None:
    assert classify_failure(text)[0] == expected


# --- functions and databases ---------------------------------------------------------------------


def _zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def test_a_function_reports_its_limits_and_its_subnets(clients: AwsClients) -> None:
    ec2 = clients.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.0.20.0/24", "eu-west-1a"), ("10.0.21.0/24", "eu-west-1b"))
    ]
    group = ec2.create_security_group(GroupName="fn", Description="fn", VpcId=vpc)["GroupId"]
    role = boto3.client("iam").create_role(
        RoleName="fn", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
    )["Role"]["Arn"]
    awslambda = clients.client("lambda")
    awslambda.create_function(
        FunctionName="checkout", Runtime="python3.13", Role=role, Handler="app.handler", Code={"ZipFile": _zip()},
        Timeout=30, MemorySize=512, VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": [group]},
    )  # fmt: skip
    awslambda.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=7)
    data = _resources(_alarm("AWS/Lambda", "Duration", {"FunctionName": "checkout"}), clients)

    (function,) = data.functions
    assert (function.timeout_s, function.memory_mb, function.reserved_concurrency) == (30, 512, 7)
    assert function.runtime == "python3.13"
    assert function.last_modified is not None
    assert function.subnets == subnets
    assert data.network is not None
    assert sorted(v.id for v in data.network.subnets if v.role == "function") == sorted(subnets)
    assert data.looked_at[0] == "checkout"


def test_a_database_reports_its_limit_and_recent_events() -> None:
    rds = boto3.client("rds", region_name=REGION)
    stub = Stubber(rds)
    stub.add_response(
        "describe_db_instances",
        {"DBInstances": [{
            "DBInstanceIdentifier": "ledger-db", "DBInstanceClass": "db.r6g.large", "Engine": "postgres",
            "DBInstanceStatus": "available", "MultiAZ": True,
            "DBParameterGroups": [{"DBParameterGroupName": "ledger-pg16", "ParameterApplyStatus": "in-sync"}],
            "VpcSecurityGroups": [], "DBSubnetGroup": {"DBSubnetGroupName": "ledger", "Subnets": []},
        }]},
        {"Filters": [{"Name": "db-instance-id", "Values": ["ledger-db"]}]},
    )  # fmt: skip
    stub.add_response(
        "describe_db_parameters",
        {"Parameters": [{"ParameterName": "max_connections", "ParameterValue": "LEAST({DBInstanceClassMemory/9531392},5000)",
                         "Source": "user"}]},
        {"DBParameterGroupName": "ledger-pg16", "Source": "user"},
    )  # fmt: skip
    failover_at = STATE_CHANGE - timedelta(minutes=20)
    stub.add_response(
        "describe_events",
        {"Events": [{"SourceIdentifier": "ledger-db", "SourceType": "db-instance", "Date": failover_at,
                     "Message": "Multi-AZ instance failover started.", "EventCategories": ["failover"]}]},
        {"SourceType": "db-instance", "SourceIdentifier": "ledger-db", "StartTime": ANY, "EndTime": ANY,
         "MaxRecords": 100},
    )  # fmt: skip
    stub.activate()
    the_alarm = parse_alarm_event(
        _alarm("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "ledger-db"})
    )
    with mock_aws(), sequential():
        data = gather_resources(context_for(AwsClients(region=REGION, rds=rds), the_alarm))
    stub.assert_no_pending_responses()

    (database,) = data.databases
    assert (database.engine, database.status, database.multi_az) == ("postgres", "available", True)
    assert database.max_connections == 16 * 1024**3 // 9531392  # the parameter group's formula, 16 GiB
    (event,) = database.events
    assert (event.at, event.categories) == (failover_at, ["failover"])


def test_the_scope_reads_a_database_once_and_brings_its_replicas_and_a_replica_s_source() -> None:
    rds = boto3.client("rds", region_name=REGION)
    stub = Stubber(rds)
    stub.add_response(
        "describe_db_instances",
        {"DBInstances": [
            {"DBInstanceIdentifier": "claims-db", "Engine": "postgres", "ReadReplicaDBInstanceIdentifiers": ["claims-db-ro"],
             "DBSubnetGroup": {"DBSubnetGroupName": "claims", "VpcId": "vpc-0a1b2c3d",
                               "Subnets": [{"SubnetIdentifier": "subnet-0a1"}, {"SubnetIdentifier": "subnet-0b2"}]},
             "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-0db", "Status": "active"}]},
            {"DBInstanceIdentifier": "reports-db-ro", "Engine": "postgres",
             "ReadReplicaSourceDBInstanceIdentifier": "reports-db"},
        ]},
        {"Filters": [{"Name": "db-instance-id", "Values": ["claims-db", "reports-db-ro"]}]},
    )  # fmt: skip
    stub.activate()
    the_alarm = parse_alarm_event(_alarm("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "claims-db"}))
    context = context_for(AwsClients(region=REGION, rds=rds), the_alarm)
    in_scope = [
        Resource(kind="rds_instance", id=name, namespace="AWS/RDS", dimensions={"DBInstanceIdentifier": name})
        for name in ("claims-db", "reports-db-ro")
    ]
    with sequential():
        located = locate(context, in_scope)
    stub.assert_no_pending_responses()
    assert [(r.id, r.via) for r in member_resources(located)] == [
        ("claims-db-ro", "configuration"),
        ("reports-db", "configuration"),
    ]
    assert (located[0].vpc, located[0].subnets, located[0].security_groups) == (
        "vpc-0a1b2c3d",
        ["subnet-0a1", "subnet-0b2"],
        ["sg-0db"],
    )


@pytest.mark.parametrize(
    ("engine", "instance_class", "configured", "expected"),
    [
        ("postgres", "db.t3.micro", None, 1024**3 // 9531392),  # engine default for 1 GiB
        ("postgres", "db.r5.24xlarge", None, 5000),  # LEAST(..., 5000) caps it
        ("mysql", "db.m5.large", None, 8 * 1024**3 // 12582880),
        ("mysql", "db.m5.large", "600", 600),  # a number in the parameter group wins
        ("aurora-mysql", "db.r6g.large", None, None),  # its default is a log formula: unknown
        ("postgres", "db.x2g.large", None, None),  # memory not in the table
    ],
)
def test_max_connections(
    engine: str, instance_class: str, configured: str | None, expected: int | None
) -> None:
    assert max_connections(engine, instance_class, configured) == expected
