"""The python-telegram-bot Application, assembled in one place."""

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CommandHandler, Defaults

from essbot.bot import handlers
from essbot.config import Settings

BotApplication = Application[Any, Any, Any, Any, Any, Any]


def file_url_for(base_url: str) -> str:
    """The Bot API file URL matching a base URL ("…/bot" becomes "…/file/bot")."""
    base = base_url.rstrip("/")
    return base.removesuffix("/bot") + "/file/bot" if base.endswith("/bot") else base_url


def build_application(settings: Settings) -> BotApplication:
    """An Application with every handler registered; needs the token."""
    if settings.token is None:
        raise ValueError("ESSBOT_TOKEN is required to talk to Telegram")
    builder = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .defaults(Defaults(parse_mode=ParseMode.HTML))
    )
    if settings.bot_api_url:
        builder = builder.base_url(settings.bot_api_url).base_file_url(
            file_url_for(settings.bot_api_url)
        )
    application = builder.build()
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_error_handler(handlers.on_error)
    return application


def run_polling(settings: Settings) -> None:
    """Run the bot with long polling until interrupted (SIGINT, SIGTERM)."""
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
