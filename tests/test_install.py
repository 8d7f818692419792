"""`python -m patuh` is the `patuh` command. Slow: `python -m build` makes an sdist holding the
whole project and a wheel holding everything the installed tool needs; that wheel, installed
with pip or pipx into a fresh environment outside the repository, gives a working `patuh` (the
bundled rules, schemas, docs and built-in plugins); the README's Linux quick start works as
written. The slow tests need PyPI (build and runtime dependencies), as `make test` does."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from freshenv import IGNORED
from freshenv import build_dists
from freshenv import copy_source
from freshenv import install_wheel

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
        assert by_module.stdout.startswith("Penggunaan: patuh ")  # click speaks Indonesian too


# --- slow: the wheel and the sdist -------------------------------------------------------

# Where each top-level folder of the repository lands in the installed package (setup.cfg).
PACKAGE_DIRS = {"checker": "patuh", "plugins": "patuh/plugins", "rules": "patuh/rules",
                "schemas": "patuh/schemas", "docs": "patuh/docs"}


def test_every_python_package_is_listed_in_setup_cfg() -> None:
    """setup.cfg lists the packages one by one (each folder maps to a name under `patuh`): a
    subpackage left off the list (plugins/web/migrations/ ...) would be missing from the wheel
    without any error, so every folder holding an __init__.py must be listed, and nothing else."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = set()
    for folder, name in PACKAGE_DIRS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            if "__pycache__" not in parts:
                found.add(".".join((*name.split("/"), *parts)))
    assert found - listed == set(), "add these to setup.cfg's packages"
    assert listed - found == set(), "setup.cfg lists packages that have no __init__.py"


# Repository files that are not part of a source release (editor and git settings).
NOT_RELEASED = (".gitignore", ".vscode/")


def project_files() -> list[str]:
    """The project's files, relative to the root: git's list in a checkout, otherwise (an
    unpacked sdist) the tree less what the fresh-install copy leaves out."""
    if (ROOT / ".git").exists():
        done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                              text=True)
        if done.returncode == 0:
            return [f for f in done.stdout.split("\0") if f and (ROOT / f).is_file()]
    files = []
    for folder, dirs, names in os.walk(ROOT):
        skip = IGNORED(folder, dirs + names)
        dirs[:] = [d for d in dirs if d not in skip]
        files += [Path(folder, n).relative_to(ROOT).as_posix() for n in names if n not in skip]
    return files


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_dists(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def env_dir(dists: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(tmp_path_factory.mktemp("installed") / "venv", dists[0])


@pytest.mark.slow
def test_the_wheel_holds_everything_the_installed_tool_needs(dists: tuple[Path, Path]) -> None:
    wheel, _ = dists
    assert wheel.name == f"patuh-{version()}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every file of the core, the plugins, the rules, the schemas and the docs, at its place.
    wanted = [f"{PACKAGE_DIRS[f.split('/', 1)[0]]}/{f.split('/', 1)[1]}"
              for f in project_files() if f.split("/", 1)[0] in PACKAGE_DIRS]
    assert len(wanted) > 150
    missing = [f for f in wanted if f not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert "patuh/__main__.py" in names
    # The examples, tests and build files are the source release's, not the tool's.
    assert not [n for n in names if n.split("/", 1)[0] in ("examples", "tests", "benchmarks")]
    entry_points = zipfile.ZipFile(wheel).read(
        f"patuh-{version()}.dist-info/entry_points.txt").decode()
    assert "patuh = patuh.cli:run" in entry_points


@pytest.mark.slow
def test_the_sdist_is_the_whole_project(dists: tuple[Path, Path]) -> None:
    """Unpacked, a source release builds the wheel (build_dists builds it from the sdist) and
    holds what `make demo` and `make test` use: examples, tests, golden reports, Makefile, CI."""
    _, sdist = dists
    prefix = f"patuh-{version()}/"
    with tarfile.open(sdist) as archive:
        names = {n.removeprefix(prefix) for n in archive.getnames()}
    wanted = [f for f in project_files() if not f.startswith(NOT_RELEASED)]
    assert {"Makefile", ".ci/run", "ruff.toml", "examples/dpmptsp-kota-harapan/manifest.yaml",
            "tests/conftest.py"} <= set(wanted)
    missing = [f for f in wanted if f not in names]
    assert not missing, f"not in the sdist: {missing}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def version() -> str:
    from patuh import __version__
    return __version__


@pytest.mark.slow
def test_the_installed_wheel_runs_as_patuh_and_python_m_patuh(env_dir: Path,
                                                              tmp_path: Path) -> None:
    python = env_dir / "bin" / "python"
    patuh = env_dir / "bin" / "patuh"
    for command in ([str(patuh)], [str(python), "-m", "patuh"]):
        shown = subprocess.run([*command, "--version"], cwd=tmp_path, capture_output=True,
                               text=True)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout == f"patuh, version {version()}\n"
        shutil.copytree(EXAMPLE, tmp_path / "unit", dirs_exist_ok=True)
        done = subprocess.run([*command, "check", "unit/manifest.yaml"], cwd=tmp_path,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "Predikat: A Pelayanan Prima" in done.stdout
        bad = subprocess.run([*command, "check", "unit/nothing.yaml"], cwd=tmp_path,
                             capture_output=True, text=True)
        assert bad.returncode == 2 and "nothing.yaml" in bad.stderr


@pytest.mark.slow
def test_the_wheel_installs_and_checks_an_example_outside_the_repo(env_dir: Path,
                                                                  tmp_path: Path) -> None:
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


@pytest.mark.slow
def test_pipx_installs_the_wheel(dists: tuple[Path, Path], tmp_path: Path) -> None:
    """`pipx install patuh-….whl`, as the README's quick start says: patuh in its own
    environment, the `patuh` command in pipx's bin folder (here all inside tmp_path)."""
    wheel, _ = dists
    env = {**os.environ, "PIPX_HOME": str(tmp_path / "pipx"),
           "PIPX_BIN_DIR": str(tmp_path / "bin"), "PIPX_MAN_DIR": str(tmp_path / "man")}
    env.pop("PIPX_GLOBAL_HOME", None)
    done = subprocess.run([sys.executable, "-m", "pipx", "install", str(wheel)], cwd=tmp_path,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    patuh = tmp_path / "bin" / "patuh"
    shown = subprocess.run([str(patuh), "--version"], capture_output=True, text=True, env=env)
    assert shown.stdout == f"patuh, version {version()}\n", shown.stderr
    shutil.copytree(EXAMPLE, tmp_path / "unit")
    checked = subprocess.run([str(patuh), "check", "unit/manifest.yaml", "--format", "json"],
                             cwd=tmp_path, capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["predicate"]["code"] == "A"
    # pipx's copy, not the source tree nor the test environment, is the one that ran.
    assert patuh.resolve().is_relative_to(tmp_path / "pipx")


# --- the README's quick start --------------------------------------------------------------

README = ROOT / "README.md"


def quickstart(name: str) -> list[str]:
    """The command lines of the README's code block marked ``<!-- quickstart: NAME``."""
    lines = README.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"<!-- quickstart: {name} "))
    assert lines[start + 1].startswith("```")
    end = lines.index("```", start + 2)
    return [line for line in lines[start + 2:end] if line.strip()]


def as_linux(windows: str) -> str:
    """What a Windows PowerShell line of the quick start is on Linux."""
    special = {"py -m venv .venv": "python3 -m venv .venv",
               r".venv\Scripts\Activate.ps1": "source .venv/bin/activate"}
    return special.get(windows, windows.replace("py -m pipx ", "pipx ").replace("\\", "/"))


def test_the_readme_names_the_files_this_version_builds() -> None:
    text = README.read_text("utf-8")
    named = re.findall(r"patuh-(\d[^\s`/\\]*?)-py3-none-any\.whl", text)
    named += re.findall(r"patuh-(\d[^\s`/\\]*?)\.tar\.gz", text)
    assert len(named) >= 8
    assert set(named) == {version()}


def test_the_windows_quick_start_mirrors_the_linux_one() -> None:
    windows, linux = quickstart("windows-venv"), quickstart("linux-venv")
    assert [as_linux(line) for line in windows] == linux
    assert "patuh init unit-saya" in linux and linux[-1] == "patuh check unit-saya/manifest.yaml"
    windows, linux = quickstart("windows-pipx"), quickstart("linux-pipx")
    # On Windows pipx comes from pip; on Linux from apt (step 1 of the quick start).
    assert windows[0] == "py -m pip install --user pipx"
    assert [as_linux(line) for line in windows[1:]] == linux


def quickstart_env(home: Path) -> dict[str, str]:
    """A person's terminal in a fresh home folder: no pipx or XDG settings, no venv active."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIPX_", "XDG_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(home), SHELL="/bin/bash")
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not Path(p, "patuh").exists())
    return env


@pytest.mark.slow
def test_the_linux_venv_quick_start_works_as_written(dists: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "Unduhan"
    folder.mkdir()
    shutil.copy(dists[0], folder)
    env = quickstart_env(tmp_path)
    script = "set -euo pipefail\n" + "\n".join(quickstart("linux-venv")) + "\n"
    done = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"patuh, version {version()}" in done.stdout
    assert (folder / "unit-saya" / "manifest.yaml").is_file()
    assert "Predikat: " in done.stdout  # the check of the fresh template ran to its report
    # Without activation, as the README says.
    direct = subprocess.run([".venv/bin/patuh", "check", "unit-saya/manifest.yaml"],
                            cwd=folder, env=env, capture_output=True, text=True)
    assert direct.returncode == 0 and "Predikat: " in direct.stdout, direct.stderr


@pytest.mark.slow
def test_the_linux_pipx_quick_start_puts_patuh_on_path(dists: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "Unduhan"
    folder.mkdir()
    shutil.copy(dists[0], folder)
    shims = tmp_path / "shims"  # `pipx` as apt installs it: a command on PATH
    shims.mkdir()
    (shims / "pipx").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipx "$@"\n')
    (shims / "pipx").chmod(0o755)
    env = quickstart_env(tmp_path)
    env["PATH"] = f"{shims}{os.pathsep}{env['PATH']}"
    script = "set -euo pipefail\n" + "\n".join(quickstart("linux-pipx")) + "\n"
    done = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # A new terminal (an interactive shell reading the updated ~/.bashrc), any folder.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shown = subprocess.run(["bash", "-ic", "patuh --version"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().endswith(f"patuh, version {version()}")
    # Before ensurepath's change is read (the old terminal), it is not on PATH.
    old = subprocess.run(["bash", "-c", "command -v patuh"], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert old.returncode == 1


@pytest.mark.slow
def test_make_demo_from_a_fresh_copy_says_how_to_run_patuh_next(tmp_path: Path) -> None:
    """`make demo` in a fresh clone (here a copy without .venv) checks the example, then tells
    the user, in Indonesian and English, how to run patuh; the commands it shows work."""
    make = shutil.which("make")
    assert make, "make is needed, as for `make test`"
    source = copy_source(tmp_path / "clone")
    env = quickstart_env(tmp_path)
    done = subprocess.run([make, "demo"], cwd=source, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "Predikat: A Pelayanan Prima" in out
    tail = out[out.index("Predikat: A Pelayanan Prima"):]
    assert "Selesai. patuh terpasang di .venv/" in tail and "Done. patuh is installed" in tail
    assert "source .venv/bin/activate" in tail and r".venv\Scripts\activate" in tail
    shown = [line.strip() for line in tail.splitlines() if line.startswith("    .venv/bin/patuh")]
    assert len(shown) == 2
    for command in shown:  # as printed, from the clone's folder
        ran = subprocess.run(["bash", "-c", command], cwd=source, env=env, capture_output=True,
                             text=True)
        assert ran.returncode == 0, (command, ran.stderr)
    assert (source / "unit-saya" / "manifest.yaml").is_file()
    activated = subprocess.run(["bash", "-c", "source .venv/bin/activate && patuh --version"],
                               cwd=source, env=env, capture_output=True, text=True)
    assert activated.stdout == f"patuh, version {version()}\n", activated.stderr
