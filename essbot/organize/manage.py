"""An organizer's published events: listed, changed field by field, cancelled; whoever
follows an event is told of a new time or place, or of its cancellation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Event
from essbot.events.fields import event_fields, replace_fields, snapshot
from essbot.events.store import moved
from essbot.geo import PlaceResolver
from essbot.notify.alerts import alert_subscribers
from essbot.notify.changes import tell_followers
from essbot.organize.fields import Field, FieldError, as_extracted, event_as_fields, read_field
from essbot.organize.roles import Role

PAGE = 8  # events a page of /myevents


@dataclass(frozen=True, slots=True)
class Listing:
    events: Sequence[Event]
    offset: int
    more: bool


async def owned_events(session: AsyncSession, role: Role, now: datetime, offset: int) -> Listing:
    """The organizer's events not over yet (undated ones last); an admin's are everyone's."""
    query = select(Event).where(
        Event.status != "cancelled", or_(Event.until.is_(None), Event.until > now)
    )
    if not role.admin:
        query = query.where(Event.owner_id == role.user_id)
    query = query.order_by(Event.starts_at.is_(None), Event.starts_at, Event.id)
    found = list(await session.scalars(query.offset(offset).limit(PAGE + 1)))
    return Listing(found[:PAGE], offset, len(found) > PAGE)


@dataclass(frozen=True, slots=True)
class Change:
    """A field changed: whether the time or place moved, and the notices planned."""

    moved: bool
    notices: int


async def change_field(
    session: AsyncSession,
    event: Event,
    field: Field,
    text: str,
    role: Role,
    *,
    today: date,
    resolver: PlaceResolver,
    now: datetime,
    bot_username: str | None = None,
) -> Change:
    """Set one field of a published event from what its organizer typed (in the caller's
    transaction); FieldError when it cannot be read, or would take the event out of the
    organizer's scope ("outside_scope")."""
    fields = read_field(field, text, event_as_fields(event), today=today, resolver=resolver)
    department = fields.get("department")
    if department and not role.scope.covers_department(department):
        raise FieldError("outside_scope")
    values = event_fields(as_extracted(fields), timezone=event.timezone)
    before = snapshot(event)
    was_dated = event.status == "scheduled"
    replace_fields(event, values, keep_known=False)
    if snapshot(event) == before:
        return Change(moved=False, notices=0)
    event.updated_at = now
    await session.flush()
    notices = 0
    if event.status == "scheduled" and moved(before, event):
        notices = await tell_followers(
            session, moved=[event.id], now=now, bot_username=bot_username
        )
    if event.status == "scheduled" and not was_dated:  # a date at last: new to subscribers
        await alert_subscribers(session, [event.id], now, bot_username)
    return Change(moved=moved(before, event), notices=notices)


async def cancel(
    session: AsyncSession, event: Event, *, now: datetime, bot_username: str | None = None
) -> int | None:
    """Cancel an event (in the caller's transaction) and tell its followers; the notices
    planned, or None when it was cancelled already."""
    if event.status == "cancelled":
        return None
    event.status, event.updated_at = "cancelled", now
    await session.flush()
    return await tell_followers(session, cancelled=[event.id], now=now, bot_username=bot_username)
