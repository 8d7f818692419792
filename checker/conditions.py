"""Declarative conditions: the data structures operators work with.

A condition is a mapping with exactly one operator key (``all``, ``compare``, ``count``, …)
and, optionally, a bilingual ``label`` that replaces the operator's own explanation when the
condition is not met. Operators come from plugins; this module only dispatches. Evaluation
is pure: it reads facts, the evaluation date and the evidence index, and never does I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from patuh.errors import format_path
from patuh.i18n import Text


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""A fact that the manifest does not give (different from a false or zero fact)."""


@dataclass(frozen=True)
class Unmet:
    """One reason a condition does not hold."""

    message: Text
    path: str | None = None
    missing: bool = False  # True: no data supplied; False: the data shows it is not met


@dataclass(frozen=True)
class Outcome:
    """The result of one condition.

    ``holds`` is ``None`` when the answer depends on a fact that was not supplied.
    ``used`` lists the fact paths consulted, so the report can cite their evidence.
    """

    holds: bool | None
    unmet: tuple[Unmet, ...] = ()
    used: tuple[str, ...] = ()

    @classmethod
    def true(cls, *used: str) -> Outcome:
        return cls(True, (), used)

    @classmethod
    def false(cls, message: Text, path: str | None = None, *used: str) -> Outcome:
        return cls(False, (Unmet(message, path),), (*used, *([path] if path else [])))

    @classmethod
    def missing(cls, path: str, message: Text | None = None) -> Outcome:
        shown = format_path(path)
        text = message or Text(f"{shown}: belum diisi (tidak ada data)",
                               f"{shown}: not supplied (no data)")
        return cls(None, (Unmet(text, path, missing=True),), (path,))


@dataclass(frozen=True)
class Evidence:
    """One evidence reference from a manifest's ``bukti`` list, after checking."""

    owner: str  # the fact path whose ``bukti`` list holds it
    ref: str  # file path relative to the manifest, or URL
    kind: str  # "file" | "url"
    # ok | declared | not_found | outside | not_a_file | unreadable | digest_mismatch |
    # too_large (over the hashing limit: not hashed, still counts as evidence)
    status: str
    sha256: str | None = None
    note: str | None = None

    @property
    def usable(self) -> bool:
        return self.status in ("ok", "declared", "too_large")


@dataclass(frozen=True)
class Element:
    code: str
    title: Text


@dataclass(frozen=True)
class Read:
    """A fact path a condition reads: its value, or (``evidence``) the evidence attached at or
    below it. Paths are relative to the condition's context (a list item inside ``where``)."""

    path: str
    evidence: bool = False


def _reads_path(arg: Any) -> tuple[Read, ...]:
    """The default for an operator that does not say what it reads: a bare path argument, or
    the ``path`` of a mapping argument."""
    if isinstance(arg, str):
        return (Read(arg),)
    if isinstance(arg, Mapping) and isinstance(arg.get("path"), str):
        return (Read(arg["path"]),)
    return ()


@dataclass(frozen=True)
class Operator:
    """A condition operator contributed by a plugin.

    ``schema`` is the JSON Schema of the operator's argument (checked when rules load).
    ``children`` returns the nested conditions inside an argument, with their key path,
    so that they are checked too. ``read`` lists the fact paths the argument itself reads
    (the questionnaire asks each of them); ``scope`` names the list whose items the children
    are evaluated inside (``count``'s ``where``), or None.
    """

    name: str
    evaluate: Callable[[Any, Context], Outcome]
    schema: Mapping[str, Any]
    children: Callable[[Any], Iterable[tuple[tuple[str | int, ...], Any]]] = lambda arg: ()
    doc: Text = field(default_factory=lambda: Text("", ""))
    read: Callable[[Any], Iterable[Read]] = _reads_path
    scope: Callable[[Any], str | None] = lambda arg: None


def join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


def lookup(facts: Any, path: str) -> Any:
    """Follow a dotted path (list indices as numbers); MISSING when any step is absent."""
    node = facts
    for part in path.split("."):
        if type(node) is dict:  # the usual case, without the cost of an ABC check
            node = node.get(part)
            if node is None:
                return MISSING
        elif isinstance(node, Mapping):
            if part not in node or node[part] is None:
                return MISSING
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


@dataclass(frozen=True)
class Context:
    """What a condition sees: facts, evaluation date, evidence, the rule's element lists."""

    facts: Mapping[str, Any]
    as_of: date
    operators: Mapping[str, Operator]
    evidence: Mapping[str, tuple[Evidence, ...]] = field(default_factory=dict)
    elements: Mapping[str, tuple[Element, ...]] = field(default_factory=dict)
    prefix: str = ""  # where relative paths start (inside a list item)
    # derived fact path -> the ways a person supplies it (patuh_fact_sources)
    sources: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    labels: Mapping[str, Text] = field(default_factory=dict)  # derived fact path -> its name

    def path(self, path: str) -> str:
        """The absolute fact path of a path written in a condition."""
        return join(self.prefix, path)

    def get(self, path: str) -> Any:
        return lookup(self.facts, self.path(path))

    def inside(self, absolute_path: str) -> Context:
        """A context whose relative paths start at ``absolute_path`` (a list item)."""
        return Context(self.facts, self.as_of, self.operators, self.evidence, self.elements,
                       absolute_path, self.sources, self.labels)

    def missing(self, *paths: str, used: Iterable[str] | None = None) -> Outcome:
        """Unknown: the absolute fact ``paths`` are not supplied; each reason names what the
        person fills (a derived fact: the manifest keys it comes from), all of them at once."""
        unmet = tuple(dict.fromkeys(self.unsupplied(path) for path in paths))
        return Outcome(None, unmet, tuple(paths if used is None else used))

    def shown(self, path: str, lang: str) -> str:
        """A fact path as a reason names it: the path the person wrote (list positions from
        1), or for a derived fact with a declared name, that name and the keys it came from
        (``minimum sample (from x.size)``), never the derived path itself."""
        label = self.labels.get(path)
        if label is None:
            return format_path(path)
        given = [way for way in self.sources.get(path, ())
                 if all(lookup(self.facts, key) is not MISSING for key in way)]
        keys = ", ".join(dict.fromkeys(format_path(key) for way in given for key in way))
        if not keys:
            return label.get(lang)
        return f"{label.get(lang)} ({'from' if lang == 'en' else 'dari'} {keys})"

    def ways(self, path: str) -> tuple[tuple[tuple[str, ...], ...] | None, bool]:
        """How a person supplies the derived fact ``path``: its own declaration, else that of
        the nearest declared path above it (and whether it was its own); None for a fact the
        person writes."""
        own = True
        while True:
            found = self.sources.get(path)
            if found is not None:
                return found, own
            if "." not in path:
                return None, False
            path, own = path.rsplit(".", 1)[0], False

    def unsupplied(self, path: str) -> Unmet:
        """The reason for one fact that is not supplied, in the person's terms."""
        ways, own = self.ways(path)
        if not ways:
            return Outcome.missing(path).unmet[0]
        given = {key for way in ways for key in way if lookup(self.facts, key) is not MISSING}
        open_ways = [[key for key in way if key not in given] for way in ways]
        open_ways = [way for way in open_ways if way]  # a way fully filled did not give it
        if not open_ways:
            if not own:  # a part of what was read is empty (a row's cell): the part's path
                return Outcome.missing(path).unmet[0]
            keys = ", ".join(format_path(k) for k in dict.fromkeys(k for w in ways for k in w))
            label = self.labels.get(path) or Text("nilai ini", "this value")
            return Unmet(Text(f"{label.id}: tidak dapat dihitung dari {keys} (lihat catatan)",
                              f"{label.en}: cannot be computed from {keys} (see the notes)"),
                         ways[0][0], True)
        shown_id = " atau ".join(" dan ".join(format_path(k) for k in way) for way in open_ways)
        shown_en = " or ".join(" and ".join(format_path(k) for k in way) for way in open_ways)
        return Unmet(Text(f"{shown_id}: belum diisi (tidak ada data)",
                          f"{shown_en}: not supplied (no data)"), open_ways[0][0], True)

    def evidence_under(self, path: str) -> tuple[Evidence, ...]:
        """Evidence attached at ``path`` or anywhere inside it."""
        absolute = self.path(path)
        below = absolute + "."
        found: list[Evidence] = []
        for owner, items in self.evidence.items():
            if owner == absolute or owner.startswith(below):
                found.extend(items)
        return tuple(found)

    def element_title(self, list_name: str, code: str) -> Text:
        for element in self.elements.get(list_name, ()):
            if element.code == code:
                return element.title
        return Text(code, code)

    def evaluate(self, condition: Mapping[str, Any]) -> Outcome:
        for name in condition:  # its one operator key, beside a ``label``
            if name != "label":
                break
        else:
            raise ValueError(f"a condition without an operator: {dict(condition)!r}")
        outcome = self.operators[name].evaluate(condition[name], self)
        label = condition.get("label")
        if label is not None and outcome.holds is False:
            # A label explains a failed condition; a missing fact keeps its own reason, which
            # says what to supply.
            outcome = Outcome(False, (Unmet(Text.of(label)),), outcome.used)
        return outcome
