"""The plugin contract: every hook patuh calls, with its arguments and what it returns.

Built-in plugins (``patuh.plugins.*``) implement these exactly as a third party would, and
register through the same entry-point group, ``patuh``::

    [options.entry_points]
    patuh =
        myplugin = my_package.patuh_plugin
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import pluggy

if TYPE_CHECKING:
    import click

    from patuh.conditions import Operator
    from patuh.scoring import ScoringModel
    from patuh.yamlio import Document

hookspec = pluggy.HookspecMarker("patuh")
hookimpl = pluggy.HookimplMarker("patuh")


@hookspec
def patuh_operators() -> Mapping[str, Operator]:
    """Condition operators this plugin adds, by name (the key rule files write).

    A name offered by two plugins is an error (naming both) the first time patuh gathers the
    operators.
    """


@hookspec(firstresult=True)
def patuh_load_manifest(path: Path) -> Document | None:
    """Parse a manifest file into a :class:`patuh.Document` (data plus the line of each JSON
    path, for error messages; an empty line map is fine), or return None to let another loader
    try. Raise :class:`patuh.InputError` for a file this loader owns but cannot parse.
    """


@hookspec
def patuh_derive_facts(
    manifest: Mapping[str, Any], base_dir: Path | None, as_of: date
) -> Mapping[str, Any] | None:
    """Facts computed from evidence before rules run, as ``{dotted.path: value}``.

    ``base_dir`` is the manifest's folder (None for in-memory facts such as rule examples:
    then read no files). Runs before evaluation; may read files below ``base_dir`` only.
    Raise :class:`patuh.InputError` (file, line, what is wrong) for unusable input.
    """


@hookspec
def patuh_fact_sources() -> Mapping[str, Any]:
    """Where the facts this plugin derives come from, for messages in the user's terms:
    ``{derived.path: [[key, ...], ...]}``, each inner list one way a person supplies it (all
    of its manifest keys together), e.g. ``{"x.hasil.n": [["x.berkas"], ["x.n"]]}``: computed
    from the file ``x.berkas``, or written as ``x.n``. A declared path also covers the paths
    below it. When a rule needs a derived fact that is not there, its reason names the keys to
    fill (those not filled yet) instead of the derived path, which the person never wrote.
    A value may be ``{"from": [[key, ...], ...], "label": {"id": ..., "en": ...}}``: the label
    names the fact where a reason shows its value (``jumlah (dari x.n)``).
    """


@hookspec
def patuh_scoring_models() -> Mapping[str, ScoringModel]:
    """Scoring models by name; a ruleset edition names the one it uses."""


@hookspec
def patuh_reporters() -> Mapping[str, Any]:
    """Report renderers by format name: ``callable(report: dict, lang: str) -> str``."""


@hookspec
def patuh_manifest_formats() -> Mapping[str, Any]:
    """Forms a person fills to write a manifest, by format name (``yaml``, ``xlsx``; the file
    suffix): ``callable(model: patuh.questionnaire.Questionnaire, data: Mapping, lang: str)
    -> bytes``. ``data`` holds the answers to show (a few placeholders for ``patuh init``, a
    whole manifest for ``patuh convert``); what the form writes must read back, through a
    ``patuh_load_manifest`` loader, to the same data.
    """


@hookspec
def patuh_rule_folders() -> list[Path]:
    """Folders holding rulesets (``<folder>/<ruleset>/ruleset.yaml`` and rule files)."""


@hookspec
def patuh_add_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``patuh`` command line."""
