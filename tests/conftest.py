"""Shared fixtures: running the CLI in-process, writing manifests, spying on file reads."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from patuh import manager
from patuh import rulebook
from patuh.cli import cli
from patuh.cli import main
from patuh.plugins import skm


@pytest.fixture(autouse=True, scope="session")
def _private_rule_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the ruleset cache of test runs out of the user's home."""
    old = os.environ.get("PATUH_CACHE_DIR")
    os.environ["PATUH_CACHE_DIR"] = str(tmp_path_factory.mktemp("rule-cache"))
    yield
    if old is None:
        os.environ.pop("PATUH_CACHE_DIR", None)
    else:
        os.environ["PATUH_CACHE_DIR"] = old


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``run("check", path, ...)``: call ``patuh.cli.main`` (which maps errors to exit codes
    and never raises) and return its exit code with what it printed."""

    def invoke(*argv: str | Path) -> Run:
        capsys.readouterr()  # drop anything printed before
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., Any]:
    """``invoke("rules", "list")``: click's test runner on the ``patuh`` group."""

    def call(*argv: str | Path) -> Any:
        return runner.invoke(cli, [str(a) for a in argv], catch_exceptions=False)

    return call


MINIMAL: dict[str, Any] = {
    "schema_version": 1,
    "unit": {"nama": "Unit Uji", "instansi": "Pemerintah Kota Uji"},
    "periode": {"tahun": 2024},
}


def no_crash(result: Run) -> None:
    """Exit 0, 1 or 2: never an internal error, never a traceback."""
    assert result.code in (0, 1, 2), (result.code, result.err)
    assert "Traceback" not in result.err
    assert "internal error" not in result.err and "kesalahan internal" not in result.err


def refused(result: Run, *words: str) -> None:
    """Exit 2 (bad input) with each of ``words`` in the message."""
    no_crash(result)
    assert result.code == 2, (result.code, result.err)
    for word in words:
        assert word in result.err, result.err


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def write_manifest(tmp_path: Path) -> Callable[..., Path]:
    """Write a manifest (a dict merged over a minimal valid one, or raw text) into a unit
    folder below tmp_path, creating the evidence files named in ``files``."""

    def write(data: dict[str, Any] | str | None = None, *, name: str = "manifest.yaml",
              files: tuple[str, ...] = (), folder: str = "unit") -> Path:
        base = tmp_path / folder
        base.mkdir(parents=True, exist_ok=True)
        for ref in files:
            target = base / ref
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f"bukti {ref}\n".encode())
        text = data if isinstance(data, str) else dump({**MINIMAL, **(data or {})})
        path = base / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# --- a spy on file opens (catches open(), io.open, os.open and Path.open alike) -------------

_watch: list[tuple[str, list[str]]] = []
_hook_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _watch or not args:
        return
    target = args[0]
    if isinstance(target, int):
        return
    try:
        real = os.path.realpath(os.fsdecode(target))
    except (TypeError, ValueError):
        return
    for watched, hits in _watch:
        if real == watched:
            hits.append(real)


@pytest.fixture
def opened() -> Iterator[Callable[[Path], list[str]]]:
    """``hits = opened(path)``: every later open of ``path`` (after resolving symlinks) is
    appended to ``hits`` until the test ends."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; this one idles when unused
        _hook_installed = True

    def watch(path: Path) -> list[str]:
        hits: list[str] = []
        _watch.append((os.path.realpath(path), hits))
        return hits

    yield watch
    _watch.clear()


# Every document the tests validate is validated twice, by the fast validator and by
# jsonschema, and a test fails where their verdicts differ (patuh.validation.check).
os.environ["PATUH_CROSS_CHECK_VALIDATION"] = "1"


@pytest.fixture
def patuh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (``$PATUH_CACHE_DIR``), switched on."""
    where = tmp_path / "cache"
    monkeypatch.setenv("PATUH_CACHE_DIR", str(where))
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    return where


@pytest.fixture
def ruleset_cache(patuh_cache: Path) -> Iterator[Path]:
    """``patuh_cache``, with the rulesets this process has loaded forgotten before and after
    (so that a test reads them through the cache)."""
    rulebook.load_ruleset.cache_clear()
    yield patuh_cache
    rulebook.load_ruleset.cache_clear()


def stored_ruleset_copy(tmp_path: Path, name: str = "uu25") -> tuple[Path, str, Any]:
    """A copy of a bundled ruleset folder, parsed and stored in the rule cache: (the folder,
    its cache key, the ParsedFiles whose ``seen`` data the entry holds)."""
    import shutil

    from patuh import rulecache

    folder = tmp_path / name
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules" / name, folder)
    _, key = rulecache.load(folder)
    parsed = rulebook.ParsedFiles(folder)
    rulebook.load_ruleset_folder(folder, parsed)
    rulecache.store(key, parsed.seen)
    return folder, key, parsed


def clear_plugin_caches() -> None:
    for cached in (manager.operators, manager.scoring_models, manager.reporters,
                   rulebook.available):
        cached.cache_clear()


@pytest.fixture
def plugin() -> Iterator[Callable[[object, str], None]]:
    """``plugin(obj, name)``: register a plugin on patuh's plugin manager for this test."""
    pm = manager.get_plugin_manager()
    names: list[str] = []

    def register(obj: object, name: str) -> None:
        pm.register(obj, name=name)
        names.append(name)
        clear_plugin_caches()

    yield register
    for name in names:
        pm.unregister(name=name)
    clear_plugin_caches()


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SKM answer files read from now on."""
    names: list[str] = []
    real = skm.compute

    def spy(file: Path, **kwargs: object) -> dict:
        names.append(file.name)
        return real(file, **kwargs)

    monkeypatch.setattr(skm, "compute", spy)
    return names
