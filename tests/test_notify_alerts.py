"""New events are told to the chats whose area (and keywords) they fall in: once, out of
quiet hours, never to a chat that blocked the bot. On SQLite and PostgreSQL."""

from datetime import UTC, date, datetime
from typing import Any

from seeds import SEEDS
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Chat, Event, OutboxMessage, Subscription
from essbot.events import import_document
from essbot.extract import extract
from essbot.geo import load_gazetteer
from essbot.notify.alerts import alert_subscribers
from essbot.notify.subscriptions import area_subscription

TOUR = SEEDS[0].read_text(encoding="utf-8")
NOW = datetime(2016, 9, 20, 8, 0, tzinfo=UTC)  # 10:00 in Paris
AMIENS = load_gazetteer().get("commune", "80021")
LILLE = load_gazetteer().get("commune", "59350")
ALL = ["Calais", "Nogent-sur-Oise", "Soissons", "Nœux-les-Mines", "Amiens", "Anzin", "Roubaix"]


def circle(place: Any, radius: float) -> dict[str, Any]:
    return {
        "area_kind": "commune",
        "area_code": place.code,
        "lat": place.lat,
        "lon": place.lon,
        "radius_km": radius,
    }


SUBSCRIBERS: dict[int, dict[str, Any]] = {
    1: {"area_kind": "department", "area_code": "62", "lat": None, "lon": None, "radius_km": None},
    2: {"area_kind": "region", "area_code": "32", "lat": None, "lon": None, "radius_km": None},
    3: {"area_kind": "commune", "area_code": "62193", "lat": None, "lon": None, "radius_km": None},
    4: circle(AMIENS, 30),
    5: {**circle(AMIENS, 30), "keywords": ["atelier"]},
    6: {"area_kind": "department", "area_code": "75", "lat": None, "lon": None, "radius_km": None},
    7: {"area_kind": "department", "area_code": "62", "lat": None, "lon": None, "radius_km": None},
    8: circle(LILLE, 120),
    9: {**circle(LILLE, 120), "keywords": ["rencontre"]},
}
EXPECTED = {
    1: ["Calais", "Nœux-les-Mines"],
    2: ALL,
    3: ["Calais"],
    4: ["Amiens"],
    5: [],
    6: [],
    7: [],  # blocked the bot
    8: ["Calais", "Nœux-les-Mines", "Amiens", "Anzin", "Roubaix"],  # Lille: 11 to 98 km
    9: ["Calais", "Nœux-les-Mines", "Amiens", "Anzin", "Roubaix"],
}


async def subscribe_everyone(session: AsyncSession) -> None:
    for chat_id, area in SUBSCRIBERS.items():
        blocked = NOW if chat_id == 7 else None
        session.add(Chat(id=chat_id, created_at=NOW, updated_at=NOW, blocked_at=blocked))
        await session.flush()
        session.add(area_subscription(chat_id, NOW, **area))
    await session.commit()


async def publish(session: AsyncSession, text: str, now: datetime = NOW) -> int:
    extraction = extract(text, ref_date=date(2016, 9, 20), source="tour.txt")
    report = await import_document(
        session, text=text, name="tour.txt", extraction=extraction, now=now
    )
    planned = await alert_subscribers(session, report.new_ids, now)
    await session.commit()
    return planned


async def alerted(session: AsyncSession) -> dict[int, list[str]]:
    query = (
        select(OutboxMessage.chat_id, Event.town)
        .join(Event, Event.id == OutboxMessage.event_id)
        .where(OutboxMessage.kind == "alert")
        .order_by(OutboxMessage.chat_id, Event.starts_at)
    )
    found: dict[int, list[str]] = {chat_id: [] for chat_id in SUBSCRIBERS}
    for chat_id, town in (await session.execute(query)).all():
        found[chat_id].append(town or "")
    return found


async def test_new_events_are_told_to_their_areas(session: AsyncSession) -> None:
    await subscribe_everyone(session)
    planned = await publish(session, TOUR)
    assert await alerted(session) == EXPECTED
    assert planned == sum(len(towns) for towns in EXPECTED.values())
    message = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 3))
    assert message is not None
    assert message.text.startswith("<b>🆕 Nouvel événement près de chez vous</b>")
    assert "mardi 27 septembre 2016, 17h30–20h" in message.text
    assert message.due_at == NOW


async def test_an_event_is_told_once(session: AsyncSession) -> None:
    await subscribe_everyone(session)
    await publish(session, TOUR)
    await publish(session, TOUR + "\n")  # a corrected version announcing the same events
    assert await alerted(session) == EXPECTED


async def test_alerts_wait_for_the_end_of_quiet_hours(session: AsyncSession) -> None:
    await subscribe_everyone(session)
    late = datetime(2016, 9, 20, 21, 30, tzinfo=UTC)  # 23:30 in Paris
    await publish(session, TOUR, now=late)
    message = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 3))
    assert message is not None
    assert message.due_at == datetime(2016, 9, 21, 6, 0, tzinfo=UTC)  # 08:00 in Paris


async def test_past_events_are_not_told(session: AsyncSession) -> None:
    await subscribe_everyone(session)
    after = datetime(2016, 10, 10, 8, 0, tzinfo=UTC)
    await publish(session, TOUR, now=after)
    assert (await alerted(session))[2] == ["Anzin", "Roubaix"]


async def test_a_digest_gathers_the_weeks_events_for_its_day(session: AsyncSession) -> None:
    session.add(Chat(id=20, created_at=NOW, updated_at=NOW))
    await session.flush()
    digest = area_subscription(
        20,
        NOW,
        area_kind="department",
        area_code="62",
        lat=None,
        lon=None,
        radius_km=None,
        mode="digest",
    )
    digest.digest_day = 4  # Friday
    session.add(digest)
    await session.commit()
    await publish(session, TOUR)
    (message,) = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == 20))
    ).all()
    # Tuesday 20 September 2016: the digest goes on Friday 23 at 09:00 in Paris.
    assert (message.kind, message.due_at) == ("digest", datetime(2016, 9, 23, 7, 0, tzinfo=UTC))
    assert message.text.startswith(
        "<b>🗞 Les nouveaux événements de la semaine près de chez vous</b>"
    )
    assert message.text.count("Rencontre ESS Tour") == 2  # Calais and Nœux-les-Mines
    await publish(session, TOUR + "\n")  # the same events again: nothing added
    await session.refresh(message)
    assert message.text.count("Rencontre ESS Tour") == 2


async def test_an_instant_subscription_wins_over_a_digest(session: AsyncSession) -> None:
    session.add(Chat(id=21, created_at=NOW, updated_at=NOW))
    await session.flush()
    weekly = area_subscription(
        21,
        NOW,
        area_kind="region",
        area_code="32",
        lat=None,
        lon=None,
        radius_km=None,
        mode="digest",
    )
    weekly.digest_day = 0
    session.add_all(
        [
            weekly,
            area_subscription(
                21, NOW, area_kind="department", area_code="62", lat=None, lon=None, radius_km=None
            ),
        ]
    )
    await session.commit()
    await publish(session, TOUR)
    kinds = (
        await session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.chat_id == 21).order_by(OutboxMessage.id)
        )
    ).all()
    assert sorted(kinds) == ["alert", "alert", "digest"]  # the 62 at once, the rest weekly


async def test_subscribers_who_want_reminders_get_them_for_new_events(
    session: AsyncSession,
) -> None:
    session.add(Chat(id=30, created_at=NOW, updated_at=NOW))
    await session.flush()
    subscription = area_subscription(30, NOW, **circle(AMIENS, 30))
    subscription.leads = ["eve", "2h"]
    session.add(subscription)
    await session.commit()
    await publish(session, TOUR)
    rows = (
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == 30).order_by(OutboxMessage.due_at)
        )
    ).all()
    assert [(m.kind, m.lead) for m in rows] == [
        ("alert", ""),
        ("reminder", "eve"),
        ("reminder", "2h"),
    ]
    followed = await session.scalar(
        select(Subscription).where(Subscription.chat_id == 30, Subscription.kind == "event")
    )
    assert followed is not None
    assert followed.leads == ["eve", "2h"]
