"""Where a question asks about: a commune, a department, a region, around a place, within a
radius, the user's own place ("chez moi"), or a name the gazetteer does not know."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from essbot.extract.text import fold_same_length
from essbot.geo import Place, PlaceResolver

DEFAULT_RADIUS_KM = 30.0  # "près d'Amiens", a shared location
MAX_RADIUS_KM = 300.0

PlaceKind = Literal["commune", "department", "region", "point", "home", "unknown", "none"]


@dataclass(frozen=True, slots=True)
class Where:
    """The place of a question. `kind` "home" is the user's saved place, still to be looked
    up; "unknown" a name nothing matches (`suggestions` holds the closest names);
    `alternatives` are homonyms to choose from ("Saint-Denis (974)", "Saint-Denis (93)")."""

    kind: PlaceKind = "none"
    place: Place | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    near: bool = False  # "près de", "near": the surroundings count, not the commune only
    said: str = ""  # the place as the user wrote it
    span: tuple[int, int] | None = None  # where it is written in the question
    alternatives: tuple[Place, ...] = ()
    suggestions: tuple[Place, ...] = ()
    corrected: bool = False  # read through a typo ("Amienz"): the reply says which place


_RADIUS = re.compile(
    r"(?:a\s+moins\s+de|dans\s+un\s+rayon\s+de|rayon\s+de|within|in\s+a\s+radius\s+of|"
    r"radius\s+of|less\s+than|under|jusqu'a)\s+(\d{1,3})\s*(?:km|kilometres?|kilometers?)\b"
    r"|\b(\d{1,3})\s*(?:km|kilometres?|kilometers?)\b"
)
_NEAR = re.compile(
    r"(?<![\w-])(?:(?:pres|autour|aux\s+alentours|a\s+cote|du\s+cote|non\s+loin)\s+d(?:e\s|')|"
    r"(?:vers|near(?:by)?|around|close\s+to|not\s+far\s+from|rayon|radius)(?![\w-])|"
    r"km\s+(?:de|d'|of|from|autour|around))"
)
_HOME = re.compile(
    r"(?<![\w-])(?:chez\s+moi|pres\s+de\s+(?:chez\s+)?moi|autour\s+de\s+(?:chez\s+)?moi|"
    r"a\s+cote\s+de\s+(?:chez\s+)?moi|near\s+me|around\s+me|close\s+to\s+me|near\s+home|"
    r"my\s+place|my\s+town|ma\s+ville|mon\s+coin)(?![\w-])"
)
# Words that introduce a place, after which an unknown name is read: "près de Amienz".
_CUE = re.compile(
    r"(?<![\w-])(?:(?:pres|autour)\s+d(?:e\s+|')|dans\s+l'|(?:vers|a|au|aux|en|dans\s+le|"
    r"dans\s+la|dans|sur|near|around|in|at|close\s+to)\s+)"
)
# Where an unknown name stops: punctuation, or the words that follow a place in a question.
_NAME_END = re.compile(
    r"[?!.,;:()]|\s(?:en|in|on|le|la|les|ce|cette|this|next|demain|tomorrow|aujourd'hui|today|"
    r"pour|for|dans|within|a\s+moins|et|and|du|des|avec|with|sur)\s|\s\d"
)
# Names in English the gazetteer does not hold.
_ENGLISH_NAMES = {
    "brittany": "Bretagne",
    "normandy": "Normandie",
    "burgundy": "Bourgogne-Franche-Comté",
    "corsica": "Corse",
    "french riviera": "Alpes-Maritimes",
    "paris region": "Île-de-France",
    "greater paris": "Île-de-France",
    "french guiana": "Guyane",
    "reunion island": "La Réunion",
    "dunkirk": "Dunkerque",
    "lyons": "Lyon",
    "marseilles": "Marseille",
}
_ENGLISH = re.compile(rf"(?<![\w-])({'|'.join(_ENGLISH_NAMES)})(?![\w-])")


def read_where(text: str, resolver: PlaceResolver, *, skip: tuple[int, int] | None = None) -> Where:
    """The place a question names. `skip` is a span to leave out (the time phrase: "en mars"
    is a month, not the commune of Mars)."""
    if skip is not None:
        text = text[: skip[0]] + " " * (skip[1] - skip[0]) + text[skip[1] :]
    folded = fold_same_length(text)
    radius = _radius(folded)
    near = radius is not None or _NEAR.search(folded) is not None
    if home := _HOME.search(folded):
        return Where("home", radius_km=radius or DEFAULT_RADIUS_KM, near=True, said=home.group())
    if english := _ENGLISH.search(folded):
        found = resolver.resolve(_ENGLISH_NAMES[english.group(1)], fuzzy=False)
        if found.best is not None:
            return _where(found.best, english.group(), english.span(), radius, near, ())
    mentions = [m for m in resolver.find(text) if not _is_radius_number(folded, m.start, m.end)]
    if mentions:
        mention = max(mentions, key=lambda m: _rank(m.place))
        return _where(
            mention.place, mention.text, (mention.start, mention.end), radius, near,
            _homonyms(mention.resolution.places),
        )  # fmt: skip
    return _unknown(text, folded, resolver, radius, near)


def read_place_phrase(phrase: str, resolver: PlaceResolver) -> Where:
    """A place given alone, as after /near or /dept: "Amiens", "Saint-Denis (93)", "62",
    "Amienz" (a typo)."""
    phrase = phrase.strip()
    if not phrase:
        return Where()
    folded = fold_same_length(phrase)
    english = _ENGLISH_NAMES.get(folded.strip())
    resolution = resolver.resolve(english or phrase)
    best = resolution.best
    if best is None:
        return Where("unknown", said=phrase, suggestions=resolution.suggestions[:5])
    where = _where(best, phrase, (0, len(phrase)), None, False, _homonyms(resolution.places))
    if resolution.is_fuzzy:
        others = tuple(p for p in resolution.places[1:5] if p is not best)
        return replace(where, corrected=True, suggestions=others)
    return where


def _where(
    place: Place,
    said: str,
    span: tuple[int, int],
    radius: float | None,
    near: bool,
    alternatives: tuple[Place, ...],
) -> Where:
    kind: PlaceKind = place.kind
    if place.kind == "commune" and (near or radius is not None):
        radius = radius or DEFAULT_RADIUS_KM
    return Where(kind, place, place.lat, place.lon, radius, near, said, span, alternatives)


def _rank(place: Place) -> int:
    """Of several places in one question, the most precise: "à Lens, dans le 62"."""
    return {"commune": 2, "department": 1}.get(place.kind, 0)


def _homonyms(places: list[Place]) -> tuple[Place, ...]:
    """Communes sharing the best one's name in other departments, best first."""
    if not places or places[0].kind != "commune":
        return ()
    communes = [p for p in places if p.kind == "commune" and p.name == places[0].name]
    departments = {p.department for p in communes}
    return tuple(communes[:6]) if len(departments) > 1 else ()


def _radius(folded: str) -> float | None:
    match = _RADIUS.search(folded)
    if match is None:
        return None
    km = float(match.group(1) or match.group(2))
    return min(max(km, 1.0), MAX_RADIUS_KM)


def _is_radius_number(folded: str, start: int, end: int) -> bool:
    """ "dans un rayon de 20 km": 20 is no department."""
    return folded[start:end].isdigit() and folded[end : end + 4].lstrip().startswith("km")


def _unknown(
    text: str, folded: str, resolver: PlaceResolver, radius: float | None, near: bool
) -> Where:
    """A name after a place cue that the gazetteer does not hold exactly: read through a typo
    when one place stands out, else unknown with the closest names."""
    for cue in _CUE.finditer(folded):
        rest = text[cue.end() :]
        end = _NAME_END.search(f" {folded[cue.end() :]} ")  # folded keeps the offsets
        name = rest[: max(0, end.start() - 1)] if end else rest
        name = name.strip(" '\"")
        strong = _NEAR.match(folded, cue.start()) is not None  # "près de", "near"
        if not name or not name[0].isalpha() or len(name) > 60 or len(name.split()) > 4:
            continue
        if not (strong or name[0].isupper()):
            continue  # "is there a workshop": a word, not a misspelt town
        resolution = resolver.resolve(name)
        span = (cue.end(), cue.end() + len(name))
        if resolution.best is not None:
            where = _where(resolution.best, name, span, radius, near, ())
            return replace(where, corrected=resolution.is_fuzzy)
        if resolution.suggestions:
            return Where(
                "unknown", said=name, span=span, suggestions=resolution.suggestions[:5],
                radius_km=radius, near=near,
            )  # fmt: skip
    return Where(radius_km=radius, near=near)
