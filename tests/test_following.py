"""Subscribing, listing, removing and stopping, by command, in words and with buttons; in a
group, administrators only. On SQLite and PostgreSQL, with the seeds on 20 September 2016."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from seeds import import_seeds
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from essbot.answer import Answerer, Reply, Who
from essbot.db import Chat, Event, OutboxMessage, Subscription, create_session_factory

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 9, 20, 10, 0, tzinfo=PARIS)


@pytest.fixture
async def answerer(engine: AsyncEngine, session: AsyncSession) -> Answerer:
    await import_seeds(session)
    return Answerer(create_session_factory(engine), tz=PARIS)


def who(chat: int = 1, *, kind: str = "private", admin: bool = False) -> Who:
    return Who(user_id=abs(chat), chat_id=chat, language_code="fr", chat_kind=kind, is_admin=admin)


async def command(answerer: Answerer, text: str, person: Who | None = None) -> Reply:
    head, _, args = text.partition(" ")
    (reply,) = await answerer.command(person or who(), head[1:], args, NOW)
    return reply


async def subscriptions(session: AsyncSession, chat: int = 1) -> list[tuple[object, ...]]:
    session.expire_all()
    rows = await session.scalars(
        select(Subscription).where(Subscription.chat_id == chat).order_by(Subscription.id)
    )
    return [(s.kind, s.area_kind, s.area_code, s.radius_km, s.keywords) for s in rows]


@pytest.mark.parametrize(
    ("text", "stored", "said"),
    [
        (
            "/subscribe Amiens",
            ("area", "commune", "80021", 30.0, []),
            "— Près d'Amiens (80), à moins de 30 km.",
        ),
        (
            "/subscribe Lens 20 ateliers",
            ("area", "commune", "62498", 20.0, ["atelier"]),
            "nouveaux événements (« atelier ») — Près de Lens (62), à moins de 20 km.",
        ),
        ("/subscribe 62", ("area", "department", "62", None, []), "— Pas-de-Calais."),
        ("/subscribe Bretagne", ("area", "region", "53", None, []), "— Bretagne."),
        (
            "/subscribe in Normandy webinars",
            ("area", "region", "28", None, ["webinaire"]),
            "— Normandie.",
        ),
    ],
)
async def test_subscribe_command(
    answerer: Answerer, session: AsyncSession, text: str, stored: tuple[object, ...], said: str
) -> None:
    reply = await command(answerer, text)
    assert reply.text.startswith("C'est noté : je vous préviendrai des nouveaux événements")
    assert said in reply.text
    assert await subscriptions(session) == [stored]


async def test_subscribing_twice_is_said(answerer: Answerer, session: AsyncSession) -> None:
    await command(answerer, "/subscribe Amiens")
    assert (await command(answerer, "/subscribe Amiens")).text.startswith("Vous êtes déjà abonné")
    assert len(await subscriptions(session)) == 1


async def test_subscribe_in_words(answerer: Answerer, session: AsyncSession) -> None:
    (reply,) = await answerer.text(who(), "abonne-moi aux événements près de Roubaix", NOW)
    assert "Près de Roubaix (59), à moins de 30 km" in reply.text
    assert await subscriptions(session) == [("area", "commune", "59512", 30.0, [])]


async def test_subscribe_around_a_shared_location(
    answerer: Answerer, session: AsyncSession
) -> None:
    assert (await command(answerer, "/subscribe")).text.startswith("Dites-moi où")
    await answerer.location(who(), 49.894, 2.296, NOW)
    reply = await command(answerer, "/subscribe")
    assert "Autour de vous, à moins de 30 km" in reply.text
    assert await subscriptions(session) == [("area", "point", None, 30.0, [])]


async def test_an_unknown_place_offers_the_closest(
    answerer: Answerer, session: AsyncSession
) -> None:
    reply = await command(answerer, "/subscribe Amienz")
    assert "Je ne connais pas « Amienz »" in reply.text
    assert await subscriptions(session) == []


async def test_list_and_remove(answerer: Answerer, session: AsyncSession) -> None:
    await command(answerer, "/subscribe Amiens")
    await command(answerer, "/subscribe 62 ateliers")
    listing = await command(answerer, "/subscriptions")
    assert listing.text.splitlines()[2:4] == [
        "1. 📍 Près d'Amiens (80), à moins de 30 km",
        "2. 📍 Pas-de-Calais — atelier",
    ]
    first = listing.buttons[0][0].data
    assert first is not None
    (after,) = await answerer.button(who(), first, NOW)
    assert after.edit
    assert after.toast == "Abonnement retiré."
    assert after.text.splitlines()[2:3] == ["1. 📍 Pas-de-Calais — atelier"]
    assert await subscriptions(session) == [("area", "department", "62", None, ["atelier"])]


async def test_another_chats_subscription_cannot_be_removed(
    answerer: Answerer, session: AsyncSession
) -> None:
    await command(answerer, "/subscribe Amiens", who(2))
    listing = await command(answerer, "/subscriptions", who(2))
    data = listing.buttons[0][0].data
    assert data is not None
    (reply,) = await answerer.button(who(1), data, NOW)  # forged by chat 1
    assert reply.toast == "Ce bouton n'est plus valable. Reposez-moi la question."
    assert len(await subscriptions(session, 2)) == 1


async def test_stop_asks_first_then_removes_everything(
    answerer: Answerer, session: AsyncSession
) -> None:
    amiens = await session.scalar(select(Event.id).where(Event.town == "Amiens"))
    await command(answerer, "/subscribe Amiens")
    await answerer.button(who(), f"r|{amiens}", NOW)
    question = await command(answerer, "/stop")
    assert question.text.startswith("Tout arrêter ?")
    assert [b.data for row in question.buttons for b in row] == ["z|yes", "z|no"]
    (kept,) = await answerer.button(who(), "z|no", NOW)
    assert (kept.text, kept.edit) == ("Rien n'a changé.", True)
    assert len(await subscriptions(session)) == 2
    (stopped,) = await answerer.button(who(), "z|yes", NOW)
    assert stopped.text.startswith("C'est fait")
    assert await subscriptions(session) == []
    states = await session.scalars(select(OutboxMessage.state).where(OutboxMessage.chat_id == 1))
    assert set(states) == {"dropped"}


@pytest.mark.parametrize("text", ["/subscribe Amiens", "/subscriptions", "/stop"])
async def test_in_a_group_only_administrators_manage(
    answerer: Answerer, session: AsyncSession, text: str
) -> None:
    member = who(-100, kind="supergroup")
    reply = await command(answerer, text, member)
    assert reply.text == "Dans un groupe, seuls les administrateurs gèrent les abonnements."
    (pressed,) = await answerer.button(member, "z|yes", NOW)
    assert pressed.toast == reply.text
    admin = who(-100, kind="supergroup", admin=True)
    assert not (await command(answerer, text, admin)).text.startswith("Dans un groupe")


async def test_an_administrator_subscribes_the_group(
    answerer: Answerer, session: AsyncSession
) -> None:
    await command(answerer, "/subscribe 62", who(-100, kind="supergroup", admin=True))
    assert await subscriptions(session, -100) == [("area", "department", "62", None, [])]
    assert await session.scalar(select(func.count()).select_from(Subscription)) == 1


async def test_remind_command(answerer: Answerer, session: AsyncSession) -> None:
    amiens = await session.scalar(select(Event.id).where(Event.town == "Amiens"))
    reply = await command(answerer, f"/remind {amiens}")
    assert reply.text == "C'est noté : rappel la veille à 18h et 2 h avant."
    assert (await command(answerer, "/remind 99999")).text.startswith("Je ne trouve pas")
    assert "/event 42" in (await command(answerer, "/remind abc")).text


@pytest.mark.parametrize(
    ("text", "said", "mode", "day"),
    [
        (
            "/digest vendredi",
            "C'est noté : un résumé des nouveaux événements chaque vendredi à 9h.",
            "digest",
            4,
        ),
        (
            "/digest Monday",
            "C'est noté : un résumé des nouveaux événements chaque lundi à 9h.",
            "digest",
            0,
        ),
        (
            "/digest off",
            "C'est noté : je vous préviendrai de chaque nouvel événement aussitôt.",
            "instant",
            None,
        ),
    ],
)
async def test_digest_command(
    answerer: Answerer, session: AsyncSession, text: str, said: str, mode: str, day: int | None
) -> None:
    await command(answerer, "/subscribe Amiens")
    assert (await command(answerer, text)).text == said
    session.expire_all()
    stored = await session.scalar(select(Subscription))
    assert stored is not None
    assert (stored.mode, stored.digest_day) == (mode, day)


async def test_digest_command_needs_a_day_and_a_subscription(answerer: Answerer) -> None:
    assert (await command(answerer, "/digest")).text.startswith("Choisissez le jour")
    assert (await command(answerer, "/digest mardi")).text.startswith("Vous n'avez aucun")


async def test_remind_at_chosen_lead_times(answerer: Answerer, session: AsyncSession) -> None:
    amiens = await session.scalar(select(Event.id).where(Event.town == "Amiens"))
    reply = await command(answerer, f"/remind {amiens} 1 semaine, 1h")
    assert reply.text == "C'est noté : rappel une semaine avant et 1 h avant."
    leads = await session.scalars(
        select(OutboxMessage.lead).where(OutboxMessage.chat_id == 1).order_by(OutboxMessage.due_at)
    )
    assert list(leads) == ["1w", "1h"]
    stored = await session.scalar(select(Subscription))
    assert stored is not None
    assert stored.leads == ["1w", "1h"]
    assert "/remind 42 1semaine 1h" in (await command(answerer, f"/remind {amiens} 3h")).text


@pytest.mark.parametrize(
    ("text", "said", "start", "end"),
    [
        ("/quiet 22h 7h30", "C'est noté : heures calmes de 22h à 7h30", time(22), time(7, 30)),
        ("/quiet 13:00-14:00", "C'est noté : heures calmes de 13h à 14h", time(13), time(14)),
        ("/quiet off", "C'est noté : plus d'heures calmes", time(0), time(0)),
    ],
)
async def test_quiet_hours(
    answerer: Answerer, session: AsyncSession, text: str, said: str, start: time, end: time
) -> None:
    assert (await command(answerer, text)).text.startswith(said)
    chat = await session.get(Chat, 1)
    assert chat is not None
    await session.refresh(chat)
    assert (chat.quiet_start, chat.quiet_end) == (start, end)


@pytest.mark.parametrize("text", ["/quiet", "/quiet 22h", "/quiet 25h 7h", "/quiet 8h 8h"])
async def test_quiet_hours_need_two_times(
    answerer: Answerer, session: AsyncSession, text: str
) -> None:
    assert (await command(answerer, text)).text.startswith("Heures calmes :")


async def test_change_buttons_switch_digest_and_reminders(
    answerer: Answerer, session: AsyncSession
) -> None:
    await command(answerer, "/subscribe Amiens")
    listing = await command(answerer, "/subscriptions")
    remove, weekly, bell = (button.data for button in listing.buttons[0])
    assert (remove, weekly, bell) == tuple(f"{a}|{remove[2:]}" for a in "utw")  # type: ignore[index]
    assert weekly is not None
    assert bell is not None
    (after,) = await answerer.button(who(), weekly, NOW)
    assert after.toast == "C'est modifié."
    assert (
        after.text.splitlines()[2] == "1. 📍 Près d'Amiens (80), à moins de 30 km — résumé du lundi"
    )
    (after,) = await answerer.button(who(), bell, NOW)
    assert after.text.splitlines()[2].endswith("— résumé du lundi — avec rappels")
    stored = await session.scalar(select(Subscription))
    assert stored is not None
    await session.refresh(stored)
    assert (stored.mode, stored.digest_day, stored.leads) == ("digest", 0, ["eve", "2h"])
    (after,) = await answerer.button(who(), weekly, NOW)
    assert after.text.splitlines()[2].endswith("à moins de 30 km — avec rappels")
    (forged,) = await answerer.button(who(2), weekly, NOW)
    assert forged.toast == "Ce bouton n'est plus valable. Reposez-moi la question."
