"""Delivery by real bot processes: two of them sweeping one PostgreSQL outbox send every
message once, together within the rate; a process killed while sending loses nothing."""

import asyncio
import collections
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import POSTGRES_URL
from fake_telegram import FakeBotApi
from sqlalchemy import func, insert, select
from sqlalchemy.pool import NullPool

from essbot.clock import Clock
from essbot.db import Chat, Delivery, OutboxMessage, create_engine_from_url
from essbot.notify.sender import CONCURRENCY

TOKEN = "123456:TEST-token"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="set ESSBOT_TEST_DATABASE_URL to test PostgreSQL"),
]


def fill_outbox(url: str, count: int) -> None:
    """`count` chats with one message each, all due a minute ago."""
    now = Clock().now()

    async def fill() -> None:
        engine = create_engine_from_url(url, poolclass=NullPool)
        async with engine.begin() as connection:
            await connection.execute(
                insert(Chat),
                [
                    {
                        "id": i,
                        "kind": "private",
                        "language": "fr",
                        "timezone": "Europe/Paris",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(1, count + 1)
                ],
            )
            await connection.execute(
                insert(OutboxMessage),
                [
                    {
                        "key": f"test:{i}",
                        "chat_id": i,
                        "kind": "announcement",
                        "text": f"n°{i}",
                        "due_at": now - timedelta(minutes=1),
                        "created_at": now,
                    }
                    for i in range(1, count + 1)
                ],
            )
        await engine.dispose()

    asyncio.run(fill())


def outcomes(url: str) -> tuple[dict[str, int], int]:
    async def count() -> tuple[dict[str, int], int]:
        engine = create_engine_from_url(url, poolclass=NullPool)
        async with engine.connect() as connection:
            states = dict(
                (
                    await connection.execute(
                        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                    )
                ).all()
            )
            sent = await connection.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.outcome == "sent")
            )
        await engine.dispose()
        return states, sent or 0

    return asyncio.run(count())


def start_bot(url: str, bot_api: FakeBotApi, cwd: Path, rate: float) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ESSBOT_")}
    environment.update(
        ESSBOT_TOKEN=TOKEN,
        ESSBOT_BOT_API_URL=bot_api.base_url,
        ESSBOT_DATABASE_URL=url,
        ESSBOT_SEND_RATE=str(rate),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "essbot", "run"],
        cwd=cwd,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def accepted(bot_api: FakeBotApi) -> list[tuple[int, float]]:
    """(chat id, time) of every message the fake accepted."""
    return [
        (int(c.params["chat_id"]), c.at) for c in bot_api.calls_of("sendMessage") if c.error is None
    ]


def wait_until(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"not done within {timeout} s")


def busiest_second(times: list[float]) -> int:
    """The most messages in any one-second window."""
    times = sorted(times)
    most, first = 0, 0
    for last, moment in enumerate(times):
        while times[first] <= moment - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def test_two_processes_send_each_message_once_within_the_rate(
    postgres_database: str, tmp_path: Path
) -> None:
    count, rate = 5_000, 100.0
    fill_outbox(postgres_database, count)
    with FakeBotApi(rate_limit=rate) as bot_api:
        bots = [start_bot(postgres_database, bot_api, tmp_path, rate) for _ in range(2)]
        try:
            wait_until(lambda: len(accepted(bot_api)) >= count, timeout=240)
            time.sleep(1.0)  # anything sent twice would arrive now
        finally:
            for bot in bots:
                bot.send_signal(signal.SIGINT)
            errors = [bot.communicate(timeout=60)[1] for bot in bots]
        sent = accepted(bot_api)
        refused = [c for c in bot_api.calls_of("sendMessage") if c.error is not None]
    assert all(bot.returncode == 0 for bot in bots), errors
    per_chat = collections.Counter(chat for chat, _ in sent)
    assert sorted(per_chat) == list(range(1, count + 1))
    assert set(per_chat.values()) == {1}  # each message exactly once
    assert refused == []  # never over Telegram's limit: no RetryAfter
    assert busiest_second([at for _, at in sent]) <= rate
    assert outcomes(postgres_database) == ({"sent": count}, count)


def test_a_killed_sender_loses_nothing_and_repeats_only_what_was_in_flight(
    postgres_database: str, tmp_path: Path
) -> None:
    count, rate = 2_000, 200.0
    fill_outbox(postgres_database, count)
    with FakeBotApi() as bot_api:
        bot = start_bot(postgres_database, bot_api, tmp_path, rate)
        try:
            wait_until(lambda: len(accepted(bot_api)) >= count // 3, timeout=120)
        finally:
            bot.kill()  # SIGKILL: no chance to record what is in flight
            bot.communicate(timeout=30)
        at_kill = len(accepted(bot_api))
        assert at_kill < count
        bot = start_bot(postgres_database, bot_api, tmp_path, rate)
        try:
            everyone = set(range(1, count + 1))
            wait_until(lambda: {chat for chat, _ in accepted(bot_api)} >= everyone, timeout=180)
            time.sleep(1.0)
        finally:
            bot.send_signal(signal.SIGINT)
            error = bot.communicate(timeout=60)[1]
        sent = accepted(bot_api)
    assert bot.returncode == 0, error
    repeats = len(sent) - count
    assert 0 <= repeats <= CONCURRENCY  # at most the messages in flight at the kill
    assert outcomes(postgres_database)[0] == {"sent": count}
