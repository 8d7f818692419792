"""Built-in condition operators: logic, comparisons on fact paths, counts over lists,
ratios, date windows relative to the evaluation date, and evidence.

Each operator is pure: it reads the context and returns an Outcome whose unmet reasons say,
in both languages, what the facts show and what the next level needs.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from patuh import Context
from patuh import Outcome
from patuh import Text
from patuh import Unmet
from patuh import hookimpl
from patuh.conditions import MISSING
from patuh.conditions import Operator
from patuh.conditions import Read
from patuh.errors import format_path as _p
from patuh.i18n import number
from patuh.plugins import workdays

COMPARATORS = {
    "eq": ("=", lambda a, b: a == b),
    "ne": ("≠", lambda a, b: a != b),
    "lt": ("<", lambda a, b: a < b),
    "le": ("≤", lambda a, b: a <= b),
    "gt": (">", lambda a, b: a > b),
    "ge": ("≥", lambda a, b: a >= b),
}

_CONDITION = {"type": "object", "minProperties": 1}
_PATH = {"type": "string", "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"}


def _comparator(arg: Mapping[str, Any]) -> tuple[str, str, Any]:
    name = next(k for k in COMPARATORS if k in arg)
    return name, COMPARATORS[name][0], arg[name]


def _show(value: Any, lang: str = "id") -> str:
    """A fact's value in a reason: yes/no in words, a fraction to one decimal, and a decimal
    number in the language's notation (``82,5`` in Indonesian). Whole numbers are not grouped
    (a year reads 2024, not 2.024)."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("ya" if value else "tidak")
    if isinstance(value, Fraction):
        value = float(f"{float(value):.1f}")
    if isinstance(value, float) or type(value).__name__ == "Decimal":
        if value == int(value):
            return str(int(value))
        return number(value, lang, group=False)
    return str(value)


def _show_en(value: Any) -> str:
    return _show(value, "en")


# --- logic ----------------------------------------------------------------------------------

def _distinct(reasons: Iterable[Unmet]) -> tuple[Unmet, ...]:
    """Each reason once: two branches missing the same fact say so once."""
    return tuple(dict.fromkeys(reasons))


def _all(arg: list[Any], ctx: Context) -> Outcome:
    outcomes = [ctx.evaluate(c) for c in arg]
    used = tuple(p for o in outcomes for p in o.used)
    failed = [o for o in outcomes if o.holds is False]
    unknown = [o for o in outcomes if o.holds is None]
    if not failed and not unknown:
        return Outcome(True, (), used)
    unmet = _distinct(u for o in failed + unknown for u in o.unmet)
    return Outcome(False if failed else None, unmet, used)


def _any(arg: list[Any], ctx: Context) -> Outcome:
    outcomes = [ctx.evaluate(c) for c in arg]
    used = tuple(p for o in outcomes for p in o.used)
    if any(o.holds for o in outcomes):
        return Outcome(True, (), tuple(p for o in outcomes if o.holds for p in o.used))
    unknown = any(o.holds is None for o in outcomes)
    reasons = _distinct(u for o in outcomes for u in o.unmet)
    joined = Text("salah satu dari: ", "one of: ") + Text(
        "; ".join(u.message.id for u in reasons), "; ".join(u.message.en for u in reasons))
    return Outcome(None if unknown else False,
                   (Unmet(joined, None, all(u.missing for u in reasons)),), used)


def _not(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    inner = ctx.evaluate(arg)
    if inner.holds is None:
        return inner
    if inner.holds:
        return Outcome(False, (Unmet(Text("kondisi yang dilarang terpenuhi",
                                          "a condition that must not hold does hold")),),
                       inner.used)
    return Outcome(True, (), inner.used)


# --- facts ----------------------------------------------------------------------------------

def _exists(arg: str, ctx: Context) -> Outcome:
    if ctx.get(arg) is MISSING:
        return ctx.missing(ctx.path(arg))
    return Outcome.true(ctx.path(arg))


def _absent(arg: str, ctx: Context) -> Outcome:
    """The fact is not given (e.g. a complaint file that is not complete yet)."""
    path = ctx.path(arg)
    if ctx.get(arg) is MISSING:
        return Outcome.true(path)
    return Outcome.false(Text(f"{ctx.shown(path, 'id')} diisi",
                              f"{ctx.shown(path, 'en')} is given"), path)


def _is_true(arg: str, ctx: Context) -> Outcome:
    path = ctx.path(arg)
    value = ctx.get(arg)
    if value is MISSING:
        return ctx.missing(path)
    if value is True:
        return Outcome.true(path)
    return Outcome.false(Text(f"{ctx.shown(path, 'id')}: tidak",
                              f"{ctx.shown(path, 'en')}: no"), path)


def _compare(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    path = ctx.path(arg["path"])
    value = ctx.get(arg["path"])
    name, sign, expected = _comparator(arg)
    used = [path]
    shown_id = shown_en = None
    if isinstance(expected, Mapping):  # {fact: other.path}: compare two facts
        other = ctx.path(expected["fact"])
        expected = ctx.get(expected["fact"])
        used.append(other)
        if MISSING in (value, expected):  # every fact not supplied, at once
            return _missing_any(ctx, (path, value), (other, expected))
        shown_id = f"{ctx.shown(other, 'id')} = {_show(expected)}"
        shown_en = f"{ctx.shown(other, 'en')} = {_show_en(expected)}"
    elif value is MISSING:
        return ctx.missing(path)
    try:
        holds = COMPARATORS[name][1](value, expected)
    except TypeError:
        holds = False
    if holds:
        return Outcome.true(*used)
    return Outcome.false(
        Text(f"{ctx.shown(path, 'id')} = {_show(value)} "
             f"(perlu {sign} {shown_id or _show(expected)})",
             f"{ctx.shown(path, 'en')} = {_show_en(value)} "
             f"(needs {sign} {shown_en or _show_en(expected)})"),
        path, *used[1:])


def _one_of(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    path = ctx.path(arg["path"])
    value = ctx.get(arg["path"])
    if value is MISSING:
        return ctx.missing(path)
    if value in arg["values"]:
        return Outcome.true(path)
    options = ", ".join(map(str, arg["values"]))
    return Outcome.false(Text(
        f"{ctx.shown(path, 'id')} = {_show(value)} (perlu salah satu: {options})",
        f"{ctx.shown(path, 'en')} = {_show_en(value)} (needs one of: {options})"), path)


def _element_title(ctx: Context, code: str) -> Text:
    for name in ctx.elements:
        title = ctx.element_title(name, code)
        if title.id != code:
            return title
    return Text(code, code)


def _contains(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    path = ctx.path(arg["path"])
    value = ctx.get(arg["path"])
    if value is MISSING:
        return ctx.missing(path)
    wanted = arg["any_of"] if "any_of" in arg else [arg["value"]]
    present = value if isinstance(value, list) else [value]
    if any(w in present for w in wanted):
        return Outcome.true(path)
    titles = [_element_title(ctx, w) for w in wanted]
    return Outcome.false(Text(
        f"{ctx.shown(path, 'id')}: belum ada {' / '.join(t.id for t in titles)}",
        f"{ctx.shown(path, 'en')}: no {' / '.join(t.en for t in titles)}"), path)


def _count(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    path = ctx.path(arg["path"])
    value = ctx.get(arg["path"])
    if value is MISSING:
        return ctx.missing(path)
    items = value if isinstance(value, list) else [value]
    used = [path]
    lacking: list[Text] = []
    among = arg.get("among")
    if among is not None:
        elements = ctx.elements.get(among, ())
        codes = {e.code for e in elements}
        present = {item for item in items if isinstance(item, str) and item in codes}
        total = len(elements)
        n = len(present)
    elif "where" in arg:
        n = 0
        reasons: list[Unmet] = []
        for index in range(len(items)):
            inner = ctx.inside(f"{path}.{index}").evaluate(arg["where"])
            used.extend(inner.used)
            n += bool(inner.holds)
            reasons.extend(inner.unmet)
        total = len(items)
    else:
        n = len(items)
        total = None
    name, sign, k = _comparator(arg)
    if COMPARATORS[name][1](n, k):
        return Outcome(True, (), tuple(used))
    if among is not None:  # in the list's order, once each as the list has them
        lacking = [ctx.element_title(among, e.code) for e in elements if e.code not in present]
    of_id = f" dari {total}" if total is not None else ""
    of_en = f" of {total}" if total is not None else ""
    message = Text(f"{ctx.shown(path, 'id')}: {n}{of_id} terpenuhi (perlu {sign} {k})",
                   f"{ctx.shown(path, 'en')}: {n}{of_en} met (needs {sign} {k})")
    if lacking and name in ("ge", "gt", "eq"):
        message = message + Text(
            "; belum ada: " + ", ".join(t.id for t in lacking),
            "; not yet: " + ", ".join(t.en for t in lacking))
    details = tuple(reasons[:4]) if "where" in arg and name in ("ge", "gt", "eq") else ()
    return Outcome(False, (Unmet(message, path), *details), tuple(used))


def _missing_any(ctx: Context, *facts: tuple[str, Any]) -> Outcome:
    """Unknown: one or more of the facts a comparison needs were not supplied (all named)."""
    return ctx.missing(*(path for path, value in facts if value is MISSING),
                       used=[path for path, _ in facts])


def _ratio(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    num_path, den_path = ctx.path(arg["numerator"]), ctx.path(arg["denominator"])
    num, den = ctx.get(arg["numerator"]), ctx.get(arg["denominator"])
    if MISSING in (num, den):
        return _missing_any(ctx, (num_path, num), (den_path, den))
    name, sign, k = _comparator(arg)
    if den == 0:
        return Outcome.false(Text(
            f"{ctx.shown(den_path, 'id')} = 0: persentase tidak dapat dihitung",
            f"{ctx.shown(den_path, 'en')} = 0: the percentage cannot be computed"),
                             den_path, num_path)
    percent = Fraction(num) * 100 / Fraction(den)
    if COMPARATORS[name][1](percent, Fraction(str(k))):
        return Outcome.true(num_path, den_path)
    return Outcome.false(Text(
        f"{ctx.shown(num_path, 'id')}/{ctx.shown(den_path, 'id')} = {_show(percent)}% "
        f"(perlu {sign} {_show(k)}%)",
        f"{ctx.shown(num_path, 'en')}/{ctx.shown(den_path, 'en')} = {_show_en(percent)}% "
        f"(needs {sign} {_show_en(k)}%)"),
        num_path, den_path)


# --- dates ----------------------------------------------------------------------------------

_DURATION = {
    "type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
    "properties": {u: {"type": "integer", "minimum": 0}
                   for u in ("days", "working_days", "months", "years")},
}
_UNITS = {"days": ("hari", "days"), "working_days": ("hari kerja", "working days"),
          "months": ("bulan", "months"), "years": ("tahun", "years")}


def shift(day: date, duration: Mapping[str, int], sign: int = 1) -> date:
    """``day`` moved by a duration; month ends are clamped (31 Jan + 1 month = 28/29 Feb).
    A result beyond the calendar saturates at 0001-01-01 or 9999-12-31: a deadline after
    9999-12-31 has not passed on any date a unit can give."""
    if "days" in duration:
        ordinal = day.toordinal() + sign * duration["days"]
        return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))
    if "working_days" in duration:
        if sign < 0:
            raise ValueError("working days are only counted forward")
        return workdays.add_working_days(day, duration["working_days"])
    months = duration.get("months", 0) + 12 * duration.get("years", 0)
    total = day.year * 12 + (day.month - 1) + sign * months
    year, month = divmod(total, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _show_duration(duration: Mapping[str, int]) -> tuple[str, str]:
    (unit, n), = duration.items()
    return f"{n} {_UNITS[unit][0]}", f"{n} {_UNITS[unit][1]}"


def _compare_span(start: date, end: date, name: str, duration: Mapping[str, int]) -> bool:
    """Whether ``end - start`` compares to ``duration`` as ``name`` says."""
    limit = shift(start, duration)
    return COMPARATORS[name][1](end, limit)


def _age(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    path = ctx.path(arg["path"])
    raw = ctx.get(arg["path"])
    if raw is MISSING:
        return ctx.missing(path)
    day = _as_date(raw)
    if day is None:
        return Outcome.false(Text(f"{ctx.shown(path, 'id')}: {raw!r} bukan tanggal",
                                  f"{ctx.shown(path, 'en')}: {raw!r} is not a date"), path)
    name, sign, duration = _comparator(arg)
    if day > ctx.as_of:
        return Outcome.false(Text(
            f"{ctx.shown(path, 'id')} = {day} jatuh setelah tanggal evaluasi {ctx.as_of}",
            f"{ctx.shown(path, 'en')} = {day} falls after the evaluation date {ctx.as_of}"), path)
    if _compare_span(day, ctx.as_of, name, duration):
        return Outcome.true(path)
    d_id, d_en = _show_duration(duration)
    return Outcome.false(Text(
        f"{ctx.shown(path, 'id')} = {day}: umur terhadap {ctx.as_of} harus {sign} {d_id}",
        f"{ctx.shown(path, 'en')} = {day}: its age at {ctx.as_of} must be {sign} {d_en}"), path)


def _counted(start: date, end: date, duration: Mapping[str, int]) -> Text:
    """For working-day spans: the holidays and collective-leave days that were not counted."""
    if "working_days" not in duration:
        return Text("", "")
    skipped = workdays.skipped_holidays(start, end)
    if not skipped:
        return Text("; tanpa hari libur di antaranya", "; no holidays in between")
    listed = ", ".join(f"{d} {name}" for d, name in skipped)
    return Text(f"; tidak dihitung (libur/cuti bersama): {listed}",
                f"; not counted (holidays/collective leave): {listed}")


def _span(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    """``to`` − ``from`` compared with a duration. With ``open: true`` a ``to`` not given yet
    counts up to the evaluation date: still within the limit holds, past it does not. With
    ``if_started: true`` a ``from`` not given means the clock has not started, which holds."""
    start_path, end_path = ctx.path(arg["from"]), ctx.path(arg["to"])
    start_raw, end_raw = ctx.get(arg["from"]), ctx.get(arg["to"])
    if start_raw is MISSING and arg.get("if_started", False):
        return Outcome.true(start_path)  # the clock has not started: nothing is due yet
    still_open = end_raw is MISSING and arg.get("open", False) and start_raw is not MISSING
    if MISSING in (start_raw, end_raw) and not still_open:
        return _missing_any(ctx, (start_path, start_raw), (end_path, end_raw))
    start = _as_date(start_raw)
    end = ctx.as_of if still_open else _as_date(end_raw)
    name, sign, duration = _comparator(arg)
    d_id, d_en = _show_duration(duration)
    from_id, from_en = ctx.shown(start_path, "id"), ctx.shown(start_path, "en")
    to_id, to_en = ctx.shown(end_path, "id"), ctx.shown(end_path, "en")
    if start is None or end is None:
        return Outcome.false(Text(f"{from_id}/{to_id}: bukan tanggal",
                                  f"{from_en}/{to_en}: not a date"),
                             end_path, start_path)
    if end < start:
        return Outcome.false(Text(
            f"{to_id} = {end} lebih awal dari {from_id} = {start}",
            f"{to_en} = {end} is before {from_en} = {start}"), end_path, start_path)
    holds = _compare_span(start, end, name, duration)
    if holds:
        return Outcome.true(start_path, end_path)
    limit = shift(start, duration)
    counted = _counted(start, min(end, limit), duration)
    if still_open:
        return Outcome.false(Text(
            f"{from_id} = {start}: {to_id} belum ada pada {ctx.as_of}, "
            f"batas {sign} {d_id} (sampai {limit}) sudah lewat",
            f"{from_en} = {start}: no {to_en} by {ctx.as_of}; "
            f"the limit {sign} {d_en} (until {limit}) has passed") + counted, end_path, start_path)
    return Outcome.false(Text(
        f"{from_id} = {start} → {to_id} = {end}: selang harus {sign} {d_id} "
        f"(batas {limit})",
        f"{from_en} = {start} → {to_en} = {end}: the span must be {sign} {d_en} "
        f"(limit {limit})") + counted, end_path, start_path)


def _every(arg: Mapping[str, Any], ctx: Context) -> Outcome:
    """Every item of a list satisfies ``where``; the items that do not are named."""
    path = ctx.path(arg["path"])
    items = ctx.get(arg["path"])
    if items is MISSING:
        return ctx.missing(path)
    items = items if isinstance(items, list) else [items]
    used = [path]
    broken: list[tuple[str, str, Outcome]] = []
    unknown = False
    for index, item in enumerate(items):
        inner = ctx.inside(f"{path}.{index}").evaluate(arg["where"])
        used.extend(inner.used)
        if inner.holds is None:
            unknown = True
        if not inner.holds:
            label = item.get(arg["name"]) if "name" in arg and isinstance(item, Mapping) else None
            item_path = f"{path}.{index}"
            broken.append((str(label) if label else _p(item_path), item_path, inner))
    if not broken:
        return Outcome(True, (), tuple(used))
    limit = arg.get("list_at_most", 20)
    unmet = [Unmet(Text(f"{ctx.shown(path, 'id')}: {len(broken)} dari {len(items)} tidak "
                        "memenuhi",
                        f"{ctx.shown(path, 'en')}: {len(broken)} of {len(items)} do not "
                        "comply"), path)]
    for name, item_path, inner in broken[:limit]:
        # a named item's reasons speak of its own keys (a complaint log's columns, read from a
        # file: the person never wrote pengaduan.log.kasus[3]); an unnamed one keeps its path
        own = _p(item_path) + "." if name != _p(item_path) else None
        for reason in inner.unmet:
            message = reason.message if own is None else Text(
                reason.message.id.replace(own, ""), reason.message.en.replace(own, ""))
            unmet.append(Unmet(Text(f"{name}: ", f"{name}: ") + message, reason.path,
                               reason.missing))
    if len(broken) > limit:
        rest = len(broken) - limit
        unmet.append(Unmet(Text(f"… dan {rest} lainnya", f"… and {rest} more"), path))
    holds = None if unknown and len(broken) == sum(1 for *_, o in broken if o.holds is None) \
        else False
    return Outcome(holds, tuple(unmet), tuple(used))


# --- evidence -------------------------------------------------------------------------------

_STATUS = {
    "not_found": ("berkas tidak ditemukan", "file not found"),
    "outside": ("jalur keluar dari folder manifest (tidak dibaca)",
                "path leaves the manifest's folder (not read)"),
    "not_a_file": ("bukan berkas", "not a file"),
    "unreadable": ("tidak dapat dibaca", "cannot be read"),
    "digest_mismatch": ("sha256 tidak cocok", "sha256 does not match"),
    "too_large": ("terlalu besar untuk di-hash", "too large to hash"),
}


def _has_evidence(arg: str | Mapping[str, Any], ctx: Context) -> Outcome:
    """Usable evidence at ``path`` or inside it; ``{path, own: true}``: at ``path`` itself only
    (so that evidence of a part, e.g. a policy, does not stand in for evidence of the rest)."""
    relative, own = (arg, False) if isinstance(arg, str) else (arg["path"], bool(arg.get("own")))
    path = ctx.path(relative)
    items = tuple(ctx.evidence.get(path, ())) if own else ctx.evidence_under(relative)
    if any(e.usable for e in items):
        return Outcome.true(path)
    if not items:
        return Outcome(None, (Unmet(Text(f"{_p(path)}: belum ada bukti dukung",
                                         f"{_p(path)}: no evidence supplied"), path, True),),
                       (path,))
    problems_id = "; ".join(f"{e.ref}: {_STATUS[e.status][0]}" for e in items)
    problems_en = "; ".join(f"{e.ref}: {_STATUS[e.status][1]}" for e in items)
    return Outcome.false(Text(f"{_p(path)}: bukti dukung tidak dapat dipakai ({problems_id})",
                              f"{_p(path)}: evidence is not usable ({problems_en})"), path)


def _list_children(arg: list[Any]) -> Iterable[tuple[tuple[str | int, ...], Any]]:
    return (((i,), c) for i, c in enumerate(arg))


def _where_child(arg: Mapping[str, Any]) -> Iterable[tuple[tuple[str | int, ...], Any]]:
    return [(("where",), arg["where"])] if "where" in arg else []


def _obj(props: Mapping[str, Any], required: list[str],
         comparators: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An argument schema: fixed keys, plus (optionally) exactly one comparator."""
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False,
                              "properties": dict(props), "required": required}
    if comparators is not None:
        schema["properties"].update({name: comparators for name in COMPARATORS})
        schema["oneOf"] = [{"required": [name]} for name in COMPARATORS]
    return schema


def _reads_compare(arg: Mapping[str, Any]) -> Iterable[Read]:
    """The path, and a fact it is compared with (``{ge: {fact: other.path}}``)."""
    yield Read(arg["path"])
    for name in COMPARATORS:
        if isinstance(arg.get(name), Mapping) and "fact" in arg[name]:
            yield Read(arg[name]["fact"])


def _reads_keys(*keys: str) -> Any:
    return lambda arg: [Read(arg[key]) for key in keys]


def _reads_evidence(arg: str | Mapping[str, Any]) -> Iterable[Read]:
    return [Read(arg if isinstance(arg, str) else arg["path"], evidence=True)]


def _item_scope(arg: Mapping[str, Any]) -> str | None:
    return arg["path"] if "where" in arg else None


_SCALAR = {"type": ["string", "number", "integer", "boolean"]}
_FACT = {"type": "object", "additionalProperties": False, "required": ["fact"],
         "properties": {"fact": _PATH}}
_NUMBER = {"type": "number"}

OPERATORS = {
    op.name: op for op in [
        Operator("all", _all, {"type": "array", "minItems": 1, "items": _CONDITION},
                 _list_children, Text("semua kondisi terpenuhi", "every condition holds")),
        Operator("any", _any, {"type": "array", "minItems": 1, "items": _CONDITION},
                 _list_children, Text("minimal satu kondisi terpenuhi", "at least one holds")),
        Operator("not", _not, _CONDITION, lambda arg: [((), arg)],
                 Text("kondisi tidak terpenuhi", "the condition does not hold")),
        Operator("exists", _exists, _PATH, doc=Text("fakta diisi", "the fact is given")),
        Operator("absent", _absent, _PATH, doc=Text("fakta tidak diisi", "the fact is not given")),
        Operator("is_true", _is_true, _PATH, doc=Text("fakta bernilai ya", "the fact is true")),
        Operator("compare", _compare,
                 _obj({"path": _PATH}, ["path"], {"anyOf": [_SCALAR, _FACT]}),
                 doc=Text("membandingkan fakta dengan nilai", "compares a fact with a value"),
                 read=_reads_compare),
        Operator("one_of", _one_of,
                 _obj({"path": _PATH, "values": {"type": "array", "minItems": 1,
                                                 "items": _SCALAR}}, ["path", "values"]),
                 doc=Text("fakta bernilai salah satu dari daftar", "the fact is one of a list")),
        Operator("contains", _contains, {
            **_obj({"path": _PATH, "value": _SCALAR,
                    "any_of": {"type": "array", "minItems": 1, "items": _SCALAR}}, ["path"]),
            "oneOf": [{"required": ["value"]}, {"required": ["any_of"]}]},
            doc=Text("daftar memuat nilai", "the list contains a value")),
        Operator("count", _count, _obj(
            {"path": _PATH, "among": {"type": "string"}, "where": _CONDITION}, ["path"],
            ({"type": "integer", "minimum": 0})),
            _where_child, Text("menghitung isi daftar", "counts a list"), scope=_item_scope),
        Operator("ratio", _ratio, _obj({"numerator": _PATH, "denominator": _PATH},
                                       ["numerator", "denominator"],
                                       (_NUMBER)),
                 doc=Text("persentase pembilang/penyebut", "percentage numerator/denominator"),
                 read=_reads_keys("numerator", "denominator")),
        Operator("age", _age, _obj({"path": _PATH}, ["path"], _DURATION),
                 doc=Text("umur tanggal terhadap tanggal evaluasi",
                          "age of a date at the evaluation date")),
        Operator("span", _span, _obj({"from": _PATH, "to": _PATH, "open": {"type": "boolean"},
                                      "if_started": {"type": "boolean"}},
                                     ["from", "to"], _DURATION),
                 doc=Text("selang antara dua tanggal", "span between two dates"),
                 read=_reads_keys("from", "to")),
        Operator("every", _every, _obj(
            {"path": _PATH, "where": _CONDITION, "name": {"type": "string"},
             "list_at_most": {"type": "integer", "minimum": 1}}, ["path", "where"]),
            _where_child, Text("setiap isi daftar memenuhi kondisi", "every list item complies"),
            scope=_item_scope),
        Operator("has_evidence", _has_evidence,
                 {"oneOf": [_PATH, _obj({"path": _PATH, "own": {"type": "boolean"}}, ["path"])]},
                 doc=Text("ada bukti dukung yang dapat dipakai", "usable evidence is attached"),
                 read=_reads_evidence),
    ]
}


@hookimpl
def patuh_operators() -> Mapping[str, Operator]:
    return OPERATORS
