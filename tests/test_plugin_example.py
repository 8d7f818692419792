"""The example plugin ``examples/plugin-perkada-kota-harapan`` (the template for third-party
plugins): its operator unit-tested from the source folder, its rule examples run against the
source rules, and, slow, the package installed next to patuh in a fresh virtual environment
(as tests/test_install.py does) and used through the ``patuh`` command."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
import pytest
import yaml
from jsonschema import Draft202012Validator

from patuh import Context
from patuh import hookspecs
from patuh import manager
from patuh.rulebook import Ruleset
from patuh.rulebook import load_ruleset_folder
from patuh.ruletests import coverage_gaps
from patuh.ruletests import run_cases

from freshenv import install_fresh
from rulecopies import replace_once

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "examples" / "plugin-perkada-kota-harapan"
RULES = PLUGIN / "patuh_perkada_kota_harapan" / "rules" / "perkada_kota_harapan"
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
RULE_IDS = {"perkada_kota_harapan.laman_go_id", "perkada_kota_harapan.sp_tempat_layanan",
            "perkada_kota_harapan.statistik_pengaduan"}
BUKTI = "sistem_informasi.kualitas.bukti"


# --- fast: the plugin module imported from the source folder --------------------------------

@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(PLUGIN))
    return importlib.import_module("patuh_perkada_kota_harapan.plugin")


def context(facts: dict[str, Any], plugin: ModuleType) -> Context:
    return Context(facts=facts, as_of=date(2024, 10, 21), operators=plugin.OPERATORS)


def kualitas(*bukti: Any) -> dict[str, Any]:
    return {"sistem_informasi": {"kualitas": {"daring": True, "bukti": list(bukti)}}}


def test_operator_holds_for_a_go_id_website(plugin: ModuleType) -> None:
    facts = kualitas("ss-beranda.png", {"url": "https://dpmptsp.harapankota.go.id/",
                                        "keterangan": "Situs resmi"})
    outcome = plugin.domain_go_id(BUKTI, context(facts, plugin))
    assert outcome.holds is True
    assert outcome.unmet == ()
    assert outcome.used == (BUKTI,)


@pytest.mark.parametrize("url", [
    "https://PERIZINAN.HarapanKota.go.id:8443/layanan",  # case, port and path
    "http://dpmptsp.harapankota.go.id./",  # a fully qualified name ends with a dot
    "https://user@ppid.harapankota.go.id/?q=.com",
])
def test_operator_reads_the_host_only(plugin: ModuleType, url: str) -> None:
    assert plugin.domain_go_id(BUKTI, context(kualitas(url), plugin)).holds is True


@pytest.mark.parametrize(("url", "host"), [
    ("https://dpmptsp-harapan.blogspot.com/", "dpmptsp-harapan.blogspot.com"),
    ("https://harapankota.go.id.contoh-hosting.com/", "harapankota.go.id.contoh-hosting.com"),
    ("https://dpmptsp.harapankota.go.id.invalid/", "dpmptsp.harapankota.go.id.invalid"),
    ("https://go.id/", "go.id"),
    ("https://harapankotago.id/", "harapankotago.id"),
])
def test_operator_fails_off_go_id_and_names_the_host(plugin: ModuleType, url: str,
                                                     host: str) -> None:
    outcome = plugin.domain_go_id(BUKTI, context(kualitas(url), plugin))
    assert outcome.holds is False
    (unmet,) = outcome.unmet
    assert unmet.path == BUKTI and not unmet.missing
    assert unmet.message.id == (f"{BUKTI}: {url} tidak memakai domain resmi pemerintah .go.id "
                                f"(nama host: {host})")
    assert unmet.message.en == (f"{BUKTI}: {url} is not on the official government domain "
                                f".go.id (host name: {host})")


def test_operator_fails_when_one_of_several_sites_is_off_go_id(plugin: ModuleType) -> None:
    facts = kualitas("https://dpmptsp.harapankota.go.id/", "https://dpmptsp-harapan.web.app/")
    outcome = plugin.domain_go_id(BUKTI, context(facts, plugin))
    assert outcome.holds is False
    assert "dpmptsp-harapan.web.app" in outcome.unmet[0].message.en


def test_operator_rejects_an_address_without_a_host(plugin: ModuleType) -> None:
    for url in ("https://", "https://[::1/"):
        outcome = plugin.domain_go_id(BUKTI, context(kualitas(url), plugin))
        assert outcome.holds is False
        assert outcome.unmet[0].message.en.endswith("is not a valid web address")


def test_operator_reports_missing_data(plugin: ModuleType) -> None:
    absent = plugin.domain_go_id(BUKTI, context({}, plugin))
    assert absent.holds is None
    assert absent.unmet[0].missing and absent.unmet[0].path == BUKTI
    assert absent.unmet[0].message.en == f"{BUKTI}: not supplied (no data)"

    files_only = plugin.domain_go_id(BUKTI, context(kualitas("ss-beranda.png",
                                                             {"berkas": "ss-2.png"}), plugin))
    assert files_only.holds is None
    assert files_only.unmet[0].missing
    assert files_only.unmet[0].message.id == f"{BUKTI}: belum ada alamat situs (URL)"
    assert files_only.unmet[0].message.en == f"{BUKTI}: no website address (URL) given"


def test_operator_takes_a_text_fact_as_one_address(plugin: ModuleType) -> None:
    ctx = context({"unit": {"alamat": "https://dpmptsp.harapankota.go.id"}}, plugin)
    assert plugin.domain_go_id("unit.alamat", ctx).holds is True
    ctx = context({"unit": {"alamat": "Jl. Jenderal Sudirman No. 45"}}, plugin)
    assert plugin.domain_go_id("unit.alamat", ctx).holds is False


def test_operator_through_a_condition_with_label_and_relative_path(plugin: ModuleType) -> None:
    facts = {"daftar": [{"bukti": ["https://a.harapankota.go.id/"]},
                        {"bukti": ["https://b.example.com/"]}]}
    ctx = context(facts, plugin)
    first = ctx.inside("daftar.0").evaluate({"domain_go_id": "bukti"})
    assert first.holds is True and first.used == ("daftar.0.bukti",)
    label = {"id": "situs tidak resmi", "en": "not an official site"}
    second = ctx.inside("daftar.1").evaluate({"domain_go_id": "bukti", "label": label})
    assert second.holds is False
    assert second.unmet[0].message.en == "not an official site"


def test_operator_argument_schema(plugin: ModuleType) -> None:
    operator = plugin.OPERATORS["domain_go_id"]
    assert operator.name == "domain_go_id"
    assert operator.doc.id and operator.doc.en
    validator = Draft202012Validator(operator.schema)
    assert validator.is_valid("sistem_informasi.kualitas.bukti")
    for bad in ("", "Sistem Informasi", "a..b", ["a"], {"path": "a"}, 3):
        assert not validator.is_valid(bad), bad


def test_hooks_match_the_contract(plugin: ModuleType) -> None:
    """The module registers cleanly on a private plugin manager (the global one is untouched):
    no misspelled hook, and each hook returns what patuh expects."""
    pm = pluggy.PluginManager("patuh")
    pm.add_hookspecs(hookspecs)
    pm.register(plugin, name="perkada_kota_harapan")
    pm.check_pending()
    assert pm.hook.patuh_operators() == [plugin.OPERATORS]
    (folders,) = pm.hook.patuh_rule_folders()
    assert [f.resolve() for f in folders] == [RULES.parent.resolve()]
    assert (folders[0] / "perkada_kota_harapan" / "ruleset.yaml").is_file()


@pytest.fixture
def source_ruleset(plugin: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Ruleset:
    """The source rules, loaded with the built-in operators plus the plugin's (for this test
    only: the plugin is not installed in the development environment)."""
    operators = {**manager.operators(), **plugin.OPERATORS}
    monkeypatch.setattr(manager, "operators", lambda: operators)
    return load_ruleset_folder(RULES)


def test_every_rule_example_and_case_of_the_source_rules_holds(source_ruleset: Ruleset) -> None:
    assert {r.id for r in source_ruleset.rules} == RULE_IDS
    problems = []
    for rule in source_ruleset.rules:
        runs = run_cases(rule)  # the rule's `examples` and the .cases.yaml beside it
        problems += [f"{rule.id}: {gap.en}" for gap in coverage_gaps(rule, runs)]
        problems += [f"{rule.id} {run.name!r}: expected {run.expected_level} "
                     f"{run.expected_status}, got {run.result.level} {run.result.status}: "
                     + "; ".join(u.message.en for u in run.result.unmet)
                     for run in runs if not run.ok]
        for version in rule.versions:
            source = version.source
            assert source["confidence"] == "inferred", rule.id
            assert any("fictional" in c["en"] for c in source["caveats"]), rule.id
    assert not problems, "\n".join(problems)
    cases = [run for run in run_cases(source_ruleset.rule("perkada_kota_harapan.laman_go_id"))
             if run.name.startswith("laman_go_id.cases.yaml: ")]
    assert len(cases) == 4


# --- slow: installed next to patuh in a fresh virtual environment ---------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with a copy of patuh and a copy of the plugin installed (not editable);
    both copies are deleted afterwards, so nothing runs from the source tree."""
    return install_fresh(tmp_path_factory.mktemp("plugin"),
                         "examples/plugin-perkada-kota-harapan")


def patuh(env_dir: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(env_dir / "bin" / "patuh"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_installed_plugin_lists_and_validates_its_rules(installed: Path) -> None:
    listed = patuh(installed, "rules", "list", cwd=installed.parent)
    assert listed.returncode == 0, listed.stderr
    assert "perkada_kota_harapan: Standar Pelayanan Publik Daerah Kota Harapan" in listed.stdout
    for rule_id in RULE_IDS:
        assert rule_id in listed.stdout
    assert "pekppp.30.f.B" in listed.stdout  # the bundled rulesets are still there

    validated = patuh(installed, "rules", "validate", cwd=installed.parent)
    assert validated.returncode == 0, validated.stderr
    assert "OK perkada_kota_harapan: 3 aturan, 1 edisi" in validated.stdout.splitlines()

    # The rules come from the installed package (package data in the wheel).
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "from patuh.rulebook import load_ruleset; "
         "print(load_ruleset('perkada_kota_harapan').folder)"],
        cwd=installed.parent, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(installed))


def installed_rules(env_dir: Path) -> Path:
    (folder,) = env_dir.glob("lib/python*/site-packages/patuh_perkada_kota_harapan/rules/"
                             "perkada_kota_harapan")
    return folder


@pytest.mark.slow
def test_installed_rule_examples_and_cases_hold(installed: Path, tmp_path: Path) -> None:
    folder = installed_rules(installed)
    assert (folder / "laman_go_id.cases.yaml").is_file()  # package data covers *.cases.yaml
    done = patuh(installed, "rules", "test", folder, "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "21 passed, 0 failed; 0 gaps"

    # A wrong expectation is caught, and the operator's reason is shown.
    copy = tmp_path / "perkada_kota_harapan"
    shutil.copytree(folder, copy)
    rule_file = copy / "laman_go_id.yaml"
    text = rule_file.read_text("utf-8")
    wrong = text.replace("- name: Situs di layanan blog gratis\n        level: 0\n"
                         "        status: fail",
                         "- name: Situs di layanan blog gratis\n        level: 1\n"
                         "        status: pass")
    assert wrong != text
    rule_file.write_text(wrong, "utf-8")
    done = patuh(installed, "rules", "test", copy, "--lang", "en", cwd=tmp_path)
    assert done.returncode == 1
    assert (f"FAIL perkada_kota_harapan.laman_go_id v1 [Situs di layanan blog gratis]: "
            f"expected level 1 / pass, got level 0 / fail  ({rule_file})") in done.stdout
    assert (f"- {BUKTI}: https://dpmptsp-harapan.blogspot.com/ is not on the official "
            "government domain .go.id (host name: dpmptsp-harapan.blogspot.com)") in done.stdout


def check_json(env_dir: Path, unit: Path) -> dict[str, Any]:
    done = patuh(env_dir, "check", unit / "manifest.yaml", "--ruleset", "perkada_kota_harapan",
                 "--format", "json", cwd=unit.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def set_site(manifest: Path, url: str) -> None:
    """Give the unit's electronic information system one site address (and keep its other
    facts)."""
    data = yaml.safe_load(manifest.read_text("utf-8"))
    kualitas = data.setdefault("sistem_informasi", {}).setdefault("kualitas", {})
    kualitas["daring"] = True
    kualitas["bukti"] = [{"url": url, "keterangan": "Situs unit"}]
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.mark.slow
def test_check_a_unit_against_the_plugin_ruleset(installed: Path, tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    manifest = unit / "manifest.yaml"

    report = check_json(installed, unit)
    assert report["ruleset"]["id"] == "perkada_kota_harapan"
    assert {r["rule_id"] for r in report["results"]} == RULE_IDS
    assert not report["findings"]

    # A site off .go.id: the plugin's operator decides laman_go_id, with its own message.
    site = "https://dpmptsp-harapan.blogspot.com/"
    host = "dpmptsp-harapan.blogspot.com"
    set_site(manifest, site)
    report = check_json(installed, unit)
    results = {r["rule_id"]: r for r in report["results"]}
    laman = results["perkada_kota_harapan.laman_go_id"]
    assert laman["status"] == "fail"
    assert laman["unmet"] == [{
        "message": {
            "id": f"{BUKTI}: {site} tidak memakai domain resmi pemerintah .go.id "
                  f"(nama host: {host})",
            "en": f"{BUKTI}: {site} is not on the official government domain .go.id "
                  f"(host name: {host})"},
        "path": BUKTI, "missing": False}]
    assert {"ref": site, "kind": "url", "status": "declared", "sha256": None,
            "owner": "sistem_informasi.kualitas"} in laman["evidence"]
    # the other two rules of the example unit pass: 2 of 3 obligations, "Belum patuh"
    assert results["perkada_kota_harapan.sp_tempat_layanan"]["status"] == "pass"
    assert results["perkada_kota_harapan.statistik_pengaduan"]["status"] == "pass"
    assert report["score"]["final"] == 66.67
    assert report["predicate"]["code"] == "Belum"

    # The same unit with its site on .go.id: the operator holds and the unit is "Patuh".
    set_site(manifest, "https://dpmptsp.harapankota.go.id/")
    report = check_json(installed, unit)
    laman = next(r for r in report["results"]
                 if r["rule_id"] == "perkada_kota_harapan.laman_go_id")
    assert laman["status"] == "pass" and laman["unmet"] == []
    assert report["score"]["final"] == 100
    assert report["predicate"]["code"] == "Patuh"

    # Bundled rulesets still check the same manifest (the default is PEKPPP).
    default = patuh(installed, "check", manifest, "--format", "json", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout)["ruleset"]["id"] == "pekppp"


@pytest.mark.slow
def test_a_rule_with_an_unknown_operator_is_refused_with_file_and_line(
        installed: Path, tmp_path: Path) -> None:
    broken = tmp_path / "perkada_kota_harapan"  # the folder name must equal the ruleset id
    shutil.copytree(RULES, broken)
    rule_file = broken / "laman_go_id.yaml"
    line = replace_once(rule_file, "- domain_go_id:", "- domain_go_di:")

    done = patuh(installed, "rules", "validate", broken, cwd=tmp_path)
    assert done.returncode == 2, done.stdout
    assert f"{rule_file}:{line}: " in done.stderr
    assert "operator tidak dikenal 'domain_go_di'" in done.stderr
    # the hint lists the available operators, the plugin's among them
    assert "domain_go_id" in done.stderr.split("domain_go_di", 2)[-1]

    english = patuh(installed, "rules", "validate", broken, "--lang", "en", cwd=tmp_path)
    assert english.returncode == 2
    assert f"{rule_file}:{line}: versions[1].levels[1].when.all[2].domain_go_di: unknown " \
           "operator 'domain_go_di'" in english.stderr
