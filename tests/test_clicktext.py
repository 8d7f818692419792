"""Click's own messages (usage errors, help headings) follow the user's language: Indonesian
by default, click's English with --lang en."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from stoplist import english_words

from patuh import clicktext
from patuh.cli import main

# click's messages no user of patuh meets (a programmer's mistake in declaring options, Windows
# consoles, shell completion of old Bash versions, colours): left in English
DEVELOPER_ONLY = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice", "Boolean option {decl!r} cannot use the same flag for "
    "true/false.", "Windows error: {error}", "Couldn't detect Bash version, shell completion "
    "is not supported.", "Shell completion is not supported for Bash versions older than 4.4.",
    "Unknown color {colour!r}", "Unknown standard stream '{name}'", "Choice({choices})", "d",
}


def click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """The msgids click passes to gettext and ngettext, read from its source."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)
                     and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) >= 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


def test_the_catalogue_covers_what_users_meet() -> None:
    singles, plurals = click_messages()
    assert len(singles) > 40 and plurals  # the reading works
    missing = sorted(singles - set(clicktext.MESSAGES) - DEVELOPER_ONLY)
    missing_plurals = sorted(plurals - set(clicktext.PLURALS))
    # a newer click may add a message: a few are tolerated, each then shown in English
    assert len(missing) + len(missing_plurals) <= 3, (missing, missing_plurals)
    for english, indonesian in clicktext.MESSAGES.items():  # the same placeholders
        assert sorted(_fields(english)) == sorted(_fields(indonesian)), english
    for (one, many), (id_one, id_many) in clicktext.PLURALS.items():
        assert sorted(_fields(one)) == sorted(_fields(id_one)), one
        assert sorted(_fields(many)) == sorted(_fields(id_many)), many


def _fields(text: str) -> list[str]:
    import string

    return [f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f]


@pytest.mark.parametrize(("args", "indonesian", "english"), [
    (["check"], "Argumen belum diberikan 'MANIFEST'", "Missing argument 'MANIFEST'"),
    (["check", "m.yaml", "--format"], "Opsi '--format' memerlukan sebuah nilai",
     "Option '--format' requires an argument"),
    (["chek"], "Perintah 'chek' tidak ada. Maksud Anda 'check'?",
     "No such command 'chek'. Did you mean 'check'?"),
    (["check", "m.yaml", "--formt"], "Opsi '--formt' tidak ada", "No such option '--formt'"),
    (["check", "m.yaml", "--lang", "fr"], "bukan salah satu dari 'id', 'en'",
     "is not one of 'id', 'en'"),
])
def test_usage_errors_in_each_language(args: list[str], indonesian: str, english: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    try:
        assert main(args) == 2
        shown = capsys.readouterr().err
        assert indonesian in shown and "Kesalahan:" in shown and "Usage:" not in shown
        assert english_words(shown.replace("[OPTIONS]", "")) == []
        if "--lang" in args:  # an unknown language: Indonesian, the default
            return
        assert main([args[0], "--lang", "en", *args[1:]]) == 2
        shown = capsys.readouterr().err
        assert english in shown and "Error:" in shown and "Penggunaan:" not in shown
    finally:
        clicktext.speak("id")


@pytest.mark.parametrize(("lang", "words"), [
    ("id", ("Penggunaan:", "Opsi:", "Tampilkan bantuan ini lalu keluar.")),
    ("en", ("Usage:", "Options:", "Show this message and exit.")),
])
def test_help_headings_follow_the_language(lang: str, words: tuple[str, ...]) -> None:
    """In its own process, as a user runs it (click keeps a command's help option once made)."""
    shown = subprocess.run([sys.executable, "-m", "patuh.cli", "check", "-h", "--lang", lang],
                           capture_output=True, text=True, check=True).stdout
    assert all(word in shown for word in words), shown
