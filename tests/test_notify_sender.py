"""The outbox sender: claims, slots, Telegram's answers, leases. A real python-telegram-bot Bot
talks to the local fake Bot API; the clock is frozen and moves when the sender waits."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fake_telegram import FakeBotApi
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TimedOut

from essbot.clock import FrozenClock
from essbot.db import (
    Chat,
    Delivery,
    OutboxMessage,
    SendGate,
    Subscription,
    create_session_factory,
)
from essbot.notify.sender import LEAD, MARGIN, Sender, Transport, claim
from essbot.notify.subscriptions import area_subscription

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOKEN = "123456:TEST-token"


@pytest.fixture
async def sessions(engine: AsyncEngine, session: AsyncSession) -> async_sessionmaker[AsyncSession]:
    """Sessions on the test's database (the `session` fixture has created the tables)."""
    return create_session_factory(engine)


@pytest.fixture
async def bot(bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=bot_api.base_url) as telegram_bot:
        yield telegram_bot


def transport_of(bot: Bot) -> Transport:
    async def send(chat_id: int, text: str) -> int:
        message = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        return message.message_id

    return send


def sender(
    sessions: async_sessionmaker[AsyncSession],
    transport: Transport,
    clock: FrozenClock,
    **options: Any,
) -> Sender:
    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return Sender(sessions, transport, clock, sleep=sleep, **options)


async def add_chats(session: AsyncSession, *ids: int, kind: str = "private") -> None:
    session.add_all(Chat(id=i, kind=kind, created_at=NOW, updated_at=NOW) for i in ids)
    await session.commit()


async def add_message(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    due: datetime = NOW,
    expires: datetime | None = None,
) -> None:
    session.add(
        OutboxMessage(
            key=f"test:{chat_id}:{text}",
            chat_id=chat_id,
            kind="reminder",
            text=text,
            due_at=due,
            expires_at=expires,
            created_at=NOW,
        )
    )
    await session.commit()


async def states(session: AsyncSession) -> dict[str, str]:
    session.expire_all()
    rows = (await session.execute(select(OutboxMessage.text, OutboxMessage.state))).all()
    return {text: state for text, state in rows}


def sent_texts(bot_api: FakeBotApi) -> list[str]:
    """What Telegram accepted, in order."""
    return [call.params["text"] for call in bot_api.calls_of("sendMessage") if call.error is None]


async def test_due_messages_are_sent_once_and_recorded(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1, 2)
    await add_message(session, 1, "<b>due</b>")
    await add_message(session, 2, "later", due=NOW + timedelta(hours=1))
    clock = FrozenClock(NOW)
    report = await sender(sessions, transport_of(bot), clock).sweep()
    assert (report.claimed, report.sent) == (1, 1)
    assert sent_texts(bot_api) == ["<b>due</b>"]
    assert await states(session) == {"<b>due</b>": "sent", "later": "pending"}
    again = await sender(sessions, transport_of(bot), clock).sweep()
    assert again.claimed == 0
    delivered = (await session.scalars(select(Delivery))).all()
    assert [(d.outcome, d.telegram_message_id is not None) for d in delivered] == [("sent", True)]
    clock.set(NOW + timedelta(hours=1))
    await sender(sessions, transport_of(bot), clock).sweep()
    assert sent_texts(bot_api) == ["<b>due</b>", "later"]


async def test_one_message_a_second_per_chat(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1)
    await add_chats(session, -100, kind="supergroup")
    for text in ("a", "b"):
        await add_message(session, 1, text)
        await add_message(session, -100, f"group {text}")
    clock = FrozenClock(NOW)
    assert (await sender(sessions, transport_of(bot), clock).sweep()).sent == 2
    first = NOW + LEAD  # the first slot of a claim is a little ahead
    clock.set(first + timedelta(seconds=1))
    await sender(sessions, transport_of(bot), clock).sweep()
    sent = sent_texts(bot_api)  # the first two were in flight together
    assert (sorted(sent[:2]), sent[2:]) == (["a", "group a"], ["b"])  # the group waits 3 s
    clock.set(first + timedelta(seconds=3))  # its slot was 1/30 s after the first
    assert (await sender(sessions, transport_of(bot), clock).sweep()).sent == 0
    clock.set(first + timedelta(seconds=3.05))
    await sender(sessions, transport_of(bot), clock).sweep()
    assert sent_texts(bot_api)[-1] == "group b"


async def test_slots_keep_the_overall_rate(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    chats = range(1, 91)
    await add_chats(session, *chats)
    for chat in chats:
        await add_message(session, chat, f"m{chat}")
    clock = FrozenClock(NOW)
    first = await sender(sessions, transport_of(bot), clock, batch=60, rate=30.0).sweep()
    assert first.sent == 60
    assert clock.now() - NOW == pytest.approx(
        LEAD + timedelta(seconds=59 / (30 * MARGIN)), abs=timedelta(milliseconds=5)
    )
    second = await sender(sessions, transport_of(bot), clock, batch=60, rate=30.0).sweep()
    assert second.sent == 30
    # The second claim starts where the first one's slots ended.
    assert clock.now() - NOW == pytest.approx(
        2 * LEAD + timedelta(seconds=88 / (30 * MARGIN)), abs=timedelta(milliseconds=5)
    )
    assert len(set(sent_texts(bot_api))) == 90


async def test_retry_after_puts_the_message_back_and_closes_the_gate(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1, 2, 3)
    await add_message(session, 1, "first")
    await add_message(session, 2, "second")
    await add_message(session, 3, "third")
    bot_api.fail("sendMessage", "Too Many Requests: retry after 5", error_code=429, retry_after=5)
    clock = FrozenClock(NOW)
    report = await sender(sessions, transport_of(bot), clock, concurrency=1).sweep()
    assert (report.retry_after, report.sent, report.given_back) == (1, 0, 2)
    assert report.seconds_asked == 5
    assert await states(session) == {"first": "pending", "second": "pending", "third": "pending"}
    clock.set(NOW + timedelta(seconds=2))
    assert (await sender(sessions, transport_of(bot), clock).sweep()).claimed == 0
    clock.set(NOW + timedelta(seconds=6))
    await sender(sessions, transport_of(bot), clock).sweep()
    assert sorted(sent_texts(bot_api)) == ["first", "second", "third"]
    assert set((await states(session)).values()) == {"sent"}


async def test_a_blocked_bot_stops_everything_for_that_chat(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1)
    await add_message(session, 1, "now")
    await add_message(session, 1, "tomorrow", due=NOW + timedelta(days=1))
    session.add(
        area_subscription(
            1, NOW, area_kind="department", area_code="80", lat=None, lon=None, radius_km=None
        )
    )
    await session.commit()
    bot_api.fail("sendMessage", "Forbidden: bot was blocked by the user", error_code=403)
    clock = FrozenClock(NOW)
    assert (await sender(sessions, transport_of(bot), clock).sweep()).forbidden == 1
    assert await states(session) == {"now": "dropped", "tomorrow": "dropped"}
    chat = await session.get(Chat, 1)
    assert chat is not None
    await session.refresh(chat)
    assert chat.blocked_at == NOW + LEAD  # when Telegram said so
    assert await session.scalar(select(func.count()).select_from(Subscription)) == 0
    await add_message(session, 1, "later")
    clock.set(NOW + timedelta(days=2))
    assert (await sender(sessions, transport_of(bot), clock).sweep()).claimed == 0


async def test_network_errors_retry_with_backoff(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1)
    await add_message(session, 1, "flaky")
    failures = [TimedOut()]
    real = transport_of(bot)

    async def flaky(chat_id: int, text: str) -> int:
        if failures:
            raise failures.pop()
        return await real(chat_id, text)

    clock = FrozenClock(NOW)
    assert (await sender(sessions, flaky, clock).sweep()).network == 1
    message = await session.scalar(select(OutboxMessage))
    assert message is not None
    await session.refresh(message)
    retry = NOW + LEAD + timedelta(seconds=2)
    assert (message.state, message.due_at) == ("pending", retry)
    clock.set(retry)
    assert (await sender(sessions, flaky, clock).sweep()).sent == 1
    assert sent_texts(bot_api) == ["flaky"]


async def test_expired_messages_are_dropped_unsent(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1, 2)
    await add_message(session, 1, "too late", due=NOW - timedelta(hours=3), expires=NOW)
    await add_message(
        session, 2, "still useful", due=NOW - timedelta(hours=3), expires=NOW + timedelta(minutes=5)
    )
    await sender(sessions, transport_of(bot), FrozenClock(NOW)).sweep()
    assert await states(session) == {"too late": "dropped", "still useful": "sent"}
    assert sent_texts(bot_api) == ["still useful"]


async def test_a_lapsed_claim_is_sent_by_another_sender(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1)
    await add_message(session, 1, "orphan")
    async with sessions() as crashed:  # claimed, then the process died before sending
        assert len(await claim(crashed, "dead", NOW, 10)) == 1
    clock = FrozenClock(NOW + timedelta(seconds=10))
    assert (await sender(sessions, transport_of(bot), clock).sweep()).claimed == 0
    clock.set(NOW + timedelta(seconds=31))
    report = await sender(sessions, transport_of(bot), clock).sweep()
    assert (report.released, report.sent) == (1, 1)
    message = await session.scalar(select(OutboxMessage))
    assert message is not None
    await session.refresh(message)
    assert (message.state, message.attempts) == ("sent", 2)


async def test_concurrent_senders_send_each_message_once(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("one process sends on SQLite")
    chats = range(1, 201)
    await add_chats(session, *chats)
    for chat in chats:
        await add_message(session, chat, f"m{chat}")
    clock = FrozenClock(NOW)
    senders = [
        sender(sessions, transport_of(bot), clock, batch=20, rate=10_000.0) for _ in range(4)
    ]
    for _ in range(5):
        await asyncio.gather(*(s.sweep() for s in senders))
    assert sorted(sent_texts(bot_api)) == sorted(f"m{chat}" for chat in chats)


async def test_a_late_sender_gives_back_the_rest_and_their_slots(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    bot: Bot,
    bot_api: FakeBotApi,
) -> None:
    await add_chats(session, 1, 2, 3)
    for chat in (1, 2, 3):
        await add_message(session, chat, f"m{chat}")
    clock = FrozenClock(NOW)

    async def oversleep(seconds: float) -> None:  # a busy process wakes up 50 ms late
        clock.advance(timedelta(seconds=seconds + 0.05))

    late = Sender(sessions, transport_of(bot), clock, sleep=oversleep)
    report = await late.sweep()
    assert (report.claimed, report.sent, report.given_back) == (3, 0, 3)
    assert await states(session) == {"m1": "pending", "m2": "pending", "m3": "pending"}
    gate = await session.scalar(select(SendGate))
    assert gate is not None
    await session.refresh(gate)
    assert gate.next_at == NOW + LEAD  # the slots are free again
    assert (await sender(sessions, transport_of(bot), clock).sweep()).sent == 2
    clock.advance(timedelta(milliseconds=100))  # the third chat's own slot has come
    assert (await sender(sessions, transport_of(bot), clock).sweep()).sent == 1
    assert sorted(sent_texts(bot_api)) == ["m1", "m2", "m3"]
