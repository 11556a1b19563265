"""Announcement text -> events.

A document is read line by line. Each date that announces something becomes an *anchor*
(drafts.py):
- a list item that opens with a date ("• mardi 5 novembre : ciné-débat …");
- a line that opens with a date (a heading: "Mercredi 26 juin - Paris (…)"), whose timetable
  below gives the times;
- a date inside a paragraph ("une conférence … aura lieu mardi 29 mars à Caen"), several in one
  sentence making an inline list ("mardi 22 février … à Martot, jeudi 24 février …").
Deadlines, past references, dates in brackets and the document's own date are not anchors.
Anchors then become events: year inferred for the whole document, times, place and title read
from the anchor's text; mentions of one event in several paragraphs are merged; a date followed
by a list of places ("le 12 septembre … à : Nancy, Grenoble …") gives one event per place; and
items under "dates à préciser" become undated events.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from datetime import date, time
from functools import cached_property

from essbot.extract.dates import DateMention, find_dates, resolve_relative
from essbot.extract.drafts import Anchor, Draft, ListDefaults, merge, shift
from essbot.extract.model import (
    PLACE_UNKNOWN,
    WEEKDAY_MISMATCH,
    YEAR_UNCERTAIN,
    ExtractedEvent,
    Extraction,
)
from essbot.extract.patterns import Gated
from essbot.extract.phrases import (
    INVITATION,
    PLACE_OPENING,
    clause_before,
    description,
    is_when_or_where,
    opens_line,
    sentence_end,
    sentence_start,
    words_after_date,
)
from essbot.extract.places import PlaceReading, is_online, read_place
from essbot.extract.text import Line, fold_same_length, split_lines
from essbot.extract.times import (
    TimeMention,
    find_times,
    first_range,
    starts_with_time,
    timetable_span,
)
from essbot.extract.titles import (
    clean_title,
    document_short_title,
    event_phrase,
    fallback_title,
    kind_of,
    strip_symbols,
    title_from_lead,
)
from essbot.extract.years import (
    ROLLOVER_DAYS,
    DatedResult,
    date_of,
    document_year,
    year_evidence,
)
from essbot.geo import Mention, Place, PlaceResolver
from essbot.geo.resolve import default_resolver

_NOT_AN_EVENT_BEFORE = re.compile(
    r"\b(?:jusqu'(?:au|a)|avant (?:le|la fin)|au plus tard|date limite[^.;]{0,50}|depuis|"
    r"lors de la|lors du|"
    r"signature de|signee? le|approuve|inscriptions? (?:avant|jusqu|closes?|ouvertes)|deadline|"
    r"until|before|cloture des|depot des|d'ici (?:le|au)|reponse souhaitee|register by|"
    r"registration closes?|candidatures? (?:avant|jusqu|closes?|ouvertes)|appel a candidatures|"
    r"a eu lieu|ont eu lieu|avait eu lieu|s'est (?:tenue?|deroulee?)|"
    r"se sont (?:tenue?s|deroulee?s)|took place|was held|initialement prevue?s?|au lieu du|"
    r"submissions? (?:close|due)|registrations? (?:opens?|closes?)|applications? (?:close|due)|"
    r"call for (?:papers|proposals)|abstracts? due|notification|submission|acceptance|"
    r"(?:seront|sera|sont|est) fermee?s?|fermeture|envoye le|sent on)"
    r"[^.;]{0,40}$"
)
# "prévu le 3 février 2026 est reporté au…": the old date of a postponed event.
_POSTPONED_AFTER = re.compile(
    r"^[\s\d,]*(?:est|a ete|sont|ont ete|is|has been)\s+(?:reporte|decale|postponed|moved)"
)
# "Le Forum de l'ESS de la Vienne, initialement prévu le …": what is postponed.
_POSTPONED_SUBJECT = re.compile(
    r"\s*(.+?)(?:,?\s+(?:initialement\s+)?prévue?s?\b|,?\s+(?:est|a été|sont|ont été)\s+"
    r"(?:reporté|décalé)e?s?\b)",
    re.IGNORECASE,
)
# "Atelier compta — reporté au 28/01/2026": the new date of a postponed item.
_POSTPONED_TO = re.compile(r"(?:reporte|decale|postponed|moved)e?s?\s+(?:au|a|to)\s*$")
# "- 19 avril : clôture des candidatures": a date given to a step of a call, not an event.
_NOT_AN_EVENT_AFTER = re.compile(
    r"^[\s\d:,–—-]*(?:ouverture|cloture|fin|date limite|depot|remise|publication|annonce)\s+"
    r"(?:des|du|de la|de l')\s*(?:candidatures?|inscriptions?|dossiers?|resultats?|laureats?|"
    r"projets?|appels?)"
)
_EACH_TIME = Gated(
    r"\b(?:chaque fois|à chaque fois|a chaque fois|each time|toutes? de)\b",
    ("chaque fois", "each time", "toute"),
    re.IGNORECASE,
)
# "— ANNULÉ", "(annulé)": an event that will not take place is no upcoming event.
_CONDITIONAL = re.compile(r"\b(?:en cas de|si |sera|seront|could|would|if )", re.IGNORECASE)
_CANCELLED = Gated(
    r"\b(?:annul[ée]e?s?|cancell?ed)\b",
    ("annul", "cancel"),
    re.IGNORECASE,
)
# "le 2 octobre dernier": a day gone by.
_PAST_AFTER = re.compile(r"^\s*(?:dernier|derniere|passee?|last)\b")
_PUBLISHED = re.compile(
    r"^(?:le\s+|publi[ée]+\s+le\s+|mis\s+[àa]\s+jour\s+le\s+|(?:pré-?)?programme\s+au\s+|"
    r"actualis[ée]+\s+le\s+|[A-ZÀ-Ü][\w'’ -]{1,40},\s+(?:le\s+)?)?(?P<date>.*)$",
    re.IGNORECASE,
)
# An e-mail's own date in its headers: the day "demain" counts from.
_EMAIL_DATE = re.compile(
    r"^\s*(?:date|envoy[ée](?:\s+le)?|sent|date\s+d['’]envoi)\s*:\s*", re.IGNORECASE
)
_HEADER_LINES = 8
_EMAIL_HEADER = re.compile(
    r"^\s*(?:de|à|a|cc|cci|from|to|date|envoy[ée](?:\s+le)?|sent|répondre\s+à|reply-to)\s*:",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^\s*(?:(?:objet|subject|re|tr|fwd?)\s*:\s*)+", re.IGNORECASE)
_EXPLICITLY_PUBLISHED = re.compile(
    r"^(?:publi[ée]+|mis\s+[àa]\s+jour|actualis[ée]+|posted|published|updated)\b", re.IGNORECASE
)
_OPENING_HOURS = Gated(
    r"ouvert|horaires|du lundi au|opening hours|open from|permanences? (?:tous|chaque)",
    ("ouvert", "horaires", "du lundi au", "opening hours", "open from", "permanence"),
    re.IGNORECASE,
)
_TO_BE_ANNOUNCED = Gated(
    r"dates?\s+(?:encore\s+)?(?:à|a)\s+(?:préciser|preciser|définir|definir|venir|confirmer)|"
    r"en construction|dates? to be (?:announced|confirmed)",
    ("date", "en construction"),
    re.IGNORECASE,
)
# A line that details the one above: a pin or a clock, or "Lieu :", "Horaires :".
_DETAIL = re.compile(
    r"^\s*(?:[📍📌🏠🗺🕐🕑🕒🕓🕔🕕🕖🕗🕘🕙🕚🕛⏰⌚📅🗓]\ufe0f?\s*|(?:lieu|adresse|où|ou|horaires?|quand|"
    r"where|when|time|venue)\s*:\s*)",
    re.IGNORECASE,
)
_DETAILS_ABOVE = 4
_POSTCODE_IN = re.compile(r"\b\d{5}\b")
_STREET_NUMBER = re.compile(
    r"\b\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|quai|allée|chemin|route)\b",
    re.IGNORECASE,
)
_PLACE_LINE = 120  # a place line is short; a paragraph with an address in it is not one
_SAVE_THE_DATE = re.compile(r"^\s*save the date\s*[-–—:!]*\s*", re.IGNORECASE)
# "Même lieu, même heure", "mêmes horaires et lieu", "same time, same place": as the event before.
_SAME_TIME = Gated(
    r"\bm[êe]mes?\s+(?:\w+\s+){0,2}?(?:heure|horaire)s?\b|\bsame\s+time\b",
    ("même", "meme", "same"),
    re.IGNORECASE,
)
_SAME_PLACE = Gated(
    r"(?:\b(?:au|aux|à|a|dans)\s+(?:la\s+|le\s+|les\s+)?)?"
    r"\bm[êe]mes?\s+(?:\w+\s+){0,2}?(?:lieu|endroit|adresse|salle)x?\b"
    r"|\bsame\s+(?:place|venue|location)\b",
    ("même", "meme", "same"),
    re.IGNORECASE,
)


def _blank_references(text: str) -> str:
    """The text with its "même lieu" and "même heure" turned into spaces."""
    for pattern in (_SAME_PLACE, _SAME_TIME):
        text = pattern.sub(lambda match: " " * len(match.group()), text)
    return text


# "qui se tiendra le", "aura lieu :", "will take place on": a sentence that ends on a date.
_LEADS_INTO_DATE = re.compile(r"(?:\b(?:le|les|du|on)|:)\s*$", re.IGNORECASE)
_NAME_WORDS = 3  # "Jeudi 4 décembre – Dijon": a date and a place, no title
_LOOK_BACK = 80  # characters before a date read to tell a deadline or a reference
_DESCRIPTION_LENGTH = 200  # a line under a date that says what, not a paragraph
_ITEM_JOINER = " ; "  # between an item and its sub-items in the item's text
_HEADING_ZONE = 6  # a document's main event is announced in its first lines


def extract(
    text: str,
    *,
    ref_date: date | None = None,
    source: str = "",
    resolver: PlaceResolver | None = None,
) -> Extraction:
    """Read the events of one announcement. `ref_date` places dates whose year the document
    does not give (an import passes the day it runs)."""
    return _Reader(text, ref_date, source, resolver or default_resolver()).read()


class _Reader:
    """The state of reading one document."""

    def __init__(
        self, text: str, ref_date: date | None, source: str, resolver: PlaceResolver
    ) -> None:
        self.lines = split_lines(text)
        self.ref_date = ref_date
        self.source = source
        self.resolver = resolver
        self.line_mentions = self._places_by_line()
        self.heading_days = 0
        self.dates = [find_dates(line.text) for line in self.lines]
        self.title_index = self._title_index()
        self.title = self.lines[self.title_index].text if self.title_index is not None else None
        self.event_title = self._event_title()
        self.short_title = document_short_title(self.event_title)
        self.published_mention, self.published_index = self._published()
        mentions = [m for found in self.dates for m in found]
        evidence = year_evidence(self.title, (line.text for line in self.lines))
        published_year = self.published_mention.year if self.published_mention else None
        year_hint = date(published_year, 1, 1) if published_year else None
        self.year = document_year(evidence, mentions, year_hint, ref_date)
        self.published = self._published_date()
        if self.title_index is not None and self.dates[self.title_index]:
            # The first line is an event, not the document's title.
            self.short_title = self.event_title = None
        # The dates that may announce an event: not deadlines nor references to other days.
        self.announced = [
            [m for m in found if not self._is_reference(line.text, m)]
            for line, found in zip(self.lines, self.dates, strict=True)
        ]

    def _places_by_line(self) -> list[list[Mention]]:
        """The places each line mentions, found in one pass over the whole cleaned text."""
        starts = []
        position = 0
        for line in self.lines:
            starts.append(position)
            position += len(line.text) + 1
        body = "\n".join(line.text for line in self.lines)
        by_line: list[list[Mention]] = [[] for _ in self.lines]
        for mention in _in_context(self.resolver.find(body)):
            index = bisect_right(starts, mention.start) - 1
            if mention.end <= starts[index] + len(self.lines[index].text):
                by_line[index].append(shift(mention, -starts[index]))
        return by_line

    def _mentions(self, index: int, start: int = 0, end: int | None = None) -> tuple[Mention, ...]:
        """The places line `index` mentions between two offsets, at offsets from `start`."""
        stop = len(self.lines[index].text) if end is None else end
        return tuple(
            shift(m, -start)
            for m in self.line_mentions[index]
            if start <= m.start and m.end <= stop
        )

    # Document-level facts ------------------------------------------------------------------

    def _title_index(self) -> int | None:
        """The document's title: its first line that is more than a date and a place ("SAVE
        THE DATE" / "Jeudi 4 décembre – Dijon" / "Les Rencontres de l'ESS…" is titled by the
        third; "12 mars 2026 – Journée régionale des tiers-lieux" by itself)."""
        first = min(4, len(self.lines))
        for short_headings_too in (False, True):
            for index in range(first):
                line = self.lines[index].text
                if self._is_date_line(index) or _SAVE_THE_DATE.fullmatch(line):
                    continue
                if _EMAIL_HEADER.match(line):
                    continue  # "De : Collectif …", "À : adherents@…": an e-mail's envelope
                words = [w for w in self._without_dates(index).split() if w[:1].isalpha()]
                if short_headings_too or not self.dates[index] or len(words) > _NAME_WORDS:
                    return index
        return 0 if self.lines else None

    def _event_title(self) -> str | None:
        """The title as an event's name: no "Save the date", no date ("12 mars 2026 – Journée
        régionale des tiers-lieux" names the "Journée régionale des tiers-lieux")."""
        if self.title_index is None:
            return None
        title = _SUBJECT.sub("", self._without_dates(self.title_index))  # "Objet : [Adh] …"
        title = clean_title(_SAVE_THE_DATE.sub("", title))
        return title or None

    def _without_dates(self, index: int) -> str:
        """A line with its dates taken out: "12 mars 2026 – Journée…" -> " – Journée…"."""
        text = self.lines[index].text
        for mention in reversed(self.dates[index]):
            text = text[: mention.start] + text[mention.end :]
        return text

    def _is_date_line(self, index: int) -> bool:
        """A line that holds nothing but a date, possibly introduced ("Le 8 février 2022")."""
        line = self.lines[index].text
        body = _PUBLISHED.match(line)
        found = self.dates[index]
        explicit = _EXPLICITLY_PUBLISHED.match(line) is not None
        if body is None or not found or found[0].is_range or (found[0].weekday and not explicit):
            # "Vendredi 6 février 2026" or "Strasbourg, 24–25 November" head an event;
            # "Le 8 février 2022" or "Villeurbanne, le 3 octobre 2025" date the document.
            return False
        return body.group("date").strip(" .") == line[found[0].start : found[0].end].strip(" .")

    def _published(self) -> tuple[DateMention | None, int | None]:
        for index in range(min(_HEADER_LINES, len(self.lines))):
            # "Date : lun. 7 avr. 2025 à 09:12", "Envoyé : vendredi 7 mars 2025 16:45"
            if _EMAIL_DATE.match(self.lines[index].text) and self.dates[index]:
                return self.dates[index][0], index
        for index in range(min(4, len(self.lines))):
            if self._is_date_line(index):
                return self.dates[index][0], index
        return None, None

    def _published_date(self) -> date | None:
        mention = self.published_mention
        if mention is None:
            return None
        year = mention.year or self.year
        return mention.on(year) if year else None

    @cached_property
    def home(self) -> Place | None:
        """The document's own town, read only when a venue without a town needs it."""
        return self._home_town()

    def _home_town(self) -> Place | None:
        """The town a document is about, when one stands out ("Lens" in a Lens programme)."""
        counts: Counter[str] = Counter()
        places: dict[str, Place] = {}
        for mentions in self.line_mentions:
            for mention in mentions:
                if mention.place.kind == "commune":
                    counts[mention.place.code] += 1
                    places[mention.place.code] = mention.place
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return places[ranked[0][0]]

    # Anchors -------------------------------------------------------------------------------

    def anchors(self) -> list[Anchor]:
        """Every date that announces an event, and every undated item, in document order."""
        found: list[Anchor] = []
        defaults = ListDefaults()
        in_list = False
        undated_list = False
        undated_depth: int | None = None
        for index, line in enumerate(self.lines):
            if index == self.published_index:
                continue
            mentions = self.announced[index]
            if line.bullet:
                in_list = True
            elif in_list:  # a list has ended: what its introduction said ends with it
                defaults, in_list = ListDefaults(), False
            if not line.bullet:
                undated_list = bool(_TO_BE_ANNOUNCED.search(line.text)) and line.text.endswith(":")
                undated_depth = None
            elif undated_list and undated_depth is None:
                undated_depth = line.depth  # the items' level; deeper bullets are their details
            opening = mentions[0] if mentions and opens_line(line.text, mentions[0]) else None
            if line.bullet and opening:
                found.append(self._item(index, opening, defaults))
            elif line.bullet and undated_list and line.depth == undated_depth:
                text, places = self._item_segment(index)
                found.append(Anchor("undated", line, None, text, line.text, places))
            elif opening and len(mentions) > 1:
                # "Le mardi 23 mai, déjeuner à Dijon. Le mercredi 24 mai, rendez-vous à Beaune":
                # a line of several dates is running text, whatever opens it.
                found.extend(self._paragraph(index, mentions, defaults))
            elif opening:
                found.extend(self._day_items(index, opening) or [self._heading(index, opening)])
            elif mentions:
                found.extend(self._paragraph(index, mentions, defaults))
            elif (
                not line.bullet
                and self._introduces_list(index)
                and not (index > 0 and self.lines[index - 1].bullet and self._is_place_line(index))
            ):
                defaults = self._list_defaults(index, defaults)
            if (
                not line.bullet
                and not mentions
                and not undated_list
                and _TO_BE_ANNOUNCED.search(line.text)
            ):
                found.extend(self._undated_in_paragraph(line))
        return found

    def _introduces_list(self, index: int) -> bool:
        """Whether a list starts on one of the next two lines: bullets, or a line of dates."""
        return any(
            line.bullet or len(self.announced[following]) > 1
            for following, line in enumerate(self.lines[index + 1 : index + 3], start=index + 1)
        )

    def _list_defaults(self, index: int, current: ListDefaults) -> ListDefaults:
        """Update what a list's introduction says for all its items with one undated line."""
        text = self.lines[index].text
        times = find_times(text)
        if any(t.ends for t in times) and not _OPENING_HOURS.search(text):
            current = replace(current, times=first_range(times))
        if is_online(text):
            current = replace(current, online=True)
        reading = read_place(text, self.resolver, mentions=self._mentions(index))
        if reading.town is not None and (reading.postcode or reading.address or reading.venue):
            current = replace(current, place=reading)
        return current

    def _is_reference(self, text: str, mention: DateMention) -> bool:
        """Deadlines, past facts, dates in brackets: dates that announce no event."""
        before = fold_same_length(text[max(0, mention.start - _LOOK_BACK) : mention.start])
        after = fold_same_length(text[mention.end : mention.end + _LOOK_BACK])
        if _POSTPONED_TO.search(before):
            return False  # "… est reporté au jeudi 5 février": the new date is the event's
        if _NOT_AN_EVENT_BEFORE.search(before) or _PAST_AFTER.match(after):
            return True
        if _POSTPONED_AFTER.match(after):
            return True  # "L'atelier prévu le 3 février est reporté au 17 février"
        if _NOT_AN_EVENT_AFTER.match(after):
            return True  # "- 19 avril : clôture des candidatures"
        if (
            not mention.is_range
            and mention.weekday is None  # "le café-ESS du jeudi 22 mai": its own date
            and re.search(r"\b(?:du|de la|of)\s*$", before)
            and before.strip(" -") not in ("du", "of")
        ):
            return True  # "le fil conducteur du 26 juin": a reference to another day
        if before.count("(") > before.count(")") and not opens_line(text, mention):
            return True
        last_year = mention.end_year or mention.year  # "du 30 décembre au 2 janvier 2026"
        if last_year is not None and self.year is not None and last_year < self.year:
            return True
        if self.published is not None and mention.relative is None:
            day = mention.on(mention.year or self.published.year)
            # A December newsletter's January dates are next year's, not past ones.
            next_year = (
                mention.year is None and day is not None and _rolls_over(day, self.published)
            )
            if day is not None and day < self.published and not next_year:
                return True
        return False

    def _item(self, index: int, mention: DateMention, defaults: ListDefaults) -> Anchor:
        line = self.lines[index]
        for later in self.announced[index][1:]:
            before = fold_same_length(line.text[max(0, later.start - 20) : later.start])
            if _POSTPONED_TO.search(before):
                mention = later  # "- 14/01 : Atelier compta — reporté au 28/01"
                break
        segment, places = self._item_segment(index)
        return Anchor(
            "item",
            line,
            mention,
            segment,
            line.text[mention.end :],
            places,
            context_kind=self._list_kind(index),
            defaults=defaults,
        )

    def _item_segment(self, index: int) -> tuple[str, tuple[Mention, ...]]:
        """A list item with its sub-items, and the places they mention."""
        line = self.lines[index]
        parts = [line.text]
        places = list(self._mentions(index))
        offset = len(line.text)
        for following_index in range(index + 1, len(self.lines)):
            following = self.lines[following_index]
            if following.bullet and following.depth <= line.depth:
                break
            # Its sub-items, or the line under it that gives its place ("Le Solilab, 8 rue
            # Saint-Domingue, 44200 Nantes").
            if not following.bullet and not self._is_place_line(following_index):
                break
            offset += len(_ITEM_JOINER)
            places.extend(shift(m, offset) for m in self._mentions(following_index))
            parts.append(following.text)
            offset += len(following.text)
            if not following.bullet:
                break
        return _ITEM_JOINER.join(parts), tuple(places)

    def _is_place_line(self, index: int) -> bool:
        """A line that only says where: a town with a postcode or a street address, no date."""
        text = self.lines[index].text
        mentions = self.line_mentions[index]
        ends_with_town = bool(mentions) and mentions[-1].end >= len(text.rstrip(" .")) - 1
        return (
            self._names_only_a_place(index)
            and (
                _POSTCODE_IN.search(text) is not None
                or _STREET_NUMBER.search(text) is not None
                or ends_with_town  # "La Cantine du Voyage, Parc des Chantiers, Nantes"
            )
            and len(text) <= _PLACE_LINE
            and ":" not in text  # "Renseignements : CRESS…, Limoges", "…, 37000 Tours :"
            and kind_of(text) is None  # "Atelier animé par …, Nantes" is an event, not a place
        )

    def _list_kind(self, index: int) -> str | None:
        """The kind of event a list's introduction announces ("7 rencontres près de chez vous")."""
        introduction = [line for line in self.lines[max(0, index - 8) : index] if not line.bullet]
        # The line before the list, or the one before it ("Format court 17h30-20h" may come
        # between "7 rencontres près de chez vous !" and the list).
        for previous in reversed(introduction[-2:]):
            kind = kind_of(previous.text)
            if kind:
                return kind
        return None

    def _heading(self, index: int, mention: DateMention) -> Anchor:
        """A line opening with a date. A timetable under it gives the event's times; when the
        line names no place, the line under it may ("Vendredi 6 février 2026" / "Friche la
        Belle de Mai, 41 rue Jobin, 13003 Marseille")."""
        line = self.lines[index]
        timetable: list[TimeMention] = []
        quiet = 0
        for following_index in range(index + 1, len(self.lines)):
            following = self.lines[following_index]
            if self.announced[following_index] or following.bullet:
                break
            if starts_with_time(following.text):
                timetable.extend(find_times(following.text))
                quiet = 0
            else:
                quiet += 1
                # Before the timetable, a place line and a "Programme" heading may come.
                if quiet >= (2 if timetable else 3):
                    break
        segment, places = line.text, self._mentions(index)
        lead = line.text[mention.end :]
        below = index + 1
        if (
            below + 1 < len(self.lines)
            and starts_with_time(self.lines[below].text)
            and not self.dates[below]
        ):
            below += 1  # "SAMEDI 9 DÉCEMBRE" / "DE 10H À 19H" / "HALLES DU BOULINGRIN – REIMS"
        describes = (
            below == index + 1 and below < len(self.lines) and self._describes(index, mention)
        )
        if describes or (
            below < len(self.lines)
            and self._names_only_a_place(below)
            and (not places or _POSTCODE_IN.search(self.lines[below].text))
        ):
            segment, places = self._join(segment, places, below)
            if describes:
                lead = f"{lead}{_ITEM_JOINER}{self.lines[below].text}"
                place_line = below + 1  # "➜ Jeudi 23 janvier | 18h-20h" / "Apéro ESS" / "Friche…"
                if (
                    place_line < len(self.lines)
                    and self.lines[place_line].number == self.lines[below].number + 1
                    and self._names_only_a_place(place_line)
                ):
                    segment, places = self._join(segment, places, place_line)
        times = timetable_span(timetable) if timetable else first_range(find_times(segment))
        return Anchor("heading", line, mention, segment, lead, places, times=times)

    def _describes(self, index: int, mention: DateMention) -> bool:
        """ "Jeudi 23 novembre – Pamiers" / "Forum « Jeunes et ESS » au lycée Pierre Bayle,
        9h30-16h": a line that says only when and where, then the line that says what."""
        line, below = self.lines[index], self.lines[index + 1]
        return (
            not strip_symbols(line.text[: mention.start]).strip(" *_#>•-–—➜➡→▸►\ufe0f")
            and not words_after_date(description(line.text[mention.end :]), self.resolver)
            and below.number == line.number + 1
            and not below.bullet
            and not self.dates[index + 1]
            and not self.announced[index + 1]
            and not starts_with_time(below.text)
            and len(below.text) <= _DESCRIPTION_LENGTH
        )

    def _names_only_a_place(self, index: int) -> bool:
        """A line under a date that gives where: no date, no bullet, no time, a town in it."""
        line = self.lines[index]
        return (
            not line.bullet
            and not self.dates[index]
            and not starts_with_time(line.text)
            and any(m.place.kind == "commune" for m in self.line_mentions[index])
        )

    def _day_items(self, index: int, mention: DateMention) -> list[Anchor] | None:
        """ "Mardi 4 novembre" alone on its line, then a list: each item is an event that day."""
        line = self.lines[index]
        if line.text[mention.end :].strip(" :.-–—"):
            return None
        items: list[Anchor] = []
        for following_index in range(index + 1, len(self.lines)):
            following = self.lines[following_index]
            if self.announced[following_index]:
                break
            if not following.bullet:
                # "9h30 – Petit-déjeuner, Maison de l'ESS, Poitiers": lines opening with a time
                # and naming a town are the day's events, not one event's timetable.
                if not (starts_with_time(following.text) and self._names_a_town(following_index)):
                    break
            elif following.depth != (items[0].line.depth if items else following.depth):
                continue
            segment, places = self._item_segment(following_index)
            items.append(Anchor("item", following, mention, segment, following.text, places))
        return items or None

    def _names_a_town_in(self, index: int, start: int, end: int) -> bool:
        text, mentions = self.lines[index].text[start:end], self._mentions(index, start, end)
        return (
            bool(mentions) and read_place(text, self.resolver, mentions=mentions).town is not None
        )

    def _names_a_town(self, index: int) -> bool:
        return any(m.place.kind == "commune" for m in self.line_mentions[index])

    def _paragraph(
        self, index: int, mentions: list[DateMention], defaults: ListDefaults
    ) -> list[Anchor]:
        """Dates inside running text; several in a sentence make an inline list."""
        line = self.lines[index]
        text = line.text
        anchors = []
        sentence_kind = kind_of(text[: mentions[0].start])
        date_ends = [m.end for m in self.dates[index]]  # in order: dates do not overlap
        for position, mention in enumerate(mentions):
            # Any date before it bounds its words, even a past one it does not announce.
            before = bisect_right(date_ends, mention.start)
            previous_end = date_ends[before - 1] if before else 0
            lead_start = max(sentence_start(text, mention.start), previous_end)
            following = mentions[position + 1].start if position + 1 < len(mentions) else None
            end = sentence_end(text, mention.end)
            if following is not None:
                # "… au parc Buffon, à partir de 11h. Enfin, notre webinaire le 15 juin": the
                # next date's sentence is its own.
                end = min(end, following)
            if following is None and not text[mention.end : end].strip(" !.…"):
                # "C'est demain jeudi ! … à Clermont-Ferrand : rendez-vous à 19h.": the next
                # sentence says what, where and when.
                end = sentence_end(text, min(end + 1, len(text)))
            lead = clause_before(text[lead_start : mention.start])
            sentence = sentence_start(text, mention.start)
            if previous_end > sentence and _POSTPONED_TO.search(
                fold_same_length(text[previous_end : mention.start])
            ):
                # "Le Forum de l'ESS, initialement prévu le 20 juin, est reporté au 26
                # septembre": the sentence's subject, before its old date, is the event.
                subject = _POSTPONED_SUBJECT.match(text, sentence, mention.start)
                if subject:  # after a label: "À noter : le webinaire …"
                    lead = re.split(r"\s*:\s", subject.group(1))[-1]
            # The first date of a sentence takes the words before it too: "Les Universités de
            # l'ESS se tiendront à Reims les 11 et 12 juin" is in Reims.
            start = mention.start
            if position == 0:  # from the start of its clause: not "… 2023 à Tours, la CRESS…"
                clause = re.split(r"[,;:](?=\s)", text[lead_start : mention.start])
                start = mention.start - len(clause[-1])
                if previous_end <= sentence and not self._names_a_town_in(index, start, end):
                    # "En juin, cap sur Montbard : le samedi 10 juin, la Fête…": the town
                    # opens the sentence.
                    start = lead_start
            segment, places = text[start:end], self._mentions(index, start, end)
            if following is None:
                segment, places = self._with_details(index, segment, places)
            anchors.append(
                Anchor(
                    "paragraph",
                    line,
                    mention,
                    segment,
                    lead,
                    places,
                    context_kind=sentence_kind if len(mentions) > 1 else kind_of(lead),
                    after=text[mention.end : end],
                    inline=len(mentions) > 1,
                    # "Tous les webinaires ont lieu en visio, de 12h30 à 13h30." then an inline
                    # list: the introduction speaks for its items, as for a bulleted list.
                    defaults=defaults if len(mentions) > 1 else ListDefaults(),
                )
            )
        _share_times_said_once(anchors)
        return anchors

    def _with_details(
        self, index: int, segment: str, places: tuple[Mention, ...]
    ) -> tuple[str, tuple[Mention, ...]]:
        """Add the lines that detail a dated sentence: "📍 La Ressourcerie, Pont-l'Abbé",
        "🕙 de 10h à 18h", "Lieu : …", "Horaires : …"."""
        below = range(index + 1, min(index + 4, len(self.lines)))
        # "📍 La Friche du Moulin, 84400 Apt" / "🗓️ samedi 1er juin dès 10h": the details
        # above a dated detail line are the same event's.
        above = range(index - 1, max(-1, index - _DETAILS_ABOVE), -1)
        for side in (below, above) if _DETAIL.match(self.lines[index].text) else (below,):
            for detail in side:
                marker = _DETAIL.match(self.lines[detail].text)
                if self.dates[detail] or marker is None:
                    break
                segment, places = self._join(segment, places, detail, marker.end())
        return segment, places

    def _join(
        self, segment: str, places: tuple[Mention, ...], index: int, start: int = 0
    ) -> tuple[str, tuple[Mention, ...]]:
        """A segment with line `index` (from offset `start`) added after it, and its places."""
        offset = len(segment) + len(_ITEM_JOINER)
        found = (shift(m, offset) for m in self._mentions(index, start))
        return f"{segment}{_ITEM_JOINER}{self.lines[index].text[start:]}", (*places, *found)

    def _undated_in_paragraph(self, line: Line) -> list[Anchor]:
        """ "… organiseront (date encore à préciser) la première « Conférence régionale »"."""
        quoted = re.search(r"[«\"“]\s*([^«»\"“”]{3,80}?)\s*[»\"”]", line.text)
        kind = kind_of(line.text)
        if not kind:
            return []
        title = quoted.group(1) if quoted and kind_of(quoted.group(1)) else kind
        places = self._mentions(self.lines.index(line))
        return [Anchor("undated", line, None, line.text, title, places)]

    # Events --------------------------------------------------------------------------------

    def read(self) -> Extraction:
        """The document's events, merged, expanded and in document order."""
        drafts: list[Draft] = []
        previous: date | None = None
        anchors = self.anchors()
        # A dated heading under the title is the document's main event only when the document
        # has one such day; an agenda of dated lines is a list of events.
        self.heading_days = len(
            {(a.mention.day, a.mention.month) for a in anchors if a.kind == "heading" and a.mention}
        )
        for anchor in anchors:
            # Its own words: a paragraph's segment, or an item's or a heading's line.
            own_words = anchor.segment if anchor.kind == "paragraph" else anchor.line.text
            if _is_cancelled(own_words):
                continue  # "— ANNULÉ": it will not take place
            draft = self._draft(anchor, previous, drafts[-1] if drafts else None)
            if draft is None:
                continue
            drafts.append(draft)
            if anchor.mention is not None and draft.day is not None:
                # "les 5, 12 et 19 mars": the same event on each of those days
                drafts.extend(
                    replace(draft, day=draft.day.replace(day=d)) for d in anchor.mention.more_days
                )
            previous = draft.day or previous
        drafts = self._expand_place_lists(drafts)
        drafts = self._without_title_period(drafts)
        drafts = merge(drafts)
        events = tuple(self._event(d) for d in drafts)
        return Extraction(self.title, events, self.published, self.source)

    def _draft(self, anchor: Anchor, previous: date | None, last: Draft | None) -> Draft | None:
        """The event an anchor announces; `last` is the event before it, which "même lieu,
        même heure" refers to."""
        same_place = last is not None and _SAME_PLACE.search(anchor.segment) is not None
        same_time = last is not None and _SAME_TIME.search(anchor.segment) is not None
        if same_place or same_time:
            # "au même endroit" is no venue, "Même heure" no title: spaces keep the offsets.
            anchor = replace(
                anchor,
                segment=_blank_references(anchor.segment),
                lead=_blank_references(anchor.lead),
                after=_blank_references(anchor.after),
            )
        place = read_place(
            anchor.segment, self.resolver, home=lambda: self.home, mentions=anchor.mentions
        )
        if same_place and last is not None and place.town is None and place.venue is None:
            place = replace(last.place, tbd=False)
        if not place.online and is_online(anchor.lead):  # "Webinaire le 4 mars"
            place = replace(place, online=True)
        if place.town is None and place.venue is None and not place.online:
            # Nothing of its own: the place or the "en visio" its list's introduction gave.
            if anchor.defaults.place is not None:
                place = replace(anchor.defaults.place, tbd=place.tbd)
            elif anchor.defaults.online:
                place = replace(place, online=True)
        warnings = [PLACE_UNKNOWN] if place.named_unknown else []
        day = end_day = None
        inferred = False
        if anchor.mention is not None:
            dated = self._date(anchor.mention, previous)
            if dated is None:
                return None
            day, inferred = dated.day, dated.year_inferred
            end_day = anchor.mention.end_on(day.year) if anchor.mention.is_range else None
            if dated.weekday_mismatch:
                warnings.append(WEEKDAY_MISMATCH)
            if dated.uncertain:
                warnings.append(YEAR_UNCERTAIN)
        start, end = self._times(anchor)
        if (start, end) == (None, None) and same_time and last is not None:
            start, end = last.start, last.end
        title, by_lead = self._title(anchor, place)
        return Draft(anchor, day, end_day, start, end, place, title, by_lead, inferred, warnings)

    def _date(self, mention: DateMention, previous: date | None) -> DatedResult | None:
        if mention.relative is not None:
            today = self.published or self.ref_date
            if today is None:
                return None
            return DatedResult(resolve_relative(mention, today), True)
        return date_of(
            mention,
            year=self.year,
            reference=self.ref_date,
            previous=previous,
            not_before=self.published,
        )

    def _times(self, anchor: Anchor) -> tuple[time | None, time | None]:
        if anchor.times != (None, None):
            return anchor.times
        own = first_range(find_times(anchor.segment))
        return own if own != (None, None) else anchor.defaults.times

    def _title(self, anchor: Anchor, place: PlaceReading) -> tuple[str, bool]:
        """The event's title, and whether its own words gave it (rather than a fallback)."""
        if anchor.kind == "heading" and self._is_main_event(anchor):
            return self.event_title or "", False
        lead = anchor.lead
        if anchor.kind in ("item", "heading"):
            lead = description(lead)
            # "à la Mairie de Roubaix, Salle Pierre de Roubaix…": where, all of it.
            lead = "" if PLACE_OPENING.match(lead) else words_after_date(lead, self.resolver)
        elif invitation := INVITATION.search(lead):
            # "La CRESS vous donne rendez-vous": who invites is not what the event is; what it
            # organises may be ("organise la première édition de ses Rencontres de l'ESS").
            lead = event_phrase(lead[invitation.end() :]) or ""
        own = title_from_lead(lead) if lead else None
        if own is None and anchor.kind == "heading" and anchor.mention is not None:
            # "Forum de l'ESS, jeudi 12 mars de 9h à 17h": the name before the date.
            before = description(anchor.line.text[: anchor.mention.start])
            if before and not is_when_or_where(before, self.resolver):
                own = title_from_lead(before)
        if own is None and anchor.kind == "heading":
            own = self._announced_above(anchor.line)
        if anchor.kind == "paragraph" and anchor.context_kind is None and anchor.after:
            # "Prochain rendez-vous : jeudi 4 décembre à 17h30, en visio, pour la restitution
            # des ateliers", "On vous attend ce samedi 14 juin pour la fête de la Ressourcerie":
            # the words after the date, its time and its place, when those before say less.
            after = words_after_date(description(anchor.after), self.resolver)
            later = title_from_lead(after) if after else None
            phrase = event_phrase(after) if after else None
            if later and phrase and not kind_of(later):
                # "Dernière ligne droite pour la Nuit de l'ESS": the event is named further on.
                later = title_from_lead(phrase)
            if later and (own is None or (kind_of(after) and not kind_of(lead))):
                own = later
        if own is None and anchor.kind == "paragraph" and self._names_an_event():
            return self.event_title or "", False
        label = self._town_name(place.town) if place.town else place.venue
        if own and len(own.split()) == 1 and kind_of(own):
            # "Lancement": a bare kind says too little alone; a list item is told apart by its
            # place, a paragraph by the document it announces.
            alone = anchor.kind == "paragraph" and not anchor.inline
            # "Lancement : CRESS Ile-de-France lance un club…": only a long title explains.
            long_title = self.short_title is not None and len(self.short_title.split()) > 4
            document = self.short_title if alone and long_title else None
            return fallback_title(own, document, label), False
        if own:
            return own, True
        document = None if anchor.inline else self.short_title
        return fallback_title(anchor.context_kind, document, label), False

    def _announced_above(self, line: Line) -> str | None:
        """ "…convoqué(e) à l'Assemblée Générale ordinaire, qui se tiendra le" / "SAMEDI 15 JUIN
        2024 À 9 H 30": the sentence that leads into a dated line names its event."""
        index = self.lines.index(line)
        if index == 0 or self.dates[index - 1]:
            return None
        above = self.lines[index - 1].text
        if not _LEADS_INTO_DATE.search(above):
            return None
        phrase = event_phrase(above)
        return title_from_lead(phrase) if phrase else None

    def _names_an_event(self) -> bool:
        """Whether the document's title names an event ("Journée corse de l'ESS")."""
        return self.event_title is not None and kind_of(self.event_title) is not None

    def _is_main_event(self, anchor: Anchor) -> bool:
        """A dated heading right under a title that names an event ("2èmes rencontres …")."""
        return (
            self._names_an_event()
            and self.heading_days == 1
            and anchor.line.number - self.lines[0].number <= _HEADING_ZONE * 2
        )

    def _without_title_period(self, drafts: list[Draft]) -> list[Draft]:
        """ "Mois de l'ESS — sélection de la semaine du 12 au 16 novembre": a period in the
        title that the document's own events fill is the period of a programme, not an event."""
        title_line = self.lines[self.title_index].number if self.title_index is not None else None

        def is_period(draft: Draft) -> bool:
            if draft.anchor.line.number != title_line or draft.end_day is None:
                return False
            first, last = draft.day, draft.end_day
            assert first is not None
            return any(
                other is not draft and other.day is not None and first <= other.day <= last
                for other in drafts
            )

        return [d for d in drafts if not is_period(d)]

    def _expand_place_lists(self, drafts: list[Draft]) -> list[Draft]:
        """ "Les journées régionales seront organisées le 12 septembre … Elles auraient lieu à :
        Nancy, Grenoble, Bordeaux, Rennes": one event per place of the list after the date."""
        result: list[Draft] = []
        for draft in drafts:
            if draft.anchor.kind not in ("paragraph", "heading") or draft.place.town is not None:
                result.append(draft)
                continue
            towns = self._places_listed_after(draft.anchor.line)
            if not towns:
                result.append(draft)
                continue
            # Placeless mentions of that date earlier in the text are the same events.
            result = [
                d
                for d in result
                if not (d.day == draft.day and d.place.town is None and not d.place.online)
            ]
            kind = draft.anchor.context_kind or kind_of(draft.anchor.lead)
            for line, reading in towns:
                assert reading.town is not None
                title = f"{kind} — {reading.town.name}" if kind else reading.town.name
                anchor = replace(
                    draft.anchor,
                    kind="item",
                    line=line,
                    segment=line.text,
                    mentions=self._mentions(self.lines.index(line)),
                )
                result.append(replace(draft, anchor=anchor, place=reading, title=title))
        return result

    def _places_listed_after(self, line: Line) -> list[tuple[Line, PlaceReading]]:
        """The undated list items that follow a line, when each of them names a town."""
        position = self.lines.index(line)
        items: list[tuple[Line, PlaceReading]] = []
        for index in range(position + 1, min(position + 8, len(self.lines))):
            following = self.lines[index]
            if self.announced[index]:
                break
            if following.bullet and following.depth == (
                items[0][0].depth if items else following.depth
            ):
                reading = read_place(following.text, self.resolver, mentions=self._mentions(index))
                if reading.town is None:
                    return []
                items.append((following, reading))
            elif items:
                break
        return items if len(items) >= 2 else []

    def _town_name(self, town: Place) -> str:
        """A commune's name; for an arrondissement, its city's: "Paris", not "Paris 19e…"."""
        city = self.resolver.gazetteer.get("commune", town.parent) if town.parent else None
        return (city or town).name

    def _event(self, draft: Draft) -> ExtractedEvent:
        place = draft.place
        town = place.town
        department = (
            town.department if town else (place.department.code if place.department else None)
        )
        town_name = self._town_name(town) if town else None
        return ExtractedEvent(
            title=draft.title,
            date=draft.day,
            end_date=draft.end_day,
            start=draft.start,
            end=draft.end,
            venue=place.venue,
            address=place.address,
            postcode=place.postcode,
            town=town_name,
            insee=town.code if town else None,
            department=department,
            online=place.online,
            tbd_place=place.tbd or (town is None and place.venue is None and not place.online),
            year_inferred=draft.year_inferred,
            warnings=tuple(dict.fromkeys(draft.warnings)),
            source=self.source,
            line=draft.anchor.line.number,
        )


def _in_context(mentions: tuple[Mention, ...]) -> list[Mention]:
    """Homonyms read in the document's context: "à Saint-Claude" in a text about Champagnole
    and Hauts de Bienne is Saint-Claude (39), not the larger Saint-Claude of Guadeloupe."""
    departments: Counter[str] = Counter()
    for mention in mentions:
        homes = {c.place.department for c in mention.resolution.candidates}
        if len(homes) == 1 and mention.place.department:
            departments[mention.place.department] += 1
    result = []
    for mention in mentions:
        candidates = mention.resolution.candidates
        homes = {c.place.department for c in candidates}
        if len(homes) > 1 and departments:
            best = max(candidates, key=lambda c: departments.get(c.place.department or "", 0))
            if departments.get(best.place.department or "", 0) > 0 and best is not candidates[0]:
                ordered = (best, *(c for c in candidates if c is not best))
                resolution = replace(mention.resolution, candidates=ordered, ambiguous=False)
                mention = replace(mention, resolution=resolution)
        result.append(mention)
    return result


def _is_cancelled(text: str) -> bool:
    """ "Atelier — ANNULÉ", "(annulé)"; not "en cas de pluie, la sortie sera annulée"."""
    match = _CANCELLED.search(text)
    return match is not None and not _CONDITIONAL.search(text[: match.start()])


def _share_times_said_once(anchors: list[Anchor]) -> None:
    """ "… à Champagnole et le mardi 25 novembre à Dole, chaque fois de 18h à 20h": the times
    said once at the end of an inline list belong to all its items."""
    if len(anchors) < 2 or not _EACH_TIME.search(anchors[-1].segment):
        return
    times = first_range(find_times(anchors[-1].segment))
    for anchor in anchors[:-1]:
        if first_range(find_times(anchor.segment)) == (None, None):
            anchor.times = times


def _rolls_over(day: date, published: date) -> bool:
    """Whether a year-less date before the publication date belongs to the following year."""
    return (published - day).days > ROLLOVER_DAYS
