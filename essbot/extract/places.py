"""Where an event takes place: venue, street address, postcode, town, from its text.

"à la Cité de la dentelle et de la mode, 135 quai du Commerce 62100 CALAIS (62)" gives the
venue "Cité de la dentelle et de la mode", the address "135 quai du Commerce", the postcode
62100 and Calais; "au château de Martot, Rue de la Mairie à Martot" gives a venue, an address
and Martot; "Au Toit Commun" gives a venue whose town the document may establish elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from essbot.extract.patterns import Gated, holds_any
from essbot.extract.titles import kind_of
from essbot.geo import Mention, Place, PlaceResolver
from essbot.geo.normalize import fold_word

_TBD_WORDS = (
    r"lieu\s+(?:encore\s+)?(?:à|a)\s+(?:préciser|preciser|définir|definir|confirmer|venir)|"
    r"(?:venue|location|place)\s+(?:to\s+be\s+confirmed|tbc|tba)"
)
# "(lieu à préciser ultérieurement)" whole, or a bare "lieu à confirmer" up to its punctuation.
_TBD = Gated(
    rf"\(\s*(?:{_TBD_WORDS})[^)\n]*\)|(?:{_TBD_WORDS})[^,;.()\n]*",
    ("lieu", "venue", "location", "place"),
    re.IGNORECASE,
)
_ONLINE = Gated(
    r"\b(?:webinaires?|webinars?|visio(?:conf[ée]rence)?s?|en ligne|online|distanciel|zoom)\b",
    ("webina", "visio", "en ligne", "online", "distanciel", "zoom"),
    re.IGNORECASE,
)
_STREET_WORDS = (
    r"rue|avenue|av\.|boulevard|bd|quai|place|square|parc|all[ée]e|chemin|impasse|route|cours|"
    r"esplanade|grand[- ]place|rond-point|promenade|passage|voie|faubourg|mail|street|road"
)
# Every street word holds one of these (lower case): texts with none have no address.
_STREET_HINTS = (
    "rue", "av", "bd", "boulevard", "quai", "place", "square", "parc", "all", "chemin", "impasse",
    "route", "cours", "esplanade", "point", "promenade", "passage", "voie", "faubourg", "mail",
    "street", "road",
)  # fmt: skip
_ADDRESS_PATTERN = (
    rf"(?<![\w-])(?:(?P<number>(?!(?:19|20)\d\d\b)\d{{1,4}}(?:\s*[-–]\s*\d{{1,4}})?"
    rf"(?:\s*(?:bis|ter)\b)?),?\s+)?"
    rf"(?P<street>{_STREET_WORDS})"
    r"\b[^,;:()\n]*"
)
_ADDRESS = re.compile(_ADDRESS_PATTERN, re.IGNORECASE)
# The same on lower-case text: Python's re scans it twice as fast without IGNORECASE.
_ADDRESS_LOWER = re.compile(_ADDRESS_PATTERN)
_ADDRESS_END = re.compile(r"\s+\d{5}\b|\s+(?:à|a)\s+\S|\s*\($")
_VENUE_CUE_WORDS = (
    # "à la" lower case: in "à La Commanderie" the article belongs to the name
    r"(?:(?:à\s+(?-i:la)|a\s+(?-i:la)|au|aux|dans\s+les|dans\s+la|dans\s+le|sur\s+le|chez|"
    r"devant\s+(?-i:la|le|les)|at\s+the|at)\s+|(?:à|devant)\s+l['’]\s*|"
    r"à\s+(?=(?-i:La|Le|Les)\s))"
)
# Where a venue's name may open: after a cue word (_VENUE_CUE), or with no cue right after a
# separator (_AFTER_SEPARATOR), or at the start of the text (_VENUE_CUE_FIRST). Cue words are
# first looked for in lower case (_CUE_WORD), which Python's re scans far faster than a
# pattern with IGNORECASE and scoped case rules; each candidate is then checked in full.
_VENUE_CUE = re.compile(_VENUE_CUE_WORDS, re.IGNORECASE)
_CUE_WORD = re.compile(r"[\s,;(.](?=(?:à|a|au|aux|dans|sur|chez|devant|at)\s)")
_CUE_WORD_ANY_CASE = re.compile(_CUE_WORD.pattern, re.IGNORECASE)
_AFTER_SEPARATOR = re.compile(r"[,;:–—|▸·•]\s(?=\w)")
_VENUE_CUE_FIRST = re.compile(rf"{_VENUE_CUE_WORDS}|(?=\w)", re.IGNORECASE)
VENUE_WORDS = {
    "salle", "chateau", "maison", "espace", "locaux", "stand", "auberge", "hotel", "mairie",
    "pavillon", "centre", "cite", "mediatheque", "bibliotheque", "theatre", "cinema", "gymnase",
    "foyer", "ferme", "tiers", "amphi", "amphitheatre", "campus", "lycee", "college", "ecole",
    "musee", "halle", "halles", "palais", "domaine", "abbaye", "chapelle", "eglise", "grange",
    "cafe", "restaurant", "local", "siege", "hall", "auditorium", "hangar", "friche",
    "jardin", "jardins", "parc", "mjc", "pole", "camp", "ressourcerie", "recyclerie",
}  # fmt: skip
_NOT_VENUES = {"ess", "economie", "etat", "europe", "initiative", "occasion", "honneur"}
_VENUE_END = re.compile(
    rf"[,;:)]|\.\s|\.$|\s+[-–—]\s+|\s+\d{{5}}\b|\s+(?:à|a)\s+[A-ZÀ-Ü]|\s*\(|[»\"”]|"
    rf"\s(?:pour|avec|dans le cadre|afin|sur le thème|autour)\s|"
    rf"\s+\d{{1,4}}(?:\s*(?:bis|ter))?,?\s+(?:{_STREET_WORDS})\b",
    re.IGNORECASE,
)
_WORD_AT = re.compile(r"\s*(\S+)")
_DEPARTMENT_IN_BRACKETS = re.compile(r"\s*\d{2,3}\s*")
_TIME_AHEAD = re.compile(r"\d{1,2}\s*h")
_BRACKETS_AHEAD = re.compile(r"\s*\(([^()]{3,80})\)")
_SHORT_PARENTHESIS = re.compile(r"\s*\(([^()]{1,12})\)")
_POSTCODE_BEFORE = re.compile(r"(\d{5})\s*$")
_SYMBOLS_AFTER = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")
_STATUS = re.compile(
    r"complet|annul[ée]e?|report[ée]e?|gratuit|sur inscription|full|sold out|cancell?ed|free",
    re.IGNORECASE,
)
# "97490 Sainte-Clotilde", or a postcode alone in brackets: "Friche la Belle de Mai (13003)"
# A locality's name after a postcode: capitals ("CALAIS"), a saint, or a compound name.
_LOOKS_LIKE_LOCALITY = re.compile(
    r"(?:[A-ZÀ-Ü'’ -]{3,}\b|(?:Saint|Sainte|St|Ste|Le|La|Les|L['’])\b|\w+-\w+)"
)
_POSTCODE_TOWN = re.compile(r"\b(\d{5})\s+[A-ZÀ-Ü]|\((\d{5})\)")
_FIVE_DIGITS = re.compile(r"\d{5}")  # re finds it fast: a text without it has no postcode
_NAME_REACH = 4  # words before a bare town name in a text that names its place


@dataclass(frozen=True, slots=True)
class PlaceReading:
    """What a text says about where an event is."""

    venue: str | None = None
    address: str | None = None
    postcode: str | None = None
    town: Place | None = None
    department: Place | None = None
    tbd: bool = False
    online: bool = False
    named_unknown: bool = False  # a postcode with no town the gazetteer knows


def without_place_remarks(text: str) -> str:
    """The text without "(lieu à préciser ultérieurement)" and the like."""
    return _TBD.sub(" ", text)


def is_online(text: str) -> bool:
    """Whether a text says the event happens online (webinaire, visio, en ligne…); words in
    quotes name something else ("formation « Gérer les contrats en ligne »")."""
    return _ONLINE.may_match(text) and _ONLINE.pattern.search(_QUOTED.sub(" ", text)) is not None


def read_place(
    text: str,
    resolver: PlaceResolver,
    *,
    home: Callable[[], Place | None] | None = None,
    mentions: Sequence[Mention] | None = None,
) -> PlaceReading:
    """Read the place of one event from its text; `home` gives the document's own town (asked
    only for a venue that names no town); `mentions`, the places found in `text` if known."""
    lower = text.lower()
    tbd = holds_any(lower, _TBD.hints) and _TBD.pattern.search(text) is not None
    if tbd:  # blank the remark out, keeping every offset
        text = _TBD.pattern.sub(lambda match: " " * len(match.group()), text)
        lower = text.lower()
    online = is_online(text)
    if mentions is None:
        mentions = resolver.find(text)
    if len(lower) != len(text):  # a letter whose lower case is longer: offsets would shift
        lower = ""
    streets = _streets(text, lower)
    venue_span = _venue(text, lower, mentions, streets[0] if streets else None)
    venue = _clean_venue(text[venue_span[0] : venue_span[1]]) if venue_span else None
    address = _address(text, streets)
    town_mention = _town(text, mentions, venue_span)
    town = town_mention.place if town_mention else None
    named_unknown = False
    if town is None:
        town = _town_closing(text, resolver)
    if town is None:
        town, named_unknown = _town_of_postcode(text, resolver)
    if town is None and (venue or tbd) and home is not None:
        town = home()  # "Au Toit Commun", "lieu à préciser": in the town the document is about
    postcode = _postcode(text, town_mention, town)
    department = None
    if town is None:
        department = next((m.place for m in mentions if m.place.kind == "department"), None)
    if venue is None:
        venue = _venue_in_brackets(text, mentions) or _venue_before_address(
            text, mentions, streets[0] if streets else None
        )
    if venue is None and town_mention is not None:
        venue = _venue_beside_town(text, town_mention, mentions)
    return PlaceReading(venue, address, postcode, town, department, tbd, online, named_unknown)


_CLOSING_CLAUSE = re.compile(r",\s*([A-ZÀ-Ü][\w'’ -]{1,40}?)\s*[.!]?\s*$")


def _town_closing(text: str, resolver: PlaceResolver) -> Place | None:
    """ "…, Maison de l'ESS, Le Port": a commune's name alone closing the text is its town,
    even a name that is also a word and needs a cue in running text."""
    closing = _CLOSING_CLAUSE.search(text)
    if closing is None or len(closing.group(1).split()) > _CLOSING_WORDS:
        return None
    best = resolver.resolve(closing.group(1), fuzzy=False).best
    return best if best is not None and best.kind == "commune" else None


_CLOSING_WORDS = 4


def _town_of_postcode(text: str, resolver: PlaceResolver) -> tuple[Place | None, bool]:
    """ "97490 Sainte-Clotilde": a locality the gazetteer does not list, whose postcode names a
    single commune. Returns that commune, or None and whether an unknown town was written."""
    written = _postcode_town(text)
    if written is None:
        return None, False
    name = text[written.end() - 1 :].split(",")[0].strip() if written.group(1) else ""
    if name and not _LOOKS_LIKE_LOCALITY.match(name):
        return None, False  # "20000 Visiteurs attendus", "15000 Euros": a number, not a place
    served = resolver.gazetteer.with_postcode(written.group(1) or written.group(2))
    return (served[0], False) if len(served) == 1 else (None, bool(served))


def _postcode_town(text: str) -> re.Match[str] | None:
    """ "62100 CALAIS", "(13003)": the first postcode written with its town, or alone."""
    return _POSTCODE_TOWN.search(text) if _FIVE_DIGITS.search(text) else None


def _town(text: str, mentions: Sequence[Mention], venue: tuple[int, int] | None) -> Mention | None:
    """The commune where the event is: confirmed by a postcode or a department code, else
    after "à", else inside the venue's name, else a capitalised name when there is no venue."""
    communes = [m for m in mentions if m.place.kind == "commune"]
    for evidence in ("postcode", "code", "cue"):
        chosen = [m for m in communes if m.evidence == evidence]
        if chosen:
            return chosen[-1] if evidence == "postcode" else chosen[0]
    # A bare capitalised name counts where a place is expected: set apart by a comma or a dash
    # ("Couvent des Jacobins, Rennes", "- Paris (…)") or near the start ("Nancy (accueil …)").
    # Elsewhere it may be a person ("Matthieu Lépine") or part of a venue's name.
    apart = [m for m in communes if _set_apart(text, m)]
    if apart:
        return apart[0]
    if venue is not None:
        inside = [
            m
            for m in communes
            if venue[0] <= m.start and m.end <= venue[1] and "(" not in text[venue[0] : m.start]
        ]
        if inside:
            return inside[0]
    near_start = [m for m in communes if _words_before(text, m.start) <= _NAME_REACH]
    return near_start[0] if near_start else None


def _set_apart(text: str, mention: Mention) -> bool:
    """ "…, Quimper", "– Tours (complet)": a name after a comma or a dash, ending its phrase;
    or closing a venue's name: "Parc des Expositions de Mulhouse, de 10h à 19h"."""
    before = text[max(0, mention.start - 3) : mention.start]
    after = _SYMBOLS_AFTER.sub("", text[mention.end : mention.end + 3]).lstrip()
    ends_phrase = not after or after[0] in ",.;:()-–—|▸·•"
    separated = before.rstrip()[-1:] in (",", "-", "–", "—", "|", "▸", "·", "•")
    of_the_venue = re.search(r"(?:\bde |\bd['’])$", before) is not None
    return ends_phrase and (separated or of_the_venue)


def _words_before(text: str, position: int) -> int:
    return len(text[: min(position, 200)].split()) if position <= 200 else _NAME_REACH + 1


def _venue(
    text: str, lower: str, mentions: Sequence[Mention], address: re.Match[str] | None
) -> tuple[int, int] | None:
    """The span of the venue's name: after "à la", "au", "dans les locaux de"… or after a
    comma when it opens with a venue word ("salle 02 et 06"). Consecutive venue phrases
    ("Mairie de Roubaix, Salle Pierre de Roubaix (B1-A)") make one venue; of separate ones, the
    last before the address (the first street the text names) wins."""
    spans: list[tuple[int, int]] = []
    cued: set[int] = set()  # the starts of venues said with "au", "à la", "chez"…
    for cue_start, start in _venue_cues(text, lower):
        if spans and start < spans[-1][1]:
            continue
        word = _WORD_AT.match(text, start)
        if word is None:
            continue
        first = fold_word(word.group(1))
        is_cued = not text[cue_start:start].isspace() and cue_start < start
        if not first or first[0] in _NOT_VENUES:
            continue
        opens_venue = first[0] in VENUE_WORDS and not _ADDRESS.match(text, start)
        if not (opens_venue or (is_cued and word.group(1)[:1].isupper())):
            continue
        end_match = _VENUE_END.search(text, start + 1)
        end = end_match.start() if end_match else len(text)
        parenthesis = _SHORT_PARENTHESIS.match(text, end)
        if parenthesis and not _DEPARTMENT_IN_BRACKETS.fullmatch(parenthesis.group(1)):
            end = parenthesis.end()
        if end <= start or _is_town(text, start, end, mentions) or _starts_with_time(text, start):
            continue
        spans.append((start, end))
        if is_cued:
            cued.add(start)
    if not spans:
        return None
    # Join phrases separated by a comma only; keep the group nearest the address.
    groups: list[tuple[int, int]] = [spans[0]]
    for start, end in spans[1:]:
        if text[groups[-1][1] : start].strip() in (",", ""):
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    if address is None:
        # "Café-ESS à Dunkerque …, 18h30, au Bateau Feu": the event's name may open with a
        # venue word; the venue said with its "au" comes later.
        said = [g for g in groups[1:] if g[0] in cued]
        return said[-1] if said and groups[0][0] not in cued else groups[0]
    before_address = [g for g in groups if g[0] < address.start()]
    return (before_address or groups)[-1]


def _venue_cues(text: str, lower: str) -> Iterator[tuple[int, int]]:
    """Where venues may open, as the (start, end) of their cue, in order and not overlapping,
    the start of the text included; `lower` is the text in lower case ("" when its offsets
    differ from the text's). A cue word wins over a bare separator where both start."""
    first = _VENUE_CUE_FIRST.match(text)
    taken = first.end() if first is not None else 0
    if first is not None:
        yield first.span()
    # Both patterns match the character before the cue, which re finds fast.
    words = _CUE_WORD.finditer(lower, taken) if lower else _CUE_WORD_ANY_CASE.finditer(text, taken)
    cued = (_VENUE_CUE.match(text, word.end()) for word in words)
    spans = [cue.span() for cue in cued if cue is not None]
    spans += ((after.end(), after.end()) for after in _AFTER_SEPARATOR.finditer(text, taken))
    spans.sort(key=lambda span: (span[0], span[1] == span[0]))
    for start, end in spans:
        if start >= taken:
            yield start, end
            taken = max(end, start + 1)


def _streets(text: str, lower: str) -> list[re.Match[str]]:
    """The matches of _ADDRESS in the text, found on its lower-case form when given."""
    if not lower:
        return list(_ADDRESS.finditer(text))
    if not holds_any(lower, _STREET_HINTS):
        return []
    found = (_ADDRESS.match(text, m.start()) for m in _ADDRESS_LOWER.finditer(lower))
    return [m for m in found if m is not None]


def _is_town(text: str, start: int, end: int, mentions: Sequence[Mention]) -> bool:
    """Whether a would-be venue is a town's name after "à" ("à Lens", "à Rouen boulevard…"),
    rather than a venue that bears a town's name ("au SARCUS", "au Paris Event Center")."""
    return any(m.start == start and m.evidence != "name" for m in mentions)


def _starts_with_time(text: str, start: int) -> bool:
    return _TIME_AHEAD.match(text, start) is not None


def _clean_venue(venue: str) -> str | None:
    venue = venue.strip(" ,;:.-–—")
    return venue or None


def _venue_in_brackets(text: str, mentions: Sequence[Mention]) -> str | None:
    """ "Paris (Assemblée Nationale - Salle Victor Hugo)": the venue in brackets after a town."""
    for mention in mentions:
        after = _BRACKETS_AHEAD.match(text, mention.end)
        inside = after.group(1).strip() if after else ""
        # A capitalised name, not a department code, a remark ("accueil par le conseil…"), a
        # status ("COMPLET") nor another town's name ("Hauts de Bienne (Morez)").
        if (
            inside[:1].isupper()
            and not re.fullmatch(r"\d{2,3}", inside)
            and not _STATUS.fullmatch(inside)
            and not any(m.start > mention.end and m.place.kind == "commune" for m in mentions)
        ):
            return inside
    return None


_CLAUSE_BREAK = re.compile(r"[;|\n▸•►→➡:(),]|\s[-–—]\s")
_NAME_LINKS = frozenset(("de", "du", "des", "la", "le", "les", "et", "en", "sur", "aux", "au"))
_ELISION = re.compile(r"^[lLdD]['’]")
_LONGEST_NAME = 5


def _venue_before_address(
    text: str, mentions: Sequence[Mention], street: re.Match[str] | None
) -> str | None:
    """ "Le Solilab, 8 rue de Saint-Domingue": a name in capitals right before the address,
    with no venue word to announce it. Not a town ("Nantes, 8 rue…"), nor a phrase
    ("Rendez-vous devant la Ressourcerie, 2 rue des Halles")."""
    address = street or _postcode_town(text)  # "Le Talus, 13012 Marseille"
    if address is None:
        return None
    before = text[: address.start()].rstrip()
    if not before.endswith(","):
        return None
    clause = _CLAUSE_BREAK.split(before[:-1])[-1].strip()
    return clause if _is_name(clause, before.rfind(clause), mentions) else None


def _venue_beside_town(text: str, town: Mention, mentions: Sequence[Mention]) -> str | None:
    """ "…, Atrium, Fort-de-France", "…, Maubeuge, La Luna": a name in capitals in the clause
    next to the town's."""
    before = text[: town.start].rstrip()
    if before.endswith(","):
        clause = _CLAUSE_BREAK.split(before[:-1])[-1].strip()
        if _is_name(clause, before.rfind(clause), mentions):
            return clause
    after = text[town.end :]
    if after.lstrip().startswith(","):
        rest = after.lstrip()[1:]
        clause = _CLAUSE_BREAK.split(rest)[0].strip()
        start = town.end + len(after) - len(rest) + rest.find(clause)
        if _is_name(clause, start, mentions):
            return clause
    return None


def _is_name(clause: str, start: int, mentions: Sequence[Mention]) -> bool:
    """A short name in capitals ("Le Solilab", "La Cantine du Voyage"): not a phrase, not an
    event ("Salon des Initiatives Solidaires"), not a place the gazetteer knows."""
    words = clause.split()
    if not 0 < len(words) <= _LONGEST_NAME or any(ch.isdigit() for ch in clause):
        return False
    named = [_ELISION.sub("", word) for word in words]
    if not named[0][:1].isupper() or not all(
        word[:1].isupper() or word.lower() in _NAME_LINKS for word in named
    ):
        return False
    if kind_of(words[0]):
        return False
    return not any(m.start < start + len(clause) and start < m.end for m in mentions)


def _address(text: str, streets: Sequence[re.Match[str]]) -> str | None:
    """The street address: "135 quai du Commerce", "Rue de la Mairie", "Parc Gouraud", from
    the matches of _ADDRESS in the text."""
    for match in streets:
        street = match.group("street")
        # A lower-case street word with no number is often a word ("prendre place",
        # "réservation par mail", "passage de relais"), unless a name follows: "place de la
        # République", "boulevard Gambetta".
        if (
            not match.group("number")
            and street.islower()
            and not re.match(
                r"\s+(?:de\s+la\s+|de\s+|du\s+|des\s+|de\s+l['’]|d['’])?[A-ZÀ-Ü0-9]",
                text[match.start("street") + len(street) :],
            )
        ):
            continue
        address = match.group()
        end = _ADDRESS_END.search(address)
        if end:
            address = address[: end.start()]
        address = address.strip(" ,;:.-")
        # "Parc Gouraud", "17 Grand place": a street word needs a name or a number with it.
        if len(address.split()) >= 2:
            return address
    return None


def _postcode(text: str, mention: Mention | None, town: Place | None) -> str | None:
    """The postcode written before the town, else the town's only postcode."""
    if mention is not None:
        before = _POSTCODE_BEFORE.search(text[: mention.start].rstrip())
        if before:
            return before.group(1)
    elif town is not None:
        locality = _postcode_town(text)
        written = (locality.group(1) or locality.group(2)) if locality else None
        if written and written in town.postcodes:
            return written
    if town is not None and len(town.postcodes) == 1:
        return town.postcodes[0]
    return None
