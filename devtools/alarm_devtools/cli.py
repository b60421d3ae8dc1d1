"""The workshop's commands of ``alarm-analyzer``: demo, bench and scenarios (all on the emulator)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from alarm_analyzer.cli import BadInput
from alarm_analyzer.i18n import LANGUAGES
from alarm_analyzer.render import to_html
from alarm_analyzer.report import Report
from alarm_analyzer.rules import CONFIDENCE_FLOOR
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


def _jobs(args: argparse.Namespace) -> list[benchmark.Job]:
    """The runs asked for: the named scenarios (all by default) or their variants; NAME~K is variant K."""
    jobs, unknown = [], []
    for name in args.only or list(SCENARIOS):
        base, _, index = name.partition("~")
        if base not in SCENARIOS or (index and not index.isdigit()):
            unknown.append(name)
        elif index:
            jobs.append(benchmark.Job(SCENARIOS[base], int(index), args.seed))
        elif args.variants:
            jobs += [benchmark.Job(SCENARIOS[base], i, args.seed) for i in range(1, args.variants + 1)]
        else:
            jobs.append(benchmark.Job(SCENARIOS[base]))
    if unknown:
        raise BadInput(f"no scenario {', '.join(unknown)}; the scenarios are {', '.join(sorted(SCENARIOS))}")
    return jobs


def _answer(category: str, confidence: float) -> str:
    return f"{category} {confidence:.2f}"


def _verdicts(outcomes: Sequence[benchmark.Outcome]) -> Table:
    table = Table(title="Scenario benchmark: gather -> correlate in the emulator")
    for column in ("scenario", "expected", "got", "confidence", "seconds", "API calls"):
        table.add_column(column, justify="left" if column in ("scenario", "expected", "got") else "right")
    for o in outcomes:
        got = o.got if o.correct else f"[red]{o.got}[/red]"
        table.add_row(
            o.scenario, o.expected, got, f"{o.confidence:.2f}", f"{o.seconds:.2f}", str(o.api_calls)
        )
    return table


def _per_scenario(outcomes: Sequence[benchmark.Outcome]) -> Table:
    table = Table(title="Variants per scenario")
    for column in ("scenario", "expected", "right", "top-2", "mean confidence", "wrong answers"):
        table.add_column(
            column, justify="right" if column in ("right", "top-2", "mean confidence") else "left"
        )
    for base in dict.fromkeys(o.base for o in outcomes):
        runs = [o for o in outcomes if o.base == base]
        right = sum(o.correct for o in runs)
        wrong = Counter(o.got for o in runs if not o.correct)
        table.add_row(
            base,
            runs[0].expected,
            f"{right}/{len(runs)}" if right == len(runs) else f"[red]{right}/{len(runs)}[/red]",
            f"{sum(o.in_top_two for o in runs)}/{len(runs)}",
            f"{sum(o.confidence for o in runs) / len(runs):.2f}",
            ", ".join(f"{category} x{count}" for category, count in wrong.most_common()),
        )
    return table


def _misses(outcomes: Sequence[benchmark.Outcome], title: str) -> Table:
    table = Table(title=title, show_lines=True)
    for column in ("run", "expected", "answered", "runner-up", "drawn", "gaps"):
        table.add_column(column, no_wrap=column not in ("drawn", "gaps"))
    for o in outcomes:
        runner_up = _answer(*o.runner_up) if o.runner_up else "-"
        row = (o.scenario, o.expected, _answer(o.got, o.confidence), runner_up)
        table.add_row(*row, "\n".join(o.changes), "\n".join(o.gaps))
    return table


def _per_category(outcomes: Sequence[benchmark.Outcome]) -> Table:
    table = Table(title="Per category")
    for column in ("category", "runs", "answered", "precision", "recall"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for score in benchmark.scores(outcomes):
        table.add_row(
            score.category,
            str(score.expected),
            str(score.answered),
            _ratio(score.precision),
            _ratio(score.recall),
        )
    return table


def _calibration(outcomes: Sequence[benchmark.Outcome]) -> Table:
    table = Table(title="Calibration of the answers at or above the floor")
    for column in ("confidence", "answers", "mean confidence", "right"):
        table.add_column(column, justify="left" if column == "confidence" else "right")
    for b in benchmark.calibration(outcomes):
        table.add_row(
            f"{b.low:.1f}-{b.high:.1f}", str(b.answers), f"{b.mean_confidence:.2f}", f"{b.accuracy:.0%}"
        )
    below = [o for o in outcomes if o.confidence < CONFIDENCE_FLOOR]
    if below:
        table.add_row("below the floor", str(len(below)), "-", f"{benchmark.accuracy(below):.0%}")
    return table


def _scenarios(args: argparse.Namespace) -> None:
    """Scenarios or their variants through gather -> correlate: verdicts, misses, scores, calibration."""
    jobs = _jobs(args)
    started = time.monotonic()
    with Console(stderr=True).status(f"Seeding and analyzing {len(jobs)} runs on {args.workers} workers..."):
        outcomes = benchmark.run(jobs, workers=args.workers)
    wall = time.monotonic() - started
    console = Console(width=max(Console().width, 160))
    variants = any("~" in o.scenario for o in outcomes)
    console.print(_per_scenario(outcomes) if variants else _verdicts(outcomes))
    wrong = [o for o in outcomes if not o.correct]
    confident = [o for o in wrong if o.confident_wrong]
    if confident:
        console.print(_misses(confident, "Confident wrong answers"))
    if len(confident) < len(wrong):
        console.print(_misses([o for o in wrong if not o.confident_wrong], "Other misses (below the floor)"))
    console.print(_per_category(outcomes))
    console.print(_calibration(outcomes))
    if variants:
        console.print(
            f"calibration fitted on these runs (rules/tables.py CALIBRATION): {benchmark.fitted_calibration(outcomes)}"
        )
    correct = sum(o.correct for o in outcomes)
    error = benchmark.expected_calibration_error(outcomes)
    console.print(
        f"top-1 accuracy {benchmark.accuracy(outcomes):.1%} ({correct}/{len(outcomes)}); "
        f"top-2 accuracy {benchmark.top_two(outcomes):.1%}; confident wrong answers: {len(confident)}; "
        f"expected calibration error: {_ratio(error)}"
    )
    seeding, analysis = sum(o.seeding_seconds for o in outcomes), sum(o.seconds for o in outcomes)
    drawn = f"seed {args.seed}, " if variants else ""
    console.print(
        f"{drawn}{len(outcomes)} runs in {wall:.0f} s wall time on {min(args.workers, len(jobs))} workers "
        f"(per run: seeding {seeding / len(outcomes):.2f} s, analysis {analysis / len(outcomes):.2f} s)"
    )
    if args.strict and wrong:
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
        "scenarios", help="score the analyzer on every seeded scenario, or on variants of them (in-process)"
    )
    scenarios.add_argument(
        "only", nargs="*", metavar="NAME", help="scenarios (default: all); NAME~K is variant K of NAME"
    )
    scenarios.add_argument(
        "--variants", type=int, default=0, metavar="N", help="run N variants of each scenario instead of it"
    )
    scenarios.add_argument(
        "--seed", type=int, default=1, help="the variants' seed (the same seed, the same variants)"
    )
    scenarios.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes to spread the runs over (default: cores)",
    )
    scenarios.add_argument("--strict", action="store_true", help="exit 1 unless every run is right")
    scenarios.set_defaults(run=_scenarios)
