"""A unit's pages: /r/<round>/u/<kode>/… (the operator's questionnaire, evidence, report)."""

from __future__ import annotations

urlpatterns: list = []
