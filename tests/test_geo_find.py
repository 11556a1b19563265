"""find_places: the places running text mentions, and never ordinary words taken for towns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essbot.geo import find_places


def found(text: str) -> list[str]:
    return [m.place.label for m in find_places(text)]


def test_ordinary_words_are_not_towns_but_lens_is() -> None:
    # France has communes called Mars, Vers and Port.
    assert found("Rencontre le 3 mars vers 18h à Lens, salle du Port") == ["Lens (62)"]


def test_tours_with_a_cue_is_tours() -> None:
    assert found("Rendez-vous à Tours le 4 juin") == ["Tours (37)"]
    assert found("rendez-vous à tours le 4 juin") == ["Tours (37)"]


@pytest.mark.parametrize(
    "text",
    [
        "Il y a eu un tour de table, puis le port du masque.",
        "Les tours de parole se font au bois, face à la mer.",
        "Un faux départ, son ham et ses avril et mars.",
        "L'ESS TOUR 2016 passe par sept villes",
        "Réunion de bureau le 5 mai, ordre du jour en pièce jointe.",
        "La somme de 300 euros sera versée à la Manche du tournoi.",
        "Nice to meet you; this is a very busy island.",
        "Quoi de prévu en novembre ?",
    ],
)
def test_sentences_of_ordinary_words_mention_no_place(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Une rencontre à Eu, en Seine-Maritime", "Eu (76)"),
        ("Festival Louise Michel à Avion", "Avion (62)"),
        ("Salon des métiers à Y (80)", "Y (80)"),
        ("Conférence dans la Somme", "Somme"),
        ("Rencontre au Mans puis aux Lilas", "Le Mans (72)"),
    ],
)
def test_ordinary_names_count_with_a_cue_or_a_department_code(text: str, label: str) -> None:
    assert found(text)[0] == label


def test_postcode_and_department_code_confirm_the_commune() -> None:
    mentions = find_places("au SARCUS, 9 rue Ronsard 60180 NOGENT-SUR-OISE (60)")
    strongest = [m for m in mentions if m.evidence == "postcode"]
    assert [m.place.name for m in strongest] == ["Nogent-sur-Oise"]
    assert strongest[0].text == "NOGENT-SUR-OISE"


def test_a_department_code_after_a_name_picks_the_homonym() -> None:
    mentions = find_places("Forum de l'ESS à Saint-Denis (974) le 3 mai")
    assert [(m.place.name, m.place.department, m.evidence) for m in mentions] == [
        ("Saint-Denis", "974", "code")
    ]


def test_town_names_inside_street_names_are_not_the_venue_town() -> None:
    text = "Paris Event Center (20 Avenue de la Porte de la Villette, 75019 Paris"
    labels = found(text)
    assert "Villette (78)" not in labels
    assert labels[-1] == "Paris 19e Arrondissement (75)" or labels[-1] == "Paris (75)"


def test_longest_name_wins() -> None:
    assert found("Conseil départemental du Pas-de-Calais") == ["Pas-de-Calais"]
    assert found("les collèges de Noyelles-sous-lens et Sallaumines") == [
        "Noyelles-sous-Lens (62)",
        "Sallaumines (62)",
    ]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (
            "Mardi 27 Septembre à la Cité de la dentelle et de la mode, 135 quai du Commerce "
            "62100 **CALAIS (62)**",
            ["Calais (62)"],
        ),
        (
            "Jeudi 13 Octobre au CAPEP d'Anzin, 75 bis rue Jean Jaurès 59410 **ANZIN (59)**",
            ["Anzin (59)", "Anzin (59)"],
        ),
        (
            "mardi 22 février de 14h à 17h au château de Martot, Rue de la Mairie à Martot",
            ["Martot (27)", "Martot (27)"],
        ),
        (
            "jeudi 24 février de 14h à 17h à Cherbourg en Cotentin "
            "(lieu à préciser ultérieurement)",
            ["Cherbourg-en-Cotentin (50)"],
        ),
        ("dans les locaux de la CALL, 6 rue Lavoisier à Lens :", ["Lens (62)"]),
        (
            "**Nancy** (accueil par le conseil général de Meurthe-et-Moselle) pour le Grand Est",
            ["Nancy (54)", "Meurthe-et-Moselle", "Grand Est"],
        ),
    ],
)
def test_seed_lines(text: str, labels: list[str]) -> None:
    assert found(text) == labels


def test_questions() -> None:
    assert found("quoi de prévu dans le 62 en novembre ?") == ["Pas-de-Calais"]
    assert found("what's near Amiens?") == ["Amiens (80)"]
    assert found("quoi de prevu pres d'amiens") == ["Amiens (80)"]
    assert found("des ateliers en Hauts-de-France en octobre ?") == ["Hauts-de-France"]
    assert found("le 62 rue Nationale") == []


def test_arrondissements_in_text() -> None:
    assert found("à Paris 19e et à Lyon 3e arrondissement") == [
        "Paris 19e Arrondissement (75)",
        "Lyon 3e Arrondissement (69)",
    ]


def test_mentions_point_into_the_text() -> None:
    text = "Atelier à Nœux-les-Mines demain"
    (mention,) = find_places(text)
    assert text[mention.start : mention.end] == "Nœux-les-Mines" == mention.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_handled(text: str) -> None:
    for mention in find_places(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.resolution.best is not None


def test_a_region_named_like_a_village_is_the_region() -> None:
    # Bretagne is a region of 3.4 million people and a commune of the Territoire de Belfort.
    (mention,) = find_places("La CRESS Bretagne vous invite à son forum")
    assert (mention.place.kind, mention.place.code) == ("region", "53")
    assert found("Rendez-vous à Vienne le 3 mars") == ["Vienne (38)"]


@pytest.mark.parametrize(
    "text",
    [
        "Formation en 12 séances",
        "Réponse dans les 10 jours",
        "Atelier en 30 minutes",
        "rendez-vous sur place",
        "en Mars 2025",
    ],
)
def test_numbers_and_expressions_are_not_places(text: str) -> None:
    assert found(text) == []


def test_a_day_after_a_city_is_not_an_arrondissement() -> None:
    assert found("Forum à Marseille 12 mars 2025") == ["Marseille (13)"]
    assert found("Forum à Paris 13 et 14 mars") == ["Paris (75)"]
    assert found("Forum à Paris 13e le 14 mars") == ["Paris 13e Arrondissement (75)"]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Atelier à Noyelles‐sous‐Lens 📅 le 3 mai", ["Noyelles-sous-Lens (62)"]),
        ("Rendez-vous à St. Omer le 3 mai", ["Saint-Omer (62)"]),
        ("Forum à Saint_Omer", ["Saint-Omer (62)"]),
        ("Salon à Lens 東京 Liévin", ["Lens (62)", "Liévin (62)"]),
        ("Forum à Łódź puis à Lens", ["Lens (62)"]),
        ("Forum à CŒUVRES-ET-VALSERY", ["Cœuvres-et-Valsery (02)"]),
        ("Forum à L’Isle-Adam", ["L'Isle-Adam (95)"]),
    ],
)
def test_unusual_characters_in_and_between_names(text: str, labels: list[str]) -> None:
    # Hyphens outside cp1252 (U+2010), ligatures, underscores and letters outside the Latin
    # alphabet are folded one by one; a word with no Latin letter separates its neighbours.
    assert found(text) == labels


def test_mentions_point_into_text_with_characters_outside_the_bmp() -> None:
    text = "Forum à Nœux-les-Mines 🎉 puis à Béthune"
    assert [(m.text, text[m.start : m.end]) for m in find_places(text)] == [
        ("Nœux-les-Mines", "Nœux-les-Mines"),
        ("Béthune", "Béthune"),
    ]
