"""Server time of the operator's answer endpoint on the dpmptsp example (target: under 300 ms
per save, the re-score and the re-rendered score panel and ladders included).

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_web.py [--saves 40]`.

A fresh data folder and SQLite database (migrated) in a temporary folder; the example is
imported as a unit of a round (as `patuh web unit import` does) and an operator of it signed in
with Django's test client, which calls the application in process (no network, no WSGI server:
what is timed is the server's own work). Each save is an htmx POST of one answer that changes
the score (standar_pelayanan.ada alternating ya/tidak, then a date typed 31/10/2025-style);
the page loads (overview, a section page) are timed too. The first request (questionnaire and
ruleset loads, template compilation) is reported apart.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def figures(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label:<34} n={len(times):<4} median {statistics.median(times):7.1f} ms   "
          f"p95 {p95:7.1f} ms   max {times[-1]:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=40)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="patuh-bench-web-"))
    os.environ["PATUH_WEB_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "patuh.plugins.web.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from patuh.plugins.web import services
    from patuh.plugins.web.models import Profile
    from patuh.plugins.web.models import Round

    call_command("migrate", verbosity=0)
    round_ = Round.objects.create(slug="pekppp-2025", name="PEKPPP mandiri 2025",
                                  ruleset="pekppp", edition="2022", year=2025)
    unit = services.import_unit(round_, EXAMPLE, user=None)
    user = User.objects.create_user("operator", password="sandi-bench-yang-panjang")
    Profile.objects.create(user=user, role="operator").units.set([unit])
    client = Client()
    client.force_login(user)
    base = f"/r/{round_.slug}/u/{unit.kode}/"

    def save(path: str, value: str):
        response = client.post(base + "answer", {"path": path, "value": value},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        return response

    first, _ = timed(lambda: save("standar_pelayanan.ada", "tidak"))
    print(f"data folder {data}; unit {unit.kode}; python {sys.version.split()[0]}")
    print(f"{'first save (cold: loads, templates)':<34} {first:7.1f} ms")
    saves = []
    for n in range(args.saves):
        ms, response = timed(lambda n=n: save("standar_pelayanan.ada",
                                              "ya" if n % 2 == 0 else "tidak"))
        assert b"score-panel" in response.content
        saves.append(ms)
    figures("save yes/no (re-score + partials)", saves)
    dates = [timed(lambda n=n: save("standar_pelayanan.monev.tanggal",
                                    f"{10 + n % 18}/07/2024"))[0] for n in range(args.saves)]
    figures("save a typed date", dates)
    refused = [timed(lambda: save("standar_pelayanan.monev.tanggal", "31/13/2024"))[0]
               for _ in range(max(5, args.saves // 4))]
    figures("refused value (file unchanged)", refused)
    pages = [timed(lambda: client.get(base + "a/pekppp.a/"))[0] for _ in range(10)]
    figures("section page pekppp.a", pages)
    overview = [timed(lambda: client.get(base))[0] for _ in range(10)]
    figures("unit overview", overview)
    print("target: a save under 300 ms of server time")
    from django.db import connections

    connections.close_all()
    shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
