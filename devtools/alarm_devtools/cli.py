"""The workshop's commands of ``alarm-analyzer``: demo, bench and scenarios (all on the emulator)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from alarm_analyzer.cli import BadInput
from alarm_analyzer.i18n import LANGUAGES
from alarm_analyzer.render import to_html
from alarm_analyzer.report import Report
from alarm_analyzer.sources import NAMES

from .emulator import benchmark, run_demo
from .emulator.scenarios import DEFAULT_SCENARIO, DEMO_SCENARIOS, SCENARIOS


def _demo(args: argparse.Namespace) -> Report:
    scenario = SCENARIOS[args.scenario]
    status = Console(stderr=True)
    started = time.monotonic()
    # The emulated Lambda functions log to stdout as they would in Lambda; keep stdout for the report.
    with (
        status.status(f"Running the '{scenario.name}' incident through the state machine..."),
        contextlib.redirect_stdout(sys.stderr),
    ):
        run = run_demo(scenario, args.lang, slack_webhook=args.slack_webhook)
    status.print(
        f"[dim]{scenario.summary}\nSeeded and analyzed in {time.monotonic() - started:.1f} s "
        f"(analysis {run.seconds:.1f} s, {run.report.stats.api_calls} API calls); "
        f"expected: {scenario.expected}[/dim]"
    )
    args.html.parent.mkdir(parents=True, exist_ok=True)
    args.html.write_text(to_html(run.report), encoding="utf-8")
    status.print(f"[dim]HTML report (charts, every evidence item) written to {args.html}[/dim]")
    return run.report


MODELED_CALL_SECONDS = 0.1  # what one API call is taken to cost on the critical path


def _calls_and_rounds(args: argparse.Namespace) -> None:
    """Every scenario in-process: API calls per step, sequential rounds on the critical path (the scope's,
    then the slowest source's), the wall time they model at 100 ms a call, and the estimated cost."""
    steps = ["scope", *NAMES]
    table = Table(
        title="API calls per step (calls/rounds), critical path and cost, every scenario in-process"
    )
    for column in ("scenario", *steps, "calls", "rounds", "modeled s", "cost $"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    reports = []
    for scenario in SCENARIOS.values():
        report, _ = benchmark.diagnose(scenario)
        reports.append(report)
        stats = report.stats
        per_step = [
            f"{stats.sources[s].api_calls}/{stats.sources[s].rounds}" if s in stats.sources else "-"
            for s in steps
        ]
        table.add_row(
            scenario.name, *per_step, str(stats.api_calls), str(stats.rounds),
            f"{stats.rounds * MODELED_CALL_SECONDS:.1f}", f"{stats.cost_usd or 0:.5f}",
        )  # fmt: skip
    calls = [r.stats.api_calls for r in reports]
    rounds = [r.stats.rounds for r in reports]
    costs = [r.stats.cost_usd or 0.0 for r in reports]
    table.caption = (
        f"calls {min(calls)}-{max(calls)}, rounds {min(rounds)}-{max(rounds)} "
        f"({min(rounds) * MODELED_CALL_SECONDS:.1f}-{max(rounds) * MODELED_CALL_SECONDS:.1f} s modeled), "
        f"cost ${min(costs):.5f}-${max(costs):.5f} per analysis"
    )
    Console(width=max(Console().width, 150)).print(table)


def _bench(args: argparse.Namespace) -> None:
    """Calls, rounds and cost of every scenario; then every demo incident through the state machine:
    verdict, time, API calls, largest payload."""
    _calls_and_rounds(args)
    table = Table(title="Demo incidents through the real state machine (emulator)")
    for column in (
        "scenario",
        "expected",
        "got",
        "confidence",
        "seconds",
        "API calls",
        "largest payload (B)",
    ):
        table.add_column(column, justify="right" if column[0] in "csAl" and column != "scenario" else "left")
    runs = []
    for scenario in DEMO_SCENARIOS.values():
        with contextlib.redirect_stdout(sys.stderr):
            run = run_demo(scenario, args.lang)
        runs.append(run)
        got = run.report.root_cause.category
        table.add_row(
            scenario.name,
            scenario.expected,
            got if got == scenario.expected else f"[red]{got}[/red]",
            f"{run.report.root_cause.confidence:.2f}",
            f"{run.seconds:.2f}",
            str(run.report.stats.api_calls),
            str(run.largest_payload),
        )
    correct = sum(r.report.root_cause.category == r.incident.scenario.expected for r in runs)
    table.caption = (
        f"{correct}/{len(runs)} correct; mean {sum(r.seconds for r in runs) / len(runs):.2f} s, "
        f"max payload {max(r.largest_payload for r in runs)} B"
    )
    Console(width=max(Console().width, 130)).print(table)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _scenarios(args: argparse.Namespace) -> None:
    """Every scenario through gather -> correlate: verdicts, per-category precision/recall, accuracy."""
    unknown = [name for name in args.only if name not in SCENARIOS]
    if unknown:
        raise BadInput(f"no scenario {', '.join(unknown)}; the scenarios are {', '.join(sorted(SCENARIOS))}")
    chosen = [SCENARIOS[name] for name in args.only] if args.only else list(SCENARIOS.values())
    outcomes = benchmark.run(chosen)
    console = Console(width=max(Console().width, 120))
    verdicts = Table(title="Scenario benchmark: gather -> correlate in the emulator")
    for column in ("scenario", "expected", "got", "confidence", "seconds", "API calls"):
        verdicts.add_column(column, justify="left" if column in ("scenario", "expected", "got") else "right")
    for o in outcomes:
        got = o.got if o.correct else f"[red]{o.got}[/red]"
        verdicts.add_row(
            o.scenario, o.expected, got, f"{o.confidence:.2f}", f"{o.seconds:.2f}", str(o.api_calls)
        )
    console.print(verdicts)
    per_category = Table(title="Per category")
    for column in ("category", "scenarios", "answered", "precision", "recall"):
        per_category.add_column(column, justify="left" if column == "category" else "right")
    for score in benchmark.scores(outcomes):
        per_category.add_row(
            score.category,
            str(score.expected),
            str(score.answered),
            _ratio(score.precision),
            _ratio(score.recall),
        )
    console.print(per_category)
    wrong = sum(o.confident_wrong for o in outcomes)
    correct = sum(o.correct for o in outcomes)
    console.print(
        f"top-1 accuracy {benchmark.accuracy(outcomes):.1%} ({correct}/{len(outcomes)}); "
        f"confident wrong answers: {wrong}"
    )
    if args.strict and (wrong or correct < len(outcomes)):
        raise SystemExit(1)


def _scenario(name: str) -> str:
    if name not in SCENARIOS:
        raise argparse.ArgumentTypeError(f"no scenario {name!r} (alarm-analyzer scenarios lists them)")
    return name


def add_commands(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add demo, bench and scenarios to the analyzer's command line."""
    demo = commands.add_parser("demo", help="run a seeded incident through the real workflow in an emulator")
    demo.add_argument(
        "--scenario",
        type=_scenario,
        default=DEFAULT_SCENARIO,
        metavar="NAME",
        help=f"one of the scenario library (alarm-analyzer scenarios lists them; default {DEFAULT_SCENARIO})",
    )
    demo.add_argument(
        "--html", type=Path, default=Path("build/demo-report.html"), help="where to write the HTML report"
    )
    demo.add_argument(
        "--slack-webhook",
        metavar="URL",
        help="also post the report to this Slack-compatible incoming webhook",
    )
    common(demo)
    demo.set_defaults(run=_demo)

    bench = commands.add_parser("bench", help="measure every demo incident through the state machine")
    bench.add_argument("--lang", choices=LANGUAGES, default="en")
    bench.set_defaults(run=_bench)

    scenarios = commands.add_parser(
        "scenarios", help="score the analyzer on every seeded scenario (in-process)"
    )
    scenarios.add_argument("only", nargs="*", metavar="NAME", help="scenarios (default: all)")
    scenarios.add_argument("--strict", action="store_true", help="exit 1 unless every scenario is right")
    scenarios.set_defaults(run=_scenarios)
