"""One event as an iCalendar file: times and zones, all-day dates, text, folding, format."""

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from icalendar import Calendar, Component

from essbot.db import Event
from essbot.events.ics import NotInCalendar, event_calendar, event_location, ics_filename

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 9, 20, 8, 0, 12, 345678, tzinfo=UTC)


def stored(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> datetime:
    """An instant as SQLite gives it back: UTC, naive."""
    aware = datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)
    return aware.replace(tzinfo=None)


def meeting(**fields: Any) -> Event:
    """An ESS Tour meeting in Calais as SQLite gives it back (naive UTC), any field overridden."""
    values: dict[str, Any] = {
        "id": 42,
        "title": "ESS Tour 2016 : rencontre de Calais",
        "starts_at": stored(2016, 10, 5, 15, 30),
        "ends_at": stored(2016, 10, 5, 18, 0),
        "timezone": "Europe/Paris",
        "all_day": False,
        "venue": "Cité de la dentelle et de la mode",
        "address": "135 quai du Commerce",
        "postcode": "62100",
        "town": "Calais",
        "department": "62",
        "lat": 50.95,
        "lon": 1.85,
        "online": False,
        "tbd_place": False,
        "status": "scheduled",
    }
    values.update(fields)
    return Event(**values)


def export(event: Event, **options: Any) -> bytes:
    """The event's file, checked for the shape every file must have."""
    data = event_calendar(event, now=options.pop("now", NOW), **options)
    assert_well_formed(data)
    return data


def assert_well_formed(data: bytes) -> None:
    """CRLF after every line, none longer than 75 octets, no character split by folding."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a folded line boundary never falls inside a character


def parse(data: bytes) -> tuple[Calendar, Component]:
    """The calendar and its only event."""
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def unfold(data: bytes) -> list[str]:
    """The content lines, folding undone (RFC 5545 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def own_lines(data: bytes) -> list[str]:
    """The unfolded content lines of the calendar and the event, VTIMEZONE left out."""
    lines: list[str] = []
    in_timezone = False
    for text in unfold(data):
        if text == "BEGIN:VTIMEZONE":
            in_timezone = True
        elif text == "END:VTIMEZONE":
            in_timezone = False
        elif not in_timezone:
            lines.append(text)
    return lines


def line(data: bytes, name: str) -> str:
    """The one content line of this property name (with its parameters), outside VTIMEZONE."""
    found = [text for text in own_lines(data) if re.match(rf"{name}[;:]", text)]
    assert len(found) == 1, found
    return found[0]


def names(data: bytes) -> set[str]:
    """The property names used outside VTIMEZONE."""
    return {re.split("[;:]", text, maxsplit=1)[0] for text in own_lines(data)}


def test_summer_time_start_and_end_are_in_the_events_zone() -> None:
    data = export(meeting())
    assert line(data, "DTSTART") == "DTSTART;TZID=Europe/Paris:20161005T173000"
    assert line(data, "DTEND") == "DTEND;TZID=Europe/Paris:20161005T200000"
    _, vevent = parse(data)
    start = vevent.decoded("DTSTART")
    assert start == datetime(2016, 10, 5, 17, 30, tzinfo=PARIS)
    assert start.isoformat() == "2016-10-05T17:30:00+02:00"
    assert str(start.tzinfo) == "Europe/Paris"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTEND") == datetime(2016, 10, 5, 20, 0, tzinfo=PARIS)


def test_winter_time_start() -> None:
    event = meeting(starts_at=stored(2024, 11, 12, 13, 0), ends_at=None)
    data = export(event)
    assert line(data, "DTSTART") == "DTSTART;TZID=Europe/Paris:20241112T140000"
    _, vevent = parse(data)
    start = vevent.decoded("DTSTART")
    assert start.isoformat() == "2024-11-12T14:00:00+01:00"
    assert str(start.tzinfo) == "Europe/Paris"


def test_aware_instants_give_the_same_file_as_naive_utc_ones() -> None:
    naive = meeting()
    aware = meeting(
        starts_at=datetime(2016, 10, 5, 15, 30, tzinfo=UTC),
        ends_at=datetime(2016, 10, 5, 20, 0, tzinfo=PARIS),
    )
    assert export(aware) == export(naive)


def test_seconds_are_kept_and_microseconds_dropped() -> None:
    event = meeting(starts_at=stored(2016, 10, 5, 15, 30, 15, 999999), ends_at=None)
    data = export(event)
    assert line(data, "DTSTART") == "DTSTART;TZID=Europe/Paris:20161005T173015"
    assert line(data, "DTSTAMP") == "DTSTAMP:20160920T080012Z"


def test_another_zone_gets_its_own_tzid_and_vtimezone() -> None:
    event = meeting(timezone="Indian/Reunion")
    data = export(event)
    assert line(data, "DTSTART") == "DTSTART;TZID=Indian/Reunion:20161005T193000"
    calendar, _ = parse(data)
    assert [zone.tz_name for zone in calendar.timezones] == ["Indian/Reunion"]


def test_vtimezone_for_the_events_zone_comes_before_the_event() -> None:
    data = export(meeting())
    calendar, _ = parse(data)
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/Paris"]
    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert calendar.get_missing_tzids() == set()
    # It describes the offsets on both sides of the year's changes.
    vtimezone = calendar.timezones[0]
    offsets = {str(part["TZNAME"]): part.decoded("TZOFFSETTO") for part in vtimezone.subcomponents}
    assert offsets == {"CET": timedelta(hours=1), "CEST": timedelta(hours=2)}
    # Parsed back through the VTIMEZONE only, the start is the same instant.
    local = datetime(2016, 10, 5, 17, 30, tzinfo=vtimezone.to_tz())
    assert local.utcoffset() == timedelta(hours=2)


def test_vtimezone_covers_an_event_across_new_year() -> None:
    event = meeting(
        starts_at=stored(2024, 12, 31, 20, 0),
        ends_at=stored(2025, 1, 1, 2, 0),
    )
    data = export(event)
    assert line(data, "DTEND") == "DTEND;TZID=Europe/Paris:20250101T030000"
    calendar, _ = parse(data)
    vtimezone = calendar.timezones[0]
    local = datetime(2025, 1, 1, 3, 0, tzinfo=vtimezone.to_tz())
    assert local.utcoffset() == timedelta(hours=1)
    assert "2024-01-01 to 2026-01-01" in str(vtimezone["COMMENT"])


def test_all_day_event_has_dates_and_the_next_day_as_exclusive_end() -> None:
    # Local midnight of 5 October 2016 in Paris, in UTC.
    event = meeting(all_day=True, starts_at=stored(2016, 10, 4, 22, 0), ends_at=None)
    data = export(event)
    assert line(data, "DTSTART") == "DTSTART;VALUE=DATE:20161005"
    assert line(data, "DTEND") == "DTEND;VALUE=DATE:20161006"
    calendar, vevent = parse(data)
    assert vevent.decoded("DTSTART") == date(2016, 10, 5)
    assert vevent.decoded("DTEND") == date(2016, 10, 6)
    assert calendar.timezones == []
    assert "TZID" not in data.decode()


def test_multi_day_all_day_event_ends_the_day_after_its_last_day() -> None:
    # 5 and 6 October: the stored end is the local midnight starting 7 October.
    event = meeting(
        all_day=True,
        starts_at=stored(2016, 10, 4, 22, 0),
        ends_at=stored(2016, 10, 6, 22, 0),
    )
    _, vevent = parse(export(event))
    assert vevent.decoded("DTSTART") == date(2016, 10, 5)
    assert vevent.decoded("DTEND") == date(2016, 10, 7)


def test_all_day_event_across_the_autumn_clock_change() -> None:
    # 27 and 28 October 2024: midnight is 22:00 UTC before the change, 23:00 UTC after.
    event = meeting(
        all_day=True,
        starts_at=stored(2024, 10, 26, 22, 0),
        ends_at=stored(2024, 10, 28, 23, 0),
    )
    _, vevent = parse(export(event))
    assert vevent.decoded("DTSTART") == date(2024, 10, 27)
    assert vevent.decoded("DTEND") == date(2024, 10, 29)


def test_all_day_event_with_an_end_not_after_its_start_lasts_one_day() -> None:
    start = stored(2016, 10, 4, 22, 0)
    _, vevent = parse(export(meeting(all_day=True, starts_at=start, ends_at=start)))
    assert vevent.decoded("DTEND") == date(2016, 10, 6)


def test_timed_event_without_an_end_has_no_dtend_nor_duration() -> None:
    data = export(meeting(ends_at=None))
    assert {"DTSTART", "DTSTAMP"} <= names(data)
    assert "DTEND" not in names(data)
    assert "DURATION" not in names(data)


def test_timed_event_with_an_end_not_after_its_start_has_no_dtend() -> None:
    event = meeting(ends_at=stored(2016, 10, 5, 15, 30))
    assert "DTEND" not in names(export(event))


def test_uid_is_stable_and_dtstamp_is_now_in_utc() -> None:
    paris_now = datetime(2016, 9, 20, 10, 0, 12, tzinfo=PARIS)
    first = export(meeting(), now=paris_now)
    later = export(meeting(), now=datetime(2017, 1, 1, tzinfo=timezone(timedelta(hours=-5))))
    assert line(first, "UID") == line(later, "UID") == "UID:event-42@essbot"
    assert line(first, "DTSTAMP") == "DTSTAMP:20160920T080012Z"
    assert line(later, "DTSTAMP") == "DTSTAMP:20170101T050000Z"
    assert line(export(meeting(id=7)), "UID") == "UID:event-7@essbot"
    _, vevent = parse(first)
    assert vevent.decoded("DTSTAMP") == datetime(2016, 9, 20, 8, 0, 12, tzinfo=UTC)


def test_calendar_and_event_properties() -> None:
    data = export(meeting())
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert line(data, "VERSION") == "VERSION:2.0"
    assert line(data, "PRODID") == "PRODID:-//essbot//essbot//FR"
    assert line(data, "CALSCALE") == "CALSCALE:GREGORIAN"
    assert line(data, "METHOD") == "METHOD:PUBLISH"
    assert line(data, "SUMMARY") == "SUMMARY:ESS Tour 2016 : rencontre de Calais"
    assert line(data, "STATUS") == "STATUS:CONFIRMED"
    assert line(data, "SEQUENCE") == "SEQUENCE:0"
    assert lines.count("BEGIN:VEVENT") == 1


def test_location_and_geo() -> None:
    data = export(meeting())
    assert line(data, "LOCATION") == (
        r"LOCATION:Cité de la dentelle et de la mode\, 135 quai du Commerce\, 62100 Calais"
    )
    _, vevent = parse(data)
    assert str(vevent["LOCATION"]) == (
        "Cité de la dentelle et de la mode, 135 quai du Commerce, 62100 Calais"
    )
    assert line(data, "GEO") == "GEO:50.95;1.85"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"venue": None, "address": None}, "62100 Calais"),
        ({"venue": None, "postcode": None}, "135 quai du Commerce, Calais"),
        ({"address": None, "town": None, "postcode": None}, "Cité de la dentelle et de la mode"),
        ({"address": None, "town": None}, "Cité de la dentelle et de la mode, 62100"),
        ({"venue": "  ", "address": None}, "62100 Calais"),
        ({"venue": None, "address": None, "town": None, "postcode": None}, ""),
    ],
)
def test_location_has_only_the_parts_present(fields: dict[str, Any], expected: str) -> None:
    assert event_location(meeting(**fields)) == expected


def test_no_location_nor_geo_when_unknown() -> None:
    event = meeting(venue=None, address=None, postcode=None, town=None, lat=None, lon=None)
    data = export(event)
    assert "LOCATION" not in names(data)
    assert "GEO" not in names(data)
    assert "GEO" not in names(export(meeting(lon=None)))


def test_online_event_says_so_unless_a_venue_is_given() -> None:
    online = meeting(online=True, venue=None, address=None, postcode=None, town=None)
    assert line(export(online), "LOCATION") == "LOCATION:En ligne"
    with_town = meeting(online=True, venue=None, address=None)
    assert line(export(with_town), "LOCATION") == r"LOCATION:En ligne\, 62100 Calais"
    with_venue = meeting(online=True, venue="Zoom de la CRESS", address=None, town=None)
    assert line(export(with_venue), "LOCATION") == "LOCATION:Zoom de la CRESS\\, 62100"


def test_cancelled_event() -> None:
    data = export(meeting(status="cancelled"))
    assert line(data, "STATUS") == "STATUS:CANCELLED"
    _, vevent = parse(data)
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_description_and_url_only_when_given() -> None:
    plain = export(meeting())
    assert "DESCRIPTION" not in names(plain)
    assert "URL" not in names(plain)
    empty = export(meeting(), description="", url="")
    assert "DESCRIPTION" not in names(empty)
    assert "URL" not in names(empty)
    url = "https://t.me/essbot?start=event-42&x=a,b;c"
    data = export(meeting(), description="Entrée libre.", url=url)
    assert line(data, "DESCRIPTION") == "DESCRIPTION:Entrée libre."
    assert line(data, "URL") == f"URL:{url}"
    _, vevent = parse(data)
    assert str(vevent["URL"]) == url


def test_text_with_commas_semicolons_newlines_accents_and_emoji_survives() -> None:
    title = "Forum ESS, «Économie sociale»; solidarité & co 🎉\\ fin"
    description = (
        "Ciné-débat : « Bienveillance paysanne », suivi d'un échange ; entrée libre.\n"
        "Inscription : contact@cress.fr\r\n\nÀ bientôt 🌱 — l'équipe, Calais; 62100"
    )
    data = export(
        meeting(title=title, venue="Café «Le Pré», salle 2; étage"), description=description
    )
    assert line(data, "SUMMARY") == (
        r"SUMMARY:Forum ESS\, «Économie sociale»\; solidarité & co 🎉\\ fin"
    )
    described = line(data, "DESCRIPTION")
    assert r"paysanne »\, suivi d'un échange \; entrée libre.\nInscription" in described
    assert "\n" not in described
    assert r"\, salle 2\; étage\, 135 quai" in line(data, "LOCATION")
    _, vevent = parse(data)
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]) == description.replace("\r\n", "\n")
    assert str(vevent["LOCATION"]).startswith("Café «Le Pré», salle 2; étage, ")


def test_long_title_is_folded_at_75_octets_and_unfolds_identically() -> None:
    title = (
        "Rencontre régionale de l'économie sociale et solidaire des Hauts-de-France : "
        "coopératives, associations, mutuelles — échanges et ateliers 🤝 à Lille "
    ) * 3
    data = export(meeting(title=title.strip()), description="é" * 200 + "🎉" * 50)
    physical = data.split(b"\r\n")
    summary_start = next(i for i, raw in enumerate(physical) if raw.startswith(b"SUMMARY:"))
    continuations = 0
    for raw in physical[summary_start + 1 :]:
        if not raw.startswith(b" "):
            break
        continuations += 1
    assert continuations >= 4
    assert len(physical[summary_start]) <= 75
    _, vevent = parse(data)
    assert str(vevent["SUMMARY"]) == title.strip()
    assert str(vevent["DESCRIPTION"]) == "é" * 200 + "🎉" * 50
    assert line(data, "SUMMARY") == "SUMMARY:" + title.strip().replace(",", "\\,")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "undated", "starts_at": None, "ends_at": None},
        {"status": "undated"},
        {"status": "scheduled", "starts_at": None, "ends_at": None},
        {"status": "cancelled", "starts_at": None, "ends_at": None},
    ],
)
def test_event_without_a_date_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(NotInCalendar, match="no date"):
        event_calendar(meeting(**fields), now=NOW)
    assert issubclass(NotInCalendar, ValueError)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        event_calendar(meeting(), now=datetime(2016, 9, 20, 8, 0))  # noqa: DTZ001


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        event_calendar(meeting(timezone="Europe/Calais"), now=NOW)


def test_event_built_without_column_defaults_is_in_the_default_zone() -> None:
    event = Event(id=3, title="Atelier", starts_at=stored(2016, 10, 5, 15, 30))
    data = export(event)
    assert line(data, "DTSTART") == "DTSTART;TZID=Europe/Paris:20161005T173000"
    assert line(data, "STATUS") == "STATUS:CONFIRMED"
    assert "LOCATION" not in names(data)


def test_event_never_stored_has_no_uid_nor_file_name() -> None:
    with pytest.raises(ValueError, match="no id"):
        event_calendar(meeting(id=None), now=NOW)
    with pytest.raises(ValueError, match="no id"):
        ics_filename(meeting(id=None))


def test_file_name_is_safe() -> None:
    name = ics_filename(meeting(title="../../etc/passwd «Forum» 🎉 ; rm -rf /"))
    assert name == "essbot-event-42.ics"
    assert re.fullmatch(r"[a-z0-9-]+\.ics", name)
    assert ics_filename(meeting(id=123456)) == "essbot-event-123456.ics"
