"""Facts: the manifest plus what fact-deriver plugins compute from its evidence."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from patuh import manager


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = tree
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


_IMMUTABLE = (str, int, float, bool, type(None), date, Decimal, Fraction)


def plain_copy(value: Any) -> Any:
    """A deep copy of JSON-like data: dicts and lists copied, immutable values shared (much
    quicker than ``copy.deepcopy``); anything else deep-copied. Derived facts and the data
    readers' kept results are copied with it, so no caller changes what another reads."""
    kind = type(value)
    if kind is dict:
        return {key: plain_copy(item) for key, item in value.items()}
    if kind is list:
        return [plain_copy(item) for item in value]
    if kind is tuple:
        return tuple(plain_copy(item) for item in value)
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


def derive(manifest: Mapping[str, Any], base_dir: Path | None, as_of: date) -> dict[str, Any]:
    """A copy of the manifest with derived facts added (the manifest itself is not touched)."""
    facts = plain_copy(dict(manifest))
    hook = manager.get_plugin_manager().hook
    kwargs = {"manifest": manifest, "base_dir": base_dir, "as_of": as_of}

    def wrong(result: Any) -> bool:
        return result is not None and (not isinstance(result, Mapping) or not all(
            isinstance(k, str) and k for k in result))

    for result in hook.patuh_derive_facts(**kwargs):
        if wrong(result):
            raise manager.wrong_type(manager.culprit(hook.patuh_derive_facts, wrong, **kwargs),
                                     "patuh_derive_facts", "a mapping {dotted.path: value}",
                                     result)
        for dotted, value in sorted(result.items()):
            _set(facts, dotted, value)
    return facts
