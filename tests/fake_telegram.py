"""A local stand-in for the Telegram Bot API server on 127.0.0.1.

It serves queued updates to getUpdates (long polling), records every call, and answers with
the objects Telegram would return. Like Telegram, it rejects what Telegram rejects in the
common cases (malformed HTML, messages over 4096 characters, oversized callback data, edits
that change nothing, unknown callback query ids), unless built with `strict=False`.
"""

from __future__ import annotations

import collections
import copy
import email.parser
import email.policy
import html
import itertools
import json
import mimetypes
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT: dict[str, Any] = {
    "id": 1000,
    "is_bot": True,
    "first_name": "essbot",
    "username": "essbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
GROUP_USER_ID = 4242
"""The sender of group messages when no user_id is given: not the chat, not the bot."""
GROUP_TITLE = "ESS test group"
MAX_POLL_SECONDS = 1.0
"""Long polls return empty after at most this long, whatever timeout the bot asks for."""
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_RESULTS = 50
DEFAULT_ALLOWED = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
"""What getUpdates delivers when allowed_updates is an empty list or was never set."""
FREE_TEXT_PARAMS = frozenset(
    {"text", "caption", "title", "address", "description", "query", "short_description"}
)
"""Parameters never decoded as JSON, even when they look like it."""
BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
LEADING_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
MENTION = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_])")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
ATTRIBUTE = re.compile(r"""([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

Params = dict[str, Any]
Files = dict[str, tuple[str, bytes]]


@dataclass(frozen=True)
class Call:
    """One Bot API request: JSON-looking parameters decoded, uploaded files as (name, bytes),
    and what the fake answered (`result`, or the `error` description)."""

    method: str
    params: Params
    files: Files = field(default_factory=dict)
    result: Any = None
    error: str | None = None
    at: float = 0.0  # time.monotonic() when the fake answered


class ApiError(Exception):
    """A Bot API error answer, as {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(
        self, description: str, error_code: int = 400, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.parameters = parameters


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def render_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of an HTML-formatted text, as Telegram parses parse_mode=HTML;
    ApiError for what Telegram refuses (unknown tags, unbalanced tags, bare '<')."""
    pieces: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, dict[str, str], int]] = []
    offset = pos = 0
    while pos <= len(source):
        lt = source.find("<", pos)
        plain = html.unescape(source[pos : len(source) if lt < 0 else lt])
        pieces.append(plain)
        offset += utf16_length(plain)
        if lt < 0:
            break
        at_byte = len(source[:lt].encode())
        match = TAG.match(source, lt)
        if match is None:
            raise ApiError(
                "Bad Request: can't parse entities: "
                f'Unsupported start tag "" at byte offset {at_byte}'
            )
        closing, name, rest = match[1], match[2].lower(), match[3]
        if not closing:
            if name not in HTML_ENTITY_TYPES:
                raise ApiError(
                    "Bad Request: can't parse entities: "
                    f'Unsupported start tag "{name}" at byte offset {at_byte}'
                )
            attributes = {
                a[1].lower(): a[2] or a[3] or a[4] or "" for a in ATTRIBUTE.finditer(rest)
            }
            if name == "span" and attributes.get("class") != "tg-spoiler":
                raise ApiError(
                    "Bad Request: can't parse entities: "
                    f'Tag "span" must have class "tg-spoiler" at byte offset {at_byte}'
                )
            stack.append((name, attributes, offset))
        else:
            if not stack:
                raise ApiError(
                    f"Bad Request: can't parse entities: Unexpected end tag at byte offset {at_byte}"
                )
            opened, attributes, start = stack.pop()
            if opened != name:
                raise ApiError(
                    "Bad Request: can't parse entities: Unmatched end tag at byte offset "
                    f'{at_byte}, expected "</{opened}>", found "</{name}>"'
                )
            language = attributes.get("class", "").removeprefix("language-")
            if name == "code" and stack and stack[-1][0] == "pre" and language:
                stack[-1][1]["language"] = language  # <pre><code class="language-x">: one entity
            elif offset > start:
                entities.append(_html_entity(name, attributes, start, offset - start))
        pos = match.end()
    if stack:
        raise ApiError(
            "Bad Request: can't parse entities: "
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(pieces), entities


def _html_entity(name: str, attributes: dict[str, str], offset: int, length: int) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": HTML_ENTITY_TYPES[name], "offset": offset, "length": length}
    if name == "a":
        entity["url"] = attributes.get("href", "")
    elif name == "pre" and attributes.get("language"):
        entity["language"] = attributes["language"]
    elif name == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attributes.get("emoji-id", "")
    return entity


def decode_param(name: str, value: str) -> Any:
    """A form value as sent: objects and arrays (reply_markup, entities, results, commands…)
    decoded from JSON; everything else, including numbers, kept as the string on the wire."""
    if name in FREE_TEXT_PARAMS or not value.lstrip().startswith(("{", "[")):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _wire(value: Any) -> Any:
    """A value from a JSON request body in the form a form-encoded request would carry it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], Files]:
    """Fields and files of a multipart/form-data body."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, str] = {}
    files: Files = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        name = _header_text(part.get_param("name", header="content-disposition"))
        data = part.get_payload(decode=True)
        content = data if isinstance(data, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (_header_text(filename), content)
        else:
            fields[name] = content.decode()
    return fields, files


def _header_text(value: Any) -> str:
    """A header parameter as text; raw UTF-8 bytes in headers arrive surrogate-escaped."""
    text = value if isinstance(value, str) else str(value or "")
    try:
        return text.encode("ascii", "surrogateescape").decode()
    except UnicodeError:
        return text


def _as_int(value: Any) -> int | str:
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _location(latitude: Any, longitude: Any) -> dict[str, float]:
    return {"latitude": float(latitude), "longitude": float(longitude)}


class FakeBotApi:
    """Serves queued updates to getUpdates, records every call, answers like Telegram.

    Use as a context manager; point python-telegram-bot at `base_url`.
    """

    def __init__(self, *, strict: bool = True, rate_limit: float | None = None) -> None:
        self.strict = strict
        self.rate_limit = rate_limit
        """Messages a second the fake accepts (over any second), else 429 like Telegram."""
        self._recent: collections.deque[float] = collections.deque()
        self.updates: list[dict[str, Any]] = []
        self.calls: list[Call] = []
        self.sent: list[Params] = []
        """Parameters of each successful sendMessage."""
        self.tokens: set[str] = set()
        self.messages: dict[int, dict[str, Any]] = {}
        """Every message by id, as it now stands: pushed by users or sent/edited by the bot."""
        self.message_sent = threading.Event()
        """Set by every successful sendMessage."""
        self.on_send: Callable[[Call], None] | None = None
        """Called (on the server thread, before the answer goes out) after every call that
        sent or edited a message; may push updates in response."""
        self._condition = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._confirmed_before = 0
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._pushed_queries: set[str] = set()
        self._answered_queries: set[str] = set()
        self._chats: dict[int, dict[str, Any]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._closed = False
        self.admins: dict[int, set[int]] = {}
        """Group chat id -> the user ids getChatMember reports as administrators."""
        self.blocked: set[int] = set()
        """Chat ids whose users blocked the bot: sendMessage to them answers 403."""
        self.files: dict[str, bytes] = {}
        """Files users sent, by file id: getFile names them, /file/bot<token>/<path> serves them."""
        self._methods: dict[str, tuple[str, Callable[[Params, Files], Any]]] = {
            name.lower(): (name, answer)
            for name, answer in {
                "getMe": lambda p, f: BOT,
                "getUpdates": self._get_updates,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": lambda p, f: True,
                "sendDocument": self._send_document,
                "sendVenue": self._send_venue,
                "sendLocation": self._send_location,
                "sendChatAction": lambda p, f: True,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "getChatMember": self._get_chat_member,
                "getFile": self._get_file,
                "deleteMyCommands": self._delete_my_commands,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "close": lambda p, f: True,
                "logOut": lambda p, f: True,
            }.items()
        }
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """The value for ESSBOT_BOT_API_URL and ApplicationBuilder().base_url()."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()  # end pending long polls
        self._server.shutdown()
        self._server.server_close()

    # Recorded calls

    def calls_of(self, method: str) -> list[Call]:
        """The calls of one method (any case), in the order they were answered."""
        name = self._canonical(method)
        with self._condition:
            return [call for call in self.calls if call.method == name]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until at least `count` calls of `method` were answered (since the start or the
        last clear()); all those calls. AssertionError on timeout."""
        name = self._canonical(method)
        with self._condition:
            arrived = self._condition.wait_for(
                lambda: sum(call.method == name for call in self.calls) >= count, timeout
            )
            calls = [call for call in self.calls if call.method == name]
            if not arrived:
                raise AssertionError(
                    f"expected {count} {name} call(s) within {timeout:g} s, got {len(calls)}; "
                    f"calls so far: {self._summary()}"
                )
            return calls

    def _summary(self) -> str:
        """The calls so far, long polls left out, errors shown."""
        seen = [
            f"{call.method} ({call.error})" if call.error else call.method
            for call in self.calls
            if call.method != "getUpdates" or call.error
        ]
        return ", ".join(seen) or "none"

    def clear(self) -> None:
        """Forget recorded calls and sent messages, and reset `message_sent`; queued updates,
        messages and chats stay."""
        with self._condition:
            self.calls.clear()
            self.sent.clear()
            self.message_sent.clear()

    def commands_for(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]] | None:
        """The commands set for a language ("" for all) and scope (default scope if None)."""
        with self._condition:
            return self._commands.get((self._scope_key(scope), language_code))

    def fail(
        self,
        method: str,
        description: str = "Bad Request: injected failure",
        *,
        error_code: int = 400,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with this error (e.g. 403 "Forbidden: bot
        was blocked by the user", or 429 with retry_after)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        with self._condition:
            queue = self._failures.setdefault(self._canonical(method), [])
            queue.extend(ApiError(description, error_code, parameters) for _ in range(times))

    # Updates

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue any update (`kind` is its field: "edited_message", "my_chat_member"…)."""
        with self._condition:
            update_id = next(self._update_ids)
            self.updates.append({"update_id": update_id, kind: payload})
            self._condition.notify_all()
        return update_id

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        language_code: str | None = "fr",
        chat_type: str = "private",
        user_id: int | None = None,
        first_name: str = "Ana",
        reply_to: int | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Queue a text message, with the entities Telegram adds (bot_command for /commands,
        including /cmd@bot forms; mention for @usernames); `reply_to` is the id of the message
        it replies to. The update id and the message."""
        entities: list[dict[str, Any]] = []
        for match in COMMAND.finditer(text):
            entities.append(self._entity("bot_command", text, match.start(), match.end()))
        for match in MENTION.finditer(text):
            entities.append(self._entity("mention", text, match.start(), match.end()))
        entities.sort(key=lambda e: int(e["offset"]))
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        if reply_to is not None:
            fields["reply_to_message"] = self._message_copy(reply_to, chat_id)
        return self._push_message(chat_id, chat_type, user_id, first_name, language_code, fields)

    def push_document(
        self,
        chat_id: int,
        file_name: str,
        content: bytes,
        *,
        mime_type: str = "text/plain",
        caption: str | None = None,
        language_code: str | None = "fr",
        user_id: int | None = None,
        first_name: str = "Ana",
    ) -> tuple[int, dict[str, Any]]:
        """Queue a file sent by a user in a private chat. The update id and the message."""
        number = next(self._file_ids)
        file_id = f"user-file-{number}"
        with self._condition:
            self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{number}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        fields: dict[str, Any] = {"document": document}
        if caption is not None:
            fields["caption"] = caption
        return self._push_message(chat_id, "private", user_id, first_name, language_code, fields)

    def push_location(
        self,
        chat_id: int,
        lat: float,
        lon: float,
        *,
        language_code: str | None = "fr",
        chat_type: str = "private",
        user_id: int | None = None,
        first_name: str = "Ana",
    ) -> tuple[int, dict[str, Any]]:
        """Queue a shared location. The update id and the message."""
        fields = {"location": _location(lat, lon)}
        return self._push_message(chat_id, chat_type, user_id, first_name, language_code, fields)

    def push_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        message_text: str | None = None,
        language_code: str | None = "fr",
        user_id: int | None = None,
        first_name: str = "Ana",
    ) -> int:
        """Queue a press on an inline button with callback `data`, on message `message_id` of
        the chat: that message as the bot sent it if known (with `message_text` replacing its
        text if given), else a message from the bot with `message_text` (default "…")."""
        chat = self._known_chat(chat_id, first_name)
        user = self._user(self._sender_id(chat, user_id), first_name, language_code)
        with self._condition:
            known = self.messages.get(message_id)
            if known is not None and known["chat"]["id"] == chat_id:
                message = copy.deepcopy(known)
            else:
                message = {"message_id": message_id, "from": BOT, "chat": chat, "text": "…"}
                message["date"] = int(time.time())
            if message_text is not None:
                message["text"] = message_text
                message.pop("entities", None)
            query_id = str(6_000_000_000_000_000 + next(self._query_ids))
            self._pushed_queries.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": message,
            "chat_instance": str(-3_000_000_000_000_000 - chat_id),
            "data": data,
        }
        return self.push_update("callback_query", query)

    def push_inline(
        self,
        user_id: int,
        query: str,
        *,
        language_code: str | None = "fr",
        first_name: str = "Ana",
        chat_type: str | None = None,
    ) -> int:
        """Queue an inline query (`@bot query` typed in any chat)."""
        query_id = str(7_000_000_000_000_000 + next(self._query_ids))
        with self._condition:
            self._pushed_queries.add(query_id)
        inline: dict[str, Any] = {
            "id": query_id,
            "from": self._user(user_id, first_name, language_code),
            "query": query,
            "offset": "",
        }
        if chat_type is not None:
            inline["chat_type"] = chat_type
        return self.push_update("inline_query", inline)

    def press(self, on: Call | dict[str, Any], label: str, **options: Any) -> int:
        """Press the inline button labelled `label` on a message the bot sent (its Call, or
        the message): push its callback_query. Options as for push_callback."""
        message = on.result if isinstance(on, Call) else on
        if not isinstance(message, dict) or "message_id" not in message:
            raise AssertionError(f"not a message: {message!r}")
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        for button in buttons:
            if button.get("text") == label and "callback_data" in button:
                return self.push_callback(
                    message["chat"]["id"],
                    button["callback_data"],
                    message_id=message["message_id"],
                    **options,
                )
        labels = [button.get("text") for button in buttons if "callback_data" in button]
        raise AssertionError(f"no callback button {label!r}; callback buttons: {labels}")

    # Building updates and messages

    def _push_message(
        self,
        chat_id: int,
        chat_type: str,
        user_id: int | None,
        first_name: str,
        language_code: str | None,
        fields: dict[str, Any],
    ) -> tuple[int, dict[str, Any]]:
        chat = self._new_chat(chat_id, chat_type, first_name)
        user = self._user(self._sender_id(chat, user_id), first_name, language_code)
        with self._condition:
            message = {
                "message_id": next(self._message_ids),
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                **fields,
            }
            self.messages[message["message_id"]] = message
            update_id = self.push_update("message", copy.deepcopy(message))
        return update_id, copy.deepcopy(message)

    def _new_chat(self, chat_id: int, chat_type: str, first_name: str) -> dict[str, Any]:
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError(f"private chats have positive ids, not {chat_id}")
            chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
        elif chat_type in ("group", "supergroup"):
            if chat_id >= 0:
                raise ValueError(f"{chat_type} chats have negative ids, not {chat_id}")
            chat = {"id": chat_id, "type": chat_type, "title": GROUP_TITLE}
        else:
            raise ValueError(f"unsupported chat type {chat_type!r}")
        with self._condition:
            self._chats[chat_id] = chat
        return chat

    def _known_chat(self, chat_id: int | str, first_name: str = "Ana") -> dict[str, Any]:
        """A chat seen in a pushed update, else a private chat (positive id), a supergroup
        (-100… id), a group (other negative id) or a channel (@username)."""
        with self._condition:
            known = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if known is not None:
            return known
        if isinstance(chat_id, str):
            name = chat_id.removeprefix("@")
            return {"id": -1_001_000_000_000, "type": "channel", "username": name, "title": name}
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": first_name}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": GROUP_TITLE}

    @staticmethod
    def _sender_id(chat: dict[str, Any], user_id: int | None) -> int:
        if chat["type"] != "private":
            return GROUP_USER_ID if user_id is None else user_id
        if user_id is not None and user_id != chat["id"]:
            raise ValueError("in a private chat, the user id is the chat id")
        return int(chat["id"])

    @staticmethod
    def _user(user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            user["language_code"] = language_code
        return user

    @staticmethod
    def _entity(kind: str, text: str, start: int, end: int) -> dict[str, Any]:
        offset = utf16_length(text[:start])
        return {"type": kind, "offset": offset, "length": utf16_length(text[start:end])}

    def _message_copy(self, message_id: int, chat_id: int | str) -> dict[str, Any]:
        with self._condition:
            known = self.messages.get(message_id)
            if known is not None:
                return copy.deepcopy(known)
        chat = self._known_chat(chat_id)
        return {"message_id": message_id, "from": BOT, "chat": chat, "date": int(time.time())}

    def _bot_message(self, params: Params, **fields: Any) -> dict[str, Any]:
        """A new message from the bot in params["chat_id"], stored and returned."""
        chat_id = _as_int(params.get("chat_id"))
        message: dict[str, Any] = {"from": BOT, "chat": self._known_chat(chat_id)}
        message["date"] = int(time.time())
        reply = params.get("reply_parameters")
        reply_to = reply.get("message_id") if isinstance(reply, dict) else None
        reply_to = reply_to or params.get("reply_to_message_id")
        if reply_to is not None:
            message["reply_to_message"] = self._message_copy(int(reply_to), chat_id)
        message.update({k: v for k, v in fields.items() if v})
        markup = self._inline_keyboard(params)
        if markup is not None:
            message["reply_markup"] = markup
        with self._condition:
            message = {"message_id": next(self._message_ids), **message}
            self.messages[message["message_id"]] = message
        return message

    # Checks Telegram makes

    def _formatted(
        self, params: Params, key: str = "text", limit: int = MAX_TEXT
    ) -> tuple[str, list[dict[str, Any]]]:
        """The text as Telegram shows it, and its entities."""
        source = str(params.get(key, ""))
        if str(params.get("parse_mode", "")).lower() == "html":
            text, entities = render_html(source)
        else:
            given = params.get("entities" if key == "text" else f"{key}_entities")
            text, entities = source, given if isinstance(given, list) else []
        if self.strict and key == "text" and not text.strip():
            raise ApiError("Bad Request: message text is empty")
        if self.strict and len(text) > limit:
            what = "message is too long" if key == "text" else "message caption is too long"
            raise ApiError(f"Bad Request: {what}")
        return text, entities

    def _inline_keyboard(self, params: Params) -> dict[str, Any] | None:
        """The inline keyboard of params["reply_markup"] (checked), if any."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        if self.strict:
            self._check_keyboard(markup)
        return markup

    @staticmethod
    def _check_keyboard(markup: dict[str, Any]) -> None:
        for row in markup["inline_keyboard"]:
            for button in row:
                if not BUTTON_ACTIONS & button.keys():
                    raise ApiError("Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError("Bad Request: BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                    raise ApiError("Bad Request: BUTTON_URL_INVALID")

    def _close_query(self, params: Params, key: str) -> None:
        """A pushed query is answered once. Ids the fake did not push (updates built by hand
        and fed to the Application) are taken on trust."""
        query_id = str(params.get(key, ""))
        with self._condition:
            again = query_id in self._answered_queries
            if query_id in self._pushed_queries:
                self._answered_queries.add(query_id)
        if self.strict and again:
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )

    # Methods

    def _get_updates(self, params: Params, files: Files) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), MAX_POLL_SECONDS)
        allowed = params.get("allowed_updates")
        with self._condition:
            if isinstance(allowed, list):
                self._allowed = frozenset(allowed) or DEFAULT_ALLOWED
            if offset > 0:
                self._confirmed_before = max(self._confirmed_before, offset)

            def pending() -> list[dict[str, Any]]:
                return [
                    update
                    for update in self.updates
                    if update["update_id"] >= self._confirmed_before
                    and not self._allowed.isdisjoint(update.keys())
                ][:limit]

            self._condition.wait_for(lambda: self._closed or bool(pending()), wait)
            return pending()

    def _send_message(self, params: Params, files: Files) -> dict[str, Any]:
        if self.rate_limit is not None:
            self._check_rate()
        if _as_int(params.get("chat_id")) in self.blocked:
            raise ApiError("Forbidden: bot was blocked by the user", 403)
        text, entities = self._formatted(params)
        return self._bot_message(params, text=text, entities=entities)

    def _check_rate(self) -> None:
        """Refuse a message over the limit in the last second, as Telegram's flood control."""
        assert self.rate_limit is not None
        now = time.monotonic()
        with self._condition:
            while self._recent and self._recent[0] <= now - 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.rate_limit:
                raise ApiError("Too Many Requests: retry after 1", 429, {"retry_after": 1})
            self._recent.append(now)

    def _edit_message_text(self, params: Params, files: Files) -> Any:
        text, entities = self._formatted(params)
        return self._edit(params, text=text, entities=entities)

    def _edit_message_reply_markup(self, params: Params, files: Files) -> Any:
        return self._edit(params)

    def _edit(self, params: Params, **content: Any) -> Any:
        """Edit a message: True for inline messages, else the edited Message. Like Telegram,
        an edit without reply_markup removes the inline keyboard."""
        markup = self._inline_keyboard(params)
        if params.get("inline_message_id"):
            return True
        message_id = int(params.get("message_id") or 0)
        chat_id = _as_int(params.get("chat_id"))
        with self._condition:
            known = self.messages.get(message_id)
        if known is None or known["chat"]["id"] != chat_id:  # not sent through the fake
            known = self._message_copy(message_id, chat_id)
        edited = {k: v for k, v in known.items() if k not in ("reply_markup", "edit_date")}
        for key, value in content.items():
            edited.pop(key, None)
            if value:
                edited[key] = value
        if markup is not None:
            edited["reply_markup"] = markup
        unchanged = {k: v for k, v in known.items() if k != "edit_date"} == edited
        if self.strict and unchanged:
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        edited["edit_date"] = int(time.time())
        with self._condition:
            self.messages[message_id] = edited
        return edited

    def _get_file(self, params: Params, files: Files) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        with self._condition:
            content = self.files.get(file_id)
        if content is None:
            raise ApiError("Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": f"documents/{file_id}",
        }

    def _send_document(self, params: Params, files: Files) -> dict[str, Any]:
        document = params.get("document")
        if "document" in files:
            name, content = files["document"]
            size: int | None = len(content)
        elif isinstance(document, str) and document.startswith("attach://"):
            name, content = files[document.removeprefix("attach://")]
            size = len(content)
        else:  # a file_id or a URL
            name, size = str(document).rsplit("/", 1)[-1], None
        number = next(self._file_ids)
        info: dict[str, Any] = {
            "file_id": f"BQACAgQAAxkBAAI{number:08d}",
            "file_unique_id": f"AgAD{number:08d}",
            "file_name": name,
            "mime_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
        }
        if size is not None:
            info["file_size"] = size
        caption, entities = self._formatted(params, "caption", MAX_CAPTION)
        return self._bot_message(params, document=info, caption=caption, caption_entities=entities)

    def _send_venue(self, params: Params, files: Files) -> dict[str, Any]:
        location = _location(params["latitude"], params["longitude"])
        venue: dict[str, Any] = {
            "location": location,
            "title": params.get("title", ""),
            "address": params.get("address", ""),
        }
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if key in params:
                venue[key] = params[key]
        return self._bot_message(params, location=location, venue=venue)

    def _send_location(self, params: Params, files: Files) -> dict[str, Any]:
        location = _location(params["latitude"], params["longitude"])
        return self._bot_message(params, location=location)

    def _answer_callback_query(self, params: Params, files: Files) -> bool:
        if self.strict and len(str(params.get("text", ""))) > MAX_CALLBACK_ANSWER:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        self._close_query(params, "callback_query_id")
        return True

    def _answer_inline_query(self, params: Params, files: Files) -> bool:
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError("Bad Request: can't parse inline query results JSON object")
        if self.strict:
            if len(results) > MAX_INLINE_RESULTS:
                raise ApiError("Bad Request: RESULTS_TOO_MUCH")
            ids = [str(result.get("id", "")) for result in results]
            if len(set(ids)) != len(ids):
                raise ApiError("Bad Request: RESULT_ID_DUPLICATE")
            if any(not 1 <= len(i.encode()) <= 64 for i in ids):
                raise ApiError("Bad Request: RESULT_ID_INVALID")
            for result in results:
                content = result.get("input_message_content")
                if isinstance(content, dict) and "message_text" in content:
                    self._formatted({"text": content["message_text"], **content})
                self._inline_keyboard(result)
        self._close_query(params, "inline_query_id")
        return True

    @staticmethod
    def _scope_key(scope: Any) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    def _set_my_commands(self, params: Params, files: Files) -> bool:
        commands = params.get("commands")
        language = str(params.get("language_code", ""))
        if not isinstance(commands, list):
            raise ApiError("Bad Request: can't parse commands JSON object")
        if self.strict:
            if language and not re.fullmatch(r"[a-z]{2}", language):
                raise ApiError("Bad Request: LANG_CODE_INVALID")
            for command in commands:
                if not COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                    raise ApiError("Bad Request: BOT_COMMAND_INVALID")
                if not 1 <= len(str(command.get("description", ""))) <= 256:
                    raise ApiError("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        with self._condition:
            self._commands[(self._scope_key(params.get("scope")), language)] = commands
        return True

    def _get_chat_member(self, params: Params, files: Files) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        admin = user_id in self.admins.get(chat_id, set())
        user = {"id": user_id, "is_bot": False, "first_name": "Ana"}
        if admin:
            return {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
        return {"status": "member", "user": user}

    def _get_my_commands(self, params: Params, files: Files) -> list[dict[str, Any]]:
        language = str(params.get("language_code", ""))
        return self.commands_for(language, params.get("scope")) or []

    def _delete_my_commands(self, params: Params, files: Files) -> bool:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code", "")))
        with self._condition:
            self._commands.pop(key, None)
        return True

    def _delete_webhook(self, params: Params, files: Files) -> bool:
        if params.get("drop_pending_updates") == "true":
            with self._condition:
                self._confirmed_before = next(self._update_ids)
        return True

    def _get_webhook_info(self, params: Params, files: Files) -> dict[str, Any]:
        with self._condition:
            count = sum(u["update_id"] >= self._confirmed_before for u in self.updates)
        return {"url": "", "has_custom_certificate": False, "pending_update_count": count}

    # Dispatch

    def _canonical(self, method: str) -> str:
        known = self._methods.get(method.lower())
        return known[0] if known else method

    def _call(self, method: str, params: Params, files: Files) -> tuple[int, dict[str, Any]]:
        """Answer one call, record it; the HTTP status and the JSON answer."""
        name, answer = self._methods.get(method.lower(), (method, None))
        with self._condition:
            failures = self._failures.get(name)
            failure = failures.pop(0) if failures else None
        try:
            if failure is not None:
                raise failure
            if answer is None:
                raise ApiError("Not Found: method not found", 404)
            result, error = answer(params, files), None
        except ApiError as exc:
            result, error = None, exc
        except (KeyError, ValueError, TypeError) as exc:
            result, error = None, ApiError(f"Bad Request: invalid parameters ({exc!r})")
        call = Call(
            name, params, files, result, error.description if error else None, time.monotonic()
        )
        with self._condition:
            self.calls.append(call)
            if name == "sendMessage" and error is None:
                self.sent.append(params)
                self.message_sent.set()
            self._condition.notify_all()
        if error is None and isinstance(result, dict) and "message_id" in result and self.on_send:
            self.on_send(call)
        if error is not None:
            payload: dict[str, Any] = {
                "ok": False,
                "error_code": error.error_code,
                "description": error.description,
            }
            if error.parameters:
                payload["parameters"] = error.parameters
            return error.error_code, payload
        return 200, {"ok": True, "result": result}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path.startswith("/file/bot"):
                    self._serve_file(path.rpartition("/")[2])
                    return
                self._handle(self._query_params())

            def _serve_file(self, file_id: str) -> None:
                with api._condition:
                    content = api.files.get(file_id)
                self.send_response(200 if content is not None else 404)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(content or b"")))
                self.end_headers()
                self.wfile.write(content or b"")

            def do_POST(self) -> None:
                self._handle(self._body_params())

            def _query_params(self) -> tuple[dict[str, Any], Files]:
                query = urlsplit(self.path).query
                return dict(parse_qsl(query, keep_blank_values=True)), {}

            def _body_params(self) -> tuple[dict[str, Any], Files]:
                body = self._body()
                kind = self.headers.get_content_type()
                if kind == "application/json":
                    loaded = json.loads(body or b"{}")
                    return {k: _wire(v) for k, v in loaded.items() if v is not None}, {}
                if kind == "multipart/form-data":
                    return parse_multipart(self.headers["Content-Type"], body)
                query = self._query_params()[0]
                return {**query, **dict(parse_qsl(body.decode(), keep_blank_values=True))}, {}

            def _body(self) -> bytes:
                if "chunked" not in self.headers.get("Transfer-Encoding", "").lower():
                    return self.rfile.read(int(self.headers.get("Content-Length") or 0))
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)

            def _handle(self, request: tuple[dict[str, Any], Files]) -> None:
                path = urlsplit(self.path).path
                if path.startswith("/bot") and "/" in path[4:]:
                    token, _, method = path.removeprefix("/bot").partition("/")
                    with api._condition:
                        api.tokens.add(token)
                    raw, files = request
                    params = {
                        k: decode_param(k, v) if isinstance(v, str) else v for k, v in raw.items()
                    }
                    status, answer = api._call(method, params, files)
                else:
                    status, answer = (
                        404,
                        {"ok": False, "error_code": 404, "description": "Not Found"},
                    )
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot stopped while a long poll was pending

            def log_message(self, format: str, *args: Any) -> None:
                """Stay quiet."""

        return Handler
