"""English as a careful describer and a teacher write it, for the function and
analytic-geometry domains: captions with a vocabulary and a length beside MAVIS's
(the paper's Table 1), and worked texts without typographic or mathematical slips; the
plane and solid questions' givens in whole sentences."""

from __future__ import annotations

import json
import re

import pytest

from mavis_engine import FunctionPlot, PlaneGeometry
from mavis_engine.analytic.generator import AnalyticGeometry
from mavis_engine.rowcheck import TEXT_GLITCHES
from mavis_engine.solid import SolidGeometry
from mavis_engine.stats import MAVIS_CAPTIONS, _figure_names, caption_words

# Captions per domain: as many as are made in well under 20 s on one core.
CAPTIONS = {"function": (FunctionPlot, 250), "analytic_geometry": (AnalyticGeometry, 600)}


@pytest.mark.parametrize("domain", sorted(CAPTIONS))
def test_caption_vocabulary_and_length_beside_mavis(domain):
    make, n = CAPTIONS[domain]
    generator, words, vocabulary = make(), 0, set()
    for index in range(n):
        sample = generator.sample(3, index)
        count, seen = caption_words(sample.caption, _figure_names(json.dumps(sample.figure)))
        words += count
        vocabulary |= seen
    mavis = MAVIS_CAPTIONS[domain]
    # Half as many words again as MAVIS's vocabulary (theirs over 77K to 299K captions).
    assert len(vocabulary) >= 1.5 * mavis["vocabulary"], sorted(vocabulary)
    assert 0.75 * mavis["avg_words"] <= words / n <= 1.6 * mavis["avg_words"], words / n


SLIPS = [
    *TEXT_GLITCHES,  # what verify refuses in any row
    # "-1·2^3", "1·(-2)": a factor of one shown (not the 1 of a substituted "4·1·9").
    (re.compile(r"(?<![\w.·^/)²³])-?1·(?=[\w(√π|])"), "a displayed coefficient of one"),
    (re.compile(r"[-−+] [-−]\d"), "a doubled sign"),
    # "7 - (-2)" is "7 + 2" (but "3 - (-2)²" is as a teacher writes it).
    (re.compile(r"[-−] \([-−][\d.√π/]+\)(?![²³^])"), "a doubled sign"),
    (re.compile(r"\+ \([-−][\d.√π/]+\)(?![²³^·])"), "a doubled sign"),
    (re.compile(r"log\([^()]*(?:\([^()]*\))?[^()]*\)/log\("), "log(u)/log(b), not log_b(u)"),
    # "f(x) = x + 3, is plotted" (a comma there closes a "where a is a constant" clause)
    (
        re.compile(r"f\(x\) = [^,]*, (?:is plotted|over the)"),
        "a comma before the verb",
    ),
    # (not the constant a of "where a and k are constants")
    (re.compile(r"(?<!where )\ba (?!and\b|is\b)[aeio][a-z]"), "'a' before a vowel"),
]
# A list of zeros after a plural: "Its zeros on this interval are x = 1." is one zero.
_PLURAL = re.compile(r"\b(?:zeros|roots)\b[^.]* (?:are|:) x = (.*?)\.(?: |$)")


def _slips(text: str) -> list[tuple[str, str]]:
    out = [
        (what, text[max(0, m.start() - 30) : m.end() + 30])
        for p, what in SLIPS
        if (m := p.search(text))
    ]
    for m in _PLURAL.finditer(text):
        if "," not in m.group(1) and " and " not in m.group(1):
            out.append(("one zero, plural", m.group(0)))
    return out


def _texts(generator, seed: int, n: int):
    for index in range(n):
        sample = generator.sample(seed, index, problems=True)
        yield "caption", sample.caption
        for row in sample.rows("instruct"):
            yield "question", row["question"]
            yield "rationale", row["rationale"]


@pytest.mark.parametrize("make", [FunctionPlot, AnalyticGeometry], ids=["function", "analytic"])
def test_english_texts_have_no_typographic_or_mathematical_slips(make):
    found = []
    for column, text in _texts(make(), 11, 100):
        found += [f"{column}: {what} at {where!r}" for what, where in _slips(text)]
    assert not found, "\n".join(found[:20])


def test_the_slips_are_seen():
    for text in (
        "y = f(-1) + f'(-1)·(x - -1).",
        "f'(3) = -1·2^3·log(2).",
        "((-8 + -5)/2, 3).",
        "(7 − (-7)) = 14.",
        "The plotted function is f(x) = log(x - 3)/log(2).",
        "Its zeros on this interval are x = 1. Next.",
        "It is a exponential function.",
        "The function f(x) = x + 3, is plotted over the interval shown.",
    ):
        assert _slips(text), text
    for text in (
        "y = f(-1) + f'(-1)·(x + 1).",
        "f(-2) = 3 - (-2)² = -1.",
        "Its discriminant is 6² − 4·1·9 = 0.",
        "It has two roots in the window: x = -1.5 and 2.",
        "The function f(x) = -2·log₂(x - 3) + 1, a logarithm function.",
    ):
        assert not _slips(text), (text, _slips(text))


# "Given that AG is 8√3. Determine ...": a clause stopped as if it were a sentence.
_GIVEN_FRAGMENT = re.compile(r"(?:^|[.?!] )Given that [^,;?!]*\.(?: |$)")


@pytest.mark.parametrize("make", [PlaneGeometry, SolidGeometry], ids=["plane", "solid"])
def test_a_question_that_opens_given_that_asks_in_the_same_sentence(make):
    generator, opened = make(), 0
    for index in range(40):
        for row in generator.sample(2, index, problems=True).rows("instruct"):
            question = row["question"]
            assert not _GIVEN_FRAGMENT.search(question), question
            opened += "Given that " in question
    assert opened > 10
    assert _GIVEN_FRAGMENT.search("ABCD-EFGH is a cube. Given that AG is 8√3. Find it.")
