"""Shared fixtures: one database fixture over SQLite and (when configured) PostgreSQL."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fake_telegram import FakeBotApi
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.pool import NullPool

from essbot.config import get_settings
from essbot.db import create_engine_from_url, create_session_factory, metadata
from essbot.db.migrate import upgrade

POSTGRES_URL = os.environ.get("ESSBOT_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start every test without ESSBOT_* variables and with fresh settings."""
    for name in list(os.environ):
        if name.startswith("ESSBOT_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


ENGINES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL, reason="set ESSBOT_TEST_DATABASE_URL to test PostgreSQL"
        ),
    ),
]


@asynccontextmanager
async def empty_database(kind: str, directory: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database of its own: a SQLite file in `directory`, or a fresh PostgreSQL
    schema, dropped afterwards."""
    if kind == "sqlite":
        sqlite = create_engine_from_url(f"sqlite+aiosqlite:///{directory / 'test.sqlite3'}")
        yield sqlite
        await sqlite.dispose()
        return
    assert POSTGRES_URL is not None
    # A schema per test is faster than a database per test and leaves nothing behind.
    schema = f"test_{uuid.uuid4().hex}"
    admin = create_engine_from_url(POSTGRES_URL, poolclass=NullPool)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    postgres = create_engine_from_url(
        POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        yield postgres
    finally:
        await postgres.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=ENGINES)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database of the test's own, on SQLite and (when configured) PostgreSQL."""
    async with empty_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session on a database holding every table (the migrations build the same schema)."""
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """The URL of a PostgreSQL database of the test's own, migrated, dropped afterwards (for
    bot processes, which need a database rather than a schema)."""
    if POSTGRES_URL is None:
        pytest.skip("set ESSBOT_TEST_DATABASE_URL to test PostgreSQL")
    name = f"essbot_{uuid.uuid4().hex[:12]}"
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    async def create() -> None:
        admin = create_engine_from_url(
            POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT"
        )
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        await admin.dispose()
        await upgrade(url)

    async def drop() -> None:
        admin = create_engine_from_url(
            POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT"
        )
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()

    asyncio.run(create())
    try:
        yield url
    finally:
        asyncio.run(drop())


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    """A local stand-in for the Telegram Bot API server."""
    with FakeBotApi() as api:
        yield api
