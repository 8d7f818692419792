"""Load and faults, briefly: a few operators saving answers and uploading evidence over HTTP
while `patuh serve` is SIGKILLed and restarted — nothing acknowledged is lost, no temporary
file is left, the evidence index equals the manifests. The driver is the benchmark's
(benchmarks/bench_web_load.py); timings are printed by it, never asserted here."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import sys
from pathlib import Path

import pytest
from postgres_databases import fresh_databases

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_web_load.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_web_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_web_load", module)
    spec.loader.exec_module(module)
    return module


bench = _bench()

# The suite runs once on SQLite and, under `make test` with PostgreSQL, once more with
# PATUH_WEB_DATABASE_URL set: each run drives the server on its own database.
ON_POSTGRES = bool(os.environ.get("PATUH_WEB_DATABASE_URL"))


@pytest.fixture
def database():
    """None (SQLite in the data folder), or a fresh PostgreSQL database dropped afterwards."""
    if not ON_POSTGRES:
        yield None
        return
    server = os.environ.get("PATUH_TEST_POSTGRES_URL") or os.environ["PATUH_WEB_DATABASE_URL"]
    with fresh_databases(server, "patuh_load") as (url,):
        yield url


def test_a_killed_server_loses_nothing_acknowledged(database, capsys) -> None:
    result = bench.run(seconds=8, operators=5, viewers=1, database=database, kills=1)
    printed = capsys.readouterr().out
    assert result.problems == [], printed
    load = result.load
    assert len(load.restarts) == 1, printed
    acked = load.stats.acknowledged
    # the load really ran on both sides of the kill, and the checks had something to check
    assert any(t < load.restarts[0] for t in acked), printed
    assert any(t > load.restarts[0] for t in acked), printed
    assert sum(len(ledger.acked) for ledger in load.ledgers) > 0, printed
    assert sum(len(ledger.uploads) for ledger in load.ledgers) > 0, printed
    assert load.stats.times["round page"], printed


def _forget_index(plan, kode: str) -> None:
    """Delete a unit's evidence index rows, as a kill between the manifest's write and the
    index's commit leaves it."""
    query = ("DELETE FROM patuh_web_evidence WHERE unit_id IN (SELECT u.id FROM "
             "patuh_web_unit u JOIN patuh_web_round r ON u.round_id = r.id WHERE "
             "r.slug = %s AND u.kode = %s)")
    if plan.database:
        import psycopg

        with psycopg.connect(plan.database, autocommit=True) as connection:
            connection.execute(query, (plan.round_slug, kode))
        return
    import sqlite3

    with sqlite3.connect(plan.data / "db.sqlite3") as connection:
        connection.execute(query.replace("%s", "?"), (plan.round_slug, kode))
    connection.close()


def test_serve_start_up_repairs_what_a_kill_leaves(tmp_path: Path, database) -> None:
    """What a kill mid-write leaves — temporary files (an upload being received, a manifest
    being validated or written), an evidence index behind its manifest — is repaired before
    the server answers again; the unit's real files stay as they were."""
    plan = bench.Plan(tmp_path / "data", database, secrets.token_hex(3), 2, 0)
    bench.prepare(plan)
    imported = bench.inspect_database(plan)
    assert all(not u["missing"] and not u["extra"] and u["rows"] > 0
               for u in imported.values()), imported  # an import indexes its evidence
    unit = plan.data / "units" / plan.round_slug / plan.unit(0)
    manifest = (unit / "manifest.yaml").read_bytes()
    kept = sorted(p.name for p in (unit / "bukti").iterdir())
    assert kept
    left = [unit / ".patuh-a1b2c3.yaml", unit / ".patuh-d4e5f6.tmp",
            unit / "bukti" / ".patuh-g7h8i9.upload"]
    for path in left:
        path.write_bytes(b"%PDF-1.4 half")
    staging = unit.parent / ".incoming-0123456789abcdef"  # an import cut short
    (staging / "bukti").mkdir(parents=True)
    (staging / "manifest.yaml").write_text("schema_version: 1\n", "utf-8")
    _forget_index(plan, plan.unit(0))
    assert bench.inspect_database(plan)[plan.unit(0)]["missing"]
    server = bench.Server(plan, bench.free_port(), threads=2)
    server.start()
    try:
        assert bench.temp_files(plan) == [] and not staging.exists()
        assert sorted(p.name for p in unit.parent.iterdir()) == [plan.unit(0), plan.unit(1)]
        assert (unit / "manifest.yaml").read_bytes() == manifest
        assert sorted(p.name for p in (unit / "bukti").iterdir()) == kept
    finally:
        server.stop()
    assert bench.inspect_database(plan) == imported
    log = server.log.read_text("utf-8")
    assert "4 berkas sementara" in log and "indeks bukti 1 unit" in log, log
    # a manifest broken by hand (not even YAML) does not keep the server from starting
    broken = plan.data / "units" / plan.round_slug / plan.unit(1) / "manifest.yaml"
    broken.write_text("unit: [tidak ditutup\n", "utf-8")
    server.start()
    server.stop()
    assert broken.read_text("utf-8") == "unit: [tidak ditutup\n"
    shutil.rmtree(plan.data, ignore_errors=True)
