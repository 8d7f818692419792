"""What Indonesian output must not contain: English words and decimal points in prose.

Used by the tests that render reports, errors and summaries with ``--lang id``. What the user
wrote or a machine reads stays as it is: rule ids (``1.a.Ak``), manifest paths
(``skm.responden``, ``inovasi.daftar[1]``), file names, URLs, ISO dates, and anything inside
backticks or ``<code>``.
"""

from __future__ import annotations

import html
import re

# English words that have no place in Indonesian prose. Words Indonesian shares with English
# (data, unit, total, status, format, media, minimum, manual, online, level, a, no) are not
# here; nor is ruleset, the term the Indonesian text uses.
STOP_WORDS = frozenset("""
    the and or of is are was were be been not no_data with without for from into onto this that
    these those which what when where who whose will would should must can could may might
    has have had does did do done than then there their they them its it an at by on to as
    if else but because however also only each every any all none some such other
    error errors warning warnings missing required invalid valid expected found not_found
    evidence half_up half_even round rounded rounding main secondary implementing guidance
    official unofficial inferred conflict conflicts added removed changed unchanged
    date dates number numbers string strings integer boolean list lists object mapping
    file files line lines column columns row rows sheet sheets cell cells
    rule rules score scores scored band bands predicate weight weights
    passed failed pass fail partial unknown yes
    report reports summary summaries result results unit's units' answer answers question
    questions respondent respondents survey surveys service services
    see use used using set please try fix check checked checks run
    while scanning parsing parser could find did mapping values allowed here
    aspect aspects indicator indicators
""".split())  # noqa: SIM905 (a word list reads best as words)

_CODE_SPAN = re.compile(r"`[^`\n]*`")
_HTML_DROP = re.compile(r"<(script|style|code|pre)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# A token someone wrote or a machine reads: a path, file name, key, URL, option or identifier.
_CODE_TOKEN = re.compile(
    r"""(?x)
      \S*://\S*                        # URL
    | \S*[/\\]\S*                      # path
    | --?[A-Za-z][\w-]*                # an option
    | [\w-]+(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)+   # dotted key, file name, rule id
    | \d{4}-\d{2}-\d{2}\S*             # ISO date or timestamp
    | \bpatuh(?:\s+(?:rules|web))?\s+[a-z][\w-]*   # a command to type: its name is code
    | (?m:^Penggunaan:\ .*$)             # a command's synopsis (its metavariables: DIR|LIST)
    | '[^'\s]+'                          # a quoted value or name: 'chek', '--format'
    | "[^"\s]+"                          # a value as JSON writes it: "official"
    """)
_WORD = re.compile(r"[A-Za-z][A-Za-z_']*")
# A decimal point between digits, not part of a longer dotted token (1.a.Ak, 1.2.3).
_DECIMAL_POINT = re.compile(r"(?<![\w.])[+\-−]?\d+\.\d+(?![\w]|\.\w)")

# ``9.870`` is nine thousand in Indonesian: one group of three digits after the dot is read as
# thousands (so an English ``4.505`` slips through; ``4.51`` and ``4.5050`` do not).
_THOUSANDS = re.compile(r"[+\-−]?\d{1,3}\.\d{3}")


def prose(text: str) -> str:
    """The prose of a text or an HTML page: tags, code and machine tokens taken out."""
    text = _HTML_DROP.sub(" ", text)
    text = html.unescape(_TAG.sub(" ", text))
    return _CODE_SPAN.sub(" ", text)


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Words of the stop-list found in the prose of ``text`` (case-insensitive)."""
    plain = _CODE_TOKEN.sub(" ", prose(text))
    return sorted({w for w in _WORD.findall(plain)
                   if w.lower() in STOP_WORDS and w.lower() not in allowed})


def decimal_points(text: str) -> list[str]:
    """Numbers written with a decimal point in the prose of ``text`` (``4.67``, ``+0.0408``)."""
    found = []
    for line in prose(text).splitlines():
        line = re.sub(r"\S*://\S*|\S*[/\\]\S*|\d{4}-\d{2}-\d{2}\S*", " ", line)
        found += [n for n in _DECIMAL_POINT.findall(line) if not _THOUSANDS.fullmatch(n)]
    return found
