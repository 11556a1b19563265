"""When two announcements describe the same event.

Two rules, one per situation:

- Versions of one document (a corrected text under the same file name): an event of the new
  version is the old version's event on the same date at the same place, whatever its title
  or time now says, since the author corrected those. Undated items pair by folded title.
  When nothing pairs that way, a placeless event pairs with a placed one on the same date (a
  correction that names the place of a "lieu à préciser" item, or drops a wrong one).
- Different documents: the same date, the same place, compatible times (equal, or one of the
  two unknown) and similar titles (token_set_ratio of the folded titles at least 60, or one
  of them generic, like "Atelier" or "Rencontre ESS Tour à Calais", when the place is a
  known commune). Undated items are the same when their folded titles and places are equal.

A place is the commune's INSEE code (an arrondissement counts as its city, so "Paris" and
"75019 Paris" meet), else the folded town name, else nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from essbot.db import Event
from essbot.extract.model import ExtractedEvent
from essbot.geo import load_gazetteer
from essbot.geo.normalize import fold, fold_tokens

SIMILAR_TITLES = 60  # token_set_ratio of folded titles, out of 100
DEDUP_KEY_LENGTH = 240  # leaves room for a "#n" suffix in the 255-character column

# Words that say what kind of meeting it is, not which one, and the small words around them.
_GENERIC = """
    a au aux avec d dans de des du en et l la le les par pour sur un une
    apero atelier ateliers cafe cine cloture conference conferences debat dejeuner echange
    echanges ess etape evenement forum formation journee lancement matinee mois ouverture
    permanence petit presentation programme reunion rencontre rencontres ronde seminaire
    session soiree table temps territorial territoriale regional regionale tour visite
    webinaire webinar event meeting seminar workshop
"""
GENERIC_WORDS = frozenset(_GENERIC.split())


@dataclass(frozen=True, slots=True)
class Identity:
    """What tells one event from another: its local date and time, place and title."""

    day: date | None
    start: time | None
    commune: str | None  # INSEE code, arrondissements folded into their city
    town: str  # folded town name, "" when unknown
    title: str  # folded title

    @property
    def has_place(self) -> bool:
        """Whether the event is tied to a commune or a named town."""
        return bool(self.commune or self.town)

    @property
    def is_generic(self) -> bool:
        """Whether the title names only a kind of meeting, its town or a number."""
        town = set(self.town.split())
        return all(
            word in GENERIC_WORDS or word in town or word.isdigit() for word in self.title.split()
        )

    @property
    def place_key(self) -> str:
        """The place as one string: "insee:62193", "town:lens" or "-"."""
        if self.commune:
            return f"insee:{self.commune}"
        return f"town:{self.town}" if self.town else "-"


def identity_of_extracted(event: ExtractedEvent) -> Identity:
    """The identity of an event read from a text."""
    return Identity(
        day=event.date,
        start=event.start if event.date else None,
        commune=_commune(event.insee),
        town=fold(event.town or ""),
        title=fold(event.title),
    )


def identity_of_event(event: Event) -> Identity:
    """The identity of a stored event, its date and time read in its own time zone."""
    day: date | None = None
    start: time | None = None
    if event.starts_at is not None:
        local = event.starts_at.astimezone(ZoneInfo(event.timezone))
        day = local.date()
        start = None if event.all_day else local.time()
    return Identity(
        day=day,
        start=start,
        commune=_commune(event.insee),
        town=fold(event.town or ""),
        title=fold(event.title),
    )


def same_place(a: Identity, b: Identity) -> bool:
    """Same commune, else same town name; two placeless events share their (lack of) place."""
    if a.commune and b.commune:
        return a.commune == b.commune
    if a.town or b.town:
        return a.town == b.town
    return not (a.has_place or b.has_place)


def same_version_slot(new: Identity, old: Identity, *, strict: bool) -> bool:
    """Whether a corrected text's event takes the place of an event of its previous version.

    Strictly: same date and same place (undated items: same folded title). Leniently, for
    what is left unpaired: same date, one of the two without a place.
    """
    if new.day is None or old.day is None:
        return new.day is None and old.day is None and new.title == old.title
    if new.day != old.day:
        return False
    if strict:
        return same_place(new, old)
    return not (new.has_place and old.has_place)


def same_event(a: Identity, b: Identity) -> bool:
    """Whether two documents announce the same event (see the module's docstring)."""
    if a.day != b.day or not same_place(a, b):
        return False
    if a.day is None:
        return a.title == b.title
    if a.start is not None and b.start is not None and a.start != b.start:
        return False
    if titles_similarity(a.title, b.title) >= SIMILAR_TITLES:
        return True
    return a.commune is not None and (a.is_generic or b.is_generic)


def titles_similarity(a: str, b: str) -> float:
    """How alike two folded titles are, from 0 to 100, whatever the order of their words."""
    return float(fuzz.token_set_ratio(a, b))


def closeness(a: Identity, b: Identity) -> tuple[bool, bool, float]:
    """Orders candidates: same place, then same start, then the most similar title."""
    return (same_place(a, b), a.start == b.start, titles_similarity(a.title, b.title))


def closest(wanted: Identity, candidates: Sequence[Identity], among: Iterable[int]) -> int | None:
    """The index, among these, of the candidate closest to `wanted`; None when there is none.

    Closest means: same place, then same start, then the most similar title; the first
    candidate wins a tie.
    """
    best: int | None = None
    for index in among:
        if best is None or closeness(wanted, candidates[index]) > closeness(
            wanted, candidates[best]
        ):
            best = index
    return best


def pair_versions(new: Sequence[Identity], old: Sequence[Identity]) -> dict[int, int]:
    """Pair the events of a corrected text with those of its earlier versions, one to one.

    Returns {index in new: index in old}. Strict pairs (same date and place) are made
    first, for every event; lenient ones (one side without a place) only with what is left.
    """
    pairs: dict[int, int] = {}
    free = set(range(len(old)))
    for strict in (True, False):
        for index, wanted in enumerate(new):
            if index in pairs:
                continue
            fitting = (j for j in sorted(free) if same_version_slot(wanted, old[j], strict=strict))
            match = closest(wanted, old, fitting)
            if match is not None:
                pairs[index] = match
                free.discard(match)
    return pairs


def dedup_key(identity: Identity) -> str:
    """A readable key for a new event: "2016-09-27|17:30|insee:62193|rencontre-ess-tour".

    It is set once, when the event is created, and never changes after: matching compares
    identities, and the unique key only keeps one import from storing an event twice.
    """
    day = identity.day.isoformat() if identity.day else "undated"
    start = identity.start.strftime("%H:%M") if identity.start else "-"
    title = "-".join(fold_tokens(identity.title)) or "-"
    return f"{day}|{start}|{identity.place_key}|{title}"[:DEDUP_KEY_LENGTH]


def _commune(insee: str | None) -> str | None:
    """The INSEE code of the city an arrondissement belongs to, else the code itself."""
    if not insee:
        return None
    place = load_gazetteer().get("commune", insee)
    return place.parent if place is not None and place.parent else insee
