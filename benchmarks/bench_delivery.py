"""Delivery benchmark: what one outbox sweep costs as the outbox grows, how fast a real bot
process sends under Telegram's limit, and what killing it while it sends makes arrive twice.

Run from the repository root:

    .venv/bin/python benchmarks/bench_delivery.py [--only sweep|send|crash]
        [--postgres-url URL] [--sizes 10000,1000000] [--due-now 300] [--runs 200]
        [--messages 5000] [--kills 20] [--crash-messages 2000] [--crash-rate 200] [--seed N]

Every part works in a PostgreSQL database of its own, created next to the one the URL names,
built by the migrations and dropped at the end.

1. sweep: the SQL work of one sweep (`release_lapsed`, then `claim(limit=60)`), without sending,
   on an outbox of each size: chats (one per ten rows), most rows due in the coming month, a
   few hundred due now, each for a chat of its own. After the fill, VACUUM ANALYZE (autovacuum
   may be off). Each run is timed, then what it claimed is given back (rows pending again,
   chat gates and the shared gate reset), so that every run sees the same state. Figures per
   statement come from the driver's cursor events. At the largest size, EXPLAIN ANALYZE of the
   claim's SELECT, and of the sweep's slowest statement when that is another one.
   Targets: p99 under 20 ms at every size; the largest size's median at most 1.5 times the
   smallest's (the cost must not grow with the rows that are not due).
2. send: `essbot run` (one process, ESSBOT_SEND_RATE=30) against the fake Bot API server that
   refuses more than 30 messages in any second (429, RetryAfter), with `--messages` due rows for
   as many chats. Targets: from the first accepted message to the last, no more than 5% over
   messages/30 s; no RetryAfter; never more than 30 in a second.
3. crash: `--kills` runs, one kill each. A run fills the outbox with `--crash-messages` due rows
   for as many chats, starts `essbot run` at `--crash-rate`, SIGKILLs it once a random fraction
   (20 to 80%) of the messages have been accepted, starts a new process and waits until every
   chat has its message and every row is sent (the dead process's claims come back only once
   their lease lapses, even those whose messages the fake had accepted). One kill per fresh run
   keeps the kills independent, each at a truly random point, and gives each repeat to one
   kill; a run costs about the lease plus two start-ups (some 30 s). Targets: every chat gets
   its message; repeats per kill at most CONCURRENCY (the messages in flight).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import itertools
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_telegram import FakeBotApi  # type: ignore[import-not-found]  # noqa: E402
from sqlalchemy import event, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from essbot.bot.app import SWEEP_SECONDS  # noqa: E402
from essbot.clock import Clock  # noqa: E402
from essbot.db import (  # noqa: E402
    Chat,
    Delivery,
    OutboxMessage,
    SendGate,
    create_engine_from_url,
    create_session_factory,
)
from essbot.db.migrate import upgrade  # noqa: E402
from essbot.notify.sender import (  # noqa: E402
    CONCURRENCY,
    GATE,
    LEAD,
    LEASE,
    MARGIN,
    claim,
    release_lapsed,
)

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TOKEN = "123456:BENCH-token"
BATCH = 10_000
WARM_UP = 20
CLAIM_LIMIT = 60  # a sweep's batch at 30 messages a second (SWEEP_SECONDS of sending)
TARGET_SWEEP_P99_MS = 20.0
TARGET_SWEEP_GROWTH = 1.5
SEND_RATE = 30.0
TARGET_SEND_OVER = 0.05
TEXT = (
    "Rappel : <b>Forum de l'économie sociale et solidaire</b> demain à 18 h, Maison des "
    "associations, 12 rue des Coopératives. Entrée libre. n°{number}"
)
KINDS = ("reminder", "alert", "change", "announcement")


# Databases -------------------------------------------------------------------------------------


@asynccontextmanager
async def fresh_database(admin_url: str) -> AsyncIterator[str]:
    """The URL of a new, migrated PostgreSQL database, dropped on the way out."""
    name = f"essbot_bench_{uuid.uuid4().hex[:12]}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine_from_url(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        await upgrade(url)
        yield url
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@contextmanager
def fresh_database_sync(admin_url: str) -> Iterator[str]:
    """fresh_database for code that runs outside an event loop."""
    manager = fresh_database(admin_url)
    loop = asyncio.new_event_loop()
    try:
        url = loop.run_until_complete(manager.__aenter__())
        try:
            yield url
        except BaseException as error:
            loop.run_until_complete(manager.__aexit__(type(error), error, error.__traceback__))
            raise
        loop.run_until_complete(manager.__aexit__(None, None, None))
    finally:
        loop.close()


async def vacuum_analyze(engine: AsyncEngine) -> float:
    """VACUUM ANALYZE the outbox and chats; seconds taken."""
    start = time.perf_counter()
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE chats"))
        await autocommit.execute(text("VACUUM ANALYZE outbox"))
    return time.perf_counter() - start


def chat_row(chat_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": chat_id,
        "kind": "private",
        "language": "fr",
        "timezone": "Europe/Paris",
        "created_at": now,
        "updated_at": now,
    }


async def insert_batches(engine: AsyncEngine, table: Any, rows: Iterator[dict[str, Any]]) -> int:
    """Insert rows with executemany, BATCH at a time; the number inserted."""
    count = 0
    while True:
        batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
        if not batch:
            return count
        async with engine.begin() as connection:
            await connection.execute(insert(table), batch)
        count += len(batch)


# 1. Sweep cost ---------------------------------------------------------------------------------


class Tracer:
    """The statements an engine runs and their time in the driver, and the time its commits
    take; `keep` keeps the statements' text and parameters as well."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.seen: list[tuple[str, int]] = []
        self.keep = False
        self.kept: list[tuple[int, str, Any]] = []
        self._started = 0
        self._committing = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)
        event.listen(engine.sync_engine, "commit", self._commit)
        event.listen(Session, "after_commit", self._committed)

    def _before(self, *args: Any) -> None:
        self._started = time.perf_counter_ns()

    def _after(self, conn: Any, cursor: Any, sql: str, parameters: Any, *args: Any) -> None:
        elapsed = time.perf_counter_ns() - self._started
        self.seen.append((label(sql), elapsed))
        if self.keep:
            self.kept.append((elapsed, sql, parameters))

    def _commit(self, *args: Any) -> None:
        self._committing = time.perf_counter_ns()

    def _committed(self, *args: Any) -> None:
        if self._committing:
            self.seen.append(("commits", time.perf_counter_ns() - self._committing))
            self._committing = 0


def label(sql: str) -> str:
    """What a statement of a sweep does."""
    flat = " ".join(sql.split()).lower()
    if flat.startswith("insert into send_gates"):
        return "gate: create if missing"
    if flat.startswith("select") and "from send_gates" in flat:
        return "gate: lock"
    if flat.startswith("select") and "from outbox" in flat:
        return "claim: select due rows"
    if flat.startswith("update chats"):
        return "claim: move chat gates"
    if flat.startswith("update outbox") and "returning" in flat:
        return "release: lapsed claims"
    if flat.startswith("update outbox") and "error=" in flat:
        return "release: expired rows"
    if flat.startswith("update outbox"):
        return "claim: mark rows sending"
    return flat[:40]


LABELS = (
    "release: expired rows",
    "release: lapsed claims",
    "gate: create if missing",
    "gate: lock",
    "claim: select due rows",
    "claim: move chat gates",
    "claim: mark rows sending",
    "commits",
)


@dataclass
class SweepRun:
    """One timed sweep's figures, in nanoseconds."""

    release_ns: int
    claim_ns: int
    claimed: int
    statements: dict[str, int] = field(default_factory=dict)

    @property
    def total_ns(self) -> int:
        return self.release_ns + self.claim_ns


def outbox_rows(
    first: int, last: int, chats: int, due_now: int, now: datetime, rng: random.Random
) -> Iterator[dict[str, Any]]:
    """Rows first..last: the first `due_now` ids are due now (a chat each), the others due in
    the coming month; three in four expire two hours after they are due (the event begins)."""
    for number in range(first, last + 1):
        if number <= due_now:
            chat_id = number
            due_at = now - timedelta(seconds=rng.uniform(0, 300))
            expires_at: datetime | None = now + timedelta(hours=1)
        else:
            chat_id = 1 + (number - 1) % chats
            due_at = now + timedelta(seconds=rng.uniform(60, 30 * 86400))
            expires_at = due_at + timedelta(hours=2) if number % 4 else None
        yield {
            "key": f"bench:{number}",
            "chat_id": chat_id,
            "kind": KINDS[number % len(KINDS)],
            "lead": "",
            "text": TEXT.format(number=number),
            "due_at": due_at,
            "expires_at": expires_at,
            "state": "pending",
            "attempts": 0,
            "created_at": now,
        }


async def grow_outbox(
    engine: AsyncEngine, have: int, size: int, due_now: int, now: datetime, rng: random.Random
) -> float:
    """Bring the outbox from `have` rows to `size` (chats too: one per ten rows, and at least
    one per row due now); seconds taken."""
    start = time.perf_counter()
    chats_before = max(have // 10, due_now) if have else 0
    chats = max(size // 10, due_now)
    await insert_batches(
        engine, Chat, (chat_row(i, now) for i in range(chats_before + 1, chats + 1))
    )
    await insert_batches(
        engine, OutboxMessage, outbox_rows(have + 1, size, chats, due_now, now, rng)
    )
    return time.perf_counter() - start


async def give_back(engine: AsyncEngine, claimed: Sequence[Any], now: datetime) -> None:
    """Undo a claim: its rows pending again, its chats' gates open, the shared gate at now."""
    async with engine.begin() as connection:
        if claimed:
            await connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([c.id for c in claimed]))
                .values(state="pending", claimed_by=None, claimed_until=None, attempts=0)
            )
            await connection.execute(
                update(Chat)
                .where(Chat.id.in_([c.chat_id for c in claimed]))
                .values(next_send_at=None)
            )
        await connection.execute(update(SendGate).where(SendGate.name == GATE).values(next_at=now))


async def one_sweep(
    engine: AsyncEngine, tracer: Tracer, now: datetime, *, keep: bool = False
) -> SweepRun:
    """The SQL of one sweep, timed; what it claimed is given back afterwards."""
    sessions = create_session_factory(engine)
    tracer.seen.clear()
    tracer.kept.clear()
    tracer.keep = keep
    async with sessions() as session:
        start = time.perf_counter_ns()
        await release_lapsed(session, now)
        released = time.perf_counter_ns()
        claimed = await claim(session, "bench", now, CLAIM_LIMIT)
        done = time.perf_counter_ns()
    tracer.keep = False
    statements: dict[str, int] = collections.defaultdict(int)
    for name, ns in tracer.seen:
        statements[name] += ns
    await give_back(engine, claimed, now)
    return SweepRun(released - start, done - released, len(claimed), dict(statements))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return values[max(0, math.ceil(q * len(values)) - 1)]


def ms_figures(ns: Sequence[int]) -> tuple[float, float, float]:
    """Median, p99 and max in milliseconds."""
    values = sorted(n / 1e6 for n in ns)
    return statistics.median(values), percentile(values, 0.99), values[-1]


def print_sweep_table(size: int, runs: list[SweepRun]) -> None:
    print(f"\n  {size:,} rows, {len(runs)} runs    {'median':>8} {'p99':>8} {'max':>8}  (ms)")
    rows: list[tuple[str, list[int]]] = [
        ("release_lapsed + claim", [r.total_ns for r in runs]),
        ("  release_lapsed", [r.release_ns for r in runs]),
        ("  claim", [r.claim_ns for r in runs]),
    ]
    rows += [(f"    {name}", [r.statements.get(name, 0) for r in runs]) for name in LABELS]
    rows.append(
        (
            "    ORM, session and the rest",
            [r.total_ns - sum(r.statements.values()) for r in runs],
        )
    )
    for name, values in rows:
        median, p99, top = ms_figures(values)
        print(f"  {name:32} {median:>8.2f} {p99:>8.2f} {top:>8.2f}")
    claimed = collections.Counter(r.claimed for r in runs)
    print(f"  rows claimed per run: {', '.join(f'{k} ({v} runs)' for k, v in claimed.items())}")


async def explain(engine: AsyncEngine, tracer: Tracer, now: datetime) -> None:
    """EXPLAIN ANALYZE the claim's SELECT, and the slowest statement of a sweep if it is
    another; each in a transaction rolled back."""
    await one_sweep(engine, tracer, now, keep=True)
    sweep = list(tracer.kept)
    select_due = next(k for k in sweep if label(k[1]) == "claim: select due rows")
    slowest = max(sweep, key=lambda k: k[0])
    shown = [select_due] if slowest is select_due else [select_due, slowest]
    for ns, sql, parameters in shown:
        if isinstance(parameters, list):  # executemany: the first set
            parameters = parameters[0]
        print(f"\n  EXPLAIN ANALYZE, {label(sql)} ({ns / 1e6:.2f} ms in the sweep):")
        print(f"    {' '.join(sql.split())}")
        values = ", ".join(map(str, parameters))
        values = values if len(values) < 200 else f"{values[:200]}… ({len(parameters)} in all)"
        print(f"    parameters: {values}")
        async with engine.connect() as connection:
            plan = await connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + sql, tuple(parameters)
            )
            for line in plan.all():
                print(f"      {line[0]}")
            await connection.rollback()


async def sweep_part(args: argparse.Namespace) -> dict[str, bool]:
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(args.seed)
    now = Clock().now().replace(microsecond=0)
    print("\n== 1. sweep cost: release_lapsed + claim(limit=60), without sending")
    medians: dict[int, float] = {}
    p99s: dict[int, float] = {}
    async with fresh_database(args.postgres_url) as url:
        engine = create_engine_from_url(url)
        tracer = Tracer(engine)
        have = 0
        try:
            for size in sizes:
                seconds = await grow_outbox(engine, have, size, args.due_now, now, rng)
                print(
                    f"\n  filled to {size:,} rows ({size - have:,} inserted in {seconds:.1f} s, "
                    f"{(size - have) / seconds:,.0f} rows/s), "
                    f"{max(size // 10, args.due_now):,} chats, {args.due_now} rows due now; "
                    f"VACUUM ANALYZE {await vacuum_analyze(engine):.1f} s"
                )
                have = size
                for _ in range(WARM_UP):
                    await one_sweep(engine, tracer, now)
                runs = [await one_sweep(engine, tracer, now) for _ in range(args.runs)]
                print_sweep_table(size, runs)
                medians[size], p99s[size], _ = ms_figures([r.total_ns for r in runs])
            await explain(engine, tracer, now)
        finally:
            await engine.dispose()
    smallest, largest = sizes[0], sizes[-1]
    growth = medians[largest] / medians[smallest]
    met = {
        "sweep p99": all(p < TARGET_SWEEP_P99_MS for p in p99s.values()),
        "sweep growth": growth <= TARGET_SWEEP_GROWTH,
    }
    print("\n  targets:")
    for size in sizes:
        print(
            f"    p99 < {TARGET_SWEEP_P99_MS:.0f} ms at {size:,} rows: "
            f"{verdict(p99s[size] < TARGET_SWEEP_P99_MS)} ({p99s[size]:.2f} ms)"
        )
    print(
        f"    median at {largest:,} <= {TARGET_SWEEP_GROWTH}x median at {smallest:,}: "
        f"{verdict(met['sweep growth'])} ({growth:.1f}x: {medians[largest]:.2f} ms against "
        f"{medians[smallest]:.2f} ms)"
    )
    return met


# Bot processes ---------------------------------------------------------------------------------


def fill_due(url: str, count: int, *, empty_first: bool = False) -> None:
    """`count` private chats with one message each, all due a minute ago."""
    now = Clock().now()

    async def fill() -> None:
        engine = create_engine_from_url(url, poolclass=NullPool)
        try:
            if empty_first:
                async with engine.begin() as connection:
                    await connection.execute(
                        text("TRUNCATE deliveries, outbox, chats, send_gates RESTART IDENTITY")
                    )
            await insert_batches(engine, Chat, (chat_row(i, now) for i in range(1, count + 1)))
            await insert_batches(
                engine,
                OutboxMessage,
                (
                    {
                        "key": f"bench:{i}",
                        "chat_id": i,
                        "kind": "announcement",
                        "lead": "",
                        "text": f"n°{i}",
                        "due_at": now - timedelta(minutes=1),
                        "state": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                    for i in range(1, count + 1)
                ),
            )
        finally:
            await engine.dispose()

    asyncio.run(fill())


def outbox_state(url: str) -> tuple[dict[str, int], int, set[int]]:
    """Rows by state, deliveries recorded as sent, and the chats of rows still `sending`."""

    async def read() -> tuple[dict[str, int], int, set[int]]:
        engine = create_engine_from_url(url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                states = {
                    state: count
                    for state, count in (
                        await connection.execute(
                            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                        )
                    ).all()
                }
                sent = await connection.scalar(
                    select(func.count()).select_from(Delivery).where(Delivery.outcome == "sent")
                )
                sending = set(
                    (
                        await connection.scalars(
                            select(OutboxMessage.chat_id).where(OutboxMessage.state == "sending")
                        )
                    ).all()
                )
        finally:
            await engine.dispose()
        return states, sent or 0, sending

    return asyncio.run(read())


def unfinished(url: str) -> int:
    """Rows still pending or claimed: a lapsed claim of a killed process is sent again only
    once its lease is over, even when every chat already has its message."""

    async def read() -> int:
        engine = create_engine_from_url(url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                count = await connection.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.state.in_(("pending", "sending")))
                )
        finally:
            await engine.dispose()
        return count or 0

    return asyncio.run(read())


def start_bot(url: str, bot_api: Any, folder: str, rate: float, log: Path) -> subprocess.Popen[str]:
    """`essbot run` against the fake server, its log in a file (a pipe nobody reads could
    fill and stop it)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ESSBOT_")}
    environment.update(
        ESSBOT_TOKEN=TOKEN,
        ESSBOT_BOT_API_URL=str(bot_api.base_url),
        ESSBOT_DATABASE_URL=url,
        ESSBOT_SEND_RATE=str(rate),
        PYTHONPATH=str(ROOT),
    )
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "essbot", "run"],
            cwd=folder,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=output,
            text=True,
        )


def stop_bot(bot: subprocess.Popen[str]) -> int:
    """SIGINT, as an operator stops the bot; SIGKILL if it does not stop within a minute."""
    if bot.poll() is None:
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=60)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()
    return bot.returncode


def accepted(bot_api: Any) -> list[tuple[int, float]]:
    """(chat id, time) of every message the fake accepted, in the order accepted."""
    return [
        (int(c.params["chat_id"]), float(c.at))
        for c in bot_api.calls_of("sendMessage")
        if c.error is None
    ]


def chats_reached(bot_api: Any) -> int:
    """How many different chats the fake accepted a message for."""
    return len({str(params["chat_id"]) for params in list(bot_api.sent)})


def wait_until(
    condition: Callable[[], bool], timeout: float, bots: Sequence[subprocess.Popen[str]]
) -> bool:
    """Whether the condition came true in time; False as well if a bot process ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if any(bot.poll() is not None for bot in bots):
            return False
        time.sleep(0.2)
    return False


def busiest_second(times: list[float]) -> int:
    """The most messages in any one-second window."""
    times = sorted(times)
    most, first = 0, 0
    for last, moment in enumerate(times):
        while times[first] <= moment - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


SWEEP_LOG = re.compile(
    r"Outbox: (\d+) claimed, (\d+) sent, (\d+) put back by Telegram, (\d+) network errors, "
    r"(\d+) blocked, (\d+) rejected"
)


def given_back(log: Path) -> tuple[int, int]:
    """From the bots' logs: claims cut short (a message late for its slot, or RetryAfter), and
    the rows they gave back unsent."""
    cut = rows = 0
    for match in SWEEP_LOG.finditer(log.read_text()):
        claimed, *outcomes = (int(n) for n in match.groups())
        if claimed > sum(outcomes):
            cut += 1
            rows += claimed - sum(outcomes)
    return cut, rows


class Pauses:
    """Garbage collections in this process, the fake server's: a pause here holds back the
    fake's answers, then lets them through together, which is no fault of the sender. What
    exists when the part starts is frozen out of the collector's reach; the longest pause left
    is reported."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._started = 0.0

    def __enter__(self) -> Pauses:
        gc.collect()
        gc.freeze()
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc_info: object) -> None:
        gc.callbacks.remove(self._callback)
        gc.unfreeze()

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)


def log_tail(log: Path, lines: int = 15) -> str:
    return "\n".join("    | " + line for line in log.read_text().splitlines()[-lines:])


# 2. Sending at the rate ------------------------------------------------------------------------


def refusal(at: float, accepted_at: list[float], step: float) -> str:
    """What the fake had accepted in the second before it refused a message."""
    window = [t for t in accepted_at if at - 1.0 < t <= at]
    line = (
        f"  RetryAfter at +{at - accepted_at[0]:.1f} s: {len(window)} accepted in the second before"
    )
    if len(window) < 2:
        return line
    gaps = [b - a for a, b in itertools.pairwise(window)]
    return (
        f"{line}, spread over {(window[-1] - window[0]) * 1000:.0f} ms (their slots: "
        f"{(len(window) - 1) * step * 1000:.0f} ms), gaps {min(gaps) * 1000:.0f} to "
        f"{max(gaps) * 1000:.0f} ms; the refused one came {(at - window[-1]) * 1000:.0f} ms after "
        f"the last, {(at - window[0]) * 1000:.0f} ms after the first"
    )


def send_part(args: argparse.Namespace) -> dict[str, bool]:
    count, rate = args.messages, SEND_RATE
    ideal = count / rate
    target = ideal * (1 + TARGET_SEND_OVER)
    batch = max(1, round(rate * SWEEP_SECONDS))
    step = 1 / (rate * MARGIN)
    print(f"\n== 2. sending {count:,} messages, one process at {rate:g}/s, fake limit {rate:g}/s")
    with (
        fresh_database_sync(args.postgres_url) as url,
        tempfile.TemporaryDirectory() as folder,
        Pauses() as pauses,
        FakeBotApi(rate_limit=rate) as bot_api,
    ):
        fill_due(url, count)
        log = Path(folder) / "bot.log"
        started = time.monotonic()
        bot = start_bot(url, bot_api, folder, rate, log)
        try:
            done = wait_until(
                lambda: (
                    len(bot_api.sent) >= count
                    and chats_reached(bot_api) >= count
                    and not unfinished(url)
                ),
                ideal * 1.5 + 60,
                [bot],
            )
            time.sleep(1.0)  # anything sent twice would arrive now
        finally:
            code = stop_bot(bot)
        sent = accepted(bot_api)
        refused = [c for c in bot_api.calls_of("sendMessage") if c.error is not None]
        states, recorded, _ = outbox_state(url)
        cut, rows_back = given_back(log)
        if not done or code != 0:
            print(f"  the bot did not finish well (exit code {code}):")
            print(log_tail(log))
    per_chat = collections.Counter(chat for chat, _ in sent)
    firsts: dict[int, float] = {}
    for chat, at in sent:
        firsts.setdefault(chat, at)
    times = sorted(firsts.values())
    span = times[-1] - times[0] if len(times) > 1 else math.nan
    gaps = [b - a for a, b in itertools.pairwise(times)]
    long_gaps = [g for g in gaps if g > 1.5 * step]
    lost = sum(g - step for g in long_gaps)
    too_many = [c for c in refused if "Too Many Requests" in (c.error or "")]
    busiest = busiest_second([at for _, at in sent])
    print(f"\n  {'':44} {'value':>10}")
    for name, value in (
        ("messages accepted (chats reached)", f"{len(per_chat):,}"),
        ("accepted more than once", f"{sum(n - 1 for n in per_chat.values())}"),
        ("refused: RetryAfter (429)", f"{len(too_many)}"),
        ("refused: other errors", f"{len(refused) - len(too_many)}"),
        ("process start to first accepted, s", f"{times[0] - started:.1f}" if times else "-"),
        ("first to last accepted, s", f"{span:.1f}"),
        (f"target: {ideal:.1f} s + 5%, s", f"{target:.1f}"),
        ("over messages/rate", f"{span / ideal - 1:+.1%}"),
        ("achieved rate, messages/s", f"{(len(times) - 1) / span:.2f}"),
        (f"booked rate (x {MARGIN}), messages/s", f"{rate * MARGIN:.2f}"),
        ("floor at the booked rate, s", f"{(count - 1) * step:.1f}"),
        ("gaps between claims (> 1.5 slots), count", f"{len(long_gaps)}"),
        ("  time lost in them beyond one slot, s", f"{lost:.1f}"),
        ("  per gap on average, ms", f"{lost / len(long_gaps) * 1000:.0f}" if long_gaps else "-"),
        (
            f"  median gap (a slot is {step * 1000:.0f} ms), ms",
            f"{statistics.median(long_gaps) * 1000:.0f}" if long_gaps else "-",
        ),
        (f"batch per claim (rate x {SWEEP_SECONDS:g} s)", f"{batch}"),
        ("claims cut short (late or RetryAfter)", f"{cut}"),
        ("  rows they gave back unsent", f"{rows_back}"),
        ("busiest second", f"{busiest}"),
        ("outbox rows by state", ", ".join(f"{k} {v}" for k, v in sorted(states.items()))),
        ("deliveries recorded as sent", f"{recorded:,}"),
        ("bot exit code (SIGINT)", f"{code}"),
        ("longest garbage collection here (the fake), ms", f"{pauses.longest * 1000:.1f}"),
    ):
        print(f"  {name:44} {value:>10}")
    every = sorted(at for _, at in sent)
    for call in too_many:
        print(refusal(float(call.at), every, step))
    met = {
        "send all": done and len(per_chat) == count,
        "send time": span <= target,
        "send no RetryAfter": not too_many,
        "send busiest second": busiest <= rate,
    }
    print("\n  targets:")
    print(f"    every message accepted: {verdict(met['send all'])} ({len(per_chat):,}/{count:,})")
    print(
        f"    first to last <= {target:.1f} s: {verdict(met['send time'])} "
        f"({span:.1f} s, {span / ideal - 1:+.1%} over {ideal:.1f} s)"
    )
    print(f"    no RetryAfter: {verdict(met['send no RetryAfter'])} ({len(too_many)})")
    print(f"    busiest second <= {rate:g}: {verdict(met['send busiest second'])} ({busiest})")
    return met


# 3. Crash repeats ------------------------------------------------------------------------------


@dataclass
class CrashRun:
    """One run: a kill, a restart, and what arrived."""

    fraction: float
    at_kill: int = 0
    sending_at_kill: int = 0
    unrecorded: int = 0  # accepted by the fake before the kill, still `sending` in the outbox
    repeats: int = 0
    missing: int = 0
    retry_after: int = 0
    given_back: int = 0  # rows claims gave back unsent (late for their slots), both processes
    first_kill_s: float = 0.0  # from start to the kill
    restart_s: float = 0.0  # from the kill until every row is sent
    ok: bool = False
    states: dict[str, int] = field(default_factory=dict)


def crash_run(url: str, args: argparse.Namespace, rng: random.Random, folder: str) -> CrashRun:
    count, rate = args.crash_messages, args.crash_rate
    run = CrashRun(rng.uniform(0.2, 0.8))
    threshold = max(1, math.ceil(run.fraction * count))
    fill_due(url, count, empty_first=True)
    log = Path(folder) / "bot.log"
    log.write_text("")
    with FakeBotApi(rate_limit=rate) as bot_api:
        started = time.monotonic()
        first = start_bot(url, bot_api, folder, rate, log)
        try:
            deadline = started + count / rate * 2 + 60
            while len(bot_api.sent) < threshold and first.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.001)
            first.kill()  # SIGKILL
            first.wait()
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        killed = time.monotonic()
        run.first_kill_s = killed - started
        before_kill = {chat for chat, at in accepted(bot_api) if at <= killed}
        run.at_kill = len(bot_api.sent)
        _, _, sending = outbox_state(url)
        run.sending_at_kill = len(sending)
        run.unrecorded = len(sending & before_kill)
        second = start_bot(url, bot_api, folder, rate, log)
        try:
            done = wait_until(
                lambda: (
                    len(bot_api.sent) >= count
                    and chats_reached(bot_api) >= count
                    and not unfinished(url)
                ),
                LEASE.total_seconds() + count / rate * 2 + 60,
                [second],
            )
            run.restart_s = time.monotonic() - killed
            time.sleep(1.0)  # anything sent twice would arrive now
        finally:
            code = stop_bot(second)
        sent = accepted(bot_api)
        run.retry_after = sum(
            "Too Many Requests" in (c.error or "") for c in bot_api.calls_of("sendMessage")
        )
    per_chat = collections.Counter(chat for chat, _ in sent)
    run.repeats = sum(n - 1 for n in per_chat.values())
    run.missing = count - len(per_chat)
    run.states, _, _ = outbox_state(url)
    _, run.given_back = given_back(log)
    run.ok = done and code == 0 and run.missing == 0
    if not run.ok:
        print(f"  run did not end well (exit code {code}, {run.missing} chats missing):")
        print(log_tail(log))
    return run


def crash_part(args: argparse.Namespace) -> dict[str, bool]:
    count, rate = args.crash_messages, args.crash_rate
    print(
        f"\n== 3. crash repeats: {args.kills} runs of {count:,} messages at {rate:g}/s, "
        f"one SIGKILL each at a random 20-80% accepted, then a restart "
        f"(lease {LEASE.total_seconds():g} s, {CONCURRENCY} in flight per process)"
    )
    rng = random.Random(args.seed)
    runs: list[CrashRun] = []
    began = time.monotonic()
    with fresh_database_sync(args.postgres_url) as url, tempfile.TemporaryDirectory() as folder:
        print(
            f"\n  {'run':>3} {'kill at':>8} {'accepted':>9} {'sending':>8} {'unrecorded':>10} "
            f"{'repeats':>8} {'missing':>8} {'429':>4} {'given back':>10} {'to kill s':>9} "
            f"{'restart s':>9}  states"
        )
        for number in range(1, args.kills + 1):
            run = crash_run(url, args, rng, folder)
            runs.append(run)
            states = ", ".join(f"{k} {v}" for k, v in sorted(run.states.items()))
            print(
                f"  {number:>3} {run.fraction:>8.0%} {run.at_kill:>9} {run.sending_at_kill:>8} "
                f"{run.unrecorded:>10} {run.repeats:>8} {run.missing:>8} {run.retry_after:>4} "
                f"{run.given_back:>10} "
                f"{run.first_kill_s:>9.1f} {run.restart_s:>9.1f}  {states}",
                flush=True,
            )
    total = sum(r.repeats for r in runs)
    most = max(r.repeats for r in runs)
    explained = all(r.repeats == r.unrecorded for r in runs)
    print(
        f"\n  {len(runs)} kills in {time.monotonic() - began:.0f} s: {total} repeats in all, "
        f"{total / len(runs):.2f} per kill, at most {most} in one kill "
        f"(bound {CONCURRENCY}); RetryAfter {sum(r.retry_after for r in runs)}"
    )
    print(
        "  'sending': rows the dead process had claimed and not finished (they wait for the "
        "lease)\n  'unrecorded': of those, messages the fake had already accepted, the ones "
        "expected twice\n  'given back': rows claimed, then put back unsent because a message "
        "was late for its slot\n"
        f"  repeats equal 'unrecorded' in every run: {'yes' if explained else 'NO'}"
    )
    met = {
        "crash every chat": all(r.ok for r in runs),
        "crash repeats bound": most <= CONCURRENCY,
    }
    print("\n  targets:")
    print(
        f"    every chat got its message, every run: {verdict(met['crash every chat'])} "
        f"({sum(r.ok for r in runs)}/{len(runs)} runs)"
    )
    print(
        f"    repeats per kill <= {CONCURRENCY}: {verdict(met['crash repeats bound'])} "
        f"(at most {most})"
    )
    return met


# Main ------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--only", choices=("sweep", "send", "crash"))
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--sizes", default="10000,1000000", help="outbox sizes for the sweep")
    parser.add_argument("--due-now", type=int, default=300, help="rows due now, sweep part")
    parser.add_argument("--runs", type=int, default=200, help="timed sweeps per size")
    parser.add_argument("--messages", type=int, default=5_000, help="messages, send part")
    parser.add_argument("--kills", type=int, default=20, help="kills, one per run")
    parser.add_argument("--crash-messages", type=int, default=2_000, help="messages per run")
    parser.add_argument("--crash-rate", type=float, default=200.0, help="send rate, crash part")
    parser.add_argument("--seed", type=int, default=20260302)
    args = parser.parse_args()
    print(
        f"sender: lead {LEAD.total_seconds() * 1000:g} ms, margin {MARGIN}, lease "
        f"{LEASE.total_seconds():g} s, {CONCURRENCY} in flight, sweeps every {SWEEP_SECONDS:g} s"
    )
    met: dict[str, bool] = {}
    if args.only in (None, "sweep"):
        met |= asyncio.run(sweep_part(args))
    if args.only in (None, "send"):
        met |= send_part(args)
    if args.only in (None, "crash"):
        met |= crash_part(args)
    missed = [name for name, ok in met.items() if not ok]
    print(f"\n{'every target met' if not missed else 'missed: ' + ', '.join(missed)}")


if __name__ == "__main__":
    main()
