"""Sources inside the project: every citation of every bundled rule can be followed.

- every ``reference`` of a bundled rule or ruleset names an existing section of docs/sources/;
- every source key (``sources: [...]``, and ``[KEY]`` in texts) is in rules/sources.yaml;
- nothing in the repository points to the research folder outside it;
- the bibliography pages are current; unknown keys and conflicting definitions are load errors
  with file, line and path; a rule folder without a bibliography keeps working;
- `rules show`, the JSON and the HTML report carry the resolved sources.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from patuh import rulecache
from patuh.errors import InputError
from patuh.rulebook import load_ruleset_folder
from patuh.ruledocs import write_bibliography
from patuh.sources import Bibliography
from patuh.sources import bibliography
from patuh.sources import cited_keys
from patuh.sources import load_bibliography
from patuh.sources import merge

from rulecopies import replace_once

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
SOURCES = ROOT / "docs" / "sources"
REGENERATE = "run `patuh rules docs --bibliography -o docs/sources` and commit the result"

HEADING = re.compile(r"^#{2,4} ([0-9]+[a-z]?(?:\.[0-9]+)?)\.? ", re.MULTILINE)
TOKEN = re.compile(r"§(?P<sec>[0-9]+[a-z]?(?:\.[0-9]+)?)(?: butir (?P<item>[0-9]+))?"
                   r"(?: \((?P<phrase>[^()]*)\))?$")
INLINE_KEY = re.compile(r"\[((?:S|C)-?[A-Za-z0-9][A-Za-z0-9-]*)\]")


def bundled_files() -> list[Path]:
    return sorted(p for p in RULES.rglob("*.yaml") if p.name != "sources.yaml")


def walk(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield path, key, value
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))


def sections(page: Path) -> dict[str, str]:
    """Section number -> its text (up to the next numbered heading)."""
    text = page.read_text("utf-8")
    found = list(HEADING.finditer(text))
    return {m.group(1): text[m.end():found[i + 1].start() if i + 1 < len(found) else None]
            for i, m in enumerate(found)}


def unresolved(reference: str) -> str | None:
    """Why ``reference`` does not point to a section of docs/sources/, or None."""
    page, _, rest = reference.partition(" ")
    file = SOURCES / page
    if not page.endswith(".md") or not file.is_file():
        return f"no page docs/sources/{page}"
    known = sections(file)
    for token in rest.split(", "):
        match = TOKEN.match(token.strip())
        if match is None:
            return f"cannot read {token!r} (write FILE §SEC[, §SEC…])"
        body = known.get(match.group("sec"))
        if body is None:
            return f"{page} has no section §{match.group('sec')}"
        if match.group("item") and not re.search(rf"^{match.group('item')}\. ", body, re.M):
            return f"{page} §{match.group('sec')} has no item {match.group('item')}"
        phrase = (match.group("phrase") or "").strip('"')
        if phrase and phrase.lower() not in body.lower():
            return f"{page} §{match.group('sec')} does not hold {phrase!r}"
    return None


def test_the_reference_parser_fails_on_a_missing_section() -> None:
    assert unresolved("pekppp.md §4b") is None
    assert unresolved("ombudsman.md §2.2, §8 butir 1") is None
    assert unresolved('pekppp.md §7 ("Change from 16/2014")') is None
    assert "no section §4z" in unresolved("pekppp.md §4z")
    assert "no item 9" in unresolved("ombudsman.md §8 butir 9")
    assert "does not hold" in unresolved('pekppp.md §7 ("not there")')
    assert "no page" in unresolved("nowhere.md §1")


@pytest.mark.parametrize("file", bundled_files(), ids=lambda p: str(p.relative_to(RULES)))
def test_every_reference_points_to_a_section_of_the_docs(file: Path) -> None:
    data = yaml.safe_load(file.read_text("utf-8"))
    references = [(path, value) for path, key, value in walk(data) if key == "reference"]
    problems = [f"{'.'.join(map(str, path))}: {value!r}: {unresolved(value)}"
                for path, value in references if unresolved(value)]
    assert not problems, f"{file.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("file", bundled_files(), ids=lambda p: str(p.relative_to(RULES)))
def test_every_source_key_is_in_the_bibliography(file: Path) -> None:
    text = file.read_text("utf-8")
    known = load_bibliography(RULES / "sources.yaml").entries
    keys = set(cited_keys(yaml.safe_load(text)))
    keys |= {k for k in INLINE_KEY.findall(text) if k != "CONFLICT"}
    assert not keys - set(known), f"{file.relative_to(ROOT)} cites {sorted(keys - set(known))}"


def test_the_source_docs_cite_only_keys_of_the_bibliography() -> None:
    known = set(load_bibliography(RULES / "sources.yaml").entries)
    for page in ("pekppp.md", "ombudsman.md"):
        text = (SOURCES / page).read_text("utf-8")
        keys = set(INLINE_KEY.findall(text)) | set(re.findall(r"\b[SC]-[A-Za-z0-9]+\b", text))
        keys = {k for k in keys if not re.fullmatch(r"[SC]-[0-9]+", k)}
        assert not keys - known, f"docs/sources/{page} cites {sorted(keys - known)}"


def test_every_bibliography_entry_has_a_url_or_says_why_not() -> None:
    for entry in load_bibliography(RULES / "sources.yaml").entries.values():
        assert entry.urls or entry.url_note, entry.key
        assert entry.seen is None  # the research recorded no dates; none is invented
        assert entry.confidence is not None, entry.key


def test_nothing_in_the_repository_points_to_the_research_folder() -> None:
    needle = "shared" + "/"
    skip = {".git", ".venv", "__pycache__", "build", "dist"}
    hits = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & skip or any(p.endswith((".egg-info", "_cache")) for p in parts):
            continue
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(str(path.relative_to(ROOT)))
    assert not hits, f"these files point outside the project ({needle}): {hits}"


def test_committed_bibliography_pages_are_current(tmp_path: Path) -> None:
    written = write_bibliography(tmp_path)
    assert sorted(p.name for p in written) == ["bibliography.en.md", "bibliography.id.md"]
    for path in written:
        committed = SOURCES / path.name
        assert committed.is_file(), f"docs/sources/{path.name} is missing: {REGENERATE}"
        if committed.read_bytes() != path.read_bytes():
            diff = "\n".join(list(difflib.unified_diff(
                committed.read_text("utf-8").splitlines(), path.read_text("utf-8").splitlines(),
                f"docs/sources/{path.name}", "generated", lineterm=""))[:40])
            pytest.fail(f"docs/sources/{path.name} is out of date: {REGENERATE}\n{diff}")


def test_bibliography_page_lists_urls_and_who_cites() -> None:
    page = (SOURCES / "bibliography.en.md").read_text("utf-8")
    entry = page[page.index('<a id="S55"></a>'):page.index('<a id="S56"></a>')]
    assert "https://peraturan.bpk.go.id/Details/38748/uu-no-25-tahun-2009" in entry
    assert "Seen: not recorded" in entry and "`uu25.21`" in entry
    code = page[page.index('<a id="C-prob"></a>'):]
    assert "URL: none" in code.split("\n- Seen")[0]


def test_rule_docs_link_keys_and_sections() -> None:
    page = (ROOT / "docs" / "rules" / "pekppp-2022.en.md").read_text("utf-8")
    assert "[S-F02](../sources/bibliography.en.md#S-F02)" in page
    assert "[§4b](../sources/pekppp.md#sec-4b)" in page
    assert '<a id="sec-4b"></a>' in (SOURCES / "pekppp.md").read_text("utf-8")


# --- loading ----------------------------------------------------------------------------------

def copy_rules(tmp_path: Path, bibliography_file: bool = True) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    if not bibliography_file:
        (target / "sources.yaml").unlink()
    return target


def test_unknown_key_is_a_load_error_with_file_line_and_path(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    file = next((root / "uu25").rglob("21.yaml"))
    line = replace_once(file, "S55", "S5S")
    with pytest.raises(InputError) as caught:
        load_ruleset_folder(root / "uu25")
    text = caught.value.render("en")
    assert f"{file}:{line}:" in text and "source.sources[" in text
    assert "'S5S' is not in the bibliography" in text and "sources.yaml" in text


def test_unknown_key_in_a_ruleset_file(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    line = replace_once(root / "pekppp" / "ruleset.yaml", "S-ppt25, S-idth, C-bray]",
                        "S-ppt25, S-nope, C-bray]")
    with pytest.raises(InputError) as caught:
        load_ruleset_folder(root / "pekppp")
    text = caught.value.render("en")
    assert f"ruleset.yaml:{line}:" in text and "aspect_sources" in text


def test_a_folder_without_bibliography_keeps_working(tmp_path: Path) -> None:
    root = copy_rules(tmp_path, bibliography_file=False)
    file = next((root / "uu25").rglob("21.yaml"))
    replace_once(file, "S55", "S-local")
    assert load_ruleset_folder(root / "uu25").rule("uu25.21") is not None


def test_a_broken_bibliography_is_a_load_error(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    line = replace_once(root / "sources.yaml", "seen: null", "seen: yesterday")
    with pytest.raises(InputError) as caught:
        load_ruleset_folder(root / "skm")
    assert f"sources.yaml:{line}:" in caught.value.render("en")


def test_two_folders_defining_a_key_differently_is_an_error(tmp_path: Path) -> None:
    bundled = load_bibliography(RULES / "sources.yaml")
    same = tmp_path / "a" / "sources.yaml"
    same.parent.mkdir()
    shutil.copy(RULES / "sources.yaml", same)
    assert merge([bundled, load_bibliography(same)]).entries.keys() == bundled.entries.keys()
    other = tmp_path / "b" / "sources.yaml"
    other.parent.mkdir()
    other.write_text(yaml.safe_dump({"sources": [{
        "key": "S55", "title": "something else", "publisher": "x", "kind": "news",
        "url": [], "url_note": {"id": "tidak ada", "en": "none"}, "seen": None,
        "supports": {"id": "lain", "en": "other"}}]}), "utf-8")
    with pytest.raises(InputError) as caught:
        merge([bundled, load_bibliography(other)])
    text = caught.value.render("en")
    assert "'S55'" in text and str(RULES / "sources.yaml") in text and str(other) in text


def test_the_ruleset_cache_key_covers_the_bibliography(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    before = rulecache.folder_key(root / "skm")
    replace_once(root / "sources.yaml", "seen: null", "seen: null  # touched")
    assert rulecache.folder_key(root / "skm") != before


def test_every_cited_key_resolves_in_the_merged_bibliography() -> None:
    merged: Bibliography = bibliography()
    for file in bundled_files():
        keys = cited_keys(yaml.safe_load(file.read_text("utf-8")))
        assert len(merged.resolve(keys)) == len(set(keys)), file


# --- surfaces -----------------------------------------------------------------------------

def test_rules_show_prints_titles_urls_and_the_docs_section(run) -> None:
    result = run("rules", "show", "pekppp.1.a.Ak", "--lang", "en")
    assert result.code == 0, result.err
    assert "documentation: `pekppp.md §4a` — " in result.out
    assert str(SOURCES / "pekppp.md") in result.out
    assert "[S-F02] Formulir F-02 (evaluator form)" in result.out
    assert "https://id.scribd.com/document/715974418/FORMULIR-F-02-2" in result.out
    assert "[C-prob]" in result.out and "repository is not named" in result.out
    shown = json.loads(run("rules", "show", "pekppp.1.a.Ak", "--format", "json").out)
    assert shown["bibliography"]["S-F02"]["url"] == [
        "https://id.scribd.com/document/715974418/FORMULIR-F-02-2"]


def test_json_report_resolves_every_cited_key(run) -> None:
    result = run("check", str(ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"),
                    "--format", "json")
    report = json.loads(result.out)
    cited = set(cited_keys(report["results"])) | set(cited_keys(report["confidence"]))
    cited |= set(cited_keys(report["aspects"])) | set(cited_keys(report["bands_source"]))
    assert cited and cited <= set(report["bibliography"])
    assert set(report["bibliography"]) == set(cited_keys(report))
    entry = report["bibliography"]["C-bray"]
    assert entry["url"] == ["https://github.com/brayenid/pekppp-guide"]
    assert entry["seen"] is None and entry["kind"] == "code"


def test_html_report_links_the_sources(run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("check", str(ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"),
                    "--format", "html", "-o", str(out))
    assert result.code == 0, result.err
    html = out.read_text("utf-8")
    assert '<a class="src" href="#src-S-F02"' in html
    assert '<li id="src-S-F02">' in html
    assert 'href="https://id.scribd.com/document/715974418/FORMULIR-F-02-2"' in html


def test_rule_docs_in_the_same_folder_keep_the_bibliography_pages(tmp_path: Path) -> None:
    from patuh.ruledocs import write_docs

    pages = write_bibliography(tmp_path)
    write_docs(None, None, tmp_path)
    assert all(p.is_file() for p in pages)


def test_cited_keys_finds_what_cited_finds() -> None:
    """``cited_keys`` walks a whole report on every check without building paths: it must find
    exactly the keys ``cited`` finds, at any depth, in lists and mappings alike."""
    from patuh.sources import cited
    from patuh.sources import cited_keys

    data = {"a": {"sources": ["S2", "S1", 7]}, "b": [{"sources": ["S3"]}, [{"x": {
        "sources": ["S1", "S4"]}}], "sources"], "sources": "not a list",
            "c": {"sources": [], "d": ({"sources": ["S9"]},)}}
    assert cited_keys(data) == sorted({key for _path, key in cited(data)}) == [
        "S1", "S2", "S3", "S4"]
