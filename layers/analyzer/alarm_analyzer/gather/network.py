"""The network around the alarmed resource: routes, network ACLs, endpoints and security groups, compared.

A fault that hits one Availability Zone or a share of requests is usually one subnet configured
unlike its siblings: an ALB subnet on the private route table (asymmetric return path), a network
ACL without the ephemeral-port return rule, an app subnet whose route table lacks the gateway
endpoint the other one has. So every subnet is described the same way and, within each role, the
one that differs from the others is named with the aspect that differs.

Every describe is one call for the whole VPC (filters, not one call per subnet): about five calls.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..models import (
    EndpointView,
    NetworkState,
    RouteTables,
    SecurityGroupView,
    SubnetDifference,
    SubnetView,
)
from . import GatherContext

MAX_SUBNETS_PER_ROLE = 10  # enough to cover every AZ of a region; keeps the summary small
MAX_INSTANCES = 50  # instance targets placed with one DescribeInstances call
MAX_SECURITY_GROUPS = 10
MAX_RULES_PER_GROUP = 20
MAX_ENDPOINTS = 20
MAX_ROUTED_SUBNETS = 50  # DescribeRouteTables takes up to 200 filter values; a service spans a few subnets
# Ephemeral ports (RFC 6056: 1024-65535; Linux starts at 32768): checking both ends and the Linux
# start catches an ACL that returns only part of the range.
EPHEMERAL_PORTS = (1024, 32768, 65535)
INTERNET = ipaddress.IPv4Network("0.0.0.0/0")

# Who a subnet's return traffic is exchanged with, per role: (inbound replies, outbound replies).
# Inbound replies answer the subnet's own calls; outbound replies answer its clients. "internet"
# also stands for AWS service endpoints reached through a NAT gateway.
_PEERS: dict[str, tuple[str, str]] = {
    "load balancer": ("vpc", "internet"),  # calls targets in the VPC; clients on the internet
    "targets": ("internet", "vpc"),  # calls out through NAT; clients are the load balancer
    "function": ("internet", "vpc"),
    "database": ("vpc", "vpc"),
}
# When two halves of a role disagree, the value a working subnet of that role would have.
_EXPECTED_ROUTE = {"load balancer": ("igw",), "targets": ("nat", "tgw"), "function": ("nat", "tgw")}
# Only where code runs does a missing gateway endpoint change where AWS API calls go.
_ENDPOINT_ROLES = frozenset({"targets", "function"})
_ROUTE_TARGETS = (
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "NetworkInterfaceId",
    "VpcPeeringConnectionId",
    "InstanceId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
)


@dataclass
class Placement:
    """Where the resources in scope sit, as the other lookups found it; filled in as they go."""

    vpcs: list[str] = field(default_factory=list)  # the alarmed resource's VPC first
    roles: dict[str, list[str]] = field(default_factory=dict)  # role -> subnet ids
    target_addresses: list[str] = field(default_factory=list)  # IP targets of the target groups
    target_instances: list[str] = field(default_factory=list)  # instance targets
    security_groups: list[str] = field(default_factory=list)
    target_zones: dict[str, str] = field(default_factory=dict)  # target id -> AZ, found here

    def add(
        self, role: str, subnets: Sequence[str], vpc: str | None = None, groups: Sequence[str] = ()
    ) -> None:
        if vpc and vpc not in self.vpcs:
            self.vpcs.append(vpc)
        known = self.roles.setdefault(role, [])
        known.extend(s for s in subnets if s not in known)
        self.security_groups.extend(g for g in groups if g not in self.security_groups)

    def merge(self, other: Placement) -> None:
        """Add what another lookup found; lookups run side by side, so they merge in a fixed order."""
        self.vpcs.extend(v for v in other.vpcs if v not in self.vpcs)
        for role, subnets in other.roles.items():
            self.add(role, subnets)
        self.security_groups.extend(g for g in other.security_groups if g not in self.security_groups)
        self.target_addresses.extend(a for a in other.target_addresses if a not in self.target_addresses)
        self.target_instances.extend(i for i in other.target_instances if i not in self.target_instances)


# --- network ACLs ------------------------------------------------------------------------------


def _entry_matches(entry: dict[str, Any], port: int, peer: ipaddress.IPv4Network) -> bool:
    if entry.get("Protocol") not in ("-1", "6"):
        return False
    ports = entry.get("PortRange")
    if entry["Protocol"] == "6" and ports and not ports.get("From", 0) <= port <= ports.get("To", 65535):
        return False
    network = ipaddress.ip_network(entry["CidrBlock"])
    return isinstance(network, ipaddress.IPv4Network) and peer.subnet_of(network)


def allows_return_traffic(
    entries: Sequence[dict[str, Any]], egress: bool, peer: ipaddress.IPv4Network
) -> bool:
    """Whether TCP on the ephemeral ports passes the ACL in one direction for the whole peer range.

    Network ACLs are stateless and evaluated in rule-number order, first match wins, so a deny with a
    lower number beats any allow after it; nothing matching means the final ``*`` deny.
    """
    ordered = sorted(
        (e for e in entries if bool(e.get("Egress")) == egress and e.get("CidrBlock")),
        key=lambda e: int(e["RuleNumber"]),
    )
    for port in EPHEMERAL_PORTS:
        first = next((e for e in ordered if _entry_matches(e, port, peer)), None)
        if first is None or first.get("RuleAction") != "allow":
            return False
    return True


# --- route tables and subnets ------------------------------------------------------------------


def _route_target(route: dict[str, Any]) -> str | None:
    return next((str(route[key]) for key in _ROUTE_TARGETS if route.get(key)), None)


def _table_of(subnet: str, tables: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The subnet's explicitly associated route table, else the VPC's main table."""
    main = None
    for table in tables:
        for association in table.get("Associations", []):
            if association.get("SubnetId") == subnet:
                return table
            if association.get("Main"):
                main = table
    return main


def default_route(table: dict[str, Any] | None) -> str | None:
    """Where the table sends traffic for the internet (0.0.0.0/0): a gateway, a NAT, an interface..."""
    routes = (table or {}).get("Routes", [])
    default = next((r for r in routes if r.get("DestinationCidrBlock") == str(INTERNET)), None)
    return _route_target(default) if default else None


def _vpc_ranges(table: dict[str, Any] | None) -> list[ipaddress.IPv4Network]:
    """The VPC's CIDR blocks, read from the route table's local routes."""
    routes = (table or {}).get("Routes", [])
    return [
        ipaddress.IPv4Network(r["DestinationCidrBlock"])
        for r in routes
        if r.get("GatewayId") == "local" and r.get("DestinationCidrBlock")
    ]


def _acl_of(subnet: str, acls: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    for acl in acls:
        if any(a.get("SubnetId") == subnet for a in acl.get("Associations", [])):
            return acl
    return None


def _returns(acl: dict[str, Any], egress: bool, peer: str, vpc: Sequence[ipaddress.IPv4Network]) -> bool:
    peers = [INTERNET] if peer == "internet" or not vpc else vpc
    return all(allows_return_traffic(acl.get("Entries", []), egress, p) for p in peers)


def subnet_view(
    subnet: dict[str, Any],
    role: str,
    tables: Sequence[dict[str, Any]] | None,
    acls: Sequence[dict[str, Any]] | None,
    endpoints: Sequence[dict[str, Any]],
) -> SubnetView:
    """One subnet as traffic sees it; parts whose lookup failed (None) stay unknown."""
    view = SubnetView(
        id=subnet["SubnetId"], zone=subnet.get("AvailabilityZone"), cidr=subnet.get("CidrBlock"), role=role
    )
    table = _table_of(view.id, tables or [])
    if table is not None:
        routes = table.get("Routes", [])
        view.route_table = table.get("RouteTableId")
        view.default_route = default_route(table)
        view.blackholes = [
            f"{r.get('DestinationCidrBlock') or r.get('DestinationPrefixListId') or r.get('DestinationIpv6CidrBlock')}"
            f" -> {_route_target(r) or '?'}"
            for r in routes
            if r.get("State") == "blackhole"
        ]
        view.endpoint_services = sorted(
            {str(e["ServiceName"]) for e in endpoints if view.route_table in e.get("RouteTableIds", [])}
        )
    acl = _acl_of(view.id, acls or [])
    if acl is not None:
        inbound_peer, outbound_peer = _PEERS.get(role, ("vpc", "vpc"))
        vpc = _vpc_ranges(table)
        view.network_acl = acl.get("NetworkAclId")
        view.acl_inbound_return = _returns(acl, False, inbound_peer, vpc)
        view.acl_outbound_return = _returns(acl, True, outbound_peer, vpc)
    return view


# --- comparing subnets of one role -------------------------------------------------------------


def _route_kind(view: SubnetView) -> str:
    return view.default_route.split("-", 1)[0] if view.default_route else "none"


def _route_text(view: SubnetView) -> str:
    return f"{view.default_route or 'no default route'} ({view.route_table})"


def _acl_text(allowed: bool, view: SubnetView) -> str:
    return "allowed" if allowed else f"TCP 1024-65535 blocked by {view.network_acl}"


@dataclass(frozen=True)
class _Aspect:
    name: Literal["default_route", "acl_inbound_return", "acl_outbound_return", "blackhole"]
    key: Callable[[SubnetView], object]  # what is compared
    text: Callable[[SubnetView], str]  # how it reads in the report
    expected: Callable[[str], tuple[object, ...]]  # per role: the values a working subnet has
    known: Callable[[SubnetView], bool]


_ASPECTS = (
    _Aspect("default_route", _route_kind, _route_text, lambda role: _EXPECTED_ROUTE.get(role, ()),
            lambda v: v.route_table is not None),
    _Aspect("acl_inbound_return", lambda v: v.acl_inbound_return, lambda v: _acl_text(v.acl_inbound_return, v),
            lambda role: (True,), lambda v: v.network_acl is not None),
    _Aspect("acl_outbound_return", lambda v: v.acl_outbound_return, lambda v: _acl_text(v.acl_outbound_return, v),
            lambda role: (True,), lambda v: v.network_acl is not None),
    _Aspect("blackhole", lambda v: bool(v.blackholes), lambda v: ", ".join(v.blackholes) or "none",
            lambda role: (False,), lambda v: v.route_table is not None),
)  # fmt: skip


def _usual(keys: Counter[object], preferred: tuple[object, ...]) -> object | None:
    """The value most subnets share; on a tie, the one a working subnet has; None if still undecided."""
    ranked = keys.most_common()
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    tied = {key for key, count in ranked if count == ranked[0][1]}
    return next((key for key in preferred if key in tied), None)


def _differences_in(role: str, views: Sequence[SubnetView], aspect: _Aspect) -> list[SubnetDifference]:
    known = [v for v in views if aspect.known(v)]
    keys = Counter(aspect.key(v) for v in known)
    if len(keys) < 2:
        return []
    usual = _usual(keys, aspect.expected(role))
    found = []
    for view in known:
        if usual is not None and aspect.key(view) == usual:
            continue
        others = sorted(
            {aspect.text(o) for o in known if o is not view and aspect.key(o) != aspect.key(view)}
        )
        found.append(
            SubnetDifference(subnet=view.id, zone=view.zone, role=role, aspect=aspect.name,
                             value=aspect.text(view), others="; ".join(others))
        )  # fmt: skip
    return found


def _missing_endpoints(role: str, views: Sequence[SubnetView]) -> list[SubnetDifference]:
    """A gateway endpoint is attached to route tables on purpose: a sibling without it sends that
    service's traffic through NAT or the internet, or nowhere when a policy requires the endpoint."""
    known = [v for v in views if v.route_table is not None]
    found = []
    for view in known:
        others = {s for o in known if o is not view for s in o.endpoint_services}
        if others - set(view.endpoint_services):
            found.append(
                SubnetDifference(
                    subnet=view.id,
                    zone=view.zone,
                    role=role,
                    aspect="endpoint",
                    value=", ".join(view.endpoint_services) or "no gateway endpoint",
                    others=", ".join(sorted(others)),
                )
            )
    return found


def compare_subnets(views: Sequence[SubnetView]) -> list[SubnetDifference]:
    """Within each role, the subnets configured unlike their siblings, one entry per aspect."""
    by_role: dict[str, list[SubnetView]] = {}
    for view in views:
        by_role.setdefault(view.role, []).append(view)
    found: list[SubnetDifference] = []
    for role, siblings in by_role.items():
        if len(siblings) < 2:
            continue
        for aspect in _ASPECTS:
            found += _differences_in(role, siblings, aspect)
        if role in _ENDPOINT_ROLES:
            found += _missing_endpoints(role, siblings)
    return found


# --- security groups and endpoints -------------------------------------------------------------


def _ports(permission: dict[str, Any]) -> str:
    low, high = permission.get("FromPort"), permission.get("ToPort")
    if permission.get("IpProtocol") == "-1" or low is None or (low, high) in ((0, 65535), (-1, -1)):
        return ""
    return f" {low}" if low == high else f" {low}-{high}"


def rule_texts(permissions: Sequence[dict[str, Any]], direction: str) -> list[str]:
    """Security group permissions as readable lines: "tcp 8080 from sg-0abc", "all to 0.0.0.0/0"."""
    lines = []
    for permission in permissions:
        protocol = permission.get("IpProtocol", "-1")
        head = ("all" if protocol == "-1" else protocol) + _ports(permission)
        peers = [
            *(r["CidrIp"] for r in permission.get("IpRanges", [])),
            *(r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])),
            *(p["GroupId"] for p in permission.get("UserIdGroupPairs", []) if p.get("GroupId")),
            *(p["PrefixListId"] for p in permission.get("PrefixListIds", [])),
        ]
        lines += [f"{head} {direction} {peer}" for peer in peers]
    return lines[:MAX_RULES_PER_GROUP]


def _security_group_view(group: dict[str, Any]) -> SecurityGroupView:
    return SecurityGroupView(
        id=group["GroupId"],
        name=group.get("GroupName"),
        inbound=rule_texts(group.get("IpPermissions", []), "from"),
        outbound=rule_texts(group.get("IpPermissionsEgress", []), "to"),
    )


def _endpoint_view(endpoint: dict[str, Any]) -> EndpointView:
    return EndpointView(
        id=endpoint["VpcEndpointId"],
        service=endpoint.get("ServiceName", "?"),
        type=endpoint.get("VpcEndpointType", "?"),
        route_tables=endpoint.get("RouteTableIds", []),
        subnets=endpoint.get("SubnetIds", []),
    )


# --- the lookups -------------------------------------------------------------------------------


def _vpc_filter(vpc: str) -> list[dict[str, Any]]:
    return [{"Name": "vpc-id", "Values": [vpc]}]


def _containing(subnets: Sequence[dict[str, Any]], address: str) -> dict[str, Any] | None:
    ip = ipaddress.ip_address(address)
    return next((s for s in subnets if ip in ipaddress.ip_network(s.get("CidrBlock", "0.0.0.0/32"))), None)


def _place_targets(
    placement: Placement, subnets: Sequence[dict[str, Any]], reservations: Sequence[dict[str, Any]]
) -> None:
    """Subnets (role "targets") and zones of the targets: an IP's subnet is the one whose CIDR holds it."""
    for address in placement.target_addresses:
        home = _containing(subnets, address)
        if home is not None:
            placement.add("targets", [home["SubnetId"]])
            placement.target_zones.setdefault(address, home.get("AvailabilityZone", "?"))
    for instance in (i for r in reservations for i in r.get("Instances", [])):
        if instance.get("SubnetId"):
            placement.add("targets", [instance["SubnetId"]])
        zone = instance.get("Placement", {}).get("AvailabilityZone")
        if zone:
            placement.target_zones.setdefault(instance["InstanceId"], zone)


def _vpc_of(context: GatherContext, placement: Placement) -> str | None:
    """The VPC to describe: the alarmed resource's, else that of the first subnet in scope."""
    if placement.vpcs:
        return placement.vpcs[0]
    subnet_ids = [s for ids in placement.roles.values() for s in ids][:1]
    if not subnet_ids:
        return None
    ec2 = context.clients.client("ec2")
    found: list[dict[str, Any]] = context.attempt(
        "subnets", lambda: ec2.describe_subnets(SubnetIds=subnet_ids)["Subnets"], []
    )
    return str(found[0]["VpcId"]) if found else None


def describe_network(
    context: GatherContext, placement: Placement, security_groups: bool = True
) -> NetworkState | None:
    """The subnets behind the resources in scope, described alike and compared per role.

    Every describe of the VPC is one call, all side by side: subnets, route tables, network ACLs,
    gateway endpoints, the instance targets' placement and (when asked) the security groups in scope.
    """
    if (
        not any(placement.roles.values())
        and not placement.target_addresses
        and not placement.target_instances
    ):
        return None  # nothing in scope sits in a subnet (a function outside any VPC, a queue)
    vpc = _vpc_of(context, placement)
    if vpc is None:
        return None
    if len(placement.vpcs) > 1:
        context.note("other_vpcs", vpc=vpc, others=", ".join(placement.vpcs[1:]))
    ec2, in_vpc = context.clients.client("ec2"), _vpc_filter(vpc)
    instances = placement.target_instances[:MAX_INSTANCES]
    with context.side_by_side() as work:
        subnets = work.submit(
            lambda: context.attempt("subnets", lambda: ec2.describe_subnets(Filters=in_vpc)["Subnets"], None)
        )
        read = context.scope.route_tables
        tables = work.submit(
            lambda: (
                read.tables
                if read and vpc in read.vpcs
                else context.attempt(
                    "route_tables", lambda: ec2.describe_route_tables(Filters=in_vpc)["RouteTables"], None
                )
            )
        )
        acls = work.submit(
            lambda: context.attempt(
                "network_acls", lambda: ec2.describe_network_acls(Filters=in_vpc)["NetworkAcls"], None
            )
        )
        endpoints = work.submit(
            lambda: context.attempt(
                "vpc_endpoints",
                lambda: ec2.describe_vpc_endpoints(Filters=in_vpc)["VpcEndpoints"],
                list[dict[str, Any]](),
            )
        )
        groups = work.submit(
            lambda: _security_groups(context, placement.security_groups) if security_groups else []
        )
        reservations = work.submit(
            lambda: (
                context.attempt(
                    "target_instances",
                    lambda: ec2.describe_instances(InstanceIds=instances).get("Reservations", []),
                    list[dict[str, Any]](),
                )
                if instances
                else []
            )
        )
    described = subnets.result()
    if described is None:
        return NetworkState(vpc=vpc)
    _place_targets(placement, described, reservations.result())
    by_id = {s["SubnetId"]: s for s in described}
    roles = {
        role: [s for s in ids if s in by_id][:MAX_SUBNETS_PER_ROLE] for role, ids in placement.roles.items()
    }
    found_endpoints = endpoints.result()
    gateways = [e for e in found_endpoints if e.get("VpcEndpointType") == "Gateway"]
    views = [
        subnet_view(by_id[s], role, tables.result(), acls.result(), gateways)
        for role, ids in roles.items()
        for s in ids
    ]
    return NetworkState(
        vpc=vpc,
        subnets=views,
        differences=compare_subnets(views),
        security_groups=groups.result(),
        endpoints=[_endpoint_view(e) for e in found_endpoints[:MAX_ENDPOINTS]],
    )


_ROUTING_KEYS = ("RouteTableId", "VpcId", "Associations", "Routes")


def route_tables(
    context: GatherContext, subnets: Sequence[str], vpcs: Sequence[str] = ()
) -> RouteTables | None:
    """The route tables of the subnets, in one DescribeRouteTables: the VPCs' tables when a VPC is known
    (a subnet with no table of its own uses its VPC's main table, and the network step compares the VPC's
    subnets with the same tables), else the subnets' own."""
    wanted = list(dict.fromkeys(subnets))[:MAX_ROUTED_SUBNETS]
    if not wanted:
        return None
    ec2 = context.clients.client("ec2")
    known = list(dict.fromkeys(vpcs))
    by = {"Name": "vpc-id", "Values": known} if known else {"Name": "association.subnet-id", "Values": wanted}
    found: list[dict[str, Any]] | None = context.attempt(
        "route_tables", lambda: ec2.describe_route_tables(Filters=[by])["RouteTables"], None
    )
    if found is None:
        return None
    tables = [{key: table[key] for key in _ROUTING_KEYS if key in table} for table in found]
    return RouteTables(vpcs=known, tables=tables)


def nat_gateways_of(tables: Sequence[dict[str, Any]], subnets: Sequence[str]) -> list[str]:
    """The NAT gateways the subnets go out through: where their default routes point, when at ``nat-``."""
    routes = (default_route(_table_of(subnet, tables)) for subnet in dict.fromkeys(subnets))
    return list(dict.fromkeys(route for route in routes if route and route.startswith("nat-")))


def _security_groups(context: GatherContext, ids: Sequence[str]) -> list[SecurityGroupView]:
    wanted = list(ids[:MAX_SECURITY_GROUPS])
    if not wanted:
        return []
    ec2 = context.clients.client("ec2")
    groups: list[dict[str, Any]] = context.attempt(
        "security_groups", lambda: ec2.describe_security_groups(GroupIds=wanted)["SecurityGroups"], []
    )
    return [_security_group_view(g) for g in groups]
