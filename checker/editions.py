"""Editions side by side: what changed between two editions (or a draft), and how the change
moves real units' scores. Generic: works on any ruleset.

An edition is named ``RULESET@EDITION`` (e.g. ``uu25@2009``), ``RULESET`` (the edition in
force today), or a folder: a ruleset folder of its own (``PATH`` or ``PATH@EDITION``), or a
*draft* — a folder of changed or new rule files (and optionally a ``ruleset.yaml``) laid over
the installed ruleset those files belong to. A draft uses the newest version of every rule, so
a proposal dated in the future can be compared before it is in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from patuh import manager
from patuh.engine import Result
from patuh.engine import evaluate
from patuh.engine import make_context
from patuh.errors import InputError
from patuh.i18n import Text
from patuh.i18n import named
from patuh.i18n import number as shown
from patuh.manifest import load_manifest
from patuh.rulebook import Edition
from patuh.rulebook import Rule
from patuh.rulebook import Ruleset
from patuh.rulebook import RuleVersion
from patuh.rulebook import available
from patuh.rulebook import find_rule
from patuh.rulebook import load_folder
from patuh.rulebook import load_ruleset
from patuh.scoring import band_for
from patuh.scoring import round_score


@dataclass(frozen=True)
class EditionRef:
    label: str
    ruleset: Ruleset
    edition: Edition
    day: date | None  # rule versions in force on this day; None: each rule's newest version


def _edition_of(ruleset: Ruleset, name: str | None) -> Edition:
    if name is not None:
        return ruleset.require_edition(name)
    return ruleset.edition_for(date.today()) or ruleset.editions[-1]


def _last_day(edition: Edition) -> date:
    """An edition's latest state: its last day, or today while it is in force."""
    today = date.today()
    if edition.period.until is not None and edition.period.until < today:
        return edition.period.until
    return max(today, edition.period.start)


def resolve(spec: str) -> EditionRef:
    """``RULESET[@EDITION]`` or ``PATH[@EDITION]`` (a ruleset folder, or a draft overlay)."""
    name, _, edition_name = spec.partition("@")
    if not name.strip() or "@" in edition_name or (spec.endswith("@") and not edition_name):
        raise InputError(Text(f"{spec!r}: bukan RULESET[@EDISI] atau FOLDER[@EDISI]",
                              f"{spec!r}: not RULESET[@EDITION] or FOLDER[@EDITION]"),
                         hint=Text(f"ruleset: {', '.join(sorted(available()))}; contoh: "
                                   "RULESET@2022, atau folder/RULESET@2022",
                                   f"rulesets: {', '.join(sorted(available()))}; e.g. "
                                   "RULESET@2022, or folder/RULESET@2022"))
    edition_name = edition_name or None
    path = Path(name)
    try:
        is_folder = path.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte: not a folder, so not found
        is_folder = False
    if is_folder:
        ruleset, draft = load_folder(path)
        edition = _edition_of(ruleset, edition_name)
        if not draft:
            return EditionRef(spec, ruleset, edition, _last_day(edition))
        return EditionRef(f"{spec} (draft/rancangan: {ruleset.id})", ruleset, edition, None)
    if name not in available():
        known = ", ".join(sorted(available()))
        raise InputError(Text(f"{spec}: bukan ruleset atau folder", f"{spec}: not a ruleset "
                              "or a folder"), hint=Text(f"ruleset: {known}", f"rulesets: {known}"))
    ruleset = load_ruleset(name)
    edition = _edition_of(ruleset, edition_name)
    return EditionRef(f"{ruleset.id}@{edition.edition}", ruleset, edition, _last_day(edition))


def members(ref: EditionRef) -> list[tuple[Rule, RuleVersion, str, Decimal]]:
    """(rule, version, aspect, weight) of every rule the edition scores."""
    edition = ref.edition
    if edition.incomplete is not None:
        return []

    def version_of(rule: Rule) -> RuleVersion | None:
        if ref.day is None:
            return rule.versions[-1]
        day = max(ref.day, edition.period.start)
        return rule.version_at(day)

    out = []
    for rule in ref.ruleset.rules:
        version = version_of(rule)
        if version is not None and edition.aspect(version.aspect or rule.aspect) is not None:
            out.append((rule, version, version.aspect or rule.aspect, version.weight))
    for aspect in edition.aspects:
        for rule_id, weight in aspect.include:
            rule = find_rule(rule_id)
            version = version_of(rule)
            if version is not None:
                out.append((rule, version, aspect.id, version.weight if weight is None
                            else weight))
    return out


def weight_shares(ruleset: Ruleset, day: date) -> dict[str, Decimal]:
    """Each rule's share (in percent) of what it is weighed against in the edition in force on
    ``day``: the rules of its aspect, or all rules when the edition pools them
    (``scoring.pool: rules``). Weights are relative (1, 1, 1 is a third each); where an
    aspect's weights add up to 100 the share is the weight itself."""
    edition = ruleset.edition_for(day) or ruleset.editions[-1]
    # no edition in force (all ended): the last edition on its last day
    day = min(max(day, edition.period.start), edition.period.until or date.max)
    ref = EditionRef(ruleset.id, ruleset, edition, day)
    rows = members(ref)
    pooled = edition.scoring.get("pool") == "rules"
    totals: dict[str, Decimal] = {}
    for _rule, _version, aspect, weight in rows:
        key = "" if pooled else aspect
        totals[key] = totals.get(key, Decimal(0)) + weight
    shares = {}
    for rule, _version, aspect, weight in rows:
        total = totals["" if pooled else aspect]
        if total and rule.ruleset == ruleset.id:
            shares[rule.id] = weight / total * 100
    return shares


# --- snapshot and diff ---------------------------------------------------------------------

def _num(value: Decimal) -> float:
    return float(value)


def snapshot(ref: EditionRef) -> dict[str, Any]:
    """The edition as plain data: what a diff compares and what docs render."""
    e = ref.edition
    rules = {}
    for rule, version, aspect, weight in members(ref):
        rules[rule.id] = {
            "version": version.version,
            "aspect": aspect,
            "weight": _num(weight),
            "title": rule.title.as_dict(),
            "levels": [{"level": lv.level, "title": lv.title.as_dict(),
                        "when": version.raw["levels"][lv.level - 1].get("when"),
                        "min": version.raw["levels"][lv.level - 1].get("min")}
                       for lv in version.levels],
            "count": version.raw.get("count"),
            "measure": version.measure,
            "elements": {k: [el.code for el in v] for k, v in version.elements.items()},
            "citation": {k: version.source.get(k) for k in ("regulation", "article", "url")},
            "confidence": {"confidence": version.source.get("confidence"),
                           "reference_tag": version.source.get("reference_tag")},
        }
    return {
        "label": ref.label,
        "ruleset": ref.ruleset.id,
        "edition": e.edition,
        "title": e.title.as_dict(),
        "effective": e.period.as_dict(),
        "incomplete": None if e.incomplete is None else e.incomplete.as_dict(),
        "legal_basis": sorted(item["regulation"] for item in e.legal_basis),
        "scoring": dict(e.scoring),
        "rounding": {k: v for k, v in e.rounding.items() if k != "source"},
        "score_range": [_num(x) for x in e.score_range],
        "aspects": {a.id: {"title": a.title.as_dict(), "weight": _num(a.weight)}
                    for a in e.aspects},
        "bands": {b.code: {"min": _num(b.min), "label": b.label.as_dict(),
                           **{k: v for k, v in b.extra.items()}} for b in e.bands},
        "rules": rules,
    }


def _changes(old: Mapping[str, Any], new: Mapping[str, Any], keys: list[str]
             ) -> dict[str, dict[str, Any]]:
    return {k: {"from": old.get(k), "to": new.get(k)} for k in keys if old.get(k) != new.get(k)}


def diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """What changed from edition ``a`` to edition ``b``."""
    rule_keys = ["version", "aspect", "weight", "title", "levels", "count", "measure",
                 "elements", "citation", "confidence"]
    changed_rules = {}
    for rule_id in sorted(set(a["rules"]) & set(b["rules"])):
        changes = _changes(a["rules"][rule_id], b["rules"][rule_id], rule_keys)
        if changes:
            changed_rules[rule_id] = changes
    aspects = {
        "added": sorted(set(b["aspects"]) - set(a["aspects"])),
        "removed": sorted(set(a["aspects"]) - set(b["aspects"])),
        "new": {k: b["aspects"][k] for k in sorted(set(b["aspects"]) - set(a["aspects"]))},
        "old": {k: a["aspects"][k] for k in sorted(set(a["aspects"]) - set(b["aspects"]))},
        "changed": {k: _changes(a["aspects"][k], b["aspects"][k], ["weight", "title"])
                    for k in sorted(set(a["aspects"]) & set(b["aspects"]))
                    if a["aspects"][k] != b["aspects"][k]},
    }
    bands = {
        "added": sorted(set(b["bands"]) - set(a["bands"])),
        "removed": sorted(set(a["bands"]) - set(b["bands"])),
        "new": {k: b["bands"][k] for k in b["bands"] if k not in a["bands"]},
        "old": {k: a["bands"][k] for k in a["bands"] if k not in b["bands"]},
        "changed": {k: _changes(a["bands"][k], b["bands"][k], sorted(
            set(a["bands"][k]) | set(b["bands"][k])))
            for k in sorted(set(a["bands"]) & set(b["bands"])) if a["bands"][k] != b["bands"][k]},
    }
    return {
        "from": {"label": a["label"], "ruleset": a["ruleset"], "edition": a["edition"],
                 "places": a["rounding"].get("places")},
        "to": {"label": b["label"], "ruleset": b["ruleset"], "edition": b["edition"],
               "places": b["rounding"].get("places")},
        "edition": _changes(a, b, ["title", "effective", "incomplete", "legal_basis",
                                   "score_range"]),
        "scoring": _changes(a["scoring"], b["scoring"],
                            sorted(set(a["scoring"]) | set(b["scoring"]))),
        "rounding": _changes(a["rounding"], b["rounding"],
                             sorted(set(a["rounding"]) | set(b["rounding"]))),
        "aspects": aspects,
        "bands": bands,
        "rules": {
            "added": sorted(set(b["rules"]) - set(a["rules"])),
            "removed": sorted(set(a["rules"]) - set(b["rules"])),
            "changed": changed_rules,
        },
        "not_encoded": [x["label"] for x in (a, b) if x["incomplete"]],
    }


# --- impact --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scored:
    results: list[Result]
    final: Decimal | None
    rounded: Decimal | None
    band: str | None


def _score(ref: EditionRef, results: list[Result], facts: Mapping[str, Any]) -> Scored:
    model = manager.scoring_models()[ref.edition.scoring["model"]]
    score = model(ref.edition, results, facts)
    if score.final is None:
        return Scored(results, None, None, None)
    rounded = round_score(score.final, ref.edition.rounding)
    band = band_for(ref.edition, rounded)
    return Scored(results, score.final, rounded, None if band is None else band.code)


def score_unit(ref: EditionRef, manifest_path: Path) -> tuple[Any, Scored, Mapping[str, Any]]:
    _check_complete(ref)
    manifest = load_manifest(manifest_path)
    as_of, _ = manifest.as_of(None)
    evidence = manifest.evidence()
    facts = manifest.facts(as_of)
    context = make_context(facts, as_of, evidence)
    results = [evaluate(rule, version, context, aspect=aspect, weight=weight)
               for rule, version, aspect, weight in members(ref)]
    return manifest, _score(ref, results, facts), facts


def impact(a: EditionRef, b: EditionRef, manifests: list[Path], top: int = 5
           ) -> list[dict[str, Any]]:
    """Each unit scored under both editions, with the rules that move it most.

    A rule's effect is measured by putting its result under ``a`` back into ``b`` and scoring
    again, so it is exact for any scoring model.
    """
    for ref in (a, b):
        _check_complete(ref)
    units: list[dict[str, Any]] = []
    for path in manifests:
        try:
            units.append(_unit_impact(a, b, path, top))
        except InputError as exc:  # this unit's input: an error row, the others go on
            units.append({"unit": None, "manifest": str(path),
                          "error": {"id": exc.render("id"), "en": exc.render("en")}})
    return units


def _check_complete(ref: EditionRef) -> None:
    if ref.edition.incomplete is not None:
        raise InputError(Text(f"{ref.label}: edisi hanya diketahui sebagian: ",
                              f"{ref.label}: the edition is known only in part: ")
                         + ref.edition.incomplete)


def _unit_impact(a: EditionRef, b: EditionRef, path: Path, top: int) -> dict[str, Any]:
    """One unit under both editions (see ``impact``)."""
    manifest, scored_a, _ = score_unit(a, path)
    _, scored_b, facts_b = score_unit(b, path)
    by_id_a = {r.rule.id: r for r in scored_a.results}
    movers = []
    for index, result in enumerate(scored_b.results):
        before = by_id_a.get(result.rule.id)
        if before is None or (before.value, before.weight, before.aspect) == (
                result.value, result.weight, result.aspect):
            continue
        swapped = list(scored_b.results)
        swapped[index] = before  # its result, weight and aspect under A
        without = _score(b, swapped, facts_b)
        effect = None if scored_b.final is None or without.final is None else \
            scored_b.final - without.final
        movers.append({"rule_id": result.rule.id,
                       "from": f"{_value(before)} ({before.aspect}, {before.weight:g})",
                       "to": f"{_value(result)} ({result.aspect}, {result.weight:g})",
                       "effect": None if effect is None else float(round(effect, 4))})
    movers.sort(key=lambda m: (-abs(m["effect"] or 0), m["rule_id"]))
    ids_a, ids_b = set(by_id_a), {r.rule.id for r in scored_b.results}
    return {
        "unit": manifest.data["unit"]["nama"],
        "manifest": str(path),
        "a": _scored(scored_a), "b": _scored(scored_b),
        "delta": None if scored_a.rounded is None or scored_b.rounded is None
        else float(scored_b.rounded - scored_a.rounded),
        "movers": movers[:top],
        "rules_added": sorted(ids_b - ids_a),
        "rules_removed": sorted(ids_a - ids_b),
    }


def summarize(units: list[Mapping[str, Any]]) -> dict[str, Any]:
    """What the change does to the units as a whole: whose predicate changes, the mean and the
    largest score change (over the units scored under both editions), and the errors."""
    scored = [u for u in units if not u.get("error")]
    deltas = [u for u in scored if u["delta"] is not None]
    largest = max(deltas, key=lambda u: (abs(u["delta"]), u["delta"]), default=None)
    mean = (sum(Decimal(str(u["delta"])) for u in deltas) / len(deltas)) if deltas else None
    return {
        "units": len(units),
        "scored": len(scored),
        "errors": len(units) - len(scored),
        "predicate_changed": [{"unit": u["unit"], "manifest": u["manifest"],
                               "from": u["a"]["predicate"], "to": u["b"]["predicate"]}
                              for u in scored if u["a"]["predicate"] != u["b"]["predicate"]],
        "rose": sum(1 for u in deltas if u["delta"] > 0),
        "fell": sum(1 for u in deltas if u["delta"] < 0),
        "unchanged": sum(1 for u in deltas if u["delta"] == 0),
        "mean_delta": None if mean is None else float(round(mean, 4)),
        "largest_delta": None if largest is None else {
            "unit": largest["unit"], "manifest": largest["manifest"],
            "delta": largest["delta"]},
    }


def _value(result: Result) -> str:
    if result.version.measure is not None:
        return "—" if result.value is None else f"{float(result.value) * 100:.2f}/100"
    return f"{result.level}/{result.max_level}"


def _scored(scored: Scored) -> dict[str, Any]:
    return {"score": None if scored.rounded is None else float(scored.rounded),
            "predicate": scored.band}


# --- text ----------------------------------------------------------------------------------

def _t(value: Any, lang: str) -> str:
    if isinstance(value, Mapping) and "id" in value:
        return str(value.get(lang) or value["id"])
    return str(value)


def _in(value: Any, lang: str) -> Any:
    """``value`` with each ``{id, en}`` text inside it in one language."""
    if isinstance(value, Mapping):
        if value and set(value) <= {"id", "en"}:
            return _t(value, lang)
        return {k: _in(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_in(v, lang) for v in value]
    return value


def _brief(value: Any, lang: str, key: str = "") -> str:
    """A short readable rendering of a changed value."""
    if value is None:
        return "—"
    if isinstance(value, Mapping) and set(value) <= {"id", "en"}:
        return _t(value, lang)
    if key == "effective":
        return f"{value['from']} – {value['until'] or '…'}"
    if key == "confidence":
        from patuh.cli import confidence_name

        return (f"{confidence_name(str(value['confidence']), lang)} "
                f"[{value.get('reference_tag') or ''}]")
    if key == "citation":
        return "; ".join(str(value[k]) for k in ("regulation", "article") if value.get(k))
    if key == "legal_basis":
        return ", ".join(value)
    if isinstance(value, list) and value and isinstance(value[0], Mapping) and "level" in value[0]:
        return "; ".join(f"{lv['level']}: {_t(lv['title'], lang)}" for lv in value)
    text = _yaml_flow(_in(value, lang)) if isinstance(value, (Mapping, list)) else str(value)
    if len(text) > 100 and isinstance(value, (Mapping, list)):
        return "(berubah)" if lang != "en" else "(changed)"
    return text


def _by_code(value: Any) -> dict[str, Any] | None:
    """A list of ``{code, id, en}`` entries as {code: text}, else None."""
    if isinstance(value, list) and value and all(isinstance(v, Mapping) and "code" in v
                                                 for v in value):
        return {v["code"]: {k: v[k] for k in ("id", "en") if k in v} for v in value}
    return None


def render_diff(d: Mapping[str, Any], lang: str) -> str:
    en = lang == "en"
    out = [f"{'Differences' if en else 'Perbedaan'}: {d['from']['label']} → {d['to']['label']}"]

    def section(title_id: str, title_en: str) -> None:
        out.append("")
        out.append(f"{title_en if en else title_id}:")

    for label in d["not_encoded"]:
        out.append(("  ! indicators not encoded in " if en else
                    "  ! indikator tidak dikodekan di ") + label)
    for key, change in {**d["edition"], **{f"scoring.{k}": v for k, v in d["scoring"].items()},
                        **{f"rounding.{k}": v for k, v in d["rounding"].items()}}.items():
        coded = _by_code(change["from"]), _by_code(change["to"])
        if coded[0] is not None and coded[1] is not None:  # e.g. a list of unsur
            out.append(f"  {key}:")
            for code in sorted(set(coded[0]) | set(coded[1])):
                before, after = coded[0].get(code), coded[1].get(code)
                if before != after:
                    out.append(f"      {code}: {_brief(before, lang)} → {_brief(after, lang)}")
            continue
        out.append(f"  {_key(key, lang)}: {_brief(change['from'], lang, key)} → "
                   f"{_brief(change['to'], lang, key)}")
    a, b = d["aspects"], d["bands"]
    for part, title_id, title_en in ((a, "Aspek/dimensi", "Aspects/dimensions"),
                                     (b, "Tabel predikat", "Band table")):
        if not (part["added"] or part["removed"] or part["changed"]):
            continue
        section(title_id, title_en)
        if part is b:
            out.extend(_band_lines(d, lang))
            continue
        for sign, keys, details in (("+", part["added"], part.get("new") or {}),
                                    ("-", part["removed"], part.get("old") or {})):
            for x in keys:
                out.append(f"  {sign} {x}" + _aspect_tail(details.get(x), lang))
        for x, changes in part["changed"].items():
            for key, change in changes.items():
                if key == "weight":
                    out.append(f"  ~ {x} {_word('weight', lang)}: "
                               f"{_number(change['from'], lang=lang)} → "
                               f"{_number(change['to'], lang=lang)}")
                    continue
                out.append(f"  ~ {x} {_key(key, lang)}: {_brief(change['from'], lang)} → "
                           f"{_brief(change['to'], lang)}")
    r = d["rules"]
    section(f"Aturan (+{len(r['added'])} −{len(r['removed'])} ~{len(r['changed'])})",
            f"Rules (+{len(r['added'])} −{len(r['removed'])} ~{len(r['changed'])})")
    for x in r["added"]:
        out.append(f"  + {x}")
    for x in r["removed"]:
        out.append(f"  - {x}")
    for x, changes in r["changed"].items():
        out.append(f"  ~ {x}")
        for key, change in changes.items():
            if key == "elements":
                out.extend(_element_lines(change["from"] or {}, change["to"] or {}, lang))
            elif key in ("count", "measure"):
                out.append(f"      {_key(key, lang)}: {_yaml_flow(change['from'])} → "
                           f"{_yaml_flow(change['to'])}")
            elif key == "levels":
                out.extend(_level_lines(change["from"] or [], change["to"] or [], lang))
            elif key == "weight":
                out.append(f"      {_word('weight', lang)}: {_number(change['from'], lang=lang)} → "
                           f"{_number(change['to'], lang=lang)}")
            else:
                out.append(f"      {_key(key, lang)}: {_brief(change['from'], lang, key)} → "
                           f"{_brief(change['to'], lang, key)}")
    if not any((d["edition"], d["scoring"], d["rounding"], a["added"], a["removed"],
                a["changed"], b["added"], b["removed"], b["changed"], r["added"], r["removed"],
                r["changed"])):
        out.append("  " + ("no differences" if en else "tidak ada perbedaan"))
    return "\n".join(out) + "\n"


_WORDS = {
    "weight": Text("bobot", "weight"),
    "min": Text("nilai minimal", "minimum score"),
    "level": Text("level", "level"),
    "before": Text("sebelum", "before"),
    "after": Text("sesudah", "after"),
    "none": Text("(tidak ada)", "(none)"),
    "always": Text("(selalu tercapai)", "(always reached)"),
    "at_least": Text("paling sedikit", "at least"),
    "title": Text("judul", "title"),
}


def _word(key: str, lang: str) -> str:
    return _WORDS[key].get(lang)


# What changed, as the rule files name it, in words (``scoring.*`` and ``rounding.*`` keys stay
# as written: they are the rule file's own keys)
_KEYS = {
    "version": Text("versi", "version"), "aspect": Text("aspek", "aspect"),
    "weight": Text("bobot", "weight"), "title": Text("judul", "title"),
    "levels": Text("level", "levels"), "count": Text("hitungan", "count"),
    "measure": Text("ukuran", "measure"), "elements": Text("elemen", "elements"),
    "citation": Text("rujukan", "citation"), "confidence": Text("keyakinan sumber", "confidence"),
    "edition": Text("edisi", "edition"), "effective": Text("masa berlaku", "in force"),
    "incomplete": Text("belum lengkap", "incomplete"),
    "legal_basis": Text("dasar hukum", "legal basis"),
}


def _key(key: str, lang: str) -> str:
    return named(_KEYS, key, lang)


def _number(value: Any, places: Any = None, lang: str = "en") -> str:
    """A weight or threshold as written in the rules, as the language writes numbers; with
    ``places``, to that many decimals (the edition's rounding), e.g. 88 → 88,00."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if isinstance(places, int) and number.as_tuple().exponent >= -places:  # type: ignore[operator]
        number = number.quantize(Decimal(1).scaleb(-places))
    else:
        number = number.normalize()
    return shown(number, lang, group=False)


def _aspect_tail(aspect: Mapping[str, Any] | None, lang: str) -> str:
    if not aspect:
        return ""
    tail = f"  {_t(aspect['title'], lang)}"
    if aspect.get("weight"):
        tail += f" ({_word('weight', lang)} {_number(aspect['weight'], lang=lang)})"
    return tail


def _band_text(band: Mapping[str, Any], places: Any, lang: str) -> str:
    """``≥ 88.00  Kualitas Tertinggi (zone: Zona Hijau)``: the threshold, label and any other
    text the band carries (but not its display form, which repeats them)."""
    from patuh.ruledocs import W

    extra = [f"{W[f'band_{k}'].get(lang).lower() if f'band_{k}' in W else k}: {_t(v, lang)}"
             for k, v in band.items()
             if k not in ("min", "label", "display") and isinstance(v, Mapping)
             and set(v) <= {"id", "en"}]
    return (f"≥ {_number(band.get('min'), places, lang)}  {_t(band.get('label'), lang)}"
            + (f" ({'; '.join(extra)})" if extra else ""))


def _band_lines(d: Mapping[str, Any], lang: str) -> list[str]:
    part = d["bands"]
    places = d["from"].get("places"), d["to"].get("places")
    new, old = part.get("new") or {}, part.get("old") or {}
    out = []
    for code in part["added"]:
        out.append(f"  + {code}" + (f"  {_band_text(new[code], places[1], lang)}"
                                     if code in new else ""))
    for code in part["removed"]:
        out.append(f"  - {code}" + (f"  {_band_text(old[code], places[0], lang)}"
                                     if code in old else ""))
    for code, changes in part["changed"].items():
        for key, change in changes.items():
            if key == "min":
                out.append(f"  ~ {code} {_word('min', lang)}: "
                           f"{_number(change['from'], places[0], lang)} → "
                           f"{_number(change['to'], places[1], lang)}")
            else:
                out.append(f"  ~ {code} {key}: {_brief(change['from'], lang)} → "
                           f"{_brief(change['to'], lang)}")
    return out


def _condition_lines(level: Mapping[str, Any] | None, lang: str) -> list[str]:
    """A level's condition in words, as ``rules docs`` renders it."""
    from patuh.ruledocs import render_condition

    if level is None:
        return [_word("none", lang)]
    lines = []
    if level.get("when") is not None:
        lines.extend(render_condition(level["when"], lang))
    if level.get("min") is not None:
        lines.append(f"- {_word('at_least', lang)}: {_number(level['min'], lang=lang)}")
    return lines or [_word("always", lang)]


def _yaml_flow(value: Any) -> str:
    from patuh.ruledocs import _flow

    return "—" if value is None else _flow(value)


def _element_lines(before: Mapping[str, list[str]], after: Mapping[str, list[str]],
                   lang: str = "en") -> list[str]:
    """Each element list that changed: the codes added and removed."""
    out = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name) or [], after.get(name) or []
        if old == new:
            continue
        added = [c for c in new if c not in old]
        removed = [c for c in old if c not in new]
        parts = [f"+{c}" for c in added] + [f"−{c}" for c in removed]
        out.append(f"      {_key('elements', lang)} [{name}]: " + (", ".join(parts) if parts else
                                                   f"{', '.join(old)} → {', '.join(new)}"))
    return out


def _level_lines(before: list[Mapping[str, Any]], after: list[Mapping[str, Any]],
                 lang: str) -> list[str]:
    """Each level that changed: its title and its condition before and after, in words."""
    old = {lv["level"]: lv for lv in before}
    new = {lv["level"]: lv for lv in after}
    out = []
    for number in sorted(set(old) | set(new)):
        lv_a, lv_b = old.get(number), new.get(number)
        if lv_a == lv_b:
            continue
        title = _t((lv_b or lv_a or {}).get("title", ""), lang)
        out.append(f"      {_word('level', lang)} {number}: {title}")
        if lv_a is not None and lv_b is not None and lv_a.get("title") != lv_b.get("title"):
            out.append(f"        {_word('title', lang)}: {_t(lv_a['title'], lang)} → "
                       f"{_t(lv_b['title'], lang)}")
        if lv_a is None or lv_b is None or (lv_a.get("when"), lv_a.get("min")) != (
                lv_b.get("when"), lv_b.get("min")):
            for key, level in (("before", lv_a), ("after", lv_b)):
                out.append(f"        {_word(key, lang)}:")
                out.extend(f"          {line}" for line in _condition_lines(level, lang))
    return out


def render_impact(a: EditionRef, b: EditionRef, units: list[Mapping[str, Any]],
                  lang: str) -> str:
    en = lang == "en"
    out = [f"{'Impact' if en else 'Dampak'}: {a.label} → {b.label}", ""]
    for unit in units:
        if unit.get("error"):
            out.append(f"{'ERROR' if en else 'KESALAHAN'}  ({unit['manifest']})")
            out.extend(f"  {line}" for line in unit["error"][lang].splitlines())
            out.append("")
            continue
        sa, sb = unit["a"], unit["b"]
        delta = "—" if unit["delta"] is None else shown(unit["delta"], lang, 2, sign=True)
        score_a, score_b = ("—" if x["score"] is None else shown(
            x["score"], lang, int(ref.edition.rounding["places"])) for x, ref in ((sa, a), (sb, b)))
        out.append(f"{unit['unit']}  ({unit['manifest']})")
        out.append(f"  {a.label}: {score_a} {sa['predicate'] or '—'}   →   "
                   f"{b.label}: {score_b} {sb['predicate'] or '—'}   ({delta})")
        if unit["movers"]:
            out.append("  " + ("moved most by:" if en else "paling digerakkan oleh:"))
            for m in unit["movers"]:
                effect = ("" if m["effect"] is None
                          else f"{shown(m['effect'], lang, 4, sign=True)}  ")
                out.append(f"    {effect}{m['rule_id']}: {m['from']} → {m['to']}")
        if unit["rules_added"]:
            out.append(("  rules only in " if en else "  aturan hanya di ") + f"{b.label}: "
                       + ", ".join(unit["rules_added"]))
        if unit["rules_removed"]:
            out.append(("  rules only in " if en else "  aturan hanya di ") + f"{a.label}: "
                       + ", ".join(unit["rules_removed"]))
        out.append("")
    out.extend(_summary_lines(summarize(units), a, b, lang))
    return "\n".join(out) + "\n"


def _summary_lines(summary: Mapping[str, Any], a: EditionRef, b: EditionRef,
                   lang: str) -> list[str]:
    en = lang == "en"
    s = summary
    out = [("Summary" if en else "Ringkasan") + f": {a.label} → {b.label}"]
    units, scored, errors = (shown(s[k], lang) for k in ("units", "scored", "errors"))
    out.append(f"  {units} unit" + ("s" if en and s["units"] != 1 else "") + ": "
               + (f"{scored} scored, {errors} with errors" if en
                  else f"{scored} dinilai, {errors} dengan kesalahan"))
    changed = s["predicate_changed"]
    out.append(("  predicate changes: " if en else "  predikat berubah: ")
               + f"{shown(len(changed), lang)}")
    for item in changed:
        out.append(f"    {item['unit']}: {item['from'] or '—'} → {item['to'] or '—'}"
                   f"  ({item['manifest']})")
    if s["mean_delta"] is not None:
        out.append(("  score: " if en else "  nilai: ")
                   + (f"{s['rose']} rose, {s['fell']} fell, {s['unchanged']} unchanged; "
                      f"mean change {shown(s['mean_delta'], lang, 3, sign=True)}" if en else
                      f"{s['rose']} naik, {s['fell']} turun, {s['unchanged']} tetap; "
                      f"rata-rata perubahan {shown(s['mean_delta'], lang, 3, sign=True)}"))
        big = s["largest_delta"]
        out.append(("  largest change: " if en else "  perubahan terbesar: ")
                   + f"{shown(big['delta'], lang, 2, sign=True)}  {big['unit']}  "
                     f"({big['manifest']})")
    return out
