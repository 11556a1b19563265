"""The year of dates written without one: from the document's own years and date, the
weekdays written next to its dates, and the reference date."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from essbot.extract.dates import DateMention

# A year from 1950 to 2099 that no digit touches; the pattern opens with the digit, which re
# finds fast, and looks back from there.
_YEAR = re.compile(r"([12](?<!\d[12])(?:9[5-9]|0\d)\d)(?!\d)")
TITLE_WEIGHT = 3  # a year in the title ("L'ESS TOUR 2016") says most about the events
SEARCH_YEARS = 6  # how far from the reference date a weekday may place a date
ROLLOVER_DAYS = 60  # a year-less date this long before the document's date is next year's


@dataclass(frozen=True, slots=True)
class DatedResult:
    """A date with how sure its year is."""

    day: date
    year_inferred: bool
    weekday_mismatch: bool = False
    uncertain: bool = False


def year_evidence(title: str | None, body: Iterable[str]) -> Counter[int]:
    """Years written in the document, the title's counting more."""
    evidence: Counter[int] = Counter()
    for year in _YEAR.findall(title or ""):
        evidence[int(year)] += TITLE_WEIGHT
    for line in body:
        for year in _YEAR.findall(line):
            evidence[int(year)] += 1
    return evidence


def document_year(
    evidence: Counter[int],
    mentions: Sequence[DateMention],
    published: date | None,
    reference: date | None = None,
) -> int | None:
    """The year the document's year-less dates most likely belong to.

    Candidates are the years the document writes (and their neighbours); each scores by how
    often it is written and how many written weekdays it agrees with. The publication date, when
    the document gives one, decides.
    """
    if published is not None:
        return published.year
    if not evidence:
        return None
    candidates = {year + delta for year in evidence for delta in (-1, 0, 1)}
    if reference is not None:  # a year only mentioned in passing must not beat the weekdays
        candidates |= {reference.year - 1, reference.year, reference.year + 1}
    yearless = [m for m in mentions if m.year is None and m.weekday is not None and m.month]

    def score(year: int) -> tuple[int, int, int]:
        agree = sum(1 for m in yearless if (d := m.on(year)) and d.weekday() == m.weekday)
        return (agree * 2 + evidence.get(year, 0), evidence.get(year, 0), year)

    return max(candidates, key=score)


def date_of(
    mention: DateMention,
    *,
    year: int | None,
    reference: date | None,
    previous: date | None = None,
    not_before: date | None = None,
) -> DatedResult | None:
    """The date a mention means, given the document's year (or the reference date).

    `not_before` is the document's own date: a year-less date well before it is next year's.
    """
    if mention.year is not None:
        day = mention.on(mention.year)
        if day is None:
            return None
        return DatedResult(day, False, _mismatch(mention, day))
    if year is not None:
        # A programme running from November into January crosses the new year.
        if previous is not None and previous.year >= year and mention.month < previous.month - 5:
            year = previous.year + 1
        day = mention.on(year)
        if day is not None and not_before is not None and (not_before - day).days > ROLLOVER_DAYS:
            day = mention.on(year + 1)
        if day is None:
            return None
        return DatedResult(day, True, _mismatch(mention, day))
    if reference is None:
        return None
    return _from_reference(mention, reference)


def _from_reference(mention: DateMention, reference: date) -> DatedResult | None:
    """No year anywhere: the weekday-consistent year nearest the reference date."""
    options = [
        d
        for y in range(reference.year - SEARCH_YEARS, reference.year + SEARCH_YEARS + 1)
        if (d := mention.on(y)) is not None
    ]
    if mention.weekday is not None:
        matching = [d for d in options if d.weekday() == mention.weekday]
        if matching:
            best = min(matching, key=lambda d: abs((d - reference).days))
            # Only a match within a year of the reference is a sure inference.
            return DatedResult(best, True, uncertain=abs((best - reference).days) > 366)
    # No weekday to check: the next occurrence, counting a month back as still upcoming.
    upcoming = [d for d in options if (d - reference).days >= -31]
    if not upcoming:
        return None
    return DatedResult(min(upcoming), True, uncertain=mention.weekday is not None)


def _mismatch(mention: DateMention, day: date) -> bool:
    return mention.weekday is not None and day.weekday() != mention.weekday
