"""What the platform does, over the store and the models — the one place both the pages and
`patuh web` go through, so that every change is checked and recorded the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.plugins.web.audit import record
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import Unit


def import_unit(round_: Round, source: Path, *, user: Any) -> Unit:
    """A manifest folder (YAML or XLSX, with its evidence) becomes a unit of the round."""
    from patuh.plugins.web.store import UnitFolder

    folder = UnitFolder.import_folder(source, round_.folder / "_incoming")
    data = folder.answers()
    identity = data.get("unit") or {}
    kode = str(identity.get("kode") or source.resolve().name)
    nama = str(identity.get("nama") or kode)
    if Unit.objects.filter(round=round_, kode=kode).exists():
        raise InputError(Text(f"unit {kode!r} sudah ada di putaran {round_.slug}",
                              f"unit {kode!r} is already in round {round_.slug}"), file=source)
    with transaction.atomic():
        unit = Unit.objects.create(round=round_, kode=kode, nama=nama)
        target = unit.folder
        target.parent.mkdir(parents=True, exist_ok=True)
        folder.root.rename(target)
        record(user, "unit.import", unit=unit, source=str(source))
    return unit
