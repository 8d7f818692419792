"""The HTTP API: /api/v1/… (token auth)."""

from __future__ import annotations

urlpatterns: list = []
