"""Questions and their replies on the seed announcements, asked on 20 September 2016.

The whole path runs: understanding, the search on a real database (SQLite and PostgreSQL),
the reply's text and buttons.
"""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from conftest import ENGINES, empty_database
from seeds import import_seeds
from sqlalchemy import func, select

from essbot.answer import Answerer, Reply, Who
from essbot.db import (
    Event,
    OutboxMessage,
    Subscription,
    User,
    create_session_factory,
    metadata,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 9, 20, 10, 0, tzinfo=PARIS)
AMIENS = "Rencontre ESS Tour — Amiens"
CALAIS = "Rencontre ESS Tour — Calais"
NOEUX = "Rencontre ESS Tour — Nœux-les-Mines"
ANZIN = "Rencontre ESS Tour — Anzin"
ROUBAIX = "Rencontre ESS Tour — Roubaix"
NOGENT = "Rencontre ESS Tour — Nogent-sur-Oise"
SOISSONS = "Rencontre ESS Tour — Soissons"
CINE = "Ciné-débat : Bienveillance paysanne"
OCTOBER = [NOEUX, AMIENS, ANZIN, ROUBAIX]
ALLOWED_TAGS = {"b", "i", "code", "blockquote", "a"}


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=ENGINES)
async def answerer(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Answerer]:
    """One database with the seeds for the whole module (the questions only read it;
    the tests that write use users of their own)."""
    directory: Path = tmp_path_factory.mktemp("answers")
    async with empty_database(request.param, directory) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        sessions = create_session_factory(engine)
        async with sessions() as session:
            await import_seeds(session)
        yield Answerer(sessions, tz=PARIS, bot_username="essbot_test_bot")


def who(user: int = 1, lang: str = "fr") -> Who:
    return Who(user, user, lang)


async def ask(answerer: Answerer, text: str, *, user: int = 1, lang: str = "fr",
              now: datetime = NOW) -> Reply:  # fmt: skip
    """The reply to a message, or to a command when it starts with a slash."""
    if text.startswith("/"):
        head, _, args = text.partition(" ")
        replies = await answerer.command(who(user, lang), head[1:], args, now)
    else:
        replies = await answerer.text(who(user, lang), text, now)
    assert len(replies) == 1
    check_html(replies[0].text)
    return replies[0]


async def press(answerer: Answerer, data: str, *, user: int = 1, now: datetime = NOW) -> Reply:
    replies = await answerer.button(who(user), data, now)
    assert len(replies) == 1
    check_html(replies[0].text)
    return replies[0]


def titles(reply: Reply) -> list[str]:
    """The titles of the events listed, in order."""
    return [
        re.sub(r"&amp;", "&", title)
        for title in re.findall(r"^<b>\d+\. (.+)</b>$", reply.text, flags=re.MULTILINE)
    ]


def button_data(reply: Reply) -> list[str]:
    return [button.data for row in reply.buttons for button in row if button.data]


def labels(reply: Reply) -> list[str]:
    return [button.label for row in reply.buttons for button in row]


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> is not Telegram HTML"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another tag"


def check_html(text: str) -> None:
    """Telegram accepts the text: known tags, balanced, no bare < or &."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert not checker.open, f"unclosed tags {checker.open}"
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#\d+;)", text), "bare & in HTML"
    assert len(text) <= 4096


# The questions the issue names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang"),
    [("what's near Amiens?", "fr"), ("Quoi de prévu près d'Amiens ?", "fr"),
     ("/near Amiens", "fr"), ("what's near Amiens?", "en"), ("/near Amiens", "en")],
)  # fmt: skip
async def test_near_amiens_lists_the_amiens_meeting_first(
    answerer: Answerer, question: str, lang: str
) -> None:
    reply = await ask(answerer, question, lang=lang)
    assert titles(reply)[0] == AMIENS
    assert button_data(reply)[0].startswith("e|")


async def test_an_english_question_gets_english_dates(answerer: Answerer) -> None:
    reply = await ask(answerer, "what's near Amiens?")
    assert "Wednesday 5 October 2016, 5:30–8 pm" in reply.text
    assert "Near Amiens (80), within 30 km" in reply.text


async def test_a_french_question_gets_french_dates(answerer: Answerer) -> None:
    reply = await ask(answerer, "Quoi de prévu près d'Amiens ?")
    assert "mercredi 5 octobre 2016, 17h30–20h" in reply.text
    assert "Près d'Amiens (80), à moins de 30 km" in reply.text
    assert "moins d'1 km" in reply.text  # the distance, with a point asked


async def test_in_the_62_lists_calais_and_noeux(answerer: Answerer) -> None:
    listed = titles(await ask(answerer, "dans le 62"))
    assert listed[:2] == [CALAIS, NOEUX]


async def test_hauts_de_france_in_october_lists_the_four_october_meetings(
    answerer: Answerer,
) -> None:
    assert titles(await ask(answerer, "en Hauts-de-France en octobre")) == OCTOBER


async def test_near_marseille_says_nothing_is_near_and_offers_the_nearest(
    answerer: Answerer,
) -> None:
    reply = await ask(answerer, "près de Marseille")
    assert reply.text.startswith("Rien de prévu du côté de Marseille (13)")
    distances = [int(km) for km in re.findall(r"· (\d+) km", reply.text)]
    assert len(distances) == len(titles(reply)) > 0
    assert distances == sorted(distances)
    assert distances[0] > 250  # nothing within the widest radius


# Places ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["dans le Pas-de-Calais", "/dept 62", "/dept Pas-de-Calais", "/dept Lens",
     "quoi de prévu dans le 62 ?", "events in the 62"],
)  # fmt: skip
async def test_department_questions(answerer: Answerer, question: str) -> None:
    reply = await ask(answerer, question)
    assert titles(reply)[:2] == [CALAIS, NOEUX]
    assert "Pas-de-Calais" in reply.text
    assert " km" not in reply.text  # no distance from a department


@pytest.mark.parametrize(
    "question",
    ["/region Hauts-de-France", "/region hdf", "en Hauts-de-France", "in Hauts-de-France"],
)
async def test_region_questions(answerer: Answerer, question: str) -> None:
    assert titles(await ask(answerer, question))[:5] == [CALAIS, NOGENT, SOISSONS, NOEUX, AMIENS]


@pytest.mark.parametrize("question", ["en Normandie", "in Normandy", "/region Normandie"])
async def test_normandy_lists_its_workshops(answerer: Answerer, question: str) -> None:
    listed = titles(await ask(answerer, question))
    assert listed[0] == "Atelier territorial"
    assert len(listed) == 5


async def test_a_region_with_nothing_offers_the_nearest_elsewhere(answerer: Answerer) -> None:
    reply = await ask(answerer, "/region Brittany")
    assert reply.text.startswith("Rien de prévu du côté de Bretagne")
    assert titles(reply)


@pytest.mark.parametrize(
    ("question", "first"),
    [("à Calais", CALAIS), ("Calais", CALAIS), ("près de Soissons", SOISSONS),
     ("à moins de 30 km de Lens", NOEUX), ("dans un rayon de 20 km autour de Roubaix", ROUBAIX),
     ("/near Lens 10", CINE), ("à Lens", CINE), ("/near Amiens 300", CALAIS)],
)  # fmt: skip
async def test_place_and_radius_questions(answerer: Answerer, question: str, first: str) -> None:
    assert titles(await ask(answerer, question))[0] == first


async def test_a_small_radius_leaves_out_what_is_beyond_it(answerer: Answerer) -> None:
    reply = await ask(answerer, "/near Lens 10")
    assert NOEUX not in titles(reply)  # 16 km from Lens
    assert "Près de Lens (62), à moins de 10 km" in reply.text


@pytest.mark.parametrize("question", ["près d'Abbeville", "à Abbeville"])
async def test_an_empty_area_is_widened_and_the_reply_says_so(
    answerer: Answerer, question: str
) -> None:
    reply = await ask(answerer, question)
    assert "j'ai élargi la recherche à 60 km" in reply.text
    assert titles(reply) == [AMIENS]


async def test_homonyms_are_offered_as_buttons(answerer: Answerer) -> None:
    reply = await ask(answerer, "quoi de prévu à Saint-Denis ?")
    assert "Plusieurs lieux s'appellent « Saint-Denis »" in reply.text
    assert {"Saint-Denis (93)", "Saint-Denis (974)"} <= set(labels(reply))
    choice = next(b.data for row in reply.buttons for b in row if b.label == "Saint-Denis (93)")
    assert choice is not None
    chosen = await press(answerer, choice)
    assert chosen.edit
    assert "Saint-Denis (93)" in chosen.text


async def test_an_unknown_name_gets_did_you_mean_buttons(answerer: Answerer) -> None:
    reply = await ask(answerer, "près de Amienz")
    assert "Je ne connais pas « Amienz »" in reply.text
    assert labels(reply)[0] == "Amiens (80)"
    chosen = await press(answerer, button_data(reply)[0])
    assert titles(chosen)[0] == AMIENS


async def test_a_misspelt_town_read_through_says_which_town(answerer: Answerer) -> None:
    reply = await ask(answerer, "autour de Lile")
    assert "(j'ai compris : Lille (59))" in reply.text
    assert titles(reply)[0] == ROUBAIX


async def test_an_unknown_place_without_suggestion_is_said_clearly(answerer: Answerer) -> None:
    reply = await ask(answerer, "/near Xqzwvtplk")
    assert "Je ne connais pas « Xqzwvtplk »" in reply.text


async def test_a_shared_location_is_searched_around_and_saved(answerer: Answerer) -> None:
    replies = await answerer.location(who(501), 49.894, 2.296, NOW)
    assert titles(replies[0])[0] == AMIENS
    assert "Autour de vous, à moins de 30 km" in replies[0].text
    assert "J'ai noté votre position" in replies[0].text
    assert titles(await ask(answerer, "près de chez moi", user=501))[0] == AMIENS
    assert titles(await ask(answerer, "/near", user=501))[0] == AMIENS


async def test_a_location_far_from_everything_gets_the_nearest(answerer: Answerer) -> None:
    (reply,) = await answerer.location(who(503), 45.0, -5.0, NOW)  # the Bay of Biscay
    assert "Rien de prévu du côté de votre position pour ces dates." in reply.text
    distances = [int(km) for km in re.findall(r"· (\d+) km", reply.text)]
    assert distances == sorted(distances)
    assert distances[0] > 250


async def test_near_me_without_a_saved_place_asks_for_one(answerer: Answerer) -> None:
    reply = await ask(answerer, "quoi de prévu près de chez moi ?", user=502)
    assert "Partagez votre position" in reply.text
    assert (await ask(answerer, "/near", user=502)).text.startswith("Dites-moi un lieu")


# Time -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [("la semaine prochaine", [CALAIS, NOGENT, SOISSONS]),
     ("en octobre", OCTOBER),
     ("next month", OCTOBER),
     ("le 5 octobre", [AMIENS]),
     ("on October 5th", [AMIENS]),
     ("du 1er au 10 octobre", [NOEUX, AMIENS]),
     ("d'ici la fin du mois", [CALAIS, NOGENT, SOISSONS]),
     ("mardi 27 septembre", [CALAIS]),
     ("dans le 59 en octobre", [ANZIN, ROUBAIX])],
)  # fmt: skip
async def test_time_windows(answerer: Answerer, question: str, expected: list[str]) -> None:
    assert titles(await ask(answerer, question)) == expected


async def test_within_fifteen_days(answerer: Answerer) -> None:
    listed = titles(await ask(answerer, "dans les 15 jours"))
    assert listed[:4] == [CALAIS, NOGENT, SOISSONS, NOEUX]
    assert ANZIN not in listed


@pytest.mark.parametrize(
    ("question", "said"),
    [("ce week-end", "Rien de prévu du samedi 24 septembre au dimanche 25 septembre 2016"),
     ("demain", "Rien de prévu le mercredi 21 septembre 2016"),
     ("this weekend", "Nothing planned from Saturday 24 September to Sunday 25 September 2016")],
)  # fmt: skip
async def test_an_empty_window_says_so_then_lists_the_next(
    answerer: Answerer, question: str, said: str
) -> None:
    reply = await ask(answerer, question)
    assert reply.text.startswith(said)
    assert titles(reply)[0] == CALAIS


async def test_a_year_named_reaches_later_events(answerer: Answerer) -> None:
    assert titles(await ask(answerer, "à Lens en novembre 2024"))[0] == CINE


async def test_an_event_in_progress_still_counts(answerer: Answerer) -> None:
    during = datetime(2016, 10, 5, 18, 30, tzinfo=PARIS)
    reply = await ask(answerer, "près d'Amiens", now=during)
    assert titles(reply)[0] == AMIENS
    assert "— <i>en cours</i>" in reply.text


async def test_an_event_over_is_no_longer_listed(answerer: Answerer) -> None:
    after = datetime(2016, 10, 5, 20, 30, tzinfo=PARIS)
    assert AMIENS not in titles(await ask(answerer, "près d'Amiens", now=after))


async def test_with_nothing_upcoming_the_latest_past_events_are_labelled(
    answerer: Answerer,
) -> None:
    later = datetime(2031, 1, 1, 12, 0, tzinfo=PARIS)
    reply = await ask(answerer, "près d'Amiens", now=later)
    assert reply.text.startswith("Aucun événement à venir")
    assert titles(reply) == [AMIENS]
    assert "— <i>passé</i>" in reply.text


# Keywords -------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["ciné-débat à Lens", "cine debat a Lens", "CINÉ-DÉBATS"])
async def test_keywords_ignore_accents_case_and_plurals(answerer: Answerer, question: str) -> None:
    assert titles(await ask(answerer, question)) == [CINE]


async def test_workshops_in_a_region(answerer: Answerer) -> None:
    listed = titles(await ask(answerer, "des ateliers en Normandie ?"))
    assert listed == ["Atelier territorial"] * 5


async def test_a_keyword_nothing_says_is_said_then_the_next_events(answerer: Answerer) -> None:
    reply = await ask(answerer, "un webinaire ?")
    assert reply.text.startswith("Rien ne correspond à « webinaire »")
    assert titles(reply)[0] == CALAIS


async def test_conferences(answerer: Answerer) -> None:
    listed = titles(await ask(answerer, "les conférences"))
    assert listed == ["Conférence régionale sur l’économie sociale et solidaire"]


# Intents and languages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "lang", "start"),
    [("Bonjour", "fr", "Bonjour ! Je suis"), ("Hello", "fr", "Hello! I am"),
     ("merci !", "fr", "Avec plaisir"), ("thanks", "fr", "You're welcome"),
     ("aide", "fr", "<b>Comment me demander"), ("help", "en", "<b>How to ask"),
     ("/help", "en", "<b>How to ask"), ("/start", "fr", "Bonjour ! Je suis"),
     ("blablabla", "fr", "Je n'ai pas compris"), ("/start", "en", "Hello! I am")],
)  # fmt: skip
async def test_intents(answerer: Answerer, message: str, lang: str, start: str) -> None:
    assert (await ask(answerer, message, lang=lang)).text.startswith(start)


async def test_bonjour_with_a_place_is_a_search(answerer: Answerer) -> None:
    assert titles(await ask(answerer, "Bonjour, quoi de prévu à Calais ?")) == [CALAIS]


async def test_english_telegram_users_get_english(answerer: Answerer) -> None:
    reply = await ask(answerer, "Amiens", lang="en")
    assert "Wednesday 5 October 2016" in reply.text


async def test_lang_command_sets_the_reply_language(answerer: Answerer) -> None:
    assert (await ask(answerer, "/lang en", user=601)).text == "Fine, I will answer in English."
    reply = await ask(answerer, "quoi de prévu près d'Amiens ?", user=601)
    assert "Wednesday 5 October 2016" in reply.text
    assert (await ask(answerer, "/lang fr", user=601)).text.startswith("Très bien")
    assert "mercredi 5 octobre" in (await ask(answerer, "near Amiens", user=601)).text


async def test_lang_command_refuses_other_languages(answerer: Answerer) -> None:
    assert (await ask(answerer, "/lang de", user=602)).text.startswith("Choisissez la langue")
    async with answerer.sessions() as session:
        assert await session.get(User, 602) is None


# Commands and buttons -------------------------------------------------------------------------


async def test_upcoming_lists_the_next_events_with_a_more_button(answerer: Answerer) -> None:
    reply = await ask(answerer, "/upcoming")
    assert titles(reply) == [CALAIS, NOGENT, SOISSONS, NOEUX, AMIENS]
    assert labels(reply)[-1] == "Suivants ›"


async def test_more_edits_the_message_with_the_next_page(answerer: Answerer) -> None:
    first = await ask(answerer, "/upcoming")
    second = await press(answerer, button_data(first)[-1])
    assert second.edit
    assert titles(second)[:2] == [ANZIN, ROUBAIX]
    assert "<b>6. Rencontre ESS Tour — Anzin</b>" in second.text
    assert "‹ Précédents" in labels(second)
    back = next(b.data for row in second.buttons for b in row if b.label == "‹ Précédents")
    assert back is not None
    assert titles(await press(answerer, back)) == titles(first)


@pytest.mark.parametrize("command", ["/event 6", "/event event_6", "/start event_6"])
async def test_event_details(answerer: Answerer, command: str) -> None:
    async with answerer.sessions() as session:
        amiens = await session.scalar(select(Event.id).where(Event.title == AMIENS))
    reply = await ask(answerer, command.replace("6", str(amiens)))
    assert reply.text.startswith(f"<b>{AMIENS}</b>")
    assert "Square Friant les 4 Chênes" in reply.text
    assert "<blockquote>Mercredi 5 Octobre à l'Auberge de Jeunesse" in reply.text
    assert "Source : L'ESS TOUR 2016" in reply.text
    assert set(button_data(reply)) == {f"r|{amiens}", f"i|{amiens}", f"m|{amiens}", f"d|{amiens}"}
    assert [b.share for row in reply.buttons for b in row if b.share] == [f"event_{amiens}"]


@pytest.mark.parametrize("command", ["/event", "/event abc", "/event -3"])
async def test_event_command_without_a_number_explains(answerer: Answerer, command: str) -> None:
    assert "/event 42" in (await ask(answerer, command)).text


async def test_a_missing_event_is_said(answerer: Answerer) -> None:
    assert "Je ne trouve pas cet événement" in (await ask(answerer, "/start event_99999")).text


async def test_announcement_button_sends_the_whole_text(answerer: Answerer) -> None:
    roubaix = await _event_id(answerer, ROUBAIX)
    reply = await press(answerer, f"d|{roubaix}")
    assert reply.text.startswith("<b>L'ESS TOUR 2016</b>")
    assert "Mardi 27 Septembre à la Cité de la dentelle" in reply.text  # the other meetings too
    assert "Mardi 18 Octobre à la Mairie de Roubaix" in reply.text
    assert "**" not in reply.text


async def test_map_button_sends_the_venue(answerer: Answerer) -> None:
    amiens = await _event_id(answerer, AMIENS)
    reply = await press(answerer, f"m|{amiens}")
    assert reply.venue is not None
    assert (round(reply.venue.lat, 1), round(reply.venue.lon, 1)) == (49.9, 2.3)
    assert reply.venue.title == "Auberge de Jeunesse d'Amiens"
    assert reply.venue.address == "Square Friant les 4 Chênes, 80000 Amiens"


async def test_map_of_an_event_without_a_place(answerer: Answerer) -> None:
    concert = await _event_id(answerer, "Concert : Tout en haut du jazz")
    reply = await press(answerer, f"m|{concert}")
    assert reply.venue is None
    assert reply.toast == "Le lieu de cet événement n'est pas encore connu."


async def test_calendar_button_sends_an_ics_file(answerer: Answerer) -> None:
    amiens = await _event_id(answerer, AMIENS)
    reply = await press(answerer, f"i|{amiens}")
    assert reply.attachment is not None
    assert reply.attachment.filename.endswith(".ics")
    content = reply.attachment.content.decode()
    assert "DTSTART;TZID=Europe/Paris:20161005T173000" in content
    assert "https://t.me/essbot_test_bot?start=event_" in content.replace("\r\n ", "")


async def test_remind_me_plans_the_reminders_once(answerer: Answerer) -> None:
    amiens = await _event_id(answerer, AMIENS)
    first = await press(answerer, f"r|{amiens}", user=701)
    again = await press(answerer, f"r|{amiens}", user=701)
    assert first.toast == "C'est noté : rappel la veille à 18h et 2 h avant."
    assert again.toast == "Vous avez déjà demandé un rappel pour cet événement."
    async with answerer.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.chat_id == 701)
        )
        planned = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == 701)
                .order_by(OutboxMessage.due_at)
            )
        ).all()
    assert count == 1
    # The meeting is on Wednesday 5 October 2016 at 17:30 in Paris (15:30 UTC).
    assert [(m.lead, m.due_at, m.expires_at) for m in planned] == [
        (
            "eve",
            datetime(2016, 10, 4, 16, 0, tzinfo=UTC),
            datetime(2016, 10, 5, 15, 30, tzinfo=UTC),
        ),
        (
            "2h",
            datetime(2016, 10, 5, 13, 30, tzinfo=UTC),
            datetime(2016, 10, 5, 15, 30, tzinfo=UTC),
        ),
    ]
    assert planned[0].text.startswith("<b>🔔 Rappel : c'est demain !</b>\n\n<b>Rencontre ESS Tour")
    assert "start=event_" in planned[0].text
    for message in planned:
        check_html(message.text)


@pytest.mark.parametrize(
    ("now", "toast", "leads"),
    [
        (datetime(2016, 10, 5, 10, 0, tzinfo=PARIS), "C'est noté : rappel 2 h avant.", ["2h"]),
        (datetime(2016, 10, 5, 16, 0, tzinfo=PARIS),
         "L'événement commence bientôt : trop tard pour un rappel.", []),
    ],
)  # fmt: skip
async def test_remind_me_close_to_the_start(
    answerer: Answerer, now: datetime, toast: str, leads: list[str]
) -> None:
    amiens = await _event_id(answerer, AMIENS)
    user = 702 + len(leads)
    assert (await press(answerer, f"r|{amiens}", user=user, now=now)).toast == toast
    async with answerer.sessions() as session:
        planned = (
            await session.scalars(select(OutboxMessage.lead).where(OutboxMessage.chat_id == user))
        ).all()
        subscribed = await session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.chat_id == user)
        )
    assert list(planned) == leads
    assert subscribed == (1 if leads else 0)  # too late: nothing kept


async def test_inline_mode_returns_event_cards(answerer: Answerer) -> None:
    cards = await answerer.inline(who(), "Amiens", NOW)
    assert cards[0].title == AMIENS
    assert cards[0].description == "mercredi 5 octobre 2016, 17h30–20h · Amiens"
    assert cards[0].buttons[0][0].url is not None
    check_html(cards[0].text)
    shared = await answerer.inline(who(), cards[0].id, NOW)
    assert [card.title for card in shared] == [AMIENS]
    assert [card.title for card in await answerer.inline(who(), "", NOW)][:2] == [CALAIS, NOGENT]


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "start"),
    [("", "Votre message est vide"), ("   \n ", "Votre message est vide"),
     ("😀🎉👍", "Je ne lis que les mots"), ("?!...", "Je ne lis que les mots"),
     ("<b>&amp;</b>", "Je n'ai pas compris"), ("a" * 4096, "<i>Votre message est très long")],
)  # fmt: skip
async def test_bad_messages_get_a_clear_reply(answerer: Answerer, message: str, start: str) -> None:
    assert (await ask(answerer, message)).text.startswith(start)


async def test_html_in_a_place_name_is_escaped(answerer: Answerer) -> None:
    reply = await ask(answerer, "près de <script>alert(1)</script> & co")
    assert "<script>" not in reply.text


async def test_a_long_question_is_read_from_its_start(answerer: Answerer) -> None:
    reply = await ask(answerer, "quoi de prévu près d'Amiens ? " + "blabla " * 600)
    assert "Votre message est très long" in reply.text
    assert titles(reply)[0] == AMIENS


async def test_sql_looking_text_changes_nothing(answerer: Answerer) -> None:
    before = await _count_events(answerer)
    reply = await ask(answerer, "'; DROP TABLE events; -- près de Calais")
    assert titles(reply)[0] == CALAIS
    assert await _count_events(answerer) == before


@pytest.mark.parametrize(
    "data",
    ["", "s|zz", "e|abc", "x" * 100, "s|c99999||||0", "s|p99.0,2.0|30||||0",
     "s|c80021|999||||0", "s|c80021|30|20161310|||0", "s|c80021|30|20161031|20161001||0",
     "s|a|||||99|0", "r|99999", "i|99999", "m|99999", "e|99999", "d|99999", "s|a||||", "q|1",
     "s|c80021|30|20160901|20160910||0"],
)  # fmt: skip
async def test_forged_or_stale_buttons_change_nothing(answerer: Answerer, data: str) -> None:
    before = await _count_subscriptions(answerer)
    replies = await answerer.button(who(801), data, NOW)
    assert len(replies) == 1
    reply = replies[0]
    assert reply.toast or reply.text
    assert not reply.edit
    assert reply.venue is None
    assert reply.attachment is None
    assert await _count_subscriptions(answerer) == before


async def _event_id(answerer: Answerer, title: str) -> int:
    async with answerer.sessions() as session:
        found = await session.scalar(select(Event.id).where(Event.title == title))
    assert found is not None
    return found


async def _count_events(answerer: Answerer) -> int:
    async with answerer.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Event)) or 0


async def _count_subscriptions(answerer: Answerer) -> int:
    async with answerer.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Subscription)) or 0
