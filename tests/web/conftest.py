"""Fixtures for the platform's tests: people with roles, rounds and units made the way the
platform makes them, and a headless browser."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from selenium_browser import Browser
from selenium_browser import skip_or_fail_without_browser
from selenium_browser import start_browser

PASSWORD = "sandi-uji-yang-panjang-7"


@pytest.fixture
def make_round(db) -> Callable[..., Any]:
    from patuh.plugins.web.models import Round

    def make(slug: str = "pekppp-2025", **fields: Any) -> Any:
        values = {"name": f"PEKPPP mandiri {slug}", "ruleset": "pekppp", "edition": "2022",
                  "year": 2025, **fields}
        return Round.objects.create(slug=slug, **values)

    return make


@pytest.fixture
def make_unit(db) -> Callable[..., Any]:
    from patuh.plugins.web.models import Unit

    def make(round_: Any, kode: str, nama: str | None = None) -> Any:
        return Unit.objects.create(round=round_, kode=kode, nama=nama or kode.upper())

    return make


@pytest.fixture
def make_person(db) -> Callable[..., Any]:
    from django.contrib.auth.models import User

    from patuh.plugins.web.models import Profile

    def make(username: str, role: str, units: tuple[Any, ...] = ()) -> Any:
        user = User.objects.create_user(username=username, password=PASSWORD)
        profile = Profile.objects.create(user=user, role=role)
        profile.units.set(units)
        return user

    return make


@pytest.fixture
def signed_in(client) -> Callable[[Any], Any]:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The login-failure counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Headless Chromium through Selenium (tests/web/selenium_browser.py): skipped without
    chromium and chromium-driver, failed instead under CI or PATUH_REQUIRE_BROWSER=1."""
    skip_or_fail_without_browser()
    folder = tmp_path_factory.mktemp("browser")
    with start_browser(folder / "profile", log=folder / "chromedriver.log") as started:
        yield started


@pytest.fixture
def data_dir(settings, tmp_path):
    """Each test its own data folder (unit folders live under DATA/units/<round>/<kode>), and
    no report cached from another test."""
    from patuh.plugins.web import summary

    settings.DATA = tmp_path / "data"
    summary.forget()
    yield settings.DATA
    summary.forget()


@pytest.fixture
def site(live_server, settings, data_dir) -> str:
    """The platform on a live server for a browser, over plain HTTP (so no Secure cookies)."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return live_server.url

