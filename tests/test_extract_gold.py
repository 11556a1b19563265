"""The five seed announcements, read exactly as a careful person reads them.

tests/gold/seed_events.jsonl holds every event of data/announcements/, field by field, in the
shape `essbot extract --json` prints, for the reference date 2026-11-22.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from essbot.extract import extract_file

ROOT = Path(__file__).resolve().parents[1]
ANNOUNCEMENTS = ROOT / "data" / "announcements"
REFERENCE = date(2026, 11, 22)


def gold() -> dict[str, list[dict[str, Any]]]:
    by_file: dict[str, list[dict[str, Any]]] = {}
    for line in (ROOT / "tests" / "gold" / "seed_events.jsonl").read_text("utf-8").splitlines():
        event = json.loads(line)
        by_file.setdefault(event["source"].split(":")[0], []).append(event)
    return by_file


GOLD = gold()


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_field_of_every_seed_event(name: str) -> None:
    extraction = extract_file(ANNOUNCEMENTS / name, ref_date=REFERENCE)
    assert [e.to_json() for e in extraction.events] == GOLD[name]


def test_the_gold_covers_every_seed_and_about_thirty_dated_events() -> None:
    assert sorted(GOLD) == sorted(p.name for p in ANNOUNCEMENTS.glob("*.txt"))
    events = [e for events in GOLD.values() for e in events]
    assert len([e for e in events if e["date"]]) == 30
    assert len([e for e in events if not e["date"]]) == 6


def test_ess_tour_2016_meetings_share_the_times_stated_once() -> None:
    events = GOLD["000_64a451bafef6dcae.txt"]
    dated = [e for e in events if e["date"]]
    assert len(dated) == 7
    assert {(e["start"], e["end"]) for e in dated} == {("17:30", "20:00")}
    assert [e["town"] for e in dated] == [
        "Calais", "Nogent-sur-Oise", "Soissons", "Nœux-les-Mines", "Amiens", "Anzin", "Roubaix",
    ]  # fmt: skip


def test_mois_de_l_ess_2024_keeps_the_19_december_with_a_warning() -> None:
    events = {e["date"]: e for e in GOLD["003_575902d069037ee8.txt"] if e["date"]}
    assert events["2024-12-19"]["warnings"] == ["weekday_mismatch"]
    assert all(e["warnings"] == [] for d, e in events.items() if d != "2024-12-19")


def test_the_paris_launch_has_its_year_flagged() -> None:
    (launch,) = GOLD["004_5243b5cc3940da3e.txt"]
    assert launch["date"] == "2024-04-18"
    assert launch["year_inferred"] is True
    assert launch["warnings"] == ["year_uncertain"]


def test_with_a_closer_reference_date_the_launch_year_is_sure() -> None:
    extraction = extract_file(ANNOUNCEMENTS / "004_5243b5cc3940da3e.txt", ref_date=date(2024, 3, 1))
    (launch,) = extraction.events
    assert launch.date == date(2024, 4, 18)
    assert launch.year_inferred
    assert launch.warnings == ()


def test_document_titles_and_dates() -> None:
    normandy = extract_file(ANNOUNCEMENTS / "002_3c01a5dfd1d17191.txt", ref_date=REFERENCE)
    assert normandy.published == date(2022, 2, 8)
    assert normandy.title is not None
    assert normandy.title.startswith("Economie Sociale et Solidaire en Normandie")
    tour = extract_file(ANNOUNCEMENTS / "000_64a451bafef6dcae.txt", ref_date=REFERENCE)
    assert tour.title == "L'ESS TOUR 2016"
