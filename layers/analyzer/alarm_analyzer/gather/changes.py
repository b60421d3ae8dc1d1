"""Recent changes: what changed in the incident window and the hour before it, for the resources in scope.

Two kinds of record answer "what changed": CloudTrail's mutating management events say who called
which API on what (plus network-path changes anywhere in the region: a route, an ACL entry or a
security group rule breaks traffic for everything in its VPC), and deployment markers say what to
roll back to: Lambda versions and aliases (with canary weights), CodeDeploy, ECS service
deployments, AppConfig deployments and CloudFormation stack updates (of the alarm's own stack, and of
stacks CloudTrail saw updated that touched the scope).

A CloudTrail call and the marker it produced are one change: the marker absorbs the call (it keeps
the version, weights and status, the call adds who did it and, for an alias, when it moved). Other
calls on the same resource stay separate: they add information the marker lacks.

The same CloudTrail read tells the changes the services beyond the code care about, each with a kind
of its own (``KINDS_BY_SOURCE``): a secret's new value or rotation, an access key or a role's permissions
changed (for the roles the scope's functions and tasks run as, the secrets they read and the
``analyzer:iam`` tag's users and roles), a table's capacity or auto scaling, an API's stage, usage
plan or deployment, a database's or cache's parameter group. No call is made for them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from ..dead_letters import queue_url
from ..discovery import load_balancer_arn, target_group_arn
from ..models import (
    Change,
    ChangeKind,
    ChangesData,
    EcsServiceRef,
    Located,
    Resource,
    Scope,
    Window,
    Windows,
)
from ..redaction import redact
from ..scope import TAG_IAM, comma_separated
from . import GatherContext, aws_time
from .secrets import environment_secrets, secret_name

TAG_APPCONFIG = "analyzer:appconfig"  # "application" or "application/environment"
LOOKBACK = timedelta(hours=1)  # changes shortly before the incident window are the usual suspects

# Call budget, typically 4-12 calls per analysis, all lookups side by side: CloudTrail 1-5 pages, Lambda
# 2 per function, CodeDeploy 1-2, AppConfig 1-4, CloudFormation 1-2 per stack in question (ECS
# deployments come with the scope).
TRAIL_PAGE_SIZE = 50  # LookupEvents' maximum
MAX_TRAIL_PAGES = 5  # LookupEvents allows 2 calls per second: 250 events at most
MAX_FUNCTIONS = 2
VERSION_PAGE_SIZE = 50
MAX_VERSION_PAGES = 3  # versions come oldest first: a function with more is noted, not paged to the end
MAX_CODEDEPLOY_DEPLOYMENTS = 25  # one BatchGetDeployments call
MAX_APPCONFIG_ENVIRONMENTS = 2
APPCONFIG_DEPLOYMENTS = 20  # newest first; enough to find the one live before the window
MAX_STACKS = 2
MAX_STACK_EVENT_PAGES = 2
MAX_CHANGES = 30
DETAIL_LENGTH = 200

# Merge key of a change: the marker and the API call that produced it share one.
Key = tuple[str, ...]

# --- CloudTrail --------------------------------------------------------------------------------

_MUTATING = re.compile(
    r"^(Update|Put|Create|Delete|Authorize|Revoke|Replace|Associate|Disassociate|Modify|Attach|Detach"
    r"|Publish|Register|Deregister|Reboot|Failover|Terminate|Enable|Disable|Set|Add|Remove|Reset|Restore"
    r"|Promote|Apply|Rollback|Increase|Decrease|(Start|Stop|Continue)Deployment|(Start|Stop)Instances"
    r"|StopTask)(?=[A-Z0-9]|$)"
)
# Writes that services make on their own as a matter of course: no one changed anything.
_ROUTINE = frozenset(
    {"CreateLogStream", "CreateLogGroup", "PutLogEvents", "CreateNetworkInterface", "DeleteNetworkInterface"}
)
# Changes on the network path: they break traffic for everything in a VPC, whatever it runs.
NETWORK_CALLS = frozenset(
    {
        "CreateRoute", "ReplaceRoute", "DeleteRoute", "CreateRouteTable", "DeleteRouteTable",
        "AssociateRouteTable", "DisassociateRouteTable", "ReplaceRouteTableAssociation",
        "CreateNetworkAcl", "DeleteNetworkAcl", "CreateNetworkAclEntry", "ReplaceNetworkAclEntry",
        "DeleteNetworkAclEntry", "ReplaceNetworkAclAssociation",
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress", "ModifySecurityGroupRules", "ModifyNetworkInterfaceAttribute",
        "CreateVpcEndpoint", "ModifyVpcEndpoint", "DeleteVpcEndpoints",
        "CreateNatGateway", "DeleteNatGateway", "AttachInternetGateway", "DetachInternetGateway",
        "DeleteInternetGateway",
    }
)  # fmt: skip
_NETWORK_IDS = (
    "routeTableId",
    "networkAclId",
    "groupId",
    "vpcEndpointId",
    "natGatewayId",
    "internetGatewayId",
    "networkInterfaceId",
    "subnetId",
    "associationId",
)
# Lambda's CloudTrail names carry the API version: UpdateFunctionCode20150331v2.
_API_VERSION = re.compile(r"\d{8}(v\d+)?$")

# The calls the rules tell apart, by the service that records them (its eventSource's first part).
KINDS_BY_SOURCE: dict[str, dict[str, ChangeKind]] = {
    "secretsmanager": dict.fromkeys(
        ("PutSecretValue", "RotateSecret", "UpdateSecret", "UpdateSecretVersionStage", "CancelRotateSecret",
         "DeleteSecret", "RestoreSecret", "RotationSucceeded", "RotationFailed"),
        "secret",
    ),
    "iam": {
        **dict.fromkeys(("CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"), "access_key"),
        **dict.fromkeys(
            ("PutRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "DeleteRolePolicy", "UpdateAssumeRolePolicy",
             "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary", "PutUserPolicy", "AttachUserPolicy",
             "DetachUserPolicy", "DeleteUserPolicy"),
            "iam_policy",
        ),
    },
    "dynamodb": dict.fromkeys(("UpdateTable", "UpdateTableReplicaAutoScaling"), "capacity"),
    "application-autoscaling": dict.fromkeys(
        ("RegisterScalableTarget", "DeregisterScalableTarget", "PutScalingPolicy", "DeleteScalingPolicy"), "capacity"
    ),
    "apigateway": dict.fromkeys(
        ("UpdateStage", "CreateDeployment", "UpdateUsagePlan", "CreateUsagePlan", "DeleteUsagePlan", "UpdateAccount",
         "UpdateRoute", "UpdateMethod"),
        "api_stage",
    ),
    "rds": dict.fromkeys(
        ("ModifyDBParameterGroup", "ResetDBParameterGroup", "ModifyDBClusterParameterGroup",
         "ResetDBClusterParameterGroup"),
        "parameter_group",
    ),
    "elasticache": dict.fromkeys(("ModifyCacheParameterGroup", "ResetCacheParameterGroup"), "parameter_group"),
}  # fmt: skip
# Kinds matched against the credentials in scope (roles, secrets, the tag's users) as well as its resources.
CREDENTIAL_KINDS = frozenset({"secret", "access_key", "iam_policy"})
# Kinds whose calls name what the scope cannot (a usage plan, the account's API limit, a parameter group
# read only by the resources gatherer): kept, whatever they name, when the scope holds such a resource.
WIDE_KINDS: dict[ChangeKind, frozenset[str]] = {
    "api_stage": frozenset({"rest_api", "rest_api_stage", "http_api", "http_api_stage"}),
    "parameter_group": frozenset({"rds_instance", "rds_cluster", "cache_cluster", "replication_group"}),
}
_WIDE_IDS = (
    "dBParameterGroupName",
    "dBClusterParameterGroupName",
    "cacheParameterGroupName",
    "usagePlanId",
    "restApiId",
    "apiId",
)


def call_kind(event_source: str, action: str) -> ChangeKind:
    return KINDS_BY_SOURCE.get(event_source.split(".", 1)[0], {}).get(action, "api_call")


def change_window(windows: Windows) -> Window:
    return Window(start=windows.incident.start - LOOKBACK, end=windows.incident.end)


def trail_events(context: GatherContext, window: Window) -> list[dict[str, Any]]:
    """Write events of the window, newest first; a capped read loses the oldest and says so."""
    request: dict[str, Any] = {
        "LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "false"}],
        "StartTime": window.start,
        "EndTime": window.end,
        "MaxResults": TRAIL_PAGE_SIZE,
    }
    events: list[dict[str, Any]] = []
    for page_number in range(MAX_TRAIL_PAGES):
        if page_number and context.out_of_time("older_trail_events"):
            return events
        page = context.clients.client("cloudtrail").lookup_events(**request)
        events.extend(page.get("Events", []))
        if not page.get("NextToken"):
            return events
        request["NextToken"] = page["NextToken"]
    oldest = min((e["EventTime"] for e in events), default=window.end)
    context.note("trail_capped", events=len(events), oldest=f"{oldest:%H:%M}")
    return events


def api_name(event_name: str) -> str:
    return _API_VERSION.sub("", event_name)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def mentions(texts: Iterable[str], names: Sequence[str]) -> str | None:
    """The first name a text refers to: whole, as an ARN or path segment, never as a mere substring."""
    for text in texts:
        segments = set(re.split(r"[^\w.$-]+", text))
        for name in names:
            if ("/" in name and name in text) or name in segments:
                return name
    return None


def _actor(record: dict[str, Any], event: dict[str, Any]) -> str | None:
    identity = record.get("userIdentity") or {}
    for value in (identity.get("arn"), identity.get("invokedBy"), identity.get("principalId")):
        if value:
            return str(value)
    return str(event["Username"]) if event.get("Username") else None


def _is_own(actor: str | None, own_prefix: str) -> bool:
    """The analyzer's own calls: its role or session (its functions' names) starts with the prefix."""
    if not own_prefix or not actor or "assumed-role/" not in actor:
        return False
    return any(part.startswith(own_prefix) for part in actor.split("assumed-role/", 1)[1].split("/"))


def _function(params: dict[str, Any]) -> str:
    name = str(params.get("functionName") or "")
    return name.split(":function:", 1)[1].split(":", maxsplit=1)[0] if ":function:" in name else name


def _call_key(action: str, params: dict[str, Any], response: dict[str, Any]) -> Key | None:
    """The marker this call produced, if any (see the module docstring)."""
    if action == "PublishVersion" and response.get("version"):
        return ("lambda_version", _function(params), str(response["version"]))
    if action in ("UpdateFunctionCode", "UpdateFunctionConfiguration"):
        return ("lambda_version", _function(params), "$LATEST")
    if action in ("UpdateAlias", "CreateAlias"):
        return ("lambda_alias", f"{_function(params)}:{params.get('name')}")
    if action == "CreateDeployment" and response.get("deploymentId"):
        return ("codedeploy", str(response["deploymentId"]))
    return None


def _scalars(params: dict[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in params.items() if isinstance(v, str | int | float | bool)]
    return ", ".join(parts[:4])


def _named_resource(params: dict[str, Any], event: dict[str, Any], keys: Sequence[str] = _NETWORK_IDS) -> str:
    """What a call outside the scope's names changed: the first of these ids it names."""
    for key in keys:
        if isinstance(params.get(key), str):
            return str(params[key])
    resources = event.get("Resources") or [{}]
    return str(resources[0].get("ResourceName") or "network")


def _with_secret_names(texts: Iterable[str]) -> Iterator[str]:
    """Texts, and after a secret's ARN its name (CloudTrail names a secret by either)."""
    for text in texts:
        yield text
        if ":secret:" in text:
            yield secret_name(text)


def trail_changes(
    events: Iterable[dict[str, Any]],
    names: Sequence[str],
    own_prefix: str,
    credentials: Sequence[str] = (),
    wide: Collection[ChangeKind] = (),
) -> list[tuple[Change, Key | None]]:
    """Mutating calls on a resource in scope (a credential change: on a credential in scope too), on the
    network path, or of the ``wide`` kinds; each with the key of its marker."""
    found: list[tuple[Change, Key | None]] = []
    for event in events:
        action = api_name(str(event.get("EventName", "")))
        source = str(event.get("EventSource") or "")
        kind = call_kind(source, action)
        if (kind == "api_call" and not _MUTATING.match(action)) or action in _ROUTINE:
            continue
        record = json.loads(event.get("CloudTrailEvent") or "{}")
        actor = _actor(record, event)
        if record.get("errorCode") or _is_own(actor, own_prefix):
            continue  # a refused call changed nothing; the analyzer's own writes are not suspects
        params = record.get("requestParameters") or {}
        response = record.get("responseElements") or {}
        names_in_event = [str(r.get("ResourceName", "")) for r in event.get("Resources") or []]
        texts = list(_with_secret_names([*names_in_event, *_strings(params), *_strings(response)]))
        matched = mentions(texts, [*names, *credentials] if kind in CREDENTIAL_KINDS else names)
        if matched is None and action not in NETWORK_CALLS and kind not in wide:
            continue
        change = Change(
            kind=kind,
            at=event["EventTime"],
            resource=matched or _named_resource(params, event, _WIDE_IDS if kind in wide else _NETWORK_IDS),
            action=action,
            actor=actor,
            detail=_clip(f"{record.get('eventSource', '')} {action}: {_scalars(params)}"),
        )
        found.append((change, _call_key(action, params, response) if kind == "api_call" else None))
    return found


def _clip(text: str) -> str:
    text = " ".join(redact(text).split())  # redacted before the cut, so no secret is cut in two
    return text if len(text) <= DETAIL_LENGTH else text[: DETAIL_LENGTH - 1] + "…"


# --- Lambda versions and aliases ---------------------------------------------------------------


def function_versions(context: GatherContext, function: str) -> list[dict[str, Any]]:
    """$LATEST and the published versions, oldest first (the order Lambda pages them in)."""
    request: dict[str, Any] = {"FunctionName": function, "MaxItems": VERSION_PAGE_SIZE}
    versions: list[dict[str, Any]] = []
    for _ in range(MAX_VERSION_PAGES):
        page = context.clients.client("lambda").list_versions_by_function(**request)
        versions.extend(page.get("Versions", []))
        if not page.get("NextMarker"):
            return versions
        request["Marker"] = page["NextMarker"]
    context.note("versions_capped", function=function, versions=len(versions))
    return versions


def _version_changes(function: str, versions: Sequence[dict[str, Any]], window: Window) -> list[Change]:
    published = [v for v in versions if v.get("Version") != "$LATEST"]
    changes: list[Change] = []
    for before, version in zip([None, *published], published, strict=False):
        at = aws_time(str(version.get("LastModified", "")))
        if at is None or not window.start <= at <= window.end:
            continue
        same_code = before is not None and before.get("CodeSha256") == version.get("CodeSha256")
        description = f" ({version['Description']})" if version.get("Description") else ""
        changes.append(
            Change(
                kind="lambda_version",
                at=at,
                resource=function,
                action="PublishVersion",
                identifier=str(version["Version"]),
                previous=str(before["Version"]) if before else None,
                detail=_clip(
                    f"version {version['Version']} published{description}; "
                    + ("configuration only, same code" if same_code else "new code")
                ),
            )
        )
    latest = next((v for v in versions if v.get("Version") == "$LATEST"), None)
    at = aws_time(str(latest.get("LastModified", ""))) if latest else None
    published_codes = {v.get("CodeSha256") for v in published}
    # An update that was then published is the version above; an unpublished one runs wherever $LATEST is invoked.
    if latest and at and window.start <= at <= window.end and latest.get("CodeSha256") not in published_codes:
        changes.append(
            Change(
                kind="lambda_version",
                at=at,
                resource=function,
                action="UpdateFunction",
                identifier="$LATEST",
                detail="$LATEST updated and not published",
            )
        )
    return changes


def _alias_change(
    function: str, alias: dict[str, Any], published_at: dict[str, datetime], order: Sequence[str]
) -> Change | None:
    """The alias when it points at, or shifts weight to, a version published in the window."""
    primary = str(alias["FunctionVersion"])
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    new = [v for v in [primary, *weights] if v in published_at]
    if not new:
        return None
    name = f"{function}:{alias['Name']}"
    at = max(published_at[v] for v in new)  # a lower bound; the UpdateAlias call, when found, says when
    if weights:
        canary, weight = max(weights.items(), key=lambda item: float(item[1]))
        share = round(float(weight) * 100, 1)
        return Change(
            kind="lambda_alias",
            at=at,
            resource=name,
            action="weighted alias (canary)",
            identifier=str(canary),
            previous=primary,
            status="InProgress",
            detail=f"live: {primary} {100 - share:g}% / {canary} {share:g}%",
        )
    index = order.index(primary) if primary in order else -1
    previous = order[index - 1] if index > 0 else None
    return Change(
        kind="lambda_alias",
        at=at,
        resource=name,
        action="alias moved",
        identifier=primary,
        previous=previous,
        detail=f"live: {previous or '?'} -> {primary}",
    )


@dataclass(frozen=True)
class FunctionHistory:
    changes: list[Change]  # versions published and aliases moved in the window
    credentials: list[str]  # what its live configuration authenticates with: its role, the secrets it names


def _credentials_of(configuration: dict[str, Any]) -> list[str]:
    role = str(configuration.get("Role") or "")
    variables = (configuration.get("Environment") or {}).get("Variables") or {}
    return [*([role_name(role)] if role else []), *(secret_name(s) for s in environment_secrets(variables))]


def lambda_changes(context: GatherContext, function: str, window: Window) -> FunctionHistory:
    lam = context.clients.client("lambda")
    with context.side_by_side() as work:
        listed = work.submit(lambda: function_versions(context, function))
        aliased = work.submit(lambda: lam.list_aliases(FunctionName=function).get("Aliases", []))
    versions, aliases = listed.result(), aliased.result()
    changes = _version_changes(function, versions, window)
    published_at = {c.identifier: c.at for c in changes if c.identifier and c.identifier != "$LATEST"}
    order = [str(v["Version"]) for v in versions if v.get("Version") != "$LATEST"]
    moved = (_alias_change(function, alias, published_at, order) for alias in aliases)
    latest = next((v for v in versions if v.get("Version") == "$LATEST"), {})
    return FunctionHistory(
        changes=changes + [change for change in moved if change is not None],
        credentials=_credentials_of(latest),
    )


# --- CodeDeploy --------------------------------------------------------------------------------

_APPSPEC_VERSION = re.compile(r"\b(CurrentVersion|TargetVersion)\W+(\w+)")
_APPSPEC_TASK = re.compile(r"task-definition/([\w-]+:\d+)")


def _revision_text(revision: dict[str, Any]) -> str:
    content = (revision.get("appSpecContent") or revision.get("string") or {}).get("content")
    return str(content or "")


def codedeploy_deployments(context: GatherContext, window: Window) -> list[dict[str, Any]]:
    codedeploy = context.clients.client("codedeploy")
    listed = codedeploy.list_deployments(createTimeRange={"start": window.start, "end": window.end})
    ids = listed.get("deployments", [])
    if listed.get("nextToken") or len(ids) > MAX_CODEDEPLOY_DEPLOYMENTS:
        context.note("codedeploy_capped", read=MAX_CODEDEPLOY_DEPLOYMENTS)
    if not ids:
        return []
    batch = ids[:MAX_CODEDEPLOY_DEPLOYMENTS]
    return list(codedeploy.batch_get_deployments(deploymentIds=batch).get("deploymentsInfo", []))


def codedeploy_change(deployment: dict[str, Any], names: Sequence[str]) -> Change | None:
    """A deployment whose application, group or AppSpec names a resource in scope."""
    revision = _revision_text(deployment.get("revision") or {})
    app, group = deployment.get("applicationName", ""), deployment.get("deploymentGroupName", "")
    if mentions([app, group, revision], names) is None:
        return None
    versions = dict(_APPSPEC_VERSION.findall(revision))
    task = _APPSPEC_TASK.search(revision)
    error = deployment.get("errorInformation") or {}
    rollback = deployment.get("rollbackInfo") or {}
    by_alarm = (
        error.get("code") == "ALARM_ACTIVE" or "alarm" in str(rollback.get("rollbackMessage", "")).lower()
    )
    rolled_back = bool(rollback.get("rollbackDeploymentId"))
    notes = [
        f"{deployment.get('computePlatform', '')} {deployment.get('deploymentConfigName', '')}".strip(),
        f"{versions.get('CurrentVersion', '?')} -> {versions.get('TargetVersion', '?')}" if versions else "",
        f"task definition {task[1]}" if task else "",
        f"rollback of {rollback['rollbackTriggeringDeploymentId']}"
        if rollback.get("rollbackTriggeringDeploymentId")
        else "",
        ("rolled back by an alarm" if by_alarm else "rolled back") if rolled_back else "",
        f"{error.get('code')}: {error.get('message', '')}" if error and not by_alarm else "",
    ]
    return Change(
        kind="codedeploy",
        at=deployment["createTime"],
        resource=f"{app}/{group}",
        action="CodeDeploy deployment",
        actor=deployment.get("creator"),
        identifier=deployment.get("deploymentId"),
        previous=versions.get("CurrentVersion"),
        status=deployment.get("status"),
        rolled_back=rolled_back,
        detail=_clip("; ".join(note for note in notes if note)),
    )


# --- ECS ---------------------------------------------------------------------------------------


def _short_task(arn: str | None) -> str | None:
    return arn.rsplit("/", 1)[-1] if arn else None


def _revision_before(task_definition: str | None) -> str | None:
    """family:N-1 once the old deployment has left the list: what a rollback would most likely return to."""
    family, _, revision = (_short_task(task_definition) or "").rpartition(":")
    return f"{family}:{int(revision) - 1}" if family and revision.isdigit() and int(revision) > 1 else None


def ecs_changes(service: EcsServiceRef, window: Window) -> list[Change]:
    """Deployments the service started in the window; the older one still listed is the rollback target."""
    deployments = sorted(service.deployments, key=lambda d: d.created_at)
    changes: list[Change] = []
    for before, deployment in zip([None, *deployments], deployments, strict=False):
        if not window.start <= deployment.created_at <= window.end:
            continue
        reason = deployment.rollout_state_reason or ""
        task = _short_task(deployment.task_definition)
        previous = (
            _short_task(before.task_definition) if before else _revision_before(deployment.task_definition)
        )
        counts = f"{deployment.running}/{deployment.desired} running"
        failed = f", {deployment.failed_tasks} failed tasks" if deployment.failed_tasks else ""
        changes.append(
            Change(
                kind="ecs_deployment",
                at=deployment.created_at,
                resource=f"{service.cluster}/{service.name}",
                action="ECS deployment",
                identifier=task,
                previous=previous,
                status=deployment.rollout_state or deployment.status,
                rolled_back="rolling back" in reason.lower() or "rolled back" in reason.lower(),
                detail=_clip(
                    f"{deployment.status}: {previous or '?'} -> {task}, {counts}{failed}"
                    + (f"; {reason}" if reason else "")
                ),
            )
        )
    return changes


# --- AppConfig ---------------------------------------------------------------------------------


def _related(candidate: str, names: Sequence[str]) -> bool:
    """Names that contain one another (checkout-api and checkout), ignoring case; short ones too vague."""
    low = candidate.lower()
    return any(
        len(short) >= 4 and short in long
        for name in names
        for short, long in ((low, name.lower()), (name.lower(), low))
    )


def appconfig_targets(
    context: GatherContext, appconfig: Any, tag: str | None, names: Sequence[str]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(application, environment) pairs: exactly those the tag names, else those named like the scope."""
    wanted_app, _, wanted_env = (tag or "").partition("/")
    applications = appconfig.list_applications(MaxResults=50).get("Items", [])
    apps = [a for a in applications if (a["Name"] == wanted_app if tag else _related(a["Name"], names))]
    apps = apps[:MAX_APPCONFIG_ENVIRONMENTS]
    listed = context.parallel(
        *(
            lambda app=app: appconfig.list_environments(ApplicationId=app["Id"]).get("Items", [])
            for app in apps
        )
    )
    pairs = [
        (app, env)
        for app, environments in zip(apps, listed, strict=True)
        for env in environments
        if not wanted_env or env["Name"] == wanted_env
    ]
    return pairs[:MAX_APPCONFIG_ENVIRONMENTS]


def _rolled_back_by_alarm(appconfig: Any, app: str, env: str, number: int) -> bool:
    events = appconfig.get_deployment(ApplicationId=app, EnvironmentId=env, DeploymentNumber=number).get(
        "EventLog", []
    )
    return any(
        e.get("EventType") == "ROLLBACK_STARTED" and e.get("TriggeredBy") == "CLOUDWATCH_ALARM"
        for e in events
    )


def appconfig_changes(
    context: GatherContext, app: dict[str, Any], env: dict[str, Any], window: Window
) -> list[Change]:
    appconfig = context.clients.client("appconfig")
    listed = appconfig.list_deployments(
        ApplicationId=app["Id"], EnvironmentId=env["Id"], MaxResults=APPCONFIG_DEPLOYMENTS
    ).get("Items", [])
    newest_first = sorted(listed, key=lambda d: d["DeploymentNumber"], reverse=True)
    changes: list[Change] = []
    for index, deployment in enumerate(newest_first):
        started = deployment.get("StartedAt")
        if started is None or not window.start <= started <= window.end:
            continue
        profile = deployment.get("ConfigurationProfileId")
        before = next(
            (
                d
                for d in newest_first[index + 1 :]
                if d.get("ConfigurationProfileId") == profile and d.get("State") == "COMPLETE"
            ),
            None,
        )
        state = str(deployment.get("State", ""))
        rolled_back = state in ("ROLLING_BACK", "ROLLED_BACK", "REVERTED")
        by_alarm = rolled_back and context.attempt(
            "appconfig_events",
            partial(_rolled_back_by_alarm, appconfig, app["Id"], env["Id"], deployment["DeploymentNumber"]),
            False,
        )
        name, version = deployment.get("ConfigurationName", "?"), deployment.get("ConfigurationVersion", "?")
        label = f" ({deployment['VersionLabel']})" if deployment.get("VersionLabel") else ""
        changes.append(
            Change(
                kind="appconfig",
                at=started,
                resource=f"{app['Name']}/{env['Name']}",
                action=f"deployment #{deployment['DeploymentNumber']} of {name}",
                identifier=f"{name} version {version}",
                previous=f"{name} version {before['ConfigurationVersion']}" if before else None,
                status=state,
                rolled_back=rolled_back,
                detail=_clip(
                    f"{name} version {version}{label}: {deployment.get('PercentageComplete', 0):g}% deployed"
                    + ("; rolled back by an alarm" if by_alarm else "; rolled back" if rolled_back else "")
                ),
            )
        )
    return changes


# --- CloudFormation ----------------------------------------------------------------------------

STACK_TAG = "aws:cloudformation:stack-name"  # on every taggable resource a stack creates, alarms too
_STACK_OPERATIONS = frozenset({"CreateStack", "UpdateStack", "ExecuteChangeSet", "ContinueUpdateRollback"})


def physical_ids(context: GatherContext) -> list[str]:
    """How CloudFormation names the resources in scope (PhysicalResourceId), the deployed code first."""
    alarm, scope = context.alarm, context.scope
    ids = [r.id for r in scope.of_kind("lambda_function")]
    ids += [s.arn for s in scope.services if s.arn]
    for resource in scope.resources:
        if resource.kind in ("rds_instance", "dynamodb_table"):
            ids.append(resource.id)
        elif resource.kind == "target_group":
            ids.append(target_group_arn(alarm, resource.dimensions["TargetGroup"]))
        elif resource.kind == "load_balancer":
            ids.append(load_balancer_arn(alarm, resource.dimensions["LoadBalancer"]))
        elif resource.kind == "sqs_queue":
            ids.append(queue_url(alarm, resource.id))
    return list(dict.fromkeys(ids))


def updated_stacks(events: Iterable[dict[str, Any]]) -> list[str]:
    """Stacks CloudTrail saw created or updated: their events say which resources each operation touched."""
    stacks = []
    for event in events:
        if api_name(str(event.get("EventName", ""))) not in _STACK_OPERATIONS:
            continue
        record = json.loads(event.get("CloudTrailEvent") or "{}")
        name = str((record.get("requestParameters") or {}).get("stackName") or "")
        if name and not record.get("errorCode"):
            # An ARN (arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>) or the name itself.
            stacks.append(
                name.split(":stack/", 1)[1].split("/", maxsplit=1)[0] if ":stack/" in name else name
            )
    return list(dict.fromkeys(stacks))


def stack_events(cloudformation: Any, stack: str, window: Window) -> list[dict[str, Any]]:
    """The stack's events in the window, oldest first (CloudFormation pages them newest first)."""
    request: dict[str, Any] = {"StackName": stack}
    events: list[dict[str, Any]] = []
    for _ in range(MAX_STACK_EVENT_PAGES):
        page = cloudformation.describe_stack_events(**request)
        events += page.get("StackEvents", [])
        if not page.get("NextToken") or (events and events[-1]["Timestamp"] < window.start):
            break
        request["NextToken"] = page["NextToken"]
    return sorted(
        (e for e in events if window.start <= e["Timestamp"] <= window.end), key=lambda e: e["Timestamp"]
    )


def stack_changes(stack: str, events: Sequence[dict[str, Any]], in_scope: set[str]) -> list[Change]:
    """One change per stack operation: its start, final status, and which resources in scope it touched."""
    changes: list[Change] = []
    touched: list[str] = []
    for event in events:
        status = str(event.get("ResourceStatus", ""))
        is_stack = (
            event.get("ResourceType") == "AWS::CloudFormation::Stack"
            and event.get("LogicalResourceId") == stack
        )
        if is_stack and status in ("UPDATE_IN_PROGRESS", "CREATE_IN_PROGRESS"):
            touched = []
            changes.append(
                Change(
                    kind="cloudformation",
                    at=event["Timestamp"],
                    resource=stack,
                    action="UpdateStack" if status.startswith("UPDATE") else "CreateStack",
                    identifier=event.get("ClientRequestToken"),
                    status=status,
                )
            )
        elif changes and is_stack:
            changes[-1].status = status
            changes[-1].rolled_back = changes[-1].rolled_back or "ROLLBACK" in status
        elif changes and event.get("PhysicalResourceId") in in_scope and status.endswith("COMPLETE"):
            touched.append(f"{event.get('LogicalResourceId')} {status}")
            changes[-1].detail = _clip("in scope: " + ", ".join(dict.fromkeys(touched)))
    return changes


def cloudformation_changes(
    context: GatherContext, trail: Sequence[dict[str, Any]], window: Window
) -> list[Change]:
    """Operations of the alarm's own stack (its tag names it), and of the stacks CloudTrail saw updated
    that touched a resource in scope. No call at all when no stack is in question."""
    own = context.scope.tags.get(STACK_TAG)
    stacks = list(dict.fromkeys([*([own] if own else []), *updated_stacks(trail)]))[:MAX_STACKS]
    cloudformation, in_scope = context.clients.client("cloudformation"), set(physical_ids(context))
    found = context.parallel(
        *(
            lambda stack=stack: context.attempt(
                "stack_events",
                partial(stack_events, cloudformation, stack, window),
                list[dict[str, Any]](),
                subject=stack,
            )
            for stack in stacks
        )
    )
    changes: list[Change] = []
    for stack, events in zip(stacks, found, strict=True):
        operations = stack_changes(stack, events, in_scope)
        changes += operations if stack == own else [c for c in operations if c.detail]
    return changes


# --- assembly ----------------------------------------------------------------------------------

# Deployments first: they say what to roll back to; single API calls come last.
_PRIORITY: dict[ChangeKind, int] = {
    "codedeploy": 0,
    "ecs_deployment": 0,
    "lambda_alias": 1,
    "appconfig": 1,
    "lambda_version": 2,
    "cloudformation": 2,
    # What a service's own settings or credentials went through: as telling as a deployment.
    "secret": 2,
    "access_key": 2,
    "iam_policy": 2,
    "capacity": 2,
    "api_stage": 2,
    "parameter_group": 2,
    "api_call": 3,
}


def _marker_key(change: Change) -> Key | None:
    if change.kind == "lambda_version":
        return ("lambda_version", change.resource, change.identifier or "")
    if change.kind == "lambda_alias":
        return ("lambda_alias", change.resource)
    if change.kind == "codedeploy":
        return ("codedeploy", change.identifier or "")
    return None


def merge(markers: Sequence[Change], calls: Sequence[tuple[Change, Key | None]]) -> list[Change]:
    """Markers absorb the calls that produced them (who, and when an alias moved); other calls stay."""
    by_key = {key: marker for marker in markers if (key := _marker_key(marker)) is not None}
    absorbed: dict[Key, list[Change]] = {}
    kept: list[Change] = []
    for call, key in calls:
        if key is not None and key in by_key:
            absorbed.setdefault(key, []).append(call)
        else:
            kept.append(call)
    for key, group in absorbed.items():
        marker, first, last = by_key[key], min(group, key=lambda c: c.at), max(group, key=lambda c: c.at)
        marker.actor = marker.actor or first.actor
        if marker.kind == "lambda_alias":
            marker.at = first.at  # the alias listing has no time; the first call says when the shift began
            if len(group) > 1:
                marker.detail = _clip(
                    f"{marker.detail}; {len(group)} alias updates, the last at {last.at:%H:%M}"
                )
    return [*markers, *kept]


def select(changes: Iterable[Change], limit: int = MAX_CHANGES) -> list[Change]:
    """The most relevant (deployments, then the newest), oldest first."""
    ranked = sorted(changes, key=lambda c: (_PRIORITY[c.kind], -c.at.timestamp()))
    return sorted(ranked[:limit], key=lambda c: c.at)


def _names(
    resources: Sequence[Resource], services: Sequence[EcsServiceRef], located: Located | None = None
) -> list[str]:
    """What CloudTrail events and deployments call the resources in scope."""
    names: list[str] = []
    if located is not None:  # an API by its id, a cache by its parameter group
        names += [stage.api_id for stage in located.stages]
        names += [cache.parameter_group for cache in located.caches if cache.parameter_group]
    for resource in resources:
        if resource.kind == "target_group":
            names.append(resource.dimensions["TargetGroup"])  # targetgroup/<name>/<id>, as in its ARN
        elif resource.kind == "load_balancer":
            names.append(resource.dimensions["LoadBalancer"])  # app/<name>/<id>
        elif resource.kind == "ecs_service":
            names.append(resource.dimensions["ServiceName"])
        else:
            names.append(resource.id)
    for service in services:
        names.append(service.name)
        # An ECS AppSpec and RegisterTaskDefinition name the task definition family, not the service.
        family = _short_task(service.task_definition)
        if family:
            names.append(family.split(":")[0])
    return list(dict.fromkeys(name for name in names if name))


def role_name(arn: str) -> str:
    """A role's or user's name from its ARN (arn:aws:iam::<account>:role/<path>/<name>), or the name itself."""
    return arn.rsplit("/", 1)[-1] if arn.startswith("arn:") else arn


def scope_credentials(scope: Scope) -> list[str]:
    """The credentials the scope names: its tasks' and functions' roles and secrets, the secrets and IAM
    principals its tags name."""
    return [
        *(role_name(role) for service in scope.services for role in service.roles),
        *(secret_name(secret) for service in scope.services for secret in service.secrets),
        *(role_name(function.role) for function in scope.functions if function.role),
        *(secret_name(secret) for function in scope.functions for secret in function.secrets),
        *(secret_name(r.id) for r in scope.of_kind("secret")),
        *(role_name(name) for name in comma_separated(scope.tags.get(TAG_IAM))),
    ]


def _lambda_markers(context: GatherContext, window: Window) -> FunctionHistory:
    functions = [r.id for r in context.scope.of_kind("lambda_function")][:MAX_FUNCTIONS]
    found = context.parallel(
        *(
            lambda f=f: context.attempt(
                "lambda_versions",
                partial(lambda_changes, context, f, window),
                FunctionHistory([], []),
                subject=f,
            )
            for f in functions
        )
    )
    return FunctionHistory(
        changes=[change for history in found for change in history.changes],
        credentials=[name for history in found for name in history.credentials],
    )


def _codedeploy_markers(context: GatherContext, names: Sequence[str], window: Window) -> list[Change]:
    deployments: list[dict[str, Any]] = context.attempt(
        "codedeploy", partial(codedeploy_deployments, context, window), []
    )
    return [change for d in deployments if (change := codedeploy_change(d, names)) is not None]


def _appconfig_markers(
    context: GatherContext, names: Sequence[str], window: Window
) -> tuple[list[Change], list[str]]:
    """Deployments of the tagged (or similarly named) AppConfig environments, and their names."""
    tag = context.scope.tags.get(TAG_APPCONFIG, "").strip() or None
    if not tag and not names:
        return [], []
    appconfig = context.clients.client("appconfig")
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = context.attempt(
        "appconfig_applications", partial(appconfig_targets, context, appconfig, tag, names), []
    )
    if tag and not pairs:
        context.note("appconfig_not_found", tag=tag, key=TAG_APPCONFIG)
    found = context.parallel(
        *(
            lambda app=app, env=env: context.attempt(
                "appconfig_deployments",
                partial(appconfig_changes, context, app, env, window),
                list[Change](),
                subject=f"{app['Name']}/{env['Name']}",
            )
            for app, env in pairs
        )
    )
    return [c for changes in found for c in changes], [f"{app['Name']}/{env['Name']}" for app, env in pairs]


def _trail(context: GatherContext, window: Window) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = context.attempt("cloudtrail", partial(trail_events, context, window), [])
    return events


def gather_changes(context: GatherContext) -> ChangesData:
    scope = context.scope
    window = change_window(scope.windows)
    names = _names(scope.resources, scope.services, scope.located)
    with context.side_by_side() as work:
        lambdas = work.submit(lambda: _lambda_markers(context, window))
        deployed = work.submit(lambda: _codedeploy_markers(context, names, window))
        flagged = work.submit(lambda: _appconfig_markers(context, names, window))
        trail = work.submit(lambda: _trail(context, window))
        stacks = work.submit(lambda: cloudformation_changes(context, trail.result(), window))
    flags, environments = flagged.result()
    functions = lambdas.result()
    credentials = list(dict.fromkeys([*scope_credentials(scope), *functions.credentials]))
    markers = [
        *functions.changes,
        *(change for service in scope.services for change in ecs_changes(service, window)),
        *deployed.result(),
        *flags,
        *stacks.result(),
    ]
    in_scope = {r.kind for r in scope.resources}
    wide = [kind for kind, kinds in WIDE_KINDS.items() if kinds & in_scope]
    own = context.settings.own_name_prefix
    calls = trail_changes(trail.result(), names, own, credentials, wide) if names or credentials else []
    found = merge(markers, calls)
    if len(found) > MAX_CHANGES:
        context.note("changes_capped", kept=MAX_CHANGES, found=len(found))
    looked_at = list(dict.fromkeys([*names, *environments, *credentials]))
    return ChangesData(window=window, looked_at=looked_at, changes=select(found))
