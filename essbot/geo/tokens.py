"""Running text as folded tokens, the way `PlaceResolver.find` reads it.

A token is a word of the text folded as `fold_word` folds it ("Nœux-lès-Mines" gives "noeux",
"les" and "mines"), with the place of that word in the text and whether only spaces, hyphens
or apostrophes separate it from the token before, as they separate the words of one name.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from essbot.geo.normalize import expand_abbreviations, fold_word, strip_accents

# The text is folded in one pass, character for character, so that an offset in the folded
# text is an offset in the text: each character is encoded in cp1252 (the Latin letters of
# French, "’", "–", "€"…), and each byte translated through a table. A word character becomes
# the letter or digit it folds to ("É", "é": "e"), or _UNFOLDED when it folds to no single one
# ("œ", "ß", "_"; outside cp1252, "東" or "ł"): the few words that hold one are folded apart.
# Between words only what joins words matters: characters that join the words of a name
# (spaces, tabs, hyphens, apostrophes) become spaces, a full stop stays, any other is "#".
_UNFOLDED = "\x01"
_JOINERS = " \t-'’‐–"
_WORD_CHARACTER = re.compile(r"\w")
_SPLIT = re.compile(f"([a-z0-9{_UNFOLDED}]+)")  # splits folded text into gaps and words
_UNFOLDED_CHARACTER = re.compile(_UNFOLDED)
_SAINTS = {"saint", "sainte"}


def _folded_character(char: str) -> str:
    """What a character becomes in folded text (see above)."""
    if _WORD_CHARACTER.match(char):
        folded = strip_accents(char).lower()
        return folded if len(folded) == 1 and folded.isascii() and folded.isalnum() else _UNFOLDED
    if char in _JOINERS:
        return " "
    return "." if char == "." else "#"


def _cp1252_character(byte: int) -> str:
    """The character a cp1252 byte stands for."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # five bytes mean nothing in cp1252; no text encodes to them
        return "#"


_FOLDING = bytes(ord(_folded_character(_cp1252_character(byte))) for byte in range(256))


def _outside_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Stand-ins for characters outside cp1252, one each: "_" (a word character that folds
    to no single letter) for a word character, "-" for a hyphen, "#" for anything else."""
    assert isinstance(error, UnicodeEncodeError)
    chars = error.object[error.start : error.end]
    stand_ins = [
        "_" if _WORD_CHARACTER.match(char) else "-" if char in _JOINERS else "#" for char in chars
    ]
    return "".join(stand_ins), error.end


_ERRORS = "essbot.geo.tokens"
codecs.register_error(_ERRORS, _outside_cp1252)


@dataclass(slots=True)
class Tokens:
    """The tokens of `text` as parallel lists: token `i` is `folded[i]`, from the word at
    `starts[i]:ends[i]` (a word may give several tokens, or none: "東京")."""

    text: str
    folded: list[str]
    starts: list[int]
    ends: list[int]
    joins: list[bool]  # whether only spaces, hyphens or apostrophes separate it from the last

    def __len__(self) -> int:
        return len(self.folded)

    def word(self, i: int) -> str:
        """The word token `i` comes from, as written."""
        return self.text[self.starts[i] : self.ends[i]]


def tokenize(text: str) -> Tokens:
    """The folded tokens of running text."""
    folded_text = text.encode("cp1252", _ERRORS).translate(_FOLDING).decode("ascii")
    parts = _SPLIT.split(folded_text)  # gap, word, gap, word, …, gap
    offsets = list(accumulate(map(len, parts), initial=0))
    starts, ends = offsets[1:-1:2], offsets[2:-1:2]
    folded = expand_abbreviations(parts[1::2])
    gaps = parts[:-1:2]  # the gap before each word
    # Gaps repeat (" ", and "# " for ", "): each distinct one is read once.
    distinct = set(gaps)
    joining = {gap for gap in distinct if not gap.strip(" ")}
    joins = list(map(joining.__contains__, gaps))
    # "St. Denis": after "saint" or "sainte", a full stop joins too.
    abbreviated = {gap for gap in distinct if "." in gap and not gap.strip(" .")}
    if abbreviated and not _SAINTS.isdisjoint(folded):
        for i, word in enumerate(folded[:-1]):
            if word in _SAINTS and gaps[i + 1] in abbreviated:
                joins[i + 1] = True
    if joins:
        joins[0] = False  # the first token joins nothing
    tokens = Tokens(text, folded, starts, ends, joins)
    if _UNFOLDED in folded_text:
        _fold_apart(tokens, gaps, folded_text)
    return tokens


def _fold_apart(tokens: Tokens, gaps: list[str], folded_text: str) -> None:
    """Fold with `fold_word` the words holding a character that folds to no single letter,
    putting the tokens they give (none, one or several) in their place."""
    starts = tokens.starts
    found = _UNFOLDED_CHARACTER.finditer(folded_text)
    others = sorted({bisect_right(starts, match.start()) - 1 for match in found})
    pieces = {i: fold_word(tokens.word(i)) for i in others}
    for i, got in pieces.items():
        # The word after: joined as usual after the last token this word gives; after a word
        # that gives none, joined to nothing, since that word stands in between.
        if i + 1 < len(starts):
            tokens.joins[i + 1] = bool(got) and _joins(gaps[i + 1], got[-1])
    for i in reversed(others):
        got = pieces[i]
        tokens.folded[i : i + 1] = got
        tokens.starts[i : i + 1] = [tokens.starts[i]] * len(got)
        tokens.ends[i : i + 1] = [tokens.ends[i]] * len(got)
        tokens.joins[i : i + 1] = [tokens.joins[i]] + [True] * (len(got) - 1) if got else []


def _joins(gap: str, previous: str) -> bool:
    """Whether a folded gap joins a word to the one before, whose last token is `previous`."""
    return not gap.strip(" .") if previous in _SAINTS else not gap.strip(" ")
