"""Submissions and their drafts: an organizer's announcement read into events that wait,
correctable, until the organizer publishes them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Draft, Event, Submission
from essbot.events import import_document
from essbot.extract import extract
from essbot.extract.model import PLACE_UNKNOWN, WEEKDAY_MISMATCH, YEAR_UNCERTAIN, Extraction
from essbot.notify.alerts import alert_subscribers
from essbot.notify.changes import tell_followers
from essbot.organize.fields import as_extracted, as_fields
from essbot.organize.roles import Role

MAX_TEXT = 200_000  # characters of an announcement read at once (a .txt file may be long)
# Warnings an organizer should look at before publishing.
BLOCKING = (WEEKDAY_MISMATCH, YEAR_UNCERTAIN, PLACE_UNKNOWN)
OUTSIDE = "outside_scope"  # a draft placed where the organizer may not publish


async def submit(
    session: AsyncSession,
    *,
    owner_id: int,
    chat_id: int,
    text: str,
    name: str,
    now: datetime,
    today: date,
) -> tuple[Submission, list[Draft]]:
    """Read an announcement into a submission and its drafts (in the caller's transaction).
    `today` (a local date) is the reference for dates written without a year."""
    extraction = extract(text, ref_date=today, source=name)
    return await _store(session, owner_id, chat_id, text, name, extraction, now)


async def submit_event(
    session: AsyncSession,
    *,
    owner_id: int,
    chat_id: int,
    fields: dict[str, Any],
    text: str,
    now: datetime,
) -> tuple[Submission, list[Draft]]:
    """A single event filled in field by field, as a submission of one draft; `text` is how
    the event reads, kept as its announcement."""
    extraction = Extraction(title=fields["title"], events=(as_extracted(fields),))
    return await _store(session, owner_id, chat_id, text, "", extraction, now)


async def _store(
    session: AsyncSession,
    owner_id: int,
    chat_id: int,
    text: str,
    name: str,
    extraction: Extraction,
    now: datetime,
) -> tuple[Submission, list[Draft]]:
    submission = Submission(
        owner_id=owner_id,
        chat_id=chat_id,
        name=name,
        title=extraction.title,
        text=text,
        created_at=now,
    )
    session.add(submission)
    await session.flush()
    if not submission.name:
        submission.name = f"telegram-{submission.id}.txt"
    drafts = [
        Draft(
            submission_id=submission.id,
            position=position,
            fields={**as_fields(event), "source": submission.name},
            state="draft",
            updated_at=now,
        )
        for position, event in enumerate(extraction.events, start=1)
    ]
    session.add_all(drafts)
    await session.flush()
    return submission, drafts


async def drafts_of(session: AsyncSession, submission_id: int) -> list[Draft]:
    query = select(Draft).where(Draft.submission_id == submission_id).order_by(Draft.position)
    return list(await session.scalars(query))


def open_warnings(draft: Draft, role: Role) -> list[str]:
    """What an organizer should fix before publishing this draft."""
    fields = draft.fields
    warnings = [w for w in fields.get("warnings") or () if w in BLOCKING]
    department = fields.get("department")
    if department and not role.scope.covers_department(department):
        warnings.append(OUTSIDE)
    return warnings


class AlreadyPublished(Exception):
    """The submission was published already."""


@dataclass(slots=True)
class Publication:
    """What publishing a submission did: drafts that became new events, those that were
    already known (another announcement had them), and those left out of the organizer's
    scope. Event ids in the drafts' order."""

    new: list[int] = field(default_factory=list)
    known: list[int] = field(default_factory=list)
    outside: list[Draft] = field(default_factory=list)
    undated: int = 0
    alerts: int = 0  # new events told to area subscribers


async def publish(
    session: AsyncSession,
    submission: Submission,
    role: Role,
    *,
    now: datetime,
    timezone: str,
    bot_username: str | None = None,
) -> Publication:
    """Publish the submission's drafts still waiting (in the caller's transaction): events
    stored and deduplicated like imported ones, owned by the organizer, followers and area
    subscribers told. Drafts out of the organizer's scope stay unpublished."""
    publication = Publication()
    claimed = await session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.published_at.is_(None))
        .values(published_at=now)
        .returning(Submission.id)
    )
    if claimed.first() is None:  # published meanwhile (the button pressed twice at once)
        raise AlreadyPublished
    waiting = [draft for draft in await drafts_of(session, submission.id) if draft.state == "draft"]
    kept: list[Draft] = []
    for draft in waiting:
        department = draft.fields.get("department")
        if department and not role.scope.covers_department(department):
            publication.outside.append(draft)
        else:
            kept.append(draft)
    if not kept:
        await session.execute(
            update(Submission).where(Submission.id == submission.id).values(published_at=None)
        )
        return publication
    extraction = Extraction(
        title=submission.title,
        events=tuple(as_extracted(draft.fields) for draft in kept),
        source=submission.name,
    )
    digest = hashlib.sha256(f"submission:{submission.id}\n{submission.text}".encode()).hexdigest()
    report = await import_document(
        session,
        text=submission.text,
        name=submission.name,
        extraction=extraction,
        now=now,
        timezone=timezone,
        digest=digest,
    )
    new = set(report.new_ids)
    for draft, event_id in zip(kept, report.event_ids, strict=True):
        draft.state, draft.event_id, draft.updated_at = "published", event_id, now
        if event_id in new:
            event = await session.get(Event, event_id)
            assert event is not None
            event.owner_id = role.user_id
            publication.new.append(event_id)
            publication.undated += event.status == "undated"
        else:
            publication.known.append(event_id)
    submission.published_at = now
    await tell_followers(
        session,
        moved=report.moved_ids,
        cancelled=report.cancelled_ids,
        now=now,
        bot_username=bot_username,
    )
    publication.alerts = await alert_subscribers(session, report.new_ids, now, bot_username)
    return publication


def waiting(drafts: Sequence[Draft]) -> list[Draft]:
    """The drafts not yet published or dropped."""
    return [draft for draft in drafts if draft.state == "draft"]
