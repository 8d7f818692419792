"""Server time of the operator's questionnaire pages and of a save with re-scoring, one user, on
the dpmptsp example (issue 14's budget: under 100 ms at p95 for both).

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_web.py [--requests 100]
[--profile save|page] [--no-gc-freeze]` (before timing whole runs: `.venv/bin/python -m
compileall -q checker plugins`, as a real install has its .pyc).

A fresh data folder and SQLite database in a temporary folder, made with the `patuh web`
commands' own code (``commands.setup``, then ``round_add`` and ``unit_import`` as `patuh web
round add` / `patuh web unit import` run them; the load script does the same in a helper
process); an operator of the unit signed in with Django's test client, which calls the
application in process (no network, no WSGI server: what is timed is the server's own work,
middleware, session and templates included). Timed, each ``--requests`` times:

- every questionnaire section page (GET ``/r/<round>/u/<unit>/a/<section>/``), alternating;
- the htmx save of one answer that changes the score (``standar_pelayanan.ada`` ya/tidak
  alternating), which re-scores the unit and renders the field, score panel and ladders;
- the htmx save of a typed date (``31/10/2025`` style), and a refused value (file unchanged);
- the unit overview.

The first request (questionnaire and ruleset loads, template compilation) is reported apart.
``--profile save`` (or ``page``) prints the cProfile of the saves (or pages), top 35 by
cumulative time (BENCH_SORT=tottime and BENCH_TOP=N change that).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
ROUND = "pekppp-2025"


CPU: list[float] = []  # this process's CPU time of each timed request, in order (ms)


def timed(call) -> tuple[float, object]:
    """Wall-clock ms of ``call`` (and its CPU time appended to ``CPU``: on a machine shared
    with other work, the CPU time is the steadier figure)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = call()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000, result


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(label: str, times: list[float], cpu: list[float] | None = None) -> None:
    """Wall-clock p50/p95/max of ``times``; with ``cpu`` (the same requests' CPU times),
    its p50/p95 too."""
    line = (f"{label:<36} n={len(times):<4} p50 {statistics.median(times):6.1f} ms  "
            f"p95 {percentile(times, 0.95):6.1f} ms  max {max(times):6.1f} ms")
    if cpu:
        line += f"   cpu p50 {statistics.median(cpu):6.1f}  p95 {percentile(cpu, 0.95):6.1f}"
    print(line)


def last_cpu(count: int) -> list[float]:
    return CPU[-count:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", "--saves", type=int, default=100,
                        help="requests of each kind (default 100)")
    parser.add_argument("--profile", choices=("save", "page"))
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="leave out the gc.freeze() that patuh serve does at start-up")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="patuh-bench-web-"))
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    from patuh.plugins.web import commands

    commands.setup(data, secure_cookies=False)
    quiet = io.StringIO()  # the commands echo the round's and the unit's names
    with contextlib.redirect_stdout(quiet):
        commands.round_add(data, None, "PEKPPP mandiri 2025", "pekppp", "2022", 2025, ROUND)
        commands.unit_import(data, None, ROUND, (EXAMPLE,))
    from django.contrib.auth.models import User
    from django.test import Client

    from patuh.plugins.web.answers import model_of
    from patuh.plugins.web.models import Profile
    from patuh.plugins.web.models import Unit

    unit = Unit.objects.select_related("round").get(round__slug=ROUND)
    user = User.objects.create_user("operator", password="sandi-bench-yang-panjang")
    Profile.objects.create(user=user, role="operator").units.set([unit])
    client = Client()
    client.force_login(user)
    base = f"/r/{ROUND}/u/{unit.kode}/"
    sections = [s.code for s in model_of(unit).sections]
    profiler = cProfile.Profile() if args.profile else None

    def save(path: str, value: str):
        response = client.post(base + "answer", {"path": path, "value": value},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        return response

    def page(code: str):
        response = client.get(f"{base}a/{code}/")
        assert response.status_code == 200, response.status_code
        return response

    if not args.no_gc_freeze:  # as `patuh serve` does before it answers
        gc.freeze()
    first, _ = timed(lambda: save("standar_pelayanan.ada", "tidak"))
    first_page, _ = timed(lambda: page(sections[0]))
    print(f"data folder {data}; unit {unit.kode}; {len(sections)} sections; "
          f"python {sys.version.split()[0]}")
    print(f"{'first save (cold: loads, templates)':<36} {first:7.1f} ms")
    print(f"{'first section page (cold)':<36} {first_page:7.1f} ms")
    n = args.requests

    pages: dict[str, list[float]] = {code: [] for code in sections}
    page_cpu: dict[str, list[float]] = {code: [] for code in sections}
    if profiler and args.profile == "page":
        profiler.enable()
    for _ in range(n):
        for code in sections:
            pages[code].append(timed(lambda code=code: page(code))[0])
            page_cpu[code].append(CPU[-1])
    if profiler and args.profile == "page":
        profiler.disable()
    for code in sections:
        figures(f"section page {code}", pages[code], page_cpu[code])
    figures("section pages, all", [t for times in pages.values() for t in times],
            [t for times in page_cpu.values() for t in times])

    saves = []
    if profiler and args.profile == "save":
        profiler.enable()
    for i in range(n):
        ms, response = timed(lambda i=i: save("standar_pelayanan.ada",
                                              "ya" if i % 2 == 0 else "tidak"))
        assert b"score-panel" in response.content
        saves.append(ms)
    if profiler and args.profile == "save":
        profiler.disable()
    figures("save yes/no (re-score + partials)", saves, last_cpu(n))
    dates = [timed(lambda i=i: save("standar_pelayanan.monev.tanggal",
                                    f"{10 + i % 18}/07/2024"))[0] for i in range(n)]
    figures("save a typed date", dates, last_cpu(n))
    refused = [timed(lambda: save("standar_pelayanan.monev.tanggal", "31/13/2024"))[0]
               for _ in range(max(5, n // 4))]
    figures("refused value (file unchanged)", refused, last_cpu(len(refused)))
    overview = [timed(lambda: client.get(base))[0] for _ in range(max(5, n // 4))]
    figures("unit overview", overview, last_cpu(len(overview)))
    print("budget (issue 14): a section page and a save under 100 ms at p95")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("BENCH_TOP", "35")))
        print(out.getvalue())
    from django.db import connections

    connections.close_all()
    shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
