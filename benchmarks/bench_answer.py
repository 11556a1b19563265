"""Answer benchmark: from question text to reply text, beside the bare indexed query beneath.

Run from the repository root:

    .venv/bin/python benchmarks/bench_answer.py [--events 100000] [--questions 1000]
        [--engines sqlite,postgresql] [--postgres-url URL] [--seed N] [--now ISO]
        [--explain K] [--profile]

For each engine, a fresh database (a SQLite file in a temporary folder; a PostgreSQL schema of
its own, dropped at the end) is built by the migrations, so the real indexes exist, and filled
with generated events spread over real communes (drawn with weight √population, so that every
region has some and cities have more). Questions are generated from templates over real
communes, departments and regions, in French and English, including slash commands.

Every question is timed twice, in the same process, one right after the other (in alternating
order): the full path (`Answerer.text` or `Answerer.command`: understanding, search, formatting)
until the reply text exists; and the bare query underneath, the indexed SELECT that
`essbot.events.search.statement` builds for the question's criteria (understood outside the
timing), executed on a plain connection with all its rows fetched: one page and one more
event (a circle reads four more, for what its exact distance leaves out). Questions whose place
must still be chosen (homonyms) or is unknown have no bare query and are counted apart. The
answerer is prepared as the bot prepares it at start-up (`Answerer.prepare`: data loaded, then
out of the garbage collector's reach).

Targets: full path p99 under 20 ms, median under 5 ms, median at most 3 times the bare query's.

`--explain K` replays the K slowest questions with every SQL statement timed and prints the
plan of the slowest statement of each (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
PostgreSQL). `--profile` replays every question under cProfile and prints where time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import math
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Executable, insert, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

import essbot.answer.core as core  # noqa: E402
from essbot.answer.core import Answerer, Who, _criteria  # noqa: E402
from essbot.db import Event, create_engine_from_url, create_session_factory  # noqa: E402
from essbot.db.migrate import upgrade_engine  # noqa: E402
from essbot.events.search import PAGE_SIZE, Criteria, Results, statement  # noqa: E402
from essbot.geo import Place, PlaceResolver, load_gazetteer  # noqa: E402
from essbot.geo.resolve import default_resolver  # noqa: E402
from essbot.texts import language_of  # noqa: E402
from essbot.understand import Query, Where, read_place_phrase, understand  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_NOW = "2026-03-02T10:00+01:00"
PARIS = ZoneInfo("Europe/Paris")
BATCH = 2000
WARM_UP = 50

TARGET_P99_MS = 20.0
TARGET_MEDIAN_MS = 5.0
TARGET_RATIO = 3.0

# Titles: a kind of meeting and a theme of the social and solidarity economy.
KINDS = (
    "Atelier", "Forum", "Ciné-débat", "Conférence", "Rencontre", "Webinaire", "Table ronde",
    "Assemblée générale", "Formation", "Café-débat", "Portes ouvertes", "Visite", "Festival",
    "Salon", "Afterwork", "Apéro", "Marché solidaire", "Journée", "Soirée", "Permanence",
)  # fmt: skip
THEMES = (
    "économie circulaire", "réemploi et réparation", "finance solidaire", "circuits courts",
    "coopératives d'habitants", "insertion par l'activité économique", "tiers-lieux",
    "monnaies locales", "mobilité solidaire", "alimentation durable", "SCIC et SCOP",
    "entrepreneuriat social", "bénévolat associatif", "achats responsables", "numérique inclusif",
    "transition énergétique", "commerce équitable", "agriculture paysanne", "ESS et territoires",
    "égalité femmes-hommes", "jeunesse et engagement", "habitat participatif", "recyclerie",
    "mécénat de compétences", "utilité sociale", "gouvernance partagée", "zéro déchet",
)  # fmt: skip
VENUES = (
    "Maison des associations", "Salle des fêtes", "Médiathèque", "Tiers-lieu La Fabrique",
    "Café associatif Le Lien", "Hôtel de ville", "Ressourcerie", "Pôle ESS", "Espace jeunes",
    "Centre social", "La Coopérative", "Maison de l'économie solidaire", "Fablab",
)  # fmt: skip
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")  # fmt: skip

# (weight, kind, language, template): most questions name an area.
TEMPLATES = (
    (12, "près de commune", "fr", "Quoi de prévu près de {commune} ?"),
    (8, "près de commune", "en", "what's near {commune}?"),
    (8, "commune", "fr", "Des événements à {commune} ?"),
    (4, "commune", "en", "events in {commune}"),
    (6, "commune + date", "fr", "ce week-end à {commune}"),
    (3, "commune + date", "en", "what's on in {commune} this weekend?"),
    (6, "commune + mot", "fr", "ateliers à {commune}"),
    (6, "rayon", "fr", "à moins de 20 km de {commune}"),
    (3, "rayon", "en", "within 50 km of {commune}"),
    (2, "près + mot + date", "fr", "un forum près de {commune} demain ?"),
    (2, "près + date", "en", "anything near {commune} tomorrow?"),
    (7, "département", "fr", "dans le {dept_code}"),
    (5, "département + mois", "fr", "{dept_name} en {month}"),
    (3, "département + mot", "fr", "conférences dans le {dept_code} ce mois-ci"),
    (5, "région + date", "fr", "en {region} la semaine prochaine"),
    (3, "région + date", "en", "events in {region} next month"),
    (3, "mot seul", "fr", "webinaire en ligne"),
    (2, "mot seul", "en", "online workshops next week"),
    (6, "/near", "fr", "/near {commune} 50"),
    (4, "/dept", "fr", "/dept {dept_code}"),
    (3, "/upcoming", "fr", "/upcoming"),
)


# Data ------------------------------------------------------------------------------------------


def places() -> tuple[list[Place], list[Place], list[Place]]:
    """Communes with coordinates (arrondissements apart), departments and regions."""
    gazetteer = load_gazetteer()
    communes = [c for c in gazetteer.communes if not c.is_arrondissement and c.lat is not None]
    return communes, list(gazetteer.departments), list(gazetteer.regions)


def event_rows(count: int, now: datetime, rng: random.Random) -> list[dict[str, Any]]:
    """`count` events as column values, derived search columns included."""
    communes, _, _ = places()
    cumulative = list(_cumulative([math.sqrt(max(c.population, 1)) for c in communes]))
    first_day = (now - timedelta(days=182)).astimezone(PARIS).date()
    rows = []
    for number in range(count):
        commune = rng.choices(communes, cum_weights=cumulative)[0]
        day = first_day + timedelta(days=rng.randrange(730))
        shape = rng.random()
        ends_at: datetime | None
        if shape < 0.80:  # timed, one to four hours
            hour, minute = rng.randrange(8, 21), rng.choice((0, 15, 30, 45))
            starts_at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
            ends_at = starts_at + timedelta(minutes=rng.choice((60, 90, 120, 180, 240)))
            all_day = False
        elif shape < 0.95:  # all day
            starts_at = datetime(day.year, day.month, day.day, tzinfo=PARIS)
            ends_at, all_day = None, True
        else:  # several days
            starts_at = datetime(day.year, day.month, day.day, tzinfo=PARIS)
            last = day + timedelta(days=rng.randrange(2, 6))
            ends_at = datetime(last.year, last.month, last.day, tzinfo=PARIS)
            all_day = True
        status = "cancelled" if rng.random() < 0.03 else "scheduled"
        event = Event(
            title=f"{rng.choice(KINDS)} : {rng.choice(THEMES)}",
            starts_at=starts_at,
            ends_at=ends_at,
            timezone="Europe/Paris",
            all_day=all_day,
            venue=rng.choice(VENUES),
            address=f"{rng.randrange(1, 120)} rue de la République",
            postcode=commune.postcodes[0] if commune.postcodes else None,
            town=commune.name,
            insee=commune.code,
            department=commune.department,
            lat=commune.lat,
            lon=commune.lon,
            online=rng.random() < 0.02,
            tbd_place=False,
            year_inferred=False,
            warnings=[],
            status=status,
            dedup_key=f"bench:{number}",
            created_at=now,
            updated_at=now,
        )
        event.derive()
        rows.append({column: getattr(event, column) for column in _COLUMNS})
    return rows


_COLUMNS = [c.key for c in Event.__table__.columns if c.key not in ("id", "document_id")]


def _cumulative(weights: Sequence[float]) -> Sequence[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@asynccontextmanager
async def database(kind: str, postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """An empty database of its own, migrated to the head revision."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            engine = create_engine_from_url(f"sqlite+aiosqlite:///{directory}/bench.sqlite3")
            try:
                await upgrade_engine(engine)
                yield engine
            finally:
                await engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine_from_url(postgres_url, poolclass=NullPool)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine_from_url(
        postgres_url, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        await upgrade_engine(engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def fill(engine: AsyncEngine, rows: list[dict[str, Any]]) -> tuple[float, float]:
    """Insert the rows in batches, then ANALYZE; seconds for each."""
    start = time.perf_counter()
    sessions = create_session_factory(engine)
    async with sessions() as session:
        for first in range(0, len(rows), BATCH):
            await session.execute(insert(Event), rows[first : first + BATCH])
        await session.commit()
    inserted = time.perf_counter()
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
    return inserted - start, time.perf_counter() - inserted


# Questions -------------------------------------------------------------------------------------


@dataclass
class Question:
    """A message, or a command with its arguments, and the search it asks for (None: no
    search, as for homonyms to choose from)."""

    kind: str
    lang: str
    text: str
    command: tuple[str, str] | None = None
    criteria: Criteria | None = None
    why_none: str = ""


def questions(count: int, now: datetime, rng: random.Random) -> list[Question]:
    """`count` questions drawn from the templates, their criteria read outside any timing."""
    communes, departments, regions = places()
    by_population = list(_cumulative([max(c.population, 1) for c in communes]))
    weights = [weight for weight, *_ in TEMPLATES]
    resolver = default_resolver()
    out = []
    for _ in range(count):
        _, kind, lang, template = rng.choices(TEMPLATES, weights=weights)[0]
        # People ask about the towns they live in; some about villages.
        if rng.random() < 0.7:
            commune = rng.choices(communes, cum_weights=by_population)[0]
        else:
            commune = rng.choice(communes)
        department, region = rng.choice(departments), rng.choice(regions)
        month = MONTHS_FR[rng.randrange(12)]
        said = template.format(
            commune=commune.name, dept_code=department.code, dept_name=department.name,
            region=region.name, month=month,
        )  # fmt: skip
        question = Question(kind, lang, said)
        if said.startswith("/"):
            name, _, args = said[1:].partition(" ")
            question.command = (name, args)
        question.criteria, question.why_none = criteria_of(question, now, resolver)
        out.append(question)
    return out


def criteria_of(
    question: Question, now: datetime, resolver: PlaceResolver
) -> tuple[Criteria | None, str]:
    """The criteria the answer searches with, read as Answerer reads the question."""
    lang = language_of(question.lang)
    if question.command is not None:
        name, args = question.command
        if name == "upcoming":
            return Criteria(), ""
        if name == "near":
            place, _, km = args.rpartition(" ")
            where = read_place_phrase(place, resolver)
            if where.kind == "commune":
                where = replace(where, radius_km=float(km), near=True)
        else:  # dept
            where = read_place_phrase(args, resolver)
            wanted = load_gazetteer().department_of(where.place) if where.place else None
            if wanted is not None:
                where = Where(wanted.kind, wanted, wanted.lat, wanted.lon, said=args)
        query = Query("search", where, None, None, (), lang)
    else:
        query = understand(question.text, now, lang, resolver=resolver, tz=PARIS)
    if query.intent not in ("search", "subscribe"):
        return None, query.intent
    if query.where.kind in ("home", "unknown"):
        return None, query.where.kind
    if len(query.where.alternatives) > 1:
        return None, "homonyms"
    criteria = _criteria(query)
    return criteria, "" if criteria is not None else query.where.kind


def bare_statement(criteria: Criteria, now: datetime) -> Executable:
    """The indexed query the search runs first for these criteria, as it runs it: the first
    page and one more row (a circle reads a few more, for what its exact distance leaves
    out)."""
    extra = 4 if criteria.circle is not None else 0
    return statement(criteria, now, PARIS, limit=PAGE_SIZE + 1 + extra)


# Measuring -------------------------------------------------------------------------------------


class Tracer:
    """Counts the SQL statements an engine runs and their time in the driver; when `keep` is
    set, keeps each one with its parameters."""

    def __init__(self, engine: AsyncEngine) -> None:
        from sqlalchemy import event

        self.count = 0
        self.ns = 0
        self.keep = False
        self.kept: list[tuple[int, str, Any]] = []
        self._started = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(self, *args: Any) -> None:
        self._started = time.perf_counter_ns()

    def _after(self, conn: Any, cursor: Any, sql: str, parameters: Any, *args: Any) -> None:
        elapsed = time.perf_counter_ns() - self._started
        self.count += 1
        self.ns += elapsed
        if self.keep:
            self.kept.append((elapsed, sql, parameters))


class Collections:
    """Time spent in the garbage collector, and how many collections of the oldest generation
    (those that walk every object, the gazetteer's included)."""

    def __init__(self) -> None:
        self.ns = 0
        self.full = 0
        self._started = 0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter_ns()
            return
        self.ns += time.perf_counter_ns() - self._started
        self.full += info["generation"] == 2

    def close(self) -> None:
        gc.callbacks.remove(self._callback)


@dataclass
class Sample:
    """One question's figures."""

    question: Question
    full_ns: int = 0
    bare_ns: int | None = None
    bare_rows: int = 0
    statements: int = 0
    sql_ns: int = 0
    understand_ns: int = 0  # timed apart, after the full path
    gc_ns: int = 0  # in the garbage collector during the full path
    gc_full: int = 0  # collections of the oldest generation during the full path
    outcome: str = "-"


@dataclass
class Outcomes:
    """The outcome of every search the answerer runs, read through a thin wrapper."""

    seen: list[str] = field(default_factory=list)

    def install(self) -> Callable[[], None]:
        original: Callable[..., Awaitable[Results]] = vars(core)["search"]

        async def recorded(*args: Any, **kwargs: Any) -> Results:
            results = await original(*args, **kwargs)
            self.seen.append(results.outcome)
            return results

        setattr(core, "search", recorded)  # noqa: B010
        return lambda: setattr(core, "search", original)


def full_path(answerer: Answerer, question: Question, now: datetime) -> Awaitable[Any]:
    """The answer to the question, as the bot computes it."""
    who = Who(1, 1, question.lang)
    if question.command is not None:
        name, args = question.command
        return answerer.command(who, name, args, now)
    return answerer.text(who, question.text, now)


async def time_full(answerer: Answerer, question: Question, now: datetime) -> int:
    """Nanoseconds until the reply exists; every question is read as new (the resolver keeps
    the texts it scanned, and the criteria were read before)."""
    answerer.resolver.clear_cache()
    start = time.perf_counter_ns()
    replies = await full_path(answerer, question, now)
    assert replies[0].text or replies[0].toast
    return time.perf_counter_ns() - start


def time_understand(answerer: Answerer, question: Question, now: datetime) -> int:
    """Nanoseconds to read a message (cold, as in the full path); 0 for a command."""
    if question.command is not None:
        return 0
    answerer.resolver.clear_cache()
    lang = language_of(question.lang)
    start = time.perf_counter_ns()
    understand(question.text, now, lang, resolver=answerer.resolver, tz=PARIS)
    return time.perf_counter_ns() - start


async def time_bare(conn: AsyncConnection, query: Executable) -> tuple[int, int]:
    """Nanoseconds to execute the query and fetch every row, and the number of rows."""
    await conn.execute(text("SELECT 1"))  # the transaction is begun outside the timing
    start = time.perf_counter_ns()
    rows = (await conn.execute(query)).all()
    elapsed = time.perf_counter_ns() - start
    await conn.rollback()
    return elapsed, len(rows)


async def measure(
    engine: AsyncEngine, warm: list[Question], asked: list[Question], now: datetime
) -> list[Sample]:
    """Time every question's full path and bare query, interleaved."""
    answerer = Answerer(create_session_factory(engine), tz=PARIS, resolver=default_resolver())
    answerer.prepare(now)
    tracer = Tracer(engine)
    outcomes = Outcomes()
    restore = outcomes.install()
    collections = Collections()
    samples = []
    try:
        async with engine.connect() as conn:
            for question in warm:
                await time_full(answerer, question, now)
                if question.criteria is not None:
                    await time_bare(conn, bare_statement(question.criteria, now))
            for number, question in enumerate(asked):
                sample = Sample(question)
                query = bare_statement(question.criteria, now) if question.criteria else None
                order = (True, False) if number % 2 == 0 else (False, True)
                for full in order:
                    if full:
                        count, ns, seen = tracer.count, tracer.ns, len(outcomes.seen)
                        gc_ns, gc_full = collections.ns, collections.full
                        sample.full_ns = await time_full(answerer, question, now)
                        sample.statements = tracer.count - count
                        sample.sql_ns = tracer.ns - ns
                        sample.gc_ns = collections.ns - gc_ns
                        sample.gc_full = collections.full - gc_full
                        sample.outcome = ",".join(outcomes.seen[seen:]) or "-"
                    elif query is not None:
                        sample.bare_ns, sample.bare_rows = await time_bare(conn, query)
                sample.understand_ns = time_understand(answerer, question, now)
                samples.append(sample)
    finally:
        restore()
        collections.close()
    return samples


# Reporting -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return values[max(0, math.ceil(q * len(values)) - 1)]


def figures(ns: Sequence[int]) -> tuple[int, float, float, float, float]:
    """Count, median, p90, p99 and max in milliseconds."""
    values = sorted(n / 1e6 for n in ns)
    if not values:
        return 0, math.nan, math.nan, math.nan, math.nan
    return (len(values), statistics.median(values), percentile(values, 0.90),
            percentile(values, 0.99), values[-1])  # fmt: skip


def row(label: str, ns: Sequence[int]) -> str:
    n, median, p90, p99, top = figures(ns)
    return f"  {label:34} {n:>6} {median:>8.2f} {p90:>8.2f} {p99:>8.2f} {top:>8.2f}"


def report(engine_name: str, samples: list[Sample]) -> dict[str, bool]:
    """Print the tables for one engine; which targets are met."""
    paired = [s for s in samples if s.bare_ns is not None]
    alone = [s for s in samples if s.bare_ns is None]
    print(f"\n  {'figures in ms':34} {'count':>6} {'median':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    print(row("full path, every question", [s.full_ns for s in samples]))
    print(row("full path, with a bare query", [s.full_ns for s in paired]))
    print(row("  of which SQL in the driver", [s.sql_ns for s in paired]))
    print(row("  understanding, timed apart", [s.understand_ns for s in paired]))
    print(row("  garbage collection", [s.gc_ns for s in paired]))
    print(
        row(
            "  the rest (ORM, session, format)",
            [s.full_ns - s.sql_ns - s.understand_ns - s.gc_ns for s in paired],
        )
    )
    print(row("full path, no bare query", [s.full_ns for s in alone]))
    print(row("bare query", [s.bare_ns or 0 for s in paired]))
    _, full_median, _, full_p99, _ = figures([s.full_ns for s in paired])
    _, bare_median, _, bare_p99, _ = figures([s.bare_ns or 0 for s in paired])
    ratios = sorted(s.full_ns / (s.bare_ns or 1) for s in paired)
    print(
        f"  ratio full/bare: of medians {full_median / bare_median:.1f}x, of p99s "
        f"{full_p99 / bare_p99:.1f}x; per question median {statistics.median(ratios):.1f}x, "
        f"p90 {percentile(ratios, 0.9):.1f}x"
    )
    why = Counter(s.question.why_none for s in alone)
    print(f"  no bare query: {len(alone)} ({', '.join(f'{k} {v}' for k, v in why.items())})")
    outcomes = Counter(s.outcome for s in samples)
    print(f"  search outcomes: {', '.join(f'{k} {v}' for k, v in outcomes.most_common())}")
    collected = [s for s in samples if s.gc_full]
    print(
        f"  full garbage collections during the full path: {sum(s.gc_full for s in samples)}, "
        f"in {len(collected)} questions, "
        f"{sum(s.gc_ns for s in collected) / 1e6 / max(len(collected), 1):.1f} ms each on average"
    )
    statements = Counter(s.statements for s in samples)
    print(
        "  SQL statements per question: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statements.items()))
    )

    print(
        f"\n  {'by kind of question':22} {'n':>4} {'full med':>9} {'full p99':>9} "
        f"{'bare med':>9} {'bare p99':>9} {'rows med':>9}"
    )
    kinds: dict[str, list[Sample]] = {}
    for sample in samples:
        kinds.setdefault(sample.question.kind, []).append(sample)
    for kind, group in sorted(kinds.items(), key=lambda item: -len(item[1])):
        _, fm, _, fp, _ = figures([s.full_ns for s in group])
        with_bare = [s for s in group if s.bare_ns is not None]
        _, bm, _, bp, _ = figures([s.bare_ns or 0 for s in with_bare])
        rows = statistics.median([s.bare_rows for s in with_bare] or [0])
        print(f"  {kind:22} {len(group):>4} {fm:>9.2f} {fp:>9.2f} {bm:>9.2f} {bp:>9.2f} "
              f"{rows:>9.0f}")  # fmt: skip

    print("\n  slowest 5 (full path):")
    for sample in sorted(samples, key=lambda s: -s.full_ns)[:5]:
        bare = f"{sample.bare_ns / 1e6:6.2f}" if sample.bare_ns is not None else "     -"
        print(
            f"    {sample.full_ns / 1e6:7.2f} ms full, {bare} ms bare "
            f"({sample.bare_rows} rows), {sample.statements} statements "
            f"({sample.sql_ns / 1e6:.2f} ms SQL, {sample.gc_ns / 1e6:.2f} ms GC), "
            f"{sample.outcome}: {sample.question.text!r}"
        )

    _, every_median, _, every_p99, _ = figures([s.full_ns for s in samples])
    ratio = full_median / bare_median
    met = {
        "p99": every_p99 < TARGET_P99_MS,
        "median": every_median < TARGET_MEDIAN_MS,
        "ratio": ratio <= TARGET_RATIO,
    }
    print(f"\n  targets on {engine_name}:")
    print(f"    p99 < {TARGET_P99_MS:.0f} ms: {_verdict(met['p99'])} ({every_p99:.2f} ms)")
    print(
        f"    median < {TARGET_MEDIAN_MS:.0f} ms: {_verdict(met['median'])} ({every_median:.2f} ms)"
    )
    print(
        f"    median full/bare <= {TARGET_RATIO:.0f}x: {_verdict(met['ratio'])} ({ratio:.1f}x: "
        f"{full_median:.2f} ms against {bare_median:.2f} ms)"
    )
    return met


def _verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


# Diagnosis -------------------------------------------------------------------------------------


async def explain(engine: AsyncEngine, samples: list[Sample], now: datetime, top: int) -> None:
    """Replay the slowest questions with every statement timed; the plan of the slowest."""
    answerer = Answerer(create_session_factory(engine), tz=PARIS, resolver=default_resolver())
    answerer.prepare(now)
    tracer = Tracer(engine)
    sqlite = engine.dialect.name == "sqlite"
    for sample in sorted(samples, key=lambda s: -s.full_ns)[:top]:
        tracer.kept.clear()
        tracer.keep = True
        answerer.resolver.clear_cache()
        start = time.perf_counter_ns()
        await full_path(answerer, sample.question, now)
        total = time.perf_counter_ns() - start
        tracer.keep = False
        kept = list(tracer.kept)
        sql = sum(ns for ns, _, _ in kept)
        print(
            f"\n  {sample.question.text!r}: {total / 1e6:.2f} ms replayed, "
            f"{sql / 1e6:.2f} ms in {len(kept)} statements"
        )
        for ns, sql_text, _ in kept:
            print(f"    {ns / 1e6:7.2f} ms  {' '.join(sql_text.split())[:150]}")
        ns, slowest, parameters = max(kept, key=lambda k: k[0])
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
        async with engine.connect() as conn:
            plan = await conn.exec_driver_sql(prefix + slowest, tuple(parameters))
            lines = [" | ".join(str(v) for v in r) for r in plan.all()]
        shown = ", ".join(map(str, parameters))
        shown = shown if len(shown) < 200 else f"{shown[:200]}… ({len(parameters)} in all)"
        print(f"    plan of the slowest ({ns / 1e6:.2f} ms), parameters: {shown}")
        for line in lines:
            print(f"      {line if len(line) < 300 else line[:300] + '…'}")


async def profile(engine: AsyncEngine, asked: list[Question], now: datetime) -> None:
    """Every question's full path under cProfile: the functions with the most time."""
    answerer = Answerer(create_session_factory(engine), tz=PARIS, resolver=default_resolver())
    profiler = cProfile.Profile()
    profiler.enable()
    for question in asked:
        answerer.resolver.clear_cache()
        await full_path(answerer, question, now)
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups: Counter[str] = Counter()
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _, function), (_, _, own, _, _) in entries.items():
        groups[_group(filename, function)] += own
    total = sum(groups.values())
    print(f"\n  profile: {total:.2f} s of own time over {len(asked)} questions")
    for name, seconds in groups.most_common(12):
        print(f"    {seconds / total:6.1%}  {name}")
    print("\n  cumulative, top 30:")
    stats.sort_stats("cumulative").print_stats(30)


def _group(filename: str, function: str) -> str:
    for marker in ("/essbot/", "/sqlalchemy/", "/aiosqlite/", "/asyncpg/", "/asyncio/"):
        if marker in filename:
            part = filename.split(marker, 1)[1].split("/")[0]
            return marker.strip("/") + "/" + part
    if "sqlite3" in function or "asyncpg" in function:
        return "driver built-ins"
    return "built-ins and standard library"


# Main ------------------------------------------------------------------------------------------


async def run_engine(kind: str, args: argparse.Namespace, now: datetime) -> dict[str, bool]:
    """Build, fill and question one engine's database; the targets met."""
    rng = random.Random(args.seed)
    start = time.perf_counter()
    rows = event_rows(args.events, now, rng)
    generated = time.perf_counter() - start
    warm = questions(WARM_UP, now, random.Random(args.seed + 1))
    asked = questions(args.questions, now, random.Random(args.seed + 2))
    async with database(kind, args.postgres_url) as engine:
        inserted, analyzed = await fill(engine, rows)
        del rows
        print(
            f"\n== {kind}: {args.events:,} events generated in {generated:.1f} s, inserted in "
            f"{inserted:.1f} s ({args.events / inserted:,.0f} rows/s), ANALYZE {analyzed:.1f} s"
        )
        samples = await measure(engine, warm, asked, now)
        met = report(kind, samples)
        if args.explain:
            await explain(engine, samples, now, args.explain)
        if args.profile:
            await profile(engine, asked, now)
    return met


def main() -> None:
    """Measure every engine asked for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=1_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--now", default=DEFAULT_NOW, help="the moment questions are asked")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="K",
        help="replay the K slowest questions and print their query plans",
    )
    parser.add_argument("--profile", action="store_true",
                        help="replay every question under cProfile")  # fmt: skip
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    if now.tzinfo is None:
        parser.error("--now needs a time zone offset")
    default_resolver()  # the gazetteer and resolver are loaded before any timing
    met: dict[str, dict[str, bool]] = {}
    for kind in args.engines.split(","):
        met[kind] = asyncio.run(run_engine(kind.strip(), args, now))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:.0f} MB")
    for kind, targets in met.items():
        missed = [name for name, ok in targets.items() if not ok]
        print(f"{kind}: {'every target met' if not missed else 'missed: ' + ', '.join(missed)}")


if __name__ == "__main__":
    main()
