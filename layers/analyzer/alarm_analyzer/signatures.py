"""Log signatures: one line per kind of message, with how often it was logged.

Two steps, each chosen so that a new error never disappears into an old signature:

1. A line's *shape* masks the variable part inside each token (digit runs, hex ids, UUIDs, IP and
   MAC addresses, dates, URLs, emails) and keeps the rest: the key before ``=`` or ``:``, the
   letters before a number (``blk_<*>``, ``rdd_<*>``), the words of a quoted error message. It costs
   a few microseconds: one combined pattern, a literal replacement, and at most ``MAX_MESSAGE``
   characters read, so a 64 KB token costs what a short line does.
2. Shapes of the same length are then merged where one position holds variable *words* (user and
   host names, file paths, package names), in the way of Drain (He et al., ICWS 2017): a position
   becomes ``<*>`` when, all other tokens equal, it takes at least two values that look variable
   (a path, a dotted name, an address, a value with a masked part) or at least ``MIN_WORD_VALUES``
   plain words. A value naming an error (``...Exception``, ``failed``, ``refused``) is never merged
   away, values with different keys (``user=`` and ``uid=``) stay apart, and the merged signature
   keeps at least ``MIN_CONSTANT`` constant tokens. The pass runs on the *set* of distinct shapes,
   not on lines as they arrive, so the result does not depend on their order: baseline and incident
   lines counted together always fall into the same signature.

On Loghub-2k (``make bench-logs``) this groups 0.98 of lines exactly as the ground truth does,
above published Drain's 0.92 on the same datasets. Memory is bounded by ``MAX_SHAPES`` distinct
shapes; redaction (``logtext.redact``) runs only on what is shown: signatures and samples.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import logtext
from .i18n import t
from .redaction import redact

if TYPE_CHECKING:
    from .models import LogSignature

MAX_TOKENS = 64  # tokens of a message read for its shape
MAX_MESSAGE = 1024  # characters read: a 64 KB line costs about what a short one does
_MAX_READ = 8 * MAX_MESSAGE
_MAX_EXAMPLE = MAX_MESSAGE + 256  # what the redaction patterns read of a shape's first message
_MAX_RECENT = 16_384  # messages remembered with their shape: many lines repeat one exactly
MAX_SHAPES = 20_000  # distinct shapes kept; lines of further shapes are counted, not grouped
MIN_WORD_VALUES = 5  # plain words a position must take before it counts as variable
MIN_CONSTANT = 2  # constant tokens a merged signature keeps at least
DEADLINE_EVERY = 1024  # lines between two looks at the clock
VARIABLE = "<*>"

MAX_SIGNATURE = 200  # characters of a signature shown
MAX_SIGNATURES = 20
MAX_EXTRA_NEW = 10
MAX_SAMPLES = 3
MIN_COUNT = 3  # fewer occurrences than this are noise, not a signal
_LEVEL_RANK = {"notice": 0, "warning": 1, "error": 2}

# --- step 1: the shape of a line ----------------------------------------------------------------
_H = "0-9a-fA-F"
_HEX_IDS = (
    rf"[{_H}]{{8}}-[{_H}]{{4}}-[{_H}]{{4}}-[{_H}]{{4}}-[{_H}]{{12}}"  # UUID
    rf"|(?:[{_H}]{{2}}:){{5}}[{_H}]{{2}}"  # MAC address
    rf"|(?=[a-fA-F]*+\d)[{_H}]++(?![A-Za-z0-9])"  # a hex run with a digit: ids, hashes, addresses
)
_STARTS_WITH_DIGIT = (
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?+(?:[.,]\d++)?+(?:Z|[+-]\d\d(?::?\d\d)?+)?+"  # ISO 8601
    rf"|0[xX][{_H}]++|{_HEX_IDS}"
    # A number with its decimals and an attached unit ("10ms", "2m", "4GB") that varies with it.
    r"|\d++(?:[.,]\d++)*+(?:[nuµm]?s|min|[mhd]|[KMGTP]i?B|B)?+(?![A-Za-z0-9])"
    r"|\d++"
)
_STARTS_WITH_LETTER = (
    rf"(?=[a-fA-F])(?:{_HEX_IDS})"
    r"|(?=[A-Z][a-z])(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*+,?\s+)?"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*+\.?\s+\d{1,2}(?!\d)"  # "Sun Jul 24"
    r"|(?=[A-Za-z]*+\d)(?:"
    r"(?:[A-Za-z]*+\d++){3,}+[A-Za-z]*+(?![A-Za-z0-9])"  # generated ids: x7Gh3kLm9
    r"|[A-Za-z0-9]{16,}+"  # long ids and keys with a digit
    r"|[A-Za-z]++\d{3,}+(?![A-Za-z0-9]))"  # a name numbered by a counter: node042, task12345
)
_VARIABLE_PART = rf"(?:[-+]?(?=\d)(?:{_STARTS_WITH_DIGIT})|(?=[A-Za-z])(?:{_STARTS_WITH_LETTER}))"
# One variable part, the ones joined to it by punctuation (an IP and its port, a date and its time,
# the groups of an IPv6 address), and a spaced size unit: all become one <*>. Only at the start of
# an alphanumeric run, so "ssh2", "IPv6" and "en0" stay words; possessive quantifiers keep it linear.
_MASK = re.compile(
    rf"(?<![A-Za-z0-9]){_VARIABLE_PART}"
    rf"(?:[^\sA-Za-z0-9<>\"']{{0,2}}+{_VARIABLE_PART}|:[{_H}]{{1,4}}+(?![A-Za-z0-9]))*+"
    r"(?:\s(?:[KMGTP]i?B|B|bytes)\b)?"
)
_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{1,15}://)[^\s\"'<>()\[\]{}]*[^\s\"'<>()\[\]{}.,;:!?]")
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[a-zA-Z]{2,}\b")


def shape_of(message: str) -> str:
    """The message with the variable part of each token masked (whitespace left as it is)."""
    if len(message) > MAX_MESSAGE:
        # Bounded work: the first tokens, up to MAX_MESSAGE characters, cut between two tokens (a
        # token cut short would vary); a single huge token is clipped.
        message = " ".join(message[:_MAX_READ].split(None, MAX_TOKENS)[:MAX_TOKENS])
        if len(message) > MAX_MESSAGE:
            cut = message.rfind(" ", 0, MAX_MESSAGE + 1)
            message = message[: cut if cut > 0 else MAX_MESSAGE]
    if "://" in message:
        message = _URL.sub(r"\1<*>", message)
    if "@" in message:
        message = _EMAIL.sub(VARIABLE, message)
    return _MASK.sub(VARIABLE, message)


# --- step 2: shapes merged into signatures ------------------------------------------------------
_KEY = re.compile(r"[A-Za-z_][\w.-]*[=:](?!//)(?=.)")
# Values that vary by nature: a masked part, a path, an address, a dotted name (host, package, file).
_VARIABLE_LOOKING = re.compile(r"<\*>|/|@|[A-Za-z0-9]\.[A-Za-z]")
# Words that name a failure: two messages differing in them are two different errors.
_FAILURE_WORD = re.compile(
    r"(?i:exception|error|fail|(?<!de)fault|timeout|timed|refused|denied|unable|cannot|fatal|panic|abort"
    r"|reject|illegal)"
    r"|(?<![A-Za-z])(?i:invalid|unknown|missing|not|lost|no)(?![a-z])"
)

Tokens = tuple[str, ...]


def _tokens(shape: str) -> Tokens:
    """Whitespace-separated tokens; a repeated variable token (a list of ids) counts once."""
    kept: list[str] = []
    for token in shape.split()[:MAX_TOKENS]:
        if not (kept and token == kept[-1] and VARIABLE in token):
            kept.append(token)
    return tuple(kept)


@lru_cache(maxsize=MAX_SHAPES)
def _key_of(value: str) -> str | None:
    """The key before = or : that a value keeps, "" if none, or None for a value that names a failure."""
    if _FAILURE_WORD.search(value):
        return None
    found = _KEY.match(value)
    return found.group(0) if found else ""


def _mergeable(context: Tokens, key: str, values: set[str]) -> bool:
    constant = sum(VARIABLE not in token for token in context) + bool(key)
    if constant < MIN_CONSTANT:
        return False
    if any(_VARIABLE_LOOKING.search(value, len(key)) for value in values):
        return len(values) >= 2
    return len(values) >= MIN_WORD_VALUES


def _merge_position(members: dict[Tokens, list[Tokens]], position: int) -> bool:
    """Merge templates that differ only at ``position`` where its values vary; True if any merged."""
    groups: dict[tuple[Tokens, str], list[Tokens]] = {}
    for template in members:
        key = _key_of(template[position])
        if key is not None:
            context = template[:position] + template[position + 1 :]
            groups.setdefault((context, key), []).append(template)
    merged = False
    for (context, key), templates in groups.items():
        values = {template[position] for template in templates}
        if len(values) < 2 or not _mergeable(context, key, values):
            continue
        general = (*context[:position], key + VARIABLE, *context[position:])
        shapes = [shape for template in templates for shape in members.pop(template)]
        members.setdefault(general, []).extend(shapes)
        merged = True
    return merged


def _generalize(same_length: list[Tokens]) -> dict[Tokens, Tokens]:
    members: dict[Tokens, list[Tokens]] = {tokens: [tokens] for tokens in same_length}
    length = len(same_length[0])
    changed = len(members) > 1
    while changed:
        changed = False
        for position in range(length):
            if len({template[position] for template in members}) > 1:
                changed = _merge_position(members, position) or changed
    return {shape: template for template, shapes in members.items() for shape in shapes}


def signatures_of(shapes: Iterable[str]) -> dict[str, str]:
    """The signature of each distinct shape: its tokens, with the positions that vary merged.

    Depends only on the set of shapes given, never on their order.
    """
    tokens_of = {shape: _tokens(shape) for shape in sorted(set(shapes))}
    by_length: dict[int, list[Tokens]] = {}
    for tokens in dict.fromkeys(tokens_of.values()):
        by_length.setdefault(len(tokens), []).append(tokens)
    template_of: dict[Tokens, Tokens] = {}
    for same_length in by_length.values():
        template_of.update(_generalize(same_length))
    return {shape: " ".join(template_of[tokens]) for shape, tokens in tokens_of.items()}


# --- counting -----------------------------------------------------------------------------------
def rising(count: float, expected: float) -> bool:
    """Frequent enough to matter and at least twice its usual rate (``expected`` in the same time)."""
    return count >= MIN_COUNT and count >= 2 * expected + 1


def surging(count: float, expected: float) -> bool:
    """Rising, and new or well above its usual rate: background errors that merely fluctuate are not."""
    return rising(count, expected) and (expected == 0 or count >= 3 * expected + 3)


class ShapeTable:
    """Distinct shapes in the order first seen, at most ``MAX_SHAPES``, within an optional deadline.

    ``add`` returns the shape's index, or None for a line of a shape beyond the cap (counted in
    ``ungrouped``) or once the deadline (a ``time.monotonic()`` value) has passed (``stopped``).
    """

    def __init__(self, deadline: float | None = None) -> None:
        self.index: dict[str, int] = {}
        self.shapes: list[str] = []
        self.examples: list[str] = []  # the first message of each shape
        self.lines = 0
        self.ungrouped = 0
        self.stopped = False
        self._deadline = deadline
        self._recent: dict[str, int] = {}

    def add(self, message: str) -> int | None:
        if self._deadline is not None and self.lines % DEADLINE_EVERY == 0 and not self.stopped:
            self.stopped = time.monotonic() >= self._deadline
        if self.stopped:
            return None
        self.lines += 1
        found = self._recent.get(message)
        if found is not None:
            return found
        shape = shape_of(message)
        found = self.index.get(shape)
        if found is None:
            if len(self.shapes) >= MAX_SHAPES:
                self.ungrouped += 1
                return None
            found = self.index[shape] = len(self.shapes)
            self.shapes.append(shape)
            self.examples.append(message[:_MAX_EXAMPLE])
        if len(message) <= MAX_MESSAGE:
            if len(self._recent) >= _MAX_RECENT:
                self._recent.clear()
            self._recent[message] = found
        return found

    def signatures(self) -> list[str]:
        """The signature of each shape, by index (to be redacted before it is shown: ``shown``)."""
        signature_of = signatures_of(self.shapes)
        return [signature_of[shape] for shape in self.shapes]

    def limits(self) -> list[tuple[str, dict[str, int]]]:
        """What was left out, as note codes (``i18n``: ``note.<code>``) and their values."""
        found = []
        if self.stopped:
            found.append(("signatures_stopped", {"lines": self.lines}))
        if self.ungrouped:
            found.append(("signatures_ungrouped", {"lines": self.ungrouped, "shapes": MAX_SHAPES}))
        return found

    def notes(self) -> list[str]:
        return [t("en", f"note.{code}", **values) for code, values in self.limits()]


def shown(signature: str, example: str) -> str:
    """The signature with secrets redacted: redaction runs on what is shown, never on every line.

    One of the signature's lines (``example``) tells whether its lines carry a secret: the words a
    signature keeps are words of each of its lines. If they do, what is shown is that line redacted,
    then masked: masking first could leave pieces of a secret that redaction no longer recognizes.
    """
    cleaned = redact(example)
    return signature if cleaned == example else redact(shape_of(cleaned))


def _as_shown(found: Iterable[tuple[str, Tally]]) -> dict[str, Tally]:
    """Tallies by signature as reports show it (redacted, clipped); signatures shown alike add up."""
    merged: dict[str, Tally] = {}
    for signature, tally in found:
        text = shown(signature, tally.example)[:MAX_SIGNATURE]
        merged.setdefault(text, Tally(tally.level)).absorb(tally)
    return merged


@dataclass
class Tally:
    """What the lines of one shape, or of one signature, add up to."""

    level: logtext.Level | None
    count: float = 0  # lines: a line read in a sampled slice of a window stands for several
    baseline_count: float = 0
    first: int | None = None  # the earliest and latest incident line: a line number or a time in ms
    last: int | None = None
    groups: set[str] = field(default_factory=set)
    samples: list[str] = field(default_factory=list)  # raw lines, redacted when shown
    example: str = ""  # the first message of the first shape

    def absorb(self, other: Tally) -> None:
        self.example = self.example or other.example
        if _rank(other.level) > _rank(self.level):
            self.level = other.level
        self.count += other.count
        self.baseline_count += other.baseline_count
        if other.first is not None and other.last is not None:
            self.first = other.first if self.first is None else min(self.first, other.first)
            self.last = other.last if self.last is None else max(self.last, other.last)
        self.groups |= other.groups
        self.samples += other.samples[: MAX_SAMPLES - len(self.samples)]


def _rank(level: logtext.Level | None) -> int:
    return -1 if level is None else _LEVEL_RANK[level]


class Tallies:
    """Log lines tallied by shape as they stream in, then by signature once all are in.

    Lines of one shape differ only in masked parts, so the first line of a shape tells the level
    of all: the level patterns run once per shape, not once per line. Unless ``every_level``, lines
    of no level (ordinary lines, Lambda's START/END/REPORT records) are left out.
    """

    def __init__(self, deadline: float | None = None, every_level: bool = False) -> None:
        self.table = ShapeTable(deadline)
        self._every_level = every_level
        self._tallies: dict[tuple[int, str], Tally] = {}

    def add(self, raw: str, at: int, group: str = "", in_incident: bool = True, weight: float = 1) -> None:
        message, declared = logtext.message_of(raw)
        index = self.table.add(message)
        if index is None:
            return
        tally = self._tallies.get((index, declared))
        if tally is None:
            platform = not self._every_level and logtext.is_platform_record(raw)
            level = None if platform else logtext.level_of(message[:_MAX_READ], declared)
            tally = self._tallies[(index, declared)] = Tally(level)
        if tally.level is None and not self._every_level:
            return
        if not in_incident:
            tally.baseline_count += weight
            return
        tally.count += weight
        tally.first = at if tally.first is None else min(tally.first, at)
        tally.last = at if tally.last is None else max(tally.last, at)
        if group:
            tally.groups.add(group)
        if len(tally.samples) < MAX_SAMPLES:
            tally.samples.append(raw[:_MAX_EXAMPLE])  # redacted when shown, then clipped

    def by_signature(self) -> dict[str, Tally]:
        """Tallies by signature (not redacted), in the order first seen."""
        signature_of = self.table.signatures()
        merged: dict[str, Tally] = {}
        for (index, _), tally in self._tallies.items():
            if tally.level is not None or self._every_level:
                example = self.table.examples[index]
                merged.setdefault(signature_of[index], Tally(tally.level, example=example)).absorb(tally)
        return merged


class SignatureCounter:
    """Error, warning and notice signatures of log events, incident and baseline counted apart.

    Events stream in (``add``), within an optional ``deadline`` (a ``time.monotonic()`` value):
    once it has passed, events are no longer read, ``out_of_time`` says so and ``notes`` how much
    was read. What they add up to is computed once (``signatures``).
    """

    def __init__(self, deadline: float | None = None) -> None:
        self._tallies = Tallies(deadline)

    @property
    def out_of_time(self) -> bool:
        return self._tallies.table.stopped

    def add(self, group: str, event: dict[str, Any], in_incident: bool, weight: float = 1) -> None:
        """One event; ``weight``: the lines it stands for (read in a sampled slice of its window)."""
        message = str(event.get("message", ""))
        self._tallies.add(message, int(event["timestamp"]), group, in_incident, weight)

    def limits(self) -> list[tuple[str, dict[str, int]]]:
        return self._tallies.table.limits()

    def signatures(self) -> list[LogSignature]:
        from .models import LogSignature  # noqa: PLC0415 - `alarm-analyzer signatures` starts without pydantic

        found = sorted(
            ((signature, tally) for signature, tally in self._tallies.by_signature().items() if tally.count),
            key=lambda item: (item[1].count, _rank(item[1].level)),
            reverse=True,
        )
        # A signature never seen before is worth showing even when it is rare.
        extra_new = [item for item in found[MAX_SIGNATURES:] if not item[1].baseline_count][:MAX_EXTRA_NEW]
        return [
            LogSignature(
                signature=signature,
                level=tally.level or "notice",
                count=round(tally.count),
                baseline_count=_seen(tally.baseline_count),
                first_seen=_moment(tally.first),
                last_seen=_moment(tally.last),
                log_groups=sorted(tally.groups),
                samples=[logtext.sample_of(raw) for raw in tally.samples],
            )
            for signature, tally in _as_shown(found[:MAX_SIGNATURES] + extra_new).items()
        ]


def _seen(count: float) -> int:
    """A scaled count as lines: once seen is at least once, however small its weight."""
    return max(round(count), 1) if count else 0


def _moment(millis: int | None) -> datetime:
    return datetime.fromtimestamp((millis or 0) / 1000, tz=UTC)


# --- the command: `alarm-analyzer signatures` ----------------------------------------------------
def line_batches(blocks: Iterable[bytes]) -> Iterator[list[str]]:
    """The lines of a byte stream read in blocks, a batch per block (UTF-8, undecodable bytes
    replaced); ValueError on binary data."""
    pending = b""
    for block in blocks:
        if b"\0" in block:
            raise ValueError("binary data, not log lines")
        pending += block
        cut = pending.rfind(b"\n")
        if cut >= 0:
            yield pending[:cut].decode("utf-8", "replace").split("\n")
            pending = pending[cut + 1 :]
    if pending:
        yield [pending.decode("utf-8", "replace")]


def assign(lines: Iterable[str], baseline: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The signature of every line, in order (redacted), grouped together with the baseline's lines,
    and notes on what could not be grouped."""
    table = ShapeTable()
    assigned: list[int | tuple[str, str]] = []  # a shape's index, or an ungrouped line's shape and message
    for line in lines:
        message = logtext.message_of(line)[0]
        index = table.add(message)
        assigned.append((shape_of(message), message) if index is None else index)
    for line in baseline:
        table.add(logtext.message_of(line)[0])
    signature_of = table.signatures()
    redacted: dict[str, str] = {}
    for signature, example in zip(signature_of, table.examples, strict=True):
        if signature not in redacted:  # once per signature, with the first line of its first shape
            redacted[signature] = shown(signature, example)
    found = [redacted[signature_of[at]] if isinstance(at, int) else shown(*at) for at in assigned]
    return found, table.notes()


@dataclass
class Summary:
    """The signatures of a log file, most frequent first, and what the reader should know."""

    signatures: list[dict[str, Any]]
    lines: int
    baseline_lines: int | None  # None without a baseline
    notes: list[str]


def summarize(lines: Iterable[str], baseline: Iterable[str] | None = None, ratio: float = 1.0) -> Summary:
    """Every signature of the lines: level, count, first and last line, a redacted sample.

    With a baseline (lines from before; ``ratio``: this file's time span over the baseline's), each
    signature is marked new or surging as the report's rules judge them.
    """
    tallies = Tallies(every_level=True)
    number = before = 0
    for number, line in enumerate(lines, 1):
        tallies.add(line, number)
    for line in baseline or ():
        tallies.add(line, 0, in_incident=False)
        before += 1
    found = []
    for signature, tally in _as_shown(i for i in tallies.by_signature().items() if i[1].count).items():
        row: dict[str, Any] = {
            "signature": signature,
            "level": tally.level,
            "count": tally.count,
            "first_line": tally.first,
            "last_line": tally.last,
            "sample": logtext.sample_of(tally.samples[0]),
        }
        if baseline is not None:
            expected = tally.baseline_count * ratio
            row |= {
                "baseline_count": tally.baseline_count,
                "new": tally.baseline_count == 0,
                "surging": tally.baseline_count > 0 and surging(tally.count, expected),
            }
        found.append(row)
    found.sort(key=lambda row: (-row["count"], row["first_line"]))
    return Summary(found, number, before if baseline is not None else None, tallies.table.notes())


def as_text(summary: Summary) -> str:
    """A line per signature: count (with a baseline: the count before, new or surging), level, first
    and last line, the signature; under it, a sample."""
    with_baseline = summary.baseline_lines is not None

    def columns(counts: tuple[object, object, str], level: str, lines: str, signature: str) -> str:
        count, before, mark = counts
        prefix = f"{count:>7} {before:>7} {mark:<7}" if with_baseline else f"{count:>7}"
        return f"{prefix} {level:<7} {lines:<13} {signature}"

    out = [columns(("count", "before", "marked"), "level", "lines", "signature")]
    for row in summary.signatures:
        mark = "new" if row.get("new") else "surging" if row.get("surging") else ""
        counts = (row["count"], row.get("baseline_count", ""), mark)
        where = f"{row['first_line']}-{row['last_line']}"
        out += [columns(counts, row["level"] or "-", where, row["signature"]), f"{'':8}{row['sample']}"]
    read = f"{summary.lines} lines" + (f" ({summary.baseline_lines} before)" if with_baseline else "")
    return "\n".join([*out, f"{len(summary.signatures)} signatures in {read}", *summary.notes]) + "\n"
