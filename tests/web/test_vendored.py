"""The vendored static files (htmx) are byte for byte the upstream release recorded in
plugins/web/static/patuh_web/VENDORED.md: an accidental edit, or an update without its record,
fails here."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "plugins" / "web" / "static" / "patuh_web"
# A row of the record's table: | `file` | upstream | version | licence | `sha256` |
ROW = re.compile(r"^\| `(?P<file>[^`]+)` \|[^|]+\| (?P<version>[0-9][^ |]*) \|[^|]+\| "
                 r"`(?P<sha256>[0-9a-f]{64})` \|$")


def recorded() -> dict[str, tuple[str, str]]:
    text = (STATIC / "VENDORED.md").read_text("utf-8")
    rows = [ROW.match(line) for line in text.splitlines()]
    return {m["file"]: (m["version"], m["sha256"]) for m in rows if m}


def test_every_vendored_file_matches_its_recorded_sha256() -> None:
    record = recorded()
    assert {"htmx.min.js", "htmx.LICENSE.txt"} <= set(record)
    for name, (_, sha256) in record.items():
        path = STATIC / name
        assert path.is_file(), f"{path} is recorded in VENDORED.md but missing"
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        assert actual == sha256, (
            f"{path} is not the recorded upstream file (sha256 {actual}, recorded {sha256}): "
            "restore it, or record the new upstream version in VENDORED.md")


def test_htmx_is_the_recorded_2x_release() -> None:
    version, _ = recorded()["htmx.min.js"]
    assert version.startswith("2.")
    script = (STATIC / "htmx.min.js").read_text("utf-8")
    assert f'version:"{version}"' in script
    assert "Zero-Clause BSD" in (STATIC / "htmx.LICENSE.txt").read_text("utf-8")
