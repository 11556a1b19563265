"""The bot in a terminal: `essbot chat` (a conversation) and `essbot ask` (one reply).

The answers are the Telegram bot's own: HTML becomes plain text, buttons become numbered
choices (type the number to press one), a map is a link, a calendar file is saved.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from essbot.answer import Answerer, Button, Reply, Who
from essbot.clock import Clock

_TAG = re.compile(r"<[^>]+>")
_LOCATION = re.compile(r"/location\s+(-?\d{1,2}(?:\.\d+)?)[\s,]+(-?\d{1,3}(?:\.\d+)?)")
QUIT = {"/quit", "/exit", "quit", "exit", "q"}


def plain(text: str) -> str:
    """Telegram HTML as terminal text: quotes indented, tags dropped, entities read."""
    text = re.sub(
        r"<blockquote>(.*?)</blockquote>",
        lambda m: "\n".join(f"  │ {line}" for line in m[1].splitlines()),
        text,
        flags=re.DOTALL,
    )
    return html.unescape(_TAG.sub("", text))


class ConsoleChat:
    """One console user talking to the bot; remembers the choices last offered."""

    def __init__(
        self,
        answerer: Answerer,
        clock: Clock,
        out: TextIO,
        *,
        language: str = "fr",
        files: Path | None = None,
    ) -> None:
        self.answerer = answerer
        self.clock = clock
        self.out = out
        self.who = Who(user_id=0, chat_id=0, language_code=language)
        self.files = files or Path.cwd()
        self.choices: list[Button] = []

    async def say(self, line: str) -> list[Reply]:
        """What one line typed by the user gets back (and prints it)."""
        line = line.strip()
        now = self.clock.now()
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            button = self.choices[int(line) - 1]
            if button.data is not None:
                replies = await self.answerer.button(self.who, button.data, now)
            else:
                replies = [Reply(button.url or f"@essbot {button.share or ''}")]
        elif match := _LOCATION.fullmatch(line):
            lat, lon = float(match[1]), float(match[2])
            replies = await self.answerer.location(self.who, lat, lon, now)
        elif line.startswith("/"):
            head, _, args = line.partition(" ")
            replies = await self.answerer.command(self.who, head[1:], args, now)
        else:
            replies = await self.answerer.text(self.who, line, now)
        self.show(replies)
        return replies

    def show(self, replies: list[Reply]) -> None:
        """Print replies; their buttons become the choices offered next."""
        choices: list[Button] = []
        for reply in replies:
            if reply.toast:
                self._print(f"[{plain(reply.toast)}]")
            if reply.venue is not None:
                venue = reply.venue
                self._print(
                    f"🗺 {venue.title} — {venue.address}\n"
                    f"https://www.openstreetmap.org/?mlat={venue.lat}&mlon={venue.lon}"
                    f"#map=16/{venue.lat}/{venue.lon}"
                )
            if reply.attachment is not None:
                path = self.files / reply.attachment.filename
                path.write_bytes(reply.attachment.content)
                self._print(f"📎 {path} — {plain(reply.attachment.caption)}")
            if reply.text:
                self._print(plain(reply.text))
            for row in reply.buttons:
                choices.extend(button for button in row if button.data or button.url)
        if choices or any(reply.text for reply in replies):
            self.choices = choices
        if self.choices:
            self._print("\n".join(
                f"  [{number}] {button.hint or button.label}"
                for number, button in enumerate(self.choices, start=1)
            ))  # fmt: skip

    def _print(self, text: str) -> None:
        print(text, file=self.out)
        print(file=self.out)


async def chat(chat_: ConsoleChat, read_line: Callable[[], str], *, greeting: bool = True) -> None:
    """The conversation loop, until end of input or "quit"."""
    if greeting:
        await chat_.say("/start")
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            return
        if line.strip().lower() in QUIT:
            return
        if line.strip():
            await chat_.say(line)
