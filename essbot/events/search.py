"""Finding stored events: in an area, in a window of dates, with keywords, soonest first.

When the area holds nothing, the search says what it did instead, so the reply can say it
too: it widens the radius (30 km, then 60, 120, 250), then offers the nearest upcoming events
elsewhere (or, asked about no place, the next events whatever their date and keywords), and
when nothing is upcoming at all, the most recent past ones.

Events in progress count; cancelled and undated ones never show. Windows are local dates,
both ends included, read in the time zone given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Event
from essbot.geo import load_gazetteer
from essbot.geo.cells import bounding_box, cells_around
from essbot.geo.places import haversine_km
from essbot.understand.topics import KEYWORDS

AreaKind = Literal["everywhere", "commune", "department", "region", "point"]
Outcome = Literal["found", "widened", "elsewhere", "later", "past", "nothing"]

PAGE_SIZE = 5
NEAR_RADIUS_KM = 30.0
WIDER_RADII_KM = (60.0, 120.0, 250.0)
# An event that began this long before the window is not looked for: it keeps the search on
# the start-time index. Longer events (a season-long exhibition) are rare in the ESS agenda.
LOOKBACK = timedelta(days=92)
_ONLINE = "en ligne"


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
class Hit:
    """One event found, with its distance from the query's centre when it has one."""

    event: Event
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
    for wider in _wider(criteria):
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
        anything = Criteria()  # nothing in the window or with the keywords: what comes next
        hits, _ = await _page(session, anything, now, tz, 0, limit)
        if hits:
            return Results(tuple(hits), "later", criteria)
    hits = await _past(session, criteria, now, tz, limit)
    return Results(tuple(hits), "past" if hits else "nothing", criteria)


def _wider(criteria: Criteria) -> list[Criteria]:
    """The wider circles to try when the area is empty."""
    if criteria.kind == "commune" and criteria.radius_km is None and criteria.center:
        radii: Sequence[float] = (NEAR_RADIUS_KM, *WIDER_RADII_KM)
    elif criteria.circle:
        radii = WIDER_RADII_KM
    else:
        return []
    current = criteria.radius_km or 0.0
    return [replace(criteria, radius_km=radius) for radius in radii if radius > current]


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


def statement(criteria: Criteria, now: datetime, tz: ZoneInfo) -> Select[Any]:
    """The indexed query for events in the window, area and keywords, soonest first. For a
    circle it selects the bounding box's cells; the exact distance is measured after."""
    start, end = window_bounds(criteria, now, tz)
    conditions = [
        Event.status == "scheduled",
        Event.starts_at >= start - LOOKBACK,
        Event.until >= start,
        *_area(criteria),
        *_keywords(criteria.keywords),
    ]
    if end is not None:
        conditions.append(Event.starts_at < end)
    return select(Event).where(*conditions).order_by(Event.starts_at, Event.id)


def _area(criteria: Criteria) -> list[ColumnElement[bool]]:
    if circle := criteria.circle:
        south, north, west, east = bounding_box(*circle)
        return [
            Event.cell.in_(cells_around(*circle)),
            Event.lat.between(south, north),
            Event.lon.between(west, east),
        ]
    if criteria.kind == "commune" and criteria.code:
        return [Event.insee.in_(_commune_codes(criteria.code))]
    if criteria.kind == "department" and criteria.code:
        return [Event.department == criteria.code]
    if criteria.kind == "region" and criteria.code:
        return [Event.region == criteria.code]
    return []


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
    return await _fetch(session, statement(criteria, now, tz), criteria, now, offset, limit)


async def _fetch(
    session: AsyncSession,
    query: Select[Any],
    criteria: Criteria,
    now: datetime,
    offset: int,
    limit: int,
) -> tuple[list[Hit], bool]:
    """A page of the query's events and whether more follow. For a circle, the query holds
    the box: only the ids and points are read, those within the radius kept, then paged."""
    circle = criteria.circle
    if circle is None:
        events = list((await session.scalars(query.offset(offset).limit(limit + 1))).all())
        return [_hit(event, criteria, now) for event in events[:limit]], len(events) > limit
    boxed = query.with_only_columns(Event.id, Event.lat, Event.lon)
    rows = (await session.execute(boxed)).all()
    lat, lon, radius = circle
    inside = [row.id for row in rows if haversine_km(lat, lon, row.lat, row.lon) <= radius]
    wanted = inside[offset : offset + limit]
    if not wanted:
        return [], False
    loaded = {e.id: e for e in await session.scalars(select(Event).where(Event.id.in_(wanted)))}
    hits = [_hit(loaded[event_id], criteria, now) for event_id in wanted]
    return hits, len(inside) > offset + limit


async def _nearest(
    session: AsyncSession, criteria: Criteria, now: datetime, tz: ZoneInfo, limit: int
) -> list[Hit]:
    """The upcoming events in the window nearest the centre, wherever they are."""
    lat, lon = criteria.center or (0.0, 0.0)
    anywhere = replace(criteria, kind="everywhere", radius_km=None)
    query = statement(anywhere, now, tz).where(Event.lat.is_not(None))
    # Squared distance on a local plane: enough to rank, cheap in SQL on every engine.
    squeeze = math.cos(math.radians(lat))
    dlat, dlon = Event.lat - lat, (Event.lon - lon) * squeeze
    nearest = query.order_by(None).order_by(dlat * dlat + dlon * dlon, Event.starts_at)
    events = await session.scalars(nearest.limit(limit))
    hits = [_hit(event, criteria, now) for event in events]
    return sorted(hits, key=lambda hit: (hit.distance_km or 0.0, hit.event.starts_at))


async def _past(
    session: AsyncSession, criteria: Criteria, now: datetime, tz: ZoneInfo, limit: int
) -> list[Hit]:
    """The most recent events already over: in the area, else anywhere."""
    for area in (criteria, Criteria()):
        conditions = [Event.status == "scheduled", Event.until <= now, *_area(area)]
        query = select(Event).where(*conditions).order_by(Event.starts_at.desc(), Event.id)
        hits, _ = await _fetch(session, query, area, now, 0, limit)
        if hits:
            return [_hit(hit.event, criteria, now) for hit in hits]
    return []


def _hit(event: Event, criteria: Criteria, now: datetime) -> Hit:
    distance = None
    center = criteria.center
    if center is not None and event.lat is not None and event.lon is not None:
        distance = haversine_km(*center, event.lat, event.lon)
    starts_at, until = event.starts_at or now, event.until or now
    return Hit(event, distance, in_progress=starts_at <= now < until, past=until <= now)
