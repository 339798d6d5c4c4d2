"""Provides `write_export`: the one way a file leaves the vault (reports now; letters and
backups later), with the checks every such file needs.

- Never onto the vault's own files (database, header, `-wal`, `-shm`, `-journal`, lock
  file), whatever the spelling: relative, with `..`, through a symlink or a hard link, or in
  another letter case (macOS disks ignore case).
- Never onto something that is not an ordinary file: a folder, a device, a pipe (FIFO), or
  a symlink to one.
- Never replaces an existing file unless the caller says so (`replace=True`: the command
  line's `--force`, or the adviser's yes in the app). Without it, even a file that appears
  between the check and the write is left alone.
- Written through a temp file in the target folder and renamed (`atomic_file`), mode 0600.
- When the disk refuses, the message says why: a missing folder, a full disk, no
  permission, a read-only disk.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.display_text import visible
from confidant_tui.errors import ConfidantError, InvalidInput, StorageError
from confidant_tui.i18n import _
from confidant_tui.paths import header_path, lock_path

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside the database (the journal only outside WAL mode)."""


class OutputRefused(InvalidInput):
    """The chosen output path is one Confidant never writes to (a vault file, a device)."""


class OutputExists(InvalidInput):
    """The chosen output file exists and replacing it was not allowed.

    Args:
        message: the adviser-facing message.
        path: the existing file, so the app can ask whether to replace it.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def vault_files(vault_path: Path) -> tuple[Path, ...]:
    """The files that make up the vault at `vault_path`: never a target for an export."""
    database = Path(vault_path).expanduser()
    side = tuple(database.with_name(database.name + suffix) for suffix in SQLITE_SIDE_FILES)
    return (database, header_path(database), lock_path(database), *side)


def check_output_path(path: Path, *, vault_path: Path | None, replace: bool = False) -> Path:
    """Checks that an export may be written to `path`; returns it as an absolute path.

    Args:
        path: the file the adviser named (`~` is expanded; relative to the working folder).
        vault_path: the open vault's database file (None: no vault to protect).
        replace: an existing ordinary file may be replaced.

    Raises:
        OutputRefused: `path` is one of the vault's files, a folder, or no ordinary file.
        OutputExists: `path` exists and `replace` is False.
        StorageError: the folder does not exist, is no folder or cannot be looked at.
    """
    target = Path(os.path.abspath(Path(path).expanduser()))
    if Path(path).name in ("", ".", ".."):
        raise OutputRefused(_("{path} is a folder; name a file.").format(path=visible(path)))
    folder = target.parent
    try:
        folder_mode = os.stat(folder).st_mode
    except OSError as error:
        raise storage_error(error, target) from None
    if not stat.S_ISDIR(folder_mode):
        raise storage_error(OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)), target)
    if vault_path is not None and _is_vault_file(target, vault_path):
        raise OutputRefused(
            _("{path} is one of the vault's own files; choose another name.").format(
                path=visible(target)
            )
        )
    try:
        os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise storage_error(error, target) from None
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:  # a symlink to nothing: replacing it replaces the link only
        mode = stat.S_IFREG
    except OSError as error:
        raise storage_error(error, target) from None
    if stat.S_ISDIR(mode):
        raise OutputRefused(_("{path} is a folder; name a file.").format(path=visible(target)))
    if not stat.S_ISREG(mode):
        raise OutputRefused(
            _(
                "{path} is not an ordinary file (it is a device or a pipe); Confidant will not "
                "write to it."
            ).format(path=visible(target))
        )
    if not replace:
        raise OutputExists(
            _("{path} already exists; it was not replaced.").format(path=visible(target)),
            target,
        )
    return target


def _is_vault_file(target: Path, vault_path: Path) -> bool:
    """Whether `target` names a vault file under any spelling, link or letter case."""
    resolved = target.resolve()
    for own in vault_files(vault_path):
        own_resolved = Path(os.path.abspath(own)).resolve()
        if resolved == own_resolved:
            return True
        if (
            resolved.parent == own_resolved.parent
            and resolved.name.casefold() == own_resolved.name.casefold()
        ):
            return True
        try:
            if os.path.samefile(target, own):
                return True
        except OSError:
            continue
    return False


def write_export(
    path: Path, data: bytes, *, vault_path: Path | None, replace: bool = False
) -> Path:
    """Writes a file that leaves the vault, after `check_output_path`.

    Args:
        path: the file the adviser named.
        data: its whole content.
        vault_path: the open vault's database file (never written over).
        replace: an existing ordinary file may be replaced (`--force`, or the adviser said
            yes). Without it an existing file is never touched, even one that appears
            while this runs.

    Returns:
        The absolute path written.

    Raises:
        InvalidInput, OutputRefused, OutputExists, StorageError: see `check_output_path`;
            StorageError also when the disk refuses the write (full, read-only, quota),
            with the reason. The target is then unchanged and no temp file is left.
    """
    target = check_output_path(path, vault_path=vault_path, replace=replace)
    try:
        write_private_atomically(target, data, replace=replace)
    except FileExistsError:
        raise OutputExists(
            _("{path} already exists; it was not replaced.").format(path=visible(target)),
            target,
        ) from None
    except OSError as error:
        raise storage_error(error, target) from None
    return target


def storage_error(error: OSError, path: Path) -> ConfidantError:
    """The adviser-facing error for a refused write of `path`, saying why.

    Args:
        error: what the operating system said.
        path: the file that was being written.

    Returns:
        `StorageError` (exit code 6) naming the reason: a missing folder, a full disk, no
        permission, a read-only disk, ...; `InvalidInput` for a name that is too long or a
        folder given as the file.
    """
    shown = visible(path)
    folder = visible(Path(path).parent)
    code = error.errno
    if code == errno.ENOENT:
        return StorageError(
            _("{path} could not be saved: the folder {folder} does not exist.").format(
                path=shown, folder=folder
            )
        )
    if code == errno.ENOTDIR:
        return StorageError(
            _("{path} could not be saved: {folder} is not a folder.").format(
                path=shown, folder=folder
            )
        )
    if code == errno.EISDIR:
        return OutputRefused(_("{path} is a folder; name a file.").format(path=shown))
    if code == errno.ENAMETOOLONG:
        return InvalidInput(
            _("{path} could not be saved: the name is too long.").format(path=shown)
        )
    reasons = {
        errno.ENOSPC: _("{path} could not be saved: the disk is full."),
        errno.EDQUOT: _("{path} could not be saved: your disk quota is used up."),
        errno.EROFS: _("{path} could not be saved: the disk is read-only."),
        errno.EACCES: _("{path} could not be saved: you have no permission to write there."),
        errno.EPERM: _("{path} could not be saved: you have no permission to write there."),
        errno.EFBIG: _("{path} could not be saved: the file is too large for this disk."),
        errno.EIO: _("{path} could not be saved: the disk reported a read or write error."),
    }
    if code in reasons:
        return StorageError(reasons[code].format(path=shown))
    name = errno.errorcode.get(code or 0, str(code))
    return StorageError(
        _("{path} could not be saved (the system said {reason}).").format(path=shown, reason=name)
    )
