"""The organizers' and admins' side of the conversation, in private chats.

- Organizers: /newevent (an announcement pasted, forwarded or sent as a .txt file, or a form
  filled in field by field) read into drafts to check, fix and publish; /myevents to change
  or cancel what they published; /announce to write to the followers of one of their events
  or to the subscribers of an area in their scope.
- Admins (ESSBOT_ADMINS): /organizers, /grant, /revoke, /approval, /pending.

Every command, step and button asks the user's role afresh (`roles.role_of`) and checks that
what it acts on is theirs: a button's data is only ever a request.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from essbot.answer.callbacks import DeskRequest, desk_data
from essbot.answer.reply import Button, Keyboard, Reply
from essbot.db import Announcement, Chat, Draft, Event, Organizer, Submission
from essbot.events.fields import event_fields
from essbot.geo import PlaceResolver
from essbot.notify.outbox import ensure_chat
from essbot.organize import announce, conversation, drafts, manage, roles
from essbot.organize.conversation import Step
from essbot.organize.fields import FIELDS, LETTERS, Field, FieldError, as_extracted, read_field
from essbot.organize.roles import Role
from essbot.texts import Texts, cards
from essbot.texts.cards import escape
from essbot.understand.where import read_place_phrase

ORGANIZER_COMMANDS = ("newevent", "myevents", "announce", "cancel")
ADMIN_COMMANDS = ("organizers", "grant", "revoke", "approval", "pending")
COMMANDS = ORGANIZER_COMMANDS + ADMIN_COMMANDS
DRAFTS_PAGE = 10
MAX_FILE = 512 * 1024  # bytes of a .txt announcement
# "/announce #12", "/announce n°12", "/announce event 12": an event (a bare "62" is an area).
_EVENT_NUMBER = re.compile(r"(?:#|n°\s*|no\.?\s*|(?:event|événement|evenement)\s+)(\d{1,9})", re.I)
FORM: tuple[Field, ...] = ("title", "date", "time", "place", "venue")  # the form, in order


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking, as the desk needs it."""

    user_id: int
    chat_id: int
    username: str | None
    private: bool


class Desk:
    """Organizers' and admins' commands, steps and buttons."""

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        resolver: PlaceResolver,
        admins: Collection[int],
        bot_username: Callable[[], str | None],
    ) -> None:
        self.tz = tz
        self.resolver = resolver
        self.admins = frozenset(admins)
        self.bot_username = bot_username

    async def role(self, session: AsyncSession, caller: Caller, now: datetime) -> Role | None:
        return await roles.role_of(
            session, caller.user_id, admins=self.admins, username=caller.username, now=now
        )

    # Commands ----------------------------------------------------------------------------------

    async def command(
        self,
        session: AsyncSession,
        caller: Caller,
        name: str,
        args: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        role = await self.role(session, caller, now)
        if name == "cancel":
            return [await self._quit(session, caller, texts)]
        if role is None or (name in ADMIN_COMMANDS and not role.admin):
            return [Reply(texts.admins_only_command if name in ADMIN_COMMANDS
                          else texts.organizers_only)]  # fmt: skip
        if not caller.private:
            return [Reply(texts.private_only)]
        if await session.get(Chat, caller.chat_id) is not None:
            # Progress, reports and approvals reach this chat again, in this language.
            await ensure_chat(session, caller.chat_id, now, language=texts.code, present=True)
            await session.commit()
        if name == "newevent":
            if args.strip():
                return await self._submit(session, caller, role, args, "", texts, now)
            await self._wait(session, caller, Step("text"), now)
            return [Reply(texts.newevent_prompt, self._newevent_buttons(texts))]
        if name == "myevents":
            return [await self._my_events(session, role, 0, texts, now)]
        if name == "announce":
            return await self._announce_command(session, caller, role, args, texts, now)
        if name == "organizers":
            return [await self._organizers(session, texts)]
        if name in ("grant", "revoke"):
            return [await self._grant(session, role, name, args, texts, now)]
        if name == "approval":
            return [await self._approval(session, role, args, texts, now)]
        return await self._pending(session, texts)

    def _newevent_buttons(self, texts: Texts) -> Keyboard:
        return (
            (Button(texts.fill_form, desk_data("nf")),),
            (Button(texts.quit_step, desk_data("cq")),),
        )

    async def _quit(self, session: AsyncSession, caller: Caller, texts: Texts) -> Reply:
        await conversation.finish(session, caller.user_id)
        await session.commit()
        return Reply(texts.step_cancelled)

    async def _wait(self, session: AsyncSession, caller: Caller, step: Step, now: datetime) -> None:
        await conversation.wait_for(session, caller.user_id, caller.chat_id, step, now)
        await session.commit()

    # Steps: what the user types while the bot waits for it -------------------------------------

    async def step(
        self,
        session: AsyncSession,
        caller: Caller,
        step: Step,
        text: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        """A message that answers the step the user is at."""
        role = await self.role(session, caller, now)
        if role is None:  # the role was revoked meanwhile
            await conversation.finish(session, caller.user_id)
            await session.commit()
            return [Reply(texts.organizers_only)]
        if step.name == "text":
            return await self._submit(session, caller, role, text, "", texts, now)
        if step.name == "form":
            return await self._form(session, caller, role, step, text, texts, now)
        if step.name == "field":
            return await self._field(session, caller, role, step, text, texts, now)
        if step.name == "area":
            return await self._area_chosen(session, caller, role, text, texts, now)
        if step.name == "announce":
            return await self._announcement_written(session, caller, role, step, text, texts, now)
        await conversation.finish(session, caller.user_id)
        await session.commit()
        return [Reply(texts.expired_button)]

    async def file(
        self,
        session: AsyncSession,
        caller: Caller,
        name: str,
        size: int | None,
        load: Callable[[], Awaitable[bytes]],
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        """A file sent: an announcement to read, from an organizer. `load` fetches its bytes,
        only once the sender and the file's name and size are found fit."""
        role = await self.role(session, caller, now)
        if role is None:
            return [Reply(texts.organizers_only)]
        if not caller.private:
            return [Reply(texts.private_only)]
        if not name.lower().endswith(".txt") or size is None or not 0 < size <= MAX_FILE:
            return [Reply(texts.file_refused)]
        content = await load()
        try:
            text = content[:MAX_FILE].decode("utf-8-sig")
        except UnicodeDecodeError:
            return [Reply(texts.file_refused)]
        return await self._submit(session, caller, role, text, name[:200], texts, now)

    # Publishing: submissions and drafts --------------------------------------------------------

    async def _submit(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        text: str,
        name: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        text = text.strip()
        if len(text) > drafts.MAX_TEXT:
            return [Reply(texts.text_too_long)]
        submission, found = await drafts.submit(
            session,
            owner_id=caller.user_id,
            chat_id=caller.chat_id,
            text=text,
            name=name,
            now=now,
            today=self._today(now),
        )
        if not found:
            await session.rollback()
            await self._wait(session, caller, Step("text"), now)
            return [Reply(texts.no_event_found, self._newevent_buttons(texts))]
        await conversation.finish(session, caller.user_id)
        await session.commit()
        return [self._drafts_list(submission, found, role, 0, texts)]

    def _drafts_list(
        self, submission: Submission, found: list[Draft], role: Role, page: int, texts: Texts
    ) -> Reply:
        """The drafts of a submission, numbered, a page at a time, with what to check."""
        kept = drafts.waiting(found)
        to_check = sum(bool(drafts.open_warnings(draft, role)) for draft in kept)
        heading = escape(submission.title or submission.name)
        lines = [f"<b>📝 {heading}</b>", texts.drafts_summary(len(found), len(kept), to_check)]
        first = page * DRAFTS_PAGE
        shown = found[first : first + DRAFTS_PAGE]
        for draft in shown:
            lines.append(self._draft_line(draft, role, texts))
        numbers = [
            Button(str(draft.position), desk_data("dc", draft.id), hint=draft.fields["title"][:60])
            for draft in shown
        ]
        rows: list[tuple[Button, ...]] = [
            tuple(numbers[i : i + 5]) for i in range(0, len(numbers), 5)
        ]
        navigation = []
        if page > 0:
            navigation.append(Button(texts.previous, desk_data("dl", submission.id, str(page - 1))))
        if first + DRAFTS_PAGE < len(found):
            navigation.append(Button(texts.more, desk_data("dl", submission.id, str(page + 1))))
        if navigation:
            rows.append(tuple(navigation))
        if submission.published_at is None and kept:
            rows.append((Button(texts.publish(len(kept)), desk_data("dp", submission.id)),))
            rows.append((Button(texts.drop_all, desk_data("dq", submission.id)),))
        return Reply("\n".join(lines), tuple(rows))

    def _draft_line(self, draft: Draft, role: Role, texts: Texts) -> str:
        event = self._shown(draft.fields)
        when = cards.when(event, texts) or texts.date_tbd
        town = escape(event.town or (texts.online if event.online else texts.place_tbd))
        mark = "⚠️ " if drafts.open_warnings(draft, role) else ""
        if draft.state == "dropped":
            return f"<s>{draft.position}. {cards.title(event)}</s>"
        if draft.state == "published":
            mark = "✅ "
        return f"{mark}<b>{draft.position}.</b> {when} — {cards.title(event)} · {town}"

    def _shown(self, fields: dict[str, Any]) -> Event:
        """A draft as an event to show (never stored)."""
        values = event_fields(as_extracted(fields), timezone=self.tz.key)
        return Event(id=0, **values.as_columns())

    def _draft_card(self, draft: Draft, submission: Submission, role: Role, texts: Texts) -> Reply:
        event = self._shown(draft.fields)
        lines = [f"<b>{texts.draft_heading(draft.position)}</b>", cards.card_text(event, texts)]
        if event.starts_at is None:
            lines.append(f"🗓 {texts.date_tbd}")
        for warning in drafts.open_warnings(draft, role):
            lines.append(f"⚠️ {texts.warning(warning)}")
        if draft.fields.get("year_inferred"):
            lines.append(f"<i>{texts.year_guessed}</i>")
        if excerpt := _line(submission.text, draft.fields.get("line")):
            lines.append(f"<blockquote>{escape(excerpt[:500])}</blockquote>")
        rows: list[tuple[Button, ...]] = []
        if draft.state == "draft":
            rows.extend(self._field_buttons("df", draft.id, texts))
            rows.append((Button(texts.leave_out, desk_data("dx", draft.id)),))
        elif draft.state == "dropped":
            rows.append((Button(texts.take_back, desk_data("dr", draft.id)),))
        elif draft.event_id is not None:
            lines.append(texts.published_as(draft.event_id))
        page = str((draft.position - 1) // DRAFTS_PAGE)
        rows.append((Button(texts.back_to_list, desk_data("dl", submission.id, page)),))
        return Reply("\n".join(lines), tuple(rows))

    def _field_buttons(self, verb: str, target: int, texts: Texts) -> list[tuple[Button, ...]]:
        labels = texts.field_buttons
        buttons = [Button(labels[name], desk_data(verb, target, LETTERS[name])) for name in FORM]
        return [tuple(buttons[:3]), tuple(buttons[3:])]

    async def _submission(
        self, session: AsyncSession, role: Role, submission_id: int
    ) -> Submission | None:
        """The submission if it is the user's own."""
        submission = await session.get(Submission, submission_id)
        if submission is None or submission.owner_id != role.user_id:
            return None
        return submission

    async def _draft(
        self, session: AsyncSession, role: Role, draft_id: int
    ) -> tuple[Draft, Submission] | None:
        draft = await session.get(Draft, draft_id)
        if draft is None:
            return None
        submission = await self._submission(session, role, draft.submission_id)
        return (draft, submission) if submission is not None else None

    async def _publish(
        self,
        session: AsyncSession,
        role: Role,
        submission: Submission,
        texts: Texts,
        now: datetime,
        *,
        despite_warnings: bool,
    ) -> list[Reply]:
        found = await drafts.drafts_of(session, submission.id)
        kept = drafts.waiting(found)
        if submission.published_at is not None or not kept:
            return [Reply(toast=texts.already_done)]
        checking = [d for d in kept if set(drafts.open_warnings(d, role)) - {drafts.OUTSIDE}]
        if checking and not despite_warnings:
            numbers = ", ".join(str(draft.position) for draft in checking)
            buttons = (
                (Button(texts.publish_anyway, desk_data("dy", submission.id)),),
                (Button(texts.back_to_list, desk_data("dl", submission.id, "0")),),
            )
            return [Reply(texts.publish_check(numbers), buttons)]
        try:
            publication = await drafts.publish(
                session, submission, role, now=now, timezone=self.tz.key,
                bot_username=self.bot_username(),
            )  # fmt: skip
        except drafts.AlreadyPublished:
            await session.rollback()
            return [Reply(toast=texts.already_done)]
        await session.commit()
        outside = ", ".join(str(draft.position) for draft in publication.outside)
        text = texts.published(
            len(publication.new), len(publication.known), outside, publication.undated
        )
        listing = self._drafts_list(submission, await drafts.drafts_of(session, submission.id),
                                    role, 0, texts)  # fmt: skip
        return [Reply(text), listing]

    # Fields: fixing a draft, changing an event, filling the form --------------------------------

    async def _ask_field(
        self,
        session: AsyncSession,
        caller: Caller,
        kind: str,
        target: int,
        field: Field,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        await self._wait(session, caller, Step("field", {"kind": kind, "id": target,
                                                          "field": field}), now)  # fmt: skip
        return [Reply(texts.ask_field(field), ((Button(texts.quit_step, desk_data("cq")),),))]

    async def _field(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        step: Step,
        text: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        field: Field = step.data.get("field", "title")
        if field not in LETTERS:
            return await self._lost(session, caller, texts)
        target = int(step.data.get("id", 0))
        if step.data.get("kind") == "draft":
            found = await self._draft(session, role, target)
            if found is None or found[0].state != "draft":
                return await self._lost(session, caller, texts)
            draft, submission = found
            try:
                fields = read_field(field, text, draft.fields, today=self._today(now),
                                    resolver=self.resolver)  # fmt: skip
            except FieldError as error:
                return [Reply(texts.field_error(field, error.code, escape(error.detail)))]
            draft.fields, draft.updated_at = fields, now
            await conversation.finish(session, caller.user_id)
            await session.commit()
            return [self._draft_card(draft, submission, role, texts)]
        event = await session.get(Event, target)
        if event is None or not role.owns(event) or event.status == "cancelled":
            return await self._lost(session, caller, texts)
        try:
            change = await manage.change_field(
                session, event, field, text, role, today=self._today(now),
                resolver=self.resolver, now=now, bot_username=self.bot_username(),
            )  # fmt: skip
        except FieldError as error:
            return [Reply(texts.field_error(field, error.code, escape(error.detail)))]
        await conversation.finish(session, caller.user_id)
        await session.commit()
        note = texts.followers_told(change.notices) if change.moved else texts.saved
        return [Reply(f"<i>{note}</i>"), self._manage_card(event, texts)]

    async def _lost(self, session: AsyncSession, caller: Caller, texts: Texts) -> list[Reply]:
        """What the step was about is gone or no longer the user's."""
        await conversation.finish(session, caller.user_id)
        await session.commit()
        return [Reply(texts.not_allowed)]

    async def _form(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        step: Step,
        text: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        """One answer of the form: the next question, or the event as a draft."""
        asked: Field = step.data.get("field", "title")
        fields = step.data.get("fields") or _blank()
        skip = asked in ("time", "venue") and text.strip() in ("-", "—")
        if not skip:
            try:
                fields = read_field(asked, text, fields, today=self._today(now),
                                    resolver=self.resolver)  # fmt: skip
            except FieldError as error:
                return [Reply(texts.field_error(asked, error.code, escape(error.detail)))]
        following = FORM.index(asked) + 1
        if following < len(FORM):
            field = FORM[following]
            await self._wait(session, caller, Step("form", {"field": field, "fields": fields}),
                             now)  # fmt: skip
            return [Reply(texts.ask_field(field, form=True),
                          ((Button(texts.quit_step, desk_data("cq")),),))]  # fmt: skip
        event = self._shown(fields)
        summary = cards.card_text(event, texts)
        submission, found = await drafts.submit_event(
            session, owner_id=caller.user_id, chat_id=caller.chat_id, fields=fields,
            text=_plain(summary), now=now,
        )  # fmt: skip
        await conversation.finish(session, caller.user_id)
        await session.commit()
        return [self._drafts_list(submission, found, role, 0, texts)]

    # Published events: /myevents, change, cancel -----------------------------------------------

    async def _my_events(
        self, session: AsyncSession, role: Role, offset: int, texts: Texts, now: datetime
    ) -> Reply:
        listing = await manage.owned_events(session, role, now, offset)
        if not listing.events and offset == 0:
            return Reply(texts.no_events_yet)
        lines = [f"<b>{texts.my_events_heading}</b>"]
        for number, event in enumerate(listing.events, start=offset + 1):
            when = cards.when(event, texts) or texts.date_tbd
            lines.append(
                f"<b>{number}.</b> {cards.title(event)} — {when} ({texts.event_number} {event.id})"
            )
        numbers = [
            Button(str(number), desk_data("mc", event.id), hint=event.title[:60])
            for number, event in enumerate(listing.events, start=offset + 1)
        ]
        rows: list[tuple[Button, ...]] = [
            tuple(numbers[i : i + 4]) for i in range(0, len(numbers), 4)
        ]
        navigation = []
        if offset > 0:
            navigation.append(Button(texts.previous, desk_data("ml", max(0, offset - manage.PAGE))))
        if listing.more:
            navigation.append(Button(texts.more, desk_data("ml", offset + manage.PAGE)))
        if navigation:
            rows.append(tuple(navigation))
        return Reply("\n".join(lines), tuple(rows))

    def _manage_card(self, event: Event, texts: Texts) -> Reply:
        lines = [cards.card_text(event, texts), f"{texts.event_number} {event.id}"]
        if event.starts_at is None:
            lines.append(f"🗓 {texts.date_tbd}")
        if event.status == "cancelled":
            return Reply(f"<b>{texts.cancelled}</b>\n" + "\n".join(lines))
        rows = self._field_buttons("ef", event.id, texts)
        rows.append((
            Button(texts.announce_button, desk_data("ea", event.id)),
            Button(texts.cancel_event, desk_data("ex", event.id)),
        ))  # fmt: skip
        return Reply("\n".join(lines), tuple(rows))

    def event_buttons(self, event: Event, texts: Texts) -> tuple[Button, ...]:
        """The organizer's buttons under an event's details (for whoever may act on it)."""
        if event.status == "cancelled":
            return ()
        return (Button(texts.manage_event, desk_data("mc", event.id)),)

    # Announcing --------------------------------------------------------------------------------

    async def _announce_command(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        args: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        """/announce <area>, /announce #<event n°>, or /announce alone: what to write to."""
        args = args.strip()
        if match := _EVENT_NUMBER.fullmatch(args):
            return await self._announce_event(session, caller, role, int(match[1]), texts, now)
        if args:
            return await self._area_chosen(session, caller, role, args, texts, now)
        listing = await manage.owned_events(session, role, now, 0)
        rows: list[tuple[Button, ...]] = [
            (Button(f"📣 {event.title[:50]}", desk_data("ea", event.id)),)
            for event in listing.events
            if event.status == "scheduled"
        ]
        rows.append((Button(texts.announce_area, desk_data("na")),))
        return [Reply(texts.announce_prompt, tuple(rows))]

    async def _announce_event(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        event_id: int,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        event = await session.get(Event, event_id)
        if event is None or not role.owns(event) or event.status == "cancelled":
            return [Reply(texts.not_allowed)]
        await self._wait(session, caller, Step("announce", {"event": event.id}), now)
        return [Reply(texts.write_announcement(escape(event.title)),
                      ((Button(texts.quit_step, desk_data("cq")),),))]  # fmt: skip

    async def _area_chosen(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        text: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        where = read_place_phrase(text[:100], self.resolver)
        place = where.place
        if place is None or where.kind == "unknown" or where.corrected:
            return [Reply(texts.unknown_area)]
        if len(where.alternatives) > 1:
            return [Reply(texts.unknown_area)]
        if not role.admin and not role.scope.covers(place.kind, place.code):
            return [Reply(texts.outside_scope(escape(place.label)))]
        data = {"kind": place.kind, "code": place.code}
        await self._wait(session, caller, Step("announce", data), now)
        name = escape(place.label if place.kind == "commune" else place.name)
        return [Reply(texts.write_announcement(name),
                      ((Button(texts.quit_step, desk_data("cq")),),))]  # fmt: skip

    async def _announcement_written(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        step: Step,
        text: str,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        """The words of an announcement: a preview, with its recipients, to confirm."""
        try:
            if "event" in step.data:
                event = await session.get(Event, int(step.data["event"]))
                if event is None:
                    return await self._lost(session, caller, texts)
                draft = await announce.draft_for_event(
                    session, role, event, chat_id=caller.chat_id, text=text, now=now
                )
            else:
                draft = await announce.draft_for_area(
                    session, role, str(step.data.get("kind")), str(step.data.get("code")),
                    chat_id=caller.chat_id, text=text, now=now,
                )  # fmt: skip
        except announce.NotAllowed as refusal:
            if refusal.code in ("empty", "too_long"):
                return [Reply(texts.announcement_refused(refusal.code))]
            return await self._lost(session, caller, texts)
        await ensure_chat(session, caller.chat_id, now, language=texts.code, present=True)
        await conversation.finish(session, caller.user_id)
        await session.commit()
        return [self._preview(draft, texts)]

    def _preview(self, draft: Announcement, texts: Texts) -> Reply:
        text = (
            f"{texts.preview_heading(draft.recipients)}\n\n"
            f"<blockquote>{escape(draft.text)}</blockquote>"
        )
        rows: Keyboard = (
            (Button(texts.send_to(draft.recipients), desk_data("as", draft.id)),),
            (Button(texts.drop_announcement, desk_data("aq", draft.id)),),
        )
        return Reply(text, rows)

    # Admins ------------------------------------------------------------------------------------

    async def _organizers(self, session: AsyncSession, texts: Texts) -> Reply:
        lines = [f"<b>{texts.organizers_heading}</b>"]
        found = await roles.organizers(session)
        if not found:
            lines.append(texts.no_organizers)
        for organizer in found:
            lines.append(self._organizer_line(organizer, texts))
        changes = await roles.recent_changes(session)
        if changes:
            lines.append(f"\n<b>{texts.role_changes_heading}</b>")
            for change in changes:
                who = str(change.user_id) if change.user_id else f"@{change.username}"
                when = change.at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
                lines.append(f"{when} · {texts.role_action(change.action)} · {escape(who)} · "
                             f"{texts.by} {change.by_user_id}")  # fmt: skip
        lines.append(f"\n{texts.grant_usage}")
        return Reply("\n".join(lines))

    def _organizer_line(self, organizer: Organizer, texts: Texts) -> str:
        scope = roles.Scope(tuple(organizer.departments), tuple(organizer.regions))
        where = ", ".join(scope.names()) or texts.everywhere_scope
        who = str(organizer.user_id) if organizer.user_id else f"@{organizer.username}"
        waiting = "" if organizer.user_id else f" <i>({texts.waiting_for_user})</i>"
        return f"• <code>{escape(who)}</code>{waiting} — {escape(where)}"

    async def _grant(
        self, session: AsyncSession, role: Role, name: str, args: str, texts: Texts, now: datetime
    ) -> Reply:
        first, _, rest = args.strip().partition(" ")
        person = roles.read_person(first)
        if person is None:
            return Reply(texts.grant_usage)
        if name == "revoke":
            done = await roles.revoke(session, person, by=role.user_id, now=now)
            return Reply(texts.revoked(escape(person.label)) if done else texts.not_an_organizer)
        scope = roles.read_scope(rest, self.resolver)
        if isinstance(scope, list):
            return Reply(texts.unknown_scope(escape(", ".join(scope[:5]))))
        await roles.grant(session, person, scope, by=role.user_id, now=now)
        where = ", ".join(scope.names()) or texts.everywhere_scope
        return Reply(texts.granted(escape(person.label), escape(where), person.user_id is None))

    async def _approval(
        self, session: AsyncSession, role: Role, args: str, texts: Texts, now: datetime
    ) -> Reply:
        choice = args.strip().lower()
        if choice not in ("on", "off"):
            required = await announce.approval_required(session)
            return Reply(texts.approval_state(required))
        await announce.require_approval(session, choice == "on", by=role.user_id, now=now)
        await session.commit()
        return Reply(texts.approval_state(choice == "on"))

    async def _pending(self, session: AsyncSession, texts: Texts) -> list[Reply]:
        waiting = await announce.waiting_for_approval(session)
        if not waiting:
            return [Reply(texts.nothing_pending)]
        replies = []
        for item in waiting[:10]:
            text = (
                f"{texts.pending_heading(item.id, item.owner_id, item.recipients)}\n\n"
                f"<blockquote>{escape(item.text)}</blockquote>"
            )
            buttons = ((
                Button(texts.approve, desk_data("ap", item.id)),
                Button(texts.reject, desk_data("ar", item.id)),
            ),)  # fmt: skip
            replies.append(Reply(text, buttons))
        return replies

    # Buttons -----------------------------------------------------------------------------------

    async def button(
        self,
        session: AsyncSession,
        caller: Caller,
        request: DeskRequest,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        """A pressed organizer's or admin's button: allowed only if the user may, now."""
        role = await self.role(session, caller, now)
        if role is None or not caller.private:
            return [Reply(toast=texts.not_allowed)]
        verb, target = request.verb, request.id
        if verb == "cq":
            return [replace_toast(await self._quit(session, caller, texts))]
        if verb == "nf":
            await self._wait(session, caller, Step("form", {"field": "title"}), now)
            return [Reply(texts.ask_field("title", form=True),
                          ((Button(texts.quit_step, desk_data("cq")),),))]  # fmt: skip
        if verb == "na":
            await self._wait(session, caller, Step("area"), now)
            return [Reply(texts.ask_area, ((Button(texts.quit_step, desk_data("cq")),),))]
        if verb[0] == "d":
            return await self._draft_button(session, caller, role, request, texts, now)
        if verb == "ml":
            return [replace_edit(await self._my_events(session, role, target, texts, now))]
        if verb[0] in "me":
            return await self._event_button(session, caller, role, request, texts, now)
        return await self._announcement_button(session, role, request, texts, now)

    async def _draft_button(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        request: DeskRequest,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        verb, target = request.verb, request.id
        if verb in ("dl", "dp", "dy", "dq"):
            submission = await self._submission(session, role, target)
            if submission is None:
                return [Reply(toast=texts.not_allowed)]
            if verb == "dl":
                page = int(request.arg) if request.arg.isdigit() else 0
                found = await drafts.drafts_of(session, submission.id)
                if page * DRAFTS_PAGE >= max(len(found), 1):
                    return [Reply(toast=texts.expired_button)]
                return [replace_edit(self._drafts_list(submission, found, role, page, texts))]
            if verb == "dq":
                found = await drafts.drafts_of(session, submission.id)
                if submission.published_at is not None or not drafts.waiting(found):
                    return [Reply(toast=texts.already_done)]
                for draft in drafts.waiting(found):
                    draft.state, draft.updated_at = "dropped", now
                await session.commit()
                return [Reply(texts.submission_dropped)]
            return await self._publish(session, role, submission, texts, now,
                                       despite_warnings=verb == "dy")  # fmt: skip
        found_draft = await self._draft(session, role, target)
        if found_draft is None:
            return [Reply(toast=texts.not_allowed)]
        draft, submission = found_draft
        if verb == "dc":
            return [self._draft_card(draft, submission, role, texts)]
        if submission.published_at is not None:
            return [Reply(toast=texts.already_done)]
        if verb == "df":
            field = FIELDS.get(request.arg)
            if field is None or draft.state != "draft":
                return [Reply(toast=texts.expired_button)]
            return await self._ask_field(session, caller, "draft", draft.id, field, texts, now)
        draft.state = "dropped" if verb == "dx" else "draft"
        draft.updated_at = now
        await session.commit()
        return [replace_edit(self._draft_card(draft, submission, role, texts))]

    async def _event_button(
        self,
        session: AsyncSession,
        caller: Caller,
        role: Role,
        request: DeskRequest,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        event = await session.get(Event, request.id)
        if event is None or not role.owns(event):
            return [Reply(toast=texts.not_allowed)]
        verb = request.verb
        if verb == "mc":
            return [self._manage_card(event, texts)]
        if event.status == "cancelled":
            return [Reply(toast=texts.already_done)]
        if verb == "ef":
            field = FIELDS.get(request.arg)
            if field is None:
                return [Reply(toast=texts.expired_button)]
            return await self._ask_field(session, caller, "event", event.id, field, texts, now)
        if verb == "ex":
            buttons = ((
                Button(texts.cancel_confirm, desk_data("ey", event.id)),
                Button(texts.stop_no, desk_data("mc", event.id)),
            ),)  # fmt: skip
            return [Reply(texts.cancel_question(escape(event.title)), buttons)]
        if verb == "ey":
            notices = await manage.cancel(session, event, now=now, bot_username=self.bot_username())
            await session.commit()
            return [Reply(texts.event_cancelled(notices or 0))]
        return await self._announce_event(session, caller, role, event.id, texts, now)

    async def _announcement_button(
        self, session: AsyncSession, role: Role, request: DeskRequest, texts: Texts, now: datetime
    ) -> list[Reply]:
        item = await session.get(Announcement, request.id)
        if item is None:
            return [Reply(toast=texts.not_allowed)]
        try:
            if request.verb == "as":
                state = await announce.confirm(session, item, role, admins=self.admins, now=now,
                                               bot_username=self.bot_username())  # fmt: skip
                await session.commit()
                return [Reply(texts.announcement_state(state, item.recipients))]
            if request.verb == "aq":
                await announce.drop(session, item, role)
                await session.commit()
                return [Reply(texts.announcement_dropped)]
            approved = request.verb == "ap"
            state = await announce.decide(session, item, role, approved=approved, now=now,
                                          bot_username=self.bot_username())  # fmt: skip
            await session.commit()
            return [Reply(texts.announcement_state(state, item.recipients))]
        except announce.NotAllowed as refusal:
            await session.rollback()
            if refusal.code == "already":
                return [Reply(toast=texts.already_done)]
            return [Reply(toast=texts.not_allowed)]

    def _today(self, now: datetime) -> date:
        return now.astimezone(self.tz).date()


def replace_edit(reply: Reply) -> Reply:
    """The reply, replacing the message whose button was pressed."""
    return Reply(reply.text, reply.buttons, edit=True)


def replace_toast(reply: Reply) -> Reply:
    """The reply as the short notice of a button."""
    return Reply(toast=reply.text)


def _blank() -> dict[str, Any]:
    return {"title": "", "date": None, "warnings": [], "line": 1}


def _line(text: str, number: Any) -> str | None:
    if not isinstance(number, int) or number < 1:
        return None
    lines = text.splitlines()
    if number > len(lines):
        return None
    return lines[number - 1].replace("**", "").strip(" -*\t•") or None


def _plain(html_text: str) -> str:
    """The text of an HTML card, for the announcement a form makes."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
