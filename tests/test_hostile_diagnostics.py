"""Diagnostics under hostile input: bounded messages, enforced formats, and a FIFO or a device
named as what it is (never opened: reading a FIFO would wait forever)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL
from conftest import Run
from conftest import dump

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dpmptsp-kota-harapan"


def test_sixty_thousand_unknown_keys_give_a_short_message(tmp_path: Path,
                                                          run: Callable[..., Run]) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(dump(MINIMAL) + "".join(f"k{i:05d}: 1\n" for i in range(60_000)),
                        encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert result.code == 2
    assert len(result.err) < 2_000, len(result.err)
    assert "k00000" in result.err and "k00009" in result.err and "k00010" not in result.err
    assert "and 59990 more" in result.err
    assert f"{manifest}:" in result.err


@pytest.mark.parametrize("url", ["not a url", "www.example.go.id/layanan", "://x"])
def test_format_uri_is_enforced(tmp_path: Path, run: Callable[..., Run], url: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(dump({**MINIMAL, "maklumat": {"ada": True, "bukti": [{"url": url}]}}),
                        encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert result.code == 2, result.err
    assert "uri" in result.err and "maklumat.bukti[1].url" in result.err


def test_a_valid_uri_still_passes(tmp_path: Path, run: Callable[..., Run]) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(dump({**MINIMAL, "maklumat": {
        "ada": True, "bukti": [{"url": "https://contoh.go.id/maklumat?versi=2#atas"}]}}),
        encoding="utf-8")
    assert run("check", manifest, "--ruleset", "uu25").code in (0, 1)


def test_a_fifo_is_named_as_such_and_never_opened(tmp_path: Path,
                                                  run: Callable[..., Run]) -> None:
    fifo = tmp_path / "manifest.yaml"
    os.mkfifo(fifo)
    for argv in (("check", fifo), ("batch", fifo), ("skm", fifo),
                 ("check", EXAMPLE / "manifest.yaml", "--waivers", fifo),
                 ("check", EXAMPLE / "manifest.yaml", "--verification", fifo)):
        result = run(*argv, "--lang", "en")
        assert result.code == 2, (argv, result.err)
        assert "not a regular file" in result.err, (argv, result.err)
        assert "not found" not in result.err


def test_a_fifo_as_a_data_file_is_not_a_file(tmp_path: Path, run: Callable[..., Run]) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    data = unit / "skm" / "jawaban-skm-2024.csv"
    data.unlink()
    os.mkfifo(data)
    result = run("check", unit / "manifest.yaml", "--lang", "en")
    assert result.code == 2
    assert "not a file" in result.err and "not found" not in result.err


def test_a_folder_as_input_is_named_as_such(tmp_path: Path, run: Callable[..., Run]) -> None:
    result = run("skm", tmp_path, "--lang", "en")
    assert result.code == 2 and "folder" in result.err
