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

from ..aws import AWS_ERRORS, error_code
from ..metric_catalog import slow_threshold_ms
from ..models import (
    Contribution,
    Contributor,
    ContributorKind,
    DatabaseRef,
    Downstreams,
    TraceProbe,
    TraceRecord,
    TracesData,
    TraceSummaryRef,
    Window,
)
from . import GatherContext

BATCH_SIZE = 5  # BatchGetTraces accepts at most five ids per call
MAX_SUMMARY_PAGES = 10
SAMPLE_SIZE = 25  # five BatchGetTraces calls; the scope's probe read the first five
BASELINE_SAMPLE_SIZE = 10
PROBE_SAMPLE_SIZE = 5
MAX_PROBE_SUMMARIES = 500  # what the scope carries on to the traces gatherer (about 40 KB at most)
CONCURRENT_BATCHES = 3  # BatchGetTraces calls at once: within its 5 per second with room for others
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


def _invoked(doc: dict[str, Any]) -> str | None:
    """The function a caller's Invoke subsegment names: found even when the function never ran (a
    throttled invocation leaves no segment of its own, only the caller's record of the call)."""
    aws = doc.get("aws") or {}
    name = aws.get("function_name")
    if aws.get("operation") != "Invoke" or not name:
        return None
    return _function_name({"resource_arn": name}) if ":function:" in str(name) else str(name)


def _handed_off(docs: Sequence[dict[str, Any]]) -> set[str]:
    """Functions invoked asynchronously (Lambda accepted the job with a 202): their work happens off the
    request's path, so what they touch does not explain the request's latency or errors."""
    return {
        str((doc.get("aws") or {}).get("function_name"))
        for segment in docs
        for doc in _walk(segment)
        if (doc.get("aws") or {}).get("operation") == "Invoke"
        and ((doc.get("http") or {}).get("response") or {}).get("status") == 202
    }


def _downstreams(docs: Sequence[dict[str, Any]]) -> Downstreams:
    found = Downstreams()
    handed_off = _handed_off(docs)
    for segment in docs:
        found.services.append(str(segment.get("name")))
        function = _function_name(segment)
        if function in handed_off or (
            segment.get("origin") == "AWS::Lambda" and segment.get("name") in handed_off
        ):
            # Off the request's path, but a table refusing its calls is throttled for every caller.
            found.throttled_tables += [_aws_resource(d) or "" for d in _walk(segment) if _refused_by_table(d)]
            continue
        found.log_groups.extend(_log_groups(segment))
        if function:
            found.lambda_functions.append(function)
            found.log_groups.append(f"/aws/lambda/{function}")
        for doc in _walk(segment):
            called = _invoked(doc)
            if called and called not in handed_off:
                found.lambda_functions.append(called)
                found.log_groups.append(f"/aws/lambda/{called}")
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
                if _refused_by_table(doc):
                    found.throttled_tables.append(resource)
    return merge_downstreams([found])


# The SDKs' errors for a table's capacity (a 400, so the X-Ray SDKs do not all flag it a throttle).
_TABLE_REFUSED = re.compile(
    r"ProvisionedThroughputExceeded|ThrottlingException|RequestLimitExceeded|throughput exceeds",
    re.IGNORECASE,
)


def _refused_by_table(doc: dict[str, Any]) -> bool:
    """A DynamoDB call the table refused for its capacity: throttled (429), or the SDK's throughput error."""
    if not (doc.get("aws") or {}).get("table_name"):
        return False
    exceptions = ((doc.get("cause") or {}).get("exceptions")) or []
    said = " ".join(f"{e.get('type', '')}: {e.get('message', '')}" for e in exceptions if isinstance(e, dict))
    return bool(doc.get("throttle")) or bool(_TABLE_REFUSED.search(said))


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def view_trace(trace: dict[str, Any]) -> TraceRecord | None:
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
    return TraceRecord(
        id=str(trace.get("Id")),
        response_ms=(root.end - root.start) * 1000,
        fault=bool(root_doc.get("fault")),
        contributions=[
            Contribution(kind=kind, name=name, resource=resource, ms=ms)
            for (kind, name, resource), ms in contributions.items()
        ],
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
MIN_GROWTH = 0.1  # of the usual time per trace: less, and the slow traces did not slow down


def _per_trace(views: Sequence[TraceRecord]) -> tuple[dict[ContributorKey, float], dict[ContributorKey, int]]:
    totals: dict[ContributorKey, float] = defaultdict(float)
    counts: dict[ContributorKey, int] = defaultdict(int)
    for view in views:
        for part in view.contributions:
            key = (part.kind, part.name, part.resource)
            totals[key] += part.ms
            counts[key] += 1
    return totals, counts


def _contributors(
    slow: Sequence[TraceRecord], baseline: Sequence[TraceRecord], limit: int = 8
) -> list[Contributor]:
    """Where the slow traces spend their time and, against baseline traces, what grew."""
    totals, counts = _per_trace(slow)
    before, _ = _per_trace(baseline)
    grand_total = sum(totals.values()) or 1.0
    average = {key: total / len(slow) for key, total in totals.items()}
    usual = {key: before.get(key, 0.0) / len(baseline) for key in totals} if baseline else {}
    growth = {key: max(0.0, average[key] - usual[key]) for key in usual}
    total_growth = sum(growth.values())
    # Slow requests no slower than usual: shares of a growth that is noise would name anything.
    noise = bool(baseline) and total_growth < MIN_GROWTH * sum(usual.values())

    def growth_share(key: ContributorKey) -> float | None:
        if noise:
            return 0.0
        return round(growth[key] / total_growth, 3) if total_growth else None

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
            growth_share=growth_share((kind, name, resource)),
        )
        for (kind, name, resource), total in totals.items()
    ]
    found.sort(key=lambda c: c.weight, reverse=True)
    return found[:limit]


def slow_threshold(alarm_threshold_ms: float | None, baseline: Sequence[TraceRecord]) -> float:
    """The alarm's own latency threshold, else twice the usual p95 (at least 500 ms), else 1 s."""
    if alarm_threshold_ms:
        return alarm_threshold_ms
    usual_p95 = percentile([v.response_ms for v in baseline], 95)
    return max(2 * usual_p95, MIN_SLOW_MS) if usual_p95 is not None else DEFAULT_SLOW_MS


def summarize(
    views: Sequence[TraceRecord],
    summaries: Sequence[TraceSummaryRef],
    alarm_threshold_ms: float | None,
    baseline: Sequence[TraceRecord] = (),
    more_in_window: bool = False,
) -> TracesData:
    """Population rates and latency from summaries (from the analyzed traces when summaries carry no
    times they agree on); the time breakdown from the analyzed traces, whose sample favours slow ones."""
    latencies = _summary_latencies(views, summaries) or [v.response_ms for v in views]
    threshold = slow_threshold(alarm_threshold_ms, baseline)
    slow = [v for v in views if v.response_ms >= threshold]
    # With no slow trace the breakdown still says where the time usually goes.
    breakdown = slow or list(views)
    slowest_first = sorted(views, key=lambda v: v.response_ms, reverse=True)
    samples = [v.id for v in slowest_first[:3]] + [v.id for v in views if v.fault][:2]
    usual = [v.response_ms for v in baseline]

    def rate(flag: str) -> float:
        return _ratio(sum(1 for s in summaries if getattr(s, flag)), len(summaries))

    return TracesData(
        traces_in_window=len(summaries) or len(views),
        more_in_window=more_in_window,
        analyzed=len(views),
        fault_rate=rate("fault") if summaries else _ratio(sum(v.fault for v in views), len(views)),
        error_rate=rate("error"),
        throttle_rate=rate("throttle"),
        p50_ms=_round(percentile(latencies, 50)),
        p95_ms=_round(percentile(latencies, 95)),
        max_ms=_round(max(latencies, default=None)),
        baseline_analyzed=len(baseline),
        baseline_p50_ms=_round(percentile(usual, 50)),
        baseline_p95_ms=_round(percentile(usual, 95)),
        slow_threshold_ms=round(threshold, 1),
        slow_share=_ratio(sum(1 for ms in latencies if ms >= threshold), len(latencies)),
        contributors=_contributors(breakdown, baseline) if breakdown else [],
        sample_trace_ids=_dedupe(samples),
        downstreams=merge_downstreams(v.downstreams for v in views),
    )


def _summary_latencies(views: Sequence[TraceRecord], summaries: Sequence[TraceSummaryRef]) -> list[float]:
    """Every summary's response time (ms), when those of the traces read agree with their segments: a
    summary that misstates its own trace's time is no measure of the others."""
    timed = {s.id: s.response_time * 1000 for s in summaries if s.response_time is not None}
    checked = [(timed[v.id], v.response_ms) for v in views if v.id in timed]
    agreeing = sum(1 for said, seen in checked if abs(said - seen) <= max(0.1 * seen, 5.0))
    return list(timed.values()) if checked and agreeing >= 0.9 * len(checked) else []


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
        throttled_tables=_dedupe(name for part in parts for name in part.throttled_tables),
    )


# --- API calls ---------------------------------------------------------------------------------


def _filter_for(services: Sequence[str]) -> str | None:
    if not services:
        return None
    quoted = (name.replace("\\", "\\\\").replace('"', '\\"') for name in services)
    return " OR ".join(f'service("{name}")' for name in quoted)


def _summary(entry: dict[str, Any]) -> TraceSummaryRef:
    return TraceSummaryRef(
        id=entry["Id"],
        # The root segment's time, what the caller waited: the trace also lasts through async work.
        response_time=entry.get("ResponseTime", entry.get("Duration")),
        fault=bool(entry.get("HasFault")),
        error=bool(entry.get("HasError")),
        throttle=bool(entry.get("HasThrottle")),
    )


@dataclass
class SummaryPages:
    """Summaries read so far, and where X-Ray would go on."""

    summaries: list[TraceSummaryRef]
    next_token: str | None
    filter_accepted: bool


def first_page(
    context: GatherContext, window: Window, services: Sequence[str], filter_accepted: bool = True
) -> SummaryPages:
    """The window's first page of summaries, focused on the services when the filter language allows
    (``filter_accepted`` False: X-Ray refused the filter already; it is not asked again)."""
    request: dict[str, Any] = {"StartTime": window.start, "EndTime": window.end, "Sampling": False}
    expression = _filter_for(services) if filter_accepted else None
    if expression:
        request["FilterExpression"] = expression
    xray = context.clients.xray
    try:
        page = xray.get_trace_summaries(**request)
    except AWS_ERRORS as exc:
        if not expression or error_code(exc) not in REJECTED_FILTER_CODES:
            raise
        # A service name the filter language cannot express should not cost the whole source.
        context.note("trace_filter_rejected", expression=expression, error=error_code(exc))
        request.pop("FilterExpression")
        page = xray.get_trace_summaries(**request)
    return SummaryPages(
        [_summary(s) for s in page.get("TraceSummaries", [])],
        page.get("NextToken"),
        "FilterExpression" in request,
    )


def more_pages(
    context: GatherContext, window: Window, services: Sequence[str], read: SummaryPages
) -> SummaryPages:
    """Page on from where the first page (or the scope's probe) left off, up to the page cap."""
    request: dict[str, Any] = {"StartTime": window.start, "EndTime": window.end, "Sampling": False}
    expression = _filter_for(services)
    if expression and read.filter_accepted:
        request["FilterExpression"] = expression
    summaries, token = list(read.summaries), read.next_token
    for _ in range(MAX_SUMMARY_PAGES - 1):
        if not token or context.out_of_time("older_trace_summaries"):
            break
        page = context.clients.xray.get_trace_summaries(**request, NextToken=token)
        summaries += [_summary(s) for s in page.get("TraceSummaries", [])]
        token = page.get("NextToken")
    if token:
        # More traces than the pages read: the count below is a lower bound, and says so.
        context.note("trace_summaries_capped", read=len(summaries), pages=MAX_SUMMARY_PAGES)
    return SummaryPages(summaries, token, read.filter_accepted)


def _spread(ids: Sequence[str], room: int) -> list[str]:
    """An even spread of ``room`` of them, first to last."""
    if len(ids) <= room:
        return list(ids)
    if room <= 0:
        return []
    step = len(ids) / room
    return [ids[int(i * step)] for i in range(room)]


def pick_sample(summaries: Sequence[TraceSummaryRef], size: int, slow_ms: float | None = None) -> list[str]:
    """Faulted traces first (up to a third); under a latency alarm, traces over its threshold next (up to
    a third, spread over the window): a slowdown that only some requests feel is what the breakdown must
    see; then an even spread over the rest."""
    faulted = [s.id for s in summaries if s.fault or s.error][: size // 3]
    taken = set(faulted)
    over = [
        s.id
        for s in summaries
        if slow_ms is not None
        and s.response_time is not None
        and s.response_time * 1000 >= slow_ms
        and s.id not in taken
    ]
    slow = _spread(over, size // 3)
    taken |= set(slow)
    room = size - len(taken)
    return [*faulted, *slow, *_spread([s.id for s in summaries if s.id not in taken], room)]


def fetch_traces(context: GatherContext, trace_ids: Sequence[str]) -> list[dict[str, Any]]:
    """BatchGetTraces in batches of five, a few batches at a time (the API allows 5 calls a second)."""
    xray = context.clients.xray

    def batch(ids: list[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        request: dict[str, Any] = {"TraceIds": ids}
        while True:
            page = xray.batch_get_traces(**request)
            found.extend(page.get("Traces", []))
            if not page.get("NextToken"):
                return found
            request["NextToken"] = page["NextToken"]

    batches = [list(trace_ids[i : i + BATCH_SIZE]) for i in range(0, len(trace_ids), BATCH_SIZE)]
    traces: list[dict[str, Any]] = []
    for start in range(0, len(batches), CONCURRENT_BATCHES):
        if start and context.out_of_time("trace_sample"):
            break
        for found in context.parallel(
            *(lambda b=b: batch(b) for b in batches[start : start + CONCURRENT_BATCHES])
        ):
            traces.extend(found)
    return traces


def _records(traces: Iterable[dict[str, Any]], exclude_prefix: str = "") -> list[TraceRecord]:
    """Parsed traces, leaving out the analyzer's own (its functions' names start with the prefix)."""
    records = [record for trace in traces if (record := view_trace(trace)) is not None]
    if not exclude_prefix:
        return records
    return [r for r in records if not any(name.startswith(exclude_prefix) for name in r.downstreams.services)]


def probe_traces(context: GatherContext, services: Sequence[str]) -> TraceProbe | None:
    """What the slowest traces of the first page reveal downstream (database, hosts, log groups): the
    scope's two X-Ray calls, handed on to the traces gatherer. None (noted) when X-Ray cannot be read."""
    window = context.scope.windows.incident

    def probe() -> TraceProbe:
        first = first_page(context, window, services)
        # The first traces the traces gatherer would sample anyway: it uses them instead of reading them again.
        chosen = pick_sample(first.summaries, SAMPLE_SIZE, slow_threshold_ms(context.alarm))[
            :PROBE_SAMPLE_SIZE
        ]
        records = _records(fetch_traces(context, chosen), context.settings.own_name_prefix)
        return TraceProbe(
            services=list(services),
            filter_accepted=first.filter_accepted,
            summaries=first.summaries[:MAX_PROBE_SUMMARIES],
            next_token=first.next_token,
            traces=records,
            downstreams=merge_downstreams(r.downstreams for r in records),
        )

    found: TraceProbe | None = context.attempt("trace_discovery", probe, None)
    return found


def gather_traces(context: GatherContext) -> TracesData:
    """The incident window's traces, against a smaller sample of the baseline window's."""
    scope, prefix = context.scope, context.settings.own_name_prefix
    windows, services = scope.windows, scope.trace_services
    probe = scope.probe
    # What the scope's probe read of the incident window (read here when resolving the scope failed).
    first = (
        SummaryPages(probe.summaries, probe.next_token, probe.filter_accepted)
        if probe
        else first_page(context, windows.incident, services)
    )
    with context.side_by_side() as work:
        incident = work.submit(lambda: more_pages(context, windows.incident, services, first))
        usual = work.submit(lambda: first_page(context, windows.baseline, services, first.filter_accepted))
    pages = incident.result()
    summaries = pages.summaries
    known = {r.id: r for r in (probe.traces if probe else [])}
    slow_ms = slow_threshold_ms(context.alarm)
    sample = pick_sample(summaries, SAMPLE_SIZE, slow_ms)
    with context.side_by_side() as work:
        fetched = work.submit(
            lambda: _records(fetch_traces(context, [i for i in sample if i not in known]), prefix)
        )
        before = work.submit(
            lambda: _records(
                fetch_traces(context, pick_sample(usual.result().summaries, BASELINE_SAMPLE_SIZE)), prefix
            )
        )
    records = [*(known[i] for i in sample if i in known), *fetched.result()]
    return summarize(
        records,
        summaries,
        slow_ms,
        before.result(),
        more_in_window=pages.next_token is not None,
    )
