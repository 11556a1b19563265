"""Logging never prints secrets."""

import logging
import sys

from essbot.logs import REDACTED, RedactingFormatter

TOKEN = "123456:AAE-secret"


def record(message: str, *, with_error: bool = False) -> logging.LogRecord:
    """A log record, optionally carrying the exception being handled."""
    exc_info = None
    if with_error:
        try:
            raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
        except RuntimeError:
            exc_info = sys.exc_info()
    return logging.LogRecord("essbot", logging.ERROR, __file__, 1, message, (), exc_info)


def test_secret_in_a_message_is_redacted() -> None:
    text = RedactingFormatter("%(message)s", [TOKEN]).format(record(f"token is {TOKEN}"))
    assert TOKEN not in text
    assert f"token is {REDACTED}" in text


def test_secret_in_a_traceback_is_redacted() -> None:
    text = RedactingFormatter("%(message)s", [TOKEN]).format(record("failed", with_error=True))
    assert "RuntimeError" in text
    assert TOKEN not in text


def test_no_secret_changes_nothing() -> None:
    assert RedactingFormatter("%(message)s", []).format(record("hello")) == "hello"
