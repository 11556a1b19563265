"""The event search: areas, circles, windows, keywords, states, pages, and what it offers
when nothing matches. On SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Event
from essbot.events.search import Criteria, center_of, search
from essbot.geo import haversine_km, load_gazetteer
from essbot.geo.cells import cell_of, cells_around

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
AMIENS = load_gazetteer().get("commune", "80021")
_keys = count()


def event(**fields: Any) -> Event:
    """An event in Amiens tomorrow at 18h unless told otherwise."""
    values: dict[str, Any] = {
        "title": "Rencontre",
        "starts_at": NOW + timedelta(days=1, hours=8),
        "ends_at": None,
        "insee": "80021",
        "department": "80",
        "lat": AMIENS.lat if AMIENS else None,
        "lon": AMIENS.lon if AMIENS else None,
        "town": "Amiens",
        "dedup_key": f"key-{next(_keys)}",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return Event(**values)


async def store(session: AsyncSession, *events: Event) -> None:
    session.add_all(events)
    await session.commit()


def amiens(radius: float | None = 30.0, **fields: Any) -> Criteria:
    return Criteria("commune", "80021", *center_of("commune", "80021"), radius, **fields)


async def titles(session: AsyncSession, criteria: Criteria, **options: Any) -> list[str]:
    results = await search(session, criteria, NOW, tz=PARIS, **options)
    return [hit.event.title for hit in results.hits]


async def test_cancelled_and_undated_events_never_show(session: AsyncSession) -> None:
    await store(
        session,
        event(title="kept"),
        event(title="cancelled", status="cancelled"),
        event(title="undated", status="undated", starts_at=None),
    )
    assert await titles(session, amiens()) == ["kept"]
    assert await titles(session, Criteria()) == ["kept"]


async def test_events_in_progress_count_and_are_flagged(session: AsyncSession) -> None:
    await store(
        session,
        event(
            title="festival",
            starts_at=NOW - timedelta(days=3),
            all_day=True,
            ends_at=NOW + timedelta(days=2),
        ),
        event(
            title="this morning, over",
            starts_at=NOW - timedelta(hours=3),
            ends_at=NOW - timedelta(hours=1),
        ),
        event(title="started an hour ago, no end", starts_at=NOW - timedelta(hours=1)),
        event(title="started three hours ago, no end", starts_at=NOW - timedelta(hours=3)),
    )
    results = await search(session, amiens(), NOW, tz=PARIS)
    listed = {hit.event.title: hit.in_progress for hit in results.hits}
    assert listed == {"festival": True, "started an hour ago, no end": True}


async def test_a_circle_keeps_what_is_within_its_radius(session: AsyncSession) -> None:
    assert AMIENS is not None
    assert AMIENS.lat is not None
    assert AMIENS.lon is not None
    north = [(AMIENS.lat + km / 111.2, AMIENS.lon, km) for km in (29.0, 31.0)]
    await store(session, *[event(title=f"{km} km", lat=lat, lon=lon, insee=None)
                           for lat, lon, km in north])  # fmt: skip
    results = await search(session, amiens(30.0), NOW, tz=PARIS)
    assert [hit.event.title for hit in results.hits] == ["29.0 km"]
    assert results.hits[0].distance_km == pytest.approx(29.0, abs=0.2)


async def test_pages_of_a_circle(session: AsyncSession) -> None:
    await store(session, *[event(title=f"n{i:02}", starts_at=NOW + timedelta(days=i + 1))
                           for i in range(12)])  # fmt: skip
    pages = []
    for offset in (0, 5, 10):
        results = await search(session, amiens(), NOW, tz=PARIS, offset=offset)
        pages.append(([hit.event.title for hit in results.hits], results.more))
    assert pages == [
        (["n00", "n01", "n02", "n03", "n04"], True),
        (["n05", "n06", "n07", "n08", "n09"], True),
        (["n10", "n11"], False),
    ]


async def test_pages_of_a_department(session: AsyncSession) -> None:
    await store(session, *[event(title=f"n{i:02}", starts_at=NOW + timedelta(days=i + 1))
                           for i in range(7)])  # fmt: skip
    somme = Criteria("department", "80", *center_of("department", "80"))
    first = await search(session, somme, NOW, tz=PARIS)
    second = await search(session, somme, NOW, tz=PARIS, offset=first.next_offset)
    assert (len(first.hits), first.more, len(second.hits), second.more) == (5, True, 2, False)


async def test_windows_are_local_days(session: AsyncSession) -> None:
    # 23:30 in Paris on 3 March is 22:30 UTC: still the 3rd where the event is.
    late = datetime(2026, 3, 3, 22, 30, tzinfo=UTC)
    await store(session, event(title="late", starts_at=late, ends_at=late + timedelta(minutes=20)))
    on_3rd = amiens(date_from=date(2026, 3, 3), date_to=date(2026, 3, 3))
    on_4th = amiens(date_from=date(2026, 3, 4), date_to=date(2026, 3, 4))
    assert await titles(session, on_3rd) == ["late"]
    results = await search(session, on_4th, NOW, tz=PARIS)
    assert results.outcome == "elsewhere"  # the only event, offered as the nearest


async def test_keywords_read_plurals_accents_and_the_online_flag(session: AsyncSession) -> None:
    await store(
        session,
        event(title="Les ATELIERS du jeudi"),
        event(title="Conférence-débat", venue="Salle des fêtes"),
        event(title="Assemblée", online=True),
    )
    assert await titles(session, amiens(keywords=("atelier",))) == ["Les ATELIERS du jeudi"]
    assert await titles(session, amiens(keywords=("conférence",))) == ["Conférence-débat"]
    assert await titles(session, amiens(keywords=("en ligne",))) == ["Assemblée"]
    assert await titles(session, amiens(keywords=("atelier", "en ligne"))) == []


async def test_a_city_includes_its_arrondissements(session: AsyncSession) -> None:
    await store(session, event(title="Paris 19e", insee="75119", department="75",
                               lat=48.8817, lon=2.3822))  # fmt: skip
    paris = Criteria("commune", "75056", *center_of("commune", "75056"))
    assert await titles(session, paris) == ["Paris 19e"]


async def test_an_empty_circle_is_widened_step_by_step(session: AsyncSession) -> None:
    await store(session, event(title="Lille", insee="59350", department="59",
                               lat=50.6365, lon=3.0635))  # fmt: skip
    results = await search(session, amiens(30.0), NOW, tz=PARIS)
    assert (results.outcome, results.criteria.radius_km) == ("widened", 120.0)
    assert [hit.event.title for hit in results.hits] == ["Lille"]


async def test_nothing_within_reach_offers_the_nearest_elsewhere(session: AsyncSession) -> None:
    await store(
        session,
        event(title="Nice", insee="06088", department="06", lat=43.7, lon=7.27),
        event(
            title="Brest",
            insee="29019",
            department="29",
            lat=48.39,
            lon=-4.49,
            starts_at=NOW + timedelta(days=40),
        ),
    )
    results = await search(session, amiens(30.0), NOW, tz=PARIS)
    assert results.outcome == "elsewhere"
    assert [hit.event.title for hit in results.hits] == ["Brest", "Nice"]
    distances = [hit.distance_km for hit in results.hits]
    assert distances == sorted(distances)  # type: ignore[type-var]


async def test_only_past_events_are_offered_as_past(session: AsyncSession) -> None:
    await store(session, event(title="last year", starts_at=NOW - timedelta(days=365)))
    results = await search(session, amiens(), NOW, tz=PARIS)
    assert results.outcome == "past"
    assert [(hit.event.title, hit.past) for hit in results.hits] == [("last year", True)]


async def test_an_empty_database_has_nothing(session: AsyncSession) -> None:
    assert (await search(session, amiens(), NOW, tz=PARIS)).outcome == "nothing"


async def test_search_columns_follow_the_event(session: AsyncSession) -> None:
    stored = event(title="Rencontre à Lille", ends_at=None)
    await store(session, stored)
    assert stored.region == "32"
    assert stored.until == stored.starts_at + timedelta(hours=2)  # type: ignore[operator]
    stored.department, stored.lat, stored.lon = "35", 48.11, -1.68
    stored.title = "Forum ÉTUDIANT"
    await session.commit()
    await session.refresh(stored)
    assert (stored.region, stored.cell, stored.words) == ("53", cell_of(48.11, -1.68),
                                                         "forum etudiant")  # fmt: skip


def test_cells_around_cover_the_circle() -> None:
    for lat, lon in ((49.9, 2.3), (43.3, 5.4), (-21.1, 55.5), (50.0, -0.1)):
        around = set(cells_around(lat, lon, 30.0))
        for dlat in (-0.26, 0.0, 0.26):
            for dlon in (-0.4, 0.0, 0.4):
                if haversine_km(lat, lon, lat + dlat, lon + dlon) <= 30.0:
                    assert cell_of(lat + dlat, lon + dlon) in around
