"""Patterns that skip texts which cannot hold them.

Python's `re` scans a pattern that opens with an optional group, a lookbehind or `\\b` by
trying it at every character, which costs far more than looking for a plain substring. Most
of the extractor's patterns need one of a few words ("annulé", "même", "date…"), so a text
that holds none of them is answered at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable


class Gated:
    """A compiled pattern that can match only texts holding one of its `hints` (lower case,
    as `str.lower` writes them)."""

    __slots__ = ("hints", "pattern")

    def __init__(self, pattern: str, hints: tuple[str, ...], flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags)
        self.hints = hints

    def may_match(self, text: str) -> bool:
        """Whether the text holds one of the hints; when it does not, the pattern cannot
        match."""
        return holds_any(text.lower(), self.hints)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.pattern.sub(replacement, text) if self.may_match(text) else text


def holds_any(lower: str, hints: tuple[str, ...]) -> bool:
    """Whether a lower-case text holds one of `hints`: the test `Gated` makes, for a caller
    that has the lower-case text already."""
    return any(hint in lower for hint in hints)
