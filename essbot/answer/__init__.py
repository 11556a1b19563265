"""Answering people: the conversation shared by Telegram, the console chat and `essbot ask`."""

from essbot.answer.core import Answerer, Who
from essbot.answer.reply import Attachment, Button, Card, Keyboard, Reply, Venue

__all__ = ["Answerer", "Attachment", "Button", "Card", "Keyboard", "Reply", "Venue", "Who"]
