"""The example units and the reports they must produce (shared by the test and the regenerator)."""

from __future__ import annotations

from pathlib import Path

from patuh.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/manifest.yaml"))
VARIANTS = {"json": ["--format", "json"], "txt": ["--format", "text"],
            "en.txt": ["--format", "text", "--lang", "en"]}
# (ruleset, variant) pairs kept as golden files for every example unit
CASES = [("pekppp", "json"), ("pekppp", "txt"), ("pekppp", "en.txt"),
         ("ombudsman", "json"), ("ombudsman", "txt"), ("uu25", "txt")]


def golden_name(unit: str, ruleset: str, variant: str) -> str:
    return f"{unit}.{ruleset}.{variant}"


def produce(unit: str, ruleset: str, variant: str, out: Path) -> int:
    """Run `patuh check` on an example as a user would, writing the report to ``out``."""
    manifest = Path("examples") / unit / "manifest.yaml"
    return main(["check", str(manifest), "--ruleset", ruleset, *VARIANTS[variant],
                 "-o", str(out)])
