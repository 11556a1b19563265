"""Short event titles from the words around a date: "Ciné-débat : Bienveillance paysanne",
"Atelier territorial", "Rencontre ESS Tour — Calais"."""

from __future__ import annotations

import re
from functools import lru_cache

from essbot.extract.patterns import Gated
from essbot.extract.text import fold_same_length

MAX_TITLE = 80

# Nouns that name a kind of event; their plural in a sentence gives the title of each item.
_EVENT_NOUNS = (
    "rencontre", "atelier", "reunion", "conference", "journee", "seminaire", "forum",
    "webinaire", "webinar", "formation", "table ronde", "cine-debat", "debat", "soiree",
    "assemblee", "colloque", "cafe", "petit-dejeuner", "permanence", "visite", "festival",
    "concert", "exposition", "lancement", "salon", "matinale", "apero", "workshop", "meeting",
    "universite", "marche", "semaine", "fete", "foire", "projection", "spectacle", "afterwork",
    "braderie", "vide-grenier", "inauguration", "conference", "workshop", "nuit", "salon",
    "hackathon", "summit", "symposium", "congres", "presentation",
)  # fmt: skip
_KIND = re.compile(
    r"\b(?P<noun>" + "|".join(re.escape(n) for n in _EVENT_NOUNS) + r")(?P<plural>s|x)?"
    r"(?P<compound>-[a-z]+)?"
    r"(?P<adjective>\s+(?!de\b|des\b|du\b|en\b|a\b|au\b|aux\b|pour\b|sur\b|dans\b|et\b|"
    r"ou\b|avec\b|par\b|pres\b|qui\b|le\b|la\b|les\b)[a-z-]{3,}(?:aux|ales|als|aus|es|s|e)?)?\b"
)
# Where a lead phrase stops being a title. Every cut opens with a space or a punctuation mark:
# the pattern starts with that character, which re finds fast, and tells from it which cut
# follows (a mark alone; "->"; after spaces, a mark, a dash, a word or a time).
_CUT = re.compile(
    r"[\s,;.!?:(-](?:(?<=[,;.!?:(])|(?<=-)>|(?<=\s)\s*(?:[,;.!?:(]|->|[-–—>]+\s|"
    r"(?:à l'initiative|a l'initiative|avec|dans le cadre|"
    r"concernant|auxquelles|auxquels|qui|dont|suivie?s? d|sur la thématique|en partenariat|"
    r"pour|afin|se déroulera|se deroulera|se déroule|se deroule|aura lieu|a lieu|ont lieu|"
    r"auront lieu|se tiendra|se tient|will take place|takes place)\b|"
    r"(?:à|a|in|at)\s(?-i:(?=[A-ZÀ-Ü]))|"
    # "… de 10h à 12h", "… dès 9 heures": the time, said apart
    r"(?:à|a|de|dès|des|from|at)\s+\d{1,2}\s?(?:h\b|h\d\d|heures?\b|:\d\d)|"
    # "… au cinéma Le Quai Dupleix", "… à la Maison des Associations": the venue, said apart
    r"(?:au|aux|à la|a la|à l['’]|a l['’])\s?(?:(?-i:(?=[A-ZÀ-Ü]))|(?=(?:cinéma|cinema|salle|"
    r"maison|théâtre|theatre|centre|café|cafe|médiathèque|bibliothèque|mairie|hôtel|hotel|"
    r"espace|tiers-lieu|château|chateau|foyer|musée|halle|jardin|ferme|lycée|collège|école|"
    r"gymnase|médiathèque)\b))))",
    re.IGNORECASE,
)
_WORD_CUTS = (
    *("avec", "pour", "qui", "dont", "afin", "concernant"),
    *("aura lieu", "a lieu", "ont lieu", "auront lieu", "se tiendra", "se tient"),
)
# A named work inside an item: "Avec le film Bienveillance paysanne", « … », "…".
_WORK = re.compile(
    r"(?:\b(?:le film|le documentaire|le livre|la pièce|le spectacle)"
    r"\s+[«\"“]?(?P<named>[^,;.«»\"“”]+?)[»\"”]?(?=[,;.]|$))|[«\"“]\s*(?P<quoted>[^«»\"“”]{3,60}?)"
    r"\s*[»\"”]",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(
    r"^(?:rendez-vous\s+(?:pour|à|a)\s+|pour\s+|(?:durant|pendant)\s+[^,]+,\s*(?:début|fin|mi)?[^,]*,\s*|"
    r"(?:un|une|des|the|an|a)\s+|(?:(?:le|la|les)\s+|l['’]\s*)"
    # "la ressourcerie", "Les Universités de l'ESS"; but "La SCIC", "La CALL" keep theirs
    r"(?-i:(?=[a-zà-ÿ]|[A-ZÀ-Ü][a-zà-ÿ])))",
    re.IGNORECASE,
)
_CONNECTIVES = re.compile(
    r"(?:et|puis|ensuite|enfin|aussi|également|egalement|mais|ou|sans oublier|and|then|also|or)"
    r"(?:\s+(?:aussi|également|egalement|puis|enfin|surtout))*\W*",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\s*\b(?:19|20)\d{2}\b")
# "[MISE À JOUR] … : nouvelle date", "— 3e édition": labels around a title, not the title.
_TAGS = Gated(
    r"^\[[^\]]*\]\s*|\s*:\s*(?:nouvelle date|new date|update|mise à jour)\b.*$|"
    r"\s+[-–—]\s+\d+\s*(?:e|ème|eme|th|nd|rd|st)\s+(?:édition|edition)\s*$",
    ("[", "nouvelle date", "new date", "update", "mise à jour", "dition"),
    re.IGNORECASE,
)
_STREET_BEFORE = re.compile(
    r"\b(?:place|rue|avenue|boulevard|quai|allee|chemin|square|salle)\s+"
    r"(?:de\s+la\s+|du\s+|des\s+|de\s+l'|de\s+)?$"
)
_SHOUTED_WORDS = 3
_ACRONYMS = {"ESS", "CRESS", "SCOP", "SCIC", "AMAP", "CAE", "SIAE", "PTCE", "CAF", "DLA", "RTES"}
# Emoji and pictographs ("🎉"): decoration, not words of a title.
_SYMBOLS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")


def event_phrase(text: str) -> str | None:
    """The words from the first event noun on: "organise la première édition de ses
    Rencontres de l'ESS" gives "Rencontres de l'ESS"; "place de la Réunion" names a street."""
    folded = fold_same_length(text)
    for match in _KIND.finditer(folded):
        if not _STREET_BEFORE.search(folded[: match.start()]):
            return text[match.start() :]
    return None


@lru_cache(maxsize=4096)
def kind_of(text: str) -> str | None:
    """The kind of event a sentence announces, in the singular: "Atelier territorial".

    A counted plural ("7 rencontres près de chez vous") names the items of a list best, then
    any plural, then the first event noun.
    """
    folded = fold_same_length(text)
    matches = list(_KIND.finditer(folded))
    if not matches:
        return None
    counted = [m for m in matches if m["plural"] and re.search(r"\d+\s*$", folded[: m.start()])]
    plural = [m for m in matches if m["plural"]]
    match = (counted or plural or matches)[0]
    start, end = match.span()
    words = text[start:end].split()
    phrase = " ".join(_singular(w) for w in words) if match["plural"] else " ".join(words)
    return _capitalise(phrase)


def document_short_title(title: str | None) -> str | None:
    """The document's title as a label: "L'ESS TOUR 2016" -> "ESS Tour"."""
    if not title:
        return None
    short = _YEAR.sub("", re.split(r"\s*[:!(]\s*", title)[0]).strip(" -–—,")
    short = re.sub(r"^(?:l['’]|le |la |les )", "", short, flags=re.IGNORECASE)
    if short.isupper():  # "ESS TOUR": capitals for acronyms only
        short = " ".join(w.capitalize() if len(w) > 3 else w for w in short.split())
    return short or None


def strip_symbols(text: str) -> str:
    """The text without emoji and pictographs ("📣 C'est demain" -> " C'est demain")."""
    return _SYMBOLS.sub("", text)


def clean_title(title: str) -> str:
    """A title without decoration: emoji, "[MISE À JOUR]", "— 3e édition", and in sentence
    case when a whole phrase was shouted ("GRANDE BRADERIE DE PRINTEMPS", but "ESS" stays; a
    short name in capitals, "L'ESS TOUR 2016", is a name and stays as written)."""
    title = _TAGS.sub("", _SYMBOLS.sub("", title)).strip(" :;,.-–—>•!+*")
    if title.isupper() and len(title.split()) > _SHOUTED_WORDS:
        words = [w if w in _ACRONYMS else w.lower() for w in title.split()]
        title = " ".join(words)
    return _capitalise(title)


def title_from_lead(lead: str) -> str | None:
    """The title an item's own words give: its first phrase, plus the work it names."""
    lead = clean_title(lead)
    while (shorter := _LEADING_FILLER.sub("", lead, count=1).strip()) != lead:
        lead = shorter
    head = _head(lead)
    if not head or not any(ch.isalpha() for ch in head) or _CONNECTIVES.fullmatch(head):
        return None  # "Et dimanche 2/06, balade…": "Et" names nothing
    work = _WORK.search(lead)
    named = (work["named"] or work["quoted"]).strip() if work else None
    if named and fold_same_length(named) not in fold_same_length(head):
        return _shorten(f"{_capitalise(head)} : {named}")
    return _shorten(_capitalise(head))


def _head(lead: str) -> str:
    """The lead's first phrase: up to the first cut outside quotes that leaves a real head
    ("Coopérer avec les collectivités" stays whole; "Les SCIC, mode d'emploi" too, in quotes)."""
    for cut in _CUT.finditer(lead):
        before = lead[: cut.start()]
        if _inside_quotes(before):
            continue
        word_cut = cut.group().strip().lower() in _WORD_CUTS
        if word_cut and len(before.split()) < 2:
            continue
        return before.strip(" :;,.-–—")
    return lead.strip(" :;,.-–—")


def _inside_quotes(before: str) -> bool:
    return (
        before.count("«") > before.count("»")
        or (before.count('"') % 2 == 1)
        or (before.count("“") > before.count("”"))
    )


def fallback_title(kind: str | None, document: str | None, place: str | None) -> str:
    """A title for an item that says nothing but when and where: "Rencontre ESS Tour — Calais"."""
    if kind and " " in kind:  # "Atelier territorial" says enough
        return kind
    if kind and document and fold_same_length(kind) in fold_same_length(document):
        kind = None  # "Journée régionale des tiers-lieux": the document's title says it all
    if kind and document and len(document.split()) > 4:
        # "Lancement : CRESS Ile-de-France lance un club…": a long title explains the kind.
        return _shorten(f"{kind} : {document}")
    label = " ".join(part for part in (kind, document) if part) or "Événement"
    return _shorten(f"{label} — {place}" if place else label)


def _singular(word: str) -> str:
    if "-" in word:  # "cafés-rencontres" -> "café-rencontre"
        return "-".join(_singular(part) for part in word.split("-"))
    lower = word.lower()
    if lower.endswith("aux") and len(lower) > 4:
        return word[:-3] + "al"
    if lower.endswith(("s", "x")) and len(lower) > 3:
        return word[:-1]
    return word


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _shorten(text: str) -> str:
    if len(text) <= MAX_TITLE:
        return text
    cut = text[: MAX_TITLE - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"
