"""resolve_place: every spelling people and announcements use for a French place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essbot.geo import resolve_place
from essbot.geo.places import Place


def best(text: str, **hints: str) -> Place:
    place = resolve_place(text, **hints).best
    assert place is not None, f"{text!r} resolved to nothing"
    return place


def commune(text: str) -> str:
    place = best(text)
    assert place.kind == "commune"
    return place.name


# The towns of the five seed announcements, written as the announcements write them.
@pytest.mark.parametrize(
    ("text", "name", "department"),
    [
        ("CALAIS", "Calais", "62"),
        ("NOGENT-SUR-OISE", "Nogent-sur-Oise", "60"),
        ("SOISSONS", "Soissons", "02"),
        ("NOEUX LES MINES", "Nœux-les-Mines", "62"),
        ("AMIENS", "Amiens", "80"),
        ("ANZIN", "Anzin", "59"),
        ("ROUBAIX", "Roubaix", "59"),
        ("Paris", "Paris", "75"),
        ("Nancy", "Nancy", "54"),
        ("Grenoble", "Grenoble", "38"),
        ("Bordeaux", "Bordeaux", "33"),
        ("Rennes", "Rennes", "35"),
        ("Caen", "Caen", "14"),
        ("Martot", "Martot", "27"),
        ("Cherbourg en Cotentin", "Cherbourg-en-Cotentin", "50"),
        ("Alençon", "Alençon", "61"),
        ("Rouen", "Rouen", "76"),
        ("Lens", "Lens", "62"),
        ("Avion", "Avion", "62"),
        ("Noyelles-sous-lens", "Noyelles-sous-Lens", "62"),
        ("Sallaumines", "Sallaumines", "62"),
    ],
)
def test_seed_towns_resolve_to_their_commune(text: str, name: str, department: str) -> None:
    place = best(text)
    assert (place.kind, place.name, place.department) == ("commune", name, department)
    assert place.lat is not None
    assert place.lon is not None


@pytest.mark.parametrize(
    "text",
    ["NOEUX LES MINES", "Nœux-les-Mines", "noeux les mines", "Noeux-lès-Mines", "NŒUX-LÈS-MINES"],
)
def test_case_accents_hyphens_and_ligatures_do_not_matter(text: str) -> None:
    assert commune(text) == "Nœux-les-Mines"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("St-Omer", "Saint-Omer"),
        ("St Quentin", "Saint-Quentin"),
        ("Ste Maxime", "Sainte-Maxime"),
        ("Ste-Geneviève-des-Bois", "Sainte-Geneviève-des-Bois"),
        ("Marquette-lès-Lille", "Marquette-lez-Lille"),
        ("Marquette les Lille", "Marquette-lez-Lille"),
        ("Cherbourg en Cotentin", "Cherbourg-en-Cotentin"),
        ("L'Isle-Adam", "L'Isle-Adam"),
        ("l isle adam", "L'Isle-Adam"),
        ("L’Isle Adam", "L'Isle-Adam"),
        ("Kremlin-Bicêtre", "Le Kremlin-Bicêtre"),
        ("Cherbourg-Octeville", "Cherbourg-en-Cotentin"),
    ],
)
def test_abbreviations_variants_and_former_names(text: str, name: str) -> None:
    assert commune(text) == name


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("Paris 19e", "75119"),
        ("Paris 19ème", "75119"),
        ("paris 19", "75119"),
        ("Paris XIXe", "75119"),
        ("75019", "75119"),
        ("75019 Paris", "75119"),
        ("XIIe arrondissement", "75112"),
        ("12e arrondissement de Paris", "75112"),
        ("Paris 1er", "75101"),
        ("75116", "75116"),
        ("Lyon 3e", "69383"),
        ("Lyon 3e arrondissement", "69383"),
        ("Marseille 1er arrondissement", "13201"),
        ("13008", "13208"),
    ],
)
def test_arrondissements_of_paris_lyon_and_marseille(text: str, insee: str) -> None:
    place = best(text)
    assert place.code == insee
    assert place.is_arrondissement


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("62100", "Calais"),
        ("62193", "Calais"),  # its INSEE code
        ("62100 CALAIS (62)", "Calais"),
        ("62100 Calais", "Calais"),
        ("62008 Calais Cedex", "Calais"),  # a CEDEX code is not a postcode
        ("CALAIS CEDEX 62100", "Calais"),
        ("80000 AMIENS (80)", "Amiens"),
        ("62290 NOEUX LES MINES (62)", "Nœux-les-Mines"),
    ],
)
def test_postcodes_insee_codes_and_cedex(text: str, name: str) -> None:
    assert commune(text) == name


def test_a_postcode_shared_by_several_communes_lists_them_all() -> None:
    resolution = resolve_place("62300")  # Lens and Éleu-dit-Leauwette
    names = {p.name for p in resolution.places}
    assert {"Lens", "Éleu-dit-Leauwette"} <= names
    assert resolution.best is not None
    assert resolution.best.name == "Lens"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Pas-de-Calais", "62"),
        ("pas de calais", "62"),
        ("le 62", "62"),
        ("62", "62"),
        ("dans le 62", "62"),
        ("dans la Somme", "80"),
        ("Somme", "80"),
        ("2A", "2A"),
        ("2b", "2B"),
        ("Corse-du-Sud", "2A"),
        ("974", "974"),
        ("La Réunion", "974"),
        ("Seine-Saint-Denis", "93"),
        ("en Seine-Saint-Denis", "93"),
        ("département du Nord", "59"),
        ("dans la Vienne", "86"),
        ("(62)", "62"),
    ],
)
def test_departments_by_name_or_number(text: str, code: str) -> None:
    place = best(text)
    assert (place.kind, place.code) == ("department", code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hauts-de-France", "32"),
        ("Hauts de France", "32"),
        ("HDF", "32"),
        ("en Normandie", "28"),
        ("Normandie", "28"),
        ("IDF", "11"),
        ("Île-de-France", "11"),
        ("Ile de France", "11"),
        ("PACA", "93"),
        ("Région Sud", "93"),
        ("AURA", "84"),
        ("Auvergne-Rhône-Alpes", "84"),
        ("BFC", "27"),
        ("Grand Est", "44"),
        ("Nouvelle-Aquitaine", "75"),
        ("Occitanie", "76"),
        ("Pays de la Loire", "52"),
        ("Bretagne", "53"),
        ("Centre-Val de Loire", "24"),
        ("Corse", "94"),
        ("en Bretagne", "53"),
        ("Picardie", "32"),  # a former region, now part of Hauts-de-France
    ],
)
def test_regions_by_name_and_usual_short_names(text: str, code: str) -> None:
    place = best(text)
    assert (place.kind, place.code) == ("region", code)


def test_homonyms_are_ranked_by_population_and_flagged_ambiguous() -> None:
    resolution = resolve_place("Saint-Denis")
    places = resolution.places
    assert len(places) >= 4  # in the 93, 974, 11 and 30
    assert all(p.name == "Saint-Denis" for p in places)
    populations = [p.population for p in places]
    assert populations == sorted(populations, reverse=True)
    assert {places[0].department, places[1].department} == {"93", "974"}
    assert resolution.ambiguous


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("Saint-Denis (93)", "93"),
        ("Saint-Denis 93", "93"),
        ("Saint-Denis 974", "974"),
        ("Saint-Denis (974)", "974"),
        ("Saint-Denis (Seine-Saint-Denis)", "93"),
        ("Saint-Denis (11)", "11"),
    ],
)
def test_a_department_hint_picks_the_homonym(text: str, department: str) -> None:
    resolution = resolve_place(text)
    assert resolution.best is not None
    assert resolution.best.department == department
    assert not resolution.ambiguous


def test_two_digit_numbers_are_department_codes() -> None:
    assert best("12").name == "Aveyron"
    assert resolve_place("96").best is None  # there is no department 96


def test_department_hint_as_argument() -> None:
    assert best("Saint-Denis", department="974").department == "974"


def test_a_dominant_homonym_is_not_ambiguous() -> None:
    resolution = resolve_place("Valence")
    assert resolution.best is not None
    assert resolution.best.department == "26"
    assert not resolution.ambiguous


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Amien", "Amiens"),
        ("Rubaix", "Roubaix"),
        ("Marseile", "Marseille"),
        ("Grenobl", "Grenoble"),
    ],
)
def test_typos_are_forgiven_with_a_score(text: str, name: str) -> None:
    resolution = resolve_place(text)
    assert resolution.is_fuzzy
    assert resolution.best is not None
    assert resolution.best.name == name
    assert 85 <= resolution.candidates[0].score < 100


def test_exact_names_score_100() -> None:
    resolution = resolve_place("Amiens")
    assert not resolution.is_fuzzy
    assert resolution.candidates[0].score == 100


def test_unknown_names_get_suggestions_not_places() -> None:
    resolution = resolve_place("Mmiens")
    assert resolution.best is None
    assert "Amiens" in [p.name for p in resolution.suggestions]


@pytest.mark.parametrize(
    "text", ["", "   ", "xyzzy", "qwertyuiop", "?!", "00000", "99999", "<b>", "Paris 25e"]
)
def test_nonsense_resolves_to_nothing(text: str) -> None:
    assert resolve_place(text).best is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Paris", "commune"), ("Vienne", "department"), ("à Vienne", "commune")],
)
def test_a_name_shared_by_a_commune_and_an_area(text: str, kind: str) -> None:
    # Paris the city; the Vienne department (438,000) before the town (31,000) unless "à".
    assert best(text).kind == kind


def test_tours_is_tours_when_asked_for() -> None:
    assert commune("Tours") == "Tours"
    assert commune("à Tours") == "Tours"


def test_label_names_the_department() -> None:
    assert best("Saint-Denis (93)").label == "Saint-Denis (93)"
    assert best("Pas-de-Calais").label == "Pas-de-Calais"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_phrase_resolves_without_error(text: str) -> None:
    resolution = resolve_place(text)
    assert all(0 <= c.score <= 100 for c in resolution.candidates)


def test_a_huge_message_is_handled() -> None:
    text = "Quoi de prévu à Lens ? " + "blabla " * 600
    assert len(text) > 4000
    assert commune(text) == "Lens"


def test_a_city_and_its_department_number() -> None:
    assert best("Paris 75").code == "75056"
    assert best("Lyon 69").code == "69123"
