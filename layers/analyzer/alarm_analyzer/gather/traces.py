"""X-Ray traces: where the time went (SQL, remote HTTP, AWS SDK, own code) and what they reveal downstream.

Summaries give the population (how many traces, fault/error/throttle rates); a bounded, evenly
spread sample of full traces (BatchGetTraces, five ids per call) gives latency percentiles and the
time breakdown. Time is attributed exclusively: a node's own time is its duration minus the time
covered by its children, so nested subsegments are never counted twice.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..aws import AWS_ERRORS, AwsClients, error_code
from ..events import Alarm
from ..metric_catalog import slow_threshold_ms
from ..models import Contributor, ContributorKind, DatabaseRef, Downstreams, TracesData, Window, Windows
from ..scope import trace_services, windows_for
from ..settings import GathererSettings
from . import attempt, lookup_tags, out_of_time

BATCH_SIZE = 5  # BatchGetTraces accepts at most five ids per call
MAX_SUMMARY_PAGES = 10
SAMPLE_SIZE = 30
BASELINE_SAMPLE_SIZE = 10
PROBE_SAMPLE_SIZE = 5
DEFAULT_SLOW_MS = 1000.0
MIN_SLOW_MS = 500.0
# X-Ray's answer to a filter expression it cannot parse (not throttling, not access denied).
REJECTED_FILTER_CODES = frozenset({"InvalidRequestException", "InternalFailure"})

_RDS_HOST = re.compile(
    r"^(?P<id>[a-z][a-z0-9-]*)\.(?P<cluster>cluster-(?:ro-)?)?[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com(?:\.cn)?$"
)


@dataclass
class _Node:
    start: float
    end: float
    kind: ContributorKind
    name: str
    resource: str | None
    children: list[_Node] = field(default_factory=list)


@dataclass
class TraceView:
    """One trace reduced to what the analysis needs."""

    id: str
    response_ms: float
    fault: bool
    contributions: dict[tuple[ContributorKind, str, str | None], float]
    downstreams: Downstreams


# --- segment documents -------------------------------------------------------------------------


def _host(url: str | None) -> str | None:
    if not url:
        return None
    cleaned = url.removeprefix("jdbc:")
    host = urlsplit(cleaned if "//" in cleaned else f"//{cleaned}").hostname
    return host if host and host != "unknown" else None


def _database_host(doc: dict[str, Any]) -> str | None:
    sql = doc.get("sql") or {}
    host = _host(sql.get("url")) or _host(sql.get("connection_string"))
    if host:
        return host
    # Java and OpenTelemetry name SQL subsegments "database@host"; SQLAlchemy names them "host:port".
    name = str(doc.get("name", ""))
    candidate = name.rsplit("@", 1)[-1].split(":", maxsplit=1)[0]
    return candidate if "." in candidate else None


def _aws_resource(doc: dict[str, Any]) -> str | None:
    aws = doc.get("aws") or {}
    for key in ("table_name", "function_name", "bucket_name", "topic_arn", "stream_name"):
        if aws.get(key):
            return str(aws[key])
    if aws.get("queue_url"):
        return str(aws["queue_url"]).rstrip("/").rsplit("/", 1)[-1]
    names = aws.get("resource_names") or []
    return str(names[0]) if names else None


def _classify(doc: dict[str, Any], service: str, is_segment: bool) -> tuple[ContributorKind, str, str | None]:
    name = str(doc.get("name", "?"))
    if doc.get("sql") is not None:
        host = _database_host(doc)
        return "sql", host or name, host
    if doc.get("namespace") == "aws":
        aws = doc.get("aws") or {}
        label = " ".join(part for part in (name, aws.get("operation")) if part)
        return "aws_sdk", label, _aws_resource(doc)
    url = ((doc.get("http") or {}).get("request") or {}).get("url")
    if not is_segment and (doc.get("namespace") == "remote" or url):
        host = _host(url) or name
        return "remote_http", host, host
    return "own_code", service if is_segment else f"{service}: {name}", None


def _node(doc: dict[str, Any], service: str, is_segment: bool, index: dict[str, _Node]) -> _Node | None:
    start, end = doc.get("start_time"), doc.get("end_time")
    if not isinstance(start, int | float) or not isinstance(end, int | float) or end < start:
        return None  # in progress or malformed: no time to attribute
    kind, name, resource = _classify(doc, service, is_segment)
    node = _Node(float(start), float(end), kind, name, resource)
    index[str(doc.get("id"))] = node
    for sub in doc.get("subsegments") or []:
        child = _node(sub, service, False, index)
        if child is not None:
            node.children.append(child)
    return node


def _covered(intervals: Iterable[tuple[float, float]]) -> float:
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total


def _attribute(node: _Node, into: dict[tuple[ContributorKind, str, str | None], float]) -> None:
    clipped = [(max(c.start, node.start), min(c.end, node.end)) for c in node.children]
    own = (node.end - node.start) - _covered((s, e) for s, e in clipped if e > s)
    if own > 0:
        into[(node.kind, node.name, node.resource)] += own * 1000
    for child in node.children:
        _attribute(child, into)


def _walk(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield doc
    for sub in doc.get("subsegments") or []:
        yield from _walk(sub)


def _rds_ids(host: str) -> tuple[str | None, str | None]:
    match = _RDS_HOST.match(host.lower())
    if not match:
        return None, None
    return (None, match["id"]) if match["cluster"] else (match["id"], None)


def _log_groups(doc: dict[str, Any]) -> list[str]:
    refs = (doc.get("aws") or {}).get("cloudwatch_logs") or []
    refs = [refs] if isinstance(refs, dict) else refs
    return [str(ref["log_group"]) for ref in refs if isinstance(ref, dict) and ref.get("log_group")]


def _function_name(doc: dict[str, Any]) -> str | None:
    arn = (doc.get("aws") or {}).get("function_arn") or doc.get("resource_arn") or ""
    if ":function:" in arn:
        return str(arn.split(":function:", 1)[1].split(":")[0])
    return None


def _downstreams(docs: Sequence[dict[str, Any]]) -> Downstreams:
    found = Downstreams()
    for segment in docs:
        found.services.append(str(segment.get("name")))
        found.log_groups.extend(_log_groups(segment))
        function = _function_name(segment)
        if function:
            found.lambda_functions.append(function)
            found.log_groups.append(f"/aws/lambda/{function}")
        for doc in _walk(segment):
            kind, _, resource = _classify(doc, "", doc is segment)
            if kind == "sql" and resource:
                instance, cluster = _rds_ids(resource)
                engine = (doc.get("sql") or {}).get("database_type")
                found.databases.append(
                    DatabaseRef(host=resource, engine=engine, rds_instance=instance, rds_cluster=cluster)
                )
            elif kind == "remote_http" and resource:
                found.remote_hosts.append(resource)
            elif kind == "aws_sdk" and resource:
                found.aws_resources.append(resource)
    return merge_downstreams([found])


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def view_trace(trace: dict[str, Any]) -> TraceView | None:
    """Parse one BatchGetTraces trace; None when it holds no finished segment."""
    docs = [json.loads(segment["Document"]) for segment in trace.get("Segments", [])]
    # X-Ray adds "inferred" segments that repeat the caller's subsegment timing.
    docs = [doc for doc in docs if not doc.get("inferred")]
    index: dict[str, _Node] = {}
    nodes = {str(doc.get("id")): _node(doc, str(doc.get("name", "?")), True, index) for doc in docs}
    roots: list[_Node] = []
    for doc in docs:
        node = nodes[str(doc.get("id"))]
        if node is None:
            continue
        parent = index.get(str(doc.get("parent_id")))
        if parent is not None and parent is not node:
            parent.children.append(node)
        else:
            roots.append(node)
    if not roots:
        return None
    root = min(roots, key=lambda n: n.start)
    contributions: dict[tuple[ContributorKind, str, str | None], float] = defaultdict(float)
    _attribute(root, contributions)
    root_doc = next(doc for doc in docs if nodes[str(doc.get("id"))] is root)
    return TraceView(
        id=str(trace.get("Id")),
        response_ms=(root.end - root.start) * 1000,
        fault=bool(root_doc.get("fault")),
        contributions=dict(contributions),
        downstreams=_downstreams(docs),
    )


# --- statistics --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


ContributorKey = tuple[ContributorKind, str, str | None]


def _per_trace(views: Sequence[TraceView]) -> tuple[dict[ContributorKey, float], dict[ContributorKey, int]]:
    totals: dict[ContributorKey, float] = defaultdict(float)
    counts: dict[ContributorKey, int] = defaultdict(int)
    for view in views:
        for key, ms in view.contributions.items():
            totals[key] += ms
            counts[key] += 1
    return totals, counts


def _contributors(
    slow: Sequence[TraceView], baseline: Sequence[TraceView], limit: int = 8
) -> list[Contributor]:
    """Where the slow traces spend their time and, against baseline traces, what grew."""
    totals, counts = _per_trace(slow)
    before, _ = _per_trace(baseline)
    grand_total = sum(totals.values()) or 1.0
    average = {key: total / len(slow) for key, total in totals.items()}
    usual = {key: before.get(key, 0.0) / len(baseline) for key in totals} if baseline else {}
    growth = {key: max(0.0, average[key] - usual[key]) for key in usual}
    total_growth = sum(growth.values())
    found = [
        Contributor(
            kind=kind,
            name=name,
            resource=resource,
            total_ms=round(total, 1),
            avg_ms=round(average[(kind, name, resource)], 1),
            share=round(total / grand_total, 3),
            traces=counts[(kind, name, resource)],
            baseline_avg_ms=round(usual[(kind, name, resource)], 1) if usual else None,
            growth_share=round(growth[(kind, name, resource)] / total_growth, 3) if total_growth else None,
        )
        for (kind, name, resource), total in totals.items()
    ]
    found.sort(key=lambda c: c.weight, reverse=True)
    return found[:limit]


def slow_threshold(alarm_threshold_ms: float | None, baseline: Sequence[TraceView]) -> float:
    """The alarm's own latency threshold, else twice the usual p95 (at least 500 ms), else 1 s."""
    if alarm_threshold_ms:
        return alarm_threshold_ms
    usual_p95 = percentile([v.response_ms for v in baseline], 95)
    return max(2 * usual_p95, MIN_SLOW_MS) if usual_p95 is not None else DEFAULT_SLOW_MS


def summarize(
    views: Sequence[TraceView],
    summaries: Sequence[dict[str, Any]],
    alarm_threshold_ms: float | None,
    baseline: Sequence[TraceView] = (),
) -> TracesData:
    """Population rates from summaries; latency and time breakdown from the analyzed traces."""
    latencies = [v.response_ms for v in views]
    threshold = slow_threshold(alarm_threshold_ms, baseline)
    slow = [v for v in views if v.response_ms >= threshold]
    # With no slow trace the breakdown still says where the time usually goes.
    breakdown = slow or list(views)
    slowest_first = sorted(views, key=lambda v: v.response_ms, reverse=True)
    samples = [v.id for v in slowest_first[:3]] + [v.id for v in views if v.fault][:2]
    usual = [v.response_ms for v in baseline]

    def rate(flag: str) -> float:
        return _ratio(sum(1 for s in summaries if s.get(flag)), len(summaries))

    return TracesData(
        traces_in_window=len(summaries) or len(views),
        analyzed=len(views),
        fault_rate=rate("HasFault") if summaries else _ratio(sum(v.fault for v in views), len(views)),
        error_rate=rate("HasError"),
        throttle_rate=rate("HasThrottle"),
        p50_ms=_round(percentile(latencies, 50)),
        p95_ms=_round(percentile(latencies, 95)),
        max_ms=_round(max(latencies, default=None)),
        baseline_analyzed=len(baseline),
        baseline_p50_ms=_round(percentile(usual, 50)),
        baseline_p95_ms=_round(percentile(usual, 95)),
        slow_threshold_ms=round(threshold, 1),
        slow_share=_ratio(len(slow), len(views)),
        contributors=_contributors(breakdown, baseline) if breakdown else [],
        sample_trace_ids=_dedupe(samples),
        downstreams=merge_downstreams(v.downstreams for v in views),
    )


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def merge_downstreams(parts: Iterable[Downstreams]) -> Downstreams:
    parts = list(parts)
    return Downstreams(
        databases=list({db.host: db for part in parts for db in part.databases}.values()),
        remote_hosts=_dedupe(host for part in parts for host in part.remote_hosts),
        aws_resources=_dedupe(name for part in parts for name in part.aws_resources),
        log_groups=_dedupe(group for part in parts for group in part.log_groups),
        services=_dedupe(name for part in parts for name in part.services),
        lambda_functions=_dedupe(name for part in parts for name in part.lambda_functions),
    )


# --- API calls ---------------------------------------------------------------------------------


def _filter_for(services: Sequence[str]) -> str | None:
    if not services:
        return None
    quoted = (name.replace("\\", "\\\\").replace('"', '\\"') for name in services)
    return " OR ".join(f'service("{name}")' for name in quoted)


def trace_summaries(
    xray: Any, window: Window, services: Sequence[str], max_pages: int = MAX_SUMMARY_PAGES
) -> tuple[list[dict[str, Any]], list[str]]:
    """Summaries of the traces in the window, focused on the services when known."""
    limitations: list[str] = []
    request: dict[str, Any] = {"StartTime": window.start, "EndTime": window.end, "Sampling": False}
    expression = _filter_for(services)
    if expression:
        request["FilterExpression"] = expression
    try:
        return _summary_pages(xray, request, max_pages, limitations), limitations
    except AWS_ERRORS as exc:
        if not expression or error_code(exc) not in REJECTED_FILTER_CODES:
            raise
        # A service name the filter language cannot express should not cost the whole source.
        limitations.append(f"filter {expression!r} rejected ({error_code(exc)}); read all traces instead")
        request.pop("FilterExpression")
        return _summary_pages(xray, request, max_pages, limitations), limitations


def _summary_pages(
    xray: Any, request: dict[str, Any], max_pages: int, limitations: list[str]
) -> list[dict[str, Any]]:
    summaries: list[dict[str, Any]] = []
    for _ in range(max_pages):
        page = xray.get_trace_summaries(**request)
        summaries.extend(page.get("TraceSummaries", []))
        if not page.get("NextToken") or out_of_time(limitations, "older trace summaries"):
            break
        request = {**request, "NextToken": page["NextToken"]}
    return summaries


def pick_sample(summaries: Sequence[dict[str, Any]], size: int) -> list[str]:
    """Faulted traces first (up to a third), then an even spread over the rest for unbiased percentiles."""
    faulted = [s["Id"] for s in summaries if s.get("HasFault") or s.get("HasError")][: size // 3]
    rest = [s["Id"] for s in summaries if s["Id"] not in set(faulted)]
    room = size - len(faulted)
    if len(rest) > room > 0:
        step = len(rest) / room
        rest = [rest[int(i * step)] for i in range(room)]
    return faulted + rest[: max(room, 0)]


def fetch_traces(
    xray: Any, trace_ids: Sequence[str], limitations: list[str] | None = None
) -> list[dict[str, Any]]:
    traces: list[dict[str, Any]] = []
    notes = limitations if limitations is not None else []
    for start in range(0, len(trace_ids), BATCH_SIZE):
        if start and out_of_time(notes, "part of the trace sample"):
            break
        request: dict[str, Any] = {"TraceIds": list(trace_ids[start : start + BATCH_SIZE])}
        while True:
            page = xray.batch_get_traces(**request)
            traces.extend(page.get("Traces", []))
            if not page.get("NextToken"):
                break
            request["NextToken"] = page["NextToken"]
    return traces


def _views(traces: Iterable[dict[str, Any]], exclude_prefix: str = "") -> list[TraceView]:
    """Parsed traces, leaving out the analyzer's own (its functions' names start with the prefix)."""
    views = [view for trace in traces if (view := view_trace(trace)) is not None]
    if not exclude_prefix:
        return views
    return [v for v in views if not any(name.startswith(exclude_prefix) for name in v.downstreams.services)]


def collect_traces(
    xray: Any,
    windows: Windows,
    services: Sequence[str],
    alarm_threshold_ms: float | None = None,
    exclude_prefix: str = "",
) -> TracesData:
    """The incident window's traces, against a smaller sample of the baseline window's."""
    summaries, limitations = trace_summaries(xray, windows.incident, services)
    views = _views(fetch_traces(xray, pick_sample(summaries, SAMPLE_SIZE), limitations), exclude_prefix)
    baseline: list[TraceView] = []
    if not out_of_time(limitations, "the baseline traces"):
        usual, _ = trace_summaries(xray, windows.baseline, services, max_pages=1)
        baseline = _views(
            fetch_traces(xray, pick_sample(usual, BASELINE_SAMPLE_SIZE), limitations), exclude_prefix
        )
    data = summarize(views, summaries, alarm_threshold_ms, baseline)
    data.limitations.extend(limitations)
    return data


def gather_traces(alarm: Alarm, clients: AwsClients, settings: GathererSettings) -> TracesData:
    limitations: list[str] = []
    tags = lookup_tags(alarm, clients, limitations)
    services = trace_services(alarm, tags)
    data = collect_traces(
        clients.xray, windows_for(alarm), services, slow_threshold_ms(alarm), settings.own_name_prefix
    )
    data.limitations[:0] = limitations
    return data


def lookup_downstreams(
    alarm: Alarm,
    clients: AwsClients,
    tags: dict[str, str],
    settings: GathererSettings,
    limitations: list[str],
) -> Downstreams | None:
    """What a few traces of the alarm's services reveal, or None (noted) when X-Ray cannot be read."""
    window = windows_for(alarm).incident
    services = trace_services(alarm, tags)
    found: Downstreams | None = attempt(
        "trace discovery",
        lambda: probe_downstreams(clients, window, services, settings.own_name_prefix),
        None,
        limitations,
    )
    return found


def probe_downstreams(
    clients: AwsClients, window: Window, services: Sequence[str], exclude_prefix: str = ""
) -> Downstreams:
    """A cheap look at a few traces (two calls) to learn which database, hosts and log groups are involved."""
    summaries, _ = trace_summaries(clients.xray, window, services, max_pages=1)
    slowest = sorted(summaries, key=lambda s: s.get("Duration") or 0, reverse=True)
    traces = fetch_traces(clients.xray, [s["Id"] for s in slowest[:PROBE_SAMPLE_SIZE]])
    return merge_downstreams(view.downstreams for view in _views(traces, exclude_prefix))
