"""The Telegram layer, through python-telegram-bot's own Application and a local Bot API
server: updates in, Bot API calls out. And the whole bot as a process, end to end."""

import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import BOT, FakeBotApi
from seeds import SEEDS, import_seeds
from telegram import Update
from telegram.ext import CallbackContext

from essbot.bot import handlers
from essbot.bot.app import BotApplication, build_application
from essbot.clock import FrozenClock
from essbot.config import Settings
from essbot.db import create_engine_from_url, create_session_factory, metadata

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 9, 20, 10, 0, tzinfo=PARIS)
TOKEN = "123456:TEST-token"
USER = 42


@pytest.fixture
async def app(tmp_path: Path, bot_api: FakeBotApi) -> AsyncIterator[BotApplication]:
    """The bot's Application on a SQLite database holding the seeds, talking to the fake
    Bot API, started as `run_polling` starts it (post_init included) but fed by hand."""
    engine = create_engine_from_url(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with create_session_factory(engine)() as session:
        await import_seeds(session)
    settings = Settings(token=TOKEN, bot_api_url=bot_api.base_url)
    application = build_application(settings, engine=engine, clock=FrozenClock(NOW))
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        bot_api.clear()
        yield application
    await engine.dispose()


def message(text: str, *, chat_type: str = "private", language: str = "fr",
            reply_to_bot: bool = False) -> dict[str, Any]:  # fmt: skip
    chat_id = USER if chat_type == "private" else -100_500
    payload: dict[str, Any] = {
        "message_id": 10,
        "date": 1_474_358_400,
        "chat": {"id": chat_id, "type": chat_type, "title": "ESS Amiens"},
        "from": {"id": USER, "is_bot": False, "first_name": "Ana", "language_code": language},
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        payload["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if reply_to_bot:
        payload["reply_to_message"] = {
            "message_id": 9, "date": 1_474_358_000, "chat": payload["chat"], "from": BOT,
            "text": "…",
        }  # fmt: skip
    return {"update_id": 1, "message": payload}


def button(data: str, *, language: str = "fr") -> dict[str, Any]:
    return {
        "update_id": 2,
        "callback_query": {
            "id": "cb1",
            "chat_instance": "ci",
            "data": data,
            "from": {"id": USER, "is_bot": False, "first_name": "Ana", "language_code": language},
            "message": {
                "message_id": 77, "date": 1_474_358_400, "text": "…",
                "chat": {"id": USER, "type": "private"}, "from": BOT,
            },
        },
    }  # fmt: skip


async def feed(app: BotApplication, payload: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(payload, app.bot))


def keyboard_data(call: Any) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


async def test_commands_are_described_in_french_and_english(
    tmp_path: Path, bot_api: FakeBotApi
) -> None:
    engine = create_engine_from_url(f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    settings = Settings(token=TOKEN, bot_api_url=bot_api.base_url)
    application = build_application(settings, engine=engine, clock=FrozenClock(NOW))
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
    await engine.dispose()
    calls = bot_api.calls_of("setMyCommands")
    by_language = {call.params.get("language_code"): call.params["commands"] for call in calls}
    assert set(by_language) == {"fr", "en", None}
    names = [command["command"] for command in by_language["en"]]
    assert names == [
        "start", "help", "near", "dept", "region", "upcoming", "event", "subscribe",
        "subscriptions", "stop", "digest", "quiet", "remind", "lang", "privacy",
    ]  # fmt: skip
    assert by_language["fr"][2]["description"].startswith("Événements autour d'un lieu")
    assert by_language["en"][2]["description"].startswith("Events around a place")


async def test_a_question_gets_an_html_list_with_buttons(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    await feed(app, message("Quoi de prévu près d'Amiens ?"))
    (sent,) = bot_api.calls_of("sendMessage")
    assert sent.params["chat_id"] in (USER, str(USER))
    assert sent.params["parse_mode"] == "HTML"
    assert "<b>1. Rencontre ESS Tour — Amiens</b>" in sent.params["text"]
    assert keyboard_data(sent)[0].startswith("e|")


async def test_english_users_get_english(app: BotApplication, bot_api: FakeBotApi) -> None:
    await feed(app, message("/near Amiens", language="en-GB"))
    (sent,) = bot_api.calls_of("sendMessage")
    assert "Wednesday 5 October 2016, 5:30–8 pm" in sent.params["text"]


async def test_more_edits_the_message_in_place(app: BotApplication, bot_api: FakeBotApi) -> None:
    await feed(app, message("/upcoming"))
    more = keyboard_data(bot_api.calls_of("sendMessage")[0])[-1]
    await feed(app, button(more))
    (edit,) = bot_api.calls_of("editMessageText")
    assert edit.params["message_id"] in (77, "77")
    assert "<b>6. Rencontre ESS Tour — Anzin</b>" in edit.params["text"]
    assert len(bot_api.calls_of("answerCallbackQuery")) == 1
    assert len(bot_api.calls_of("sendMessage")) == 1  # nothing new sent


async def test_detail_calendar_map_and_reminder_buttons(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    await feed(app, message("près d'Amiens"))
    detail = keyboard_data(bot_api.calls_of("sendMessage")[0])[0]
    event_id = detail.split("|")[1]
    await feed(app, button(detail))
    details = bot_api.calls_of("sendMessage")[1]
    assert details.params["text"].startswith("<b>Rencontre ESS Tour — Amiens</b>")
    await feed(app, button(f"i|{event_id}"))
    (document,) = bot_api.calls_of("sendDocument")
    ((filename, content),) = document.files.values()
    assert filename.endswith(".ics")
    assert b"BEGIN:VCALENDAR" in content
    await feed(app, button(f"m|{event_id}"))
    (venue,) = bot_api.calls_of("sendVenue")
    assert (
        round(float(venue.params["latitude"]), 1),
        round(float(venue.params["longitude"]), 1),
    ) == (49.9, 2.3)
    await feed(app, button(f"r|{event_id}"))
    answers = [call.params.get("text") for call in bot_api.calls_of("answerCallbackQuery")]
    assert answers[-1] == "C'est noté : rappel la veille à 18h et 2 h avant."
    assert len(answers) == 4  # every button is acknowledged


async def test_a_forged_button_is_answered_and_changes_nothing(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    await feed(app, button("s|c99999|30||||0"))
    (answer,) = bot_api.calls_of("answerCallbackQuery")
    assert answer.params["text"] == "Ce bouton n'est plus valable. Reposez-moi la question."
    assert [call.method for call in bot_api.calls] == ["answerCallbackQuery"]


async def test_a_shared_location(app: BotApplication, bot_api: FakeBotApi) -> None:
    payload = message("")
    del payload["message"]["text"]
    payload["message"]["location"] = {"latitude": 49.894, "longitude": 2.296}
    await feed(app, payload)
    (sent,) = bot_api.calls_of("sendMessage")
    assert "Autour de vous, à moins de 30 km" in sent.params["text"]
    assert "Rencontre ESS Tour — Amiens" in sent.params["text"]


async def test_inline_mode_answers_with_event_cards(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    inline = {
        "update_id": 3,
        "inline_query": {
            "id": "iq1", "query": "Amiens", "offset": "",
            "from": {"id": USER, "is_bot": False, "first_name": "Ana", "language_code": "fr"},
        },
    }  # fmt: skip
    await feed(app, inline)
    (answer,) = bot_api.calls_of("answerInlineQuery")
    results = answer.params["results"]
    assert results[0]["type"] == "article"
    assert results[0]["title"] == "Rencontre ESS Tour — Amiens"
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"
    assert "start=event_" in results[0]["reply_markup"]["inline_keyboard"][0][0]["url"]


async def test_groups_only_hear_what_is_meant_for_the_bot(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    await feed(app, message("près d'Amiens", chat_type="supergroup"))
    assert bot_api.calls_of("sendMessage") == []
    await feed(app, message("@essbot_test_bot près d'Amiens", chat_type="supergroup"))
    await feed(app, message("et à Calais ?", chat_type="supergroup", reply_to_bot=True))
    await feed(app, message("/near@essbot_test_bot Amiens", chat_type="supergroup"))
    sent = bot_api.calls_of("sendMessage")
    assert [call.params["chat_id"] in (-100_500, "-100500") for call in sent] == [True] * 3
    assert "Rencontre ESS Tour — Amiens" in sent[0].params["text"]
    assert "Rencontre ESS Tour — Calais" in sent[1].params["text"]
    assert "Rencontre ESS Tour — Amiens" in sent[2].params["text"]


async def test_a_reminder_goes_out_when_due(app: BotApplication, bot_api: FakeBotApi) -> None:
    await feed(app, message("près d'Amiens"))
    event_id = keyboard_data(bot_api.calls_of("sendMessage")[0])[0].split("|")[1]
    await feed(app, button(f"r|{event_id}"))
    services = app.bot_data["services"]
    await handlers.sweep_outbox(CallbackContext(app))
    assert len(bot_api.calls_of("sendMessage")) == 1  # nothing due yet
    services.clock.set(datetime(2016, 10, 4, 18, 0, tzinfo=PARIS))
    await handlers.sweep_outbox(CallbackContext(app))
    reminder = bot_api.calls_of("sendMessage")[-1]
    assert reminder.params["chat_id"] in (USER, str(USER))
    assert reminder.params["text"].startswith("<b>🔔 Rappel : c'est demain !</b>")
    assert "mercredi 5 octobre 2016, 17h30–20h" in reminder.params["text"]
    await handlers.sweep_outbox(CallbackContext(app))
    assert len(bot_api.calls_of("sendMessage")) == 2  # sent once


async def test_in_a_group_telegram_says_who_administers(
    app: BotApplication, bot_api: FakeBotApi
) -> None:
    await feed(app, message("/subscribe@essbot_test_bot Amiens", chat_type="supergroup"))
    (member,) = bot_api.calls_of("getChatMember")
    assert (member.params["chat_id"], member.params["user_id"]) in (
        (-100_500, USER),
        ("-100500", str(USER)),
    )
    refused = bot_api.calls_of("sendMessage")[-1].params["text"]
    assert refused == "Dans un groupe, seuls les administrateurs gèrent les abonnements."
    bot_api.admins[-100_500] = {USER}
    await feed(app, message("/subscribe@essbot_test_bot Amiens", chat_type="supergroup"))
    accepted = bot_api.calls_of("sendMessage")[-1].params["text"]
    assert accepted.startswith("C'est noté : je vous préviendrai des nouveaux événements")
    await feed(app, message("près d'Amiens", chat_type="supergroup"))
    assert len(bot_api.calls_of("getChatMember")) == 2  # not asked for what anyone may do


@pytest.mark.parametrize("text", ["😀😀", "<b>&</b>", "x" * 4096, "/event ' OR 1=1 --"])
async def test_bad_messages_get_a_clear_reply(
    app: BotApplication, bot_api: FakeBotApi, text: str
) -> None:
    await feed(app, message(text))
    (sent,) = bot_api.calls_of("sendMessage")
    assert sent.params["text"]
    assert "quelque chose s'est mal passé" not in sent.params["text"]


@pytest.mark.slow
def test_the_bot_process_answers_over_http(tmp_path: Path, bot_api: FakeBotApi) -> None:
    environment = seeded_database(tmp_path, now="2016-09-20T10:00+02:00")
    bot_api.push_text(USER, "what's near Amiens?")
    process = start_bot(tmp_path, environment, bot_api)
    try:
        (listing,) = bot_api.wait_for("sendMessage", timeout=60)
        assert "<b>1. Rencontre ESS Tour — Amiens</b>" in listing.params["text"]
        detail = keyboard_data(listing)[0]
        bot_api.push_callback(USER, detail, message_id=listing.result["message_id"])
        details = bot_api.wait_for("sendMessage", count=2, timeout=30)[1]
        assert "Square Friant les 4 Chênes" in details.params["text"]
        event_id = detail.split("|")[1]
        shown = details.result["message_id"]
        bot_api.push_callback(USER, f"i|{event_id}", message_id=shown)
        bot_api.push_callback(USER, f"m|{event_id}", message_id=shown)
        (document,) = bot_api.wait_for("sendDocument", timeout=30)
        assert next(iter(document.files.values()))[0].endswith(".ics")
        bot_api.wait_for("sendVenue", timeout=30)
        bot_api.push_text(USER, "/upcoming")
        listings = bot_api.wait_for("sendMessage", count=3, timeout=30)
        more = keyboard_data(listings[2])[-1]
        bot_api.push_callback(USER, more, message_id=listings[2].result["message_id"])
        (edit,) = bot_api.wait_for("editMessageText", timeout=30)
        assert edit.params["message_id"] == str(listings[2].result["message_id"])
        assert "<b>6. " in edit.params["text"]
        bot_api.push_location(USER, 49.894, 2.296)
        around = bot_api.wait_for("sendMessage", count=4, timeout=30)[3]
        assert "Autour de vous" in around.params["text"]
        bot_api.push_inline(USER, "Calais")
        (inline,) = bot_api.wait_for("answerInlineQuery", timeout=30)
        assert inline.params["results"][0]["title"] == "Rencontre ESS Tour — Calais"
        assert len(bot_api.wait_for("setMyCommands", count=3, timeout=30)) == 3
        assert len(bot_api.calls_of("answerCallbackQuery")) == 4
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert TOKEN not in stdout + stderr


def seeded_database(directory: Path, *, now: str) -> dict[str, str]:
    """The ESSBOT_* variables of a SQLite database in `directory` that `essbot import` has
    filled with the seeds, and of a clock starting at `now`."""
    database = f"sqlite+aiosqlite:///{directory / 'essbot.sqlite3'}"
    environment = {"ESSBOT_DATABASE_URL": database, "ESSBOT_NOW": now}
    imported = subprocess.run(
        [sys.executable, "-m", "essbot", "import", *map(str, SEEDS)],
        env=_environment(environment), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    return environment


def start_bot(
    directory: Path, environment: dict[str, str], bot_api: FakeBotApi
) -> subprocess.Popen[str]:
    """`essbot run` as a process, polling the fake Bot API."""
    return subprocess.Popen(
        [sys.executable, "-m", "essbot", "run"],
        cwd=directory,
        env=_environment(
            {**environment, "ESSBOT_TOKEN": TOKEN, "ESSBOT_BOT_API_URL": bot_api.base_url}
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _environment(variables: dict[str, str]) -> dict[str, str]:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("ESSBOT_")}
    environment.update(variables)
    return environment


@pytest.mark.slow
def test_the_bot_process_sends_a_reminder_on_time(tmp_path: Path, bot_api: FakeBotApi) -> None:
    # Two hours and three seconds before the Amiens meeting (17:30 on 5 October 2016).
    environment = seeded_database(tmp_path, now="2016-10-05T15:29:57+02:00")
    bot_api.push_text(USER, "près d'Amiens")
    process = start_bot(tmp_path, environment, bot_api)
    try:
        (listing,) = bot_api.wait_for("sendMessage", timeout=60)
        event_id = keyboard_data(listing)[0].split("|")[1]
        bot_api.push_callback(USER, f"r|{event_id}", message_id=listing.result["message_id"])
        (answer,) = bot_api.wait_for("answerCallbackQuery", timeout=30)
        assert answer.params["text"] == "C'est noté : rappel 2 h avant."
        reminder = bot_api.wait_for("sendMessage", count=2, timeout=30)[1]
        assert reminder.params["text"].startswith("<b>🔔 Rappel : ça commence dans 2 heures.</b>")
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Outbox: 1 claimed, 1 sent" in stdout + stderr
