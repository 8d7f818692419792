"""The Django app of the platform."""

from __future__ import annotations

from django.apps import AppConfig


class PatuhWebConfig(AppConfig):
    name = "patuh.plugins.web"
    label = "patuh_web"
    verbose_name = "patuh"
    default_auto_field = "django.db.models.BigAutoField"
