"""The catalog's other services in the world: each an option of a scenario (``Services``).

A table with provisioned capacity, an API stage with throttling, a cache, a stream, an instance with
CPU credits, a NAT gateway, a certificate near expiry, a secret changed at a time, a volume, a file
system, a state machine, a rule, a read replica of the world's database. Each is created in moto
where moto holds it; what moto cannot say (ElastiCache events and parameters, impaired status checks
and scheduled events, a certificate's dates and renewal, a secret's rotation) is answered through
``injected`` in the real response shapes. Each publishes its metrics every minute from ``Level``s:
a normal value, and the value the scenario's fault moves it to as the fault ramps up (pinned there
when it is a limit). Log lines go to a service's own log group with ``LogLine(group=...)``: "api"
(execution logs), "cache" (slow log), "instance" (the CloudWatch agent's group), "states".

    Scenario(..., services=Services(table=Table(write_capacity=50, metrics={
        "ConsumedWriteCapacityUnits": Level(1500, 3000, pinned=True), "WriteThrottleEvents": Level(0, 400)})),
        alarm=AlarmSpec(..., namespace="AWS/DynamoDB", dimensions={"TableName": "{table}"}, ...))

Every service's data comes from its own random stream, so adding one never changes the rest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Literal

from alarm_analyzer.aws import AwsClients

from .injected import Answer
from .world import ApiCall, Built, Minute, Rng

Ids = dict[str, str]  # placeholder -> what AWS assigned: {"table": "orders", "api_id": "a1b2c3d4e5"}
Point = dict[str, Any]
Responses = dict[tuple[str, str], Answer]


@dataclass(frozen=True)
class Level:
    """A metric's per-minute value: ``normal``, moving to ``fault`` as the fault ramps up.

    ``pinned``: at full strength the value sits exactly at ``fault`` (a limit reached), without jitter.
    """

    normal: float
    fault: float | None = None
    spread: float = 0.08
    pinned: bool = False

    def at(self, minute: Minute, rng: Rng) -> float:
        value = self.normal
        if self.fault is not None and minute.faulty:
            value += (self.fault - self.normal) * minute.strength
            if self.pinned and minute.strength >= 1:
                return self.fault
        return rng.noisy(value, self.spread)


@dataclass(frozen=True)
class Published:
    """Metrics published with one set of dimensions."""

    namespace: str
    dimensions: dict[str, str]
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class Service:
    """What every option has: metric levels over its defaults, and the ways it exists in the world."""

    metrics: Mapping[str, Level] = field(default_factory=dict)

    def defaults(self) -> dict[str, Level]:
        return {}

    def levels(self) -> dict[str, Level]:
        return {**self.defaults(), **self.metrics}

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        raise NotImplementedError

    def named(self) -> Ids:
        """Its placeholders as far as they are known without AWS: its own names; an id AWS assigns stays
        the placeholder (what the benchmark's variants model the alarm's metric on)."""
        return {}

    def published(self, ids: Ids) -> list[Published]:
        raise NotImplementedError

    def log_group(self, ids: Ids) -> tuple[str, str] | None:
        """(LogLine group, log group name) where this service's own lines go."""
        return None

    def facts(self, ids: Ids, now: datetime) -> Responses:
        """Answers for what moto cannot say about it."""
        return {}

    def calls(self, ids: Ids) -> list[ApiCall]:
        """What CloudTrail recorded about it."""
        return []


def _only(params: Mapping[str, Any], key: str, value: str) -> bool:
    return str(params.get(key, "")) == value


# --- DynamoDB ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table(Service):
    """A table in provisioned (or on-demand) mode, optionally with a global index and write auto scaling."""

    name: str = "orders"
    billing: Literal["PROVISIONED", "PAY_PER_REQUEST"] = "PROVISIONED"
    read_capacity: int = 100
    write_capacity: int = 50
    index: str | None = None
    index_read_capacity: int = 20
    index_write_capacity: int = 10
    write_scaling: tuple[int, int] | None = None  # min and max write capacity auto scaling may set

    def defaults(self) -> dict[str, Level]:
        levels = {
            "ConsumedReadCapacityUnits": Level(self.read_capacity * 60 * 0.3),
            "ConsumedWriteCapacityUnits": Level(self.write_capacity * 60 * 0.3),
            "ReadThrottleEvents": Level(0, spread=0),
            "WriteThrottleEvents": Level(0, spread=0),
        }
        if self.billing == "PROVISIONED":
            levels |= {
                "ProvisionedReadCapacityUnits": Level(self.read_capacity, spread=0),
                "ProvisionedWriteCapacityUnits": Level(self.write_capacity, spread=0),
            }
        return levels

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        keys = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "gk", "AttributeType": "S"}]
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": keys if self.index else keys[:1],
            "BillingMode": self.billing,
        }
        provisioned = self.billing == "PROVISIONED"
        if provisioned:
            request["ProvisionedThroughput"] = {
                "ReadCapacityUnits": self.read_capacity,
                "WriteCapacityUnits": self.write_capacity,
            }
        if self.index:
            index: dict[str, Any] = {
                "IndexName": self.index,
                "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
            if provisioned:
                index["ProvisionedThroughput"] = {
                    "ReadCapacityUnits": self.index_read_capacity,
                    "WriteCapacityUnits": self.index_write_capacity,
                }
            request["GlobalSecondaryIndexes"] = [index]
        clients.dynamodb.create_table(**request)
        if self.write_scaling:
            clients.client("application-autoscaling").register_scalable_target(
                ServiceNamespace="dynamodb",
                ResourceId=f"table/{self.name}",
                ScalableDimension="dynamodb:table:WriteCapacityUnits",
                MinCapacity=self.write_scaling[0],
                MaxCapacity=self.write_scaling[1],
            )
        return self.named()

    def named(self) -> Ids:
        return {"table": self.name, **({"table_index": self.index} if self.index else {})}

    def published(self, ids: Ids) -> list[Published]:
        table = {"TableName": ids["table"]}
        found = [Published("AWS/DynamoDB", table, tuple(self.levels()))]
        if self.index:
            index = {**table, "GlobalSecondaryIndexName": self.index}
            found.append(Published("AWS/DynamoDB", index, tuple(self.levels())))
        return found


# --- API Gateway -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Api(Service):
    """A REST API stage (named by its name) or an HTTP API stage (named by its id) with throttling."""

    kind: Literal["rest", "http"] = "rest"
    name: str = "shop-api"
    stage: str = "prod"
    rate_limit: float | None = 100.0  # the stage's default route or method throttle
    burst_limit: int | None = 200
    usage_plan: tuple[float, int] | None = None  # a REST usage plan's (rate, burst) on the stage
    execution_logging: Literal["OFF", "ERROR", "INFO"] = "ERROR"  # REST only
    requests_per_minute: float = 3000

    def defaults(self) -> dict[str, Level]:
        errors = ("4XXError", "5XXError") if self.kind == "rest" else ("4xx", "5xx")
        return {
            "Count": Level(self.requests_per_minute),
            errors[0]: Level(self.requests_per_minute * 0.01),
            errors[1]: Level(0, spread=0),
            "Latency": Level(85),
            "IntegrationLatency": Level(70),
        }

    def _access_group(self) -> str:
        return f"/aws/apigateway/{self.name}-access"

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        arn = f"arn:aws:logs:{built.region}:{built.account}:log-group:{self._access_group()}"
        clients.logs.create_log_group(logGroupName=self._access_group())
        if self.kind == "http":
            v2 = clients.client("apigatewayv2")
            api_id = v2.create_api(Name=self.name, ProtocolType="HTTP")["ApiId"]
            settings = {"ThrottlingRateLimit": self.rate_limit, "ThrottlingBurstLimit": self.burst_limit}
            v2.create_stage(
                ApiId=api_id,
                StageName=self.stage,
                DefaultRouteSettings={k: v for k, v in settings.items() if v is not None},
                AccessLogSettings={"DestinationArn": arn, "Format": "$context.requestId $context.status"},
            )
            return {"api_id": api_id, "api": self.name, "stage": self.stage}
        rest = clients.client("apigateway")
        api_id = rest.create_rest_api(name=self.name)["id"]
        root = rest.get_resources(restApiId=api_id)["items"][0]["id"]
        rest.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
        rest.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
        rest.create_deployment(restApiId=api_id, stageName=self.stage)
        patches = [{"op": "replace", "path": "/*/*/logging/loglevel", "value": self.execution_logging}]
        if self.rate_limit is not None:
            patches.append(
                {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(self.rate_limit)}
            )
        if self.burst_limit is not None:
            patches.append(
                {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(self.burst_limit)}
            )
        patches.append({"op": "replace", "path": "/accessLogSettings/destinationArn", "value": arn})
        rest.update_stage(restApiId=api_id, stageName=self.stage, patchOperations=patches)
        if self.usage_plan:
            rest.create_usage_plan(
                name=f"{self.name}-partners",
                apiStages=[{"apiId": api_id, "stage": self.stage}],
                throttle={"rateLimit": self.usage_plan[0], "burstLimit": self.usage_plan[1]},
            )
        if self.execution_logging != "OFF":
            clients.logs.create_log_group(logGroupName=f"API-Gateway-Execution-Logs_{api_id}/{self.stage}")
        return {"api_id": api_id, "api": self.name, "stage": self.stage}

    def named(self) -> Ids:
        return {"api_id": "{api_id}", "api": self.name, "stage": self.stage}

    def published(self, ids: Ids) -> list[Published]:
        if self.kind == "http":
            return [
                Published(
                    "AWS/ApiGateway", {"ApiId": ids["api_id"], "Stage": self.stage}, tuple(self.levels())
                )
            ]
        return [
            Published("AWS/ApiGateway", {"ApiName": self.name, "Stage": self.stage}, tuple(self.levels())),
            Published("AWS/ApiGateway", {"ApiName": self.name}, tuple(self.levels())),
        ]

    def log_group(self, ids: Ids) -> tuple[str, str] | None:
        if self.kind == "rest" and self.execution_logging != "OFF":
            return "api", f"API-Gateway-Execution-Logs_{ids['api_id']}/{self.stage}"
        return "api", self._access_group()


# --- ElastiCache -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cache(Service):
    """A Redis OSS cluster (or a replication group of two), its eviction policy, slow log and events."""

    id: str = "sessions"
    replication_group: bool = False
    node_type: str = "cache.r6g.large"
    maxmemory_policy: str = "volatile-lru"
    parameter_group: str = "sessions-redis7"
    slow_log: bool = True
    events: tuple[tuple[timedelta, str], ...] = ()  # (how long before the alarm, message)

    def defaults(self) -> dict[str, Level]:
        return {
            "CPUUtilization": Level(12),
            "EngineCPUUtilization": Level(18),
            "DatabaseMemoryUsagePercentage": Level(55, spread=0.02),
            "Evictions": Level(0, spread=0),
            "CurrConnections": Level(140),
            "CacheHits": Level(40000),
            "CacheMisses": Level(2500),
            "FreeableMemory": Level(5.5e9, spread=0.01),
        }

    def _members(self) -> list[str]:
        return [f"{self.id}-001", f"{self.id}-002"] if self.replication_group else [self.id]

    def _slow_group(self) -> str:
        return f"/elasticache/{self.id}/slow-log"

    def endpoint(self, region: str) -> str:
        """The endpoint clients connect to, as ElastiCache names it: a replication group's primary
        endpoint (in-transit encryption on), else the node's."""
        hashed, area = Rng(self.id).hex(6), short_region(region)
        if self.replication_group:
            return f"master.{self.id}.{hashed}.{area}.cache.amazonaws.com"
        return f"{self.id}.{hashed}.0001.{area}.cache.amazonaws.com"

    def _deliveries(self) -> list[dict[str, Any]]:
        if not self.slow_log:
            return []
        return [
            {
                "LogType": "slow-log",
                "DestinationType": "cloudwatch-logs",
                "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": self._slow_group()}},
                "LogFormat": "json",
            }
        ]

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        elasticache = clients.client("elasticache")
        if self.replication_group:
            elasticache.create_replication_group(
                ReplicationGroupId=self.id,
                ReplicationGroupDescription=f"{self.id} sessions",
                Engine="redis",
                CacheNodeType=self.node_type,
                NumCacheClusters=2,
                AutomaticFailoverEnabled=True,
                LogDeliveryConfigurations=self._deliveries(),
            )
        else:
            elasticache.create_cache_cluster(
                CacheClusterId=self.id,
                Engine="redis",
                CacheNodeType=self.node_type,
                NumCacheNodes=1,
                CacheParameterGroupName=self.parameter_group,
                LogDeliveryConfigurations=self._deliveries(),
            )
        if self.slow_log:
            clients.logs.create_log_group(logGroupName=self._slow_group())
        return {"cache": self.id, "cache_endpoint": self.endpoint(built.region)}

    def named(self) -> Ids:
        return {"cache": self.id}

    def published(self, ids: Ids) -> list[Published]:
        return [
            Published("AWS/ElastiCache", {"CacheClusterId": m}, tuple(self.levels())) for m in self._members()
        ]

    def log_group(self, ids: Ids) -> tuple[str, str] | None:
        return ("cache", self._slow_group()) if self.slow_log else None

    def facts(self, ids: Ids, now: datetime) -> Responses:
        """The members' parameter group (moto keeps none), its maxmemory-policy, and the events."""
        source_type = "replication-group" if self.replication_group else "cache-cluster"
        events = [
            {"SourceIdentifier": self.id, "SourceType": source_type, "Message": message, "Date": now - ago}
            for ago, message in sorted(self.events, key=lambda e: e[0], reverse=True)
        ]
        members = set(self._members())

        def clusters(params: dict[str, Any]) -> dict[str, Any] | None:
            identifier = str(params.get("CacheClusterId", ""))
            if identifier not in members:
                return None
            return {
                "CacheClusters": [
                    {
                        "CacheClusterId": identifier,
                        "CacheNodeType": self.node_type,
                        "Engine": "redis",
                        "EngineVersion": "7.1.0",
                        "CacheClusterStatus": "available",
                        "NumCacheNodes": 1,
                        "ReplicationGroupId": self.id if self.replication_group else None,
                        "CacheParameterGroup": {
                            "CacheParameterGroupName": self.parameter_group,
                            "ParameterApplyStatus": "in-sync",
                        },
                        "LogDeliveryConfigurations": [] if self.replication_group else self._deliveries(),
                    }
                ]
            }

        def parameters(params: dict[str, Any]) -> dict[str, Any] | None:
            if not _only(params, "CacheParameterGroupName", self.parameter_group):
                return None
            policy = {
                "ParameterName": "maxmemory-policy",
                "ParameterValue": self.maxmemory_policy,
                "Source": "user",
            }
            return {"Parameters": [policy]}

        def described_events(params: dict[str, Any]) -> dict[str, Any] | None:
            asked = str(params.get("SourceIdentifier", ""))
            if asked not in {self.id, *members}:
                return None
            start, end = params.get("StartTime", now - timedelta(days=14)), params.get("EndTime", now)
            return {"Events": [e for e in events if start <= e["Date"] <= end and asked == self.id]}

        return {
            ("elasticache", "DescribeCacheClusters"): lambda p: _strip_none(clusters(p)),
            ("elasticache", "DescribeCacheParameters"): parameters,
            ("elasticache", "DescribeEvents"): described_events,
        }


_DIRECTIONS = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c"}


def short_region(region: str) -> str:
    """A region as ElastiCache endpoints abbreviate it: us-east-1 -> use1, ap-southeast-2 -> apse2."""
    area, direction, number = region.split("-")
    for word, letter in _DIRECTIONS.items():
        direction = direction.replace(word, letter)
    return f"{area}{direction}{number}"


def _strip_none(value: Any) -> Any:
    """A response without the keys a builder left empty (botocore's shapes have no nulls)."""
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


# --- Kinesis -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stream(Service):
    """A provisioned stream with a consumer whose iterator age is its lag."""

    name: str = "clickstream"
    shards: int = 2
    records_per_minute: float = 30000

    def defaults(self) -> dict[str, Level]:
        return {
            "GetRecords.IteratorAgeMilliseconds": Level(400),
            "IncomingRecords": Level(self.records_per_minute),
            "IncomingBytes": Level(self.records_per_minute * 600),
            "WriteProvisionedThroughputExceeded": Level(0, spread=0),
            "ReadProvisionedThroughputExceeded": Level(0, spread=0),
        }

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        clients.client("kinesis").create_stream(StreamName=self.name, ShardCount=self.shards)
        return self.named()

    def named(self) -> Ids:
        return {"stream": self.name}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/Kinesis", {"StreamName": self.name}, tuple(self.levels()))]


# --- EC2 ---------------------------------------------------------------------------------------

AGENT_PARAMETER = "AmazonCloudWatch-linux"


@dataclass(frozen=True)
class Instance(Service):
    """An instance (a burstable T class by default) with the CloudWatch agent shipping its app log."""

    type: str = "t3.medium"
    credits: Literal["standard", "unlimited"] = "standard"
    agent_log_group: str = "/ec2/{instance_id}/app"  # as the agent's configuration names it
    system_status: Literal["ok", "impaired"] = "ok"
    instance_status: Literal["ok", "impaired"] = "ok"
    scheduled: tuple[tuple[str, timedelta], ...] = ()  # (event code, how long after the alarm it is due)

    def defaults(self) -> dict[str, Level]:
        levels = {
            "CPUUtilization": Level(22),
            "StatusCheckFailed_System": Level(0, spread=0),
            "StatusCheckFailed_Instance": Level(0, spread=0),
            "mem_used_percent": Level(48, spread=0.03),
            "disk_used_percent": Level(61, spread=0.01),
        }
        if self.type.startswith("t"):
            levels |= {"CPUCreditBalance": Level(280, spread=0.02), "CPUCreditUsage": Level(2.2)}
        return levels

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        ec2 = clients.client("ec2")
        subnet = built.tasks[0].subnet if built.tasks else None
        request: dict[str, Any] = {
            "ImageId": "ami-12c6146b",
            "InstanceType": self.type,
            "MinCount": 1,
            "MaxCount": 1,
        }
        if subnet:
            request["SubnetId"] = subnet
        if self.type.startswith("t"):
            request["CreditSpecification"] = {"CpuCredits": self.credits}
        instance = ec2.run_instances(**request)["Instances"][0]
        identifier = instance["InstanceId"]
        config = {"logs": {"logs_collected": {"files": {"collect_list": [
            {"file_path": "/var/log/app/app.log", "log_group_name": self.agent_log_group,
             "log_stream_name": "{instance_id}"}]}}}}  # fmt: skip
        clients.client("ssm").put_parameter(Name=AGENT_PARAMETER, Type="String", Value=json.dumps(config))
        clients.logs.create_log_group(logGroupName=self.agent_log_group.replace("{instance_id}", identifier))
        return {"instance": identifier}

    def named(self) -> Ids:
        return {"instance": "{instance}"}

    def published(self, ids: Ids) -> list[Published]:
        instance = {"InstanceId": ids["instance"]}
        platform = tuple(name for name in self.levels() if not name.endswith("_percent"))
        disk = {**instance, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}
        return [
            Published("AWS/EC2", instance, platform),
            Published("CWAgent", instance, ("mem_used_percent",)),
            Published("CWAgent", disk, ("disk_used_percent",)),
        ]

    def log_group(self, ids: Ids) -> tuple[str, str] | None:
        return "instance", self.agent_log_group.replace("{instance_id}", ids["instance"])

    def facts(self, ids: Ids, now: datetime) -> Responses:
        """Status checks and scheduled events as EC2 reports them (moto's are always ok and empty)."""
        if self.system_status == "ok" and self.instance_status == "ok" and not self.scheduled:
            return {}
        identifier = ids["instance"]

        def check(status: str) -> dict[str, Any]:
            detail: dict[str, Any] = {
                "Name": "reachability",
                "Status": "failed" if status == "impaired" else "passed",
            }
            if status == "impaired":
                detail["ImpairedSince"] = now - timedelta(minutes=9)
            return {"Status": status, "Details": [detail]}

        status = {
            "InstanceId": identifier,
            "AvailabilityZone": f"{ids.get('region', 'us-east-1')}a",
            "InstanceState": {"Code": 16, "Name": "running"},
            "SystemStatus": check(self.system_status),
            "InstanceStatus": check(self.instance_status),
            "Events": [
                {
                    "InstanceEventId": f"instance-event-{index:017x}",
                    "Code": code,
                    "Description": "The instance is running on degraded hardware",
                    "NotBefore": now + due,
                    "NotAfter": now + due + timedelta(hours=2),
                }
                for index, (code, due) in enumerate(self.scheduled)
            ],
        }

        def answer(params: dict[str, Any]) -> dict[str, Any] | None:
            return {"InstanceStatuses": [status]} if identifier in params.get("InstanceIds", []) else None

        return {("ec2", "DescribeInstanceStatus"): answer}


@dataclass(frozen=True)
class NatGateway(Service):
    """The world's public NAT gateway: the default route of its app subnets, the tasks' (and the worker's,
    when it runs there) way out."""

    def defaults(self) -> dict[str, Level]:
        return {
            "ErrorPortAllocation": Level(0, spread=0),
            "PacketsDropCount": Level(0, spread=0),
            "ActiveConnectionCount": Level(1800),
            "ConnectionAttemptCount": Level(2400),
            "ConnectionEstablishedCount": Level(2395),
            "IdleTimeoutCount": Level(3),
        }

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        ec2 = clients.client("ec2")
        in_vpc = [{"Name": "vpc-id", "Values": [built.vpc]}]
        (gateway,) = ec2.describe_nat_gateways(Filters=in_vpc)["NatGateways"]
        return {"nat": gateway["NatGatewayId"]}

    def named(self) -> Ids:
        return {"nat": "{nat}"}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/NATGateway", {"NatGatewayId": ids["nat"]}, tuple(self.levels()))]


@dataclass(frozen=True)
class Volume(Service):
    """An EBS volume (gp2 by default: it runs on I/O credits)."""

    type: str = "gp2"
    size_gb: int = 100

    def defaults(self) -> dict[str, Level]:
        levels = {
            "VolumeQueueLength": Level(0.6),
            "VolumeReadOps": Level(9000),
            "VolumeWriteOps": Level(6000),
        }
        if self.type in ("gp2", "st1", "sc1"):
            levels["BurstBalance"] = Level(96, spread=0.01)
        return levels

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        zone = built.tasks[0].zone if built.tasks else f"{built.region}a"
        volume = clients.client("ec2").create_volume(
            Size=self.size_gb, VolumeType=self.type, AvailabilityZone=zone
        )
        return {"volume": volume["VolumeId"]}

    def named(self) -> Ids:
        return {"volume": "{volume}"}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/EBS", {"VolumeId": ids["volume"]}, tuple(self.levels()))]


# --- ACM, Secrets Manager ----------------------------------------------------------------------


HANDSHAKE_ERRORS = "ClientTLSNegotiationErrorCount"


@dataclass(frozen=True)
class Certificate(Service):
    """A certificate expiring ``expires_in`` after the alarm (imported ones are never renewed by ACM);
    ``on_listener``: the world's load balancer presents it on an HTTPS listener, and publishes the
    handshakes that fail (``ClientTLSNegotiationErrorCount``)."""

    domain: str = "shop.example.com"
    expires_in: timedelta = timedelta(days=200)
    type: Literal["AMAZON_ISSUED", "IMPORTED"] = "AMAZON_ISSUED"
    renewal_status: Literal["PENDING_AUTO_RENEWAL", "PENDING_VALIDATION", "SUCCESS", "FAILED"] | None = None
    on_listener: bool = False

    def defaults(self) -> dict[str, Level]:
        levels = {"DaysToExpiry": Level(max(self.expires_in.total_seconds() / 86400, 0), spread=0)}
        if self.on_listener:
            levels[HANDSHAKE_ERRORS] = Level(1)
        return levels

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        arn = clients.client("acm").request_certificate(DomainName=self.domain, ValidationMethod="DNS")
        ids = {"certificate": arn["CertificateArn"]}
        if self.on_listener:
            balancer = f"arn:aws:elasticloadbalancing:{built.region}:{built.account}:loadbalancer/{built.load_balancer}"
            clients.client("elbv2").create_listener(
                LoadBalancerArn=balancer,
                Protocol="HTTPS",
                Port=443,
                Certificates=[{"CertificateArn": ids["certificate"]}],
                DefaultActions=[{"Type": "forward", "TargetGroupArn": built.target_group_arn}],
            )
            ids |= {"listener_balancer": balancer, "listener_dimension": built.load_balancer}
        return ids

    def named(self) -> Ids:
        listener = {"listener_dimension": "{load_balancer}"} if self.on_listener else {}
        return {"certificate": "{certificate}", **listener}

    def published(self, ids: Ids) -> list[Published]:
        own = Published("AWS/CertificateManager", {"CertificateArn": ids["certificate"]}, ("DaysToExpiry",))
        if not self.on_listener:
            return [own]
        balancer = {"LoadBalancer": ids["listener_dimension"]}
        return [own, Published("AWS/ApplicationELB", balancer, (HANDSHAKE_ERRORS,))]

    def facts(self, ids: Ids, now: datetime) -> Responses:
        """Its dates and renewal as ACM keeps them (moto issues every certificate for a year from now)."""
        not_after = now + self.expires_in
        detail: dict[str, Any] = {
            "CertificateArn": ids["certificate"],
            "DomainName": self.domain,
            "SubjectAlternativeNames": [self.domain],
            "Status": "EXPIRED" if self.expires_in <= timedelta(0) else "ISSUED",
            "Type": self.type,
            "NotBefore": not_after - timedelta(days=395),
            "NotAfter": not_after,
            "InUseBy": [
                ids.get("listener_balancer")
                or f"arn:aws:elasticloadbalancing:{ids['region']}:{ids['account']}:loadbalancer/app/shop/0f1e2d3c4b5a6978"
            ],
            "RenewalEligibility": "ELIGIBLE" if self.type == "AMAZON_ISSUED" else "INELIGIBLE",
        }
        if self.renewal_status:
            # The domain's validation as the renewal left it: pending or failed until its DNS record is there.
            validation = {"PENDING_AUTO_RENEWAL": "SUCCESS", "SUCCESS": "SUCCESS"}.get(self.renewal_status)
            detail["RenewalSummary"] = {
                "RenewalStatus": self.renewal_status,
                "DomainValidationOptions": [
                    {
                        "DomainName": self.domain,
                        "ValidationDomain": self.domain,
                        "ValidationStatus": validation or self.renewal_status,
                        "ResourceRecord": {
                            "Name": f"_3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f.{self.domain}.",
                            "Type": "CNAME",
                            "Value": "_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d.mhbtsbpdnt.acm-validations.aws.",
                        },
                        "ValidationMethod": "DNS",
                    }
                ],
                "UpdatedAt": now - timedelta(days=2),
            }
            if self.renewal_status in ("PENDING_VALIDATION", "FAILED"):
                detail["RenewalSummary"]["RenewalStatusReason"] = "CAA_ERROR"

        def answer(params: dict[str, Any]) -> dict[str, Any] | None:
            return {"Certificate": detail} if _only(params, "CertificateArn", ids["certificate"]) else None

        return {("acm", "DescribeCertificate"): answer}


@dataclass(frozen=True)
class Secret(Service):
    """A secret the worker's environment names, changed ``changed_ago`` before the alarm by ``action``."""

    name: str = "prod/orders/db-password"
    changed_ago: timedelta = timedelta(days=30)
    action: Literal["RotateSecret", "PutSecretValue", "UpdateSecret"] = "RotateSecret"
    rotation_days: int | None = 30
    actor: str = "arn:aws:sts::123456789012:assumed-role/SecretsRotation/rotation-lambda"

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        created = clients.client("secretsmanager").create_secret(Name=self.name, SecretString="initial")
        awslambda = clients.client("lambda")
        awslambda.update_function_configuration(
            FunctionName=built.names.worker, Environment={"Variables": {"DB_SECRET_ARN": created["ARN"]}}
        )
        config = awslambda.get_function_configuration(FunctionName=built.names.worker)
        versions = awslambda.list_versions_by_function(FunctionName=built.names.worker)["Versions"]
        for response in (config, *versions):
            response.pop("ResponseMetadata", None)
        built.worker_config, built.worker_versions = config, versions
        return {"secret": self.name, "secret_arn": created["ARN"]}

    def named(self) -> Ids:
        return {"secret": self.name, "secret_arn": "{secret_arn}"}

    def published(self, ids: Ids) -> list[Published]:
        return []

    def facts(self, ids: Ids, now: datetime) -> Responses:
        """Its dates and rotation as Secrets Manager keeps them (moto has them only after a rotation runs)."""
        changed = now - self.changed_ago
        described: dict[str, Any] = {
            "ARN": ids["secret_arn"],
            "Name": self.name,
            "LastChangedDate": changed,
            "LastAccessedDate": now.replace(hour=0, minute=0, second=0, microsecond=0),
            "CreatedDate": now - timedelta(days=400),
            "VersionIdsToStages": {
                "c0ffee00-0000-4000-8000-000000000001": ["AWSCURRENT"],
                "c0ffee00-0000-4000-8000-000000000000": ["AWSPREVIOUS"],
            },
            "RotationEnabled": self.rotation_days is not None,
        }
        if self.rotation_days is not None:
            described |= {
                "RotationLambdaARN": f"arn:aws:lambda:{ids['region']}:{ids['account']}:function:secrets-rotation",
                "RotationRules": {"AutomaticallyAfterDays": self.rotation_days},
                "NextRotationDate": changed + timedelta(days=self.rotation_days),
            }
        if self.action == "RotateSecret":
            described["LastRotatedDate"] = changed

        def answer(params: dict[str, Any]) -> dict[str, Any] | None:
            asked = str(params.get("SecretId", ""))
            return described if asked in (self.name, ids["secret_arn"]) else None

        return {("secretsmanager", "DescribeSecret"): answer}

    def calls(self, ids: Ids) -> list[ApiCall]:
        if self.changed_ago > timedelta(hours=3):
            return []  # older than anything CloudTrail is asked about
        return [ApiCall("secretsmanager.amazonaws.com", self.action, self.changed_ago, {"secretId": ids["secret_arn"]},
                        self.actor)]  # fmt: skip


# --- EFS, Step Functions, EventBridge, RDS replicas --------------------------------------------


@dataclass(frozen=True)
class FileSystem(Service):
    """An EFS file system in bursting mode by default (throughput on credits earned by its size)."""

    throughput_mode: Literal["bursting", "provisioned", "elastic"] = "bursting"

    def defaults(self) -> dict[str, Level]:
        return {
            "BurstCreditBalance": Level(2.1e12, spread=0.01),
            "PercentIOLimit": Level(14),
            "PermittedThroughput": Level(1.05e8, spread=0),
            "MeteredIOBytes": Level(9e8),
            "ClientConnections": Level(6, spread=0),
        }

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        created = clients.client("efs").create_file_system(
            ThroughputMode=self.throughput_mode,
            PerformanceMode="generalPurpose",
            CreationToken=built.names.service,
        )
        return {"file_system": created["FileSystemId"]}

    def named(self) -> Ids:
        return {"file_system": "{file_system}"}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/EFS", {"FileSystemId": ids["file_system"]}, tuple(self.levels()))]


@dataclass(frozen=True)
class StateMachine(Service):
    """A Standard workflow logging its errors to a log group of its own."""

    name: str = "order-fulfilment"
    type: Literal["STANDARD", "EXPRESS"] = "STANDARD"
    logging: Literal["ALL", "ERROR", "FATAL", "OFF"] = "ERROR"

    def defaults(self) -> dict[str, Level]:
        return {
            "ExecutionsStarted": Level(40),
            "ExecutionsFailed": Level(0, spread=0),
            "ExecutionsTimedOut": Level(0, spread=0),
            "ExecutionThrottled": Level(0, spread=0),
            "ExecutionTime": Level(5200),
        }

    def _group(self) -> str:
        return f"/aws/vendedlogs/states/{self.name}"

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        role = clients.client("iam").create_role(RoleName=f"{self.name}-role", AssumeRolePolicyDocument="{}")
        definition = {"StartAt": "Fulfil", "States": {"Fulfil": {"Type": "Pass", "End": True}}}
        logging: dict[str, Any] = {"level": self.logging, "includeExecutionData": False}
        if self.logging != "OFF":
            arn = f"arn:aws:logs:{built.region}:{built.account}:log-group:{self._group()}:*"
            logging["destinations"] = [{"cloudWatchLogsLogGroup": {"logGroupArn": arn}}]
            clients.logs.create_log_group(logGroupName=self._group())
        created = clients.client("stepfunctions").create_state_machine(
            name=self.name,
            definition=json.dumps(definition),
            roleArn=role["Role"]["Arn"],
            type=self.type,
            loggingConfiguration=logging,
        )
        return {"state_machine": created["stateMachineArn"]}

    def named(self) -> Ids:
        return {"state_machine": "{state_machine}"}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/States", {"StateMachineArn": ids["state_machine"]}, tuple(self.levels()))]

    def log_group(self, ids: Ids) -> tuple[str, str] | None:
        return ("states", self._group()) if self.logging != "OFF" else None


@dataclass(frozen=True)
class Rule(Service):
    """A scheduled rule invoking the world's worker, with or without a dead-letter queue for its target."""

    name: str = "nightly-reindex"
    dead_letter: bool = False

    def defaults(self) -> dict[str, Level]:
        return {
            "TriggeredRules": Level(1, spread=0),
            "Invocations": Level(1, spread=0),
            "FailedInvocations": Level(0, spread=0),
            "DeadLetterInvocations": Level(0, spread=0),
        }

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        events = clients.client("events")
        events.put_rule(Name=self.name, ScheduleExpression="rate(1 minute)")
        target: dict[str, Any] = {
            "Id": "worker",
            "Arn": built.worker_arn,
            "RetryPolicy": {"MaximumRetryAttempts": 2},
        }
        if self.dead_letter:
            queue = f"arn:aws:sqs:{built.region}:{built.account}:{built.names.dead_letter_queue}"
            target["DeadLetterConfig"] = {"Arn": queue}
        events.put_targets(Rule=self.name, Targets=[target])
        return {"rule": self.name}

    def named(self) -> Ids:
        return {"rule": self.name}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/Events", {"RuleName": self.name}, tuple(self.levels()))]


@dataclass(frozen=True)
class Replica(Service):
    """A read replica of the world's database, with its lag behind it."""

    name: str = "orders-db-replica"
    serves_reads: bool = False  # the service's queries go to the replica (its traces name its endpoint)

    def defaults(self) -> dict[str, Level]:
        return {
            "ReplicaLag": Level(0.4),
            "CPUUtilization": Level(14),
            "DatabaseConnections": Level(6),
            "FreeableMemory": Level(900 * (1 << 20), spread=0.01),
            "SwapUsage": Level(1 << 20, spread=0.05),
            "ReadLatency": Level(0.002),
            "WriteLatency": Level(0.003),
            "FreeStorageSpace": Level(31 * (1 << 30), spread=0.002),
        }

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        rds = clients.client("rds")
        rds.create_db_instance_read_replica(
            DBInstanceIdentifier=self.name, SourceDBInstanceIdentifier=built.names.database
        )
        if not self.serves_reads:
            return self.named()
        described = rds.describe_db_instances(DBInstanceIdentifier=self.name)["DBInstances"][0]
        return {**self.named(), "read_endpoint": described["Endpoint"]["Address"]}

    def named(self) -> Ids:
        return {"replica": self.name}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/RDS", {"DBInstanceIdentifier": self.name}, tuple(self.levels()))]


@dataclass(frozen=True)
class Storage(Service):
    """The world's database's storage: always there, its free space a series of its own."""

    allocated_gb: int = 50
    max_allocated_gb: int | None = None  # storage autoscaling's ceiling

    def defaults(self) -> dict[str, Level]:
        return {"FreeStorageSpace": Level(self.allocated_gb * 0.62 * (1 << 30), spread=0.002)}

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        if self.max_allocated_gb is not None or self.allocated_gb != 50:
            request: dict[str, Any] = {
                "DBInstanceIdentifier": built.names.database,
                "AllocatedStorage": self.allocated_gb,
            }
            if self.max_allocated_gb is not None:
                request["MaxAllocatedStorage"] = self.max_allocated_gb
            clients.client("rds").modify_db_instance(**request, ApplyImmediately=True)
        return {}

    def published(self, ids: Ids) -> list[Published]:
        return [Published("AWS/RDS", {"DBInstanceIdentifier": ids["database"]}, tuple(self.levels()))]


@dataclass(frozen=True)
class DatabaseEvents(Service):
    """What RDS recorded about the world's database (a failover, a reboot, low storage): moto records only
    its own creation, so DescribeEvents is answered in its real shape."""

    events: tuple[
        tuple[timedelta, str, tuple[str, ...]], ...
    ] = ()  # (how long before the alarm, message, categories)

    def build(self, clients: AwsClients, built: Built, now: datetime) -> Ids:
        return {}

    def published(self, ids: Ids) -> list[Published]:
        return []

    def facts(self, ids: Ids, now: datetime) -> Responses:
        database = ids["database"]
        arn = f"arn:aws:rds:{ids['region']}:{ids['account']}:db:{database}"
        events = [
            {"SourceIdentifier": database, "SourceType": "db-instance", "Message": message,
             "EventCategories": list(categories), "Date": now - ago, "SourceArn": arn}
            for ago, message, categories in sorted(self.events, key=lambda e: e[0], reverse=True)
        ]  # fmt: skip

        def answer(params: dict[str, Any]) -> dict[str, Any] | None:
            if params.get("SourceIdentifier") != database:
                return None
            start, end = params.get("StartTime", now - timedelta(days=1)), params.get("EndTime", now)
            return {"Events": [e for e in events if start <= e["Date"] <= end]}

        return {("rds", "DescribeEvents"): answer}


# --- the options together ----------------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """The world's services beyond the web stack; the database's storage is always there."""

    storage: Storage = field(default_factory=Storage)
    table: Table | None = None
    api: Api | None = None
    cache: Cache | None = None
    stream: Stream | None = None
    instance: Instance | None = None
    nat: NatGateway | None = None
    certificate: Certificate | None = None
    secret: Secret | None = None
    volume: Volume | None = None
    file_system: FileSystem | None = None
    state_machine: StateMachine | None = None
    rule: Rule | None = None
    replica: Replica | None = None
    database_events: DatabaseEvents | None = None

    def chosen(self) -> list[tuple[str, Service]]:
        return [(f.name, value) for f in fields(self) if isinstance(value := getattr(self, f.name), Service)]


@dataclass
class Seeded:
    """What the services became in the world: their ids (for placeholders) and where their lines go."""

    ids: Ids = field(default_factory=dict)
    by_service: dict[str, Ids] = field(default_factory=dict)
    log_groups: dict[str, str] = field(default_factory=dict)  # LogLine group -> log group name


def build(clients: AwsClients, services: Services, built: Built, now: datetime) -> Seeded:
    seeded = Seeded()
    base = {"region": built.region, "account": built.account, "database": built.names.database}
    for name, service in services.chosen():
        ids = {**base, **service.build(clients, built, now)}
        seeded.by_service[name] = ids
        seeded.ids.update({k: v for k, v in ids.items() if k not in base})
        where = service.log_group(ids)
        if where:
            seeded.log_groups[where[0]] = where[1]
    return seeded


def dry(services: Services, database: str) -> Seeded:
    """The services as far as their metrics need them, without AWS (``Service.named``: an id AWS
    assigns stays its placeholder)."""
    seeded = Seeded()
    for name, service in services.chosen():
        seeded.by_service[name] = {"database": database, **service.named()}
        seeded.ids.update(service.named())
    return seeded


def metric_points(services: Services, seeded: Seeded, minutes: Sequence[Minute], seed: str) -> list[Point]:
    """Every service's series, each from a random stream of its own."""
    points: list[Point] = []
    for name, service in services.chosen():
        rng, levels = Rng(f"{seed}/{name}"), service.levels()
        for published in service.published(seeded.by_service[name]):
            # In name order, as the analyzer asks for them: moto matches dimensions in order (AWS does not).
            dimensions = [{"Name": k, "Value": v} for k, v in sorted(published.dimensions.items())]
            for minute in minutes:
                for metric in published.metrics:
                    points.append(
                        {
                            "namespace": published.namespace,
                            "MetricName": metric,
                            "Dimensions": dimensions,
                            "Timestamp": minute.at,
                            "Value": round(levels[metric].at(minute, rng), 6),
                        }
                    )
    return points


def responses(services: Services, seeded: Seeded, now: datetime) -> Responses:
    """What moto cannot say about the services; two services answering one operation are chained."""
    found: dict[tuple[str, str], list[Answer]] = {}
    for name, service in services.chosen():
        for key, answer in service.facts(seeded.by_service[name], now).items():
            found.setdefault(key, []).append(answer)
    return {key: _first(answers) for key, answers in found.items()}


def _first(answers: list[Answer]) -> Answer:
    if len(answers) == 1:
        return answers[0]

    def chained(params: dict[str, Any]) -> Mapping[str, Any] | None:
        for answer in answers:
            found = answer(params) if callable(answer) else answer
            if found is not None:
                return found
        return None

    return chained


def calls(services: Services, seeded: Seeded) -> list[ApiCall]:
    return [call for name, service in services.chosen() for call in service.calls(seeded.by_service[name])]
