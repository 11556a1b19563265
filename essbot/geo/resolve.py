"""Turn what people and announcements write into places.

Two entry points:
- `resolve_place(text)` for a phrase that names one place: "Saint-Denis (93)", "le 62",
  "62100 CALAIS (62)", "Paris 19e", "dans la Somme", "Amien" (a typo).
- `find_places(text)` for running text: it finds the places a sentence mentions and, above
  all, does not mistake ordinary words for towns: "Rencontre le 3 mars vers 18h à Lens, salle
  du Port" mentions Lens and nothing else, although France has communes called Mars, Vers and
  Port.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from essbot.geo.gazetteer import Gazetteer, NameMatch, load_gazetteer
from essbot.geo.normalize import fold, fold_tokens
from essbot.geo.ordinary import ORDINARY_WORDS
from essbot.geo.places import Place, PlaceKind
from essbot.geo.tokens import Tokens, tokenize

How = Literal["name", "alias", "former", "postcode", "insee", "code", "arrondissement", "fuzzy"]
Preference = Literal["commune", "area"] | None
# Why a mention in running text is taken as a place, strongest first: a postcode before it, a
# department code after it, a locative cue before it, or just its capitalised name.
Evidence = Literal["postcode", "code", "cue", "name"]
CueStrength = Literal["strong", "weak"] | None

MATCH_SCORE = 85.0  # a fuzzy score from which a typo is taken as the place it resembles
SUGGEST_SCORE = 70.0  # below MATCH_SCORE and from here, a "did you mean" suggestion
# A homonym at least this share of the leader's population makes a name ambiguous.
AMBIGUITY_SHARE = 0.1
# A big city whose name is also a word ("Tours", "Nice") counts when capitalised.
BIG_CITY = 100_000
_MAX_NAME_TOKENS = 8

_DEPARTMENT_CODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2a|2b|97[1-8]|98[4-9])$")
# The department codes that are numbers ("62", "974"), as running text shows them.
_DEPARTMENT_NUMBERS = frozenset(
    f"{n:02d}" for n in range(1000) if _DEPARTMENT_CODE.match(f"{n:02d}")
)
_DEPARTMENT_CODES = _DEPARTMENT_NUMBERS | {"2a", "2b"}  # as folded tokens
_POSTCODE = re.compile(r"^\d{5}$")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_CITIES_WITH_ARRONDISSEMENTS = {"paris": "75056", "lyon": "69123", "marseille": "13055"}
_ORDINAL = re.compile(r"^(\d{1,2}|[ivxl]{1,6}?)(?:e|er|ere|eme|ieme|em|emes|nd|th)?$")
_ARRONDISSEMENT_WORDS = {"arrondissement", "arr", "arrt", "arrdt"}
# After "Paris 13", words that make the number a day: months, "et", "au", "-".
_NOT_AFTER_ARRONDISSEMENT = {
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre", "janv", "fevr", "avr", "juil", "sept", "oct", "nov",
    "dec", "et", "au", "h", "heures",
}  # fmt: skip

# Words that, just before a name, say that a place follows; with what kind they prefer.
_AREA_CUES: tuple[tuple[str, ...], ...] = (
    ("dans", "le"),
    ("dans", "la"),
    ("dans", "l"),
    ("dans", "les"),
    ("dans",),
    ("en",),
    ("departement",),
    ("dept",),
    ("region",),
    ("in", "the"),
)
_COMMUNE_CUES: tuple[tuple[str, ...], ...] = (
    ("a",),
    ("au",),
    ("aux",),
    ("pres", "de"),
    ("pres", "d"),
    ("pres", "du"),
    ("pres", "des"),
    ("autour", "de"),
    ("autour", "d"),
    ("autour", "du"),
    ("autour", "des"),
    ("aux", "alentours", "de"),
    ("aux", "alentours", "d"),
    ("aux", "environs", "de"),
    ("aux", "environs", "d"),
    ("du", "cote", "de"),
    ("du", "cote", "d"),
    ("vers",),
    ("sur",),
    ("near",),
    ("around",),
    ("in",),
    ("at",),
    ("close", "to"),
)
_DEPARTMENT_CUES = {("dans", "le"), ("departement",), ("dept",), ("in", "the")}
# Words that may follow "dans le 62": "en novembre", "et le 59", "ce mois-ci".
_LINK_WORDS = {"en", "et", "ou", "ce", "cette", "a", "pour", "avec", "in", "and", "on"}
_WEAK_CUES = {("en",), ("sur",), ("vers",), ("in",), ("at",), ("dans",)}
_CUES: dict[tuple[str, ...], Preference] = {
    **{cue: "commune" for cue in _COMMUNE_CUES},
    **{cue: "area" for cue in _AREA_CUES},
}
# The lengths of the cues that end with a word, longest first: the longest cue wins ("in the"
# before "in").
_CUE_LENGTHS = {
    word: tuple(sorted({len(cue) for cue in _CUES if cue[-1] == word}, reverse=True))
    for word in {cue[-1] for cue in _CUES}
}
_WEAK_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("le",),
    ("la",),
    ("les",),
    ("l",),
    ("the",),
    ("de",),
    ("d",),
    ("du",),
    ("des",),
)
_FUNCTION_WORDS = {word for cue in (*_AREA_CUES, *_COMMUNE_CUES, *_WEAK_PREFIXES) for word in cue}
# Words that open a street or venue name: a town name inside one ("Porte de la Villette",
# "rue de Lens") is not where the event is, unless a postcode or a cue says so.
_STREET_WORDS = {
    "rue",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "bld",
    "place",
    "pl",
    "quai",
    "allee",
    "chemin",
    "impasse",
    "route",
    "rte",
    "square",
    "porte",
    "passage",
    "esplanade",
    "promenade",
    "faubourg",
    "fbg",
    "chaussee",
    "sentier",
    "voie",
    "residence",
    "salle",
    "lycee",
    "college",
    "ecole",
    "gymnase",
    "stade",
    "espace",
    "street",
    "road",
}
_ADDRESS_WORDS = _STREET_WORDS | {"bis", "ter"}
_WEAK_WORDS = {word for prefix in _WEAK_PREFIXES for word in prefix}
# Function words that are also the folded name of some commune or former commune ("Lez").
_NEVER_A_NAME = _FUNCTION_WORDS | {"et", "ou", "un", "une", "of", "and", "to", "on", "is"}
# "au Mans" is "à le Mans": contracted articles give their article back to the name.
_CONTRACTED = {"au": "le", "du": "le", "aux": "les", "des": "les"}
_CONTRACTED_CUES = {"au", "aux"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a text may mean, with how it was recognised and a score out of 100."""

    place: Place
    how: How
    score: float = 100.0


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a phrase names: candidates best first, or suggestions when nothing matched."""

    text: str
    candidates: tuple[Candidate, ...] = ()
    suggestions: tuple[Place, ...] = ()
    ambiguous: bool = False

    @property
    def best(self) -> Place | None:
        """The most likely place, or None."""
        return self.candidates[0].place if self.candidates else None

    @property
    def places(self) -> list[Place]:
        """The candidate places, best first."""
        return [c.place for c in self.candidates]

    @property
    def is_fuzzy(self) -> bool:
        """True when the best candidate was found through a typo-tolerant match."""
        return bool(self.candidates) and self.candidates[0].how == "fuzzy"

    def __bool__(self) -> bool:
        return bool(self.candidates)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place mentioned in running text, at `start:end` of that text."""

    start: int
    end: int
    text: str
    resolution: Resolution
    evidence: Evidence = "name"

    @property
    def place(self) -> Place:
        """The place this mention most likely means."""
        place = self.resolution.best
        assert place is not None
        return place


@dataclass(slots=True)
class _Hints:
    department: str | None = None
    postcode: str | None = None
    prefer: Preference = None
    extra: list[str] = field(default_factory=list)


class PlaceResolver:
    """Resolves phrases and finds places in text with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        keys = list(gazetteer.name_keys())
        self._find_cached = lru_cache(maxsize=4096)(self._find)
        # Running text is scanned from the words that may begin a mention, extending a match
        # word by word instead of trying every length at every word. What may begin one:
        # - a name of one word, but for function words ("les" is also a commune);
        self._lone = {key for key in keys if " " not in key} - _NEVER_A_NAME
        # - a run of two words or more that is a name or begins one ("la bassee");
        several = [key for key in keys if " " in key]
        split = [key.split() for key in several]
        self._longest = min(_MAX_NAME_TOKENS, max(map(len, split), default=1))
        self._beginnings = {*several, *(" ".join(w[:n]) for w in split for n in range(2, len(w)))}
        # - hence, at first sight, the first word of either, or a department number.
        self._starts = self._lone | {words[0] for words in split} | _DEPARTMENT_NUMBERS
        # Fuzzy matching compares only names of a plausible length that share the first or the
        # second letter with the query: a typo rarely hits both, and it is 50 times faster.
        self._blocks: dict[tuple[int, str, int], list[str]] = defaultdict(list)
        for key in keys:
            for position in (0, 1):
                if len(key) > position:
                    self._blocks[(position, key[position], len(key))].append(key)

    # Phrases -------------------------------------------------------------------------------

    def resolve(
        self, text: str, *, department: str | None = None, fuzzy: bool = True
    ) -> Resolution:
        """Resolve a phrase naming one place; `department` narrows homonyms."""
        text = text.strip()
        hints = _Hints(department=department.upper() if department else None)
        tokens = self._pull_hints(text, hints)
        if not tokens:
            if hints.department:  # the phrase was only a department: "(62)"
                place = self.gazetteer.get("department", hints.department)
                return Resolution(text, (Candidate(place, "code"),)) if place else Resolution(text)
            return Resolution(text)
        found = self._exact(tokens, hints)
        if found:
            return self._finish(text, found, hints)
        if len(tokens) > 3:
            mentions = self.find(text)
            if mentions:
                return mentions[0].resolution
        if fuzzy and len(tokens) <= 6:
            return self._fuzzy(text, _strip_cues(tokens, hints), hints)
        return Resolution(text)

    def _pull_hints(self, text: str, hints: _Hints) -> list[str]:
        """Fold `text`, taking out a trailing department and CEDEX; return the name tokens."""
        bracket = re.search(r"\(([^()]*)\)\s*$", text)
        if bracket and bracket.start() > 0:
            inner = self._department_in(fold_tokens(bracket.group(1)))
            if inner:
                hints.department = inner
                text = text[: bracket.start()]
        tokens = fold_tokens(text)
        if "cedex" in tokens:
            tokens = tokens[: tokens.index("cedex")]
        if (
            len(tokens) > 1
            and _DEPARTMENT_CODE.match(tokens[-1])
            and not _is_ordinal_phrase(tokens)
            and not all(t in _FUNCTION_WORDS for t in tokens[:-1])
        ):
            hints.department = hints.department or tokens[-1].upper()
            tokens = tokens[:-1]
        return tokens

    def _department_in(self, tokens: list[str]) -> str | None:
        if len(tokens) == 1 and _DEPARTMENT_CODE.match(tokens[0]):
            return tokens[0].upper()
        for match in self.gazetteer.named(" ".join(tokens)):
            if match.place.kind == "department":
                return match.place.code
        return None

    def _exact(self, tokens: list[str], hints: _Hints) -> list[Candidate]:
        """Exact readings of the tokens, stripping leading cue words until one matches."""
        while tokens:
            found = self._exact_once(tokens, hints)
            if found:
                return found
            stripped = _strip_one_cue(tokens, hints)
            if stripped is None:
                return []
            tokens = stripped
        return []

    def _exact_once(self, tokens: list[str], hints: _Hints) -> list[Candidate]:
        gaz = self.gazetteer
        key = " ".join(tokens)
        if len(tokens) == 1 and _POSTCODE.match(key):
            by_postcode = gaz.with_postcode(key)
            cities = {p.parent for p in by_postcode if p.parent}
            if by_postcode:
                return [Candidate(p, "postcode") for p in by_postcode if p.code not in cities]
            commune = gaz.get("commune", key)
            return [Candidate(commune, "insee")] if commune else []
        if len(tokens) == 1 and _DEPARTMENT_CODE.match(key):
            place = gaz.get("department", key)
            return [Candidate(place, "code")] if place else []
        arrondissement = self._arrondissement(tokens)
        if arrondissement:
            return [Candidate(arrondissement, "arrondissement")]
        if _POSTCODE.match(tokens[0]) and len(tokens) > 1:
            return self._postcode_and_name(tokens[0], tokens[1:], hints)
        for extra in (hints.extra, []):
            # "au Mans": the article the contraction held may belong to the name.
            matches = gaz.named(" ".join([*extra, *tokens]))
            if matches:
                return [Candidate(m.place, m.source) for m in matches]
        return []

    def _postcode_and_name(self, postcode: str, name: list[str], hints: _Hints) -> list[Candidate]:
        """ "62100 CALAIS", "75019 Paris", "62008 Calais" (a CEDEX code): name within postcode."""
        key = " ".join(name)
        served = self.gazetteer.with_postcode(postcode)
        arrondissement = self._arrondissement(name)
        if arrondissement and arrondissement in served:
            return [Candidate(arrondissement, "postcode")]
        # "75019 Paris": the arrondissement of that postcode within the named city.
        exact = [p for p in served if p.parent and self._is_named(p.parent, key)]
        exact = exact or [p for p in served if fold(p.name) == key]
        if exact:
            return [Candidate(p, "postcode") for p in exact]
        hints.department = hints.department or _department_of_postcode(postcode)
        return [Candidate(m.place, m.source) for m in self.gazetteer.named(key)]

    def _is_named(self, insee: str, key: str) -> bool:
        place = self.gazetteer.get("commune", insee)
        return place is not None and fold(place.name) == key

    def _arrondissement(self, tokens: Sequence[str]) -> Place | None:
        """ "Paris 19e", "paris xix", "19e arrondissement", "Lyon 3e arrondissement"."""
        words = [t for t in tokens if t not in _ARRONDISSEMENT_WORDS and t != "de"]
        has_word = len(words) < len(tokens)
        if len(words) == 2 and words[0] in _CITIES_WITH_ARRONDISSEMENTS:
            city, ordinal = words
        elif len(words) == 2 and words[1] in _CITIES_WITH_ARRONDISSEMENTS and has_word:
            ordinal, city = words
        elif len(words) == 1 and has_word:
            city, ordinal = "paris", words[0]  # "XIIe arrondissement" is Paris's
        else:
            return None
        number = _ordinal_number(ordinal)
        if number is None:
            return None
        parent = _CITIES_WITH_ARRONDISSEMENTS[city]
        code = {
            "75056": f"751{number:02d}",
            "69123": f"6938{number}",
            "13055": f"132{number:02d}",
        }[parent]
        place = self.gazetteer.get("commune", code)
        return place if place and place.parent == parent else None

    def _finish(self, text: str, found: list[Candidate], hints: _Hints) -> Resolution:
        """Apply hints, order candidates, and tell whether homonyms make the phrase ambiguous."""
        if hints.department:
            narrowed = [c for c in found if _in_department(c.place, hints.department)]
            found = narrowed or found
        prefer = hints.prefer or _kind_by_size(found)
        if prefer == "area":
            found.sort(key=lambda c: c.place.kind == "commune")
        elif prefer == "commune":
            found.sort(key=lambda c: c.place.kind != "commune")
        return Resolution(text, tuple(found), ambiguous=_is_ambiguous(found))

    def _fuzzy(self, text: str, tokens: list[str], hints: _Hints) -> Resolution:
        """Typo-tolerant matching: "Amien" is Amiens; weaker likenesses become suggestions."""
        key = " ".join(tokens)
        if len(key.replace(" ", "")) < 4 or key in ORDINARY_WORDS:
            return Resolution(text)
        scored: list[tuple[float, NameMatch]] = []
        for name, score in self._similar_keys(key):
            scored.extend((score, m) for m in self.gazetteer.named(name))
        if hints.department:
            scored = [s for s in scored if _in_department(s[1].place, hints.department)] or scored
        scored.sort(key=lambda s: (-s[0], *s[1].rank()))
        matches = [Candidate(m.place, "fuzzy", s) for s, m in scored if s >= MATCH_SCORE]
        if matches:
            best = matches[0].score
            # Only the best-scoring reading counts; the rest are kept as suggestions.
            top = [c for c in matches if c.score == best]
            rest = _unique(c.place for c in matches if c.score != best)
            return Resolution(text, tuple(top), tuple(rest), ambiguous=_is_ambiguous(top))
        return Resolution(text, suggestions=tuple(_unique(m.place for _, m in scored))[:5])

    def _similar_keys(self, key: str, limit: int = 8) -> list[tuple[str, float]]:
        """Known names whose similarity to `key` reaches SUGGEST_SCORE, most similar first."""
        # fuzz.ratio can reach the cutoff only between these lengths.
        shortest = math.ceil(len(key) * SUGGEST_SCORE / (200 - SUGGEST_SCORE))
        longest = math.floor(len(key) * (200 - SUGGEST_SCORE) / SUGGEST_SCORE)
        best: dict[str, float] = {}
        for position in (0, 1):
            for length in range(shortest, longest + 1):
                block = self._blocks.get((position, key[position], length))
                if not block:
                    continue
                for name, score, _ in process.extract(
                    key, block, scorer=fuzz.ratio, limit=limit, score_cutoff=SUGGEST_SCORE
                ):
                    best[name] = score
        return sorted(best.items(), key=lambda item: -item[1])[:limit]

    # Running text --------------------------------------------------------------------------

    def find(self, text: str) -> tuple[Mention, ...]:
        """Places mentioned in running text, in order; ordinary words need a locative cue.

        Results are cached: documents repeat their lines, and a reader asks for them twice.
        """
        return self._find_cached(text)

    def clear_cache(self) -> None:
        """Forget the texts already scanned (benchmarks read every document cold)."""
        self._find_cached.cache_clear()

    def _find(self, text: str) -> tuple[Mention, ...]:
        tokens = tokenize(text)
        casual = _is_casual(text, tokens)
        mentions: list[Mention] = []
        candidates = self._candidates(tokens)
        possible = set(candidates)  # no mention starts elsewhere
        resume = 0  # the first token no mention has used yet
        for i in candidates:
            if i < resume:
                continue
            mention, used = self._mention_at(text, tokens, i, casual)
            if mention and used > 1 and i + 1 in possible:
                # "dans le Pas-de-Calais": "le Pas" is a commune, but the longer name that
                # starts one word later is the one meant.
                later, later_used = self._mention_at(text, tokens, i + 1, casual)
                if later and i + 1 + later_used > i + used:
                    mention, used, i = later, later_used, i + 1
            if mention:
                mentions.append(mention)
                resume = i + used
        return tuple(mentions)

    def _candidates(self, tokens: Tokens) -> list[int]:
        """The tokens a mention may start at, in order; the others would make `_mention_at`
        find nothing. Most words begin no name, nor do most articles ("la", "les", "d")."""
        folded, joins = tokens.folded, tokens.joins
        # First, the words that may begin a mention at first sight, and the words after a
        # contraction ("au Mans" is "à Le Mans")…
        starts = self._starts
        previous = ["", *folded]
        rough = [i for i, word in enumerate(folded) if word in starts or previous[i] in _CONTRACTED]
        # … then of those, the words that are a name by themselves or begin one with the next
        # word or with the article of a contraction, and the numbers after "dans le".
        lone, beginnings = self._lone, self._beginnings
        last = len(folded) - 1
        found = []
        for i in rough:
            word = folded[i]
            if (
                word in lone
                or (i < last and joins[i + 1] and f"{word} {folded[i + 1]}" in beginnings)
                or ((article := _CONTRACTED.get(previous[i])) and f"{article} {word}" in beginnings)
                or (word in _DEPARTMENT_NUMBERS and _cue_before(tokens, i)[1] == "area")
            ):
                found.append(i)
        return found

    def _mention_at(
        self, text: str, tokens: Tokens, i: int, casual: bool
    ) -> tuple[Mention | None, int]:
        """The mention starting at token `i`, longest name first, and how many tokens it uses."""
        word = tokens.folded[i]
        is_code = word in _DEPARTMENT_NUMBERS
        contracted = i > 0 and tokens.folded[i - 1] in _CONTRACTED
        if word not in self._starts and not contracted:
            return None, 1  # most words begin no name at all
        lengths = self._name_lengths(tokens, i)
        if not lengths and not is_code:
            return None, 1
        cue, prefer = _cue_before(tokens, i)
        code = self._department_code_at(text, tokens, i, prefer) if is_code else None
        if code:
            return code, 1
        for n in reversed(lengths):
            found = self._name_at(text, tokens, i, n, cue, casual)
            if found:
                candidates, how, used = found
                # "dans la Vienne": the department before the town; "la CRESS Bretagne": the
                # region, not the village of 200 that shares its name.
                areas_first = prefer == "area" or (
                    prefer is None and _kind_by_size(candidates) == "area"
                )
                last = i + used - 1
                return self._mention(text, tokens, i, last, candidates, how, areas_first), used
        return None, 1

    def _name_lengths(self, tokens: Tokens, i: int) -> list[int]:
        """How many joined tokens from `i` on spell a known name (with the article a
        contraction such as "au" holds, for "au Mans"), shortest first."""
        folded, joins = tokens.folded, tokens.joins
        named, beginnings = self.gazetteer.named, self._beginnings
        word = folded[i]
        article = _CONTRACTED.get(folded[i - 1]) if i else None
        starts = (word, f"{article} {word}") if article else (word,)
        most = min(self._longest, len(folded) - i)  # tokens a name may take from `i` on
        lengths: list[int] = []
        for key in starts:
            n = 1
            while True:
                if named(key):
                    lengths.append(n)
                if n >= most or not joins[i + n]:
                    break
                key = f"{key} {folded[i + n]}"
                if key not in beginnings:
                    break
                n += 1
        return sorted(set(lengths)) if article else lengths

    def _department_code_at(
        self, text: str, tokens: Tokens, i: int, prefer: Preference
    ) -> Mention | None:
        """ "dans le 62": a department number after an area cue, not a street number."""
        folded = tokens.folded
        if prefer != "area" or not _DEPARTMENT_CODE.match(folded[i]):
            return None
        cue = tuple(folded[max(0, i - 2) : i])
        if cue[-2:] not in _DEPARTMENT_CUES and cue[-1:] not in _DEPARTMENT_CUES:
            return None  # "en 12 séances", "dans les 10 jours": a count, not a department
        following = folded[i + 1] if i + 1 < len(folded) and tokens.joins[i + 1] else ""
        if following in _ADDRESS_WORDS or (following.isalpha() and following not in _LINK_WORDS):
            return None
        place = self.gazetteer.get("department", folded[i])
        if place is None:
            return None
        return self._mention(text, tokens, i, i, [Candidate(place, "code")], "cue")

    def _name_at(
        self, text: str, tokens: Tokens, i: int, n: int, cue: CueStrength, casual: bool
    ) -> tuple[list[Candidate], Evidence, int] | None:
        """The place named by tokens i to i+n (joined), if they name one and the context agrees:
        its candidates, the evidence, and how many tokens the mention uses ("Paris 19e": 2)."""
        key = tokens.folded[i] if n == 1 else " ".join(tokens.folded[i : i + n])
        if key in _NEVER_A_NAME:
            return None
        contraction = tokens.folded[i - 1] if i else ""
        article = _CONTRACTED.get(contraction)
        if article and self.gazetteer.named(f"{article} {key}"):
            # "au Mans", "aux Lilas": the contraction held the article of the name;
            # "au bois" is a wood, not the former commune of Le Bois.
            key = f"{article} {key}"
            cue = cue if tokens.text[tokens.starts[i]].isupper() else None
        elif contraction in _CONTRACTED_CUES:
            cue = None  # "au SARCUS" names a venue, not the village of Sarcus
        matches = self.gazetteer.named(key)
        if not matches:
            return None
        candidates = [Candidate(m.place, m.source) for m in matches]
        used = n
        if key in _CITIES_WITH_ARRONDISSEMENTS:
            arrondissement, extra = self._arrondissement_after(tokens, i, n, key)
            if arrondissement:
                candidates, used = [Candidate(arrondissement, "arrondissement")], n + extra
        confirmed = self._evidence(tokens, i, used, candidates)
        how: Evidence | None
        if confirmed is not None:
            candidates, how = confirmed
        elif _in_street_name(tokens, i):
            return None
        else:
            how = _judge(key, tokens, i, n, candidates, cue, casual)
            if how is None:
                return None
        return candidates, how, used

    def _arrondissement_after(
        self, tokens: Tokens, i: int, n: int, key: str
    ) -> tuple[Place | None, int]:
        """ "Paris 19e" or "Paris XIXe arrondissement" after a city name."""
        folded = tokens.folded
        if key not in _CITIES_WITH_ARRONDISSEMENTS or i + n >= len(folded):
            return None, 0
        following = folded[i + n]
        if not tokens.joins[i + n] or _ordinal_number(following) is None:
            return None, 0
        after = folded[i + n + 1] if i + n + 1 < len(folded) else ""
        if following.isdigit() and after in _NOT_AFTER_ARRONDISSEMENT:
            return None, 0  # "à Marseille 12 mars", "Paris 13 et 14 mars": a date, not the 12e
        extra = 2 if after in _ARRONDISSEMENT_WORDS else 1
        return self._arrondissement([key, following]), extra

    def _evidence(
        self, tokens: Tokens, i: int, used: int, candidates: list[Candidate]
    ) -> tuple[list[Candidate], Evidence] | None:
        """Candidates confirmed by a postcode before the name or a department code after it."""
        folded = tokens.folded
        postcode = folded[i - 1] if i else ""
        if len(postcode) == 5 and postcode.isdigit():
            department = _department_of_postcode(postcode)
            confirmed = [c for c in candidates if postcode in c.place.postcodes] or [
                c for c in candidates if _in_department(c.place, department)
            ]
            if confirmed:
                return self._arrondissement_of(confirmed, postcode), "postcode"
        after = i + used
        if after < len(folded) and folded[after] in _DEPARTMENT_CODES:
            department = folded[after].upper()
            confirmed = [c for c in candidates if _in_department(c.place, department)]
            if confirmed:
                return confirmed, "code"
        return None

    def _arrondissement_of(self, candidates: list[Candidate], postcode: str) -> list[Candidate]:
        """ "75019 Paris": the arrondissement that postcode serves, rather than the whole city."""
        city = candidates[0].place
        for place in self.gazetteer.with_postcode(postcode):
            if place.parent == city.code:
                return [Candidate(place, "postcode")]
        return candidates

    def _mention(
        self,
        text: str,
        tokens: Tokens,
        first: int,
        last: int,
        candidates: list[Candidate],
        evidence: Evidence,
        areas_first: bool = False,
    ) -> Mention:
        """The mention of tokens `first` to `last` (included), departments and regions before
        communes if `areas_first`; homonyms make it ambiguous in the gazetteer's order."""
        start, end = tokens.starts[first], tokens.ends[last]
        phrase = text[start:end]
        ambiguous = _is_ambiguous(candidates)
        if areas_first:
            candidates = sorted(candidates, key=lambda c: c.place.kind == "commune")
        resolution = Resolution(phrase, tuple(candidates), ambiguous=ambiguous)
        return Mention(start, end, phrase, resolution, evidence)


def _judge(
    key: str,
    tokens: Tokens,
    i: int,
    n: int,
    candidates: list[Candidate],
    cue: CueStrength,
    casual: bool,
) -> Evidence | None:
    """Whether a name found in running text, tokens i to i+n, is a place there rather than an
    ordinary word."""
    if n == 1:  # the usual case, read at once
        words = [tokens.word(i)]
        capitalised = words[0][:1].isupper()
    else:  # articles and prepositions do not count: "la Bassée" is written as a name
        span = range(i, i + n)
        words = [tokens.word(j) for j in span if tokens.folded[j] not in _WEAK_WORDS]
        words = words or [tokens.word(i)]
        capitalised = any(word[:1].isupper() for word in words)
    article, _, rest = key.partition(" ")
    if key in ORDINARY_WORDS or (article in _WEAK_WORDS and rest in ORDINARY_WORDS):
        if cue == "strong" and (capitalised or casual):
            return "cue"
        communes = [c.place.population for c in candidates if c.place.kind == "commune"]
        # "Tours" and "Nice" written as names count; "TOURS" in capitals could be the word,
        # and so could "Nice" opening a sentence.
        big = max(communes, default=0) >= BIG_CITY
        if big and words[0].istitle() and not _opens_sentence(tokens.text, tokens.starts[i]):
            return "name"
        return None
    if cue and (capitalised or casual):
        return "cue"
    return "name" if capitalised else None


def _is_casual(text: str, tokens: Tokens) -> bool:
    """Whether the writer capitalises nothing but sentence starts: "Quoi de prévu à tours ?"."""
    return not any(
        text[start].isupper() and not _opens_sentence(text, start)
        for start in tokens.starts
        if text[start].isalpha()
    )


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of a sentence, a line or a list item."""
    window = max(0, start - 16)
    before = text[window:start].rstrip(" \t*_-•–—>\"'«“(")
    return not before or before[-1] in ".!?:;\n"


def _in_street_name(tokens: Tokens, i: int) -> bool:
    """Whether token `i` continues a street or venue name: "Porte de la Villette"."""
    folded, joins = tokens.folded, tokens.joins
    j = i - 1
    # Skip the articles and prepositions between the street word and the name.
    while j >= 0 and folded[j] in _WEAK_WORDS and joins[j + 1]:
        j -= 1
    return j >= 0 and joins[j + 1] and folded[j] in _STREET_WORDS


def _cue_before(tokens: Tokens, i: int) -> tuple[CueStrength, Preference]:
    """Locative words right before token `i`, how strong they are, and the kind they prefer.

    Some cues are weak, enough only for names that are no word: an unaccented "a" is as often
    the verb ("il y a eu") or the English article ("a very busy day") as a careless "à"; "en",
    "sur", "vers" start as many expressions ("en Mars 2025", "sur place") as places.
    """
    folded = tokens.folded
    lengths = _CUE_LENGTHS.get(folded[i - 1]) if i else None
    if lengths is None:
        return None, None
    for length in lengths:
        if i < length:
            continue
        words = tuple(folded[i - length : i])
        prefer = _CUES.get(words)
        if prefer is not None:
            weak = words in _WEAK_CUES or (length == 1 and tokens.word(i - 1) in ("a", "A"))
            return ("weak" if weak else "strong"), prefer
    return None, None


def _strip_one_cue(tokens: list[str], hints: _Hints) -> list[str] | None:
    """Drop one leading cue or article; None when there is none to drop."""
    for cues, prefer in ((_AREA_CUES, "area"), (_COMMUNE_CUES, "commune"), (_WEAK_PREFIXES, None)):
        for cue in sorted(cues, key=len, reverse=True):
            if len(tokens) > len(cue) and tuple(tokens[: len(cue)]) == cue:
                hints.prefer = hints.prefer or prefer  # type: ignore[assignment]
                article = _CONTRACTED.get(cue[-1])
                hints.extra = [article] if article else []
                return tokens[len(cue) :]
    return None


def _strip_cues(tokens: list[str], hints: _Hints) -> list[str]:
    while (stripped := _strip_one_cue(tokens, hints)) is not None:
        tokens = stripped
    return tokens


def _is_ordinal_phrase(tokens: list[str]) -> bool:
    """ "Paris 19" is an arrondissement; "Paris 75" a city and its department."""
    return (
        len(tokens) == 2
        and tokens[0] in _CITIES_WITH_ARRONDISSEMENTS
        and _ordinal_number(tokens[1]) is not None
    )


def _ordinal_number(word: str) -> int | None:
    """ "19e" -> 19, "1er" -> 1, "xiie" -> 12, "19" -> 19; arrondissements run 1 to 20."""
    match = _ORDINAL.match(word)
    if not match:
        return None
    digits = match.group(1)
    number = int(digits) if digits.isdigit() else _roman(digits)
    return number if number is not None and 1 <= number <= 20 else None


def _roman(numeral: str) -> int | None:
    values = [_ROMAN[ch] for ch in numeral]
    total = sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))
    return total if total > 0 else None


def _department_of_postcode(postcode: str) -> str:
    """Department of a postcode or CEDEX code: "62008" -> "62", "97490" -> "974", "20000" -> 2A."""
    if postcode.startswith("97") or postcode.startswith("98"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


def _in_department(place: Place, department: str) -> bool:
    return place.department == department


def _kind_by_size(found: Sequence[Candidate]) -> Preference:
    """ "La Réunion" is the island, not the village of 300 that shares its name."""
    if len(found) < 2:  # it takes a commune and an area
        return None
    communes = [c.place.population for c in found if c.place.kind == "commune"]
    areas = [c.place.population for c in found if c.place.kind != "commune"]
    if communes and areas and max(areas) > max(communes) / AMBIGUITY_SHARE:
        return "area"
    return None


def _is_ambiguous(candidates: Sequence[Candidate]) -> bool:
    """Homonyms of one kind and comparable size, with nothing to choose between them."""
    if len(candidates) < 2:
        return False
    leader, runner = candidates[0].place, candidates[1].place
    if leader.kind != runner.kind:
        return False
    return runner.population >= AMBIGUITY_SHARE * max(leader.population, 1)


def _unique(places: Iterable[Place]) -> list[Place]:
    seen: set[tuple[PlaceKind, str]] = set()
    result = []
    for place in places:
        if (place.kind, place.code) not in seen:
            seen.add((place.kind, place.code))
            result.append(place)
    return result


@cache
def default_resolver() -> PlaceResolver:
    """The resolver over the default gazetteer, built once per process."""
    return PlaceResolver(load_gazetteer())


def resolve_place(text: str, *, department: str | None = None) -> Resolution:
    """Resolve a phrase naming one French place with the default gazetteer."""
    return default_resolver().resolve(text, department=department)


def find_places(text: str) -> tuple[Mention, ...]:
    """Find the French places that running text mentions, with the default gazetteer."""
    return default_resolver().find(text)
