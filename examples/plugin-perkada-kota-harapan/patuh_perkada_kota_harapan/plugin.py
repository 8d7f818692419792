"""The hooks of the example plugin: one condition operator and one rules folder.

patuh finds this module through the entry point in ``pyproject.toml``::

    [project.entry-points.patuh]
    perkada_kota_harapan = "patuh_perkada_kota_harapan.plugin"

and calls every function marked ``@hookimpl`` whose name is a hook of ``patuh.hookspecs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from patuh import Context
from patuh import Outcome
from patuh import Text
from patuh import Unmet
from patuh import hookimpl
from patuh.conditions import MISSING
from patuh.conditions import Operator

OFFICIAL_SUFFIX = ".go.id"

# The argument of `domain_go_id`: a dotted fact path, e.g. `sistem_informasi.kualitas.bukti`.
# patuh checks every condition in a rule file against this schema when the rules load, so a
# wrong argument is reported with the file, line and JSON path before anything is evaluated.
PATH_SCHEMA = {"type": "string", "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"}


def urls_in(value: Any) -> list[str]:
    """The web addresses in a fact.

    A text fact is taken as one address. A list is read like a manifest's ``bukti`` list:
    ``"https://…"`` strings and ``{url: …}`` entries are addresses; file paths and
    ``{berkas: …}`` entries are not, and are skipped.
    """
    if isinstance(value, str):
        return [value]
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("url")
        if isinstance(item, str) and item.startswith(("http://", "https://")):
            found.append(item)
    return found


def host_of(url: str) -> str | None:
    """The host name of ``url`` in lower case, without a trailing dot; None if it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # e.g. an unbalanced "[" in the address
        return None
    return host.rstrip(".") if host else None


def is_official(host: str) -> bool:
    return host.endswith(OFFICIAL_SUFFIX)


def domain_go_id(arg: str, ctx: Context) -> Outcome:
    """Holds when every web address at the fact path is on a ``.go.id`` host.

    Pure: it reads the facts in ``ctx`` and never opens a connection, so it says nothing about
    whether the site is reachable. Three answers, as every operator gives:

    * ``Outcome.true`` — at least one address, all of them on ``*.go.id``;
    * ``Outcome.false`` — an address that is not (the message names it and its host);
    * holds ``None`` (missing) — the fact is not given, or it lists files but no address.
    """
    path = ctx.path(arg)  # the absolute path (a condition inside `every` is relative)
    value = ctx.get(arg)
    if value is MISSING:
        return ctx.missing(path)  # names what the person fills
    # the path as people read it (list positions from 1: daftar[1].bukti), in each language
    shown_id, shown_en = ctx.shown(path, "id"), ctx.shown(path, "en")
    urls = urls_in(value)
    if not urls:
        return Outcome(None, (Unmet(Text(
            f"{shown_id}: belum ada alamat situs (URL)",
            f"{shown_en}: no website address (URL) given"), path, missing=True),),
            (path,))
    for url in urls:
        host = host_of(url)
        if host is None:
            return Outcome.false(Text(f"{shown_id}: {url!r} bukan alamat situs yang sah",
                                      f"{shown_en}: {url!r} is not a valid web address"), path)
        if not is_official(host):
            return Outcome.false(Text(
                f"{shown_id}: {url} tidak memakai domain resmi pemerintah {OFFICIAL_SUFFIX} "
                f"(nama host: {host})",
                f"{shown_en}: {url} is not on the official government domain {OFFICIAL_SUFFIX} "
                f"(host name: {host})"), path)
    return Outcome.true(path)


OPERATORS = {
    "domain_go_id": Operator(
        "domain_go_id", domain_go_id, PATH_SCHEMA,
        doc=Text("setiap alamat situs pada fakta berada di domain .go.id",
                 "every web address at the fact is on a .go.id domain")),
}


@hookimpl
def patuh_operators() -> Mapping[str, Operator]:
    """The operators this plugin adds, by the name rule files write. A name that another
    plugin (or patuh itself) also offers stops patuh at start-up, so pick a specific one."""
    return OPERATORS


@hookimpl
def patuh_rule_folders() -> list[Path]:
    """The folder holding ``perkada_kota_harapan/ruleset.yaml`` and its rule files, inside the
    installed package."""
    return [Path(str(resources.files(__package__).joinpath("rules")))]
