"""The first page of the HTML report ("Ringkasan untuk pimpinan"): the gap to the next
predicate and the fewest steps to reach it, each with what is missing and its points; the
core computation behind it (``shortest_path``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from test_html import Page

from patuh.i18n import number
from patuh.plugins.html import render_html
from patuh.report import shortest_path

from golden_cases import GOLDEN

HALF_UP = {"places": 2, "mode": "half_up"}
REPORTS = {p.name[: -len(".json")]: json.loads(p.read_text("utf-8"))
           for p in sorted(GOLDEN.glob("*.json"))}
WITH_PATH = sorted(name for name, rep in REPORTS.items()
                   if (rep.get("next_band") or {}).get("path", {}) and
                   rep["next_band"]["path"]["steps"])


def test_largest_gains_first_until_the_band() -> None:
    gains = {"a": Decimal("0.1"), "b": Decimal("0.3"), "c": Decimal("0.2"), "d": Decimal(0)}
    path = shortest_path(gains, Decimal("1.5"), HALF_UP, Decimal("1.9"))
    assert path is not None
    assert [s["rule_id"] for s in path["steps"]] == ["b", "c"]
    assert [s["score_after"] for s in path["steps"]] == [1.8, 2.0]
    assert path["steps"][-1]["cumulative"] == pytest.approx(0.5)
    assert path["reaches"] is True


def test_rounding_counts_and_a_short_path_says_so() -> None:
    # 1.5 + 0.395 = 1.895 rounds half up to 1.90: one step is enough
    path = shortest_path({"a": Decimal("0.395"), "b": Decimal("0.4")}, Decimal("1.5"),
                         HALF_UP, Decimal("1.9"))
    assert path is not None and [s["rule_id"] for s in path["steps"]] == ["b"]
    path = shortest_path({"a": Decimal("0.1")}, Decimal("1.5"), HALF_UP, Decimal("3"))
    assert path == {"steps": [{"rule_id": "a", "gain": 0.1, "cumulative": 0.1,
                               "score_after": 1.6}], "reaches": False}
    assert shortest_path({"a": Decimal(1)}, None, HALF_UP, Decimal(3)) is None


def test_examples_have_a_path() -> None:
    assert WITH_PATH  # the examples include units below the top band


@pytest.mark.parametrize("name", WITH_PATH)
def test_the_path_is_the_fewest_steps(name: str) -> None:
    rep = REPORTS[name]
    nb = rep["next_band"]
    steps = nb["path"]["steps"]
    places = rep["score"]["rounding"]["places"]
    gains = sorted((r["gain"] for r in rep["results"] if r.get("gain")), reverse=True)
    assert [s["gain"] for s in steps] == gains[:len(steps)]
    if nb["path"]["reaches"]:
        assert steps[-1]["score_after"] >= nb["min"]
        # one step fewer (the largest gains) does not reach the band
        short = rep["score"]["unrounded"] + sum(gains[:len(steps) - 1])
        assert round(short, places) < nb["min"]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", WITH_PATH)
def test_first_page_names_the_missing_items(name: str, lang: str) -> None:
    rep: dict[str, Any] = REPORTS[name]
    text = render_html(rep, lang)
    page = Page(text)
    summary = text.index('id="summary"')
    assert summary < text.index('id="score"') < text.index('id="plan"')
    steps = rep["next_band"]["path"]["steps"]
    rows = page.by_class["path-step"]
    assert len(rows) == len(steps)
    results = {r["rule_id"]: r for r in rep["results"]}
    for row, step in zip(rows, steps, strict=True):
        r = results[step["rule_id"]]
        assert number(step["gain"], lang, 4, sign=True) in row  # +0,0252 in Indonesian
        for unmet in r["unmet"]:
            message = unmet["message"].get(lang) or unmet["message"]["id"]
            assert " ".join(message.split()) in " ".join(row.split())
    heading = "Ringkasan untuk pimpinan" if lang == "id" else "Summary for leadership"
    assert heading in page.texts


@pytest.mark.parametrize("name", WITH_PATH)
def test_plan_rows_name_the_missing_items(name: str) -> None:
    rep = REPORTS[name]
    page = Page(render_html(rep, "id"))
    rows = page.by_class["plan-item"]
    assert len(rows) == len(rep["improvement_plan"])
    results = {r["rule_id"]: r for r in rep["results"]}
    for row, item in zip(rows, rep["improvement_plan"], strict=True):
        for unmet in results[item["rule_id"]]["unmet"]:
            assert " ".join(unmet["message"]["id"].split()) in " ".join(row.split())
