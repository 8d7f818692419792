"""Write N synthetic, schema-valid unit manifests for batch benchmarks.

    .venv/bin/python benchmarks/gen_manifests.py 1000 /tmp/units [--seed 7]

Each manifest copies one of the bundled example units (examples/*/manifest.yaml) and varies its
facts with a per-unit "quality" drawn at random: list items are kept or added from the values the
manifest schema allows, booleans turn false, counts move, optional sections go missing — so the
scores spread over every band. Data files (SKM answers, complaint logs, F-03 and interview
answers) are replaced by the aggregates a manifest may give instead, so no file is parsed.
Evidence: every `bukti` list points to one small shared file next to the manifests
(`bukti.pdf`, one per folder), so evidence is resolved and hashed as for a real unit; about one
list in ten is left out.

Layout: OUTDIR/000/u00001.manifest.yaml … (1,000 manifests per folder). Same N and seed, same
bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schemas" / "manifest.schema.json"
TEMPLATES = {"dpmptsp-kota-harapan": 4, "puskesmas-sukamaju": 3, "kecamatan-lembah-hijau": 2,
             "disdukcapil-kota-harapan-2021": 1}  # example unit -> how often it is copied
PER_FOLDER = 1000
EVIDENCE = "bukti.pdf"
KEEP = ("schema_version", "unit", "periode")  # never dropped

KINDS = ("Puskesmas", "Kecamatan", "Kelurahan", "Dinas Kependudukan dan Pencatatan Sipil",
         "Dinas Penanaman Modal dan PTSP", "RSUD", "Mal Pelayanan Publik", "UPT Samsat",
         "Dinas Sosial", "UPTD Pengujian Kendaraan Bermotor")
SYLLABLES = ("su", "ka", "ma", "ju", "ha", "ra", "pan", "lem", "bah", "hi", "jau", "sa", "ri",
             "ta", "nu", "sa", "ba", "wa", "ngi", "kar", "ta", "mu", "li", "a", "de", "so")
REGIONS = ("Kota", "Kabupaten")

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_templates() -> list[dict[str, Any]]:
    out = []
    for name in TEMPLATES:
        text = (ROOT / "examples" / name / "manifest.yaml").read_text("utf-8")
        data = yaml.load(text, Loader=_Loader)  # a safe loader
        data = json.loads(json.dumps(data, default=str))  # dates as ISO strings
        if data["periode"]["tahun"] < 2024:  # move an older unit into the current edition
            data = json.loads(_shift_dates(json.dumps(data), 2024 - data["periode"]["tahun"]))
            data["periode"]["tahun"] = 2024
        out.append(_without_data_files(data))
    return out


def _shift_dates(text: str, years: int) -> str:
    def later(m: re.Match[str]) -> str:
        day = min(m[3], "28") if m[2] == "02" else m[3]
        return f'"{int(m[1]) + years}-{m[2]}-{day}"'

    return re.sub(r'"(\d{4})-(\d{2})-(\d{2})"', later, text)


def _without_data_files(data: dict[str, Any]) -> dict[str, Any]:
    """The template with every data file replaced by an aggregate (or left out)."""
    skm = data.get("skm")
    if isinstance(skm, dict) and "berkas" in skm:
        del skm["berkas"]
        skm.update({"jumlah_unsur": 9, "skala": "1-4", "responden": 400,
                    "populasi": skm.get("populasi", 9000), "ikm": 85.0})
    complaints = data.get("pengaduan")
    if isinstance(complaints, dict):
        complaints.pop("log", None)
    if "berkas" in data.get("penilaian_pengguna", {}):
        data["penilaian_pengguna"] = {"rekap": {"responden": 12, "butir": {
            code: 3.5 for code in ("1.a.K1", "2.a.K1", "3.a.K1", "4.a.K1", "5.b.Ak", "6.b.Ak",
                                   "7.b.Ak", "8.c.As", "9.c.K", "10.c.As", "11.c.As", "12.d.T",
                                   "14.d.T", "15.e.K")}}}
    if "berkas" in data.get("wawancara_pengguna", {}):
        data["wawancara_pengguna"] = {"rekap": {"responden": 30,
                                                "tanpa_maladministrasi_persen": 80.0}}
    return data


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return {**schema["$defs"][ref.rsplit("/", 1)[1]], **{k: v for k, v in node.items()
                                                             if k != "$ref"}}
    return node


class Varier:
    def __init__(self, schema: dict[str, Any], rng: random.Random) -> None:
        self.schema = schema
        self.rng = rng

    def vary(self, value: Any, node: dict[str, Any], q: float, key: str = "",
             depth: int = 0) -> Any:
        rng = self.rng
        node = _resolve(self.schema, node or {})
        if key == "bukti":
            return None if rng.random() < 0.1 else [EVIDENCE] + [
                item for item in value if isinstance(item, dict) and "url" in item]
        if isinstance(value, dict):
            props = node.get("properties", {})
            extra = node.get("additionalProperties")
            out = {}
            for k, v in value.items():
                child = props.get(k) or (extra if isinstance(extra, dict) else {})
                if (isinstance(v, dict) and k not in KEEP and depth < 2
                        and rng.random() < 0.2 * (1 - q)):
                    continue  # a section with no data
                varied = self.vary(v, child, q, k, depth + 1)
                if varied is not None:
                    out[k] = varied
            return out
        if isinstance(value, list):
            items = _resolve(self.schema, node.get("items", {}))
            if "enum" in items:
                have = set(value)
                return [e for e in items["enum"]
                        if rng.random() < ((0.35 + 0.65 * q) if e in have else 0.45 * q)]
            if items.get("type") == "object":
                kept = [self.vary(v, items, q, depth=depth + 1) for v in value
                        if rng.random() < 0.3 + 0.7 * q]
                return kept or [self.vary(value[0], items, q, depth=depth + 1)]
            return list(value)
        if "const" in node:
            return value
        if isinstance(value, bool):
            return value and rng.random() > 0.35 * (1 - q) ** 1.5
        if isinstance(value, int) and node.get("type") == "integer":
            if node.get("maximum", 0) > 1000 or rng.random() < q:
                return value  # a year, or a count left as it was
            low = node.get("minimum", 0)
            value = max(low, round(value * rng.uniform(0.4 + 0.6 * q, 1.3)))
            return min(value, node["maximum"]) if "maximum" in node else value
        if isinstance(value, float) and "maximum" in node:
            low, high = node.get("minimum", 0), node["maximum"]
            return round(min(high, max(low, low + (high - low) * (0.3 + 0.7 * q)
                                       + rng.uniform(-0.1, 0.1) * (high - low))), 2)
        if isinstance(value, str) and "enum" in node and rng.random() < 0.3 * (1 - q):
            return rng.choice(node["enum"])
        return value


def _fix(data: dict[str, Any], rng: random.Random, q: float) -> None:
    """Keep the counts that must agree with each other consistent."""
    interview = data.get("sdm", {}).get("wawancara_pelaksana")
    if interview:
        n = interview["responden"] = max(1, interview["responden"])
        for topic in interview.get("paham", {}):
            interview["paham"][topic] = sum(rng.random() < q for _ in range(n))
    stats = data.get("pengaduan", {}).get("statistik")
    if stats:
        for done, got in (("diselesaikan", "diterima"),
                          ("diselesaikan_sp4n_lapor", "diterima_sp4n_lapor")):
            if done in stats and got in stats:
                stats[done] = min(stats[done], stats[got])
    plan = data.get("skm", {}).get("tindak_lanjut")
    if plan and "jumlah_terealisasi" in plan and "jumlah_rencana" in plan:
        plan["jumlah_terealisasi"] = min(plan["jumlah_terealisasi"], plan["jumlah_rencana"])


def _name(rng: random.Random) -> tuple[str, str]:
    place = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    kind = rng.choice(KINDS)
    return f"{kind} {place}", f"{rng.choice(REGIONS)} {place}"


def generate(count: int, out_dir: Path, seed: int = 1) -> list[Path]:
    """Write ``count`` manifests below ``out_dir``; return their paths in order."""
    rng = random.Random(seed)
    schema = json.loads(SCHEMA.read_text("utf-8"))
    templates = _load_templates()
    varier = Varier(schema, rng)
    evidence = b"%PDF-1.4\n% bukti dukung sintetis untuk benchmark patuh\n" + b"0" * 2048 + b"\n"
    paths = []
    for index in range(1, count + 1):
        folder = out_dir / f"{(index - 1) // PER_FOLDER:03d}"
        if (index - 1) % PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / EVIDENCE).write_bytes(evidence)
        quality = rng.random() ** 0.5
        template = rng.choices(templates, weights=list(TEMPLATES.values()))[0]
        data = varier.vary(copy.deepcopy(template), schema, quality)
        _fix(data, rng, quality)
        name, region = _name(rng)
        data["unit"] = {**data["unit"], "nama": name, "instansi": f"Pemerintah {region}",
                        "kode": f"u{index:05d}"}
        day = rng.randint(1, 28)
        data["periode"] = {"tahun": 2024,
                           "tanggal_penilaian": f"2024-{rng.randint(10, 12):02d}-{day:02d}"}
        path = folder / f"u{index:05d}.manifest.yaml"
        path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                  width=100), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many manifests")
    parser.add_argument("out_dir", type=Path, help="folder to write them into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    start = time.perf_counter()
    generate(args.count, args.out_dir, args.seed)
    print(f"{args.count} manifests in {args.out_dir} ({time.perf_counter() - start:.1f} s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
