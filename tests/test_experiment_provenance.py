"""Provenance of the numbers in the experiment catalogue and the example cards (issue #6 convention, as for the
detector catalogue in tests/test_detectors.py): every number is either cited or explicitly marked
'[unverified: what was searched, where]'; no '[recalled ...]' / 'to be verified' marker may remain, and every
experiment that still carries an '[unverified' marker is listed in the experiments README section
'Unverified numbers'."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from darkbeam import experiments
from test_detectors import _marker_problems

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CARDS = sorted(p.name for p in EXAMPLES.glob("*.toml"))

#: Markers the detectors' checker does not know but which also mean "entered without a source" in this catalogue.
_EXTRA_FORBIDDEN = ("not verified]", "[approximate", "approximate]")


def _problems(text: str) -> list[str]:
    return _marker_problems(text) + [f"marker {m!r}" for m in _EXTRA_FORBIDDEN if m in text]


def _text(name: str) -> str:
    return (resources.files("darkbeam") / "data" / "experiments" / f"{name}.toml").read_text()


def _readme_section(title: str) -> str:
    text = (resources.files("darkbeam") / "data" / "experiments" / "README.md").read_text()
    start = text.index(title)
    nxt = re.search(r"\n#{1,3} ", text[start + len(title) :])
    return text[start : start + len(title) + (nxt.start() if nxt else len(text))]


def test_the_catalogue_and_the_cards_are_found() -> None:
    assert len(experiments.names()) >= 12
    assert len(CARDS) >= 18


@pytest.mark.parametrize("name", experiments.names())
def test_no_experiment_number_is_left_as_recalled(name: str) -> None:
    assert _problems(_text(name)) == []


@pytest.mark.parametrize("card", CARDS)
def test_no_example_card_number_is_left_as_recalled(card: str) -> None:
    assert _problems((EXAMPLES / card).read_text()) == []


def test_the_checker_catches_leftovers() -> None:
    assert _problems('source = "efficiency 51 % [recalled, to be verified]"') != []
    assert _problems('source = "3.5 years [exact split not verified]"') != []
    assert _problems('source = "L_eff 0.25 [recalled, approximate]"') != []
    assert _problems('source = "20 p.e. [approximate FGD light yield, to be verified]"') != []
    assert _problems('source = "0.51 [unverified]"') != []
    good = 'source = "0.51 [unverified: PLB 157, 458 not stored in the pages corpus; ALPINIST code agrees]"'
    assert _problems(good) == []


def test_unverified_experiment_numbers_are_listed_in_the_readme() -> None:
    listed = _readme_section("## Unverified numbers")
    for name in experiments.names():
        if "[unverified" in _text(name):
            assert f"**{name}**" in listed, f"{name} has unverified numbers but is not listed in the README"
