"""The `browser` fixture (tests/web/selenium_browser.py) drives a real headless Chromium: a page
served over HTTP from 127.0.0.1 runs its script file, a click changes the page, the console
reports a blocked inline script, and screenshots land in tests/web/artifacts/. No Django here."""

from __future__ import annotations

import base64
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import selenium_browser
from selenium_browser import Browser

# The platform's policy: scripts only from files of the site itself, never inline.
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Uji peramban</title>
<script src="app.js" defer></script></head>
<body><h1>Uji peramban</h1>
<p id="status">Belum diklik</p>
<button type="button" id="go">Klik</button>
</body></html>
"""
SCRIPT = """document.getElementById("go").addEventListener("click", () => {
  document.getElementById("status").textContent = "Sudah diklik";
});
"""
# A 1x1 PNG: the browser asks every site for /favicon.ico, and a 404 is a console error.
FAVICON = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                           "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
INLINE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Inline</title></head>
<body><p id="status">asli</p>
<script>document.getElementById("status").textContent = "diubah";</script>
</body></html>
"""

TALL = ("""<!doctype html>
<html><head><meta charset="utf-8"><title>Tall</title></head><body>"""
        + "".join(f"<p>baris {n}</p>" for n in range(1, 121)) + "</body></html>")


class Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A folder of static files served on 127.0.0.1 (a free port) in a thread; its base URL."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(PAGE, "utf-8")
    (root / "app.js").write_text(SCRIPT, "utf-8")
    (root / "inline.html").write_text(INLINE, "utf-8")
    (root / "favicon.ico").write_bytes(FAVICON)
    (root / "tall.html").write_text(TALL, "utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_click_runs_the_pages_script_file(browser: Browser, site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site)
    assert browser.title == "Uji peramban"
    status = browser.find_element(By.ID, "status")
    assert status.text == "Belum diklik"
    browser.find_element(By.ID, "go").click()
    WebDriverWait(browser.driver, 10).until(
        ec.text_to_be_present_in_element((By.ID, "status"), "Sudah diklik"))
    assert status.text == "Sudah diklik"
    assert browser.console_errors() == []
    shot = browser.screenshot("selenium-fixture-clicked")
    assert shot == selenium_browser.ARTIFACTS / "selenium-fixture-clicked.png"
    assert png_size(shot) == tuple(browser.execute_script(
        "return [window.innerWidth * devicePixelRatio, window.innerHeight * devicePixelRatio]"))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_a_full_page_screenshot_covers_the_whole_document(browser: Browser, site: str) -> None:
    browser.get(site + "tall.html")
    window = png_size(browser.screenshot("selenium-fixture-tall-window"))
    whole = png_size(browser.screenshot("selenium-fixture-tall-full-page", full_page=True))
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert window[1] < 3000 < height == whole[1]
    assert whole[0] <= window[0]  # the content's width: without the scroll bar


def test_console_errors_report_an_inline_script_the_policy_blocks(browser: Browser,
                                                                   site: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site + "inline.html")
    assert browser.find_element(By.ID, "status").text == "asli"  # the script did not run
    errors = browser.console_errors()
    assert len(errors) == 1, errors
    assert "Content Security Policy" in errors[0] and "inline" in errors[0]
    assert browser.console_errors() == []  # each error is reported once


@pytest.mark.parametrize("name", ["", "../escape", "a/b", ".hidden", "x" * 200])
def test_a_screenshot_name_stays_inside_the_artifacts_folder(name: str) -> None:
    with pytest.raises(ValueError, match="screenshot name"):
        Browser(driver=None).screenshot(name)


@pytest.mark.parametrize("env, outcome", [
    ({}, pytest.skip.Exception),
    ({"CI": "true"}, pytest.fail.Exception),
    ({"PATUH_REQUIRE_BROWSER": "1"}, pytest.fail.Exception),
])
def test_without_a_browser_the_tests_skip_except_where_one_is_required(
        env: dict[str, str], outcome: type[BaseException], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PATUH_REQUIRE_BROWSER", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(selenium_browser, "CHROMEDRIVER", tmp_path / "no-chromedriver")
    with pytest.raises(outcome) as caught:
        selenium_browser.skip_or_fail_without_browser()
    assert f"{tmp_path / 'no-chromedriver'} (Debian package `chromium-driver`)" in str(
        caught.value)
