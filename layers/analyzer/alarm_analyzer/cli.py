"""alarm-analyzer: the demo, ad-hoc investigations against an account, and replays of saved events.

Exit codes: 0 a report was produced (also when inconclusive), 2 bad input, 1 failure. Errors are
one line on stderr; with --format json, stdout carries the JSON report and nothing else.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from .aws import AwsClients, error_code, error_message
from .emulator.scenarios import DEFAULT_SCENARIO, DEMO_SCENARIOS, SCENARIOS
from .events import InvalidAlarmEvent, parse_alarm_event
from .gather.alarm import describe, investigation_event
from .i18n import LANGUAGES
from .pipeline import analyze
from .render import RENDERERS, to_html
from .report import Report

FORMATS = tuple(RENDERERS)
DEFAULT_HTML = Path("alarm-report.html")  # a page is for a browser, not a terminal
SEVERITY_STYLE = {"page": "bold red", "ticket": "bold yellow", "info": "bold green"}


class BadInput(ValueError):
    """The user asked for something that cannot be analyzed; exit 2."""


def _session(region: str | None, profile: str | None) -> boto3.Session:
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    session = boto3.Session(profile_name=profile, region_name=region)
    if not session.region_name:
        raise BadInput("no AWS region: pass --region or set AWS_REGION")
    return session


def _clients_for(region: str | None, profile: str | None) -> Callable[[], AwsClients]:
    # One session per gatherer thread: boto3 sessions are not safe to share across threads.
    _session(region, profile)
    return lambda: AwsClients(_session(region, profile))


def _timestamp(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _show(report: Report, fmt: str, output: Path | None) -> None:
    rendered = RENDERERS[fmt](report)
    output = output or (DEFAULT_HTML if fmt == "html" else None)
    if output:
        output.write_text(rendered, encoding="utf-8")
        Console(stderr=True).print(f"report written to {output}", style="dim")
        return
    console = Console()
    if not console.is_terminal or fmt == "json":
        sys.stdout.write(rendered)
        sys.stdout.flush()
    elif fmt == "markdown":
        console.print(Markdown(rendered))
    else:
        first, _, rest = rendered.partition("\n")
        console.print(Text(first, style=SEVERITY_STYLE[report.severity]))
        console.print(Text(rest))


def _investigate(args: argparse.Namespace) -> Report:
    clients_for = _clients_for(args.region, args.profile)
    clients = clients_for()
    found = describe(clients.cloudwatch, [args.alarm_name])
    if not found:
        raise BadInput(f"no alarm named {args.alarm_name!r} in {clients.region}")
    event = investigation_event(clients.cloudwatch, found[0], clients.region, at=args.at)
    return analyze(event, clients_for, args.lang)


def _replay(args: argparse.Namespace) -> Report:
    try:
        event = json.loads(Path(args.event).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"{args.event}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{args.event}: not JSON ({exc.msg}, line {exc.lineno})") from None
    alarm = parse_alarm_event(event)
    return analyze(event, _clients_for(args.region or alarm.region, args.profile), args.lang)


def _demo(args: argparse.Namespace) -> Report:
    from .emulator import run_demo  # noqa: PLC0415 - moto is a demo extra; investigate must not need it

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


def _bench(args: argparse.Namespace) -> None:
    """Every demo incident through the state machine: verdict, time, API calls, largest payload."""
    from .emulator import run_demo  # noqa: PLC0415 - moto is a demo extra

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
    from .emulator import benchmark  # noqa: PLC0415 - moto is a demo extra

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


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="alarm-analyzer", description=__doc__.splitlines()[0] if __doc__ else None
    )
    commands = root.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("--format", choices=FORMATS, default="text")
        command.add_argument("--lang", choices=LANGUAGES, default="en")
        command.add_argument("--output", type=Path, help="write the report to this file instead of stdout")

    demo = commands.add_parser("demo", help="run a seeded incident through the real workflow in an emulator")
    demo.add_argument(
        "--scenario",
        choices=sorted(SCENARIOS),
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

    investigate = commands.add_parser("investigate", help="analyze an alarm in your account, in-process")
    investigate.add_argument("--alarm-name", required=True)
    investigate.add_argument(
        "--at", type=_timestamp, help="analyze as of this time (default: its last state change)"
    )
    common(investigate)
    investigate.set_defaults(run=_investigate)

    replay = commands.add_parser("replay", help="analyze a saved alarm state change event")
    replay.add_argument(
        "--event", required=True, help="a JSON file with the EventBridge or Lambda action event"
    )
    common(replay)
    replay.set_defaults(run=_replay)

    bench = commands.add_parser("bench", help="measure every demo incident through the state machine")
    bench.add_argument("--lang", choices=LANGUAGES, default="en")
    bench.set_defaults(run=_bench)

    scenarios = commands.add_parser(
        "scenarios", help="score the analyzer on every seeded scenario (in-process)"
    )
    scenarios.add_argument("only", nargs="*", metavar="NAME", help="scenarios (default: all)")
    scenarios.add_argument("--strict", action="store_true", help="exit 1 unless every scenario is right")
    scenarios.set_defaults(run=_scenarios)

    for command in (investigate, replay):
        command.add_argument("--region", help="AWS region (default: AWS_REGION or your profile's)")
        command.add_argument("--profile", default=os.environ.get("AWS_PROFILE"), help="AWS profile")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    try:
        report = args.run(args)
        if report is not None:
            _show(report, args.format, args.output)
    except (BadInput, InvalidAlarmEvent) as exc:
        return _fail(2, str(exc))
    except (ClientError, BotoCoreError) as exc:
        return _fail(1, f"AWS refused: {error_code(exc)}: {error_message(exc)}")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _fail(1, f"failed: {type(exc).__name__}: {exc}")
    return 0


def _fail(code: int, message: str) -> int:
    """One line on stderr, never wrapped, then the exit code."""
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    Console(stderr=True, soft_wrap=True).print(
        f"alarm-analyzer: {first_line}", style="red", markup=False, highlight=False
    )
    return code
