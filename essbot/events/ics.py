"""One stored event as an iCalendar file (RFC 5545), to add it to a calendar application.

The file holds one VCALENDAR with one VEVENT:

- UID ``event-<id>@essbot``: the same event always gets the same UID, so importing the file
  again updates the entry instead of adding a second one. DTSTAMP is the given ``now`` in UTC.
- A timed event has DTSTART and DTEND in the event's own time zone (``TZID=Europe/Paris``),
  and the calendar carries the VTIMEZONE that TZID refers to. The VTIMEZONE only describes
  the calendar years the event spans, which keeps it to a few lines.
- A timed event without a known end has no DTEND and no DURATION: RFC 5545 (3.6.1) then
  says it ends when it starts. Inventing a duration would show a guess as a fact in the
  user's calendar. The same holds when the stored end is not after the start.
- An all-day event has DATE values (no TZID, no VTIMEZONE: days are floating), and DTEND is
  the day after the last one (exclusive); one day when the end is unknown.
- LOCATION is "venue, address, postcode town" from the parts that are known, starting with
  "En ligne" for an online event without a venue; GEO when the point is known.
- STATUS is CONFIRMED, or CANCELLED for a cancelled event; SEQUENCE is 0.

Folding long lines at 75 octets, escaping TEXT values and CRLF line ends are icalendar's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

from essbot.clock import as_utc
from essbot.config import DEFAULT_TIMEZONE
from essbot.db import Event

PRODID = "-//essbot//essbot//FR"
UID_DOMAIN = "essbot"
ONLINE = "En ligne"
STATUSES = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED"}


class NotInCalendar(ValueError):
    """The event has no date, so it cannot be put in a calendar."""


def event_uid(event: Event) -> str:
    """The event's UID, the same in every file made for it."""
    return f"event-{_event_id(event)}@{UID_DOMAIN}"


def ics_filename(event: Event) -> str:
    """A file name for the event's iCalendar file: ASCII, no path, e.g. essbot-event-42.ics."""
    return f"essbot-event-{_event_id(event)}.ics"


def event_calendar(
    event: Event, *, now: datetime, description: str | None = None, url: str | None = None
) -> bytes:
    """The iCalendar file of one event, as bytes (UTF-8, CRLF line ends).

    ``now`` must be timezone-aware (ValueError otherwise); it becomes DTSTAMP. ``description``
    (the event's full text) and ``url`` are added when given and not empty. Raises
    NotInCalendar for an undated event, and ZoneInfoNotFoundError when the event's time zone
    is not a known IANA name.
    """
    stamp = as_utc(now).replace(microsecond=0)
    if event.status == "undated" or event.starts_at is None:
        raise NotInCalendar(f"event {event.id} has no date")
    # An Event built in memory has no column defaults yet: None means the default zone.
    zone = ZoneInfo(event.timezone or DEFAULT_TIMEZONE)
    start = _utc(event.starts_at).astimezone(zone)
    end = _utc(event.ends_at).astimezone(zone) if event.ends_at is not None else None

    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    if event.all_day:
        first_day = start.date()
        # The stored end is the midnight after the last day, already exclusive.
        end_day = end.date() if end is not None else None
        if end_day is None or end_day <= first_day:
            end_day = first_day + timedelta(days=1)
        vevent.add("dtstart", first_day)
        vevent.add("dtend", end_day)
    else:
        vevent.add("dtstart", start.replace(microsecond=0))
        if end is not None and end > start:
            vevent.add("dtend", end.replace(microsecond=0))
    location = event_location(event)
    if location:
        vevent.add("location", location)
    if event.lat is not None and event.lon is not None:
        vevent.add("geo", (event.lat, event.lon))
    if description:
        vevent.add("description", description)
    if url:
        vevent.add("url", url)
    vevent.add("status", STATUSES.get(event.status, "CONFIRMED"))
    vevent.add("sequence", 0)

    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vevent)
    if not event.all_day:
        last = end if end is not None and end > start else start
        calendar.add_missing_timezones(
            first_date=date(start.year, 1, 1), last_date=date(last.year + 1, 1, 1)
        )
        # VTIMEZONE before the VEVENT that uses it, for clients that read in one pass
        # (icalendar 7 inserts it there; 6.x appends it).
        calendar.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    data: bytes = calendar.to_ical()
    return data


def event_location(event: Event) -> str:
    """Where the event takes place, in one line: "venue, address, postcode town"; or ""."""
    venue = _clean(event.venue)
    town = " ".join(part for part in (_clean(event.postcode), _clean(event.town)) if part)
    parts = [part for part in (venue, _clean(event.address), town) if part]
    if event.online and not venue:
        parts.insert(0, ONLINE)
    return ", ".join(parts)


def _clean(text: str | None) -> str:
    """A text field without surrounding blanks; "" when missing."""
    return text.strip() if text else ""


def _utc(instant: datetime) -> datetime:
    """A stored instant, aware in UTC: SQLite gives naive UTC values back."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def _event_id(event: Event) -> int:
    """The event's id; an event that was never stored has none to name it by."""
    if event.id is None:
        raise ValueError("the event has no id: it must be stored first")
    return int(event.id)
