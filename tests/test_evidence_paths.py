"""Evidence references resolved with the shared folder caches of one manifest (real folders,
which folders are inside the unit) give what a plain ``resolve()`` of each gives: the same
file, status and stat, with links inside and outside the unit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patuh import evidence


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "secret.pdf").write_bytes(b"s")
    (outside / "deep" / "x.pdf").write_bytes(b"x")
    base = tmp_path / "unit"
    (base / "bukti" / "sub").mkdir(parents=True)
    (base / "bukti" / "a.pdf").write_bytes(b"a")
    (base / "bukti" / "sub" / "b.pdf").write_bytes(b"b")
    (base / "top.pdf").write_bytes(b"t")
    (base / "folder.pdf").mkdir()
    links = {"link-out.pdf": outside / "secret.pdf", "link-in.pdf": base / "bukti" / "a.pdf",
             "dir-out": outside, "dir-in": base / "bukti", "dangling.pdf": base / "nope.pdf",
             "loop.pdf": base / "loop.pdf", "up": tmp_path}
    for name, to in links.items():
        try:
            (base / name).symlink_to(to)
        except OSError:
            pytest.skip("no symlinks here")
    (base / "bukti" / "back").symlink_to(base)
    return base


REFS = ["top.pdf", "bukti/a.pdf", "bukti/sub/b.pdf", "bukti/./a.pdf", "./top.pdf", ".", "",
        "bukti", "folder.pdf", "missing.pdf", "bukti/missing.pdf", "missing/x.pdf",
        "top.pdf/x", "link-out.pdf", "link-in.pdf", "dir-out/secret.pdf", "dir-out/deep/x.pdf",
        "dir-in/a.pdf", "dir-in/sub/b.pdf", "dangling.pdf", "loop.pdf", "up/outside/secret.pdf",
        "up/unit/top.pdf", "bukti/back/top.pdf", "bukti/back/bukti/a.pdf", "../x", "/etc/passwd",
        "~/x", "a\0b", "bukti//a.pdf", "x" * 300 + ".pdf"]


def test_shared_caches_give_what_resolve_gives(unit: Path) -> None:
    resolved = unit.resolve()
    folders: dict[Path, Path] = {}
    inside: dict[tuple[Path, Path], bool] = {}
    for _ in range(2):  # the second pass answers from the caches
        for ref in REFS:
            fast = evidence._locate(unit, ref, resolved, folders, inside)
            plain = evidence._locate(unit, ref, None, None)
            assert fast[:2] == plain[:2], ref
            if fast[2] is not None:
                st, ref_st = fast[2], plain[2]
                assert (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) == \
                    (ref_st.st_dev, ref_st.st_ino, ref_st.st_size, ref_st.st_mtime_ns,
                     ref_st.st_ctime_ns), ref
    statuses = {ref: evidence._locate(unit, ref, None, None)[1] for ref in REFS}
    assert statuses["link-out.pdf"] == statuses["dir-out/secret.pdf"] == "outside"
    assert statuses["up/unit/top.pdf"] == statuses["bukti/back/top.pdf"] == "ok"
    assert statuses["up/outside/secret.pdf"] == "outside"


def test_collect_reports_the_same_as_one_reference_at_a_time(unit: Path) -> None:
    refs = [r for r in REFS if r]
    found = evidence.collect({"x": {"bukti": refs}}, unit)
    assert [(e.ref, e.status) for e in found["x"]] == [
        (ref, evidence.collect({"x": {"bukti": [ref]}}, unit)["x"][0].status) for ref in refs]
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        (unit / "top.pdf").chmod(0)
        assert evidence.collect({"x": {"bukti": ["top.pdf"]}}, unit)["x"][0].status == \
            "unreadable"
