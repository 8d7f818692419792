"""The JSON reporter's writer gives the bytes json.dumps(indent=2) gives (it avoids its slow
pure-Python path), and leaves what it does not know to json.dumps."""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from enum import IntEnum

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from patuh.plugins.reporters import dumps_indented
from patuh.plugins.reporters import render_json


def reference(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


scalars = (st.none() | st.booleans() | st.integers()
           | st.integers(min_value=-2**200, max_value=2**200)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text())
plain = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(plain)
def test_same_bytes_as_json_dumps(value):
    assert dumps_indented(value) == reference(value)


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}, "b": []}, [[[]]], "\x00\x1f\x7f\x85\u202e\n\"\\", -0.0, 1e16, 1e-7,
    math.nan, -math.inf, 2**70, {"é": "—", "E": ["…", None, True, False]},
])
def test_edge_values(value):
    assert dumps_indented(value) == reference(value)


class Level(IntEnum):
    one = 1


@pytest.mark.parametrize("value", [
    {1: "a", 2: "b"},  # keys json.dumps converts
    {"t": (1, 2)},  # a tuple is written as a list
    {"e": Level.one},  # an int subclass: written through its int value
    OrderedDict(b=1, a=2),
    {"f": 1.5, "s": type("S", (str,), {})("sub")},
])
def test_unusual_values_left_to_json_dumps(value):
    assert dumps_indented(value) == reference(value)


def test_refusals_unchanged():
    with pytest.raises(TypeError):
        dumps_indented({"x": object()})
    with pytest.raises(TypeError):
        dumps_indented({"a": 1, None: 2, "b": 3})  # json.dumps cannot sort str with None
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps_indented(loop)


def test_render_json_neutralises_controls():
    text = render_json({"name": "a\x1b[31m\u202eb\x85"})
    assert text == json.dumps({"name": "a\x1b[31m\u202eb\x85"}, ensure_ascii=False, indent=2
                              ).replace("\u202e", "\\u202e").replace("\x85", "\\u0085") + "\n"
    assert json.loads(text) == {"name": "a\x1b[31m\u202eb\x85"}
