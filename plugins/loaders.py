"""Manifest loaders for YAML and JSON files."""

from __future__ import annotations

from pathlib import Path

from patuh import hookimpl
from patuh.yamlio import Document
from patuh.yamlio import load_json
from patuh.yamlio import load_yaml


@hookimpl(trylast=True)
def patuh_load_manifest(path: Path) -> Document | None:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(path)
    if suffix == ".json":
        return load_json(path)
    return None
