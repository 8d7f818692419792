"""A cold `patuh check` pays only for what it runs: commands imported when invoked, and what
is read from install-level files on every run (the bibliography, which rulesets are the
default ones) kept in the rule cache, keyed so that a changed file is never read stale."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from conftest import stored_ruleset_copy

from patuh import manager
from patuh import rulebook
from patuh import rulecache
from patuh import sources
from patuh.errors import InputError
from patuh.hookspecs import hookimpl
from patuh.sources import load_bibliography

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"

# Modules a one-ruleset `patuh check` has no use for.
NOT_FOR_CHECK = ("patuh.batch", "patuh.history", "patuh.editions", "patuh.ruletests",
                 "patuh.ruledocs", "multiprocessing", "concurrent.futures",
                 "sqlite3", "openpyxl", "patuh.verification", "patuh.waivers",
                 "patuh.questionnaire", "patuh.template", "patuh.plugins.xlsx_form",
                 "patuh.plugins.html_report")

LOADED = """
import json, sys
from patuh.cli import main
code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": sorted(m for m in sys.modules
                                                 if m.split(".")[0] in {roots!r}
                                                 or m in {names!r})}}))
"""


def loaded_by(tmp_path: Path, *argv: str) -> tuple[int, list[str]]:
    roots = {m.split(".")[0] for m in NOT_FOR_CHECK if not m.startswith("patuh")}
    done = subprocess.run(
        [sys.executable, "-c", LOADED.format(roots=sorted(roots), names=list(NOT_FOR_CHECK)),
         *argv], capture_output=True, text=True, cwd=tmp_path,
        env={**__import__("os").environ, "PATUH_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    return seen["code"], seen["loaded"]


def test_a_one_ruleset_check_imports_no_other_command(tmp_path: Path) -> None:
    for _ in range(2):  # cache cold, then warm
        code, loaded = loaded_by(tmp_path, "check", str(EXAMPLE), "--format", "json")
        assert code == 0
        assert loaded == [], f"patuh check imported {loaded}"


def test_several_rulesets_are_checked_without_the_batch_machinery(tmp_path: Path) -> None:
    """A ruleset not in force is skipped by the same rule as in `patuh batch`, without
    importing batch (and its process pool) to do it."""
    code, loaded = loaded_by(tmp_path, "check", str(EXAMPLE), "--ruleset", "pekppp",
                             "--ruleset", "ombudsman", "--ruleset", "uu25", "--format", "json")
    assert code in (0, 1)
    assert loaded == [], f"patuh check imported {loaded}"


def test_waivers_and_verification_are_read_when_given(tmp_path: Path) -> None:
    audit = ROOT / "examples" / "audit"
    code, loaded = loaded_by(tmp_path, "check", str(EXAMPLE), "--ruleset", "pekppp",
                             "--waivers", str(audit / "waivers.yaml"), "--verification",
                             str(audit / "verifikasi-dpmptsp.yaml"), "--format", "text")
    assert code in (0, 1)
    assert "patuh.verification" in loaded and "patuh.waivers" in loaded


def test_batch_and_history_are_imported_when_invoked(tmp_path: Path) -> None:
    code, loaded = loaded_by(tmp_path, "batch", "--help")
    assert code == 0 and "patuh.batch" in loaded and "patuh.history" not in loaded
    code, loaded = loaded_by(tmp_path, "history", "--help")
    assert code == 0 and "patuh.history" in loaded and "patuh.batch" not in loaded


def test_help_still_lists_the_lazy_commands(invoke: Callable[..., click.testing.Result]) -> None:
    from patuh.batch import batch_command
    from patuh.history import history_command

    out = invoke("--help").output
    for name in ("check", "init", "rules"):
        assert f"  {name} " in out, out
    for name, command in (("batch", batch_command), ("history", history_command)):
        short = command.get_short_help_str(limit=20)
        assert f"  {name} " in out and short[:10] in out.split(f"  {name} ")[1], out


def test_a_plugin_cannot_replace_a_command_not_imported_yet(run, plugin) -> None:
    class Usurper:
        @hookimpl
        def patuh_add_commands(self, cli: click.Group) -> None:
            @cli.command("batch")
            def batch() -> None:
                click.echo("mine")

    plugin(Usurper(), "usurper")
    result = run("batch", "--lang", "en")
    assert result.code == 2 and "'usurper'" in result.err and "batch" in result.err
    assert result.out == ""


def test_the_lazy_commands_survive_a_refused_plugin(run, plugin) -> None:
    test_a_plugin_cannot_replace_a_command_not_imported_yet(run, plugin)
    manager.get_plugin_manager().unregister(name="usurper")
    result = run("batch", "--help")
    assert result.code == 0 and "DIR|LIST" in result.out


# --- remembered install-level files --------------------------------------------------------

def test_remember_hits_and_misses_on_content(tmp_path: Path, patuh_cache: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("x: 1\n", "utf-8")
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(file.read_text("utf-8"))}

    assert rulecache.remember("t", [file], build) == {"n": 5}
    assert rulecache.remember("t", [file], build) == {"n": 5}
    assert len(calls) == 1
    file.write_text("x: 12\n", "utf-8")  # same folder, new content: a new key
    assert rulecache.remember("t", [file], build) == {"n": 6}
    assert len(calls) == 2


def test_remember_ignores_a_damaged_entry(tmp_path: Path, patuh_cache: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("x: 1\n", "utf-8")
    rulecache.remember("t", [file], lambda: [1, 2])
    (entry,) = patuh_cache.glob("t-*.json")
    data = json.loads(entry.read_text("utf-8"))
    data["value"] = [9, 9]  # digest no longer matches
    entry.write_text(json.dumps(data), "utf-8")
    assert rulecache.remember("t", [file], lambda: [1, 2]) == [1, 2]
    entry.write_text("{not json", "utf-8")
    assert rulecache.remember("t", [file], lambda: [1, 2]) == [1, 2]
    assert json.loads(entry.read_text("utf-8"))["value"] == [1, 2]  # rewritten


def test_remember_stores_nothing_when_building_fails(tmp_path: Path, patuh_cache: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("x: 1\n", "utf-8")

    def broken() -> None:
        raise InputError("bad")

    for _ in range(2):
        with pytest.raises(InputError):
            rulecache.remember("t", [file], broken)
    assert not list(patuh_cache.glob("t-*.json")) if patuh_cache.exists() else True


def test_remember_off_and_on_odd_files(tmp_path: Path, patuh_cache: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    assert rulecache.remember("t", [folder], lambda: 1) == 1  # not a file: not cached
    assert rulecache.remember("t", [tmp_path / "gone"], lambda: 2) == 2
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    file = tmp_path / "a.yaml"
    file.write_text("x: 1\n", "utf-8")
    assert rulecache.remember("t", [file], lambda: 3) == 3
    assert not patuh_cache.exists()


def copy_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_bibliography_from_the_cache_is_the_one_in_the_file(tmp_path: Path,
                                                                  patuh_cache: Path) -> None:
    root = copy_rules(tmp_path)
    file = root / "sources.yaml"
    first = sources.folder_bibliography(root)
    assert list(patuh_cache.glob("sources-*.json"))
    sources._load_cached.cache_clear()
    again = sources.folder_bibliography(root)  # from the cache
    assert again == first == load_bibliography(file)
    # an edited bibliography is read again, and its errors are reported as before
    text = file.read_text("utf-8")
    first_entry = text[text.index("  - key:"):text.index("\n  - key:", text.index("  - key:"))
                       + 1]
    file.write_text(text.replace("sources:\n", "sources:\n" + first_entry, 1), "utf-8")
    with pytest.raises(InputError) as caught:
        sources.folder_bibliography(root)
    assert "defined twice" in caught.value.render("en")
    assert str(file) in caught.value.render("en")


def test_the_default_ruleset_follows_the_files(tmp_path: Path, patuh_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_rules(tmp_path)
    folders = {p.parent.name: p.parent for p in sorted(root.glob("*/ruleset.yaml"))}
    monkeypatch.setattr(rulebook, "available", lambda: folders)
    assert rulebook.default_rulesets() == ["pekppp"]
    assert rulebook.default_rulesets() == ["pekppp"]  # from the cache
    pekppp = root / "pekppp" / "ruleset.yaml"
    pekppp.write_text(pekppp.read_text("utf-8").replace("default: true", "default: false", 1),
                      "utf-8")
    assert rulebook.default_rulesets() == sorted(folders)  # none marked: all of them
    uu25 = root / "uu25" / "ruleset.yaml"
    uu25.write_text("default: true\n" + uu25.read_text("utf-8"), "utf-8")
    assert rulebook.default_rulesets() == ["uu25"]
    uu25.write_text("default: [1\n", "utf-8")  # broken: the same error as without a cache
    with pytest.raises(InputError) as caught:
        rulebook.default_rulesets()
    assert "invalid YAML" in caught.value.render("en") and str(uu25) in caught.value.render("en")


# --- entry points, cached against the installed distributions -----------------------------

def fake_dist(folder: Path, name: str, entry_points: str) -> Path:
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
                                   "utf-8")
    (info / "entry_points.txt").write_text(entry_points, "utf-8")
    return info


def test_entry_points_follow_installs_and_uninstalls(tmp_path: Path, patuh_cache: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    before = manager.entry_point_specs()
    assert ("operators", "patuh.plugins.operators") in before
    assert manager.entry_point_specs() == before  # from the cache
    assert list(patuh_cache.glob("entry-points-*.json"))
    info = fake_dist(site, "patuh_contoh", "[patuh]\ncontoh = patuh_contoh.plugin:Plugin\n")
    installed = manager.entry_point_specs()
    assert installed == sorted([*before, ("contoh", "patuh_contoh.plugin:Plugin")])
    # an entry_points.txt edited in place (an editable install re-run) is seen too
    (info / "entry_points.txt").write_text("[patuh]\ncontoh2 = patuh_contoh.other\n", "utf-8")
    assert ("contoh2", "patuh_contoh.other") in manager.entry_point_specs()
    shutil.rmtree(info)
    assert manager.entry_point_specs() == before


def test_a_damaged_entry_point_cache_is_ignored(tmp_path: Path, patuh_cache: Path) -> None:
    good = manager.entry_point_specs()
    for damage in ("{not json", json.dumps({"format": manager.ENTRY_POINTS_FORMAT}),
                   None):
        for entry in patuh_cache.glob("entry-points-*.json"):
            if damage is None:  # a value that does not match its digest
                data = json.loads(entry.read_text("utf-8"))
                data["value"].append(["evil", "os:system"])
                damage = json.dumps(data)
            entry.write_text(damage, "utf-8")
        assert manager.entry_point_specs() == good


def test_entry_points_load_as_importlib_metadata_does() -> None:
    from importlib.metadata import EntryPoint

    for value in ("patuh.plugins.operators", "patuh.rulebook:Ruleset.of_data",
                  "patuh.rulebook : load_ruleset", "patuh.plugins.skm [extra]"):
        try:
            want = EntryPoint("x", value, manager.GROUP).load()
        except AttributeError as exc:
            with pytest.raises(AttributeError, match=str(exc).split("'")[-2]):
                manager._load("x", value)
            continue
        assert manager._load("x", value) is want
    with pytest.raises(Exception) as odd:
        manager._load("x", "not a valid = value")
    with pytest.raises(type(odd.value)):
        EntryPoint("x", "not a valid = value", manager.GROUP).load()


# --- the holiday calendar, kept per year ---------------------------------------------------

def test_a_cached_holiday_year_is_the_holidays_packages(patuh_cache: Path) -> None:
    import holidays

    from patuh.plugins import workdays

    for year in (2013, 2020, 2024, 2025):
        want = holidays.Indonesia(years=year, categories=("public", "government"),
                                  language="id")
        for attempt in range(2):  # built, then from the cache
            workdays._calendar.cache_clear()
            got = workdays._calendar(year)
            assert got == dict(want), (year, attempt)
    assert len(list(patuh_cache.glob("holidays-2024-*.json"))) == 1


def test_the_holiday_cache_follows_the_package_and_survives_damage(
        tmp_path: Path, patuh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from patuh.plugins import workdays

    version = tmp_path / "version.py"
    version.write_text("__version__ = '1'\n", "utf-8")
    monkeypatch.setattr(workdays, "_package_files", lambda: [version])
    built: list[int] = []
    real = workdays._holidays_of

    def counting(year: int) -> dict:
        built.append(year)
        return real(year)

    monkeypatch.setattr(workdays, "_holidays_of", counting)

    def calendar() -> object:
        workdays._calendar.cache_clear()
        return workdays._calendar(2024)

    first = calendar()
    assert calendar() == first and built == [2024]
    version.write_text("__version__ = '2'\n", "utf-8")  # another release: built again
    assert calendar() == first and built == [2024, 2024]
    for entry in patuh_cache.glob("holidays-2024-*.json"):
        entry.write_text("{damaged", "utf-8")
    assert calendar() == first and len(built) == 3
    workdays._calendar.cache_clear()


def test_a_check_counting_working_days_does_not_import_holidays_twice(tmp_path: Path) -> None:
    manifest = str(EXAMPLE)
    roots = ["holidays"]
    script = LOADED.format(roots=roots, names=[])
    env = {**__import__("os").environ, "PATUH_CACHE_DIR": str(tmp_path / "cache")}
    seen = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", script, "check", manifest, "--ruleset",
                               "uu25", "--format", "json"], capture_output=True, text=True,
                              cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        seen.append(json.loads(done.stdout.splitlines()[-1]))
    assert seen[0]["code"] == seen[1]["code"] == 0
    assert "holidays" in seen[0]["loaded"]  # the first run builds the years it needs
    assert seen[1]["loaded"] == []  # the next reads them from the cache


# --- reading an entry does not encode its data again -----------------------------------------

def test_an_entry_written_here_is_checked_without_encoding_it_again(
        tmp_path: Path, patuh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, key, parsed = stored_ruleset_copy(tmp_path)
    encoded: list[int] = []
    real = rulecache._digest

    def counting(data: object) -> str:
        encoded.append(1)
        return real(data)

    monkeypatch.setattr(rulecache, "_digest", counting)
    assert rulecache.load(folder)[0] == parsed.seen
    assert encoded == []
    # laid out another way (the data before its digest): checked the long way, still read
    path = patuh_cache / f"{key}.json"
    entry = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({"format": entry["format"], "key": key, "files": entry["files"],
                                "digest": entry["digest"]}, ensure_ascii=False), "utf-8")
    assert rulecache.load(folder)[0] == parsed.seen and encoded == [1]
    # the data changed, the digest left: refused both ways
    entry["files"]["ruleset.yaml"]["id"] = "forged"
    path.write_text(json.dumps(entry, ensure_ascii=False), "utf-8")
    assert rulecache.load(folder)[0] is None


RUN = """
import sys
{before}
sys.argv = ["patuh", *sys.argv[1:]]
from patuh.cli import run
run()
"""


def run_script(tmp_path: Path, *argv: str, before: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN.format(before=before), *argv],
                          capture_output=True, cwd=tmp_path,
                          env={**__import__("os").environ,
                               "PATUH_CACHE_DIR": str(tmp_path / "cache")})


def test_ending_without_teardown_loses_no_output(tmp_path: Path, invoke) -> None:
    """The console script skips the interpreter's teardown: every byte still arrives, on a
    pipe and in a file, with the exit code of the check."""
    expected = invoke("check", str(EXAMPLE), "--ruleset", "pekppp", "--format", "json").output
    piped = run_script(tmp_path, "check", str(EXAMPLE), "--ruleset", "pekppp", "--format", "json")
    assert piped.returncode == 0 and piped.stdout.decode() == expected
    assert len(expected) > 100_000  # more than a pipe holds at once
    target = tmp_path / "laporan.json"
    written = run_script(tmp_path, "check", str(EXAMPLE), "--ruleset", "pekppp", "--format",
                         "json", "-o", str(target))
    assert written.returncode == 0 and target.read_text(encoding="utf-8") == expected
    bad = run_script(tmp_path, "check", str(tmp_path / "tidak-ada.yaml"))
    assert bad.returncode == 2 and b"tidak-ada.yaml" in bad.stderr


def test_an_exit_handler_still_runs(tmp_path: Path) -> None:
    """With an exit handler registered (a plugin's, coverage's), the process ends normally."""
    done = run_script(tmp_path, "check", str(EXAMPLE), "--ruleset", "pekppp", "--format", "text",
                      before="import atexit; atexit.register(lambda: print('handler ran'))")
    assert done.returncode == 0
    assert done.stdout.decode().rstrip().endswith("handler ran")
