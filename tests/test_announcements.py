"""The seed announcements stay exactly as published."""

import hashlib
import re
from pathlib import Path

ANNOUNCEMENTS = Path(__file__).resolve().parents[1] / "data" / "announcements"


def recorded_hashes() -> dict[str, str]:
    """File name -> SHA-256, as listed in PROVENANCE.md."""
    text = (ANNOUNCEMENTS / "PROVENANCE.md").read_text(encoding="utf-8")
    return {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, re.M)}


def test_every_announcement_has_its_provenance() -> None:
    files = {path.name for path in ANNOUNCEMENTS.glob("*.txt")}
    assert len(files) == 5
    assert set(recorded_hashes()) == files


def test_announcements_are_unchanged() -> None:
    for name, digest in recorded_hashes().items():
        assert hashlib.sha256((ANNOUNCEMENTS / name).read_bytes()).hexdigest() == digest, name
