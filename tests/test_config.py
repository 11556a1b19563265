"""Settings parsed from ESSBOT_* variables."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from essbot.config import Settings, get_settings


def test_defaults_need_no_environment() -> None:
    settings = Settings()
    assert settings.token is None
    assert settings.database_url == "sqlite+aiosqlite:///essbot.sqlite3"
    assert settings.bot_api_url is None
    assert settings.now is None
    assert settings.admins == []
    assert settings.timezone == "Europe/Paris"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,2, 3", [1, 2, 3]), ("42", [42]), (" 7 , ,8,", [7, 8]), ("", [])],
)
def test_admins_are_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[int]
) -> None:
    monkeypatch.setenv("ESSBOT_ADMINS", raw)
    assert Settings().admins == expected


def test_admins_must_be_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_ADMINS", "1,alice")
    with pytest.raises(ValidationError, match="admins"):
        Settings()


def test_is_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_ADMINS", "10,20")
    settings = Settings()
    assert settings.is_admin(20)
    assert not settings.is_admin(30)


def test_timezone_must_be_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_TIMEZONE", "Europe/Lutece")
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings()


def test_overseas_timezone_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_TIMEZONE", "America/Martinique")
    assert Settings().zone == ZoneInfo("America/Martinique")


def test_token_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456:AAE-very-secret-token"
    monkeypatch.setenv("ESSBOT_TOKEN", token)
    settings = Settings()
    assert settings.token is not None
    assert settings.token.get_secret_value() == token
    assert token not in repr(settings)
    assert token not in str(settings)
    assert token not in settings.model_dump_json()


def test_empty_token_means_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_TOKEN", "")
    assert Settings().token is None


def test_now_with_offset_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_NOW", "2016-09-20T08:00:00+00:00")
    assert Settings().now == datetime(2016, 9, 20, 8, tzinfo=UTC)


def test_naive_now_is_read_in_the_default_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_NOW", "2016-09-20T10:00:00")
    now = Settings().now
    assert now is not None
    assert now == datetime(2016, 9, 20, 8, tzinfo=UTC)


def test_get_settings_reads_the_environment_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSBOT_DATABASE_URL", "sqlite+aiosqlite:///first.sqlite3")
    first = get_settings()
    monkeypatch.setenv("ESSBOT_DATABASE_URL", "sqlite+aiosqlite:///second.sqlite3")
    assert get_settings() is first
    assert first.database_url.endswith("first.sqlite3")
