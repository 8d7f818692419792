"""normalize()'s shortcut for values taken as they are (``_Want.plain``) gives exactly what
the full walk gives: the same data, readings and unread values, on the bundled manifests and
on variants with values typed the human way in random places."""

from __future__ import annotations

import copy
import dataclasses
import random
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from patuh import normalize as normalize_module
from patuh.normalize import Normalized
from patuh.normalize import drop_unanswered
from patuh.normalize import normalize
from patuh.validation import load_schema
from patuh.yamlio import Document
from patuh.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/manifest.yaml"))
TYPED: list[Any] = ["ya", "tidak", "Ada", "31/12/2024", "01/02/2025", "31 Oktober 2025",
                    "9.870", "82,5", "0.500", "1.234", 1, 0, 12.0, 9.87, 2.5, True, "x",
                    date(2024, 5, 1), datetime(2024, 5, 1, 13, 30), 45123, None, "",
                    [1, "2"], {"a": "ya"}]


def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in leaves(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in leaves(v, (*path, i))]
    return [path]


def variants(data: Any, rng: random.Random, count: int) -> list[Any]:
    out = []
    paths = leaves(data)
    for _ in range(count):
        new = copy.deepcopy(data)
        for path in rng.sample(paths, min(len(paths), 12)):
            parent = new
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = rng.choice(TYPED)
        out.append(new)
    return out


def shape(result: Normalized) -> str:
    """Everything normalize() says, with the types of values (1, 1.0 and True differ)."""
    return repr((_typed(result.data), result.readings, sorted(result.unread.items(), key=repr)))


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_shortcut_reads_exactly_as_the_full_walk(example: Path, suffix: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    raw = drop_unanswered(load_yaml(example).data)
    rng = random.Random(f"normalize-{example.parent.name}-{suffix}")
    docs = [Document(example.with_suffix(suffix), data, {})
            for data in [raw, *variants(raw, rng, 40)]]
    schema = load_schema("manifest")
    fast = [shape(normalize(doc, schema)) for doc in docs]

    original = normalize_module._Schema.want
    kept: dict[int, tuple[Any, Any]] = {}

    def without_shortcut(self: Any, node: Any) -> Any:
        want = original(self, node)
        if id(want) not in kept:  # kept alive: the walk memoises by identity
            kept[id(want)] = (want, dataclasses.replace(want, plain=frozenset()))
        return kept[id(want)][1]

    monkeypatch.setattr(normalize_module._Schema, "want", without_shortcut)
    monkeypatch.setattr(normalize_module, "_SCHEMAS", {})
    full = [shape(normalize(doc, schema)) for doc in docs]
    assert fast == full
    assert sum("FieldReading(" in s for s in fast) >= 5  # the variants were read
