"""What the bot says to organizers and admins, in every language: attributes are whole
messages (HTML, safe as they are); methods fill in values the caller has already escaped."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping


class DeskTexts(ABC):
    organizer_help: str  # /help adds it for organizers and admins
    admin_help: str  # and this for admins
    organizers_only: str
    admins_only_command: str
    private_only: str
    not_allowed: str
    already_done: str
    newevent_prompt: str
    fill_form: str
    quit_step: str
    step_cancelled: str
    file_refused: str
    text_too_long: str
    no_event_found: str
    date_tbd: str
    leave_out: str
    take_back: str
    back_to_list: str
    drop_all: str
    submission_dropped: str
    publish_anyway: str
    saved: str
    field_buttons: Mapping[str, str]  # by field name: title, date, time, place, venue
    no_events_yet: str
    my_events_heading: str
    manage_event: str
    announce_button: str
    cancel_event: str
    cancel_confirm: str
    announce_prompt: str
    announce_area: str
    ask_area: str
    unknown_area: str
    drop_announcement: str
    announcement_dropped: str
    organizers_heading: str
    no_organizers: str
    role_changes_heading: str
    by: str
    grant_usage: str
    everywhere_scope: str
    waiting_for_user: str
    not_an_organizer: str
    nothing_pending: str
    approve: str
    reject: str

    # Drafts ------------------------------------------------------------------------------------

    @abstractmethod
    def drafts_summary(self, total: int, waiting: int, to_check: int) -> str: ...

    @abstractmethod
    def publish(self, count: int) -> str:
        """The button that publishes the drafts left."""

    @abstractmethod
    def draft_heading(self, position: int) -> str: ...

    @abstractmethod
    def warning(self, code: str) -> str:
        """A draft's warning, for its organizer."""

    @abstractmethod
    def published_as(self, event_id: int) -> str: ...

    @abstractmethod
    def publish_check(self, numbers: str) -> str:
        """Drafts still have warnings: publish anyway?"""

    @abstractmethod
    def published(self, new: int, known: int, outside: str, undated: int) -> str: ...

    @abstractmethod
    def ask_field(self, field: str, *, form: bool = False) -> str:
        """The question for one field; `form`: while filling in the form."""

    @abstractmethod
    def field_error(self, field: str, code: str, detail: str) -> str: ...

    # Published events --------------------------------------------------------------------------

    @abstractmethod
    def followers_told(self, notices: int) -> str: ...

    @abstractmethod
    def cancel_question(self, title: str) -> str: ...

    @abstractmethod
    def event_cancelled(self, notices: int) -> str: ...

    # Announcements -----------------------------------------------------------------------------

    @abstractmethod
    def outside_scope(self, place: str) -> str: ...

    @abstractmethod
    def write_announcement(self, target: str) -> str: ...

    @abstractmethod
    def announcement_refused(self, code: str) -> str: ...

    @abstractmethod
    def preview_heading(self, recipients: int) -> str: ...

    @abstractmethod
    def send_to(self, recipients: int) -> str: ...

    @abstractmethod
    def announcement_state(self, state: str, recipients: int) -> str:
        """After confirming, approving or rejecting: what happens now."""

    @abstractmethod
    def announcement_about(self, title: str) -> str:
        """The heading of an announcement to an event's followers."""

    @abstractmethod
    def announcement_to(self, area: str) -> str:
        """The heading of an announcement to an area's subscribers."""

    @abstractmethod
    def announcement_progress(self, number: int, sent: int, failed: int, remaining: int) -> str: ...

    @abstractmethod
    def announcement_report(
        self, number: int, recipients: int, sent: int, failures: dict[str, int]
    ) -> str:
        """The delivery report; `failures` by reason: blocked, expired, rejected."""

    @abstractmethod
    def announcement_rejected(self, number: int) -> str: ...

    @abstractmethod
    def approval_needed(self, number: int) -> str: ...

    # Admins ------------------------------------------------------------------------------------

    @abstractmethod
    def role_action(self, action: str) -> str: ...

    @abstractmethod
    def granted(self, who: str, where: str, waiting: bool) -> str: ...

    @abstractmethod
    def revoked(self, who: str) -> str: ...

    @abstractmethod
    def unknown_scope(self, words: str) -> str: ...

    @abstractmethod
    def approval_state(self, required: bool) -> str: ...

    @abstractmethod
    def pending_heading(self, number: int, owner: int, recipients: int) -> str: ...
