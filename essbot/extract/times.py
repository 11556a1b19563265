"""Times of day: "17h30-20h", "de 14h à 17h", "12h00 à 16h00", "de 10 à 12h00", "à 11h",
"9h30", "14:30", "2pm", "18.30 Uhr", and programme timetables ("9h30 : Ouverture … 16h30 ▶ 17h :
Clôture")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from essbot.extract.text import fold_same_length

# "17h30", "18h", "18 h 30", "14:30" (a colon needs its minutes), "midi", "minuit".
_H = (
    r"(?:(?P<{n}h>[01]?\d|2[0-3])(?:\s*h(?:eures?\b)?\s*(?P<{n}m>[0-5]\d)?"
    r"|(?::|\.(?={uhr}))(?P<{n}c>[0-5]\d)|(?=\s*uhr\b))(?!\d)"
    # "de midi à 14h", but not "le temps du midi" nor "Midi-Pyrénées"
    r"|(?<!du )(?<!le )(?P<{n}n>midi|minuit|noon|midnight)(?:\s*(?P<{n}nm>[0-5]\d))?(?![\w-]))"
)
# "18.30 Uhr", "18.30–20.00 Uhr": a dot between hours and minutes only in German times.
_UHR = r"[0-5]\d(?:\s*[-–]\s*(?:[01]?\d|2[0-3])[.:][0-5]\d)?\s*uhr\b"
_CLOCK = _H.format(n="a", uhr=_UHR)
_CLOCK_END = _H.format(n="b", uhr=_UHR)
_TO = r"\s*(?:-|–|—|/|à|a|au|to|jusqu'a|▶|>|→|➡️?|➜)\s*"
_B = r"(?<![\w:/])"

_DIGIT = re.compile(r"\d|midi|minuit|noon|midnight", re.IGNORECASE)
_SAME_DAY_GAP = 8  # characters between two ranges of one day: " et de ", ", puis "
_RANGE = re.compile(rf"{_B}(?:de\s+|from\s+)?{_CLOCK}{_TO}{_CLOCK_END}")
# "de 10 à 12h00": the first hour without its "h".
_BARE_RANGE = re.compile(
    rf"{_B}(?:de|from)\s+(?P<ah>[01]?\d|2[0-3])(?:[.,](?P<am>[0-5]\d))?{_TO}{_CLOCK_END}"
)
_SINGLE = re.compile(rf"{_B}{_CLOCK}(?![a-z])")
_ENGLISH = re.compile(
    r"(?<![\w:])(?P<ah>1[0-2]|0?[1-9])(?:[:.](?P<am>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?!\w)"
    r"(?:\s*(?:-|to|–)\s*(?P<bh>1[0-2]|0?[1-9])(?::(?P<bm>[0-5]\d))?\s*"
    r"(?P<bp>a\.?m\.?|p\.?m\.?)(?!\w))?"
)


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time or a time range written in a line."""

    start: int
    end: int
    begins: time
    ends: time | None = None


@lru_cache(maxsize=4096)
def find_times(line: str) -> tuple[TimeMention, ...]:
    """Times and time ranges in a line, in order, ranges first where they overlap (cached: a
    reader asks about the same line more than once)."""
    if not _DIGIT.search(line):
        return ()
    folded = fold_same_length(line)
    found: list[TimeMention] = []
    taken = bytearray(len(folded))  # characters already part of a time
    for pattern in (_RANGE, _BARE_RANGE, _ENGLISH, _SINGLE):
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            mention = _build(match)
            if mention is not None:
                found.append(mention)
                taken[start:end] = b"\x01" * (end - start)
    return tuple(sorted(found, key=lambda m: m.start))


def first_range(mentions: Sequence[TimeMention]) -> tuple[time | None, time | None]:
    """Start and end of an event from the times of its text: the first range, else the first
    time alone. Ranges that follow it closely ("de 9h à 12h et de 14h à 17h") extend it to one
    day, 9:00 to 17:00; a later range, or one that goes back in time, is another matter."""
    ranges = [m for m in mentions if m.ends is not None]
    if not ranges:
        return (mentions[0].begins, None) if mentions else (None, None)
    first = last = ranges[0]
    for following in ranges[1:]:
        assert last.ends is not None
        if following.begins >= last.ends and following.start - last.end <= _SAME_DAY_GAP:
            last = following
        else:
            break
    return first.begins, last.ends


def timetable_span(mentions: Sequence[TimeMention]) -> tuple[time | None, time | None]:
    """Start and end of a programme from its timetable: the first time to the last one."""
    if not mentions:
        return None, None
    first = mentions[0].begins
    last = mentions[-1].ends or mentions[-1].begins
    return first, (last if last != first else None)


def starts_with_time(line: str) -> bool:
    """Whether a line opens with a time, as the lines of a timetable do ("10h45 ▶ 12h : …")."""
    mentions = find_times(line[:20])
    return bool(mentions) and mentions[0].start == 0


def _build(match: re.Match[str]) -> TimeMention | None:
    groups = match.groupdict()
    begins = _clock(
        groups["ah"] or _NAMED_HOURS.get(groups.get("an") or ""),
        groups.get("am") or groups.get("ac") or groups.get("anm"),
        groups.get("ap"),
    )
    ends = _clock(
        groups.get("bh") or _NAMED_HOURS.get(groups.get("bn") or ""),
        groups.get("bm") or groups.get("bc") or groups.get("bnm"),
        groups.get("bp") or groups.get("ap"),
    )
    if begins is None or _is_duration(match):
        return None
    if ends is not None and ends <= begins and not _crosses_midnight(begins, ends):
        return None
    return TimeMention(match.start(), match.end(), begins, ends)


def _crosses_midnight(begins: time, ends: time) -> bool:
    """ "de 21h à 1h": an evening that ends after midnight."""
    return begins.hour >= _EVENING and ends.hour <= _SMALL_HOURS


def _is_duration(match: re.Match[str]) -> bool:
    """ "pendant 2 heures", "d'une durée de 3 heures": how long, not when."""
    if "heure" not in match.group():
        return False
    before = match.string[max(0, match.start() - 12) : match.start()]
    hour = int(match["ah"] or 0)
    return hour <= _LONGEST_DURATION and _DURATION_BEFORE.search(before) is not None


_LONGEST_DURATION = 8
_EVENING, _SMALL_HOURS = 18, 6
_DURATION_BEFORE = re.compile(r"(?:pendant|durant|en|sur|environ|duree de)\s*$")
_NAMED_HOURS = {"midi": "12", "noon": "12", "minuit": "0", "midnight": "0"}


def _clock(hour: str | None, minute: str | None, meridiem: str | None = None) -> time | None:
    if hour is None:
        return None
    meridiem = meridiem.replace(".", "") if meridiem else None
    h = int(hour)
    if meridiem == "pm" and h < 12:
        h += 12
    elif meridiem == "am" and h == 12:
        h = 0
    return time(h, int(minute) if minute else 0) if h < 24 else None
