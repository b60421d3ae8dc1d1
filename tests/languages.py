"""What English sentences of the analyzer look like, to find them where they must not be (Japanese output)."""

from __future__ import annotations

import re
import string
from typing import get_args

from alarm_analyzer.i18n import MESSAGES
from alarm_analyzer.playbook import plan
from alarm_analyzer.report import Category

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")
HOLE = "\x00"  # stands for a filled-in value when a sentence is cut into its fixed parts


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def fixed_parts(template: str) -> list[str]:
    """The sentence pieces between placeholders that are long enough to be a sentence, not a name."""
    pieces = re.split(r"\{[^}]*\}|" + HOLE, template)
    return [p.strip(" .,:;()[]\"'") for p in pieces if len(WORD.findall(p)) >= 3]


def english_sentences() -> dict[str, list[str]]:
    found = {f"MESSAGES[{key}]": fixed_parts(m["en"]) for key, m in MESSAGES.items()}
    for category in get_args(Category):
        actions, runbook = plan(category, HOLE, "en")
        steps = actions.short_term + actions.long_term + runbook.triage + runbook.mitigate + runbook.fix
        found[f"playbook[{category}]"] = [part for step in steps for part in fixed_parts(step)]
    return {where: parts for where, parts in found.items() if parts}
