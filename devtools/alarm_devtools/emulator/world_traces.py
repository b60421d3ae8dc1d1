"""The world's X-Ray segments: one per sampled request, with the subsegments its time went to.

Each request is served by one task (its container hostname names the task's address, so the subnet);
a fault adds time to the SQL, remote, DynamoDB or own-code subsegment of the requests it affects. A world
with a cache in front of its database looks each request up in it first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from alarm_analyzer.aws import AwsClients

from .world import ASYNC_INVOKE_MS, DENSE_TRACES, Built, Fault, Minute, Rng, admitted_share


def _subsegment(rng: Rng, name: str, start: float, ms: float, **fields: Any) -> dict[str, Any]:
    return {"id": rng.hex(16), "name": name, "start_time": start, "end_time": start + ms / 1000, **fields}


def _queried(built: Built) -> str:
    """Where the service's queries go: a read replica serving them, else the database."""
    return built.services.get("read_endpoint", built.db_endpoint)


def _sql(built: Built) -> dict[str, Any]:
    names = built.names
    if names.db_engine == "mysql":
        return {
            "url": f"jdbc:mysql://{_queried(built)}:3306/{names.db_name}",
            "database_type": "MySQL",
            "database_version": "8.0.39",
            "driver_version": "mysql-connector-j-8.4.0",
            "user": "app",
        }
    return {
        "url": f"postgresql://app@{_queried(built)}:5432/{names.db_name}",
        "database_type": "PostgreSQL",
        "driver_version": "Psycopg 3",
        "user": "app",
    }


THROTTLED = {
    "type": "ProvisionedThroughputExceededException",
    "message": "The level of configured provisioned throughput for the table was exceeded. Consider increasing "
    "your provisioning level with the UpdateTable API.",
}


def _throttled_dynamodb(built: Built, rng: Rng, start: float, ms: float) -> dict[str, Any]:
    """A DynamoDB PutItem the table refused after the SDK's retries, as the X-Ray SDK records it (400)."""
    fields: dict[str, Any] = {
        "namespace": "aws",
        "aws": {
            "operation": "PutItem",
            "region": built.region,
            "table_name": built.names.table,
            "retries": 3,
        },
        "http": {"response": {"status": 400}},
        "error": True,
        "throttle": True,
        "cause": {
            "working_directory": "/app",
            "exceptions": [{"id": rng.hex(16), **THROTTLED, "remote": True}],
        },
    }
    return _subsegment(rng, "DynamoDB", start, ms, **fields)


CACHE_CALL_MS = 1.2


def _cache_call(host: str, rng: Rng, start: float) -> dict[str, Any]:
    """A Redis GET as OpenTelemetry's Redis instrumentation reaches X-Ray (the ADOT exporter): a client
    span with no SQL, named after its peer host, in the remote namespace, its attributes as metadata."""
    metadata = {"default": {"db.system": "redis", "db.operation": "GET", "net.peer.port": 6379}}
    return _subsegment(rng, host, start, rng.noisy(CACHE_CALL_MS, 0.3), namespace="remote", metadata=metadata)


def _dynamodb(built: Built, rng: Rng, start: float, ms: float, failed: bool) -> dict[str, Any]:
    """A DynamoDB GetItem as the X-Ray SDK records it; a hung connection ends in ConnectTimeoutError."""
    fields: dict[str, Any] = {
        "namespace": "aws",
        "aws": {
            "operation": "GetItem",
            "region": built.region,
            "table_name": built.names.table,
            "retries": 0,
        },
        "http": {"response": {"status": 200}},
    }
    if failed:
        url = f"https://dynamodb.{built.region}.amazonaws.com/"
        fields.update(
            fault=True,
            http={},
            cause={
                "working_directory": "/app",
                "exceptions": [
                    {
                        "id": rng.hex(16),
                        "type": "ConnectTimeoutError",
                        "message": f'Connect timeout on endpoint URL: "{url}"',
                        "remote": True,
                    }
                ],
            },
        )
        fields["aws"] = {**fields["aws"], "retries": 2}
    else:
        fields["aws"] = {**fields["aws"], "request_id": rng.hex(32).upper()}
    return _subsegment(rng, "DynamoDB", start, ms, **fields)


def _invoke(built: Built, rng: Rng, start: float, ms: float, status: int, **fields: Any) -> dict[str, Any]:
    """The SDK's subsegment of a Lambda Invoke call (202: accepted as a job, 200: answered, 429: throttled)."""
    aws = {
        "operation": "Invoke",
        "function_name": built.names.worker,
        "region": built.region,
        **fields.pop("aws", {}),
    }
    return _subsegment(rng, "Lambda", start, ms, namespace="aws", aws=aws, http={"response": {"status": status}},
                       **fields)  # fmt: skip


def _function_segment(
    built: Built,
    rng: Rng,
    began: float,
    *,
    trace_id: str,
    parent_id: str,
    own_ms: float,
    remote_ms: float,
    refused: bool = False,
) -> dict[str, Any]:
    """The function's own segment (AWS::Lambda::Function): its work, the call to its dependency, and
    (``refused``) a write the table refused after the SDK's retries."""
    names, ms = built.names, own_ms + remote_ms
    segment_id = rng.hex(16)
    invocation = _subsegment(rng, "Invocation", began, ms)
    if remote_ms:
        called = began + own_ms / 2000  # half its work before the call, half after
        url = f"https://{names.worker_dependency}/v1/render"
        invocation["subsegments"] = [
            _subsegment(rng, names.worker_dependency, called, remote_ms, namespace="remote",
                        http={"request": {"method": "POST", "url": url}, "response": {"status": 200}})
        ]  # fmt: skip
    if refused:
        write = _throttled_dynamodb(built, rng, began + own_ms / 2000, own_ms / 4)
        invocation["subsegments"] = [*invocation.get("subsegments", []), write]
    return {
        "id": segment_id,
        "trace_id": trace_id,
        "parent_id": parent_id,
        "name": names.worker,
        "origin": "AWS::Lambda::Function",
        "start_time": began,
        "end_time": began + ms / 1000,
        "aws": {"function_arn": built.worker_arn, "account_id": built.account},
        # The refused write's exception is recorded on the function's segment: for a queue's consumer,
        # the root of its own trace, so the trace counts as erred.
        **({"error": True} if refused else {}),
        "subsegments": [invocation],
    }


Called = tuple[dict[str, Any], dict[str, Any] | None, bool]  # the Invoke subsegment, the function's, failed


def _asynchronous_call(built: Built, m: Minute, rng: Rng, cursor: float, trace_id: str) -> Called:
    """An asynchronous invoke (InvocationType Event): Lambda accepts the job with a 202 and the worker runs
    after it, in the same trace but outside the request's own time."""
    invoke = _invoke(built, rng, cursor, rng.noisy(ASYNC_INVOKE_MS), 202)
    began, own = cursor + 0.02, rng.noisy(m.load.worker_ms)
    remote = rng.noisy(m.load.worker_remote_ms) if m.load.worker_remote_ms else 0.0
    fault = m.fault if m.faulty else None
    # Drawn only when the fault refuses the worker's writes: every other incident keeps its random stream.
    refused = bool(
        fault
        and fault.worker_table_throttled
        and rng.random.random() < fault.worker_table_throttled * m.strength
    )
    function = _function_segment(
        built,
        rng,
        began,
        trace_id=trace_id,
        parent_id=invoke["id"],
        own_ms=own,
        remote_ms=remote,
        refused=refused,
    )
    return invoke, function, False


THROTTLED_CALL_MS = 180.0  # the SDK's retries with backoff before it gives up on a throttled invoke


def _synchronous_call(built: Built, m: Minute, rng: Rng, cursor: float, trace_id: str) -> Called:
    """A synchronous invoke (RequestResponse): the request waits for the function, throttled or not."""
    load = m.load
    if rng.random.random() >= admitted_share(built, load, load.requests):
        throttled = _invoke(built, rng, cursor, rng.noisy(THROTTLED_CALL_MS), 429, aws={"retries": 2},
                            throttle=True, error=True)  # fmt: skip
        return throttled, None, True
    roll, limit = rng.random.random(), built.worker.timeout_s * 1000.0
    timed_out = roll < load.worker_timeout_share
    failed = roll < load.worker_timeout_share + load.worker_oom_share + load.worker_error_share
    own = rng.noisy(load.worker_ms)
    remote = rng.noisy(load.worker_remote_ms) if load.worker_remote_ms else 0.0
    if timed_out or own + remote > limit:
        remote = max(limit - own, 0.0)  # cut off at the timeout, still waiting on its dependency
    invoke = _invoke(built, rng, cursor, own + remote + rng.noisy(ASYNC_INVOKE_MS), 200)
    function = _function_segment(
        built, rng, cursor + 0.006, trace_id=trace_id, parent_id=invoke["id"], own_ms=own, remote_ms=remote
    )
    return invoke, function, failed


def _dynamodb_call(
    built: Built, m: Minute, rng: Rng, cursor: float, *, fault: Fault | None, strength: float
) -> tuple[dict[str, Any], float, bool]:
    """The request's DynamoDB call: its subsegment, its time and whether it failed."""
    failed = bool(fault and fault.dynamodb_timeout_ms)
    ms = rng.noisy(m.load.dynamodb_ms) + (fault.dynamodb_timeout_ms * strength if fault else 0)
    # Drawn only when the fault refuses calls: every other incident keeps its random stream.
    refused = bool(
        fault and fault.dynamodb_throttled and rng.random.random() < fault.dynamodb_throttled * strength
    )
    if refused:
        return _throttled_dynamodb(built, rng, cursor, ms * 4), ms, True
    return _dynamodb(built, rng, cursor, ms, failed), ms, failed


def trace_documents(built: Built, minutes: Sequence[Minute], rng: Rng, now: datetime) -> list[str]:
    """X-Ray segment documents as the SDKs write them: the service's segment with its subsegments,
    and the Lambda function's own segment under the invoking subsegment."""
    names, documents = built.names, []
    cache_host = built.services.get("cache_endpoint")
    cache_rng = Rng(f"{names.service}/cache")  # its own stream: a cache in front changes nothing else
    for m in minutes:
        dense = m.at >= now - DENSE_TRACES
        for _ in range(rng.happens(8 if dense else 0.5)):
            start = m.at.timestamp() + rng.random.uniform(0, 58)
            trace_id = f"1-{int(start):08x}-{rng.hex(24)}"
            task = rng.random.choice(built.tasks)
            affected = (
                m.faulty
                and m.fault is not None
                and m.fault.hits(task.zone)
                and rng.random.random() < m.fault.affected_share
            )
            fault = m.fault if affected else None
            strength = m.strength if affected else 0.0
            cursor = start
            subsegments = []
            code = rng.noisy(m.load.code_ms / 2)
            subsegments.append(_subsegment(rng, "validate_order", cursor, code, namespace="local"))
            cursor += code / 1000
            called, dynamodb, dynamodb_failed = _dynamodb_call(
                built, m, rng, cursor, fault=fault, strength=strength
            )
            subsegments.append(called)
            cursor += dynamodb / 1000
            if cache_host:
                looked_up = _cache_call(cache_host, cache_rng, cursor)
                subsegments.append(looked_up)
                cursor = looked_up["end_time"]
            sql = rng.noisy(m.load.sql_ms) + (fault.sql_extra_ms * strength if fault else 0)
            subsegments.append(
                _subsegment(
                    rng,
                    f"{names.db_name}@{_queried(built)}",
                    cursor,
                    sql,
                    namespace="remote",
                    sql=_sql(built),
                )
            )
            cursor += sql / 1000
            remote = rng.noisy(m.load.remote_ms) + (fault.remote_extra_ms * strength if fault else 0)
            subsegments.append(
                _subsegment(
                    rng,
                    names.remote_host,
                    cursor,
                    remote,
                    namespace="remote",
                    http={
                        "request": {"method": "POST", "url": f"https://{names.remote_host}/v2/quotes"},
                        "response": {"status": 200},
                    },
                )
            )
            cursor += remote / 1000
            if fault and fault.code_extra_ms:
                slow = fault.code_extra_ms * strength
                subsegments.append(_subsegment(rng, names.slow_code, cursor, slow, namespace="local"))
                cursor += slow / 1000
            worker_doc, worker_failed = None, False
            if rng.random.random() < m.load.worker_share:
                call = _synchronous_call if built.worker.synchronous else _asynchronous_call
                invoke, worker_doc, worker_failed = call(built, m, rng, cursor, trace_id)
                subsegments.append(invoke)
                cursor = invoke["end_time"]
            end = cursor + rng.noisy(m.load.code_ms / 2) / 1000
            failed = dynamodb_failed or worker_failed or rng.random.random() < m.load.fault_share
            segment: dict[str, Any] = {
                "id": rng.hex(16),
                "trace_id": trace_id,
                "name": names.service,
                "start_time": start,
                "end_time": end,
                "origin": "AWS::ECS::Container",
                "http": {
                    "request": {
                        "method": "GET",
                        "url": f"http://{built.lb_dns}{rng.fill(names.path)}",
                        "client_ip": f"203.0.113.{rng.random.randint(2, 250)}",
                    },
                    "response": {"status": 500 if failed else 200},
                },
                "aws": {
                    # On Fargate the container's hostname is its task's address: it names the subnet.
                    "ecs": {
                        "container": f"ip-{task.ip.replace('.', '-')}.ec2.internal",
                        "container_id": task.id,
                    },
                    "cloudwatch_logs": [{"log_group": names.app_log_group}],
                },
                "subsegments": subsegments,
            }
            if failed:
                segment["fault"] = True
            documents.append(json.dumps(segment))
            if worker_doc:
                documents.append(json.dumps(worker_doc))
    return documents


def put_traces(clients: AwsClients, documents: Sequence[str]) -> None:
    for start in range(0, len(documents), 50):
        clients.xray.put_trace_segments(TraceSegmentDocuments=list(documents[start : start + 50]))
