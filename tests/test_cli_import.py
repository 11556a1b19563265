"""`essbot extract` and `essbot import` on the seed announcements, run as a user runs them."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from essbot.cli import main

REPOSITORY = Path(__file__).resolve().parents[1]
ANNOUNCEMENTS = REPOSITORY / "data" / "announcements"
ESS_TOUR = ANNOUNCEMENTS / "000_64a451bafef6dcae.txt"
DESIGN_FIELDS = {
    "title",
    "date",
    "end_date",
    "start",
    "end",
    "venue",
    "address",
    "postcode",
    "town",
    "insee",
    "department",
    "online",
    "tbd_place",
    "year_inferred",
    "warnings",
    "source",
}
SUMMARY = ("new", "updated", "unchanged", "needing review", "warnings", "cancelled")


def essbot(*args: str, database: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m essbot ARGS` on this SQLite database, in a wide terminal."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "COLUMNS": "200",
        "ESSBOT_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-m", "essbot", *args],
        cwd=database.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def summary_totals(stdout: str) -> dict[str, int]:
    """The counts of the summary's "N documents" row."""
    for line in stdout.splitlines():
        words = line.split()
        if len(words) == 2 + len(SUMMARY) and words[1] == "documents":
            return dict(zip(SUMMARY, map(int, words[2:]), strict=True))
    raise AssertionError(f"no summary row in:\n{stdout}")


def table_rows(database: Path, table: str) -> list[tuple[object, ...]]:
    """Every row of a table, in primary-key order."""
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def test_importing_the_seeds_twice_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "essbot.sqlite3"

    first = essbot("import", str(ANNOUNCEMENTS), database=database)
    assert first.returncode == 0, first.stderr
    events = table_rows(database, "events")
    sources = table_rows(database, "event_sources")
    assert summary_totals(first.stdout)["new"] == len(events) > 0
    assert len(table_rows(database, "documents")) == 5

    second = essbot("import", str(ANNOUNCEMENTS), database=database)
    assert second.returncode == 0, second.stderr
    again = summary_totals(second.stdout)
    assert again == {**again, "new": 0, "updated": 0, "cancelled": 0}
    assert again["unchanged"] == len(events)
    assert "5 of 5 documents had been imported before" in second.stdout
    assert table_rows(database, "events") == events
    assert table_rows(database, "event_sources") == sources


def test_import_stamps_documents_with_the_clock(tmp_path: Path) -> None:
    database = tmp_path / "essbot.sqlite3"

    result = essbot(
        "import",
        str(ESS_TOUR),
        "--ref-date",
        "2016-09-01",
        database=database,
        ESSBOT_NOW="2016-09-20T10:00:00+02:00",
    )

    assert result.returncode == 0, result.stderr
    ((name, imported_at, ref_date),) = _query(
        database, "SELECT name, imported_at, ref_date FROM documents"
    )
    assert (name, ref_date) == (ESS_TOUR.name, "2016-09-01")
    assert str(imported_at).startswith("2016-09-20 08:00:00")


def test_a_corrected_file_updates_its_events(tmp_path: Path) -> None:
    database = tmp_path / "essbot.sqlite3"
    announcement = tmp_path / ESS_TOUR.name
    shutil.copy(ESS_TOUR, announcement)
    assert essbot("import", str(announcement), database=database).returncode == 0
    events_before = len(table_rows(database, "events"))

    text = announcement.read_text(encoding="utf-8")
    roubaix = next(line for line in text.splitlines() if "ROUBAIX" in line)
    announcement.write_text(text.replace(roubaix + "\n", ""), encoding="utf-8")
    result = essbot("import", str(announcement), database=database)

    assert result.returncode == 0, result.stderr
    counts = summary_totals(result.stdout)
    assert (counts["new"], counts["cancelled"]) == (0, 1)
    assert len(table_rows(database, "events")) == events_before
    statuses = _query(database, "SELECT status FROM events WHERE town = 'Roubaix'")
    assert statuses == [("cancelled",)]


def test_extract_prints_one_json_object_per_event(tmp_path: Path) -> None:
    database = tmp_path / "essbot.sqlite3"

    result = essbot("extract", str(ESS_TOUR), "--json", database=database)

    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(events) >= 7
    for event in events:
        assert set(event) == DESIGN_FIELDS
        assert event["source"].startswith(f"{ESS_TOUR.name}:")
    calais = next(event for event in events if event["town"] == "Calais")
    assert (calais["date"], calais["start"], calais["end"]) == ("2016-09-27", "17:30", "20:00")
    assert not database.exists()  # extract writes nothing


def test_extract_shows_a_table_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(ESS_TOUR)]) == 0
    out = capsys.readouterr().out
    assert "L'ESS TOUR 2016" in out
    assert "2016-09-27" in out


def test_a_missing_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "essbot.sqlite3"
    monkeypatch.setenv("ESSBOT_DATABASE_URL", f"sqlite+aiosqlite:///{database}")

    assert main(["import", str(tmp_path / "missing.txt")]) == 1

    assert "missing.txt: no such file or folder" in capsys.readouterr().err
    assert not database.exists()


def test_an_unreadable_file_is_skipped_and_the_others_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "essbot.sqlite3"
    monkeypatch.setenv("ESSBOT_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    folder = tmp_path / "announcements"
    folder.mkdir()
    shutil.copy(ESS_TOUR, folder / "a.txt")
    (folder / "b.txt").write_bytes("Réunion le 3 mars à Lens".encode("latin-1"))

    assert main(["import", str(folder)]) == 1

    assert "b.txt: not UTF-8 text" in capsys.readouterr().err
    assert _query(database, "SELECT name FROM documents") == [("a.txt",)]


def test_extract_reports_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "no-such-announcement.txt", "--json"]) == 1
    assert "no-such-announcement.txt: no such file or folder" in capsys.readouterr().err


def _query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_extract_stops_quietly_when_its_reader_does(tmp_path: Path) -> None:
    """`essbot extract … --json | head -1`: no traceback when the pipe closes early."""
    process = subprocess.Popen(
        [sys.executable, "-m", "essbot", "extract", str(ANNOUNCEMENTS), "--json"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "ESSBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, errors
    assert json.loads(first)["source"].startswith("000_")
    assert "Traceback" not in errors
