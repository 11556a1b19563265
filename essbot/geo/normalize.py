"""Folding of place names so that every spelling people use meets the official one."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into a base letter plus accents.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o"})
_WORD = re.compile(r"[a-z0-9]+")

# Abbreviations and variant spellings found in addresses and announcements.
_TOKEN_REWRITES = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "lez": "les",  # "Marcq-lez-Lille"; "lès" already folds to "les"
    "mt": "mont",
}
_REWRITTEN = frozenset(_TOKEN_REWRITES)


def _decompose(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Precomputed for the Latin letters French uses, so that the common case is one translate().
_LATIN = str.maketrans({chr(c): _decompose(chr(c)) for c in range(0xC0, 0x250)})


def strip_accents(text: str) -> str:
    """Return `text` without accents or ligatures, case preserved."""
    if text.isascii():
        return text
    text = text.translate(_LATIN)
    return text if text.isascii() else _decompose(text)


def fold_tokens(text: str) -> list[str]:
    """Split `text` into lower-case, accent-free word tokens with abbreviations expanded."""
    words = _WORD.findall(strip_accents(text).lower())
    return [_TOKEN_REWRITES.get(word, word) for word in words]


@lru_cache(maxsize=65536)
def fold_word(word: str) -> tuple[str, ...]:
    """`fold_tokens` of a single word, cached: running text repeats its words."""
    if word.isascii() and word.isalnum():
        lower = word.lower()
        return (_TOKEN_REWRITES.get(lower, lower),)
    return tuple(fold_tokens(word))


def expand_abbreviations(tokens: list[str]) -> list[str]:
    """Folded tokens with abbreviations and variant spellings rewritten: "st" is "saint"."""
    if _REWRITTEN.isdisjoint(tokens):
        return tokens
    return [_TOKEN_REWRITES.get(token, token) for token in tokens]


def fold(text: str) -> str:
    """Fold a name to its lookup key: "Nœux-lès-Mines" gives "noeux les mines"."""
    return " ".join(fold_tokens(text))
