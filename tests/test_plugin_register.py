"""The plugin manager looks only at the ``patuh_*`` names of a built-in plugin, and at every
name of a third party's (so that a misnamed hook implementation is still reported)."""

from __future__ import annotations

import importlib

import pluggy
import pytest

from patuh import hookspecs
from patuh import manager

hookimpl = pluggy.HookimplMarker("patuh")


class Misnamed:
    @hookimpl
    def operators(self) -> dict[str, object]:  # not under a patuh_* name
        return {}


def fresh() -> pluggy.PluginManager:
    pm = manager._PluginManager(manager.GROUP)
    pm.add_hookspecs(hookspecs)
    return pm


@pytest.mark.parametrize("built_in_first", [False, True])
def test_a_third_partys_misnamed_hook_is_still_reported(built_in_first: bool) -> None:
    pm = fresh()
    if built_in_first:  # what was asked about the built-in does not carry over
        pm.register(importlib.import_module("patuh.plugins.operators"), name="operators")
    pm.register(Misnamed(), name="misnamed")
    with pytest.raises(pluggy.PluginValidationError) as caught:
        pm.check_pending()
    assert "operators" in str(caught.value) and caught.value.plugin is pm.get_plugin("misnamed")


def test_a_built_in_registers_its_patuh_hooks_only() -> None:
    pm = fresh()
    module = importlib.import_module("patuh.plugins.skm")
    pm.register(module, name="skm")
    pm.check_pending()
    hooks = {caller.name for caller in pm.get_hookcallers(module) or ()}
    expected = {name for name in dir(module) if name.startswith("patuh_")}
    assert hooks == expected and hooks


def test_every_built_in_plugin_is_registered() -> None:
    pm = manager.get_plugin_manager()
    built_in = {name for name, value in manager.entry_point_specs()
                if value.startswith(manager.BUILT_IN)}
    assert built_in and all(pm.get_plugin(name) is not None for name in built_in)
