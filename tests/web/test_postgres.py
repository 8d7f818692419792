"""`patuh serve --database postgresql://…` for a shared server: the commands and the server on
a real PostgreSQL (Debian's, started by .ci/run). The whole platform suite also runs against it
(`make test` runs tests/web a second time with PATUH_WEB_DATABASE_URL set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from postgres_databases import fresh_databases

SERVER = os.environ.get("PATUH_TEST_POSTGRES_URL", "")
PATUH = [sys.executable, "-m", "patuh"]
PASSWORD = "sandi-uji-yang-panjang-7"

pytestmark = pytest.mark.skipif(
    not SERVER and not os.environ.get("PATUH_REQUIRE_POSTGRES"),
    reason="no PostgreSQL: set PATUH_TEST_POSTGRES_URL=postgresql://user:pw@host/db "
           "(.ci/run starts Debian's and sets it)")


@pytest.fixture
def fresh_database():
    """A database of its own, dropped afterwards."""
    assert SERVER, "PATUH_REQUIRE_POSTGRES is set but PATUH_TEST_POSTGRES_URL is not"
    with fresh_databases(SERVER, "patuh_serve") as (url,):
        yield url


def patuh(*args: object, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PATUH_WEB_DATABASE_URL"}
    return subprocess.run([*PATUH, *map(str, args)], input=stdin, capture_output=True,
                          text=True, timeout=180, env=env)


def test_a_shared_server_on_postgresql(tmp_path: Path, fresh_database: str) -> None:
    import socket

    import psycopg

    data, url = tmp_path / "data", fresh_database
    made = patuh("web", "round", "add", "PEKPPP 2025", "--ruleset", "pekppp", "--edition", "2022",
                 "--period", "2025", "--data", data, "--database", url)
    assert made.returncode == 0, made.stderr
    example = Path(__file__).resolve().parents[2] / "examples" / "puskesmas-sukamaju"
    imported = patuh("web", "unit", "import", "pekppp-2025", example, "--data", data,
                     "--database", url)
    assert imported.returncode == 0, imported.stderr
    added = patuh("web", "user", "add", "bagor", "--role", "admin", "--data", data,
                  "--database", url, stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    token = patuh("web", "token", "bagor", "--data", data, "--database", url).stdout.strip()
    assert not (data / "db.sqlite3").exists()  # the rows went to PostgreSQL
    with psycopg.connect(url) as db:
        assert db.execute("SELECT slug FROM patuh_web_round").fetchall() == [("pekppp-2025",)]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PATUH_WEB_DATABASE_URL"}
    server = subprocess.Popen([*PATUH, "serve", "--data", str(data), "--port", str(port),
                               "--database", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    try:
        summary_url = f"http://127.0.0.1:{port}/api/v1/rounds/pekppp-2025/summary"
        request = urllib.request.Request(summary_url,
                                         headers={"Authorization": f"Bearer {token}"})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    summary = json.load(response)
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"the server did not answer: {server.stderr.read()}")
                time.sleep(0.3)
        (unit,) = summary["units"]
        assert unit["kode"] == "pkm-sukamaju" and unit["predicate"]["code"] == "B-"
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    refused = patuh("web", "token", "x", "--data", tmp_path, "--database", "mysql://a@b/c")
    assert refused.returncode == 2 and "postgresql://" in refused.stderr
    unreachable = patuh("web", "token", "x", "--data", tmp_path, "--database",
                        "postgresql://nobody:salah@127.0.0.1:1/tidak_ada")
    assert unreachable.returncode == 2 and "Traceback" not in unreachable.stderr
    assert "basis data tidak dapat dipakai" in unreachable.stderr
