"""The little the bot keeps about a user: the language they chose and the place they shared.

Read through a cache: nearly every message comes from someone the bot already knows (or
knows it has nothing about), and a reply should not wait for the database to say so. An entry
lives CACHE_TTL, so that another bot process's change is seen within that time.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import User

CACHE_TTL = timedelta(minutes=5)
CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Profile:
    """What a user told the bot; `language` None when they never chose one."""

    language: str | None = None
    home: tuple[float, float] | None = None


class Users:
    """Users' profiles, read and written through an in-process cache."""

    def __init__(self, *, ttl: timedelta = CACHE_TTL, size: int = CACHE_SIZE) -> None:
        self.ttl = ttl
        self.size = size
        self._cache: OrderedDict[int, tuple[datetime, Profile]] = OrderedDict()

    async def get(self, session: AsyncSession, user_id: int, now: datetime) -> Profile:
        cached = self._cache.get(user_id)
        if cached is not None and now - cached[0] < self.ttl:
            self._cache.move_to_end(user_id)
            return cached[1]
        user = await session.get(User, user_id)
        return self._keep(user_id, _profile(user), now)

    async def save(
        self,
        session: AsyncSession,
        user_id: int,
        now: datetime,
        *,
        language: str | None = None,
        place: tuple[float, float] | None = None,
    ) -> Profile:
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
        return self._keep(user_id, _profile(user), now)

    def forget(self, user_id: int) -> None:
        """Drop what the cache holds about a user (they asked to be forgotten)."""
        self._cache.pop(user_id, None)

    def _keep(self, user_id: int, profile: Profile, now: datetime) -> Profile:
        self._cache[user_id] = (now, profile)
        self._cache.move_to_end(user_id)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return profile


def _profile(user: User | None) -> Profile:
    if user is None:
        return Profile()
    home = None
    if user.place_lat is not None and user.place_lon is not None:
        home = (user.place_lat, user.place_lon)
    return Profile(user.language, home)
