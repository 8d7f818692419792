"""The WSGI application `patuh serve` hands to waitress."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patuh.plugins.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
