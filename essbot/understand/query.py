"""The understood question: intent, place, radius, dates, keywords and language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from essbot.understand.intent import Intent
from essbot.understand.where import Where

Lang = Literal["fr", "en"]


@dataclass(frozen=True, slots=True)
class Query:
    """What a message asks. Dates are the user's local dates, both ends included; None is
    open ("upcoming": from today, no end)."""

    intent: Intent
    where: Where
    date_from: date | None
    date_to: date | None
    keywords: tuple[str, ...] = ()
    lang: Lang = "fr"
    text: str = ""
    when_said: str = ""  # the time phrase as read, empty when none was given

    @property
    def radius_km(self) -> float | None:
        return self.where.radius_km

    def to_json(self) -> dict[str, Any]:
        """The shape `essbot parse --json` prints (see DESIGN.md)."""
        where = self.where
        kind = where.kind if where.kind in ("commune", "department", "region", "point") else "none"
        place = where.place
        return {
            "intent": self.intent,
            "place": {
                "kind": kind,
                "code": place.code if place and kind != "point" else None,
                "name": place.name if place and kind != "point" else None,
                "lat": where.lat if kind != "none" else None,
                "lon": where.lon if kind != "none" else None,
            },
            "radius_km": where.radius_km,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "keywords": list(self.keywords),
            "lang": self.lang,
        }
