"""The admin's pages: /kelola/… (role admin only)."""

from __future__ import annotations

from django.urls import path

from patuh.plugins.web import admin_views
from patuh.plugins.web import assign_views

urlpatterns = [
    path("", admin_views.rounds, name="kelola"),
    path("pengguna/", admin_views.people, name="kelola-people"),
    path("pengguna/tugas/", assign_views.assign, name="kelola-assign"),
    path("audit/", admin_views.audit_log, name="kelola-audit"),
    path("audit/bukti/<int:unit_id>/<str:sha256>", admin_views.audit_evidence,
         name="kelola-audit-evidence"),
    path("r/<slug:round_slug>/unit/", admin_views.unit_add, name="kelola-unit-add"),
    path("r/<slug:round_slug>/impor/", admin_views.unit_import, name="kelola-unit-import"),
    path("r/<slug:round_slug>/kunci/", admin_views.round_lock, name="kelola-round-lock"),
]
