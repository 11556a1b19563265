"""New events, told to the chats that subscribed to their area (and keywords): at once, out
of quiet hours, once per chat and event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Chat, Event, OutboxMessage, Subscription
from essbot.geo.cells import KM_PER_DEGREE
from essbot.geo.places import haversine_km
from essbot.notify import messages
from essbot.notify.outbox import after_quiet_hours, outbox_row, plan, reminder_rows
from essbot.notify.schedule import LEADS
from essbot.notify.subscriptions import follow_event
from essbot.understand.topics import KEYWORDS

MAX_RADIUS_KM = 300.0
DIGEST_AT = time(9, 0)  # local time a weekly digest goes out
MAX_DIGEST = 3800  # characters: one Telegram message


async def alert_subscribers(
    session: AsyncSession, new_ids: Iterable[int], now: datetime, bot_username: str | None = None
) -> int:
    """Plan an alert for each new upcoming event to each chat whose area subscription it
    matches (or add it to the chat's next weekly digest), in the caller's transaction; the
    number of events planned for a chat."""
    planned = 0
    for event_id in new_ids:
        event = await session.get(Event, event_id)
        if event is None or event.status != "scheduled" or (event.until or now) <= now:
            continue
        for chat, digest_day, leads in await _subscribers(session, event):
            if leads:  # the subscriber wants reminders of the area's events too
                await follow_event(session, chat.id, event.id, leads, now)
                await plan(session, reminder_rows(chat, event, leads, now, bot_username))
            if digest_day is not None:
                planned += await _add_to_digest(session, chat, digest_day, event, now)
                continue
            text = messages.alert(event, chat.language, bot_username)
            row = outbox_row(
                key=f"alert:{chat.id}:{event.id}",
                chat=chat,
                kind="alert",
                text=text,
                due_at=after_quiet_hours(chat, now),
                now=now,
                event_id=event.id,
                expires_at=event.until,
            )
            planned += await plan(session, [row])
    return planned


def next_digest(now: datetime, zone: ZoneInfo, day: int) -> datetime:
    """The next `day` (0 is Monday) at DIGEST_AT, local, after `now`; in UTC."""
    local = now.astimezone(zone)
    ahead = (day - local.weekday()) % 7
    due = datetime.combine(local.date() + timedelta(days=ahead), DIGEST_AT, tzinfo=zone)
    if due <= local:
        due = datetime.combine(local.date() + timedelta(days=ahead + 7), DIGEST_AT, tzinfo=zone)
    return due.astimezone(UTC)


async def _add_to_digest(
    session: AsyncSession, chat: Chat, day: int, event: Event, now: datetime
) -> int:
    """Add the event to the chat's pending digest for its next digest day (one per week)."""
    due = next_digest(now, ZoneInfo(chat.timezone), day)
    key = f"digest:{chat.id}:{due.date().isoformat()}"
    card = messages.digest_item(event, chat.language)
    digest = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if digest is None:
        text = f"{messages.digest_heading(chat.language)}\n\n{card}"
        row = outbox_row(key=key, chat=chat, kind="digest", text=text, due_at=due, now=now)
        return await plan(session, [row])
    if digest.state != "pending" or card in digest.text:
        return 0
    if len(digest.text) + len(card) + 2 > MAX_DIGEST:
        return 0  # full: the digest links to /upcoming for the rest
    digest.text = f"{digest.text}\n\n{card}"
    return 1


async def _subscribers(
    session: AsyncSession, event: Event
) -> list[tuple[Chat, int | None, tuple[str, ...]]]:
    """The chats with an area subscription the event falls in, each with its digest day
    (None: at once, which any instant subscription of the chat asks) and the reminders its
    subscriptions want."""
    areas = [
        and_(Subscription.area_kind == "department", Subscription.area_code == event.department),
        and_(Subscription.area_kind == "region", Subscription.area_code == event.region),
        and_(
            Subscription.area_kind == "commune",
            Subscription.radius_km.is_(None),
            Subscription.area_code == event.insee,
        ),
    ]
    if event.lat is not None and event.lon is not None:
        reach = MAX_RADIUS_KM / KM_PER_DEGREE
        areas.append(
            and_(
                Subscription.radius_km.is_not(None),
                Subscription.lat.between(event.lat - reach, event.lat + reach),
            )
        )
    query = (
        select(Subscription, Chat)
        .join(Chat, Chat.id == Subscription.chat_id)
        .where(Subscription.kind == "area", Chat.blocked_at.is_(None), or_(*areas))
        .order_by(Subscription.chat_id, Subscription.id)
    )
    found: dict[int, tuple[Chat, int | None, tuple[str, ...]]] = {}
    for subscription, chat in (await session.execute(query)).all():
        if not _matches(subscription, event):
            continue
        day = subscription.digest_day if subscription.mode == "digest" else None
        _, known_day, known_leads = found.get(chat.id, (chat, day, ()))
        leads = tuple(lead for lead in LEADS if lead in {*known_leads, *subscription.leads})
        found[chat.id] = (chat, None if day is None or known_day is None else day, leads)
    return list(found.values())


def _matches(subscription: Subscription, event: Event) -> bool:
    """The exact test: within the circle, and saying every keyword."""
    if subscription.radius_km is not None:
        if None in (subscription.lat, subscription.lon, event.lat, event.lon):
            return False
        distance = haversine_km(subscription.lat, subscription.lon, event.lat, event.lon)  # type: ignore[arg-type]
        if distance > subscription.radius_km:
            return False
    for keyword in subscription.keywords:
        said = any(form in event.words for form in KEYWORDS.get(keyword, (keyword,)))
        if not (said or (keyword == "en ligne" and event.online)):
            return False
    return True
