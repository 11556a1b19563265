"""Understanding questions: a message, the moment it is asked and the user's language in, a
`Query` out. Pure: nothing here reads the clock or the database."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from essbot.extract.text import fold_same_length
from essbot.geo import Place, PlaceResolver
from essbot.geo.resolve import default_resolver
from essbot.understand.intent import Intent, has_letters, read_intent
from essbot.understand.query import Lang, Query
from essbot.understand.topics import read_keywords
from essbot.understand.when import Window, read_window
from essbot.understand.where import DEFAULT_RADIUS_KM, Where, read_place_phrase, read_where

__all__ = [
    "DEFAULT_RADIUS_KM",
    "Intent",
    "Lang",
    "Query",
    "Where",
    "Window",
    "detect_lang",
    "read_place_phrase",
    "understand",
]

MAX_LENGTH = 500  # a question longer than this is read from its start only
_PARIS = ZoneInfo("Europe/Paris")

_ENGLISH_WORDS = re.compile(
    r"(?<![\w-])(?:what|what's|whats|where|when|is|are|there|any|near|around|events?|this|next|"
    r"the|in|on|me|my|show|find|today|tomorrow|weekend|week|month|hello|hi|thanks|thank|you|"
    r"please|upcoming|happening|workshops?|within|of|help|subscribe)(?![\w-])"
)
_FRENCH_WORDS = re.compile(
    r"(?<![\w-])(?:quoi|que|qu'|quel|quels|quelle|ou|quand|prevu|pres|autour|de|du|des|le|la|"
    r"les|dans|ce|cette|semaine|mois|prochain|prochaine|demain|aujourd'hui|bonjour|merci|"
    r"evenements?|rencontres?|ateliers?|chez|moi|il|y|a|en|et|pour|sur|aide|salut)(?![\w-])"
)


def detect_lang(text: str, default: Lang = "fr") -> Lang:
    """The language a message is written in, when its words tell; else `default`."""
    folded = fold_same_length(text)
    english = len(_ENGLISH_WORDS.findall(folded))
    french = len(_FRENCH_WORDS.findall(folded))
    if english > french:
        return "en"
    if french > english:
        return "fr"
    return default


def understand(
    text: str,
    now: datetime,
    lang: Lang = "fr",
    *,
    resolver: PlaceResolver | None = None,
    tz: ZoneInfo = _PARIS,
    location: tuple[float, float] | None = None,
    home: Place | tuple[float, float] | None = None,
) -> Query:
    """Read a message asked at `now` (timezone-aware) by a user whose language is `lang`.
    `location` is a point the user shared with the message; `home` the place they saved, used
    for "chez moi" and "near me"."""
    resolver = resolver or default_resolver()
    text = text[:MAX_LENGTH]
    today = now.astimezone(tz).date()
    lang = detect_lang(text, lang)
    window = read_window(text, today)
    skip = _span_of(text, window.said)
    where = read_where(text, resolver, skip=skip) if has_letters(text) else Where()
    if location is not None:
        where = _point(location, where.radius_km)
    elif where.kind == "home" and home is not None:
        where = _home(home, where.radius_km)
    keywords = tuple(read_keywords(text))
    intent = read_intent(
        text,
        has_place=where.kind != "none",
        has_time=bool(window.said),
        has_keywords=bool(keywords),
    )
    if location is not None and intent != "subscribe":
        intent = "search"
    return Query(intent, where, window.start, window.end, keywords, lang, text, window.said)


def _span_of(text: str, said: str) -> tuple[int, int] | None:
    if not said:
        return None
    start = fold_same_length(text).find(said)
    return (start, start + len(said)) if start >= 0 else None


def _point(location: tuple[float, float], radius: float | None) -> Where:
    lat, lon = location
    return Where("point", None, lat, lon, radius or DEFAULT_RADIUS_KM, near=True)


def _home(home: Place | tuple[float, float], radius: float | None) -> Where:
    if isinstance(home, Place):
        radius = radius or DEFAULT_RADIUS_KM
        return Where(home.kind, home, home.lat, home.lon, radius, near=True, said=home.name)
    return _point(home, radius)
