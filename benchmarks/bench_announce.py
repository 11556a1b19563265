"""Announcement benchmark: what an organizer waits for, on SQLite and PostgreSQL, with an area
of many subscribers.

Run from the repository root:

    .venv/bin/python benchmarks/bench_announce.py [--subscribers 10000] [--runs 5]
        [--postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]

Each run builds a database of its own (a SQLite file, or a PostgreSQL schema), with
`--subscribers` private chats subscribed to the Pas-de-Calais and as many to the Somme, and an
organizer of the 62. It then times, as the bot's buttons call them:

1. preview: `announce.draft_for_area`, the announcement written, its recipients counted;
2. confirm: `announce.confirm`, one outbox row planned per recipient (the "Send" button);
3. progress: `announce.progress` once the outbox rows are all sent, which finishes the
   announcement and plans its delivery report.

Figures are the median and the worst of the runs, in milliseconds. The bot answers a button
within Telegram's patience (the spinner turns for some seconds): targets are under 1 s for the
preview and the confirmation at 10,000 subscribers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from essbot.db import (
    Chat,
    OutboxMessage,
    Subscription,
    create_engine_from_url,
    create_session_factory,
    metadata,
)
from essbot.organize import announce
from essbot.organize.roles import Role, Scope

NOW = datetime(2024, 10, 15, 8, 0, tzinfo=UTC)
ORGANIZER = Role(62, admin=False, scope=Scope(departments=("62",)))


@asynccontextmanager
async def database(kind: str, postgres_url: str | None) -> AsyncIterator[AsyncEngine]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            engine = create_engine_from_url(f"sqlite+aiosqlite:///{Path(directory) / 'b.db'}")
            yield engine
            await engine.dispose()
        return
    assert postgres_url is not None
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine_from_url(postgres_url, poolclass=NullPool)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine_from_url(
        postgres_url, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def fill(engine: AsyncEngine, subscribers: int) -> None:
    """Subscribers of the 62 and as many of the Somme (who must not be counted)."""
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        chats = range(1, 2 * subscribers + 1)
        await connection.execute(
            insert(Chat),
            [{"id": chat, "kind": "private", "language": "fr", "timezone": "Europe/Paris",
              "quiet_start": clock_time(21), "quiet_end": clock_time(8), "created_at": NOW,
              "updated_at": NOW} for chat in chats],
        )  # fmt: skip
        await connection.execute(
            insert(Subscription),
            [{"key": f"area:{chat}", "chat_id": chat, "kind": "area", "area_kind": "department",
              "area_code": "62" if chat <= subscribers else "80", "keywords": [],
              "mode": "instant", "leads": [], "created_at": NOW} for chat in chats],
        )  # fmt: skip


async def one_run(kind: str, subscribers: int, postgres_url: str | None) -> dict[str, float]:
    async with database(kind, postgres_url) as engine:
        await fill(engine, subscribers)
        sessions = create_session_factory(engine)
        timings: dict[str, float] = {}
        async with sessions() as session:
            started = time.perf_counter()
            draft = await announce.draft_for_area(
                session, ORGANIZER, "department", "62", chat_id=62, text="Bonjour", now=NOW
            )
            await session.commit()
            timings["preview"] = time.perf_counter() - started
            assert draft.recipients == subscribers, draft.recipients
        async with sessions() as session:
            item = await session.get(type(draft), draft.id)
            assert item is not None
            started = time.perf_counter()
            await announce.confirm(session, item, ORGANIZER, admins=(), now=NOW)
            await session.commit()
            timings["confirm"] = time.perf_counter() - started
            assert item.recipients == subscribers
        async with sessions() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.announcement_id == draft.id)
                .values(state="sent")
            )
            await session.commit()
            started = time.perf_counter()
            (shown,) = await announce.progress(session, NOW)
            timings["progress"] = time.perf_counter() - started
            assert shown.final
        return timings


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres-url")
    options = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    print(f"{options.subscribers} subscribers of the 62, as many of the 80; {options.runs} runs")
    for kind in kinds:
        runs = [
            await one_run(kind, options.subscribers, options.postgres_url)
            for _ in range(options.runs)
        ]
        for step in ("preview", "confirm", "progress"):
            values = [run[step] * 1000 for run in runs]
            print(
                f"{kind:10} {step:8} median {statistics.median(values):8.1f} ms"
                f"   worst {max(values):8.1f} ms"
            )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
