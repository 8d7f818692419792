"""Guards on the architecture: a regulation-neutral core, a valid plugin set, and rule files
whose operators are checked when they load."""

from __future__ import annotations

import re
from pathlib import Path

import pluggy
import pytest

import patuh.hookspecs
from patuh import hookimpl
from patuh import manager
from patuh.errors import InputError
from patuh.rulebook import load_ruleset_folder

from rulecopies import copy_ruleset
from rulecopies import replace_once

ROOT = Path(__file__).resolve().parents[1]

REGULATION_WORDS = re.compile(r"pekppp|ombudsman|skm", re.IGNORECASE)


def test_core_names_no_regulation() -> None:
    hits = []
    files = sorted((ROOT / "checker").glob("*.py"))
    assert files, "checker/ has no Python files"
    for file in files:
        for number, line in enumerate(file.read_text("utf-8").splitlines(), start=1):
            if REGULATION_WORDS.search(line):
                hits.append(f"checker/{file.name}:{number}: {line.strip()}")
    assert not hits, "the core names a regulation:\n" + "\n".join(hits)


def test_installed_plugin_manager_has_no_pending_hooks() -> None:
    pm = manager.get_plugin_manager()
    pm.check_pending()  # raises PluginValidationError for an unknown hook name
    names = {name for name, _ in pm.list_name_plugin()}
    assert {"operators", "loaders", "survey", "scoring", "reporters", "bundled_rules"} <= names


def test_every_built_in_hookimpl_matches_a_spec() -> None:
    specs = {name for name in dir(patuh.hookspecs) if name.startswith("patuh_")}
    pm = manager.get_plugin_manager()
    for name, plugin in pm.list_name_plugin():
        impls = {attr for attr in dir(plugin) if attr.startswith("patuh_")
                 and callable(getattr(plugin, attr))}
        assert impls <= specs, f"plugin {name} implements unknown hooks {impls - specs}"


class Misspelled:
    @hookimpl
    def patuh_operatorz(self) -> dict[str, object]:
        return {}


def test_misspelled_hook_is_caught_by_check_pending() -> None:
    pm = pluggy.PluginManager("patuh")
    pm.add_hookspecs(patuh.hookspecs)
    pm.register(Misspelled(), name="misspelled")
    with pytest.raises(pluggy.PluginValidationError) as caught:
        pm.check_pending()
    assert "patuh_operatorz" in str(caught.value)


def test_correctly_spelled_hook_passes_check_pending() -> None:
    class Fine:
        @hookimpl
        def patuh_operators(self) -> dict[str, object]:
            return {}

    pm = pluggy.PluginManager("patuh")
    pm.add_hookspecs(patuh.hookspecs)
    pm.register(Fine(), name="fine")
    pm.check_pending()


def test_unknown_operator_is_a_load_error_with_file_line_and_path(tmp_path: Path) -> None:
    folder = copy_ruleset(tmp_path)
    rule = folder / "a_kebijakan" / "1.a.Ak.yaml"
    line = replace_once(rule, "- is_true: standar_pelayanan.ada",
                        "- is_truee: standar_pelayanan.ada")
    with pytest.raises(InputError) as caught:
        load_ruleset_folder(folder)
    message = caught.value.render("en")
    assert "unknown operator 'is_truee'" in message
    assert f"{rule}:{line}:" in message, message
    assert "versions[1].levels[1].when.all[1].is_truee" in message, message


def test_unknown_operator_through_the_cli(tmp_path: Path, run) -> None:
    folder = copy_ruleset(tmp_path)
    rule = folder / "d_sipp" / "24.d.T.yaml"
    line = replace_once(rule, "- one_of:", "- one_off:")
    result = run("rules", "validate", folder, "--lang", "en")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert str(rule) in result.err
    assert "'one_off'" in result.err
    assert f"{rule}:{line}:" in result.err, result.err


def test_bad_operator_argument_is_a_load_error(tmp_path: Path) -> None:
    folder = copy_ruleset(tmp_path)
    rule = folder / "d_sipp" / "24.d.T.yaml"
    replace_once(rule, "compare: {path: sistem_informasi.pembaruan.frekuensi, eq: harian}",
                 "compare: {path: sistem_informasi.pembaruan.frekuensi, kira_kira: harian}")
    with pytest.raises(InputError) as caught:
        load_ruleset_folder(folder)
    message = caught.value.render("en")
    assert str(rule) in message
    assert "kira_kira" in message


def test_a_broken_plugin_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch, run) -> None:
    real = manager.entry_point_specs

    def with_broken() -> list[tuple[str, str]]:
        return [*real(), ("rusak", "paket_rusak.plugin")]

    monkeypatch.setattr(manager, "entry_point_specs", with_broken)
    manager.get_plugin_manager.cache_clear()
    try:
        result = run("predicate", "pekppp", "4.22", "--lang", "en")
    finally:
        manager.get_plugin_manager.cache_clear()
    assert result.code == 2
    assert "Traceback" not in result.err
    first = result.err.splitlines()[0]
    assert "'rusak'" in first and "paket_rusak.plugin" in first
    assert "ModuleNotFoundError: No module named 'paket_rusak'" in first


@pytest.mark.parametrize("name", ["rule", "ruleset", "manifest", "report"])
def test_bundled_schemas_are_valid_draft_2020_12(name: str) -> None:
    from jsonschema import Draft202012Validator

    from patuh.validation import load_schema

    Draft202012Validator.check_schema(load_schema(name))


# The web platform's stack: loaded by `patuh serve` and `patuh web ...` only, never by the CLI.
WEB_STACK = ("django", "waitress", "whitenoise", "psycopg", "selenium")
NO_WEB_STACK = """
import json, sys
from importlib.metadata import entry_points

WEB_STACK = {stack!r}

def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in WEB_STACK)

import patuh.cli
after_import = loaded()
from patuh.cli import main
codes = [main(["--help"]), main(["check", sys.argv[1], "--format", "json"])]
plugins = sorted(ep.value for ep in entry_points(group="patuh"))
print(json.dumps({{"import": after_import, "check": loaded(), "codes": codes,
                   "plugins": plugins, "unloaded": [p for p in plugins if p not in sys.modules]}}))
"""


def test_the_cli_and_patuh_check_never_import_the_web_stack(tmp_path: Path) -> None:
    """`import patuh.cli`, `patuh --help` (every plugin adds its commands) and `patuh check`
    load every plugin, the web platform's too, without importing Django or the rest of its
    stack: the web plugin imports them inside its commands, so the CLI starts no slower."""
    import json
    import subprocess
    import sys

    manifest = ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"
    done = subprocess.run([sys.executable, "-c", NO_WEB_STACK.format(stack=WEB_STACK),
                           str(manifest)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["codes"] == [0, 0]
    # Every installed plugin was loaded, so the guard covers them all (the web one included).
    assert "patuh.plugins.scoring" in seen["plugins"] and seen["unloaded"] == []
    assert seen["import"] == [], "import patuh.cli loads the web stack"
    assert seen["check"] == [], "patuh --help or patuh check loads the web stack"
