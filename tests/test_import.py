"""Importing announcements: idempotent, corrections update, one event across documents."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.db import Document, Event, EventSource
from essbot.events import ImportReport, import_document
from essbot.extract.model import YEAR_UNCERTAIN, ExtractedEvent, Extraction
from essbot.geo import load_gazetteer

NOW = datetime(2016, 9, 20, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=2)
TOUR = "000_ess_tour.txt"


def calais(**fields: Any) -> ExtractedEvent:
    """The ESS Tour 2016 meeting in Calais, with any field overridden."""
    values: dict[str, Any] = {
        "title": "Rencontre ESS Tour — Calais",
        "date": date(2016, 9, 27),
        "start": time(17, 30),
        "end": time(20, 0),
        "venue": "Cité de la dentelle et de la mode",
        "address": "135 quai du Commerce",
        "postcode": "62100",
        "town": "Calais",
        "insee": "62193",
        "department": "62",
        "year_inferred": True,
        "line": 14,
    }
    values.update(fields)
    return ExtractedEvent(**values)


def nogent(**fields: Any) -> ExtractedEvent:
    """The ESS Tour 2016 meeting in Nogent-sur-Oise, with any field overridden."""
    values: dict[str, Any] = {
        "title": "Rencontre ESS Tour — Nogent-sur-Oise",
        "date": date(2016, 9, 28),
        "start": time(17, 30),
        "end": time(20, 0),
        "venue": "SARCUS",
        "address": "9 rue Ronsard",
        "postcode": "60180",
        "town": "Nogent-sur-Oise",
        "insee": "60463",
        "department": "60",
        "line": 15,
    }
    values.update(fields)
    return ExtractedEvent(**values)


def undated(**fields: Any) -> ExtractedEvent:
    """A "date à préciser" item."""
    values: dict[str, Any] = {"title": "Conférence régionale de l'ESS", "date": None, "line": 7}
    values.update(fields)
    return ExtractedEvent(**values)


async def import_text(
    session: AsyncSession,
    text: str,
    *events: ExtractedEvent,
    name: str = TOUR,
    now: datetime = NOW,
    timezone: str = "Europe/Paris",
) -> ImportReport:
    """Import a text whose extraction found these events, and commit."""
    extraction = Extraction(
        title="L'ESS TOUR 2016", events=events, published=date(2016, 9, 1), source=name
    )
    report = await import_document(
        session, text=text, name=name, extraction=extraction, now=now, timezone=timezone
    )
    await session.commit()
    return report


async def stored_events(session: AsyncSession) -> list[Event]:
    """Every event as the database holds it now, by id."""
    query = select(Event).order_by(Event.id).execution_options(populate_existing=True)
    return list(await session.scalars(query))


async def sources_of(session: AsyncSession, event: Event) -> list[tuple[str, int]]:
    """(document name, line) of every document that announces the event, oldest first."""
    query = (
        select(Document.name, EventSource.line)
        .join(Document, Document.id == EventSource.document_id)
        .where(EventSource.event_id == event.id)
        .order_by(Document.id)
    )
    return [(name, line) for name, line in await session.execute(query)]


def counts(report: ImportReport) -> dict[str, int]:
    """The counts the summary shows."""
    return {
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "cancelled": report.cancelled,
    }


# First import ------------------------------------------------------------------------------


async def test_first_import_stores_every_event_with_its_source(session: AsyncSession) -> None:
    report = await import_text(session, "v1", calais(), nogent())

    assert counts(report) == {"new": 2, "updated": 0, "unchanged": 0, "cancelled": 0}
    first, second = await stored_events(session)
    document = await session.scalar(select(Document))
    assert document is not None
    assert (document.name, document.title, document.published) == (
        TOUR,
        "L'ESS TOUR 2016",
        date(2016, 9, 1),
    )
    assert document.imported_at == NOW
    assert (first.document_id, first.source_line) == (document.id, 14)
    assert await sources_of(session, first) == [(TOUR, 14)]
    assert await sources_of(session, second) == [(TOUR, 15)]
    assert first.status == "scheduled"
    assert first.year_inferred
    assert (first.created_at, first.updated_at) == (NOW, NOW)
    assert first.dedup_key == "2016-09-27|17:30|insee:62193|rencontre-ess-tour-calais"


async def test_paris_evening_is_stored_in_utc(session: AsyncSession) -> None:
    await import_text(session, "v1", calais())

    (event,) = await stored_events(session)
    assert event.starts_at == datetime(2016, 9, 27, 15, 30, tzinfo=UTC)
    assert event.ends_at == datetime(2016, 9, 27, 18, 0, tzinfo=UTC)
    assert event.timezone == "Europe/Paris"
    assert not event.all_day


async def test_times_are_read_in_the_given_time_zone(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(), timezone="Indian/Reunion")

    (event,) = await stored_events(session)
    assert event.starts_at == datetime(2016, 9, 27, 13, 30, tzinfo=UTC)
    assert event.timezone == "Indian/Reunion"


async def test_an_event_without_a_time_lasts_all_day(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(start=None, end=None))

    (event,) = await stored_events(session)
    assert event.all_day
    assert event.starts_at == datetime(2016, 9, 26, 22, 0, tzinfo=UTC)  # midnight in Paris
    assert event.ends_at is None


async def test_an_all_day_event_over_several_days_ends_with_its_last_day(
    session: AsyncSession,
) -> None:
    mois = calais(date=date(2016, 11, 7), end_date=date(2016, 11, 11), start=None, end=None)
    await import_text(session, "v1", mois)

    (event,) = await stored_events(session)
    assert event.all_day
    assert event.starts_at == datetime(2016, 11, 6, 23, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2016, 11, 11, 23, 0, tzinfo=UTC)  # midnight after the 11th


async def test_an_end_before_the_start_is_past_midnight(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(start=time(21, 0), end=time(1, 0)))

    (event,) = await stored_events(session)
    assert event.ends_at == datetime(2016, 9, 27, 23, 0, tzinfo=UTC)


async def test_coordinates_come_from_the_gazetteer(session: AsyncSession) -> None:
    paris_19 = calais(town="Paris", postcode="75019", insee="75119", department="75")
    await import_text(session, "v1", paris_19)

    (event,) = await stored_events(session)
    arrondissement = load_gazetteer().get("commune", "75119")
    assert arrondissement is not None
    assert (event.lat, event.lon) == (arrondissement.lat, arrondissement.lon)


async def test_undated_items_are_kept_without_a_date(session: AsyncSession) -> None:
    report = await import_text(session, "v1", undated(), calais())

    assert report.new == 2
    item, _ = await stored_events(session)
    assert item.status == "undated"
    assert (item.starts_at, item.ends_at, item.all_day) == (None, None, False)
    assert item.dedup_key == "undated|-|-|conference-regionale-de-l-ess"


async def test_report_counts_events_needing_review_and_warnings(session: AsyncSession) -> None:
    doubtful = calais(warnings=(YEAR_UNCERTAIN, "weekday_mismatch"))
    report = await import_text(session, "v1", doubtful, nogent())

    assert (report.needing_review, report.warnings) == (1, 2)
    first, _ = await stored_events(session)
    assert first.warnings == [YEAR_UNCERTAIN, "weekday_mismatch"]


async def test_two_identical_lines_of_one_text_stay_two_events(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(), calais(line=20))

    first, second = await stored_events(session)
    assert second.dedup_key == f"{first.dedup_key}#2"


# The same text again -----------------------------------------------------------------------


async def test_importing_the_same_text_twice_changes_nothing(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(), nogent(), undated())
    before = [event.__dict__.copy() for event in await stored_events(session)]

    report = await import_text(session, "v1", calais(), nogent(), undated(), now=LATER)

    assert counts(report) == {"new": 0, "updated": 0, "unchanged": 3, "cancelled": 0}
    assert report.already_imported == 1
    after = [event.__dict__.copy() for event in await stored_events(session)]
    for row in before + after:
        row.pop("_sa_instance_state")
    assert after == before
    assert await session.scalar(select(func.count()).select_from(Document)) == 1
    assert await session.scalar(select(func.count()).select_from(EventSource)) == 3


# A corrected text --------------------------------------------------------------------------


async def test_a_corrected_text_updates_its_events(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(), nogent())
    calais_id = (await stored_events(session))[0].id

    corrected = calais(start=time(18, 0), title="Rencontre ESS Tour à Calais", line=16)
    report = await import_text(session, "v2", corrected, nogent(), now=LATER)

    assert counts(report) == {"new": 0, "updated": 1, "unchanged": 1, "cancelled": 0}
    event, other = await stored_events(session)
    assert event.id == calais_id
    assert event.starts_at == datetime(2016, 9, 27, 16, 0, tzinfo=UTC)
    assert event.title == "Rencontre ESS Tour à Calais"
    assert (event.created_at, event.updated_at) == (NOW, LATER)
    assert other.updated_at == NOW
    assert await sources_of(session, event) == [(TOUR, 14), (TOUR, 16)]
    assert event.source_line == 14  # the first announcement


async def test_events_a_correction_drops_are_cancelled(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(), nogent())

    report = await import_text(session, "v2", calais(), now=LATER)

    assert counts(report) == {"new": 0, "updated": 0, "unchanged": 1, "cancelled": 1}
    kept, dropped = await stored_events(session)
    assert kept.status == "scheduled"
    assert (dropped.status, dropped.updated_at) == ("cancelled", LATER)


async def test_a_new_date_in_a_correction_is_a_new_event(session: AsyncSession) -> None:
    await import_text(session, "v1", calais())

    report = await import_text(session, "v2", calais(date=date(2016, 9, 29)), now=LATER)

    assert counts(report) == {"new": 1, "updated": 0, "unchanged": 0, "cancelled": 1}
    old, new = await stored_events(session)
    assert (old.status, new.status) == ("cancelled", "scheduled")


async def test_a_cancelled_event_comes_back_with_a_later_version(session: AsyncSession) -> None:
    await import_text(session, "v1", calais(), nogent())
    await import_text(session, "v2", calais(), now=LATER)

    report = await import_text(session, "v3", calais(), nogent(), now=LATER + timedelta(days=1))

    assert counts(report) == {"new": 0, "updated": 1, "unchanged": 1, "cancelled": 0}
    statuses = [event.status for event in await stored_events(session)]
    assert statuses == ["scheduled", "scheduled"]


async def test_a_correction_can_name_the_place_it_left_open(session: AsyncSession) -> None:
    open_place = calais(
        venue=None, address=None, postcode=None, town=None, insee=None, department=None
    )
    await import_text(session, "v1", replace(open_place, tbd_place=True))

    report = await import_text(session, "v2", calais(), now=LATER)

    assert counts(report) == {"new": 0, "updated": 1, "unchanged": 0, "cancelled": 0}
    (event,) = await stored_events(session)
    assert (event.insee, event.venue) == ("62193", "Cité de la dentelle et de la mode")
    assert event.lat is not None
    assert not event.tbd_place


async def test_undated_items_of_a_corrected_text_pair_by_title(session: AsyncSession) -> None:
    await import_text(session, "v1", undated(), calais())

    report = await import_text(session, "v2", undated(line=9), calais(), now=LATER)

    assert counts(report) == {"new": 0, "updated": 0, "unchanged": 2, "cancelled": 0}
    item, _ = await stored_events(session)
    assert await sources_of(session, item) == [(TOUR, 7), (TOUR, 9)]


# The same event in two documents -----------------------------------------------------------


async def test_one_event_announced_in_two_documents_is_one_event(session: AsyncSession) -> None:
    first = calais(start=None, end=None, address=None, title="ESS Tour 2016 : Calais")
    await import_text(session, "newsletter", first, name="newsletter.txt")

    report = await import_text(session, "programme", calais(line=3), now=LATER)

    assert counts(report) == {"new": 0, "updated": 1, "unchanged": 0, "cancelled": 0}
    (event,) = await stored_events(session)
    assert await sources_of(session, event) == [("newsletter.txt", 14), (TOUR, 3)]
    # The newer announcement fills what was missing and erases nothing.
    assert event.starts_at == datetime(2016, 9, 27, 15, 30, tzinfo=UTC)
    assert event.ends_at == datetime(2016, 9, 27, 18, 0, tzinfo=UTC)
    assert not event.all_day
    assert event.address == "135 quai du Commerce"
    assert event.title == "ESS Tour 2016 : Calais"
    assert event.source_line == 14


async def test_a_second_announcement_does_not_overwrite_what_is_known(
    session: AsyncSession,
) -> None:
    await import_text(session, "newsletter", calais(), name="newsletter.txt")

    other_venue = calais(venue="Salle des fêtes", address="1 place d'Armes", line=3)
    report = await import_text(session, "programme", other_venue, now=LATER)

    assert counts(report) == {"new": 0, "updated": 0, "unchanged": 1, "cancelled": 0}
    (event,) = await stored_events(session)
    assert (event.venue, event.address) == (
        "Cité de la dentelle et de la mode",
        "135 quai du Commerce",
    )
    assert event.updated_at == NOW


async def test_a_generic_title_in_the_same_town_is_the_same_event(session: AsyncSession) -> None:
    await import_text(session, "newsletter", calais(title="Rencontre"), name="newsletter.txt")

    await import_text(session, "programme", calais(title="Ciné-débat : Bienveillance paysanne"))

    (event,) = await stored_events(session)
    assert event.title == "Ciné-débat : Bienveillance paysanne"  # the specific title wins


async def test_different_titles_in_the_same_town_are_different_events(
    session: AsyncSession,
) -> None:
    await import_text(session, "a", calais(title="Ciné-débat : Bienveillance paysanne"), name="a")

    report = await import_text(session, "b", calais(title="Assemblée générale de la CRESS"))

    assert report.new == 1
    assert len(await stored_events(session)) == 2


async def test_different_times_are_different_events(session: AsyncSession) -> None:
    await import_text(session, "a", calais(start=time(10, 0), end=None), name="a")

    report = await import_text(session, "b", calais(start=time(14, 0), end=None))

    assert report.new == 1


async def test_different_towns_are_different_events(session: AsyncSession) -> None:
    await import_text(session, "a", calais(), name="a")

    report = await import_text(session, "b", calais(town="Lens", insee="62498", postcode="62300"))

    assert report.new == 1


async def test_an_arrondissement_is_in_its_city(session: AsyncSession) -> None:
    paris = calais(town="Paris", postcode=None, insee="75056", department="75")
    await import_text(session, "a", paris, name="a")

    report = await import_text(session, "b", calais(town="Paris", postcode="75019", insee="75119"))

    assert counts(report) == {"new": 0, "updated": 1, "unchanged": 0, "cancelled": 0}
    (event,) = await stored_events(session)
    assert event.postcode == "75019"


async def test_undated_items_with_the_same_title_are_one(session: AsyncSession) -> None:
    await import_text(session, "a", undated(), name="a")

    report = await import_text(session, "b", undated(title="Conférence régionale de l'ESS !"))

    assert counts(report) == {"new": 0, "updated": 0, "unchanged": 1, "cancelled": 0}


async def test_an_event_another_document_still_announces_is_not_cancelled(
    session: AsyncSession,
) -> None:
    await import_text(session, "newsletter", calais(), name="newsletter.txt")
    await import_text(session, "v1", calais(), nogent())

    report = await import_text(session, "v2", nogent(), now=LATER)

    assert report.cancelled == 0
    assert [event.status for event in await stored_events(session)] == ["scheduled"] * 2


async def test_another_announcement_does_not_bring_back_a_cancelled_event(
    session: AsyncSession,
) -> None:
    await import_text(session, "v1", calais(), nogent())
    await import_text(session, "v2", nogent())

    report = await import_text(session, "newsletter", calais(), name="newsletter.txt")

    assert counts(report) == {"new": 0, "updated": 0, "unchanged": 1, "cancelled": 0}
    cancelled, _ = await stored_events(session)
    assert cancelled.status == "cancelled"
    assert await sources_of(session, cancelled) == [(TOUR, 14), ("newsletter.txt", 14)]


async def test_deleting_a_document_removes_its_sources(session: AsyncSession) -> None:
    await import_text(session, "newsletter", calais(), name="newsletter.txt")
    await import_text(session, "programme", calais())

    await session.execute(delete(Document).where(Document.name == "newsletter.txt"))
    await session.commit()

    (event,) = await stored_events(session)
    assert await sources_of(session, event) == [(TOUR, 14)]
    assert event.document_id is None
