"""The plugin manager: built-ins and third-party plugins, all through entry points."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import json
import os
import re
import sys
from collections.abc import Callable
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from patuh import hookspecs
from patuh.errors import InputError
from patuh.i18n import Text

GROUP = "patuh"


class PluginError(InputError):
    """A plugin failed to load or contradicts another one."""


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    for name, value in entry_point_specs():
        if pm.get_plugin(name) is not None or pm.is_blocked(name):
            continue
        try:
            pm.register(_load(name, value), name=name)
        except Exception as exc:  # a broken plugin is one line, not a traceback
            raise PluginError(Text(
                f"plugin {name!r} ({value}) gagal dimuat: {type(exc).__name__}: {exc}",
                f"plugin {name!r} ({value}) failed to load: {type(exc).__name__}: {exc}",
            ), hint=Text("perbaiki atau copot paket plugin tersebut",
                         "fix or uninstall that plugin package")) from exc


_ENTRY_POINT = (r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?"
                r"((?P<extras>\[.*\])\s*)?$")  # importlib.metadata.EntryPoint.pattern


def _load(name: str, value: str) -> Any:
    """What ``EntryPoint(name, value, GROUP).load()`` gives, without importing
    importlib.metadata (a tenth of a cold check) when the value has the usual form."""
    match = re.match(_ENTRY_POINT, value)
    if match is None:  # let importlib.metadata say what is wrong with it
        from importlib.metadata import EntryPoint

        return EntryPoint(name, value, GROUP).load()
    found: Any = importlib.import_module(match.group("module"))
    for attribute in filter(None, (match.group("attr") or "").split(".")):
        found = getattr(found, attribute)
    return found


ENTRY_POINTS_FORMAT = "patuh-entry-points/1"
_METADATA_SUFFIXES = (".dist-info", ".egg-info")


def installed_key() -> str | None:
    """A key of the installed distributions that importlib.metadata would read: every
    ``sys.path`` entry, the name of each ``*.dist-info`` / ``*.egg-info`` in it and the
    modification time and size of its ``entry_points.txt``. An install, an uninstall or an
    edited ``entry_points.txt`` makes a new key. None when a folder cannot be listed."""
    digest = hashlib.sha256(f"{ENTRY_POINTS_FORMAT}\0{sys.version}\0{sys.prefix}\0".encode())
    try:
        for entry in sys.path:
            where = entry or "."
            digest.update(b"\1" + os.path.abspath(where).encode())
            if not os.path.isdir(where):
                if os.path.exists(where):  # a zip file
                    st = os.stat(where)
                    digest.update(f"\0zip {st.st_mtime_ns} {st.st_size}".encode())
                continue
            with os.scandir(where) as listing:  # is_dir() from the listing: no stat each
                found = sorted((e.name, e.is_dir()) for e in listing
                               if e.name.lower().endswith(_METADATA_SUFFIXES))
            for name, is_dir in found:
                digest.update(b"\0" + name.encode("utf-8", "surrogateescape"))
                path = os.path.join(where, name)
                target = os.path.join(path, "entry_points.txt") if is_dir else path
                try:
                    st = os.stat(target)
                except FileNotFoundError:
                    continue
                digest.update(f" {st.st_mtime_ns} {st.st_size}".encode())
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _read_entry_points() -> list[tuple[str, str]]:
    from importlib.metadata import entry_points

    return [(ep.name, ep.value) for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)]


def entry_point_specs() -> list[tuple[str, str]]:
    """The (name, value) of every entry point of the ``patuh`` group, sorted by name: read
    once and kept in the rule cache's folder against the installed distributions
    (``installed_key``), so that a run need not read every distribution's metadata. A
    damaged entry is ignored; ``PATUH_NO_CACHE=1`` reads the metadata every time."""
    from patuh import rulecache

    where = rulecache.cache_dir()
    key = installed_key() if where is not None else None
    if where is None or key is None:
        return _read_entry_points()
    path = where / f"entry-points-{key}.json"
    try:
        if path.is_file() and not path.is_symlink():
            raw = path.read_bytes()
            entry = json.loads(raw)
            if (isinstance(entry, dict) and entry.get("format") == ENTRY_POINTS_FORMAT
                    and entry.get("key") == key and isinstance(specs := entry.get("value"), list)
                    and rulecache.digest_matches(raw, entry, "value")
                    and all(isinstance(s, list) and len(s) == 2
                            and all(isinstance(x, str) for x in s) for s in specs)):
                return [(n, v) for n, v in specs]
    except (OSError, ValueError, RecursionError):
        pass
    found = _read_entry_points()
    value = [list(s) for s in found]
    rulecache.write_entry(where, path.name, {
        "format": ENTRY_POINTS_FORMAT, "key": key, "digest": rulecache.digest_of(value),
        "value": value}, value, "value")
    return found


BUILT_IN = "patuh.plugins."


def is_built_in(plugin: Any) -> bool:
    module = getattr(plugin, "__name__", None) if isinstance(plugin, ModuleType) else \
        type(plugin).__module__
    return str(module).startswith(BUILT_IN)


def plugin_failed(name: str, exc: BaseException) -> PluginError:
    what = "sys.exit" if isinstance(exc, SystemExit) else type(exc).__name__
    return PluginError(Text(f"plugin {name!r} gagal: {what}: {exc}",
                            f"plugin {name!r} failed: {what}: {exc}"),
                       hint=Text("perbaiki atau copot paket plugin tersebut; hasil tidak dibuat",
                                 "fix or uninstall that plugin package; no result was made"))


def guarded(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``function`` of a third-party plugin: anything it raises (even ``sys.exit``) becomes a
    PluginError naming the plugin, never a silent exit 0 or an "internal error". Its own
    InputError (a data file it cannot read) passes as it is."""
    if getattr(function, "__patuh_guarded__", False):
        return function

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except InputError:
            raise
        except (Exception, SystemExit) as exc:
            raise plugin_failed(name, exc) from exc

    call.__patuh_guarded__ = True  # type: ignore[attr-defined]
    return call


class _PluginManager(pluggy.PluginManager):
    """Every hook of a third-party plugin runs guarded (see ``guarded``)."""

    _built_in: Any = None  # the built-in plugin being registered

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        # pluggy inspects every attribute of a plugin for its marker; patuh's own plugins
        # implement hooks only under their ``patuh_*`` names (the test suite checks them), so
        # the rest of their module need not be looked at. A third party's is looked at whole,
        # so that a misnamed hook implementation is still reported.
        if not name.startswith("patuh_") and (plugin is self._built_in or is_built_in(plugin)):
            return None
        return super().parse_hookimpl_opts(plugin, name)

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        self._built_in = plugin if is_built_in(plugin) else None  # asked once, not per name
        try:
            registered = super().register(plugin, name)
        finally:
            self._built_in = None
        if registered is not None and not is_built_in(plugin):
            for caller in self.get_hookcallers(plugin) or ():
                for impl in caller.get_hookimpls():
                    if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                        impl.function = guarded(impl.function, registered)  # type: ignore[misc]
        return registered


@cache
def get_plugin_manager() -> pluggy.PluginManager:
    pm = _PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(Text(f"plugin {name!r} tidak sah: {exc}",
                               f"plugin {name!r} is invalid: {exc}")) from exc
    if os.environ.get("PATUH_TRACE_PLUGINS"):
        pm.trace.root.setwriter(_trace)  # stderr: stdout carries the report (--format json)
        pm.enable_tracing()
    return pm


def _trace(*parts: Any) -> None:
    print(*parts, file=sys.stderr)


def wrong_type(plugin: str, hook: str, expected: str, got: Any) -> PluginError:
    return PluginError(Text(
        f"plugin {plugin!r}: {hook} mengembalikan {type(got).__name__}, bukan {expected}",
        f"plugin {plugin!r}: {hook} returned a {type(got).__name__}, not {expected}"),
        hint=Text("perbaiki atau copot paket plugin tersebut",
                  "fix or uninstall that plugin package"))


def merged(hook: Any, what: str, check: Callable[[str, Any], str | None] | None = None,
           wrap: Callable[[Any, str, str], Any] | None = None) -> dict[str, Any]:
    """Merge the ``{name: thing}`` each plugin's implementation of ``hook`` returns; a name
    offered by two plugins is an error that names both. ``check(name, thing)`` returns what
    is wrong with a thing, or None; ``wrap(thing, plugin, name)`` guards a third-party one
    further."""
    out: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for impl in hook.get_hookimpls():  # registration order: built-ins first
        result = impl.function() or {}
        if not isinstance(result, Mapping):
            raise wrong_type(impl.plugin_name, hook.name, "a mapping {name: …}", result)
        for name, thing in result.items():
            problem = "the name is not a text" if not isinstance(name, str) or not name \
                else check(name, thing) if check and not is_built_in(impl.plugin) else None
            # (built-ins are checked by the test suite: a schema check costs ~6 ms each)
            if problem:
                raise PluginError(Text(
                    f"plugin {impl.plugin_name!r}: {what} {name!r} tidak sah: {problem}",
                    f"plugin {impl.plugin_name!r}: {what} {name!r} is invalid: {problem}"),
                    hint=Text("perbaiki atau copot paket plugin tersebut",
                              "fix or uninstall that plugin package"))
            if not is_built_in(impl.plugin):
                thing = _guard_thing(thing, impl.plugin_name)
                if wrap is not None:
                    thing = wrap(thing, impl.plugin_name, name)
            if name in out:
                raise PluginError(Text(
                    f"{what} {name!r} ditawarkan oleh plugin {owner[name]!r} dan "
                    f"{impl.plugin_name!r}",
                    f"{what} {name!r} is offered by plugins {owner[name]!r} and "
                    f"{impl.plugin_name!r}"))
            out[name], owner[name] = thing, impl.plugin_name
    return out


def culprit(hook: Any, wrong: Callable[[Any], bool], **kwargs: Any) -> str:
    """The plugin whose implementation of ``hook`` returns what ``wrong`` rejects (called only
    once a result of the wrong type was seen: pluggy's results do not say whose they are)."""
    for impl in reversed(hook.get_hookimpls()):
        if impl.wrapper or impl.hookwrapper:
            continue
        if wrong(impl.function(**{k: kwargs[k] for k in impl.argnames})):
            return impl.plugin_name
    return "?"


def _returns_text(function: Callable[..., Any], plugin: str, name: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        if not isinstance(result, str):
            raise wrong_type(plugin, f"reporter {name!r}", "a text (str)", result)
        return result

    return call


def _guard_thing(thing: Any, plugin: str) -> Any:
    """An operator, scoring model or reporter of a third-party plugin, guarded like its
    hooks."""
    from patuh.conditions import Operator

    if isinstance(thing, Operator):
        return dataclasses.replace(thing, evaluate=guarded(thing.evaluate, plugin),
                                   children=guarded(thing.children, plugin))
    if callable(thing):
        summary = getattr(thing, "summary", None)
        wrapped = guarded(thing, plugin)
        if callable(summary):
            wrapped.summary = guarded(summary, plugin)  # type: ignore[attr-defined]
        return wrapped
    return thing


def _operator_problem(name: str, thing: Any) -> str | None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    from patuh.conditions import Operator

    if not isinstance(thing, Operator):
        return f"not an Operator but a {type(thing).__name__}"
    if not callable(thing.evaluate) or not callable(thing.children):
        return "evaluate and children must be callables"
    if not isinstance(thing.schema, Mapping):
        return "its schema is not a mapping"
    try:
        Draft202012Validator.check_schema(dict(thing.schema))
    except SchemaError as exc:
        return f"its schema is not a valid JSON Schema: {exc.message}"
    return None


def _callable_problem(name: str, thing: Any) -> str | None:
    return None if callable(thing) else f"not callable but a {type(thing).__name__}"


@cache
def operators() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_operators, "operator", _operator_problem)


@cache
def scoring_models() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_scoring_models, "scoring model",
                  _callable_problem)


def _text_reporter(reporter: Any, plugin: str, name: str) -> Any:
    """A third-party reporter (and its page ``summary``) that must return text."""
    summary = getattr(reporter, "summary", None)
    wrapped = _returns_text(reporter, plugin, name)
    if summary is not None:
        wrapped.summary = _returns_text(summary, plugin, name)  # type: ignore[attr-defined]
    return wrapped


@cache
def reporters() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_reporters, "reporter", _callable_problem,
                  _text_reporter)


@cache
def manifest_formats() -> dict[str, Any]:
    return merged(get_plugin_manager().hook.patuh_manifest_formats, "manifest format",
                  _callable_problem)


def rule_folders() -> list[Path]:
    """The rule folders every plugin offers, each a path (a wrong type names its plugin)."""
    folders: list[Path] = []
    for impl in get_plugin_manager().hook.patuh_rule_folders.get_hookimpls()[::-1]:
        result = impl.function()
        if result is None:
            continue
        if isinstance(result, (str, bytes, os.PathLike)) or not isinstance(
                result, (list, tuple)) or not all(isinstance(p, (str, os.PathLike))
                                                  for p in result):
            raise wrong_type(impl.plugin_name, "patuh_rule_folders", "a list of folders",
                             result)
        folders.extend(Path(p) for p in result)
    return folders
