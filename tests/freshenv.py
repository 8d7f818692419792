"""A fresh virtual environment with patuh installed from a copy of this source tree."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def install_fresh(tmp: Path, *extras: str) -> Path:
    """A venv in ``tmp/venv`` with a copy of patuh and of each folder in ``extras`` (paths
    relative to the repository) installed, not editable; the copy is deleted afterwards, so
    nothing runs from the source tree. Returns the venv folder."""
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.egg-info", "build", "dist", ".*_cache"))
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    for package in (source, *(source / extra for extra in extras)):
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(package)],
                       check=True, cwd=tmp)
    shutil.rmtree(source)
    return env_dir
