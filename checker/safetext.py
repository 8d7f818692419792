"""Text from the data (a unit's name, a note, a file name, any manifest string) must not act on
the reader's terminal: ANSI/OSC escape sequences, BEL, carriage returns and right-to-left
overrides are shown as visible escapes (``\\x1b``, ``\\u202e``) in text output, and written as
JSON escapes in JSON output (``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but
leaves C1 controls and bidirectional overrides raw)."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` for a terminal or a text file: control characters made visible."""
    return CONTROLS.sub(_visible, text)


def json_safe(text: str) -> str:
    """JSON text with every control character inside its strings written as ``\\uXXXX`` (the
    same data; nothing raw reaches a terminal that shows the file)."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
