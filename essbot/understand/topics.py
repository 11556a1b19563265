"""What kind of event a question asks for: "ciné-débat", "ateliers", "webinar", "en ligne"…

Each keyword is a canonical name with the ways people write it, in French and English; accents,
case, hyphens and plurals do not matter.
"""

from __future__ import annotations

import re

from essbot.extract.text import fold_same_length

# Canonical keyword -> the folded forms that say it (singular; plurals are read too).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "ciné-débat": ("cine-debat", "cine debat", "cinedebat", "projection-debat", "film-debat"),
    "atelier": ("atelier", "workshop"),
    "webinaire": ("webinaire", "webinar"),
    "conférence": ("conference",),
    "table ronde": ("table ronde", "table-ronde", "round table", "roundtable", "panel"),
    "en ligne": ("en ligne", "online", "visio", "visioconference", "distanciel", "a distance"),
    "forum": ("forum",),
    "formation": ("formation", "training"),
    "rencontre": ("rencontre", "meetup", "meet-up"),
    "salon": ("salon", "fair"),
    "festival": ("festival",),
    "visite": ("visite", "visit", "tour guide"),
    "assemblée générale": ("assemblee generale", "general assembly", "general meeting", "agm"),
    "portes ouvertes": ("portes ouvertes", "porte ouverte", "open day", "open house"),
    "afterwork": ("afterwork", "after-work", "apero", "aperitif"),
    "débat": ("debat", "debate"),
    "marché": ("marche de noel", "marche solidaire", "market"),
}


def _plural(form: str) -> str:
    """A pattern for a folded form and its plural, word by word ("tables rondes")."""
    words = re.split(r"([ -])", form)
    return "".join(w if w in (" ", "-") else rf"{re.escape(w)}(?:s|x)?" for w in words)


_PATTERNS = {
    keyword: re.compile(rf"(?<![\w-])(?:{'|'.join(map(_plural, forms))})(?![\w-])")
    for keyword, forms in KEYWORDS.items()
}


def read_keywords(text: str) -> list[str]:
    """The keywords a question names, in the order of KEYWORDS ("débat" only when no
    "ciné-débat" says it)."""
    folded = fold_same_length(text)
    found = [keyword for keyword, pattern in _PATTERNS.items() if pattern.search(folded)]
    if "ciné-débat" in found and "débat" in found:
        found.remove("débat")
    return found


def without_keywords(text: str) -> str:
    """The text with the keywords it says blanked out ("62 ateliers" gives "62")."""
    folded = fold_same_length(text)
    spans = [m.span() for pattern in _PATTERNS.values() for m in pattern.finditer(folded)]
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return " ".join(text.split())
