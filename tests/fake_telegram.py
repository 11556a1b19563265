"""A minimal Telegram Bot API server on 127.0.0.1, enough for long polling and replies."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

BOT = {"id": 1000, "is_bot": True, "first_name": "essbot", "username": "essbot_test_bot"}


class FakeBotApi:
    """Serves queued updates to getUpdates and records what the bot sends."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, str]] = []
        self.tokens: set[str] = set()
        self.message_sent = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The value for ESSBOT_BOT_API_URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def push_text(self, chat_id: int, text: str) -> None:
        """Queue a private message from user chat_id, as Telegram would deliver it."""
        with self._lock:
            update_id = len(self.updates) + 1
            message: dict[str, Any] = {
                "message_id": update_id,
                "date": 1_700_000_000,
                "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
                "text": text,
            }
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            self.updates.append({"update_id": update_id, "message": message})

    def __enter__(self) -> "FakeBotApi":
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, method: str, params: dict[str, str]) -> Any:
        """The result of one Bot API call."""
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return self._get_updates(int(params.get("offset", 0)))
        if method == "sendMessage":
            with self._lock:
                self.sent.append(params)
            self.message_sent.set()
            chat = {"id": int(params["chat_id"]), "type": "private"}
            return {"message_id": 1, "date": 1_700_000_000, "chat": chat, "text": params["text"]}
        return True

    def _get_updates(self, offset: int) -> list[dict[str, Any]]:
        """Updates from offset on; waits a little when there are none, like long polling."""
        deadline = time.monotonic() + 0.2
        while True:
            with self._lock:
                pending = [u for u in self.updates if u["update_id"] >= offset]
            if pending or time.monotonic() > deadline:
                return pending
            time.sleep(0.02)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                token, _, method = self.path.removeprefix("/bot").partition("/")
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = {k: str(v) for k, v in json.loads(body or "{}").items()}
                else:
                    params = dict(parse_qsl(body))
                api.tokens.add(token)
                payload = json.dumps({"ok": True, "result": api._answer(method, params)})
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(payload.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot stopped while a long poll was pending

            def log_message(self, format: str, *args: Any) -> None:
                """Stay quiet."""

        return Handler
