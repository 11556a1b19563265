"""Database: models, engines and sessions, migrations."""

from essbot.db.base import Base, UtcDateTime, metadata
from essbot.db.models import (
    Chat,
    Delivery,
    Document,
    Event,
    EventSource,
    OutboxMessage,
    SendGate,
    Subscription,
    User,
)
from essbot.db.session import create_engine_from_url, create_session_factory, insert_new

__all__ = [
    "Base",
    "Chat",
    "Delivery",
    "Document",
    "Event",
    "EventSource",
    "OutboxMessage",
    "SendGate",
    "Subscription",
    "User",
    "UtcDateTime",
    "create_engine_from_url",
    "create_session_factory",
    "insert_new",
    "metadata",
]
