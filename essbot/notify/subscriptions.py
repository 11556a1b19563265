"""Subscriptions: to one event's reminders, or to the new events of an area."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Subscription, insert_new
from essbot.notify.schedule import DEFAULT_LEADS


def event_subscription(
    chat_id: int, event_id: int, now: datetime, leads: Sequence[str] = DEFAULT_LEADS
) -> Subscription:
    """A chat following one event: its reminders at these lead times, its changes."""
    return Subscription(
        key=f"event:{chat_id}:{event_id}",
        chat_id=chat_id,
        kind="event",
        event_id=event_id,
        keywords=[],
        mode="instant",
        leads=list(leads),
        created_at=now,
    )


def area_subscription(
    chat_id: int,
    now: datetime,
    *,
    area_kind: str,
    area_code: str | None,
    lat: float | None,
    lon: float | None,
    radius_km: float | None,
    keywords: Sequence[str] = (),
    mode: str = "instant",
) -> Subscription:
    """A chat told of the new events of an area (matching the keywords, if any)."""
    place = area_code or f"{lat:.4f},{lon:.4f}"
    radius = f"{radius_km:g}" if radius_km is not None else ""
    words = ",".join(sorted(keywords))
    return Subscription(
        key=f"area:{chat_id}:{area_kind}:{place}:{radius}:{words}"[:255],
        chat_id=chat_id,
        kind="area",
        area_kind=area_kind,
        area_code=area_code,
        lat=lat,
        lon=lon,
        radius_km=radius_km,
        keywords=sorted(keywords),
        mode=mode,
        leads=[],
        created_at=now,
    )


async def follow_event(
    session: AsyncSession, chat_id: int, event_id: int, leads: Sequence[str], now: datetime
) -> None:
    """Make the chat follow the event, unless it does already (its own lead times stay)."""
    subscription = event_subscription(chat_id, event_id, now, leads)
    values = {
        column.key: getattr(subscription, column.key)
        for column in Subscription.__table__.columns
        if column.key != "id"
    }
    await session.execute(insert_new(session, Subscription, "key").values(**values))
