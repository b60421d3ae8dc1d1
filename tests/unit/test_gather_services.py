"""The catalog's describes where moto cannot hold the fact, with botocore's Stubber in the real shapes
(it validates every request and response against the service model), and the changes that matter to
these services, told apart in one CloudTrail read."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.stub import ANY
from moto import mock_aws

from alarm_analyzer.aws import AwsClients, sequential
from alarm_analyzer.discovery import locate, task_definition
from alarm_analyzer.gather import apigateway, ec2, elasticache, platform_event_kind, stepfunctions
from alarm_analyzer.gather.acm import certificates
from alarm_analyzer.gather.changes import scope_credentials, trail_changes
from alarm_analyzer.gather.dynamodb import table_state
from alarm_analyzer.gather.network import Placement
from alarm_analyzer.gather.secrets import environment_secrets, secret_name, secrets
from alarm_analyzer.models import Change, EcsServiceRef
from alarm_analyzer.rules.changes import is_deployment
from alarm_analyzer.scope import event_scope
from tests.factories import STATE_CHANGE, alarm, context_for

ACCOUNT = "123456789012"


def _context(
    clients: AwsClients, namespace: str, metric: str, dimensions: dict[str, str], **scope: Any
) -> Any:
    the_alarm = alarm(namespace=namespace, metric=metric, dimensions=dimensions, stat="Sum")
    context = context_for(clients, the_alarm, **scope)
    context.scope = context.scope.model_copy(update={"located": locate(context, context.scope.resources)})
    return context


def test_a_rest_stage_names_its_throttles_log_groups_usage_plans_and_the_account_limit(stubbed: Any) -> None:
    client, stub = stubbed("apigateway")
    stub.add_response("get_rest_apis", {"items": [{"id": "a1b2c3d4e5", "name": "shop"}]}, {"limit": 500})
    stub.add_response(
        "get_stage",
        {
            "deploymentId": "dep123", "stageName": "prod",
            "methodSettings": {
                "*/*": {"throttlingRateLimit": 100.0, "throttlingBurstLimit": 200, "loggingLevel": "ERROR"},
                "~1orders~1{id}/GET": {"throttlingRateLimit": 20.0, "throttlingBurstLimit": 40, "loggingLevel": "ERROR"},
            },
            "accessLogSettings": {"format": "$context.requestId",
                                  "destinationArn": f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/apigw/shop-access"},
        },
        {"restApiId": "a1b2c3d4e5", "stageName": "prod"},
    )  # fmt: skip
    stub.add_response(
        "get_usage_plans",
        {"items": [
            {"id": "p1", "name": "partners", "apiStages": [{"apiId": "a1b2c3d4e5", "stage": "prod"}],
             "throttle": {"rateLimit": 50.0, "burstLimit": 100}, "quota": {"limit": 100000, "period": "DAY"}},
            {"id": "p2", "name": "other", "apiStages": [{"apiId": "zzzzzzzzzz", "stage": "prod"}]},
        ]},
        {"limit": 500},
    )  # fmt: skip
    stub.add_response("get_account", {"throttleSettings": {"rateLimit": 10000.0, "burstLimit": 5000}}, {})
    with sequential():
        context = _context(
            AwsClients(region="eu-west-1", apigateway=client), "AWS/ApiGateway", "4XXError",
            {"ApiName": "shop", "Stage": "prod"},
        )  # fmt: skip
        (stage,) = apigateway.stages(context, Placement())
    assert context.scope.located.log_groups() == [
        "API-Gateway-Execution-Logs_a1b2c3d4e5/prod",
        "/apigw/shop-access",
    ]
    assert stage.rate_limit == 100
    assert [(t.route, t.rate_limit) for t in stage.throttles] == [("*/*", 100.0), ("GET /orders/{id}", 20.0)]
    (plan,) = stage.usage_plans
    assert (plan.name, plan.rate_limit, plan.quota_limit) == ("partners", 50.0, 100000)
    assert stage.account_limit is not None
    assert stage.account_limit.rate_limit == 10000


def test_a_member_cluster_reads_its_groups_events_and_its_custom_eviction_policy(stubbed: Any) -> None:
    client, stub = stubbed("elasticache")
    slow = {"CloudWatchLogsDetails": {"LogGroup": "/elasticache/sessions/slow"}}
    stub.add_response(
        "describe_cache_clusters",
        {"CacheClusters": [{
            "CacheClusterId": "sessions-002", "Engine": "redis", "EngineVersion": "7.1", "CacheNodeType": "cache.r6g.large",
            "CacheClusterStatus": "available", "NumCacheNodes": 1, "ReplicationGroupId": "sessions",
            "CacheParameterGroup": {"CacheParameterGroupName": "sessions-redis7", "ParameterApplyStatus": "in-sync"},
            "LogDeliveryConfigurations": [{"LogType": "slow-log", "DestinationType": "cloudwatch-logs",
                                           "DestinationDetails": slow, "LogFormat": "json", "Status": "active"}],
        }]},
        {"CacheClusterId": "sessions-002"},
    )  # fmt: skip
    stub.add_response(
        "describe_cache_parameters",
        {
            "Parameters": [
                {"ParameterName": "maxmemory-policy", "ParameterValue": "noeviction", "Source": "user"}
            ]
        },
        {"CacheParameterGroupName": "sessions-redis7", "Source": "user"},
    )
    failover = STATE_CHANGE - timedelta(minutes=14)
    stub.add_response(
        "describe_events",
        {"Events": [{"SourceIdentifier": "sessions", "SourceType": "replication-group", "Date": failover,
                     "Message": "Failover to replica node sessions-002 completed"}]},
        {"SourceType": "replication-group", "SourceIdentifier": "sessions", "StartTime": ANY, "EndTime": ANY,
         "MaxRecords": 100},
    )  # fmt: skip
    with sequential():
        context = _context(
            AwsClients(region="eu-west-1", elasticache=client), "AWS/ElastiCache", "Evictions",
            {"CacheClusterId": "sessions-002", "CacheNodeId": "0001"},
        )  # fmt: skip
        (cache,) = elasticache.caches(context, Placement())
    assert context.scope.located.log_groups() == ["/elasticache/sessions/slow"]
    assert (cache.replication_group, cache.maxmemory_policy) == ("sessions", "noeviction")
    (event,) = cache.events
    assert (event.at, event.kind) == (failover, "failover")


def test_an_instance_reports_its_credits_impaired_check_and_scheduled_retirement(stubbed: Any) -> None:
    client, stub = stubbed("ec2")
    instance = {"InstanceId": "i-0abc1234567890def", "InstanceType": "t3.large", "State": {"Code": 16, "Name": "running"},
                "Placement": {"AvailabilityZone": "eu-west-1b"}, "SubnetId": "subnet-1", "VpcId": "vpc-1",
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeId": "vol-0aa"}}]}  # fmt: skip
    ids = {"InstanceIds": ["i-0abc1234567890def"]}
    stub.add_response("describe_instances", {"Reservations": [{"Instances": [instance]}]}, ids)
    retire = STATE_CHANGE + timedelta(days=2)
    stub.add_response(
        "describe_instance_status",
        {"InstanceStatuses": [{
            "InstanceId": "i-0abc1234567890def", "InstanceState": {"Code": 16, "Name": "running"},
            "SystemStatus": {"Status": "impaired", "Details": [{"Name": "reachability", "Status": "failed"}]},
            "InstanceStatus": {"Status": "ok", "Details": [{"Name": "reachability", "Status": "passed"}]},
            "Events": [{"Code": "instance-retirement", "Description": "degraded hardware", "NotBefore": retire},
                       {"Code": "system-reboot", "Description": "[Completed] done", "NotBefore": STATE_CHANGE}],
        }]},
        {**ids, "IncludeAllInstances": True},
    )  # fmt: skip
    stub.add_response(
        "describe_instance_credit_specifications",
        {"InstanceCreditSpecifications": [{"InstanceId": "i-0abc1234567890def", "CpuCredits": "standard"}]},
        ids,
    )
    placement = Placement()
    with sequential():
        context = context_for(
            AwsClients(region="eu-west-1", ec2=client),
            alarm(
                namespace="AWS/EC2",
                metric="StatusCheckFailed_System",
                dimensions={"InstanceId": "i-0abc1234567890def"},
            ),
        )
        (state,) = ec2.instances(context, placement)
    assert (state.burstable, state.cpu_credits, state.system_status) == (True, "standard", "impaired")
    assert [(e.code, e.not_before) for e in state.scheduled_events] == [("instance-retirement", retire)]
    assert state.volumes == ["vol-0aa"]
    assert placement.roles == {"targets": ["subnet-1"]}


def test_an_imported_certificate_counts_its_days_from_the_alarm_and_cannot_renew(stubbed: Any) -> None:
    client, stub = stubbed("acm")
    arn = f"arn:aws:acm:eu-west-1:{ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    stub.add_response(
        "describe_certificate",
        {"Certificate": {"CertificateArn": arn, "DomainName": "api.example.com", "Status": "ISSUED",
                         "Type": "IMPORTED", "NotAfter": STATE_CHANGE + timedelta(days=3, hours=12),
                         "RenewalEligibility": "INELIGIBLE", "InUseBy": ["arn:aws:elasticloadbalancing:x"]}},
        {"CertificateArn": arn},
    )  # fmt: skip
    context = context_for(
        AwsClients(region="eu-west-1", acm=client),
        alarm(namespace="AWS/CertificateManager", metric="DaysToExpiry", dimensions={"CertificateArn": arn}),
    )
    (certificate,) = certificates(context, Placement())
    assert certificate.days_to_expiry == 3.5
    assert (certificate.type, certificate.renewal_eligibility) == ("IMPORTED", "INELIGIBLE")


def test_secrets_come_from_the_tag_environments_and_task_definitions_and_are_read_once(stubbed: Any) -> None:
    arn = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:prod/db-password-AbCdEf"
    assert environment_secrets({"DB_SECRET_ARN": arn, "STRIPE_SECRET_ID": "stripe", "SECRET_SAUCE": "x"}) == [
        arn,
        "stripe",
    ]
    assert secret_name(arn) == "prod/db-password"
    ecs, ecs_stub = stubbed("ecs")
    ecs_stub.add_response(
        "describe_task_definition",
        {"taskDefinition": {
            "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/orders-task", "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/exec",
            "containerDefinitions": [{"name": "web", "secrets": [
                {"name": "DB_PASSWORD", "valueFrom": f"{arn}:password::"},
                {"name": "FLAG", "valueFrom": f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/flag"}]}],
        }},
        {"taskDefinition": "orders:7"},
    )  # fmt: skip
    used = task_definition(context_for(AwsClients(region="eu-west-1", ecs=ecs)), "orders:7")
    assert used["secrets"] == [arn]  # the JSON key after the ARN is not part of the secret
    assert used["roles"] == [f"arn:aws:iam::{ACCOUNT}:role/orders-task", f"arn:aws:iam::{ACCOUNT}:role/exec"]

    manager, stub = stubbed("secretsmanager")
    stub.add_response(
        "describe_secret",
        {"ARN": arn, "Name": "prod/db-password", "RotationEnabled": True, "RotationRules": {"AutomaticallyAfterDays": 7},
         "LastRotatedDate": STATE_CHANGE - timedelta(minutes=30), "LastChangedDate": STATE_CHANGE - timedelta(minutes=30)},
        {"SecretId": arn},
    )  # fmt: skip
    context = context_for(AwsClients(region="eu-west-1", secretsmanager=manager))
    # Named by its name in the tag and by its ARN in a task definition: one secret, one call (by ARN).
    (state,) = secrets(context, {"prod/db-password": ["analyzer:secrets"], arn: ["shop/orders"]})
    assert state.named_by == ["analyzer:secrets", "shop/orders"]
    assert (state.rotation_days, state.last_rotated) == (7, STATE_CHANGE - timedelta(minutes=30))


def test_a_table_says_how_it_is_billed_and_who_raises_its_capacity() -> None:
    targets = [{"ResourceId": "table/orders", "ScalableDimension": "dynamodb:table:WriteCapacityUnits",
                "MinCapacity": 50, "MaxCapacity": 50, "SuspendedState": {"DynamicScalingOutSuspended": True}}]  # fmt: skip
    provisioned = table_state(
        {"TableName": "orders", "BillingModeSummary": {"BillingMode": "PROVISIONED"},
         "ProvisionedThroughput": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 50, "NumberOfDecreasesToday": 3},
         "GlobalSecondaryIndexes": [{"IndexName": "by-customer", "IndexStatus": "ACTIVE",
                                     "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}]},
        targets,
    )  # fmt: skip
    assert (provisioned.write_capacity, provisioned.decreases_today) == (50, 3)
    assert provisioned.write_scaling is not None
    assert (provisioned.write_scaling.max, provisioned.write_scaling.suspended) == (50, True)
    assert provisioned.read_scaling is None
    assert provisioned.indexes[0].write_capacity == 5
    on_demand = table_state(
        {"TableName": "events", "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
         "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
         "OnDemandThroughput": {"MaxWriteRequestUnits": 4000}},
        [],
    )  # fmt: skip
    assert (on_demand.billing_mode, on_demand.write_capacity, on_demand.max_write_request_units) == (
        "PAY_PER_REQUEST",
        None,
        4000,
    )


def test_the_agents_configuration_names_the_instances_log_groups() -> None:
    config = {"logs": {"logs_collected": {
        "files": {"collect_list": [{"file_path": "/var/log/app.log", "log_group_name": "/ec2/{instance_id}/app"},
                                   {"file_path": "/var/log/nginx.log", "log_group_name": "/web/{hostname}/nginx"},
                                   {"file_path": "/var/log/messages"}]},
        "windows_events": {"collect_list": [{"event_name": "System", "log_group_name": "windows-system"}]}}}}  # fmt: skip
    assert ec2.agent_log_groups(config, ["i-1", "i-2"]) == [
        "/ec2/i-1/app",
        "/ec2/i-2/app",
        "/web/*",  # a host name is unknown: the part before it, as a prefix
        "windows-system",
    ]


@pytest.mark.parametrize(
    ("categories", "message", "kind"),
    [
        (["failover"], "Multi-AZ instance failover started.", "failover"),
        (["availability"], "DB instance restarted", "reboot"),
        (["maintenance"], "Applying off-line patches to DB instance", "maintenance"),
        (["low storage"], "Allocated storage has been exhausted", "storage"),
        ([], "Cache node 0001 restarted", "reboot"),
        ([], "Recovering cache nodes 0001", "replacement"),
        (["backup"], "Finished DB instance backup", "other"),
    ],
)
def test_platform_events_say_what_happened_under_the_service(
    categories: list[str], message: str, kind: str
) -> None:
    assert platform_event_kind(categories, message) == kind


def _event(source: str, name: str, params: dict[str, Any], minutes: int = 20) -> dict[str, Any]:
    record = {"eventSource": source, "eventName": name, "requestParameters": params, "responseElements": None,
              "userIdentity": {"arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/sato"}}  # fmt: skip
    return {"EventName": name, "EventSource": source, "EventTime": STATE_CHANGE - timedelta(minutes=minutes),
            "Resources": [], "CloudTrailEvent": json.dumps(record)}  # fmt: skip


def test_the_changes_these_services_care_about_are_told_apart_in_one_read() -> None:
    arn = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders-db-password-AbCdEf"
    events = [
        _event("secretsmanager.amazonaws.com", "RotateSecret", {"secretId": arn}),
        _event("iam.amazonaws.com", "PutRolePolicy", {"roleName": "orders-task", "policyName": "read-bucket"}),
        _event("iam.amazonaws.com", "UpdateAccessKey", {"userName": "ci-bot", "accessKeyId": "x", "status": "Inactive"}),
        _event("iam.amazonaws.com", "AttachRolePolicy", {"roleName": "data-science", "policyArn": "arn:aws:iam::aws:policy/X"}),
        _event("dynamodb.amazonaws.com", "UpdateTable", {"tableName": "orders", "provisionedThroughput": {}}),
        _event("application-autoscaling.amazonaws.com", "RegisterScalableTarget", {"resourceId": "table/orders"}),
        _event("apigateway.amazonaws.com", "UpdateUsagePlan", {"usagePlanId": "p1", "patchOperations": []}),
        _event("rds.amazonaws.com", "ModifyDBParameterGroup", {"dBParameterGroupName": "orders-pg16"}),
        _event("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", {"functionName": "orders-worker"}),
    ]  # fmt: skip
    scope = event_scope(alarm()).model_copy(
        update={
            "tags": {"analyzer:secrets": "orders-db-password", "analyzer:iam": "ci-bot"},
            "services": [
                EcsServiceRef(
                    cluster="shop", name="orders", roles=[f"arn:aws:iam::{ACCOUNT}:role/orders-task"]
                )
            ],
        }
    )
    credentials = scope_credentials(scope)
    assert credentials == ["orders-task", "ci-bot"]
    found = [
        change
        for change, _ in trail_changes(
            events, ["orders", "orders-worker"], "", [*credentials, "orders-db-password"], ["parameter_group"]
        )
    ]
    assert [(c.kind, c.action, c.resource) for c in found] == [
        ("secret", "RotateSecret", "orders-db-password"),  # its ARN names it with a suffix
        ("iam_policy", "PutRolePolicy", "orders-task"),
        ("access_key", "UpdateAccessKey", "ci-bot"),
        ("capacity", "UpdateTable", "orders"),
        ("capacity", "RegisterScalableTarget", "orders"),
        ("parameter_group", "ModifyDBParameterGroup", "orders-pg16"),  # the scope holds a database
        ("api_call", "UpdateFunctionConfiguration", "orders-worker"),
    ]  # a role nobody in scope runs as, and a usage plan of no API in scope, are left out


def test_a_credential_or_capacity_change_is_not_a_deployment_but_an_api_deployment_is() -> None:
    def change(kind: str, action: str) -> Change:
        return Change(kind=kind, at=STATE_CHANGE, resource="x", action=action)  # type: ignore[arg-type]

    assert not is_deployment(change("secret", "RotateSecret"))
    assert not is_deployment(change("capacity", "UpdateTable"))
    assert is_deployment(change("api_stage", "CreateDeployment"))
    assert is_deployment(change("lambda_version", "PublishVersion"))
    assert not is_deployment(change("api_call", "PutBucketPolicy"))


def test_without_a_resolved_scope_a_located_describe_reads_the_configuration_itself(aws_env: None) -> None:
    with mock_aws():
        clients = AwsClients(region="eu-west-1")
        role = clients.client("iam").create_role(RoleName="flow", AssumeRolePolicyDocument="{}")["Role"][
            "Arn"
        ]
        group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/vendedlogs/states/fulfil:*"
        arn = clients.client("stepfunctions").create_state_machine(
            name="fulfil",
            definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
            roleArn=role,
            loggingConfiguration={
                "level": "ERROR",
                "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": group}}],
            },
        )["stateMachineArn"]
        the_alarm = alarm(
            namespace="AWS/States", metric="ExecutionsFailed", dimensions={"StateMachineArn": arn}
        )
        context = context_for(clients, the_alarm)  # the event's scope: nothing located
        assert context.scope.located is None
        (machine,) = stepfunctions.state_machines(context, Placement())
    assert (machine.name, machine.logging_level, machine.log_groups) == (
        "fulfil",
        "ERROR",
        ["/aws/vendedlogs/states/fulfil"],
    )
