"""libyaml's C parser (used when PyYAML has it) and the pure-Python one read every file to the
same Document: data, the line of every path, raw numbers; and refuse the same files with the
same line (and, for patuh's own checks, the same message)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from patuh import yamlio
from patuh.errors import InputError
from patuh.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[1]
PURE = yamlio.strict_loader(yaml.SafeLoader)

needs_libyaml = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False),
                                   reason="PyYAML without libyaml")


def load_both(file: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """(what load_yaml gives with the loader patuh picked, with the pure-Python loader)."""
    results = []
    for loader in (yamlio._StrictLoader, PURE):
        monkeypatch.setattr(yamlio, "_StrictLoader", loader)
        try:
            doc = load_yaml(file)
            results.append((doc.data, doc.lines, doc.raw_numbers))
        except InputError as exc:
            results.append(("error", exc.line, exc.path))
    return results[0], results[1]


@needs_libyaml
def test_libyaml_is_used_when_present() -> None:
    assert issubclass(yamlio._StrictLoader, yaml.CSafeLoader)


def bundled_yaml() -> list[Path]:
    files = [*ROOT.glob("rules/**/*.yaml"), *ROOT.glob("examples/**/*.yaml"),
             *ROOT.glob("schemas/*.yaml")]
    return sorted(f for f in files if f.is_file())


def test_every_bundled_file_reads_the_same_with_both_parsers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = bundled_yaml()
    assert len(files) > 50
    for file in files:
        fast, pure = load_both(file, monkeypatch)
        assert fast == pure, file


ODD = {
    "duplicate": "a: 1\nb:\n  c: 2\n  c: 3\n",
    "number_key": "a: 1\n2: x\n",
    "long_number": "a: " + "9" * 60 + "\n",
    "infinity": "a: .inf\n",
    "deep": "a: " + "[" * 60 + "]" * 60 + "\n",
    "alias": "a: &x [1, 2]\nb: *x\nc: {<<: {d: 1}}\n",
    "floats": "a: 9.870\nb: '9.870'\nc: 1e3\nd: [1.50, 2]\n",
    "dates": "a: 2024-01-31\nb: 2024-01-31 10:00:00\n",
    "bad_indent": "a: 1\n b: 2\n",
    "unclosed": "a: [1, 2\n",
    "tab": "a:\n\t- 1\n",
    "undefined_alias": "a: 1\nb: *nope\n",
    "unsafe_tag": "a: !!python/object/apply:os.system ['true']\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "bom": "\ufeffa: 1\n",
    "nul": "a: \x00\n",
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_files_read_or_fail_alike(name: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "f.yaml"
    file.write_text(ODD[name], "utf-8")
    fast, pure = load_both(file, monkeypatch)
    assert fast == pure


@pytest.mark.parametrize("name", ["duplicate", "number_key", "long_number", "infinity", "deep"])
def test_patuhs_own_checks_say_the_same(name: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "f.yaml"
    file.write_text(ODD[name], "utf-8")
    messages = []
    for loader in (yamlio._StrictLoader, PURE):
        monkeypatch.setattr(yamlio, "_StrictLoader", loader)
        with pytest.raises(InputError) as caught:
            load_yaml(file)
        messages.append(caught.value.render("en"))
    assert messages[0] == messages[1]
    assert str(file) in messages[0]
