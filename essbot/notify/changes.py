"""When an event moves or is cancelled, the chats that follow it are told once, and their
reminders follow: those still pending are dropped, and for a moved event planned anew for its
new time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Chat, Event, OutboxMessage, Subscription
from essbot.notify import messages
from essbot.notify.outbox import after_quiet_hours, outbox_row, plan, reminder_rows
from essbot.notify.schedule import DEFAULT_LEADS


async def tell_followers(
    session: AsyncSession,
    *,
    moved: Iterable[int] = (),
    cancelled: Iterable[int] = (),
    now: datetime,
    bot_username: str | None = None,
) -> int:
    """Plan the notices and reminders that follow changes to events, in the caller's
    transaction; the number of notices planned."""
    planned = 0
    changes = [*((i, "change") for i in moved), *((i, "cancellation") for i in cancelled)]
    for event_id, kind in changes:
        event = await session.get(Event, event_id)
        if event is None:
            continue
        await _drop_pending_reminders(session, event_id, reason=kind)
        for chat, leads in await _followers(session, event_id):
            planned += await _notice(session, chat, event, kind, now, bot_username)
            if kind == "change":
                rows = reminder_rows(chat, event, leads or DEFAULT_LEADS, now, bot_username)
                await plan(session, rows)
    return planned


async def _followers(session: AsyncSession, event_id: int) -> list[tuple[Chat, list[str]]]:
    """The chats that asked for this event's reminders (with their lead times) and have not
    blocked the bot."""
    query = (
        select(Chat, Subscription.leads)
        .join(Subscription, Subscription.chat_id == Chat.id)
        .where(
            Subscription.kind == "event",
            Subscription.event_id == event_id,
            Chat.blocked_at.is_(None),
        )
        .order_by(Chat.id)
    )
    return [(chat, list(leads)) for chat, leads in (await session.execute(query)).all()]


async def _drop_pending_reminders(session: AsyncSession, event_id: int, *, reason: str) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.event_id == event_id,
            OutboxMessage.kind == "reminder",
            OutboxMessage.state == "pending",
        )
        .values(state="dropped", error="moved" if reason == "change" else "cancelled")
    )


async def _notice(
    session: AsyncSession,
    chat: Chat,
    event: Event,
    kind: str,
    now: datetime,
    bot_username: str | None,
) -> int:
    """One notice per chat and per state of the event: told again only if it changes again.
    It waits for the end of quiet hours, and is not sent once the event is over."""
    if kind == "change":
        text = messages.change(event, chat.language, bot_username)
    else:
        text = messages.cancellation(event, chat.language)
    state = f"{event.status}|{event.starts_at}|{event.ends_at}|{event.venue}|{event.town}"
    digest = hashlib.sha256(state.encode()).hexdigest()[:16]
    row = outbox_row(
        key=f"{kind}:{chat.id}:{event.id}:{digest}",
        chat=chat,
        kind=kind,
        text=text,
        due_at=after_quiet_hours(chat, now),
        now=now,
        event_id=event.id,
        expires_at=event.until,
    )
    return await plan(session, [row])
