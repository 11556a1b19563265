"""What the bot sends back, independent of Telegram: HTML text, buttons, a venue, a file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: `data` comes back as a callback; `url` opens a link; `share`
    opens the inline mode in another chat with this query."""

    label: str
    data: str | None = None
    url: str | None = None
    share: str | None = None
    hint: str = ""  # a longer label, for the console where a "3" alone says little


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Venue:
    """A place on a map (Telegram's venue message)."""

    lat: float
    lon: float
    title: str
    address: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to send."""

    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message. `edit`: it replaces the message whose button was pressed. `toast`: the
    short notice that acknowledges a button (shown alone when there is no text)."""

    text: str = ""
    buttons: Keyboard = ()
    venue: Venue | None = None
    attachment: Attachment | None = None
    edit: bool = False
    toast: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """An event for inline mode: a title and a line to choose it by, the message it sends."""

    id: str
    title: str
    description: str
    text: str
    buttons: Keyboard = ()
