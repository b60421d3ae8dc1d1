"""alarm-analyzer: ad-hoc investigations against an account, replays of saved events, the log
signatures of a file, and (with the development tools installed) the demo and the benchmarks.

Exit codes: 0 a report was produced (also when inconclusive), 2 bad input, 1 failure. Errors are
one line on stderr; with --format json, stdout carries the JSON report and nothing else.

Each command imports what it needs when it runs: `signatures` reads text at 100k lines a second and
must not wait for boto3, pydantic and the rules to load.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import LANGUAGES

# Room for a 256 KB event saved with indentation; a larger file is refused before it is read whole.
MAX_EVENT_FILE_BYTES = 1 << 20
# An analysis reports what it has after this long, however slow or throttled AWS is.
DEFAULT_TIMEOUT_SECONDS = 60.0

if TYPE_CHECKING:
    import boto3

    from .aws import AwsClients
    from .report import Report

WORKSHOP_COMMANDS = ("demo", "bench", "scenarios")
DEFAULT_HTML = Path("alarm-report.html")  # a page is for a browser, not a terminal
SEVERITY_STYLE = {"page": "bold red", "ticket": "bold yellow", "info": "bold green"}


class BadInput(ValueError):
    """The user asked for something that cannot be analyzed; exit 2."""


def _session(region: str | None, profile: str | None) -> boto3.Session:
    import boto3

    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    session = boto3.Session(profile_name=profile, region_name=region)
    if not session.region_name:
        raise BadInput("no AWS region: pass --region or set AWS_REGION")
    return session


ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}")


def _clients_for(
    region: str | None, profile: str | None, role_arn: str | None = None
) -> Callable[[], AwsClients]:
    """Clients for the analysis: one session per gatherer thread (boto3 sessions are not safe to share
    across threads), all with the user's credentials, or with the role's, assumed once."""
    import boto3

    from .aws import AwsClients

    base = _session(region, profile)
    if not role_arn:
        return lambda: AwsClients(_session(region, profile))
    if not ROLE_ARN.fullmatch(role_arn):
        raise BadInput(f"--role-arn: not an IAM role ARN: {role_arn!r}")
    granted = base.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="alarm-analyzer-cli")
    credentials = {
        "aws_access_key_id": granted["Credentials"]["AccessKeyId"],
        "aws_secret_access_key": granted["Credentials"]["SecretAccessKey"],
        "aws_session_token": granted["Credentials"]["SessionToken"],
    }
    return lambda: AwsClients(boto3.Session(region_name=base.region_name, **credentials))


def _timestamp(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _show(report: Report, fmt: str, output: Path | None) -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.text import Text

    from .render import RENDERERS

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
    from .gather.alarm import describe, investigation_event
    from .pipeline import analyze

    clients_for = _clients_for(args.region, args.profile, args.role_arn)
    clients = clients_for()
    found = describe(clients.cloudwatch, [args.alarm_name])
    if not found:
        raise BadInput(f"no alarm named {args.alarm_name!r} in {clients.region}")
    event = investigation_event(clients.cloudwatch, found[0], clients.region, at=args.at)
    return analyze(event, clients_for, args.lang, budget_seconds=args.timeout)


def read_event(path: Path) -> Any:
    """A saved event: UTF-8 JSON text (RFC 8259), no larger than a pretty-printed 256 KB event."""
    from .events import decode_json

    where = f"event file {_clip_path(path)}"
    try:
        with path.open("rb") as file:
            content = file.read(MAX_EVENT_FILE_BYTES + 1)
    except OSError as exc:
        raise BadInput(f"{where}: {exc.strerror}") from None
    if len(content) > MAX_EVENT_FILE_BYTES:
        raise BadInput(f"{where}: over {MAX_EVENT_FILE_BYTES // 1024} KB; an alarm event is at most 256 KB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{where}: not UTF-8 text (byte {exc.start}); save the event as UTF-8 JSON") from None
    try:
        return decode_json(text)
    except ValueError as exc:
        raise BadInput(f"{where}: {exc}") from None


def _clip_path(path: Path) -> str:
    shown = str(path)
    return shown if len(shown) <= 80 else "…" + shown[-79:]


def _replay(args: argparse.Namespace) -> Report:
    from .events import parse_alarm_event
    from .pipeline import analyze

    event = read_event(Path(args.event))
    alarm = parse_alarm_event(event)
    return analyze(
        event,
        _clients_for(args.region or alarm.region, args.profile, args.role_arn),
        args.lang,
        budget_seconds=args.timeout,
    )


def parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The command line; when the ``chosen`` command is ``signatures``, only its own part (the
    others load the analyzer and the development tools)."""
    root = argparse.ArgumentParser(
        prog="alarm-analyzer", description=__doc__.splitlines()[0] if __doc__ else None
    )
    commands = root.add_subparsers(dest="command", required=True)
    _signatures_command(commands)
    if chosen == "signatures":
        return root

    from .render import RENDERERS

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("--format", choices=tuple(RENDERERS), default="text")
        command.add_argument("--lang", choices=LANGUAGES, default="en")
        command.add_argument("--output", type=Path, help="write the report to this file instead of stdout")

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

    for command in (investigate, replay):
        command.add_argument("--region", help="AWS region (default: AWS_REGION or your profile's)")
        command.add_argument("--profile", default=os.environ.get("AWS_PROFILE"), help="AWS profile")
        command.add_argument(
            "--timeout",
            type=_positive,
            default=DEFAULT_TIMEOUT_SECONDS,
            metavar="SECONDS",
            help=f"report what was found by then (default {DEFAULT_TIMEOUT_SECONDS:g})",
        )
        command.add_argument(
            "--role-arn",
            help="read the alarm's account through this role (assumed once, with your credentials)",
        )
    _workshop_commands(commands, common)
    return root


def _signatures_command(commands: Any) -> None:
    signatures = commands.add_parser(
        "signatures",
        help="group log lines into signatures, with counts, lines and a redacted sample",
        description="Reads log lines (one event per line, text or JSON) and prints their signatures.",
    )
    signatures.add_argument("file", nargs="?", type=Path, help="a log file (default: stdin)")
    signatures.add_argument(
        "--baseline", type=Path, help="lines from before: mark signatures new or surging as the report does"
    )
    signatures.add_argument(
        "--ratio",
        type=_positive,
        default=1.0,
        help="the file's time span over the baseline's (default 1: as long)",
    )
    signatures.add_argument(
        "--assign", action="store_true", help="print the signature of every line, one per line, in order"
    )
    signatures.add_argument("--format", choices=("text", "json"), default="text")
    signatures.set_defaults(run=_signatures)


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"not a positive number: {value!r}")
    return number


def _signatures(args: argparse.Namespace) -> None:
    from . import signatures

    lines = _log_lines(args.file)
    baseline = _log_lines(args.baseline) if args.baseline else None
    if args.assign:
        found, notes = signatures.assign(lines, baseline or ())
        if args.format == "json":
            found = [
                json.dumps({"line": n, "signature": s}, ensure_ascii=False) for n, s in enumerate(found, 1)
            ]
        sys.stdout.write("\n".join(found) + "\n" if found else "")
        for note in notes:
            print(f"alarm-analyzer: {note}", file=sys.stderr)
        return
    summary = signatures.summarize(lines, baseline, args.ratio)
    if args.format == "json":
        sys.stdout.write(json.dumps(dataclasses.asdict(summary), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(signatures.as_text(summary))


def _log_lines(path: Path | None) -> Iterator[str]:
    """The lines of a log file, or of stdin, as they are read."""
    return itertools.chain.from_iterable(_line_batches(path))


def _line_batches(path: Path | None) -> Iterator[list[str]]:
    """BadInput naming the file when it cannot be read or is not text."""
    from .signatures import line_batches

    name = str(path) if path else "stdin"
    try:
        with path.open("rb") if path else contextlib.nullcontext(sys.stdin.buffer) as stream:
            yield from line_batches(iter(lambda: stream.read(1 << 20), b""))
    except OSError as exc:
        raise BadInput(f"{name}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BadInput(f"{name}: {exc}") from None


def _workshop_commands(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """demo, bench and scenarios come with the development tools (a checkout's ``devtools/``)."""
    try:
        from alarm_devtools.cli import add_commands  # optional, and moto is heavy
    except ImportError:
        for name in WORKSHOP_COMMANDS:
            # Whatever options follow, the answer is the same: take them all as plain arguments.
            missing = commands.add_parser(
                name, help="needs the development tools (make demo in a checkout)", prefix_chars="\0"
            )
            missing.add_argument("ignored", nargs="*")
            missing.set_defaults(run=_needs_devtools)
        return
    add_commands(commands, common)


def _needs_devtools(args: argparse.Namespace) -> None:
    raise BadInput(
        f"'{args.command}' needs the development tools: run `make demo` in a checkout of the repository "
        "(or pip install -e devtools/)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = parser(arguments[0] if arguments else None).parse_args(arguments)
    try:
        report = args.run(args)
        if report is not None:
            _show(report, args.format, args.output)
    except BadInput as exc:
        return _fail(2, str(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _fail(*_failure(exc))
    return 0


def _failure(exc: Exception) -> tuple[int, str]:
    """The exit code and the message for an error a command let through."""
    from botocore.exceptions import BotoCoreError, ClientError

    from .aws import error_code, error_message
    from .events import InvalidAlarmEvent

    if isinstance(exc, InvalidAlarmEvent):
        return 2, str(exc)
    if isinstance(exc, ClientError | BotoCoreError):
        return 1, f"AWS refused: {error_code(exc)}: {error_message(exc)}"
    return 1, f"failed: {type(exc).__name__}: {exc}"


def _fail(code: int, message: str) -> int:
    """One line on stderr, never wrapped, then the exit code."""
    from rich.console import Console

    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    Console(stderr=True, soft_wrap=True).print(
        f"alarm-analyzer: {first_line}", style="red", markup=False, highlight=False
    )
    return code
