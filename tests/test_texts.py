"""Dates and times in words, in French and in English."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from essbot.texts import English, French, language_of, texts_for

PARIS = ZoneInfo("Europe/Paris")
FR, EN = French(), English()


def at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=PARIS)


@pytest.mark.parametrize(
    ("start", "end", "all_day", "french", "english"),
    [
        (at("2016-10-05", 17, 30), at("2016-10-05", 20), False,
         "mercredi 5 octobre 2016, 17h30–20h", "Wednesday 5 October 2016, 5:30–8 pm"),
        (at("2024-11-12", 14), None, False,
         "mardi 12 novembre 2024, 14h", "Tuesday 12 November 2024, 2 pm"),
        (at("2016-10-01", 9, 15), at("2016-10-01", 12, 45), False,
         "samedi 1er octobre 2016, 9h15–12h45", "Saturday 1 October 2016, 9:15 am–12:45 pm"),
        (at("2016-10-01", 10), at("2016-10-01", 14), False,
         "samedi 1er octobre 2016, 10h–14h", "Saturday 1 October 2016, 10 am–2 pm"),
        (at("2016-10-01", 20), at("2016-10-02", 1), False,
         "samedi 1er octobre 2016, 20h–1h", "Saturday 1 October 2016, 8 pm–1 am"),
        (at("2024-11-05", 0), None, True, "mardi 5 novembre 2024", "Tuesday 5 November 2024"),
        (at("2024-11-05", 0), at("2024-11-06", 0), True,
         "mardi 5 novembre 2024", "Tuesday 5 November 2024"),
        (at("2024-11-02", 0), at("2024-11-05", 0), True,
         "du samedi 2 novembre au lundi 4 novembre 2024",
         "Saturday 2 November to Monday 4 November 2024"),
        (at("2024-12-30", 0), at("2025-01-03", 0), True,
         "du lundi 30 décembre 2024 au jeudi 2 janvier 2025",
         "Monday 30 December 2024 to Thursday 2 January 2025"),
        (at("2024-11-02", 9), at("2024-11-03", 18), False,
         "samedi 2 novembre 2024, 9h – dimanche 3 novembre 2024, 18h",
         "Saturday 2 November 2024, 9 am – Sunday 3 November 2024, 6 pm"),
    ],
)  # fmt: skip
def test_when_in_words(
    start: datetime, end: datetime | None, all_day: bool, french: str, english: str
) -> None:
    assert FR.when(start, end, all_day=all_day) == french
    assert EN.when(start, end, all_day=all_day) == english


@pytest.mark.parametrize(
    ("moment", "french", "english"),
    [(time(0, 0), "0h", "12 am"), (time(12, 0), "12h", "12 pm"), (time(12, 5), "12h05", "12:05 pm"),
     (time(23, 59), "23h59", "11:59 pm"), (time(8, 0), "8h", "8 am")],
)  # fmt: skip
def test_clock(moment: time, french: str, english: str) -> None:
    assert FR.clock(moment) == french
    assert EN.clock(moment) == english


def test_windows() -> None:
    first, last = date(2016, 10, 1), date(2016, 10, 31)
    assert FR.window(first, last, "") == "du samedi 1er octobre au lundi 31 octobre 2016"
    assert EN.window(first, last, "") == "from Saturday 1 October to Monday 31 October 2016"
    assert FR.window(None, None, "") == "à venir"
    assert EN.window(first, first, "") == "on Saturday 1 October 2016"


@pytest.mark.parametrize(
    ("name", "near", "at_"),
    [("Amiens (80)", "Près d'Amiens (80)", "À Amiens (80)"),
     ("Lens (62)", "Près de Lens (62)", "À Lens (62)"),
     ("Le Mans (72)", "Près du Mans (72)", "Au Mans (72)"),
     ("Les Andelys (27)", "Près des Andelys (27)", "Aux Andelys (27)"),
     ("Hénin-Beaumont (62)", "Près d'Hénin-Beaumont (62)", "À Hénin-Beaumont (62)"),
     ("Évry (91)", "Près d'Évry (91)", "À Évry (91)")],
)  # fmt: skip
def test_french_prepositions(name: str, near: str, at_: str) -> None:
    assert FR.near(name, 30).startswith(near)
    assert FR.in_commune(name) == at_


def test_distances() -> None:
    assert FR.distance(0.4) == "moins d'1 km"
    assert FR.distance(3.25) == "3,2 km"
    assert EN.distance(3.25) == "3.2 km"
    assert EN.distance(98.6) == "99 km"


def test_languages() -> None:
    assert language_of("en-GB") == "en"
    assert language_of("fr") == "fr"
    assert language_of("de") == "fr"
    assert language_of(None) == "fr"
    assert texts_for("xx") is texts_for("fr")


def test_both_languages_say_everything() -> None:
    names = {name for name in vars(French) if not name.startswith("_")}
    assert names == {name for name in vars(English) if not name.startswith("_")}
    assert [name for name, _ in FR.commands] == [name for name, _ in EN.commands]
