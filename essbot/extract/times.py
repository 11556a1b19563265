"""Times of day: "17h30-20h", "de 14h à 17h", "12h00 à 16h00", "de 10 à 12h00", "à 11h",
"9h30", "14:30", "2pm", "18.30 Uhr", and programme timetables ("9h30 : Ouverture … 16h30 ▶ 17h :
Clôture")."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from essbot.extract.text import CuedPattern, fold_same_length, without_overlaps

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

# Each rule is searched from its cues (see text.CuedPattern): an hour and what follows it, found
# at once, and the word a match may have before it ("de"). The cues look for ASCII digits: a
# line with other digits ("٣h") is left to the rules' own patterns.
_HOUR_START = r"[0-9](?<![\w:/][0-9])"  # a digit after no letter, digit, colon or slash
_NAMED_HOUR = "midi|minuit|noon|midnight"
# "à" or a dash, then the next clock. Each hour and minutes are whole numbers, and spaces are
# taken whole (possessive `?+`, `*+`: no backtracking into them).
_TO_CUE = rf"\s*+(?:-|–|—|/|à|au?|to|jusqu'a|▶|>|→|➡️?|➜)\s*+(?:\d|{_NAMED_HOUR})"
_RANGE = CuedPattern(
    rf"{_B}(?:de\s+|from\s+)?{_CLOCK}{_TO}{_CLOCK_END}",
    # an hour, its minutes, "à" or a dash, the next hour
    cues=[rf"{_HOUR_START}\d?+(?:\s*+h(?:eures?+)?+\s*+(?:\d\d)?+|[:.]\d\d)?+{_TO_CUE}"],
    words_before=1,
)
# "de 10 à 12h00": the first hour without its "h".
_BARE_RANGE = CuedPattern(
    rf"{_B}(?:de|from)\s+(?P<ah>[01]?\d|2[0-3])(?:[.,](?P<am>[0-5]\d))?{_TO}{_CLOCK_END}",
    cues=[rf"{_HOUR_START}\d?+(?:[.,]\d\d)?+{_TO_CUE}"],
    words_before=1,
)
_ENGLISH = CuedPattern(
    r"(?<![\w:])(?P<ah>1[0-2]|0?[1-9])(?:[:.](?P<am>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?!\w)"
    r"(?:\s*(?:-|to|–)\s*(?P<bh>1[0-2]|0?[1-9])(?::(?P<bm>[0-5]\d))?\s*"
    r"(?P<bp>a\.?m\.?|p\.?m\.?)(?!\w))?",
    cues=[r"[0-9](?<![\w:][0-9])\d?+(?:[:.]\d\d)?+\s*+[ap]\.?m"],  # after a slash too: "1/2pm"
    words_before=0,
)
_SINGLE = CuedPattern(
    rf"{_B}{_CLOCK}(?![a-z])",
    cues=[rf"{_HOUR_START}\d?+(?:\s*+(?:h|uhr)|[:.]\d)"],  # an hour, then "h", ":30", ".30", "Uhr"
    words_before=0,
)
# The rules in order: ranges first where they overlap.
_RULES = (_RANGE, _BARE_RANGE, _ENGLISH, _SINGLE)
# The same in a line that names an hour ("de midi à 14h"), where a clock may be a word.
_RULES_WITH_NAMED_HOURS = (
    _RANGE.with_cues(rf"(?:{_NAMED_HOUR})(?:\s*+\d\d)?+{_TO_CUE}"),
    _BARE_RANGE,
    _ENGLISH,
    _SINGLE.with_cues(_NAMED_HOUR),
)
# Otherwise searches first tell which rules may find anything. Every time ends with a clock whose
# hour is followed by "h", ":30", ".30", "Uhr" or "pm" (the last clock of a range too: "de 10 à
# 12h"). Ranges and English times are less common than single times, bare first hours and
# English times rarer still.
_ANY_CUE = re.compile(r"[0-9]\d?+(?:\s*+(?:h|uhr|[ap]\.?m)|[:.]\d)")
_RANGE_CUES = re.compile("|".join(cue.pattern for rule in _RULES[:-1] for cue in rule.cues))
_RARE_CUES = re.compile("|".join(cue.pattern for rule in _RULES[1:-1] for cue in rule.cues))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


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
    folded = fold_same_length(line)
    named = _names_an_hour(folded)
    if named and not _DIGIT.search(line):
        return ()  # a time needs a digit, or "midi" and the like (the cues find no digit here)
    finders: list[Iterator[re.Match[str]]]
    if not folded.isascii() and any(ch.isdecimal() for ch in _NON_ASCII.findall(folded)):
        # An hour in other digits ("٣h"): the cues look for ASCII digits only.
        finders = [rule.pattern.finditer(folded) for rule in _RULES]
    elif named:
        finders = [rule.finditer(folded) for rule in _RULES_WITH_NAMED_HOURS]
    elif not _ANY_CUE.search(folded):
        return ()
    elif not _RANGE_CUES.search(folded):
        finders = [_SINGLE.finditer(folded)]
    elif not _RARE_CUES.search(folded):
        finders = [_RANGE.finditer(folded), _SINGLE.finditer(folded)]
    else:
        finders = [rule.finditer(folded) for rule in _RULES]
    return tuple(without_overlaps(len(folded), ((matches, _build) for matches in finders)))


def _names_an_hour(folded: str) -> bool:
    """Whether a clock may be a word: "midi", "minuit" and the like are written."""
    return "midi" in folded or "minuit" in folded or "noon" in folded or "midnight" in folded


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
    group = match.groupdict().get  # the rules name their groups alike, and not all have all
    begins = _clock(
        group("ah") or _NAMED_HOURS.get(group("an") or ""),
        group("am") or group("ac") or group("anm"),
        group("ap"),
    )
    if begins is None or _is_duration(match):
        return None
    ends = None
    end_hour = group("bh") or _NAMED_HOURS.get(group("bn") or "")
    if end_hour is not None:  # a range
        minute = group("bm") or group("bc") or group("bnm")
        ends = _clock(end_hour, minute, group("bp") or group("ap"))
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
    h = int(hour)
    if meridiem:
        meridiem = meridiem.replace(".", "")
        if meridiem == "pm" and h < 12:
            h += 12
        elif meridiem == "am" and h == 12:
            h = 0
    return time(h, int(minute) if minute else 0) if h < 24 else None
