"""The plugin manager: built-ins and third-party plugins, all through entry points."""

from __future__ import annotations

import os
from functools import cache
from importlib.metadata import entry_points
from typing import Any

import pluggy

from patuh import hookspecs
from patuh.errors import InputError
from patuh.i18n import Text

GROUP = "patuh"


class PluginError(InputError):
    """A plugin failed to load or contradicts another one."""


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue
        try:
            pm.register(ep.load(), name=ep.name)
        except Exception as exc:  # a broken plugin is one line, not a traceback
            raise PluginError(Text(
                f"plugin {ep.name!r} ({ep.value}) gagal dimuat: {type(exc).__name__}: {exc}",
                f"plugin {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}",
            ), hint=Text("perbaiki atau copot paket plugin tersebut",
                         "fix or uninstall that plugin package")) from exc


@cache
def get_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(Text(f"plugin {name!r} tidak sah: {exc}",
                               f"plugin {name!r} is invalid: {exc}")) from exc
    if os.environ.get("PATUH_TRACE_PLUGINS"):
        pm.trace.root.setwriter(print)
        pm.enable_tracing()
    return pm


def merged(hook: Any, what: str) -> dict[str, Any]:
    """Merge the ``{name: thing}`` each plugin's implementation of ``hook`` returns; a name
    offered by two plugins is an error that names both."""
    out: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for impl in hook.get_hookimpls():  # registration order: built-ins first
        for name, thing in (impl.function() or {}).items():
            if name in out:
                raise PluginError(Text(
                    f"{what} {name!r} ditawarkan oleh plugin {owner[name]!r} dan "
                    f"{impl.plugin_name!r}",
                    f"{what} {name!r} is offered by plugins {owner[name]!r} and "
                    f"{impl.plugin_name!r}"))
            out[name], owner[name] = thing, impl.plugin_name
    return out


@cache
def operators() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_operators, "operator")


@cache
def scoring_models() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_scoring_models, "scoring model")


@cache
def reporters() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_reporters, "reporter")
