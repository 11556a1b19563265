"""The models on SQLite and PostgreSQL: aware datetimes, constraints, foreign keys."""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from essbot.db import Document, Event, User, create_session_factory

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 9, 20, 8, 0, tzinfo=UTC)


def calais_meeting(**fields: Any) -> Event:
    """The first ESS Tour 2016 meeting, with any field overridden."""
    values: dict[str, Any] = {
        "title": "ESS Tour 2016 : rencontre de Calais",
        "starts_at": datetime(2016, 9, 27, 17, 30, tzinfo=PARIS),
        "ends_at": datetime(2016, 9, 27, 20, 0, tzinfo=PARIS),
        "venue": "Cité de la dentelle et de la mode",
        "address": "135 quai du Commerce",
        "postcode": "62100",
        "town": "Calais",
        "insee": "62193",
        "department": "62",
        "lat": 50.95,
        "lon": 1.85,
        "year_inferred": True,
        "dedup_key": "2016-09-27|62193|ess-tour",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return Event(**values)


def announcement(**fields: Any) -> Document:
    """An imported announcement, with any field overridden."""
    values: dict[str, Any] = {
        "sha256": "0" * 64,
        "name": "000_64a451bafef6dcae.txt",
        "text": "L'ESS TOUR 2016",
        "ref_date": date(2016, 9, 1),
        "imported_at": NOW,
    }
    values.update(fields)
    return Document(**values)


async def reload_event(engine: AsyncEngine, event_id: int) -> Event:
    """The event as a fresh session reads it from the database."""
    async with create_session_factory(engine)() as fresh:
        return (await fresh.execute(select(Event).where(Event.id == event_id))).scalar_one()


async def test_event_datetimes_come_back_aware_in_utc(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    session.add(calais_meeting())
    await session.commit()
    event_id = (await session.execute(select(Event.id))).scalar_one()

    event = await reload_event(engine, event_id)

    assert event.starts_at == datetime(2016, 9, 27, 15, 30, tzinfo=UTC)
    assert event.ends_at == datetime(2016, 9, 27, 18, 0, tzinfo=UTC)
    assert event.starts_at is not None
    assert event.starts_at.tzinfo is UTC
    assert event.created_at == NOW
    assert event.created_at.tzinfo is UTC


async def test_event_defaults(engine: AsyncEngine, session: AsyncSession) -> None:
    session.add(calais_meeting())
    await session.commit()
    event_id = (await session.execute(select(Event.id))).scalar_one()

    event = await reload_event(engine, event_id)

    assert event.status == "scheduled"
    assert event.timezone == "Europe/Paris"
    assert event.warnings == []
    assert (event.all_day, event.online, event.tbd_place) == (False, False, False)


async def test_undated_event_keeps_its_warnings(engine: AsyncEngine, session: AsyncSession) -> None:
    warnings = ["date à préciser", "lieu à préciser"]
    session.add(calais_meeting(starts_at=None, ends_at=None, status="undated", warnings=warnings))
    await session.commit()
    event_id = (await session.execute(select(Event.id))).scalar_one()

    event = await reload_event(engine, event_id)

    assert event.starts_at is None
    assert event.warnings == warnings


async def test_naive_datetimes_are_refused(session: AsyncSession) -> None:
    session.add(calais_meeting(starts_at=datetime(2016, 9, 27, 17, 30)))  # noqa: DTZ001
    with pytest.raises(StatementError, match="naive datetime"):
        await session.flush()


async def test_unknown_status_is_refused(session: AsyncSession) -> None:
    session.add(calais_meeting(status="postponed"))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_dedup_key_is_unique(session: AsyncSession) -> None:
    session.add_all([calais_meeting(), calais_meeting(title="Doublon")])
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_document_hash_is_unique(session: AsyncSession) -> None:
    session.add_all([announcement(), announcement(name="copie.txt")])
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_foreign_keys_are_enforced(session: AsyncSession) -> None:
    session.add(calais_meeting(document_id=999))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_deleting_a_document_keeps_its_events(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    document = announcement()
    session.add(document)
    await session.flush()
    session.add(calais_meeting(document_id=document.id, source_line=14))
    await session.commit()
    event_id = (await session.execute(select(Event.id))).scalar_one()

    await session.execute(delete(Document))
    await session.commit()

    event = await reload_event(engine, event_id)
    assert event.document_id is None
    assert event.source_line == 14


async def test_user_defaults_to_french_and_keeps_a_place(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    telegram_id = 5_000_000_000  # beyond 32 bits, as Telegram ids can be
    session.add(
        User(
            id=telegram_id,
            place_insee="80021",
            place_lat=49.89,
            place_lon=2.3,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    await session.commit()

    async with create_session_factory(engine)() as fresh:
        user = await fresh.get_one(User, telegram_id)
    assert user.language == "fr"
    assert user.place_insee == "80021"
    assert user.blocked_at is None
    assert user.created_at == NOW


async def test_sqlite_runs_in_wal_mode(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
