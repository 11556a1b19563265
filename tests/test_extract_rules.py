"""The extraction rules, one by one, on small texts beyond the seeds."""

from __future__ import annotations

import time as clock
from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essbot.extract import ExtractedEvent, extract
from essbot.extract.dates import find_dates
from essbot.extract.times import find_times

REF = date(2026, 1, 15)


def events(text: str, ref: date | None = REF) -> list[ExtractedEvent]:
    return list(extract(text, ref_date=ref).events)


def one(text: str, ref: date | None = REF) -> ExtractedEvent:
    found = events(text, ref)
    assert len(found) == 1, found
    return found[0]


# Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "month"),
    [
        ("Mardi 27 Septembre", 27, 9),
        ("jeudi 13 Octobre", 13, 10),
        ("Jeu**di 29 Septembre", 29, 9),
        ("le 1er mars", 1, 3),
        ("mardi 1er mars", 1, 3),
        ("21/06", 21, 6),
        ("le 8/11", 8, 11),
        ("26 juin 2013", 26, 6),
        ("lundi 21/06 (17h30-19h)", 21, 6),
        ("Wednesday 26 June", 26, 6),
        ("June 26, 2013", 26, 6),
        ("the 3rd of May", 3, 5),
        ("samedi 5 déc.", 5, 12),
    ],
)
def test_date_forms(text: str, day: int, month: int) -> None:
    from essbot.extract.text import clean

    (mention,) = find_dates(clean(text))
    assert (mention.day, mention.month) == (day, month)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("du 7 au 11 novembre", (7, 11), (11, 11)),
        ("du 30 mars au 2 avril", (30, 3), (2, 4)),
        ("les 12 et 13 septembre", (12, 9), (13, 9)),
        ("from 7 to 9 October", (7, 10), (9, 10)),
    ],
)
def test_date_ranges(text: str, first: tuple[int, int], last: tuple[int, int]) -> None:
    (mention,) = find_dates(text)
    assert (mention.day, mention.month) == first
    assert (mention.end_day, mention.end_month) == last


@pytest.mark.parametrize("text", ["Ouvert 24/7", "1/2 litre", "06 14 42 25 70", "20 ans", "B1-A"])
def test_numbers_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_a_range_gives_an_end_date() -> None:
    event = one("Semaine de l'ESS du 7 au 11 novembre 2025 à Lille.")
    assert (event.date, event.end_date) == (date(2025, 11, 7), date(2025, 11, 11))


def test_a_range_across_months_and_years() -> None:
    event = one("Festival du 30 décembre 2025 au 2 janvier à Nantes.")
    assert (event.date, event.end_date) == (date(2025, 12, 30), date(2026, 1, 2))


def test_demain_counts_from_the_document_date() -> None:
    text = "Le 3 mars 2025\nRéunion d'information demain mercredi à 18h à Arras."
    event = one(text)
    assert event.date == date(2025, 3, 4)
    assert event.start == time(18, 0)


def test_english_announcement() -> None:
    event = one("Social economy meetup on Wednesday 26 June 2024, 6pm-8pm at Lille.")
    assert event.date == date(2024, 6, 26)
    assert (event.start, event.end) == (time(18), time(20))
    assert event.town == "Lille"


# Times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("17h30-20h", time(17, 30), time(20)),
        ("de 14h à 17h", time(14), time(17)),
        ("14h-17h", time(14), time(17)),
        ("à 11h", time(11), None),
        ("9h30", time(9, 30), None),
        ("10h00", time(10), None),
        ("12h00 à 16h00", time(12), time(16)),
        ("de 10 à 12h00", time(10), time(12)),
        ("14:30", time(14, 30), None),
        ("2pm-4pm", time(14), time(16)),
    ],
)
def test_time_forms(text: str, start: time, end: time | None) -> None:
    (mention,) = find_times(text)
    assert (mention.begins, mention.ends) == (start, end)


def test_a_time_stated_once_applies_to_the_list_that_follows() -> None:
    text = (
        "Trois rencontres ESS 2025\n"
        "Format court 17h30-20h (17h30: Accueil / 18h: Début / 20h: fin)\n"
        "- Mardi 16 Septembre à Arras\n"
        "- Jeudi 18 Septembre à Lille\n"
        "- Mardi 23 Septembre à Douai de 9h à 12h\n"
    )
    found = events(text)
    assert [(e.town, e.start, e.end) for e in found] == [
        ("Arras", time(17, 30), time(20)),
        ("Lille", time(17, 30), time(20)),
        ("Douai", time(9), time(12)),  # its own times win
    ]


def test_a_timetable_gives_one_event_its_start_and_end() -> None:
    text = (
        "Forum régional de l'ESS\n"
        "Jeudi 12 juin 2025 - Amiens (Maison de la culture)\n"
        "Programme\n"
        "9h30 : Ouverture\n"
        "Accueil par le président\n"
        "10h45 ▶ 12h : Table ronde\n"
        "14h : Ateliers\n"
        "16h30 ▶ 17h : Clôture\n"
    )
    event = one(text)
    assert (event.start, event.end) == (time(9, 30), time(17))
    assert event.venue == "Maison de la culture"
    assert event.title == "Forum régional de l'ESS"


# Years ---------------------------------------------------------------------------------------


def test_the_year_in_the_title_dates_the_list() -> None:
    text = "Mois de l'ESS 2019\n- mardi 5 novembre : atelier à Lens\n- jeudi 7 novembre : débat à Arras"
    assert [e.date for e in events(text)] == [date(2019, 11, 5), date(2019, 11, 7)]
    assert all(e.year_inferred and e.warnings == () for e in events(text))


def test_the_publication_date_gives_the_year() -> None:
    text = "Le 8 février 2022\nUn atelier aura lieu mardi 1er mars à Caen."
    assert one(text).date == date(2022, 3, 1)


def test_the_weekday_chooses_among_the_years_the_text_mentions() -> None:
    # Wednesday 26 June fits 2013, 2019 and 2024; the text speaks of 2012 and 2013.
    text = (
        "Rencontres des collectivités\n"
        "Décidées lors de la rencontre du 30 mars 2012 et signées en 2013.\n"
        "La rencontre aura lieu le mercredi 26 juin à Paris."
    )
    assert one(text).date == date(2013, 6, 26)


def test_the_weekday_and_the_reference_date_when_the_text_has_no_year() -> None:
    event = one("Rendez-vous le jeudi 18 avril à 11h à Paris.", ref=date(2024, 3, 1))
    assert event.date == date(2024, 4, 18)
    assert event.year_inferred
    assert event.warnings == ()


def test_no_year_and_a_far_reference_date_is_flagged() -> None:
    event = one("Rendez-vous le jeudi 18 avril à 11h à Paris.", ref=date(2026, 11, 22))
    assert event.warnings == ("year_uncertain",)
    assert event.needs_review


def test_a_contradicting_weekday_is_kept_with_a_warning() -> None:
    text = "Mois de l'ESS 2024\n- mardi 19 décembre : clôture à Lens\n- mardi 5 novembre : ouverture à Lens"
    closing, opening = events(text)
    assert closing.date == date(2024, 12, 19)
    assert closing.warnings == ("weekday_mismatch",)
    assert opening.warnings == ()


def test_a_programme_crossing_new_year() -> None:
    text = (
        "Saison 2025\n- lundi 15 décembre : atelier à Lille\n- lundi 12 janvier : atelier à Lille"
    )
    assert [e.date for e in events(text)] == [date(2025, 12, 15), date(2026, 1, 12)]


# Places --------------------------------------------------------------------------------------


def test_venue_address_postcode_town_department() -> None:
    event = one(
        "- Mardi 27 Septembre 2016 à la Cité de la dentelle, 135 quai du Commerce 62100 CALAIS (62)"
    )
    assert (event.venue, event.address, event.postcode) == (
        "Cité de la dentelle",
        "135 quai du Commerce",
        "62100",
    )
    assert (event.town, event.insee, event.department) == ("Calais", "62193", "62")


def test_town_known_venue_to_be_announced() -> None:
    event = one(
        "Atelier le jeudi 24 février 2022 à Cherbourg en Cotentin (lieu à préciser ultérieurement)."
    )
    assert event.town == "Cherbourg-en-Cotentin"
    assert event.venue is None
    assert event.tbd_place


def test_a_venue_with_no_town_takes_the_document_town() -> None:
    text = (
        "Programme 2024 à Lens\n"
        "- mardi 5 novembre : débat au Toit Commun\n"
        "- jeudi 7 novembre : atelier rue Lavoisier à Lens\n"
    )
    first = events(text)[0]
    assert (first.venue, first.town) == ("Toit Commun", "Lens")


def test_a_venue_with_no_town_anywhere_stays_without_town() -> None:
    event = one("- mardi 5 novembre 2024 : débat au Toit Commun")
    assert event.venue == "Toit Commun"
    assert event.town is None
    assert event.insee is None


def test_paris_address_gives_the_arrondissement() -> None:
    event = one(
        "Lancement le jeudi 18 avril 2024 à 11h au Paris Event Center "
        "(20 Avenue de la Porte de la Villette, 75019 Paris :"
    )
    assert (event.venue, event.address, event.postcode) == (
        "Paris Event Center",
        "20 Avenue de la Porte de la Villette",
        "75019",
    )
    assert (event.town, event.insee, event.department) == ("Paris", "75119", "75")


@pytest.mark.parametrize(
    "text",
    [
        "Webinaire le mardi 4 mars 2025 à 14h",
        "Réunion en visio le 4 mars 2025 à 14h",
        "Atelier en ligne le 4 mars 2025 de 10h à 12h",
        "Online workshop on 4 March 2025 at 2pm",
    ],
)
def test_online_events(text: str) -> None:
    event = one(text)
    assert event.online
    assert not event.tbd_place


def test_ordinary_words_in_an_announcement_are_not_places() -> None:
    event = one("Rencontre le 3 mars 2025 vers 18h à Lens, salle du Port")
    assert event.town == "Lens"
    assert event.start == time(18)


# What is not an event ------------------------------------------------------------------------


def test_deadlines_and_past_references_are_not_events() -> None:
    text = (
        "Le 8 février 2022\n"
        "Consultation en ligne jusqu'au 25 avril. Approuvée lors de la rencontre du 30 mars 2012.\n"
        "La conférence aura lieu mardi 29 mars à Caen."
    )
    assert [e.date for e in events(text)] == [date(2022, 3, 29)]


def test_a_date_in_brackets_inside_an_item_is_not_another_event() -> None:
    text = "Mois de l'ESS 2024\n- samedi 23 novembre : festival à Avion, autour de la journée (25 novembre)"
    assert [e.date for e in events(text)] == [date(2024, 11, 23)]


def test_opening_hours_are_not_events() -> None:
    assert (
        events("La boutique est ouverte du lundi au vendredi de 9h à 18h, rue de Lille à Arras.")
        == []
    )


def test_items_with_dates_to_be_announced_are_undated() -> None:
    text = (
        "Programme 2024\n"
        "- mardi 5 novembre : débat à Lens\n"
        "Des initiatives en construction, avec des dates à préciser :\n"
        "- une rencontre after-work à Lens\n"
        "- un débat sur les migrations\n"
    )
    found = events(text)
    assert [e.date for e in found] == [date(2024, 11, 5), None, None]
    assert [e.title for e in found[1:]] == ["Rencontre after-work", "Débat sur les migrations"]
    assert not found[1].is_dated


# Titles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("- mardi 5 novembre 2024 : ciné-débat. Avec le film Bienveillance paysanne. Au Toit Commun",
         "Ciné-débat : Bienveillance paysanne"),
        ("- jeudi 7 novembre 2024 : la SCIC Cliss XXI fête ses 20 ans, dans les locaux de la CALL",
         "La SCIC Cliss XXI fête ses 20 ans"),
        ("Une conférence régionale aura lieu mardi 29 mars 2022 à Caen.", "Conférence régionale"),
    ],
)  # fmt: skip
def test_titles_from_the_event_s_own_words(text: str, title: str) -> None:
    assert one(text).title == title


def test_an_item_that_only_says_when_and_where_is_named_after_the_list() -> None:
    text = "L'ESS TOUR 2016\nPréparons ensemble : 2 rencontres près de chez vous !\n- Mardi 27 Septembre à Calais\n- Mercredi 28 Septembre à Lens"
    assert [e.title for e in events(text)] == [
        "Rencontre ESS Tour — Calais",
        "Rencontre ESS Tour — Lens",
    ]


def test_events_cite_their_line() -> None:
    text = (
        "Programme 2024\n\n- mardi 5 novembre : débat à Lens\n- jeudi 7 novembre : atelier à Arras"
    )
    assert [e.line for e in extract(text, ref_date=REF, source="prog.txt").events] == [3, 4]
    assert (
        extract(text, ref_date=REF, source="prog.txt").events[0].to_json()["source"] == "prog.txt:3"
    )


# Robustness ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_extracts_without_error(text: str) -> None:
    for event in extract(text, ref_date=REF).events:
        assert event.title


def test_a_100_kb_text_without_dates_extracts_in_bounded_time() -> None:
    words = "Les acteurs de l'économie sociale et solidaire se rencontrent à Lens et à Tours. "
    text = (words * (100_000 // len(words) + 1))[:100_000]
    started = clock.perf_counter()
    assert extract(text, ref_date=REF).events == ()
    assert clock.perf_counter() - started < 30  # a generous bound: only a hang fails this


def test_markup_and_html_in_text_are_kept_as_text() -> None:
    event = one("- mardi 5 novembre 2024 : <b>atelier</b> & débat au Toit Commun")
    assert "<b>" in event.title or event.title.startswith("<b>")


# Beyond the seeds: forms met in other regions' announcements ---------------------------------


def test_a_dated_line_with_times_then_a_colon_is_titled_by_what_follows() -> None:
    text = "La Bobine – tiers-lieu\nSamedi 7 mars 2026 de 10h à 13h : Marché des producteurs locaux"
    event = one(text)
    assert event.title == "Marché des producteurs locaux"
    assert (event.start, event.end) == (time(10), time(13))


@pytest.mark.parametrize(
    ("line", "town"),
    [
        (
            "- mer. 12 novembre 2025, 18h30 : Ciné-débat au cinéma Le Quai Dupleix, Quimper",
            "Quimper",
        ),
        (
            "- jeu. 20 novembre 2025 : Trophées de l'ESS, 18h, Couvent des Jacobins, Rennes",
            "Rennes",
        ),
        (
            "- mar. 13 janvier 2026 : Soirée de lancement, La Ruche, 24 rue de l'Est, Paris 20e",
            "Paris",
        ),
        ("- mar. 20 janvier 2026 : Apéro des coopératives, Lyon 7e (lieu à confirmer)", "Lyon"),
    ],
)
def test_a_town_set_apart_at_the_end_of_the_line(line: str, town: str) -> None:
    assert one(line).town == town


def test_a_person_named_like_a_town_is_not_the_place() -> None:
    event = one("- samedi 30 novembre 2024 : lecture autour du livre de Matthieu Lépine, débat")
    assert event.town is None


def test_a_weekday_heading_is_an_event_not_the_publication_date() -> None:
    text = (
        "Forum de l'ESS et de l'innovation sociale – Marseille\n\n"
        "Vendredi 6 février 2026\n"
        "Friche la Belle de Mai, 41 rue Jobin, 13003 Marseille\n\n"
        "Programme\n8h45 : Accueil café\n10h-12h : Ateliers\n16h30 : Clôture\n"
    )
    extraction = extract(text, ref_date=REF)
    assert extraction.published is None
    (event,) = extraction.events
    assert event.date == date(2026, 2, 6)
    assert (event.start, event.end) == (time(8, 45), time(16, 30))
    assert (event.venue, event.address, event.insee) == (
        "Friche la Belle de Mai",
        "41 rue Jobin",
        "13203",
    )


def test_a_programme_grouped_by_day() -> None:
    text = (
        "Mois de l'ESS 2025 en Occitanie\n\n"
        "Mardi 4 novembre\n"
        "- 9h30-12h : Atelier « Créer son association », Maison des associations, 31400 Toulouse\n"
        "- 18h : Ciné-débat « Animal », cinéma Utopia, Montpellier (34)\n\n"
        "Mercredi 5 novembre\n"
        "- 14h-17h : Visite du tiers-lieu La Fabrique, Perpignan (66)\n"
    )
    assert [(e.date, e.start, e.title, e.town) for e in events(text)] == [
        (date(2025, 11, 4), time(9, 30), "Atelier « Créer son association »", "Toulouse"),
        (date(2025, 11, 4), time(18), "Ciné-débat « Animal »", "Montpellier"),
        (date(2025, 11, 5), time(14), "Visite du tiers-lieu La Fabrique", "Perpignan"),
    ]


def test_a_december_newsletter_announces_january() -> None:
    text = (
        "Lettre de décembre\nPublié le 10 décembre 2025\n"
        "- jeudi 18 décembre : atelier à Nantes\n- mardi 13 janvier, 9h30 : petit-déjeuner ESS à Nantes\n"
    )
    assert [e.date for e in events(text)] == [date(2025, 12, 18), date(2026, 1, 13)]


def test_what_a_list_introduction_says_applies_to_its_items() -> None:
    text = (
        "Cycle de webinaires 2025\n"
        "Un cycle de 4 webinaires, le jeudi de 12h30 à 13h30, sur Zoom :\n"
        "- 16 octobre : les SCIC\n"
        "- 13 novembre : les PTCE\n"
        "\n"
        "Les Cafés de l'ESS, au Café associatif Le Grain de Sel, 5 rue Nationale, 37000 Tours :\n"
        "- 11 décembre : l'ESS et le logement\n"
    )
    webinar, _, cafe = events(text)
    assert webinar.online
    assert (webinar.start, webinar.end) == (time(12, 30), time(13, 30))
    assert (cafe.online, cafe.town, cafe.venue) == (
        False,
        "Tours",
        "Café associatif Le Grain de Sel",
    )
    assert (cafe.start, cafe.end) == (None, None)


def test_opening_hours_do_not_become_a_list_s_times() -> None:
    text = "La Maison 2025\nLa Maison est ouverte du lundi au vendredi, 9h-17h.\n- mardi 4 novembre : atelier compta à Lyon"
    assert one(text).start is None


def test_a_press_release_dateline_is_the_publication_date() -> None:
    text = (
        "COMMUNIQUÉ DE PRESSE\nVilleurbanne, le 3 octobre 2025\n"
        "Les Rencontres de l'ESS auront lieu le samedi 15 novembre à Villeurbanne."
    )
    extraction = extract(text, ref_date=REF)
    assert extraction.published == date(2025, 10, 3)
    assert [e.date for e in extraction.events] == [date(2025, 11, 15)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Clôture des candidatures : 3 octobre 2025.",
        "Réservez votre place d'ici le 3 octobre 2025.",
        "Register by 27 February 2026.",
        "Le 2 octobre 2025 dernier, plus de 150 personnes étaient réunies à Lyon.",
        "La rencontre a eu lieu le 2 octobre 2025 à Lyon.",
        "Le forum s'est tenu le 2 octobre 2025 à Lyon.",
    ],
)
def test_deadlines_and_past_events_are_not_events(sentence: str) -> None:
    assert events(f"Actualités\n{sentence}") == []


def test_abbreviated_weekdays() -> None:
    found = events(
        "Agenda 2026\n- mer. 8/04, 14h-16h30 : Permanence juridique à Nantes\n- Sam 11 avril : troc à Nantes"
    )
    assert [(e.date, e.title) for e in found] == [
        (date(2026, 4, 8), "Permanence juridique"),
        (date(2026, 4, 11), "Troc"),
    ]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Forum les 12-13 septembre 2025 à Lyon", date(2025, 9, 12), date(2025, 9, 13)),
        ("Summit on 24–25 November 2025 in Lyon", date(2025, 11, 24), date(2025, 11, 25)),
        ("Festival les 10, 11 et 12 octobre 2025 à Lyon", date(2025, 10, 10), date(2025, 10, 12)),
    ],
)
def test_more_ranges(text: str, first: date, last: date) -> None:
    event = one(text)
    assert (event.date, event.end_date) == (first, last)


def test_a_year_mentioned_in_passing_does_not_beat_the_weekday() -> None:
    text = "AG de l'union régionale\nComme lors de l'AG du 14 juin 2024, rendez-vous le vendredi 12 juin à 9h30 à Clermont-Ferrand."
    event = one(text, ref=date(2026, 5, 1))
    assert event.date == date(2026, 6, 12)
    assert event.warnings == ()


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("de 9h à 12h et de 14h à 17h", time(9), time(17)),
        ("de midi à 14h", time(12), time(14)),
        ("at 6 p.m.", time(18), None),
    ],
)
def test_more_time_forms(text: str, start: time, end: time | None) -> None:
    from essbot.extract.times import first_range

    assert first_range(find_times(text)) == (start, end)


def test_a_town_in_brackets_inside_a_venue_name_is_not_the_town() -> None:
    text = "SSE Forum 2025 in Bordeaux\n- Monday 6 October 2025, 6pm: Welcome reception at the City Hall (Palais Rohan)"
    event = events(text)[-1]
    assert event.insee != "56198"  # Rohan, in Brittany


@pytest.mark.parametrize(
    "line",
    ["- 23-25 rue Valentin Haüy, 69100 Villeurbanne", "place de la République, 69100 Villeurbanne"],
)
def test_more_addresses(line: str) -> None:
    from essbot.extract.places import read_place
    from essbot.geo.resolve import default_resolver

    reading = read_place(line, default_resolver())
    assert reading.address == line.lstrip("- ").split(",")[0]


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"le {d % 28 + 1}/{d % 12 + 1} à 10h" for d in range(3000)),
        " ".join("Lens Calais Amiens Roubaix" for _ in range(5000)),
        "- mardi 5 novembre 2024 : " + "14h-15h " * 5000,
    ],
)
def test_long_single_line_pastes_stay_fast(text: str) -> None:
    started = clock.perf_counter()
    extract(text, ref_date=REF)
    assert clock.perf_counter() - started < 30  # generous: only quadratic blow-ups fail this


@pytest.mark.parametrize(
    ("line", "title"),
    [
        (
            "- mer. 12 novembre 2025 : Ciné-débat « Les nouveaux pionniers » au cinéma Le Quai Dupleix, Quimper",
            "Ciné-débat « Les nouveaux pionniers »",
        ),
        (
            "- mer. 5 novembre 2025 : Matinée de l'entrepreneuriat social au Village by CA, Saint-Denis (974)",
            "Matinée de l'entrepreneuriat social",
        ),
        (
            "- jeu. 15 janvier 2026 : Coopérer avec les collectivités",
            "Coopérer avec les collectivités",
        ),
        (
            "- jeu. 15 janvier 2026 : Webinaire « Financer son projet, mode d'emploi »",
            "Webinaire « Financer son projet, mode d'emploi »",
        ),
    ],
)
def test_titles_leave_the_venue_out_and_keep_quotes_whole(line: str, title: str) -> None:
    assert one(line).title == title


def test_a_bare_kind_in_a_list_is_told_apart_by_its_town() -> None:
    text = "Les rendez-vous de l'ESS à Paris et Lyon – janvier 2026\n- ven. 23 janvier : Atelier à l'Hôtel de Région, 69002 Lyon"
    assert one(text).title == "Atelier — Lyon"


def test_a_locality_the_gazetteer_does_not_list_takes_its_postcode_s_commune() -> None:
    event = one("- mer. 5 novembre 2025 : Matinée, 15 rue de la Guadeloupe, 97490 Sainte-Clotilde")
    assert (event.postcode, event.town, event.insee) == ("97490", "Saint-Denis", "97411")
    assert event.warnings == ()


def test_a_social_media_post_with_pin_and_clock_lines() -> None:
    text = (
        "🎉 On vous attend nombreux·ses ce samedi 14 juin 2025 pour la fête de la Ressourcerie !! 🎉\n"
        "📍 La Ressourcerie du Pays Bigouden, ZA de Kerlavéo, Pont-l'Abbé\n"
        "🕙 de 10h à 18h\n"
        "Entrée libre !"
    )
    event = one(text)
    assert event.title == "Fête de la Ressourcerie"
    assert (event.date, event.start, event.end) == (date(2025, 6, 14), time(10), time(18))
    assert event.town == "Pont-l'Abbé"


def test_the_words_after_the_date_name_the_event_when_those_before_do_not() -> None:
    text = (
        "Retour sur la Rencontre régionale des tiers-lieux\n"
        "Le 2 octobre 2025 dernier, plus de 150 personnes se sont réunies à Saint-Étienne.\n"
        "Prochain rendez-vous : jeudi 4 décembre 2025 à 17h30, en visio, pour la restitution des ateliers."
    )
    event = one(text)
    assert (event.title, event.date, event.start, event.online) == (
        "Restitution des ateliers",
        date(2025, 12, 4),
        time(17, 30),
        True,
    )


def test_save_the_date_with_a_town_and_a_range() -> None:
    text = (
        "SAVE THE DATE – ESS Pact Europe Summit\n"
        "Strasbourg, 24–25 November 2025\n"
        "European Parliament, Louise Weiss building, 1 Allée du Printemps, 67000 Strasbourg\n"
    )
    extraction = extract(text, ref_date=REF)
    assert extraction.published is None
    (event,) = extraction.events
    assert (event.title, event.date, event.end_date) == (
        "ESS Pact Europe Summit",
        date(2025, 11, 24),
        date(2025, 11, 25),
    )
    assert (event.address, event.postcode, event.town) == (
        "1 Allée du Printemps",
        "67000",
        "Strasbourg",
    )


# Postponed, cancelled, invitations, inline lists, homonyms in context --------------------------


def test_a_postponed_event_keeps_only_its_new_date() -> None:
    text = "Atelier « Monter une SCIC »\nL'atelier prévu le 3 février 2026 est reporté au mardi 17 février 2026, de 14h à 17h, à la Maison de l'ESS, 4 rue Jean Jaurès, 35000 Rennes."
    event = one(text)
    assert event.date == date(2026, 2, 17)
    assert (event.start, event.end, event.town) == (time(14), time(17), "Rennes")


def test_a_postponed_item_takes_its_new_date() -> None:
    assert one(
        "Agenda 2026\n- 14/01/2026 : Atelier compta à Lyon — reporté au 28/01/2026"
    ).date == date(2026, 1, 28)


def test_cancelled_items_are_not_events() -> None:
    text = "Agenda 2026\n- Mardi 31 mars : Atelier « Mesurer son impact » — ANNULÉ\n- Jeudi 2 avril : Atelier compta à Lyon"
    assert [e.date for e in events(text)] == [date(2026, 4, 2)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Submissions close on 31 March 2026.",
        "Registration opens on 15 April 2026.",
        "Le webinaire initialement prévu le 22 janvier 2026 aura lieu en ligne.",
    ],
)
def test_more_dates_that_announce_nothing(sentence: str) -> None:
    assert events(f"News\n{sentence}") == []


def test_an_invitation_is_named_after_the_event_not_the_host() -> None:
    text = (
        "Ghjurnata di l'ESS – Journée corse de l'économie sociale et solidaire\n"
        "La CRESS Corse vous donne rendez-vous le mardi 24 mars 2026 à Corte, de 9h à 16h30."
    )
    assert (
        one(text).title == "Ghjurnata di l'ESS – Journée corse de l'économie sociale et solidaire"
    )
    press = "Communiqué\nLa Ville organise la première édition de ses Rencontres de l'ESS le samedi 15 novembre 2025 à Villeurbanne."
    assert one(press).title == "Rencontres de l'ESS"


def test_an_inline_list_with_times_said_once_and_a_homonym_in_context() -> None:
    text = (
        "Mois de l'ESS dans le Haut-Jura\n"
        "La CRESS organise trois cafés-rencontres : le mardi 4 novembre 2025 à Saint-Claude, "
        "le jeudi 13 novembre à Champagnole et le mardi 25 novembre à Hauts de Bienne (Morez), "
        "chaque fois de 18h à 20h."
    )
    found = events(text)
    assert [(e.title, e.insee, e.start, e.end) for e in found] == [
        ("Café-rencontre — Saint-Claude", "39478", time(18), time(20)),
        ("Café-rencontre — Champagnole", "39097", time(18), time(20)),
        ("Café-rencontre — Hauts de Bienne", "39368", time(18), time(20)),
    ]
    assert found[2].venue is None  # "(Morez)" is a former commune, not a venue


def test_a_place_before_the_date_in_the_sentence() -> None:
    event = one(
        "CRESS Grand Est\nLes Universités de l'ESS se tiendront à Reims les 11 et 12 juin 2026."
    )
    assert (event.title, event.town, event.end_date) == (
        "Universités de l'ESS",
        "Reims",
        date(2026, 6, 12),
    )


def test_a_day_of_a_festival_is_not_another_event_but_an_inauguration_is() -> None:
    festival = (
        "Festival Alternatiba 2026\nDu vendredi 12 au dimanche 14 juin 2026, esplanade Roland-Barthes, 64100 Bayonne.\n"
        "Samedi 13 juin\n10h : Village des alternatives\n20h : Concert\n"
    )
    (event,) = events(festival)
    assert (event.date, event.end_date, event.address) == (
        date(2026, 6, 12),
        date(2026, 6, 14),
        "esplanade Roland-Barthes",
    )
    market = (
        "Marché de Noël solidaire de Mulhouse\n"
        "Le marché aura lieu place de la Réunion à Mulhouse du 27 novembre au 24 décembre 2025.\n"
        "Inauguration le jeudi 27 novembre à 18h, en présence des élus."
    )
    assert [(e.date, e.end_date, e.start) for e in events(market)] == [
        (date(2025, 11, 27), date(2025, 12, 24), None),
        (date(2025, 11, 27), None, time(18)),
    ]


def test_quotes_and_shouting_in_titles() -> None:
    item = one(
        "AMAP du Gers 2026\n- samedi 7 mars : formation « Gérer les contrats en ligne » à Auch"
    )
    assert not item.online
    shouted = one(
        "♻️ GRANDE BRADERIE DE PRINTEMPS ♻️\nLa Ressourcerie vous ouvre ses portes le samedi 18 avril 2026 à Colmar."
    )
    assert shouted.title == "Grande braderie de printemps"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("à partir de 19 heures", time(19), None),
        ("de 18 heures 30 à 20 heures", time(18, 30), time(20)),
        ("pendant 2 heures", None, None),
    ],
)
def test_hours_written_in_words(text: str, start: time | None, end: time | None) -> None:
    from essbot.extract.times import first_range

    assert first_range(find_times(text)) == (start, end)


@pytest.mark.parametrize(
    ("text", "day"), [("le 12.03.2026", date(2026, 3, 12)), ("le 12-03-2026", date(2026, 3, 12))]
)
def test_numeric_dates_with_dots_or_dashes_and_a_year(text: str, day: date) -> None:
    (mention,) = find_dates(text)
    assert (mention.year, mention.month, mention.day) == (day.year, day.month, day.day)


@pytest.mark.parametrize("text", ["version 1.2.3", "pi vaut 3.14", "les chapitres 2-3"])
def test_version_numbers_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


# Dash-separated agendas, day programmes, datelines and more ------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "town", "times"),
    [
        (
            "Agenda 2025\n• 12/06 – Rencontre des SIAE – 14h – Mairie de Morne-à-l'Eau",
            "Rencontre des SIAE",
            "Morne-à-l'Eau",
            (time(14), None),
        ),
        (
            "Agenda 2025\nLundi 3 novembre – 9h00/12h00 – Ouverture officielle, Saint-Denis (974)",
            "Ouverture officielle",
            "Saint-Denis",
            (time(9), time(12)),
        ),
        (
            "Agenda 2025\nSAMEDI 22/03 - 10H/17H - braderie à Quimperlé",
            "Braderie — Quimperlé",
            "Quimperlé",
            (time(10), time(17)),
        ),
        (
            "Agenda 2025\nDu 28 novembre au 2 décembre : Salon solidaire, Parc des Expositions de Mulhouse, de 10h à 19h.",
            "Salon solidaire",
            "Mulhouse",
            (time(10), time(19)),
        ),
    ],
)
def test_dash_separated_agenda_lines(
    text: str, title: str, town: str, times: tuple[time | None, time | None]
) -> None:
    event = one(text, ref=date(2025, 3, 1))
    assert (event.title, event.town, (event.start, event.end)) == (title, town, times)


def test_a_day_programme_with_a_town_on_each_line() -> None:
    text = "Mois de l'ESS\n\nJEUDI 6 NOVEMBRE\n9h30 – Petit-déjeuner, Maison de l'ESS, Poitiers\n14h – Visite de la recyclerie, Buxerolles\n"
    assert [(e.start, e.town) for e in events(text, ref=date(2025, 10, 30))] == [
        (time(9, 30), "Poitiers"),
        (time(14), "Buxerolles"),
    ]


def test_a_dated_line_then_a_list_of_towns() -> None:
    text = "Le bus de l'ESS\nLe mardi 18 novembre, le bus fera étape dans trois communes :\n- Auch\n- Condom (après-midi, halle du marché)\n- Lectoure"
    assert [e.town for e in events(text, ref=date(2025, 10, 1))] == ["Auch", "Condom", "Lectoure"]


def test_a_past_date_in_the_sentence_does_not_lend_its_town() -> None:
    text = "CRESS Centre\nAprès la première édition, le 14 octobre 2023 à Tours, la CRESS vous donne rendez-vous le samedi 12 octobre 2024 à la Halle aux grains de Blois."
    event = one(text, ref=date(2024, 9, 2))
    assert (event.date, event.town, event.venue) == (
        date(2024, 10, 12),
        "Blois",
        "Halle aux grains de Blois",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Appel à projets\nDate limite de dépôt des dossiers : 30 septembre 2025 à minuit.",
        "Call\nNotification of acceptance: 28 February 2025",
    ],
)
def test_long_deadline_labels(text: str) -> None:
    assert events(text, ref=date(2024, 11, 15)) == []


def test_a_publication_line_with_a_weekday_is_no_event() -> None:
    extraction = extract(
        "Publié le mercredi 12 novembre 2025\n\nForum le 20 novembre à Lyon.", ref_date=REF
    )
    assert extraction.published == date(2025, 11, 12)
    assert [e.date for e in extraction.events] == [date(2025, 11, 20)]


def test_an_event_of_its_own_date_after_du() -> None:
    event = one(
        "Café-ESS\nLe café-ESS du jeudi 22 mai à Montrésor est maintenu : rendez-vous à 9h30.",
        ref=date(2025, 5, 5),
    )
    assert (event.date, event.town, event.start) == (date(2025, 5, 22), "Montrésor", time(9, 30))


def test_a_postponed_event_s_new_date_with_a_long_sentence() -> None:
    text = "URSCOP\n⚠️ Report : l'Assemblée générale initialement prévue le vendredi 13 février est reportée au vendredi 20 mars 2026, à 9h30, à Villeurbanne."
    assert [(e.date, e.start) for e in events(text)] == [(date(2026, 3, 20), time(9, 30))]


def test_what_returns_is_the_event_and_a_street_is_no_title() -> None:
    text = "Marché de Noël solidaire de Mulhouse\nLe Marché de Noël solidaire revient place de la Réunion à Mulhouse du 27 novembre au 24 décembre 2025."
    assert one(text).title == "Marché de Noël solidaire"  # not "Réunion", the street
    school = one(
        "La Semaine de l'ESS à l'École revient du 16 au 21 mars 2026 !\nInscrivez vos classes."
    )
    assert school.title == "Semaine de l'ESS"


def test_a_subtitle_after_a_comma_is_no_place() -> None:
    text = "Cycle de webinaires 2025\n1. Jeudi 16 octobre : Les SCIC, mode d'emploi\n2. Jeudi 13 novembre : Les PTCE, 10 ans après"
    assert [e.title for e in events(text)] == ["Les SCIC", "Les PTCE"]


def test_save_the_date_then_a_date_and_town_line_then_the_title() -> None:
    text = "SAVE THE DATE\nJeudi 4 décembre – Dijon\nLes Rencontres de l'ESS en Bourgogne-Franche-Comté\n\nBloquez la date !"
    extraction = extract(text, ref_date=date(2025, 9, 1))
    assert extraction.title == "Les Rencontres de l'ESS en Bourgogne-Franche-Comté"
    (event,) = extraction.events
    assert (event.title, event.date, event.town) == (extraction.title, date(2025, 12, 4), "Dijon")


def test_a_dated_first_line_that_names_the_event_is_the_title() -> None:
    extraction = extract(
        "12 mars 2026 – Journée régionale des tiers-lieux\nÀ Dole, de 9h à 17h30.", ref_date=REF
    )
    assert extraction.title == "12 mars 2026 – Journée régionale des tiers-lieux"


def test_an_exclamation_then_the_details_in_the_next_sentence() -> None:
    text = (
        "Publié le mercredi 12 novembre 2025\n\n"
        "📣 C'est demain jeudi ! Dernière ligne droite pour la Nuit de l'ESS à Clermont-Ferrand : "
        "rendez-vous à 19h à la Coopérative de Mai, rue Serge Gainsbourg. Concerts et stands."
    )
    event = one(text)
    assert (event.date, event.start, event.town) == (
        date(2025, 11, 13),
        time(19),
        "Clermont-Ferrand",
    )
    assert event.title == "Nuit de l'ESS"


def test_an_inline_list_takes_what_its_introduction_says() -> None:
    text = (
        "Cycle de webinaires « Gouvernance coopérative » – URSCOP Occitanie\n\n"
        "Tous les webinaires ont lieu en visio (Zoom), de 12h30 à 13h30.\n\n"
        "Au programme : le mardi 3 mars, « Les statuts de SCIC » ; le mardi 10 mars, « Animer un conseil d'administration »."
    )
    found = events(text, ref=date(2026, 2, 1))
    assert [(e.date, e.start, e.end, e.online) for e in found] == [
        (date(2026, 3, 3), time(12, 30), time(13, 30), True),
        (date(2026, 3, 10), time(12, 30), time(13, 30), True),
    ]


def test_a_region_in_the_host_s_name_is_not_the_town_of_the_venue() -> None:
    text = "Mois de l'ESS en Bretagne\n\nLa CRESS Bretagne vous invite.\n- Samedi 22 novembre 2025 : atelier au Garage Solidaire"
    event = one(text)
    assert (event.venue, event.town) == ("Garage Solidaire", None)


@pytest.mark.parametrize(
    "text",
    [
        "Appel à candidatures 2025\n- 11 mars : ouverture des candidatures\n- 19 avril : clôture des candidatures",
        "Vacances\nNos bureaux seront fermés le 21 avril.",
        "Merci de votre lecture.\nEnvoyé le 13/03/2024 depuis notre outil de lettres",
    ],
)
def test_steps_of_a_call_and_closures_are_not_events(text: str) -> None:
    assert events(text, ref=date(2025, 2, 1)) == []


@pytest.mark.parametrize(
    ("line", "town", "venue"),
    [
        ("- 27/03/2025 – Forum emploi ESS, 10h-16h, Maubeuge, La Luna", "Maubeuge", None),
        (
            "- MER 13/11/2024 ▸ 9h-12h ▸ Permanence ▸ Muret, Espace Jean Bernard",
            "Muret",
            "Espace Jean Bernard",
        ),
        (
            "- 5 juin 2025 : atelier (14h-16h, Maison de l'ESS, Châtellerault)",
            "Châtellerault",
            None,
        ),
        (
            "- 7 juin 2025 : troc de graines au Jardin des possibles, Apt",
            "Apt",
            "Jardin des possibles",
        ),
    ],
)
def test_more_separators_and_venues(line: str, town: str, venue: str | None) -> None:
    event = one(line, ref=date(2024, 10, 1))
    assert event.town == town
    if venue:
        assert event.venue == venue


def test_an_agenda_of_dated_lines_under_an_event_title() -> None:
    text = (
        "[LYON] Semaine de la finance solidaire 2024\n\n"
        "Lun 4/11 · 18h30-20h30 · Soirée de lancement · Hôtel de Région, 69002 Lyon\n"
        "Jeu 7/11 · 19h · Ciné-débat « Demain » · Cinéma Comoedia, Lyon 7e\n"
    )
    found = events(text, ref=date(2024, 10, 1))
    assert [(e.date, e.start, e.title, e.town) for e in found] == [
        (date(2024, 11, 4), time(18, 30), "Soirée de lancement", "Lyon"),
        (date(2024, 11, 7), time(19), "Ciné-débat « Demain »", "Lyon"),  # « Demain » is a film
    ]


def test_the_place_line_under_an_item() -> None:
    text = (
        "AGENDA DES ECOSSOLIES – OCTOBRE 2024\n\n"
        "▸ Jeu. 3 oct. | 9h00-12h30 | Atelier « Bien démarrer sa comptabilité »\n"
        "Le Solilab, 8 rue de Saint-Domingue, 44200 Nantes\n\n"
        "▸ Mar. 8 oct. | 18h30 | Apéro-réseau des entrepreneur·es de l'ESS\n"
        "La Cantine du Voyage, Parc des Chantiers, Nantes\n\n"
        "Renseignements : Ecossolies, antenne de Saint-Nazaire.\n"
    )
    found = events(text, ref=date(2024, 9, 20))
    assert [(e.date, e.town, e.postcode) for e in found] == [
        (date(2024, 10, 3), "Nantes", "44200"),
        (date(2024, 10, 8), "Nantes", None),
    ]


def test_the_days_of_a_two_day_meeting_are_its_programme() -> None:
    text = (
        "GUYANE – Rencontres de l'ESS amazonienne\nCayenne, le 10 février 2025\n\n"
        "Les partenaires vous convient aux Rencontres de l'ESS amazonienne, les 13 et 14 mars 2025 à Cayenne.\n\n"
        "Programme :\nJeudi 13 mars – 8h30 : accueil ; 9h-12h : plénière\n"
        "Vendredi 14 mars – 9h-12h : visites de terrain à Matoury ; 15h : clôture\n"
    )
    (event,) = events(text)
    assert (event.date, event.end_date, event.town) == (
        date(2025, 3, 13),
        date(2025, 3, 14),
        "Cayenne",
    )


def test_a_period_in_the_title_is_the_programme_s_not_an_event() -> None:
    text = (
        "Mois de l'ESS 2024 en Haute-Garonne (31) — sélection de la semaine du 12 au 16 novembre\n\n"
        "MAR 12/11 ▸ 14:00 > 16:00 ▸ Atelier « Coopératives d'activité » ▸ Toulouse, Maison de l'Économie Solidaire\n"
        "MER 13/11 ▸ 9h-12h ▸ Permanence juridique ▸ Muret, Espace Jean Bernard\n"
    )
    found = events(text, ref=date(2024, 11, 1))
    assert [(e.date, e.town) for e in found] == [
        (date(2024, 11, 12), "Toulouse"),
        (date(2024, 11, 13), "Muret"),
    ]


# Review fixes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Agenda 2025\nAssemblée générale mardi 18 mars à Lille.", "Assemblée générale"),
        ("Agenda 2025\nRéunion mardi 18 mars à Lille.", "Réunion — Lille"),
        ("Agenda 2025\nPortes ouvertes à la ferme le 12 avril à Lille.", "Portes ouvertes"),
    ],
)
def test_titles_keep_their_word_endings(text: str, title: str) -> None:
    assert one(text).title == title


@pytest.mark.parametrize(
    "text",
    [
        "Agenda\nAtelier gratuit sur inscription, le 12 avril 2025 à Lille.",
        "Agenda\nSortie nature le 12 avril 2025 à Lille ; en cas de pluie, la sortie sera annulée.",
    ],
)
def test_registration_words_and_conditional_cancellations_keep_the_event(text: str) -> None:
    assert one(text).date == date(2025, 4, 12)


def test_a_range_whose_year_is_written_at_its_end() -> None:
    event = one("Festival du 30 décembre au 2 janvier 2026 à Nantes.")
    assert (event.date, event.end_date) == (date(2025, 12, 30), date(2026, 1, 2))


def test_the_same_event_on_separate_days() -> None:
    found = events("Ateliers 2025\n- les 5, 12 et 19 mars : atelier couture à Lille")
    assert [(e.date, e.end_date) for e in found] == [
        (date(2025, 3, 5), None),
        (date(2025, 3, 12), None),
        (date(2025, 3, 19), None),
    ]


def test_french_months_are_not_read_as_english_dates() -> None:
    assert find_dates("En juin 12 structures se sont réunies") == []


def test_a_numeric_date_opening_a_line_is_no_numbered_item() -> None:
    assert one("Agenda\n12.03.2025 : Atelier à Lille").date == date(2025, 3, 12)


def test_an_evening_that_ends_after_midnight() -> None:
    event = one("Soirée solidaire le 12 mars de 21h à 1h à Lille.")
    assert (event.start, event.end) == (time(21), time(1))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Atelier le 3 mars de 8 heures à 12 heures à Arras.", time(8), time(12)),
        ("Formation le 3 mars à Arras, en 2 heures, à 14h.", time(14), None),
        ("Formation le 3 mars à Arras pendant 3 heures.", None, None),
    ],
)
def test_hours_after_de_are_times_and_after_en_a_duration(
    text: str, start: time | None, end: time | None
) -> None:
    event = one(text)
    assert (event.start, event.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    ["Forum le 5 mars à Lens. 20000 Visiteurs attendus.", "Forum le 5 mars à Lens : 15000 Euros."],
)
def test_a_five_digit_number_before_a_word_is_no_postcode(text: str) -> None:
    event = one(text)  # not Ajaccio (20000), nor a town served by 15000
    assert (event.town, event.department) == ("Lens", "62")


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Réservation par mail. Rencontre le 9 mars à Amiens.", None),
        ("Rencontre le 9 mars, 3 avenue de Lahr, Amiens.", "3 avenue de Lahr"),
        ("Rencontre le 9 mars, boulevard Gambetta, Amiens.", "boulevard Gambetta"),
    ],
)
def test_a_lower_case_street_word_needs_a_name(text: str, address: str | None) -> None:
    assert one(text).address == address


def test_a_bare_place_to_be_confirmed_stops_at_its_punctuation() -> None:
    event = one("Rencontre le 9 mars à Amiens, lieu à confirmer, de 14h à 16h.")
    assert (event.town, event.tbd_place, event.start) == ("Amiens", True, time(14))


def test_an_online_event_stays_beside_a_list_of_towns_on_its_day() -> None:
    found = events(
        "Le 9 mars : webinaire de lancement à 10h.\n"
        "Des ateliers auront lieu le 9 mars à :\n- Lille\n- Arras\n- Douai"
    )
    webinars = [event for event in found if event.online]
    assert [(e.title, e.town, e.start) for e in webinars] == [
        ("Webinaire de lancement", None, time(10))
    ]
    assert {event.town for event in found if not event.online} == {"Lille", "Arras", "Douai"}


def test_a_webinar_and_a_meeting_in_a_town_on_one_day_are_two_events() -> None:
    found = events(
        "Le 9 mars : webinaire de lancement à 10h.\nLe 9 mars : atelier compta de 14h à 16h à Lille."
    )
    assert [(e.title, e.town, e.online, e.start) for e in found] == [
        ("Webinaire de lancement", None, True, time(10)),
        ("Atelier compta", "Lille", False, time(14)),
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Le 9 mars : atelier compta de 10h à 12h à Lille.", "Atelier compta"),
        ("Le 9 mars : atelier compta dès 9 heures, Lille.", "Atelier compta"),
        (
            "La formation « Gouvernance » se déroulera le 9 mars de 9h à 12h à Lille.",
            "Formation « Gouvernance »",
        ),
    ],
)
def test_times_and_verbs_end_a_title(text: str, title: str) -> None:
    assert one(text).title == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Forum de l'ESS, jeudi 12 mars de 9h à 17h\nHalle aux sucres, Dunkerque",
            "Forum de l'ESS",
        ),
        ("Dijon, jeudi 12 mars de 9h à 17h", "Événement — Dijon"),
    ],
)
def test_a_dated_line_is_named_by_its_words_before_the_date(text: str, title: str) -> None:
    assert one(text).title == title


@pytest.mark.parametrize(
    "second",
    [
        "Repair café le 24 mars, même heure, même lieu.",
        "Repair café le 24 mars, mêmes lieu et horaires.",
        "Repair café on 24 March, same time, same place.",
    ],
)
def test_same_time_same_place_refer_to_the_event_before(second: str) -> None:
    first, following = events(
        f"Atelier compostage le 23 mars à Lille, Maison de quartier, de 14h à 16h.\n{second}"
    )
    assert (following.date, following.town, following.venue) == (
        date(2026, 3, 24),
        "Lille",
        first.venue,
    )
    assert (following.start, following.end) == (time(14), time(16))


def test_same_time_keeps_the_event_s_own_place() -> None:
    _, following = events(
        "Atelier le 23 mars à Lille de 14h à 16h.\nRepair café le 24 mars à Roubaix, même heure."
    )
    assert (following.town, following.start, following.end) == ("Roubaix", time(14), time(16))


def test_a_reference_to_the_event_before_is_neither_venue_nor_title() -> None:
    first, following = events(
        "Marché solidaire le 9 mars à Reims, Halles du Boulingrin, de 10h à 19h.\n"
        "Nocturne le 8 mars, 17h-21h, AU MÊME ENDROIT.\n"
        "Et notez déjà le prochain : jeudi 11 avril, même heure."
    )[:2]
    assert (
        (following.venue, following.town)
        == (first.venue, "Reims")
        == ("Halles du Boulingrin", "Reims")
    )
    last = events(
        "Café ESS le 14 mars, de 8h30 à 10h, à Besançon.\n\n"
        "Et notez déjà le prochain : jeudi 11 avril, même heure, même lieu."
    )[-1]
    assert "même" not in last.title.lower()
    assert (last.start, last.town) == (time(8, 30), "Besançon")


def test_a_lieu_ends_a_title() -> None:
    assert one("Le Café ESS a lieu le 14 mars à Besançon.").title == "Café ESS"


@pytest.mark.parametrize(
    ("place_line", "venue"),
    [
        ("Le Solilab, 8 rue de Saint-Domingue, 44200 Nantes", "Le Solilab"),
        ("Le Solilab, 44200 Nantes", "Le Solilab"),
        ("La Cantine du Voyage, Parc des Chantiers, Nantes", "La Cantine du Voyage"),
        ("Nantes Métropole, 8 rue de Saint-Domingue, 44200 Nantes", None),
        ("Rendez-vous devant la gare, 2 rue des Halles, Nantes", None),
    ],
)
def test_a_name_in_capitals_before_the_address_is_the_venue(
    place_line: str, venue: str | None
) -> None:
    event = one(f"- Jeu. 3 mars | 9h00-12h30 | Atelier « Bien démarrer »\n{place_line}")
    assert (event.town, event.venue) == ("Nantes", venue)


def test_an_event_s_name_before_its_venue_is_not_the_venue() -> None:
    event = one(
        "Du 3 au 5 mars : Salon des Initiatives Solidaires, Parc des Expositions de Mulhouse, "
        "de 10h à 19h."
    )
    assert (event.town, event.title) == ("Mulhouse", "Salon des Initiatives Solidaires")
    assert event.venue != "Salon des Initiatives Solidaires"


@pytest.mark.parametrize(
    "text",
    [
        "SAM 14/03 ▸ toute la journée ▸ Foire aux initiatives locales ▸ Colomiers",
        "Samedi 14 mars – en soirée – Foire aux initiatives locales – Colomiers",
        "Samedi 14 mars, all day, Foire aux initiatives locales, Colomiers",
    ],
)
def test_a_part_of_the_day_is_no_title(text: str) -> None:
    event = one(text)
    assert (event.title, event.town) == ("Foire aux initiatives locales", "Colomiers")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Et dimanche 2/06 balade botanique, départ 9h du parking de Rustrel.", "Balade botanique"),
        ("Puis le 5 juin, atelier vélo à Apt.", "Atelier vélo"),
        ("And on 5 June, repair workshop in Apt.", "Repair workshop"),
    ],
)
def test_a_connective_before_the_date_is_no_title(text: str, title: str) -> None:
    assert one(text).title == title


def test_the_sentence_that_leads_into_a_dated_line_names_its_event() -> None:
    event = one(
        "MUTUELLE SOLIDAIRE DU BERRY\n\n"
        "Vous êtes convoqué(e) à l'Assemblée Générale ordinaire de la Mutuelle, qui se tiendra le\n\n"
        "SAMEDI 13 JUIN 2026 À 9 H 30\n"
        "Salle Barbillat-Touraine, 2 place de la République, 36000 Châteauroux"
    )
    assert (event.title, event.start, event.town) == (
        "Assemblée Générale ordinaire de la Mutuelle",
        time(9, 30),
        "Châteauroux",
    )


def test_a_line_under_a_when_and_where_heading_says_what() -> None:
    found = events(
        "MOIS DE L'ESS – PROGRAMME ARIÈGE (09)\n\n"
        "Jeudi 12 mars – Pamiers\n"
        "Forum « Jeunes et ESS » au lycée Pierre Bayle, 9h30-16h\n\n"
        "Samedi 14 mars – Foix\n\n"
        "La CRESS vous attend nombreux."
    )
    forum, other = found
    assert (forum.title, forum.town, forum.venue, forum.start, forum.end) == (
        "Forum « Jeunes et ESS »",
        "Pamiers",
        "lycée Pierre Bayle",
        time(9, 30),
        time(16),
    )
    assert (other.date, other.town, other.start) == (date(2026, 3, 14), "Foix", None)


def test_a_postponed_event_is_named_by_the_subject_of_its_sentence() -> None:
    event = one(
        "Le Forum de l'ESS de la Vienne, initialement prévu le jeudi 18 juin à Poitiers, est "
        "reporté au jeudi 24 septembre (9h-17h, 1 rue Salvador Allende, 86000 Poitiers)."
    )
    assert (event.date, event.title, event.town, event.start) == (
        date(2026, 9, 24),
        "Forum de l'ESS de la Vienne",
        "Poitiers",
        time(9),
    )


def test_a_postponed_event_after_a_label_is_named_and_keeps_its_online_form() -> None:
    event = one(
        "À noter : le webinaire « Fonds européens pour l'ESS » initialement prévu le 22 janvier "
        "est reporté au jeudi 5 février, de 11h à 12h."
    )
    assert (event.title, event.date, event.online, event.start) == (
        "Webinaire « Fonds européens pour l'ESS »",
        date(2026, 2, 5),
        True,
        time(11),
    )


@pytest.mark.parametrize(
    ("text", "begins", "ends"),
    [
        ("18.30 Uhr", time(18, 30), None),
        ("9 Uhr", time(9), None),
        ("18.30–20.00 Uhr", time(18, 30), time(20)),
        ("at 6.30pm", time(18, 30), None),
    ],
)
def test_german_and_dotted_english_times(text: str, begins: time, ends: time | None) -> None:
    (mention,) = find_times(text)
    assert (mention.begins, mention.ends) == (begins, ends)


@pytest.mark.parametrize("text", ["le 12.03.2024", "14.5 km", "10.30", "version 2.10"])
def test_a_dot_alone_makes_no_time(text: str) -> None:
    assert find_times(text) == ()


def test_a_time_line_then_a_place_line_under_a_dated_heading() -> None:
    first, second = events(
        "MARCHÉ DE NOËL SOLIDAIRE\n"
        "SAMEDI 12 ET DIMANCHE 13 DÉCEMBRE 2026\n"
        "DE 10H À 19H\n"
        "HALLES DU BOULINGRIN – REIMS\n\n"
        "+ NOCTURNE VENDREDI 11 DÉCEMBRE, 17H-21H, AU MÊME ENDROIT"
    )
    assert (first.date, first.end_date, first.start, first.end) == (
        date(2026, 12, 12),
        date(2026, 12, 13),
        time(10),
        time(19),
    )
    assert (first.town, first.venue) == ("Reims", "HALLES DU BOULINGRIN")
    assert (second.title, second.town, second.venue) == (
        "NOCTURNE",
        "Reims",
        "HALLES DU BOULINGRIN",
    )


def test_a_town_that_opens_the_sentence_and_a_next_sentence_that_is_its_own() -> None:
    fete, webinar = events(
        "En juin, cap sur Montbard : le samedi 13 juin, la Fête de la coopération réunira les "
        "Scop au parc Buffon, à partir de 11h. Enfin, ne manquez pas notre webinaire « Mécénat "
        "de compétences » le jeudi 18 juin à 11h."
    )
    assert (fete.town, fete.online, fete.start) == ("Montbard", False, time(11))
    assert (webinar.town, webinar.online, webinar.date) == (None, True, date(2026, 6, 18))


def test_a_pin_line_above_a_dated_detail_line_is_its_place() -> None:
    event = one(
        "On vous attend nombreux pour la FÊTE DES VOISINS SOLIDAIRES !\n"
        "📍 La Friche du Moulin, chemin des Aires, 84400 Apt\n"
        "🗓️ samedi 6 juin dès 10h"
    )
    assert (event.date, event.start, event.town, event.venue) == (
        date(2026, 6, 6),
        time(10),
        "Apt",
        "La Friche du Moulin",
    )


def test_a_place_to_be_announced_is_in_the_town_the_document_is_about() -> None:
    found = events(
        "MARSEILLE — ÉTÉ SOLIDAIRE\n"
        "Les apéros de l'ESS du collectif Marseille Solidaire\n"
        "◆ Jeudi 18 juin, 18h-21h – Apéro « Alimentation durable » – Le Talus, 13012 Marseille\n"
        "◆ Jeudi 16 juillet – Apéro « Culture et ESS » – lieu à préciser (quartiers Nord)"
    )
    assert [(e.town, e.tbd_place) for e in found] == [("Marseille", False), ("Marseille", True)]
    alone = one("◆ Jeudi 16 juillet – Apéro « Culture et ESS » – lieu à préciser")
    assert (alone.town, alone.tbd_place) == (None, True)


@pytest.mark.parametrize(
    ("line", "town"),
    [
        ("- Mercredi 4 mars, 14h-17h : atelier, Maison de l'ESS, Le Port", "Le Port"),
        ("- Mercredi 4 mars, 14h-17h : atelier, salle Jean Moulin, Tours.", "Tours"),
        ("- Mercredi 4 mars, 14h-17h : atelier, salle des Associations", None),
    ],
)
def test_a_commune_alone_closing_an_item_is_its_town(line: str, town: str | None) -> None:
    assert one(line).town == town


def test_a_venue_said_with_au_beats_a_name_that_opens_with_a_venue_word() -> None:
    event = one("• 02/04 – Café-ESS à Dunkerque : « Les coopératives », 18h30, au Bateau Feu")
    assert (event.venue, event.town, event.start) == ("Bateau Feu", "Dunkerque", time(18, 30))


@pytest.mark.parametrize(
    ("line", "venue"),
    [
        ("➡️ Mercredi 4 mars, 9h-12h : Matinée « Entreprendre », Atrium, Fort-de-France", "Atrium"),
        ("• 04/03 – Forum emploi ESS de l'Avesnois, 10h-16h, Maubeuge, La Luna", "La Luna"),
        ("➡️ Mercredi 4 mars, 8h-13h : Marché paysan solidaire, Le Lamentin", None),
    ],
)
def test_a_name_in_capitals_next_to_the_town_is_the_venue(line: str, venue: str | None) -> None:
    assert one(line).venue == venue


def test_a_meeting_point_in_front_of_a_venue() -> None:
    event = one(
        "- Ven. 6 mars | 14h – 17h | Visite apprenante\n"
        "Rendez-vous devant la Ressourcerie de l'Estuaire, 2 rue des Halles, Saint-Nazaire"
    )
    assert (event.venue, event.town) == ("Ressourcerie de l'Estuaire", "Saint-Nazaire")


def test_an_e_mail_s_headers_date_it_and_are_no_events() -> None:
    extraction = extract(
        "De : Collectif Monnaie Locale <contact@example.org>\n"
        "À : adherents@example.org\n"
        "Date : lun. 7 avr. 2025 à 09:12\n"
        "Objet : [Adhérents] Réunion demain\n\n"
        "Merci à celles et ceux qui sont venus à la disco-soupe du samedi 29 mars !\n\n"
        "Petit rappel : la réunion mensuelle du collectif a lieu demain soir à 18h30 au local, "
        "5 rue de l'Aiguillerie, 34000 Montpellier.",
        ref_date=date(2025, 4, 9),
    )
    assert extraction.published == date(2025, 4, 7)
    assert [(e.date, e.start, e.town) for e in extraction.events] == [
        (date(2025, 4, 8), time(18, 30), "Montpellier")
    ]


def test_a_deadline_said_at_length_is_no_event() -> None:
    assert [
        e.date
        for e in events(
            "Rappel : la date limite de réponse à l'AMI « Tiers-lieux » est fixée au 20 mars. "
            "Forum le 12 avril à Caen."
        )
    ] == [date(2026, 4, 12)]


def test_an_arrow_between_two_times_makes_a_range() -> None:
    (mention,) = find_times("⏰ 8h ➡️ 13h")
    assert (mention.begins, mention.ends) == (time(8), time(13))


def test_a_pictograph_before_a_dated_heading_keeps_it_a_heading() -> None:
    event = one(
        "🏆 Mardi 3 mars, 18h30 — Soirée des Trophées de l'ESS\n"
        "Le Carreau du Temple, 4 rue Eugène Spuller, 75003 Paris"
    )
    assert (event.title, event.start, event.town, event.insee, event.venue) == (
        "Soirée des Trophées de l'ESS",
        time(18, 30),
        "Paris",
        "75103",
        "Le Carreau du Temple",
    )


def test_a_date_line_then_a_title_line_then_a_place_line() -> None:
    first, second = events(
        "CRESS PROVENCE-ALPES-CÔTE D'AZUR\nAgenda\n\n"
        "➜ Jeudi 22 janvier | 18h-20h\n"
        "Apéro ESS de la nouvelle année\n"
        "Friche la Belle de Mai, 41 rue Jobin, 13003 Marseille\n\n"
        "➜ Mardi 27 janvier | 9h30-12h30\n"
        "Atelier « Répondre aux marchés publics »\n"
        "Hôtel de Région, 27 place Jules Guesde, 13002 Marseille"
    )
    assert (first.title, first.insee, first.venue, first.end) == (
        "Apéro ESS de la nouvelle année",
        "13203",
        "Friche la Belle de Mai",
        time(20),
    )
    assert (second.title, second.insee, second.venue) == (
        "Atelier « Répondre aux marchés publics »",
        "13202",
        "Hôtel de Région",
    )


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("• 16/11 au 18/11 – Salon", (16, 11), (18, 11)),
        ("du 16 au 18/11", (16, 11), (18, 11)),
        ("16/11 - 18/11/2023", (16, 11), (18, 11)),
        ("du 30/12 au 2/01", (30, 12), (2, 1)),
    ],
)
def test_numeric_date_ranges(text: str, first: tuple[int, int], last: tuple[int, int]) -> None:
    from essbot.extract.text import clean

    (mention,) = find_dates(clean(text))
    assert (mention.day, mention.month) == first
    assert (mention.end_day, mention.end_month) == last


@pytest.mark.parametrize("text", ["ouvert 24/7", "de 10 à 12/11 personnes"])
def test_no_numeric_range_without_its_form(text: str) -> None:
    from essbot.extract.text import clean

    assert all(m.end_day is None for m in find_dates(clean(text)))


def test_a_numeric_range_in_a_bullet_spans_its_days() -> None:
    event = one("• 16/11 au 18/11 – Salon « Lorraine solidaire » – Centre Prouvé, Nancy")
    assert (event.date, event.end_date, event.town) == (
        date(2026, 11, 16),
        date(2026, 11, 18),
        "Nancy",
    )


# Dates and times written tightly or loosely ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("de 1/2 Uhr", time(1), time(2)),  # the last hour right after a slash
        ("de 10 a12h", time(10), time(12)),  # … or right after "a"
        ("1/2pm", time(14), None),
        ("٣h", time(3), None),  # an hour in other digits
        ("De midi à 14h", time(12), time(14)),
    ],
)
def test_times_written_tightly_or_in_other_digits(text: str, start: time, end: time | None) -> None:
    (mention,) = find_times(text)
    assert (mention.begins, mention.ends) == (start, end)


@pytest.mark.parametrize(
    ("text", "weekday", "day", "month"),
    [
        ("Mardi\t\t, ,  le the 12 mars", 1, 12, 3),
        ("Monday,   June 26, 2013", 0, 26, 6),
    ],
)
def test_a_weekday_well_before_its_day(text: str, weekday: int, day: int, month: int) -> None:
    (mention,) = find_dates(text)
    assert (mention.start, mention.end) == (0, len(text))
    assert (mention.weekday, mention.day, mention.month) == (weekday, day, month)


@pytest.mark.parametrize("text", ["du 16au18/11", "du 16to18/11"])
def test_a_numeric_range_with_au_between_the_numbers(text: str) -> None:
    (mention,) = find_dates(text)
    assert (mention.day, mention.month, mention.end_day, mention.end_month) == (16, 11, 18, 11)
