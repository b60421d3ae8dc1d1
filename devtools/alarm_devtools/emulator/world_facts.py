"""What AWS would say about the world that moto cannot: answers for ``injected.injected``.

Target health with the load balancer's reason, the service's ECS deployments, Lambda version
times, CodeDeploy and AppConfig deployments, the database's events, CloudTrail's record of who
changed what, and the alarm's history. Each answer is built from the created world (its real ids and ARNs) and the
scenario's timeline, so it agrees with the metrics, logs and traces.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from moto.xray.models import xray_backends

from .injected import Answer
from .world import ApiCall, Built, Deployment, Fired, Minute, Rng, placeholders
from .world_build import CANARY_WEIGHT, FLAG_PROFILE, LIVE_ALIAS

ROLLOUT = timedelta(minutes=15)  # an ECS rolling deployment lists its old deployment this long
CREATED_AGO = timedelta(days=21)  # when the world was first deployed
STABLE_AGO = timedelta(days=9)  # the last release before the scenario's own
FLAPPING_SPAN = timedelta(hours=22)
ENVIRONMENT_ID = "prod0001"


@dataclass(frozen=True)
class FactsInput:
    built: Built
    now: datetime
    last_minute: Minute
    deployments: Sequence[Deployment]
    calls: Sequence[ApiCall]
    alarm_name: str
    fired: Fired
    flapping: int  # earlier ALARM episodes in the past day


def _lambda_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _latest(deployments: Sequence[Deployment], kind: str) -> Deployment | None:
    found = [d for d in deployments if d.kind == kind]
    return min(found, key=lambda d: d.ago) if found else None


# --- load balancing ------------------------------------------------------------------------------


def target_health(facts: FactsInput) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    built, minute = facts.built, facts.last_minute
    fault = minute.fault
    failing = fault.targets if fault and minute.faulty and minute.strength >= 1 else None
    descriptions = []
    for task in built.tasks:
        health: dict[str, Any] = {"State": "healthy"}
        if failing and fault and fault.hits(task.zone):
            health = {"State": "unhealthy", "Reason": failing.reason, "Description": failing.description}
        descriptions.append(
            {"Target": {"Id": task.ip, "Port": 8080, "AvailabilityZone": task.zone}, "HealthCheckPort": "8080",
             "TargetHealth": health}
        )  # fmt: skip

    def answer(params: dict[str, Any]) -> dict[str, Any] | None:
        if params.get("TargetGroupArn") != built.target_group_arn:
            return None
        return {"TargetHealthDescriptions": descriptions}

    return answer


# --- ECS -----------------------------------------------------------------------------------------


def _ecs_deployment(
    built: Built, rng: Rng, task_definition: str, at: datetime, *, status: str, running: int, rollout: str
) -> dict[str, Any]:
    desired = len(built.tasks)
    return {
        "id": f"ecs-svc/{rng.random.randint(10**18, 10**19 - 1)}",
        "status": status,
        "taskDefinition": task_definition,
        "desiredCount": desired if status == "PRIMARY" else 0,
        "pendingCount": 0 if status != "PRIMARY" else desired - running,
        "runningCount": running,
        "failedTasks": 0,
        "createdAt": at,
        "updatedAt": at + timedelta(minutes=4),
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
        "platformFamily": "Linux",
        "networkConfiguration": built.service["networkConfiguration"],
        "rolloutState": rollout,
        "rolloutStateReason": "ECS deployment ecs-svc completed."
        if rollout == "COMPLETED"
        else "ECS deployment in progress.",
    }


def ecs_service(facts: FactsInput, rng: Rng) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """DescribeServices as ECS tells it: the newest deployment PRIMARY, the one it replaces still ACTIVE
    while the rollout lasts."""
    built, now = facts.built, facts.now
    releases = sorted((d for d in facts.deployments if d.kind == "ecs"), key=lambda d: d.ago, reverse=True)
    times = [now - CREATED_AGO, *(now - d.ago for d in releases)]
    live, started = built.task_definitions[-1], times[-1]
    deployments = []
    if now - started < ROLLOUT:
        deployments = [
            _ecs_deployment(
                built, rng, live, started, status="PRIMARY", running=len(built.tasks), rollout="IN_PROGRESS"
            ),
            _ecs_deployment(
                built,
                rng,
                built.task_definitions[-2],
                times[-2],
                status="ACTIVE",
                running=len(built.tasks) // 2,
                rollout="COMPLETED",
            ),
        ]
    else:
        deployments = [
            _ecs_deployment(
                built, rng, live, started, status="PRIMARY", running=len(built.tasks), rollout="COMPLETED"
            )
        ]
    service = {**built.service, "taskDefinition": live, "deployments": deployments, "runningCount": len(built.tasks),
               "createdAt": times[0]}  # fmt: skip

    def answer(params: dict[str, Any]) -> dict[str, Any] | None:
        if built.names.service not in [s.rsplit("/", 1)[-1] for s in params.get("services", [])]:
            return None
        return {"services": [service], "failures": []}

    return answer


# --- Lambda --------------------------------------------------------------------------------------


def _worker_updated(facts: FactsInput) -> datetime | None:
    """When a call CloudTrail recorded last updated the worker's code or configuration ($LATEST)."""
    worker, values = facts.built.names.worker, placeholders(facts.built)
    named = [
        (call, str(call.parameters.get("functionName", "")).format(**values))
        for call in facts.calls
        if call.source == "lambda.amazonaws.com" and call.name.startswith("UpdateFunction")
    ]
    moments = [facts.now - call.ago for call, name in named if name.split(":function:")[-1] == worker]
    return max(moments, default=None)


def _version_times(facts: FactsInput) -> dict[str, datetime]:
    """When each version was published, and $LATEST last updated: moto stamps them all "now"."""
    canary = _latest(facts.deployments, "lambda_canary")
    if canary is None:
        return {"$LATEST": _worker_updated(facts) or facts.now - STABLE_AGO}
    released = facts.now - canary.ago
    return {"$LATEST": released - timedelta(minutes=1), "1": facts.now - STABLE_AGO, "2": released}


def _worker_configuration(facts: FactsInput) -> dict[str, Any]:
    return {**facts.built.worker_config, "LastModified": _lambda_time(_version_times(facts)["$LATEST"])}


def lambda_versions(facts: FactsInput) -> tuple[Answer, Answer]:
    built, times = facts.built, _version_times(facts)
    versions = [
        {**v, "LastModified": _lambda_time(times.get(v["Version"], facts.now - CREATED_AGO))}
        for v in built.worker_versions
    ]
    config = _worker_configuration(facts)

    def ours(params: dict[str, Any]) -> bool:
        return str(params.get("FunctionName", "")).split(":function:")[-1].split(":")[0] == built.names.worker

    def listed(params: dict[str, Any]) -> dict[str, Any] | None:
        return {"Versions": versions} if ours(params) else None

    def configured(params: dict[str, Any]) -> dict[str, Any] | None:
        return config if ours(params) and not params.get("Qualifier") else None

    return listed, configured


def listed_functions(facts: FactsInput) -> Answer:
    """ListFunctions with the worker's DeadLetterConfig, which moto does not keep (else moto's own answer).
    The world's other functions (the analyzer's, in the demo) configure none: only the worker is listed."""
    config = _worker_configuration(facts)
    return {"Functions": [config]} if "DeadLetterConfig" in config else lambda _: None


def codedeploy(facts: FactsInput, rng: Rng) -> dict[tuple[str, str], Answer]:
    """The CodeDeploy Lambda canary that shifted 10% of the alias to the new version."""
    canary = _latest(facts.deployments, "lambda_canary")
    if canary is None:
        return {}
    names, created = facts.built.names, facts.now - canary.ago
    deployment_id = f"d-{rng.hex(9).upper()}"
    appspec = {"version": 0.0, "Resources": [{names.worker: {"Type": "AWS::Lambda::Function", "Properties": {
        "Name": names.worker, "Alias": LIVE_ALIAS, "CurrentVersion": "1", "TargetVersion": "2"}}}]}  # fmt: skip
    info = {
        "applicationName": names.worker,
        "deploymentGroupName": f"{names.worker}-{LIVE_ALIAS}",
        "deploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent30Minutes",
        "deploymentId": deployment_id,
        "status": "InProgress",
        "createTime": created,
        "startTime": created,
        "creator": "user",
        "computePlatform": "Lambda",
        "description": canary.what,
        "revision": {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(appspec)}},
        "deploymentOverview": {"Pending": 0, "InProgress": 1, "Succeeded": 0, "Failed": 0, "Skipped": 0},
    }

    def listed(params: dict[str, Any]) -> dict[str, Any]:
        span = params.get("createTimeRange") or {}
        inside = span.get("start", created) <= created <= span.get("end", created)
        return {"deployments": [deployment_id] if inside else []}

    return {
        ("codedeploy", "ListDeployments"): listed,
        ("codedeploy", "BatchGetDeployments"): {"deploymentsInfo": [info]},
    }


# --- AppConfig -----------------------------------------------------------------------------------

UNRELATED_APPLICATION = {"Id": "m3k9x2q", "Name": "marketing-site", "Description": "landing pages"}


def appconfig(facts: FactsInput) -> dict[tuple[str, str], Answer]:
    """Applications (an unrelated one always), and for a flag flip the service's deployments."""
    flip = _latest(facts.deployments, "appconfig")
    built = facts.built
    if flip is None or not built.appconfig:
        return {("appconfig", "ListApplications"): {"Items": [UNRELATED_APPLICATION]}}
    app, profile = built.appconfig["application"], built.appconfig["profile"]
    environment = {"ApplicationId": app, "Id": ENVIRONMENT_ID, "Name": "prod", "State": "ReadyForDeployment"}
    started = facts.now - flip.ago

    def deployment(number: int, version: str, at: datetime, label: str) -> dict[str, Any]:
        return {
            "DeploymentNumber": number, "ConfigurationName": FLAG_PROFILE, "ConfigurationVersion": version,
            "DeploymentDurationInMinutes": 2, "GrowthType": "LINEAR", "GrowthFactor": 50.0,
            "FinalBakeTimeInMinutes": 10, "State": "COMPLETE", "PercentageComplete": 100.0,
            "StartedAt": at, "CompletedAt": at + timedelta(minutes=2), "VersionLabel": label,
        }  # fmt: skip

    deployments = [
        deployment(8, "2", started, flip.what),
        deployment(7, "1", facts.now - STABLE_AGO, "all flags off"),
    ]

    def detail(params: dict[str, Any]) -> dict[str, Any]:
        chosen = next(d for d in deployments if d["DeploymentNumber"] == params.get("DeploymentNumber"))
        return {**chosen, "ApplicationId": app, "EnvironmentId": environment["Id"], "ConfigurationProfileId": profile,
                "DeploymentStrategyId": "AppConfig.Linear50PercentEvery30Seconds",
                "EventLog": [{"EventType": "DEPLOYMENT_COMPLETED", "TriggeredBy": "APPCONFIG",
                              "Description": "Deployment completed", "OccurredAt": chosen["CompletedAt"]}]}  # fmt: skip

    return {
        ("appconfig", "ListApplications"): {
            "Items": [
                UNRELATED_APPLICATION,
                {"Id": app, "Name": built.names.service, "Description": "runtime configuration"},
            ]
        },
        ("appconfig", "ListEnvironments"): {"Items": [environment]},
        ("appconfig", "ListDeployments"): {
            "Items": [{**d, "ConfigurationProfileId": profile} for d in deployments]
        },
        ("appconfig", "GetDeployment"): detail,
    }


# --- RDS -------------------------------------------------------------------------------------------

BACKUP_AGO = timedelta(hours=6, minutes=40)  # the automated backup window, long before any incident


def database_events(facts: FactsInput) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """The instance's own events: last night's automated backup (moto stamps "created" events now)."""
    names, now = facts.built.names, facts.now
    arn = f"arn:aws:rds:{facts.built.region}:{facts.built.account}:db:{names.database}"
    events = [
        {"SourceIdentifier": names.database, "SourceType": "db-instance", "Message": message,
         "EventCategories": ["backup"], "Date": now - BACKUP_AGO + timedelta(minutes=minutes), "SourceArn": arn}
        for message, minutes in (("Backing up DB instance", 0), ("Finished DB instance backup", 4))
    ]  # fmt: skip

    def answer(params: dict[str, Any]) -> dict[str, Any] | None:
        if params.get("SourceIdentifier") != names.database:
            return None
        start, end = params.get("StartTime", now - timedelta(days=1)), params.get("EndTime", now)
        return {"Events": [e for e in events if start <= e["Date"] <= end]}

    return answer


# --- CloudTrail ----------------------------------------------------------------------------------


def _role(name: str, account: str) -> str:
    return (
        name
        if name.startswith("arn:")
        else f"arn:aws:sts::{account}:assumed-role/{name}/session-{zlib.crc32(name.encode()) % 10000}"
    )


def _trail_event(
    rng: Rng,
    built: Built,
    now: datetime,
    call: ApiCall,
    *,
    response: dict[str, Any] | None = None,
    resources: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """One LookupEvents entry with its CloudTrailEvent JSON string, as CloudTrail writes it."""
    at, event_id, arn = now - call.ago, rng.uuid(), _role(call.actor, built.account)
    identity: dict[str, Any] = {"type": "AssumedRole", "principalId": f"AROA{rng.hex(16).upper()}:{arn.rsplit('/', 1)[-1]}",
                                "arn": arn, "accountId": built.account}  # fmt: skip
    if "codedeploy" in call.actor:
        identity.update(type="AWSService", invokedBy="codedeploy.amazonaws.com")
    record = {
        "eventVersion": "1.09", "userIdentity": identity, "eventTime": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": call.source, "eventName": call.name, "awsRegion": built.region, "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.17.0", "requestParameters": call.parameters, "responseElements": response,
        "requestID": rng.uuid(), "eventID": event_id, "readOnly": False, "eventType": "AwsApiCall",
        "managementEvent": True, "recipientAccountId": built.account, "eventCategory": "Management",
    }  # fmt: skip
    return {
        "EventId": event_id,
        "EventName": call.name,
        "ReadOnly": "false",
        "EventTime": at,
        "EventSource": call.source,
        "Username": arn.rsplit("/", 1)[-1],
        "Resources": [{"ResourceType": kind, "ResourceName": value} for kind, value in resources],
        "CloudTrailEvent": json.dumps(record),
    }


def _release_events(facts: FactsInput, rng: Rng) -> list[dict[str, Any]]:
    """What the releases' pipelines called: they register, publish and shift, then the service rolls."""
    built, now = facts.built, facts.now
    names, events = built.names, []
    ecs_releases = sorted(
        (d for d in facts.deployments if d.kind == "ecs"), key=lambda d: d.ago, reverse=True
    )
    for index, release in enumerate(ecs_releases):
        revision = built.task_definitions[index + 1]
        register = ApiCall(
            "ecs.amazonaws.com",
            "RegisterTaskDefinition",
            release.ago + timedelta(seconds=40),
            {"family": names.service, "cpu": "512", "memory": "1024"},
            release.actor,
        )
        update = ApiCall(
            "ecs.amazonaws.com",
            "UpdateService",
            release.ago,
            {"cluster": names.cluster, "service": names.service, "taskDefinition": revision},
            release.actor,
        )
        events += [
            _trail_event(rng, built, now, register, response={"taskDefinition": {"taskDefinitionArn": revision}}),
            _trail_event(rng, built, now, update, resources=[("AWS::ECS::Service", names.service)]),
        ]  # fmt: skip
    canary = _latest(facts.deployments, "lambda_canary")
    if canary:
        function = {"functionName": built.worker_arn}
        shift = {
            **function,
            "name": LIVE_ALIAS,
            "routingConfig": {"additionalVersionWeights": {"2": CANARY_WEIGHT}},
        }
        events += [
            _trail_event(rng, built, now, ApiCall("lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                                                   canary.ago + timedelta(minutes=1), {**function, "publish": False},
                                                   canary.actor)),
            _trail_event(rng, built, now, ApiCall("lambda.amazonaws.com", "PublishVersion20150331",
                                                   canary.ago + timedelta(seconds=20), function, canary.actor),
                         response={"version": "2", "functionArn": f"{built.worker_arn}:2"}),
            _trail_event(rng, built, now, ApiCall("lambda.amazonaws.com", "UpdateAlias20150331", canary.ago, shift,
                                                   "codedeploy-lambda-canary")),
        ]  # fmt: skip
    flip = _latest(facts.deployments, "appconfig")
    if flip and built.appconfig:
        start = {"applicationId": built.appconfig["application"], "environmentId": ENVIRONMENT_ID,
                 "configurationProfileId": built.appconfig["profile"], "configurationVersion": "2"}  # fmt: skip
        call = ApiCall("appconfig.amazonaws.com", "StartDeployment", flip.ago, start, flip.actor)
        events.append(_trail_event(rng, built, now, call, response={"deploymentNumber": 8}))
    return events


# Changes somebody made that day to things unrelated to the service: CloudTrail is never quiet.
_BACKGROUND: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", {"functionName": "billing-report-generator", "timeout": 120}),
    ("monitoring.amazonaws.com", "PutMetricAlarm", {"alarmName": "billing-report-generator-errors", "threshold": 1.0}),
    ("s3.amazonaws.com", "PutBucketLifecycle", {"bucketName": "analytics-exports-archive"}),
    ("iam.amazonaws.com", "AttachRolePolicy", {"roleName": "data-science-notebook", "policyArn": "arn:aws:iam::aws:policy/AmazonAthenaFullAccess"}),
    ("ssm.amazonaws.com", "PutParameter", {"name": "/reporting/batch-size", "overwrite": True}),
)  # fmt: skip


def trail(facts: FactsInput, rng: Rng) -> Callable[[dict[str, Any]], dict[str, Any]]:
    built, now = facts.built, facts.now
    events = _release_events(facts, rng)
    values = placeholders(facts.built)
    for call in facts.calls:
        parameters = {k: v.format(**values) if isinstance(v, str) else v for k, v in call.parameters.items()}
        events.append(_trail_event(rng, built, now, replace(call, parameters=parameters)))
    for source, name, request in rng.random.sample(_BACKGROUND, 3):
        ago = timedelta(minutes=rng.random.randint(5, 170))
        events.append(
            _trail_event(
                rng, built, now, ApiCall(source, name, ago, request, "OrganizationAccountAccessRole")
            )
        )
    events.sort(key=lambda e: e["EventTime"], reverse=True)

    def answer(params: dict[str, Any]) -> dict[str, Any]:
        start, end = params.get("StartTime", now - timedelta(days=90)), params.get("EndTime", now)
        return {
            "Events": [e for e in events if start <= e["EventTime"] <= end][: params.get("MaxResults", 50)]
        }

    return answer


# --- alarm history -------------------------------------------------------------------------------


def _history_item(
    name: str, at: datetime, *, old: str, new: str, reason: str, data: dict[str, Any]
) -> dict[str, Any]:
    state_data = {
        "version": "1.0",
        "oldState": {
            "stateValue": old,
            "stateReason": "Threshold Crossed: datapoints were within the threshold.",
        },
        "newState": {"stateValue": new, "stateReason": reason, "stateReasonData": data},
    }
    return {
        "AlarmName": name,
        "AlarmType": "MetricAlarm",
        "Timestamp": at,
        "HistoryItemType": "StateUpdate",
        "HistorySummary": f"Alarm updated from {old} to {new}",
        "HistoryData": json.dumps(state_data),
    }


def alarm_history(facts: FactsInput) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """The state change just fired, and for a flapping alarm its earlier ALARM/OK episodes."""
    now, name, fired = facts.now, facts.alarm_name, facts.fired
    into_alarm = partial(
        _history_item, name, old="OK", new="ALARM", reason=fired.reason, data=fired.reason_data
    )
    recovered = partial(
        _history_item, name, old="ALARM", new="OK", reason="Threshold Crossed: recovered.", data={}
    )
    items = [into_alarm(now)]
    step = FLAPPING_SPAN / max(facts.flapping, 1)
    for episode in range(facts.flapping):
        began = now - step * (episode + 1)
        items += [recovered(began + timedelta(minutes=3)), into_alarm(began)]

    def answer(params: dict[str, Any]) -> dict[str, Any] | None:
        if params.get("AlarmName") != name:
            return None
        start, end = (
            params.get("StartDate", now - timedelta(days=14)),
            params.get("EndDate", now + timedelta(minutes=1)),
        )
        found = [i for i in items if start <= i["Timestamp"] <= end]
        found.sort(key=lambda i: i["Timestamp"], reverse=params.get("ScanBy") != "TimestampAscending")
        return {"AlarmHistoryItems": found[: params.get("MaxRecords", 100)]}

    return answer


_SERVICE = re.compile(r'service\("((?:[^"\\]|\\.)*)"\)')
_SUMMARY_FIELDS = ("Id", "Duration", "ResponseTime", "HasFault", "HasError", "HasThrottle")


def trace_summaries(facts: FactsInput) -> Answer:
    """moto's summaries of the window, with the times X-Ray gives (moto truncates durations to whole
    seconds and answers 1 ms for every response time), and X-Ray's ``service("name") OR ...`` filter, which moto refuses: kept for the traces with
    a segment of a named service. Any other expression is left to moto."""

    def answer(params: dict[str, Any]) -> dict[str, Any] | None:
        expression = str(params.get("FilterExpression") or "")
        wanted = {name.replace('\\"', '"') for name in _SERVICE.findall(expression)}
        if _SERVICE.sub("", expression).replace("OR", "").strip():
            return None
        backend = xray_backends[facts.built.account][facts.built.region]
        start, end = (params[k].astimezone(UTC).replace(tzinfo=None) for k in ("StartTime", "EndTime"))
        found = backend.get_trace_summary(start, end, None)["TraceSummaries"]
        traces = backend._segment_collection._traces
        kept = [
            {k: summary[k] for k in _SUMMARY_FIELDS} | _timing(traces[summary["Id"]])
            for summary in found
            if not wanted or any(segment.name in wanted for segment in traces[summary["Id"]]["segments"])
        ]
        return {
            "TraceSummaries": kept,
            "TracesProcessedCount": len(found),
            "ApproximateTime": datetime.now(UTC),
        }

    return answer


def _timing(trace: Mapping[str, Any]) -> dict[str, float]:
    """The whole trace's duration, and its root segment's (the response time the caller saw)."""
    root = min((s for s in trace["segments"] if not s.parent_id), key=lambda s: s.start_time)
    return {
        "Duration": round((trace["end_date"] - trace["start_date"]).total_seconds(), 3),
        "ResponseTime": round(root.end_time - root.start_time, 3),
    }


def responses(facts: FactsInput) -> dict[tuple[str, str], Answer]:
    rng = Rng(f"{facts.built.names.service}/{facts.alarm_name}/facts")
    listed_versions, configuration = lambda_versions(facts)
    return {
        ("elbv2", "DescribeTargetHealth"): target_health(facts),
        ("ecs", "DescribeServices"): ecs_service(facts, rng),
        ("lambda", "ListVersionsByFunction"): listed_versions,
        ("lambda", "GetFunctionConfiguration"): configuration,
        ("lambda", "ListFunctions"): listed_functions(facts),
        ("cloudtrail", "LookupEvents"): trail(facts, rng),
        ("cloudwatch", "DescribeAlarmHistory"): alarm_history(facts),
        ("rds", "DescribeEvents"): database_events(facts),
        ("xray", "GetTraceSummaries"): trace_summaries(facts),
        **codedeploy(facts, rng),
        **appconfig(facts),
    }
