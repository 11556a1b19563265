"""The python-telegram-bot Application, assembled in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from essbot.answer import Answerer
from essbot.bot import handlers
from essbot.bot.handlers import COMMANDS, Services
from essbot.clock import Clock
from essbot.config import Settings
from essbot.db import create_engine_from_url, create_session_factory
from essbot.notify.sender import Sender, Transport
from essbot.texts import LANGUAGES, texts_for

BotApplication = Application[Any, Any, Any, Any, Any, Any]
SWEEP_SECONDS = 2.0  # how often the outbox is swept for due messages
PROGRESS_SECONDS = 3.0  # how often announcements' progress messages are updated
PURGE_SECONDS = 3600.0  # how often old delivery records and long-blocked chats are purged


def file_url_for(base_url: str) -> str:
    """The Bot API file URL matching a base URL ("…/bot" becomes "…/file/bot")."""
    base = base_url.rstrip("/")
    return base.removesuffix("/bot") + "/file/bot" if base.endswith("/bot") else base_url


def build_application(
    settings: Settings, *, engine: AsyncEngine | None = None, clock: Clock | None = None
) -> BotApplication:
    """An Application with every handler registered; needs the token. The engine and clock
    default to those the settings name."""
    if settings.token is None:
        raise ValueError("ESSBOT_TOKEN is required to talk to Telegram")
    builder = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.bot_api_url:
        builder = builder.base_url(settings.bot_api_url).base_file_url(
            file_url_for(settings.bot_api_url)
        )
    application = builder.build()
    engine = engine or create_engine_from_url(settings.database_url)
    sessions = create_session_factory(engine)
    clock = clock or Clock(settings.now)
    answerer = Answerer(sessions, tz=settings.zone, admins=settings.admins)
    sender = Sender(
        sessions,
        _transport(application.bot),
        clock,
        rate=settings.send_rate,
        batch=max(1, round(settings.send_rate * SWEEP_SECONDS)),
    )
    application.bot_data["services"] = Services(answerer, clock, sender)
    application.bot_data["engine"] = engine
    add_handlers(application)
    return application


def add_handlers(application: BotApplication) -> None:
    """Commands everywhere; words, locations and buttons as handlers.py describes."""
    application.add_handler(CommandHandler(list(COMMANDS), handlers.on_command))
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED, handlers.on_text
        )
    )
    application.add_handler(
        MessageHandler(filters.LOCATION & filters.ChatType.PRIVATE, handlers.on_location)
    )
    application.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, handlers.on_file)
    )
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(InlineQueryHandler(handlers.on_inline))
    application.add_error_handler(handlers.on_error)


def _transport(bot: Bot) -> Transport:
    """How the outbox sender reaches Telegram."""

    async def send(chat_id: int, text: str) -> int:
        message = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        return message.message_id

    return send


async def _post_init(application: BotApplication) -> None:
    """Once the bot knows who it is: its username for links, its commands in each language;
    then the outbox sweep starts."""
    services: Services = application.bot_data["services"]
    services.answerer.bot_username = application.bot.username
    services.answerer.prepare(services.clock.now())
    for lang in LANGUAGES:
        commands = [BotCommand(name, text) for name, text in texts_for(lang).commands]
        await application.bot.set_my_commands(commands, language_code=lang)
    default = [BotCommand(name, text) for name, text in texts_for("fr").commands]
    await application.bot.set_my_commands(default)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            handlers.sweep_outbox,
            interval=SWEEP_SECONDS,
            first=SWEEP_SECONDS,
            name="outbox",
            job_kwargs={"max_instances": 1, "coalesce": True},
        )
        application.job_queue.run_repeating(
            handlers.purge,
            interval=PURGE_SECONDS,
            first=PROGRESS_SECONDS,
            name="purge",
            job_kwargs={"max_instances": 1, "coalesce": True},
        )
        application.job_queue.run_repeating(
            handlers.show_progress,
            interval=PROGRESS_SECONDS,
            first=PROGRESS_SECONDS,
            name="announcements",
            job_kwargs={"max_instances": 1, "coalesce": True},
        )


async def _post_shutdown(application: BotApplication) -> None:
    engine: AsyncEngine = application.bot_data["engine"]
    await engine.dispose()


def run_polling(settings: Settings) -> None:
    """Run the bot with long polling until interrupted (SIGINT, SIGTERM)."""
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
