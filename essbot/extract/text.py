"""Announcement text as lines: markup removed, bullets recognised, positions kept."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Bullets writers use at the start of list items.
# Bullets, or numbers "1." "2)" followed by a space ("12.03.2025" is a date, not item 12).
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*•·▪◦‣○►▸➢➤✓✔]\s*|\d{1,2}[.)]\s+)(?=\S)")
# Markdown emphasis, even inside a word ("Jeu**di"); single stars only around words.
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of a document, cleaned, with where it stood in the original."""

    number: int  # 1-based line number in the original text
    text: str  # cleaned text, bullet removed
    bullet: bool = False
    depth: int = 0  # indentation of a bullet (0 for the outermost list level)


def clean(text: str) -> str:
    """Remove markdown emphasis and normalise spaces; the words stay as written."""
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[Line]:
    """The document's non-empty lines, cleaned, with bullets and their depth recognised."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.expandtabs(4)
        bullet = _BULLET.match(raw)
        body = raw[bullet.end() :] if bullet else raw
        cleaned = clean(body)
        if not cleaned or _is_noise(cleaned):
            continue
        depth = len(bullet.group("indent")) // 2 if bullet else 0
        lines.append(Line(number, cleaned, bullet is not None, depth))
    return lines


def _is_noise(text: str) -> bool:
    """Lines with no letters or digits ("0.", "***"): layout leftovers."""
    return not any(ch.isalpha() for ch in text) and len(text) <= 3


def fold_same_length(text: str) -> str:
    """Lower case without accents, one character for one, so offsets stay valid."""
    return text.lower().translate(_SINGLE_LETTER)


def _base_letter(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


_SINGLE_LETTER = str.maketrans(
    {ch: _base_letter(ch) for ch in map(chr, range(0xC0, 0x250)) if _base_letter(ch) != ch}
    | {"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-"}
)
