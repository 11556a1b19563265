"""The columns of an event row, computed from an extracted event."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from essbot.db import Event
from essbot.extract.model import ExtractedEvent
from essbot.geo import load_gazetteer

MIDNIGHT = time(0, 0)


@dataclass(frozen=True, slots=True)
class EventFields:
    """What an announcement says about an event, as the events table stores it."""

    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    all_day: bool
    venue: str | None
    address: str | None
    postcode: str | None
    town: str | None
    insee: str | None
    department: str | None
    lat: float | None
    lon: float | None
    online: bool
    tbd_place: bool
    year_inferred: bool
    warnings: list[str]
    status: str

    def as_columns(self) -> dict[str, Any]:
        """The values by column name."""
        return asdict(self)


# Filled from a second announcement only when the stored event lacks them.
PLACE_COLUMNS = ("venue", "address", "postcode", "town", "insee", "department", "lat", "lon")


def event_fields(event: ExtractedEvent, *, timezone: str) -> EventFields:
    """The row values of an extracted event whose times are local to `timezone`."""
    starts_at, ends_at = event_times(event, ZoneInfo(timezone))
    lat, lon = coordinates(event.insee)
    return EventFields(
        title=event.title,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
        all_day=event.date is not None and event.start is None,
        venue=event.venue,
        address=event.address,
        postcode=event.postcode,
        town=event.town,
        insee=event.insee,
        department=event.department,
        lat=lat,
        lon=lon,
        online=event.online,
        tbd_place=event.tbd_place,
        year_inferred=event.year_inferred,
        warnings=list(event.warnings),
        status="scheduled" if event.date is not None else "undated",
    )


def event_times(event: ExtractedEvent, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """Start and end in UTC: midnight for an all-day start, the end of `end_date` for its end.

    An end earlier than the start on a single day is past midnight, on the next day. With
    neither an end time nor an end date, the end is unknown (None).
    """
    if event.date is None:
        return None, None
    starts_at = _at(event.date, event.start or MIDNIGHT, zone)
    if event.end is not None:
        ends_at = _at(event.end_date or event.date, event.end, zone)
        if ends_at <= starts_at and event.end_date is None:
            ends_at = _at(event.date + timedelta(days=1), event.end, zone)
    elif event.end_date is not None:
        ends_at = _at(event.end_date + timedelta(days=1), MIDNIGHT, zone)
    else:
        return starts_at, None
    return starts_at, ends_at


def coordinates(insee: str | None) -> tuple[float | None, float | None]:
    """The commune's (or arrondissement's own) latitude and longitude, if the code is known."""
    place = load_gazetteer().get("commune", insee) if insee else None
    if place is None:
        return None, None
    return place.lat, place.lon


def snapshot(event: Event) -> dict[str, Any]:
    """The row's values for every column an announcement sets, to tell what changed."""
    return {field.name: getattr(event, field.name) for field in fields(EventFields)}


def replace_fields(event: Event, values: EventFields, *, keep_known: bool) -> None:
    """Write what a (corrected) announcement says; with keep_known, never erase a value."""
    for name, value in values.as_columns().items():
        if keep_known and value is None:
            continue
        setattr(event, name, value)


def fill_missing(event: Event, values: EventFields) -> None:
    """Complete a stored event from another announcement without changing what it knows.

    A start time replaces an all-day midnight; an end, place details and the venue of a
    "lieu à préciser" event fill what is empty.
    """
    if event.starts_at is not None and values.starts_at is not None:
        if event.all_day and not values.all_day:
            event.starts_at, event.all_day = values.starts_at, False
        if event.ends_at is None and values.ends_at is not None:
            event.ends_at = values.ends_at
    for name in PLACE_COLUMNS:
        if getattr(event, name) is None and getattr(values, name) is not None:
            setattr(event, name, getattr(values, name))
    if event.tbd_place and not values.tbd_place and values.venue is not None:
        event.tbd_place, event.venue = False, values.venue


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """The instant of this local date and time, in UTC."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)
