"""Evidence is never overwritten and never lost: a file detached from its slot, or replaced by
another upload, stays stored as an earlier version (its ``Evidence`` row says when and by whom
it was detached), is not part of the unit's export, and a re-upload of the same bytes reuses
it."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from patuh.plugins.web.store import UnitFolder
from patuh.plugins.web.store import questionnaire

ROOT = Path(__file__).resolve().parents[2]
CSV = (ROOT / "examples" / "dpmptsp-kota-harapan" / "skm" / "jawaban-skm-2024.csv").read_bytes()
SLOT = "standar_pelayanan.penetapan.bukti"


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def model():
    return questionnaire((), date(2025, 12, 31))


@pytest.fixture
def unit(tmp_path: Path, model) -> UnitFolder:
    folder = UnitFolder(tmp_path / "units" / "r2025" / "dinas-a")
    folder.create({"nama": "Dinas A", "kode": "dinas-a"}, {"tahun": 2025}, model=model)
    return folder


def exported(folder: UnitFolder) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(folder.export_zip())) as archive:
        return set(archive.namelist())


def test_a_replaced_data_file_is_kept_outside_the_export(unit: UnitFolder, model) -> None:
    first = unit.add_evidence("skm.berkas", "skm-lama.csv", CSV, model)
    assert first.ok and first.replaced is None
    changed = CSV.replace(b"\n", b"\r\n")  # other bytes, the same survey
    second = unit.add_evidence("skm.berkas", "skm-baru.csv", changed, model)
    assert second.ok and second.replaced == first.stored_name
    assert unit.answers()["skm"]["berkas"] == second.stored_name
    assert (unit.root / first.stored_name).read_bytes() == CSV  # never overwritten
    assert unit.earlier_versions() == [first.stored_name]
    assert exported(unit) == {"manifest.yaml", second.stored_name}
    assert first.stored_name not in unit.files()


def test_a_detached_file_stays_and_a_reupload_reuses_it(unit: UnitFolder, model) -> None:
    old = unit.add_evidence(SLOT, "sk-2024.pdf", pdf("2024"), model)
    new = unit.add_evidence(SLOT, "sk-2025.pdf", pdf("2025"), model)
    removed = unit.remove_evidence(SLOT, old.sha256, model)
    assert removed == {"berkas": old.stored_name, "sha256": old.sha256,
                       "keterangan": "sk-2024.pdf"}
    assert unit.remove_evidence(SLOT, old.sha256, model) is None  # not held any more
    assert (unit.root / old.stored_name).read_bytes() == pdf("2024")
    assert exported(unit) == {"manifest.yaml", new.stored_name}
    stored = sorted(p.name for p in (unit.root / "bukti").iterdir())
    again = unit.add_evidence(SLOT, "sk-2024 lagi.pdf", pdf("2024"), model)
    assert again.ok and again.stored_name == old.stored_name
    assert sorted(p.name for p in (unit.root / "bukti").iterdir()) == stored  # reused
    assert unit.earlier_versions() == []
    assert exported(unit) == {"manifest.yaml", new.stored_name, old.stored_name}


def test_a_refused_upload_keeps_the_earlier_version_of_the_same_bytes(unit: UnitFolder,
                                                                      model) -> None:
    """A data-file slot takes CSV/XLSX only: uploading a kept earlier version's PDF bytes
    there is refused, and the earlier version is not deleted with the refused upload."""
    old = unit.add_evidence(SLOT, "sk.pdf", pdf("sk"), model)
    unit.remove_evidence(SLOT, old.sha256, model)
    refused = unit.add_evidence("skm.berkas", "sk.pdf", pdf("sk"), model)
    assert not refused.ok
    assert (unit.root / old.stored_name).is_file()


# --- the index and the pages ---------------------------------------------------------------------

@pytest.fixture
def world(data_dir, make_round, make_unit, make_person):
    data_dir.mkdir(parents=True, exist_ok=True)
    round_ = make_round()
    a = make_unit(round_, "dinas-a", "Dinas A")
    return {"a": a, "op": make_person("op_a", "operator", (a,)),
            "other": make_person("op_b", "operator", ()),
            "admin": make_person("admin", "admin")}


def test_the_index_keeps_each_version_with_who_detached_it(world) -> None:
    from patuh.plugins.web import answers
    from patuh.plugins.web.models import AuditEvent
    from patuh.plugins.web.models import Evidence

    a, op, admin = world["a"], world["op"], world["admin"]
    first = answers.upload(op, a, "skm.berkas", "skm-lama.csv", CSV)
    second = answers.upload(admin, a, "skm.berkas", "skm-baru.csv", CSV.replace(b"\n", b"\r\n"))
    rows = list(Evidence.objects.filter(unit=a).order_by("id"))
    assert [(r.sha256, r.uploaded_by, r.detached_by, r.detached_at is not None)
            for r in rows] == [(first.sha256, op, admin, True), (second.sha256, admin, None,
                                                                  False)]
    replaced = AuditEvent.objects.filter(action="evidence.add").first()
    assert replaced.detail["replaced"] == first.stored_name
    # detached by the operator, uploaded again: a new current row, the history kept
    answers.remove_evidence(op, a, "skm.berkas", second.sha256)
    answers.upload(op, a, "skm.berkas", "skm-lama lagi.csv", CSV)
    rows = list(Evidence.objects.filter(unit=a).order_by("id"))
    assert [(r.sha256, r.detached_by) for r in rows] == [
        (first.sha256, admin), (second.sha256, op), (first.sha256, None)]
    assert Evidence.objects.filter(unit=a, detached_at__isnull=True).count() == 1
    removed = AuditEvent.objects.filter(action="evidence.remove").first()
    assert removed.detail["name"] == "skm-baru.csv" and removed.detail["sha256"] == \
        second.sha256


def test_start_up_matches_the_index_and_keeps_the_versions(world) -> None:
    """``patuh serve``'s start-up match leaves a unit whose index already follows its manifest
    alone (earlier versions and data files included) and repairs one that does not without
    touching its history."""
    from patuh.plugins.web import answers
    from patuh.plugins.web.commands import reconcile_evidence
    from patuh.plugins.web.models import Evidence

    a, op = world["a"], world["op"]
    answers.upload(op, a, "skm.berkas", "skm-lama.csv", CSV)
    answers.upload(op, a, "skm.berkas", "skm-baru.csv", CSV.replace(b"\n", b"\r\n"))
    answers.upload(op, a, SLOT, "sk.pdf", pdf("sk"))
    before = list(Evidence.objects.filter(unit=a).order_by("id").values())
    assert reconcile_evidence() == 0
    assert list(Evidence.objects.filter(unit=a).order_by("id").values()) == before
    Evidence.objects.filter(unit=a, slot=SLOT).delete()  # a kill before the index's commit
    assert reconcile_evidence() == 1
    assert Evidence.objects.filter(unit=a, slot=SLOT, detached_at__isnull=True).count() == 1
    assert Evidence.objects.filter(unit=a, detached_at__isnull=False).count() == 1


def test_the_export_holds_only_what_the_manifest_references(client, signed_in, world) -> None:
    from patuh.plugins.web import answers

    a, op = world["a"], world["op"]
    old = answers.upload(op, a, SLOT, "sk-2024.pdf", pdf("2024"))
    new = answers.upload(op, a, SLOT, "sk-2025.pdf", pdf("2025"))
    answers.remove_evidence(op, a, SLOT, old.sha256)
    signed_in(op)
    response = client.get(f"/r/{a.round.slug}/u/{a.kode}/export.zip")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
    assert new.stored_name in names and old.stored_name not in names
    # the earlier version: listed for the admin, not for another unit's operator
    signed_in(world["other"])
    assert client.get(f"/kelola/audit/bukti/{a.pk}/{old.sha256}").status_code == 404
    assert client.get(f"/r/{a.round.slug}/u/{a.kode}/evidence/{old.sha256}").status_code == 404
    signed_in(world["admin"])
    kept = client.get(f"/kelola/audit/bukti/{a.pk}/{old.sha256}")
    assert kept.status_code == 200 and b"".join(kept.streaming_content) == pdf("2024")
