"""`patuh serve` and `patuh web …` as a person runs them: separate processes on a data folder."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PATUH = [sys.executable, "-m", "patuh"]
PASSWORD = "sandi-uji-yang-panjang-7"


def patuh(*args: object, stdin: str = "", env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PATUH, *map(str, args)], input=stdin, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_administration_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = patuh("web", "round", "add", "PEKPPP Mandiri Kota Harapan 2025", "--ruleset",
                 "pekppp", "--edition", "2022", "--period", "2025", "--data", data)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "pekppp-mandiri-kota-harapan-2025"
    key = data / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) > 40
    again = patuh("web", "round", "add", "PEKPPP Mandiri Kota Harapan 2025", "--ruleset",
                  "pekppp", "--edition", "2022", "--period", "2025", "--data", data)
    assert again.returncode == 2 and "sudah ada" in again.stderr
    unknown = patuh("web", "round", "add", "X", "--ruleset", "pekppp", "--edition", "2031",
                    "--period", "2025", "--data", data)
    assert unknown.returncode == 2 and "2022" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    weak = patuh("web", "user", "add", "bagor", "--role", "admin", "--data", data,
                 stdin="12345\n")
    assert weak.returncode == 2 and "kata sandi ditolak" in weak.stderr
    added = patuh("web", "user", "add", "bagor", "--role", "admin", "--data", data,
                  stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    no_unit = patuh("web", "user", "add", "op", "--role", "operator", "--data", data,
                    stdin=PASSWORD + "\n")
    assert no_unit.returncode == 2 and "--unit" in no_unit.stderr
    ghost = patuh("web", "user", "add", "op", "--role", "operator", "--unit", "tidak-ada",
                  "--data", data, stdin=PASSWORD + "\n")
    assert ghost.returncode == 2 and "unit tidak dikenal" in ghost.stderr

    token = patuh("web", "token", "bagor", "--data", data)
    assert token.returncode == 0 and token.stdout.startswith("patuh_")
    with sqlite3.connect(data / "db.sqlite3") as db:
        stored = [row[0] for row in db.execute("SELECT key_hash FROM patuh_web_apitoken")]
        hashed = [row[0] for row in db.execute(
            "SELECT password FROM auth_user WHERE username = 'bagor'")]
        actions = [row[0] for row in db.execute("SELECT action FROM patuh_web_auditevent")]
    assert token.stdout.strip() not in stored and len(stored[0]) == 64  # only its hash
    assert hashed[0].startswith("pbkdf2_sha256$") and PASSWORD not in hashed[0]
    assert actions.count("round.add") == 1 and "user.add" in actions and "token.issue" in actions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_creates_the_data_folder_and_answers(tmp_path: Path) -> None:
    data, port = tmp_path / "baru", free_port()
    server = subprocess.Popen([*PATUH, "serve", "--data", str(data), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert json.load(r) == {"status": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"the server did not answer: {server.stderr.read()}")
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/",
                                    timeout=5) as page:
            html = page.read().decode()
            assert "Masuk" in html and page.headers["Server"] == "patuh"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/patuh_web/patuh.css",
                                    timeout=5) as css:
            assert b"--accent" in css.read()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/tidak-ada", timeout=5)
        except urllib.error.HTTPError as missing:
            assert missing.code == 404
            assert b"Traceback" not in missing.read()  # no debug page
        assert (data / "db.sqlite3").is_file() and (data / "secret_key").is_file()
        for private in (data, data / "db.sqlite3", data / "secret_key"):
            assert stat.S_IMODE(private.stat().st_mode) & 0o077 == 0, private  # owner only
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert "Belum ada pengguna" in err


def test_the_web_platform_does_not_load_for_other_commands(tmp_path: Path) -> None:
    code = ("import sys, patuh.cli\n"
            "patuh.cli.main(['check', 'examples/kecamatan-lembah-hijau/manifest.yaml', "
            "'--format', 'json'])\n"
            "print('django' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.stdout.strip().endswith("False"), done.stderr
