"""The service catalog: one entry per namespace, and everything that reads it agrees with it."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest

from alarm_analyzer.catalog import (
    DIMENSION_FORMS,
    NAMESPACES,
    REFERENCED,
    describes,
    kinds,
    locates,
    log_groups_of,
    related_metrics,
    resources_of,
)
from alarm_analyzer.discovery import LOCATORS
from alarm_analyzer.gather.resources import DESCRIBED_AFTER, DESCRIBERS
from alarm_analyzer.i18n import MESSAGES
from alarm_analyzer.models import Located, ResourceKind, ResourcesData
from alarm_analyzer.sources import BY_NAME, SCOPE_ACTIONS, iam_action

PACKAGE = Path(__file__).resolve().parents[2] / "layers" / "analyzer" / "alarm_analyzer"


def test_every_describe_and_locate_of_the_catalog_has_its_code_and_its_field() -> None:
    assert set(DESCRIBERS) | {DESCRIBED_AFTER} == set(describes())
    assert set(LOCATORS) == set(locates())
    listed = {
        name
        for name, field in ResourcesData.model_fields.items()
        if typing.get_origin(field.annotation) is list
    }
    assert set(describes()) == listed - {"looked_at"}
    assert set(locates()) == set(Located.model_fields)


def test_every_kind_of_resource_is_in_the_catalog_and_described() -> None:
    known = {kind.kind for _, kind in kinds()}
    assert known == set(typing.get_args(ResourceKind)) - {"other"}
    assert all(kind.describe for _, kind in kinds())
    assert {kind.kind for kind in REFERENCED} == {"secret"}


def test_the_functions_may_make_the_calls_the_catalog_declares() -> None:
    assert {a for read in locates().values() for a in read.actions} <= SCOPE_ACTIONS
    assert {a for read in describes().values() for a in read.actions} <= BY_NAME["resources"].actions
    assert iam_action("apigatewayv2", "GetStage") == "apigateway:GET"  # one read action per HTTP verb
    assert iam_action("efs", "DescribeFileSystems") == "elasticfilesystem:DescribeFileSystems"
    assert iam_action("stepfunctions", "DescribeStateMachine") == "states:DescribeStateMachine"


@pytest.mark.parametrize(
    ("namespace", "dimensions", "expected"),
    [
        ("AWS/ApplicationELB", {"LoadBalancer": "app/web/0123456789abcdef", "TargetGroup": "targetgroup/t/0123456789abcdef"},
         [("target_group", "app/web/0123456789abcdef/targetgroup/t/0123456789abcdef"), ("load_balancer", "app/web/0123456789abcdef")]),
        ("AWS/DynamoDB", {"TableName": "orders", "GlobalSecondaryIndexName": "by-customer"},
         [("dynamodb_index", "orders/by-customer"), ("dynamodb_table", "orders")]),
        ("AWS/DynamoDB", {"TableName": "orders", "Operation": "PutItem"}, [("dynamodb_table", "orders")]),
        ("AWS/ApiGateway", {"ApiName": "shop", "Stage": "prod", "Method": "GET", "Resource": "/cart"},
         [("rest_api_stage", "shop/prod"), ("rest_api", "shop")]),
        ("AWS/ApiGateway", {"ApiId": "a1b2c3d4e5", "Stage": "$default"}, [("http_api_stage", "a1b2c3d4e5/$default"), ("http_api", "a1b2c3d4e5")]),
        ("CWAgent", {"InstanceId": "i-0abc12345678", "path": "/", "fstype": "xfs"}, [("ec2_instance", "i-0abc12345678")]),
        # A rule on a named bus is one resource, not two.
        ("AWS/Events", {"EventBusName": "orders", "RuleName": "paid"}, [("event_rule", "orders/paid")]),
        ("AWS/ElastiCache", {"CacheClusterId": "sessions-001", "CacheNodeId": "0001"}, [("cache_cluster", "sessions-001")]),
        ("Custom/App", {"InstanceId": "i-0abc12345678"}, []),
    ],
)  # fmt: skip
def test_dimensions_name_the_resource_most_specific_first(
    namespace: str, dimensions: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    assert [(r.kind, r.id) for r in resources_of(namespace, dimensions)] == expected


def test_log_groups_and_related_metrics_come_from_the_entry() -> None:
    (function,) = resources_of("AWS/Lambda", {"FunctionName": "resize", "Resource": "resize:live"})
    assert log_groups_of(function) == ["/aws/lambda/resize"]
    (database,) = resources_of("AWS/RDS", {"DBInstanceIdentifier": "orders-db"})
    assert log_groups_of(database) == ["/aws/rds/instance/orders-db/*"]
    assert {"FreeStorageSpace", "ReplicaLag"} <= {m.name for m in related_metrics(database)}
    (instance,) = resources_of("CWAgent", {"InstanceId": "i-0abc12345678"})
    # The agent's instance is read through its platform metrics too, from the other namespace.
    assert {(m.namespace, m.name) for m in related_metrics(instance)} >= {("AWS/EC2", "CPUCreditBalance")}
    (table,) = resources_of("AWS/DynamoDB", {"TableName": "orders"})
    assert log_groups_of(table) == []  # DynamoDB writes none


def test_dimension_forms_tell_a_wrong_value() -> None:
    form = DIMENSION_FORMS["AWS/NATGateway", "NatGatewayId"]
    assert form.pattern.match("nat-0a1b2c3d4e5f60718")
    assert not form.pattern.match("arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0a1b2c3d4e5f60718")
    assert not DIMENSION_FORMS["AWS/CertificateManager", "CertificateArn"].pattern.match("shop.example.com")
    assert {n.name for n in NAMESPACES} >= {"AWS/EBS", "AWS/EFS", "AWS/States", "AWS/Events", "AWS/Kinesis"}


def _named(kind: str) -> set[str]:
    """The first argument of every ``.attempt(...)`` (kind "part") or ``.note(...)`` call in the package."""
    calls = {"part": ("attempt", "out_of_time"), "note": ("note",)}[kind]
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in calls
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("kind", ["part", "note"])
def test_every_part_and_note_a_gatherer_names_is_worded(kind: str) -> None:
    assert _named(kind)
    assert {name for name in _named(kind) if f"{kind}.{name}" not in MESSAGES} == set()


def test_the_readmes_service_table_lists_every_namespace_with_its_dimensions() -> None:
    readme = (PACKAGE.parents[2] / "README.md").read_text()
    rows = [
        line for line in readme.splitlines() if line.startswith("| `AWS/") or line.startswith("| `CWAgent")
    ]
    for namespace in NAMESPACES:
        (row,) = [r for r in rows if f"`{namespace.name}`" in r.split(" | ")[0]]
        for kind in namespace.kinds:
            assert all(f"`{dimension}`" in row for dimension in kind.dimensions), (namespace.name, kind.kind)
