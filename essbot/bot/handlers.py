"""Telegram update handlers: turn an update into a call of the Answerer, send its replies.

Private chats: every message, location and button. Groups: commands, and messages that
mention the bot or reply to it; everything else in a group is none of the bot's business.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from essbot import privacy
from essbot.answer import Answerer, Keyboard, Reply, Who
from essbot.answer.desk import COMMANDS as DESK_COMMANDS
from essbot.clock import Clock
from essbot.notify.sender import Sender, SweepReport
from essbot.organize import announce
from essbot.texts import language_of, texts_for

logger = logging.getLogger(__name__)

COMMANDS = (
    "start", "help", "near", "dept", "region", "upcoming", "event", "lang",
    "subscribe", "subscriptions", "stop", "digest", "quiet", "remind",
    "privacy", "mydata", "forget", *DESK_COMMANDS,
)  # fmt: skip
ADMIN_COMMANDS = ("subscribe", "subscriptions", "stop", "digest", "quiet")
INLINE_CACHE_SECONDS = 30


@dataclass(frozen=True, slots=True)
class Services:
    """What handlers need, kept in `application.bot_data["services"]`."""

    answerer: Answerer
    clock: Clock
    sender: Sender


def _services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    services: Services = context.application.bot_data["services"]
    return services


def _who(update: Update) -> Who | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        return None
    chat_id = chat.id if chat is not None else user.id
    kind = chat.type if chat is not None else "private"
    return Who(user.id, chat_id, user.language_code, kind, username=user.username)


async def _with_admin(who: Who, context: ContextTypes.DEFAULT_TYPE) -> Who:
    """In a group, whether the user administers it (asked of Telegram, for the actions
    only administrators may take)."""
    if who.chat_kind == ChatType.PRIVATE:
        return who
    member = await context.bot.get_chat_member(who.chat_id, who.user_id)
    return replace(who, is_admin=member.status in ("administrator", "creator"))


def _now(context: ContextTypes.DEFAULT_TYPE) -> datetime:
    return _services(context).clock.now()


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Our buttons as Telegram's inline keyboard."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    button.label,
                    callback_data=button.data,
                    url=button.url,
                    switch_inline_query=button.share,
                )
                for button in row
            ]
            for row in buttons
        ]
    )


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    """Send replies to the chat of the update; an `edit` reply replaces the pressed message."""
    chat = update.effective_chat
    if chat is None:
        return
    query = update.callback_query
    for reply in replies:
        if reply.edit and query is not None and isinstance(query.message, Message):
            try:
                await query.message.edit_text(reply.text, reply_markup=keyboard(reply.buttons))
            except BadRequest as error:  # the same page pressed twice: nothing to change
                if "not modified" not in str(error).lower():
                    raise
            continue
        if reply.venue is not None:
            venue = reply.venue
            await context.bot.send_venue(
                chat.id, venue.lat, venue.lon, venue.title[:256], venue.address[:256] or "-"
            )
        if reply.attachment is not None:
            attachment = reply.attachment
            await context.bot.send_document(
                chat.id,
                attachment.content,
                filename=attachment.filename,
                caption=attachment.caption,
            )
        if reply.text:
            await context.bot.send_message(
                chat.id, reply.text, reply_markup=keyboard(reply.buttons)
            )


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /help, /near, /dept, /region, /upcoming, /event, /lang."""
    message, who = update.effective_message, _who(update)
    if message is None or who is None or not message.text:
        return
    head, _, args = message.text.partition(" ")
    name = head[1:].split("@", 1)[0]
    if name.lower() in ADMIN_COMMANDS:
        who = await _with_admin(who, context)
    replies = await _services(context).answerer.command(who, name, args, _now(context))
    await send(update, context, replies)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A message in words: in private, always; in a group, when it is meant for the bot."""
    message, who = update.effective_message, _who(update)
    if message is None or who is None or message.text is None:
        return
    text = _with_links(message.text, message.entities)
    if message.chat.type != ChatType.PRIVATE:
        mention = f"@{context.bot.username}"
        replying = (
            message.reply_to_message is not None
            and message.reply_to_message.from_user is not None
            and message.reply_to_message.from_user.id == context.bot.id
        )
        if mention.lower() not in text.lower() and not replying:
            return
        text = _without(text, mention)
        who = await _with_admin(who, context)
    replies = await _services(context).answerer.text(who, text, _now(context))
    await send(update, context, replies)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location (private chats): what is around it."""
    message, who = update.effective_message, _who(update)
    if message is None or who is None or message.location is None:
        return
    location = message.location
    answerer = _services(context).answerer
    replies = await answerer.location(who, location.latitude, location.longitude, _now(context))
    await send(update, context, replies)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed inline button. The query is always answered, so the button stops spinning."""
    query, who = update.callback_query, _who(update)
    if query is None or who is None:
        return
    if (query.data or "").startswith(("u|", "t|", "w|", "z|")):  # f| is about oneself
        who = await _with_admin(who, context)
    replies = await _services(context).answerer.button(who, query.data or "", _now(context))
    toast = next((reply.toast for reply in replies if reply.toast), None)
    await query.answer(toast)
    await send(update, context, [reply for reply in replies if reply.toast is None or reply.text])


async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent in a private chat: an organizer's announcement as a .txt file (fetched
    from Telegram only when the sender may send one)."""
    message, who = update.effective_message, _who(update)
    if message is None or who is None or message.document is None:
        return
    document = message.document

    async def load() -> bytes:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())

    answerer = _services(context).answerer
    replies = await answerer.file(
        who, document.file_name or "", document.file_size, load, _now(context)
    )
    await send(update, context, replies)


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot Amiens` in any chat: event cards to share."""
    query, who = update.inline_query, _who(update)
    if query is None or who is None:
        return
    cards = await _services(context).answerer.inline(who, query.query, _now(context))
    results = [
        InlineQueryResultArticle(
            id=card.id,
            title=card.title,
            description=card.description,
            input_message_content=InputTextMessageContent(card.text, parse_mode=ParseMode.HTML),
            reply_markup=keyboard(card.buttons),
        )
        for card in cards
    ]
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)


async def sweep_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The repeating job: send what the outbox holds that is due. While claims come back
    full, more is due: sweep again at once rather than wait for the next run."""
    sender = _services(context).sender
    while True:
        report = await sender.sweep()
        _log_sweep(report)
        if report.retry_after or (report.claimed < sender.batch and not report.given_back):
            return


async def show_progress(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The repeating job: send or edit the progress message of each announcement being sent."""
    services = _services(context)
    async with services.answerer.sessions() as session:
        shown = await announce.progress(session, services.clock.now())
        for item in shown:
            try:
                if item.message_id is None:
                    message = await context.bot.send_message(item.chat_id, item.text)
                    await announce.progress_shown(session, item.announcement_id, message.message_id)
                else:
                    await context.bot.edit_message_text(item.text, item.chat_id, item.message_id)
            except TelegramError as error:  # the next run shows the progress again
                logger.warning(
                    "Progress of announcement %d not shown: %s", item.announcement_id, error
                )


async def purge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The hourly job: delivery records past their time, and chats blocked long enough."""
    services = _services(context)
    async with services.answerer.sessions() as session:
        purged = await privacy.purge(session, services.clock.now())
        await session.commit()
    for chat_id in purged.chats:
        services.answerer.users.forget(chat_id)
    if purged.deliveries or purged.messages or purged.chats:
        logger.info(
            "Purged %d delivery records, %d finished messages, %d chats that blocked the bot",
            purged.deliveries, purged.messages, len(purged.chats),
        )  # fmt: skip


def _log_sweep(report: SweepReport) -> None:
    if report.claimed or report.released:
        logger.info(
            "Outbox: %d claimed, %d sent, %d put back by Telegram, %d network errors, "
            "%d blocked, %d rejected, %d released",
            report.claimed, report.sent, report.retry_after, report.network,
            report.forbidden, report.rejected, report.released,
        )  # fmt: skip


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any handler failure and tell the user something went wrong."""
    logger.error("Error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        user = update.effective_user
        texts = texts_for(language_of(user.language_code if user else None))
        await context.bot.send_message(update.effective_chat.id, texts.error)


def _with_links(text: str, entities: Sequence[MessageEntity]) -> str:
    """The text with the address of each of its links written after the linked words ("ici
    (https://…)"): what an organizer linked stays a link, in plain text."""
    links = [e for e in entities if e.type == MessageEntity.TEXT_LINK and e.url]
    if not links:
        return text
    encoded = text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    for entity in sorted(links, key=lambda e: e.offset, reverse=True):
        end = (entity.offset + entity.length) * 2
        encoded = encoded[:end] + f" ({entity.url})".encode("utf-16-le") + encoded[end:]
    return encoded.decode("utf-16-le")


def _without(text: str, mention: str) -> str:
    """The text without the bot's @mention (any case)."""
    at = text.lower().find(mention.lower())
    return text if at < 0 else (text[:at] + text[at + len(mention) :]).strip()
