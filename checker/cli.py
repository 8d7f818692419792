"""The ``patuh`` command line.

Exit codes: 0 evaluated (and any --fail-under gate met); 1 evaluated, gate not met;
2 bad input (usage, manifest, rules); 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib
import io
import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path
from typing import Any

import click

from patuh import __version__
from patuh import clicktext
from patuh import manager
from patuh.errors import InputError
from patuh.errors import ensure_folder
from patuh.habits import date_id
from patuh.habits import read_date
from patuh.i18n import Text
from patuh.i18n import named
from patuh.i18n import number as shown
from patuh.i18n import render
from patuh.manifest import load_manifest
from patuh.options import parse_date
from patuh.options import reporter
from patuh.options import rule_files
from patuh.outputs import check_store
from patuh.outputs import check_target
from patuh.outputs import write_bytes
from patuh.outputs import write_output
from patuh.report import band_text
from patuh.report import build_report
from patuh.report import estimate_note
from patuh.report import number
from patuh.report import pick_edition
from patuh.rulebook import RULESET_FILE
from patuh.rulebook import Ruleset
from patuh.rulebook import available
from patuh.rulebook import chosen_rulesets
from patuh.rulebook import find_rule
from patuh.rulebook import load_folder
from patuh.rulebook import load_ruleset
from patuh.safetext import visible
from patuh.scoring import band_for
from patuh.scoring import parse_score
from patuh.scoring import round_score
from patuh.sources import confidence_name

# Everything else a command needs (batch and its process pool, the history, editions, waivers,
# verification, rule tests, the bibliography) is imported where it is used, so that a cold
# `patuh check` pays only for what it runs (the `batch` and `history` commands themselves are
# imported when invoked: LazyGroup below).

# A rule's status, as people read it (the rule tests' lines).
STATUS = {"pass": Text("terpenuhi", "pass"), "partial": Text("sebagian", "partial"),
          "fail": Text("tidak terpenuhi", "fail"), "missing": Text("tidak ada data", "missing"),
          "not_applicable": Text("tidak berlaku", "not_applicable")}


def status_name(value: str, lang: str) -> str:
    return named(STATUS, value, lang)


LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
                    help="Bahasa keluaran / output language.")
FORMAT = click.option("--format", "fmt", default="text", show_default=True,
                      help="Format keluaran / output format: text, json, html, pdf (pdf: lewat "
                      "Chromium headless, dengan -o / through headless Chromium, with -o; "
                      "plugins may add more).")
TEXT_OR_JSON = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                            default="text", show_default=True)
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Tulis ke berkas (atomik) / write to a file (atomically).")


class LazyGroup(click.Group):
    """A command group some of whose commands live in modules imported only when the command
    is run or listed (``patuh --help``): ``lazy_commands`` maps a name to ``module:attribute``.
    A command added with ``add_command`` under the same name wins."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy_commands:
            command = _lazy_command(self.lazy_commands[cmd_name])
        return command


@functools.cache
def _lazy_command(spec: str) -> click.Command:
    module, _, attribute = spec.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command), spec
    return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             lazy_commands={"batch": "patuh.batch:batch_command",
                            "history": "patuh.history:history_command"})
@click.version_option(__version__, prog_name="patuh")
@click.option("--debug", is_flag=True, help="Tampilkan traceback / show tracebacks.")
def cli(debug: bool) -> None:
    """patuh — pemeriksa kepatuhan pelayanan publik (rules-as-code).

    Compliance checker for Indonesian public-service regulation.
    """


@cli.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--ruleset", "ruleset_ids", multiple=True,
              help="Ruleset yang diperiksa (boleh berulang; `all`: semua; bawaan: yang ditandai "
              "default) / ruleset to check (repeatable; `all`: every one; default: those "
              "marked default).")
@click.option("--as-of", help="Tanggal evaluasi / evaluation date (YYYY-MM-DD).")
@click.option("--edition", help="Sematkan edisi / pin an edition.")
@FORMAT
@OUTPUT
@LANG
@click.option("--fail-under", help="Keluar dengan kode 1 bila predikat di bawah pita ini "
              "(kode pita, mis. B, atau nilai) / exit 1 below this band (code or score).")
@click.option("--waivers", "waivers_file", type=click.Path(path_type=Path),
              help="Berkas pengecualian / waivers file (rule, unit, reason, owner, expiry…).")
@click.option("--verification", "verification_file", type=click.Path(path_type=Path),
              help="Berkas verifikasi evaluator / evaluator's verification file.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path),
              help="Simpan hasil ke riwayat SQLite / keep the result in a SQLite history.")
@click.option("--approval-evaluator", help="Blok pengesahan (html/pdf): nama evaluator / "
              "approval block (html/pdf): the evaluator's name.")
@click.option("--approval-date", help="Blok pengesahan: tanggal / approval block: date.")
@click.option("--approval-place", help="Blok pengesahan: tempat / approval block: place.")
def check(manifest: Path, ruleset_ids: tuple[str, ...], as_of: str | None, edition: str | None,
          fmt: str, output: Path | None, lang: str, fail_under: str | None,
          waivers_file: Path | None, verification_file: Path | None,
          store: Path | None, approval_evaluator: str | None, approval_date: str | None,
          approval_place: str | None) -> None:
    """Periksa satu unit / check one unit's manifest.

    `--format pdf` (dengan -o) mencetak laporan HTML lewat Chromium headless / (with -o)
    prints the HTML report through headless Chromium."""
    pdf = fmt == "pdf" and fmt not in manager.reporters()  # a plugin's own "pdf" wins
    if pdf and output is None:
        raise InputError(Text("--format pdf menulis berkas: sebutkan -o LAPORAN.pdf",
                              "--format pdf writes a file: give -o REPORT.pdf"))
    approval = approval_block(approval_evaluator, approval_date, approval_place, lang)
    if approval and fmt not in ("html", "pdf"):
        raise InputError(Text(f"--approval-* hanya untuk --format html atau pdf, bukan {fmt!r}",
                              f"--approval-* is for --format html or pdf only, not {fmt!r}"))
    render_report = reporter("html" if pdf else fmt)
    as_of_date = parse_date(as_of, "--as-of")
    if fail_under is not None:  # a bad score stops here, before any work; band codes later
        with contextlib.suppress(InvalidOperation):
            parse_score(fail_under)
    loaded = load_manifest(manifest)
    waivers = verification = None
    if waivers_file:
        from patuh.waivers import load_waivers

        waivers = load_waivers(waivers_file)
    if verification_file:
        from patuh.verification import load_verification

        verification = load_verification(verification_file)
    def inputs() -> Iterator[Path]:
        yield from loaded.input_files()
        yield from (p for p in (waivers_file, verification_file) if p is not None)
        yield from rule_files()

    if output is not None:
        check_target(output, inputs)  # before any work: refused paths cost nothing
        if store is not None and os.path.abspath(output) == os.path.abspath(store):
            raise InputError(Text("-o dan --store menunjuk berkas yang sama",
                                  "-o and --store name the same file"), file=output,
                             hint=Text("tulis laporan dan riwayat ke dua berkas berbeda",
                                       "write the report and the history to two files"))
    if store is not None:
        check_store(store, lambda: (*inputs(), *([output] if output else [])))
    reports = []
    skipped: list[tuple[str, InputError]] = []
    wanted = list(chosen_rulesets(ruleset_ids))
    several = len(wanted) > 1
    if several:  # a ruleset not in force is skipped, as `patuh batch` does
        from patuh.inforce import not_in_force
        from patuh.inforce import skip_entry
        from patuh.inforce import skip_list
        from patuh.inforce import skip_note
    for ruleset_id in wanted:
        ruleset = load_ruleset(ruleset_id)
        if several and edition is None:  # one of several: a ruleset not in force is skipped
            reason = not_in_force(ruleset, loaded.as_of(as_of_date)[0])
            if reason is not None:
                skipped.append((ruleset_id, reason))
                click.echo(visible(render(skip_note(ruleset_id, reason), lang)), err=True)
                continue
        report = build_report(loaded, ruleset, as_of=as_of_date, edition_name=edition,
                              waivers=waivers, verification=verification)
        for key in ("waivers", "verification"):
            for warning in (report.get(key) or {}).get("warnings", []):
                click.echo(visible(f"patuh: {Text.of(warning).get(lang)}"), err=True)
        if store is not None:
            from patuh import history

            outcome = history.store(store, report)
            click.echo(f"patuh: {ruleset.id} → {store}: {outcome}", err=True)
        reports.append((ruleset, report))
    if not reports:  # every ruleset asked for was skipped: nothing was checked
        raise InputError(Text("tidak ada ruleset yang berlaku pada tanggal evaluasi",
                              "no ruleset is in force on the evaluation date"),
                         file=manifest,
                         hint=Text(skip_list(skipped, "id"), skip_list(skipped, "en")))
    if len(reports) == 1 and not (skipped and fmt in ("json", "text")):
        text = render_report({**reports[0][1], **({"approval": approval} if approval else {})},
                             lang)
    elif fmt not in ("json", "text"):
        raise InputError(Text(f"format {fmt!r} memuat satu ruleset per berkas",
                              f"format {fmt!r} holds one ruleset per file"),
                         hint=Text("pilih satu --ruleset, atau pakai `patuh batch -o FOLDER`",
                                   "pick one --ruleset, or use `patuh batch -o FOLDER`"))
    elif fmt == "json":
        bundle: dict[str, Any] = {"schema_version": 1, "reports": [r for _, r in reports]}
        if skipped:
            bundle["skipped"] = [skip_entry(r, reason) for r, reason in skipped]
        text = json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    else:
        text = "\n".join(render_report(r, lang) for _, r in reports)
        if skipped:
            text += "\n" + "".join(visible(render(skip_note(r, reason), lang)) + "\n"
                                   for r, reason in skipped)
    protect = lambda: (*inputs(), *([store] if store else []))  # noqa: E731
    if pdf and output is not None:
        from patuh.plugins.html import html_to_pdf

        write_bytes(output, html_to_pdf(text), inputs=protect)
    else:
        write_output(text, output, protect=protect, fmt=fmt)
    if fail_under is not None:
        gates = [(ruleset, report, gate_threshold(ruleset, report, fail_under))
                 for ruleset, report in reports]
        gates = [g for g in gates if g[2] is not None]
        if not gates:
            codes = "; ".join(f"{r.id}: " + ", ".join(b.code for b in r.edition_named(
                rep["ruleset"]["edition"]).bands) for r, rep in reports)
            raise InputError(Text(f"--fail-under: {fail_under!r} bukan kode pita atau nilai",
                                  f"--fail-under: {fail_under!r} is neither a band code nor a "
                                  "score"),
                             hint=Text(f"kode pita: {codes}", f"band codes: {codes}"))
        for ruleset, report, threshold in gates:
            final = report["score"]["final"]
            if final is None or Decimal(str(final)) < threshold:
                code = (report["predicate"] or {}).get("code", "—")
                click.echo(render(Text(f"gagal: {ruleset.id} {code} di bawah {fail_under}",
                                       f"failed: {ruleset.id} {code} is below {fail_under}"),
                                  lang), err=True)
                sys.exit(1)


def approval_block(evaluator: str | None, day: str | None, place: str | None,
                   lang: str) -> dict[str, str] | None:
    """The approval block's fields for the HTML report (None when none is given); the date
    read as people write it (``habits.read_date``) and shown in the report's language."""
    if not any((evaluator, day, place)):
        return None
    block = {"evaluator": (evaluator or "").strip(), "place": (place or "").strip()}
    if day:
        read = read_date(day)
        if read is None:
            raise InputError(Text(f"--approval-date: {day!r} bukan tanggal yang terbaca",
                                  f"--approval-date: {day!r} is not a readable date"),
                             hint=Text("tulis mis. 2024-11-05 atau 5 November 2024",
                                       "write e.g. 2024-11-05 or 5 November 2024"))
        block["date"] = read[0].isoformat()
        block["date_text"] = date_id(read[0]) if lang != "en" else read[0].isoformat()
    return block


def gate_threshold(ruleset: Any, report: dict[str, Any], value: str) -> Decimal | None:
    """The lowest passing score for ``value`` (a band code or a score) in this report's
    edition; None when it names no band of this ruleset (a gate for another ruleset)."""
    edition = ruleset.edition_named(report["ruleset"]["edition"])
    for band in edition.bands:
        if band.code.lower() == value.strip().lower():
            return band.min
    try:
        return parse_score(value)
    except InvalidOperation:
        return None


@cli.command()
@click.argument("ruleset_id", metavar="RULESET")
@click.argument("value")
@click.option("--edition", help="Edisi / edition.")
@click.option("--as-of", help="Tanggal yang menentukan edisi / date that picks the edition.")
@TEXT_OR_JSON
@LANG
def predicate(ruleset_id: str, value: str, edition: str | None, as_of: str | None, fmt: str,
              lang: str) -> None:
    """Predikat untuk sebuah nilai / the band for a score of a ruleset."""
    ruleset = load_ruleset(ruleset_id)
    day = parse_date(as_of, "--as-of") or date.today()
    chosen = pick_edition(ruleset, day, edition, complete=False)
    try:
        score = parse_score(value)
    except InvalidOperation:
        raise InputError(Text(f"{value!r} bukan angka", f"{value!r} is not a number")) from None
    low, high = chosen.score_range
    if not score.is_finite() or not low <= score <= high:
        raise InputError(Text(f"nilai {value} di luar rentang {low}–{high}",
                              f"score {value} is outside the range {low}–{high}"))
    rounded = round_score(score, chosen.rounding)
    band = band_for(chosen, rounded)
    if band is None:
        raise InputError(Text(f"edisi {ruleset.id} {chosen.edition} tidak memuat tabel predikat",
                              f"edition {ruleset.id} {chosen.edition} has no band table"))
    estimate = estimate_note(ruleset, chosen, day) if as_of else None
    if fmt == "json":
        click.echo(json.dumps({
            "ruleset": ruleset.id, "edition": chosen.edition, "value": number(score, 6),
            "rounded": number(rounded, int(chosen.rounding["places"])), "code": band.code,
            "label": band.label.id, "label_en": band.label.en, "min": number(band.min),
            "estimate": None if estimate is None else estimate.as_dict(),
            **{k: v for k, v in band.extra.items()}}, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(band_text(band, lang))
        if estimate is not None:
            click.echo(estimate.get(lang), err=True)


def _form_writer(fmt: str) -> Any:
    formats = manager.manifest_formats()
    if fmt not in formats:
        known = ", ".join(sorted(formats))
        raise InputError(Text(f"format formulir tidak dikenal {fmt!r}",
                              f"unknown form format {fmt!r}"),
                         hint=Text(f"yang tersedia: {known}", f"available: {known}"))
    return formats[fmt]


def _questionnaire(ruleset_ids: tuple[str, ...], day: date) -> Any:
    from patuh.questionnaire import for_day

    return for_day(ruleset_ids, day)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--format", "fmt", default="yaml", show_default=True,
              help="Bentuk formulir / form: yaml, xlsx (plugins may add more).")
@click.option("--ruleset", "ruleset_ids", multiple=True,
              help="Hanya pertanyaan ruleset ini (boleh berulang) / only this ruleset's "
              "questions (repeatable); default: all.")
@click.option("--as-of", help="Tanggal yang menentukan edisi (bawaan: hari ini) / date that "
              "picks the editions (default: today).")
@click.option("--force", is_flag=True, help="Timpa berkas yang ada / overwrite.")
@LANG
def init(folder: Path, fmt: str, ruleset_ids: tuple[str, ...], as_of: str | None,
         force: bool, lang: str) -> None:
    """Tulis formulir manifest dari aturan / write a manifest form from the rules."""
    from patuh.template import placeholders

    writer = _form_writer(fmt)
    day = parse_date(as_of, "--as-of") or date.today()
    target = folder / f"manifest.{fmt}"
    if target.exists() and not force:
        raise InputError(Text("sudah ada; tidak ditimpa", "already exists; not overwritten"),
                         file=target, hint=Text("pakai --force untuk menimpa",
                                                "use --force to overwrite"))
    model = _questionnaire(ruleset_ids, day)
    ensure_folder(folder)
    write_bytes(target, writer(model, placeholders(day.year), lang))
    click.echo(f"{target}")
    # the next step, for a person (stdout stays the path alone, for scripts)
    click.echo(Text(f"Isi jawabannya (yang kosong berarti tidak ada data), simpan bukti dukung di "
                    f"{folder}, lalu periksa: patuh check {target}",
                    f"Fill in the answers (empty means no data), keep the evidence files in "
                    f"{folder}, then check: patuh check {target}").get(lang), err=True)


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Timpa berkas tujuan / overwrite the target.")
@LANG
def convert(source: Path, target: Path, force: bool, lang: str) -> None:
    """Ubah manifest antara YAML dan XLSX / convert a manifest between YAML and XLSX."""
    writer = _form_writer(target.suffix.lower().lstrip(".").replace("yml", "yaml"))
    manifest = load_manifest(source)
    if target.exists() and not force:
        raise InputError(Text("sudah ada; tidak ditimpa", "already exists; not overwritten"),
                         file=target, hint=Text("pakai --force untuk menimpa",
                                                "use --force to overwrite"))
    day, _source = manifest.as_of(None)
    model = _questionnaire((), day)
    write_bytes(target, writer(model, manifest.data, lang), inputs=manifest.input_files(),
                option="TARGET")
    click.echo(f"{target}")


@cli.group()
def rules() -> None:
    """Daftar, tampilkan dan validasi aturan / list, show and validate rules."""


@rules.command("list")
@click.option("--ruleset", "ruleset_id", help="Hanya ruleset ini / only this ruleset.")
@click.option("--as-of", help="Versi yang berlaku pada tanggal ini / versions in force then.")
@LANG
def rules_list(ruleset_id: str | None, as_of: str | None, lang: str) -> None:
    """Daftar aturan / list rules."""
    from patuh.editions import weight_shares

    day = parse_date(as_of, "--as-of") or date.today()
    ids = [ruleset_id] if ruleset_id else sorted(available())
    for rid in ids:
        ruleset = load_ruleset(rid)
        click.echo(f"{ruleset.id}: {ruleset.title.get(lang)} ({len(ruleset.rules)})")
        shares = weight_shares(ruleset, day)
        for rule in ruleset.rules:
            version = rule.version_at(day) or rule.versions[-1]
            conf = confidence_name(version.source.get("confidence", ""), lang)
            click.echo(f"  {rule.id:<22} v{version.version}  {version.aspect or rule.aspect}  "
                       f"{_share(shares.get(rule.id), version.weight, lang):>8}  {conf:<11}  "
                       f"{rule.title.get(lang)}")


def _share(share: Decimal | None, weight: Decimal, lang: str) -> str:
    """A rule's share of its aspect in percent (``11,11%``: equal weights 1 of 9), or its bare
    weight when it is not scored in the edition in force."""
    if share is None:
        return f"{'weight' if lang == 'en' else 'bobot'} {shown(weight.normalize(), lang)}"
    rounded = share.quantize(Decimal("0.01")).normalize()
    return f"{shown(rounded, lang)}%"


@rules.command("show")
@click.argument("rule_id")
@TEXT_OR_JSON
@LANG
def rules_show(rule_id: str, fmt: str, lang: str) -> None:
    """Tampilkan satu aturan / show one rule."""
    from patuh.sources import bibliography
    from patuh.sources import cited_keys

    rule = find_rule(rule_id)
    if fmt == "json":
        data = {"id": rule.id, "ruleset": rule.ruleset, "aspect": rule.aspect,
                "title": rule.title.as_dict(), "guidance": rule.guidance.as_dict(),
                "file": rule.file.name,
                "versions": [dict(v.raw) for v in rule.versions],
                "bibliography": {e.key: e.as_dict() for e in bibliography().resolve(
                    cited_keys([v.raw for v in rule.versions]))}}
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
        return
    from patuh.i18n import number
    from patuh.sources import tag_name
    from patuh.sources import tagged_text

    t = lang
    en = lang == "en"
    click.echo(f"{rule.id} — {rule.title.get(t)}")
    click.echo(f"  {rule.guidance.get(t)}")
    for v in rule.versions:
        until = v.period.until or "…"
        click.echo(f"\n{'version' if en else 'versi'} {v.version}: {v.period.start} – {until}; "
                   f"{'weight' if en else 'bobot'} {number(v.weight, lang, group=False)}%")
        for level in v.levels:
            click.echo(f"  {level.level}: {level.title.get(t)}")
        for name, elements in v.elements.items():
            click.echo(f"  [{name}] " + "; ".join(e.title.get(t) for e in elements))
        click.echo(f"  {'evidence' if en else 'bukti'}: {v.evidence.get(t)}")
        src = v.source
        click.echo(f"  {'source' if en else 'sumber'}: {src.get('regulation')} — "
                   f"{confidence_name(src.get('confidence'), lang)} "
                   + (f"[{tag_name(src['reference_tag'], lang)}] "
                      if src.get("reference_tag") else "")
                   + f"(`{src.get('reference')}`)")
        _show_citation(src, available()[rule.ruleset].parent, t)
        for caveat in src.get("caveats", []):
            click.echo(f"    ! {tagged_text(caveat[t], lang)}")
        for note in v.notes:
            click.echo(f"  {'note' if en else 'catatan'}: {note.get(t)}")


def _show_citation(source: Any, root: Path, lang: str) -> None:
    """The documentation page a source's ``reference`` names, and each cited source's title
    and URL(s), from the rule folders' bibliography."""
    from patuh.sources import bibliography
    from patuh.sources import reference_page

    page = reference_page(root, str(source.get("reference", "")))
    if page is not None:
        click.echo(f"    {'dokumentasi' if lang == 'id' else 'documentation'}: "
                   f"`{source['reference']}` — {page}")
    bib = bibliography()
    for key in source.get("sources", []):
        entry = bib.get(key)
        if entry is None:
            click.echo(f"    [{key}] " + ("(tidak ada di bibliografi)" if lang == "id"
                                          else "(not in the bibliography)"))
            continue
        click.echo(f"    [{key}] {entry.title.get(lang)} — {entry.publisher.get(lang)}")
        for url in entry.urls:
            click.echo(f"        {url}")
        if not entry.urls:
            note = entry.url_note.get(lang) if entry.url_note else None
            click.echo(f"        ({note or ('tanpa URL' if lang == 'id' else 'no URL')})")


def ruleset_folders(path: Path | None) -> list[Path]:
    """The ruleset folders a PATH names: all installed ones, one ruleset folder or draft (or a
    file in it), or a folder of ruleset folders."""
    if path is None:
        return list(available().values())
    if (path / RULESET_FILE).exists():
        return [path]
    if path.is_file():
        folder = path.parent
        while not (folder / RULESET_FILE).exists() and folder != folder.parent:
            folder = folder.parent
        # a rule file with no ruleset.yaml above it: its folder is a draft
        return [folder if (folder / RULESET_FILE).exists() else path.parent]
    folders = sorted(p.parent for p in path.glob(f"*/{RULESET_FILE}"))
    # no ruleset folder in it: a draft of rule files (reading it says, within bounded time,
    # when it holds none)
    return folders or [path]


def ruleset_of(folder: Path, lang: str) -> tuple[Ruleset, str]:
    """The ruleset in ``folder`` (a draft laid over the installed ruleset, as ``rules diff``
    reads it) and how to name it in a line of output."""
    ruleset, draft = load_folder(folder)
    if not draft:
        return ruleset, ruleset.id
    over = ("draft {} over the installed ruleset" if lang == "en"
            else "rancangan {} di atas ruleset terpasang").format(folder)
    return ruleset, f"{ruleset.id} ({over})"


@rules.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@LANG
def rules_validate(path: Path | None, lang: str) -> None:
    """Validasi berkas aturan / validate rule files (a ruleset folder or a folder of them)."""
    if path is None:
        from patuh.sources import bibliography

        bibliography()  # the installed folders' bibliographies agree on every key
    for folder in ruleset_folders(path):
        ruleset, name = ruleset_of(folder, lang)
        click.echo(f"OK {name}: {shown(len(ruleset.rules), lang)} "
                   f"{'rules' if lang == 'en' else 'aturan'}, "
                   f"{shown(len(ruleset.editions), lang)} "
                   f"{'editions' if lang == 'en' else 'edisi'}")


@rules.command("test")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@LANG
def rules_test(path: Path | None, lang: str) -> None:
    """Jalankan contoh dan kasus uji tiap aturan / run every rule's examples and test cases.

    Exit 1 when a case fails or a rule lacks a passing or a failing case."""
    from patuh.ruletests import coverage_gaps
    from patuh.ruletests import run_cases

    failed = uncovered = total = 0
    for folder in ruleset_folders(path):
        ruleset, _name = ruleset_of(folder, lang)
        for rule in ruleset.rules:
            runs = run_cases(rule)
            total += len(runs)
            for run in runs:
                if run.ok:
                    continue
                failed += 1
                score = "score" if lang == "en" else "nilai"
                want = (f"{score} {shown(run.expected_score, lang)}"
                        if run.expected_score is not None else f"level {run.expected_level}")
                got = (f"{score} {shown(run.actual_score, lang)}"
                       if run.expected_score is not None else f"level {run.result.level}")
                status = (f" / {status_name(run.expected_status, lang)}"
                          if run.expected_status else "")
                click.echo(f"{'FAIL' if lang == 'en' else 'GAGAL'} {rule.id} "
                           f"v{run.version.version} [{run.name}]: "
                           f"{'expected' if lang == 'en' else 'diharapkan'} {want}{status}, "
                           f"{'got' if lang == 'en' else 'didapat'} {got} / "
                           f"{status_name(run.result.status, lang)}  ({rule.file})")
                deciding = run.result.next_level
                if deciding is not None:
                    click.echo(f"     {'decided by level' if lang == 'en' else 'ditentukan level'}"
                               f" {deciding.level} ({deciding.title.get(lang)}):")
                for unmet in run.result.unmet:
                    click.echo(f"       - {unmet.message.get(lang)}")
            for gap in coverage_gaps(rule, runs):
                uncovered += 1
                click.echo(f"{'GAP ' if lang == 'en' else 'KURANG'} {rule.id}: {gap.get(lang)}"
                           f"  ({rule.file})")
    passed, failed_, uncovered_ = (shown(n, lang) for n in (total - failed, failed, uncovered))
    summary = (f"{passed} passed, {failed_} failed" if lang == "en"
               else f"{passed} lulus, {failed_} gagal")
    # a gap: a rule without a passing or without a failing case ("0 celah" reads oddly)
    if lang == "en":
        summary += f"; {uncovered_} gaps"
    else:
        summary += (f"; {uncovered_} aturan kurang kasus uji" if uncovered
                    else "; cakupan uji lengkap")
    click.echo(summary)
    if failed or uncovered:
        sys.exit(1)


@rules.command("diff")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@TEXT_OR_JSON
@OUTPUT
@LANG
def rules_diff(first: str, second: str, fmt: str, output: Path | None, lang: str) -> None:
    """Beda dua edisi / what changed between two editions (RULESET@EDITION, or a folder)."""
    from patuh.editions import diff
    from patuh.editions import render_diff
    from patuh.editions import resolve
    from patuh.editions import snapshot

    a, b = resolve(first), resolve(second)
    result = diff(snapshot(a), snapshot(b))
    text = (json.dumps(result, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n"
            if fmt == "json" else render_diff(result, lang))
    write_output(text, output, protect=lambda: (
        *a.ruleset.folder.rglob("*.yaml"), *b.ruleset.folder.rglob("*.yaml"), *rule_files()),
        fmt=fmt)


@rules.command("impact")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(path_type=Path))
@TEXT_OR_JSON
@OUTPUT
@LANG
def rules_impact(first: str, second: str, manifests: tuple[Path, ...], fmt: str,
                 output: Path | None, lang: str) -> None:
    """Nilai unit di dua edisi / re-score units under two editions (or a draft).

    A manifest that cannot be read or scored is an error row; the other units go on, the
    summary counts it, and the command exits 2 after writing its output."""
    from patuh.editions import impact
    from patuh.editions import render_impact
    from patuh.editions import resolve
    from patuh.editions import summarize

    a, b = resolve(first), resolve(second)
    units = impact(a, b, list(manifests))
    summary = summarize(units)
    text = (json.dumps({"from": a.label, "to": b.label, "units": units, "summary": summary},
                       ensure_ascii=False, sort_keys=True, indent=2) + "\n"
            if fmt == "json" else render_impact(a, b, units, lang))

    def inputs() -> Iterator[Path]:
        for path in manifests:
            yield Path(path)
            with contextlib.suppress(InputError):  # an error row: its files are not read
                yield from load_manifest(path).input_files()
        for ref in (a, b):
            yield from ref.ruleset.folder.rglob("*.yaml")
        yield from rule_files()

    write_output(text, output, protect=inputs, fmt=fmt)
    if summary["errors"]:
        click.echo(render(Text(
            f"patuh: {summary['errors']} dari {summary['units']} manifest tidak dapat dinilai "
            "(baris KESALAHAN di atas)",
            f"patuh: {summary['errors']} of {summary['units']} manifests could not be scored "
            "(the ERROR rows above)"), lang), err=True)
        sys.exit(2)


@rules.command("docs")
@click.argument("ruleset_id", metavar="RULESET", required=False)
@click.option("--edition", help="Hanya edisi ini / only this edition.")
@click.option("--bibliography", is_flag=True,
              help="Tulis halaman bibliografi (sources.yaml) / write the bibliography pages "
                   "(e.g. -o docs/sources).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder tujuan (bawaan: docs/rules; untuk folder rancangan: FOLDER/docs) / "
                   "target folder (default: docs/rules; for a draft folder: FOLDER/docs).")
def rules_docs(ruleset_id: str | None, edition: str | None, bibliography: bool,
               out_dir: Path | None) -> None:
    """Rujukan aturan dari berkas aturan / a reference generated from the rule files.

    RULESET is an installed ruleset's id, or a folder: a draft of changed rule files (laid
    over the installed ruleset, as `rules diff` reads it) or a ruleset folder of its own."""
    from patuh.ruledocs import write_bibliography
    from patuh.ruledocs import write_docs

    if bibliography and (ruleset_id is not None or edition is not None):
        raise InputError(Text("--bibliography tidak memakai RULESET atau --edition",
                              "--bibliography takes no RULESET or --edition"),
                         hint=Text("contoh: patuh rules docs --bibliography -o docs/sources",
                                   "e.g. patuh rules docs --bibliography -o docs/sources"))
    folder = Path(ruleset_id) if ruleset_id is not None and ruleset_id not in available() \
        else None
    if folder is not None and folder.is_dir():
        ruleset, draft = load_folder(folder)
        target = out_dir or (folder / "docs" if draft else Path("docs/rules"))
        paths = write_docs(ruleset.id, edition, target, ruleset=ruleset)
    elif bibliography:
        paths = write_bibliography(out_dir or Path("docs/rules"))
    else:
        paths = write_docs(ruleset_id, edition, out_dir or Path("docs/rules"))
    for path in paths:
        click.echo(str(path))




def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command | str]:
    """Every command below ``group`` by its full name; a command not imported yet (LazyGroup)
    stands as its ``module:attribute``."""
    lazy = group.lazy_commands if isinstance(group, LazyGroup) else {}
    found: dict[str, click.Command | str] = {}
    for name, command in {**lazy, **group.commands}.items():
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found.update(_commands(command, f"{prefix}{name} "))
    return found


_BUILT_IN_COMMANDS: dict[str, click.Command | str] | None = None


def add_plugin_commands() -> None:
    """Let each plugin add its commands; one that replaces or removes a command already there
    (a built-in such as ``check``, or another plugin's) is refused, naming both."""
    global _BUILT_IN_COMMANDS
    if _BUILT_IN_COMMANDS is None:
        _BUILT_IN_COMMANDS = _commands(cli)
    else:  # main() called again in the same process (tests): start from the built-ins
        groups: dict[str, click.Group] = {"": cli}
        groups.update({n: c for n, c in _BUILT_IN_COMMANDS.items()
                       if isinstance(c, click.Group)})
        for prefix, group in groups.items():
            group.commands = {
                leaf: command for leaf in group.commands
                if isinstance(command := _BUILT_IN_COMMANDS.get(f"{prefix} {leaf}".strip()),
                              click.Command)}
            for name, command in _BUILT_IN_COMMANDS.items():
                parent, _, leaf = name.rpartition(" ")
                if parent == prefix and isinstance(command, click.Command):
                    group.commands[leaf] = command
    owner = dict.fromkeys(_BUILT_IN_COMMANDS, "patuh")
    hook = manager.get_plugin_manager().hook.patuh_add_commands
    for impl in hook.get_hookimpls()[::-1]:
        before = _commands(cli)
        impl.function(cli=cli)
        after = _commands(cli)
        replaced = sorted(n for n, c in after.items() if n in before and before[n] is not c)
        removed = sorted(set(before) - set(after))
        for name in replaced + removed:
            verb = ("mengganti", "replaces") if name in replaced else ("menghapus", "removes")
            raise manager.PluginError(Text(
                f"plugin {impl.plugin_name!r} {verb[0]} perintah `patuh {name}` milik "
                f"{owner.get(name, '?')!r}; ditolak",
                f"plugin {impl.plugin_name!r} {verb[1]} the command `patuh {name}` of "
                f"{owner.get(name, '?')!r}; refused"),
                hint=Text("beri perintah plugin nama lain, atau copot plugin tersebut",
                          "give the plugin's command another name, or uninstall it"))
        for name in set(after) - set(before):
            owner[name] = impl.plugin_name


def _print_traceback() -> None:
    import traceback  # --debug only

    traceback.print_exc()


def _language(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("PATUH_LANG", "id")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _language(args)
    debug = "--debug" in args
    clicktext.speak(lang)
    try:
        add_plugin_commands()
        cli.main(args=args, prog_name="patuh", standalone_mode=False)
    except InputError as exc:
        if debug:
            _print_traceback()
        click.echo(visible(f"patuh: {exc.render(lang)}"), err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("patuh: dibatalkan / aborted", err=True)
        return 2
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)
        click.echo(visible(shown.getvalue()), err=True, nl=False)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return int(exc.code or 0)
        click.echo(visible(f"patuh: {exc.code}"), err=True)
        return 2
    except OSError as exc:  # the system refused a path the user gave (too long, gone, denied)
        if debug:
            _print_traceback()
        where = f"{exc.filename}: " if exc.filename else ""
        reason = exc.strerror or str(exc)
        click.echo(visible(render(Text(
            f"patuh: {where}jalur tidak dapat dipakai: {reason}",
            f"patuh: {where}the path cannot be used: {reason}"), lang)), err=True)
        return 2
    except Exception as exc:  # a bug, not a user mistake
        if debug:
            _print_traceback()
        click.echo(visible(render(Text(
            f"patuh: kesalahan internal: {type(exc).__name__}: {exc} (jalankan ulang dengan "
            "--debug dan laporkan)",
            f"patuh: internal error: {type(exc).__name__}: {exc} (rerun with --debug and "
            "report it)"), lang)), err=True)
        return 3
    return 0


def run() -> None:
    """Console-script entry point."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the interpreter's own exit reports it
        sys.exit(code)
    if _nothing_left_at_exit():
        # The interpreter's teardown frees every module and object one by one: a quarter of a
        # one-unit check (~25 ms), for a process that ends anyway. Our files are written and
        # closed by now (`with` blocks, atomic renames) and the output is flushed above.
        os._exit(code)
    sys.exit(code)


def _nothing_left_at_exit() -> bool:
    """No exit handler registered (a plugin's, coverage's, a process pool's) and no other
    thread running: then ending the process at once loses nothing."""
    pending = getattr(atexit, "_ncallbacks", None)  # CPython; elsewhere: exit normally
    if pending is None or pending() != 0:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


if __name__ == "__main__":
    run()
