"""The tables: users, imported announcements, events and where each event was announced."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from essbot.config import DEFAULT_TIMEZONE
from essbot.db.base import Base

EVENT_STATUSES = ("scheduled", "undated", "cancelled")
LANGUAGES = ("fr", "en")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for "column takes one of these values"."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class User(Base):
    """Someone who talks to the bot; the id is their Telegram user (or chat) id."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("language", LANGUAGES), name="language"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(2), default="fr")
    place_insee: Mapped[str | None] = mapped_column(String(5))
    place_lat: Mapped[float | None] = mapped_column(Float)
    place_lon: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    blocked_at: Mapped[datetime | None]


class Document(Base):
    """An imported announcement text, kept whole so events can point back to it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The file name: a later text under the same name is a corrected version of this one.
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # The document's own date, when it states one; ref_date is the one given at import.
    published: Mapped[date | None] = mapped_column(Date)
    ref_date: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime]


class Event(Base):
    """One meeting: when, where, and what is still uncertain about it."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(_one_of("status", EVENT_STATUSES), name="status"),
        Index("ix_events_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The first document that announced the event; event_sources lists every one.
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    source_line: Mapped[int | None]
    title: Mapped[str] = mapped_column(Text)
    # Null for undated items ("dates à préciser").
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    all_day: Mapped[bool] = mapped_column(default=False)
    venue: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    town: Mapped[str | None] = mapped_column(String(255))
    insee: Mapped[str | None] = mapped_column(String(5), index=True)
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    online: Mapped[bool] = mapped_column(default=False)
    tbd_place: Mapped[bool] = mapped_column(default=False)
    year_inferred: Mapped[bool] = mapped_column(default=False)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"Event(id={self.id!r}, title={self.title!r}, starts_at={self.starts_at!r})"


class EventSource(Base):
    """One document that announces an event, and the line where it does."""

    __tablename__ = "event_sources"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    line: Mapped[int]
