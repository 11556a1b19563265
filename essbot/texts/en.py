"""What the bot says in English, to users whose Telegram is in English or who chose it."""

from __future__ import annotations

from datetime import date, time

from essbot.texts.base import RANGE, Texts
from essbot.texts.desk_en import EnglishDesk


def _km(km: float) -> str:
    return f"{km:.0f}"


def _ordinal_free(day: date) -> str:
    return str(day.day)


class English(EnglishDesk, Texts):
    code = "en"
    your_location = "your location"
    welcome = (
        "Hello! I am <b>essbot</b>, the bot of the social and solidarity economy (ESS) "
        "meetings in France.\n\n"
        "Just ask me:\n"
        "• <i>What's near Amiens?</i>\n"
        "• <i>Workshops in the 62 in November?</i>\n"
        "• <i>This weekend in Brittany</i>\n"
        "or share your location 📎. /help for the rest.\n\n"
        "<i>I keep only what is needed: your language, the place you shared, your "
        "subscriptions.</i> /privacy"
    )
    help = (
        "<b>How to ask</b>\n"
        "Write as you would say it: a town, a department (name or number), a region, "
        '"near …", "within 20 km of …", and if you like a date ("tomorrow", '
        '"this weekend", "in November", "on 5 October") or a format ("workshop", '
        '"webinar", "online"). You can also share your location.\n\n'
        "<b>Commands</b>\n"
        "/near &lt;place&gt; [km] — around a place\n"
        "/dept &lt;number or name&gt; — in a department\n"
        "/region &lt;name&gt; — in a region\n"
        "/upcoming — the next events\n"
        "/event &lt;no.&gt; — one event in detail\n"
        "/lang fr|en — the language of my replies"
    )
    error = "Sorry, something went wrong. Please try again in a moment."
    thanks = "You're welcome! Ask me any time."
    not_understood = (
        "I did not understand. Tell me a place or a date, for instance "
        "<i>What's near Lille?</i> or <i>in the 62 in November</i>. /help for help."
    )
    too_long = "Your message is very long: I only read its beginning."
    empty = "Your message is empty. Tell me a place, for instance <i>near Amiens</i>."
    no_letters = (
        "I only read words 🙂 Tell me a place or a date, for instance <i>this weekend in Lille</i>."
    )
    expired_button = "This button is no longer valid. Please ask again."
    no_such_event = "I cannot find this event: it may have been withdrawn."
    home_unknown = (
        "I don't know where you are yet. Share your location 📎 or tell me a town, "
        "for instance <i>near Lens</i>."
    )
    location_saved = 'I saved your location: "near me" will mean it from now on.'
    subscribe_usage = (
        "Tell me where: <code>/subscribe Amiens</code>, <code>/subscribe Lens 20</code>, "
        "<code>/subscribe 62 workshops</code>, or share your location first."
    )
    admins_only = "In a group, only administrators manage subscriptions."
    already_subscribed = "You are already subscribed to that. /subscriptions to see them."
    subscriptions_heading = "<b>Your subscriptions</b> (❌ to remove one)"
    no_subscriptions = "You have no subscription. <code>/subscribe Amiens</code> to start."
    unsubscribed = "Subscription removed."
    stop_question = "Stop everything? Your subscriptions and reminders will be deleted."
    stop_yes = "Yes, stop everything"
    stop_no = "No"
    stopped = "Done: no more subscriptions or reminders. See you soon!"
    stop_cancelled = "Nothing changed."
    privacy = (
        "<b>Your data</b>\n"
        "I keep only what I need to answer you and let you know: your Telegram id, the language "
        "you chose, the last place you shared, your subscriptions and reminders, the messages "
        "planned for you and the record of their sending (90 days). I do not keep your messages. "
        "If you block me, I forget everything after 30 days.\n"
        "/mydata — everything I keep about you, in a file\n"
        "/forget — delete it all"
    )
    mydata_caption = "Everything I keep about you (JSON)."
    forget_question = (
        "Delete everything? Your subscriptions, reminders, language, place and the history of "
        "your messages will be deleted, for good."
    )
    forget_yes = "Yes, delete it all"
    forgotten = "Done: I keep nothing about you any more. Goodbye!"
    subscriptions_buttons = (
        "❌ remove · 🗞 weekly digest · ⚡ at once · 🔔 reminders of the events · 🔕 without"
    )
    with_reminders = "with reminders"
    changed = "Changed."
    quiet_usage = (
        "Quiet hours: <code>/quiet 22:00 7:30</code> (nothing but imminent reminders in "
        "between), or <code>/quiet off</code>."
    )
    quiet_off = "Noted: no quiet hours, I will write at any time."
    digest_usage = (
        "Choose the day of the weekly digest: <code>/digest Monday</code>, or "
        "<code>/digest off</code> to be told at once."
    )
    digest_off = "Noted: I will tell you of each new event at once."
    leads_usage = (
        "When to remind you? For instance <code>/remind 42 1week 1h</code>: "
        "1week, 1day, eve (6 pm the day before), 2h, 1h."
    )
    choose_place = "Which one?"
    more = "Next ›"
    previous = "‹ Previous"
    details = "Details"
    remind_me = "🔔 Remind me"
    add_to_calendar = "📅 Add to my calendar"
    announcement = "📄 The announcement"
    map = "🗺 Map"
    share = "↗ Share"
    reminder_too_late = "The event starts soon: too late for a reminder."
    changed_heading = "⚠️ Change: the event you follow has changed."
    new_event_heading = "🆕 A new event near you"
    digest_heading = "🗞 This week's new events near you"
    cancelled_heading = "❌ Cancelled: the event you follow will not take place."
    reminder_already = "You already asked for a reminder of this event."
    calendar_caption = "Open this file to add the event to your calendar."
    no_place_to_map = "The place of this event is not known yet."
    not_in_calendar = "This event has no date yet: it cannot go in a calendar."
    cancelled = "❌ Cancelled"
    in_progress = "in progress"
    past = "past"
    online = "Online"
    place_tbd = "Place to be announced"
    year_guessed = "year inferred from the announcement"
    source = "Source:"
    event_number = "no."
    nothing_at_all = "I don't know any event yet. Come back soon!"
    lang_set = "Fine, I will answer in English."
    lang_usage = "Choose the language: /lang fr or /lang en."
    near_usage = "Tell me a place: <code>/near Amiens</code> or <code>/near Lens 20</code>."
    dept_usage = "Tell me a department: <code>/dept 62</code> or <code>/dept Somme</code>."
    region_usage = "Tell me a region: <code>/region Hauts-de-France</code>."
    event_usage = "Give the event's number: <code>/event 42</code>."
    unknown_department = "I don't know this department. Try its number, such as 62."
    unknown_region = "I don't know this region. Try Brittany, for instance."
    inline_nothing = "Nothing planned"
    commands = (
        ("start", "Welcome"),
        ("help", "How to ask me"),
        ("near", "Events around a place: /near Amiens 30"),
        ("dept", "Events in a department: /dept 62"),
        ("region", "Events in a region: /region Brittany"),
        ("upcoming", "The next events"),
        ("event", "One event in detail: /event 42"),
        ("subscribe", "Subscribe to new events: /subscribe Amiens 30"),
        ("subscriptions", "Your subscriptions"),
        ("stop", "Stop everything"),
        ("digest", "A weekly digest: /digest Monday"),
        ("quiet", "Quiet hours: /quiet 22:00 8:00"),
        ("remind", "Reminders of an event: /remind 42"),
        ("lang", "Language of replies: /lang fr or /lang en"),
        ("privacy", "Your data: what I keep, /mydata, /forget"),
    )
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    months = (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    )  # fmt: skip

    def near(self, place: str, radius_km: float) -> str:
        return f"Near {place}, within {_km(radius_km)} km"

    def around_you(self, radius_km: float) -> str:
        return f"Around you, within {_km(radius_km)} km"

    def in_commune(self, place: str) -> str:
        return f"In {place}"

    def in_area(self, place: str) -> str:
        return place

    def everywhere(self) -> str:
        return "Everywhere"

    def widened(self, asked: str, radius_km: float) -> str:
        return f"Nothing right by {asked}: I widened the search to {_km(radius_km)} km."

    def nothing_here(self, asked: str) -> str:
        return (
            f"Nothing planned around {asked} for these dates. Here are the nearest upcoming events:"
        )

    def nothing_then(self, window: str) -> str:
        return f"Nothing planned {window}. Here are the next events:"

    def nothing_matching(self, words: str) -> str:
        return f'Nothing matches "{words}" for these dates. Here are the next events:'

    def nothing_upcoming(self, asked: str) -> str:
        return f"No upcoming event ({asked}). Here are the most recent ones, already past:"

    def understood_as(self, place: str) -> str:
        return f"(I read: {place})"

    def unknown_place(self, name: str, suggestions: bool) -> str:
        if suggestions:
            return f'I don\'t know "{name}". Did you mean:'
        return f'I don\'t know "{name}". Check the spelling or try a nearby town.'

    def homonyms(self, name: str) -> str:
        return f'Several places are called "{name}". Which one?'

    def distance(self, km: float) -> str:
        if km < 1:
            return "under 1 km"
        return f"{km:.1f} km" if km < 10 else f"{km:.0f} km"

    def page(self, first: int, last: int) -> str:
        return f"Events {first} to {last}"

    def subscribed(self, area: str, keywords: str) -> str:
        words = f' ("{keywords}")' if keywords else ""
        return (
            f"Noted: I will tell you of new events{words} — {area}. "
            "/subscriptions to see your subscriptions."
        )

    def weekly(self, day: str) -> str:
        return f"{day} digest"

    def quiet_set(self, start: str, end: str) -> str:
        return f"Noted: quiet hours from {start} to {end}, nothing but imminent reminders."

    def digest_set(self, day: str) -> str:
        return f"Noted: a digest of the new events every {day} at 9 am."

    def reminder_heading(self, lead: str) -> str:
        return {
            "1w": "🔔 Reminder: it is in a week.",
            "1d": "🔔 Reminder: it is tomorrow.",
            "eve": "🔔 Reminder: it is tomorrow!",
            "2h": "🔔 Reminder: it starts in 2 hours.",
            "1h": "🔔 Reminder: it starts in 1 hour.",
        }.get(lead, "🔔 Reminder")

    def reminders_planned(self, leads: list[str]) -> str:
        names = {"1w": "a week before", "1d": "the day before at the same time",
                 "eve": "the day before at 6 pm", "2h": "2 hours before",
                 "1h": "1 hour before"}  # fmt: skip
        said = [names.get(lead, lead) for lead in leads]
        listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
        return f"Noted: a reminder {listed}."

    def clock(self, moment: time) -> str:
        hour = moment.hour % 12 or 12
        suffix = "am" if moment.hour < 12 else "pm"
        minutes = f":{moment.minute:02d}" if moment.minute else ""
        return f"{hour}{minutes} {suffix}"

    def clock_range(self, start: time, end: time) -> str:
        same_half = (start.hour < 12) == (end.hour < 12)
        first = self.clock(start).rsplit(" ", 1)[0] if same_half else self.clock(start)
        return f"{first}{RANGE}{self.clock(end)}"

    def day(self, day: date, *, year: bool = True) -> str:
        text = f"{self.weekdays[day.weekday()]} {_ordinal_free(day)} {self.months[day.month - 1]}"
        return f"{text} {day.year}" if year else text

    def days(self, first: date, last: date) -> str:
        return f"{self.day(first, year=first.year != last.year)} to {self.day(last)}"

    def window(self, first: date | None, last: date | None, said: str) -> str:
        if first is None and last is None:
            return "upcoming"
        if first is not None and last is not None:
            if first == last:
                return f"on {self.day(first)}"
            return f"from {self.days(first, last)}"
        if first is not None:
            return f"from {self.day(first)}"
        assert last is not None
        return f"until {self.day(last)}"
