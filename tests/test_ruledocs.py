"""`patuh rules docs`: reference pages generated from the rule files.

The committed pages under docs/rules/ must equal what the code produces from the rule files now;
this is the check that the documentation is current.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

from patuh.errors import InputError
from patuh.rulebook import load_ruleset
from patuh.ruledocs import GENERATED_MARK
from patuh.ruledocs import render_condition
from patuh.ruledocs import render_docs
from patuh.ruledocs import write_docs
from patuh.sources import confidence_name

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
RULES = ROOT / "rules"
REGENERATE = "run `patuh rules docs -o docs/rules` and commit the result"


def page(ruleset_id: str, edition: str, lang: str) -> str:
    ruleset = load_ruleset(ruleset_id)
    found = ruleset.edition_named(edition)
    assert found is not None, f"{ruleset_id} has no edition {edition}"
    return render_docs(ruleset, found, lang)


def section(text: str, heading: str) -> str:
    """From ``heading`` up to the next heading of the same or a higher level."""
    start = text.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    rest = text[start + len(heading):]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return heading + (rest[:end.start()] if end else rest)


def rule_file(ruleset_id: str, stem: str) -> dict:
    [path] = (RULES / ruleset_id).rglob(f"{stem}.yaml")
    return yaml.safe_load(path.read_text("utf-8"))


# --- (a) the committed docs are current --------------------------------------------------------

def test_committed_docs_match_the_rule_files(tmp_path: Path) -> None:
    written = write_docs(None, None, tmp_path)
    assert written and all(p.parent == tmp_path for p in written)
    expected = {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())}
    assert DOCS.is_dir(), f"docs/rules/ is missing: {REGENERATE}"
    committed = {p.name: p.read_bytes() for p in sorted(DOCS.iterdir()) if p.is_file()}
    missing = sorted(set(expected) - set(committed))
    stale = sorted(set(committed) - set(expected))
    assert not missing, f"docs/rules/ lacks {missing}: {REGENERATE}"
    assert not stale, f"docs/rules/ holds files no edition produces {stale}: {REGENERATE}"
    for name, data in expected.items():
        if committed[name] != data:
            diff = "\n".join(list(difflib.unified_diff(
                committed[name].decode("utf-8").splitlines(), data.decode("utf-8").splitlines(),
                f"docs/rules/{name}", "generated", lineterm=""))[:40])
            pytest.fail(f"docs/rules/{name} is out of date: {REGENERATE}\n{diff}")


def test_every_edition_of_every_bundled_ruleset_has_both_languages(tmp_path: Path) -> None:
    names = {p.name for p in write_docs(None, None, tmp_path)}
    for folder in sorted(p.parent for p in RULES.glob("*/ruleset.yaml")):
        data = yaml.safe_load((folder / "ruleset.yaml").read_text("utf-8"))
        for edition in data["editions"]:
            for lang in ("id", "en"):
                assert f"{data['id']}-{edition['edition']}.{lang}.md" in names
    assert "README.md" in names
    readme = (tmp_path / "README.md").read_text("utf-8")
    for name in sorted(names - {"README.md"}):
        assert f"]({name})" in readme


# --- (b) content -------------------------------------------------------------------------------

def test_pekppp_2022_aspect_weights() -> None:
    text = page("pekppp", "2022", "id")
    table = section(text, "## Aspek dan bobot")
    for aspect, weight in zip("abcdef", (24, 25, 18, 11, 10, 12), strict=True):
        assert re.search(rf"^\| `{aspect}` \| [^|]+ \| {weight} \|", table, re.MULTILINE), (
            aspect, weight, table)


def test_pekppp_2022_rule_with_its_ladder_and_confidence() -> None:
    data = rule_file("pekppp", "1.a.Ak")
    version = data["versions"][0]
    for lang in ("id", "en"):
        text = page("pekppp", "2022", lang)
        rule = section(text, f"#### `pekppp.1.a.Ak` — {data['title'][lang]}")
        titles = [level["title"][lang] for level in version["levels"]]
        assert len(titles) == 5
        for number, title in enumerate(titles, start=1):
            assert f"- **{number}** — {title}" in rule
        confidence = version["source"]["confidence"]
        shown = f"`{confidence}`" if lang == "en" else confidence_name(confidence, "id")
        assert f": {shown} [{version['source']['reference_tag']}]" in rule
        assert "`is_true: standar_pelayanan.ada`" in rule  # the condition, rendered
        assert "`persyaratan` — " in rule  # the element list
        assert version["evidence"][lang] in rule


def test_pekppp_2022_band_table() -> None:
    text = page("pekppp", "2022", "id")
    bands = section(text, "## Tabel predikat")
    assert "| Kode | Label | Batas bawah (≥) |" in bands
    assert "| `A` | Pelayanan Prima | 4,51 |" in bands  # the Indonesian decimal comma
    assert "| `F` | Gagal | 0,00 |" in bands
    assert "sekunder [V2]" in bands  # the source of the table, its confidence named


def test_pekppp_2022_scoring_options_and_rounding() -> None:
    text = page("pekppp", "2022", "en")
    assert "- Model: `weighted_levels`" in text
    assert "`weight_rules`: `0.75`" in text
    assert "`weight`: `0.25`" in text
    rounding = section(text, "## Rounding")
    assert "2 decimals, half up (`half_up`)" in rounding
    assert "`inferred` [NF]" in rounding


def test_ombudsman_2022_dimension_weights_and_borrowed_rule() -> None:
    text = page("ombudsman", "2022", "en")
    table = section(text, "## Aspects and weights")
    for aspect, weight in (("input", "21.85"), ("proses", "32.37"), ("output", "24.24"),
                           ("pengaduan", "21.54")):
        assert re.search(rf"^\| `{aspect}` \| [^|]+ \| {weight} \|", table, re.MULTILINE), (
            aspect, weight, table)
    title = rule_file("uu25", "21")["title"]["en"]
    borrowed = section(text, f"#### `uu25.21` — {title}")
    assert "borrowed from ruleset `uu25`" in borrowed
    proses = section(text, "### Aspect `proses`")
    assert "| `uu25.21` |" in proses


def test_ombudsman_gap_and_version_that_starts_inside_the_edition() -> None:
    text = page("ombudsman", "2021", "en")
    gaps = section(text, "## Periods with no instrument")
    assert "2025-01-01" in gaps and "{as_of}" not in gaps
    rule = section(text, "#### `ombudsman.sp-elektronik`")
    assert "2021-01-01 – 2021-12-31 — starts after the edition starts" in rule


def test_english_page_has_english_titles() -> None:
    english = page("pekppp", "2022", "en")
    indonesian = page("pekppp", "2022", "id")
    data = yaml.safe_load((RULES / "pekppp" / "ruleset.yaml").read_text("utf-8"))
    edition = next(e for e in data["editions"] if e["edition"] == "2022")
    assert english.splitlines()[1] == f"# {edition['title']['en']}"
    assert indonesian.splitlines()[1] == f"# {edition['title']['id']}"
    assert "| `a` | Service policy | 24 |" in english
    assert "- **1** — An SP exists" in english
    assert "SP tersedia" not in english
    assert "## Legal basis" in english and "## Dasar hukum" not in english


def test_pages_start_with_the_generated_mark() -> None:
    for lang in ("id", "en"):
        lines = page("uu25", "2009", lang).splitlines()
        assert lines[0] == GENERATED_MARK
        assert "patuh rules docs" in lines[3]


# --- (c) deterministic -------------------------------------------------------------------------

def test_output_is_deterministic(tmp_path: Path) -> None:
    first = write_docs(None, None, tmp_path / "one")
    second = write_docs(None, None, tmp_path / "two")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert page("pekppp", "2022", "id") == page("pekppp", "2022", "id")
    for path in first:
        text = path.read_text("utf-8")
        assert str(ROOT) not in text and str(tmp_path) not in text
        assert text.endswith("\n") and not text.endswith("\n\n")


# --- the renderer and the writer ---------------------------------------------------------------

def test_condition_renderer_is_generic() -> None:
    condition = {"all": [
        {"is_true": "a.b"},
        {"any": [{"count": {"path": "x", "ge": 2}}, {"not": {"exists": "y"}}],
         "label": {"id": "tidak ada", "en": "none"}},
        {"made_up": {"path": "z", "values": [1, "two, three"]}},
    ]}
    assert render_condition(condition, "en") == [
        "- all of:",
        "  - `is_true: a.b`",
        "  - any of: — *if unmet: none*",
        "    - `count: {path: x, ge: 2}`",
        "    - not:",
        "      - `exists: y`",
        '  - `made_up: {path: z, values: [1, "two, three"]}`',
    ]


def test_one_ruleset_and_edition(tmp_path: Path) -> None:
    written = write_docs("pekppp", "2022", tmp_path)
    assert [p.name for p in written] == ["pekppp-2022.id.md", "pekppp-2022.en.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_unknown_edition_and_edition_without_ruleset(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        write_docs("pekppp", "1999", tmp_path)
    assert "1999" in caught.value.render("en")
    with pytest.raises(InputError):
        write_docs(None, "2022", tmp_path)
    with pytest.raises(InputError):
        write_docs("tidak_ada", None, tmp_path)
    assert not list(tmp_path.iterdir())


def test_writing_all_removes_stale_generated_pages_only(tmp_path: Path) -> None:
    stale = tmp_path / "pekppp-1999.id.md"
    stale.write_text(GENERATED_MARK + "\n# old\n", "utf-8")
    mine = tmp_path / "notes.md"
    mine.write_text("# my notes\n", "utf-8")
    write_docs(None, None, tmp_path)
    assert not stale.exists()
    assert mine.read_text("utf-8") == "# my notes\n"
