"""Alembic migrations build exactly the models' schema, on every engine."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from essbot.db import Event, create_session_factory, metadata
from essbot.db.migrate import downgrade_engine, find_alembic_ini, upgrade, upgrade_engine
from essbot.geo.cells import cell_of

TABLES = {
    "organizers",
    "role_changes",
    "submissions",
    "drafts",
    "conversations",
    "announcements",
    "settings",
    "users",
    "documents",
    "events",
    "event_sources",
    "subscriptions",
    "chats",
    "outbox",
    "deliveries",
    "send_gates",
}


def schema_differences(connection: Connection) -> list[Any]:
    """What autogenerate would change to make the database match the models."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def table_names(connection: Connection) -> set[str]:
    """The tables in the connection's default schema."""
    return set(inspect(connection).get_table_names())


async def test_migrations_match_the_models(engine: AsyncEngine) -> None:
    await upgrade_engine(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(schema_differences) == []


async def test_downgrade_to_base_removes_every_table(engine: AsyncEngine) -> None:
    await upgrade_engine(engine)
    await downgrade_engine(engine, "base")
    async with engine.connect() as connection:
        assert await connection.run_sync(table_names) == {"alembic_version"}
    await upgrade_engine(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(table_names) == TABLES | {"alembic_version"}


async def test_upgrade_by_url_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "essbot.sqlite3"
    await upgrade(f"sqlite+aiosqlite:///{path}")
    await upgrade(f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == "0005"


def test_migrations_are_found_beside_the_package() -> None:
    ini = find_alembic_ini()
    assert (ini.parent / "migrations" / "env.py").is_file()
    assert (ini.parent / "essbot").is_dir()


async def test_search_columns_are_filled_for_events_stored_before_them(
    engine: AsyncEngine,
) -> None:
    await upgrade_engine(engine, "0002")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO events (title, starts_at, timezone, all_day, department, lat, lon, "
                "online, tbd_place, year_inferred, warnings, status, dedup_key, created_at, "
                "updated_at) VALUES ('Atelier à Amiens', :start, 'Europe/Paris', :false, '80', "
                "49.9, 2.3, :false, :false, :false, '[]', 'scheduled', 'k', :start, :start)"
            ),
            {"start": datetime(2016, 10, 5, 15, 30, tzinfo=UTC), "false": False},
        )
    await upgrade_engine(engine)
    async with create_session_factory(engine)() as session:
        event = await session.scalar(select(Event))
    assert event is not None
    assert (event.region, event.cell, event.words) == ("32", cell_of(49.9, 2.3),
                                                      "atelier a amiens")  # fmt: skip
    assert event.until == datetime(2016, 10, 5, 17, 30, tzinfo=UTC)
