"""Hostile numbers and structure in YAML, JSON and on the command line: exit 2 naming the file,
line and path; never an internal error, never a traceback, never a changed input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL
from conftest import Run
from conftest import dump
from conftest import refused

from patuh.errors import InputError
from patuh.yamlio import MAX_DEPTH
from patuh.yamlio import load_json
from patuh.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
BASE = dump(MINIMAL)


# --- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.INF", "1.0e999",
                                   "9" * 5000, "0x" + "f" * 600, "0o" + "7" * 600,
                                   "0b" + "1" * 600, "1" + ":59" * 200])
def test_yaml_numbers_that_are_not_finite_or_too_long(tmp_path: Path, run: Callable[..., Run],
                                                      value: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    text = BASE + f"skm:\n  ada: true\n  responden: {value}\n"
    manifest.write_text(text, encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    refused(result, f"{manifest}:", "skm.responden", "number")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "responden" in t)
    assert f"{manifest}:{line}:" in result.err
    assert manifest.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", "9" * 100_000,
                                   "-" + "9" * 5000])
def test_json_numbers_that_are_not_finite_or_too_long(tmp_path: Path, run: Callable[..., Run],
                                                      value: str) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(MINIMAL)[:-1] + f', "skm": {{"responden": {value}}}}}',
                        encoding="utf-8")
    refused(run("check", manifest, "--lang", "en"), str(manifest), "number")


@pytest.mark.parametrize("where", ["waivers", "verification"])
def test_nan_in_waivers_and_verification(tmp_path: Path, run: Callable[..., Run],
                                         where: str) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    extra = tmp_path / f"{where}.yaml"
    extra.write_text("schema_version: 1\nx: .nan\n", encoding="utf-8")
    refused(run("check", unit / "manifest.yaml", f"--{where}", extra, "--lang", "en"),
            f"{extra}:2:", "x")


@pytest.mark.parametrize("text", ["weight: .nan", "weight: .inf", "weight: 1.0e999"])
def test_nan_in_a_rule_file(tmp_path: Path, run: Callable[..., Run], text: str) -> None:
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    rule = folder / "sarana" / "29.yaml"
    key = text.split(":")[0]
    lines = rule.read_text("utf-8").splitlines()
    index = next(i for i, t in enumerate(lines) if t.strip().startswith(f"{key}:"))
    indent = lines[index][:len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = indent + text
    rule.write_text("\n".join(lines) + "\n", "utf-8")
    refused(run("rules", "validate", folder, "--lang", "en"), f"{rule}:{index + 1}:")


def test_nan_band_minimum_and_reversed_score_range(tmp_path: Path,
                                                   run: Callable[..., Run]) -> None:
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    ruleset = folder / "ruleset.yaml"
    original = ruleset.read_text("utf-8")
    assert "score_range: [0, 100]" in original
    ruleset.write_text(original.replace("score_range: [0, 100]", "score_range: [100, 0]", 1),
                       "utf-8")
    refused(run("rules", "validate", folder, "--lang", "en"), "score_range", "reversed")
    ruleset.write_text(original.replace("score_range: [0, 100]", "score_range: [0, .inf]", 1),
                       "utf-8")
    refused(run("rules", "validate", folder, "--lang", "en"), str(ruleset))
    lines = original.splitlines()
    index = next(i for i, t in enumerate(lines) if "min: 100," in t)
    lines[index] = lines[index].replace("min: 100,", "min: .nan,", 1)
    ruleset.write_text("\n".join(lines) + "\n", "utf-8")
    refused(run("rules", "validate", folder, "--lang", "en"), f"{ruleset}:{index + 1}:",
            "number")


@pytest.mark.parametrize("value", ["1e-999999999999999999", "4" + "0" * 100_000, "Infinity",
                                   "-Infinity", "nan", "sNaN", "1e31"])
def test_predicate_refuses_unreasonable_numbers(run: Callable[..., Run], value: str) -> None:
    refused(run("predicate", "--lang", "en", "pekppp", "--", value), "score")


@pytest.mark.parametrize("value", ["Infinity", "nan", "-Infinity", "1e999999", "9" * 5000])
def test_fail_under_refuses_unreasonable_numbers(tmp_path: Path, run: Callable[..., Run],
                                                 value: str) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    store = tmp_path / "riwayat.sqlite"
    result = run("check", unit / "manifest.yaml", "--ruleset", "pekppp", "--fail-under", value,
                 "--store", store, "--lang", "en")
    refused(result, "score")
    assert result.out == "" and not store.exists()  # refused before any report or store


# --- structure -------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["1", "true", "~", "null", "[a, b]", "{a: 1}", "1.5", "0x1F"])
def test_non_string_keys_are_refused_with_their_line(tmp_path: Path, run: Callable[..., Run],
                                                     key: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(BASE + f"unit_extra:\n  ? {key}\n  : x\n", encoding="utf-8")
    line = len(BASE.splitlines()) + 2
    refused(run("check", manifest, "--lang", "en"), f"{manifest}:{line}:", "not text")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [1, [2, *a]]\n"])
def test_recursive_aliases_are_refused(tmp_path: Path, text: str) -> None:
    file = tmp_path / "r.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(file)
    assert "nested" in caught.value.render("en")


# a block-style file 100,000 levels deep would exceed the size cap before its depth counts
@pytest.mark.parametrize(("kind", "depth"), [
    (kind, depth) for kind in ("yaml-flow", "yaml-block", "json")
    for depth in (MAX_DEPTH + 1, 990, 1000, 5000, 100_000)
    if not (kind == "yaml-block" and depth > 5000)])
def test_deep_nesting_is_refused(tmp_path: Path, run: Callable[..., Run], depth: int,
                                 kind: str) -> None:
    if kind == "json":
        file = tmp_path / "manifest.json"
        file.write_text('{"schema_version": 1, "x": ' + "[" * depth + "]" * depth + "}",
                        encoding="utf-8")
    elif kind == "yaml-flow":
        file = tmp_path / "manifest.yaml"
        file.write_text(BASE + "x: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    else:
        file = tmp_path / "manifest.yaml"
        file.write_text(BASE + "".join(f"{' ' * i}k{i}:\n" for i in range(depth))
                        + " " * depth + "x: 1\n", encoding="utf-8")
    result = run("check", file, "--lang", "en")
    refused(result, str(file))


def test_shallow_enough_documents_still_load(tmp_path: Path) -> None:
    file = tmp_path / "ok.yaml"
    file.write_text("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "utf-8")
    assert load_yaml(file).data["x"] is not None
    other = tmp_path / "ok.json"
    other.write_text('{"x": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}", "utf-8")
    assert load_json(other).data["x"] is not None


def test_a_draft_ruleset_that_is_a_list(tmp_path: Path, run: Callable[..., Run]) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    (draft / "ruleset.yaml").write_text("- a\n- b\n", encoding="utf-8")
    shutil.copy(ROOT / "rules" / "uu25" / "sarana" / "29.yaml", draft / "29.yaml")
    refused(run("rules", "diff", "uu25", draft, "--lang", "en"), "ruleset.yaml", "mapping")
    refused(run("rules", "validate", draft, "--lang", "en"), "ruleset.yaml")


def test_a_rule_whose_ruleset_is_a_list(tmp_path: Path, run: Callable[..., Run]) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    rule = draft / "29.yaml"
    text = (ROOT / "rules" / "uu25" / "sarana" / "29.yaml").read_text("utf-8")
    assert "ruleset: uu25" in text
    rule.write_text(text.replace("ruleset: uu25", "ruleset: [uu25, pekppp]", 1), "utf-8")
    refused(run("rules", "diff", "uu25", draft, "--lang", "en"), str(rule), "ruleset")
    rule.write_text("- just\n- a list\n", "utf-8")
    refused(run("rules", "diff", "uu25", draft, "--lang", "en"), str(rule), "mapping")
