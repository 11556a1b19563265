"""When two announcements describe the same event: the rules, without a database."""

from datetime import date, time

import pytest

from essbot.events.identity import Identity, dedup_key, pair_versions, same_event
from essbot.geo.normalize import fold

DAY = date(2016, 9, 27)


def identity(
    title: str,
    *,
    day: date | None = DAY,
    start: time | None = time(17, 30),
    commune: str | None = "62193",
    town: str = "Calais",
) -> Identity:
    """An identity from readable values."""
    return Identity(day=day, start=start, commune=commune, town=fold(town), title=fold(title))


@pytest.mark.parametrize(
    "title",
    ["Atelier", "Rencontre ESS Tour — Calais", "L'ESS TOUR 2016 à Calais", "Ciné-débat"],
)
def test_titles_that_name_only_a_kind_of_meeting_are_generic(title: str) -> None:
    assert identity(title).is_generic


@pytest.mark.parametrize(
    "title", ["Ciné-débat : Bienveillance paysanne", "Assemblée générale de la CRESS"]
)
def test_titles_that_say_which_event_are_specific(title: str) -> None:
    assert not identity(title).is_generic


def test_similar_titles_on_the_same_day_and_place_are_the_same_event() -> None:
    assert same_event(
        identity("Ciné-débat : Bienveillance paysanne"),
        identity("Projection de Bienveillance paysanne", start=None),
    )


def test_a_generic_title_needs_a_known_commune() -> None:
    specific = "Assemblée générale de la CRESS"
    assert same_event(identity("Atelier"), identity(specific))
    assert not same_event(identity("Atelier", commune=None), identity(specific, commune=None))


@pytest.mark.parametrize(
    "other",
    [
        identity("Atelier", day=date(2016, 9, 28)),
        identity("Atelier", start=time(9, 0)),
        identity("Atelier", commune="62498", town="Lens"),
        identity("Atelier", commune=None, town="Lens"),
    ],
)
def test_another_day_time_or_place_is_another_event(other: Identity) -> None:
    assert not same_event(identity("Atelier"), other)


def test_a_town_name_meets_the_same_town_with_its_code() -> None:
    assert same_event(identity("Atelier", commune=None), identity("Atelier"))


def test_undated_items_are_the_same_only_with_the_same_title() -> None:
    item = identity("Conférence régionale de l'ESS", day=None, start=None)
    assert same_event(item, identity("Conference regionale de l'ess", day=None, start=None))
    assert not same_event(item, identity("Conférence régionale", day=None, start=None))


def test_versions_pair_by_place_before_pairing_placeless_events() -> None:
    placeless = identity("Atelier", commune=None, town="")
    lens = identity("Atelier", commune="62498", town="Lens")
    calais = identity("Atelier")

    # The placeless new event would fit Calais leniently; the strict pass gives Calais to
    # the new Calais event first.
    assert pair_versions([placeless, calais], [calais, lens]) == {1: 0, 0: 1}


def test_versions_pair_one_to_one() -> None:
    calais = identity("Atelier")
    assert pair_versions([calais, calais], [calais]) == {0: 0}


def test_dedup_key_is_readable() -> None:
    assert dedup_key(identity("Ciné-débat")) == "2016-09-27|17:30|insee:62193|cine-debat"
    assert (
        dedup_key(identity("Forum", start=None, commune=None)) == "2016-09-27|-|town:calais|forum"
    )
