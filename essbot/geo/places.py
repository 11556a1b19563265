"""The places essbot knows: communes (and municipal arrondissements), departments, regions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

PlaceKind = Literal["commune", "department", "region"]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Place:
    """A commune, a municipal arrondissement, a department or a region.

    `code` is the INSEE code of a commune, the code of a department ("62", "2A", "974") or of a
    region ("32"). Municipal arrondissements of Paris, Lyon and Marseille are communes whose
    `parent` is the INSEE code of their city. Departments and regions are placed at the
    coordinates of their chef-lieu.
    """

    kind: PlaceKind
    code: str
    name: str
    department: str | None
    region: str | None
    population: int
    lat: float | None
    lon: float | None
    postcodes: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def is_arrondissement(self) -> bool:
        """True for a municipal arrondissement of Paris, Lyon or Marseille."""
        return self.parent is not None

    @property
    def label(self) -> str:
        """The name people recognise, with the department for communes: "Saint-Denis (93)"."""
        if self.kind == "commune" and self.department:
            return f"{self.name} ({self.department})"
        return self.name


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(a: Place, b: Place) -> float | None:
    """Distance between two places, or None when either has no coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
