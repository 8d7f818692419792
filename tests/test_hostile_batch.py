"""`patuh batch` under faults: a unit that hangs (a time limit per unit), SIGTERM/SIGHUP to the
batch (workers stopped, temporaries removed, the summary of what finished), a history held
locked by another writer (never success with reports missing), and folders too deep for a
recursive walk."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import slow_plugin

from patuh import batch
from patuh import history

ROOT = Path(__file__).resolve().parents[1]
GOOD = ("dpmptsp-kota-harapan", "kecamatan-lembah-hijau")
FORK = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                          reason="the test plugin is registered in this process and inherited "
                                 "by forked workers")


def unit(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.yaml"
    manifest.write_text(f"schema_version: 1\nunit: {{nama: {name}}}\nperiode: {{tahun: 2024}}\n",
                        encoding="utf-8")
    return manifest


def copy_examples(units: Path) -> None:
    import shutil

    for name in GOOD:
        shutil.copytree(ROOT / "examples" / name, units / name)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test plugin whose deriver sleeps for units named ``Lambat…``."""
    monkeypatch.setenv("PATUH_TEST_SLEEP", "60")
    slow_plugin.register()
    yield
    slow_plugin.unregister()


# --- a time limit per unit ------------------------------------------------------------------

@FORK
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_hanging_unit_becomes_an_error_row(workers: str, tmp_path: Path, run, slow) -> None:
    units = tmp_path / "units"
    copy_examples(units)
    unit(units / "lambat", "Lambat Sekali")
    out = tmp_path / "out"
    result = run("batch", units, "--workers", workers, "--timeout", "1", "-o", out,
                 "--lang", "en")
    assert result.code == 2, result.err
    rows = {Path(r["manifest"]).parent.name: r for r in jsonl(out / "summary.jsonl")}
    assert rows["lambat"]["status"] == "error"
    assert rows["lambat"]["error"].startswith("timed out: evaluating this unit took more "
                                              "than 1 seconds (--timeout)")
    assert [rows[name]["status"] for name in GOOD] == ["ok", "ok"]


@FORK
def test_a_unit_deaf_to_its_alarm_is_stopped_by_the_parent(tmp_path: Path, run, slow,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """A unit stuck where Python's alarm cannot reach it (here: SIGALRM blocked, as in a long
    C call) is killed by the parent after its limit and a grace period."""
    monkeypatch.setattr(batch, "GRACE", 0.5)
    units = tmp_path / "units"
    copy_examples(units)
    unit(units / "macet", "Lambat Macet")
    out = tmp_path / "out"
    result = run("batch", units, "--workers", "1", "--timeout", "0.5", "-o", out,
                 "--lang", "en")
    assert result.code == 2, result.err
    rows = {Path(r["manifest"]).parent.name: r for r in jsonl(out / "summary.jsonl")}
    assert rows["macet"]["error"].startswith("timed out")
    assert [rows[name]["status"] for name in GOOD] == ["ok", "ok"]


def test_timeout_option_is_checked(tmp_path: Path, run) -> None:
    unit(tmp_path / "u", "Unit Uji")
    result = run("batch", tmp_path, "--timeout", "-1")
    assert result.code == 2
    assert "--timeout" in result.err


# --- SIGTERM / SIGHUP -----------------------------------------------------------------------

def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_ends_the_workers_and_writes_the_summary(signum: int,
                                                                tmp_path: Path) -> None:
    units = tmp_path / "units"
    copy_examples(units)
    unit(units / "lambat", "Lambat Sekali")
    unit(units / "zzz", "Unit Terakhir")
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "PATUH_TEST_SLEEP": "60", "TMPDIR": str(scratch),
           "PYTHONPATH": str(ROOT / "tests")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "slow_plugin.py"), "batch", units,
         "--workers", "2", "--timeout", "100", "-o", out, "--lang", "en"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        reports = [out / "dpmptsp-kota-harapan.pekppp.json",
                   out / "kec-lembah-hijau.pekppp.json"]
        while not all(r.exists() for r in reports) and time.monotonic() < deadline:
            time.sleep(0.1)  # the two good units are done; the slow one is running
        workers = children(process.pid)
        assert workers, "the batch has worker processes while it runs"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signum, stderr
    name = signal.Signals(signum).name
    assert f"stopped by {name}: 2 of 4 units were not evaluated" in stderr
    assert "Traceback" not in stderr
    rows = {Path(r["manifest"]).parent.name: r for r in jsonl(out / "summary.jsonl")}
    assert [rows[n]["status"] for n in GOOD] == ["ok", "ok"]
    for stopped in ("lambat", "zzz"):
        assert rows[stopped]["error"] == f"not evaluated: the batch was stopped by {name}"
    for summary in ("summary.txt", "summary.csv", "summary.xlsx"):
        assert (out / summary).stat().st_size > 0
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "a worker process outlived the batch"
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporaries
    assert list(scratch.iterdir()) == []


# --- a history locked by another writer -----------------------------------------------------

def _stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]


@pytest.fixture
def stored_once(tmp_path: Path, run) -> Path:
    """A history file holding one evaluation (another unit's)."""
    db = tmp_path / "riwayat.sqlite"
    first = unit(tmp_path / "lain", "Unit Lain")
    assert run("check", first, "--store", db).code == 0
    assert _stored(db) == 1
    return db


def test_a_lock_held_past_the_wait_is_exit_2_naming_what_was_not_stored(
        tmp_path: Path, run, stored_once: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "LOCK_WAIT", 0.5)
    units = tmp_path / "units"
    copy_examples(units)
    holder = sqlite3.connect(stored_once)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("batch", units, "--workers", "1", "--store", stored_once, "--lang", "en")
    finally:
        holder.rollback()
        holder.close()
    assert result.code == 2, result.err
    assert "2 reports were NOT stored in" in result.err
    assert "the history is locked by another program (for more than 0.5 seconds)" in result.err
    assert "Traceback" not in result.err
    assert "2 units × ruleset pekppp: 2 evaluated, 0 failed" in result.out  # still reported
    assert _stored(stored_once) == 1


def test_a_lock_released_in_time_is_waited_for(tmp_path: Path, run, stored_once: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "LOCK_WAIT", 60.0)
    monkeypatch.setattr(history, "_BUSY_TIMEOUT", 0.2)  # retried by patuh, not only SQLite
    units = tmp_path / "units"
    copy_examples(units)
    holder = sqlite3.connect(stored_once, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.5, lambda: (holder.rollback(), holder.close()))
    release.start()
    try:
        result = run("batch", units, "--workers", "1", "--store", stored_once, "--lang", "en")
    finally:
        release.join()
    assert result.code == 0, result.err
    assert _stored(stored_once) == 3


def test_check_store_behind_a_lock(tmp_path: Path, run, stored_once: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "LOCK_WAIT", 0.3)
    manifest = unit(tmp_path / "baru", "Unit Baru")
    holder = sqlite3.connect(stored_once)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("check", manifest, "--store", stored_once, "--lang", "en")
    finally:
        holder.rollback()
        holder.close()
    assert result.code == 2
    assert "the history is locked by another program" in result.err
    assert _stored(stored_once) == 1


# --- discovery ------------------------------------------------------------------------------

def deep_unit(root: Path, name: str, depth: int) -> None:
    """A manifest ``depth`` folders below ``root`` (made relative to open folders: the whole
    path may be longer than the system allows)."""
    root.mkdir(parents=True)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("manifest.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"schema_version: 1\nunit: {nama: Unit Dalam}\nperiode: {tahun: 2024}\n")
        os.close(out)
    finally:
        os.close(fd)


def remove_tree(path: Path) -> None:
    """Remove a tree of any depth (``shutil.rmtree`` recurses and fails at 1,100 levels, and
    pytest's own clean-up of old temporary folders would trip over it)."""
    stack: list[tuple[int, int | None, str | None]] = [
        (os.open(path, os.O_RDONLY | os.O_DIRECTORY), None, None)]
    while stack:
        fd, parent, name = stack[-1]
        for entry in os.listdir(fd):
            try:
                os.unlink(entry, dir_fd=fd)
            except IsADirectoryError:
                inner = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                stack.append((inner, fd, entry))
                break
        else:
            stack.pop()
            os.close(fd)
            if parent is not None:
                os.rmdir(name, dir_fd=parent)
    os.rmdir(path)


@pytest.fixture
def deep(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "dalam"
    yield folder
    if folder.exists():
        remove_tree(folder)


def test_a_manifest_1100_folders_deep(deep: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(deep.parent)
    deep_unit(Path(deep.name), "d", 1100)
    result = run("batch", deep.name, "--workers", "1", "--lang", "en")
    assert result.code == 0, result.err
    assert "1 units × ruleset pekppp: 1 evaluated, 0 failed" in result.out


def test_folders_deeper_than_the_system_allows(deep: Path, run) -> None:
    deep_unit(deep, "x" * 50, 1100)
    result = run("batch", deep, "--workers", "1", "--lang", "en")
    assert result.code == 2
    assert "cannot read the folder: File name too long" in result.err
    assert "Traceback" not in result.err
