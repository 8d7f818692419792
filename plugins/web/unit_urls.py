"""A unit's pages: /r/<round>/u/<kode>/… (the operator's questionnaire, evidence, report)."""

from __future__ import annotations

from django.urls import path

from patuh.plugins.web import unit_views as views
from patuh.plugins.web import verify_views

urlpatterns = [
    path("", views.overview, name="unit"),
    path("a/<str:code>/", views.section, name="section"),
    path("answer", views.answer, name="answer"),
    path("item/add", views.item_add, name="item_add"),
    path("item/remove", views.item_remove, name="item_remove"),
    path("evidence", views.evidence_upload, name="evidence_upload"),
    path("evidence/<str:sha256>", views.evidence_file, name="evidence_file"),
    path("evidence/<str:sha256>/lihat", views.evidence_inline, name="evidence_inline"),
    path("evidence/<str:sha256>/delete", views.evidence_delete, name="evidence_delete"),
    path("submit", views.submit, name="submit"),
    path("tahap", views.stage, name="stage"),
    path("report", views.report, name="report"),
    path("export.zip", views.export, name="export"),
    path("verifikasi/", verify_views.page, name="verify"),
    path("verifikasi/simpan", verify_views.save, name="verify_save"),
    path("verifikasi/hapus", verify_views.remove, name="verify_remove"),
    path("verifikasi/perbaikan", verify_views.request_revision, name="verify_revision"),
    path("pengecualian/tambah", verify_views.waiver_add, name="waiver_add"),
    path("pengecualian/<int:index>/hapus", verify_views.waiver_remove, name="waiver_remove"),
]
