"""What every language says, and the date formats they share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime, time, timedelta
from typing import Literal

from essbot.texts.desk import DeskTexts

RANGE = "–"  # en dash, between two times or dates

Lang = Literal["fr", "en"]


class Texts(DeskTexts, ABC):
    """The words of one language. Attributes are whole messages (HTML, safe as they are);
    methods fill in values the caller has already escaped."""

    code: Lang
    welcome: str
    your_location: str  # a shared location, where a reply would name a town
    help: str
    error: str
    thanks: str
    not_understood: str
    too_long: str
    empty: str
    no_letters: str
    expired_button: str
    no_such_event: str
    home_unknown: str
    location_saved: str
    subscribe_usage: str
    admins_only: str
    already_subscribed: str
    subscriptions_heading: str
    no_subscriptions: str
    unsubscribed: str
    stop_question: str
    stop_yes: str
    stop_no: str
    stopped: str
    stop_cancelled: str
    privacy: str
    mydata_caption: str
    forget_question: str
    forget_yes: str
    forgotten: str
    digest_usage: str
    leads_usage: str
    quiet_usage: str
    subscriptions_buttons: str
    with_reminders: str
    changed: str
    quiet_off: str
    digest_off: str
    choose_place: str
    more: str
    previous: str
    details: str
    remind_me: str
    add_to_calendar: str
    announcement: str
    map: str
    share: str
    reminder_too_late: str
    changed_heading: str
    new_event_heading: str
    digest_heading: str
    cancelled_heading: str
    reminder_already: str
    calendar_caption: str
    no_place_to_map: str
    not_in_calendar: str
    cancelled: str
    in_progress: str
    past: str
    online: str
    place_tbd: str
    year_guessed: str
    source: str
    event_number: str
    nothing_at_all: str
    lang_set: str
    lang_usage: str
    near_usage: str
    dept_usage: str
    region_usage: str
    event_usage: str
    unknown_department: str
    unknown_region: str
    inline_nothing: str
    commands: tuple[tuple[str, str], ...]  # (command, description), as setMyCommands takes
    weekdays: tuple[str, ...]
    months: tuple[str, ...]

    # Places and areas ------------------------------------------------------------------------

    @abstractmethod
    def near(self, place: str, radius_km: float) -> str:
        """Heading: "Près d'Amiens (80), à moins de 30 km"."""

    @abstractmethod
    def around_you(self, radius_km: float) -> str:
        """Heading for a shared location."""

    @abstractmethod
    def in_commune(self, place: str) -> str: ...

    @abstractmethod
    def in_area(self, place: str) -> str:
        """Heading for a department or a region."""

    @abstractmethod
    def everywhere(self) -> str: ...

    @abstractmethod
    def widened(self, asked: str, radius_km: float) -> str:
        """Nothing in the area asked; what follows is within radius_km."""

    @abstractmethod
    def nothing_here(self, asked: str) -> str:
        """Nothing in the area asked; the nearest elsewhere follow."""

    @abstractmethod
    def nothing_then(self, window: str) -> str:
        """Nothing in the window asked; the next events follow."""

    @abstractmethod
    def nothing_matching(self, words: str) -> str:
        """No event says these keywords; the next events follow."""

    @abstractmethod
    def nothing_upcoming(self, asked: str) -> str:
        """Nothing upcoming at all; the most recent past events follow."""

    @abstractmethod
    def understood_as(self, place: str) -> str:
        """A misspelt name read as a place: "(Amiens (80), je suppose)"."""

    @abstractmethod
    def unknown_place(self, name: str, suggestions: bool) -> str: ...

    @abstractmethod
    def homonyms(self, name: str) -> str: ...

    @abstractmethod
    def distance(self, km: float) -> str: ...

    @abstractmethod
    def page(self, first: int, last: int) -> str: ...

    @abstractmethod
    def subscribed(self, area: str, keywords: str) -> str:
        """A new area subscription, confirmed."""

    @abstractmethod
    def weekly(self, day: str) -> str:
        """A subscription told in the weekly digest of `day`."""

    @abstractmethod
    def quiet_set(self, start: str, end: str) -> str:
        """New quiet hours, confirmed."""

    @abstractmethod
    def digest_set(self, day: str) -> str:
        """Area subscriptions now gathered in a weekly digest on `day`."""

    @abstractmethod
    def reminder_heading(self, lead: str) -> str:
        """The first line of a reminder sent `lead` before the event."""

    @abstractmethod
    def reminders_planned(self, leads: list[str]) -> str:
        """What a user who asked for reminders is told: when they will come."""

    # Dates and times -------------------------------------------------------------------------

    @abstractmethod
    def clock(self, moment: time) -> str:
        """A time of day: "17h30", "5:30 pm"."""

    @abstractmethod
    def clock_range(self, start: time, end: time) -> str:
        """Two times of one day: "17h30–20h", "5:30–8 pm"."""

    @abstractmethod
    def day(self, day: date, *, year: bool = True) -> str:
        """A date in words: "mercredi 5 octobre 2016"."""

    @abstractmethod
    def days(self, first: date, last: date) -> str:
        """Several days: "du lundi 2 au mercredi 4 novembre 2016"."""

    @abstractmethod
    def window(self, first: date | None, last: date | None, said: str) -> str:
        """The dates a question covers, for a heading: "du 1er au 31 octobre 2016"."""

    def when(self, starts_at: datetime, ends_at: datetime | None, *, all_day: bool) -> str:
        """When an event takes place, in local time: "mercredi 5 octobre 2016, 17h30–20h".
        `ends_at` of an all-day event is the midnight after its last day."""
        first = starts_at.date()
        if all_day:
            last = (ends_at - timedelta(days=1)).date() if ends_at is not None else first
            return self.day(first) if last <= first else self.days(first, last)
        if ends_at is None:
            return f"{self.day(first)}, {self.clock(starts_at.time())}"
        # Past midnight on the next day still reads as one evening ("20h–1h").
        if ends_at.date() == first or (ends_at - starts_at < timedelta(hours=12)):
            return f"{self.day(first)}, {self.clock_range(starts_at.time(), ends_at.time())}"
        start = f"{self.day(first)}, {self.clock(starts_at.time())}"
        end = f"{self.day(ends_at.date())}, {self.clock(ends_at.time())}"
        return f"{start} {RANGE} {end}"
