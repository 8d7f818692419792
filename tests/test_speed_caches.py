"""Caches that spare work a later check would repeat: evidence digests kept in the cache folder
for the next process, and data files read once per process while they are unchanged. A stale
entry must never be read: a changed file is hashed and read again."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from patuh import evidence
from patuh.evidence import collect
from patuh.manifest import load_manifest
from patuh.plugins import tables
from patuh.report import build_report
from patuh.rulebook import load_ruleset

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dpmptsp-kota-harapan"
OLD = time.time() - 3600  # a modification time well before any read (not "racy")


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hashed from now on."""
    names: list[str] = []
    real = evidence._sha256

    def spy(file: Path) -> str:
        names.append(file.name)
        return real(file)

    monkeypatch.setattr(evidence, "_sha256", spy)
    return names


def _unit(tmp_path: Path, **files: bytes) -> tuple[dict, Path]:
    folder = tmp_path / "unit"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
        os.utime(folder / name, (OLD, OLD))
    return {"maklumat": {"bukti": sorted(files)}}, folder


def _digests(found: dict) -> dict[str, str | None]:
    return {e.ref: e.sha256 for items in found.values() for e in items}


def test_an_unchanged_file_is_not_hashed_by_the_next_check(patuh_cache: Path, hashed: list[str],
                                                           tmp_path: Path) -> None:
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one", "b.pdf": b"two"})
    first = _digests(collect(manifest, folder))
    assert sorted(hashed) == ["a.pdf", "b.pdf"]
    assert list((patuh_cache / "digests").glob("*.json"))
    hashed.clear()
    assert _digests(collect(manifest, folder)) == first  # read from the cache file
    assert hashed == []


def test_a_changed_file_is_hashed_again(patuh_cache: Path, hashed: list[str],
                                        tmp_path: Path) -> None:
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one", "b.pdf": b"two"})
    collect(manifest, folder)
    hashed.clear()
    (folder / "a.pdf").write_bytes(b"ONE")  # same size, new content
    os.utime(folder / "a.pdf", (OLD + 60, OLD + 60))
    found = _digests(collect(manifest, folder))
    assert hashed == ["a.pdf"]
    assert found["a.pdf"] == evidence._sha256(folder / "a.pdf")


def test_a_file_with_its_old_times_put_back_is_hashed_again(patuh_cache: Path, hashed: list[str],
                                                            tmp_path: Path) -> None:
    """Same size and modification time as before (``touch -d``): the change time differs."""
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one"})
    collect(manifest, folder)
    hashed.clear()
    (folder / "a.pdf").write_bytes(b"two")
    os.utime(folder / "a.pdf", (OLD, OLD))
    found = _digests(collect(manifest, folder))
    assert hashed == ["a.pdf"]
    assert found["a.pdf"] == evidence._sha256(folder / "a.pdf")


def test_a_file_just_written_is_not_kept(patuh_cache: Path, hashed: list[str],
                                         tmp_path: Path) -> None:
    """It may change again within its time stamp's tick; the next check hashes it again."""
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one"})
    (folder / "a.pdf").write_bytes(b"new")
    collect(manifest, folder)
    collect(manifest, folder)
    assert hashed == ["a.pdf", "a.pdf"]


def test_no_cache_turns_it_off(patuh_cache: Path, hashed: list[str], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one"})
    collect(manifest, folder)
    collect(manifest, folder)
    assert hashed == ["a.pdf", "a.pdf"]
    assert not patuh_cache.exists()


@pytest.mark.parametrize("content", [b"not json", b"[]", b'{"format": 1, "entries": 7}',
                                     b'{"format": 1, "entries": [["x", 1, 2, 3, 4, 5, "zz"]]}'])
def test_a_damaged_cache_file_is_ignored_and_rewritten(patuh_cache: Path, hashed: list[str],
                                                       tmp_path: Path, content: bytes) -> None:
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one"})
    right = _digests(collect(manifest, folder))
    (stored,) = (patuh_cache / "digests").glob("*.json")
    stored.write_bytes(content)
    hashed.clear()
    assert _digests(collect(manifest, folder)) == right
    assert hashed == ["a.pdf"]
    assert json.loads(stored.read_text())["entries"][0][-1] == right["a.pdf"]


def test_a_forged_entry_for_another_stamp_is_not_used(patuh_cache: Path, tmp_path: Path) -> None:
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one"})
    collect(manifest, folder)
    (stored,) = (patuh_cache / "digests").glob("*.json")
    data = json.loads(stored.read_text())
    data["entries"][0][3] += 1  # another size
    data["entries"][0][-1] = "0" * 64
    stored.write_text(json.dumps(data))
    assert _digests(collect(manifest, folder))["a.pdf"] == evidence._sha256(folder / "a.pdf")


def test_an_unwritable_cache_is_not_used(tmp_path: Path, hashed: list[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PATUH_CACHE_DIR", str(blocker / "cache"))
    manifest, folder = _unit(tmp_path, **{"a.pdf": b"one"})
    assert _digests(collect(manifest, folder))["a.pdf"] == evidence._sha256(folder / "a.pdf")


# --- data files read once per process ---------------------------------------------------------

def _copy(tmp_path: Path) -> Path:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)  # keeps the files' modification times
    return unit / "manifest.yaml"


def test_a_changed_answer_does_not_read_the_answer_file_again(
        tmp_path: Path, computed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    manifest_file = _copy(tmp_path)
    ruleset = load_ruleset("pekppp")
    first = build_report(load_manifest(manifest_file), ruleset)
    text = manifest_file.read_text(encoding="utf-8")
    manifest_file.write_text(text.replace("interval_bulan: 12", "interval_bulan: 24"),
                             encoding="utf-8")
    computed.clear()
    second = build_report(load_manifest(manifest_file), ruleset)
    assert computed == []
    assert second["digests"]["evidence"] == first["digests"]["evidence"]
    assert [r for r in second["results"] if r["rule_id"].startswith("pekppp.6")] == \
        [r for r in first["results"] if r["rule_id"].startswith("pekppp.6")]


def test_a_changed_answer_file_is_read_again(tmp_path: Path, computed: list[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    manifest_file = _copy(tmp_path)
    ruleset = load_ruleset("pekppp")
    build_report(load_manifest(manifest_file), ruleset)
    answers = manifest_file.parent / "skm" / "jawaban-skm-2024.csv"
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text("".join(lines[:-100]), encoding="utf-8")  # fewer respondents
    stamp = answers.stat().st_mtime
    os.utime(answers, (stamp - 3600, stamp - 3600))  # even with an old time: size differs
    computed.clear()
    report = build_report(load_manifest(manifest_file), ruleset)
    assert computed == ["jawaban-skm-2024.csv"]
    assert report["digests"]["evidence"]["skm/jawaban-skm-2024.csv"] == tables.sha256(answers)


def test_a_limit_changed_in_the_environment_reads_again(tmp_path: Path, computed: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    manifest_file = _copy(tmp_path)
    ruleset = load_ruleset("pekppp")
    build_report(load_manifest(manifest_file), ruleset)
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "10")
    with pytest.raises(Exception, match="10"):
        build_report(load_manifest(manifest_file), ruleset)


def test_memo_read_gives_each_caller_its_own_copy(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    file = tmp_path / "data.txt"
    file.write_text("x")
    os.utime(file, (OLD, OLD))
    calls: list[int] = []

    def read(path: Path) -> dict:
        calls.append(1)
        return {"items": [path.read_text()]}

    first = tables.memo_read(file, read)
    first["items"].append("changed by a caller")
    assert tables.memo_read(file, read) == {"items": ["x"]}
    assert len(calls) == 1
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    tables.memo_read(file, read)
    assert len(calls) == 2


# --- references resolved with the real paths of their folders, shared -----------------------

def test_links_in_references_are_still_followed_and_judged(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rahasia.pdf").write_bytes(b"x")
    unit = tmp_path / "unit"
    (unit / "foto").mkdir(parents=True)
    (unit / "foto" / "a.jpg").write_bytes(b"a")
    (unit / "foto" / "keluar.jpg").symlink_to(outside / "rahasia.pdf")
    (unit / "foto" / "dalam.jpg").symlink_to(unit / "foto" / "a.jpg")
    (unit / "luar").symlink_to(outside)
    (unit / "alias").symlink_to(unit / "foto")
    (unit / "putar").symlink_to(unit / "putar")
    refs = ["foto/a.jpg", "foto/keluar.jpg", "foto/dalam.jpg", "luar/rahasia.pdf",
            "alias/a.jpg", "putar/x.pdf", "tidak-ada/x.pdf", "foto/tidak-ada.jpg", "foto"]
    found = collect({"sarana": {"bukti": refs}}, unit, {})
    status = {e.ref: e.status for e in found["sarana"]}
    assert status == {"foto/a.jpg": "ok", "foto/keluar.jpg": "outside", "foto/dalam.jpg": "ok",
                      "luar/rahasia.pdf": "outside", "alias/a.jpg": "ok",
                      "putar/x.pdf": "unreadable", "tidak-ada/x.pdf": "not_found",
                      "foto/tidak-ada.jpg": "not_found", "foto": "not_a_file"}
    for ref in refs:  # as each reference resolved on its own
        assert evidence.resolve_inside(unit, ref)[1] == status[ref]


def test_copies_of_one_answer_file_are_read_once(tmp_path: Path, computed: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch over copies of a unit: the same answers under the same name, read once; the
    report of each copy is the same as when it is read on its own."""
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    ruleset = load_ruleset("pekppp")
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(EXAMPLE, first / "unit")
    shutil.copytree(EXAMPLE, second / "unit")
    computed.clear()
    one = build_report(load_manifest(first / "unit" / "manifest.yaml"), ruleset)
    two = build_report(load_manifest(second / "unit" / "manifest.yaml"), ruleset)
    assert len(computed) <= 1  # none when an earlier test read the example already
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    alone = build_report(load_manifest(second / "unit" / "manifest.yaml"), ruleset)
    assert one == two == alone


def test_the_cache_folder_is_pruned_of_old_entries_once_a_day(tmp_path: Path) -> None:
    """Every new patuh, rule edit and unit folder makes new entries and stale ones are never
    read again: entries not written for 60 days go (a used one is simply rebuilt), and so do
    temporary files a killed write left; nothing else in the folder is touched."""
    from patuh import rulecache

    where = tmp_path / "cache"
    where.mkdir()
    now = time.time()
    old, day = now - rulecache.MAX_AGE - 60, 86400
    names = {"stale.json": old, "fresh.json": now - 59 * day, ".patuh-x.tmp": now - 2 * day,
             ".patuh-y.tmp": now - 60, "notes.txt": old, ".pruned-not.json": old}
    for name, when in names.items():
        (where / name).write_text("{}", encoding="utf-8")
        os.utime(where / name, (when, when))
    (where / "sub").mkdir()
    os.utime(where / "sub", (old, old))
    (tmp_path / "elsewhere.json").write_text("{}", encoding="utf-8")
    os.utime(tmp_path / "elsewhere.json", (old, old))
    (where / "link.json").symlink_to(tmp_path / "elsewhere.json")

    rulecache.write_entry(where, "new.json", {"value": [1]}, [1], "value")
    left = sorted(p.name for p in where.iterdir())
    assert left == [".patuh-y.tmp", ".pruned", ".pruned-not.json", "fresh.json", "link.json",
                    "new.json", "notes.txt", "sub"]
    assert (tmp_path / "elsewhere.json").exists()  # links and their targets are left alone

    # within the day the folder is not looked through again
    (where / "stale2.json").write_text("{}", encoding="utf-8")
    os.utime(where / "stale2.json", (old, old))
    rulecache.write_entry(where, "new2.json", {"value": [2]}, [2], "value")
    assert (where / "stale2.json").exists()
    rulecache.prune(where, now=now + day + 1)  # the next day it is
    assert not (where / "stale2.json").exists() and (where / "new2.json").exists()
