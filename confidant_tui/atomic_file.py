"""Provides the one way Confidant writes a whole file on disk: private, atomic and durable.

Used for the vault header, the settings and every export (report files; see
`services.exports`, which checks an export's path first): a crash at any instant leaves
either the old or the new file in place, never a half-written one, and the file is readable
only by the adviser (0600).
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EMLINK, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", -1)}
)
"""Errors of `os.link` on filesystems without hard links (FAT, some network shares)."""


def write_private_atomically(
    path: Path,
    data: bytes,
    *,
    temp_prefix: str | None = None,
    replace: bool = True,
    sync_folder: bool = True,
    sync_file: bool = True,
) -> None:
    """Writes `data` to a temp file beside `path`, fsyncs it, renames it over `path`, and
    fsyncs the folder so the rename itself survives a power loss.

    Args:
        path: the file to create or replace.
        data: its whole new content.
        temp_prefix: name prefix of the temp file (default `.<name>.`), so a caller can find
            and remove temp files that a killed process left behind.
        replace: replace `path` when it exists (the default). When False an existing
            `path` is never touched, not even one created by another process a moment
            ago: the temp file is hard-linked to `path`, which fails if the name is taken.
        sync_folder: fsync the folder after the rename (the default). Skipping it keeps the
            file whole, but a power loss may undo the rename and leave the old file.
        sync_file: fsync the temp file before the rename (the default). Skip it only for a
            file whose loss or damage after a power cut does no harm (the state record of
            `vault.freshness`): the rename may then survive while its content does not.

    Raises:
        FileExistsError: `replace` is False and `path` exists.
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
            if sync_file:
                os.fsync(handle.fileno())
        if replace:
            os.replace(temp, path)
        else:
            _place_without_replacing(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if not sync_folder:
        return
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _place_without_replacing(temp: Path, path: Path) -> None:
    """Gives the finished temp file the name `path`, unless that name is taken."""
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temp, path)
        return
    temp.unlink()
