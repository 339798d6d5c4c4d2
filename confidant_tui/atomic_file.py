"""Provides the one way Confidant replaces a file on disk: private, atomic and durable.

Used for the vault header, the settings and the report files: a crash at any instant leaves
either the old or the new file in place, never a half-written one, and the file is readable
only by the adviser (0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private_atomically(path: Path, data: bytes, *, temp_prefix: str | None = None) -> None:
    """Writes `data` to a temp file beside `path`, fsyncs it, renames it over `path`, and
    fsyncs the folder so the rename itself survives a power loss.

    Args:
        path: the file to create or replace.
        data: its whole new content.
        temp_prefix: name prefix of the temp file (default `.<name>.`), so a caller can find
            and remove temp files that a killed process left behind.

    Raises:
        OSError: the disk refused; the temp file is removed and `path` is unchanged.
    """
    folder = path.parent
    prefix = temp_prefix if temp_prefix is not None else f".{path.name}."
    temp = folder / f"{prefix}{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
