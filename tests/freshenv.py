"""Fresh virtual environments with patuh installed from a copy of this source tree, and the
wheel and sdist built from such a copy (nothing runs from, or is written into, the tree)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build", "dist",
                                 ".*_cache", ".hypothesis")


def copy_source(dest: Path) -> Path:
    """A copy of the source tree (no venv, git data, caches or build output) at ``dest``."""
    shutil.copytree(ROOT, dest, ignore=IGNORED)
    return dest


def install_fresh(tmp: Path, *extras: str) -> Path:
    """A venv in ``tmp/venv`` with a copy of patuh and of each folder in ``extras`` (paths
    relative to the repository) installed, not editable; the copy is deleted afterwards, so
    nothing runs from the source tree. Returns the venv folder."""
    source = copy_source(tmp / "src")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    for package in (source, *(source / extra for extra in extras)):
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(package)],
                       check=True, cwd=tmp)
    shutil.rmtree(source)
    return env_dir


def build_dists(tmp: Path) -> tuple[Path, Path]:
    """``python -m build`` on a copy of the tree, as a release is made: the sdist first, then
    the wheel built from that sdist (so the sdist is proven complete). Returns (wheel, sdist)
    in ``tmp/dist``; the copy is deleted afterwards."""
    source = copy_source(tmp / "src")
    out = tmp / "dist"
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                          cwd=tmp, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    shutil.rmtree(source)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


def install_wheel(tmp: Path, wheel: Path) -> Path:
    """A venv in ``tmp`` with ``wheel`` (and its dependencies) installed. Returns the venv."""
    venv.create(tmp, with_pip=True)
    subprocess.run([str(tmp / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, cwd=tmp.parent)
    return tmp
