"""`patuh web backup` and `patuh web restore`: a round trip gives the same reports, people and
audit log (on SQLite, and on PostgreSQL when PATUH_TEST_POSTGRES_URL is set); a backup taken
while answers and evidence are being saved never holds a manifest that references a file it
lacks; bad input is refused with exit 2 and nothing written."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from postgres_databases import fresh_databases

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PATUH = [sys.executable, "-m", "patuh"]
PASSWORD = "sandi-uji-yang-panjang-7"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SERVER = os.environ.get("PATUH_TEST_POSTGRES_URL", "")

# changes made the way the platform makes them (answers, uploads, a detached file), so the
# backup holds audit events with before/after and an earlier version of a file
CHANGES = """
import sys
from pathlib import Path
from patuh.plugins.web.commands import setup
setup(Path(sys.argv[1]), sys.argv[2] or None)
from django.contrib.auth.models import User
from patuh.plugins.web import answers
from patuh.plugins.web.models import Unit
op = User.objects.get(username="op")
unit = Unit.objects.get(kode="pkm-sukamaju")
assert answers.save(op, unit, {"standar_pelayanan.ada": "ya"}).ok
first = answers.upload(op, unit, "standar_pelayanan.penetapan.bukti", "sk lama.pdf",
                       b"%PDF-1.4 lama\\n%%EOF\\n")
assert first.ok, first.error
assert answers.upload(op, unit, "standar_pelayanan.penetapan.bukti", "sk baru.pdf",
                      b"%PDF-1.4 baru\\n%%EOF\\n").ok
answers.remove_evidence(op, unit, "standar_pelayanan.penetapan.bukti", first.sha256)
"""

# what a data folder holds, as seen through the platform: every unit's report (as `patuh
# check` gives it, from the unit folder), the people who can sign in, the audit log
SNAPSHOT = """
import json, sys
from pathlib import Path
from patuh.plugins.web.commands import setup
setup(Path(sys.argv[1]), sys.argv[2] or None, migrate=False)
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from patuh.plugins.web.models import AuditEvent, Evidence, Unit
from patuh.plugins.web.store import UnitFolder
out = {"reports": {}, "people": {}, "audit": [], "evidence": []}
for unit in Unit.objects.select_related("round"):
    report = UnitFolder(unit.folder).report(unit.round.ruleset, unit.round.edition)
    out["reports"][f"{unit.round.slug}/{unit.kode}"] = [unit.status, report["score"],
                                                         report.get("findings")]
for user in User.objects.select_related("profile"):
    out["people"][user.username] = [user.profile.role, sorted(
        u.kode for u in user.profile.units.all()),
        authenticate(username=user.username, password=sys.argv[3]) is not None]
for event in AuditEvent.objects.order_by("id"):
    out["audit"].append([event.at.isoformat(), event.username, event.action,
                         event.round.slug if event.round else None,
                         event.unit.kode if event.unit else None, event.detail])
for row in Evidence.objects.order_by("id"):
    out["evidence"].append([row.unit.kode, row.slot, row.sha256, row.original_name,
                            row.uploaded_by.username if row.uploaded_by else None,
                            row.detached_at.isoformat() if row.detached_at else None])
print(json.dumps(out, default=str, sort_keys=True))
"""


def patuh(*args: object, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PATUH_WEB_DATABASE_URL"}
    return subprocess.run([*PATUH, *map(str, args)], input=stdin, capture_output=True,
                          text=True, timeout=300, env={**environment, **env})


def python(script: str, *args: object) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PATUH_WEB_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stderr
    return done


def refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def fill(data: Path, url: str) -> None:
    db = ["--database", url] if url else []
    ok(patuh("web", "round", "add", "PEKPPP 2025", "--ruleset", "pekppp", "--edition", "2022",
             "--period", "2025", "--slug", "pekppp-2025", "--data", data, *db))
    ok(patuh("web", "unit", "import", "pekppp-2025", EXAMPLES / "dpmptsp-kota-harapan",
             EXAMPLES / "puskesmas-sukamaju", "--data", data, *db))
    ok(patuh("web", "user", "add", "bagor", "--role", "admin", "--data", data, *db,
             stdin=PASSWORD + "\n"))
    ok(patuh("web", "user", "add", "op", "--role", "operator", "--unit", "pkm-sukamaju",
             "--data", data, *db, stdin=PASSWORD + "\n"))
    ok(patuh("web", "token", "bagor", "--data", data, *db))
    python(CHANGES, data, url)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def databases():
    """Two fresh PostgreSQL databases (the source and the restore's target), dropped after."""
    with fresh_databases(SERVER, "patuh_backup", 2) as urls:
        yield urls


def round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    data, copy = tmp_path / "data", tmp_path / "pulih"
    fill(data, source_url)
    db = ["--database", source_url] if source_url else []
    out = tmp_path / "cadangan" / "cadangan.zip"
    out.parent.mkdir()
    made = ok(patuh("web", "backup", "--data", data, out, *db))
    assert "2 unit" in made.stdout
    assert [p.name for p in out.parent.iterdir()] == ["cadangan.zip"]  # no temporary left
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert json.loads(archive.read("patuh-backup.json"))["patuh_backup"] == 1
        assert archive.read("secret_key") == (data / "secret_key").read_bytes()
    assert "database.json" in names and not any(n.endswith("db.sqlite3") for n in names)

    restored = ok(patuh("web", "restore", out, "--data", copy,
                        *(["--database", target_url] if target_url else [])))
    assert str(copy) in restored.stdout
    assert tree(copy / "units") == tree(data / "units")  # earlier versions too
    assert (copy / "secret_key").read_bytes() == (data / "secret_key").read_bytes()
    before = json.loads(python(SNAPSHOT, data, source_url, PASSWORD))
    after = json.loads(python(SNAPSHOT, copy, target_url, PASSWORD))
    assert after == before
    assert len(before["reports"]) == 2 and before["people"]["op"] == [
        "operator", ["pkm-sukamaju"], True]
    assert before["people"]["bagor"][2] is True  # signs in with the same password
    actions = [event[2] for event in before["audit"]]
    assert actions.count("evidence.add") == 2 and "evidence.remove" in actions
    assert any(row[5] for row in before["evidence"])  # an earlier version, detached
    # a report byte for byte as `patuh check` gives it, from the restored folder
    unit = Path("units/pekppp-2025/dpmptsp-kota-harapan/manifest.yaml")
    checks = [ok(subprocess.run([*PATUH, "check", "manifest.yaml", "--ruleset", "pekppp",
                                 "--edition", "2022", "--format", "json"],
                                cwd=root / unit.parent, capture_output=True, text=True,
                                timeout=300)).stdout for root in (data, copy)]
    assert checks[0] == checks[1] and '"score"' in checks[0]

    # the restored platform goes on: new rows after the restored ones (PostgreSQL's sequences
    # reset past the loaded ids)
    ok(patuh("web", "token", "bagor", "--data", copy,
             *(["--database", target_url] if target_url else [])))
    ok(patuh("web", "round", "add", "PEKPPP 2026", "--ruleset", "pekppp", "--edition", "2022",
             "--period", "2026", "--data", copy,
             *(["--database", target_url] if target_url else [])))

    # a second restore into the same places is refused, nothing changed
    again = patuh("web", "restore", out, "--data", copy,
                  *(["--database", target_url] if target_url else []))
    refused(again, "tidak kosong")
    if target_url:  # an empty folder but a database already holding rows
        refused(patuh("web", "restore", out, "--data", tmp_path / "kosong", "--database",
                      target_url), "basis data tujuan tidak kosong")
        assert not (tmp_path / "kosong").exists()


def test_a_round_trip_on_sqlite(tmp_path: Path) -> None:
    round_trip(tmp_path, "", "")


@pytest.mark.skipif(not SERVER, reason="no PostgreSQL: set PATUH_TEST_POSTGRES_URL")
def test_a_round_trip_on_postgresql(tmp_path: Path, databases: list[str]) -> None:
    round_trip(tmp_path, databases[0], databases[1])


@pytest.mark.skipif(not SERVER, reason="no PostgreSQL: set PATUH_TEST_POSTGRES_URL")
def test_a_sqlite_backup_restores_into_postgresql(tmp_path: Path, databases: list[str]) -> None:
    round_trip(tmp_path, "", databases[1])


def test_bad_input_is_refused(tmp_path: Path) -> None:
    data, target = tmp_path / "data", tmp_path / "baru"
    ok(patuh("web", "round", "add", "R", "--ruleset", "pekppp", "--edition", "2022",
             "--period", "2025", "--data", data))
    good = tmp_path / "baik.zip"
    ok(patuh("web", "backup", "--data", data, good))
    # the backup: never into the data folder, never of a folder that is not one
    refused(patuh("web", "backup", "--data", data, data / "x.zip"), "di dalam folder data")
    refused(patuh("web", "backup", "--data", tmp_path / "tidak-ada", tmp_path / "y.zip"),
            "tidak ada")
    (tmp_path / "lain").mkdir()
    refused(patuh("web", "backup", "--data", tmp_path / "lain", tmp_path / "y.zip"),
            "bukan folder data platform")
    assert not (tmp_path / "lain" / "secret_key").exists()
    assert not (tmp_path / "y.zip").exists()

    # a backup that fails leaves an earlier OUT as it was, and no temporary file
    broken_data = tmp_path / "rusak"
    broken_data.mkdir()
    (broken_data / "secret_key").write_text("kunci\n")
    (broken_data / "db.sqlite3").write_bytes(b"bukan basis data SQLite " * 100)
    earlier = tmp_path / "keluar" / "cadangan.zip"
    earlier.parent.mkdir()
    earlier.write_bytes(b"cadangan kemarin")
    refused(patuh("web", "backup", "--data", broken_data, earlier), "basis data")
    assert earlier.read_bytes() == b"cadangan kemarin"
    assert [p.name for p in earlier.parent.iterdir()] == ["cadangan.zip"]

    not_zip = tmp_path / "bukan.zip"
    not_zip.write_bytes(b"%PDF-1.4\n")
    refused(patuh("web", "restore", not_zip, "--data", target), "bukan berkas zip")
    export = tmp_path / "ekspor.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("manifest.yaml", "schema_version: 1\n")
    refused(patuh("web", "restore", export, "--data", target), "bukan cadangan patuh")
    refused(patuh("web", "restore", tmp_path / "hilang.zip", "--data", target), "tidak ada")

    def variant(name: str, **replace: bytes) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as out:
            for item in source.namelist():
                out.writestr(item, replace.pop(item, source.read(item)))
            for item, content in replace.items():
                out.writestr(item, content)
        return path

    newer = variant("baru.zip", **{"patuh-backup.json": json.dumps(
        {"patuh_backup": 99, "patuh": "9.0"}).encode()})
    refused(patuh("web", "restore", newer, "--data", target), "format 99", "9.0")
    escaping = variant("lolos.zip", **{"units/r/u/../../../../lolos.txt": b"x"})
    refused(patuh("web", "restore", escaping, "--data", target), "..")
    assert not (tmp_path / "lolos.txt").exists()
    keyless = variant("tanpa-kunci.zip", secret_key=b"")
    refused(patuh("web", "restore", keyless, "--data", target), "secret_key")
    stray = variant("asing.zip", **{"db.sqlite3": b"x"})
    refused(patuh("web", "restore", stray, "--data", target), "tak dikenal", "db.sqlite3")
    broken = variant("rusak.zip", **{"database.json": b'[{"model": "patuh_web.nope"}]'})
    refused(patuh("web", "restore", broken, "--data", target), "database.json")
    refused(patuh("web", "restore", good, "--data", target, PATUH_WEB_MAX_RESTORE_BYTES="100"),
            "PATUH_WEB_MAX_RESTORE_BYTES")
    refused(patuh("web", "restore", good, "--data", target, PATUH_WEB_MAX_RESTORE_FILES="2"),
            "PATUH_WEB_MAX_RESTORE_FILES")
    assert not target.exists()  # nothing left of the refused restores
    target.mkdir()
    (target / "catatan.txt").write_text("milik orang lain")
    refused(patuh("web", "restore", good, "--data", target), "tidak kosong")
    assert [p.name for p in target.iterdir()] == ["catatan.txt"]
    english = subprocess.run([*PATUH, "web", "restore", not_zip, "--data", tmp_path / "en"],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PATUH_LANG": "en"})
    assert english.returncode == 2 and "not a zip file" in english.stderr


# --- consistency while the server writes ---------------------------------------------------------

def test_a_backup_taken_during_saves_references_only_files_it_holds(data_dir, db) -> None:
    """A writer thread keeps uploading, replacing and detaching evidence and saving answers
    in two units (as the server does: file first, then the manifest, atomically) while backups
    are taken; no manifest in any backup references a file the backup lacks."""
    from patuh.plugins.web import backup
    from patuh.plugins.web.store import UnitFolder
    from patuh.plugins.web.store import questionnaire
    from patuh.plugins.web.store import references

    model = questionnaire((), date(2025, 12, 31))
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "secret_key").write_text("kunci-uji\n")
    units = []
    for kode in ("dinas-a", "dinas-b"):
        folder = UnitFolder(data_dir / "units" / "r2025" / kode)
        folder.create({"nama": kode, "kode": kode}, {"tahun": 2025}, model=model)
        units.append(folder)
    stop = threading.Event()
    saves = [0]
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            number = 0
            while not stop.is_set() or number < 20:
                for folder in units:
                    number += 1
                    content = b"%PDF-1.4\n% versi " + str(number).encode() + b"\n%%EOF\n"
                    added = folder.add_evidence("standar_pelayanan.penetapan.bukti",
                                                f"sk-{number}.pdf", io.BytesIO(content), model)
                    assert added.ok, added.error
                    held = folder.answers()["standar_pelayanan"]["penetapan"]["bukti"]
                    for item in held[:-1]:  # the earlier ones detached: versions
                        folder.remove_evidence("standar_pelayanan.penetapan.bukti",
                                               item["sha256"], model)
                    assert folder.save_answers({"standar_pelayanan.ada":
                                                "ya" if number % 2 else "tidak"}, model).ok
                    saves[0] += 1
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    taken = []
    try:
        for number in range(6):
            out = data_dir.parent / f"cadangan-{number}.zip"
            backup.write_backup(data_dir, out)
            taken.append(out)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert not failures, failures
    assert saves[0] >= 20
    checked = 0
    for out in taken:
        with zipfile.ZipFile(out) as archive:
            names = set(archive.namelist())
            for name in names:
                if not name.endswith("/manifest.yaml"):
                    continue
                base = name.removesuffix("manifest.yaml")
                data = yaml.safe_load(archive.read(name))
                for ref in references(data):
                    assert base + ref in names, (out.name, name, ref)
                    checked += 1
    assert checked > 0
    # the last backup holds every version written so far in the unit folders it copied
    with zipfile.ZipFile(taken[-1]) as archive:
        versions = [n for n in archive.namelist() if "/bukti/" in n]
    assert len(versions) >= 2
