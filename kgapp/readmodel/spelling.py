"""Words as search compares them: lower case, British spellings written the American way, so
that "licence exception" finds "license exception" and the reverse. The same function reads the
index and the query, so a rule only has to be consistent, never to produce a real word; each
rule is kept narrow enough not to merge two different words ("our" is not "or")."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")
POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")

# Irregular British spellings → American ones (inflected forms are listed where a rule can't say).
VARIANTS = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "offences": "offenses",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "programs",
    "judgement": "judgment",
    "judgements": "judgments",
    "grey": "gray",
    "aluminium": "aluminum",
    "ageing": "aging",
    "sceptical": "skeptical",
    "manoeuvre": "maneuver",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analogue": "analog",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "travelled": "traveled",
    "travelling": "traveling",
    "traveller": "traveler",
    "travellers": "travelers",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "labelled": "labeled",
    "labelling": "labeling",
    "modelled": "modeled",
    "modelling": "modeling",
    "signalled": "signaled",
    "counselled": "counseled",
    "levelled": "leveled",
    "fuelled": "fueled",
}
# -our words (a rule would turn "four" into "for").
for _stem in (
    "honour",
    "favour",
    "labour",
    "neighbour",
    "behaviour",
    "colour",
    "harbour",
    "rumour",
    "vigour",
):
    for _ending in ("", "s", "ed", "ing", "able", "ite", "ites", "hood"):
        VARIANTS[_stem + _ending] = _stem[:-3] + "or" + _ending

# Suffix rules, longest first: organisation → organization, recognised → recognized,
# analyse → analyze, centre → center.
RULES = (
    ("isations", "izations"),
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ise", "ize"),
    ("yses", "yzes"),
    ("ysed", "yzed"),
    ("yse", "yze"),
    ("tres", "ters"),
    ("tre", "ter"),
    ("bres", "bers"),
    ("bre", "ber"),
)
MIN_STEM = 3  # "rise", "wise", "tre" stay as they are


def normalized_word(word: str) -> str:
    lower = word.casefold()
    if lower in VARIANTS:
        return VARIANTS[lower]
    for ending, replacement in RULES:
        if lower.endswith(ending) and len(lower) - len(ending) >= MIN_STEM:
            return lower[: -len(ending)] + replacement
    return lower


def words(text: str) -> list[str]:
    """The words of ``text``, accents and case folded, spellings made one."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = APOSTROPHE.sub("", POSSESSIVE.sub("", plain))  # People's → People, O'Brien → OBrien
    return [normalized_word(w) for w in WORD.findall(plain)]


def normalized(text: str) -> str:
    return " ".join(words(text))
