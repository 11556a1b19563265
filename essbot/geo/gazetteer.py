"""The gazetteer: every French commune, department and region, loaded from data/geo/."""

from __future__ import annotations

import csv
import gzip
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, NamedTuple

from essbot.geo.normalize import fold
from essbot.geo.places import Place, PlaceKind, haversine_km

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

NameSource = Literal["name", "alias", "former"]

# The usual short and former names of regions (folded), beside their official names.
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "11": ("idf", "ile de france", "region parisienne"),
    "24": ("cvl", "centre val de loire", "region centre"),
    "27": ("bfc", "bourgogne", "franche comte"),
    "28": ("basse normandie", "haute normandie"),
    "32": ("hdf", "haut de france", "nord pas de calais", "npdc", "picardie"),
    "44": ("alsace", "lorraine", "champagne ardenne", "acal"),
    "52": ("pdl",),
    "53": ("bzh",),
    "75": ("aquitaine", "limousin", "poitou charentes", "alpc"),
    "76": ("midi pyrenees", "languedoc roussillon", "languedoc", "lrmp"),
    "84": ("aura", "ara", "auvergne", "rhone alpes"),
    "93": ("paca", "region sud", "provence", "cote d azur", "provence alpes cote azur"),
    "94": ("corsica",),
}
_ARTICLES = ("le", "la", "les", "l")
_KIND_ORDER: dict[PlaceKind, int] = {"commune": 0, "department": 1, "region": 2}
_SOURCE_ORDER: dict[NameSource, int] = {"name": 0, "alias": 1, "former": 2}
_CELL_DEGREES = 0.25


class NameMatch(NamedTuple):
    """A place that bears a name: its own, a usual alias, or the name of a former commune."""

    place: Place
    source: NameSource

    def rank(self) -> tuple[int, int, int]:
        """Sort key: communes before departments before regions, own names first, big first."""
        return (_KIND_ORDER[self.place.kind], _SOURCE_ORDER[self.source], -self.place.population)


class Gazetteer:
    """Lookup tables over French places; build it with `load_gazetteer`."""

    def __init__(
        self,
        communes: Iterable[Place],
        departments: Iterable[Place],
        regions: Iterable[Place],
        commune_names: Iterable[tuple[str, Place, NameSource]] = (),
    ) -> None:
        """Index the places; `commune_names` gives pre-folded commune names (else folded here)."""
        self.communes: tuple[Place, ...] = tuple(communes)
        all_departments = tuple(departments)
        # The 101 departments; overseas collectivities (Polynésie française…) are kept apart.
        self.departments = tuple(d for d in all_departments if d.region is not None)
        self.collectivities = tuple(d for d in all_departments if d.region is None)
        self.regions: tuple[Place, ...] = tuple(regions)
        self._by_code: dict[tuple[PlaceKind, str], Place] = {
            (p.kind, p.code): p for p in (*self.communes, *all_departments, *self.regions)
        }
        self._names: dict[str, list[NameMatch]] = defaultdict(list)
        names = list(commune_names) or [(fold(c.name), c, "name") for c in self.communes]
        self._index(names, all_departments)

    @cached_property
    def _postcodes(self) -> dict[str, list[Place]]:
        """Communes by postcode, arrondissements first ("75019"), then by population; built
        on first use so that loading stays quick."""
        postcodes: dict[str, list[Place]] = defaultdict(list)
        for commune in self.communes:
            for postcode in commune.postcodes:
                postcodes[postcode].append(commune)
        for places in postcodes.values():
            places.sort(key=lambda p: (not p.is_arrondissement, -p.population))
        return postcodes

    @cached_property
    def _grid(self) -> dict[tuple[int, int], list[Place]]:
        """Communes by cell of a 0.25° grid, for radius search; built on first use."""
        grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
        for commune in self.communes:
            if commune.lat is not None and commune.lon is not None:
                grid[_cell(commune.lat, commune.lon)].append(commune)
        return grid

    def _index(
        self, commune_names: list[tuple[str, Place, NameSource]], departments: Iterable[Place]
    ) -> None:
        for key, commune, source in commune_names:
            self._add_name(key, commune, source)
        for department in departments:
            self._add_name(fold(department.name), department, "name")
        for region in self.regions:
            self._add_name(fold(region.name), region, "name")
            for alias in REGION_ALIASES.get(region.code, ()):
                self._add_key(alias, region, "alias")
        for matches in self._names.values():
            if len(matches) > 1:
                matches.sort(key=NameMatch.rank)

    def _add_name(self, key: str, place: Place, source: NameSource) -> None:
        self._add_key(key, place, source)
        first, _, rest = key.partition(" ")
        # "Kremlin-Bicêtre" for "Le Kremlin-Bicêtre", "Réunion" for "La Réunion"; a lone word
        # left after the article ("Mans") is too weak a name to stand by itself for a commune.
        if first in _ARTICLES and rest and (" " in rest or place.kind != "commune"):
            self._add_key(rest, place, "alias")

    def _add_key(self, key: str, place: Place, source: NameSource) -> None:
        matches = self._names[key]
        if not matches or all(m.place is not place for m in matches):
            matches.append(NameMatch(place, source))

    # Lookups -------------------------------------------------------------------------------

    def get(self, kind: PlaceKind, code: str) -> Place | None:
        """The place of that kind with that code (INSEE code for communes), if any."""
        return self._by_code.get((kind, code.upper() if kind == "department" else code))

    def arrondissements_of(self, code: str) -> tuple[str, ...]:
        """The INSEE codes of a city's municipal arrondissements (Paris, Lyon, Marseille)."""
        return self._arrondissements.get(code, ())

    @cached_property
    def _arrondissements(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = defaultdict(list)
        for commune in self.communes:
            if commune.parent is not None:
                found[commune.parent].append(commune.code)
        return {parent: tuple(codes) for parent, codes in found.items()}

    def named(self, key: str) -> Sequence[NameMatch]:
        """Places whose folded name (or alias, or former name) is exactly `key`, best first
        (the index's own list: read it, never change it)."""
        return self._names.get(key, ())

    def name_keys(self) -> Iterable[str]:
        """Every folded name the gazetteer knows."""
        return self._names.keys()

    def with_postcode(self, postcode: str) -> Sequence[Place]:
        """Communes served by a postcode, arrondissements first, then by population (the
        index's own list: read it, never change it)."""
        return self._postcodes.get(postcode, ())

    def department_of(self, place: Place) -> Place | None:
        """The department of a commune, or the department itself."""
        if place.kind == "department":
            return place
        return self.get("department", place.department) if place.department else None

    def region_of(self, place: Place) -> Place | None:
        """The region of a commune or a department, or the region itself."""
        if place.kind == "region":
            return place
        return self.get("region", place.region) if place.region else None

    def communes_near(
        self, lat: float, lon: float, radius_km: float, *, arrondissements: bool = False
    ) -> list[tuple[Place, float]]:
        """Communes within `radius_km` of a point, nearest first, with their distance in km.

        Paris, Lyon and Marseille count once, as cities, unless `arrondissements` is set, in
        which case their arrondissements are listed instead of them.
        """
        found = [
            (place, distance)
            for place in self._candidates_near(lat, lon, radius_km)
            if place.is_arrondissement == arrondissements
            or (arrondissements and not self._has_arrondissements(place))
            for distance in (haversine_km(lat, lon, place.lat, place.lon),)  # type: ignore[arg-type]
            if distance <= radius_km
        ]
        found.sort(key=lambda item: item[1])
        return found

    def _has_arrondissements(self, place: Place) -> bool:
        return place.code in {"75056", "69123", "13055"}

    def _candidates_near(self, lat: float, lon: float, radius_km: float) -> Iterator[Place]:
        dlat = radius_km / 111.0
        dlon = radius_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        row_min, col_min = _cell(lat - dlat, lon - dlon)
        row_max, col_max = _cell(lat + dlat, lon + dlon)
        for row in range(row_min, row_max + 1):
            for col in range(col_min, col_max + 1):
                yield from self._grid.get((row, col), ())

    def summary(self) -> dict[str, int]:
        """Counts of what is loaded, for start-up messages and health checks."""
        return {
            "communes": sum(1 for c in self.communes if not c.is_arrondissement),
            "arrondissements": sum(1 for c in self.communes if c.is_arrondissement),
            "departments": len(self.departments),
            "regions": len(self.regions),
            "overseas_collectivities": len(self.collectivities),
            "names": len(self._names),
        }


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat / _CELL_DEGREES), math.floor(lon / _CELL_DEGREES))


def default_data_dir() -> Path:
    """`ESSBOT_DATA_DIR` when set, else the repository's data/ folder."""
    return Path(os.environ.get("ESSBOT_DATA_DIR") or DATA_DIR)


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """Load the gazetteer from `data_dir`/geo (once per process and folder)."""
    return _loaded(data_dir or default_data_dir())


@cache
def _loaded(data_dir: Path) -> Gazetteer:
    """The gazetteer of a folder as given: callers in hot paths skip resolving it again."""
    return _load(data_dir.resolve())


@cache
def _load(data_dir: Path) -> Gazetteer:
    geo = data_dir / "geo"
    communes, names = _read_communes(geo / "communes.csv.gz")
    by_code = {c.code: c for c in communes}
    department_population: dict[str, int] = defaultdict(int)
    region_population: dict[str, int] = defaultdict(int)
    for commune in communes:
        if not commune.is_arrondissement:
            department_population[commune.department or ""] += commune.population
            region_population[commune.region or ""] += commune.population
    departments = [
        _area(
            "department",
            row,
            by_code,
            department_population[row["code"]],
            department=row["code"],
            region=row["region"] if row["zone"] != "com" else None,
        )
        for row in _read_csv(geo / "departments.csv")
    ]
    regions = [
        _area(
            "region",
            row,
            by_code,
            region_population[row["code"]],
            department=None,
            region=row["code"],
        )
        for row in _read_csv(geo / "regions.csv")
        if row["zone"] != "com"  # overseas collectivities are no region
    ]
    return Gazetteer(communes, departments, regions, names)


def _area(
    kind: PlaceKind,
    row: dict[str, str],
    communes: dict[str, Place],
    population: int,
    *,
    department: str | None,
    region: str | None,
) -> Place:
    """A department or a region, placed at its chef-lieu."""
    seat = communes.get(row["chef_lieu"])
    return Place(
        kind=kind,
        code=row["code"],
        name=row["name"],
        department=department,
        region=region,
        population=population,
        lat=seat.lat if seat else None,
        lon=seat.lon if seat else None,
    )


def _read_communes(path: Path) -> tuple[list[Place], list[tuple[str, Place, NameSource]]]:
    """Read communes.csv.gz: the places, and their names already folded by the build script."""
    communes: list[Place] = []
    names: list[tuple[str, Place, NameSource]] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)  # header
        for (
            insee,
            name,
            key,
            kind,
            parent,
            dept,
            region,
            pop,
            postcodes,
            lat,
            lon,
            _coord,
            _former,
            former_keys,
        ) in rows:
            commune = Place(  # positional: 35,000 of them, and keywords cost time
                "commune",
                insee,
                name,
                dept,
                region or None,
                int(pop),
                float(lat) if lat else None,
                float(lon) if lon else None,
                tuple(postcodes.split()),
                parent if kind == "a" else None,
            )
            communes.append(commune)
            names.append((key, commune, "name"))
            if former_keys:
                names.extend((former, commune, "former") for former in former_keys.split("|"))
    return communes, names


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
