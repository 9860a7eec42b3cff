"""The side-neutral view the encoder reads: side names replaced, offsets kept."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinlens.sides import SIDES, neutral_view


def test_side_names_become_their_kinds_stand_in():
    view = neutral_view("The American people, Russia's Kremlin and the Democrats.")
    assert view.text == "The Norwegian people, Norway's Oslo and the Whigs."


def test_ideological_camps_read_alike_in_either_case():
    left = neutral_view("Liberals hate the far-right press; left-wing liberals.").text
    right = neutral_view("Conservatives hate the far-left press; right-wing conservatives.").text
    assert left == right == "Whigs hate the Whig press; Whig Whigs."


@pytest.mark.parametrize(
    ("text", "replaced"),
    [
        ("HELP US NOW", False),  # the pronoun in capitals
        ("the US said", True),
        ("anti-American", True),
        ("Americana", False),
        ("democratic values", False),  # names are matched with their capitals
        ("the U.S.-led coalition", True),
    ],
)
def test_only_whole_side_names_are_replaced(text, replaced):
    assert (neutral_view(text).text != text) is replaced


def test_view_offsets_map_back_to_whole_names():
    text = "Swap Israel and the Democrats now."
    view = neutral_view(text)
    at = view.text.index("Whigs")
    offsets = np.array([[at, at + 3], [at + 3, at + len("Whigs")]])
    starts, ends = view.text_offsets(offsets).T.tolist()
    assert text[starts[0] : ends[1]] == "Democrats"
    assert view.view_span(text.index("now"), len(text) - 1) == (
        view.text.index("now"),
        len(view.text) - 1,
    )


def test_every_name_has_one_stand_in():
    names = [name for kind in SIDES.values() for name in kind]
    assert len(names) == len(set(names))


@given(st.lists(st.sampled_from(["the ", "Iran", "US", " said ", "Democrats", "é", "\n"])))
def test_unreplaced_text_maps_to_itself(pieces):
    text = "".join(pieces)
    view = neutral_view(text)
    for position in range(len(text) + 1):
        inside_name = view.to_view is not None and any(
            m_start < position < m_end for m_start, m_end in _names(text)
        )
        if not inside_name:
            back = view.text_offsets(np.array([[view.view_span(position, position)[0]] * 2]))
            assert back[0, 0] == position


def _names(text: str) -> list[tuple[int, int]]:
    from spinlens.sides import _PATTERN

    return [m.span() for m in _PATTERN.finditer(text)]
