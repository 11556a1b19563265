"""Finding stored events: in an area, in a window of dates, with keywords, soonest first.

When the area holds nothing, the search says what it did instead, so the reply can say it
too: around a place, it widens the radius to the first of 60, 120 or 250 km that reaches an
event; then it offers the nearest upcoming events elsewhere (or, asked about no place, the
next events whatever their date and keywords); when nothing is upcoming at all, the most
recent past ones.

Events in progress count; cancelled and undated ones never show. Windows are local dates,
both ends included, read in the time zone given.

Every query stays on an index whose first column is the area (department, region, commune,
grid cell) or the multiday flag, and whose second is the start: events are looked for from
a day before the window (MULTIDAY), and the few longer ones apart, from LOOKBACK before it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Event
from essbot.db.models import MULTIDAY
from essbot.geo import load_gazetteer
from essbot.geo.cells import KM_PER_DEGREE, cells_around
from essbot.geo.places import haversine_km
from essbot.understand.topics import KEYWORDS

AreaKind = Literal["everywhere", "commune", "department", "region", "point"]
Outcome = Literal["found", "widened", "elsewhere", "later", "past", "nothing"]

PAGE_SIZE = 5
NEAR_RADIUS_KM = 30.0
WIDER_RADII_KM = (60.0, 120.0, 250.0)
# A multiday event that began this long before the window is not looked for: the search
# stays on the start index. Season-long exhibitions are rare in the ESS agenda.
LOOKBACK = timedelta(days=92)
# The local-plane distance test in SQL keeps a little more than the circle; the exact
# great-circle distance then decides.
_PLANE_MARGIN = 1.01
_ONLINE = "en ligne"
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Criteria:
    """What to look for. A commune with a radius is "around the commune"; without one, the
    commune itself (with its arrondissements). `lat`/`lon` are the centre distances are
    measured from."""

    kind: AreaKind = "everywhere"
    code: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    date_from: date | None = None
    date_to: date | None = None
    keywords: tuple[str, ...] = ()

    @property
    def center(self) -> tuple[float, float] | None:
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None

    @property
    def circle(self) -> tuple[float, float, float] | None:
        """(lat, lon, radius) for a point, or a commune with a radius; else None."""
        if self.kind not in ("point", "commune") or self.radius_km is None:
            return None
        center = self.center
        return (*center, self.radius_km) if center is not None else None


@dataclass(frozen=True, slots=True)
class Listed:
    """What a list shows of an event: the columns read for it, no more."""

    id: int
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    all_day: bool
    venue: str | None
    address: str | None
    town: str | None
    department: str | None
    lat: float | None
    lon: float | None
    online: bool
    tbd_place: bool
    until: datetime | None


_LISTED = tuple(getattr(Event, name) for name in Listed.__slots__)


@dataclass(frozen=True, slots=True)
class Hit:
    """One event found, with its distance from the query's centre when it has one."""

    event: Listed
    distance_km: float | None
    in_progress: bool
    past: bool


@dataclass(frozen=True, slots=True)
class Results:
    """A page of events and how they were found. `criteria` is what the page matches
    (the widened radius, for instance): the next page asks the same."""

    hits: tuple[Hit, ...]
    outcome: Outcome
    criteria: Criteria
    offset: int = 0
    more: bool = False

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.hits)


def center_of(kind: AreaKind, code: str | None) -> tuple[float | None, float | None]:
    """The coordinates of a commune, or of a department's or region's chef-lieu."""
    if kind not in ("commune", "department", "region") or code is None:
        return None, None
    place = load_gazetteer().get(kind, code)
    return (place.lat, place.lon) if place is not None else (None, None)


async def search(
    session: AsyncSession,
    criteria: Criteria,
    now: datetime,
    *,
    tz: ZoneInfo,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Results:
    """A page of the events matching `criteria` at `now`; on the first page, what comes
    closest when nothing matches."""
    hits, more = await _page(session, criteria, now, tz, offset, limit)
    if hits or offset > 0:
        return Results(tuple(hits), "found", criteria, offset, more)
    if wider := await _widened(session, criteria, now, tz):
        hits, more = await _page(session, wider, now, tz, 0, limit)
        if hits:
            return Results(tuple(hits), "widened", wider, 0, more)
    if criteria.center:
        hits = await _nearest(session, criteria, now, tz, limit)
        if not hits and (criteria.date_from or criteria.date_to):
            anytime = replace(criteria, date_from=None, date_to=None)
            hits = await _nearest(session, anytime, now, tz, limit)
        if hits:
            return Results(tuple(hits), "elsewhere", criteria)
    elif criteria.kind == "everywhere":
        # Nothing in the window or with the keywords: what comes next.
        hits, _ = await _page(session, Criteria(), now, tz, 0, limit)
        if hits:
            return Results(tuple(hits), "later", criteria)
    hits = await _past(session, criteria, now, limit)
    return Results(tuple(hits), "past" if hits else "nothing", criteria)


def window_bounds(
    criteria: Criteria, now: datetime, tz: ZoneInfo
) -> tuple[datetime, datetime | None]:
    """The instants the window spans: from its first local midnight (not before now) to the
    midnight after its last day (None: open)."""
    start = now
    if criteria.date_from is not None:
        start = max(now, datetime.combine(criteria.date_from, time(0), tzinfo=tz))
    end = None
    if criteria.date_to is not None:
        end = datetime.combine(criteria.date_to + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def statement(
    criteria: Criteria, now: datetime, tz: ZoneInfo, *, limit: int, nearest: bool = False
) -> Select[Any]:
    """The one query behind a page: the events of the area, window and keywords, as two
    index walks joined: those begun from a day before the window, soonest first, and the
    multiday ones begun earlier and still running. With `nearest`, each part is ordered by
    distance from the centre instead. At most `limit` rows from each part."""
    order = (_nearness(criteria), Event.id) if nearest else (Event.starts_at, Event.id)
    parts = [select(*_LISTED).where(*where).order_by(*order).limit(limit)
             for where in _parts(criteria, now, tz)]  # fmt: skip
    return select(union_all(*(part.subquery().select() for part in parts)).subquery())


def _exists(criteria: Criteria, now: datetime, tz: ZoneInfo) -> Select[Any]:
    """The id of one event the statement would list, if any: in no order, so the database
    stops at the first it meets."""
    parts = [select(Event.id).where(*where).limit(1) for where in _parts(criteria, now, tz)]
    return select(union_all(*(part.subquery().select() for part in parts)).subquery()).limit(1)


def _parts(
    criteria: Criteria, now: datetime, tz: ZoneInfo
) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """The conditions of the two parts: events begun from MULTIDAY before the window, and
    multiday events begun before that (up to LOOKBACK) and still running."""
    start, end = window_bounds(criteria, now, tz)
    common = [
        Event.status == "scheduled",
        Event.until >= start,
        *_area(criteria),
        *_keywords(criteria.keywords),
    ]
    if end is not None:
        common.append(Event.starts_at < end)
    recent = [*common, Event.starts_at >= start - MULTIDAY]
    running = [
        *common,
        Event.multiday.is_(True),
        Event.starts_at >= start - LOOKBACK,
        Event.starts_at < start - MULTIDAY,
    ]
    return recent, running


def _area(criteria: Criteria) -> list[ColumnElement[bool]]:
    if circle := criteria.circle:
        radius = circle[2]
        reach = (radius * _PLANE_MARGIN / KM_PER_DEGREE) ** 2
        return [Event.cell.in_(cells_around(*circle)), _nearness(criteria) <= reach]
    if criteria.kind == "commune" and criteria.code:
        return [Event.insee.in_(_commune_codes(criteria.code))]
    if criteria.kind == "department" and criteria.code:
        return [Event.department == criteria.code]
    if criteria.kind == "region" and criteria.code:
        return [Event.region == criteria.code]
    return []


def _nearness(criteria: Criteria) -> ColumnElement[float | None]:
    """Squared distance in degrees of latitude on the local plane: enough to rank and to cut
    a circle, cheap in SQL on every engine."""
    lat, lon = criteria.center or (0.0, 0.0)
    squeeze = math.cos(math.radians(lat))
    dlat, dlon = Event.lat - lat, (Event.lon - lon) * squeeze
    return dlat * dlat + dlon * dlon


def _commune_codes(code: str) -> list[str]:
    """A commune and, for Paris, Lyon and Marseille, its arrondissements."""
    return [code, *load_gazetteer().arrondissements_of(code)]


def _keywords(keywords: Sequence[str]) -> list[ColumnElement[bool]]:
    """Every keyword must be said, in any of its forms; "en ligne" is also the online flag."""
    conditions: list[ColumnElement[bool]] = []
    for keyword in keywords:
        said = [Event.words.contains(form, autoescape=True) for form in KEYWORDS[keyword]]
        if keyword == _ONLINE:
            said.append(Event.online.is_(True))
        conditions.append(or_(*said))
    return conditions


async def _page(
    session: AsyncSession,
    criteria: Criteria,
    now: datetime,
    tz: ZoneInfo,
    offset: int,
    limit: int,
) -> tuple[list[Hit], bool]:
    """Events offset to offset + limit and whether more follow. For a circle the database
    cuts a slightly larger one; what the exact distance leaves out is made up by reading on."""
    wanted = offset + limit + 1
    batch = wanted + (4 if criteria.circle else 0)
    while True:
        rows = await _rows(session, statement(criteria, now, tz, limit=batch))
        events = _inside(criteria, rows)
        # Fewer rows than one part's limit: no part was cut, nothing more to read.
        if len(events) >= wanted or len(rows) < batch:
            break
        batch *= 4
    events.sort(key=_soonest)
    hits = [_hit(event, criteria, now) for event in events[offset : offset + limit]]
    return hits, len(events) > offset + limit


async def _rows(session: AsyncSession, query: Select[Any]) -> list[Listed]:
    return [Listed(*row) for row in (await session.execute(query)).all()]


def _inside(criteria: Criteria, events: list[Listed]) -> list[Listed]:
    circle = criteria.circle
    if circle is None:
        return events
    lat, lon, radius = circle
    return [
        event
        for event in events
        if event.lat is not None
        and event.lon is not None
        and haversine_km(lat, lon, event.lat, event.lon) <= radius
    ]


def _soonest(event: Listed) -> tuple[datetime, int]:
    return (event.starts_at or _NEVER, event.id)


async def _widened(
    session: AsyncSession, criteria: Criteria, now: datetime, tz: ZoneInfo
) -> Criteria | None:
    """The smallest wider circle that holds an event. Each step asks only whether one exists
    (no order, no distance: the database stops at the first), so the usual case, an event a
    little further away, costs one or two quick queries."""
    if criteria.center is None or not (criteria.circle or criteria.kind == "commune"):
        return None
    current = criteria.radius_km or 0.0
    for radius in (r for r in (NEAR_RADIUS_KM, *WIDER_RADII_KM) if r > current):
        wider = replace(criteria, radius_km=radius)
        if await session.scalar(_exists(wider, now, tz)) is not None:
            return wider
    return None


async def _nearest(
    session: AsyncSession, criteria: Criteria, now: datetime, tz: ZoneInfo, limit: int
) -> list[Hit]:
    """The upcoming events in the window nearest the centre, wherever they are."""
    anywhere = replace(criteria, kind="everywhere", radius_km=None)
    query = statement(anywhere, now, tz, limit=limit, nearest=True)
    events = [e for e in await _rows(session, query) if e.lat is not None]
    hits = [_hit(event, criteria, now) for event in events]
    hits.sort(key=lambda hit: (hit.distance_km or 0.0, _soonest(hit.event)))
    return hits[:limit]


async def _past(session: AsyncSession, criteria: Criteria, now: datetime, limit: int) -> list[Hit]:
    """The most recent events already over: in the area, else anywhere."""
    for area in (criteria, Criteria()):
        conditions = [Event.status == "scheduled", Event.until <= now, *_area(area)]
        query = select(*_LISTED).where(and_(*conditions))
        query = query.order_by(Event.starts_at.desc(), Event.id).limit(limit * 2)
        events = _inside(area, await _rows(session, query))[:limit]
        if events:
            return [_hit(event, criteria, now) for event in events]
    return []


def _hit(event: Listed, criteria: Criteria, now: datetime) -> Hit:
    distance = None
    center = criteria.center
    if center is not None and event.lat is not None and event.lon is not None:
        distance = haversine_km(*center, event.lat, event.lon)
    starts_at, until = event.starts_at or now, event.until or now
    return Hit(event, distance, in_progress=starts_at <= now < until, past=until <= now)
