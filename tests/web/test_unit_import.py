"""`patuh web unit import` as a person runs it: manifest folders (YAML and XLSX, with their
evidence) become units of a round, and each unit's report is the one `patuh check` gives."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PATUH = [sys.executable, "-m", "patuh"]


def patuh(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PATUH, *map(str, args)], capture_output=True, text=True,
                          timeout=180, env=dict(os.environ))


def checked(manifest: Path) -> dict:
    done = patuh("check", manifest, "--format", "json", "--ruleset", "pekppp", "--edition",
                 "2022")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_unit_import_from_the_command_line(tmp_path: Path) -> None:
    from patuh.plugins.web.store import UnitFolder

    data = tmp_path / "data"
    made = patuh("web", "round", "add", "Mandiri 2025", "--ruleset", "pekppp", "--edition",
                 "2022", "--period", "2025", "--data", data)
    assert made.returncode == 0, made.stderr
    both = patuh("web", "unit", "import", "mandiri-2025", EXAMPLES / "dpmptsp-kota-harapan",
                 EXAMPLES / "puskesmas-sukamaju", "--data", data)
    assert both.returncode == 0, both.stderr
    assert both.stdout.split() == ["mandiri-2025/dpmptsp-kota-harapan",
                                   "mandiri-2025/pkm-sukamaju"]

    # an XLSX manifest folder, made with `patuh convert`, evidence beside it
    workbook = tmp_path / "kecamatan"
    shutil.copytree(EXAMPLES / "kecamatan-lembah-hijau", workbook)
    converted = patuh("convert", workbook / "manifest.yaml", workbook / "manifest.xlsx")
    assert converted.returncode == 0, converted.stderr
    (workbook / "manifest.yaml").unlink()

    not_manifest = tmp_path / "bukan-manifest"
    not_manifest.mkdir()
    (not_manifest / "catatan.txt").write_text("halo", "utf-8")
    refused = patuh("web", "unit", "import", "mandiri-2025", not_manifest, "--data", data)
    assert refused.returncode == 2 and "tidak memuat manifest" in refused.stderr
    assert "Traceback" not in refused.stderr

    twice = patuh("web", "unit", "import", "mandiri-2025", EXAMPLES / "puskesmas-sukamaju",
                  "--data", data)
    assert twice.returncode == 2 and "sudah ada" in twice.stderr
    assert "Traceback" not in twice.stderr
    unknown = patuh("web", "unit", "import", "tidak-ada", workbook, "--data", data)
    assert unknown.returncode == 2 and "putaran tidak dikenal" in unknown.stderr

    # a refused import leaves nothing behind: the next one works
    xlsx = patuh("web", "unit", "import", "mandiri-2025", workbook, "--data", data)
    assert xlsx.returncode == 0, xlsx.stderr
    assert xlsx.stdout.split() == ["mandiri-2025/kec-lembah-hijau"]

    folders = data / "units" / "mandiri-2025"
    assert sorted(p.name for p in folders.iterdir()) == [
        "dpmptsp-kota-harapan", "kec-lembah-hijau", "pkm-sukamaju"]
    originals = {"dpmptsp-kota-harapan": EXAMPLES / "dpmptsp-kota-harapan/manifest.yaml",
                 "pkm-sukamaju": EXAMPLES / "puskesmas-sukamaju/manifest.yaml",
                 "kec-lembah-hijau": EXAMPLES / "kecamatan-lembah-hijau/manifest.yaml"}
    for kode, original in originals.items():
        unit = UnitFolder(folders / kode)
        assert (unit.root / "manifest.yaml").is_file() and (unit.root / "bukti").is_dir()
        report = unit.report("pekppp", "2022")
        expected = checked(original)
        assert report["predicate"] == expected["predicate"], kode
        assert report["score"]["final"] == expected["score"]["final"], kode
        # and `patuh check` on the unit folder gives the platform's report, byte for byte
        on_disk = patuh("check", unit.manifest_path, "--format", "json", "--ruleset", "pekppp",
                        "--edition", "2022")
        assert on_disk.stdout == unit.report_json("pekppp", "2022"), kode

    with sqlite3.connect(data / "db.sqlite3") as db:
        rows = sorted(db.execute("SELECT kode, nama, status FROM patuh_web_unit"))
        imports = [row[0] for row in db.execute(
            "SELECT action FROM patuh_web_auditevent WHERE action = 'unit.import'")]
    assert [r[0] for r in rows] == ["dpmptsp-kota-harapan", "kec-lembah-hijau", "pkm-sukamaju"]
    assert rows[2][1] == "UPTD Puskesmas Sukamaju" and {r[2] for r in rows} == {"draft"}
    assert len(imports) == 3
