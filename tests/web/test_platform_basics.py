"""The platform's frame: signing in, who sees which round and unit, the security headers."""

from __future__ import annotations

import re

import pytest

PASSWORD = "sandi-uji-yang-panjang-7"


@pytest.fixture
def two_units(make_round, make_unit, make_person):
    round_ = make_round()
    a, b = make_unit(round_, "dinas-a"), make_unit(round_, "dinas-b")
    other = make_unit(make_round("lain-2025"), "dinas-c")
    people = {"op_a": make_person("op_a", "operator", (a,)),
              "admin": make_person("admin", "admin"),
              "pimpinan": make_person("pimpinan", "pimpinan"),
              "nobody": make_person("nobody", "operator")}
    return round_, a, b, other, people


def test_pages_ask_for_a_sign_in(client, db) -> None:
    for url in ("/", "/r/pekppp-2025/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/")


def test_sign_in_and_out(client, two_units) -> None:
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "Masuk" in page.content.decode()
    response = client.post("/accounts/login/", {"username": "op_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "DINAS-A" in home and "DINAS-B" not in home and "DINAS-C" not in home
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_and_repeated_failures_lock_out(client, two_units) -> None:
    for _ in range(5):
        wrong = client.post("/accounts/login/", {"username": "op_a", "password": "salah"})
        assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    locked = client.post("/accounts/login/", {"username": "op_a", "password": PASSWORD})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan" in locked.content.decode()


def test_an_operator_sees_only_their_units(client, signed_in, two_units) -> None:
    *_rest, people = two_units
    signed_in(people["op_a"])
    page = client.get("/r/pekppp-2025/").content.decode()
    assert "dinas-a" in page and "dinas-b" not in page
    assert client.get("/r/lain-2025/").status_code == 404  # not theirs: not revealed
    assert client.get("/r/tidak-ada/").status_code == 404


def test_a_person_without_units_sees_no_round(client, signed_in, two_units) -> None:
    *_rest, people = two_units
    signed_in(people["nobody"])
    assert client.get("/r/pekppp-2025/").status_code == 404
    assert "belum terdaftar" in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["admin", "pimpinan"])
def test_admin_and_pimpinan_see_every_unit(client, signed_in, two_units, who) -> None:
    *_rest, people = two_units
    signed_in(people[who])
    page = client.get("/r/pekppp-2025/").content.decode()
    assert "dinas-a" in page and "dinas-b" in page
    assert client.get("/r/lain-2025/").status_code == 200


def test_every_page_has_a_strict_content_security_policy(client, signed_in, two_units) -> None:
    *_rest, people = two_units
    signed_in(people["admin"])
    for url in ("/", "/r/pekppp-2025/", "/accounts/login/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url  # no inline script
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handler


def test_session_and_csrf_cookies_are_locked_down(client, two_units, settings) -> None:
    response = client.post("/accounts/login/", {"username": "op_a", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["secure"]
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and not settings.DEBUG


def test_forms_need_the_csrf_token(two_units) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "op_a", "password": PASSWORD})
    assert response.status_code == 403


def test_the_language_switch(client, signed_in, two_units) -> None:
    *_rest, people = two_units
    signed_in(people["op_a"])
    response = client.post("/lang/en/", {"next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert client.post("/lang/en/", {"next": "https://evil.example/"})["Location"] == "/"


def test_healthz(client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_sign_in_is_logged(client, two_units) -> None:
    from patuh.plugins.web.models import AuditEvent

    client.post("/accounts/login/", {"username": "op_a", "password": PASSWORD})
    event = AuditEvent.objects.first()
    assert (event.username, event.action) == ("op_a", "login")


def test_refusals_are_clear_pages(client, signed_in, two_units) -> None:
    *_rest, people = two_units
    signed_in(people["op_a"])
    missing = client.get("/r/lain-2025/")
    assert missing.status_code == 404
    assert "bukan bagian unit Anda" in missing.content.decode()
