"""Organizers over the Bot API: python-telegram-bot's Application in the test's process, and
the whole bot as a process announcing to ten thousand subscribers of the fake server."""

import asyncio
import re
import signal
import subprocess
import time as clock
from collections.abc import AsyncIterator
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import FakeBotApi
from sqlalchemy import insert
from sqlalchemy.pool import NullPool
from telegram import Update
from test_bot import TOKEN, keyboard_data, start_bot

from essbot.bot.app import BotApplication, build_application
from essbot.clock import FrozenClock
from essbot.config import Settings
from essbot.db import Chat, Subscription, create_engine_from_url, metadata
from essbot.texts import texts_for

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2024, 10, 15, 10, 0, tzinfo=PARIS)
FR = texts_for("fr")
ADMIN, ORGANIZER, PARTICIPANT = 900, 62, 5
MOIS = Path(__file__).resolve().parents[1] / "data" / "announcements" / "003_575902d069037ee8.txt"


@pytest.fixture
async def app(tmp_path: Path, bot_api: FakeBotApi) -> AsyncIterator[BotApplication]:
    """The bot's Application with admin 900, on an empty SQLite database, fed by hand."""
    engine = create_engine_from_url(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    settings = Settings(token=TOKEN, bot_api_url=bot_api.base_url, admins=[ADMIN])
    application = build_application(settings, engine=engine, clock=FrozenClock(NOW))
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        bot_api.clear()
        yield application
    await engine.dispose()


async def deliver(app: BotApplication, bot_api: FakeBotApi, update_id: int) -> None:
    """Hand the pushed update to the Application, as polling would."""
    (update,) = [u for u in bot_api.updates if u["update_id"] == update_id]
    await app.process_update(Update.de_json(update, app.bot))


async def say(app: BotApplication, bot_api: FakeBotApi, user: int, text: str) -> str:
    """What the bot answers a user's message (the text of its last message)."""
    update_id, _ = bot_api.push_text(user, text, user_id=user)
    await deliver(app, bot_api, update_id)
    return str(bot_api.calls_of("sendMessage")[-1].params["text"])


async def test_a_participant_is_refused_over_http(app: BotApplication, bot_api: FakeBotApi) -> None:
    for text in ("/newevent", "/myevents", "/announce 62"):
        assert await say(app, bot_api, PARTICIPANT, text) == FR.organizers_only
    assert await say(app, bot_api, PARTICIPANT, "/grant 5") == FR.admins_only_command
    _, shown = bot_api.push_text(PARTICIPANT, "près de Lens", user_id=PARTICIPANT)
    update_id = bot_api.push_callback(PARTICIPANT, "o|dp|1", message_id=shown["message_id"])
    await deliver(app, bot_api, update_id)
    (answer,) = bot_api.calls_of("answerCallbackQuery")
    assert answer.params["text"] == FR.not_allowed
    update_id, _ = bot_api.push_document(
        PARTICIPANT, "mois.txt", MOIS.read_bytes(), user_id=PARTICIPANT
    )
    await deliver(app, bot_api, update_id)
    assert bot_api.calls_of("sendMessage")[-1].params["text"] == FR.organizers_only
    assert not bot_api.calls_of("getFile")  # a participant's file is not even fetched


async def test_an_organizer_sends_the_programme_as_a_file(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    assert (await say(app, bot_api, ADMIN, f"/grant {ORGANIZER} 62")).startswith(str(ORGANIZER))
    update_id, _ = bot_api.push_document(
        ORGANIZER, "mois.txt", MOIS.read_bytes(), user_id=ORGANIZER
    )
    await deliver(app, bot_api, update_id)
    assert len(bot_api.calls_of("getFile")) == 1
    listing = bot_api.calls_of("sendMessage")[-1]
    assert "16 événements trouvés, dont ⚠️ 1 à vérifier" in listing.params["text"]
    assert "o|dp|1" in keyboard_data(listing)


async def test_an_organizers_links_stay_links(app: BotApplication, bot_api: FakeBotApi) -> None:
    await say(app, bot_api, ADMIN, f"/grant {ORGANIZER} 62")
    await say(app, bot_api, ORGANIZER, "/announce 62")
    text = "Inscriptions 🎟 ici, et <b>vite</b>"
    update_id, _ = bot_api.push_text(ORGANIZER, text, user_id=ORGANIZER)
    (update,) = [u for u in bot_api.updates if u["update_id"] == update_id]
    update["message"]["entities"] = [
        {"type": "text_link", "offset": 16, "length": 3, "url": "https://cress.example/ag"}
    ]  # after "Inscriptions 🎟 ": the emoji counts two UTF-16 units
    await app.process_update(Update.de_json(update, app.bot))
    preview = str(bot_api.calls_of("sendMessage")[-1].params["text"])
    assert "Inscriptions 🎟 ici (https://cress.example/ag), et &lt;b&gt;vite&lt;/b&gt;" in preview


# The whole bot: an announcement to ten thousand subscribers --------------------------------

SUBSCRIBERS = 10_000
RATE = 100  # messages a second: Telegram allows 30; the fake server, what the sender can do
BLOCKED = range(1_000_000, 1_000_000 + SUBSCRIBERS, 100)  # every hundredth blocked the bot


def subscribe_many(url: str, now: datetime) -> None:
    """Ten thousand private chats subscribed to the Pas-de-Calais."""
    chats = range(1_000_000, 1_000_000 + SUBSCRIBERS)

    async def fill() -> None:
        engine = create_engine_from_url(url, poolclass=NullPool)
        async with engine.begin() as connection:
            await connection.execute(
                insert(Chat),
                [{"id": chat, "kind": "private", "language": "fr", "timezone": "Europe/Paris",
                  "quiet_start": time(21), "quiet_end": time(8), "created_at": now,
                  "updated_at": now} for chat in chats],
            )  # fmt: skip
            await connection.execute(
                insert(Subscription),
                [{"key": f"area:{chat}:department:62::", "chat_id": chat, "kind": "area",
                  "area_kind": "department", "area_code": "62", "keywords": [],
                  "mode": "instant", "leads": [], "created_at": now} for chat in chats],
            )  # fmt: skip
        await engine.dispose()

    asyncio.run(fill())


@pytest.mark.slow
def test_an_announcement_to_ten_thousand_subscribers(
    postgres_database: str, tmp_path: Path, bot_api: FakeBotApi
) -> None:
    """On PostgreSQL, the production engine (the sender's pace needs its row locks)."""
    subscribe_many(postgres_database, NOW)
    environment = {
        "ESSBOT_DATABASE_URL": postgres_database,
        "ESSBOT_NOW": NOW.isoformat(),
        "ESSBOT_ADMINS": str(ADMIN),
        "ESSBOT_SEND_RATE": str(RATE),
    }
    bot_api.blocked.update(BLOCKED)
    process = start_bot(tmp_path, environment, bot_api)
    try:
        bot_api.push_text(ADMIN, f"/grant {ORGANIZER} 62", user_id=ADMIN)
        bot_api.push_text(ORGANIZER, "/announce 62", user_id=ORGANIZER)
        bot_api.push_text(ORGANIZER, "Assemblée générale le 5 novembre : https://cress.example/ag")
        preview = bot_api.wait_for("sendMessage", count=3, timeout=60)[2]
        assert preview.params["text"].startswith(FR.preview_heading(SUBSCRIBERS))
        (send,) = [data for data in keyboard_data(preview) if data.startswith("o|as|")]
        bot_api.push_callback(ORGANIZER, send, message_id=preview.result["message_id"])
        report = _wait_for_report(bot_api, timeout=SUBSCRIBERS / RATE * 3 + 30)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert process.returncode == 0, stderr
    announcements = [
        call for call in bot_api.calls if call.method == "sendMessage"
        and str(call.params["text"]).startswith("<b>📣 Message aux abonnés : Pas-de-Calais</b>")
    ]  # fmt: skip
    delivered = [call for call in announcements if call.error is None]
    refused = [call for call in announcements if call.error is not None]
    assert len(delivered) == SUBSCRIBERS - len(BLOCKED)
    assert len({_chat(call) for call in delivered}) == len(delivered)  # exactly once each
    assert {_chat(call) for call in refused} == set(BLOCKED)
    # The progress message is sent once, then edited as the outbox empties, up to the end.
    progress = [
        call for call in bot_api.calls
        if call.method in ("sendMessage", "editMessageText") and _chat(call) == ORGANIZER
        and str(call.params["text"]).startswith("📣 Annonce n°1")
    ]  # fmt: skip
    assert progress[0].method == "sendMessage"
    edits = progress[1:]
    assert len(edits) >= 2
    assert all(call.method == "editMessageText" for call in edits)
    edited = {int(call.params["message_id"]) for call in edits}
    assert edited == {int(progress[0].result["message_id"])}
    counts = [_progress_counts(str(call.params["text"])) for call in progress]
    assert all(sum(count) == SUBSCRIBERS for count in counts)  # sent + failed + remaining
    assert [count[0] for count in counts] == sorted(count[0] for count in counts)
    assert counts[-1] == (SUBSCRIBERS - len(BLOCKED), len(BLOCKED), 0)
    assert report == FR.announcement_report(
        1, SUBSCRIBERS, SUBSCRIBERS - len(BLOCKED), {"blocked": len(BLOCKED)}
    )


def _wait_for_report(bot_api: FakeBotApi, *, timeout: float) -> str:
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        for call in reversed(bot_api.calls):
            text = str(call.params.get("text", ""))
            if call.method == "sendMessage" and text.startswith("<b>📊 Rapport"):
                return text
        clock.sleep(0.5)
    sent = len(bot_api.calls_of("sendMessage"))
    raise AssertionError(f"no delivery report after {timeout} s ({sent} messages sent)")


def _chat(call: Any) -> int:
    return int(call.params["chat_id"])


def _progress_counts(text: str) -> tuple[int, int, int]:
    numbers = re.findall(r"(\d+) (?:envoyés?|échecs?|restants?)", text)
    sent, failed, remaining = (int(number) for number in numbers)
    return sent, failed, remaining
