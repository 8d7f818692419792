"""Fuzzing manifests with Hypothesis: YAML and JSON made of hostile scalars, keys and shapes
laid over a valid manifest. Whatever comes in, `patuh check` exits 0, 1 or 2 (never 3), prints
no traceback, and leaves the manifest as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL
from conftest import Run
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

SCALARS = [".nan", ".inf", "-.inf", "1.0e999", "9" * 200, "0x" + "f" * 80, "1" + ":59" * 30,
           "~", "true", "no", "4.5", "12", "-3", "0", "2024-01-01", "9999-12-31", "'x'",
           "\"\\u202e\\x1b[31m\"", "\"\\0\"", "''", "[]", "{}", "!!binary aGVsbG8=",
           "!!python/object/apply:os.system [echo]", "*nope", "&a 1", "| \n  text",
           "\"" + "a" * 2000 + "\""]
KEYS = ["unit", "periode", "nama", "tahun", "tanggal_penilaian", "skm", "responden", "ada",
        "berkas", "bukti", "populasi", "schema_version", "1", "true", "~", "[a]", "{b: 1}",
        "'1'", "<<", "? x"]
SECTIONS = ["unit", "periode", "skm", "pengaduan", "penilaian_pengguna", "maklumat",
            "standar_pelayanan", "inovasi", "sarana_prasarana", "x"]


HUGE = "<huge integer>"  # written as 5,000 digits in the JSON text


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return str(value)


yaml_tree = st.recursive(
    st.sampled_from(SCALARS),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12)

json_scalar = st.one_of(st.none(), st.booleans(), st.text(max_size=20),
                        st.integers(min_value=-10**60, max_value=10**60),
                        st.floats(allow_nan=True, allow_infinity=True),
                        st.just(HUGE))
json_tree = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12)


def check(run: Callable[..., Run], manifest: Path) -> None:
    before = manifest.read_bytes()
    result = run("check", manifest, "--lang", "en", "--format", "json")
    assert result.code in (0, 1, 2), (result.code, result.err, before[:2000])
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    if result.code == 2:
        assert result.err.startswith("patuh: "), result.err
    assert manifest.read_bytes() == before


@FUZZ
@given(section=st.sampled_from(SECTIONS), tree=yaml_tree)
def test_fuzzed_yaml_manifests(run: Callable[..., Run], tmp_path: Path, section: str,
                               tree: Any) -> None:
    base = {k: v for k, v in MINIMAL.items() if k != section}
    text = "".join(f"{k}: {json.dumps(v)}\n" for k, v in base.items())
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(text + f"{section}: {flow(tree)}\n", encoding="utf-8")
    check(run, manifest)


@FUZZ
@given(section=st.sampled_from(SECTIONS), tree=json_tree)
def test_fuzzed_json_manifests(run: Callable[..., Run], tmp_path: Path, section: str,
                               tree: Any) -> None:
    manifest = tmp_path / "manifest.json"
    text = json.dumps({**MINIMAL, section: tree}).replace(json.dumps(HUGE), "9" * 5000)
    manifest.write_text(text, encoding="utf-8")
    check(run, manifest)


@pytest.mark.parametrize("depth", [10, 49, 51, 999])
def test_fuzz_helpers_reach_deep_shapes(run: Callable[..., Run], tmp_path: Path,
                                        depth: int) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in MINIMAL.items())
                        + "x: " + "{k: [" * depth + ".nan" + "]}" * depth + "\n",
                        encoding="utf-8")
    check(run, manifest)
