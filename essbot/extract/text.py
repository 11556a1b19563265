"""Announcement text as lines: markup removed, bullets recognised, positions kept; and patterns
found from a cue, for the rules that read dates and times in those lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

# Bullets writers use at the start of list items.
# Bullets, or numbers "1." "2)" followed by a space ("12.03.2025" is a date, not item 12).
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*•·▪◦‣○►▸➢➤✓✔]\s*|\d{1,2}[.)]\s+)(?=\S)")
# Markdown emphasis, even inside a word ("Jeu**di"); single stars only around words: one that
# begins a word (no letter or star before it), or ends one. Each alternative begins with its
# star or underscore, which `re` looks for at once; the lookbehinds look back past it.
_EMPHASIS = re.compile(r"\*\*|__|\*(?<![\w*]\*)(?=\w)|\*(?<=\w\*)(?![\w*])")
_SPACE = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
# Runs of spaces, written as one space then more: `re` looks for a pattern's first character at
# once, but not for a repeated one.
_SPACES = re.compile(f"{_SPACE}{_SPACE}*")
# What `_SPACES` would change: a space other than " ", or several in a row. Most lines have
# neither, and are left as they are without rebuilding them.
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of a document, cleaned, with where it stood in the original."""

    number: int  # 1-based line number in the original text
    text: str  # cleaned text, bullet removed
    bullet: bool = False
    depth: int = 0  # indentation of a bullet (0 for the outermost list level)


def clean(text: str) -> str:
    """Remove markdown emphasis and normalise spaces; the words stay as written."""
    if "*" in text or "__" in text:
        text = _EMPHASIS.sub("", text)
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    return text.strip()


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
    return len(text) <= 3 and not any(ch.isalpha() for ch in text)


def fold_same_length(text: str) -> str:
    """Lower case without accents, one character for one, so offsets stay valid."""
    if text.isascii():
        return text.lower()
    latin = text.encode("latin-1", "ignore")
    if len(latin) < len(text):
        # Typographic apostrophes and dashes are the usual characters beyond Latin-1. They fold
        # to ASCII ones, which lower() treats alike (even next to a Greek capital sigma), so they
        # may be replaced before the rest.
        for mark, ascii_mark in _MARKS.items():
            if mark in text:
                text = text.replace(mark, ascii_mark)
        latin = text.encode("latin-1", "ignore")
        if len(latin) < len(text):
            return _fold(text)  # "œ", emoji…
    # Latin-1 characters each fold to one Latin-1 character, looked up in a table of bytes.
    return latin.translate(_LATIN1_FOLDED).decode("latin-1")


def _fold(text: str) -> str:
    """`fold_same_length` for any text."""
    folded = text.lower()
    # Each accented letter present is replaced everywhere at once: a text holds few different
    # ones, and `replace` is much faster than looking every character up in a table.
    for accented in set(_FOLDABLE.findall(folded)):
        folded = folded.replace(accented, _SINGLE_LETTER[accented])
    return folded


def _base_letter(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


# Typographic apostrophes and dashes -> ASCII ones.
_MARKS = {"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-"}
# Accented letter -> base letter, and the marks. No replacement is itself replaced, so the order
# of replacements does not matter.
_SINGLE_LETTER = {
    ch: _base_letter(ch) for ch in map(chr, range(0xC0, 0x250)) if _base_letter(ch) != ch
} | _MARKS
_FOLDABLE = re.compile(f"[{''.join(map(re.escape, _SINGLE_LETTER))}]")
# Each Latin-1 character folds to one Latin-1 character (bytes() would refuse anything else).
_LATIN1_FOLDED = bytes(ord(_fold(chr(code))) for code in range(256))


class CuedPattern:
    """A pattern searched from its cues: parts of every match that `re` finds at once.

    The rules for dates and times begin with a lookbehind and optional words ("mardi, le",
    "de"), which gives `re` nothing to look for: `finditer` tries the whole pattern at every
    character. A cue begins with a character set or a literal (a digit, "midi"), which `re` skips
    to directly. Every match holds a cue after at most `words_before` of its words (runs of
    characters between white space and commas); with none, the match begins with its cue. The
    pattern is then tried from those words before the first cue only, and `finditer` gives
    exactly the matches of `pattern.finditer`, in a fraction of the time.
    """

    def __init__(self, pattern: str, cues: Sequence[str], words_before: int) -> None:
        self.pattern = re.compile(pattern)
        self.cues = tuple(re.compile(cue) for cue in cues)
        self.words_before = words_before

    def with_cues(self, *cues: str) -> CuedPattern:
        """The same pattern, with more cues: for texts where more kinds of matches may be."""
        return CuedPattern(
            self.pattern.pattern, [*(cue.pattern for cue in self.cues), *cues], self.words_before
        )

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of the pattern in `text`, as `re.finditer` gives them."""
        pos = 0  # matches start here or later, as after a match in `re.finditer`
        while True:
            first_cue = None
            for cue in self.cues:
                hit = cue.search(text, pos)
                if hit is not None and (first_cue is None or hit.start() < first_cue):
                    first_cue = hit.start()
            if first_cue is None:
                return
            if self.words_before == 0:
                # A match begins with its cue: try there, then from the next cue on.
                match = self.pattern.match(text, first_cue)
                if match is None:
                    pos = first_cue + 1
                    continue
            else:
                # A match that began before the `words_before` words leading to the first cue
                # would have more words than that before any cue it holds: none does. The next
                # match is found by searching from there.
                match = self.pattern.search(text, self._words_back(text, pos, first_cue))
                if match is None:
                    return
            yield match
            pos = match.end()

    def _words_back(self, text: str, pos: int, cue: int) -> int:
        """Where the last `words_before` words before `cue` begin, or before (not before pos)."""
        words = text[pos:cue].replace(",", " ").rsplit(None, self.words_before)
        return pos + len(words[0]) if len(words) > self.words_before else pos


class _Positioned(Protocol):
    @property
    def start(self) -> int: ...


_M = TypeVar("_M", bound=_Positioned)


def without_overlaps(
    length: int,
    rules: Iterable[tuple[Iterable[re.Match[str]], Callable[[re.Match[str]], _M | None]]],
) -> list[_M]:
    """The mentions that rules find in a text of `length` characters, in order of position.

    Each rule gives its matches and the builder that makes a mention of one (or None: not one
    after all). Rules are tried in order, and a match that overlaps a mention already made is
    passed over: the earlier rule wins ("du 7 au 11 novembre" is one range, not two dates).
    """
    found: list[_M] = []
    taken = bytearray(length)  # characters already part of a mention
    for matches, build in rules:
        for match in matches:
            start, end = match.span()
            if taken.find(1, start, end) >= 0:
                continue
            mention = build(match)
            if mention is not None:
                found.append(mention)
                taken[start:end] = b"\x01" * (end - start)
    if len(found) > 1:
        found.sort(key=lambda mention: mention.start)
    return found
