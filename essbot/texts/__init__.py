"""Everything the bot says, one module per language: `texts_for("fr")`, `texts_for("en")`.

Replies are HTML: the texts here are safe as they are; anything interpolated into them must be
escaped by the caller (`html.escape`).
"""

from __future__ import annotations

from essbot.texts.base import Lang, Texts
from essbot.texts.en import English
from essbot.texts.fr import French

LANGUAGES: tuple[Lang, ...] = ("fr", "en")

_TEXTS: dict[str, Texts] = {"fr": French(), "en": English()}


def texts_for(lang: str) -> Texts:
    """The texts of a language; French for any other."""
    return _TEXTS.get(lang, _TEXTS["fr"])


def language_of(code: str | None) -> Lang:
    """The reply language for a Telegram language code: English for "en…", else French."""
    return "en" if code and code.lower().startswith("en") else "fr"


__all__ = ["LANGUAGES", "English", "French", "Lang", "Texts", "language_of", "texts_for"]
