"""What the bot waits for from a user, kept in the database: any bot process can take the
answer, and a restart forgets nothing. A step lapses after TIMEOUT."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Conversation

TIMEOUT = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Step:
    """A step: what is awaited ("text", "field", "announce", "area", "form") and its data."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)


async def current(session: AsyncSession, user_id: int, now: datetime) -> Step | None:
    """The step the user is at, unless it lapsed."""
    row = await session.get(Conversation, user_id)
    if row is None or row.expires_at <= now:
        return None
    return Step(row.step, dict(row.data))


async def wait_for(
    session: AsyncSession, user_id: int, chat_id: int, step: Step, now: datetime
) -> None:
    """Make `step` the user's current step (in the caller's transaction)."""
    row = await session.get(Conversation, user_id)
    if row is None:
        row = Conversation(user_id=user_id)
        session.add(row)
    row.chat_id, row.step, row.data = chat_id, step.name, dict(step.data)
    row.expires_at = now + TIMEOUT


async def finish(session: AsyncSession, user_id: int) -> None:
    """The user is at no step any more (in the caller's transaction)."""
    await session.execute(delete(Conversation).where(Conversation.user_id == user_id))
