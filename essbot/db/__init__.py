"""Database: models, engines and sessions, migrations."""

from essbot.db.base import Base, UtcDateTime, metadata
from essbot.db.models import (
    Announcement,
    Chat,
    Conversation,
    Delivery,
    Document,
    Draft,
    Event,
    EventSource,
    Organizer,
    OutboxMessage,
    RoleChange,
    SendGate,
    Setting,
    Submission,
    Subscription,
    User,
)
from essbot.db.session import create_engine_from_url, create_session_factory, insert_new

__all__ = [
    "Announcement",
    "Base",
    "Chat",
    "Conversation",
    "Delivery",
    "Document",
    "Draft",
    "Event",
    "EventSource",
    "Organizer",
    "OutboxMessage",
    "RoleChange",
    "SendGate",
    "Setting",
    "Submission",
    "Subscription",
    "User",
    "UtcDateTime",
    "create_engine_from_url",
    "create_session_factory",
    "insert_new",
    "metadata",
]
