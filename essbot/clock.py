"""The one source of "now": nothing else in essbot reads the real time."""

import time
from datetime import UTC, datetime, timedelta


def as_utc(instant: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()}: a time zone is required")
    return instant.astimezone(UTC)


class Clock:
    """Real time, or time that starts at a given instant and then runs normally."""

    def __init__(self, start: datetime | None = None) -> None:
        self._start = None if start is None else as_utc(start)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        if self._start is None:
            return datetime.now(UTC)
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class FrozenClock(Clock):
    """A clock that stands still until told to move (for tests and replays)."""

    def __init__(self, instant: datetime) -> None:
        super().__init__(instant)
        self._instant = as_utc(instant)

    def now(self) -> datetime:
        """The instant the clock was set to."""
        return self._instant

    def set(self, instant: datetime) -> None:
        """Move the clock to this instant."""
        self._instant = as_utc(instant)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by delta."""
        self._instant += delta


class Stopwatch:
    """Measures how long a block takes: `with Stopwatch() as watch: ...; watch.seconds`."""

    def __init__(self) -> None:
        self._started = 0.0
        self.seconds = 0.0

    def __enter__(self) -> "Stopwatch":
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self._started
