"""Engines and sessions for SQLite and PostgreSQL."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry


def create_engine_from_url(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for this URL; on SQLite, foreign keys are enforced and WAL is on."""
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def insert_new(session: AsyncSession, model: type[Any], key: str) -> Any:
    """An INSERT of `model` rows that skips those whose unique `key` column is taken (ON
    CONFLICT DO NOTHING), in the session's dialect: PostgreSQL or SQLite."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=[key])


def _configure_sqlite(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
    """Turn on what SQLite leaves off by default, on every new connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL lets readers work while the bot writes; in-memory databases ignore it.
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()
