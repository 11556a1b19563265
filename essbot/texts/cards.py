"""Events as text: the lines of a list, the detail view, inline cards. HTML, escaped."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from essbot.db import Event
from essbot.events.search import Hit
from essbot.texts import Texts

MAX_TITLE = 160
MAX_EXCERPT = 700


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML: only <, > and & matter outside attributes."""
    return html.escape(text, quote=False)


class Shown(Protocol):
    """What showing an event needs: a stored Event, or the Listed columns of a search."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> datetime | None: ...
    @property
    def ends_at(self) -> datetime | None: ...
    @property
    def timezone(self) -> str: ...
    @property
    def all_day(self) -> bool: ...
    @property
    def venue(self) -> str | None: ...
    @property
    def address(self) -> str | None: ...
    @property
    def town(self) -> str | None: ...
    @property
    def department(self) -> str | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def online(self) -> bool: ...
    @property
    def tbd_place(self) -> bool: ...


def local(instant: datetime, event: Shown) -> datetime:
    """An instant in the event's own time zone."""
    return instant.astimezone(ZoneInfo(event.timezone))


def when(event: Shown, texts: Texts) -> str:
    """The event's date and times in words, or "" when it has none."""
    if event.starts_at is None:
        return ""
    ends_at = local(event.ends_at, event) if event.ends_at is not None else None
    return texts.when(local(event.starts_at, event), ends_at, all_day=event.all_day)


def where(event: Shown, texts: Texts, *, address: bool = True) -> str:
    """Venue, address, town (department); "En ligne" or "Lieu à préciser" where so."""
    parts = [event.venue or ""]
    if address:
        parts.append(event.address or "")
    if event.town:
        parts.append(f"{event.town} ({event.department})" if event.department else event.town)
    text = ", ".join(escape(part) for part in parts if part)
    if event.online and not event.venue:
        text = f"{texts.online}, {text}" if text else texts.online
    if event.tbd_place:
        text = f"{text} — {texts.place_tbd}" if text else texts.place_tbd
    return text


def title(event: Shown) -> str:
    text = event.title if len(event.title) <= MAX_TITLE else event.title[: MAX_TITLE - 1] + "…"
    return escape(text)


def list_item(number: int, hit: Hit, texts: Texts, *, distance: bool) -> str:
    """One event of a list: number, title, date, place, distance, state."""
    event = hit.event
    lines = [f"<b>{number}. {title(event)}</b>"]
    date_line = f"🗓 {when(event, texts)}"
    if hit.in_progress:
        date_line += f" — <i>{texts.in_progress}</i>"
    elif hit.past:
        date_line += f" — <i>{texts.past}</i>"
    lines.append(date_line)
    place = where(event, texts)
    if distance and hit.distance_km is not None and event.lat is not None:
        place += f" · {texts.distance(hit.distance_km)}"
    if place:
        lines.append(f"📍 {place}")
    return "\n".join(lines)


def detail(event: Event, texts: Texts, *, excerpt: str | None, source: str | None) -> str:
    """The whole event: everything known, and the announcement it comes from."""
    lines = [f"<b>{escape(event.title)}</b>"]
    if date_text := when(event, texts):
        lines.append(f"🗓 {date_text}")
    if event.year_inferred:
        lines.append(f"<i>({texts.year_guessed})</i>")
    if place := where(event, texts):
        lines.append(f"📍 {place}")
    lines.append(f"{texts.event_number} {event.id}")
    if excerpt:
        text = excerpt if len(excerpt) <= MAX_EXCERPT else excerpt[: MAX_EXCERPT - 1] + "…"
        lines.append(f"\n<blockquote>{escape(text)}</blockquote>")
    if source:
        lines.append(f"<i>{texts.source} {escape(source)}</i>")
    return "\n".join(lines)


def card_text(event: Shown, texts: Texts) -> str:
    """An event as a message of its own (shared from inline mode)."""
    lines = [f"<b>{title(event)}</b>"]
    if date_text := when(event, texts):
        lines.append(f"🗓 {date_text}")
    if place := where(event, texts):
        lines.append(f"📍 {place}")
    return "\n".join(lines)


def card_description(event: Shown, texts: Texts) -> str:
    """The grey line under an inline result: date and town, plain text."""
    parts = [when(event, texts), event.town or (texts.online if event.online else "")]
    return " · ".join(part for part in parts if part)
