"""What the bot keeps about a person, given back (/mydata) or deleted (/forget), and the
purges that keep nothing longer than needed.

Kept about someone: their Telegram id, the language they chose, the place they shared, their
subscriptions, the messages planned for them and the record of their delivery (90 days); for
organizers, their role and what they submitted or announced. No message text of theirs
beyond what an organizer publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import (
    Announcement,
    Chat,
    Conversation,
    Delivery,
    Event,
    Organizer,
    OutboxMessage,
    RoleChange,
    Submission,
    Subscription,
    User,
)

DELIVERIES_KEPT = timedelta(days=90)  # the record of what was sent, and of sent messages
BLOCKED_KEPT = timedelta(days=30)  # a chat that blocked the bot is forgotten after this
FINISHED = ("sent", "dropped", "failed")  # outbox states nothing happens to any more
FORGOTTEN = 0  # the author of an announcement sent before its author asked to be forgotten


async def personal_data(session: AsyncSession, user_id: int) -> dict[str, Any]:
    """Everything stored about a user and their private chat, as JSON-ready values."""
    user = await session.get(User, user_id)
    chat = await session.get(Chat, user_id)
    subscriptions = await session.scalars(
        select(Subscription).where(Subscription.chat_id == user_id).order_by(Subscription.id)
    )
    messages = list(
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == user_id).order_by(OutboxMessage.id)
        )
    )
    deliveries = await session.scalars(
        select(Delivery)
        .where(Delivery.message_id.in_([message.id for message in messages]))
        .order_by(Delivery.id)
    )
    conversation = await session.get(Conversation, user_id)
    organizer = await session.scalar(select(Organizer).where(Organizer.user_id == user_id))
    changes = await session.scalars(
        select(RoleChange).where(RoleChange.user_id == user_id).order_by(RoleChange.id)
    )
    submissions = await session.scalars(
        select(Submission).where(Submission.owner_id == user_id).order_by(Submission.id)
    )
    announcements = await session.scalars(
        select(Announcement).where(Announcement.owner_id == user_id).order_by(Announcement.id)
    )
    events = await session.scalars(
        select(Event.id).where(Event.owner_id == user_id).order_by(Event.id)
    )
    return {
        "user": _row(user, _USER),
        "chat": _row(chat, _CHAT),
        "subscriptions": [_row(subscription, _SUBSCRIPTION) for subscription in subscriptions],
        "messages": [_row(message, _MESSAGE) for message in messages],
        "deliveries": [_row(delivery, _DELIVERY) for delivery in deliveries],
        "waiting_for": _row(conversation, _CONVERSATION),
        "organizer": _row(organizer, _ORGANIZER),
        "role_changes": [_row(change, _ROLE_CHANGE) for change in changes],
        "submissions": [_row(submission, _SUBMISSION) for submission in submissions],
        "announcements": [_row(announcement, _ANNOUNCEMENT) for announcement in announcements],
        "events_published": list(events),
    }


# The columns /mydata gives, by table (ids that mean nothing outside the database left out).
_USER = ("id", "language", "place_insee", "place_lat", "place_lon", "created_at", "updated_at")
_CHAT = ("id", "kind", "language", "timezone", "quiet_start", "quiet_end", "blocked_at",
         "created_at")  # fmt: skip
_SUBSCRIPTION = ("kind", "event_id", "area_kind", "area_code", "lat", "lon", "radius_km",
                 "keywords", "mode", "digest_day", "leads", "created_at")  # fmt: skip
_MESSAGE = ("id", "kind", "event_id", "text", "due_at", "state", "sent_at", "error")
_DELIVERY = ("message_id", "attempted_at", "outcome", "detail")
_CONVERSATION = ("step", "data", "expires_at")
_ORGANIZER = ("departments", "regions", "granted_by", "granted_at")
_ROLE_CHANGE = ("action", "departments", "regions", "by_user_id", "at")
_SUBMISSION = ("name", "title", "text", "created_at", "published_at")
_ANNOUNCEMENT = ("target", "event_id", "area_code", "text", "state", "recipients", "created_at",
                 "finished_at")  # fmt: skip


def _row(row: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    if row is None:
        return None
    return {name: _json(getattr(row, name)) for name in names}


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What forgetting someone deleted, in rows."""

    subscriptions: int
    messages: int
    rows: int  # user, chat, waiting step, role, submissions


async def forget(session: AsyncSession, user_id: int) -> Forgotten:
    """Delete everything about a user and their private chat (in the caller's transaction):
    subscriptions, planned and sent messages with their delivery record, chosen language and
    place, a waiting step, an organizer's role and submissions. What an organizer published
    stays published, no longer theirs; the record of role changes keeps the admins' acts,
    without the user."""
    subscriptions = await _delete(
        session, delete(Subscription).where(Subscription.chat_id == user_id)
    )
    messages = await _delete(session, delete(OutboxMessage).where(OutboxMessage.chat_id == user_id))
    rows = 0
    for model, column in (
        (Chat, Chat.id),
        (User, User.id),
        (Conversation, Conversation.user_id),
        (Organizer, Organizer.user_id),
        (Submission, Submission.owner_id),
    ):
        rows += await _delete(session, delete(model).where(column == user_id))
    await session.execute(
        update(RoleChange).where(RoleChange.user_id == user_id).values(user_id=None, username=None)
    )
    await session.execute(update(Event).where(Event.owner_id == user_id).values(owner_id=None))
    unsent = ("draft", "waiting", "rejected", "dropped")
    await _delete(
        session,
        delete(Announcement).where(
            Announcement.owner_id == user_id, Announcement.state.in_(unsent)
        ),
    )
    await session.execute(
        update(Announcement)
        .where(Announcement.owner_id == user_id)
        .values(owner_id=FORGOTTEN, chat_id=FORGOTTEN, progress_message_id=None)
    )
    return Forgotten(subscriptions, messages, rows)


async def _delete(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement.returning(statement.table.c[0]))
    return len(result.all())


@dataclass(frozen=True, slots=True)
class Purged:
    deliveries: int
    messages: int
    chats: list[int]  # forgotten for having blocked the bot long enough


async def purge(session: AsyncSession, now: datetime) -> Purged:
    """Delete delivery records and finished messages older than DELIVERIES_KEPT, and forget
    the chats that blocked the bot more than BLOCKED_KEPT ago (in the caller's transaction)."""
    old = now - DELIVERIES_KEPT
    deliveries = await _delete(session, delete(Delivery).where(Delivery.attempted_at < old))
    messages = await _delete(
        session,
        delete(OutboxMessage).where(
            OutboxMessage.state.in_(FINISHED),
            or_(OutboxMessage.sent_at < old, OutboxMessage.due_at < old),
        ),
    )
    blocked = await session.scalars(
        select(Chat.id).where(Chat.blocked_at.is_not(None), Chat.blocked_at < now - BLOCKED_KEPT)
    )
    chats = list(blocked)
    for chat_id in chats:
        await forget(session, chat_id)  # a group's id is no one's: only its rows go
    return Purged(deliveries, messages, chats)
