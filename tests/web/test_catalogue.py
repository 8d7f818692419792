"""The English catalogue: every text of the platform's pages translated, the compiled .mo in step
with the .po (Django reads the .mo)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "plugins" / "web" / "locale"


def entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (the subset of the format makemessages writes)."""
    found: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _space, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid"):
                found[current["msgid"]] = current.get("msgstr", "")
            current, key = {}, None
    return found


def test_every_text_has_its_english_and_the_mo_is_compiled_from_the_po() -> None:
    po = entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert len(po) > 50
    assert [msgid for msgid, msgstr in po.items() if not msgstr] == []
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in po.items() if compiled.gettext(msgid) != msgstr]
    assert stale == [], "run msgfmt -o django.mo django.po in plugins/web/locale/en/LC_MESSAGES"
