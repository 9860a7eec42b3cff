"""Prune multilingual-e5-small's 250,002-piece vocabulary to the languages served.

numpy only. Kept: every piece the tokenizer produces on the texts counted, the special
pieces, and every single-character piece (alone or after the metaspace) of the scripts
whose letters occur in those texts, or that is no letter at all (digits, punctuation,
symbols), so that no character of those scripts becomes unknown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np

METASPACE = "\u2581"


def script(character: str) -> str:
    """The script of a letter or mark as its Unicode name begins (LATIN, CYRILLIC,
    GEORGIAN, COMBINING …); "" for anything else."""
    if unicodedata.category(character)[0] not in "LM":
        return ""
    return unicodedata.name(character, "").split(" ")[0]


def scripts_of(texts: Iterable[str]) -> set[str]:
    """The scripts of the letters in `texts`."""
    characters = set().union(*(set(text) for text in texts))
    return {script(c) for c in characters} - {""}


def single_characters(pieces: list[str], scripts: set[str]) -> set[int]:
    """Ids of the one-character pieces (bare or after the metaspace) that are no letter
    or are letters of `scripts`."""
    kept = set()
    for index, piece in enumerate(pieces):
        character = piece.removeprefix(METASPACE) or piece
        if len(character) == 1 and script(character) in scripts | {""}:
            kept.add(index)
    return kept


def kept_ids(*groups: Iterable[int]) -> np.ndarray:
    """The ids to keep, ascending, so the kept pieces keep their order (and the special
    pieces at the start of the vocabulary keep their ids)."""
    return np.array(sorted(set().union(*map(set, groups))), dtype=np.int64)


def old_to_new(kept: np.ndarray, size: int) -> np.ndarray:
    """For every old id, its id in the pruned vocabulary; -1 where it was dropped."""
    table = np.full(size, -1, dtype=np.int64)
    table[kept] = np.arange(len(kept))
    return table
