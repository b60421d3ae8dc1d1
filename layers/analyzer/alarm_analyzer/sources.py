"""The sources of evidence, each declared once.

A declaration says everything the rest of the analyzer needs to know of a source: its name, the
model of what it finds, the function that gathers it, how its evidence items are built, when it
found nothing, and the Lambda function (with the IAM actions its policy grants) that runs it. The
pipeline, the correlate step, the evidence builder and the state machine's Parallel branches
(``make asl``) derive from this tuple; a test holds the template's policies to the actions here.

Adding a source: its module (gather function, data model, evidence builder), a declaration here,
and its function in ``template.yaml``. Adding a service is not a source: it is an entry of the
service catalog (``catalog.py``), whose describes' actions the resources source and the scope step
take from there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import evidence as ev
from .catalog import describes, locates
from .gather import GatherContext
from .gather.alarm import gather_alarm
from .gather.changes import gather_changes
from .gather.logs import gather_logs
from .gather.metrics import gather_metrics
from .gather.resources import gather_resources
from .gather.traces import gather_traces
from .models import AlarmData, ChangesData, LogsData, MetricsData, ResourcesData, SourceData, TracesData
from .report import Evidence

D = TypeVar("D", bound=SourceData)


@dataclass(frozen=True)
class SourceSpec(Generic[D]):
    name: str
    data: type[D]
    gather: Callable[[GatherContext], D]
    evidence: Callable[[D, ev.Context], list[Evidence]]
    is_empty: Callable[[D], bool]  # "no data": found nothing at all (a gap), not "nothing wrong"
    function: str  # the template's logical id of the Lambda function that gathers it
    actions: frozenset[str]  # what that function's policy grants

    def build_evidence(self, data: SourceData, at: ev.Context) -> list[Evidence]:
        return self.evidence(data, at) if isinstance(data, self.data) else []

    def empty(self, data: SourceData) -> bool:
        return isinstance(data, self.data) and self.is_empty(data)


ECS_SERVICE_READS = frozenset({"ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices"})

# The ResolveScope step: what every gatherer used to look up for itself.
SCOPE_FUNCTION = "ResolveScopeFunction"
SCOPE_ACTIONS = frozenset(
    {
        "cloudwatch:DescribeAlarms",
        "cloudwatch:ListTagsForResource",
        "elasticloadbalancing:DescribeTargetGroups",
        *ECS_SERVICE_READS,
        "ecs:DescribeTaskDefinition",
        "xray:GetTraceSummaries",
        "xray:BatchGetTraces",
        "logs:DescribeLogGroups",
        "iam:ListAccountAliases",  # the account's name in the report's header
        # Dead-letter relationships (dead_letters.py): the queue's configuration and policy, its source
        # queues, every function's DeadLetterConfig and every mapping's on-failure destination, the
        # asynchronous on-failure destinations of the alarm's and of name-matched functions, and the
        # rules and topics the queue's policy names.
        "sqs:GetQueueAttributes",
        "sqs:ListDeadLetterSourceQueues",
        "lambda:ListFunctions",
        "lambda:GetFunctionConfiguration",
        "lambda:ListEventSourceMappings",
        "lambda:ListFunctionEventInvokeConfigs",
        "events:ListTargetsByRule",
        "sns:ListSubscriptionsByTopic",
        "sns:GetSubscriptionAttributes",
        # The configuration that names log groups: API stages, caches, state machines, the agent's.
        *(action for read in locates().values() for action in read.actions),
    }
)

SOURCES: tuple[SourceSpec[Any], ...] = (
    SourceSpec(
        name="alarm",
        data=AlarmData,
        gather=gather_alarm,
        evidence=ev.alarm_evidence,
        is_empty=lambda data: data.config is None,
        function="GatherAlarmFunction",
        actions=frozenset(
            {"cloudwatch:DescribeAlarmHistory", "cloudwatch:ListMetrics", "cloudwatch:GetMetricData"}
        ),
    ),
    SourceSpec(
        name="metrics",
        data=MetricsData,
        gather=gather_metrics,
        evidence=ev.metrics_evidence,
        is_empty=lambda data: not any(s.incident.count or s.baseline.count for s in data.series),
        function="GatherMetricsFunction",
        actions=frozenset({"cloudwatch:GetMetricData"}),
    ),
    SourceSpec(
        name="logs",
        data=LogsData,
        gather=gather_logs,
        evidence=ev.logs_evidence,
        is_empty=lambda data: not data.groups,
        function="GatherLogsFunction",
        # DescribeLogGroups only when the scope could not be resolved and prefixes are left to expand.
        actions=frozenset({"logs:FilterLogEvents", "logs:DescribeLogGroups"}),
    ),
    SourceSpec(
        name="traces",
        data=TracesData,
        gather=gather_traces,
        evidence=ev.traces_evidence,
        is_empty=lambda data: data.traces_in_window == 0,
        function="GatherTracesFunction",
        actions=frozenset({"xray:GetTraceSummaries", "xray:BatchGetTraces"}),
    ),
    SourceSpec(
        name="changes",
        data=ChangesData,
        gather=gather_changes,
        evidence=ev.changes_evidence,
        is_empty=lambda data: not data.looked_at,  # nothing in scope; "no change found" is itself evidence
        function="GatherChangesFunction",
        actions=frozenset(
            {
                "cloudtrail:LookupEvents",
                "lambda:ListVersionsByFunction",
                "lambda:ListAliases",
                "codedeploy:ListDeployments",
                "codedeploy:BatchGetDeployments",
                "appconfig:ListApplications",
                "appconfig:ListEnvironments",
                "appconfig:ListDeployments",
                "appconfig:GetDeployment",
                "cloudformation:DescribeStackEvents",
            }
        ),
    ),
    SourceSpec(
        name="resources",
        data=ResourcesData,
        gather=gather_resources,
        evidence=ev.resources_evidence,
        is_empty=lambda data: not data.looked_at,
        function="GatherResourcesFunction",
        actions=frozenset(
            {
                # Every describe of the service catalog, and the network around what they found.
                *(action for read in describes().values() for action in read.actions),
                "ec2:DescribeSubnets",
                "ec2:DescribeRouteTables",
                "ec2:DescribeNetworkAcls",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcEndpoints",
                "ec2:DescribeInstances",
            }
        ),
    ),
)

BY_NAME: dict[str, SourceSpec[Any]] = {spec.name: spec for spec in SOURCES}

# IAM names a few services differently from botocore; API Gateway has one read action for every Get*.
_IAM_PREFIX = {"elbv2": "elasticloadbalancing", "efs": "elasticfilesystem", "stepfunctions": "states"}
_IAM_READ = {"apigateway": "apigateway:GET", "apigatewayv2": "apigateway:GET"}


def iam_action(service: str, operation: str) -> str:
    """The IAM action that allows a botocore call (service as boto3 names it, operation as AWS does)."""
    return _IAM_READ.get(service) or f"{_IAM_PREFIX.get(service, service)}:{operation}"


NAMES: tuple[str, ...] = tuple(BY_NAME)


def callers() -> Counter[str]:
    """How many functions are granted each IAM action: the scope's and every source's."""
    return Counter([*SCOPE_ACTIONS, *(action for spec in SOURCES for action in spec.actions)])
