"""What the bot keeps about people: said (/start, /privacy), given back (/mydata), deleted
(/forget), and purged in time (delivery records after 90 days, chats that blocked the bot
after 30). On SQLite and PostgreSQL."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from seeds import import_seeds
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from essbot import privacy
from essbot.answer import Answerer, Reply, Who
from essbot.db import (
    Chat,
    Delivery,
    Event,
    OutboxMessage,
    RoleChange,
    Subscription,
    User,
    create_session_factory,
    metadata,
)
from essbot.texts import texts_for

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 9, 20, 10, 0, tzinfo=PARIS)
FR = texts_for("fr")
EN = texts_for("en")
ANA, BOB, ADMIN = 41, 42, 900


@pytest.fixture
async def answerer(engine: AsyncEngine, session: AsyncSession) -> Answerer:
    await import_seeds(session)
    return Answerer(create_session_factory(engine), tz=PARIS, admins=[ADMIN])


def who(user: int, kind: str = "private") -> Who:
    return Who(user, user if kind == "private" else -100, "fr", kind)


async def say(answerer: Answerer, user: int, text: str, kind: str = "private") -> list[Reply]:
    if text.startswith("/"):
        head, _, args = text.partition(" ")
        return await answerer.command(who(user, kind), head[1:], args, NOW)
    return await answerer.text(who(user, kind), text, NOW)


async def follow(answerer: Answerer, user: int) -> None:
    """A user who shared a place, chose English, subscribed, asked for a reminder."""
    await answerer.location(who(user), 49.894, 2.296, NOW)
    await say(answerer, user, "/lang en")
    await say(answerer, user, "/subscribe Amiens")
    (listing,) = await say(answerer, user, "près d'Amiens")
    event_button = listing.buttons[0][0].data
    assert event_button is not None
    await answerer.button(who(user), "r|" + event_button.split("|")[1], NOW)


async def rows(session: AsyncSession, user: int) -> dict[str, int]:
    """How many rows of each kind are about the user."""
    counts = {}
    for name, model, column in (
        ("user", User, User.id),
        ("chat", Chat, Chat.id),
        ("subscriptions", Subscription, Subscription.chat_id),
        ("messages", OutboxMessage, OutboxMessage.chat_id),
    ):
        query = select(func.count()).select_from(model).where(column == user)
        counts[name] = await session.scalar(query) or 0
    return counts


async def test_start_says_what_is_kept_and_privacy_says_more(answerer: Answerer) -> None:
    (welcome,) = await say(answerer, ANA, "/start")
    assert welcome.text.endswith(
        "<i>Je ne garde que le nécessaire : votre langue, le lieu partagé, vos abonnements.</i> "
        "/privacy"
    )
    (said,) = await say(answerer, ANA, "/privacy")
    assert said.text == FR.privacy
    assert "/mydata" in said.text
    assert "/forget" in said.text


async def test_mydata_gives_everything_kept_as_json(
    answerer: Answerer, session: AsyncSession
) -> None:
    await follow(answerer, ANA)
    (reply,) = await say(answerer, ANA, "/mydata")
    assert reply.attachment is not None
    assert reply.attachment.filename == "essbot-mydata.json"
    data = json.loads(reply.attachment.content)
    assert data["user"]["id"] == ANA
    assert data["user"]["language"] == "en"
    assert (data["user"]["place_lat"], data["user"]["place_lon"]) == (49.894, 2.296)
    assert [s["kind"] for s in data["subscriptions"]] == ["area", "event"]
    assert data["subscriptions"][0]["area_code"] == "80021"
    assert {m["kind"] for m in data["messages"]} == {"reminder"}
    assert all(m["text"] for m in data["messages"])
    assert data["organizer"] is None
    # Nothing of anyone else's.
    await follow(answerer, BOB)
    (again,) = await say(answerer, ANA, "/mydata")
    assert json.loads(again.attachment.content)["messages"] == data["messages"]  # type: ignore[union-attr]


async def test_forget_deletes_everything_after_a_confirmation(
    answerer: Answerer, session: AsyncSession
) -> None:
    await follow(answerer, ANA)
    await follow(answerer, BOB)
    bob_before = await rows(session, BOB)
    message = await session.scalar(select(OutboxMessage.id).where(OutboxMessage.chat_id == ANA))
    session.add(Delivery(message_id=message, attempted_at=NOW, outcome="network", detail="x"))
    await session.commit()
    (question,) = await say(answerer, ANA, "/forget")
    assert question.text == EN.forget_question  # Ana chose English
    (kept,) = await answerer.button(who(ANA), "f|no", NOW)
    assert kept.text == EN.stop_cancelled
    assert (await rows(session, ANA))["subscriptions"] == 2
    (done,) = await answerer.button(who(ANA), "f|yes", NOW)
    assert done.text == EN.forgotten
    assert await rows(session, ANA) == {"user": 0, "chat": 0, "subscriptions": 0, "messages": 0}
    assert await session.scalar(select(func.count()).select_from(Delivery)) == 0
    assert await rows(session, BOB) == bob_before
    # The cache forgot too: the language chosen is gone.
    (welcome,) = await say(answerer, ANA, "/start")
    assert welcome.text == FR.welcome


async def test_forgetting_an_organizer_keeps_their_events_published(
    answerer: Answerer, session: AsyncSession
) -> None:
    await say(answerer, ADMIN, "/grant 62 62")
    (listing,) = await answerer.command(
        who(62), "newevent", "Mardi 12 novembre 2024 à 14h : atelier au Toit Commun, 62300 Lens",
        NOW,
    )  # fmt: skip
    publish = next(b for row in listing.buttons for b in row if "Publier" in b.label)
    assert publish.data is not None
    await answerer.button(who(62), publish.data, NOW)
    await answerer.button(who(62), "f|yes", NOW)
    event = await session.scalar(select(Event).where(Event.title.startswith("Atelier")))
    assert event is not None
    assert event.owner_id is None
    assert event.status == "scheduled"
    assert (await say(answerer, 62, "/myevents"))[0].text == FR.organizers_only
    changes = (await session.scalars(select(RoleChange))).all()
    assert [(c.action, c.user_id, c.by_user_id) for c in changes] == [("grant", None, ADMIN)]


async def test_mydata_and_forget_are_private(answerer: Answerer, session: AsyncSession) -> None:
    before = {t.name: (await session.execute(select(t))).all() for t in metadata.sorted_tables}
    for text in ("/mydata", "/forget"):
        (reply,) = await say(answerer, ANA, text, kind="supergroup")
        assert reply.text == FR.private_only
    (refused,) = await answerer.button(who(ANA, "supergroup"), "f|yes", NOW)
    assert refused.toast == FR.private_only
    after = {t.name: (await session.execute(select(t))).all() for t in metadata.sorted_tables}
    assert after == before


async def test_purge_keeps_delivery_records_90_days_and_blocked_chats_30(
    answerer: Answerer, session: AsyncSession
) -> None:
    await follow(answerer, ANA)
    await follow(answerer, BOB)
    messages = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    for message in messages:
        message.state, message.sent_at = "sent", NOW
        session.add(Delivery(message_id=message.id, attempted_at=NOW, outcome="sent"))
    chat = await session.get(Chat, BOB)
    assert chat is not None
    chat.blocked_at = NOW
    await session.commit()
    soon = await privacy.purge(session, NOW + timedelta(days=29))
    assert (soon.deliveries, soon.messages, soon.chats) == (0, 0, [])
    later = await privacy.purge(session, NOW + timedelta(days=31))
    await session.commit()
    assert later.chats == [BOB]
    assert await rows(session, BOB) == {"user": 0, "chat": 0, "subscriptions": 0, "messages": 0}
    assert (await rows(session, ANA))["subscriptions"] == 2
    end = await privacy.purge(session, NOW + timedelta(days=91))
    await session.commit()
    assert end.deliveries == len(messages) // 2
    assert await session.scalar(select(func.count()).select_from(Delivery)) == 0
    assert (await rows(session, ANA))["messages"] == 0
