"""Roles: admins (ESSBOT_ADMINS) grant and revoke the organizer role, optionally limited to
departments or regions; every change is recorded. Every organizer action asks `role_of`
afresh, on the server side, whatever a button says."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Event, Organizer, RoleChange
from essbot.geo import Place, PlaceResolver, load_gazetteer
from essbot.understand.where import read_place_phrase

_USERNAME = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{3,31})")
_USER_ID = re.compile(r"\d{1,15}")


@dataclass(frozen=True, slots=True)
class Scope:
    """Where an organizer may act: these departments and regions, or everywhere when both
    are empty."""

    departments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @property
    def everywhere(self) -> bool:
        return not self.departments and not self.regions

    def covers_department(self, code: str | None) -> bool:
        """Whether the department is in the scope (an unknown one only when unlimited)."""
        if self.everywhere:
            return True
        if code is None:
            return False
        department = load_gazetteer().get("department", code)
        region = department.region if department is not None else None
        return code in self.departments or region in self.regions

    def covers_region(self, code: str) -> bool:
        return self.everywhere or code in self.regions

    def covers(self, kind: str, code: str) -> bool:
        """Whether an area (a commune by INSEE code, a department, a region) is in scope."""
        if kind == "region":
            return self.covers_region(code)
        if kind == "department":
            return self.covers_department(code)
        commune = load_gazetteer().get("commune", code)
        return commune is not None and self.covers_department(commune.department)

    def covers_event(self, event: Event) -> bool:
        """Whether an event may be published or changed under this scope: its department is
        in it, or it has none (online, place to be announced)."""
        if event.department is None:
            return True  # online or place to be announced: nowhere in particular
        return self.covers_department(event.department)

    def names(self) -> list[str]:
        """The departments and regions by name, for people."""
        gazetteer = load_gazetteer()
        departments = (gazetteer.get("department", code) for code in self.departments)
        regions = (gazetteer.get("region", code) for code in self.regions)
        return [f"{place.name} ({place.code})" for place in departments if place] + [
            place.name for place in regions if place
        ]


@dataclass(frozen=True, slots=True)
class Role:
    """What a user may do: admin (everything), or organizer within a scope."""

    user_id: int
    admin: bool
    scope: Scope

    def owns(self, event: Event) -> bool:
        """Whether the user may change, cancel and announce this event."""
        return self.admin or (event.owner_id == self.user_id and self.scope.covers_event(event))


async def role_of(
    session: AsyncSession,
    user_id: int,
    *,
    admins: Collection[int],
    username: str | None = None,
    now: datetime | None = None,
) -> Role | None:
    """The user's role, read now; None for participants. A role granted to the user's
    @username is claimed here (and recorded) when `now` is given."""
    if user_id in admins:
        return Role(user_id, admin=True, scope=Scope())
    organizer = await session.scalar(select(Organizer).where(Organizer.user_id == user_id))
    if organizer is None and username and now is not None:
        organizer = await _claim(session, user_id, username.lower(), now)
    if organizer is None:
        return None
    scope = Scope(tuple(organizer.departments), tuple(organizer.regions))
    return Role(user_id, admin=False, scope=scope)


async def _claim(
    session: AsyncSession, user_id: int, username: str, now: datetime
) -> Organizer | None:
    """The role waiting for this @username, now tied to the user's id."""
    organizer = await session.scalar(
        select(Organizer).where(Organizer.username == username, Organizer.user_id.is_(None))
    )
    if organizer is None:
        return None
    organizer.user_id = user_id
    session.add(_change("claim", organizer, organizer.granted_by, now))
    await session.commit()
    return organizer


@dataclass(frozen=True, slots=True)
class Person:
    """Whom a /grant or /revoke names: a user id or a @username."""

    user_id: int | None = None
    username: str | None = None

    @property
    def label(self) -> str:
        return str(self.user_id) if self.user_id is not None else f"@{self.username}"


def read_person(word: str) -> Person | None:
    """A Telegram user id or a @username; None when it is neither."""
    if _USER_ID.fullmatch(word):
        return Person(user_id=int(word))
    if word.startswith("@") and (match := _USERNAME.fullmatch(word)):
        return Person(username=match[1].lower())
    return None


def read_scope(words: str, resolver: PlaceResolver) -> Scope | list[str]:
    """Departments and regions, by number or name, separated by commas or spaces ("62, 59",
    "Hauts-de-France", "Pas-de-Calais, Nord"); the words not understood, if any."""
    departments: list[str] = []
    regions: list[str] = []
    unknown: list[str] = []
    for part in (part.strip() for part in words.split(",")):
        if not part:
            continue
        pieces = part.split() if all(_is_code(word) for word in part.split()) else [part]
        for piece in pieces:
            place = _area(piece, resolver)
            if place is None:
                unknown.append(piece)
            elif place.kind == "department" and place.code not in departments:
                departments.append(place.code)
            elif place.kind == "region" and place.code not in regions:
                regions.append(place.code)
    return unknown or Scope(tuple(departments), tuple(regions))


def _is_code(word: str) -> bool:
    return re.fullmatch(r"\d[\dAaBb]\d?", word) is not None


def _area(words: str, resolver: PlaceResolver) -> Place | None:
    gazetteer = load_gazetteer()
    if _is_code(words):
        return gazetteer.get("department", words.upper())
    where = read_place_phrase(words, resolver)
    place = where.place
    if place is None or len(where.alternatives) > 1:
        return None
    if place.kind in ("department", "region"):
        return place
    return None


async def grant(
    session: AsyncSession, person: Person, scope: Scope, *, by: int, now: datetime
) -> Organizer:
    """Give (or change the scope of) the organizer role; recorded; commits."""
    organizer = await _find(session, person)
    if organizer is None:
        organizer = Organizer(user_id=person.user_id, username=person.username)
        session.add(organizer)
    organizer.departments, organizer.regions = list(scope.departments), list(scope.regions)
    organizer.granted_by, organizer.granted_at = by, now
    session.add(_change("grant", organizer, by, now))
    await session.commit()
    return organizer


async def revoke(session: AsyncSession, person: Person, *, by: int, now: datetime) -> bool:
    """Take the organizer role away; recorded; commits. False when the person had none.

    Their events stay published; admins can act on them."""
    organizer = await _find(session, person)
    if organizer is None:
        return False
    session.add(_change("revoke", organizer, by, now))
    await session.execute(delete(Organizer).where(Organizer.id == organizer.id))
    await session.commit()
    return True


async def organizers(session: AsyncSession) -> Sequence[Organizer]:
    """Everyone with the role, those waiting for their @username to show up included."""
    return (await session.scalars(select(Organizer).order_by(Organizer.granted_at))).all()


async def recent_changes(session: AsyncSession, limit: int = 10) -> Sequence[RoleChange]:
    query = select(RoleChange).order_by(RoleChange.at.desc(), RoleChange.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def _find(session: AsyncSession, person: Person) -> Organizer | None:
    conditions = []
    if person.user_id is not None:
        conditions.append(Organizer.user_id == person.user_id)
    if person.username is not None:
        conditions.append(Organizer.username == person.username)
    return await session.scalar(select(Organizer).where(or_(*conditions)))


def _change(action: str, organizer: Organizer, by: int, now: datetime) -> RoleChange:
    return RoleChange(
        action=action,
        user_id=organizer.user_id,
        username=organizer.username,
        departments=list(organizer.departments or []),
        regions=list(organizer.regions or []),
        by_user_id=by,
        at=now,
    )
