"""Organizers and admins through the conversation, on SQLite and PostgreSQL: roles, pasting
and publishing an announcement, fixing drafts, the form, changing and cancelling events,
announcing, approval; and everything a participant or another organizer might try instead.
"""

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from essbot.answer import Answerer, Button, Reply, Who
from essbot.answer.callbacks import DESK_VERBS
from essbot.db import (
    Announcement,
    Chat,
    Draft,
    Event,
    Organizer,
    OutboxMessage,
    RoleChange,
    Subscription,
    create_session_factory,
    metadata,
)
from essbot.notify.outbox import ensure_chat
from essbot.notify.subscriptions import area_subscription, event_subscription
from essbot.organize import announce
from essbot.texts import texts_for

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2024, 10, 15, 10, 0, tzinfo=PARIS)
FR = texts_for("fr")
ADMIN, ORGANIZER, RIVAL, PARTICIPANT = 900, 62, 80, 5
MOIS = Path(__file__).resolve().parents[1] / "data" / "announcements" / "003_575902d069037ee8.txt"
ONE_EVENT = "Mardi 12 novembre 2024 à 14h : atelier coopératives au Toit Commun, 62300 Lens"


@pytest.fixture
async def answerer(engine: AsyncEngine, session: AsyncSession) -> Answerer:
    """Admin 900; organizers 62 (of the Pas-de-Calais) and 80 (of the Somme)."""
    bot = Answerer(
        create_session_factory(engine), tz=PARIS, admins=[ADMIN], bot_username="essbot_test_bot"
    )
    assert (await say(bot, ADMIN, f"/grant {ORGANIZER} 62"))[0].text.startswith(str(ORGANIZER))
    assert (await say(bot, ADMIN, f"/grant {RIVAL} Somme"))[0].text.startswith(str(RIVAL))
    return bot


def who(user: int, *, username: str | None = None, kind: str = "private") -> Who:
    chat = user if kind == "private" else -1000 - user
    return Who(user, chat, "fr", kind, username=username)


async def say(answerer: Answerer, user: int | Who, text: str, now: datetime = NOW) -> list[Reply]:
    person = user if isinstance(user, Who) else who(user)
    if text.startswith("/"):
        head, _, args = text.partition(" ")
        return await answerer.command(person, head[1:], args, now)
    return await answerer.text(person, text, now)


async def press(
    answerer: Answerer, user: int | Who, button: Button | str, now: datetime = NOW
) -> list[Reply]:
    person = user if isinstance(user, Who) else who(user)
    data = button if isinstance(button, str) else button.data
    assert data is not None
    return await answerer.button(person, data, now)


def button(replies: list[Reply], label: str) -> Button:
    """The button whose label holds `label`, among the replies' buttons."""
    for reply in replies:
        for row in reply.buttons:
            for candidate in row:
                if label in candidate.label:
                    return candidate
    labels = [b.label for r in replies for row in r.buttons for b in row]
    raise AssertionError(f"no button {label!r} among {labels}")


async def database(session: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: to prove that a refused action wrote nothing."""
    contents = {}
    for table in metadata.sorted_tables:
        rows = (await session.execute(select(table))).all()
        contents[table.name] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
    return contents


async def send_file(answerer: Answerer, user: int, name: str, content: bytes) -> list[Reply]:
    async def load() -> bytes:
        return content

    return await answerer.file(who(user), name, len(content), load, NOW)


async def paste_mois(answerer: Answerer) -> list[Reply]:
    """The organizer of the 62 pastes the Mois de l'ESS 2024 programme."""
    assert (await say(answerer, ORGANIZER, "/newevent"))[0].text == FR.newevent_prompt
    return await say(answerer, ORGANIZER, MOIS.read_text(encoding="utf-8"))


async def publish_one(answerer: Answerer, session: AsyncSession) -> Event:
    """The organizer of the 62 publishes a single event; the event."""
    replies = await say(answerer, ORGANIZER, f"/newevent {ONE_EVENT}")
    await press(answerer, ORGANIZER, button(replies, "Publier"))
    session.expire_all()
    event = await session.scalar(select(Event).where(Event.owner_id == ORGANIZER))
    assert event is not None
    return event


async def follower(session: AsyncSession, chat_id: int, event: Event) -> None:
    await ensure_chat(session, chat_id, NOW)
    session.add(event_subscription(chat_id, event.id, NOW))
    await session.commit()


# Roles ---------------------------------------------------------------------------------------


async def test_roles_are_recorded_with_who_and_when(
    answerer: Answerer, session: AsyncSession
) -> None:
    (reply,) = await say(answerer, ADMIN, "/grant @cress_hdf Hauts-de-France")
    assert "Le rôle prendra effet à son prochain message" in reply.text
    (listing,) = await say(answerer, ADMIN, "/organizers")
    assert "Pas-de-Calais (62)" in listing.text
    assert "Somme (80)" in listing.text
    assert "@cress_hdf" in listing.text
    assert "Hauts-de-France" in listing.text
    (reply,) = await say(answerer, ADMIN, f"/revoke {RIVAL}")
    assert reply.text == FR.revoked(str(RIVAL))
    changes = (await session.scalars(select(RoleChange).order_by(RoleChange.id))).all()
    assert [(c.action, c.user_id, c.username, c.by_user_id) for c in changes] == [
        ("grant", ORGANIZER, None, ADMIN),
        ("grant", RIVAL, None, ADMIN),
        ("grant", None, "cress_hdf", ADMIN),
        ("revoke", RIVAL, None, ADMIN),
    ]
    assert [change.departments for change in changes[:2]] == [["62"], ["80"]]
    assert changes[2].regions == ["32"]
    assert all(change.at == NOW for change in changes)
    # The revoked organizer may no longer act.
    assert (await say(answerer, RIVAL, "/myevents"))[0].text == FR.organizers_only


async def test_a_role_granted_to_a_username_is_claimed_at_the_first_message(
    answerer: Answerer, session: AsyncSession
) -> None:
    await say(answerer, ADMIN, "/grant @Cress_HdF 62, 59")
    stranger = who(4242, username="someone_else")
    assert (await say(answerer, stranger, "/myevents"))[0].text == FR.organizers_only
    cress = who(4242, username="cress_hdf")
    assert (await say(answerer, cress, "/myevents"))[0].text == FR.no_events_yet
    organizer = await session.scalar(select(Organizer).where(Organizer.username == "cress_hdf"))
    assert organizer is not None
    assert organizer.user_id == 4242
    assert organizer.departments == ["62", "59"]
    claim = await session.scalar(select(RoleChange).where(RoleChange.action == "claim"))
    assert claim is not None
    assert claim.user_id == 4242


async def test_help_shows_each_their_commands(answerer: Answerer) -> None:
    (participant,) = await say(answerer, PARTICIPANT, "/help")
    (organizer,) = await say(answerer, ORGANIZER, "/help")
    (admin,) = await say(answerer, ADMIN, "/help")
    assert participant.text == FR.help
    assert organizer.text == f"{FR.help}\n\n{FR.organizer_help}"
    assert admin.text == f"{FR.help}\n\n{FR.organizer_help}\n\n{FR.admin_help}"


@pytest.mark.parametrize(
    "text",
    ["/grant", "/grant Amiens", "/grant 12 Atlantis", "/revoke @nobody_here", "/approval maybe"],
)
async def test_bad_admin_commands_are_explained_and_change_nothing(
    answerer: Answerer, session: AsyncSession, text: str
) -> None:
    before = await database(session)
    (reply,) = await say(answerer, ADMIN, text)
    assert reply.text in (
        FR.grant_usage,
        FR.unknown_scope("Atlantis"),
        FR.not_an_organizer,
        FR.approval_state(False),
    )
    assert await database(session) == before


ORGANIZER_COMMANDS = [
    "/newevent",
    f"/newevent {ONE_EVENT}",
    "/myevents",
    "/announce",
    "/announce 62",
    "/announce #1",
]
ADMIN_COMMANDS = [
    "/organizers",
    "/grant 5",
    "/grant 5 62",
    "/revoke 62",
    "/approval on",
    "/pending",
]


async def test_a_participant_trying_every_organizer_command_changes_nothing(
    answerer: Answerer, session: AsyncSession
) -> None:
    await publish_one(answerer, session)
    before = await database(session)
    for text in ORGANIZER_COMMANDS:
        (reply,) = await say(answerer, PARTICIPANT, text)
        assert reply.text == FR.organizers_only, text
    for text in ADMIN_COMMANDS:
        (reply,) = await say(answerer, PARTICIPANT, text)
        assert reply.text == FR.admins_only_command, text
        (reply,) = await say(answerer, ORGANIZER, text)
        assert reply.text == FR.admins_only_command, text
    # A file, and text that would answer a step the participant was never asked.
    (reply,) = await send_file(answerer, PARTICIPANT, "mois.txt", MOIS.read_bytes())
    assert reply.text == FR.organizers_only
    await say(answerer, PARTICIPANT, "jeudi 19 décembre")
    assert await database(session) == before


async def test_organizer_commands_in_a_group_are_sent_to_private(
    answerer: Answerer, session: AsyncSession
) -> None:
    before = await database(session)
    for text in ORGANIZER_COMMANDS:
        (reply,) = await say(answerer, who(ORGANIZER, kind="supergroup"), text)
        assert reply.text == FR.private_only, text
    assert await database(session) == before


async def every_button(answerer: Answerer, session: AsyncSession) -> list[str]:
    """Callback data for every organizer verb, on real objects of the organizer of the 62: a
    submission and its drafts, a published event, a draft announcement."""
    event_id = (await publish_one(answerer, session)).id
    replies = await paste_mois(answerer)
    session.expire_all()
    drafts = (await session.scalars(select(Draft).where(Draft.event_id.is_(None)))).all()
    submission_id, draft_id = drafts[0].submission_id, drafts[0].id
    await say(answerer, ORGANIZER, f"/announce #{event_id}")
    await say(answerer, ORGANIZER, "Rendez-vous devant la salle.")
    announcement = await session.scalar(select(Announcement))
    assert announcement is not None
    ids = {"d": draft_id, "m": event_id, "e": event_id, "a": announcement.id, "n": 0, "c": 0}
    ids.update({"dl": submission_id, "dp": submission_id, "dy": submission_id})
    ids["dq"] = submission_id
    assert replies
    data = []
    for verb in DESK_VERBS:
        target = ids.get(verb, ids[verb[0]])
        arg = {"dl": "|0", "df": "|d", "ef": "|d"}.get(verb, "")
        data.append(f"o|{verb}|{target}{arg}")
    return data


async def test_a_participant_pressing_every_organizer_button_changes_nothing(
    answerer: Answerer, session: AsyncSession
) -> None:
    data = await every_button(answerer, session)
    before = await database(session)
    for forged in data:
        (reply,) = await press(answerer, PARTICIPANT, forged)
        assert reply.toast == FR.not_allowed, forged
        assert not reply.text
    assert await database(session) == before


async def test_another_organizer_pressing_the_buttons_of_the_62_changes_nothing(
    answerer: Answerer, session: AsyncSession
) -> None:
    data = await every_button(answerer, session)
    before = await database(session)
    for forged in data:
        if forged.startswith(("o|nf", "o|na", "o|cq", "o|ml")):
            continue  # the rival's own: a form, an area, leaving a step, their events
        (reply,) = await press(answerer, RIVAL, forged)
        assert reply.toast in (FR.not_allowed, FR.expired_button), forged
    assert await database(session) == before


@pytest.mark.parametrize(
    "forged",
    ["o|zz|1", "o|dp|x", "o|dp|1|toolong", "o|df|1|q", "o||1", "o|dp|" + "9" * 13, "o|ml"],
)
async def test_forged_organizer_data_is_refused(
    answerer: Answerer, session: AsyncSession, forged: str
) -> None:
    before = await database(session)
    for user in (ORGANIZER, ADMIN):
        (reply,) = await press(answerer, user, forged)
        assert reply.toast in (FR.expired_button, FR.not_allowed)
    assert await database(session) == before


# Publishing ----------------------------------------------------------------------------------


async def test_the_mois_de_l_ess_published_after_fixing_the_19_december_warning(
    answerer: Answerer, session: AsyncSession
) -> None:
    (listing,) = await paste_mois(answerer)
    assert listing.text.startswith("<b>📝 Mois de l'ESS 2024 : le programme !</b>")
    assert "16 événements trouvés, dont ⚠️ 1 à vérifier" in listing.text
    assert "<b>1.</b> mardi 5 novembre 2024 — Ciné-débat : Bienveillance paysanne · Lens" in (
        listing.text
    )
    # Publishing at once stops on the warning.
    (check,) = await press(answerer, ORGANIZER, button([listing], "Publier 16"))
    assert check.text == FR.publish_check("11")
    assert await session.scalar(select(func.count()).select_from(Event)) == 0
    # Draft 11, on the second page: the card says what is wrong; the date is fixed in a
    # short exchange.
    (page,) = await press(answerer, ORGANIZER, button([listing], "Suivants"))
    assert page.edit
    assert "⚠️ <b>11.</b> jeudi 19 décembre 2024, 10h — Rencontre conviviale" in page.text
    (card,) = await press(answerer, ORGANIZER, button([page], "11"))
    assert FR.warning("weekday_mismatch") in card.text
    (question,) = await press(answerer, ORGANIZER, button([card], "Date"))
    assert question.text == FR.ask_field("date")
    (refused,) = await say(answerer, ORGANIZER, "mardi 19 décembre")
    assert refused.text == FR.field_error("date", "weekday", "2024-12-19")
    (fixed,) = await say(answerer, ORGANIZER, "jeudi 19 décembre")
    assert "⚠️" not in fixed.text
    assert "jeudi 19 décembre 2024, 10h" in fixed.text
    (listing,) = await press(answerer, ORGANIZER, button([fixed], "Liste"))
    assert "16 événements trouvés." in listing.text
    assert "<b>11.</b> jeudi 19 décembre 2024, 10h" in listing.text
    # Publish: every draft becomes an event of the organizer's.
    published, after = await press(answerer, ORGANIZER, button([listing], "Publier 16"))
    assert published.text.startswith("✅ 16 événements publiés.")
    assert "5 sans date" in published.text
    assert "✅ <b>1.</b>" in after.text
    session.expire_all()
    events = (await session.scalars(select(Event).order_by(Event.id))).all()
    assert len(events) == 16
    assert {event.owner_id for event in events} == {ORGANIZER}
    closing = next(event for event in events if event.title.startswith("Rencontre conviviale"))
    assert closing.starts_at == datetime(2024, 12, 19, 10, 0, tzinfo=PARIS)
    assert closing.warnings == []
    closing_id = closing.id
    assert sum(event.status == "undated" for event in events) == 5
    # Publishing again (the button pressed twice) does nothing more.
    (again,) = await press(answerer, ORGANIZER, button([listing], "Publier 16"))
    assert again.toast == FR.already_done
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(Event)) == 16
    # The detail of an event offers its organizer to manage it; not to a participant.
    (detail,) = await say(answerer, ORGANIZER, f"/event {closing_id}")
    assert button([detail], "Gérer").data == f"o|mc|{closing_id}"
    (detail,) = await say(answerer, PARTICIPANT, f"/event {closing_id}")
    with pytest.raises(AssertionError):
        button([detail], "Gérer")


async def test_a_txt_file_and_a_left_out_draft(answerer: Answerer, session: AsyncSession) -> None:
    (listing,) = await send_file(answerer, ORGANIZER, "mois.txt", MOIS.read_bytes())
    assert "16 événements trouvés" in listing.text
    (page,) = await press(answerer, ORGANIZER, button([listing], "Suivants"))
    (card,) = await press(answerer, ORGANIZER, button([page], "11"))
    (card,) = await press(answerer, ORGANIZER, button([card], "Ne pas publier"))
    assert card.edit
    (listing,) = await press(answerer, ORGANIZER, button([card], "Liste"))
    assert "<s>11." in listing.text
    assert "16 événements trouvés, 15 à publier." in listing.text
    published, _ = await press(answerer, ORGANIZER, button([listing], "Publier 15"))
    assert published.text.startswith("✅ 15 événements publiés.")
    for name, content in (
        ("photo.jpg", b"\xff\xd8"),
        ("latin1.txt", "Fête".encode("latin-1")),
        ("empty.txt", b""),
        ("huge.txt", b"a" * (600 * 1024)),
    ):
        (refused,) = await send_file(answerer, ORGANIZER, name, content)
        assert refused.text == FR.file_refused, name


async def test_the_form_of_a_single_event(answerer: Answerer, session: AsyncSession) -> None:
    (prompt,) = await say(answerer, ORGANIZER, "/newevent")
    (question,) = await press(answerer, ORGANIZER, button([prompt], "formulaire"))
    assert question.text == FR.ask_field("title", form=True)
    await say(answerer, ORGANIZER, "Atelier <b>coopératives</b>")
    (refused,) = await say(answerer, ORGANIZER, "bientôt")
    assert refused.text == FR.field_error("date", "no_date", "")
    await say(answerer, ORGANIZER, "21/11/2024")
    await say(answerer, ORGANIZER, "17h30-20h")
    (refused,) = await say(answerer, ORGANIZER, "Saint-Denis")
    assert "Plusieurs communes portent ce nom" in refused.text
    await say(answerer, ORGANIZER, "6 rue Lavoisier, 62300 Lens")
    (listing,) = await say(answerer, ORGANIZER, "Maison des associations")
    assert "1 événement trouvé." in listing.text
    assert "Atelier &lt;b&gt;coopératives&lt;/b&gt;" in listing.text
    await press(answerer, ORGANIZER, button([listing], "Publier 1"))
    session.expire_all()
    event = await session.scalar(select(Event))
    assert event is not None
    assert (event.title, event.venue, event.address, event.insee) == (
        "Atelier <b>coopératives</b>",
        "Maison des associations",
        "6 rue Lavoisier",
        "62498",
    )
    assert event.starts_at == datetime(2024, 11, 21, 17, 30, tzinfo=PARIS)
    assert event.ends_at == datetime(2024, 11, 21, 20, 0, tzinfo=PARIS)


async def test_an_organizer_publishes_only_in_scope(
    answerer: Answerer, session: AsyncSession
) -> None:
    text = "Jeudi 14 novembre 2024 à 18h : soirée ESS à la Maison de la culture, 80000 Amiens"
    (listing,) = await say(answerer, ORGANIZER, f"/newevent {text}")
    assert "⚠️" in listing.text
    check, _ = await press(answerer, ORGANIZER, button([listing], "Publier"))
    assert check.text.startswith("✅ 0 événement publié.")
    assert "Hors de votre périmètre, non publié : n° 1." in check.text
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(Event)) == 0
    (listing,) = await say(answerer, RIVAL, f"/newevent {text}")
    published, _ = await press(answerer, RIVAL, button([listing], "Publier"))
    assert published.text.startswith("✅ 1 événement publié.")


async def test_cancel_leaves_the_step(answerer: Answerer, session: AsyncSession) -> None:
    await say(answerer, ORGANIZER, "/newevent")
    assert (await say(answerer, ORGANIZER, "/cancel"))[0].text == FR.step_cancelled
    (reply,) = await say(answerer, ORGANIZER, "quoi de prévu à Lens ?")
    assert FR.newevent_prompt not in reply.text
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(Draft)) == 0


# Changing and cancelling ---------------------------------------------------------------------


async def test_changing_the_time_tells_the_followers(
    answerer: Answerer, session: AsyncSession
) -> None:
    event = await publish_one(answerer, session)
    await follower(session, 7, event)
    (listing,) = await say(answerer, ORGANIZER, "/myevents")
    assert "Atelier coopératives" in listing.text
    (card,) = await press(answerer, ORGANIZER, button([listing], "1"))
    await press(answerer, ORGANIZER, button([card], "Horaire"))
    note, card = await say(answerer, ORGANIZER, "15h-17h")
    assert note.text == f"<i>{FR.followers_told(1)}</i>"
    assert "mardi 12 novembre 2024, 15h–17h" in card.text
    session.expire_all()
    notices = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "change"))
    ).all()
    assert [notice.chat_id for notice in notices] == [7]
    # A title changed is saved, and nobody is disturbed.
    await press(answerer, ORGANIZER, button([card], "Titre"))
    note, _ = await say(answerer, ORGANIZER, "Atelier des coopératives")
    assert note.text == f"<i>{FR.saved}</i>"
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "change")) == 1  # fmt: skip


async def test_an_organizer_cannot_move_an_event_out_of_scope(
    answerer: Answerer, session: AsyncSession
) -> None:
    event = await publish_one(answerer, session)
    await press(answerer, ORGANIZER, f"o|ef|{event.id}|p")
    (refused,) = await say(answerer, ORGANIZER, "Amiens")
    assert refused.text == FR.field_error("place", "outside_scope", "")
    assert await session.scalar(select(Event.insee).where(Event.id == event.id)) == "62498"


async def test_cancelling_an_event_notifies_its_followers(
    answerer: Answerer, session: AsyncSession
) -> None:
    event = await publish_one(answerer, session)
    event_id = event.id
    for chat in (7, 8):
        await follower(session, chat, event)
    (card,) = await press(answerer, ORGANIZER, f"o|mc|{event.id}")
    (question,) = await press(answerer, ORGANIZER, button([card], "Annuler l'événement"))
    assert question.text == FR.cancel_question("Atelier coopératives")
    (done,) = await press(answerer, ORGANIZER, button([question], "Oui"))
    assert done.text == FR.event_cancelled(2)
    (again,) = await press(answerer, ORGANIZER, button([question], "Oui"))
    assert again.toast == FR.already_done
    session.expire_all()
    notices = (await session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "cancellation")
    )).all()  # fmt: skip
    assert sorted(notice.chat_id for notice in notices) == [7, 8]
    assert all("❌ Annulé" in notice.text for notice in notices)
    assert (await session.get(Event, event_id)).status == "cancelled"  # type: ignore[union-attr]


async def test_an_admin_may_act_on_any_event(answerer: Answerer, session: AsyncSession) -> None:
    event = await publish_one(answerer, session)
    (refused,) = await press(answerer, RIVAL, f"o|ex|{event.id}")
    assert refused.toast == FR.not_allowed
    (question,) = await press(answerer, ADMIN, f"o|ex|{event.id}")
    (done,) = await press(answerer, ADMIN, button([question], "Oui"))
    assert done.text == FR.event_cancelled(0)


# Announcing ----------------------------------------------------------------------------------


async def area_subscribers(session: AsyncSession) -> None:
    """Chats 101-103 subscribed to the 62 (by department, around Lens, to the region), 201 to
    the Somme, 301 to Lens in a group."""
    subscriptions = [
        (101, {"area_kind": "department", "area_code": "62", "lat": None, "lon": None,
               "radius_km": None}),
        (102, {"area_kind": "commune", "area_code": "62498", "lat": 50.43, "lon": 2.83,
               "radius_km": 20.0}),
        (103, {"area_kind": "region", "area_code": "32", "lat": None, "lon": None,
               "radius_km": None}),
        (201, {"area_kind": "department", "area_code": "80", "lat": None, "lon": None,
               "radius_km": None}),
    ]  # fmt: skip
    for chat_id, fields in subscriptions:
        await ensure_chat(session, chat_id, NOW)
        session.add(area_subscription(chat_id, NOW, **fields))
    await session.commit()


async def test_an_organizer_of_the_62_cannot_announce_to_the_somme(
    answerer: Answerer, session: AsyncSession
) -> None:
    await area_subscribers(session)
    before = await database(session)
    for text in (
        "/announce Somme",
        "/announce 80",
        "/announce Amiens",
        "/announce Hauts-de-France",
    ):
        (reply,) = await say(answerer, ORGANIZER, text)
        assert "est hors de votre périmètre d'organisateur" in reply.text, text
    assert await database(session) == before
    # Below the conversation too: the announcement itself refuses an area out of scope.
    role = await _role(answerer, session, ORGANIZER)
    with pytest.raises(announce.NotAllowed):
        await announce.draft_for_area(session, role, "department", "80", chat_id=ORGANIZER,
                                      text="Bonjour", now=NOW)  # fmt: skip
    await session.rollback()
    assert await database(session) == before


async def _role(answerer: Answerer, session: AsyncSession, user: int) -> Any:
    from essbot.organize.roles import role_of

    return await role_of(session, user, admins=answerer.admins)


async def test_announcing_to_the_62_with_a_preview_and_a_count(
    answerer: Answerer, session: AsyncSession
) -> None:
    await area_subscribers(session)
    (prompt,) = await say(answerer, ORGANIZER, "/announce 62")
    assert prompt.text == FR.write_announcement("Pas-de-Calais")
    words = 'Venez <b>nombreux</b> ! <a href="https://evil.example">ici</a> https://cress.example'
    (preview,) = await say(answerer, ORGANIZER, words)
    assert preview.text.startswith(FR.preview_heading(3))
    assert "&lt;b&gt;nombreux&lt;/b&gt;" in preview.text
    (sent,) = await press(answerer, ORGANIZER, button([preview], "Envoyer à 3"))
    assert sent.text == FR.announcement_state("sending", 3)
    session.expire_all()
    rows = (await session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "announcement").order_by(OutboxMessage.chat_id)
    )).all()  # fmt: skip
    assert [row.chat_id for row in rows] == [101, 102, 103]
    assert rows[0].text == (
        "<b>📣 Message aux abonnés : Pas-de-Calais</b>\n\n"
        'Venez &lt;b&gt;nombreux&lt;/b&gt; ! &lt;a href="https://evil.example"&gt;ici&lt;/a&gt; '
        "https://cress.example"
    )
    # Confirmed twice: nothing more.
    (again,) = await press(answerer, ORGANIZER, button([preview], "Envoyer à 3"))
    assert again.toast == FR.already_done
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


async def test_announcing_to_an_events_followers(answerer: Answerer, session: AsyncSession) -> None:
    event = await publish_one(answerer, session)
    until = event.until
    for chat in (7, 8):
        await follower(session, chat, event)
    (card,) = await press(answerer, ORGANIZER, f"o|mc|{event.id}")
    (prompt,) = await press(answerer, ORGANIZER, button([card], "Écrire aux abonnés"))
    assert prompt.text == FR.write_announcement("Atelier coopératives")
    (preview,) = await say(answerer, ORGANIZER, "La salle change : rendez-vous au 1er étage.")
    assert preview.text.startswith(FR.preview_heading(2))
    await press(answerer, ORGANIZER, button([preview], "Envoyer"))
    session.expire_all()
    rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.chat_id))).all()
    assert [row.chat_id for row in rows] == [7, 8]
    assert rows[0].text.startswith(
        "<b>📣 Message des organisateurs de « Atelier coopératives »</b>"
    )
    assert rows[0].expires_at == until


async def test_approval_required_by_an_admin(answerer: Answerer, session: AsyncSession) -> None:
    await area_subscribers(session)
    assert (await say(answerer, ADMIN, "/approval on"))[0].text == FR.approval_state(True)
    await say(answerer, ORGANIZER, "/announce 62")
    (preview,) = await say(answerer, ORGANIZER, "Assemblée générale jeudi.")
    (waiting,) = await press(answerer, ORGANIZER, button([preview], "Envoyer"))
    assert waiting.text == FR.announcement_state("waiting", 3)
    session.expire_all()
    rows = (await session.scalars(select(OutboxMessage))).all()
    assert [(row.kind, row.chat_id) for row in rows] == [("notice", ADMIN)]
    assert "/pending" in rows[0].text
    # The organizer cannot approve their own; the admin can.
    (pending,) = await say(answerer, ADMIN, "/pending")
    assert "Assemblée générale jeudi." in pending.text
    (refused,) = await press(answerer, ORGANIZER, button([pending], "Approuver"))
    assert refused.toast == FR.not_allowed
    (approved,) = await press(answerer, ADMIN, button([pending], "Approuver"))
    assert approved.text == FR.announcement_state("sending", 3)
    (twice,) = await press(answerer, ADMIN, button([pending], "Refuser"))
    assert twice.toast == FR.already_done
    session.expire_all()
    kinds = await session.execute(
        select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)
    )
    assert dict(kinds.all()) == {"notice": 1, "announcement": 3}
    # Rejected: its author is told, nobody else.
    await say(answerer, ORGANIZER, "/announce 62")
    (preview,) = await say(answerer, ORGANIZER, "Une autre.")
    await press(answerer, ORGANIZER, button([preview], "Envoyer"))
    (pending,) = await say(answerer, ADMIN, "/pending")
    (rejected,) = await press(answerer, ADMIN, button([pending], "Refuser"))
    assert rejected.text == FR.announcement_state("rejected", 3)
    session.expire_all()
    notice = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.key.startswith("rejected:"))
    )
    assert notice is not None
    assert notice.chat_id == ORGANIZER


async def test_progress_and_a_report_that_adds_up(
    answerer: Answerer, session: AsyncSession
) -> None:
    await area_subscribers(session)
    await say(answerer, ORGANIZER, "/announce 62")
    (preview,) = await say(answerer, ORGANIZER, "Bonjour à tous.")
    await press(answerer, ORGANIZER, button([preview], "Envoyer"))
    session.expire_all()
    (first,) = await announce.progress(session, NOW)
    assert first.message_id is None
    assert first.text == FR.announcement_progress(first.announcement_id, 0, 0, 3)
    assert await announce.progress(session, NOW) == []  # claimed for a few seconds
    await announce.progress_shown(session, first.announcement_id, 555)
    rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.chat_id))).all()
    rows[0].state = "sent"
    rows[1].state, rows[1].error = "dropped", "blocked"
    await session.commit()
    later = NOW + announce.PROGRESS_EVERY
    (second,) = await announce.progress(session, later)
    assert (second.message_id, second.final) == (555, False)
    assert second.text == FR.announcement_progress(first.announcement_id, 1, 1, 1)
    rows[2].state = "sent"
    await session.commit()
    (last,) = await announce.progress(session, later + announce.PROGRESS_EVERY)
    assert last.final
    assert last.text == FR.announcement_progress(first.announcement_id, 2, 1, 0)
    assert await announce.progress(session, later + 10 * announce.PROGRESS_EVERY) == []
    report = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.key.startswith("report:"))
    )
    assert report is not None
    assert report.chat_id == ORGANIZER
    assert report.text == FR.announcement_report(first.announcement_id, 3, 2, {"blocked": 1})
    assert "Destinataires : 3\nEnvoyés : 2\nÉchecs : 1" in report.text


async def test_blocked_chats_are_no_recipients(answerer: Answerer, session: AsyncSession) -> None:
    await area_subscribers(session)
    chat = await session.get(Chat, 101)
    assert chat is not None
    chat.blocked_at = NOW
    await session.commit()
    await say(answerer, ORGANIZER, "/announce 62")
    (preview,) = await say(answerer, ORGANIZER, "Bonjour.")
    assert preview.text.startswith(FR.preview_heading(2))
    subscription_count = await session.scalar(select(func.count()).select_from(Subscription))
    assert subscription_count == 4


@pytest.mark.parametrize(
    ("kind", "code", "reached"),
    [
        ("department", "62", [101, 102, 103, 104]),
        ("department", "80", [103, 201]),
        ("region", "32", [101, 102, 103, 104, 201]),
        ("region", "53", []),
        ("commune", "62498", [101, 102, 103]),  # Lens: 104's circle around Arras is too small
        ("commune", "62041", [101, 102, 103, 104]),  # Arras: 17 km from Lens, in 102's 20
    ],
)
async def test_who_an_area_announcement_reaches(
    answerer: Answerer, session: AsyncSession, kind: str, code: str, reached: list[int]
) -> None:
    """Subscribers whose area covers the target or lies within it: a department, a circle
    around a commune, a region, a shared location (104, 5 km around Arras)."""
    await area_subscribers(session)
    await ensure_chat(session, 104, NOW)
    session.add(area_subscription(104, NOW, area_kind="point", area_code=None, lat=50.2910,
                                  lon=2.7775, radius_km=5.0))  # fmt: skip
    await session.commit()
    role = await _role(answerer, session, ADMIN)
    draft = await announce.draft_for_area(
        session, role, kind, code, chat_id=ADMIN, text="Bonjour", now=NOW
    )
    assert [chat.id for chat in await announce.recipients(session, draft)] == reached
    assert draft.recipients == len(reached)


async def test_two_presses_at_once_send_and_publish_once(
    answerer: Answerer, session: AsyncSession
) -> None:
    await area_subscribers(session)
    await say(answerer, ORGANIZER, "/announce 62")
    (preview,) = await say(answerer, ORGANIZER, "Bonjour.")
    send = button([preview], "Envoyer")
    first, second = await asyncio.gather(
        press(answerer, ORGANIZER, send), press(answerer, ORGANIZER, send)
    )
    outcomes = sorted([first[0].text or "", second[0].toast or ""])
    assert outcomes == sorted([FR.announcement_state("sending", 3), FR.already_done])
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
    (listing,) = await say(answerer, ORGANIZER, f"/newevent {ONE_EVENT}")
    publish = button([listing], "Publier")
    first, second = await asyncio.gather(
        press(answerer, ORGANIZER, publish), press(answerer, ORGANIZER, publish)
    )
    assert sorted([len(first), len(second)]) == [1, 2]  # a toast; the report and the list
    assert await session.scalar(select(func.count()).select_from(Event)) == 1


async def test_a_blocked_admin_writing_again_is_reachable(
    answerer: Answerer, session: AsyncSession
) -> None:
    """An admin told of an announcement before they ever wrote to the bot is marked blocked
    (Telegram refuses to start a chat); once they write, they hear from it again."""
    chat = await ensure_chat(session, ADMIN, NOW)
    chat.blocked_at = NOW
    await session.commit()
    await say(answerer, Who(ADMIN, ADMIN, "en", "private"), "/pending")
    assert await session.scalar(select(Chat.blocked_at).where(Chat.id == ADMIN)) is None
    assert await session.scalar(select(Chat.language).where(Chat.id == ADMIN)) == "en"
