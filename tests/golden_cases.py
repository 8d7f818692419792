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
         ("ombudsman", "json"), ("ombudsman", "txt"), ("uu25", "json"), ("uu25", "txt"),
         ("skm", "json"), ("skm", "txt")]
# Rulesets with no edition in force on a unit's evaluation date: `patuh check` stops with exit 2
# for them (PEKPPP edition 2022 starts 2022-01-01), so they have no golden files.
NOT_IN_FORCE = {"disdukcapil-kota-harapan-2021": {"pekppp"}}


def cases(unit: str) -> list[tuple[str, str]]:
    """The (ruleset, variant) pairs kept as golden files for ``unit``."""
    return [(r, v) for r, v in CASES if r not in NOT_IN_FORCE.get(unit, set())]


# (unit, ruleset, variant) for every golden file
ALL_CASES = [(unit, r, v) for unit in EXAMPLES for r, v in cases(unit)]


def golden_name(unit: str, ruleset: str, variant: str) -> str:
    return f"{unit}.{ruleset}.{variant}"


def produce(unit: str, ruleset: str, variant: str, out: Path) -> int:
    """Run `patuh check` on an example as a user would, writing the report to ``out``."""
    manifest = Path("examples") / unit / "manifest.yaml"
    return main(["check", str(manifest), "--ruleset", ruleset, *VARIANTS[variant],
                 "-o", str(out)])


# `patuh skm` on the bundled answer template: golden file name -> arguments after `patuh skm`
SKM_FILES = {
    "skm-template.skm.json": ["examples/skm-template/jawaban-skm.csv", "--format", "json"],
}


def produce_skm(name: str, out: Path) -> int:
    """Run `patuh skm` on a bundled answer file as a user would, writing the report to ``out``."""
    return main(["skm", *SKM_FILES[name], "-o", str(out)])
