"""The fake Bot API server, driven by a real python-telegram-bot Bot and Application."""

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest
import telegram
from fake_telegram import BOT, GROUP_USER_ID, Call, FakeBotApi
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

TOKEN = "123456:AAE-fake-token"
KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Details", callback_data="event:1")],
        [InlineKeyboardButton("Site", url="https://example.org/")],
    ]
)


@pytest.fixture
async def bot(bot_api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(TOKEN, base_url=bot_api.base_url) as bot:
        yield bot


async def test_send_message_records_decoded_parameters(
    bot: telegram.Bot, bot_api: FakeBotApi
) -> None:
    first = await bot.send_message(42, "Bonjour", reply_markup=KEYBOARD)
    second = await bot.send_message(42, "Encore")

    assert second.message_id > first.message_id
    assert first.chat.id == 42
    assert first.chat.type == ChatType.PRIVATE
    assert first.from_user is not None
    assert first.from_user.id == BOT["id"]
    assert first.text == "Bonjour"
    assert first.reply_markup == KEYBOARD
    call = bot_api.calls_of("sendMessage")[0]
    assert call.params["chat_id"] == "42"  # scalars stay as sent on the wire
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Details", "callback_data": "event:1"}],
            [{"text": "Site", "url": "https://example.org/"}],
        ]
    }
    assert call.result["message_id"] == first.message_id
    assert [c.method for c in bot_api.calls] == ["getMe", "sendMessage", "sendMessage"]
    assert bot_api.message_sent.is_set()
    assert [p["text"] for p in bot_api.sent] == ["Bonjour", "Encore"]
    assert bot_api.tokens == {TOKEN}


async def test_html_is_parsed_like_telegram(bot: telegram.Bot) -> None:
    message = await bot.send_message(
        42, "<b>Amiens</b> &amp; 😀 <a href='https://x.org'>site</a>", parse_mode=ParseMode.HTML
    )
    assert message.text == "Amiens & 😀 site"
    assert message.parse_entities() == {
        MessageEntity(MessageEntity.BOLD, 0, 6): "Amiens",
        MessageEntity(MessageEntity.TEXT_LINK, 12, 4, url="https://x.org"): "site",
    }
    for broken in ("a < b", "<b>open", "<b>x</i>", "<p>x</p>"):
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(42, broken, parse_mode=ParseMode.HTML)


async def test_telegram_limits_are_enforced(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(42, "x" * 4097)
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(42, "x", reply_markup=long_data)
    assert bot_api.sent == []
    assert [c.error is not None for c in bot_api.calls_of("sendMessage")] == [True, True]


async def test_edit_message_text_returns_the_edited_message(
    bot: telegram.Bot, bot_api: FakeBotApi
) -> None:
    sent = await bot.send_message(42, "Page 1", reply_markup=KEYBOARD)

    edited = await bot.edit_message_text("Page 2", 42, sent.message_id, reply_markup=KEYBOARD)

    assert isinstance(edited, telegram.Message)
    assert edited.message_id == sent.message_id
    assert edited.text == "Page 2"
    assert edited.edit_date is not None
    assert edited.reply_markup == KEYBOARD
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Page 2", 42, sent.message_id, reply_markup=KEYBOARD)
    plain = await bot.edit_message_text("Page 2", 42, sent.message_id)
    assert isinstance(plain, telegram.Message)
    assert plain.reply_markup is None  # an edit without reply_markup drops the keyboard
    (call, _, _) = bot_api.wait_for("editMessageText", count=3)
    assert call.params["message_id"] == str(sent.message_id)


async def test_callback_query_is_delivered_and_answered(
    bot: telegram.Bot, bot_api: FakeBotApi
) -> None:
    sent = await bot.send_message(42, "Choose", reply_markup=KEYBOARD)
    update_id = bot_api.press(bot_api.calls_of("sendMessage")[0], "Details")

    (update,) = await bot.get_updates()

    assert update.update_id == update_id
    query = update.callback_query
    assert query is not None
    assert query.data == "event:1"
    assert query.from_user.id == 42
    assert query.from_user.language_code == "fr"
    assert query.chat_instance
    assert isinstance(query.message, telegram.Message)
    assert query.message.message_id == sent.message_id
    assert query.message.text == "Choose"
    assert query.message.reply_markup == KEYBOARD
    assert await query.answer("Done") is True
    (answer,) = bot_api.calls_of("answerCallbackQuery")
    assert answer.params == {"callback_query_id": query.id, "text": "Done"}
    with pytest.raises(BadRequest, match="query id is invalid"):
        await query.answer()


async def test_callback_on_an_unknown_message(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    bot_api.push_callback(42, "page:2", message_id=77, message_text="Results")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    message = update.callback_query.message
    assert isinstance(message, telegram.Message)
    assert (message.message_id, message.text, message.chat.id) == (77, "Results", 42)


async def test_send_document_keeps_file_name_and_bytes(
    bot: telegram.Bot, bot_api: FakeBotApi
) -> None:
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\x00\xff"

    message = await bot.send_document(42, content, filename="event.ics", caption="Agenda")

    (call,) = bot_api.calls_of("sendDocument")
    assert call.files == {"document": ("event.ics", content)}
    assert call.params == {"chat_id": "42", "caption": "Agenda"}
    assert message.document is not None
    assert message.document.file_name == "event.ics"
    assert message.document.mime_type == "text/calendar"
    assert message.document.file_size == len(content)
    assert message.caption == "Agenda"


async def test_send_venue(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    message = await bot.send_venue(42, 49.9, 2.3, "Auberge de Jeunesse", "Amiens")

    assert message.venue is not None
    assert message.venue.title == "Auberge de Jeunesse"
    assert message.venue.address == "Amiens"
    assert message.venue.location.latitude == pytest.approx(49.9)
    assert message.location is not None
    assert message.location.longitude == pytest.approx(2.3)
    (call,) = bot_api.calls_of("sendVenue")
    assert call.params["latitude"] == "49.9"


async def test_answer_inline_query_decodes_results(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    bot_api.push_inline(42, "Amiens")
    (update,) = await bot.get_updates()
    assert update.inline_query is not None
    article = InlineQueryResultArticle(
        id="event-1",
        title="Rencontre ESS Tour",
        input_message_content=InputTextMessageContent("<b>Amiens</b>", parse_mode="HTML"),
        reply_markup=KEYBOARD,
    )

    assert await update.inline_query.answer([article], cache_time=30, is_personal=True)

    (call,) = bot_api.calls_of("answerInlineQuery")
    (result,) = call.params["results"]
    assert result["type"] == "article"
    assert result["id"] == "event-1"
    assert result["input_message_content"] == {
        "message_text": "<b>Amiens</b>",
        "parse_mode": "HTML",
    }
    assert call.params["cache_time"] == "30"
    assert call.params["is_personal"] == "true"
    assert call.params["inline_query_id"] == update.inline_query.id


async def test_set_my_commands_per_language(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    commands = [BotCommand("start", "Start"), BotCommand("near", "Events near you")]

    assert await bot.set_my_commands(commands, language_code="en")
    assert await bot.set_my_commands(commands[:1])

    first, second = bot_api.calls_of("setMyCommands")
    assert first.params["commands"] == [
        {"command": "start", "description": "Start"},
        {"command": "near", "description": "Events near you"},
    ]
    assert first.params["language_code"] == "en"
    assert "language_code" not in second.params
    assert await bot.get_my_commands(language_code="en") == tuple(commands)
    assert await bot.get_my_commands() == (commands[0],)
    assert await bot.get_my_commands(language_code="de") == ()
    assert bot_api.commands_for("en") == first.params["commands"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Near-Me", "x")])


async def test_updates_of_every_kind_are_parsed_by_ptb(
    bot: telegram.Bot, bot_api: FakeBotApi
) -> None:
    bot_api.push_location(42, 49.89, 2.29, language_code="en")
    bot_api.push_inline(43, "Lille")
    bot_api.push_text(-1001234, "/near@essbot_test_bot Amiens", chat_type="supergroup")
    _, group_message = bot_api.push_text(
        -5, "😀 @essbot_test_bot quoi de neuf ?", chat_type="group"
    )
    bot_api.push_callback(42, "page:2", message_id=group_message["message_id"] + 100)

    location, inline, command, mention, callback = await bot.get_updates()

    assert location.message is not None
    assert location.message.location is not None
    assert location.message.location.latitude == pytest.approx(49.89)
    assert location.message.from_user is not None
    assert location.message.from_user.language_code == "en"
    assert inline.inline_query is not None
    assert inline.inline_query.query == "Lille"
    assert inline.inline_query.offset == ""
    assert inline.inline_query.from_user.id == 43
    assert command.message is not None
    assert command.message.chat.type == ChatType.SUPERGROUP
    assert command.message.parse_entities([MessageEntity.BOT_COMMAND]).popitem()[1] == (
        "/near@essbot_test_bot"
    )
    assert mention.message is not None
    assert mention.message.chat.type == ChatType.GROUP
    assert mention.message.chat.id == -5
    assert mention.message.from_user is not None
    assert mention.message.from_user.id == GROUP_USER_ID
    assert list(mention.message.parse_entities().values()) == ["@essbot_test_bot"]
    assert callback.callback_query is not None
    assert callback.callback_query.data == "page:2"
    # Confirmed updates are not delivered again.
    assert await bot.get_updates(offset=callback.update_id + 1, timeout=0) == ()


async def test_unknown_method_is_not_found(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 42})
    (call,) = bot_api.calls_of("sendTelepathy")
    assert call.error == "Not Found: method not found"
    assert call.params == {"chat_id": "42"}


async def test_injected_failures(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    bot_api.fail("sendMessage", "Forbidden: bot was blocked by the user", error_code=403)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(42, "Bonjour")
    assert (await bot.send_message(42, "Bonjour")).text == "Bonjour"


async def test_wait_for_and_on_send(bot: telegram.Bot, bot_api: FakeBotApi) -> None:
    seen: list[Call] = []
    bot_api.on_send = seen.append
    waited: list[list[Call]] = []
    waiter = threading.Thread(target=lambda: waited.append(bot_api.wait_for("sendMessage", 2)))
    waiter.start()
    await bot.send_message(42, "one")
    await bot.send_venue(42, 1.0, 2.0, "t", "a")
    await bot.send_message(42, "two")
    await asyncio.to_thread(waiter.join, 5)
    assert [c.params["text"] for c in waited[0]] == ["one", "two"]
    assert [c.method for c in seen] == ["sendMessage", "sendVenue", "sendMessage"]
    with pytest.raises(AssertionError, match="expected 1 sendDocument call"):
        bot_api.wait_for("sendDocument", timeout=0.05)
    bot_api.clear()
    assert bot_api.calls == []
    assert bot_api.sent == []
    assert not bot_api.message_sent.is_set()


def test_pushers_refuse_impossible_chats(bot_api: FakeBotApi) -> None:
    with pytest.raises(ValueError, match="negative"):
        bot_api.push_text(42, "hi", chat_type="group")
    with pytest.raises(ValueError, match="positive"):
        bot_api.push_text(-42, "hi")


async def test_an_application_polls_replies_and_edits(bot_api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Menu", reply_markup=KEYBOARD)

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Chosen {query.data}")

    application = ApplicationBuilder().token(TOKEN).base_url(bot_api.base_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(button))
    bot_api.push_text(42, "/start")
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            (menu,) = await asyncio.to_thread(bot_api.wait_for, "sendMessage")
            bot_api.press(menu, "Details")
            (edit,) = await asyncio.to_thread(bot_api.wait_for, "editMessageText")
        finally:
            await application.updater.stop()
            await application.stop()

    assert edit.params["text"] == "Chosen event:1"
    assert edit.params["message_id"] == str(menu.result["message_id"])
    assert bot_api.calls_of("answerCallbackQuery")[0].error is None
    assert bot_api.messages[menu.result["message_id"]]["text"] == "Chosen event:1"
