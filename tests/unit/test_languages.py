"""English and Japanese: every message exists in both, with the same placeholders, and Japanese output
carries no English sentence of the analyzer's own (data such as names and log lines stays as it is)."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from alarm_analyzer.delivery import recovery_text
from alarm_analyzer.github import recovery_markdown
from alarm_analyzer.i18n import CATEGORY_TITLES, LANGUAGES, MESSAGES
from alarm_analyzer.playbook import plan
from alarm_analyzer.recovery import Recovery, follow_up, record_of
from alarm_analyzer.render import RENDERERS
from alarm_analyzer.report import Category
from alarm_analyzer.slack import recovery_message, report_message
from tests.languages import JAPANESE, english_sentences, fields, fixed_parts
from tests.reports import later, sample_report


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    message = MESSAGES[key]
    assert set(message) == set(LANGUAGES), f"{key} is missing {set(LANGUAGES) - set(message)}"
    assert all(message[lang].strip() for lang in LANGUAGES), f"{key} is empty in a language"
    assert fields(message["en"]) == fields(message["ja"]), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_no_japanese_message_is_an_english_sentence(key: str) -> None:
    japanese = MESSAGES[key]["ja"]
    for part in fixed_parts(MESSAGES[key]["en"]):
        assert part not in japanese, f"{key}: untranslated {part!r}"
    if fixed_parts(MESSAGES[key]["en"]):
        assert JAPANESE.search(japanese), f"{key}: {japanese!r} has no Japanese"


def test_every_category_has_a_title_and_a_playbook_in_both_languages() -> None:
    for category in get_args(Category):
        assert set(CATEGORY_TITLES[category]) == set(LANGUAGES), category
        english, japanese = plan(category, "db-1", "en"), plan(category, "db-1", "ja")
        for en_part, ja_part in zip(english, japanese, strict=True):
            for field in type(en_part).model_fields:
                en_steps, ja_steps = getattr(en_part, field), getattr(ja_part, field)
                assert len(en_steps) == len(ja_steps), f"{category}.{field}"
                assert all(JAPANESE.search(step) for step in ja_steps), f"{category}.{field}: {ja_steps}"


def _recovery(lang: str) -> Recovery:
    report = sample_report(lang)
    return follow_up(record_of(report), later(report, 30, state="OK"), window_minutes=20)


OUTPUTS = {
    **{fmt: render for fmt, render in RENDERERS.items() if fmt != "json"},
    "slack": lambda report: json.dumps(report_message(report), ensure_ascii=False),
    "slack-recovery": lambda report: json.dumps(
        recovery_message(_recovery(report.language)), ensure_ascii=False
    ),
    "email-recovery": lambda report: recovery_text(_recovery(report.language)),
    "github-recovery": lambda report: recovery_markdown(_recovery(report.language)),
}


@pytest.mark.parametrize("output_name", sorted(OUTPUTS))
def test_japanese_output_carries_no_english_template_sentence(output_name: str) -> None:
    render = OUTPUTS[output_name]
    output = render(sample_report("ja"))
    leaks = [
        f"{where}: {part!r}"
        for where, parts in english_sentences().items()
        for part in parts
        if part in output
    ]
    assert not leaks, leaks
    english = render(sample_report("en"))
    assert any(part in english for parts in english_sentences().values() for part in parts)  # the check bites
