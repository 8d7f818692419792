"""JSON Schema (draft 2020-12) validation with the format checker on, and errors that name
the file, the line and the JSON path, in both languages."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.exceptions import relevance
from referencing import Registry
from referencing import Resource

from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.i18n import Text
from patuh.yamlio import Document

MAX_ERRORS = 10
MAX_LISTED = 10  # unknown keys named in one message; the rest are counted


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled schema by name (``rule``, ``ruleset``, ``manifest``, ``report``)."""
    text = resources.files("patuh.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


SCHEMAS = ("rule", "ruleset", "manifest", "report", "waivers", "verification", "sources")


@cache
def registry() -> Registry:
    """The bundled schemas, so that one can refer to another by file name."""
    resources_ = [(load_schema(n)["$id"], Resource.from_contents(load_schema(n)))
                  for n in SCHEMAS]
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)  # checked against the metaschema by the tests, not per run
    return Draft202012Validator(schema, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(error: ValidationError) -> Text:
    """A readable message for the common validators; jsonschema's own text otherwise."""
    v, inst, arg = error.validator, error.instance, error.validator_value
    if v == "type":
        kinds = arg if isinstance(arg, list) else [arg]
        names_id = {"string": "teks", "number": "angka", "integer": "bilangan bulat",
                    "boolean": "true/false", "object": "pemetaan (kunci: nilai)",
                    "array": "daftar", "null": "kosong"}
        want_id = " atau ".join(names_id.get(k, k) for k in kinds)
        want_en = " or ".join(kinds)
        return Text(f"{_short(inst)} bukan {want_id}", f"{_short(inst)} is not of type {want_en}")
    if v == "required":
        missing = [k for k in arg if isinstance(inst, dict) and k not in inst]
        names = ", ".join(missing)
        return Text(f"kunci wajib belum ada: {names}", f"required key missing: {names}")
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed)
        known = ", ".join(sorted(allowed))
        listed = ", ".join(_short(k).strip('"') for k in extra[:MAX_LISTED])
        more = len(extra) - MAX_LISTED
        return Text(f"kunci tidak dikenal: {listed}" + (f" … dan {more} lagi" if more > 0 else "")
                    + f" (yang dikenal: {known})",
                    f"unknown key: {listed}" + (f" … and {more} more" if more > 0 else "")
                    + f" (known keys: {known})")
    if v == "enum":
        options = ", ".join(_short(a) for a in arg)
        return Text(f"{_short(inst)} bukan salah satu dari: {options}",
                    f"{_short(inst)} is not one of: {options}")
    if v == "const":
        return Text(f"harus {_short(arg)}", f"must be {_short(arg)}")
    if v == "format":
        return Text(f"{_short(inst)} bukan format {arg} yang sah (mis. tanggal 2024-12-31)",
                    f"{_short(inst)} is not a valid {arg} (e.g. a date 2024-12-31)")
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">",
              "exclusiveMaximum": "<"}[v]
        return Text(f"{_short(inst)} harus {op} {arg}", f"{_short(inst)} must be {op} {arg}")
    if v == "pattern":
        return Text(f"{_short(inst)} tidak sesuai pola {arg}",
                    f"{_short(inst)} does not match {arg}")
    if v in ("minItems", "minLength", "minProperties"):
        return Text(f"terlalu sedikit (minimal {arg})", f"too few (at least {arg})")
    if v in ("maxItems", "maxLength", "maxProperties"):
        return Text(f"terlalu banyak (maksimal {arg})", f"too many (at most {arg})")
    if v == "uniqueItems":
        return Text("daftar berisi nilai ganda", "the list has duplicate values")
    if v == "not" and isinstance(arg, dict) and list(arg) == ["required"]:
        names_id = " atau ".join(arg["required"])
        names_en = " or ".join(arg["required"])
        return Text(f"berikan salah satu saja: {names_id}, bukan keduanya (yang lain akan "
                    "diabaikan)", f"give only one of {names_en}, not both (the other would "
                    "be ignored)")
    if v in ("oneOf", "anyOf"):
        best = _best_context(error)
        if best is not None:
            return describe(best)
        return Text("bentuk nilai tidak sesuai dengan yang diizinkan",
                    "the value matches none of the allowed shapes")
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return Text(message, message)


def _best_context(error: ValidationError) -> ValidationError | None:
    if not error.context:
        return None
    return sorted(error.context, key=relevance)[0]


def _deepest(error: ValidationError) -> ValidationError:
    while error.validator in ("oneOf", "anyOf") and error.context:
        deeper = sorted(error.context, key=lambda e: (-len(e.absolute_path), relevance(e)))[0]
        if len(deeper.absolute_path) <= len(error.absolute_path):
            break
        error = deeper
    return error


def check(doc: Document, schema: str, hint: str | Text | None = None) -> None:
    """Raise InputErrors listing every violation (best first, at most ten)."""
    errors = sorted(validator(schema).iter_errors(doc.data), key=relevance)
    if not errors:
        return
    out: list[InputError] = []
    for error in errors[:MAX_ERRORS]:
        error = _deepest(error)
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            extra = [k for k in error.instance if k not in allowed]
            if extra:
                path = (*path, extra[0])  # point at the unknown key's own line
        out.append(doc.error(path, describe(error), hint))
    raise InputErrors(out)
