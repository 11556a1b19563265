"""What the bot says to organizers and admins, in English."""

from __future__ import annotations

from types import MappingProxyType

from essbot.texts.desk import DeskTexts

_WARNINGS = {
    "weekday_mismatch": "the weekday written does not match this date: check it (📅 Date).",
    "year_uncertain": "the year is uncertain: check the date (📅 Date).",
    "place_unknown": "I do not recognise the place: give it (📍 Place).",
    "outside_scope": "this place is outside your scope: it will not be published.",
}
_FIELDS = {"title": "the title", "date": "the date", "time": "the time", "place": "the place",
           "venue": "the venue"}  # fmt: skip
_ERRORS = {
    "empty": "Your answer is empty.",
    "no_date": "I cannot read a date. Write for instance <i>Thursday 19 December 2024</i> or "
    "<i>19/12/2024</i>.",
    "no_time": "I cannot read a time. Write for instance <i>5:30-8 pm</i>, <i>14h</i>, or "
    "<i>none</i>.",
    "unknown_place": "I cannot find this place. Give the town, with its postcode if you can: "
    "<i>Toit Commun, 62300 Lens</i>, or <i>online</i>, or <i>to be announced</i>.",
    "outside_scope": "This place is outside your organizer's scope.",
}
_STATES = {
    "waiting": "Your announcement waits for an admin's approval. I will tell you when it goes.",
    "rejected": "Announcement rejected: its author is told.",
}
_FAILURES = {"blocked": "bot blocked", "expired": "event over", "rejected": "refused by Telegram"}


def _s(count: int) -> str:
    return "s" if count != 1 else ""


class EnglishDesk(DeskTexts):
    organizer_help = (
        "<b>Organizers</b>\n"
        "/newevent — publish: paste an announcement, send a .txt or fill in a form\n"
        "/myevents — change or cancel your events\n"
        "/announce — write to an event's followers (#12) or an area's subscribers (62, Lens)\n"
        "/cancel — leave the current step"
    )
    admin_help = (
        "<b>Admins</b>\n"
        "/organizers — the organizers and the latest changes\n"
        "/grant &lt;id or @username&gt; [62, Brittany…] · /revoke &lt;id or @username&gt;\n"
        "/approval on|off — require your approval before each announcement\n"
        "/pending — announcements waiting for your approval"
    )
    organizers_only = (
        "This command is for event organizers. An admin of the bot can give you that role."
    )
    admins_only_command = "This command is for the bot's admins."
    private_only = "Write to me in a private chat for that."
    not_allowed = "You are not allowed to do that."
    already_done = "Already done."
    newevent_prompt = (
        "<b>New event</b>\n"
        "Paste or forward the announcement, or send it as a .txt file: I will read its events, "
        "which you check before publishing them.\n"
        "For a single event you can also fill in a form."
    )
    fill_form = "📝 Fill in a form"
    quit_step = "Cancel"
    step_cancelled = "All right, I stop here."
    file_refused = "Send the announcement as a text file (.txt, UTF-8, 512 KB at most)."
    text_too_long = "This text is too long for me: split it into several announcements."
    no_event_found = (
        "I find no dated event in this text. Send another announcement, or fill in the form."
    )
    date_tbd = "date to be announced"
    leave_out = "🗑 Leave out"
    take_back = "↩️ Take back"
    back_to_list = "‹ List"
    drop_all = "🗑 Drop it all"
    submission_dropped = "Draft dropped: nothing was published."
    publish_anyway = "Publish anyway"
    saved = "Saved."
    field_buttons = MappingProxyType(
        {
            "title": "✏️ Title",
            "date": "📅 Date",
            "time": "🕑 Time",
            "place": "📍 Place",
            "venue": "🏠 Venue",
        }
    )
    no_events_yet = "You have published no upcoming event yet. /newevent to begin."
    my_events_heading = "Your events (tap a number to change one)"
    manage_event = "⚙️ Manage"
    announce_button = "📣 Write to followers"
    cancel_event = "❌ Cancel the event"
    cancel_confirm = "Yes, cancel it"
    announce_prompt = (
        "<b>Announcement</b>\nWrite to whom? The followers of one of your events, or the "
        "subscribers of an area (<code>/announce 62</code>, <code>/announce Lens</code>; "
        "<code>/announce #12</code> for event no. 12)."
    )
    announce_area = "📍 An area's subscribers"
    ask_area = "Which area? A department, a region or a town: <i>62</i>, <i>Somme</i>, <i>Lens</i>."
    unknown_area = "I do not recognise this area. Give a department, a region or a town."
    drop_announcement = "🗑 Drop"
    announcement_dropped = "Announcement dropped: nothing was sent."
    organizers_heading = "Organizers"
    no_organizers = "None yet."
    role_changes_heading = "Latest changes"
    by = "by"
    grant_usage = (
        "<code>/grant &lt;id or @username&gt; [departments or regions]</code> gives the role "
        "(<code>/grant @cress_hdf 62, 59</code>); <code>/revoke &lt;id or @username&gt;</code> "
        "takes it back."
    )
    everywhere_scope = "everywhere"
    waiting_for_user = "role taken at their next message"
    not_an_organizer = "This person is not an organizer."
    nothing_pending = "No announcement waits for your approval."
    approve = "✅ Approve"
    reject = "🚫 Reject"

    def drafts_summary(self, total: int, waiting: int, to_check: int) -> str:
        text = f"{total} event{_s(total)} found"
        if waiting != total:
            text += f", {waiting} to publish"
        if to_check:
            text += f", ⚠️ {to_check} to check"
        return text + ". Tap a number to see, fix or leave out an event."

    def publish(self, count: int) -> str:
        return f"✅ Publish {count} event{_s(count)}"

    def draft_heading(self, position: int) -> str:
        return f"Draft no. {position}"

    def warning(self, code: str) -> str:
        return _WARNINGS.get(code, code)

    def published_as(self, event_id: int) -> str:
        return f"✅ Published: event no. {event_id}."

    def publish_check(self, numbers: str) -> str:
        return f"⚠️ To check before publishing: no. {numbers}. Fix them, or publish anyway."

    def published(self, new: int, known: int, outside: str, undated: int) -> str:
        lines = [f"✅ {new} event{_s(new)} published."]
        if undated:
            lines.append(f"{undated} without a date: shown once you give it.")
        if known:
            lines.append(f"{known} already known from another announcement: completed.")
        if outside:
            lines.append(f"Outside your scope, not published: no. {outside}.")
        lines.append("Subscribers concerned are told. /myevents to change them.")
        return "\n".join(lines)

    def ask_field(self, field: str, *, form: bool = False) -> str:
        examples = {
            "title": "The event's title?",
            "date": "The date? <i>Thursday 19 December 2024</i>, <i>19/12/2024</i>, "
            "<i>from 7 to 9 November</i>, or <i>to be announced</i>.",
            "time": "The time? <i>5:30-8 pm</i>, <i>14h</i>, or <i>none</i>.",
            "place": "The place? <i>Toit Commun, 6 rue Lavoisier, 62300 Lens</i>, <i>Lens</i>, "
            "<i>online</i> or <i>to be announced</i>.",
            "venue": "The venue? <i>Maison des associations</i>, or <i>-</i> for none.",
        }
        text = examples.get(field, "?")
        if form and field in ("time", "venue"):
            text += " (<i>-</i> to skip)"
        return text

    def field_error(self, field: str, code: str, detail: str) -> str:
        if code == "weekday":
            return f"The weekday does not match: {detail} is not that day. Check the date."
        if code == "too_long":
            return f"Too long: {detail} characters at most for {_FIELDS.get(field, '')}."
        if code == "ambiguous":
            return f"Several towns have this name: {detail}. Add the postcode."
        return _ERRORS.get(code, _ERRORS["empty"])

    def followers_told(self, notices: int) -> str:
        if not notices:
            return "Saved."
        return f"Saved. {notices} follower{_s(notices)} told of the change."

    def cancel_question(self, title: str) -> str:
        return f"Cancel “{title}”? Its followers will be told."

    def event_cancelled(self, notices: int) -> str:
        return f"Event cancelled. {notices} follower{_s(notices)} told."

    def outside_scope(self, place: str) -> str:
        return f"{place} is outside your organizer's scope: I cannot write there."

    def write_announcement(self, target: str) -> str:
        return (
            f"Write your message to the subscribers ({target}). It is sent as you write it, links "
            "included; I show it to you before it goes."
        )

    def announcement_refused(self, code: str) -> str:
        if code == "too_long":
            return "This message is too long: 3,500 characters at most."
        return "Your message is empty."

    def preview_heading(self, recipients: int) -> str:
        return f"<b>Preview</b> — {recipients} recipient{_s(recipients)}"

    def send_to(self, recipients: int) -> str:
        return f"📣 Send to {recipients} subscriber{_s(recipients)}"

    def announcement_state(self, state: str, recipients: int) -> str:
        if state == "sending":
            return f"On its way to {recipients} subscriber{_s(recipients)}."
        return _STATES.get(state, "Done.")

    def announcement_about(self, title: str) -> str:
        return f"From the organizers of “{title}”"

    def announcement_to(self, area: str) -> str:
        return f"To the subscribers of {area}"

    def announcement_progress(self, number: int, sent: int, failed: int, remaining: int) -> str:
        state = "finished" if not remaining else "in progress"
        return (
            f"📣 Announcement no. {number} — sending {state}\n"
            f"✅ {sent} sent · ⚠️ {failed} failed · ⏳ {remaining} remaining"
        )

    def announcement_report(
        self, number: int, recipients: int, sent: int, failures: dict[str, int]
    ) -> str:
        lines = [
            f"<b>📊 Report of announcement no. {number}</b>",
            f"Recipients: {recipients}",
            f"Sent: {sent}",
            f"Failed: {sum(failures.values())}",
        ]
        for reason, count in sorted(failures.items()):
            lines.append(f"  • {_FAILURES.get(reason, reason)}: {count}")
        return "\n".join(lines)

    def announcement_rejected(self, number: int) -> str:
        return f"Your announcement no. {number} was not approved: it will not be sent."

    def approval_needed(self, number: int) -> str:
        return f"📣 Announcement no. {number} waits for your approval: /pending"

    def role_action(self, action: str) -> str:
        return {"grant": "role given", "revoke": "role taken back", "claim": "role taken"}.get(
            action, action
        )

    def granted(self, who: str, where: str, waiting: bool) -> str:
        text = f"{who} is an organizer ({where})."
        if waiting:
            text += " The role takes effect at their next message to the bot."
        return text

    def revoked(self, who: str) -> str:
        return f"{who} is no longer an organizer. Their events stay published."

    def unknown_scope(self, words: str) -> str:
        return f"I do not recognise this department or region: {words}."

    def approval_state(self, required: bool) -> str:
        if required:
            return "Announcements now wait for an admin's approval (/approval off to lift it)."
        return "Announcements go without prior approval (/approval on to require it)."

    def pending_heading(self, number: int, owner: int, recipients: int) -> str:
        return (
            f"<b>Announcement no. {number}</b> from <code>{owner}</code>, to {recipients} "
            f"recipient{_s(recipients)}"
        )
