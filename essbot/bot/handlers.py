"""Telegram update handlers."""

import logging

from telegram import Update
from telegram.ext import ContextTypes

from essbot.bot import texts

logger = logging.getLogger(__name__)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet someone who opens the bot."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.WELCOME)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any handler failure and tell the user something went wrong."""
    logger.error("Error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        await update.effective_message.reply_text(texts.ERROR)
