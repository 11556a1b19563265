"""Storing the events of an announcement: idempotent, version-aware, deduplicated.

- The same text (by SHA-256) imported again changes nothing.
- A different text under the same file name is a corrected version: its events update the
  earlier version's events (see `identity.pair_versions`), and those it no longer announces
  are cancelled, unless a current document of another name still announces them.
- An event another document already announced (see `identity.same_event`) stays one event:
  the new document is added to its sources and fills what it lacked, erasing nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.config import DEFAULT_TIMEZONE
from essbot.db import Document, Event, EventSource
from essbot.events.fields import (
    EventFields,
    event_fields,
    fill_missing,
    replace_fields,
    snapshot,
)
from essbot.events.identity import (
    Identity,
    closest,
    dedup_key,
    identity_of_event,
    identity_of_extracted,
    pair_versions,
    same_event,
)
from essbot.extract.model import Extraction


@dataclass(slots=True)
class ImportReport:
    """What importing documents did, counted in events (warnings: in warning codes)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    needing_review: int = 0
    warnings: int = 0
    cancelled: int = 0
    documents: int = 1
    already_imported: int = 0  # documents whose exact text had been imported before
    # Events whose time or place changed, and events cancelled: their followers are told.
    moved_ids: list[int] = field(default_factory=list)
    cancelled_ids: list[int] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # for the alerts of area subscribers
    # The event each extracted event became, in the extraction's order.
    event_ids: list[int] = field(default_factory=list)

    def __add__(self, other: ImportReport) -> ImportReport:
        return ImportReport(
            new=self.new + other.new,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
            needing_review=self.needing_review + other.needing_review,
            warnings=self.warnings + other.warnings,
            cancelled=self.cancelled + other.cancelled,
            documents=self.documents + other.documents,
            already_imported=self.already_imported + other.already_imported,
            moved_ids=self.moved_ids + other.moved_ids,
            cancelled_ids=self.cancelled_ids + other.cancelled_ids,
            new_ids=self.new_ids + other.new_ids,
            event_ids=self.event_ids + other.event_ids,
        )

    @staticmethod
    def total(reports: Iterable[ImportReport]) -> ImportReport:
        """The sum of several documents' reports."""
        return sum(reports, ImportReport(documents=0))


async def import_document(
    session: AsyncSession,
    *,
    text: str,
    name: str,
    extraction: Extraction,
    now: datetime,
    timezone: str = DEFAULT_TIMEZONE,
    ref_date: date | None = None,
    digest: str | None = None,
) -> ImportReport:
    """Store a document and its extracted events in the session's transaction (no commit).

    `name` is the document's file name, `timezone` the zone of the times the text states,
    `now` the import time. Needing review and warnings count what the text says. `digest`
    identifies the text (by default its SHA-256): the same digest again changes nothing.
    """
    report = ImportReport(
        needing_review=sum(event.needs_review for event in extraction.events),
        warnings=len(extraction.warnings) + sum(len(e.warnings) for e in extraction.events),
    )
    digest = digest or hashlib.sha256(text.encode("utf-8")).hexdigest()
    known = await session.scalar(select(Document).where(Document.sha256 == digest))
    if known is not None:
        report.unchanged = await _count_events(session, document_id=known.id)
        report.already_imported = 1
        return report

    document = Document(
        sha256=digest,
        name=name,
        title=extraction.title,
        text=text,
        published=extraction.published,
        ref_date=ref_date,
        imported_at=now,
    )
    session.add(document)
    await session.flush()

    previous = await _events_of_earlier_versions(session, document=document)
    identities = [identity_of_extracted(event) for event in extraction.events]
    pairs = pair_versions(identities, [identity_of_event(event) for event in previous])
    for index, extracted in enumerate(extraction.events):
        values = event_fields(extracted, timezone=timezone)
        before: dict[str, object] | None = None
        if index in pairs:
            event = previous[pairs[index]]
            before = snapshot(event)
            outcome = await _update_version(session, event, values, document=document, now=now)
        else:
            event, outcome, before = await _merge_or_create(
                session, identities[index], values, document=document, line=extracted.line, now=now
            )
        if before is not None and event.status == "scheduled" and moved(before, event):
            report.moved_ids.append(event.id)
        if outcome == "new":
            report.new_ids.append(event.id)
        report.event_ids.append(event.id)
        session.add(EventSource(event_id=event.id, document_id=document.id, line=extracted.line))
        setattr(report, outcome, getattr(report, outcome) + 1)

    paired = set(pairs.values())
    for index, event in enumerate(previous):
        if index in paired or event.status == "cancelled":
            continue
        if not await _announced_elsewhere(session, event, document=document):
            event.status, event.updated_at = "cancelled", now
            report.cancelled += 1
            report.cancelled_ids.append(event.id)
    await session.flush()
    return report


async def _update_version(
    session: AsyncSession, event: Event, values: EventFields, *, document: Document, now: datetime
) -> str:
    """Apply a corrected text to its earlier version's event; "updated" or "unchanged".

    The corrected text decides, but when another current document also announces the event,
    what the correction leaves empty keeps the value that document gave.
    """
    before = snapshot(event)
    shared = await _announced_elsewhere(session, event, document=document)
    replace_fields(event, values, keep_known=shared)
    return _outcome(event, before, now)


async def _merge_or_create(
    session: AsyncSession,
    identity: Identity,
    values: EventFields,
    *,
    document: Document,
    line: int,
    now: datetime,
) -> tuple[Event, str, dict[str, object] | None]:
    """The event another document announced, completed, with what it was before; or a new
    event (and None)."""
    candidates = await _candidates(session, identity, document=document)
    known = [identity_of_event(event) for event in candidates]
    fitting = (index for index, other in enumerate(known) if same_event(identity, other))
    match = closest(identity, known, fitting)
    if match is not None:
        event = candidates[match]
        before = snapshot(event)
        fill_missing(event, values)
        if known[match].is_generic and not identity.is_generic:
            event.title = values.title
        return event, _outcome(event, before, now), before

    event = Event(
        **values.as_columns(),
        document_id=document.id,
        source_line=line,
        dedup_key=await _free_dedup_key(session, dedup_key(identity)),
        created_at=now,
        updated_at=now,
    )
    session.add(event)
    await session.flush()
    return event, "new", None


# What people who follow an event are told about when it changes.
NOTICED = ("starts_at", "ends_at", "all_day", "venue", "address", "town", "insee", "online")


def moved(before: dict[str, object], event: Event) -> bool:
    """Whether the event's time or place changed (a first time or place given counts)."""
    after = snapshot(event)
    return any(before[name] != after[name] for name in NOTICED)


def _outcome(event: Event, before: dict[str, object], now: datetime) -> str:
    """ "updated" (and stamp the time) when any column changed, else "unchanged"."""
    if snapshot(event) == before:
        return "unchanged"
    event.updated_at = now
    return "updated"


async def _events_of_earlier_versions(session: AsyncSession, *, document: Document) -> list[Event]:
    """Every event announced by an earlier version of this document (same name), by id."""
    announced = (
        select(EventSource.event_id)
        .join(Document, Document.id == EventSource.document_id)
        .where(Document.name == document.name, Document.id != document.id)
    )
    result = await session.scalars(select(Event).where(Event.id.in_(announced)).order_by(Event.id))
    return list(result)


async def _candidates(
    session: AsyncSession, identity: Identity, *, document: Document
) -> list[Event]:
    """Events of other documents that could be this one: same date, or undated likewise.

    The date window is one day wider on each side, since the exact date is checked in each
    event's own time zone. Versions of this document are paired, never merged. Cancelled
    events are candidates too: another announcement of an event its organizer cancelled
    joins it and leaves it cancelled rather than bringing it back as a new event.
    """
    same_name = (
        select(EventSource.event_id)
        .join(Document, Document.id == EventSource.document_id)
        .where(Document.name == document.name)
    )
    query = select(Event).where(Event.id.not_in(same_name)).order_by(Event.id)
    if identity.day is None:
        query = query.where(Event.starts_at.is_(None))
    else:
        first = datetime.combine(identity.day - timedelta(days=1), datetime.min.time(), UTC)
        query = query.where(Event.starts_at >= first, Event.starts_at < first + timedelta(days=3))
    return list(await session.scalars(query))


async def _announced_elsewhere(session: AsyncSession, event: Event, *, document: Document) -> bool:
    """Whether the latest version of a document of another name announces this event."""
    latest = select(func.max(Document.id)).group_by(Document.name)
    query = (
        select(EventSource.document_id)
        .join(Document, Document.id == EventSource.document_id)
        .where(
            EventSource.event_id == event.id,
            Document.name != document.name,
            Document.id.in_(latest),
        )
        .limit(1)
    )
    return await session.scalar(query) is not None


async def _count_events(session: AsyncSession, *, document_id: int) -> int:
    """How many events a document announces."""
    query = select(func.count()).where(EventSource.document_id == document_id)
    return await session.scalar(query) or 0


async def _free_dedup_key(session: AsyncSession, key: str) -> str:
    """The key itself, or with the first free "#n" suffix when a distinct event holds it."""
    query = select(Event.dedup_key).where(
        (Event.dedup_key == key) | Event.dedup_key.startswith(f"{key}#", autoescape=True)
    )
    taken = set(await session.scalars(query))
    suffix = 1
    candidate = key
    while candidate in taken:
        suffix += 1
        candidate = f"{key}#{suffix}"
    return candidate
