"""Atomic writes: a temp file beside the target, then ``os.replace``; a failed run never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside *target*; on success it replaces *target*, on error it is removed.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("x")
    >>> out.read_text()
    'x'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name, the file not made here: writers (GDAL) want to create it themselves, and a file made before
    # the ``try`` (as ``mkstemp`` did) stayed behind when Ctrl-C or SIGTERM landed in between. The name keeps
    # the extension: GDAL picks drivers and conformance by it.
    tmp = target.parent / f".{target.stem}.{secrets.token_hex(6)}.part{target.suffix}"
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically and return the target path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write bytes atomically and return the target path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)
