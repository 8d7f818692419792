"""Fixtures of the web platform's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium_browser import Browser
from selenium_browser import skip_or_fail_without_browser
from selenium_browser import start_browser


@pytest.fixture
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Headless Chromium through Selenium (tests/web/selenium_browser.py): skipped without
    chromium and chromium-driver, failed instead under CI or PATUH_REQUIRE_BROWSER=1."""
    skip_or_fail_without_browser()
    folder = tmp_path_factory.mktemp("browser")
    with start_browser(folder / "profile", log=folder / "chromedriver.log") as started:
        yield started
