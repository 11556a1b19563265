"""One field of an event, as an organizer types it to fix a draft or change an event.

Events being corrected are kept in the shape of `essbot extract --json` (a dict): drafts store
it as it is, and a published event is turned into it and back (`event_as_fields`,
`as_extracted`). Reading a value either gives the fields it sets or raises FieldError.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from essbot.db import Event
from essbot.extract.dates import find_dates, resolve_relative
from essbot.extract.model import (
    PLACE_UNKNOWN,
    WEEKDAY_MISMATCH,
    YEAR_UNCERTAIN,
    ExtractedEvent,
)
from essbot.extract.places import is_online, read_place
from essbot.extract.text import fold_same_length
from essbot.extract.times import find_times, first_range
from essbot.geo import PlaceResolver

Field = Literal["title", "date", "time", "place", "venue"]
FIELDS: dict[str, Field] = {"t": "title", "d": "date", "h": "time", "p": "place", "v": "venue"}
LETTERS = {name: letter for letter, name in FIELDS.items()}
MAX_TITLE = 200
MAX_VENUE = 120
# Words that leave a field empty: the date or place "to be announced", no time, no venue.
_NONE = re.compile(
    r"(?:a\s+preciser|a\s+definir|a\s+venir|non\s+communique|inconnue?|aucune?|pas\s+de\s+\w+|"
    r"tbd|tba|to\s+be\s+(?:announced|confirmed|defined)|none|no\s+\w+|unknown|-|—|toute\s+la\s+"
    r"journee|all\s+day)[.!]?",
)
_PLACE_FIELDS = ("venue", "address", "postcode", "town", "insee", "department")


class FieldError(ValueError):
    """A value that cannot be read; `code` names why, for the texts ("no_date", "weekday",
    "no_time", "unknown_place", "empty", "too_long")."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def read_field(
    field: Field,
    text: str,
    fields: dict[str, Any],
    *,
    today: date,
    resolver: PlaceResolver,
) -> dict[str, Any]:
    """The fields with one of them set from what the organizer typed; FieldError if it
    cannot be read. Fixing a date or a place clears the warnings about it."""
    text = " ".join(text.split())
    if not text:
        raise FieldError("empty")
    changed = dict(fields)
    warnings = list(fields.get("warnings") or [])
    if field == "title":
        if len(text) > MAX_TITLE:
            raise FieldError("too_long", str(MAX_TITLE))
        changed["title"] = text
    elif field == "venue":
        if len(text) > MAX_VENUE:
            raise FieldError("too_long", str(MAX_VENUE))
        changed["venue"] = None if _says_none(text) else text
        if changed["venue"] is not None:
            changed["tbd_place"] = False
    elif field == "time":
        changed["start"], changed["end"] = _times(text)
    elif field == "date":
        around = _day(fields.get("date"))
        first, last = read_date(text, today=today, around=around)
        changed["date"] = first.isoformat() if first else None
        changed["end_date"] = last.isoformat() if last and last != first else None
        changed["year_inferred"] = False
        warnings = [w for w in warnings if w not in (WEEKDAY_MISMATCH, YEAR_UNCERTAIN)]
    else:
        changed.update(read_place_field(text, resolver))
        warnings = [w for w in warnings if w != PLACE_UNKNOWN]
    changed["warnings"] = warnings
    return changed


def read_date(text: str, *, today: date, around: date | None) -> tuple[date | None, date | None]:
    """A date or a range of dates; (None, None) for "à préciser". Without a year: the year of
    `around` (the date being corrected) when given, else the next such day from `today`. A
    weekday that contradicts the date is refused, naming the right one."""
    folded = fold_same_length(text).lower()
    mentions = find_dates(text)
    if not mentions:
        if _says_none(folded):
            return None, None
        raise FieldError("no_date")
    mention = mentions[0]
    if mention.relative is not None:
        day = resolve_relative(mention, today)
        return day, None
    year = mention.year or _year(mention.month, mention.day, today, around)
    first = mention.on(year)
    if first is None:
        raise FieldError("no_date")
    if mention.weekday is not None and first.weekday() != mention.weekday:
        raise FieldError("weekday", first.isoformat())
    last = mention.end_on(year)
    if last is not None and last < first:
        raise FieldError("no_date")
    return first, last


def _year(month: int, day: int, today: date, around: date | None) -> int:
    """The year of a date written without one: that of the date corrected, else the next."""
    if around is not None:
        return around.year
    try:
        upcoming = date(today.year, month, day) >= today
    except ValueError:  # 29 February
        upcoming = True
    return today.year if upcoming else today.year + 1


def _times(text: str) -> tuple[str | None, str | None]:
    mentions = find_times(text)
    if not mentions:
        if _says_none(fold_same_length(text).lower()):
            return None, None
        raise FieldError("no_time")
    start, end = first_range(mentions)
    return _hhmm(start), _hhmm(end)


def read_place_field(text: str, resolver: PlaceResolver) -> dict[str, Any]:
    """The place fields from "Toit Commun, 12 rue X, 62300 Lens", "Lens", "en ligne" or
    "à préciser"."""
    folded = fold_same_length(text).lower()
    cleared: dict[str, Any] = dict.fromkeys(_PLACE_FIELDS)
    if is_online(text) or folded in ("online", "en ligne", "visio", "visioconference"):
        return {**cleared, "online": True, "tbd_place": False}
    if _says_none(folded):
        return {**cleared, "online": False, "tbd_place": True}
    reading = read_place(text, resolver)
    town = reading.town
    if town is None:
        where = resolver.resolve(text)
        if where.best is not None and where.best.kind == "commune" and not where.is_fuzzy:
            town = where.best
    if town is None or town.kind != "commune":
        raise FieldError("unknown_place")
    if reading.postcode is None and f"({town.department})" not in text:
        homonyms = [
            place.label
            for place in resolver.resolve(town.name).places
            if place.kind == "commune" and place.name == town.name and not place.parent
        ]
        if len(homonyms) > 1:
            raise FieldError("ambiguous", ", ".join(homonyms[:5]))
    postcode = reading.postcode or (town.postcodes[0] if town.postcodes else None)
    return {
        "venue": reading.venue,
        "address": reading.address,
        "postcode": postcode,
        "town": town.name,
        "insee": town.code,
        "department": town.department,
        "online": False,
        "tbd_place": False,
    }


def _says_none(folded: str) -> bool:
    return _NONE.fullmatch(fold_same_length(folded).lower().strip()) is not None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _hhmm(moment: time | None) -> str | None:
    return moment.strftime("%H:%M") if moment else None


def as_extracted(fields: dict[str, Any]) -> ExtractedEvent:
    """The event the fields describe."""

    def moment(name: str) -> time | None:
        value = fields.get(name)
        return time.fromisoformat(value) if value else None

    return ExtractedEvent(
        title=fields["title"],
        date=_day(fields.get("date")),
        end_date=_day(fields.get("end_date")),
        start=moment("start"),
        end=moment("end"),
        venue=fields.get("venue"),
        address=fields.get("address"),
        postcode=fields.get("postcode"),
        town=fields.get("town"),
        insee=fields.get("insee"),
        department=fields.get("department"),
        online=bool(fields.get("online")),
        tbd_place=bool(fields.get("tbd_place")),
        year_inferred=bool(fields.get("year_inferred")),
        warnings=tuple(fields.get("warnings") or ()),
        source=str(fields.get("source") or ""),
        line=int(fields.get("line") or 0),
    )


def as_fields(event: ExtractedEvent) -> dict[str, Any]:
    """The fields of an extracted event, with its line as a number."""
    fields = event.to_json()
    fields["source"], fields["line"] = event.source, event.line
    return fields


def event_as_fields(event: Event) -> dict[str, Any]:
    """A published event in the shape of extracted fields, times local to its zone."""
    zone = ZoneInfo(event.timezone)
    first = last = start = end = None
    if event.starts_at is not None:
        starts = event.starts_at.astimezone(zone)
        first = starts.date()
        if not event.all_day:
            start = starts.time()
        if event.ends_at is not None:
            ends = event.ends_at.astimezone(zone)
            if event.all_day:
                last = (ends - timedelta(days=1)).date()
            else:
                end = ends.time()
                if ends.date() != first and ends - starts >= timedelta(hours=12):
                    last = ends.date()
    return {
        "title": event.title,
        "date": first.isoformat() if first else None,
        "end_date": last.isoformat() if last and last != first else None,
        "start": _hhmm(start),
        "end": _hhmm(end),
        "venue": event.venue,
        "address": event.address,
        "postcode": event.postcode,
        "town": event.town,
        "insee": event.insee,
        "department": event.department,
        "online": event.online,
        "tbd_place": event.tbd_place,
        "year_inferred": event.year_inferred,
        "warnings": list(event.warnings or []),
        "source": "",
        "line": event.source_line or 0,
    }


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()
