"""patuh.yamlio.load_yaml: strict YAML with a line map."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from patuh.errors import InputError
from patuh.yamlio import format_path
from patuh.yamlio import load_yaml


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dates_and_timestamps_stay_strings(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "tanggal: 2024-01-31\nwaktu: 2024-01-31T10:00:00\n"
                                    "tahun: 2024\nbenar: true\nangka: 4.5\n"))
    assert doc.data == {"tanggal": "2024-01-31", "waktu": "2024-01-31T10:00:00",
                        "tahun": 2024, "benar": True, "angka": 4.5}
    assert isinstance(doc.data["tanggal"], str)


def test_the_global_safe_loader_is_untouched(tmp_path: Path) -> None:
    load_yaml(write(tmp_path, "tanggal: 2024-01-31\n"))
    assert not isinstance(yaml.safe_load("tanggal: 2024-01-31\n")["tanggal"], str)


def test_duplicate_key_is_rejected_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    error = caught.value
    assert error.file == str(path)
    assert error.line == 5
    assert error.path == "b"
    assert "'c'" in error.render("en") and "first at line 3" in error.render("en")
    assert error.render("id").startswith(f"{path}:5: b: ")


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, "unit: {nama: A}\nperiode: {tahun: 2024}\nunit: {nama: B}\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert caught.value.line == 3
    assert "duplicate key 'unit'" in caught.value.render("en")


def test_line_map_for_nested_paths(tmp_path: Path) -> None:
    text = ("# komentar\n"
            "unit:\n"
            "  nama: A\n"
            "daftar:\n"
            "  - nama: satu\n"
            "    tahap: diterapkan\n"
            "  - nama: dua\n"
            "    kompetisi:\n"
            "      tingkat: lokal\n")
    doc = load_yaml(write(tmp_path, text))
    assert doc.lines[()] == 2
    assert doc.lines[("unit",)] == 2  # a key's entry is the line of the key itself
    assert doc.line_of(("unit", "nama")) == 3
    assert doc.line_of(("daftar", 0)) == 5
    assert doc.line_of(("daftar", 0, "tahap")) == 6
    assert doc.line_of(("daftar", 1, "kompetisi", "tingkat")) == 9
    # a path that is not in the file falls back to its nearest ancestor
    assert doc.line_of(("daftar", 1, "kompetisi", "tidak_ada")) == 8
    assert doc.line_of(("daftar", 1, "tidak_ada")) == 7
    error = doc.error(("daftar", 1, "kompetisi", "tingkat"), "salah")
    assert str(error) == f"{doc.file}:9: daftar[2].kompetisi.tingkat: salah"


def test_format_path() -> None:
    assert format_path(()) == ""
    assert format_path(("a", 0, "b")) == "a[1].b"


@pytest.mark.parametrize(("text", "line"), [
    ("a: [1, 2\nb: 3\n", 2),
    ("a:\n  b: 1\n c: 2\n", 3),
    ("a: 'tidak ditutup\n", 1),  # where the quote opens, not where the file ends
])
def test_malformed_yaml_names_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert "invalid YAML" in caught.value.render("en")


@pytest.mark.parametrize("text", ["", "   \n\n", "# hanya komentar\n"])
def test_empty_documents_are_rejected(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert caught.value.file == str(path)


def test_two_documents_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_yaml(write(tmp_path, "a: 1\n---\nb: 2\n"))


def test_python_tags_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_yaml(write(tmp_path, "a: !!python/object/apply:os.system ['true']\n"))


def test_alias_expansion_is_bounded(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[index]
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, "
                     f"*{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert "alias" in caught.value.render("en")


def test_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"nama: Caf\xe9\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert "UTF-8" in caught.value.render("en")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfnama: Unit\n")
    assert load_yaml(path).data == {"nama": "Unit"}


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "tidak-ada.yaml"
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert caught.value.file == str(path)
    assert "file not found" in caught.value.render("en")
