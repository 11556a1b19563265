"""What the extractor finds in an announcement: events, plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Warning codes attached to events; the bot words them for people.
WEEKDAY_MISMATCH = "weekday_mismatch"  # "mardi 19 décembre" in a year where it is a Thursday
YEAR_UNCERTAIN = "year_uncertain"  # no year in the text fits the weekday: an organizer must check
PLACE_UNKNOWN = "place_unknown"  # a place was named but could not be found in the gazetteer


@dataclass(frozen=True, slots=True)
class ExtractedEvent:
    """One event read from an announcement. `date` is None for "dates à préciser" items."""

    title: str
    date: dt.date | None
    end_date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    venue: str | None = None
    address: str | None = None
    postcode: str | None = None
    town: str | None = None
    insee: str | None = None
    department: str | None = None
    online: bool = False
    tbd_place: bool = False
    year_inferred: bool = False
    warnings: tuple[str, ...] = ()
    source: str = ""  # the document's file name
    line: int = 0  # 1-based line of the document where the event is announced

    @property
    def is_dated(self) -> bool:
        """Whether the event has a date (undated items are never shown as scheduled)."""
        return self.date is not None

    @property
    def needs_review(self) -> bool:
        """Whether an organizer should check this event before it is trusted."""
        return YEAR_UNCERTAIN in self.warnings or PLACE_UNKNOWN in self.warnings

    def to_json(self) -> dict[str, Any]:
        """The JSON object `essbot extract --json` prints (shape fixed by DESIGN.md)."""
        return {
            "title": self.title,
            "date": _iso(self.date),
            "end_date": _iso(self.end_date),
            "start": _hhmm(self.start),
            "end": _hhmm(self.end),
            "venue": self.venue,
            "address": self.address,
            "postcode": self.postcode,
            "town": self.town,
            "insee": self.insee,
            "department": self.department,
            "online": self.online,
            "tbd_place": self.tbd_place,
            "year_inferred": self.year_inferred,
            "warnings": list(self.warnings),
            "source": f"{self.source}:{self.line}" if self.source else str(self.line),
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one document."""

    title: str | None
    events: tuple[ExtractedEvent, ...] = ()
    published: dt.date | None = None  # the document's own date, when it states one
    source: str = ""
    warnings: tuple[str, ...] = field(default=())


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _hhmm(moment: dt.time | None) -> str | None:
    return moment.strftime("%H:%M") if moment else None
