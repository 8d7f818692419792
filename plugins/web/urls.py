"""The platform's URLs (see the README, "Platform")."""

from __future__ import annotations

from django.urls import include
from django.urls import path

from patuh.plugins.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("lang/<str:code>/", views.language, name="language"),
    path("healthz", views.healthz, name="healthz"),
    path("r/<slug:round_slug>/", views.round_page, name="round"),
    path("r/<slug:round_slug>/", include("patuh.plugins.web.dashboard_views")),
    path("r/<slug:round_slug>/u/<slug:kode>/", include("patuh.plugins.web.unit_urls")),
    path("api/v1/", include("patuh.plugins.web.api_urls")),
    path("kelola/", include("patuh.plugins.web.admin_urls")),
]
