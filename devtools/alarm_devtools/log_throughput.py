"""Throughput of `alarm-analyzer signatures` on 200,000 lines, whole process (`make bench-logs`).

usage: python -m alarm_devtools.log_throughput LOGHUB_DIR [COMMAND...]

The lines are the Loghub-2k messages of LOGHUB_DIR, repeated with their digits rotated on each
pass so that every pass reads values it has not seen (same shapes, other numbers and ids). The
command (by default `alarm-analyzer signatures --assign`) reads them on stdin; the time includes
the process start, as for someone running it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES = 200_000
DIGITS = "0123456789"


def loghub_messages(folder: Path) -> list[str]:
    messages = []
    for path in sorted(folder.glob("*_structured.csv")):
        with path.open(newline="", encoding="utf-8", errors="replace") as stream:
            messages += [row["Content"].replace("\n", " ") for row in csv.DictReader(stream)]
    return messages


def lines_from(messages: list[str], count: int = LINES) -> list[str]:
    lines: list[str] = []
    rotation = 0
    while len(lines) < count:
        table = str.maketrans(DIGITS, DIGITS[rotation:] + DIGITS[:rotation])
        lines += [message.translate(table) for message in messages[: count - len(lines)]]
        rotation = (rotation + 1) % len(DIGITS)
    return lines


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    messages = loghub_messages(Path(argv[0]))
    if not messages:
        print(f"no *_structured.csv in {argv[0]}: no throughput figure", file=sys.stderr)
        return 2
    command = argv[1:] or [str(Path(sys.executable).parent / "alarm-analyzer"), "signatures", "--assign"]
    with tempfile.TemporaryFile() as data:
        data.write(("\n".join(lines_from(messages)) + "\n").encode())
        data.seek(0)
        started = time.perf_counter()
        finished = subprocess.run(command, stdin=data, capture_output=True, check=False)
        seconds = time.perf_counter() - started
    printed = finished.stdout.count(b"\n")
    if finished.returncode != 0 or printed != LINES:
        print(f"{' '.join(command)} failed (rc={finished.returncode}, {printed} lines out)", file=sys.stderr)
        return 1
    print(
        f"{LINES:,} lines through {' '.join(command[1:])} in {seconds:.2f} s: {LINES / seconds:,.0f} lines/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
