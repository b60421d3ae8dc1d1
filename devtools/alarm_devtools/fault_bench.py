"""``make bench-faults``: the analyzer under faults and under a storm, through the real state machine.

Each fault run seeds one incident in a fresh emulated account, injects the fault where AWS would
answer (``emulator/faults.py``: throttling of 30% and 100% of attempts, AccessDenied per service,
5 s of latency per service), puts the alarm's event on the bus and lets the template's path run:
rule, admission queue, starter, state machine, handlers. It prints what came out: reports, gaps,
whether the verdict is wrong (a wrong category at or above the confidence floor), dead letters.

The storm puts N alarm events at once (distinct alarms on the incident's metric, plus duplicates
of some) and prints: every unique incident reported once?, duplicates published, dead letters, the
peak of concurrent executions, and the rate per API in the benchmark's model: the emulator enforces
no quota, so each call's time is logged, and the peak is the most calls of an action inside any one
second, set against the quota (quotas.py). Nothing is asserted; the numbers are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from alarm_analyzer.quotas import quota
from alarm_analyzer.report import Report
from alarm_analyzer.rules import CONFIDENCE_FLOOR

from .emulator import Emulator
from .emulator.faults import CallLog, Fault, faulted
from .emulator.injected import injected
from .emulator.scenarios import SCENARIOS, Scenario

SCENARIO = "db-connection-pool"  # an ALB, ECS, RDS and traced incident: every source has something to say
SERVICES = ("cloudwatch", "logs", "xray", "cloudtrail", "elasticloadbalancing", "ecs", "rds", "ec2", "lambda")
FAULTS: list[tuple[str, Fault | None]] = [
    ("none", None),
    ("throttle 30%", Fault("throttle", rate=0.3)),
    ("throttle 100%", Fault("throttle", rate=1.0)),
    *[(f"deny {s}", Fault("deny", frozenset({s}))) for s in SERVICES],
    *[(f"+5 s {s}", Fault("latency", frozenset({s}), seconds=5.0)) for s in SERVICES],
]
# What PutMetricAlarm takes of what DescribeAlarms returns: a storm's alarms copy the incident's.
ALARM_FIELDS = (
    "AlarmDescription",
    "ActionsEnabled",
    "MetricName",
    "Namespace",
    "Statistic",
    "ExtendedStatistic",
    "Dimensions",
    "Period",
    "Unit",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "Metrics",
    "ThresholdMetricId",
)


@dataclass
class Run:
    name: str
    reports: list[Report]
    dead_letters: int
    seconds: float
    log: CallLog
    expected: str

    @property
    def wrong(self) -> int:
        return sum(
            r.root_cause.category != self.expected and r.root_cause.confidence >= CONFIDENCE_FLOOR
            for r in self.reports
        )


def fault_run(name: str, fault: Fault | None, scenario: Scenario) -> Run:
    log = CallLog()
    with Emulator(parameters=scenario.parameters) as emulator:
        incident = emulator.seed(scenario)
        started = time.monotonic()
        with injected(incident.responses), faulted(fault, log):
            emulator.put_events([incident.event])
            emulator.settle()
        return Run(
            name,
            emulator.reports(),
            len(emulator.dead_letters()),
            time.monotonic() - started,
            log,
            scenario.expected,
        )


def _alarm_copies(emulator: Emulator, event: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` alarms like the incident's (same metric, tags, description) and an event for each."""
    cloudwatch = emulator.clients.cloudwatch
    name = event["detail"]["alarmName"]
    (described,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    tags = cloudwatch.list_tags_for_resource(ResourceARN=described["AlarmArn"]).get("Tags", [])
    events = []
    for number in range(count):
        copy_name = f"{name}-{number:03d}"
        fields = {k: described[k] for k in ALARM_FIELDS if described.get(k) not in (None, [], "")}
        cloudwatch.put_metric_alarm(AlarmName=copy_name, Tags=tags, **fields)
        copied = copy.deepcopy(event)
        copied["detail"]["alarmName"] = copy_name
        copied["resources"] = [described["AlarmArn"].rsplit(":", 1)[0] + f":{copy_name}"]
        events.append(copied)
    return events


@dataclass
class Storm:
    run: Run
    events: int
    unique: int
    unique_reported: int
    peak_executions: int
    executions: int


def _peak_executions(emulator: Emulator) -> tuple[int, int]:
    """The most executions running at the same moment, from their start and stop times; and how many ran."""
    sfn = emulator.clients.client("stepfunctions")
    moments = []
    arns = emulator.executions()
    for arn in arns:
        described = sfn.describe_execution(executionArn=arn)
        moments += [(described["startDate"].timestamp(), 1), (described["stopDate"].timestamp(), -1)]
    running = peak = 0
    for _, change in sorted(moments):
        running += change
        peak = max(peak, running)
    return peak, len(arns)


def storm(events: int, duplicates: float, scenario: Scenario, seed: int = 7) -> Storm:
    chosen = random.Random(seed)
    unique = round(events * (1 - duplicates))
    log = CallLog()
    with Emulator(parameters=scenario.parameters) as emulator:
        incident = emulator.seed(scenario)
        originals = _alarm_copies(emulator, incident.event, unique)
        burst = originals + [copy.deepcopy(chosen.choice(originals)) for _ in range(events - unique)]
        chosen.shuffle(burst)
        started = time.monotonic()
        with injected(incident.responses), faulted(None, log):
            emulator.put_events(burst)
            emulator.settle(timeout=4 * 3600)
        seconds = time.monotonic() - started
        reports = emulator.reports()
        peak, executions = _peak_executions(emulator)
        run = Run("storm", reports, len(emulator.dead_letters()), seconds, log, scenario.expected)
        return Storm(run, events, unique, len({r.incident_id for r in reports}), peak, executions)


def _rate_rows(log: CallLog) -> list[tuple[str, int, int, float, str]]:
    rows = []
    for action in sorted(log.calls):
        limit = quota(action)
        rows.append(
            (action, len(log.calls[action]), log.peak_per_second(action), limit.per_second, limit.where)
        )
    return rows


def _print_faults(console: Console, runs: Sequence[Run]) -> None:
    table = Table(
        title=f"Faults: the '{SCENARIO}' incident through the admission queue and the state machine"
    )
    for column in ("fault", "reports", "gaps", "verdict", "confidence", "wrong", "DLQ", "calls", "seconds"):
        table.add_column(column, justify="left" if column in ("fault", "verdict") else "right")
    for run in runs:
        report = run.reports[0] if run.reports else None
        table.add_row(
            run.name,
            str(len(run.reports)),
            str(len(report.gaps)) if report else "-",
            report.root_cause.category if report else "-",
            f"{report.root_cause.confidence:.2f}" if report else "-",
            str(run.wrong),
            str(run.dead_letters),
            str(run.log.total()),
            f"{run.seconds:.1f}",
        )
    console.print(table)


def _print_storm(console: Console, result: Storm) -> None:
    run = result.run
    duplicates_published = len(run.reports) - result.unique_reported
    console.print(
        f"Storm: {result.events} events, {result.unique} unique incidents, "
        f"{result.events - result.unique} duplicates, in {run.seconds:.0f} s\n"
        f"  reports {len(run.reports)}; unique incidents reported {result.unique_reported}/{result.unique}; "
        f"duplicates published {duplicates_published}; wrong answers {run.wrong}; "
        f"dead letters {run.dead_letters}; executions {result.executions}; "
        f"peak concurrent executions {result.peak_executions}"
    )
    table = Table(title="API rate in the model: the most calls inside any one second, against the quota")
    for column in ("action", "calls", "peak / s", "quota / s", "within", "quota from"):
        table.add_column(column, justify="left" if column in ("action", "quota from") else "right")
    for action, calls, peak, limit, where in _rate_rows(run.log):
        table.add_row(
            action, str(calls), str(peak), f"{limit:g}", "yes" if peak <= limit else "[red]NO[/red]", where
        )
    console.print(table)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m alarm_devtools.fault_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--events", type=int, default=500, help="events in the storm (default 500)")
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of duplicates (default 0.2)")
    parser.add_argument("--only", choices=("faults", "storm"), help="run only one part")
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 130))
    scenario = SCENARIOS[SCENARIO]
    # The emulated functions log to stdout as they would in Lambda; the tables go to stdout alone.
    if args.only != "storm":
        with contextlib.redirect_stdout(sys.stderr):
            runs = [fault_run(name, fault, scenario) for name, fault in FAULTS]
        _print_faults(console, runs)
    if args.only != "faults":
        with contextlib.redirect_stdout(sys.stderr):
            result = storm(args.events, args.duplicates, scenario)
        _print_storm(console, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
