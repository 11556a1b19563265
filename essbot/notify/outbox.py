"""Planning messages: rows of the outbox, each planned once whatever is asked twice.

A row's key names what it is: `reminder:<chat>:<event>:<lead>`. Planning the same thing again
(the button pressed twice, two processes at once) finds the key taken and adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Chat, Event, OutboxMessage, insert_new
from essbot.notify import messages
from essbot.notify.schedule import Quiet, after_quiet, is_imminent, reminder_due
from essbot.texts import language_of


def reminder_key(chat_id: int, event_id: int, lead: str, starts_at: datetime) -> str:
    """A reminder is planned once per chat, event, lead and start: an event that moves gets
    its reminders planned anew."""
    return f"reminder:{chat_id}:{event_id}:{lead}:{int(starts_at.timestamp())}"


async def ensure_chat(
    session: AsyncSession,
    chat_id: int,
    now: datetime,
    *,
    kind: str = "private",
    language: str | None = None,
    present: bool = False,
) -> Chat:
    """The chat's row, created on first need (in the session's transaction). `present`: its
    user is writing to the bot now, so it has not blocked the bot (any more), and speaks
    `language`."""
    chat = await session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(
            id=chat_id, kind=kind, language=language_of(language), created_at=now, updated_at=now
        )
        session.add(chat)
        await session.flush()
    elif present and (chat.blocked_at is not None or (language and chat.language != language)):
        chat.blocked_at, chat.updated_at = None, now
        chat.language = language_of(language) if language else chat.language
    return chat


class Addressee(Protocol):
    """What planning a message needs of its chat: a Chat, or just these columns of one."""

    @property
    def id(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def quiet_start(self) -> time: ...
    @property
    def quiet_end(self) -> time: ...


def outbox_row(
    *,
    key: str,
    chat: Addressee,
    kind: str,
    text: str,
    due_at: datetime,
    now: datetime,
    event_id: int | None = None,
    lead: str = "",
    expires_at: datetime | None = None,
) -> dict[str, Any]:
    """The values of one outbox row, pending."""
    return {
        "key": key,
        "chat_id": chat.id,
        "kind": kind,
        "event_id": event_id,
        "lead": lead,
        "text": text,
        "due_at": due_at,
        "expires_at": expires_at,
        "state": "pending",
        "attempts": 0,
        "created_at": now,
    }


def after_quiet_hours(chat: Addressee, due: datetime) -> datetime:
    """`due`, or the end of the chat's quiet hours it falls in."""
    return after_quiet(due, ZoneInfo(chat.timezone), Quiet(chat.quiet_start, chat.quiet_end))


def reminder_rows(
    chat: Chat,
    event: Event,
    leads: Sequence[str],
    now: datetime,
    bot_username: str | None = None,
) -> list[dict[str, Any]]:
    """The outbox rows of an event's reminders for a chat: one per lead time still ahead,
    moved out of the chat's quiet hours unless imminent, and never after the start."""
    starts_at = event.starts_at
    if starts_at is None or event.status != "scheduled" or starts_at <= now:
        return []
    zone = ZoneInfo(event.timezone)
    rows = []
    for lead in leads:
        due = reminder_due(starts_at, zone, lead)
        if not is_imminent(due, starts_at):
            due = after_quiet_hours(chat, due)
        if due <= now or due >= starts_at:
            continue
        text = messages.reminder(event, lead, chat.language, bot_username)
        rows.append(
            outbox_row(
                key=reminder_key(chat.id, event.id, lead, starts_at),
                chat=chat,
                kind="reminder",
                text=text,
                due_at=due,
                now=now,
                event_id=event.id,
                lead=lead,
                expires_at=starts_at,
            )
        )
    return rows


async def plan(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Add outbox rows whose key is new; the number added."""
    if not rows:
        return 0
    statement = insert_new(session, OutboxMessage, "key").returning(OutboxMessage.id)
    return len((await session.execute(statement, rows)).all())
