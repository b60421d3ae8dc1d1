"""The playbook: a play for every category in both languages, Japanese that reads as Japanese,
and placeholders that are always filled."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from alarm_analyzer.i18n import CATEGORY_TITLES, LANGUAGES, Lang
from alarm_analyzer.playbook import NEUTRAL, PLAYBOOK, Play, plan
from alarm_analyzer.report import Category

CATEGORIES: tuple[str, ...] = get_args(Category)
LISTS = ("short_term", "long_term", "triage", "mitigate", "fix")
CHANGE = "CodeDeploy deployment d-7Q2 of orders-api (version 42)"
ROLLBACK = "shift alias live back to version 41"
DETAILS = {"change": CHANGE, "rollback": ROLLBACK}

# An ASCII "word": AWS, metric and API names (MemorySize, Lock:tuple, Runtime.OutOfMemory, 1024-65535
# is not one: it starts with a digit). Five in a row inside Japanese text is an English sentence.
_WORD = r"[A-Za-z][A-Za-z0-9_.:/'()-]*"
_ENGLISH_RUN = re.compile(rf"{_WORD}(?:[ ]+{_WORD}){{4,}}")
# Names never contain these; Japanese text that does has English prose in it.
_STOPWORDS = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into", "is", "it",
     "not", "of", "on", "or", "so", "than", "that", "the", "then", "this", "to", "was", "were", "when",
     "which", "while", "with")
)  # fmt: skip
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def english_in(text: str) -> list[str]:
    """The English prose in a Japanese step: long runs of ASCII words and English function words."""
    found = [match.group(0) for match in _ENGLISH_RUN.finditer(text)]
    found += [word for word in re.findall(_WORD, text) if word in _STOPWORDS]
    return found


def _lists(play: Play) -> dict[str, list[str]]:
    return {
        "short_term": play["short_term"],
        "long_term": play["long_term"],
        "triage": play["triage"],
        "mitigate": play["mitigate"],
        "fix": play["fix"],
    }


def _steps(play: Play) -> list[str]:
    return [step for steps in _lists(play).values() for step in steps]


def test_the_english_check_catches_english_and_spares_names() -> None:
    assert english_in("ロールバックする: Roll back the deployment right now.")
    assert english_in("デプロイ when 失敗した")
    assert english_in("If it fails, ロールバックする。")
    assert not english_in("{resource} の REPORT 行で Max Memory Used と Memory Size を比べる。")
    assert not english_in(
        "Service Quotas で上限緩和を申請する（PutFunctionConcurrency、GetAccountSettings）。"
    )
    assert not english_in("aws cloudwatch list-metrics --namespace ... --metric-name ...")


def test_every_category_has_a_title_and_a_play() -> None:
    assert set(PLAYBOOK) == set(CATEGORIES) == set(CATEGORY_TITLES)


@pytest.mark.parametrize("category", CATEGORIES)
def test_both_languages_have_every_list_with_the_same_steps(category: str) -> None:
    assert set(PLAYBOOK[category]) == set(LANGUAGES)
    en, ja = _lists(PLAYBOOK[category]["en"]), _lists(PLAYBOOK[category]["ja"])
    assert tuple(en) == tuple(ja) == LISTS
    for key in LISTS:
        assert en[key], (category, key)
        assert len(en[key]) == len(ja[key]), (category, key)
        for step_en, step_ja in zip(en[key], ja[key], strict=True):
            assert step_en.strip()
            assert step_ja.strip()
            # the same step names the same things in both languages
            assert set(_PLACEHOLDER.findall(step_en)) == set(_PLACEHOLDER.findall(step_ja)), step_en


@pytest.mark.parametrize("category", CATEGORIES)
def test_japanese_steps_are_japanese_and_english_steps_english(category: str) -> None:
    for step in _steps(PLAYBOOK[category]["ja"]):
        assert _JAPANESE.search(step), step
        assert not english_in(step), (step, english_in(step))
    for step in _steps(PLAYBOOK[category]["en"]):
        assert not _JAPANESE.search(step), step


def test_every_placeholder_has_a_neutral_phrase_in_both_languages() -> None:
    used = {name for plays in PLAYBOOK.values() for play in plays.values() for step in _steps(play)
            for name in _PLACEHOLDER.findall(step)}  # fmt: skip
    assert used <= set(NEUTRAL)
    assert {"resource", "change", "rollback"} <= used
    for phrases in NEUTRAL.values():
        assert set(phrases) == set(LANGUAGES)


@pytest.mark.parametrize("details", [None, {}, DETAILS, {"change": "", "rollback": "  "}])
@pytest.mark.parametrize("resource", [None, "orders-api"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("category", CATEGORIES)
def test_plan_fills_every_placeholder(
    category: str, lang: Lang, resource: str | None, details: dict[str, str] | None
) -> None:
    actions, runbook = plan(category, resource, lang, details)
    steps = actions.short_term + actions.long_term + runbook.triage + runbook.mitigate + runbook.fix
    assert steps
    assert len(steps) == len(_steps(PLAYBOOK[category][lang]))
    for step in steps:
        assert "{" not in step, step
        assert "}" not in step, step
    if resource and any("{resource}" in step for step in _steps(PLAYBOOK[category][lang])):
        assert any(resource in step for step in steps)


def test_existing_callers_keep_working() -> None:
    actions, _ = plan("database_connection_exhaustion", "orders-db", "en")
    assert "orders-db" in actions.short_term[0]
    actions, _ = plan("database_connection_exhaustion", None, "ja")
    assert "対象リソース" in actions.short_term[0]
    fallback, _ = plan("no_such_category", None, "en")
    assert fallback == plan("inconclusive", None, "en")[0]


def test_deployment_regression_rolls_back_the_named_change_first() -> None:
    actions, runbook = plan("deployment_regression", "orders-api", "en", DETAILS)
    assert actions.short_term[0] == f"Roll back {CHANGE}: {ROLLBACK}."
    assert runbook.mitigate[0] == actions.short_term[0]
    actions_ja, runbook_ja = plan("deployment_regression", "orders-api", "ja", DETAILS)
    assert actions_ja.short_term[0].startswith(CHANGE)
    assert ROLLBACK in actions_ja.short_term[0]
    assert CHANGE in runbook_ja.mitigate[0]
    assert ROLLBACK in runbook_ja.mitigate[0]


def test_deployment_regression_without_details_reads_neutrally() -> None:
    for lang in LANGUAGES:
        first = plan("deployment_regression", None, lang)[0].short_term[0]
        assert NEUTRAL["change"][lang] in first
        assert NEUTRAL["rollback"][lang] in first
    assert plan("deployment_regression", None, "ja", {"change": CHANGE})[0].short_term[0].startswith(CHANGE)


def test_details_do_not_double_the_full_stop() -> None:
    first = plan("deployment_regression", None, "en", {"change": CHANGE, "rollback": ROLLBACK + "."})
    assert first[0].short_term[0].endswith(f"{ROLLBACK}.")
    first_ja = plan("deployment_regression", None, "ja", {"change": CHANGE, "rollback": "エイリアスを戻す。"})
    assert first_ja[0].short_term[0].endswith("エイリアスを戻す。")


def test_an_unknown_placeholder_reads_neutrally(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = ["Check {nothing_known}.", "{resource}."]
    play: Play = {"short_term": steps, "long_term": steps, "triage": steps, "mitigate": steps, "fix": steps}
    monkeypatch.setitem(PLAYBOOK, "test_only", {"en": play, "ja": play})
    actions, _ = plan("test_only", None, "en")
    assert actions.short_term == ["Check the item concerned.", "the affected resource."]
