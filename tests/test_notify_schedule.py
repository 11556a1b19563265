"""Reminder times and quiet hours, in local wall-clock time across the summer-time changes."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from essbot.db import Chat, Event
from essbot.notify.outbox import reminder_rows
from essbot.notify.schedule import (
    DEFAULT_LEADS,
    BadLead,
    Quiet,
    after_quiet,
    is_imminent,
    read_leads,
    reminder_due,
)

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")


def paris(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=PARIS)  # type: ignore[misc]


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)  # type: ignore[misc]


# 30 March 2025: clocks go from 02:00 to 03:00. 27 October 2024: from 03:00 back to 02:00.
@pytest.mark.parametrize(
    ("starts_at", "lead", "due"),
    [
        # On the spring change day, 10:00 summer time (08:00 UTC).
        (paris(2025, 3, 30, 10), "eve", utc(2025, 3, 29, 17)),  # 18:00 winter time
        (paris(2025, 3, 30, 10), "1d", utc(2025, 3, 29, 9)),  # 10:00 the day before: 23 h
        (paris(2025, 3, 30, 10), "1w", utc(2025, 3, 23, 9)),
        (paris(2025, 3, 30, 10), "2h", utc(2025, 3, 30, 6)),  # 08:00 summer time
        (paris(2025, 3, 30, 10), "1h", utc(2025, 3, 30, 7)),
        # Just after the change: two hours of real time reach back into winter time.
        (paris(2025, 3, 30, 3, 30), "2h", utc(2025, 3, 29, 23, 30)),
        # The day after: "the day before, same time" lands on the change day.
        (paris(2025, 3, 31, 9), "1d", utc(2025, 3, 30, 7)),
        # 02:30 does not exist on 30 March: read as just after the change, 03:30.
        (paris(2025, 3, 31, 2, 30), "1d", utc(2025, 3, 30, 1, 30)),
        # On the autumn change day, 10:00 winter time (09:00 UTC).
        (paris(2024, 10, 27, 10), "eve", utc(2024, 10, 26, 16)),  # 18:00 summer time
        (paris(2024, 10, 27, 10), "1d", utc(2024, 10, 26, 8)),  # 25 h before
        (paris(2024, 10, 27, 10), "2h", utc(2024, 10, 27, 7)),  # 08:00 winter time
        (paris(2024, 10, 28, 9), "1d", utc(2024, 10, 27, 8)),
        # 02:30 happens twice on 27 October: the first one, in summer time.
        (paris(2024, 10, 28, 2, 30), "1d", utc(2024, 10, 27, 0, 30)),
        # Overseas, in its own time zone.
        (datetime(2024, 11, 5, 9, tzinfo=REUNION), "eve", utc(2024, 11, 4, 14)),
    ],
)
def test_reminder_due_times(starts_at: datetime, lead: str, due: datetime) -> None:
    assert reminder_due(starts_at.astimezone(UTC), starts_at.tzinfo, lead) == due  # type: ignore[arg-type]


def test_the_eve_of_an_early_morning_event_is_the_evening_before() -> None:
    due = reminder_due(paris(2024, 11, 12, 0, 30), PARIS, "eve")
    assert due.astimezone(PARIS) == paris(2024, 11, 11, 18)


@pytest.mark.parametrize("lead", ["", "3h", "2d", "eve ", "1W", "0h", "-2h", "99h"])
def test_unknown_leads_are_refused(lead: str) -> None:
    with pytest.raises(BadLead):
        reminder_due(paris(2024, 11, 12, 14), PARIS, lead)


def test_default_leads() -> None:
    assert DEFAULT_LEADS == ("eve", "2h")


def test_imminence() -> None:
    start = paris(2024, 11, 12, 14)
    assert is_imminent(reminder_due(start, PARIS, "2h"), start)
    assert is_imminent(reminder_due(start, PARIS, "1h"), start)
    assert not is_imminent(reminder_due(start, PARIS, "eve"), start)


@pytest.mark.parametrize(
    ("due", "quiet", "sent"),
    [
        (paris(2024, 11, 12, 22), Quiet(), paris(2024, 11, 13, 8)),
        (paris(2024, 11, 12, 21), Quiet(), paris(2024, 11, 13, 8)),
        (paris(2024, 11, 13, 7, 59), Quiet(), paris(2024, 11, 13, 8)),
        (paris(2024, 11, 13, 8), Quiet(), paris(2024, 11, 13, 8)),
        (paris(2024, 11, 12, 20, 59), Quiet(), paris(2024, 11, 12, 20, 59)),
        (paris(2024, 11, 12, 13, 30), Quiet(time(13), time(14)), paris(2024, 11, 12, 14)),
        (paris(2024, 11, 12, 23), Quiet(time(8), time(8)), paris(2024, 11, 12, 23)),
        # Quiet over the night the clocks go back: 08:00 is still 08:00 local.
        (paris(2024, 10, 26, 23), Quiet(), paris(2024, 10, 27, 8)),
    ],
)
def test_quiet_hours(due: datetime, quiet: Quiet, sent: datetime) -> None:
    assert after_quiet(due.astimezone(UTC), PARIS, quiet) == sent.astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "leads"),
    [
        ("1w 1h", ("1w", "1h")),
        ("1 semaine, 2h", ("1w", "2h")),
        ("veille et 1 heure", ("eve", "1h")),
        ("the day before and 2 hours", ("eve", "2h")),
        ("1j", ("1d",)),
        ("2h 2h", ("2h",)),
        ("3h", None),
        ("demain", None),
        ("1w lundi", None),
    ],
)
def test_lead_times_in_words(text: str, leads: tuple[str, ...] | None) -> None:
    assert read_leads(text) == leads


@pytest.mark.parametrize(
    ("starts_at", "dues"),
    [
        # 30 March 2025, the spring change: 10:00 summer time.
        (paris(2025, 3, 30, 10), [paris(2025, 3, 29, 18), paris(2025, 3, 30, 8)]),
        # 27 October 2024, the autumn change: 10:00 winter time.
        (paris(2024, 10, 27, 10), [paris(2024, 10, 26, 18), paris(2024, 10, 27, 8)]),
    ],
)
def test_planned_reminders_keep_local_times_across_the_change(
    starts_at: datetime, dues: list[datetime]
) -> None:
    chat = Chat(
        id=1, timezone="Europe/Paris", quiet_start=time(21), quiet_end=time(8), language="fr"
    )
    event = Event(
        id=7,
        title="Atelier",
        starts_at=starts_at.astimezone(UTC),
        status="scheduled",
        timezone="Europe/Paris",
        all_day=False,
        online=False,
        tbd_place=False,
    )
    now = datetime(2024, 10, 1, tzinfo=UTC)
    rows = reminder_rows(chat, event, DEFAULT_LEADS, now)
    assert [row["due_at"] for row in rows] == [due.astimezone(UTC) for due in dues]
    assert [row["due_at"].astimezone(PARIS).hour for row in rows] == [18, 8]
