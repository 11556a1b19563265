"""Alembic, driven from Python: `essbot db upgrade` and `essbot run` call this.

The migrations live at the top of the repository (`alembic.ini`, `migrations/`). They are
looked for next to the essbot package (a source checkout or an editable install, as in the
Docker image), then in the working directory.
"""

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from essbot.db.session import create_engine_from_url


def find_alembic_ini() -> Path:
    """The alembic.ini that sits beside the migrations/ folder."""
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        ini = root / "alembic.ini"
        if ini.is_file() and (root / "migrations").is_dir():
            return ini
    raise FileNotFoundError(
        "alembic.ini and migrations/ were found neither next to the essbot package "
        "nor in the working directory"
    )


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config for our migrations, optionally bound to a database URL."""
    config = Config(str(find_alembic_ini()))
    if url is not None:
        # The ini parser treats "%" as interpolation: URL-encoded passwords need escaping.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at this URL up to the given revision (head by default)."""
    engine = create_engine_from_url(url, poolclass=NullPool)
    try:
        await upgrade_engine(engine, revision)
    finally:
        await engine.dispose()


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind this engine, in one transaction where the engine allows."""
    await _run_on_engine(engine, command.upgrade, revision)


async def downgrade_engine(engine: AsyncEngine, revision: str) -> None:
    """Downgrade the database behind this engine to the given revision ("base" empties it)."""
    await _run_on_engine(engine, command.downgrade, revision)


async def _run_on_engine(
    engine: AsyncEngine, action: Callable[[Config, str], None], revision: str
) -> None:
    """Run an Alembic command on one of the engine's connections (see migrations/env.py)."""
    config = alembic_config()

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        action(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)
