"""Search compares words with British spellings written the American way, on both sides, and
never merges two different words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgapp.readmodel.spelling import normalized, words


@pytest.mark.parametrize(
    "british, american",
    [
        ("licence exceptions", "license exceptions"),
        ("defence exports", "defense exports"),
        ("World Trade Organisation", "World Trade Organization"),
        ("recognised", "recognized"),
        ("politicised", "politicized"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("labour", "labor"),
        ("travelling", "traveling"),
        ("programme", "program"),
    ],
)
def test_a_british_spelling_reads_as_the_american_one(british: str, american: str) -> None:
    assert normalized(british) == normalized(american)


@pytest.mark.parametrize("word", ["our", "four", "hour", "rise", "wise", "raise", "Chinese", "ear"])
def test_a_word_no_rule_is_for_stays_itself(word: str) -> None:
    assert words(word) == [word.casefold()]


def test_case_accents_and_punctuation_are_folded() -> None:
    assert words("U.S. Consulate in Hong Kong") == ["u", "s", "consulate", "in", "hong", "kong"]
    assert words("Résumé — People's") == ["resume", "people"]
    assert words("O'Brien and O’Neill's") == ["obrien", "and", "oneill"]


@given(st.text(max_size=80))
def test_normalizing_twice_changes_nothing(text: str) -> None:
    assert normalized(normalized(text)) == normalized(text)
