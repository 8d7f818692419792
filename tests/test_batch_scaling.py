"""`patuh batch` stays flat in memory however many units it runs (asserted structurally, never by
timing): few units in flight at once, few input files kept by the parent, chunks that shrink
towards the end of a batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from patuh import batch
from patuh.batch import Config
from patuh.outputs import InputSet

ROOT = Path(__file__).resolve().parents[1]


def test_chunks_cover_every_task_in_order_and_shrink_towards_the_end() -> None:
    for total, workers, largest in ((1, 1, 16), (7, 2, 16), (200, 2, 16), (1000, 3, 4)):
        tasks = [(index, f"m{index}") for index in range(total)]
        chunks = list(batch._chunks(iter(tasks), total, workers, largest))
        assert [task for chunk in chunks for task in chunk] == tasks
        sizes = [len(chunk) for chunk in chunks]
        assert max(sizes) <= largest
        assert sizes == sorted(sizes, reverse=True)  # never a long chunk last
        assert sizes[-1] == 1


def test_units_in_flight_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outcomes come back in input order through a window: the parent never holds more than
    the window's units, whatever the batch's size (a unit that cannot be read is an error
    row: quick units, so the pool runs far ahead if nothing holds it back)."""
    submitted = 0
    real_pool = batch._pool

    def counting_pool(workers: int, config: Config):
        executor = real_pool(workers, config)
        real_submit = executor.submit

        def submit(fn, chunk):
            nonlocal submitted
            submitted += len(chunk)
            return real_submit(fn, chunk)

        executor.submit = submit
        return executor

    monkeypatch.setattr(batch, "_pool", counting_pool)
    total, workers = 3000, 2
    paths = [f"/nonexistent/patuh-test/{index}/manifest.yaml" for index in range(total)]
    config = Config(("pekppp",), None, None, (), "en", timeout=60)
    bound = workers * 3 * batch.MAX_CHUNK  # the window: chunks in flight × largest chunk
    most = 0
    for seen, outcome in enumerate(batch.outcomes(paths, config, workers), start=1):
        assert outcome.index == seen - 1
        assert outcome.rows[0]["status"] == "error"
        most = max(most, submitted - seen)
    assert seen == total and submitted == total
    assert most <= bound < total


def test_the_parent_keeps_only_inputs_an_output_could_replace(tmp_path: Path) -> None:
    """Every unit reads ~40 evidence and data files; the parent keeps none of them (they are
    not in the output folder), so its memory does not grow with the number of units. The
    reports are still refused where they would replace an input (tests/test_hostile_outputs)."""
    folder = tmp_path / "units"
    paths = []
    for index in range(3):
        target = folder / f"u{index}"
        shutil.copytree(ROOT / "examples" / "kecamatan-lembah-hijau", target)
        manifest = target / "manifest.yaml"
        text = manifest.read_text("utf-8").replace("kode: kec-lembah-hijau", f"kode: u{index}")
        manifest.write_text(text, "utf-8")
        paths.append(str(manifest))
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("already here\n", encoding="utf-8")
    watched = batch.watched_files(out, None)
    assert len(watched) == 1
    config = Config(("pekppp",), None, None, ("json",), "en", watched=watched)
    inputs = InputSet()
    store = batch.run_batch(paths, config, 1, out, inputs=inputs)
    try:
        rows = [row for _rank, row in store.ranked()]
    finally:
        store.close()
    assert [row["status"] for row in rows] == ["ok"] * 3
    assert inputs._ids == {}  # nothing kept: no input lies in the output folder
    report = json.loads((out / "u0.pekppp.json").read_text("utf-8"))
    assert len(report["digests"]["evidence"]) > 10  # the units did read many files

    # the unit's own folder as the output: the files at its top (where reports and summaries
    # are written) are kept, and protected; those in its subfolders cannot be replaced
    manifest = Path(paths[0])
    config = Config(("pekppp",), None, None, ("json",), "en",
                    watched=batch.watched_files(manifest.parent, None))
    assert batch.evaluate_unit(config, 0, str(manifest)).inputs == [str(manifest)]
    # the --store file, even one made after the batch began, is known when a unit reads it
    data = manifest.parent / "pengaduan" / "log-pengaduan-2024.csv"
    config = Config(("pekppp",), None, None, (), "en", store=str(data))
    assert batch.evaluate_unit(config, 0, str(manifest)).inputs == [str(data)]


def test_workers_write_the_report_files_and_the_parent_only_moves_them(tmp_path: Path
                                                                     ) -> None:
    """With workers and -o, a unit's report travels as a staged file, not as bytes through
    the pipe; a unit given up removes what it staged, and so does the end of the batch."""
    manifest = ROOT / "examples" / "kecamatan-lembah-hijau" / "manifest.yaml"
    out = tmp_path / "out"
    out.mkdir()
    plain = Config(("pekppp",), None, None, ("json", "text"), "id")
    staged = Config(("pekppp",), None, None, ("json", "text"), "id",
                    stage=batch.stage_prefix(out))
    sent = batch.evaluate_unit(plain, 0, str(manifest))
    kept = batch.evaluate_unit(staged, 0, str(manifest))
    assert kept.texts == [] and [(r, f) for r, f, _ in kept.staged] == [
        (r, f) for r, f, _ in sent.texts]
    for (_r, _f, data), (_r2, _f2, name) in zip(sent.texts, kept.staged, strict=True):
        assert Path(name).parent == out and Path(name).name.startswith(".patuh-batch-")
        assert Path(name).read_bytes() == data

    store, inputs = batch.RowStore(("pekppp",), "id"), InputSet()
    try:
        batch._take(kept, store, batch.Slugs(), out, None, "id", inputs)
    finally:
        store.close()
    assert sorted(p.name for p in out.iterdir()) == ["kec-lembah-hijau.pekppp.json",
                                                     "kec-lembah-hijau.pekppp.txt"]
    assert (out / "kec-lembah-hijau.pekppp.json").read_bytes() == sent.texts[0][2]

    # a second unit with the same kode and a verification file: given up, nothing left
    again = batch.evaluate_unit(staged, 1, str(manifest))
    store = batch.RowStore(("pekppp",), "id")
    store.verification = {"kec-lembah-hijau": "v.yaml"}
    store.verified_by = {"kec-lembah-hijau": "another/manifest.yaml"}
    try:
        batch._one_unit_per_file(again, store, "id")
    finally:
        store.close()
    assert again.staged == [] and not list(out.glob(".patuh-*"))

    # what a killed worker staged is swept at the end; other files are left alone
    (out / ".patuh-batch-1-9-0.tmp").write_bytes(b"x")  # another batch's: not ours
    batch.evaluate_unit(staged, 2, str(manifest))
    batch.unstage(staged.stage)
    assert sorted(p.name for p in out.iterdir()) == [
        ".patuh-batch-1-9-0.tmp", "kec-lembah-hijau.pekppp.json", "kec-lembah-hijau.pekppp.txt"]


def test_default_workers_are_the_cpus_this_process_may_use(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    import os

    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3})
        monkeypatch.setattr(os, "cpu_count", lambda: 64)
        assert batch.usable_cpus() == 2
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert batch.usable_cpus() == 1
