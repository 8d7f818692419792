"""Security the platform adds to Django's: a Content Security Policy without inline scripts,
and a limit on failed logins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.http import HttpResponse

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


class ContentSecurityPolicy:
    """Every response gets the policy; a view that must allow one inline style block (the
    self-contained HTML report) names its hash in ``response.csp_style_hashes``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        hashes = getattr(response, "csp_style_hashes", ())
        styles = "".join(f" 'sha256-{h}'" for h in hashes)
        response.setdefault("Content-Security-Policy", CSP.format(styles=styles))
        return response


MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(username: str, address: str) -> str:
    return f"patuh-login-fail:{username.lower()}:{address}"


def locked_out(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= MAX_FAILURES


def failed(username: str, address: str) -> None:
    key = _key(username, address)
    cache.add(key, 0, LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOCKOUT_SECONDS)


def succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))


def client_address(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""
