"""API Gateway stages in scope: their throttling, logging and usage plans.

REST APIs are named in CloudWatch by their name (ApiName), HTTP APIs by their id (ApiId). The scope
step reads each stage (``locate``: GetRestApis to turn a name into an id, then GetStage, or GetStages
when the alarm names no stage), because the stage names its log groups: execution logs
(``API-Gateway-Execution-Logs_<id>/<stage>`` when execution logging is on) and its access log
destination. The resources gatherer completes the REST stages with the usage plans that include them
and the account's own limit (``describe``: GetUsagePlans and GetAccount, side by side).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from ..catalog import located_by
from ..models import ApiStageState, MethodThrottle, Resource, UsagePlanLimit
from . import GatherContext
from .network import Placement

MAX_STAGES = 3
REST_API_PAGE = 500  # GetRestApis' maximum
USAGE_PLAN_PAGE = 500


def log_group_name(arn: str | None) -> str | None:
    """The log group an ARN names: arn:aws:logs:<region>:<account>:log-group:<name>[:*]."""
    if not arn or ":log-group:" not in arn:
        return None
    name = arn.split(":log-group:", 1)[1]
    return name[:-2] if name.endswith(":*") else name


def _route(key: str) -> str:
    """A REST method setting's key (``~1orders~1{id}/GET``) as a route (``GET /orders/{id}``)."""
    if key == "*/*":
        return key
    path, _, method = key.rpartition("/")
    return f"{method} /{path.replace('~1', '/').lstrip('/')}"


def rest_stage(api: Mapping[str, Any], stage: Mapping[str, Any]) -> ApiStageState:
    settings: Mapping[str, Mapping[str, Any]] = stage.get("methodSettings") or {}
    ordered = sorted(settings.items(), key=lambda item: item[0] != "*/*")
    throttles = [
        MethodThrottle(
            route=_route(key),
            rate_limit=value.get("throttlingRateLimit"),
            burst_limit=value.get("throttlingBurstLimit"),
        )
        for key, value in ordered
        if value.get("throttlingRateLimit") is not None or value.get("throttlingBurstLimit") is not None
    ]
    levels = [str(value.get("loggingLevel") or "OFF") for value in settings.values()]
    logging_level = next((level for level in ("INFO", "ERROR") if level in levels), "OFF")
    groups = (
        [f"API-Gateway-Execution-Logs_{api['id']}/{stage['stageName']}"] if logging_level != "OFF" else []
    )
    access = log_group_name((stage.get("accessLogSettings") or {}).get("destinationArn"))
    return ApiStageState(
        api_type="rest",
        api_id=api["id"],
        api_name=api.get("name"),
        stage=stage["stageName"],
        deployment_id=stage.get("deploymentId"),
        last_updated=stage.get("lastUpdatedDate"),
        throttles=throttles,
        logging_level=logging_level,
        log_groups=[*groups, *([access] if access else [])],
    )


def http_stage(api_id: str, stage: Mapping[str, Any]) -> ApiStageState:
    default = stage.get("DefaultRouteSettings") or {}
    routes: Mapping[str, Mapping[str, Any]] = stage.get("RouteSettings") or {}
    throttles = [
        MethodThrottle(
            route=route,
            rate_limit=value.get("ThrottlingRateLimit"),
            burst_limit=value.get("ThrottlingBurstLimit"),
        )
        for route, value in [("$default", default), *routes.items()]
        if value.get("ThrottlingRateLimit") is not None or value.get("ThrottlingBurstLimit") is not None
    ]
    access = log_group_name((stage.get("AccessLogSettings") or {}).get("DestinationArn"))
    return ApiStageState(
        api_type="http",
        api_id=api_id,
        stage=stage["StageName"],
        deployment_id=stage.get("DeploymentId"),
        last_updated=stage.get("LastUpdatedDate"),
        throttles=throttles,
        logging_level=default.get("LoggingLevel"),
        log_groups=[access] if access else [],
    )


def _rest_stages(context: GatherContext, api: Mapping[str, Any], stage: str | None) -> list[ApiStageState]:
    client = context.clients.client("apigateway")
    if stage is not None:
        return [rest_stage(api, client.get_stage(restApiId=api["id"], stageName=stage))]
    listed = client.get_stages(restApiId=api["id"]).get("item", [])
    return [rest_stage(api, s) for s in listed[:MAX_STAGES]]


def _http_stages(context: GatherContext, api_id: str, stage: str | None) -> list[ApiStageState]:
    client = context.clients.client("apigatewayv2")
    if stage is not None:
        return [http_stage(api_id, client.get_stage(ApiId=api_id, StageName=stage))]
    listed = client.get_stages(ApiId=api_id).get("Items", [])
    return [http_stage(api_id, s) for s in listed[:MAX_STAGES]]


def _rest_apis(context: GatherContext) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (
        context.clients.client("apigateway").get_rest_apis(limit=REST_API_PAGE).get("items", [])
    )
    return found


def _rest(context: GatherContext, resources: Sequence[Resource]) -> list[ApiStageState]:
    """REST stages: the APIs' ids from their names (one GetRestApis), then each stage."""
    wanted = [
        (r.dimensions["ApiName"], r.dimensions.get("Stage")) for r in resources if "ApiName" in r.dimensions
    ]
    if not wanted:
        return []
    apis: list[dict[str, Any]] = context.attempt("rest_apis", partial(_rest_apis, context), [])
    by_name: dict[str, dict[str, Any]] = {}
    for api in apis:
        by_name.setdefault(str(api.get("name")), api)  # names need not be unique: the first is read
    pairs = [(by_name[name], stage) for name, stage in wanted if name in by_name]
    for name, _ in wanted:
        if apis and name not in by_name:
            context.note("api_not_found", api=name)
    found = context.parallel(
        *(
            lambda a=a, s=s: context.attempt(
                "api_stage",
                partial(_rest_stages, context, a, s),
                list[ApiStageState](),
                subject=f"{a.get('name')}/{s or '*'}",
            )
            for a, s in pairs
        )
    )
    return [stage for stages in found for stage in stages]


def locate(context: GatherContext, resources: Sequence[Resource]) -> list[ApiStageState]:
    """The stages the alarm names (every stage, up to a few, when it names only the API)."""
    chosen = located_by(resources, "stages")
    # A stage alarm names its API too; the stage is the more specific, so an API alone reads all stages.
    staged = {
        (r.dimensions.get("ApiName"), r.dimensions.get("ApiId")) for r in chosen if "Stage" in r.dimensions
    }
    named = [
        r
        for r in chosen
        if "Stage" in r.dimensions or (r.dimensions.get("ApiName"), r.dimensions.get("ApiId")) not in staged
    ]
    http = [(r.dimensions["ApiId"], r.dimensions.get("Stage")) for r in named if "ApiId" in r.dimensions]
    with context.side_by_side() as work:
        rest = work.submit(lambda: _rest(context, named))
        more = work.submit(
            lambda: context.parallel(
                *(
                    lambda a=a, s=s: context.attempt(
                        "api_stage",
                        partial(_http_stages, context, a, s),
                        list[ApiStageState](),
                        subject=f"{a}/{s or '*'}",
                    )
                    for a, s in http
                )
            )
        )
    return [*rest.result(), *(stage for stages in more.result() for stage in stages)][:MAX_STAGES]


def _usage_plan(plan: Mapping[str, Any], stage: ApiStageState) -> UsagePlanLimit | None:
    for entry in plan.get("apiStages", []):
        if entry.get("apiId") == stage.api_id and entry.get("stage") == stage.stage:
            throttle, quota = plan.get("throttle") or {}, plan.get("quota") or {}
            return UsagePlanLimit(
                id=plan["id"],
                name=plan.get("name"),
                rate_limit=throttle.get("rateLimit"),
                burst_limit=throttle.get("burstLimit"),
                quota_limit=quota.get("limit"),
                quota_period=quota.get("period"),
            )
    return None


def _usage_plans(context: GatherContext) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (
        context.clients.client("apigateway").get_usage_plans(limit=USAGE_PLAN_PAGE).get("items", [])
    )
    return found


def _account_limit(context: GatherContext) -> MethodThrottle | None:
    settings = context.clients.client("apigateway").get_account().get("throttleSettings") or {}
    if not settings:
        return None
    return MethodThrottle(
        route="account", rate_limit=settings.get("rateLimit"), burst_limit=settings.get("burstLimit")
    )


def stages(context: GatherContext, placement: Placement) -> list[ApiStageState]:
    """The stages as the scope read them, the REST ones with their usage plans and the account's limit."""
    located = context.scope.located
    found = located.stages if located is not None else locate(context, context.scope.resources)
    rest = [s for s in found if s.api_type == "rest"]
    if not rest:
        return found
    with context.side_by_side() as work:
        plans = work.submit(
            lambda: context.attempt("usage_plans", partial(_usage_plans, context), list[dict[str, Any]]())
        )
        account = work.submit(lambda: context.attempt("api_account", partial(_account_limit, context), None))
    limit = account.result()
    return [
        stage.model_copy(
            update={
                "usage_plans": [u for plan in plans.result() if (u := _usage_plan(plan, stage)) is not None],
                "account_limit": limit,
            }
        )
        if stage.api_type == "rest"
        else stage
        for stage in found
    ]
