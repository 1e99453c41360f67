"""Writing a file or directory safely: checked before anything is written, written beside its place, and put there
once whole, so that a refused or failed write leaves whatever was there before."""

from __future__ import annotations

import errno
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError, InputError, TimelineError

OUT_OF_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@dataclass(frozen=True)
class Folder:
    """A directory output: what it is called in messages, its shape, and which entries an earlier one of it wrote
    (only those may be replaced)."""

    kind: str
    shape: str
    ours: Callable[[Path], bool]


def write_out(path: Path, write: Callable[[Path], int], *, example: str | None = None,
              folder: Folder | None = None) -> int:  # fmt: skip
    """Check that `path` can take the output, have `write` write it beside `path`, then put it in `path`'s place.

    A file output gives `example`, a file name to suggest when `path` is a directory; a directory output gives its
    `folder`. The system's refusals, such as a full disk or a name too long, become an ExportError with its reason.
    """
    try:
        _check_directory(path, folder) if folder else _check_file(path, example)
        return _put_in_place(path, write, directory=folder is not None)
    except OSError as e:
        fix = "free space on its disk, or give a path on another" if e.errno in OUT_OF_SPACE else "give another path"
        raise ExportError(f'cannot write "{path}": {e.strerror or e}. Nothing was written there; {fix}.') from e


def _check_file(path: Path, example: str) -> None:
    """Refuse, before anything is written, a file path the output could not take."""
    _check_parent(path)
    if path.is_dir():
        raise ExportError(f'cannot write "{path}": it is a directory. Give a file path such as "{path / example}".')


def _check_directory(path: Path, folder: Folder) -> None:
    """Refuse, before anything is written, a directory the output could not take or would wrongly replace."""
    _check_parent(path)
    if path.exists() and not path.is_dir():
        raise ExportError(f'cannot write "{path}": it is a file, and a {folder.kind} is {folder.shape}. '
                          f"Give a new directory, or an earlier {folder.kind} to replace.")  # fmt: skip
    foreign = sorted(entry.name for entry in path.iterdir() if not folder.ours(entry)) if path.exists() else []
    if foreign:
        raise ExportError(f'cannot write "{path}": it holds {", ".join(foreign[:3])}{", …" if foreign[3:] else ""}, '
                          f"which a {folder.kind} would not have written. Give a new or empty directory, or an "
                          f"earlier {folder.kind} to replace.")  # fmt: skip


def _check_parent(path: Path) -> None:
    if not path.parent.is_dir():
        raise ExportError(f'cannot write "{path}": the directory "{path.parent}" does not exist. Create it first.')


def _put_in_place(path: Path, write: Callable[[Path], int], *, directory: bool = False) -> int:
    """Run `write` on a new path beside `path`, then put what it wrote in `path`'s place; clear up if anything fails.

    A file replaces the old one in one rename. A directory cannot, so the old one is moved aside first and deleted
    only once the new one is in place.
    """
    part = path.with_name(f".timeline-export.{uuid.uuid4().hex[:12]}.part")  # short: any name `path` has fits
    old = part.with_suffix(".old")
    try:
        count = write(part)
        if directory and path.exists():
            path.rename(old)
        part.replace(path)
        return count
    except BaseException:
        if old.exists() and not path.exists():
            old.rename(path)
        raise
    finally:
        for leftover in (part, old):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            leftover.unlink(missing_ok=True)


def read_utf8(path: Path, named: str) -> str:
    """A file's text, its bytes decoded as UTF-8 and nothing else (no newline translated); `named` is how a refusal
    names the file."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{named}: bytes are not UTF-8 (0x{raw[e.start]:02x} at byte {e.start}). Save it as "
                         "UTF-8.") from None  # fmt: skip


@contextmanager
def spooled_stdin(paths: list[Path]) -> Iterator[list[Path]]:
    """The paths, with - read from standard input into a file first, since an import reads its files twice when a
    line is refused: once as columns and once line by line. A refusal names it "stdin", not the file."""
    if Path("-") not in paths:
        yield paths
        return
    with tempfile.TemporaryDirectory() as folder:
        spool = Path(folder, "stdin.jsonl")
        with spool.open("wb") as copy:
            shutil.copyfileobj(sys.stdin.buffer, copy)
        try:
            yield [spool if path == Path("-") else path for path in paths]
        except TimelineError as e:
            raise type(e)(str(e).replace(str(spool), "stdin")) from None
