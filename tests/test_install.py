"""`python -m patuh` is the `patuh` command; `pip install .` into a fresh virtual environment,
outside the repository, gives a working `patuh` with the bundled rules, schemas and built-in
plugins. The slow tests need PyPI (build and runtime dependencies), as `make test` does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from freshenv import install_fresh

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
SCRIPT = Path(sys.executable).with_name("patuh")


# --- python -m patuh ----------------------------------------------------------------------

@pytest.mark.parametrize("argv, code", [
    (["--version"], 0),
    (["--help"], 0),
    (["check", "unit/manifest.yaml", "--format", "json"], 0),
    (["check", "low/manifest.yaml", "--fail-under", "C"], 1),
    (["check", "unit/no-such-manifest.yaml"], 2),
    (["predicate", "pekppp", "9"], 2),
    (["no-such-command"], 2),
])
def test_python_m_patuh_is_the_patuh_command(argv: list[str], code: int, tmp_path: Path) -> None:
    """Same output, same exit code, and the program is called `patuh` in usage lines."""
    shutil.copytree(EXAMPLE, tmp_path / "unit")
    shutil.copytree(ROOT / "examples" / "kecamatan-lembah-hijau", tmp_path / "low")
    assert SCRIPT.is_file(), "the patuh script is installed next to this Python"
    by_module = subprocess.run([sys.executable, "-m", "patuh", *argv], cwd=tmp_path,
                               capture_output=True, text=True)
    by_script = subprocess.run([str(SCRIPT), *argv], cwd=tmp_path, capture_output=True,
                               text=True)
    assert by_module.returncode == by_script.returncode == code, by_module.stderr
    assert by_module.stdout == by_script.stdout
    assert by_module.stderr == by_script.stderr
    assert "__main__" not in by_module.stdout + by_module.stderr
    if argv == ["--version"]:
        assert by_module.stdout.startswith("patuh, version ")
    if argv == ["--help"]:
        assert by_module.stdout.startswith("Usage: patuh ")


@pytest.mark.slow
def test_wheel_installs_and_checks_an_example_outside_the_repo(tmp_path: Path) -> None:
    env_dir = install_fresh(tmp_path)
    python = env_dir / "bin" / "python"

    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    patuh = env_dir / "bin" / "patuh"
    done = subprocess.run([str(patuh), "check", "unit/manifest.yaml", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ruleset"]["id"] == "pekppp"
    assert len(report["results"]) == 31
    assert not report["findings"]

    # The installed package is the one that ran, not the source tree.
    where = subprocess.run([str(python), "-c", "import patuh; print(patuh.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout

    listed = subprocess.run([str(patuh), "rules", "list"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert listed.returncode == 0 and "pekppp.30.f.B" in listed.stdout
    predicate = subprocess.run([str(patuh), "predicate", "pekppp", "4.22"], cwd=tmp_path,
                               capture_output=True, text=True)
    assert predicate.stdout.strip() == "A- Sangat Baik"

    # Every citation can be followed from the installed package: the source documentation,
    # the bibliography (data and pages) and the rule reference ship inside it.
    files = subprocess.run([str(python), "-c", (
        "from importlib import resources; import json; "
        "docs = resources.files('patuh.docs'); rules = resources.files('patuh.rules'); "
        "print(json.dumps({"
        "'sources': sorted(p.name for p in docs.joinpath('sources').iterdir()), "
        "'rules': sorted(p.name for p in docs.joinpath('rules').iterdir()), "
        "'bibliography': rules.joinpath('sources.yaml').is_file(), "
        "'section': '<a id=\"sec-4b\"></a>' in docs.joinpath('sources', 'pekppp.md')"
        ".read_text('utf-8')}))")], cwd=tmp_path, capture_output=True, text=True, check=True)
    shipped = json.loads(files.stdout)
    assert {"README.md", "pekppp.md", "ombudsman.md", "bibliography.id.md",
            "bibliography.en.md"} <= set(shipped["sources"])
    assert {"README.md", "pekppp-2022.id.md", "pekppp-2022.en.md"} <= set(shipped["rules"])
    assert shipped["bibliography"] and shipped["section"]
    shown = subprocess.run([str(patuh), "rules", "show", "uu25.21", "--lang", "en"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert "https://peraturan.bpk.go.id/Details/38748/uu-no-25-tahun-2009" in shown.stdout
    docs_line = next(line for line in shown.stdout.splitlines() if "documentation:" in line)
    assert str(env_dir) in docs_line and docs_line.endswith("ombudsman.md")
