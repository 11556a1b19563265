"""Announcements: an organizer's message to the followers of one of their events, or to the
subscribers of an area in their scope, sent through the outbox like every other message
(rate limits, retries, exactly once), after an admin's approval when admins require it.

Its author follows it in a progress message, edited as the outbox empties (sent, failed,
remaining), and gets a delivery report once nothing remains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Announcement, Chat, Event, OutboxMessage, Setting, Subscription
from essbot.geo import Place, communes_near, haversine_km, load_gazetteer
from essbot.notify.outbox import after_quiet_hours, ensure_chat, outbox_row, plan
from essbot.organize.roles import Role
from essbot.texts import texts_for
from essbot.texts.cards import escape

MAX_TEXT = 3500  # characters an organizer may write (a message holds 4096, with the heading)
APPROVAL = "approve_announcements"  # the setting: announcements wait for an admin
PROGRESS_EVERY = timedelta(seconds=3)  # the progress message is edited at most this often
BATCH = 1000  # outbox rows planned in one statement
AreaKind = str  # "department", "region" or "commune"


class NotAllowed(Exception):
    """An announcement the user may not make, or not now; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Recipients --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """A chat an announcement goes to: what planning its message needs."""

    id: int
    language: str
    timezone: str
    quiet_start: time
    quiet_end: time


class _Area(NamedTuple):
    """What a subscription covers."""

    area_kind: str | None
    area_code: str | None
    lat: float | None
    lon: float | None
    radius_km: float | None


_RECIPIENT = (Chat.id, Chat.language, Chat.timezone, Chat.quiet_start, Chat.quiet_end)
_AREA = (
    Subscription.area_kind,
    Subscription.area_code,
    Subscription.lat,
    Subscription.lon,
    Subscription.radius_km,
)


async def recipients(session: AsyncSession, announcement: Announcement) -> list[Recipient]:
    """The chats an announcement goes to, by id: those following its event, or those whose
    area subscription covers its area or lies within it; never a chat that blocked the bot."""
    if announcement.target == "event":
        query = (
            select(*_RECIPIENT)
            .join(Subscription, Subscription.chat_id == Chat.id)
            .where(
                Subscription.kind == "event",
                Subscription.event_id == announcement.event_id,
                Chat.blocked_at.is_(None),
            )
            .distinct()
            .order_by(Chat.id)
        )
        return [Recipient(*row) for row in (await session.execute(query)).all()]
    target = _target_place(announcement.target, announcement.area_code or "")
    areas = (
        select(*_RECIPIENT, *_AREA)
        .join(Subscription, Subscription.chat_id == Chat.id)
        .where(
            Subscription.kind == "area",
            Chat.blocked_at.is_(None),
            _may_reach(announcement.target, target),
        )
        .order_by(Chat.id)
    )
    chats: dict[int, Recipient] = {}
    for row in (await session.execute(areas)).all():
        chat_id, area = row[0], _Area(row[5], row[6], row[7], row[8], row[9])
        if chat_id not in chats and _reaches(area, announcement.target, target):
            chats[chat_id] = Recipient(row[0], row[1], row[2], row[3], row[4])
    return list(chats.values())


def _may_reach(kind: str, target: Place) -> ColumnElement[bool]:
    """The subscriptions that may reach the target, in SQL (`_reaches` decides): an INSEE
    code begins with its department's code; points are placed in Python."""
    area_kind, code = Subscription.area_kind, Subscription.area_code
    if kind == "region":
        departments = [d.code for d in load_gazetteer().departments if d.region == target.code]
        communes = or_(*(code.startswith(department) for department in departments))
        return or_(
            and_(area_kind == "region", code == target.code),
            and_(area_kind == "department", code.in_(departments)),
            and_(area_kind == "commune", communes),
            area_kind == "point",
        )
    if kind == "department":
        return or_(
            and_(area_kind == "region", code == target.region),
            and_(area_kind == "department", code == target.code),
            and_(area_kind == "commune", code.startswith(target.code)),
            area_kind == "point",
        )
    return or_(
        and_(area_kind == "region", code == target.region),
        and_(area_kind == "department", code == target.department),
        and_(area_kind == "commune", or_(code == target.code, Subscription.radius_km.is_not(None))),
        area_kind == "point",
    )


def _target_place(kind: str, code: str) -> Place:
    place = load_gazetteer().get(kind, code)  # type: ignore[arg-type]
    if place is None:
        raise NotAllowed("unknown_area")
    return place


def _reaches(subscription: _Area, kind: str, target: Place) -> bool:
    """Whether a subscription's area covers the target area or lies within it."""
    department, region = _area_of(subscription)
    if subscription.area_kind == "region":
        return region == target.region if kind != "region" else region == target.code
    if kind == "region":
        return region == target.code
    if kind == "department":
        return department == target.code
    # A commune: subscribed to it, to a circle around it, or to its department.
    if subscription.area_kind == "department":
        return department == target.department
    lat, lon, radius = subscription.lat, subscription.lon, subscription.radius_km
    if radius is not None and lat is not None and lon is not None:
        assert target.lat is not None
        assert target.lon is not None
        return haversine_km(lat, lon, target.lat, target.lon) <= radius
    return subscription.area_code == target.code


def _area_of(subscription: _Area) -> tuple[str | None, str | None]:
    """The department and region a subscription's area lies in."""
    gazetteer = load_gazetteer()
    kind, code = subscription.area_kind, subscription.area_code
    if kind == "region":
        return None, code
    if kind == "department" and code:
        department = gazetteer.get("department", code)
        return code, department.region if department else None
    if kind == "commune" and code:
        commune = gazetteer.get("commune", code)
        return (commune.department, commune.region) if commune else (None, None)
    if subscription.lat is not None and subscription.lon is not None:
        return _area_of_point(round(subscription.lat, 3), round(subscription.lon, 3))
    return None, None


@lru_cache(maxsize=4096)
def _area_of_point(lat: float, lon: float) -> tuple[str | None, str | None]:
    """The department and region of the commune nearest a point (within 30 km)."""
    near = communes_near(lat, lon, 30.0)
    if not near:
        return None, None
    commune = near[0][0]
    return commune.department, commune.region


# Writing and confirming ------------------------------------------------------------------


async def draft_for_event(
    session: AsyncSession, role: Role, event: Event, *, chat_id: int, text: str, now: datetime
) -> Announcement:
    """An announcement to an event's followers, not sent yet; NotAllowed unless the user
    may act on the event."""
    if not role.owns(event):
        raise NotAllowed("not_yours")
    if event.status == "cancelled":
        raise NotAllowed("cancelled")
    return await _draft(session, role, chat_id, text, now, target="event", event_id=event.id)


async def draft_for_area(
    session: AsyncSession,
    role: Role,
    kind: AreaKind,
    code: str,
    *,
    chat_id: int,
    text: str,
    now: datetime,
) -> Announcement:
    """An announcement to an area's subscribers, not sent yet; NotAllowed outside the
    organizer's scope."""
    if kind not in ("department", "region", "commune"):
        raise NotAllowed("unknown_area")
    _target_place(kind, code)
    if not role.admin and not role.scope.covers(kind, code):
        raise NotAllowed("outside_scope")
    return await _draft(session, role, chat_id, text, now, target=kind, area_code=code)


async def _draft(
    session: AsyncSession,
    role: Role,
    chat_id: int,
    text: str,
    now: datetime,
    **target: Any,
) -> Announcement:
    text = text.strip()
    if not text:
        raise NotAllowed("empty")
    if len(text) > MAX_TEXT:
        raise NotAllowed("too_long")
    announcement = Announcement(
        owner_id=role.user_id, chat_id=chat_id, text=text, state="draft", created_at=now, **target
    )
    session.add(announcement)
    await session.flush()
    announcement.recipients = len(await recipients(session, announcement))
    return announcement


async def approval_required(session: AsyncSession) -> bool:
    setting = await session.get(Setting, APPROVAL)
    return bool(setting and setting.value)


async def require_approval(
    session: AsyncSession, required: bool, *, by: int, now: datetime
) -> None:
    """Set whether announcements wait for an admin's approval (in the caller's transaction)."""
    setting = await session.get(Setting, APPROVAL)
    if setting is None:
        setting = Setting(name=APPROVAL)
        session.add(setting)
    setting.value, setting.updated_by, setting.updated_at = required, by, now


async def confirm(
    session: AsyncSession,
    announcement: Announcement,
    role: Role,
    *,
    admins: Iterable[int],
    now: datetime,
    bot_username: str | None = None,
) -> str:
    """Its author confirms a draft: it is sent, or waits for an admin; the new state. A
    draft confirmed twice (a button pressed again) raises NotAllowed."""
    if announcement.owner_id != role.user_id:
        raise NotAllowed("not_yours")
    waits = not role.admin and await approval_required(session)
    await _move(session, announcement, "draft", "waiting" if waits else "sending")
    announcement.confirmed_at = now
    if waits:
        await _tell_admins(session, announcement, admins, now)
        return "waiting"
    await _queue(session, announcement, now, bot_username)
    return "sending"


async def _move(session: AsyncSession, announcement: Announcement, before: str, after: str) -> None:
    """Change the state, if it still is `before`: of two presses of one button at once (two
    bot processes, or two taps), one goes on and the other raises NotAllowed("already")."""
    if announcement.state != before:
        raise NotAllowed("already")
    moved = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement.id, Announcement.state == before)
        .values(state=after)
        .returning(Announcement.id)
    )
    if moved.first() is None:
        raise NotAllowed("already")
    announcement.state = after


async def decide(
    session: AsyncSession,
    announcement: Announcement,
    role: Role,
    *,
    approved: bool,
    now: datetime,
    bot_username: str | None = None,
) -> str:
    """An admin approves (it is sent) or rejects (its author is told) a waiting
    announcement; the new state."""
    if not role.admin:
        raise NotAllowed("admins_only")
    await _move(session, announcement, "waiting", "sending" if approved else "rejected")
    announcement.decided_by, announcement.decided_at = role.user_id, now
    if approved:
        await _queue(session, announcement, now, bot_username)
        return "sending"
    announcement.finished_at = now
    chat = await ensure_chat(session, announcement.chat_id, now)
    text = texts_for(chat.language).announcement_rejected(announcement.id)
    await plan(session, [_notice(f"rejected:{announcement.id}", chat, text, now)])
    return "rejected"


async def drop(session: AsyncSession, announcement: Announcement, role: Role) -> None:
    """Its author drops a draft never confirmed."""
    if announcement.owner_id != role.user_id:
        raise NotAllowed("not_yours")
    await _move(session, announcement, "draft", "dropped")


async def waiting_for_approval(session: AsyncSession) -> Sequence[Announcement]:
    query = select(Announcement).where(Announcement.state == "waiting").order_by(Announcement.id)
    return (await session.scalars(query)).all()


async def _tell_admins(
    session: AsyncSession, announcement: Announcement, admins: Iterable[int], now: datetime
) -> None:
    rows = []
    for admin in admins:
        chat = await ensure_chat(session, admin, now)
        text = texts_for(chat.language).approval_needed(announcement.id)
        rows.append(_notice(f"approval:{announcement.id}:{admin}", chat, text, now))
    await plan(session, rows)


def _notice(key: str, chat: Chat, text: str, now: datetime) -> dict[str, Any]:
    return outbox_row(key=key, chat=chat, kind="notice", text=text, due_at=now, now=now)


async def _queue(
    session: AsyncSession, announcement: Announcement, now: datetime, bot_username: str | None
) -> None:
    """Plan one outbox row per recipient, out of each chat's quiet hours."""
    heading, expires_at = await _heading(session, announcement)
    chats = await recipients(session, announcement)
    rows = []
    for chat in chats:
        texts = texts_for(chat.language)
        text = f"<b>📣 {heading(texts)}</b>\n\n{escape(announcement.text)}"
        row = outbox_row(
            key=f"announcement:{announcement.id}:{chat.id}",
            chat=chat,
            kind="announcement",
            text=text,
            due_at=after_quiet_hours(chat, now),
            now=now,
            event_id=announcement.event_id,
            expires_at=expires_at,
        )
        row["announcement_id"] = announcement.id
        rows.append(row)
    planned = 0
    for first in range(0, len(rows), BATCH):
        planned += await plan(session, rows[first : first + BATCH])
    announcement.recipients = planned
    if not planned:  # nobody to tell: done at once, and the report says so
        await _finish(session, announcement, Counter(), now)


async def _heading(session: AsyncSession, announcement: Announcement) -> tuple[Any, Any]:
    """How the message is headed in each language, and when it is no longer worth sending."""
    if announcement.target == "event" and announcement.event_id is not None:
        event = await session.get(Event, announcement.event_id)
        if event is not None:
            title = escape(event.title)
            return (lambda texts: texts.announcement_about(title)), event.until
    place = _target_place(announcement.target, announcement.area_code or "")
    name = escape(place.label if place.kind == "commune" else place.name)
    return (lambda texts: texts.announcement_to(name)), None


# Progress ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Progress:
    """What the author of an announcement being sent should see now: a progress message to
    send (message_id None) or to edit."""

    announcement_id: int
    chat_id: int
    message_id: int | None
    text: str
    final: bool


async def progress(session: AsyncSession, now: datetime) -> list[Progress]:
    """The progress messages to show or update, each claimed for PROGRESS_EVERY so that two
    bot processes do not both edit it; an announcement with nothing left is finished here,
    once, and its delivery report planned in the outbox. Commits."""
    postgres = session.get_bind().dialect.name == "postgresql"
    query = select(Announcement).where(
        Announcement.state == "sending",
        (Announcement.progress_until.is_(None)) | (Announcement.progress_until <= now),
    )
    if postgres:
        query = query.with_for_update(skip_locked=True)
    shown = []
    for announcement in (await session.scalars(query.order_by(Announcement.id))).all():
        counts = await _counts(session, announcement.id)
        remaining = counts["pending"] + counts["sending"]
        chat = await ensure_chat(session, announcement.chat_id, now)
        texts = texts_for(chat.language)
        sent, failed = counts["sent"], counts["dropped"] + counts["failed"]
        text = texts.announcement_progress(announcement.id, sent, failed, remaining)
        final = remaining == 0
        if final:
            await _finish(session, announcement, counts, now)
        announcement.progress_until = now + PROGRESS_EVERY
        if text != announcement.progress_text:
            announcement.progress_text = text
            shown.append(
                Progress(announcement.id, chat.id, announcement.progress_message_id, text, final)
            )
    await session.commit()
    return shown


async def progress_shown(session: AsyncSession, announcement_id: int, message_id: int) -> None:
    """Remember the progress message just sent, to edit it next time; commits."""
    await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.progress_message_id.is_(None))
        .values(progress_message_id=message_id)
    )
    await session.commit()


async def _counts(session: AsyncSession, announcement_id: int) -> Counter[str]:
    query = (
        select(OutboxMessage.state, OutboxMessage.error, func.count())
        .where(OutboxMessage.announcement_id == announcement_id)
        .group_by(OutboxMessage.state, OutboxMessage.error)
    )
    counts: Counter[str] = Counter()
    for state, error, count in (await session.execute(query)).all():
        counts[state] += count
        if state in ("dropped", "failed"):
            counts[f"error:{_reason(error)}"] += count
    return counts


def _reason(error: str | None) -> str:
    """Why a message was not delivered, in a few words: blocked, expired, or rejected."""
    if error in ("blocked", "expired"):
        return error
    return "rejected"


async def _finish(
    session: AsyncSession, announcement: Announcement, counts: Counter[str], now: datetime
) -> None:
    """Mark it done and plan its delivery report (once: the report's key)."""
    announcement.state, announcement.finished_at = "done", now
    chat = await ensure_chat(session, announcement.chat_id, now)
    texts = texts_for(chat.language)
    failures = {key[6:]: count for key, count in counts.items() if key.startswith("error:")}
    text = texts.announcement_report(
        announcement.id, announcement.recipients, counts["sent"], failures
    )
    await plan(session, [_notice(f"report:{announcement.id}", chat, text, now)])
