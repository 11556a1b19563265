"""The clock: real time, or ESSBOT_NOW and then onwards."""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from essbot.clock import Clock, FrozenClock, Stopwatch
from essbot.config import Settings

PARIS = ZoneInfo("Europe/Paris")


def test_real_clock_is_aware_utc() -> None:
    now = Clock().now()
    assert now.tzinfo is UTC
    assert now.year >= 2024


def test_clock_starts_at_the_given_instant_then_runs() -> None:
    start = datetime(2016, 9, 27, 17, 30, tzinfo=PARIS)
    clock = Clock(start)
    first = clock.now()
    assert first.tzinfo is UTC
    assert timedelta(0) <= first - start < timedelta(seconds=1)
    time.sleep(0.05)
    second = clock.now()
    assert second - first >= timedelta(seconds=0.05)
    assert second - start < timedelta(seconds=5)


def test_essbot_now_sets_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_NOW", "2024-11-05T09:00:00+01:00")
    clock = Clock(Settings().now)
    assert clock.now() - datetime(2024, 11, 5, 8, tzinfo=UTC) < timedelta(seconds=1)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        Clock(datetime(2016, 9, 27, 17, 30))  # noqa: DTZ001 - the point of the test


def test_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(datetime(2022, 2, 8, 9, tzinfo=PARIS))
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() == first
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2022, 2, 9, 8, tzinfo=UTC)
    clock.set(datetime(2022, 3, 29, 14, tzinfo=PARIS))
    assert clock.now() == datetime(2022, 3, 29, 12, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_stopwatch_measures_a_block() -> None:
    with Stopwatch() as watch:
        time.sleep(0.02)
    assert 0.02 <= watch.seconds < 2
