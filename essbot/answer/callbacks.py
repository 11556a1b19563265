"""Callback data: what a button asks, in at most 64 bytes, read back strictly.

- `s|<area>|<radius>|<from>|<to>|<keywords>|<offset>`: a page of search results, where
  <area> is `a` (everywhere), `c<INSEE>`, `d<code>`, `r<code>` or `p<lat>,<lon>`;
- `e|<id>` an event's details, `d|<id>` the announcement it comes from, `i|<id>` its calendar
  file, `m|<id>` its map, `r|<id>` a reminder;
- `u|<id>` removes a subscription, `t|<id>` switches it between at once and weekly, `w|<id>`
  turns reminders of its events on or off; `z|yes` and `z|no` answer /stop, `f|yes` and
  `f|no` /forget;
- `o|<verb>|<id>[|<arg>]`: an organizer's or an admin's action (see DESK_VERBS), checked
  again on the server side whatever the data says.

Anything else, or anything out of range, raises BadCallback: a forged or outdated button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from essbot.events.search import AreaKind, Criteria, center_of
from essbot.understand.topics import KEYWORDS

MAX_BYTES = 64
EventAction = Literal["e", "d", "i", "m", "r", "u", "t", "w"]
_KEYWORDS = tuple(KEYWORDS)
_KINDS: dict[str, AreaKind] = {"a": "everywhere", "c": "commune", "d": "department",
                               "r": "region", "p": "point"}  # fmt: skip
_LETTERS = {kind: letter for letter, kind in _KINDS.items()}
_SEARCH = re.compile(
    r"s\|(?P<area>a|c\d[\dAB]\d{3}|d(?:\d[\dAB]|97\d)|r\d{2}|p-?\d{1,2}\.\d{1,4},-?\d{1,3}\.\d{1,4})"
    r"\|(?P<radius>\d{0,3})\|(?P<from>\d{8})?\|(?P<to>\d{8})?\|(?P<keywords>(?:\d{1,2}\.?)*)"
    r"\|(?P<offset>\d{1,4})"
)
_EVENT = re.compile(r"(?P<action>[edimrutw])\|(?P<id>\d{1,12})")
_STOP = re.compile(r"(?P<what>[zf])\|(?P<answer>yes|no)")
_DESK = re.compile(r"o\|(?P<verb>[a-z]{2})\|(?P<id>\d{1,12})(?:\|(?P<arg>[a-z0-9]{1,4}))?")
DESK_VERBS = {
    "dl": "a page of a submission's drafts (arg: the page)",
    "dc": "a draft's card",
    "df": "fix a field of a draft (arg: the field's letter)",
    "dx": "leave a draft out",
    "dr": "take a draft back in",
    "dp": "publish a submission's drafts",
    "dy": "publish them despite their warnings",
    "dq": "drop a whole submission",
    "ml": "a page of /myevents (id: the offset)",
    "mc": "an event to manage",
    "ef": "change a field of an event (arg: the field's letter)",
    "ex": "cancel an event (asks first)",
    "ey": "cancel it, confirmed",
    "ea": "write to an event's followers",
    "na": "write to an area's subscribers",
    "as": "send an announcement",
    "aq": "drop an announcement",
    "ap": "approve an announcement (admins)",
    "ar": "reject an announcement (admins)",
    "nf": "fill in the form of a single event",
    "cq": "stop what the bot waits for",
}


class BadCallback(ValueError):
    """Callback data that no button of this bot makes."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    criteria: Criteria
    offset: int


@dataclass(frozen=True, slots=True)
class EventRequest:
    """An action on an event (for `u`: on a subscription, by its id)."""

    action: EventAction
    event_id: int


@dataclass(frozen=True, slots=True)
class StopRequest:
    """The answer to /stop (`forget` False) or to /forget."""

    confirmed: bool
    forget: bool = False


@dataclass(frozen=True, slots=True)
class DeskRequest:
    """An organizer's or admin's action: its verb, the id it acts on, an argument."""

    verb: str
    id: int
    arg: str = ""


def page_data(criteria: Criteria, offset: int) -> str:
    """The data of a button that shows results from `offset` on."""
    kind = _LETTERS[criteria.kind]
    if criteria.kind == "point":
        area = f"p{criteria.lat:.4f},{criteria.lon:.4f}"
    elif criteria.kind == "everywhere":
        area = "a"
    else:
        area = f"{kind}{criteria.code}"
    radius = f"{criteria.radius_km:.0f}" if criteria.radius_km is not None else ""
    keywords = ".".join(str(_KEYWORDS.index(k)) for k in criteria.keywords)
    data = "|".join(("s", area, radius, _day(criteria.date_from), _day(criteria.date_to),
                     keywords, str(offset)))  # fmt: skip
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data}")
    return data


def event_data(action: EventAction, event_id: int) -> str:
    return f"{action}|{event_id}"


def desk_data(verb: str, target: int = 0, arg: str = "") -> str:
    """The data of an organizer's or admin's button."""
    assert verb in DESK_VERBS, verb
    return f"o|{verb}|{target}" + (f"|{arg}" if arg else "")


def read(data: str) -> PageRequest | EventRequest | StopRequest | DeskRequest:
    """What a button asks; BadCallback when no button of ours says this."""
    if len(data.encode()) > MAX_BYTES:
        raise BadCallback("too long")
    if match := _DESK.fullmatch(data):
        if match["verb"] not in DESK_VERBS:
            raise BadCallback(f"unknown verb {match['verb']!r}")
        return DeskRequest(match["verb"], int(match["id"]), match["arg"] or "")
    if match := _STOP.fullmatch(data):
        return StopRequest(match["answer"] == "yes", forget=match["what"] == "f")
    if match := _EVENT.fullmatch(data):
        action: EventAction = match["action"]  # type: ignore[assignment]
        return EventRequest(action, int(match["id"]))
    match = _SEARCH.fullmatch(data)
    if match is None:
        raise BadCallback(f"unknown callback data {data!r}")
    try:
        return PageRequest(_criteria(match), int(match["offset"]))
    except (ValueError, IndexError) as error:
        raise BadCallback(str(error)) from error


def _criteria(match: re.Match[str]) -> Criteria:
    area = match["area"]
    kind = _KINDS[area[0]]
    code, lat, lon = None, None, None
    if kind == "point":
        lat_text, lon_text = area[1:].split(",")
        lat, lon = float(lat_text), float(lon_text)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("point out of range")
    elif kind != "everywhere":
        code = area[1:]
        lat, lon = center_of(kind, code)
        if lat is None:
            raise ValueError(f"unknown {kind} {code}")
    radius = float(match["radius"]) if match["radius"] else None
    if radius is not None and not 1 <= radius <= 300:
        raise ValueError("radius out of range")
    if kind == "point" and radius is None:
        raise ValueError("a point needs a radius")
    first, last = _date(match["from"]), _date(match["to"])
    if first and last and last < first:
        raise ValueError("window ends before it starts")
    keywords = tuple(_KEYWORDS[int(i)] for i in match["keywords"].split(".") if i)
    return Criteria(kind, code, lat, lon, radius, first, last, keywords)


def _day(day: date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def _date(text: str | None) -> date | None:
    if not text:
        return None
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))
