"""The phrases around a date: what opens a line, what describes an event, the clause that
names what is dated. Pure functions on strings."""

from __future__ import annotations

import re

from essbot.extract.dates import DateMention
from essbot.extract.places import VENUE_WORDS, is_online, without_place_remarks
from essbot.extract.text import fold_same_length
from essbot.extract.times import find_times
from essbot.extract.titles import kind_of, strip_symbols
from essbot.geo import PlaceResolver

_WHEN_OPENING = re.compile(
    r"^[\s,;:–—-]*(?:(?:de|dès|des|à|a|à partir de|a partir de|from|at|vers)\s+)?$", re.IGNORECASE
)
_VERB_BEFORE_DATE = re.compile(
    r"(?:(?:\s+|^)(?:(?:aura|auront|a|ont)\s+(?:finalement\s+)?lieu|(?:se\s+)?tiendr[ao]n?t?|"
    r"(?:sera|seront|est|sont)\s+(?:organisée?s?|prévue?s?|programmée?s?|reportée?s?)|"
    r"(?:will\s+)?take\s+place|(?:will\s+be|is)\s+held))?"
    r"(?:(?:\s+|^)(?:le|les|du|au|à|a|on|from))?\s*$",
    re.IGNORECASE,
)
# The same verbs followed by the place: "se tiendront à Reims les 11 et 12 juin".
_VERB_BEFORE_PLACE = re.compile(
    r"\s+(?:(?:aura|auront)\s+lieu|(?:se\s+)?tiendr[ao]n?t?|(?:will\s+)?take\s+place|"
    r"(?:will\s+be|is)\s+held)\s+(?:à|a|au|aux|en|dans|at|in)\s",
    re.IGNORECASE,
)
# "La Semaine de l'ESS à l'École revient du 16 au 21 mars": what returns is the event.
_RETURNS = re.compile(r"\s+(?:revient|reviennent|est de retour|sont de retour|returns|is back)\b")
# "L'atelier prévu le 3 février est reporté au…": the old date is no part of the title.
_PLANNED_FOR = re.compile(r"\s+(?:initialement\s+)?prévue?s?\s+(?:le|pour|du)\s.*$", re.IGNORECASE)
# "La CRESS Corse vous donne rendez-vous", "La Ressourcerie vous ouvre ses portes": an
# invitation says who invites, not what the event is.
INVITATION = re.compile(
    r"\b(?:vous\s+(?:donnen?t?|inviten?t?|attenden?t?|ouvren?t?|accueillen?t?|convien?t?)|"
    r"organisen?t?|proposen?t?|lancen?t?|invites?\s+you|welcomes?)\b",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+(?:et|and|puis)$", re.IGNORECASE)
_ADDRESS_CLAUSE = re.compile(
    r"^\s*(?:\d{1,4}(?:\s*(?:bis|ter))?,?\s+)?(?:rue|avenue|boulevard|place|quai|chemin|allée|"
    r"route|impasse|square|esplanade|parc|cours|promenade|grand[- ]place|zone|za|zi)\s|"
    r"\b\d{5}\b",  # any clause with a postcode in it
    re.IGNORECASE,
)
PLACE_OPENING = re.compile(
    # a lower-case "a" is a careless "à"; "A pre-conference workshop" is English
    r"^\s*(?:[-–—,/]\s*)?(?:à|(?-i:a)|au|aux|dans|sur|chez|at|in)\b"
    r"(?!\s+(?:le cadre|programme|inscription|réservation|rendez-vous|the\s+(?:frame|context)))",
    re.IGNORECASE,
)
_COPULA = re.compile(r"(?:c['’]est|ce sera|ce sont|it['’]s|it is|voici|rendez-vous)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ü«\"])")
_SHORT_LINE = 60
_SENTENCE = 400  # characters: no sentence of an announcement is longer
# Clauses of a description: commas, semicolons, and dashes between spaces ("– 14h –").
_CLAUSE = re.compile(r"\s*[,;|▸·•]\s*|\s+[–—-]\s+")
# "toute la journée", "en soirée", "all day": when, said in words.
_PART_OF_DAY = re.compile(
    r"(?:toute\s+la|en|dans\s+la|en\s+fin\s+de|en\s+début\s+de|le|la)?\s*"
    r"(?:journée|journee|soirée|soiree|matinée|matinee|après-midi|apres-midi|matin|soir)"
    r"(?:\s+entière|\s+entiere)?|all\s+day|(?:in\s+the\s+)?(?:morning|afternoon|evening)",
    re.IGNORECASE,
)
_NAME_WORDS = 3  # "Saint-Denis", "Le Port", "Pointe-à-Pitre": a capitalised name alone
_TOWN_COMMA = re.compile(r"\s*[A-ZÀ-Ü][\w'’ -]{1,40},\s*(?:le\s+|on\s+)?")


_DETAIL_PICTOGRAPH = re.compile(r"\s*[📍📌🗓📅🕐🕑🕒🕓🕔🕕🕖🕗🕘🕙🕚🕛⏰⌚]")


def opens_line(text: str, mention: DateMention) -> bool:
    """Whether a date opens its line ("Mardi 27 Septembre …", "le 12 mars : …", and a short
    "Strasbourg, 24–25 November 2025")."""
    # "🏆 Mardi 3 décembre, 18h30 — Soirée des Trophées": a pictograph opens nothing; but a
    # calendar or a clock ("🗓️ samedi 1er juin dès 10h") details the event above it.
    before = text[: mention.start]
    if not _DETAIL_PICTOGRAPH.match(before):
        before = strip_symbols(before)
    before = fold_same_length(before).strip(" -–—*•:\ufe0f")
    if before in ("", "le", "les", "du", "on", "the"):
        return True
    return len(text) <= _SHORT_LINE and _TOWN_COMMA.fullmatch(text[: mention.start]) is not None


def description(lead: str) -> str:
    """What a dated line says after its date, times and place: "de 10h à 13h : Marché…" and
    "…, à 14h00 : présentation" give their last part; "de 14h à 15h" alone gives nothing."""
    lead = without_place_remarks(lead)
    for _ in range(3):
        lead = after_colon(lead)
        times = find_times(lead)
        if not times or not _WHEN_OPENING.match(lead[: times[0].start]):
            break
        lead = lead[times[0].end :]
    return lead


def words_after_date(text: str, resolver: PlaceResolver) -> str:
    """The clauses of a description that are neither times, nor a place, an address or "en
    visio" (give it `description(…)` of the words after a date)."""
    clauses = _CLAUSE.split(text)
    while clauses and is_when_or_where(clauses[0], resolver):
        clauses.pop(0)
    return ", ".join(clauses)


def is_when_or_where(clause: str, resolver: PlaceResolver) -> bool:
    """ "à 10h", "au Toit Commun", "4 rue Jean Jaurès", "13001 Marseille", "en visio (lien…)",
    "Paris (Assemblée Nationale)", "Mairie de Morne-à-l'Eau"."""
    bare = re.sub(r"\([^)]*\)", "", clause).strip(" .:")
    words = bare.split()
    return (
        not bare
        or PLACE_OPENING.match(bare) is not None
        or bool(words and fold_same_length(words[0]).strip("'’") in VENUE_WORDS)
        or _PART_OF_DAY.fullmatch(bare) is not None
        or (len(words) <= _NAME_WORDS and _is_town_name(bare, resolver))
        or _ADDRESS_CLAUSE.search(bare) is not None
        or (bool(find_times(bare)) and len(bare.split()) <= 4)
        or (is_online(bare) and len(bare.split()) <= 3)
    )


def _is_town_name(text: str, resolver: PlaceResolver) -> bool:
    """ "Saint-Denis", "Lyon 3e", "Le Port": a commune's name and nothing else ("Les SCIC" or
    "Rencontre des SIAE" are not)."""
    if not text[:1].isupper():
        return False
    resolution = resolver.resolve(text, fuzzy=False)
    return resolution.best is not None and resolution.best.kind == "commune"


def after_colon(lead: str) -> str:
    """An item's description after its date, place and time: "…, à 14h00 : présentation".
    Colons between digits ("3:30pm") or inside quotes separate nothing."""
    colon_at = next(
        (
            m.start()
            for m in re.finditer(r"(?<!\d):(?!\d)", lead)
            if lead[: m.start()].count("«") <= lead[: m.start()].count("»")
        ),
        -1,
    )
    head, colon, tail = (
        (lead[:colon_at], ":", lead[colon_at + 1 :]) if colon_at >= 0 else (lead, "", "")
    )
    if colon and (
        not head.strip(" ,")
        or PLACE_OPENING.match(head)
        or find_times(head)
        or head.strip().startswith(",")
    ):
        return tail
    return lead


def clause_before(text: str) -> str:
    """The words that name what is dated: "Dans ce cadre, une conférence … aura lieu" gives
    "une conférence …"."""
    verb = _VERB_BEFORE_PLACE.search(text) or _RETURNS.search(text)
    if verb:  # "Les Universités de l'ESS se tiendront à Reims les": the subject is the event
        text = text[: verb.start()]
    text = _VERB_BEFORE_DATE.sub("", text)
    text = _AND.sub("", _PLANNED_FOR.sub("", text))
    clauses = re.split(r"[,;:]", strip_symbols(text))
    last = clauses[-1].strip()
    if PLACE_OPENING.match(last):
        return ""  # "… à Champagnole et le mardi 25 novembre": the last item's place
    label = clauses[-2].strip() if len(clauses) > 1 else ""
    if not last and kind_of(label) and len(label.split()) <= _NAME_WORDS:
        return label  # "Visite : mercredi 5 novembre…"; a whole sentence is no label
    if _COPULA.fullmatch(last) and len(clauses) > 1:
        return clauses[-2].strip()  # "Le Mois de l'ESS à La Réunion, c'est du 1er au 30…"
    return "" if _COPULA.fullmatch(last) else last


def sentence_start(text: str, position: int) -> int:
    window = max(0, position - _SENTENCE)  # a sentence is not longer; this bounds pasted pages
    starts = [m.end() for m in _SENTENCE_END.finditer(text, window, position)]
    return starts[-1] if starts else window


def sentence_end(text: str, position: int) -> int:
    window = min(len(text), position + _SENTENCE)  # bounds pasted pages, as sentence_start
    match = _SENTENCE_END.search(text, position, window)
    return match.start() if match else window
