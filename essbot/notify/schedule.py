"""When messages are due: reminder lead times and quiet hours, in local wall-clock time.

Pure functions of instants and time zones. "The day before" and "a week before" are the same
local time on an earlier day (so a reminder keeps its hour across a change of summer time);
hours before are hours of real time; "la veille" is 18:00 local on the day before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EVE_AT = time(18, 0)
DEFAULT_LEADS = ("eve", "2h")
LEADS = ("1w", "1d", "eve", "2h", "1h")
# A reminder at most this long before the event is imminent: it passes quiet hours.
IMMINENT = timedelta(hours=2)
QUIET_START = time(21, 0)
QUIET_END = time(8, 0)

_LEAD = re.compile(r"(?P<count>[1-9]\d?)(?P<unit>[wdh])")


class BadLead(ValueError):
    """A lead time nobody can choose."""


@dataclass(frozen=True, slots=True)
class Quiet:
    """Quiet hours, local: from `start` to `end` (over midnight when start > end)."""

    start: time = QUIET_START
    end: time = QUIET_END

    def holds(self, moment: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


_LEAD_WORDS = {
    "1w": ("1w", "1sem", "1 semaine", "semaine", "1 week", "week", "7j", "7d"),
    "1d": ("1d", "1j", "1 jour", "jour", "1 day", "day", "24h"),
    "eve": ("eve", "veille", "la veille", "the day before", "day before"),
    "2h": ("2h", "2 h", "2 heures", "2 hours"),
    "1h": ("1h", "1 h", "1 heure", "1 hour"),
}
_WORD_LEADS = {word: lead for lead, words in _LEAD_WORDS.items() for word in words}


def read_leads(text: str) -> tuple[str, ...] | None:
    """Lead times said in words ("1 semaine, 2h", "veille 1h"), in LEADS order; None when a
    word is not one."""
    rest = " ".join(text.lower().replace(",", " ").replace(";", " ").split())
    found: set[str] = set()
    while rest:
        word = next(
            (
                w
                for w in sorted(_WORD_LEADS, key=len, reverse=True)
                if rest == w or rest.startswith(w + " ")
            ),
            None,
        )
        if word is None:
            return None
        found.add(_WORD_LEADS[word])
        rest = rest[len(word) :].strip().removeprefix("et ").removeprefix("and ").strip()
    return tuple(lead for lead in LEADS if lead in found) or None


def check_lead(lead: str) -> str:
    """The lead as given, if it is one the bot offers; else BadLead."""
    if lead not in LEADS:
        raise BadLead(f"unknown lead time {lead!r}")
    return lead


def reminder_due(starts_at: datetime, zone: ZoneInfo, lead: str) -> datetime:
    """When the reminder `lead` before an event starting at `starts_at` is due, in UTC."""
    start = starts_at.astimezone(zone)
    if lead == "eve":
        return _at_local(start.date() - timedelta(days=1), EVE_AT, zone)
    match = _LEAD.fullmatch(check_lead(lead))
    assert match is not None
    count, unit = int(match["count"]), match["unit"]
    if unit == "h":
        return (starts_at - timedelta(hours=count)).astimezone(UTC)
    days = count * (7 if unit == "w" else 1)
    return _at_local(start.date() - timedelta(days=days), start.timetz().replace(tzinfo=None), zone)


def is_imminent(due_at: datetime, starts_at: datetime) -> bool:
    """Whether a reminder due then is close enough to the event to pass quiet hours."""
    return starts_at - due_at <= IMMINENT


def after_quiet(due_at: datetime, zone: ZoneInfo, quiet: Quiet) -> datetime:
    """`due_at`, or the end of the quiet hours it falls in (local), in UTC."""
    local = due_at.astimezone(zone)
    if not quiet.holds(local.time()):
        return due_at.astimezone(UTC)
    day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        day += timedelta(days=1)  # 22:00: quiet until tomorrow morning
    return _at_local(day, quiet.end, zone)


def _at_local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """The instant of a local date and time, in UTC. A time the spring change skips
    (02:30) is read with the winter offset, so it falls just after the change (03:30); a
    time the autumn change repeats is its first occurrence (PEP 495, fold=0)."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)
