"""The example units and the reports they must produce (shared by the test and the regenerator)."""

from __future__ import annotations

from pathlib import Path

from patuh.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/manifest.yaml"))
VARIANTS = {"json": ["--format", "json"], "txt": ["--format", "text"],
            "en.txt": ["--format", "text", "--lang", "en"]}


def produce(unit: str, variant: str, out: Path) -> int:
    """Run `patuh check` on an example as a user would, writing the report to ``out``."""
    manifest = Path("examples") / unit / "manifest.yaml"
    return main(["check", str(manifest), *VARIANTS[variant], "-o", str(out)])
