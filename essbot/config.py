"""Settings read from the environment (ESSBOT_*)."""

from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///essbot.sqlite3"
DEFAULT_TIMEZONE = "Europe/Paris"


class Settings(BaseSettings):
    """Everything essbot reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="ESSBOT_", env_ignore_empty=True, extra="ignore")

    token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    bot_api_url: str | None = None
    now: datetime | None = None
    # NoDecode: the variable is "1,2, 3", not JSON.
    admins: Annotated[list[int], NoDecode] = []
    timezone: str = DEFAULT_TIMEZONE
    # Messages a second the outbox sender allows itself, all bot processes together.
    send_rate: float = Field(default=30.0, gt=0, le=1000)

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: Any) -> Any:
        """Turn a comma-separated string of ids into a list."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        """Accept only names the IANA database knows."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @model_validator(mode="after")
    def _localise_now(self) -> "Settings":
        """Read a naive ESSBOT_NOW in the default time zone."""
        if self.now is not None and self.now.tzinfo is None:
            self.now = self.now.replace(tzinfo=self.zone)
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The default time zone as a ZoneInfo."""
        return ZoneInfo(self.timezone)

    def is_admin(self, user_id: int) -> bool:
        """Whether this Telegram user id has the admin role."""
        return user_id in self.admins


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
