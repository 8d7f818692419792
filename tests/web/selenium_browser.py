"""Headless Chromium driven by Selenium for the web platform's end-to-end tests.

The browser is Debian's `chromium` (/usr/bin/chromium) and the driver Debian's `chromium-driver`
(/usr/bin/chromedriver), both installed by .ci/run. Both paths are given to Selenium, so Selenium
Manager never runs and nothing is downloaded (SE_OFFLINE=true as well, in case it would).

Without them the tests are skipped with the reason, except where a browser is required: under
CI (`CI` set) or with PATUH_REQUIRE_BROWSER=1 (.ci/run exports it), where they fail instead.

Screenshots go to tests/web/artifacts/ (git-ignored), for people to look at after a run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# The flags known to work in this project's CI container (as tests/test_html.py uses them).
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1800")
PAGE_LOAD_TIMEOUT = 60  # seconds: a stuck page fails the test instead of hanging the run
SCREENSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,100}")


def browser_required() -> bool:
    """True where a missing browser must fail the tests rather than skip them."""
    return bool(os.environ.get("CI")) or os.environ.get("PATUH_REQUIRE_BROWSER") == "1"


def missing_parts() -> list[str]:
    """What is missing to run the browser tests, each with how to install it."""
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the Python package selenium (pip install -e '.[test,web]', or make test)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} (Debian package `chromium`)")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append(f"{CHROMEDRIVER} (Debian package `chromium-driver`)")
    return missing


def skip_or_fail_without_browser() -> None:
    """Skip the test, with the reason, when the browser cannot run here; fail it instead when a
    browser is required (CI, PATUH_REQUIRE_BROWSER=1)."""
    missing = missing_parts()
    if not missing:
        return
    reason = ("end-to-end browser tests need " + "; ".join(missing)
              + " (.ci/run installs them)")
    if browser_required():
        pytest.fail(reason + "; CI or PATUH_REQUIRE_BROWSER=1 requires the browser",
                    pytrace=False)
    pytest.skip(reason)


class Browser:
    """A Selenium WebDriver (every WebDriver method and attribute is available on it: ``get``,
    ``find_element``, ``current_url`` ...) with the helpers the tests share."""

    def __init__(self, driver: Any, artifacts: Path = ARTIFACTS) -> None:
        self.driver = driver
        self.artifacts = artifacts

    def __getattr__(self, name: str) -> Any:
        return getattr(self.driver, name)

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        """Save a PNG of the page as tests/web/artifacts/NAME.png and return its path.
        ``full_page`` captures the whole document, beyond the 1280x1800 window."""
        stem = name.removesuffix(".png")
        if not SCREENSHOT_NAME.fullmatch(stem):
            raise ValueError(f"screenshot name {name!r}: use letters, digits, '_', '-', '.'")
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{stem}.png"
        if full_page:
            import base64

            size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                         "scale": 1}})
            path.write_bytes(base64.b64decode(shot["data"]))
        elif not self.driver.save_screenshot(str(path)):
            raise RuntimeError(f"Chromium did not save the screenshot {path}")
        return path

    def click_and_wait(self, element: Any, timeout: float = 20) -> None:
        """Click ``element`` and wait until the page it leads to has replaced this one and
        finished loading. While the old page goes, chromedriver may report the element as
        stale or as "not belonging to the document": both mean it is gone."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        def gone(_driver: Any) -> bool:
            try:
                element.is_enabled()
            except WebDriverException:
                return True
            return False

        element.click()
        wait = WebDriverWait(self.driver, timeout)
        wait.until(gone)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def submit_form_of(self, field_id: str) -> None:
        """Submit the form that holds the field ``field_id`` and wait for the next page."""
        from selenium.webdriver.common.by import By

        form = self.driver.find_element(By.ID, field_id).find_element(By.XPATH,
                                                                      "ancestor::form")
        self.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    def console_errors(self) -> list[str]:
        """The page's console errors since the last call (uncaught exceptions, failed loads,
        Content Security Policy violations), each as its message."""
        return [entry["message"] for entry in self.driver.get_log("browser")
                if entry.get("level") == "SEVERE"]


@contextmanager
def start_browser(profile: Path, log: Path | None = None) -> Iterator[Browser]:
    """Start headless Chromium with a fresh profile folder ``profile``; quit it afterwards.
    ``log`` receives chromedriver's log (for a failure's diagnosis)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER),
                      log_output=str(log) if log else os.devnull)
    old = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    try:
        driver = webdriver.Chrome(options=options, service=service)
    finally:
        if old is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = old
    try:
        driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
        yield Browser(driver)
    finally:
        driver.quit()
