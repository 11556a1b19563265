"""What the bot says to organizers and admins, in French."""

from __future__ import annotations

from types import MappingProxyType

from essbot.texts.desk import DeskTexts

_WARNINGS = {
    "weekday_mismatch": "le jour de la semaine écrit ne correspond pas à cette date : "
    "vérifiez-la (📅 Date).",
    "year_uncertain": "l'année n'est pas sûre : vérifiez la date (📅 Date).",
    "place_unknown": "je ne reconnais pas le lieu : précisez-le (📍 Lieu).",
    "outside_scope": "ce lieu est hors de votre périmètre : il ne sera pas publié.",
}
_FIELDS = {
    "title": "le titre",
    "date": "la date",
    "time": "l'horaire",
    "place": "le lieu",
    "venue": "la salle",
}
_ERRORS = {
    "empty": "Votre réponse est vide.",
    "no_date": "Je ne lis pas de date. Écrivez par exemple <i>jeudi 19 décembre 2024</i> ou "
    "<i>19/12/2024</i>.",
    "no_time": "Je ne lis pas d'horaire. Écrivez par exemple <i>17h30-20h</i> ou <i>14h</i>, "
    "ou <i>aucun</i>.",
    "unknown_place": "Je ne trouve pas ce lieu. Donnez la commune, avec son code postal si "
    "possible : <i>Toit Commun, 62300 Lens</i>, ou <i>en ligne</i>, ou <i>à préciser</i>.",
    "outside_scope": "Ce lieu est hors de votre périmètre d'organisateur.",
}
_STATES = {
    "waiting": "Votre annonce attend l'accord d'un administrateur. Je vous dirai quand elle part.",
    "rejected": "Annonce refusée : son auteur est prévenu.",
}
_FAILURES = {
    "blocked": "bot bloqué",
    "expired": "événement passé",
    "rejected": "refusé par Telegram",
}


def _s(count: int) -> str:
    return "s" if count > 1 else ""


class FrenchDesk(DeskTexts):
    organizer_help = (
        "<b>Organisateurs</b>\n"
        "/newevent — publier : collez une annonce, envoyez un .txt ou remplissez un formulaire\n"
        "/myevents — modifier ou annuler vos événements\n"
        "/announce — écrire aux abonnés d'un événement (#12) ou d'une zone (62, Lens)\n"
        "/cancel — abandonner l'étape en cours"
    )
    admin_help = (
        "<b>Administrateurs</b>\n"
        "/organizers — les organisateurs et les derniers changements\n"
        "/grant &lt;id ou @pseudo&gt; [62, Bretagne…] · /revoke &lt;id ou @pseudo&gt;\n"
        "/approval on|off — exiger votre accord avant chaque annonce\n"
        "/pending — les annonces qui attendent votre accord"
    )
    organizers_only = (
        "Cette commande est réservée aux organisateurs d'événements. Un administrateur du bot "
        "peut vous ouvrir ce rôle."
    )
    admins_only_command = "Cette commande est réservée aux administrateurs du bot."
    private_only = "Écrivez-moi en message privé pour cela."
    not_allowed = "Cette action ne vous est pas permise."
    already_done = "C'est déjà fait."
    newevent_prompt = (
        "<b>Nouvel événement</b>\n"
        "Collez ou transférez le texte de l'annonce, ou envoyez-la en fichier .txt : j'en tirerai "
        "les événements, que vous vérifierez avant de les publier.\n"
        "Pour un seul événement, vous pouvez aussi remplir un formulaire."
    )
    fill_form = "📝 Remplir un formulaire"
    quit_step = "Annuler"
    step_cancelled = "D'accord, j'arrête là."
    file_refused = "Envoyez l'annonce en fichier texte (.txt, UTF-8, 512 Ko au plus)."
    text_too_long = "Ce texte est trop long pour moi : découpez-le en plusieurs annonces."
    no_event_found = (
        "Je ne trouve aucun événement daté dans ce texte. Envoyez une autre annonce, ou "
        "remplissez le formulaire."
    )
    date_tbd = "date à préciser"
    leave_out = "🗑 Ne pas publier"
    take_back = "↩️ Le remettre"
    back_to_list = "‹ Liste"
    drop_all = "🗑 Tout abandonner"
    submission_dropped = "Brouillon abandonné : rien n'a été publié."
    publish_anyway = "Publier quand même"
    saved = "C'est enregistré."
    field_buttons = MappingProxyType(
        {
            "title": "✏️ Titre",
            "date": "📅 Date",
            "time": "🕑 Horaire",
            "place": "📍 Lieu",
            "venue": "🏠 Salle",
        }
    )
    no_events_yet = "Vous n'avez encore publié aucun événement à venir. /newevent pour commencer."
    my_events_heading = "Vos événements (touchez un numéro pour le modifier)"
    manage_event = "⚙️ Gérer"
    announce_button = "📣 Écrire aux abonnés"
    cancel_event = "❌ Annuler l'événement"
    cancel_confirm = "Oui, l'annuler"
    announce_prompt = (
        "<b>Annonce</b>\nÀ qui écrire ? Aux abonnés d'un de vos événements, ou à ceux d'une zone "
        "(<code>/announce 62</code>, <code>/announce Lens</code>, <code>/announce #12</code> pour "
        "l'événement n° 12)."
    )
    announce_area = "📍 Aux abonnés d'une zone"
    ask_area = (
        "Quelle zone ? Un département, une région ou une commune : <i>62</i>, <i>Somme</i>, "
        "<i>Lens</i>."
    )
    unknown_area = (
        "Je ne reconnais pas cette zone. Donnez un département, une région ou une commune."
    )
    drop_announcement = "🗑 Abandonner"
    announcement_dropped = "Annonce abandonnée : rien n'a été envoyé."
    organizers_heading = "Organisateurs"
    no_organizers = "Aucun pour l'instant."
    role_changes_heading = "Derniers changements"
    by = "par"
    grant_usage = (
        "<code>/grant &lt;id ou @pseudo&gt; [départements ou régions]</code> donne le rôle "
        "(<code>/grant @cress_hdf 62, 59</code>) ; "
        "<code>/revoke &lt;id ou @pseudo&gt;</code> le retire."
    )
    everywhere_scope = "partout"
    waiting_for_user = "rôle pris à son prochain message"
    not_an_organizer = "Cette personne n'est pas organisatrice."
    nothing_pending = "Aucune annonce n'attend votre accord."
    approve = "✅ Approuver"
    reject = "🚫 Refuser"

    def drafts_summary(self, total: int, waiting: int, to_check: int) -> str:
        text = f"{total} événement{_s(total)} trouvé{_s(total)}"
        if waiting != total:
            text += f", {waiting} à publier"
        if to_check:
            text += f", dont ⚠️ {to_check} à vérifier"
        return text + ". Touchez un numéro pour voir, corriger ou écarter un événement."

    def publish(self, count: int) -> str:
        return f"✅ Publier {count} événement{_s(count)}"

    def draft_heading(self, position: int) -> str:
        return f"Brouillon n°{position}"

    def warning(self, code: str) -> str:
        return _WARNINGS.get(code, code)

    def published_as(self, event_id: int) -> str:
        return f"✅ Publié : événement n° {event_id}."

    def publish_check(self, numbers: str) -> str:
        return (
            f"⚠️ À vérifier avant publication : n° {numbers}. Corrigez-les, ou publiez quand même."
        )

    def published(self, new: int, known: int, outside: str, undated: int) -> str:
        lines = [f"✅ {new} événement{_s(new)} publié{_s(new)}."]
        if undated:
            lines.append(f"{undated} sans date : visible{_s(undated)} dès que vous la donnerez.")
        if known:
            lines.append(
                f"{known} déjà connu{_s(known)} par une autre annonce : complété{_s(known)}."
            )
        if outside:
            lines.append(f"Hors de votre périmètre, non publié : n° {outside}.")
        lines.append("Les abonnés concernés sont prévenus. /myevents pour les modifier.")
        return "\n".join(lines)

    def ask_field(self, field: str, *, form: bool = False) -> str:
        examples = {
            "title": "Le titre de l'événement ?",
            "date": "La date ? <i>jeudi 19 décembre 2024</i>, <i>19/12/2024</i>, "
            "<i>du 7 au 9 novembre</i>, ou <i>à préciser</i>.",
            "time": "L'horaire ? <i>17h30-20h</i>, <i>14h</i>, ou <i>aucun</i>.",
            "place": "Le lieu ? <i>Toit Commun, 6 rue Lavoisier, 62300 Lens</i>, <i>Lens</i>, "
            "<i>en ligne</i> ou <i>à préciser</i>.",
            "venue": "La salle ou l'établissement ? <i>Maison des associations</i>, ou <i>-</i> "
            "pour aucune.",
        }
        text = examples.get(field, "?")
        if form and field in ("time", "venue"):
            text += " (<i>-</i> pour passer)"
        return text

    def field_error(self, field: str, code: str, detail: str) -> str:
        if code == "weekday":
            return (
                f"Le jour de la semaine ne correspond pas : le {detail} n'est pas ce jour-là. "
                "Vérifiez la date."
            )
        if code == "too_long":
            return f"C'est trop long : {detail} caractères au plus pour {_FIELDS.get(field, '')}."
        if code == "ambiguous":
            return f"Plusieurs communes portent ce nom : {detail}. Ajoutez le code postal."
        return _ERRORS.get(code, _ERRORS["empty"])

    def followers_told(self, notices: int) -> str:
        if not notices:
            return "C'est enregistré."
        return (
            f"C'est enregistré. {notices} abonné{_s(notices)} prévenu{_s(notices)} du changement."
        )

    def cancel_question(self, title: str) -> str:
        return f"Annuler « {title} » ? Ceux qui le suivent seront prévenus."

    def event_cancelled(self, notices: int) -> str:
        return f"Événement annulé. {notices} abonné{_s(notices)} prévenu{_s(notices)}."

    def outside_scope(self, place: str) -> str:
        return f"{place} est hors de votre périmètre d'organisateur : je ne peux pas y écrire."

    def write_announcement(self, target: str) -> str:
        return (
            f"Écrivez votre message aux abonnés ({target}). Il sera envoyé tel quel, liens "
            "compris ; je vous le montre avant l'envoi."
        )

    def announcement_refused(self, code: str) -> str:
        if code == "too_long":
            return "Ce message est trop long : 3 500 caractères au plus."
        return "Votre message est vide."

    def preview_heading(self, recipients: int) -> str:
        return f"<b>Aperçu</b> — {recipients} destinataire{_s(recipients)}"

    def send_to(self, recipients: int) -> str:
        return f"📣 Envoyer à {recipients} abonné{_s(recipients)}"

    def announcement_state(self, state: str, recipients: int) -> str:
        if state == "sending":
            return f"C'est parti : envoi à {recipients} abonné{_s(recipients)}."
        return _STATES.get(state, "C'est fait.")

    def announcement_about(self, title: str) -> str:
        return f"Message des organisateurs de « {title} »"

    def announcement_to(self, area: str) -> str:
        return f"Message aux abonnés : {area}"

    def announcement_progress(self, number: int, sent: int, failed: int, remaining: int) -> str:
        state = "terminé" if not remaining else "en cours"
        return (
            f"📣 Annonce n°{number} — envoi {state}\n"
            f"✅ {sent} envoyé{_s(sent)} · ⚠️ {failed} échec{_s(failed)} · "
            f"⏳ {remaining} restant{_s(remaining)}"
        )

    def announcement_report(
        self, number: int, recipients: int, sent: int, failures: dict[str, int]
    ) -> str:
        lines = [
            f"<b>📊 Rapport de l'annonce n°{number}</b>",
            f"Destinataires : {recipients}",
            f"Envoyés : {sent}",
            f"Échecs : {sum(failures.values())}",
        ]
        for reason, count in sorted(failures.items()):
            lines.append(f"  • {_FAILURES.get(reason, reason)} : {count}")
        return "\n".join(lines)

    def announcement_rejected(self, number: int) -> str:
        return f"Votre annonce n°{number} n'a pas été approuvée : elle ne sera pas envoyée."

    def approval_needed(self, number: int) -> str:
        return f"📣 L'annonce n°{number} attend votre accord : /pending"

    def role_action(self, action: str) -> str:
        return {"grant": "rôle donné", "revoke": "rôle retiré", "claim": "rôle pris"}.get(
            action, action
        )

    def granted(self, who: str, where: str, waiting: bool) -> str:
        text = f"{who} est organisateur ({where})."
        if waiting:
            text += " Le rôle prendra effet à son prochain message au bot."
        return text

    def revoked(self, who: str) -> str:
        return f"{who} n'est plus organisateur. Ses événements restent publiés."

    def unknown_scope(self, words: str) -> str:
        return f"Je ne reconnais pas ce département ou cette région : {words}."

    def approval_state(self, required: bool) -> str:
        if required:
            return (
                "Les annonces attendent désormais l'accord d'un administrateur "
                "(/approval off pour lever)."
            )
        return "Les annonces partent sans accord préalable (/approval on pour l'exiger)."

    def pending_heading(self, number: int, owner: int, recipients: int) -> str:
        return (
            f"<b>Annonce n°{number}</b> de <code>{owner}</code>, pour {recipients} "
            f"destinataire{_s(recipients)}"
        )
