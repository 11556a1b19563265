"""The conversation: a message, a command, a location or a button in; replies out.

One path for Telegram, the console chat and `essbot ask`: understand, search, format. Nothing
here knows Telegram; `now` is always given.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from essbot import privacy
from essbot.answer import callbacks, following
from essbot.answer.callbacks import (
    BadCallback,
    DeskRequest,
    EventRequest,
    PageRequest,
    StopRequest,
)
from essbot.answer.desk import COMMANDS as DESK_COMMANDS
from essbot.answer.desk import Caller, Desk
from essbot.answer.labels import area_label, place_name
from essbot.answer.reply import Attachment, Button, Card, Keyboard, Reply, Venue
from essbot.answer.users import Profile, Users
from essbot.db import Document, Event, Subscription
from essbot.events.search import PAGE_SIZE, Criteria, Results, search
from essbot.geo import Place, PlaceResolver, load_gazetteer
from essbot.geo.resolve import default_resolver
from essbot.notify import messages
from essbot.notify.outbox import ensure_chat, plan, reminder_rows
from essbot.notify.schedule import DEFAULT_LEADS, read_leads
from essbot.notify.subscriptions import event_subscription
from essbot.organize import conversation, roles
from essbot.texts import Lang, Texts, cards, language_of, texts_for
from essbot.texts.cards import escape
from essbot.understand import MAX_LENGTH, Query, Where, read_place_phrase, understand
from essbot.understand.intent import has_letters
from essbot.understand.topics import read_keywords, without_keywords
from essbot.understand.where import DEFAULT_RADIUS_KM, MAX_RADIUS_KM

MAX_CHOICES = 5  # homonyms or suggestions offered as buttons
MAX_DOCUMENT = 3800  # characters of an announcement shown in one message (Telegram: 4096)
_EVENT_REF = re.compile(r"(?:event[_ ]?)?(\d{1,9})", re.IGNORECASE)
_RADIUS_ARG = re.compile(r"^(?P<place>.*?)\s+(?P<km>\d{1,3})\s*(?:km)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Who:
    """Who is talking: the user, the chat to answer in, their Telegram language."""

    user_id: int
    chat_id: int
    language_code: str | None = None
    chat_kind: str = "private"  # or "group", "supergroup", "channel"
    is_admin: bool = False  # of the group chat (asked of Telegram only when it matters)
    username: str | None = None  # to claim an organizer role granted to a @username

    @property
    def caller(self) -> Caller:
        return Caller(self.user_id, self.chat_id, self.username, self.chat_kind == "private")


class Answerer:
    """Answers everything a user can send. Each call opens its own database session."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        tz: ZoneInfo,
        resolver: PlaceResolver | None = None,
        bot_username: str | None = None,
        admins: Collection[int] = (),
    ) -> None:
        self.sessions = sessions
        self.tz = tz
        self.resolver = resolver or default_resolver()
        self.bot_username = bot_username
        self.users = Users()
        self.admins = frozenset(admins)
        self.desk = Desk(
            tz=tz, resolver=self.resolver, admins=admins, bot_username=lambda: self.bot_username
        )

    def prepare(self, now: datetime) -> None:
        """Load what the first question would otherwise wait for (gazetteer, place index,
        date rules), then take it all out of the garbage collector's way: a full collection
        would otherwise walk these hundred thousand objects, for tens of milliseconds."""
        load_gazetteer()
        understand("demain près d'Amiens, dans les 15 jours", now, resolver=self.resolver)
        gc.collect()
        gc.freeze()

    # Entry points ------------------------------------------------------------------------------

    async def text(self, who: Who, text: str, now: datetime) -> list[Reply]:
        """A message in plain words."""
        async with self.sessions() as session:
            profile = await self.users.get(session, who.user_id, now)
            chosen: Lang | None = _chosen(profile)
            home = profile.home
            lang = chosen or language_of(who.language_code)
            stripped = text.strip()
            if not stripped:
                return [Reply(texts_for(lang).empty)]
            if who.chat_kind == "private":
                step = await conversation.current(session, who.user_id, now)
                if step is not None:  # an organizer's answer to what the bot asked
                    return await self.desk.step(
                        session, who.caller, step, stripped, texts_for(lang), now
                    )
            if not has_letters(stripped):
                return [Reply(texts_for(lang).no_letters)]
            query = understand(stripped, now, lang, resolver=self.resolver, tz=self.tz, home=home)
            texts = texts_for(chosen or query.lang)
            replies = await self._answer(session, who, query, texts, now)
        if len(stripped) > MAX_LENGTH:
            first = replies[0]
            replies[0] = replace(first, text=f"<i>{texts.too_long}</i>\n\n{first.text}")
        return replies

    async def location(self, who: Who, lat: float, lon: float, now: datetime) -> list[Reply]:
        """A shared location: saved as the user's place, and what is around it."""
        async with self.sessions() as session:
            lang = _lang(await self.users.get(session, who.user_id, now), who)
            await self.users.save(session, who.user_id, now, language=lang, place=(lat, lon))
            texts = texts_for(lang)
            criteria = Criteria("point", None, lat, lon, DEFAULT_RADIUS_KM)
            results = await search(session, criteria, now, tz=self.tz)
        reply = self._results(results, texts)
        return [replace(reply, text=f"<i>{texts.location_saved}</i>\n\n{reply.text}")]

    async def command(self, who: Who, name: str, args: str, now: datetime) -> list[Reply]:
        """A slash command, its name without the slash and its arguments."""
        name = name.lower()
        async with self.sessions() as session:
            profile = await self.users.get(session, who.user_id, now)
            texts = texts_for(_lang(profile, who))
            if name in DESK_COMMANDS:  # their arguments may be a whole announcement
                return await self.desk.command(session, who.caller, name, args, texts, now)
            args = args.strip()[:MAX_LENGTH]
            if name == "start":
                if match := re.fullmatch(r"event_(\d{1,9})", args):
                    return await self._detail(session, who, int(match[1]), texts, now)
                return [Reply(texts.welcome)]
            if name in ("privacy", "mydata", "forget"):
                return [await self._privacy(session, who, name, texts)]
            if name == "help":
                return [Reply(await self._help(session, who, texts))]
            if name == "lang":
                return await self._set_lang(session, who, args, now)
            if name == "event":
                match = _EVENT_REF.fullmatch(args)
                if match is None:
                    return [Reply(texts.event_usage)]
                return await self._detail(session, who, int(match[1]), texts, now)
            if name == "upcoming":
                return [await self._search(session, Criteria(), texts, now)]
            if name == "near":
                return await self._near(session, args, texts, now, profile.home)
            if name in ("dept", "region"):
                return await self._area(session, name, args, texts, now)
            if name in ("subscribe", "subscriptions", "stop", "remind", "digest", "quiet"):
                return await self._follow_command(session, who, name, args, texts, now, profile)
        return [Reply(texts.not_understood)]

    async def button(self, who: Who, data: str, now: datetime) -> list[Reply]:
        """A pressed inline button; forged or outdated data changes nothing."""
        async with self.sessions() as session:
            texts = texts_for(_lang(await self.users.get(session, who.user_id, now), who))
            try:
                request = callbacks.read(data)
            except BadCallback:
                return [Reply(toast=texts.expired_button)]
            if isinstance(request, DeskRequest):
                return await self.desk.button(session, who.caller, request, texts, now)
            if isinstance(request, PageRequest):
                last = request.criteria.date_to
                if last is not None and last < now.astimezone(self.tz).date():
                    return [Reply(toast=texts.expired_button)]  # a list of days gone by
                results = await search(
                    session, request.criteria, now, tz=self.tz, offset=request.offset
                )
                if not results.hits:
                    return [Reply(toast=texts.expired_button)]
                return [replace(self._results(results, texts), edit=True)]
            if isinstance(request, StopRequest) and request.forget:
                return [await self._forget(session, who, request.confirmed, texts)]
            if isinstance(request, StopRequest):
                if not following.may_manage(who.chat_kind, who.is_admin):
                    return [Reply(toast=texts.admins_only)]
                return [await following.stop(session, who.chat_id, request.confirmed, texts)]
            if request.action in ("u", "t", "w"):
                if not following.may_manage(who.chat_kind, who.is_admin):
                    return [Reply(toast=texts.admins_only)]
                if request.action == "u":
                    return await following.unsubscribe(
                        session, who.chat_id, request.event_id, texts
                    )
                return await following.change(
                    session, who.chat_id, request.event_id, request.action, texts
                )
            return await self._event_action(session, who, request, texts, now)

    async def file(
        self,
        who: Who,
        name: str,
        size: int | None,
        load: Callable[[], Awaitable[bytes]],
        now: datetime,
    ) -> list[Reply]:
        """A file sent: an organizer's announcement as a .txt file, fetched by `load` once
        the sender is found to be an organizer."""
        async with self.sessions() as session:
            texts = texts_for(_lang(await self.users.get(session, who.user_id, now), who))
            return await self.desk.file(session, who.caller, name, size, load, texts, now)

    async def inline(self, who: Who, text: str, now: datetime) -> list[Card]:
        """Event cards for inline mode (`@bot Amiens`), to share in any chat."""
        async with self.sessions() as session:
            profile = await self.users.get(session, who.user_id, now)
            lang = _lang(profile, who)
            text = text.strip()[:MAX_LENGTH]
            events: list[cards.Shown]
            if match := re.fullmatch(r"event_(\d{1,9})", text):
                event = await session.get(Event, int(match[1]))
                events = [event] if event is not None and event.status != "undated" else []
            else:
                criteria = Criteria()
                if has_letters(text):
                    query = understand(text, now, lang, resolver=self.resolver, tz=self.tz)
                    lang = query.lang if _chosen(profile) is None else lang
                    criteria = _criteria(query) or Criteria()
                results = await search(session, criteria, now, tz=self.tz, limit=10)
                events = [hit.event for hit in results.hits if not hit.past]
        texts = texts_for(lang)
        return [self._card(event, texts) for event in events]

    # Searching ---------------------------------------------------------------------------------

    async def _answer(
        self, session: AsyncSession, who: Who, query: Query, texts: Texts, now: datetime
    ) -> list[Reply]:
        if query.intent == "greeting":
            return [Reply(texts.welcome)]
        if query.intent == "thanks":
            return [Reply(texts.thanks)]
        if query.intent == "help":
            return [Reply(texts.help)]
        if query.intent == "unknown":
            return [Reply(texts.not_understood)]
        where = query.where
        if where.kind == "home":
            return [Reply(texts.home_unknown)]
        if where.kind == "unknown":
            return [self._unknown(where, query, texts)]
        if len(where.alternatives) > 1:
            return [self._homonyms(where, query, texts)]
        if query.intent == "subscribe":
            return [await self._subscribe(session, who, where, query.keywords, texts, now)]
        criteria = _criteria(query)
        assert criteria is not None
        reply = await self._search(session, criteria, texts, now)
        if where.corrected and where.place is not None:
            note = texts.understood_as(escape(where.place.label))
            reply = replace(reply, text=f"<i>{note}</i>\n\n{reply.text}")
        return [reply]

    async def _subscribe(
        self,
        session: AsyncSession,
        who: Who,
        where: Where,
        keywords: tuple[str, ...],
        texts: Texts,
        now: datetime,
    ) -> Reply:
        if not following.may_manage(who.chat_kind, who.is_admin):
            return Reply(texts.admins_only)
        return await following.subscribe(
            session,
            chat_id=who.chat_id,
            chat_kind=who.chat_kind,
            where=where,
            keywords=keywords,
            texts=texts,
            now=now,
        )

    async def _follow_command(
        self,
        session: AsyncSession,
        who: Who,
        name: str,
        args: str,
        texts: Texts,
        now: datetime,
        profile: Profile,
    ) -> list[Reply]:
        """/subscribe <place> [km] [keywords], /subscriptions, /stop, /digest <day>,
        /remind <id>."""
        if name == "remind":
            reference, _, choice = args.partition(" ")
            match = _EVENT_REF.fullmatch(reference)
            event = await session.get(Event, int(match[1])) if match else None
            if event is None:
                return [Reply(texts.event_usage if match is None else texts.no_such_event)]
            leads = read_leads(choice) if choice.strip() else DEFAULT_LEADS
            if leads is None:
                return [Reply(texts.leads_usage)]
            reply = await self._remind(session, who, event, texts, now, leads)
            return [Reply(reply.toast or "")]
        if not following.may_manage(who.chat_kind, who.is_admin):
            return [Reply(texts.admins_only)]
        if name == "subscriptions":
            return [await following.listing(session, who.chat_id, texts)]
        if name == "stop":
            return [following.stop_question(texts)]
        if name == "digest":
            return [await following.set_digest(session, who.chat_id, args, texts)]
        if name == "quiet":
            return [
                await following.set_quiet(session, who.chat_id, who.chat_kind, args, texts, now)
            ]
        args, radius = _radius_argument(args)
        if args:
            keywords = tuple(read_keywords(args))
            # A place in words ("près de Lens", "in Normandy"), else the words alone ("62").
            where = understand(args, now, texts.code, resolver=self.resolver).where
            if where.kind not in ("commune", "department", "region", "point"):
                where = read_place_phrase(without_keywords(args), self.resolver)
            if where.kind == "unknown" or (where.kind == "none" and where.suggestions):
                query = Query("subscribe", where, None, None, keywords, texts.code)
                return [self._unknown(where, query, texts)]
            if len(where.alternatives) > 1:
                query = Query("subscribe", where, None, None, keywords, texts.code)
                return [self._homonyms(where, query, texts)]
        elif profile.home is not None:
            where, keywords = Where("point", None, *profile.home), ()
        else:
            return [Reply(texts.subscribe_usage)]
        if radius is not None:
            where = replace(where, radius_km=radius)
        return [await self._subscribe(session, who, where, keywords, texts, now)]

    async def _privacy(self, session: AsyncSession, who: Who, name: str, texts: Texts) -> Reply:
        """/privacy: what is kept and why; /mydata: all of it, as a JSON file; /forget: all of
        it deleted, once confirmed. About oneself, in a private chat."""
        if name == "privacy":
            return Reply(texts.privacy)
        if who.chat_kind != "private":
            return Reply(texts.private_only)
        if name == "forget":
            buttons = ((Button(texts.forget_yes, "f|yes"), Button(texts.stop_no, "f|no")),)
            return Reply(texts.forget_question, buttons)
        data = await privacy.personal_data(session, who.user_id)
        content = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return Reply(attachment=Attachment("essbot-mydata.json", content, texts.mydata_caption))

    async def _forget(
        self, session: AsyncSession, who: Who, confirmed: bool, texts: Texts
    ) -> Reply:
        if not confirmed:
            return Reply(texts.stop_cancelled, edit=True)
        if who.chat_kind != "private":
            return Reply(toast=texts.private_only)
        await privacy.forget(session, who.user_id)
        await session.commit()
        self.users.forget(who.user_id)
        return Reply(texts.forgotten, edit=True)

    async def _help(self, session: AsyncSession, who: Who, texts: Texts) -> str:
        """The help, with the organizers' commands for organizers and the admins' for admins."""
        if who.chat_kind != "private":
            return texts.help
        role = await roles.role_of(session, who.user_id, admins=self.admins)
        parts = [texts.help]
        if role is not None:
            parts.append(texts.organizer_help)
        if role is not None and role.admin:
            parts.append(texts.admin_help)
        return "\n\n".join(parts)

    async def _search(
        self, session: AsyncSession, criteria: Criteria, texts: Texts, now: datetime
    ) -> Reply:
        return self._results(await search(session, criteria, now, tz=self.tz), texts)

    async def _near(
        self,
        session: AsyncSession,
        args: str,
        texts: Texts,
        now: datetime,
        home: tuple[float, float] | None,
    ) -> list[Reply]:
        radius = DEFAULT_RADIUS_KM
        if match := _RADIUS_ARG.match(args):
            args, radius = match["place"], min(max(float(match["km"]), 1.0), MAX_RADIUS_KM)
        elif args.isdigit() and home is not None:
            args, radius = "", min(max(float(args), 1.0), MAX_RADIUS_KM)
        if not args:
            if home is None:
                return [Reply(texts.near_usage)]
            criteria = Criteria("point", None, *home, radius_km=radius)
            return [await self._search(session, criteria, texts, now)]
        where = read_place_phrase(args, self.resolver)
        if where.kind == "commune":
            where = replace(where, radius_km=radius, near=True)
        return await self._place(session, where, texts, now, Criteria())

    async def _area(
        self, session: AsyncSession, name: str, args: str, texts: Texts, now: datetime
    ) -> list[Reply]:
        if not args:
            return [Reply(texts.dept_usage if name == "dept" else texts.region_usage)]
        where = read_place_phrase(args, self.resolver)
        place = where.place
        gazetteer = load_gazetteer()
        if place is not None:
            wanted = (
                gazetteer.department_of(place) if name == "dept" else gazetteer.region_of(place)
            )
            if wanted is not None:
                where = Where(wanted.kind, wanted, wanted.lat, wanted.lon, said=args)
            elif place.kind != ("department" if name == "dept" else "region"):
                where = Where("unknown", said=args)
        if where.kind == "unknown" and not where.suggestions:
            return [Reply(texts.unknown_department if name == "dept" else texts.unknown_region)]
        return await self._place(session, where, texts, now, Criteria())

    async def _place(
        self, session: AsyncSession, where: Where, texts: Texts, now: datetime, base: Criteria
    ) -> list[Reply]:
        """A search in the place a command names, or the choices when it is unclear."""
        query = Query("search", where, base.date_from, base.date_to, base.keywords, texts.code)
        if where.kind == "unknown":
            return [self._unknown(where, query, texts)]
        if len(where.alternatives) > 1:
            return [self._homonyms(where, query, texts)]
        criteria = _criteria(query)
        if criteria is None:
            return [Reply(texts.not_understood)]
        reply = await self._search(session, criteria, texts, now)
        if where.corrected and where.place is not None:
            note = texts.understood_as(escape(where.place.label))
            reply = replace(reply, text=f"<i>{note}</i>\n\n{reply.text}")
        return [reply]

    def _unknown(self, where: Where, query: Query, texts: Texts) -> Reply:
        name = escape(where.said.strip()[:60])
        choices = where.suggestions[:MAX_CHOICES]
        return Reply(
            texts.unknown_place(name, bool(choices)),
            self._place_buttons(choices, query),
        )

    def _homonyms(self, where: Where, query: Query, texts: Texts) -> Reply:
        name = escape(where.place.name if where.place else where.said)
        return Reply(
            texts.homonyms(name), self._place_buttons(where.alternatives[:MAX_CHOICES], query)
        )

    def _place_buttons(self, places: tuple[Place, ...], query: Query) -> Keyboard:
        rows = []
        for place in places:
            chosen = replace(query.where, kind=place.kind, place=place, lat=place.lat,
                             lon=place.lon, alternatives=(), suggestions=())  # fmt: skip
            if place.kind == "commune" and chosen.near:
                chosen = replace(chosen, radius_km=chosen.radius_km or DEFAULT_RADIUS_KM)
            criteria = _criteria(replace(query, where=chosen))
            if criteria is not None:
                rows.append((Button(place.label, callbacks.page_data(criteria, 0)),))
        return tuple(rows)

    # Formatting --------------------------------------------------------------------------------

    def _results(self, results: Results, texts: Texts) -> Reply:
        criteria = results.criteria
        label = area_label(criteria, texts)
        window = texts.window(criteria.date_from, criteria.date_to, "")
        if results.outcome == "nothing":
            return Reply(texts.nothing_at_all)
        place = place_name(criteria, texts)
        lines = []
        if results.outcome in ("found", "widened"):
            lines.append(f"<b>📍 {escape(label)}</b> · {escape(window)}")
            if results.outcome == "widened":
                lines.append(f"<i>{texts.widened(escape(place), criteria.radius_km or 0)}</i>")
        elif results.outcome == "later" and criteria.keywords:
            lines.append(texts.nothing_matching(escape(", ".join(criteria.keywords))))
        elif results.outcome == "later":
            lines.append(texts.nothing_then(escape(window)))
        elif results.outcome == "elsewhere":
            lines.append(texts.nothing_here(escape(place)))
        else:
            lines.append(texts.nothing_upcoming(escape(place)))
        distance = criteria.circle is not None or results.outcome == "elsewhere"
        items = [
            cards.list_item(results.offset + number, hit, texts, distance=distance)
            for number, hit in enumerate(results.hits, start=1)
        ]
        text = "\n".join(lines) + "\n\n" + "\n\n".join(items)
        details = tuple(
            Button(
                str(results.offset + number),
                callbacks.event_data("e", hit.event.id),
                hint=f"{texts.details} — {hit.event.title[:60]}",
            )
            for number, hit in enumerate(results.hits, start=1)
        )
        navigation = []
        if results.outcome in ("found", "widened"):
            if results.offset > 0:
                back = max(0, results.offset - PAGE_SIZE)
                navigation.append(Button(texts.previous, callbacks.page_data(criteria, back)))
            if results.more:
                forward = callbacks.page_data(criteria, results.next_offset)
                navigation.append(Button(texts.more, forward))
        rows = [details] + ([tuple(navigation)] if navigation else [])
        return Reply(text, tuple(rows))

    async def _detail(
        self, session: AsyncSession, who: Who, event_id: int, texts: Texts, now: datetime
    ) -> list[Reply]:
        event = await session.get(Event, event_id)
        if event is None:
            return [Reply(texts.no_such_event)]
        excerpt, source = None, None
        if event.document_id is not None:
            document = await session.get(Document, event.document_id)
            if document is not None:
                excerpt = _line(document.text, event.source_line)
                source = document.title or document.name
        text = cards.detail(event, texts, excerpt=excerpt, source=source)
        if event.status == "cancelled":
            text = f"<b>{texts.cancelled}</b>\n{text}"
        buttons: list[tuple[Button, ...]] = []
        if event.status == "scheduled":
            buttons.append((
                Button(texts.remind_me, callbacks.event_data("r", event.id)),
                Button(texts.add_to_calendar, callbacks.event_data("i", event.id)),
            ))  # fmt: skip
        row = []
        if source is not None:
            row.append(Button(texts.announcement, callbacks.event_data("d", event.id)))
        if event.lat is not None:
            row.append(Button(texts.map, callbacks.event_data("m", event.id)))
        row.append(Button(texts.share, share=f"event_{event.id}"))
        buttons.append(tuple(row))
        if who.chat_kind == "private":
            role = await roles.role_of(session, who.user_id, admins=self.admins)
            if role is not None and role.owns(event):
                buttons.append(self.desk.event_buttons(event, texts))
        return [Reply(text, tuple(b for b in buttons if b))]

    async def _event_action(
        self,
        session: AsyncSession,
        who: Who,
        request: EventRequest,
        texts: Texts,
        now: datetime,
    ) -> list[Reply]:
        if request.action == "e":
            return await self._detail(session, who, request.event_id, texts, now)
        event = await session.get(Event, request.event_id)
        if event is None:
            return [Reply(toast=texts.no_such_event)]
        if request.action == "m":
            if event.lat is None or event.lon is None:
                return [Reply(toast=texts.no_place_to_map)]
            town = " ".join(part for part in (event.postcode, event.town) if part)
            address = ", ".join(part for part in (event.address, town) if part)
            return [Reply(venue=Venue(event.lat, event.lon, event.venue or event.title, address))]
        if request.action == "i":
            return [await self._calendar(session, event, texts, now)]
        if request.action == "d":
            return [await self._announcement(session, event, texts)]
        return [await self._remind(session, who, event, texts, now)]

    async def _announcement(self, session: AsyncSession, event: Event, texts: Texts) -> Reply:
        """The whole text that announced the event, as far as one message holds it."""
        document = None
        if event.document_id is not None:
            document = await session.get(Document, event.document_id)
        if document is None:
            return Reply(toast=texts.no_such_event)
        text = document.text.replace("**", "").strip()
        if len(text) > MAX_DOCUMENT:
            text = text[: MAX_DOCUMENT - 1] + "…"
        heading = escape(document.title or document.name)
        return Reply(f"<b>{heading}</b>\n\n{escape(text)}")

    async def _calendar(
        self, session: AsyncSession, event: Event, texts: Texts, now: datetime
    ) -> Reply:
        from essbot.events.ics import NotInCalendar, event_calendar, ics_filename

        description = None
        if event.document_id is not None:
            document = await session.get(Document, event.document_id)
            if document is not None:
                description = _line(document.text, event.source_line)
        try:
            content = event_calendar(event, now=now, description=description, url=self._link(event))
        except NotInCalendar:
            return Reply(toast=texts.not_in_calendar)
        return Reply(attachment=Attachment(ics_filename(event), content, texts.calendar_caption))

    async def _remind(
        self,
        session: AsyncSession,
        who: Who,
        event: Event,
        texts: Texts,
        now: datetime,
        leads: tuple[str, ...] = DEFAULT_LEADS,
    ) -> Reply:
        """Subscribe the chat to the event's reminders and plan them in the outbox, once."""
        if event.status != "scheduled":
            return Reply(toast=texts.no_such_event)
        exists = await session.scalar(
            select(Subscription.id).where(
                Subscription.chat_id == who.chat_id,
                Subscription.kind == "event",
                Subscription.event_id == event.id,
            )
        )
        if exists is not None:
            return Reply(toast=texts.reminder_already)
        chat = await ensure_chat(session, who.chat_id, now, kind=who.chat_kind,
                                 language=texts.code, present=True)  # fmt: skip
        rows = reminder_rows(chat, event, leads, now, self.bot_username)
        if not rows:
            return Reply(toast=texts.reminder_too_late)
        session.add(event_subscription(who.chat_id, event.id, now, leads))
        try:
            await plan(session, rows)
            await session.commit()
        except IntegrityError:  # the same button pressed twice at once
            await session.rollback()
            return Reply(toast=texts.reminder_already)
        return Reply(toast=texts.reminders_planned([row["lead"] for row in rows]))

    async def _set_lang(
        self, session: AsyncSession, who: Who, args: str, now: datetime
    ) -> list[Reply]:
        choice = args.lower()
        if choice not in ("fr", "en"):
            profile = await self.users.get(session, who.user_id, now)
            return [Reply(texts_for(_lang(profile, who)).lang_usage)]
        await self.users.save(session, who.user_id, now, language=choice)
        return [Reply(texts_for(choice).lang_set)]

    def _card(self, event: cards.Shown, texts: Texts) -> Card:
        text = cards.card_text(event, texts)
        buttons: Keyboard = ()
        if link := self._link(event):
            buttons = ((Button(texts.details, url=link),),)
        return Card(f"event_{event.id}", event.title[:120], cards.card_description(event, texts),
                    text, buttons)  # fmt: skip

    def _link(self, event: cards.Shown) -> str | None:
        """The deep link that opens the event in the bot."""
        return messages.link_to(event, self.bot_username)


def _criteria(query: Query) -> Criteria | None:
    """The search a query asks for; None when its place is still to be settled."""
    where = query.where
    # No time words: upcoming, from the moment of the search (pages keep no stale day).
    first, last = (query.date_from, query.date_to) if query.when_said else (None, None)
    window = Criteria(date_from=first, date_to=last, keywords=query.keywords)
    if where.kind == "none":
        return window
    if where.kind == "point" and where.lat is not None and where.lon is not None:
        radius = where.radius_km or DEFAULT_RADIUS_KM
        return replace(window, kind="point", lat=where.lat, lon=where.lon, radius_km=radius)
    place = where.place
    if place is None or where.kind not in ("commune", "department", "region"):
        return None
    return replace(
        window,
        kind=place.kind,
        code=place.code,
        lat=place.lat,
        lon=place.lon,
        radius_km=where.radius_km if place.kind == "commune" else None,
    )


def _radius_argument(args: str) -> tuple[str, float | None]:
    """A radius among a command's words, when it is not the first ("Lens 20 ateliers",
    "Lens 20km"; "62" alone is a department): the words without it, and the radius."""
    words = args.split()
    for index, word in enumerate(words[1:], start=1):
        if match := re.fullmatch(r"(\d{1,3})(?:km)?", word, re.IGNORECASE):
            if index + 1 < len(words) and words[index + 1].lower() == "km":
                del words[index + 1]
            del words[index]
            return " ".join(words), min(max(float(match[1]), 1.0), MAX_RADIUS_KM)
    return args, None


def _chosen(profile: Profile) -> Lang | None:
    """The language the user chose, if any."""
    if profile.language == "en":
        return "en"
    if profile.language == "fr":
        return "fr"
    return None


def _lang(profile: Profile, who: Who) -> Lang:
    """The language to answer in: the one chosen, else Telegram's."""
    return _chosen(profile) or language_of(who.language_code)


def _line(text: str, number: int | None) -> str | None:
    """Line `number` (from 1) of a document, without its Markdown emphasis."""
    if number is None:
        return None
    lines = text.splitlines()
    if not 1 <= number <= len(lines):
        return None
    return lines[number - 1].replace("**", "").strip(" -*\t") or None
