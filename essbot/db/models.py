"""The tables: users, imported announcements, events and where each event was announced."""

from datetime import date, datetime, time, timedelta
from typing import Any

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
    Time,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from essbot.config import DEFAULT_TIMEZONE
from essbot.db.base import Base

EVENT_STATUSES = ("scheduled", "undated", "cancelled")
# How long an event with a start time and no end is taken to last (to tell "in progress").
DEFAULT_DURATION = timedelta(hours=2)
# Events longer than this are "multiday": searched apart, so that the others are looked for
# only from this long before the dates asked.
MULTIDAY = timedelta(days=1)
LANGUAGES = ("fr", "en")
SUBSCRIPTION_KINDS = ("event", "area")
SUBSCRIPTION_MODES = ("instant", "digest")
CHAT_KINDS = ("private", "group", "supergroup", "channel")
MESSAGE_KINDS = (
    "reminder", "alert", "digest", "change", "cancellation", "announcement", "notice",
)  # fmt: skip
MESSAGE_STATES = ("pending", "sending", "sent", "dropped", "failed")
DELIVERY_OUTCOMES = ("sent", "retry_after", "network", "forbidden", "rejected")
ROLE_ACTIONS = ("grant", "revoke", "claim")
DRAFT_STATES = ("draft", "published", "dropped")
ANNOUNCEMENT_TARGETS = ("event", "department", "region", "commune")
# draft: written, not confirmed; waiting: for an admin's approval; sending: in the outbox;
# done: every message sent or failed; rejected by an admin; dropped by its author.
ANNOUNCEMENT_STATES = ("draft", "waiting", "sending", "done", "rejected", "dropped")


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
        Index("ix_events_department_starts_at", "department", "starts_at"),
        Index("ix_events_region_starts_at", "region", "starts_at"),
        Index("ix_events_cell_starts_at", "cell", "starts_at"),
        Index("ix_events_insee_starts_at", "insee", "starts_at"),
        Index("ix_events_multiday_starts_at", "multiday", "starts_at"),
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
    insee: Mapped[str | None] = mapped_column(String(5))
    department: Mapped[str | None] = mapped_column(String(3))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    online: Mapped[bool] = mapped_column(default=False)
    tbd_place: Mapped[bool] = mapped_column(default=False)
    year_inferred: Mapped[bool] = mapped_column(default=False)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    # The organizer who published it (None: imported with `essbot import`, admins' alone).
    owner_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Derived from the columns above whenever a row is written (see derive), for search.
    region: Mapped[str | None] = mapped_column(String(3))
    cell: Mapped[int | None]  # essbot.geo.cells code of (lat, lon)
    until: Mapped[datetime | None]  # when the event is over (DEFAULT_DURATION when unknown)
    multiday: Mapped[bool] = mapped_column(default=False)  # lasts longer than MULTIDAY
    words: Mapped[str] = mapped_column(Text, default="")  # title and venue, folded

    def __repr__(self) -> str:
        return f"Event(id={self.id!r}, title={self.title!r}, starts_at={self.starts_at!r})"

    def derive(self) -> None:
        """Compute the search columns from what the event says."""
        # Imported here: the models load without the gazetteer or the extractor.
        from essbot.extract.text import fold_same_length
        from essbot.geo import load_gazetteer
        from essbot.geo.cells import cell_of

        department = load_gazetteer().get("department", self.department or "")
        self.region = department.region if department is not None else None
        has_point = self.lat is not None and self.lon is not None
        self.cell = cell_of(self.lat, self.lon) if has_point else None  # type: ignore[arg-type]
        starts_at, ends_at = self.starts_at, self.ends_at
        if any(t is not None and t.tzinfo is None for t in (starts_at, ends_at)):
            return  # refused on the way in, with the column type's clear message
        self.until = event_end(starts_at, ends_at, all_day=self.all_day)
        self.multiday = bool(starts_at and self.until and self.until - starts_at > MULTIDAY)
        self.words = fold_same_length(" ".join(filter(None, (self.title, self.venue)))).lower()


def event_end(
    starts_at: datetime | None, ends_at: datetime | None, *, all_day: bool
) -> datetime | None:
    """When an event is over: its end, else the end of its day, else DEFAULT_DURATION on."""
    if starts_at is None or ends_at is not None:
        return ends_at
    return starts_at + (timedelta(days=1) if all_day else DEFAULT_DURATION)


@event.listens_for(Event, "before_insert")
@event.listens_for(Event, "before_update")
def _derive_before_write(mapper: Any, connection: Any, target: Event) -> None:
    target.derive()


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


class Subscription(Base):
    """A chat's wish to hear about something: one event's reminders ("event"), or the new
    events of an area ("area": a commune, around a commune or a point, a department, a region),
    with keywords if any, at once or in a weekly digest. `key` says what it is, once."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint(_one_of("kind", SUBSCRIPTION_KINDS), name="kind"),
        CheckConstraint(_one_of("mode", SUBSCRIPTION_MODES), name="mode"),
        Index("ix_subscriptions_area", "area_kind", "area_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    area_kind: Mapped[str | None] = mapped_column(String(16))
    area_code: Mapped[str | None] = mapped_column(String(5))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(8), default="instant")
    digest_day: Mapped[int | None]  # 0 is Monday: the day a weekly digest goes out
    leads: Mapped[list[str]] = mapped_column(JSON, default=list)  # an event's reminder times
    created_at: Mapped[datetime]


class Chat(Base):
    """Somewhere the bot sends messages: a private chat or a group, with its settings and
    its delivery state."""

    __tablename__ = "chats"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CHAT_KINDS), name="kind"),
        CheckConstraint(_one_of("language", LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), default="private")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    # Quiet hours, local: nothing but imminent reminders is sent from start to end.
    quiet_start: Mapped[time] = mapped_column(Time, default=time(21, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(8, 0))
    # The earliest the next message may go (Telegram: 1 a second per chat, 20 a minute per
    # group), shared by every bot process.
    next_send_at: Mapped[datetime | None]
    blocked_at: Mapped[datetime | None]  # the bot was blocked or removed: nothing is sent
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutboxMessage(Base):
    """A message due at a time. `key` makes planning idempotent: (recipient, event, kind,
    lead time) is planned once. A row is `sent` only after Telegram accepted it."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_one_of("kind", MESSAGE_KINDS), name="kind"),
        CheckConstraint(_one_of("state", MESSAGE_STATES), name="state"),
        Index("ix_outbox_state_due_at", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    lead: Mapped[str] = mapped_column(String(8), default="")
    announcement_id: Mapped[int | None] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]  # not worth sending after this (the event began)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]  # a claim left by a crashed sender lapses then
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Delivery(Base):
    """One attempt to send an outbox message, and what Telegram said."""

    __tablename__ = "deliveries"
    __table_args__ = (CheckConstraint(_one_of("outcome", DELIVERY_OUTCOMES), name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)


class SendGate(Base):
    """The next free moment to send a message, for a limit every bot process shares (the
    bot's overall rate): each claim of messages books its slots here."""

    __tablename__ = "send_gates"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[datetime]


class Organizer(Base):
    """Someone with the organizer role, limited to departments and regions if any are listed.

    A role granted to a @username waits (user_id None) until that user next writes to the bot:
    Telegram tells a bot a user's id only when the user shows up."""

    __tablename__ = "organizers"
    __table_args__ = (CheckConstraint("user_id IS NOT NULL OR username IS NOT NULL", name="who"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    username: Mapped[str | None] = mapped_column(String(32), unique=True)  # lower case, no @
    departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    granted_by: Mapped[int] = mapped_column(BigInteger)
    granted_at: Mapped[datetime]


class RoleChange(Base):
    """Who granted, revoked or claimed the organizer role, for whom, when, with what scope."""

    __tablename__ = "role_changes"
    __table_args__ = (CheckConstraint(_one_of("action", ROLE_ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    username: Mapped[str | None] = mapped_column(String(32))
    departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    by_user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]


class Submission(Base):
    """An announcement an organizer sent the bot (pasted, forwarded, a .txt file, or a form
    filled in), whose events wait as drafts until published."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class Draft(Base):
    """One event of a submission, as extracted and then corrected by its organizer. `fields`
    has the shape of `essbot extract --json`, with the line as an integer."""

    __tablename__ = "drafts"
    __table_args__ = (CheckConstraint(_one_of("state", DRAFT_STATES), name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default="draft")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]


class Conversation(Base):
    """What the bot waits for from a user (a text to read, a field's new value, an
    announcement's words), kept in the database so that any bot process can take the answer."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime]


class Announcement(Base):
    """An organizer's message to the followers of an event or the subscribers of an area,
    sent through the outbox; its progress message is edited as the outbox empties."""

    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint(_one_of("target", ANNOUNCEMENT_TARGETS), name="target"),
        CheckConstraint(_one_of("state", ANNOUNCEMENT_STATES), name="state"),
        Index("ix_announcements_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)  # where its author follows it
    target: Mapped[str] = mapped_column(String(12))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    area_code: Mapped[str | None] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)  # as its author wrote it; escaped when sent
    state: Mapped[str] = mapped_column(String(12), default="draft")
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(BigInteger)  # the admin who approved or not
    decided_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_text: Mapped[str | None] = mapped_column(Text)  # as last shown
    progress_until: Mapped[datetime | None]  # a process updating the progress holds it so long


class Setting(Base):
    """A setting admins change from Telegram (such as approving announcements first)."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]
