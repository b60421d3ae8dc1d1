"""The world's network: a VPC as a careful team would build it, and the three ways the workshop breaks it.

Two public subnets (the load balancer's) share a route table whose default route is the internet
gateway; two private app subnets (the tasks') each have a route table whose default route is a NAT
gateway, and a DynamoDB gateway endpoint is attached to both. Network ACLs allow the service's
traffic, including the TCP 1024-65535 return traffic stateless ACLs need. A misconfiguration
always hits the subnet of zone ``MISCONFIGURED_ZONE``, so a scenario knows whose tasks suffer; the
API calls that made it are kept so CloudTrail can tell them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .world import NetworkFault

VPC_CIDR = "10.0.0.0/16"
MISCONFIGURED_ZONE = "b"
EPHEMERAL = {"From": 1024, "To": 65535}


@dataclass(frozen=True)
class Subnet:
    id: str
    zone: str  # us-east-1a
    cidr: str


@dataclass
class Network:
    vpc: str
    public: list[Subnet]
    app: list[Subnet]
    balancer_group: str
    app_group: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (EventName, requestParameters)


def _rule(number: int, egress: bool, cidr: str, ports: dict[str, int]) -> dict[str, Any]:
    return {"RuleNumber": number, "Protocol": "6", "RuleAction": "allow", "Egress": egress, "CidrBlock": cidr,
            "PortRange": ports}  # fmt: skip


def _port(port: int) -> dict[str, int]:
    return {"From": port, "To": port}


# The load balancer: clients on the internet, targets in the VPC.
PUBLIC_RULES = (
    _rule(100, False, "0.0.0.0/0", _port(443)),
    _rule(110, False, "0.0.0.0/0", _port(80)),
    _rule(120, False, "0.0.0.0/0", EPHEMERAL),  # the targets' replies
    _rule(100, True, VPC_CIDR, _port(8080)),
    _rule(110, True, "0.0.0.0/0", EPHEMERAL),  # replies to the clients
)
# The tasks: requests from the load balancer; calls out to the database, DynamoDB and the internet.
APP_RULES = (
    _rule(100, False, VPC_CIDR, _port(8080)),
    _rule(110, False, "0.0.0.0/0", EPHEMERAL),  # replies to the tasks' own calls
    _rule(100, True, "0.0.0.0/0", _port(443)),
    _rule(110, True, VPC_CIDR, {"From": 3306, "To": 5432}),
    _rule(120, True, VPC_CIDR, EPHEMERAL),  # replies to the load balancer
)


def _acl(
    ec2: Any,
    vpc: str,
    rules: tuple[dict[str, Any], ...],
    calls: list[tuple[str, dict[str, Any]]] | None = None,
) -> str:
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for rule in rules:
        ec2.create_network_acl_entry(NetworkAclId=acl, **rule)
    if calls is not None:
        calls.append(("CreateNetworkAcl", {"vpcId": vpc}))
        calls += [("CreateNetworkAclEntry", {"networkAclId": acl, "ruleNumber": r["RuleNumber"], "egress": r["Egress"]})
                  for r in rules]  # fmt: skip
    return str(acl)


def _associate_acl(ec2: Any, vpc: str, subnet: str, acl: str) -> str:
    """Moves the subnet from the VPC's default ACL to ``acl``; returns the new association's id."""
    default = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.subnet-id", "Values": [subnet]}]
    )["NetworkAcls"][0]
    association = next(a for a in default["Associations"] if a["SubnetId"] == subnet)
    return str(
        ec2.replace_network_acl_association(
            AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl
        )["NewAssociationId"]
    )


def _route_table(ec2: Any, vpc: str, subnets: list[Subnet], **default_route: str) -> str:
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    if default_route:
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", **default_route)
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet.id)
    return str(table)


def _security_groups(ec2: Any, vpc: str, service: str) -> tuple[str, str]:
    balancer = ec2.create_security_group(GroupName=f"{service}-alb", Description="load balancer", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=balancer,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
                       for p in (80, 443)],
    )  # fmt: skip
    app = ec2.create_security_group(GroupName=f"{service}-tasks", Description="tasks", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=app,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": balancer}],
            }
        ],
    )
    return str(balancer), str(app)


def build_network(ec2: Any, region: str, service: str, fault: NetworkFault | None) -> Network:
    vpc = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]["VpcId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)

    def subnet(third_octet: int, zone: str) -> Subnet:
        cidr = f"10.0.{third_octet}.0/24"
        created = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=f"{region}{zone}")["Subnet"]
        return Subnet(id=created["SubnetId"], zone=f"{region}{zone}", cidr=cidr)

    public = [subnet(1, "a"), subnet(2, "b")]
    app = [subnet(11, "a"), subnet(12, "b")]
    network = Network(vpc, public, app, *_security_groups(ec2, vpc, service))
    odd = 1  # the subnets of MISCONFIGURED_ZONE
    lb_wrong = fault == "lb_subnet_wrong_route_table"
    _route_table(ec2, vpc, public[:odd] if lb_wrong else public, GatewayId=gateway)
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public[0].id, AllocationId=address)["NatGateway"]["NatGatewayId"]
    isolated = fault == "endpoint_route_missing"
    private_tables = [
        _route_table(ec2, vpc, [s], **({} if isolated and i == odd else {"NatGatewayId": nat}))
        for i, s in enumerate(app)
    ]
    with_endpoint = [t for i, t in enumerate(private_tables) if not (isolated and i == odd)]
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{region}.dynamodb",
        VpcEndpointType="Gateway",
        RouteTableIds=with_endpoint,
    )
    if isolated:
        network.calls.append(
            ("ReplaceRouteTableAssociation", {"routeTableId": private_tables[odd], "subnetId": app[odd].id})
        )
    if lb_wrong:
        # The app subnet's private table: replies to clients leave through the NAT gateway and never arrive.
        association = ec2.associate_route_table(RouteTableId=private_tables[odd], SubnetId=public[odd].id)
        network.calls.append(
            (
                "ReplaceRouteTableAssociation",
                {"associationId": association["AssociationId"], "routeTableId": private_tables[odd]},
            )
        )
    public_acl = _acl(ec2, vpc, PUBLIC_RULES)
    app_acl = _acl(ec2, vpc, APP_RULES)
    for s in public:
        _associate_acl(ec2, vpc, s.id, public_acl)
    for i, s in enumerate(app):
        acl = app_acl
        if fault == "nacl_missing_ephemeral" and i == odd:
            without_return = tuple(r for r in APP_RULES if r["PortRange"] != EPHEMERAL)
            acl = _acl(ec2, vpc, without_return, network.calls)
        association = _associate_acl(ec2, vpc, s.id, acl)
        if acl != app_acl:
            network.calls.append(
                ("ReplaceNetworkAclAssociation", {"associationId": association, "networkAclId": acl})
            )
    return network
