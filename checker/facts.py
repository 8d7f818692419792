"""Facts: the manifest plus what fact-deriver plugins compute from its evidence."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from patuh import manager


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = tree
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def derive(manifest: Mapping[str, Any], base_dir: Path | None, as_of: date) -> dict[str, Any]:
    """A copy of the manifest with derived facts added (the manifest itself is not touched)."""
    facts = copy.deepcopy(dict(manifest))
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
