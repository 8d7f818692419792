"""The HTTP API: /api/v1/… (token auth, see patuh.plugins.web.api)."""

from __future__ import annotations

from django.urls import path

from patuh.plugins.web import api

urlpatterns = [
    path("rounds/<slug:round_slug>/summary", api.round_summary, name="api-summary"),
    path("rounds/<slug:round_slug>/units/<slug:kode>/report", api.unit_report,
         name="api-report"),
]
