"""Size limits on the files a run reads, each overridable by an environment variable (README,
"Limits on data files"), so that no file can take unbounded time or memory."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from patuh import i18n
from patuh.errors import InputError
from patuh.i18n import Text


@dataclass(frozen=True)
class Limit:
    variable: str
    default: int
    what: Text  # "rows", "columns", "bytes"

    def value(self) -> int:
        """The limit in force: the environment variable when set, else the default."""
        raw = os.environ.get(self.variable, "").strip()
        if not raw:
            return self.default
        if not re.fullmatch(r"[0-9]{1,15}", raw) or int(raw) < 1:
            raise InputError(Text(f"{self.variable}={raw[:40]!r} bukan bilangan bulat positif",
                                  f"{self.variable}={raw[:40]!r} is not a positive whole "
                                  "number"),
                             hint=Text(f"mis. {self.variable}={self.default * 2}",
                                       f"e.g. {self.variable}={self.default * 2}"))
        return int(raw)

    def exceeded(self, file: Path, found: int, *, line: int | None = None,
                 at_least: bool = False, unpacked: bool = False) -> InputError:
        """The error for a file over this limit: which limit, what was found, the file, and
        how to raise the limit."""
        limit = self.value()
        suggest = max(limit * 2, found + 1)
        what_id, what_en = self.what.id, self.what.en
        if unpacked:
            what_id, what_en = f"{what_id} setelah dibuka", f"{what_en} unpacked"
        return InputError(
            Text(f"berkas data melebihi batas {count(limit, 'id')} {self.what.id} "
                 f"({count(found, 'id')}{'+' if at_least else ''} {what_id}); batas: "
                 f"{self.variable}",
                 f"the data file exceeds the limit of {count(limit, 'en')} {self.what.en} "
                 f"({count(found, 'en')}{'+' if at_least else ''} {what_en}); limit: "
                 f"{self.variable}"),
            file=file, line=line,
            hint=Text(f"pecah berkasnya, atau naikkan batasnya, mis. {self.variable}={suggest}",
                      f"split the file, or raise the limit, e.g. {self.variable}={suggest}"))


def count(number: int, lang: str) -> str:
    """A count with thousands separators as each language writes them."""
    return i18n.number(number, lang)
