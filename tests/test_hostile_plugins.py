"""Hostile or broken third-party plugins: each failure is exit 2 naming the plugin, never a
silent exit 0 (a --fail-under gate must not pass) and never an internal error."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import Run
from conftest import clear_plugin_caches

from patuh import hookimpl
from patuh import manager
from patuh.conditions import Operator
from patuh.conditions import Outcome

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dpmptsp-kota-harapan"


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    target = tmp_path / "unit"
    shutil.copytree(EXAMPLE, target)
    return target / "manifest.yaml"


def plugin_error(result: Run, name: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    assert "Traceback" not in result.err
    assert repr(name) in result.err, result.err


def test_a_plugin_cannot_replace_a_built_in_command(run: Callable[..., Run],
                                                     plugin: Callable[[object, str], None],
                                                     unit: Path) -> None:
    class Hijack:
        @hookimpl
        def patuh_add_commands(self, cli: click.Group) -> None:
            @cli.command("check")
            def check() -> None:
                click.echo("all good")

    plugin(Hijack(), "hijack")
    result = run("check", unit, "--lang", "en")
    plugin_error(result, "hijack")
    assert "patuh check" in result.err and "'patuh'" in result.err
    assert "all good" not in result.out


def test_a_plugin_may_add_a_new_command(run: Callable[..., Run],
                                        plugin: Callable[[object, str], None]) -> None:
    class Adds:
        @hookimpl
        def patuh_add_commands(self, cli: click.Group) -> None:
            @cli.command("halo")
            def halo() -> None:
                click.echo("halo dunia")

    plugin(Adds(), "adds")
    for _ in range(2):  # main() twice in one process: the plugin's own command is not a clash
        result = run("halo")
        assert result.code == 0, result.err
        assert result.out == "halo dunia\n"


@pytest.mark.parametrize("how", ["exit0", "exit_text", "raise"])
def test_a_plugin_that_exits_or_raises_in_a_hook_fails_the_check(
        run: Callable[..., Run], plugin: Callable[[object, str], None], unit: Path,
        how: str) -> None:
    class Quitter:
        @hookimpl
        def patuh_derive_facts(self, manifest: Any, base_dir: Any, as_of: Any) -> None:
            if how == "exit0":
                sys.exit(0)
            if how == "exit_text":
                sys.exit("bye")
            raise RuntimeError("boom")

    plugin(Quitter(), "quitter")
    result = run("check", unit, "--fail-under", "A", "--format", "json", "--lang", "en")
    plugin_error(result, "quitter")
    assert result.out == ""
    assert "failed" in result.err


def test_a_plugin_operator_that_exits_fails_the_check(run: Callable[..., Run],
                                                      plugin: Callable[[object, str], None],
                                                      unit: Path) -> None:
    def evaluate(arg: Any, ctx: Any) -> Outcome:
        raise SystemExit(0)

    class Ops:
        @hookimpl
        def patuh_operators(self) -> dict[str, Operator]:
            return {"keluar": Operator("keluar", evaluate, {"type": "string"})}

    plugin(Ops(), "ops")
    assert manager.operators()["keluar"].schema == {"type": "string"}
    with pytest.raises(manager.PluginError) as caught:
        manager.operators()["keluar"].evaluate("x", None)
    assert "'ops'" in caught.value.render("en")


@pytest.mark.parametrize("returned", ["rules", b"rules", 3, ["ok", 4]])
def test_rule_folders_of_a_wrong_type_name_the_plugin(run: Callable[..., Run],
                                                      plugin: Callable[[object, str], None],
                                                      returned: Any) -> None:
    class Folders:
        @hookimpl
        def patuh_rule_folders(self) -> Any:
            return returned

    plugin(Folders(), "folders")
    result = run("rules", "list", "--lang", "en")
    plugin_error(result, "folders")
    assert "patuh_rule_folders" in result.err


@pytest.mark.parametrize("operators", [
    ["not", "a", "mapping"],
    {"bad_schema": Operator("bad_schema", lambda a, c: None, {"type": 12})},
    {"not_an_operator": "compare"},
    {"schema_not_mapping": Operator("schema_not_mapping", lambda a, c: None, [])},  # type: ignore[arg-type]
])
def test_operators_of_a_wrong_shape_name_the_plugin(run: Callable[..., Run],
                                                    plugin: Callable[[object, str], None],
                                                    unit: Path, operators: Any) -> None:
    class Ops:
        @hookimpl
        def patuh_operators(self) -> Any:
            return operators

    plugin(Ops(), "badops")
    plugin_error(run("check", unit, "--lang", "en"), "badops")


def test_a_reporter_that_is_not_callable_names_the_plugin(
        run: Callable[..., Run], plugin: Callable[[object, str], None], unit: Path) -> None:
    class Reporters:
        @hookimpl
        def patuh_reporters(self) -> Any:
            return {"pdf": "not callable"}

    plugin(Reporters(), "reps")
    plugin_error(run("check", unit, "--format", "pdf", "--lang", "en"), "reps")


def test_trace_goes_to_stderr_and_json_stays_valid(run: Callable[..., Run], unit: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("PATUH_TRACE_PLUGINS", "1")
    manager.get_plugin_manager.cache_clear()
    clear_plugin_caches()
    try:
        result = run("check", unit, "--format", "json")
    finally:
        manager.get_plugin_manager.cache_clear()
        clear_plugin_caches()
    assert result.code == 0, result.err
    json.loads(result.out)
    assert "patuh_derive_facts" in result.err


@pytest.mark.parametrize("returned", [["a", "b"], "text", {1: "x"}, {"": 1}])
def test_derive_facts_of_a_wrong_type_name_the_plugin(run: Callable[..., Run],
                                                      plugin: Callable[[object, str], None],
                                                      unit: Path, returned: Any) -> None:
    class Facts:
        @hookimpl
        def patuh_derive_facts(self, manifest: Any, base_dir: Any, as_of: Any) -> Any:
            return returned

    plugin(Facts(), "facts")
    result = run("check", unit, "--lang", "en")
    plugin_error(result, "facts")
    assert "patuh_derive_facts" in result.err


def test_a_manifest_loader_returning_a_dict_names_the_plugin(
        run: Callable[..., Run], plugin: Callable[[object, str], None], unit: Path) -> None:
    class Loader:
        @hookimpl(tryfirst=True)
        def patuh_load_manifest(self, path: Path) -> Any:
            return {"schema_version": 1}

    plugin(Loader(), "loader")
    result = run("check", unit, "--lang", "en")
    plugin_error(result, "loader")
    assert "patuh_load_manifest" in result.err


def test_a_reporter_returning_bytes_names_the_plugin(
        run: Callable[..., Run], plugin: Callable[[object, str], None], unit: Path,
        tmp_path: Path) -> None:
    class Reporters:
        @hookimpl
        def patuh_reporters(self) -> Any:
            return {"biner": lambda report, lang: b"\x00\x01"}

    plugin(Reporters(), "biner_plugin")
    out = tmp_path / "r.bin"
    result = run("check", unit, "--format", "biner", "-o", out, "--lang", "en")
    plugin_error(result, "biner_plugin")
    assert not out.exists()


def test_a_plugin_cannot_replace_a_sub_command_or_another_plugins(
        run: Callable[..., Run], plugin: Callable[[object, str], None]) -> None:
    class First:
        @hookimpl
        def patuh_add_commands(self, cli: click.Group) -> None:
            @cli.command("laporan")
            def laporan() -> None:
                click.echo("first")

            rules = cli.commands["rules"]
            assert isinstance(rules, click.Group)

            @rules.command("tambahan")
            def tambahan() -> None:
                click.echo("extra rule command")

    class Second:
        @hookimpl
        def patuh_add_commands(self, cli: click.Group) -> None:
            @cli.command("laporan")
            def laporan() -> None:
                click.echo("second")

    plugin(First(), "first")
    for _ in range(2):
        result = run("rules", "tambahan")
        assert result.code == 0 and result.out == "extra rule command\n", result.err
    plugin(Second(), "second")
    result = run("laporan", "--lang", "en")
    plugin_error(result, "second")
    assert "'first'" in result.err

    class Remover:
        @hookimpl
        def patuh_add_commands(self, cli: click.Group) -> None:
            rules = cli.commands["rules"]
            assert isinstance(rules, click.Group)
            del rules.commands["validate"]

    plugin(Remover(), "remover")
    result = run("rules", "list", "--lang", "en")
    assert result.code == 2 and "'remover'" in result.err
    assert "removes" in result.err or "replaces" in result.err
