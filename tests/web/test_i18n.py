"""The web UI is Indonesian first with English complete: every string the templates and the
platform's code mark for translation has an English entry, and the compiled catalogue Django
reads (.mo) says the same as the reviewed one (.po)."""

from __future__ import annotations

import ast
import gettext
import json
import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "plugins" / "web"
CATALOGUE = WEB / "locale" / "en" / "LC_MESSAGES"
TEMPLATE_STRINGS = re.compile(r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"')
BLOCK_STRINGS = re.compile(r"{%\s*blocktranslate([^%]*)%}(.*?){%\s*endblocktranslate", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (the subset of the format makemessages writes)."""
    entries: dict[str, str] = {}
    for block in path.read_text("utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgstr) (".*")$', line)
            if match:
                key = match[1]
                fields[key] = [match[2]]
            elif line.startswith('"') and key:
                fields[key].append(line)
            elif not line.startswith("#"):
                key = None
        if "msgid" in fields:
            msgid = "".join(json.loads(p) for p in fields["msgid"])
            if msgid:
                entries[msgid] = "".join(json.loads(p) for p in fields.get("msgstr", ['""']))
    return entries


def marked_strings() -> set[str]:
    found: set[str] = set()
    for template in WEB.glob("templates/**/*.html"):
        text = template.read_text("utf-8")
        found.update(m.encode().decode("unicode_escape") if "\\" in m else m
                     for m in TEMPLATE_STRINGS.findall(text))
        for options, body in BLOCK_STRINGS.findall(text):
            body = VARIABLE.sub(r"%(\1)s", body)  # as Django's makemessages writes it
            found.add(" ".join(body.split()) if "trimmed" in options.split() else body)
    for module in WEB.glob("*.py"):
        tree = ast.parse(module.read_text("utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in
                    ("_", "gettext", "gettext_lazy", "pgettext")
                    and node.args and isinstance(node.args[-1], ast.Constant)
                    and isinstance(node.args[-1].value, str)):
                found.add(node.args[-1].value)
    return found


def test_every_marked_string_has_english() -> None:
    english = po_entries(CATALOGUE / "django.po")
    assert len(english) > 100
    missing = sorted(s for s in marked_strings() if not english.get(s))
    assert not missing, "run makemessages -l en and translate:\n" + "\n".join(missing)
    untranslated = sorted(msgid for msgid, msgstr in english.items() if not msgstr)
    assert not untranslated, "translate in django.po:\n" + "\n".join(untranslated)
    fuzzy = (CATALOGUE / "django.po").read_text("utf-8").count("#, fuzzy")
    assert fuzzy == 0, "review the entries makemessages marked fuzzy (msgfmt skips them)"


def test_the_compiled_catalogue_matches_the_reviewed_one() -> None:
    english = po_entries(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in english.items()
             if msgstr and compiled.gettext(msgid) != msgstr]
    assert not stale, "recompile: msgfmt -o django.mo django.po\n" + "\n".join(stale)


@pytest.mark.django_db
def test_pages_switch_to_english(client) -> None:
    indonesian = client.get("/accounts/login/").content.decode()
    assert "Nama pengguna" in indonesian and 'lang="id"' in indonesian
    client.cookies["django_language"] = "en"
    english = client.get("/accounts/login/").content.decode()
    assert "Username" in english and "Nama pengguna" not in english and 'lang="en"' in english
