"""Alembic migrations build exactly the models' schema, on every engine."""

import sqlite3
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from essbot.db import metadata
from essbot.db.migrate import downgrade_engine, find_alembic_ini, upgrade, upgrade_engine

TABLES = {"users", "documents", "events", "event_sources", "subscriptions"}


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
    assert version == "0003"


def test_migrations_are_found_beside_the_package() -> None:
    ini = find_alembic_ini()
    assert (ini.parent / "migrations" / "env.py").is_file()
    assert (ini.parent / "essbot").is_dir()
