"""The evaluator's files in a unit folder, written framework-free (no Django here).

``verifikasi.yaml`` (schemas/verification.schema.json) holds the levels (or 0–100 scores of
measured rules) the evaluator verified; ``pengecualian.yaml`` (schemas/waivers.schema.json) the
unit's waivers. Both are what ``patuh check --verification … --waivers …`` reads: the platform
writes them, the report reads them, the export carries them.

Every write goes to a temporary file in the folder, is loaded back with the loader
``patuh check`` uses (and, when the caller gives one, checked against the unit's report),
and only then renamed over the file: a refused change leaves the file as it was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.verification import load_verification
from patuh.waivers import load_waivers

VERIFICATION_FILE = "verifikasi.yaml"
WAIVERS_FILE = "pengecualian.yaml"
TEMP_PREFIX = ".patuh-tmp-"  # the store's prefix: an export leaves such files out
EFFECTS = ("excluded", "as_met")
WAIVER_FIELDS = ("rule", "unit", "reason", "owner", "approver", "start", "expiry",
                 "legal_basis", "effect")
HEADER = {
    VERIFICATION_FILE: "# Verifikasi evaluator, ditulis oleh patuh serve "
                       "(schemas/verification.schema.json).\n",
    WAIVERS_FILE: "# Pengecualian unit ini, ditulis oleh patuh serve "
                  "(schemas/waivers.schema.json).\n",
}

Check = Callable[[Path], None]


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(Text("berkas ini bukan YAML yang dapat dibaca; perbaiki atau hapus "
                              "dulu", "this file is not readable YAML; repair or remove it "
                              "first"), file=path, hint=Text(str(exc)[:300], str(exc)[:300])
                         ) from None
    return data if isinstance(data, dict) else {}


def read_verification(root: Path) -> dict[str, Any]:
    """The raw ``verifikasi.yaml`` of the folder ({} when absent)."""
    return _read(Path(root) / VERIFICATION_FILE)


def verified_items(root: Path) -> dict[str, dict[str, Any]]:
    """rule id -> its item in ``verifikasi.yaml``."""
    items = read_verification(root).get("verifikasi") or []
    return {str(i["rule"]): dict(i) for i in items if isinstance(i, Mapping) and "rule" in i}


def read_waivers(root: Path) -> list[dict[str, Any]]:
    """The waivers of ``pengecualian.yaml``, in order ([] when absent)."""
    items = _read(Path(root) / WAIVERS_FILE).get("waivers") or []
    return [dict(i) for i in items if isinstance(i, Mapping)]


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=100)


def _replace(root: Path, name: str, data: Mapping[str, Any] | None,
             load: Callable[[Path], Any], check: Check | None) -> None:
    """Write ``data`` as ``root/name`` atomically after loading it back (``load``) and
    ``check``-ing it; ``None`` removes the file."""
    target = Path(root) / name
    if data is None:
        target.unlink(missing_ok=True)
        return
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".yaml", dir=root)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(HEADER[name] + _dump(data))
            handle.flush()
            os.fsync(handle.fileno())
        load(temp)
        if check is not None:
            check(temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _number(value: Decimal | float | int) -> float | int:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def set_verified(root: Path, rule: str, *, note: str, evaluator: str, day: date,
                 level: int | None = None, score: Decimal | float | None = None,
                 check: Check | None = None) -> None:
    """Record (or replace) the verified level or score of ``rule``."""
    if (level is None) == (score is None):
        raise InputError(Text("isi level atau nilai terverifikasi", "give a verified level "
                              "or score"))
    note = " ".join(note.split())
    if not note:
        raise InputError(Text("catatan evaluator wajib diisi", "the evaluator's note is "
                              "required"))
    data = read_verification(root)
    items = [dict(i) for i in data.get("verifikasi") or [] if isinstance(i, Mapping)
             and i.get("rule") != rule]
    item: dict[str, Any] = {"rule": rule}
    if level is not None:
        item["level"] = int(level)
    else:
        item["score"] = _number(score)  # type: ignore[arg-type]
    item.update({"note": note, "evaluator": evaluator, "date": day.isoformat()})
    items.append(item)
    out = {"schema_version": 1, "evaluator": data.get("evaluator") or evaluator,
           "tanggal": day.isoformat(), "verifikasi": items}
    if data.get("catatan"):
        out["catatan"] = data["catatan"]
    _replace(root, VERIFICATION_FILE, out, load_verification, check)


def remove_verified(root: Path, rule: str, *, check: Check | None = None) -> bool:
    """Drop the verified level of ``rule`` (the claim counts again); the file goes with its
    last item. False when the rule had none."""
    data = read_verification(root)
    items = [dict(i) for i in data.get("verifikasi") or [] if isinstance(i, Mapping)]
    kept = [i for i in items if i.get("rule") != rule]
    if len(kept) == len(items):
        return False
    _replace(root, VERIFICATION_FILE, {**data, "verifikasi": kept} if kept else None,
             load_verification, check)
    return True


def add_waiver(root: Path, waiver: Mapping[str, Any], *, check: Check | None = None) -> None:
    """Append a waiver (the keys of ``WAIVER_FIELDS``; ``reason`` a str or {id, en})."""
    item = {key: waiver[key] for key in WAIVER_FIELDS if waiver.get(key) not in (None, "")}
    for key in ("start", "expiry"):
        if isinstance(item.get(key), date):
            item[key] = item[key].isoformat()
    items = [*read_waivers(root), item]
    _replace(root, WAIVERS_FILE, {"schema_version": 1, "waivers": items}, load_waivers, check)


def remove_waiver(root: Path, index: int, *, check: Check | None = None) -> dict[str, Any]:
    """Remove the waiver at ``index``; returns it (for the audit log)."""
    items = read_waivers(root)
    if not 0 <= index < len(items):
        raise InputError(Text(f"tidak ada pengecualian nomor {index + 1}",
                              f"there is no waiver number {index + 1}"))
    gone = items.pop(index)
    _replace(root, WAIVERS_FILE, {"schema_version": 1, "waivers": items} if items else None,
             load_waivers, check)
    return gone


def unit_identity(root: Path) -> str | None:
    """The unit's ``kode`` (else ``nama``) as its manifest writes it: what a waiver's ``unit``
    must name for ``patuh check`` to apply it."""
    path = Path(root) / "manifest.yaml"
    data = _read(path)
    unit = data.get("unit") if isinstance(data.get("unit"), Mapping) else {}
    for key in ("kode", "nama"):
        if unit.get(key) not in (None, ""):
            return str(unit[key])
    return None
