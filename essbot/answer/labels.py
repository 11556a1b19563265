"""Areas and places as replies name them."""

from __future__ import annotations

from essbot.events.search import Criteria
from essbot.geo import load_gazetteer
from essbot.texts import Texts
from essbot.understand.where import DEFAULT_RADIUS_KM


def area_label(criteria: Criteria, texts: Texts) -> str:
    """The area of a search or a subscription, as a heading says it."""
    if criteria.kind == "everywhere":
        return texts.everywhere()
    if criteria.kind == "point":
        return texts.around_you(criteria.radius_km or DEFAULT_RADIUS_KM)
    name = place_name(criteria, texts)
    if criteria.kind == "commune":
        if criteria.radius_km is not None:
            return texts.near(name, criteria.radius_km)
        return texts.in_commune(name)
    return texts.in_area(name)


def place_name(criteria: Criteria, texts: Texts) -> str:
    """The place asked about, as a reply names it: "Amiens (80)", "Bretagne"."""
    kind, code = criteria.kind, criteria.code
    if code is None or kind in ("everywhere", "point"):
        return texts.your_location
    place = None
    if kind == "commune" or kind == "department" or kind == "region":
        place = load_gazetteer().get(kind, code)
    return place.label if place is not None else code
