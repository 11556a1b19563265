"""What a message wants, apart from its place and time: a search, a subscription, help, a
greeting, thanks, or nothing the bot understands."""

from __future__ import annotations

import re
from typing import Literal

from essbot.extract.text import fold_same_length

Intent = Literal["search", "subscribe", "help", "greeting", "thanks", "unknown"]


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{'|'.join(phrases)})(?![\w-])")


_GREETING = _words(
    "bonjour", "bonsoir", "salut", "coucou", "hello", "hi", "hey", "yo", "bjr", "slt",
    "good morning", "good evening", "good afternoon",
)  # fmt: skip
_THANKS = _words(
    "merci(?: beaucoup| bien)?", "thanks?(?: you)?", "thx", "cool", "super", "parfait", "top",
    "genial", "great", "perfect", "nice", "ok", "d'accord", "bravo",
)  # fmt: skip
_HELP = _words(
    "aide", "help", "aidez-moi", "comment (?:ca marche|faire|utiliser)", "mode d'emploi",
    "que (?:sais|peux)-tu faire", "what can you do", "how does (?:it|this) work", "commandes?",
    "commands?", r"\?+",
)  # fmt: skip
_SUBSCRIBE = _words(
    "abonne(?:r|z)?(?:-moi)?", "m'abonner", "abonnement", "s'abonner", "je m'abonne",
    "subscribe", "subscription", "previens(?:-moi)?", "prevenez(?:-moi)?", "alerte(?:s|z-moi)?",
    "notify me", "keep me posted", "let me know", "tiens-moi au courant",
)  # fmt: skip
_SEARCH = _words(
    "quoi de prevu", "qu'est-ce qu'il y a", "qu'y a-t-il", "y a-t-il", "il y a quoi", "quoi faire",
    "evenements?", "evenement", "agenda", "programme", "sorties?", "rendez-vous", "prochains?",
    "prochaines?", "a venir", "what's on", "whats on", "what is on", "what's happening",
    "what's near", "anything", "events?", "upcoming", "happening", "ess", "cherche",
    "trouve", "find", "search", "show", "montre", "liste", "list",
)  # fmt: skip
# Letters of any script: a message without any is emoji or punctuation only.
_LETTER = re.compile(r"[^\W\d_]")


def read_intent(text: str, *, has_place: bool, has_time: bool, has_keywords: bool) -> Intent:
    """The intent of a message, given what else was read in it: "Bonjour" is a greeting,
    "Bonjour, quoi de prévu à Lens ?" a search."""
    folded = fold_same_length(text).strip()
    if _SUBSCRIBE.search(folded):
        return "subscribe"
    if has_place or has_time or has_keywords or _SEARCH.search(folded):
        return "search"
    if _HELP.search(folded):
        return "help"
    if _THANKS.search(folded):
        return "thanks"
    if _GREETING.search(folded):
        return "greeting"
    return "unknown"


def has_letters(text: str) -> bool:
    """Whether a message holds any letter (not only emoji, digits or punctuation)."""
    return _LETTER.search(text) is not None
