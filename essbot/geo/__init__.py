"""French geography: communes, departments, regions, and the resolution of place names."""

from essbot.geo.gazetteer import Gazetteer, load_gazetteer
from essbot.geo.places import Place, distance_km, haversine_km
from essbot.geo.resolve import (
    Candidate,
    Mention,
    PlaceResolver,
    Resolution,
    find_places,
    resolve_place,
)

__all__ = [
    "Candidate",
    "Gazetteer",
    "Mention",
    "Place",
    "PlaceResolver",
    "Resolution",
    "distance_km",
    "find_places",
    "haversine_km",
    "load_gazetteer",
    "resolve_place",
]


def communes_near(lat: float, lon: float, radius_km: float) -> list[tuple[Place, float]]:
    """Communes within `radius_km` of a point, nearest first, with distances in km."""
    return load_gazetteer().communes_near(lat, lon, radius_km)
