"""Anchors (the dates that announce events), drafts (events being read), and how several
mentions of one event merge into one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Literal

from essbot.extract.dates import DateMention
from essbot.extract.places import PlaceReading
from essbot.extract.text import Line
from essbot.geo import Mention

AnchorKind = Literal["item", "heading", "paragraph", "undated"]


@dataclass(frozen=True, slots=True)
class ListDefaults:
    """What a list's introduction says once for all its items: "Format court 17h30-20h",
    "un cycle de webinaires sur Zoom :", "au Café Le Grain de Sel, 37000 Tours :"."""

    times: tuple[time | None, time | None] = (None, None)
    online: bool = False
    place: PlaceReading | None = None


@dataclass(slots=True)
class Anchor:
    """A date that announces an event (or an undated item), with the text it governs."""

    kind: AnchorKind
    line: Line
    mention: DateMention | None
    segment: str  # the text the event's place and times are read from
    lead: str  # the words its title is made of
    mentions: tuple[Mention, ...] = ()  # the places the segment mentions, at its offsets
    context_kind: str | None = None  # the kind of event the surrounding text announces
    after: str = ""  # in a paragraph, the words after the date (they may name the event)
    inline: bool = False  # one of several dates in a sentence: an inline list
    defaults: ListDefaults = field(default_factory=ListDefaults)
    times: tuple[time | None, time | None] = (None, None)


@dataclass(slots=True)
class Draft:
    """An event being read from its anchor, before merging with other mentions of it."""

    anchor: Anchor
    day: date | None
    end_day: date | None
    start: time | None
    end: time | None
    place: PlaceReading
    title: str
    titled_by_lead: bool
    year_inferred: bool
    warnings: list[str] = field(default_factory=list)


def shift(mention: Mention, delta: int) -> Mention:
    """The mention `delta` characters further on (built directly: `replace` costs more)."""
    start, end = mention.start + delta, mention.end + delta
    return Mention(start, end, mention.text, mention.resolution, mention.evidence)


def merge(drafts: list[Draft]) -> list[Draft]:
    """One event per date and place: a heading, paragraphs and a timetable that speak of the
    same day are one event. Items of a list are never merged with each other."""
    kept: list[Draft] = []
    for draft in drafts:
        target = next((k for k in kept if same_event(k, draft)), None)
        if target is None:
            kept.append(draft)
            continue
        absorb(target, draft)
    return kept


def same_event(a: Draft, b: Draft) -> bool:
    """Whether two mentions speak of one event: the same day and place, told by a heading or
    a paragraph (two items of a list are two events), or a day heading of a festival's
    programme inside the festival's days. A one-day mention on a multi-day event's first day
    ("Inauguration le jeudi 27 novembre" of a market "du 27 novembre au 24 décembre") is
    another event."""
    if a.day is None or b.day is None:
        return False
    if a.anchor.kind == "item" and b.anchor.kind == "item":
        return False
    if _is_day_of(b, a) or _is_day_of(a, b):
        return True  # a day of the programme, wherever its visits go
    town_a = a.place.town.code if a.place.town else None
    town_b = b.place.town.code if b.place.town else None
    if not (town_a is None or town_b is None or town_a == town_b):
        return False
    if (_online_only(a) and town_b is not None) or (_online_only(b) and town_a is not None):
        return False  # a webinar and a meeting in a town on one day are two events
    return a.end_day == b.end_day and a.day == b.day


def _online_only(draft: Draft) -> bool:
    return draft.place.online and draft.place.town is None and draft.place.venue is None


def _is_day_of(day: Draft, event: Draft) -> bool:
    """A heading on one of a longer event's days: "Jeudi 13 mars – 8h30 : accueil ; 9h-12h :
    plénière" in the programme of a two-day meeting."""
    assert day.day is not None
    assert event.day is not None
    return (
        day.anchor.kind == "heading"
        and day.end_day is None
        and event.end_day is not None
        and event.day <= day.day <= event.end_day
    )


def absorb(target: Draft, other: Draft) -> None:
    """Complete an event with what another mention of it adds."""
    if target.end_day != other.end_day:
        return  # a day of a festival's programme: the festival keeps its own times
    if (target.start, target.end) == (None, None) or (target.end is None and other.end is not None):
        target.start, target.end = other.start, other.end
    for name in ("venue", "address", "postcode", "town"):
        if getattr(target.place, name) is None and getattr(other.place, name) is not None:
            target.place = replace(target.place, **{name: getattr(other.place, name)})
    if target.place.town is not None and target.place.tbd and not other.place.tbd:
        target.place = replace(target.place, tbd=False)
    if not target.titled_by_lead and other.titled_by_lead and target.anchor.kind != "heading":
        target.title, target.titled_by_lead = other.title, True
    target.warnings.extend(w for w in other.warnings if w not in target.warnings)
