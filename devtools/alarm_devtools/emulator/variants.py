"""Variants of the library's scenarios: the same mechanism told with other names, values, words and noise.

A variant is a transformation of a ``Scenario`` that keeps its fault's mechanism and its expected
category. Each axis draws from a random stream of its own (seeded by the benchmark's seed, the scenario
and the variant's index), so the same seed gives the same variants, and leaving one axis out
(``draw(..., axes=...)``) leaves the others' draws as they were, which is how a miss is traced to its axis:

- ``names``: the service, load balancer, target group, database, worker, cluster, table, remote host,
  code path, request path and dead-letter queue in another naming style (plain, environment-tagged,
  CloudFormation-generated, snake case); every text of the scenario naming a resource follows.
- ``values``: traffic level and latencies, the fault's size (the services' moved metrics too, a limit
  reached staying where it is), onset, ramp and affected share; releases and
  API calls keep their place relative to the onset. The alarm's threshold keeps its place between the
  metric's normal values and the breach (computed on the world's model, without AWS), so the alarm fires
  for the same reason. Near misses (an expected ``inconclusive`` or ``alarm_misconfiguration``) move less.
- ``wording``: each fault line a mechanism of ``variants.yaml`` recognizes is told in another stack's
  words (the service's stack and log format drawn once: Python, Java, Node, Go, .NET; text or JSON; the
  worker's runtime and Lambda log format too); the background lines are the stack's at another level.
- ``sources``: at most one optional source missing (no traces, no tags, CloudTrail refused), never one
  the expected category cannot do without (``NEEDS``).
"""

from __future__ import annotations

import json
import math
import random
import re
import statistics
import string
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from alarm_analyzer.report import Category
from alarm_analyzer.rules.errors import OTHER_CAUSES
from alarm_analyzer.rules.signals import mechanisms_in

from . import world, world_services
from .scenarios import OptionalSource, Scenario
from .world import (
    TASKS_PER_ZONE,
    ZONES,
    AlarmSpec,
    Built,
    Fault,
    Load,
    LogLine,
    Names,
    Task,
    Worker,
)

Axis = Literal["names", "values", "wording", "sources"]
AXES: tuple[Axis, ...] = get_args(Axis)
Stack = Literal["python", "java", "node", "go", "dotnet"]
STACKS: tuple[Stack, ...] = get_args(Stack)

# The sources a category's mechanism cannot be told without: where the slower requests spend their time
# is only in the traces.
NEEDS: dict[Category, frozenset[OptionalSource]] = {
    "slow_database_query": frozenset({"traces"}),
    "downstream_dependency_latency": frozenset({"traces"}),
    "application_code_latency": frozenset({"traces"}),
    # The database behind a load balancer comes into scope through the traces: its storage, its I/O
    # credits and its events are read only then.
    "storage_exhaustion": frozenset({"traces"}),
    "burst_credit_exhaustion": frozenset({"traces"}),
    "infrastructure_failure": frozenset({"traces"}),
    # A cache behind an alarm on the service or its database is found only by the traces' calls to it.
    "cache_pressure": frozenset({"traces"}),
}
NEAR_MISSES: frozenset[Category] = frozenset({"inconclusive", "alarm_misconfiguration"})
MISSING_SHARE = 0.4  # variants that lack one optional source
JSON_SHARE = 0.3  # variants whose service logs JSON
RUNTIMES = {"python": "python3.13", "node": "nodejs20.x"}  # the worker's runtime per wording stack
RECENT = timedelta(hours=1)  # a release within this of the alarm is part of the story; older ones are not
DRY_NOW = datetime(2026, 1, 5, 12, 0, 30, tzinfo=UTC)  # when the model is evaluated for the threshold

_DATA = Path(__file__).with_name("variants.yaml")


@cache
def catalog() -> dict[str, Any]:
    """``variants.yaml``: naming vocabulary, background lines per stack, wordings per mechanism."""
    loaded: dict[str, Any] = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class Variant:
    scenario: Scenario  # named <library scenario>~<index>
    base: str  # the library scenario it varies
    index: int
    changes: tuple[str, ...]  # what was drawn, for the reader of a miss


def variant_seed(seed: int, base: str, index: int, stream: str) -> random.Random:
    """The random stream of one axis (or of the service's stack, which names and wording both follow)."""
    return random.Random(f"{seed}/{base}/{index}/{stream}")


def draw(base: Scenario, seed: int, index: int, axes: Collection[Axis] = AXES) -> Variant:
    """Variant ``index`` of ``base`` under ``seed``; only the given axes vary."""
    scenario, changes = base, []
    stack: Stack = variant_seed(seed, base.name, index, "stack").choice(STACKS)
    steps: tuple[tuple[Axis, Callable[[Scenario, random.Random, Stack], tuple[Scenario, str]]], ...] = (
        ("names", _rename),
        ("values", _revalue),
        ("wording", _reword),
        ("sources", _drop_source),
    )
    for axis, step in steps:
        if axis in axes:
            scenario, change = step(scenario, variant_seed(seed, base.name, index, axis), stack)
            if change:
                changes.append(change)
    return Variant(replace(scenario, name=f"{base.name}~{index}"), base.name, index, tuple(changes))


def variants(scenarios: Iterable[Scenario], count: int, seed: int) -> list[Variant]:
    return [draw(s, seed, index) for s in scenarios for index in range(1, count + 1)]


# --- names -------------------------------------------------------------------------------------------

NamingStyle = Literal["plain", "environment", "cloudformation", "snake"]
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _code_name(rng: random.Random, stack: Stack) -> str:
    words = catalog()["names"]
    verb, thing = rng.choice(words["code_verbs"]), rng.choice(words["code_things"])
    if stack == "python":
        return f"{verb}_{thing}"
    if stack in ("java", "dotnet"):
        suffix = "Async" if stack == "dotnet" else ""
        return f"{thing.capitalize()}Service.{verb if stack == 'java' else verb.capitalize()}{thing.capitalize()}{suffix}"
    return f"{verb if stack == 'node' else verb.capitalize()}{thing.capitalize()}"


def _hyphenated(name: str, limit: int) -> str:
    """A load balancer, target group or database name: letters, digits, single hyphens, not ending in one."""
    cleaned = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9-]", "-", name))
    return cleaned[:limit].strip("-")


def new_names(base: Names, style: NamingStyle, stack: Stack, rng: random.Random) -> Names:
    words = catalog()["names"]
    domain, team, env = (rng.choice(words[k]) for k in ("domains", "teams", "environments"))
    job, thing = rng.choice(words["jobs"]), rng.choice(words["tables"])
    service = f"{domain}-{rng.choice(words['service_suffixes'])}"
    balancer = f"{rng.choice([domain, team])}-{rng.choice(words['balancer_suffixes'])}"
    database = f"{domain}-{rng.choice(words['database_suffixes'])}"
    worker, cluster, table = f"{domain}-{job}", f"{team}-{env}", f"{domain}-{thing}"
    target_group = f"{service}-tg"
    if style == "environment":
        tagged = (lambda n: f"{env}-{n}") if rng.random() < 0.5 else (lambda n: f"{n}-{env}")
        service, balancer, database, worker, table = map(tagged, (service, balancer, database, worker, table))
        target_group, cluster = f"{service}-tg", f"{team}-{rng.choice(('cluster', 'ecs', 'apps'))}"
    elif style == "cloudformation":
        stack_name = f"{domain}-{env}"

        def generated(logical: str) -> str:
            return f"{stack_name}-{logical}-{''.join(rng.choice(_ALNUM) for _ in range(12))}"

        service, cluster = generated("Service"), generated("Cluster")
        worker, table = generated(f"{job.title().replace('-', '')}Function"), generated("Table")
        balancer = f"{stack_name[:5]}-Publi-{''.join(rng.choice(_ALNUM) for _ in range(12))}"
        target_group = f"{stack_name[:5]}-Targe-{''.join(rng.choice(_ALNUM) for _ in range(12))}"
        database = generated("database").lower()
    elif style == "snake":
        service, worker, table, cluster = (n.replace("-", "_") for n in (service, worker, table, cluster))
        target_group = f"{domain}-tg"
    remote = rng.choice(words["remote_hosts"]).format(vendor=rng.choice(words["vendors"]))
    return replace(
        base,
        service=service,
        load_balancer=_hyphenated(balancer, 32),
        target_group=_hyphenated(target_group, 32),
        database=_hyphenated(database, 63).lower(),
        db_name=domain.replace("-", "_"),
        worker=worker[:59],  # its role is <worker>-role, at most 64 characters
        remote_host=remote,
        slow_code=_code_name(rng, stack),
        cluster=cluster,
        table=table,
        path=rng.choice(words["paths"]).replace("{resource}", domain),
        dead_letter_suffix=rng.choice(words["dead_letter_suffixes"]),
    )


def _named(names: Names) -> dict[str, str]:
    """Every name a scenario's texts may spell out, and the queue names derived from them."""
    return {
        "service": names.service,
        "load_balancer": names.load_balancer,
        "target_group": names.target_group,
        "database": names.database,
        "worker": names.worker,
        "remote_host": names.remote_host,
        "slow_code": names.slow_code,
        "cluster": names.cluster,
        "table": names.table,
        "queue": names.queue,
        "dead_letter_queue": names.dead_letter_queue,
    }


def renamer(old: Names, new: Names) -> Callable[[str], str]:
    """Rewrites whole names (not parts of longer words; the longest name first) from ``old`` to ``new``."""
    before, after = _named(old), _named(new)
    mapping = {before[k]: after[k] for k in before}
    alternatives = "|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
    return lambda text: pattern.sub(lambda m: mapping[m.group(0)], text)


def rewrite_texts(value: Any, text: Callable[[str], str]) -> Any:
    """``value`` with ``text`` applied to every string in it (dataclasses, mappings, sequences)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, tuple):
        return tuple(rewrite_texts(v, text) for v in value)
    if isinstance(value, list):
        return [rewrite_texts(v, text) for v in value]
    if isinstance(value, dict):
        return {rewrite_texts(k, text): rewrite_texts(v, text) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: rewrite_texts(getattr(value, f.name), text) for f in fields(value) if f.init}
        )
    return value


def _rename(scenario: Scenario, rng: random.Random, stack: Stack) -> tuple[Scenario, str]:
    style: NamingStyle = rng.choice(get_args(NamingStyle))
    names = new_names(scenario.names, style, stack, rng)
    kept = {"name": scenario.name, "expected": scenario.expected, "summary": scenario.summary}
    renamed = rewrite_texts(replace(scenario, names=Names()), renamer(scenario.names, names))
    return replace(renamed, names=names, **kept), f"names {style} ({names.service})"


# --- values ------------------------------------------------------------------------------------------

_RATES = ("requests",)
_TIMES = ("code_ms", "sql_ms", "dynamodb_ms", "remote_ms")
_PERCENTS = ("db_cpu", "ecs_cpu", "ecs_memory")
_SHARES = ("fault_share", "elb_error_share", "client_error_share", "worker_error_share",
           "worker_timeout_share", "worker_oom_share")  # fmt: skip
_EXTRAS = ("sql_extra_ms", "remote_extra_ms", "code_extra_ms", "dynamodb_timeout_ms")
_PINNED = 80.0  # a utilization at least this high is a ceiling: it stays one, whatever the fault's size


@dataclass(frozen=True)
class _Draw:
    traffic: float  # requests and everything counted per request
    latency: float  # the service's usual time per call
    size: float  # the fault's size: extra time, and how far the moved metrics move
    share: float  # the share of requests the fault affects
    baseline: dict[str, float]  # other usual values' factors


def _values_draw(rng: random.Random, near_miss: bool) -> _Draw:
    narrow = 0.4 if near_miss else 1.0

    def around(low: float, high: float) -> float:
        """Log-uniform in [low, high], narrowed towards 1 for near misses."""
        return math.exp(rng.uniform(math.log(low) * narrow, math.log(high) * narrow))

    return _Draw(
        traffic=around(0.5, 2.5),
        latency=around(0.7, 1.5),
        size=around(0.85, 1.5),
        share=around(0.85, 1.15),
        baseline={
            "db_connections": around(0.7, 1.4),
            "db_cpu": around(0.8, 1.25),
            "ecs_cpu": around(0.85, 1.2),
            "ecs_memory": around(0.85, 1.15),
            "db_memory": around(0.9, 1.6),
            "client_error_share": around(0.6, 1.6),
        },
    )


def _moved(key: str, before: float, after: float, target: float, size: float) -> float:
    """Where a fault moves a metric whose usual value went from ``before`` to ``after``."""
    if key in _PERCENTS and target >= _PINNED:
        return min(99.5, target)
    moved = after + (target - before) * (after / before if before else 1.0) * size
    if key in _PERCENTS:
        return min(99.5, max(0.0, moved))
    if key in _SHARES:
        return min(0.6, max(0.0, moved))
    return max(0.0, moved)


def _scaled_load(load: Load, d: _Draw) -> Load:
    changes: dict[str, float] = {k: getattr(load, k) * d.traffic for k in _RATES}
    changes |= {k: getattr(load, k) * d.latency for k in _TIMES}
    changes |= {k: getattr(load, k) * factor for k, factor in d.baseline.items()}
    changes["db_cpu"] = min(changes["db_cpu"], 60.0)
    changes["ecs_cpu"] = min(changes["ecs_cpu"], 60.0)
    return replace(load, **changes)


def _scaled_services(services: world_services.Services, size: float) -> world_services.Services:
    """The services' moved metrics moved by the fault's size; a limit reached (pinned) stays where it is."""
    changes: dict[str, Any] = {
        name: replace(
            service,
            metrics={
                key: level
                if level.fault is None or level.pinned
                else replace(level, fault=level.normal + (level.fault - level.normal) * size)
                for key, level in service.metrics.items()
            },
        )
        for name, service in services.chosen()
    }
    return replace(services, **changes)


def _shifted(ago: timedelta, old_start: timedelta, new_start: timedelta, rng: random.Random) -> timedelta:
    """A release or call moved with the onset: one within the hour keeps its side of the onset and
    roughly its distance to it; an old one stays old."""
    if ago > RECENT:
        return timedelta(minutes=rng.randint(90, 300))
    lead = (ago - old_start) * rng.uniform(0.6, 1.4)
    if ago > old_start:
        lead = max(lead, timedelta(minutes=1))
    elif ago < old_start:
        lead = min(lead, -timedelta(minutes=1))
    return min(max(new_start + lead, timedelta(minutes=1)), RECENT - timedelta(minutes=5))


def _onset(fault: Fault, alarm: AlarmSpec, rng: random.Random, near_miss: bool) -> tuple[timedelta, int]:
    """Onset and ramp: the ramp mostly done before the alarm's evaluated periods, and the onset within
    the minutes an alarm of this period is analyzed for (its periods and a margin; 15 at least)."""
    if fault.lasts is not None or near_miss:
        return fault.starts, fault.ramp_minutes
    ramp = max(1, round(fault.ramp_minutes * rng.uniform(0.5, 1.6)))
    evaluated = alarm.period // 60 * alarm.evaluation_periods
    original = int(fault.starts.total_seconds() // 60)
    window = max(evaluated + max(2 * alarm.period // 60, 10), 15)
    earliest = min(original, ramp + evaluated + 1)
    latest = max(earliest, min(round(original * 1.4), window - 2))
    return timedelta(minutes=rng.randint(earliest, latest)), ramp


def _apply_values(scenario: Scenario, d: _Draw, rng: random.Random, near_miss: bool) -> Scenario:
    load = _scaled_load(scenario.load, d)
    fault = scenario.fault
    if fault is None:
        return replace(scenario, load=load)
    starts, ramp = _onset(fault, scenario.alarm, rng, near_miss)
    targets = {
        k: _moved(k, getattr(scenario.load, k), getattr(load, k), v, d.size) for k, v in fault.load.items()
    }
    # A slower invocation still ends at the function's timeout, and uses at most its memory.
    if "worker_ms" in targets:
        targets["worker_ms"] = min(targets["worker_ms"], scenario.worker.timeout_s * 1000 * 0.9)
    if "worker_memory_mb" in targets:
        targets["worker_memory_mb"] = min(targets["worker_memory_mb"], float(scenario.worker.memory_mb))
    extras = {k: getattr(fault, k) * d.latency * d.size for k in _EXTRAS}
    new_fault = replace(
        fault,
        starts=starts,
        ramp_minutes=ramp,
        affected_share=min(0.95, max(0.15, fault.affected_share * d.share)),
        load=targets,
        log_lines=tuple(
            replace(line, per_minute=line.per_minute * d.traffic**0.5) for line in fault.log_lines
        ),
        **extras,
    )
    deployments = tuple(
        replace(dep, ago=_shifted(dep.ago, fault.starts, starts, rng)) for dep in scenario.deployments
    )
    calls = tuple(replace(call, ago=_shifted(call.ago, fault.starts, starts, rng)) for call in scenario.calls)
    services = _scaled_services(scenario.services, d.size)
    return replace(
        scenario, load=load, fault=new_fault, deployments=deployments, calls=calls, services=services
    )


def dry_built(scenario: Scenario) -> Built:
    """The world's parts as far as the metrics need them, without creating anything."""
    tasks = [
        Task(
            id=f"task-{zone}{i}",
            ip=f"10.0.{11 + k}.{20 + i}",
            zone=f"us-east-1{zone}",
            subnet=f"subnet-{zone}",
        )
        for k, zone in enumerate(ZONES)
        for i in range(TASKS_PER_ZONE)
    ]
    return Built(
        names=scenario.names, worker=scenario.worker, account=world.ACCOUNT, region="us-east-1", load_balancer="app/dry/0",
        target_group="targetgroup/dry/0", target_group_arn="", lb_dns="", db_endpoint="", worker_arn="", vpc="",
        tasks=tasks, cluster_arn="", service={}, task_definitions=[], worker_config={}, worker_versions=[],
        queue_url="", dead_letter_url="", wiring=scenario.wiring, worker_stream="",
    )  # fmt: skip


_EDGES: dict[str, tuple[list[float], list[float]]] = {}


def alarm_edges(scenario: Scenario) -> tuple[list[float], list[float]]:
    """The alarm metric per period in the hour before the fault, and in the periods the alarm evaluated,
    at every alignment of the periods to the clock (the seeded run's minute decides which one happens)."""
    spec = scenario.alarm
    # Every variant of a scenario asks for its original's edges; only what the metrics depend on counts.
    key = repr((scenario.name, scenario.load, scenario.fault, scenario.worker, scenario.services, spec.namespace,
                spec.metric, spec.dimensions, spec.statistic, spec.period, spec.evaluation_periods))  # fmt: skip
    if key not in _EDGES:
        _EDGES[key] = _edges(scenario)
    return _EDGES[key]


def _edges(scenario: Scenario) -> tuple[list[float], list[float]]:
    built, spec = dry_built(scenario), scenario.alarm
    services = world_services.dry(scenario.services, scenario.names.database)
    built.services = services.ids
    known = world.placeholders(built)
    named = {
        name
        for value in spec.dimensions.values()
        for _, name, _, _ in string.Formatter().parse(value)
        if name
    }
    if not named <= set(known):
        return [], []  # a service beside the web stack that cannot say its names without AWS (``named``)
    dimensions = {(d["Name"], d["Value"]) for d in world.resolve_dimensions(built, spec.dimensions)}
    period = timedelta(seconds=spec.period)
    normal, breach = [], []
    for offset in range(max(1, spec.period // 60)):
        now = DRY_NOW + timedelta(minutes=offset)
        onset = now.replace(second=0) - (scenario.fault.starts if scenario.fault else timedelta(0))
        # The hour before the onset is all the threshold is placed against.
        minutes = [
            m for m in world.timeline(now, scenario.load, scenario.fault) if m.at >= onset - RECENT - period
        ]
        points = world.metric_points(built, minutes, world.Rng(scenario.name))
        points += world_services.metric_points(scenario.services, services, minutes, scenario.name)
        every = world.period_values(points, replace(spec, evaluation_periods=len(minutes)), dimensions, now)
        normal += [v for at, v in every if onset - RECENT <= at and at + period <= onset]
        breach += [v for _, v in every[-spec.evaluation_periods :]]
    return normal, breach


def _place(spec: AlarmSpec, normal: list[float], breach: list[float]) -> float | None:
    """Where the threshold sits from the normal edge (0) to the breach edge (1); None when the breach is
    not apart from the normal values or the threshold sits inside them."""
    if not normal or not breach:
        return None
    if spec.comparison.startswith("GreaterThan"):
        edge, peak = max(normal), min(breach)
        place = (spec.threshold - edge) / (peak - edge) if peak > edge else None
    else:
        edge, peak = min(normal), max(breach)
        place = (edge - spec.threshold) / (edge - peak) if peak < edge else None
    return None if place is None or place < 0 else min(place, 0.95)


def _human(value: float, low: float, high: float) -> float:
    """``value`` with as few significant digits as keep it strictly between ``low`` and ``high``."""
    for digits in (1, 2, 3, 4):
        rounded = round(value, digits - 1 - math.floor(math.log10(abs(value)))) if value else 0.0
        if low < rounded < high:
            return rounded
    return value


def _threshold(original: Scenario, varied: Scenario) -> float | None:
    """The varied alarm's threshold, at the original's place; None when the variant cannot breach."""
    spec = original.alarm
    normal, breach = alarm_edges(original)
    new_normal, new_breach = alarm_edges(varied)
    place = _place(spec, normal, breach)
    if place is None:
        # A threshold inside the normal range (or an alarm without data) keeps its place in that range.
        usual, new_usual = (statistics.fmean(v) if v else 0.0 for v in (normal, new_normal))
        return spec.threshold * new_usual / usual if usual else spec.threshold
    if not new_normal or not new_breach:
        return None
    greater = spec.comparison.startswith("GreaterThan")
    edge, peak = (max(new_normal), min(new_breach)) if greater else (min(new_normal), max(new_breach))
    if (peak <= edge) if greater else (peak >= edge):
        return None
    threshold = edge + place * (peak - edge)
    return _human(threshold, *sorted((edge, peak)))


def _revalue(scenario: Scenario, rng: random.Random, _: Stack) -> tuple[Scenario, str]:
    near_miss = scenario.expected in NEAR_MISSES
    for _attempt in range(5):
        d = _values_draw(rng, near_miss)
        varied = _apply_values(scenario, d, rng, near_miss)
        threshold = _threshold(scenario, varied)
        if threshold is not None:
            varied = replace(varied, alarm=replace(varied.alarm, threshold=threshold))
            onset = f", onset {int(varied.fault.starts.total_seconds() // 60)} min" if varied.fault else ""
            return varied, (
                f"traffic x{d.traffic:.2f}, latency x{d.latency:.2f}, fault size x{d.size:.2f}{onset}, "
                f"threshold {scenario.alarm.threshold:g} -> {threshold:g}"
            )
    return scenario, ""


# --- wording -----------------------------------------------------------------------------------------

_JSON_LEVELS = {"node": {"ERROR": 50, "WARN": 40, "WARNING": 40, "INFO": 30}}


def render_app(
    stack: str, level: str, logger: str, message: str, detail: str = "", *, as_json: bool = False
) -> str:
    """A service's log line as the stack's usual logger writes it (text, or its JSON encoder)."""
    upper = level.upper()
    if as_json:
        record: dict[str, Any]
        if stack == "python":
            record = {"levelname": upper, "name": logger, "message": message} | (
                {"exc_info": detail} if detail else {}
            )
        elif stack == "java":
            record = {"level": upper, "logger_name": logger, "message": message} | (
                {"stack_trace": detail} if detail else {}
            )
        elif stack == "node":
            record = {"level": _JSON_LEVELS["node"].get(upper, 30), "name": logger, "msg": message}
            if detail:
                record["err"] = {"message": message, "stack": f"{message}\n{detail}"}
        elif stack == "go":
            record = {"level": upper, "logger": logger, "msg": message} | (
                {"error": detail} if detail else {}
            )
        else:
            record = {"@l": upper.capitalize(), "SourceContext": logger, "@mt": message} | (
                {"@x": detail} if detail else {}
            )
        return json.dumps(record)
    tail = f"\n{detail}" if detail else ""
    if stack == "python":
        return f"{upper} {logger}: {message}{tail}"
    if stack == "java":
        return f"{upper:<5} {logger} - {message}{tail}"
    if stack == "node":
        return f"{level.lower()}: {message}{tail}"
    if stack == "go":
        return f'level={upper} logger={logger} msg="{message}"{tail}'
    prefix = {"ERROR": "fail", "WARN": "warn", "WARNING": "warn"}.get(upper, "info")
    return f"{prefix}: {logger}[0]\n      {message}{tail}"


def render_worker(worker: Worker, level: str, message: str, detail: str = "") -> str:
    """A Lambda function's own line: the Python or Node runtime's text format, or Lambda's JSON format."""
    if worker.json_logs:
        return json.dumps(
            {"level": level.upper(), "message": message}
            | ({"stackTrace": detail.splitlines()} if detail else {})
        )
    tail = f"\n{detail}" if detail else ""
    if worker.runtime.startswith("python"):
        return f"[{level.upper()}] {message}{tail}"
    return f"{level.upper()}\t{message}{tail}"


@dataclass(frozen=True)
class Mechanism:
    name: str
    group: str
    recognizes: re.Pattern[str]
    wordings: tuple[dict[str, str], ...]
    unless: re.Pattern[str] | None = None  # what its pattern also finds that belongs to another mechanism
    own_code: bool = False  # the service's own exception: a line the analyzer gives another cause is not

    def expressed_in(self, line: LogLine) -> re.Match[str] | None:
        """Its pattern's match in the line, unless the line expresses another mechanism (a framework's
        "unhandled exception" wrapped around a refused token is the token's)."""
        found = self.recognizes.search(line.text) if self.group == line.group else None
        if found is None or (self.unless and self.unless.search(line.text)):
            return None
        return None if self.own_code and mechanisms_in(line.text) & OTHER_CAUSES else found


@cache
def mechanisms() -> tuple[Mechanism, ...]:
    return tuple(
        Mechanism(
            name,
            spec["group"],
            re.compile(spec["recognizes"], re.DOTALL),
            tuple(spec["wordings"]),
            re.compile(spec["unless"], re.DOTALL | re.IGNORECASE) if "unless" in spec else None,
            bool(spec.get("own_code")),
        )
        for name, spec in catalog()["mechanisms"].items()
    )


def recognized(line: LogLine) -> tuple[Mechanism, dict[str, str]] | None:
    """The mechanism a library line expresses, and what its pattern captured."""
    for mechanism in mechanisms():
        found = mechanism.expressed_in(line)
        if found:
            return mechanism, found.groupdict()
    return None


def _filled(template: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(f"{{{key}}}", value)
    return template


def _choose(options: list[dict[str, str]], rng: random.Random, **wanted: str) -> dict[str, str]:
    """A wording matching what is wanted (stack, engine) if any does, else any of the mechanism's."""
    fitting = [o for o in options if all(o.get(k, v) == v for k, v in wanted.items())]
    return rng.choice(fitting or options)


def _reword_line(
    line: LogLine, names: Names, worker: Worker, *, stack: Stack, as_json: bool, rng: random.Random
) -> tuple[LogLine, str | None, Worker]:
    found = recognized(line)
    if found is None:
        return line, None, worker
    mechanism, captured = found
    values = {"remote_host": names.remote_host, "service": names.service, "worker": names.worker,
              "database": names.database, "db_name": names.db_name, "table": names.table, **captured}  # fmt: skip
    wordings = list(mechanism.wordings)
    if line.group == "db":
        chosen = _choose(wordings, rng, engine=names.db_engine)
        return replace(line, text=_filled(chosen["message"], values)), f"{mechanism.name}: db", worker
    if line.group == "worker":
        chosen = _choose(wordings, rng)
        worker = replace(worker, runtime=RUNTIMES[chosen["stack"]])
        text = render_worker(worker, chosen["level"], _filled(chosen["message"], values),
                             _filled(chosen.get("detail", ""), values))  # fmt: skip
        return replace(line, text=text), f"{mechanism.name}: {chosen['stack']} worker", worker
    chosen = _choose(wordings, rng, stack=stack, engine=names.db_engine)
    text = render_app(chosen["stack"], chosen["level"], chosen["logger"], _filled(chosen["message"], values),
                      _filled(chosen.get("detail", ""), values), as_json=as_json)  # fmt: skip
    return replace(line, text=text), f"{mechanism.name}: {chosen['stack']}", worker


def _reword(scenario: Scenario, rng: random.Random, stack: Stack) -> tuple[Scenario, str]:
    as_json = rng.random() < JSON_SHARE
    level = math.exp(rng.uniform(math.log(0.3), math.log(3.0)))
    noise = tuple(
        LogLine("app", render_app(stack, n["level"], n["logger"], n["message"], as_json=as_json),
                per_minute=n.get("per_minute", 0.0) * level, every_minutes=n.get("every_minutes", 0))
        for n in catalog()["noise"][stack]
    )  # fmt: skip
    worker = replace(scenario.worker, json_logs=rng.random() < JSON_SHARE)
    told = []
    lines = []
    for original in scenario.fault.log_lines if scenario.fault else ():
        line, what, worker = _reword_line(
            original, scenario.names, worker, stack=stack, as_json=as_json, rng=rng
        )
        lines.append(line)
        if what:
            told.append(what)
    fault = replace(scenario.fault, log_lines=tuple(lines)) if scenario.fault else None
    logs = f"{stack} {'JSON' if as_json else 'text'} logs, noise x{level:.1f}"
    worker_logs = f", worker {worker.runtime} {'JSON' if worker.json_logs else 'text'}"
    return replace(scenario, noise=noise, fault=fault, worker=worker), "; ".join([logs + worker_logs, *told])


# --- sources -----------------------------------------------------------------------------------------


def _reached_through_traces(scenario: Scenario) -> frozenset[OptionalSource]:
    """Traces, when only they lead from the alarm to the cause: a table refusing the traced calls, a
    replica serving the traced queries."""
    fault, replica = scenario.fault, scenario.services.replica
    refused = fault is not None and bool(fault.dynamodb_throttled or fault.worker_table_throttled)
    return frozenset({"traces"}) if refused or (replica and replica.serves_reads) else frozenset()


def _drop_source(scenario: Scenario, rng: random.Random, _: Stack) -> tuple[Scenario, str]:
    if rng.random() >= MISSING_SHARE:
        return scenario, ""
    needed = NEEDS.get(scenario.expected, frozenset()) | _reached_through_traces(scenario)
    optional: list[OptionalSource] = [
        s for s in get_args(OptionalSource) if s not in needed and (s != "tags" or scenario.alarm.tags)
    ]
    missing = rng.choice(optional)
    return replace(scenario, missing=missing), f"missing {missing}"
