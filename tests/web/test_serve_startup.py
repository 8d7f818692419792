"""``patuh serve``'s start-up match of the evidence index reads only the units changed since the
last start-up (issue 14): counted here, never timed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSV = (ROOT / "examples" / "dpmptsp-kota-harapan" / "skm" / "jawaban-skm-2024.csv").read_bytes()
SLOT = "standar_pelayanan.penetapan.bukti"


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


@pytest.fixture
def units(data_dir, make_round, make_unit, make_person):
    from patuh.plugins.web import answers

    data_dir.mkdir(parents=True, exist_ok=True)
    round_ = make_round()
    made = [make_unit(round_, f"dinas-{n}", f"Dinas {n}") for n in range(3)]
    op = make_person("op", "operator", tuple(made))
    for unit in made:
        answers.upload(op, unit, SLOT, "sk.pdf", pdf(unit.kode))
        answers.upload(op, unit, "skm.berkas", "skm.csv", CSV)
    return {"units": made, "op": op, "data": data_dir}


def test_an_unchanged_unit_is_skipped_and_a_changed_one_read(units) -> None:
    from patuh.plugins.web.commands import RECONCILE_FILE
    from patuh.plugins.web.commands import reconcile
    from patuh.plugins.web.models import Evidence

    a, b, c = units["units"]
    first = reconcile()
    assert (first.read, first.skipped, first.repaired) == (3, 0, 0)
    assert (units["data"] / RECONCILE_FILE).is_file()
    again = reconcile()
    assert (again.read, again.skipped, again.repaired) == (0, 3, 0)

    # a save changes a's manifest; b's stored data file is rewritten behind the platform
    from patuh.plugins.web import answers

    assert answers.save(units["op"], a, {"standar_pelayanan.ada": "ya"}).ok
    stored = UnitData(b).data_file()
    stored.write_bytes(CSV.replace(b"\n", b"\r\n"))
    later = reconcile()
    assert (later.read, later.skipped) == (2, 1)
    assert later.repaired == 1  # b: its data file's digest is not the index's any more
    assert Evidence.objects.filter(unit=b, slot="skm.berkas", detached_at__isnull=True) \
        .count() == 1
    assert reconcile().read == 0

    # an index row lost with the manifest unchanged (a kill before the index's commit)
    Evidence.objects.filter(unit=c, slot=SLOT).delete()
    lost = reconcile()
    assert (lost.read, lost.skipped, lost.repaired) == (1, 2, 1)
    assert Evidence.objects.filter(unit=c, slot=SLOT, detached_at__isnull=True).count() == 1


class UnitData:
    def __init__(self, unit) -> None:
        from patuh.plugins.web.store import UnitFolder

        self.folder = UnitFolder(unit.folder)

    def data_file(self) -> Path:
        return self.folder.root / self.folder.answers()["skm"]["berkas"]


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "other"}), "[]"])
def test_a_missing_damaged_or_foreign_stamp_file_reads_every_unit(units, content: str) -> None:
    from patuh.plugins.web.commands import RECONCILE_FILE
    from patuh.plugins.web.commands import reconcile

    reconcile()
    (units["data"] / RECONCILE_FILE).write_text(content, encoding="utf-8")
    assert reconcile().read == 3
    (units["data"] / RECONCILE_FILE).unlink()
    assert reconcile().read == 3
    assert reconcile().read == 0


def test_another_database_reads_every_unit(units, settings) -> None:
    from patuh.plugins.web.commands import RECONCILE_FILE
    from patuh.plugins.web.commands import reconcile

    reconcile()
    path = units["data"] / RECONCILE_FILE
    held = json.loads(path.read_text(encoding="utf-8"))
    held["database"] = "django.db.backends.postgresql|elsewhere|5432|patuh"
    path.write_text(json.dumps(held), encoding="utf-8")
    assert reconcile().read == 3


def test_a_manifest_edited_by_hand_is_read_again(units) -> None:
    from patuh.plugins.web.commands import reconcile
    from patuh.plugins.web.store import UnitFolder

    reconcile()
    manifest = UnitFolder(units["units"][1].folder).manifest_path
    text = manifest.read_text(encoding="utf-8")
    st = manifest.stat()
    manifest.write_text(text.replace("dinas-1", "dinas-1"), encoding="utf-8")  # same bytes
    os.utime(manifest, ns=(st.st_atime_ns, st.st_mtime_ns))  # even its mtime kept
    done = reconcile()
    assert (done.read, done.skipped) == (1, 2)  # the change time still tells


def test_start_up_sweeps_what_a_killed_write_left(units) -> None:
    """A server killed while writing the start-up's stamps or a unit's file leaves a
    ``.patuh-*`` temporary file; the next start-up removes it and nothing else."""
    from patuh.plugins.web.commands import RECONCILE_FILE
    from patuh.plugins.web.commands import reconcile
    from patuh.plugins.web.store import sweep_temporary

    data = units["data"]
    reconcile(data)
    folder = next(p for p in (data / "units").glob("*/*") if p.is_dir())
    left = [data / ".patuh-stamps.json", folder / ".patuh-manifest.yaml"]
    for path in left:
        path.write_text("half", encoding="utf-8")
    kept = sorted(p for p in data.rglob("*") if p.is_file() and p not in left)
    assert (data / RECONCILE_FILE) in kept
    assert sorted(sweep_temporary(data)) == sorted(left)
    assert sorted(p for p in data.rglob("*") if p.is_file()) == kept
