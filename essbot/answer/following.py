"""Subscribing: /subscribe (or "abonne-moi… près d'Amiens"), /subscriptions with a button to
remove each, /stop with a confirmation. In a group, only its administrators may."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.answer import callbacks
from essbot.answer.labels import area_label
from essbot.answer.reply import Button, Reply
from essbot.db import Event, OutboxMessage, Subscription
from essbot.events.search import Criteria
from essbot.extract.text import fold_same_length
from essbot.notify.outbox import ensure_chat
from essbot.notify.schedule import DEFAULT_LEADS
from essbot.notify.subscriptions import area_subscription
from essbot.texts import Texts, texts_for
from essbot.texts.cards import escape
from essbot.understand import Where
from essbot.understand.where import DEFAULT_RADIUS_KM


def may_manage(who_kind: str, is_admin: bool) -> bool:
    """Private chats manage their own subscriptions; groups, through their administrators."""
    return who_kind == "private" or is_admin


async def subscribe(
    session: AsyncSession,
    *,
    chat_id: int,
    chat_kind: str,
    where: Where,
    keywords: tuple[str, ...],
    texts: Texts,
    now: datetime,
) -> Reply:
    """Subscribe a chat to the new events of the place understood (commune: around it)."""
    place = where.place
    if where.kind == "point" and where.lat is not None and where.lon is not None:
        fields = {
            "area_kind": "point",
            "area_code": None,
            "lat": where.lat,
            "lon": where.lon,
            "radius_km": where.radius_km or DEFAULT_RADIUS_KM,
        }
    elif place is not None and place.kind == "commune":
        fields = {
            "area_kind": "commune",
            "area_code": place.code,
            "lat": place.lat,
            "lon": place.lon,
            "radius_km": where.radius_km or DEFAULT_RADIUS_KM,
        }
    elif place is not None and place.kind in ("department", "region"):
        fields = {
            "area_kind": place.kind,
            "area_code": place.code,
            "lat": None,
            "lon": None,
            "radius_km": None,
        }
    else:
        return Reply(texts.subscribe_usage)
    await ensure_chat(session, chat_id, now, kind=chat_kind, language=texts.code, present=True)
    subscription = area_subscription(chat_id, now, keywords=keywords, **fields)  # type: ignore[arg-type]
    session.add(subscription)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return Reply(texts.already_subscribed)
    return Reply(texts.subscribed(escape(_label(subscription, texts)), ", ".join(keywords)))


async def listing(
    session: AsyncSession, chat_id: int, texts: Texts, *, edit: bool = False
) -> Reply:
    """The chat's subscriptions, each with buttons: remove it; for an area, switch between
    alerts at once and the weekly digest, and reminders of its events on or off."""
    rows = (
        await session.execute(
            select(Subscription, Event.title)
            .outerjoin(Event, Event.id == Subscription.event_id)
            .where(Subscription.chat_id == chat_id)
            .order_by(Subscription.id)
        )
    ).all()
    if not rows:
        return Reply(texts.no_subscriptions, edit=edit)
    lines = [texts.subscriptions_heading, ""]
    buttons: list[tuple[Button, ...]] = []
    for number, (subscription, title) in enumerate(rows, start=1):
        remove = Button(f"❌ {number}", callbacks.event_data("u", subscription.id))
        if subscription.kind == "event":
            lines.append(f"{number}. 🔔 {escape(title or '')}")
            buttons.append((remove,))
            continue
        notes = [escape(", ".join(subscription.keywords))] if subscription.keywords else []
        if subscription.mode == "digest" and subscription.digest_day is not None:
            notes.append(texts.weekly(texts.weekdays[subscription.digest_day]))
        if subscription.leads:
            notes.append(texts.with_reminders)
        said = "".join(f" — {note}" for note in notes)
        lines.append(f"{number}. 📍 {escape(_label(subscription, texts))}{said}")
        mode = "⚡" if subscription.mode == "digest" else "🗞"
        bell = "🔕" if subscription.leads else "🔔"
        buttons.append(
            (
                remove,
                Button(f"{mode} {number}", callbacks.event_data("t", subscription.id)),
                Button(f"{bell} {number}", callbacks.event_data("w", subscription.id)),
            )
        )
    lines.append("")
    lines.append(texts.subscriptions_buttons)
    return Reply("\n".join(lines), tuple(buttons), edit=edit)


async def change(
    session: AsyncSession, chat_id: int, subscription_id: int, what: str, texts: Texts
) -> list[Reply]:
    """Switch an area subscription between at once and weekly ("t"), or its events'
    reminders on and off ("w"); the list, edited."""
    subscription = await session.get(Subscription, subscription_id)
    if subscription is None or subscription.chat_id != chat_id or subscription.kind != "area":
        return [Reply(toast=texts.expired_button)]
    if what == "t":
        if subscription.mode == "digest":
            subscription.mode, subscription.digest_day = "instant", None
        else:
            days = await session.scalars(
                select(Subscription.digest_day).where(
                    Subscription.chat_id == chat_id, Subscription.digest_day.is_not(None)
                )
            )
            subscription.mode, subscription.digest_day = "digest", next(iter(days), 0)
    else:
        subscription.leads = [] if subscription.leads else list(DEFAULT_LEADS)
    await session.commit()
    return [replace(await listing(session, chat_id, texts, edit=True), toast=texts.changed)]


async def unsubscribe(
    session: AsyncSession, chat_id: int, subscription_id: int, texts: Texts
) -> list[Reply]:
    """Remove one of the chat's subscriptions (and an event's pending reminders with it)."""
    subscription = await session.get(Subscription, subscription_id)
    if subscription is None or subscription.chat_id != chat_id:
        return [Reply(toast=texts.expired_button)]
    if subscription.event_id is not None:
        await _drop_pending(session, chat_id, event_id=subscription.event_id)
    await session.delete(subscription)
    await session.commit()
    return [replace(await listing(session, chat_id, texts, edit=True), toast=texts.unsubscribed)]


def stop_question(texts: Texts) -> Reply:
    return Reply(
        texts.stop_question,
        ((Button(texts.stop_yes, "z|yes"), Button(texts.stop_no, "z|no")),),
    )


async def stop(session: AsyncSession, chat_id: int, confirmed: bool, texts: Texts) -> Reply:
    """Everything the chat subscribed to, and everything waiting for it, removed."""
    if not confirmed:
        return Reply(texts.stop_cancelled, edit=True)
    await session.execute(delete(Subscription).where(Subscription.chat_id == chat_id))
    await _drop_pending(session, chat_id)
    await session.commit()
    return Reply(texts.stopped, edit=True)


async def _drop_pending(
    session: AsyncSession, chat_id: int, *, event_id: int | None = None
) -> None:
    query = update(OutboxMessage).where(
        OutboxMessage.chat_id == chat_id, OutboxMessage.state == "pending"
    )
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    await session.execute(query.values(state="dropped", error="unsubscribed"))


def _label(subscription: Subscription, texts: Texts) -> str:
    kind = subscription.area_kind
    criteria = Criteria(
        kind if kind in ("commune", "department", "region", "point") else "everywhere",  # type: ignore[arg-type]
        subscription.area_code,
        subscription.lat,
        subscription.lon,
        subscription.radius_km,
    )
    return area_label(criteria, texts)


_INSTANT = ("off", "non", "no", "aussitot", "instant", "immediat", "at once", "now")


async def set_digest(session: AsyncSession, chat_id: int, args: str, texts: Texts) -> Reply:
    """/digest <day>: the chat's area subscriptions gathered in a weekly digest on that day;
    /digest off: told at once again."""
    word = fold_same_length(args.strip())
    names = [fold_same_length(day) for lang in ("fr", "en") for day in texts_for(lang).weekdays]
    day: int | None
    if word in _INSTANT:
        day = None
    elif word in names:
        day = names.index(word) % 7
    else:
        return Reply(texts.digest_usage)
    subscriptions = list(
        await session.scalars(
            select(Subscription).where(Subscription.chat_id == chat_id, Subscription.kind == "area")
        )
    )
    if not subscriptions:
        return Reply(texts.no_subscriptions)
    for subscription in subscriptions:
        subscription.mode = "instant" if day is None else "digest"
        subscription.digest_day = day
    await session.commit()
    return Reply(texts.digest_off if day is None else texts.digest_set(texts.weekdays[day]))


_CLOCK = re.compile(r"(\d{1,2})(?:[h:](\d{2})?)?")


async def set_quiet(
    session: AsyncSession, chat_id: int, chat_kind: str, args: str, texts: Texts, now: datetime
) -> Reply:
    """/quiet 22h 7h30: nothing but imminent reminders in those hours; /quiet off: none."""
    words = args.lower().replace("-", " ").replace("à", " ").replace("to", " ").split()
    chat = await ensure_chat(
        session, chat_id, now, kind=chat_kind, language=texts.code, present=True
    )
    if words in (["off"], ["non"], ["no"], ["aucune"], ["none"]):
        chat.quiet_start = chat.quiet_end = time(0, 0)
        await session.commit()
        return Reply(texts.quiet_off)
    moments = [moment for moment in map(_clock, words) if moment is not None]
    if len(words) != 2 or len(moments) != 2 or moments[0] == moments[1]:
        return Reply(texts.quiet_usage)
    start, end = moments
    chat.quiet_start, chat.quiet_end = start, end
    chat.updated_at = now
    await session.commit()
    return Reply(texts.quiet_set(texts.clock(start), texts.clock(end)))


def _clock(word: str) -> time | None:
    match = _CLOCK.fullmatch(word)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None
