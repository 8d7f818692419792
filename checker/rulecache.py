"""A cache of loaded and validated rulesets, so a check does not parse and validate every rule
file again on each run (about half of a one-unit `patuh check`).

The key covers everything the loaded ruleset depends on: every file of the ruleset folder and
its path, the bibliography beside it (``sources.yaml``), the bundled schemas, the operators'
argument schemas, and patuh's own code. Any change
makes a new key; a stale entry is never read. The cache lives in ``$PATUH_CACHE_DIR``, else
``$XDG_CACHE_HOME/patuh``, else ``~/.cache/patuh``; ``PATUH_NO_CACHE=1`` turns it off. A cache
that cannot be written is simply not used. `patuh rules validate` never uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from patuh import manager
from patuh.sources import BIBLIOGRAPHY_FILE


def cache_dir() -> Path | None:
    if os.environ.get("PATUH_NO_CACHE"):
        return None
    if os.environ.get("PATUH_CACHE_DIR"):
        return Path(os.environ["PATUH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "patuh"


@cache
def _environment() -> bytes:
    """patuh's code, its schemas and the operators' argument schemas."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for schema in sorted(resources.files("patuh.schemas").iterdir(), key=lambda p: p.name):
        if schema.name.endswith(".json"):
            digest.update(schema.name.encode() + schema.read_bytes())
    operators = {name: dict(op.schema) for name, op in manager.operators().items()}
    digest.update(json.dumps(operators, sort_keys=True, default=str).encode())
    return digest.digest()


def _key(folder: Path) -> str:
    digest = hashlib.sha256(_environment())
    digest.update(str(folder.resolve()).encode())
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    # the bibliography beside the ruleset folder: loading checks the keys the rules cite
    bibliography = folder.parent / BIBLIOGRAPHY_FILE
    digest.update(b"\0bibliography\0")
    if bibliography.is_file():
        digest.update(bibliography.read_bytes())
    return digest.hexdigest()


def load(folder: Path) -> tuple[Any | None, str | None]:
    """(the cached ruleset or None, the key to store it under)."""
    where = cache_dir()
    if where is None:
        return None, None
    key = _key(folder)
    try:
        with (where / f"{key}.pickle").open("rb") as handle:
            return pickle.load(handle), key
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None, key


def store(key: str | None, ruleset: Any) -> None:
    where = cache_dir()
    if where is None or key is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(ruleset, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, where / f"{key}.pickle")
    except OSError:
        pass
