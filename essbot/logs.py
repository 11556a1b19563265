"""Logging, set up once per process, with secrets redacted."""

import logging
from collections.abc import Iterable

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """A formatter that blanks out secrets anywhere in the line, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = [secret for secret in secrets if secret]

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then replace every secret."""
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def setup_logging(level: int = logging.INFO, *, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at this level; quiet chatty libraries; never print the secrets."""
    root = logging.getLogger()
    # Calling this again replaces our handler instead of adding a second one.
    for handler in root.handlers[:]:
        if isinstance(handler.formatter, RedactingFormatter):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(FORMAT, secrets))
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
