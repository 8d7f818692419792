"""The audit log: one call records who changed what."""

from __future__ import annotations

from typing import Any

from patuh.plugins.web.models import AuditEvent


def record(user: Any, action: str, *, round: Any = None, unit: Any = None,
           **detail: Any) -> None:
    real = user if getattr(user, "is_authenticated", False) else None
    AuditEvent.objects.create(user=real, username=getattr(real, "username", "") or "",
                              action=action, round=round or getattr(unit, "round", None),
                              unit=unit, detail=detail)
