"""The little the bot keeps about a user: the language they chose and the place they shared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def save_user(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    *,
    language: str | None = None,
    place: tuple[float, float] | None = None,
) -> User:
    """Create or update a user's row with what they just told the bot, and commit."""
    user = await session.get(User, user_id)
    if user is None:
        user = User(id=user_id, language=language or "fr", created_at=now, updated_at=now)
        session.add(user)
    if language is not None:
        user.language = language
    if place is not None:
        user.place_lat, user.place_lon = place
        user.place_insee = None
    user.updated_at = now
    await session.commit()
    return user
