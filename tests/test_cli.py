"""The `essbot` command, run as a user would run it."""

import io
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fake_telegram import FakeBotApi

from essbot.cli import main

SUBCOMMANDS = ["run", "chat", "ask", "parse", "extract", "import", "db", "bench"]
ESSBOT = Path(sys.executable).parent / "essbot"


def essbot_environment(**variables: str) -> dict[str, str]:
    """The current environment without ESSBOT_* variables, plus these."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ESSBOT_")}
    environment.update(variables)
    return environment


def run_essbot(
    *args: str, cwd: Path, timeout: float = 60, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m essbot ARGS` and capture what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "essbot", *args],
        cwd=cwd,
        env=essbot_environment(**variables),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_help_lists_every_subcommand(tmp_path: Path) -> None:
    result = run_essbot("--help", cwd=tmp_path)
    assert result.returncode == 0
    for name in SUBCOMMANDS:
        assert f"    {name} " in result.stdout


@pytest.mark.parametrize("args", [[name] for name in SUBCOMMANDS] + [["db", "upgrade"]])
def test_every_subcommand_has_help(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    assert f"usage: essbot {' '.join(args)}" in capsys.readouterr().out


def test_unbuilt_subcommands_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench"]) == 2
    assert "essbot bench: not available yet" in capsys.readouterr().err


SEPTEMBER_2016 = "2016-09-20T10:00+02:00"


def test_ask_prints_one_reply_on_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESSBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'e.sqlite3'}")
    assert main(["ask", "what's near Amiens?", "--now", SEPTEMBER_2016]) == 0
    out = capsys.readouterr().out
    assert "1. Rencontre ESS Tour — Amiens" in out
    assert "Wednesday 5 October 2016, 5:30–8 pm" in out
    assert "<b>" not in out
    assert "[1] Details — Rencontre ESS Tour — Amiens" in out


def test_chat_offers_buttons_as_numbered_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESSBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'e.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    typed = "Quoi de prévu près d'Amiens ?\n1\n2\n4\nquit\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["chat", "--now", SEPTEMBER_2016]) == 0
    out = capsys.readouterr().out
    assert out.index("Bonjour ! Je suis essbot") < out.index("1. Rencontre ESS Tour — Amiens")
    assert "  │ Mercredi 5 Octobre à l'Auberge de Jeunesse d'Amiens" in out  # 1: details
    assert "[2] 📅 Ajouter à mon agenda" in out
    (ics,) = tmp_path.glob("*.ics")  # 2: the calendar file, saved
    assert "DTSTART;TZID=Europe/Paris:20161005T173000" in ics.read_text()
    assert "[3] 📄 L'annonce" in out
    assert "https://www.openstreetmap.org/?mlat=49.9&mlon=2.3" in out  # 4: the map


def test_db_without_subcommand_shows_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db"]) == 2
    assert "upgrade" in capsys.readouterr().err


def test_invalid_environment_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESSBOT_TIMEZONE", "Europe/Lutece")
    assert main(["db", "upgrade"]) == 2
    assert "unknown time zone" in capsys.readouterr().err


def test_db_upgrade_creates_the_tables(tmp_path: Path) -> None:
    database = tmp_path / "essbot.sqlite3"
    result = subprocess.run(
        [str(ESSBOT), "db", "upgrade"],
        cwd=tmp_path,
        env=essbot_environment(ESSBOT_DATABASE_URL=f"sqlite+aiosqlite:///{database}"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {name for (name,) in rows}
    assert tables == {
        "alembic_version",
        "users",
        "documents",
        "events",
        "event_sources",
        "subscriptions",
        "chats",
        "outbox",
        "deliveries",
        "send_gates",
        "organizers",
        "role_changes",
        "submissions",
        "drafts",
        "conversations",
        "announcements",
        "settings",
    }


def test_db_upgrade_defaults_to_a_file_in_the_working_directory(tmp_path: Path) -> None:
    result = run_essbot("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "essbot.sqlite3").is_file()


def test_run_without_token_opens_the_console_chat_on_the_seeds(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "essbot", "run"],
        cwd=tmp_path,
        env=essbot_environment(ESSBOT_NOW=SEPTEMBER_2016),
        input="dans le 62\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "communes" in result.stdout
    assert "console chat" in result.stdout
    assert "1. Rencontre ESS Tour — Calais" in result.stdout
    assert "2. Rencontre ESS Tour — Nœux-les-Mines" in result.stdout
    assert (tmp_path / "essbot.sqlite3").is_file()


@pytest.mark.slow
def test_run_with_token_answers_start(tmp_path: Path, bot_api: FakeBotApi) -> None:
    token = "123456:AAE-not-a-real-token-but-secret"
    bot_api.push_text(42, "/start")
    process = subprocess.Popen(
        [sys.executable, "-m", "essbot", "run"],
        cwd=tmp_path,
        env=essbot_environment(
            ESSBOT_TOKEN=token,
            ESSBOT_BOT_API_URL=bot_api.base_url,
            ESSBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'essbot.sqlite3'}",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        replied = bot_api.message_sent.wait(timeout=60)
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)

    assert replied, stderr
    assert process.returncode == 0, stderr
    assert bot_api.tokens == {token}
    (message,) = bot_api.sent
    assert message["chat_id"] == "42"
    assert message["parse_mode"] == "HTML"
    assert "économie sociale et solidaire" in message["text"]
    assert token not in stdout
    assert token not in stderr
    assert (tmp_path / "essbot.sqlite3").is_file()
