"""Understanding questions: time windows, places, keywords, intents, languages, bad input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from essbot.cli import main
from essbot.geo.resolve import default_resolver
from essbot.understand import Query, detect_lang, read_place_phrase, understand
from essbot.understand.when import read_window

PARIS_SUMMER = timezone(timedelta(hours=2))
# Tuesday 20 September 2016, 10:00 in Paris: the ESS Tour's autumn.
NOW = datetime(2016, 9, 20, 10, 0, tzinfo=PARIS_SUMMER)
TODAY = date(2016, 9, 20)


def ask(text: str, lang: str = "fr", **options: object) -> Query:
    return understand(text, NOW, lang, **options)  # type: ignore[arg-type]


# Time ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("quoi de prévu ?", TODAY, None),
        ("aujourd'hui", TODAY, TODAY),
        ("today", TODAY, TODAY),
        ("ce soir à Lille", TODAY, TODAY),
        ("demain", date(2016, 9, 21), date(2016, 9, 21)),
        ("tomorrow in Lens", date(2016, 9, 21), date(2016, 9, 21)),
        ("après-demain", date(2016, 9, 22), date(2016, 9, 22)),
        ("ce week-end", date(2016, 9, 24), date(2016, 9, 25)),
        ("ce weekend", date(2016, 9, 24), date(2016, 9, 25)),
        ("this weekend", date(2016, 9, 24), date(2016, 9, 25)),
        ("le week-end prochain", date(2016, 10, 1), date(2016, 10, 2)),
        ("cette semaine", TODAY, date(2016, 9, 25)),
        ("this week", TODAY, date(2016, 9, 25)),
        ("la semaine prochaine", date(2016, 9, 26), date(2016, 10, 2)),
        ("next week", date(2016, 9, 26), date(2016, 10, 2)),
        ("en novembre", date(2016, 11, 1), date(2016, 11, 30)),
        ("in November", date(2016, 11, 1), date(2016, 11, 30)),
        ("en septembre", TODAY, date(2016, 9, 30)),  # begun: the rest of it
        ("en août", date(2017, 8, 1), date(2017, 8, 31)),  # over: next year's
        ("en mars", date(2017, 3, 1), date(2017, 3, 31)),
        ("en novembre 2017", date(2017, 11, 1), date(2017, 11, 30)),
        ("le 5 octobre", date(2016, 10, 5), date(2016, 10, 5)),
        ("on 5 October", date(2016, 10, 5), date(2016, 10, 5)),
        ("le 12/11", date(2016, 11, 12), date(2016, 11, 12)),
        ("le 3 septembre", date(2017, 9, 3), date(2017, 9, 3)),  # past this year: next year's
        ("du 7 au 11 novembre", date(2016, 11, 7), date(2016, 11, 11)),
        ("d'ici la fin du mois", TODAY, date(2016, 9, 30)),
        ("by the end of the month", TODAY, date(2016, 9, 30)),
        ("d'ici la fin de l'année", TODAY, date(2016, 12, 31)),
        ("dans les 15 jours", TODAY, date(2016, 10, 5)),
        ("les 7 prochains jours", TODAY, date(2016, 9, 27)),
        ("within 2 weeks", TODAY, date(2016, 10, 4)),
        ("in the next 10 days", TODAY, date(2016, 9, 30)),
        ("ce mois-ci", TODAY, date(2016, 9, 30)),
        ("le mois prochain", date(2016, 10, 1), date(2016, 10, 31)),
        ("next month", date(2016, 10, 1), date(2016, 10, 31)),
        ("jeudi prochain", date(2016, 9, 22), date(2016, 9, 22)),
        ("next Tuesday", date(2016, 9, 27), date(2016, 9, 27)),  # today is a Tuesday
        ("mardi", TODAY, TODAY),
        ("samedi soir", date(2016, 9, 24), date(2016, 9, 24)),
        ("dans 3 jours", date(2016, 9, 23), date(2016, 9, 23)),
        ("in two weeks", date(2016, 10, 4), date(2016, 10, 4)),
        ("cette année", TODAY, date(2016, 12, 31)),
    ],
)
def test_time_windows(text: str, start: date, end: date | None) -> None:
    query = ask(text)
    assert (query.date_from, query.date_to) == (start, end)


def test_time_windows_follow_the_calendar() -> None:
    # On a Sunday, "ce week-end" is today; in December, "le mois prochain" is January.
    window = read_window("ce week-end", date(2016, 9, 25))
    assert (window.start, window.end) == (date(2016, 9, 25), date(2016, 9, 25))
    window = read_window("le mois prochain", date(2016, 12, 10))
    assert (window.start, window.end) == (date(2017, 1, 1), date(2017, 1, 31))
    window = read_window("en novembre", date(2016, 12, 10))
    assert (window.start, window.end) == (date(2017, 11, 1), date(2017, 11, 30))


def test_the_local_date_decides_what_today_is() -> None:
    # 23:30 UTC on 20 September is already the 21st in Paris.
    late = datetime(2016, 9, 20, 23, 30, tzinfo=UTC)
    assert understand("aujourd'hui", late).date_from == date(2016, 9, 21)


# Places -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "code", "radius"),
    [
        ("what's near Amiens?", "commune", "80021", 30.0),
        ("Quoi de prévu près d'Amiens ?", "commune", "80021", 30.0),
        ("autour de Lens", "commune", "62498", 30.0),
        ("vers Lille", "commune", "59350", 30.0),
        ("around Calais", "commune", "62193", 30.0),
        ("événements à Lens", "commune", "62498", None),
        ("events in Lille", "commune", "59350", None),
        ("quoi de prévu à tours ?", "commune", "37261", None),
        ("à moins de 30 km de Lens", "commune", "62498", 30.0),
        ("dans un rayon de 20 km autour de Lille", "commune", "59350", 20.0),
        ("within 50 km of Amiens", "commune", "80021", 50.0),
        ("quoi de prévu dans le 62 en novembre ?", "department", "62", None),
        ("dans le Pas-de-Calais", "department", "62", None),
        ("en Hauts-de-France en octobre", "region", "32", None),
        ("ateliers en Bretagne", "region", "53", None),
        ("events in Brittany", "region", "53", None),
        ("in Normandy next month", "region", "28", None),
        ("rencontres à Nœux-les-Mines", "commune", "62617", None),
        ("quoi de prévu en mars ?", "none", None, None),  # a month, not the commune of Mars
        ("quoi de prévu ?", "none", None, None),
    ],
)
def test_places(text: str, kind: str, code: str | None, radius: float | None) -> None:
    shape = ask(text).to_json()
    assert (shape["place"]["kind"], shape["place"]["code"], shape["radius_km"]) == (
        kind,
        code,
        radius,
    )


def test_homonyms_are_offered_to_choose_from() -> None:
    where = ask("à Saint-Denis demain").where
    departments = [place.department for place in where.alternatives]
    assert where.place is not None
    assert where.place.department == departments[0]
    assert {"93", "974"} <= set(departments)


def test_an_unknown_name_gets_suggestions() -> None:
    where = ask("what's near Amienz?").where
    assert where.kind == "unknown"
    assert where.said == "Amienz"
    assert where.suggestions[0].name == "Amiens"
    assert ask("what's near Amienz?").to_json()["place"]["kind"] == "none"


def test_lower_case_words_are_not_misspelt_towns() -> None:
    query = ask("is there a workshop nearby?")
    assert query.where.kind == "none"
    assert query.where.suggestions == ()
    assert query.keywords == ("atelier",)


def test_a_shared_location_is_a_point_with_the_default_radius() -> None:
    shape = ask("", location=(50.43, 2.83)).to_json()
    assert shape["intent"] == "search"
    assert shape["place"] == {"kind": "point", "code": None, "name": None, "lat": 50.43,
                              "lon": 2.83}  # fmt: skip
    assert shape["radius_km"] == 30.0
    assert ask("à moins de 10 km", location=(50.43, 2.83)).radius_km == 10.0


def test_home_is_the_saved_place_or_asks_for_one() -> None:
    assert ask("quoi de prévu chez moi ?").where.kind == "home"
    amiens = default_resolver().resolve("Amiens").best
    assert amiens is not None
    where = ask("near me this weekend", home=amiens).where
    assert (where.kind, where.place, where.radius_km) == ("commune", amiens, 30.0)
    assert ask("autour de moi", home=(48.85, 2.35)).where.kind == "point"


@pytest.mark.parametrize(
    ("phrase", "name", "department"),
    [
        ("Amiens", "Amiens", "80"),
        ("Saint-Denis (93)", "Saint-Denis", "93"),
        ("62", "Pas-de-Calais", "62"),
        ("Brittany", "Bretagne", None),
    ],
)
def test_a_place_given_alone(phrase: str, name: str, department: str | None) -> None:
    where = read_place_phrase(phrase, default_resolver())
    assert where.place is not None
    assert (where.place.name, where.place.department) == (name, department)


def test_a_misspelt_place_given_alone_is_corrected_or_suggested() -> None:
    resolver = default_resolver()
    corrected = read_place_phrase("Amiens", resolver)
    assert not corrected.corrected
    unknown = read_place_phrase("Xyzzyville", resolver)
    assert unknown.kind in ("unknown", "commune")
    assert read_place_phrase("", resolver).kind == "none"


# Keywords, intents, languages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keywords"),
    [
        ("ciné-débats à Lens", ("ciné-débat",)),
        ("un cine debat ?", ("ciné-débat",)),
        ("des ateliers", ("atelier",)),
        ("workshops near Lille", ("atelier",)),
        ("webinaires en ligne", ("webinaire", "en ligne")),
        ("any webinar online?", ("webinaire", "en ligne")),
        ("conférences", ("conférence",)),
        ("tables rondes", ("table ronde",)),
        ("a round table", ("table ronde",)),
        ("en visio", ("en ligne",)),
        ("quoi de prévu ?", ()),
    ],
)
def test_keywords(text: str, keywords: tuple[str, ...]) -> None:
    assert ask(text).keywords == keywords


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Bonjour", "greeting"),
        ("hello!", "greeting"),
        ("Bonjour, quoi de prévu à Lens ?", "search"),
        ("merci !", "thanks"),
        ("thanks a lot", "thanks"),
        ("aide", "help"),
        ("help", "help"),
        ("?", "help"),
        ("comment ça marche ?", "help"),
        ("abonne-moi aux événements de Lens", "subscribe"),
        ("notify me of new events near Amiens", "subscribe"),
        ("quoi de prévu ?", "search"),
        ("upcoming events", "search"),
        ("ce week-end", "search"),
        ("asdkjh qwe", "unknown"),
        ("🎉🎉🎉", "unknown"),
        ("", "unknown"),
    ],
)
def test_intents(text: str, intent: str) -> None:
    assert ask(text).intent == intent


@pytest.mark.parametrize(
    ("text", "default", "lang"),
    [
        ("what's near Amiens?", "fr", "en"),
        ("Quoi de prévu près d'Amiens ?", "en", "fr"),
        ("Amiens", "en", "en"),
        ("Amiens", "fr", "fr"),
        ("events this weekend", "fr", "en"),
    ],
)
def test_language(text: str, default: str, lang: str) -> None:
    assert detect_lang(text, default) == lang  # type: ignore[arg-type]


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "x" * 4096,
        "Lens " * 900,
        "🎉" * 50,
        "<b>Lens</b> & co",
        "'; DROP TABLE events; --",
        "\x00\x01\u202e",
        "près de",
        "à moins de 99999 km de Lens",
    ],
)
def test_bad_input_is_read_without_error(text: str) -> None:
    query = ask(text)
    json.dumps(query.to_json())
    assert query.radius_km is None or 1 <= query.radius_km <= 300


def test_html_does_not_hide_the_place() -> None:
    assert ask("<b>Lens</b> & co").to_json()["place"]["code"] == "62498"


# Command line -------------------------------------------------------------------------------


def test_parse_prints_the_query_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    question = "quoi de prévu dans le 62 en novembre ?"
    assert main(["parse", question, "--now", "2016-09-20T10:00+02:00", "--json"]) == 0
    shape = json.loads(capsys.readouterr().out)
    assert shape == {
        "intent": "search",
        "place": {"kind": "department", "code": "62", "name": "Pas-de-Calais",
                  "lat": shape["place"]["lat"], "lon": shape["place"]["lon"]},
        "radius_km": None,
        "date_from": "2016-11-01",
        "date_to": "2016-11-30",
        "keywords": [],
        "lang": "fr",
    }  # fmt: skip
    assert 50 < shape["place"]["lat"] < 51


def test_parse_without_json_lists_homonyms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "à Saint-Denis", "--now", "2016-09-20T10:00"]) == 0
    out = capsys.readouterr().out
    assert "homonyms" in out
    assert "Saint-Denis (93)" in out


def test_parse_reads_now_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESSBOT_NOW", "2016-09-20T10:00:00+02:00")
    assert main(["parse", "demain", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["date_from"] == "2016-09-21"
