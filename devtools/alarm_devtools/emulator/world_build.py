"""Creating the world's resources in the emulator: the identifiers AWS assigns become the dimensions.

An internet-facing ALB in the public subnets forwards to an ECS service (Fargate tasks in the app
subnets, logging with awslogs), which uses an RDS database and DynamoDB; a Lambda worker drains a
job queue whose redrive policy ends in a dead-letter queue. Releases that precede the incident are
created for real where moto keeps them (task definition revisions, Lambda versions and a weighted
alias, an AppConfig feature-flag profile); ``world_facts`` supplies what moto cannot say about them.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from alarm_analyzer.aws import AwsClients

from .world import (
    TASKS_PER_ZONE,
    Built,
    DeadLetter,
    DeadLetterWiring,
    Deployment,
    Fault,
    HealthCheckSpec,
    Names,
    Rng,
    Task,
    Worker,
)
from .world_network import Network, build_network

CANARY_WEIGHT = 0.1
LIVE_ALIAS = "live"
FLAG_PROFILE = "feature-flags"
MAX_RECEIVE_COUNT = 5
MAX_DEAD_LETTERS = 40


def _code(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    return buffer.getvalue()


def _tasks(network: Network, names: Names) -> list[Task]:
    rng = Rng(f"{names.service}/tasks")
    return [
        Task(id=rng.hex(32), ip=f"10.0.{subnet.cidr.split('.')[2]}.{rng.random.randint(20, 250)}", zone=subnet.zone,
             subnet=subnet.id)
        for subnet in network.app
        for _ in range(TASKS_PER_ZONE)
    ]  # fmt: skip


def _balancer(
    clients: AwsClients, names: Names, network: Network, check: HealthCheckSpec
) -> tuple[dict[str, Any], dict[str, Any]]:
    elb = clients.client("elbv2")
    lb = elb.create_load_balancer(
        Name=names.load_balancer,
        Subnets=[s.id for s in network.public],
        SecurityGroups=[network.balancer_group],
        Scheme="internet-facing",
        Type="application",
    )["LoadBalancers"][0]
    tg = elb.create_target_group(
        Name=names.target_group,
        Protocol="HTTP",
        Port=8080,
        VpcId=network.vpc,
        TargetType="ip",
        HealthCheckPath=check.path,
        HealthCheckIntervalSeconds=15,
        HealthCheckTimeoutSeconds=5,
        HealthyThresholdCount=3,
        UnhealthyThresholdCount=2,
        Matcher={"HttpCode": check.matcher},
    )["TargetGroups"][0]
    elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}],
    )
    return lb, tg


def _service(
    clients: AwsClients, names: Names, network: Network, tasks: Sequence[Task], *, tg_arn: str, releases: int
) -> tuple[dict[str, Any], list[str]]:
    """The cluster, one task definition revision per release, and the service on the newest."""
    account = tg_arn.split(":")[4]
    ecs = clients.client("ecs")
    ecs.create_cluster(clusterName=names.cluster)
    revisions = []
    for release in range(releases + 1):
        revisions.append(
            ecs.register_task_definition(
                family=names.service,
                networkMode="awsvpc",
                requiresCompatibilities=["FARGATE"],
                cpu="512",
                memory="1024",
                containerDefinitions=[
                    {
                        "name": "web",
                        "image": f"{account}.dkr.ecr.{clients.region}.amazonaws.com/{names.service}:1.{40 + release}.0",
                        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                        "logConfiguration": {
                            "logDriver": "awslogs",
                            "options": {
                                "awslogs-group": names.app_log_group,
                                "awslogs-region": clients.region,
                                "awslogs-stream-prefix": "app",
                            },
                        },
                    }
                ],
            )["taskDefinition"]["taskDefinitionArn"]
        )
    ecs.create_service(
        cluster=names.cluster,
        serviceName=names.service,
        taskDefinition=revisions[-1],
        desiredCount=len(tasks),
        launchType="FARGATE",
        loadBalancers=[{"targetGroupArn": tg_arn, "containerName": "web", "containerPort": 8080}],
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": [s.id for s in network.app],
                "securityGroups": [network.app_group],
            }
        },
    )
    service = ecs.describe_services(cluster=names.cluster, services=[names.service])["services"][0]
    return service, revisions


def _vpc_config(worker: Worker, network: Network) -> dict[str, Any]:
    """The app subnets (whose default route is the NAT gateway) and the tasks' group, when the function runs there."""
    if not worker.in_vpc:
        return {}
    subnets = [s.id for s in network.app]
    return {"VpcConfig": {"SubnetIds": subnets, "SecurityGroupIds": [network.app_group]}}


def _worker(
    clients: AwsClients,
    names: Names,
    worker: Worker,
    network: Network,
    *,
    canary: bool,
    queue_arn: str | None,
) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    awslambda = clients.client("lambda")
    role = clients.client("iam").create_role(
        RoleName=f"{names.worker}-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    arn = awslambda.create_function(
        FunctionName=names.worker,
        Runtime=worker.runtime,
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": _code("def handler(event, context):\n    return resize(event)\n")},
        Timeout=worker.timeout_s,
        MemorySize=worker.memory_mb,
        LoggingConfig={"LogFormat": "JSON" if worker.json_logs else "Text"},
        **_vpc_config(worker, network),
    )["FunctionArn"]
    if worker.reserved_concurrency is not None:
        awslambda.put_function_concurrency(
            FunctionName=names.worker, ReservedConcurrentExecutions=worker.reserved_concurrency
        )
    if canary:
        stable = awslambda.publish_version(FunctionName=names.worker, Description="stable")["Version"]
        awslambda.update_function_code(
            FunctionName=names.worker,
            ZipFile=_code("def handler(event, context):\n    return resize_v2(event)\n"),
        )
        candidate = awslambda.publish_version(FunctionName=names.worker, Description="candidate")["Version"]
        awslambda.create_alias(
            FunctionName=names.worker,
            Name=LIVE_ALIAS,
            FunctionVersion=stable,
            RoutingConfig={"AdditionalVersionWeights": {candidate: CANARY_WEIGHT}},
        )
    if queue_arn:
        awslambda.create_event_source_mapping(
            EventSourceArn=queue_arn, FunctionName=names.worker, BatchSize=10
        )
    config = awslambda.get_function_configuration(FunctionName=names.worker)
    if config.get("VpcConfig"):
        config["VpcConfig"]["VpcId"] = network.vpc  # moto names a VPC of its own
    versions = awslambda.list_versions_by_function(FunctionName=names.worker)["Versions"]
    for response in (config, *versions):
        response.pop("ResponseMetadata", None)
    return arn, config, versions


def _queues(
    clients: AwsClients, names: Names, worker: Worker, wiring: DeadLetterWiring
) -> tuple[str, str, str, str]:
    """The job queue and the dead-letter queue: their URLs and ARNs. The job queue redrives into the
    dead-letter queue only when that is how failures reach it."""
    sqs = clients.client("sqs")
    dead_letter = sqs.create_queue(
        QueueName=names.dead_letter_queue, Attributes={"MessageRetentionPeriod": "1209600"}
    )["QueueUrl"]
    dead_letter_arn = sqs.get_queue_attributes(QueueUrl=dead_letter, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    redrive = {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
    # AWS recommends six times the function's timeout, so a batch is not redelivered while it runs.
    attributes = {"VisibilityTimeout": str(6 * worker.timeout_s)}
    if wiring == "sqs_redrive":
        attributes["RedrivePolicy"] = json.dumps(redrive)
    queue = sqs.create_queue(QueueName=names.queue, Attributes=attributes)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return queue, dead_letter, queue_arn, dead_letter_arn


def _allow(clients: AwsClients, url: str, arn: str, service: str, source: str) -> None:
    """The dead-letter queue's policy letting EventBridge or SNS send to it, as AWS documents it."""
    statement = {
        "Sid": f"{service}-dead-letters",
        "Effect": "Allow",
        "Principal": {"Service": f"{service}.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": source}},
    }
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    clients.client("sqs").set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})


def _dead_letter_wiring(
    clients: AwsClients, names: Names, wiring: DeadLetterWiring, dead_letter: tuple[str, str], lb_dns: str
) -> dict[str, Any]:
    """What sends failures to the dead-letter queue when the job queue's redrive policy does not; the
    worker's configuration that says so where moto keeps none (DeadLetterConfig)."""
    url, arn = dead_letter
    awslambda, on_failure = clients.client("lambda"), {"OnFailure": {"Destination": arn}}
    if wiring == "lambda_dlq":
        return {"DeadLetterConfig": {"TargetArn": arn}}
    if wiring == "lambda_on_failure":
        awslambda.put_function_event_invoke_config(
            FunctionName=names.worker, MaximumRetryAttempts=2, DestinationConfig=on_failure
        )
    elif wiring == "esm_on_failure":
        kinesis = clients.client("kinesis")
        kinesis.create_stream(StreamName=f"{names.service}-events", ShardCount=2)
        stream = kinesis.describe_stream(StreamName=f"{names.service}-events")["StreamDescription"][
            "StreamARN"
        ]
        awslambda.create_event_source_mapping(
            EventSourceArn=stream, FunctionName=names.worker, StartingPosition="TRIM_HORIZON", BatchSize=100,
            MaximumRetryAttempts=3, BisectBatchOnFunctionError=True, DestinationConfig=on_failure,
        )  # fmt: skip
    elif wiring == "eventbridge_dlq":
        events = clients.client("events")
        pattern = {"source": [f"{names.service}.orders"], "detail-type": ["OrderPlaced"]}
        rule = events.put_rule(Name=f"{names.service}-order-placed", EventPattern=json.dumps(pattern))[
            "RuleArn"
        ]
        worker = awslambda.get_function(FunctionName=names.worker)["Configuration"]["FunctionArn"]
        target = {"Id": names.worker, "Arn": worker, "DeadLetterConfig": {"Arn": arn},
                  "RetryPolicy": {"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 3600}}  # fmt: skip
        events.put_targets(Rule=f"{names.service}-order-placed", Targets=[target])
        _allow(clients, url, arn, "events", rule)
    elif wiring == "sns_redrive":
        sns = clients.client("sns")
        topic = sns.create_topic(Name=f"{names.service}-partner-events")["TopicArn"]
        sns.create_topic(Name=f"{names.service}-audit")  # another topic, that names no dead-letter queue
        sns.subscribe(
            TopicArn=topic, Protocol="https", Endpoint=f"https://{lb_dns}/webhooks/partner-events",
            Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": arn})},
        )  # fmt: skip
        _allow(clients, url, arn, "sns", topic)
    return {}


def _flags(clients: AwsClients, names: Names) -> dict[str, str]:
    """The service's feature-flag profile in AppConfig, with its two versions (before and after the flip)."""
    appconfig = clients.client("appconfig")
    app = appconfig.create_application(
        Name=names.service, Description=f"{names.service} runtime configuration"
    )["Id"]
    profile = appconfig.create_configuration_profile(
        ApplicationId=app, Name=FLAG_PROFILE, LocationUri="hosted", Type="AWS.AppConfig.FeatureFlags"
    )["Id"]
    for enabled in (False, True):
        flags = {"flags": {"new_checkout_flow": {"name": "new_checkout_flow"}}, "values": {"new_checkout_flow": {"enabled": enabled}}, "version": "1"}  # fmt: skip
        appconfig.create_hosted_configuration_version(
            ApplicationId=app,
            ConfigurationProfileId=profile,
            Content=json.dumps(flags).encode(),
            ContentType="application/json",
        )
    return {"application": app, "profile": profile}


def build(
    clients: AwsClients,
    names: Names,
    now: datetime,
    *,
    worker: Worker,
    health_check: HealthCheckSpec,
    fault: Fault | None,
    deployments: Sequence[Deployment],
    wiring: DeadLetterWiring = "sqs_redrive",
) -> Built:
    """Create the service's resources; AWS-assigned ids become the metrics' dimension values."""
    network = build_network(
        clients.client("ec2"), clients.region, names.service, fault.network if fault else None
    )
    lb, tg = _balancer(clients, names, network, health_check)
    tasks = _tasks(network, names)
    clients.client("elbv2").register_targets(
        TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": t.ip, "Port": 8080} for t in tasks]
    )
    releases = sum(1 for d in deployments if d.kind == "ecs")
    service, revisions = _service(
        clients, names, network, tasks, tg_arn=tg["TargetGroupArn"], releases=releases
    )
    db = clients.client("rds").create_db_instance(
        DBInstanceIdentifier=names.database,
        DBInstanceClass=names.db_class,
        Engine=names.db_engine,
        MasterUsername="app",
        MasterUserPassword=secrets.token_urlsafe(16),
        AllocatedStorage=50,
        VpcSecurityGroupIds=[network.app_group],
    )["DBInstance"]
    queue, dead_letter, queue_arn, dead_letter_arn = _queues(clients, names, worker, wiring)
    canary = any(d.kind == "lambda_canary" for d in deployments)
    consumes = queue_arn if wiring == "sqs_redrive" else None  # else the app invokes it asynchronously
    worker_arn, config, versions = _worker(clients, names, worker, network, canary=canary, queue_arn=consumes)
    config |= _dead_letter_wiring(clients, names, wiring, (dead_letter, dead_letter_arn), lb["DNSName"])
    flags = _flags(clients, names) if any(d.kind == "appconfig" for d in deployments) else {}
    for group in (names.app_log_group, names.db_log_group, names.worker_log_group):
        clients.logs.create_log_group(logGroupName=group)
    return Built(
        names=names,
        worker=worker,
        account=tg["TargetGroupArn"].split(":")[4],
        region=clients.region,
        load_balancer=lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1],
        target_group=tg["TargetGroupArn"].split(":", 5)[5],
        target_group_arn=tg["TargetGroupArn"],
        lb_dns=lb["DNSName"],
        db_endpoint=db.get("Endpoint", {}).get("Address")
        or f"{names.database}.c9akciq32.{clients.region}.rds.amazonaws.com",
        worker_arn=worker_arn,
        vpc=network.vpc,
        tasks=tasks,
        cluster_arn=service["clusterArn"],
        service=service,
        task_definitions=revisions,
        worker_config=config,
        worker_versions=versions,
        queue_url=queue,
        dead_letter_url=dead_letter,
        wiring=wiring,
        worker_stream=f"{now:%Y/%m/%d}/[$LATEST]{Rng(names.worker).hex(32)}",
        appconfig=flags,
        network_calls=network.calls,
    )


def put_dead_letters(
    clients: AwsClients, built: Built, letters: Sequence[DeadLetter], count: int, rng: Rng
) -> None:
    """The messages the dead-letter queue holds now, cycling through the scenario's failures."""
    if not letters:
        return
    sqs = clients.client("sqs")
    entries = []
    for index in range(min(count, MAX_DEAD_LETTERS)):
        letter = letters[index % len(letters)]
        entry: dict[str, Any] = {"Id": str(index), "MessageBody": rng.fill(letter.body)}
        if letter.error:
            entry["MessageAttributes"] = {
                "RequestID": {"DataType": "String", "StringValue": rng.uuid()},
                "ErrorCode": {"DataType": "Number", "StringValue": "200"},
                "ErrorMessage": {"DataType": "String", "StringValue": rng.fill(letter.error)},
            }
        entries.append(entry)
    for start in range(0, len(entries), 10):
        sqs.send_message_batch(QueueUrl=built.dead_letter_url, Entries=entries[start : start + 10])
