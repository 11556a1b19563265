"""What the bot says in French, its first language."""

from __future__ import annotations

from datetime import date, time

from essbot.texts.base import RANGE, Texts
from essbot.texts.desk_fr import FrenchDesk

_VOWELS = "aeiouyhâàéèêîïôœûAEIOUYHÂÀÉÈÊÎÏÔŒÛ"


def _de(name: str) -> str:
    """ "d'Amiens", "de Lens", "du Mans", "des Andelys"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    return f"d'{name}" if name[:1] in _VOWELS else f"de {name}"


def _a(name: str) -> str:
    """ "à Lens", "au Mans", "aux Andelys"."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return f"à {name}"


def _km(km: float) -> str:
    return f"{km:.0f}"


class French(FrenchDesk, Texts):
    code = "fr"
    your_location = "votre position"
    welcome = (
        "Bonjour ! Je suis <b>essbot</b>, le bot des rencontres de l'économie sociale et "
        "solidaire (ESS).\n\n"
        "Demandez-moi simplement :\n"
        "• <i>Quoi de prévu près d'Amiens ?</i>\n"
        "• <i>Des ateliers dans le 62 en novembre ?</i>\n"
        "• <i>Ce week-end en Bretagne</i>\n"
        "ou partagez votre position 📎. /help pour tout le reste.\n\n"
        "<i>Je ne garde que le nécessaire : votre langue, le lieu partagé, vos abonnements.</i> "
        "/privacy"
    )
    help = (
        "<b>Comment me demander</b>\n"
        "Écrivez comme vous parlez : une commune, un département (nom ou numéro), une région, "
        "« près de … », « à moins de 20 km de … », et si vous voulez une date "
        "(« demain », « ce week-end », « en novembre », « le 5 octobre ») ou un format "
        "(« atelier », « webinaire », « en ligne »). Vous pouvez aussi partager votre position.\n\n"
        "<b>Commandes</b>\n"
        "/near &lt;lieu&gt; [km] — autour d'un lieu\n"
        "/dept &lt;numéro ou nom&gt; — dans un département\n"
        "/region &lt;nom&gt; — dans une région\n"
        "/upcoming — les prochains événements\n"
        "/event &lt;n°&gt; — le détail d'un événement\n"
        "/lang fr|en — la langue de mes réponses"
    )
    error = "Désolé, quelque chose s'est mal passé. Réessayez dans un instant."
    thanks = "Avec plaisir ! Demandez-moi quand vous voulez."
    not_understood = (
        "Je n'ai pas compris. Dites-moi un lieu ou une date, par exemple "
        "<i>Quoi de prévu près de Lille ?</i> ou <i>dans le 62 en novembre</i>. /help pour l'aide."
    )
    too_long = "Votre message est très long : je n'en ai lu que le début."
    empty = "Votre message est vide. Dites-moi un lieu, par exemple <i>près d'Amiens</i>."
    no_letters = (
        "Je ne lis que les mots 🙂 Dites-moi un lieu ou une date, "
        "par exemple <i>ce week-end à Lille</i>."
    )
    expired_button = "Ce bouton n'est plus valable. Reposez-moi la question."
    no_such_event = "Je ne trouve pas cet événement : il a peut-être été retiré."
    home_unknown = (
        "Je ne sais pas encore où vous êtes. Partagez votre position 📎 "
        "ou dites-moi une commune, par exemple <i>près de Lens</i>."
    )
    location_saved = "J'ai noté votre position : « près de chez moi » la désignera désormais."
    subscribe_usage = (
        "Dites-moi où : <code>/subscribe Amiens</code>, <code>/subscribe Lens 20</code>, "
        "<code>/subscribe 62 ateliers</code>, ou partagez d'abord votre position."
    )
    admins_only = "Dans un groupe, seuls les administrateurs gèrent les abonnements."
    already_subscribed = "Vous êtes déjà abonné à cela. /subscriptions pour voir vos abonnements."
    subscriptions_heading = "<b>Vos abonnements</b> (❌ pour en retirer un)"
    no_subscriptions = (
        "Vous n'avez aucun abonnement. <code>/subscribe Amiens</code> pour commencer."
    )
    unsubscribed = "Abonnement retiré."
    stop_question = "Tout arrêter ? Vos abonnements et rappels seront supprimés."
    stop_yes = "Oui, tout arrêter"
    stop_no = "Non"
    stopped = "C'est fait : plus aucun abonnement ni rappel. À bientôt !"
    stop_cancelled = "Rien n'a changé."
    privacy = (
        "<b>Vos données</b>\n"
        "Je garde seulement ce qu'il faut pour vous répondre et vous prévenir : votre identifiant "
        "Telegram, la langue choisie, le dernier lieu partagé, vos abonnements et rappels, les "
        "messages prévus pour vous et la trace de leur envoi (90 jours). Je ne garde pas vos "
        "messages. Si vous me bloquez, j'oublie tout au bout de 30 jours.\n"
        "/mydata — tout ce que je garde sur vous, dans un fichier\n"
        "/forget — tout effacer"
    )
    mydata_caption = "Tout ce que je garde sur vous (JSON)."
    forget_question = (
        "Tout effacer ? Vos abonnements, rappels, langue, lieu et l'historique de vos messages "
        "seront supprimés, sans retour."
    )
    forget_yes = "Oui, tout effacer"
    forgotten = "C'est fait : je ne garde plus rien sur vous. Au revoir !"
    subscriptions_buttons = (
        "❌ retirer · 🗞 résumé hebdomadaire · ⚡ aussitôt · 🔔 rappels des événements · 🔕 sans"
    )
    with_reminders = "avec rappels"
    changed = "C'est modifié."
    quiet_usage = (
        "Heures calmes : <code>/quiet 22h 7h30</code> (rien d'autre que les rappels imminents "
        "entre les deux), ou <code>/quiet off</code>."
    )
    quiet_off = "C'est noté : plus d'heures calmes, je vous écris à toute heure."
    digest_usage = (
        "Choisissez le jour du résumé hebdomadaire : <code>/digest lundi</code>, ou "
        "<code>/digest off</code> pour être prévenu aussitôt."
    )
    digest_off = "C'est noté : je vous préviendrai de chaque nouvel événement aussitôt."
    leads_usage = (
        "Quand vous le rappeler ? Par exemple <code>/remind 42 1semaine 1h</code> : "
        "1semaine, 1jour, veille (18h), 2h, 1h."
    )
    choose_place = "Lequel ?"
    more = "Suivants ›"
    previous = "‹ Précédents"
    details = "Détails"
    remind_me = "🔔 Me le rappeler"
    add_to_calendar = "📅 Ajouter à mon agenda"
    announcement = "📄 L'annonce"
    map = "🗺 Carte"
    share = "↗ Partager"
    reminder_too_late = "L'événement commence bientôt : trop tard pour un rappel."
    changed_heading = "⚠️ Changement : l'événement que vous suivez a changé."
    new_event_heading = "🆕 Nouvel événement près de chez vous"
    digest_heading = "🗞 Les nouveaux événements de la semaine près de chez vous"
    cancelled_heading = "❌ Annulé : l'événement que vous suivez n'aura pas lieu."
    reminder_already = "Vous avez déjà demandé un rappel pour cet événement."
    calendar_caption = "Ouvrez ce fichier pour ajouter l'événement à votre agenda."
    no_place_to_map = "Le lieu de cet événement n'est pas encore connu."
    not_in_calendar = "Cet événement n'a pas encore de date : impossible de l'ajouter à l'agenda."
    cancelled = "❌ Annulé"
    in_progress = "en cours"
    past = "passé"
    online = "En ligne"
    place_tbd = "Lieu à préciser"
    year_guessed = "année déduite de l'annonce"
    source = "Source :"
    event_number = "n°"
    nothing_at_all = "Je ne connais encore aucun événement. Revenez bientôt !"
    lang_set = "Très bien, je vous répondrai en français."
    lang_usage = "Choisissez la langue : /lang fr ou /lang en."
    near_usage = "Dites-moi un lieu : <code>/near Amiens</code> ou <code>/near Lens 20</code>."
    dept_usage = "Dites-moi un département : <code>/dept 62</code> ou <code>/dept Somme</code>."
    region_usage = "Dites-moi une région : <code>/region Hauts-de-France</code>."
    event_usage = "Donnez le numéro de l'événement : <code>/event 42</code>."
    unknown_department = "Je ne connais pas ce département. Essayez son numéro, comme 62."
    unknown_region = "Je ne connais pas cette région. Essayez par exemple Bretagne."
    inline_nothing = "Rien de prévu"
    commands = (
        ("start", "Accueil"),
        ("help", "Comment me demander"),
        ("near", "Événements autour d'un lieu : /near Amiens 30"),
        ("dept", "Événements d'un département : /dept 62"),
        ("region", "Événements d'une région : /region Bretagne"),
        ("upcoming", "Les prochains événements"),
        ("event", "Le détail d'un événement : /event 42"),
        ("subscribe", "S'abonner aux nouveaux événements : /subscribe Amiens 30"),
        ("subscriptions", "Vos abonnements"),
        ("stop", "Tout arrêter"),
        ("digest", "Un résumé par semaine : /digest lundi"),
        ("quiet", "Heures calmes : /quiet 22h 8h"),
        ("remind", "Rappels d'un événement : /remind 42"),
        ("lang", "Langue des réponses : /lang fr ou /lang en"),
        ("privacy", "Vos données : ce que je garde, /mydata, /forget"),
    )
    weekdays = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    months = (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    )  # fmt: skip

    def near(self, place: str, radius_km: float) -> str:
        return f"Près {_de(place)}, à moins de {_km(radius_km)} km"

    def around_you(self, radius_km: float) -> str:
        return f"Autour de vous, à moins de {_km(radius_km)} km"

    def in_commune(self, place: str) -> str:
        text = _a(place)
        return text[0].upper() + text[1:]

    def in_area(self, place: str) -> str:
        return place

    def everywhere(self) -> str:
        return "Partout"

    def widened(self, asked: str, radius_km: float) -> str:
        return f"Rien tout près {_de(asked)} : j'ai élargi la recherche à {_km(radius_km)} km."

    def nothing_here(self, asked: str) -> str:
        return (
            f"Rien de prévu du côté {_de(asked)} pour ces dates. "
            "Voici les événements à venir les plus proches :"
        )

    def nothing_then(self, window: str) -> str:
        return f"Rien de prévu {window}. Voici les prochains événements :"

    def nothing_matching(self, words: str) -> str:
        return f"Rien ne correspond à « {words} » pour ces dates. Voici les prochains événements :"

    def nothing_upcoming(self, asked: str) -> str:
        return f"Aucun événement à venir ({asked}). Voici les plus récents, déjà passés :"

    def understood_as(self, place: str) -> str:
        return f"(j'ai compris : {place})"

    def unknown_place(self, name: str, suggestions: bool) -> str:
        if suggestions:
            return f"Je ne connais pas « {name} ». Vouliez-vous dire :"
        return f"Je ne connais pas « {name} ». Vérifiez l'orthographe ou essayez une ville proche."

    def homonyms(self, name: str) -> str:
        return f"Plusieurs lieux s'appellent « {name} ». Lequel ?"

    def distance(self, km: float) -> str:
        if km < 1:
            return "moins d'1 km"
        return f"{km:.1f} km".replace(".", ",") if km < 10 else f"{km:.0f} km"

    def page(self, first: int, last: int) -> str:
        return f"Événements {first} à {last}"

    def subscribed(self, area: str, keywords: str) -> str:
        words = f" (« {keywords} »)" if keywords else ""
        return (
            f"C'est noté : je vous préviendrai des nouveaux événements{words} — {area}. "
            "/subscriptions pour voir vos abonnements."
        )

    def weekly(self, day: str) -> str:
        return f"résumé du {day}"

    def quiet_set(self, start: str, end: str) -> str:
        return (
            f"C'est noté : heures calmes de {start} à {end}, "
            "rien d'autre que les rappels imminents."
        )

    def digest_set(self, day: str) -> str:
        return f"C'est noté : un résumé des nouveaux événements chaque {day} à 9h."

    def reminder_heading(self, lead: str) -> str:
        return {
            "1w": "🔔 Rappel : c'est dans une semaine.",
            "1d": "🔔 Rappel : c'est demain.",
            "eve": "🔔 Rappel : c'est demain !",
            "2h": "🔔 Rappel : ça commence dans 2 heures.",
            "1h": "🔔 Rappel : ça commence dans 1 heure.",
        }.get(lead, "🔔 Rappel")

    def reminders_planned(self, leads: list[str]) -> str:
        names = {"1w": "une semaine avant", "1d": "la veille à la même heure",
                 "eve": "la veille à 18h", "2h": "2 h avant", "1h": "1 h avant"}  # fmt: skip
        said = [names.get(lead, lead) for lead in leads]
        listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " et " + said[-1]
        return f"C'est noté : rappel {listed}."

    def clock(self, moment: time) -> str:
        return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"

    def clock_range(self, start: time, end: time) -> str:
        return f"{self.clock(start)}{RANGE}{self.clock(end)}"

    def day(self, day: date, *, year: bool = True) -> str:
        number = "1er" if day.day == 1 else str(day.day)
        text = f"{self.weekdays[day.weekday()]} {number} {self.months[day.month - 1]}"
        return f"{text} {day.year}" if year else text

    def days(self, first: date, last: date) -> str:
        return f"du {self.day(first, year=first.year != last.year)} au {self.day(last)}"

    def window(self, first: date | None, last: date | None, said: str) -> str:
        if first is None and last is None:
            return "à venir"
        if first is not None and last is not None:
            if first == last:
                return f"le {self.day(first)}"
            return self.days(first, last)
        if first is not None:
            return f"à partir du {self.day(first)}"
        assert last is not None
        return f"jusqu'au {self.day(last)}"
