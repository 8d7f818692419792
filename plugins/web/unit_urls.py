"""A unit's pages: /r/<round>/u/<kode>/… (the operator's questionnaire, evidence, report)."""

from __future__ import annotations

from django.urls import path

from patuh.plugins.web import unit_views as views

urlpatterns = [
    path("", views.overview, name="unit"),
    path("a/<str:code>/", views.section, name="section"),
    path("answer", views.answer, name="answer"),
    path("item/add", views.item_add, name="item_add"),
    path("item/remove", views.item_remove, name="item_remove"),
    path("evidence", views.evidence_upload, name="evidence_upload"),
    path("evidence/<str:sha256>", views.evidence_file, name="evidence_file"),
    path("evidence/<str:sha256>/delete", views.evidence_delete, name="evidence_delete"),
    path("submit", views.submit, name="submit"),
    path("report", views.report, name="report"),
    path("export.zip", views.export, name="export"),
]
