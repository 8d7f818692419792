"""Load and faults on the platform, measured: many operators saving answers and uploading
evidence at once, a few leaders viewing the round, over real HTTP on loopback — then proof that
no acknowledged save was lost.

Run: `.venv/bin/python benchmarks/bench_web_load.py [--seconds 120] [--operators 50]
[--viewers 5] [--database postgresql://…] [--kill]` (or `make bench-load`).

1. A temporary data folder is set up with the `patuh web …` commands (run in one helper
   process): a round, one unit per operator (copies of examples/dpmptsp-kota-harapan under
   their own codes), one operator per unit, the viewers as pimpinan. Names carry a random run
   id, so a PostgreSQL database can be reused.
2. `patuh serve` runs as a subprocess on 127.0.0.1 (a free port). Each operator is a thread
   with its own session (cookies + CSRF, stdlib http.client): it saves answers (the htmx answer
   POST, a random question of its unit's questionnaire with a valid value) and uploads small
   PDFs/PNGs; each viewer loads the round page, and the dashboard `/r/<round>/dasbor/` when
   the server has one (it answers 200). Every request has a timeout; the run stops at its
   deadline.
3. Printed: requests per second, p50/p95/p99 latency per page kind, errors by kind.
4. Verified, after the server stopped: for every unit, the manifest (read with patuh's loader)
   holds the last acknowledged value of every question saved — or the value of a later request
   whose outcome is unknown (connection cut by the kill, 5xx) —, every acknowledged upload is
   attached with a stored file whose sha256 matches; no temporary file is left in any unit
   folder; every stored evidence file's content matches its name; the database's evidence
   index equals what the manifests reference.

`--kill` SIGKILLs the server mid-load (requests in flight), restarts it on the same data,
checks that the start-up left no temporary file, and lets the load continue (the deadline moves
by the time the server was down; `--kills N`: N times, evenly spread).

Prints figures and the problems found; exit 1 when a check fails. Timings are never asserted
(tests/web/test_load_faults.py runs a short version and asserts only the checks).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
PASSWORD = "sandi-beban-yang-panjang-9"
RULESET, EDITION, YEAR = "pekppp", "2022", 2024
TIMEOUT = 30.0  # seconds, every request
TEMP_PREFIX = ".patuh-"  # the store's and patuh.outputs' temporary files


# --- the data folder, made with `patuh web …` (in a helper process) ----------------------------

@dataclass
class Plan:
    data: Path
    database: str | None
    run: str  # a short id: round, units and users are unique per run (a reused database)
    operators: int
    viewers: int

    @property
    def round_slug(self) -> str:
        return f"beban-{self.run}"

    def unit(self, n: int) -> str:
        return f"beban-{self.run}-{n:03d}"

    def operator(self, n: int) -> str:
        return f"op-{self.run}-{n:03d}"

    def viewer(self, n: int) -> str:
        return f"pimpinan-{self.run}-{n:02d}"

    def args(self) -> list[str]:
        return [str(self.data), self.run, str(self.operators), str(self.viewers),
                self.database or ""]

    @classmethod
    def of(cls, args: list[str]) -> Plan:
        data, run, operators, viewers, database = args
        return cls(Path(data), database or None, run, int(operators), int(viewers))


def _clean_env() -> dict[str, str]:
    """The helper processes' environment: nothing of a test's Django or database."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("PATUH_WEB_") and k != "DJANGO_SETTINGS_MODULE"}


def _helper(mode: str, plan: Plan, timeout: float = 900) -> str:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), mode, *plan.args()],
                          capture_output=True, text=True, timeout=timeout, env=_clean_env())
    if done.returncode != 0:
        raise RuntimeError(f"{mode} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(plan: Plan) -> None:
    """Make the data folder with the commands a person would type (in a helper process)."""
    _helper("--prepare", plan)


def _run_prepare(plan: Plan) -> None:
    from patuh.cli import main

    def patuh(*args: str, stdin: str = "") -> None:
        database = ["--database", plan.database] if plan.database else []
        sys.stdin = io.StringIO(stdin)
        code = main([*args, "--data", str(plan.data), *database])
        if code != 0:
            raise SystemExit(f"patuh {' '.join(args)}: exit {code}")

    sources = plan.data.parent / "sources"
    folders = []
    text = (EXAMPLE / "manifest.yaml").read_text("utf-8")
    for n in range(plan.operators):
        folder = sources / plan.unit(n)
        shutil.copytree(EXAMPLE, folder)
        (folder / "manifest.yaml").write_text(
            text.replace("kode: dpmptsp-kota-harapan", f"kode: {plan.unit(n)}").replace(
                "nama: Dinas Penanaman Modal", f"nama: Unit uji beban {n} — Dinas Penanaman "
                "Modal"), "utf-8")
        folders.append(str(folder))
    patuh("web", "round", "add", f"Uji beban {plan.run}", "--ruleset", RULESET, "--edition",
          EDITION, "--period", str(YEAR), "--slug", plan.round_slug)
    patuh("web", "unit", "import", plan.round_slug, *folders)
    shutil.rmtree(sources)
    for n in range(plan.operators):
        patuh("web", "user", "add", plan.operator(n), "--role", "operator", "--unit",
              plan.unit(n), "--round", plan.round_slug, stdin=PASSWORD + "\n")
    for n in range(plan.viewers):
        patuh("web", "user", "add", plan.viewer(n), "--role", "pimpinan", stdin=PASSWORD + "\n")


def inspect_database(plan: Plan) -> dict[str, Any]:
    """What the database says of the run's units, beside their folders (a helper process):
    per unit the evidence index rows missing from or extra to the manifest's references."""
    return json.loads(_helper("--inspect", plan))


def _run_inspect(plan: Plan) -> None:
    from patuh.plugins.web.commands import setup

    setup(plan.data, plan.database, migrate=False)
    from patuh.plugins.web.answers import attachments
    from patuh.plugins.web.models import Evidence
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    out: dict[str, Any] = {}
    for unit in Unit.objects.filter(round__slug=plan.round_slug).select_related("round"):
        held = set(attachments(UnitFolder(unit.folder).answers()))
        rows = {(e.slot, e.sha256) for e in Evidence.objects.filter(unit=unit)}
        out[unit.kode] = {"missing": sorted(held - rows), "extra": sorted(rows - held),
                          "rows": len(rows)}
    print(json.dumps(out))


# --- the server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`patuh serve` as a subprocess on loopback; its output goes to DATA/../serve.log."""

    def __init__(self, plan: Plan, port: int, threads: int) -> None:
        self.plan, self.port, self.threads = plan, port, threads
        self.process: subprocess.Popen[bytes] | None = None
        self.log = plan.data.parent / "serve.log"

    def start(self, wait: float = 120) -> None:
        patuh = Path(sys.executable).with_name("patuh")
        command = [str(patuh)] if patuh.exists() else [sys.executable, "-m", "patuh"]
        command += ["serve", "--data", str(self.plan.data), "--port", str(self.port),
                    "--threads", str(self.threads), "--insecure-cookies"]
        if self.plan.database:
            command += ["--database", self.plan.database]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log, env=_clean_env())
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"patuh serve ended ({self.process.returncode}); see "
                                   f"{self.log}:\n{self.log.read_text('utf-8')[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"patuh serve did not answer within {wait:.0f} s")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


# --- a person's session over HTTP ---------------------------------------------------------------

class Unknown(Exception):
    """The request's outcome is not known (connection cut, timeout, server error)."""


class Session:
    """One person's cookies over one keep-alive connection (reopened after any failure)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body); raises OSError/HTTPException when the exchange fails."""
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                **(headers or {})}
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                         timeout=TIMEOUT)
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if (response.getheader("Connection") or "").lower() == "close":
            self.close()
        return response.status, data

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def post(self, path: str, fields: list[tuple[str, str]], extra: dict[str, str] | None = None
             ) -> tuple[int, bytes]:
        body = urlencode(fields).encode("ascii")
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf(),
            **(extra or {})})

    def upload(self, path: str, fields: list[tuple[str, str]], name: str, content: bytes,
               content_type: str) -> tuple[int, bytes]:
        boundary = uuid.uuid4().hex
        parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                 .encode() for k, v in fields]
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                     f"filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n".encode()
                     + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": self.csrf()})

    def sign_in(self, username: str) -> None:
        status, _body = self.request("GET", "/accounts/login/")
        if status != 200 or not self.csrf():
            raise RuntimeError(f"sign-in page: {status}")
        status, _body = self.post("/accounts/login/", [
            ("csrfmiddlewaretoken", self.csrf()), ("username", username),
            ("password", PASSWORD)])
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username}: sign-in refused ({status})")


# --- what is saved ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ask:
    path: str
    kind: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def questions() -> tuple[list[Ask], list[str]]:
    """The questions an operator saves (top level, not the unit's identity or period, not in a
    list of objects, not a survey's tally — the example gives it as a data file) and the
    evidence slots it uploads to."""
    from patuh.plugins.web.store import questionnaire

    model = questionnaire(((RULESET, EDITION),), date(YEAR, 12, 31))
    asks, slots = [], []
    for question in model.questions.values():
        if question.group or "[" in question.path or ".rekap." in question.path \
                or question.path.startswith(("unit.", "periode.")):
            continue
        if question.kind == "files":
            slots.append(question.path)
        elif question.kind in ("yes_no", "date", "choice", "choices", "text") or (
                question.kind == "number" and question.minimum is not None
                and question.maximum is not None):
            asks.append(Ask(question.path, question.kind,
                            tuple(c.code for c in question.choices), question.minimum,
                            question.maximum))
    return asks, slots


def value_for(ask: Ask, rng: random.Random, who: str, n: int) -> str | list[str]:
    if ask.kind == "yes_no":
        return rng.choice(["ya", "tidak"])
    if ask.kind == "date":
        return f"{rng.randint(1, 28):02d}/{rng.randint(1, 9):02d}/{YEAR}"
    if ask.kind == "choice":
        return rng.choice(ask.choices)
    if ask.kind == "choices":
        return sorted(rng.sample(ask.choices, rng.randint(1, len(ask.choices))))
    if ask.kind == "number":
        low, high = float(ask.minimum or 0), float(ask.maximum or 0)
        return f"{rng.uniform(low, high):.1f}".replace(".", ",")
    return f"Catatan {who} nomor {n}"


def canonical(kind: str, value: Any) -> Any:
    """A typed value, or a value read from the manifest, in one comparable form."""
    if value is None:
        return None
    if kind == "yes_no":
        return {"ya": True, "tidak": False}.get(value, value) if isinstance(value, str) \
            else bool(value)
    if kind == "date":
        match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", str(value))
        return f"{match[3]}-{match[2]}-{match[1]}" if match else str(value)
    if kind == "choices":
        return sorted(str(v) for v in value)
    if kind == "number":
        return round(float(str(value).replace(",", ".")), 6)
    return str(value).strip()


def evidence_file(rng: random.Random, who: str, n: int) -> tuple[str, bytes, str, str]:
    """(name, content, content type, stored extension): a small PDF or PNG, unique."""
    noise = rng.randbytes(rng.randint(1024, 16 * 1024))
    mark = f"{who} {n} {secrets.token_hex(8)}".encode()
    if rng.random() < 0.5:
        return (f"bukti-{n}.pdf", b"%PDF-1.4\n% " + mark + b"\n" + noise + b"\n%%EOF\n",
                "application/pdf", "pdf")
    return f"foto-{n}.png", b"\x89PNG\r\n\x1a\n" + mark + noise, "image/png", "png"


# --- the load -----------------------------------------------------------------------------------

@dataclass
class Ledger:
    """What one operator was told: the last acknowledged value per question and the values of
    later requests whose outcome is unknown; the acknowledged uploads."""

    kode: str
    acked: dict[str, Any] = field(default_factory=dict)
    maybe: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    uploads: list[tuple[str, str, str]] = field(default_factory=list)  # slot, sha256, ext
    kinds: dict[str, str] = field(default_factory=dict)


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    acknowledged: list[float] = field(default_factory=list)  # when (time.monotonic)

    def add(self, kind: str, ms: float | None, error: str | None = None,
            outcome: str | None = None) -> None:
        with self.lock:
            if ms is not None:
                self.times[kind].append(ms)
            if error:
                self.errors[f"{kind}: {error}"] += 1
            if outcome:
                self.outcomes[f"{kind} {outcome}"] += 1
                if outcome == "acknowledged":
                    self.acknowledged.append(time.monotonic())


class Load:
    def __init__(self, plan: Plan, port: int, seconds: float, seed: int = 12) -> None:
        self.plan, self.port, self.seconds = plan, port, seconds
        self.stats = Stats()
        self.running = threading.Event()  # cleared while the server is down (--kill)
        self.running.set()
        self.deadline = 0.0
        self.asks, self.slots = questions()
        self.ledgers = [Ledger(plan.unit(n)) for n in range(plan.operators)]
        self.seed = seed
        self.viewer_pages: list[tuple[str, str]] = []
        self.failures: list[str] = []
        self.killed_left = 0  # temporary files the killed servers left (swept at start-up)
        self.restarts: list[float] = []  # when the server answered again (time.monotonic)

    def _timed(self, kind: str, call: Any) -> tuple[int, bytes]:
        """A request, timed; raises Unknown when its outcome cannot be known."""
        start = time.perf_counter()
        try:
            status, body = call()
        except (OSError, http.client.HTTPException) as exc:
            self.stats.add(kind, None, type(exc).__name__)
            raise Unknown from exc
        ms = (time.perf_counter() - start) * 1000
        self.stats.add(kind, ms, None if status < 400 else f"HTTP {status}")
        if status >= 500:
            raise Unknown(status)
        return status, body

    def operator(self, n: int, session: Session) -> None:
        rng = random.Random(self.seed * 1000 + n)
        ledger = self.ledgers[n]
        base = f"/r/{self.plan.round_slug}/u/{ledger.kode}/"
        count = 0
        while time.monotonic() < self.deadline:
            if not self.running.wait(timeout=0.5):
                continue
            count += 1
            try:
                if rng.random() < 0.75:
                    self._save(session, rng, ledger, base, count)
                else:
                    self._upload(session, rng, ledger, base, count)
            except Unknown:
                time.sleep(0.1)

    def _save(self, session: Session, rng: random.Random, ledger: Ledger, base: str,
              count: int) -> None:
        ask = rng.choice(self.asks)
        value = value_for(ask, rng, ledger.kode, count)
        fields = [("path", ask.path)] + ([("value", v) for v in value] if isinstance(value, list)
                                         else [("value", value)])
        ledger.kinds[ask.path] = ask.kind
        try:
            status, body = self._timed("answer", lambda: session.post(
                base + "answer", fields, {"HX-Request": "true"}))
        except Unknown:
            ledger.maybe[ask.path].append(canonical(ask.kind, value))
            raise
        head = body[:400].decode("utf-8", "replace")
        if status == 200 and "has-error" not in head.split(">", 1)[0]:
            ledger.acked[ask.path] = canonical(ask.kind, value)
            ledger.maybe.pop(ask.path, None)
            self.stats.add("answer", None, outcome="acknowledged")
        else:
            reason = re.search(r'class="error" role="alert">([^<]{0,70})',
                               body[:4000].decode("utf-8", "replace"))
            self.stats.add("answer", None, outcome=f"refused ({status}"
                           f"{': ' + reason[1].split(':')[0] if reason else ''})")

    def _upload(self, session: Session, rng: random.Random, ledger: Ledger, base: str,
                count: int) -> None:
        slot = rng.choice(self.slots)
        name, content, content_type, ext = evidence_file(rng, ledger.kode, count)
        status, _body = self._timed("upload", lambda: session.upload(
            base + "evidence", [("csrfmiddlewaretoken", session.csrf()), ("slot", slot)], name,
            content, content_type))
        if status == 302:
            ledger.uploads.append((slot, hashlib.sha256(content).hexdigest(), ext))
            self.stats.add("upload", None, outcome="acknowledged")
        else:
            self.stats.add("upload", None, outcome=f"refused ({status})")

    def viewer(self, n: int, session: Session) -> None:
        while time.monotonic() < self.deadline:
            if not self.running.wait(timeout=0.5):
                continue
            for kind, page in self.viewer_pages:
                if time.monotonic() >= self.deadline:
                    break
                try:
                    self._timed(kind, lambda page=page: session.request("GET", page))
                except Unknown:
                    time.sleep(0.1)

    def sign_in_all(self) -> tuple[list[Session], list[Session]]:
        operators = [Session(self.port) for _ in range(self.plan.operators)]
        viewers = [Session(self.port) for _ in range(self.plan.viewers)]
        names = [*(self.plan.operator(n) for n in range(self.plan.operators)),
                 *(self.plan.viewer(n) for n in range(self.plan.viewers))]
        errors: list[BaseException] = []

        def guarded(session: Session, username: str) -> None:
            try:
                session.sign_in(username)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=guarded, args=(s, u))
                   for s, u in zip([*operators, *viewers], names, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        if errors:
            raise RuntimeError(f"sign-in failed: {errors[0]}")
        pages = [("round page", f"/r/{self.plan.round_slug}/")]
        if viewers:
            dashboard = f"/r/{self.plan.round_slug}/dasbor/"
            status, _body = viewers[0].request("GET", dashboard)
            if status == 200:
                pages.append(("dashboard", dashboard))
        self.viewer_pages = pages
        return operators, viewers

    def run(self, server: Server, kills: int = 0) -> float:
        """Drive the server until the deadline, killing and restarting it ``kills`` times
        (evenly spread); the seconds the load ran."""
        operators, viewers = self.sign_in_all()
        start = time.monotonic()
        self.deadline = start + self.seconds
        threads = [threading.Thread(target=self.operator, args=(n, s), daemon=True)
                   for n, s in enumerate(operators)]
        threads += [threading.Thread(target=self.viewer, args=(n, s), daemon=True)
                    for n, s in enumerate(viewers)]
        for thread in threads:
            thread.start()
        for kill in range(kills):
            time.sleep(max(0.0, self.deadline - self.seconds * (kills - kill) / (kills + 1)
                           - time.monotonic()))
            server.kill()  # mid-load: requests are in flight
            self.running.clear()
            killed_at = time.monotonic()
            left = temp_files(self.plan)
            server.start()
            after = temp_files(self.plan)
            print(f"SIGKILL at {killed_at - start:.1f} s: {len(left)} temporary file(s) left "
                  f"by the killed server, {len(after)} after the restart (in "
                  f"{time.monotonic() - killed_at:.1f} s)", flush=True)
            self.killed_left += len(left)
            self.restarts.append(time.monotonic())
            self.deadline += time.monotonic() - killed_at  # the time down is not load time
            if after:
                self.failures.append(f"temporary files left after the restart: {after[:5]}")
            self.running.set()
        for thread in threads:
            thread.join(timeout=max(0.0, self.deadline - time.monotonic()) + TIMEOUT + 5)
        elapsed = time.monotonic() - start
        for session in [*operators, *viewers]:
            session.close()
        return elapsed


# --- checks -------------------------------------------------------------------------------------

def temp_files(plan: Plan) -> list[str]:
    units = plan.data / "units"
    return sorted(str(p.relative_to(plan.data)) for p in units.rglob(TEMP_PREFIX + "*"))


def verify(plan: Plan, load: Load) -> list[str]:
    """Every problem found (none: nothing acknowledged was lost, nothing half-written)."""
    from patuh.manifest import load_manifest
    from patuh.plugins.web.store import _get
    from patuh.plugins.web.store import _locate
    from patuh.plugins.web.store import questionnaire
    from patuh.plugins.web.store import references

    model = questionnaire(((RULESET, EDITION),), date(YEAR, 12, 31))
    problems = list(load.failures)
    left = temp_files(plan)
    if left:
        problems.append(f"{len(left)} temporary file(s) left: {left[:5]}")
    folder_of = plan.data / "units" / plan.round_slug
    for ledger in load.ledgers:
        root = folder_of / ledger.kode
        try:
            data = load_manifest(root / "manifest.yaml").data
        except Exception as exc:  # a manifest that does not load: a finding
            problems.append(f"{ledger.kode}: the manifest does not load: {exc}")
            continue
        for path, expected in ledger.acked.items():
            _question, keys = _locate(model, path)
            found = canonical(ledger.kinds[path], _get(data, keys))
            if found != expected and found not in ledger.maybe.get(path, []):
                problems.append(f"{ledger.kode}: {path} is {found!r}, acknowledged "
                                f"{expected!r}")
        for slot, digest, ext in ledger.uploads:
            _question, keys = _locate(model, slot)
            items = _get(data, keys) or []
            stored = f"bukti/{digest[:16]}.{ext}"
            if not any(isinstance(i, dict) and i.get("sha256") == digest
                       and i.get("berkas") == stored for i in items):
                problems.append(f"{ledger.kode}: the upload {stored} is not attached to {slot}")
        for ref in references(data):
            if ref.startswith("bukti/") and not (root / ref).is_file():
                problems.append(f"{ledger.kode}: {ref} is referenced but missing")
        digests = {i.get("berkas"): i.get("sha256") for i in _evidence_items(data)}
        for stored in sorted((root / "bukti").glob("*")):
            actual = hashlib.sha256(stored.read_bytes()).hexdigest()
            if not actual.startswith(stored.stem):
                problems.append(f"{ledger.kode}: bukti/{stored.name} holds other bytes "
                                f"(sha256 {actual[:16]}…): half-written?")
            declared = digests.get(f"bukti/{stored.name}")
            if declared and declared != actual:
                problems.append(f"{ledger.kode}: bukti/{stored.name}: the manifest says "
                                f"sha256 {declared[:16]}…, the file is {actual[:16]}…")
    for kode, held in inspect_database(plan).items():
        if held["missing"] or held["extra"]:
            problems.append(f"{kode}: the evidence index differs from the manifest: missing "
                            f"{held['missing'][:3]}, extra {held['extra'][:3]}")
    return problems


def _evidence_items(data: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "bukti" and isinstance(value, list):
                out += [i for i in value if isinstance(i, dict)]
            else:
                out += _evidence_items(value)
    elif isinstance(data, list):
        for value in data:
            out += _evidence_items(value)
    return out


# --- the figures --------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(load: Load, elapsed: float) -> None:
    stats = load.stats
    total = sum(len(v) for v in stats.times.values())
    print(f"{total} responses in {elapsed:.1f} s: {total / elapsed:.1f} requests/s")
    for kind, times in sorted(stats.times.items()):
        print(f"  {kind:<11} n={len(times):<6} p50 {statistics.median(times):7.1f} ms   "
              f"p95 {percentile(times, 0.95):7.1f} ms   p99 {percentile(times, 0.99):7.1f} ms"
              f"   max {max(times):7.1f} ms")
    for outcome, count in sorted(stats.outcomes.items()):
        print(f"  {outcome}: {count}")
    if stats.errors:
        print("errors:")
        for error, count in stats.errors.most_common():
            print(f"  {error}: {count}")
    else:
        print("errors: none")


# --- the whole run ------------------------------------------------------------------------------

@dataclass
class Result:
    problems: list[str]
    load: Load
    elapsed: float


def run(seconds: float, operators: int, viewers: int, database: str | None, kills: int = 0,
        threads: int = 8, keep: bool = False) -> Result:
    """Set up, load (and kill), stop, verify; prints the figures."""
    work = Path(tempfile.mkdtemp(prefix="patuh-bench-load-"))
    plan = Plan(work / "data", database, secrets.token_hex(3), operators, viewers)
    server: Server | None = None
    try:
        began = time.monotonic()
        prepare(plan)
        print(f"set up {operators} units, {operators} operators, {viewers} viewers in "
              f"{time.monotonic() - began:.1f} s (data: {plan.data}; database: "
              f"{'PostgreSQL' if database else 'SQLite'})", flush=True)
        server = Server(plan, free_port(), threads)
        server.start()
        load = Load(plan, server.port, seconds)
        elapsed = load.run(server, kills)
        server.stop()
        report(load, elapsed)
        problems = verify(plan, load)
        acked = sum(len(ledger.acked) for ledger in load.ledgers)
        uploads = sum(len(ledger.uploads) for ledger in load.ledgers)
        print(f"verified: {acked} acknowledged last values (question × unit), {uploads} "
              f"acknowledged uploads, {len(load.ledgers)} manifests, the evidence index")
        for problem in problems:
            print("PROBLEM:", problem)
        if not problems:
            print("no acknowledged save lost; no half-written file; index = manifests")
        return Result(problems, load, elapsed)
    finally:
        if server is not None:
            server.stop()
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--prepare", "--inspect"):
        plan = Plan.of(args[1:])
        (_run_prepare if args[0] == "--prepare" else _run_inspect)(plan)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--viewers", type=int, default=5)
    parser.add_argument("--database", metavar="URL", help="postgresql://… (default: SQLite)")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server mid-load")
    parser.add_argument("--kills", type=int, default=0, metavar="N",
                        help="SIGKILL it N times, evenly spread (--kill: once)")
    parser.add_argument("--threads", type=int, default=8, help="patuh serve --threads")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    options = parser.parse_args(args)
    kills = options.kills or int(options.kill)
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; {options.seconds:g} s, "
          f"{options.operators} operators, {options.viewers} viewers"
          f"{f', SIGKILL x{kills}' if kills else ''}", flush=True)
    result = run(options.seconds, options.operators, options.viewers, options.database, kills,
                 options.threads, options.keep)
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
