"""Dates as French (and English) writers put them: "Mardi 27 Septembre", "le 1er mars",
"21/06", "du 7 au 11 novembre", "les 12 et 13 septembre", "demain mercredi", "June 26, 2013".

Years are often missing; they are inferred later (see years.py). Patterns run on text folded
to lower case without accents (text.fold_same_length), so offsets match the original line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from essbot.extract.text import CuedPattern, fold_same_length, without_overlaps

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5,
    "dim": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
RELATIVE_DAYS = {"aujourd'hui": 0, "ce jour": 0, "today": 0, "demain": 1, "tomorrow": 1,
                 "apres-demain": 2}  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_FRENCH_ONLY = {
    "janvier", "janv", "fevrier", "fevr", "fev", "mars", "avril", "avr", "mai", "juin", "juillet",
    "juil", "aout", "septembre", "octobre", "novembre", "decembre",
}  # fmt: skip
# Full weekday names, and their abbreviations ("mer.", "Sam") when a day number follows.
_WEEKDAY = "|".join(sorted((w for w in WEEKDAYS if len(w) > 3), key=len, reverse=True))
_WEEKDAY = rf"(?:{_WEEKDAY}|(?:{'|'.join(w for w in WEEKDAYS if len(w) == 3)})\.?(?=\s*\d))"
_DAY = r"(?:1er|1re|[12]\d|3[01]|0?[1-9])(?:er|re|e|eme|st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_B = r"(?<![\w/])"  # no letter, digit or slash just before
_E = r"(?![\w/])"

# Each rule is searched from its cue (see text.CuedPattern): a day number and what follows it,
# found at once, and the few words a match may have before it ("mardi, le", "du mercredi"). A
# day number is a whole word in every rule ("12", "1er"), so cues take whole words and spaces
# (possessive `*+`, `++`: no backtracking into them).
_DAY_START = r"[0-9](?<![\w/][0-9])"  # a digit after no letter, digit or slash
_DAY_CUE = rf"{_DAY_START}\d?+[a-z]*+"
_TEXTUAL = CuedPattern(
    rf"{_B}(?:(?P<wd>{_WEEKDAY})[\s,]+(?:le\s+)?)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?"
    rf"(?P<m>{_MONTH})\.?(?:[\s,]+(?P<y>{_YEAR}))?{_E}",
    cues=[rf"{_DAY_CUE}\s++(?:of\s++)?(?:{_MONTH})"],
    words_before=3,  # "mardi, le the"
)

_ENGLISH_MONTH = "|".join(
    sorted((m for m in MONTHS if m.isascii() and m not in _FRENCH_ONLY), key=len, reverse=True)
)
# "June 26, 2013" — English month names only: "En juin 12 structures…" is no date.
_ENGLISH = CuedPattern(
    rf"{_B}(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<m>{_ENGLISH_MONTH})\.?\s+(?P<d>{_DAY})"
    rf"(?:,?\s+(?P<y>{_YEAR}))?{_E}",
    cues=[rf"(?:{_ENGLISH_MONTH})\.?\s++[0-9]"],
    words_before=1,  # "Monday,"
)
_NUMERIC = CuedPattern(
    rf"{_B}(?:(?P<wd>{_WEEKDAY})[\s,]+(?:le\s+)?)?(?P<d>[12]\d|3[01]|0?[1-9])/"
    rf"(?P<m>1[0-2]|0?[1-9])(?:/(?P<y>(?:19|20)?\d{{2}}))?{_E}"
    # "12.03.2026", "12-03-2026": with dots or dashes, only with the year in full
    rf"|{_B}(?:(?P<wd_>{_WEEKDAY})[\s,]+(?:le\s+)?)?(?P<d_>[12]\d|3[01]|0?[1-9])(?P<sep>[.-])"
    rf"(?P<m_>1[0-2]|0?[1-9])(?P=sep)(?P<y_>(?:19|20)\d{{2}})(?![\w.-]?\d)",
    cues=[rf"{_DAY_START}\d?+[/.-][0-9]"],
    words_before=2,  # "mardi le"
)
_RANGE = CuedPattern(
    rf"{_B}(?:du|from)\s+(?:(?P<wd>{_WEEKDAY})\s+)?(?P<d>{_DAY})(?:\s+(?P<m>{_MONTH}))?"
    rf"(?:\s+(?P<y>{_YEAR}))?\s+(?:au|to|-)\s+(?:(?P<wd2>{_WEEKDAY})\s+)?(?P<d2>{_DAY})\s+"
    rf"(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}))?{_E}"
    # "24-25 novembre", "les 12-13 septembre"
    rf"|{_B}(?:les\s+)?(?P<hd>{_DAY})\s*[-–]\s*(?P<hd2>{_DAY})\s+(?P<hm2>{_MONTH})"
    rf"(?:\s+(?P<hy2>{_YEAR}))?{_E}",
    # the first day, its month and year if written, "au" or a dash, a weekday, the last day
    cues=[
        rf"{_DAY_CUE}(?:\s*+[-–]\s*+[0-9]|(?:\s++\w++){{0,2}}\s++(?:au|to|-)\s++(?:[a-z]++\.?+\s++)?+[0-9])"
    ],
    words_before=2,  # "du mardi"
)
# "du 16/11 au 18/11", "16/11 - 18/11/2023", "du 16 au 18/11"
_NUMERIC_RANGE = CuedPattern(
    rf"{_B}(?:(?:du|from)\s+)?(?:(?P<wd>{_WEEKDAY})\s+)?(?P<d>[12]\d|3[01]|0?[1-9])"
    rf"(?:/(?P<m>1[0-2]|0?[1-9])(?:/(?P<y>(?:19|20)\d{{2}}))?)?\s*(?:au|to|-|–)\s*"
    rf"(?:(?P<wd2>{_WEEKDAY})\s+)?(?P<d2>[12]\d|3[01]|0?[1-9])/(?P<m2>1[0-2]|0?[1-9])"
    rf"(?:/(?P<y2>(?:19|20)\d{{2}}))?{_E}",
    cues=[rf"{_DAY_START}[\d/]*+\s*+(?:au|to|-|–)\s*+(?:[a-z]++\.?+\s++)?+[0-9]\d?/"],
    words_before=2,  # "du mardi"
)
_PAIR = CuedPattern(
    rf"{_B}(?:les\s+)?(?:(?P<wd>{_WEEKDAY})\s+)?(?P<d>{_DAY})(?P<mid>(?:,\s*{_DAY})*)\s+(?:et|and|&)\s+"
    rf"(?:(?P<wd2>{_WEEKDAY})\s+)?(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}))?{_E}",
    cues=[rf"{_DAY_CUE}(?:,\s*+{_DAY_CUE})*+\s++(?:et|and|&)\s++(?:[a-z]++\.?+\s++)?+[0-9]"],
    words_before=2,  # "les mardi"
)
# A date needs a digit, or a word such as "demain" as written here.
_MAY_HOLD_A_DATE = re.compile(r"\d|demain|aujourd|today|tomorrow", re.IGNORECASE)
_DAY_NUMBER = re.compile(r"[0-9]")  # every day number begins with one
_NUMBER = re.compile(r"\d+")
_INTRODUCED = re.compile(r"\b(?:le|du|au|on)\s*$")
_RELATIVE = CuedPattern(
    rf"{_B}(?P<rel>aujourd'hui|apres-demain|demain|today|tomorrow)"
    rf"(?:\s+(?P<wd>{_WEEKDAY}))?{_E}",
    cues=["aujourd'hui", "apres-demain", "demain", "today", "tomorrow"],
    words_before=0,  # a match begins with its word
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in a line; `end_*` is set for ranges ("du 7 au 11 novembre")."""

    start: int
    end: int
    day: int
    month: int
    year: int | None = None
    weekday: int | None = None  # 0 = Monday, as written next to the date
    end_day: int | None = None
    end_month: int | None = None
    end_year: int | None = None
    relative: int | None = None  # days after the document's own date ("demain": 1)
    more_days: tuple[int, ...] = ()  # "les 5, 12 et 19 mars": the same event on other days

    @property
    def is_range(self) -> bool:
        """Whether the mention covers several days."""
        return self.end_day is not None

    def on(self, year: int) -> date | None:
        """The date in a given year, or None if it does not exist (30 February)."""
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None

    def end_on(self, year: int) -> date | None:
        """The last day of a range whose first day falls in `year`."""
        if self.end_day is None or self.end_month is None:
            return None
        end_year = self.end_year or (year + 1 if self.end_month < self.month else year)
        try:
            return date(end_year, self.end_month, self.end_day)
        except ValueError:
            return None


# A rule's builder makes the date of a match, or None if the match is no date after all.
_Build = Callable[[re.Match[str]], DateMention | None]


def find_dates(line: str) -> list[DateMention]:
    """Every date written in a line, in order, none overlapping another."""
    folded = fold_same_length(line)
    relative = _names_a_relative_day(folded)
    if _DAY_NUMBER.search(line):
        rare = _RARE_CUES.search(folded) is not None
        english = _ENGLISH_BACKWARDS.search(folded[::-1]) is not None
        rules = _RULES[rare, english, relative]
    elif relative and _MAY_HOLD_A_DATE.search(line):
        rules = ((_RELATIVE, _relative),)  # without a day number, only "demain" and the like
    else:
        return []
    return without_overlaps(len(folded), ((rule.finditer(folded), build) for rule, build in rules))


def _names_a_relative_day(folded: str) -> bool:
    """Whether `_RELATIVE` may match: "demain", "aujourd'hui" and the like are written."""
    return (
        "demain" in folded or "aujourd'hui" in folded or "today" in folded or "tomorrow" in folded
    )


def resolve_relative(mention: DateMention, today: date) -> date:
    """The date of "demain" and the like, counted from the document's own date."""
    return today + timedelta(days=mention.relative or 0)


def _day(text: str) -> int:
    return int(_NUMBER.match(text).group())  # type: ignore[union-attr]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _weekday(text: str | None) -> int | None:
    return WEEKDAYS[text.rstrip(".")] if text else None


def _textual(match: re.Match[str]) -> DateMention | None:
    weekday, day, month, year = match.group("wd", "d", "m", "y")
    return DateMention(
        match.start(), match.end(), _day(day), MONTHS[month], _year(year), _weekday(weekday)
    )


def _numeric_range(match: re.Match[str]) -> DateMention | None:
    """ "du 16/11 au 18/11": a bare "16 au 18/11" needs its "du"."""
    if match["m"] is None and not match.group().lower().startswith(("du", "from")):
        return None
    end_month = int(match["m2"])
    month = int(match["m"]) if match["m"] else end_month
    return _span(match, int(match["d"]), month, int(match["d2"]), end_month)


def _numeric(match: re.Match[str]) -> DateMention | None:
    if match["d_"]:  # "12.03.2026"
        return DateMention(
            match.start(),
            match.end(),
            int(match["d_"]),
            int(match["m_"]),
            int(match["y_"]),
            _weekday(match["wd_"]),
        )
    # "21/06" or "le 8/11" are dates; a bare "24/7" or "1/2" is not.
    before = match.string[max(0, match.start() - 4) : match.start()]
    written_out = len(match["d"]) == 2 and len(match["m"]) == 2
    introduced = _INTRODUCED.search(before) is not None
    alone = match.string.strip() == match.group()
    if not (match["wd"] or match["y"] or written_out or introduced or alone):
        return None
    return DateMention(
        match.start(),
        match.end(),
        int(match["d"]),
        int(match["m"]),
        _year(match["y"]),
        _weekday(match["wd"]),
    )


def _range(match: re.Match[str]) -> DateMention | None:
    if match["hd"]:  # "24-25 novembre"
        month = MONTHS[match["hm2"]]
        day, end_day = _day(match["hd"]), _day(match["hd2"])
        year = _year(match["hy2"])
        if end_day <= day:
            return None
        return DateMention(match.start(), match.end(), day, month, year, None, end_day, month, year)
    end_month = MONTHS[match["m2"]]
    month = MONTHS[match["m"]] if match["m"] else end_month
    return _span(match, _day(match["d"]), month, _day(match["d2"]), end_month)


def _span(
    match: re.Match[str], day: int, month: int, end_day: int, end_month: int
) -> DateMention | None:
    """A range from its first and last days; the years are the match's "y" and "y2"."""
    if month == end_month and end_day <= day:
        return None
    year, end_year = _year(match["y"]), _year(match["y2"])
    if year is None and end_year is not None:
        # "du 30 décembre au 2 janvier 2026": the year written is the end's.
        year = end_year - 1 if (end_month, end_day) < (month, day) else end_year
    return DateMention(
        match.start(),
        match.end(),
        day,
        month,
        year,
        _weekday(match["wd"]),
        end_day,
        end_month,
        end_year,
    )


def _pair(match: re.Match[str]) -> DateMention | None:
    """ "les 12 et 13 septembre" is one event on two days; "les 5, 12 et 19 mars" is the same
    event on three separate days."""
    month = MONTHS[match["m2"]]
    days = [_day(match["d"]), *(_day(d) for d in _NUMBER.findall(match["mid"] or "")),
            _day(match["d2"])]  # fmt: skip
    if any(later <= earlier for earlier, later in itertools.pairwise(days)):
        return None
    year = _year(match["y2"])
    weekday = _weekday(match["wd"])
    if all(later == earlier + 1 for earlier, later in itertools.pairwise(days)):
        return DateMention(
            match.start(), match.end(), days[0], month, year, weekday, days[-1], month, year
        )
    return DateMention(
        match.start(), match.end(), days[0], month, year, weekday, more_days=tuple(days[1:])
    )


def _relative(match: re.Match[str]) -> DateMention | None:
    before = match.string[: match.start()]
    if before.count("«") > before.count("»") or before.count('"') % 2:
        return None  # « Demain », a film's title
    return DateMention(
        match.start(),
        match.end(),
        0,
        0,
        weekday=_weekday(match["wd"]),
        relative=RELATIVE_DAYS[match["rel"]],
    )


# The rules in order: where two find a date at the same place, the first wins.
_PATTERNS: tuple[tuple[CuedPattern, _Build], ...] = (
    (_RANGE, _range),
    (_PAIR, _pair),
    (_TEXTUAL, _textual),
    (_ENGLISH, _textual),
    (_NUMERIC_RANGE, _numeric_range),
    (_NUMERIC, _numeric),
    (_RELATIVE, _relative),
)
# Ranges, pairs and numeric dates are rare: one search for their cues tells whether to try them.
# Each of these cues is `_DAY_START` then the rest: `re` looks for the rest of each once it has
# found a day number.
_RARE = (_RANGE, _PAIR, _NUMERIC_RANGE, _NUMERIC)
_RARE_CUES = re.compile(
    _DAY_START
    + f"(?:{'|'.join(cue.pattern.removeprefix(_DAY_START) for r in _RARE for cue in r.cues)})"
)
# English dates are rare too. They write the month before the day ("June 26"): in the line read
# backwards, their cue begins with the day's digit, which `re` finds at once.
_ENGLISH_BACKWARDS = re.compile(
    rf"[0-9]\s++\.?(?:{'|'.join(month[::-1] for month in _ENGLISH_MONTH.split('|'))})"
)
# The rules to try, by whether a line holds rare cues, an English cue, a relative day.
_RULES = {
    (rare, english, relative): tuple(
        (rule, build)
        for rule, build in _PATTERNS
        if (rare or rule not in _RARE)
        and (english or rule is not _ENGLISH)
        and (relative or rule is not _RELATIVE)
    )
    for rare, english, relative in itertools.product((False, True), repeat=3)
}
