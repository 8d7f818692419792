"""`patuh init`: a commented manifest template generated from the manifest schema, so the
template can never drift from what the schema accepts. Only the required keys are active;
everything else is commented out, ready to uncomment and fill in."""

from __future__ import annotations

from typing import Any

from patuh.validation import load_schema

HEADER = """\
# Manifest bukti dukung patuh — satu unit, satu periode.
# Evidence manifest for patuh — one unit, one period.
#
# Isi apa yang DIMILIKI unit; setiap ruleset membaca berkas yang sama.
# Kunci yang tidak diisi berarti "tidak ada data"; tulis false/0 bila unit memang tidak memilikinya.
# Bukti: jalur berkas relatif terhadap folder ini (atau URL), mis. bukti: [sp/sk-sp-2024.pdf]
# Hapus tanda '#' di depan kunci yang ingin diisi. Periksa dengan: patuh check manifest.yaml
"""

EXAMPLES = {
    "schema_version": "1", "nama": "Nama Unit Pelayanan", "instansi": "Pemerintah Kabupaten/Kota …",
    "tahun": "2025", "tanggal": "2025-01-31", "tanggal_penilaian": "2025-10-31",
    "tanggal_laporan": "2025-06-30", "tanggal_terakhir": "2025-02-15",
    "tanggal_tuntas": "2025-11-30", "tanggal_diterapkan": "2023-03-01",
    "nomor": "\"800/001/2025\"", "kode": "unit-001", "alamat": "Jl. …",
    "berkas": "penilaian-pengguna.csv", "interval_bulan": "12",
}


def _placeholder(key: str, schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        if ref == "bukti":
            return "[]"
        return EXAMPLES.get(key, "2025-01-31")
    if key in EXAMPLES:
        return EXAMPLES[key]
    if "const" in schema:
        return str(schema["const"])
    if "enum" in schema:
        return str(schema["enum"][0])
    kind = schema.get("type")
    if kind == "boolean":
        return "true"
    if kind in ("integer", "number"):
        return str(schema.get("minimum", 0))
    if kind == "object":
        return "{}"
    if kind == "array":
        return "[]"
    return '""'


def _comment(schema: dict[str, Any]) -> str:
    parts = []
    if schema.get("description"):
        parts.append(schema["description"])
    options = schema.get("enum") or schema.get("items", {}).get("enum")
    if options:
        parts.append("pilihan/options: " + ", ".join(map(str, options)))
    return "  # " + " ".join(parts) if parts else ""


def _emit(schema: dict[str, Any], defs: dict[str, Any], indent: int, active: bool,
          out: list[str]) -> None:
    required = set(schema.get("required", ())) if active else set()
    # ``not: {required: [a, b]}``: give a or b, not both; b is written commented twice, so
    # that removing the '#' in front of every key never gives both
    alternatives = (schema.get("not") or {}).get("required", ())[1:]
    for key, sub in schema.get("properties", {}).items():
        if key in alternatives:
            pad = "  " * indent
            lines: list[str] = []
            _emit({"properties": {key: sub}}, defs, indent, False, lines)
            first = schema["not"]["required"][0]
            out.append(f"{pad}# atau, bukan bersama {first} / or, not together with {first}:")
            out.extend(pad + "# " + line[len(pad):] for line in lines)
            continue
        on = key in required
        prefix = "" if on else "# "
        pad = "  " * indent
        if sub.get("type") == "object" and "properties" in sub:
            out.append(f"{pad}{prefix}{key}:{_comment({'description': sub.get('description')})}")
            _emit(sub, defs, indent + 1, on, out)
        elif sub.get("type") == "array" and sub.get("items", {}).get("type") == "object":
            out.append(f"{pad}{prefix}{key}:{_comment(sub)}")
            first, *rest = sub["items"].get("required", ())
            out.append(f"{pad}#   - {first}: …")
            out.extend(f"{pad}#     {key_}: …" for key_ in rest)
        else:
            out.append(f"{pad}{prefix}{key}: {_placeholder(key, sub, defs)}{_comment(sub)}")


def manifest_template() -> str:
    schema = load_schema("manifest")
    out: list[str] = [HEADER]
    _emit(schema, schema.get("$defs", {}), 0, True, out)
    return "\n".join(out) + "\n"
