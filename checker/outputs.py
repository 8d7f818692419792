"""Writing an output file without losing anything.

Every file patuh writes (``-o`` of any command, the files of ``batch -o DIR``, ``rules docs``,
``--store``) goes through here. An output path is refused (exit 2, naming the path and why)
when it is:

- an input of the same run (the manifest, an evidence or data file it reads, a waivers or
  verification file, a rule file): compared by file identity, so another spelling of the path,
  a symlink or a hard link to the input is caught too;
- a symbolic link: patuh never writes through a link (replacing the link would lose where it
  pointed; writing its target could reach a file anywhere). Write to the real path instead;
- a folder, a device node (``/dev/null``…), a FIFO or a socket: not a regular file;
- a read-only file (no write permission bit, or not writable by this user): its owner meant to
  keep it.

A regular file is written under a short temporary name in the same folder (so that a long
output name still fits the file-system limit) and renamed into place when complete: a reader
never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from typing import Any

import click

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.safetext import json_safe
from patuh.safetext import visible


class InputSet:
    """Input files known by identity (device, inode): a fast test for many files (a batch)."""

    def __init__(self, paths: Iterable[Path | str | None] = ()) -> None:
        self._ids: dict[tuple[int, int], Path] = {}
        for path in paths:
            self.add(path)

    def add(self, path: Path | str | None) -> None:
        if path is None:
            return
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return
        self._ids.setdefault((st.st_dev, st.st_ino), Path(path))

    def find(self, st: os.stat_result) -> Path | None:
        return self._ids.get((st.st_dev, st.st_ino))


Inputs = InputSet | Iterable[Path | str] | Callable[[], Iterable[Path | str]]

_TEMP_PREFIX = ".patuh-"
_TEMP_SUFFIX = ".tmp"


def _refuse(path: Path, why: Text, option: str) -> InputError:
    return InputError(why, file=path, hint=Text(f"pilih jalur lain untuk {option}",
                                                f"choose another path for {option}"))


def _same_input(st: os.stat_result, inputs: Inputs) -> Path | None:
    """The input that is the same file as ``st``, if any."""
    if isinstance(inputs, InputSet):
        return inputs.find(st)
    items = inputs() if callable(inputs) else inputs
    for item in items:
        try:
            other = os.stat(item)
        except (OSError, ValueError):
            continue
        if os.path.samestat(st, other):
            return Path(item)
    return None


def check_target(path: Path, inputs: Inputs = (), option: str = "-o") -> None:
    """Raise an InputError when writing ``path`` could destroy something (see the module)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise _refuse(path, Text(f"jalur keluaran tidak dapat dipakai: {reason}",
                                 f"the output path cannot be used: {reason}"), option) from None
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(path, Text("jalur keluaran adalah tautan simbolik; patuh tidak menulis "
                                 "lewat tautan", "the output path is a symbolic link; patuh "
                                 "does not write through links"), option)
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(path, Text("jalur keluaran adalah folder", "the output path is a folder"),
                      option)
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, Text("jalur keluaran bukan berkas biasa (perangkat, FIFO atau soket)",
                                 "the output path is not a regular file (a device, FIFO or "
                                 "socket)"), option)
    same = _same_input(st, inputs)
    if same is not None:
        raise _refuse(path, Text(f"jalur keluaran adalah masukan pemeriksaan ini ({same}); "
                                 "tidak ditimpa",
                                 f"the output path is an input of this run ({same}); not "
                                 "overwritten"), option)
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise _refuse(path, Text("berkas keluaran hanya-baca; tidak ditimpa",
                                 "the output file is read-only; not overwritten"), option)


def _parent(path: Path, option: str) -> None:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise _refuse(path, Text(f"folder keluaran tidak dapat dibuat: {reason}",
                                 f"cannot create the output folder: {reason}"), option) from None


@contextlib.contextmanager
def atomic_file(path: Path, *, binary: bool = False, inputs: Inputs = (),
                option: str = "-o") -> Iterator[Any]:
    """A file written under a temporary name and renamed into place when complete."""
    path = Path(path)
    check_target(path, inputs, option)
    _parent(path, option)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise _refuse(path, Text(f"tidak dapat menulis: {exc.strerror}",
                                 f"cannot write: {exc.strerror}"), option) from None
    try:
        if binary:
            handle: IO[Any] = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        check_target(path, inputs, option)  # once more: something may have appeared meanwhile
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, inputs: Inputs = (), option: str = "-o") -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, after the checks above."""
    with atomic_file(path, inputs=inputs, option=option) as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes, inputs: Inputs = (), option: str = "-o") -> None:
    with atomic_file(path, binary=True, inputs=inputs, option=option) as handle:
        handle.write(data)


def stage_bytes(name: str, data: bytes) -> str:
    """Write ``data`` to a new file ``name`` (never an existing file or a link: created
    exclusively, with the usual mode) for :func:`place_staged` to move into place; a batch's
    workers write their reports so, and the parent only renames them."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return name


def place_staged(staged: str, path: Path, inputs: Inputs = (), option: str = "-o") -> None:
    """Move a file written by :func:`stage_bytes` (beside ``path``) to ``path``, after the
    checks :func:`atomic_file` makes; the staged file is removed when it cannot be."""
    try:
        check_target(path, inputs, option)
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise


def check_store(path: Path, inputs: Inputs = (), option: str = "--store") -> None:
    """A SQLite history file is written in place (not renamed): the same refusals apply."""
    check_target(Path(path), inputs, option)


def write_output(text: str, output: Path | None, protect: Inputs = (),
                 fmt: str | None = None) -> None:
    """Print, or write atomically (a reader never sees half a report), refusing any path
    whose loss would destroy data: an input of the run, a link, a device, a read-only file.
    ``fmt`` "text" or "json": control characters from the data are neutralised."""
    if fmt == "text":
        text = visible(text)
    elif fmt == "json":
        text = json_safe(text)
    if output is None:
        click.echo(text, nl=False)
        return
    write_text(output, text, inputs=protect)
