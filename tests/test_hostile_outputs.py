"""Hostile output paths: nothing an output replaces may be an input, a link, a device, a FIFO,
a read-only file or a folder; refused with exit 2 and the input left byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from conftest import refused

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dpmptsp-kota-harapan"


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """A copy of the bundled example unit (its manifest reads evidence and data files)."""
    target = tmp_path / "unit"
    shutil.copytree(EXAMPLE, target)
    return target


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("target", ["manifest.yaml", "skm/jawaban-skm-2024.csv",
                                    "pengaduan/log-pengaduan-2024.csv",
                                    "penilaian-pengguna/f03-2024.csv",
                                    "foto/front-office.jpg"])
def test_output_onto_an_input_of_the_run_is_refused(run: Callable[..., Run], unit: Path,
                                                     target: str) -> None:
    before = digests(unit)
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "-o", unit / target,
                "--format", "json"), "input of this run")
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "--store", unit / target),
            "input of this run", "--store")
    assert digests(unit) == before


def test_output_onto_an_input_by_another_name_is_refused(run: Callable[..., Run],
                                                          unit: Path) -> None:
    os.link(unit / "skm" / "jawaban-skm-2024.csv", unit / "hardlink.csv")
    before = digests(unit)
    other = unit / "skm" / ".." / "manifest.yaml"
    refused(run("check", unit / "manifest.yaml", "-o", other), "masukan")
    refused(run("check", unit / "manifest.yaml", "-o", unit / "hardlink.csv"), "masukan")
    assert digests(unit) == before


def test_output_onto_a_rule_file_or_the_waivers_is_refused(run: Callable[..., Run], unit: Path,
                                                            tmp_path: Path) -> None:
    from patuh.rulebook import available

    rule_file = available()["uu25"] / "ruleset.yaml"
    before = rule_file.read_bytes()
    refused(run("check", unit / "manifest.yaml", "-o", rule_file), "masukan")
    assert rule_file.read_bytes() == before
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("schema_version: 1\nwaivers: []\n", encoding="utf-8")
    result = run("check", unit / "manifest.yaml", "--waivers", waivers, "-o", waivers)
    if result.code != 2 or "masukan" not in result.err:  # an empty list may be refused first
        refused(result)
    assert waivers.read_text(encoding="utf-8") == "schema_version: 1\nwaivers: []\n"


def test_fifo_symlink_read_only_and_folder_are_refused(run: Callable[..., Run], unit: Path,
                                                       tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "-o", fifo),
            "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(victim)
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "-o", link), "symbolic link")
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep me\n"
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "--store", link),
            "symbolic link")

    read_only = tmp_path / "read-only.txt"
    read_only.write_text("keep me\n", encoding="utf-8")
    read_only.chmod(0o444)
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "-o", read_only), "read-only")
    assert read_only.read_text(encoding="utf-8") == "keep me\n"

    refused(run("check", unit / "manifest.yaml", "--lang", "en", "--store", tmp_path),
            "directory")


def test_a_device_node_stays_a_device(run: Callable[..., Run], unit: Path,
                                      tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root: a private device node, never the machine's own
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    refused(run("check", unit / "manifest.yaml", "--lang", "en", "-o", device),
            "not a regular file")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    refused(run("check", unit / "manifest.yaml", "--store", device))
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_long_output_name_works(run: Callable[..., Run], unit: Path, tmp_path: Path) -> None:
    target = tmp_path / ("r" * 245 + ".json")
    assert len(target.name) == 250
    result = run("check", unit / "manifest.yaml", "--format", "json", "-o", target)
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["unit", target.name])


def test_batch_outputs_never_replace_an_input(run: Callable[..., Run], unit: Path,
                                              tmp_path: Path) -> None:
    """`batch -o` into the units' own folder: the summaries and reports must not replace a
    unit's files; a summary name that is a FIFO stops the batch before any unit runs."""
    before = digests(unit)
    result = run("batch", unit, "-o", unit, "--workers", "1")
    assert result.code == 0, result.err
    after = digests(unit)
    assert {k: v for k, v in after.items() if k in before} == before

    (unit / "summary.csv").unlink()
    os.mkfifo(unit / "summary.csv")
    refused(run("batch", unit, "-o", unit, "--workers", "1", "--lang", "en"),
            "summary.csv", "not a regular file")

    evidence = unit / "skm" / "jawaban-skm-2024.csv"
    refused(run("batch", unit, "--store", evidence, "--workers", "1", "--lang", "en"),
            "input of this run")
    now = digests(unit)
    assert {k: now[k] for k in before} == before


def test_batch_report_named_like_an_evidence_file_is_refused(run: Callable[..., Run],
                                                             unit: Path) -> None:
    """A unit whose report name (its kode slug) equals one of its own evidence files."""
    (unit / "laporan").mkdir()
    manifest = (unit / "manifest.yaml").read_text(encoding="utf-8")
    data = (unit / "skm" / "jawaban-skm-2024.csv").read_bytes()
    (unit / "x.uu25.json").write_bytes(data)
    manifest = manifest.replace("berkas: skm/jawaban-skm-2024.csv", "berkas: x.uu25.json", 1)
    (unit / "manifest.yaml").write_text(manifest, encoding="utf-8")
    import yaml

    loaded = yaml.safe_load(manifest)
    loaded["unit"]["kode"] = "x"
    (unit / "manifest.yaml").write_text(yaml.safe_dump(loaded, allow_unicode=True),
                                        encoding="utf-8")
    result = run("batch", unit / "manifest.yaml", "-o", unit, "--ruleset", "uu25",
                 "--workers", "1", "--lang", "en")
    refused(result, "input of this run")
    assert (unit / "x.uu25.json").read_bytes() == data


def test_batch_summary_xlsx_is_byte_identical_between_runs(run: Callable[..., Run], unit: Path,
                                                           tmp_path: Path) -> None:
    import time

    first, second = tmp_path / "one", tmp_path / "two"
    assert run("batch", unit, "-o", first, "--workers", "1").code == 0
    time.sleep(2.1)  # zip entry times have a 2-second resolution
    assert run("batch", unit, "-o", second, "--workers", "1").code == 0
    for name in sorted(p.name for p in first.iterdir()):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with zipfile.ZipFile(first / "summary.xlsx") as book:
        assert book.testzip() is None
        core = book.read("docProps/core.xml").decode()
        assert "1980-01-01T00:00:00Z" in core
    from openpyxl import load_workbook

    sheet = load_workbook(first / "summary.xlsx", read_only=True).active
    assert next(sheet.iter_rows(values_only=True))[0] == "Peringkat"


def test_rules_docs_refuses_what_it_did_not_write(run: Callable[..., Run],
                                                  tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "README.md").write_text("my own notes\n", encoding="utf-8")
    refused(run("rules", "docs", "-o", out), "README.md")
    assert (out / "README.md").read_text(encoding="utf-8") == "my own notes\n"
    assert sorted(p.name for p in out.iterdir()) == ["README.md"]  # nothing written at all

    (out / "README.md").unlink()
    outside = tmp_path / "outside.md"
    outside.write_text("secret\n", encoding="utf-8")
    (out / "pekppp-2022.id.md").symlink_to(outside)
    refused(run("rules", "docs", "-o", out), "tautan simbolik")
    assert outside.read_text(encoding="utf-8") == "secret\n"
    (out / "pekppp-2022.id.md").unlink()

    first = run("rules", "docs", "-o", out)
    assert first.code == 0, first.err
    again = run("rules", "docs", "-o", out)  # its own files are regenerated
    assert again.code == 0, again.err

    (out / "pekppp-2022.id.md").unlink()
    (out / "pekppp-2022.id.md").mkdir()  # a folder where a page goes
    refused(run("rules", "docs", "-o", out), "pekppp-2022.id.md", "folder")
    (out / "pekppp-2022.id.md").rmdir()

    a_file = tmp_path / "plain"
    a_file.write_text("x\n", encoding="utf-8")
    refused(run("rules", "docs", "-o", a_file))
    assert a_file.read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("spec", ["@", "@@", "pekppp@@2022", "pekppp@", ""])
def test_rules_diff_refuses_malformed_specs_at_once(run: Callable[..., Run], spec: str,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(": [\n", encoding="utf-8")  # would fail if scanned
    refused(run("rules", "diff", spec, "@@", "--lang", "en"), "not RULESET[@EDITION]")


def test_rules_docs_refuses_two_pages_of_one_name(run: Callable[..., Run], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two editions whose names differ only in characters a file name cannot hold."""
    from patuh import ruledocs

    monkeypatch.setattr(ruledocs, "doc_name", lambda ruleset, edition, lang: "same.md")
    out = tmp_path / "docs"
    refused(run("rules", "docs", "pekppp", "-o", out), "same.md")
    assert not out.exists() or not any(out.iterdir())
