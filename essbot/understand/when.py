"""When a question asks about: "ce week-end", "en novembre", "le 5 octobre", "next month"…

Every rule reads the question folded (lower case, no accents, typographic marks made ASCII) and
gives a window of local dates, both ends included; an open end is None. A question with no
time words asks about what is upcoming: from today on.

dateparser reads counted delays ("dans 3 jours", "in 2 weeks") correctly and is used for them.
It gets other common phrases wrong (with dateparser 1.x, "ce week-end" and "jeudi prochain" give
None, "en novembre" gives November of next year even in October), so those have rules here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from essbot.extract.dates import MONTHS, WEEKDAYS, DateMention, find_dates
from essbot.extract.text import fold_same_length


@dataclass(frozen=True, slots=True)
class Window:
    """Local dates from `start` to `end`, both included; None is open. `said` is the phrase
    the window was read from, empty for the default window ("upcoming")."""

    start: date | None
    end: date | None
    said: str = ""


_FULL_WEEKDAYS = {name: day for name, day in WEEKDAYS.items() if len(name) > 3}
_FULL_MONTHS = {name: month for name, month in MONTHS.items() if len(name) > 3 or name == "mai"}
_WEEKDAY = "|".join(_FULL_WEEKDAYS)
_MONTH = "|".join(sorted(_FULL_MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "dix": 10, "quinze": 15, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "ten": 10, "fifteen": 15, "a": 1,
}  # fmt: skip
_COUNT = rf"(\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})"
_DAYS = r"(jours?|days?|semaines?|weeks?|mois|months?)"


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])")


# Phrases naming a window of their own, most specific first.
_TODAY = _rule(r"aujourd'hui|aujourdhui|ce jour|today|ce soir|tonight|this evening|cet apres-midi")
_TOMORROW = _rule(r"demain|tomorrow")
_AFTER_TOMORROW = _rule(r"apres-demain|apres demain|the day after tomorrow")
_WEEKEND = _rule(r"(?:ce|le|this|the)\s+(?:week-?end|we)|weekend|week-end")
_NEXT_WEEKEND = _rule(r"(?:le\s+)?week-?end\s+prochain|next\s+weekend")
_THIS_WEEK = _rule(r"cette\s+semaine|this\s+week")
_NEXT_WEEK = _rule(r"(?:la\s+)?semaine\s+prochaine|next\s+week")
_THIS_MONTH = _rule(r"ce\s+mois(?:-ci)?|this\s+month")
_NEXT_MONTH = _rule(r"(?:le\s+)?mois\s+prochain|next\s+month")
_THIS_YEAR = _rule(r"cette\s+annee|this\s+year")
_END_OF = _rule(
    r"(?:d'ici|jusqu'a|avant|by|until|before)\s+(?:la\s+|the\s+)?(?:fin|end)\s+"
    r"(?:du\s+|de\s+la\s+|de\s+l'|of\s+the\s+|of\s+)?(mois|semaine|annee|month|week|year)"
)
_WITHIN = _rule(
    rf"(?:dans\s+les|d'ici|sous|within|in\s+the\s+next|over\s+the\s+next|the\s+next|"
    rf"next|les|au\s+cours\s+des)\s+{_COUNT}\s+(?:prochains?\s+|prochaines?\s+|coming\s+)?"
    rf"{_DAYS}(?:\s+(?:a\s+venir|qui\s+viennent|prochains?|prochaines?|to\s+come))?"
)
_DELAY = _rule(rf"(?:dans|in)\s+{_COUNT}\s+{_DAYS}")
_NEXT_WEEKDAY = _rule(rf"(?:({_WEEKDAY})\s+prochain|next\s+({_WEEKDAY})|this\s+({_WEEKDAY}))")
_WEEKDAY_ALONE = _rule(rf"(?:ce\s+|le\s+|on\s+)?({_WEEKDAY})(?:\s+soir|\s+matin)?")
_IN_MONTH = _rule(rf"(?:(?:en|in|au\s+mois\s+de|during|pour|for)\s+)?({_MONTH})(?:\s+(\d{{4}}))?")
# Month names that are also words or places ("Mars" is a commune, "march" a verb) count only
# after "en", "in"…
_AMBIGUOUS_MONTHS = {"mars", "march", "august"}
_YEAR = _rule(r"(?:en|in)\s+(20\d\d)")


def read_window(text: str, today: date) -> Window:
    """The window of dates a question asks about, relative to `today` (the user's local date);
    from today on when it says no time."""
    folded = fold_same_length(text)
    for read in _READERS:
        window = read(folded, today)
        if window is not None:
            return window
    return Window(today, None)


def _day(folded: str, today: date) -> Window | None:
    for pattern, days in ((_AFTER_TOMORROW, 2), (_TOMORROW, 1), (_TODAY, 0)):
        match = pattern.search(folded)
        if match:
            day = today + timedelta(days=days)
            return Window(day, day, match.group())
    return None


def _weekend(folded: str, today: date) -> Window | None:
    nxt = _NEXT_WEEKEND.search(folded)
    match = nxt or _WEEKEND.search(folded)
    if match is None:
        return None
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if today.weekday() == 6:  # on Sunday, "ce week-end" is today
        return Window(today, today, match.group())
    if nxt is not None:
        saturday += timedelta(days=7)
    start = max(today, saturday)
    return Window(start, saturday + timedelta(days=1), match.group())


def _week(folded: str, today: date) -> Window | None:
    monday = today - timedelta(days=today.weekday())
    if match := _NEXT_WEEK.search(folded):
        return Window(monday + timedelta(days=7), monday + timedelta(days=13), match.group())
    if match := _THIS_WEEK.search(folded):
        return Window(today, monday + timedelta(days=6), match.group())
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(folded: str, today: date) -> Window | None:
    if match := _NEXT_MONTH.search(folded):
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return Window(date(year, month, 1), _month_end(year, month), match.group())
    if match := _THIS_MONTH.search(folded):
        return Window(today, _month_end(today.year, today.month), match.group())
    return None


def _end_of(folded: str, today: date) -> Window | None:
    match = _END_OF.search(folded)
    if match is None:
        return None
    unit = match.group(1)
    if unit in ("mois", "month"):
        end = _month_end(today.year, today.month)
    elif unit in ("semaine", "week"):
        end = today + timedelta(days=6 - today.weekday())
    else:
        end = date(today.year, 12, 31)
    return Window(today, end, match.group())


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _days_in(count: int, unit: str) -> int:
    if unit.startswith(("semaine", "week")):
        return 7 * count
    if unit.startswith(("mois", "month")):
        return 30 * count
    return count


def _within(folded: str, today: date) -> Window | None:
    """ "dans les 15 jours", "les 7 prochains jours", "within 2 weeks": from today on."""
    match = _WITHIN.search(folded)
    if match is None:
        return None
    days = _days_in(_count(match.group(1)), match.group(2))
    return Window(today, today + timedelta(days=days), match.group())


def _delay(folded: str, today: date) -> Window | None:
    """ "dans 3 jours", "in 2 weeks": that day, as dateparser reads it."""
    match = _DELAY.search(folded)
    if match is None:
        return None
    import dateparser  # loaded on first use: it takes a moment to import

    base = datetime(today.year, today.month, today.day, 12)  # noqa: DTZ001 - dateparser wants naive
    preposition = match.group().split()[0]  # "dans", "in": the language of the phrase
    phrase = f"{preposition} {_count(match.group(1))} {match.group(2)}"
    parsed = dateparser.parse(phrase, settings={"RELATIVE_BASE": base})
    if parsed is None:  # pragma: no cover - dateparser reads every phrase _DELAY matches
        return None
    day = parsed.date()
    return Window(day, day, match.group())


def _next_weekday(folded: str, today: date) -> Window | None:
    """ "jeudi prochain", "next Thursday": the first such day after today; "jeudi", "this
    Thursday": the coming one, today included."""
    match = _NEXT_WEEKDAY.search(folded)
    strictly_after = match is not None and match.group(3) is None
    if match is None:
        match = _WEEKDAY_ALONE.search(folded)
        if match is None:
            return None
    name = next(group for group in match.groups() if group)
    ahead = (_FULL_WEEKDAYS[name] - today.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    day = today + timedelta(days=ahead)
    return Window(day, day, match.group())


def _dates(folded: str, today: date) -> Window | None:
    """ "le 5 octobre", "12/11", "du 7 au 11 novembre", "October 5th": the next such days."""
    found = [mention for mention in find_dates(folded) if mention.relative is None]
    if not found:
        return None
    mention = found[0]
    days = _days_of(mention, mention.year or today.year)
    if days is not None and mention.year is None and days[1] < today:
        days = _days_of(mention, today.year + 1)  # "le 5 octobre" asked in December
    if days is None:
        return None
    return Window(*days, folded[mention.start : mention.end])


def _days_of(mention: DateMention, year: int) -> tuple[date, date] | None:
    """The first and last days of a date or a range in a year; None if there is no such day."""
    first = mention.on(year)
    last = mention.end_on(year) if mention.is_range else first
    return (first, last) if first is not None and last is not None else None


def _rest_of(first: date, last: date, today: date) -> tuple[date, date]:
    """A period from its first day, or from today when it has begun."""
    return (today if first <= today <= last else first), last


def _in_month(folded: str, today: date) -> Window | None:
    """ "en novembre": this November if not over, else next year's; the rest of it when it has
    begun."""
    match = _IN_MONTH.search(folded)
    if match is None:
        return None
    if match.group(1) in _AMBIGUOUS_MONTHS and match.group().startswith(match.group(1)):
        return None
    month = _FULL_MONTHS[match.group(1)]
    year = int(match.group(2)) if match.group(2) else today.year
    if match.group(2) is None and _month_end(year, month) < today:
        year += 1
    days = _rest_of(date(year, month, 1), _month_end(year, month), today)
    return Window(*days, match.group().strip())


def _year(folded: str, today: date) -> Window | None:
    if match := _THIS_YEAR.search(folded):
        return Window(today, date(today.year, 12, 31), match.group())
    if match := _YEAR.search(folded):
        year = int(match.group(1))
        return Window(*_rest_of(date(year, 1, 1), date(year, 12, 31), today), match.group())
    return None


_READERS = (
    _end_of,
    _within,
    _delay,
    _dates,
    _day,
    _next_weekday,
    _weekend,
    _week,
    _month,
    _in_month,
    _year,
)
