"""The messages the bot sends on its own, written in the chat's language: reminders, and
notices of a change or a cancellation."""

from __future__ import annotations

from essbot.texts import Texts, texts_for
from essbot.texts.cards import Shown, card_text


def link_to(event: Shown, bot_username: str | None) -> str | None:
    """The deep link that opens the event in the bot."""
    if not bot_username:
        return None
    return f"https://t.me/{bot_username}?start=event_{event.id}"


def reminder(event: Shown, lead: str, language: str, bot_username: str | None = None) -> str:
    texts = texts_for(language)
    return _headed(texts.reminder_heading(lead), event, texts, bot_username)


def change(event: Shown, language: str, bot_username: str | None = None) -> str:
    texts = texts_for(language)
    return _headed(texts.changed_heading, event, texts, bot_username)


def alert(event: Shown, language: str, bot_username: str | None = None) -> str:
    texts = texts_for(language)
    return _headed(texts.new_event_heading, event, texts, bot_username)


def digest_heading(language: str) -> str:
    return f"<b>{texts_for(language).digest_heading}</b>"


def digest_item(event: Shown, language: str) -> str:
    """One event of a digest: its card and how to open it."""
    return f"{card_text(event, texts_for(language))}\n/event {event.id}"


def cancellation(event: Shown, language: str) -> str:
    texts = texts_for(language)
    return _headed(texts.cancelled_heading, event, texts, None)


def _headed(heading: str, event: Shown, texts: Texts, bot_username: str | None) -> str:
    """A heading, the event's card, and the link that opens it in the bot, if known."""
    text = f"<b>{heading}</b>\n\n{card_text(event, texts)}"
    if link := link_to(event, bot_username):
        return f'{text}\n\n<a href="{link}">{texts.details}</a>'
    return text
