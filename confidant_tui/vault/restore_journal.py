"""Provides the swap of a restore and the repair of a swap that was interrupted.

A restore puts two verified new files (database and header, made beside the target under
temp names) in place of the vault's files. So that a crash or SIGKILL at any instant leaves
exactly one openable vault with all its data, the swap is written down first, in a journal
file `<vault>.restore.json` (written atomically), naming:

- the two new files by name and inode (a rename keeps the inode, so after a crash the
  repair can tell which file is at the vault's names: the new one or the old one);
- the vault's existing files (database, header, `-wal`, `-shm`) and the names they are
  kept under aside (`<vault>.replaced-<UTC moment>`, `...header`, `...-wal`, `...-shm`:
  a pair that opens as a vault itself).

Then the old files are renamed aside, the new ones into place, and the folder is synced.
The repair (`repair`, under the writer lock) finishes a swap whose two new files are both
in place (they were verified before the swap) and otherwise puts the old files back. It
runs from `finish_interrupted_restore`, which `vault.opening.read_header_for` calls before
every open and check, so the next open of the vault heals it.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.display_text import visible
from confidant_tui.errors import StorageError, VaultInUse, VaultUnusable
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault.lock import WriterLock

JOURNAL_SUFFIX = ".restore.json"
JOURNAL_FORMAT = "confidant-restore-journal"
SIDECARS = ("-wal", "-shm")
"""SQLite's files beside a database in WAL mode: moved aside with it."""
_LEFTOVER_SIDECARS = ("-wal", "-shm", "-journal")
_MAX_JOURNAL_BYTES = 16 * 1024


def journal_path(target: Path) -> Path:
    """The journal of a restore onto the vault at `target`."""
    return target.with_name(target.name + JOURNAL_SUFFIX)


def aside_names(target: Path, stamp: str) -> list[tuple[str, str]]:
    """(vault file, its name aside) for the database, header and SQLite's files."""
    base = f"{target.name}.replaced-{stamp}"
    pairs = [(target.name, base), (header_path(target).name, header_path(Path(base)).name)]
    pairs += [(target.name + suffix, base + suffix) for suffix in SIDECARS]
    return pairs


def sync_folder(folder: Path) -> None:
    """Flushes a folder's entries (renames, removals) to the disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_journal(
    target: Path, *, vault_id: str, new_database: Path, new_header: Path, stamp: str
) -> dict[str, object]:
    """Writes the journal of a swap (atomically, folder synced) and returns it.

    Only the vault's files that exist now are listed to be moved aside.
    """
    folder = target.parent
    aside = [[own, kept] for own, kept in aside_names(target, stamp) if (folder / own).exists()]
    document: dict[str, object] = {
        "format": JOURNAL_FORMAT,
        "version": 1,
        "vault_id": vault_id,
        "new_database": [new_database.name, new_database.stat().st_ino],
        "new_header": [new_header.name, new_header.stat().st_ino],
        "aside": aside,
    }
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    write_private_atomically(journal_path(target), data)
    return document


def swap(target: Path, journal: dict[str, object]) -> None:
    """Moves the vault's files aside and the new files into place, as the journal says;
    syncs the folder. The caller undoes it (`undo`) when this raises."""
    folder = target.parent
    for own, kept in _aside(journal):
        with suppress(FileNotFoundError):
            os.rename(folder / own, folder / kept)
            os.chmod(folder / kept, 0o600)
    os.rename(folder / _new(journal, "new_header")[0], header_path(target))
    os.rename(folder / _new(journal, "new_database")[0], target)
    sync_folder(folder)


def _is_name(value: object) -> bool:
    """A plain file name (no folder part): a journal names files in the vault's folder only."""
    return (
        isinstance(value, str)
        and value not in ("", ".", "..")
        and "/" not in value
        and "\x00" not in value
    )


def _new(journal: dict[str, object], field: str) -> tuple[str, int]:
    value = journal.get(field)
    if (
        isinstance(value, list)
        and len(value) == 2
        and _is_name(value[0])
        and isinstance(value[1], int)
    ):
        return str(value[0]), int(value[1])
    raise ValueError(field)


def _aside(journal: dict[str, object]) -> list[tuple[str, str]]:
    value = journal.get("aside")
    if not isinstance(value, list):
        raise ValueError("aside")
    pairs: list[tuple[str, str]] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and all(_is_name(v) for v in item)):
            raise ValueError("aside")
        pairs.append((str(item[0]), str(item[1])))
    return pairs


def read_journal(target: Path) -> dict[str, object] | None:
    """The journal of an interrupted restore at `target` (None: none).

    Raises:
        VaultUnusable: a journal exists but cannot be read.
    """
    path = journal_path(target)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_JOURNAL_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError:
        raise _unreadable(path) from None
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != JOURNAL_FORMAT:
            raise ValueError("format")
        _new(document, "new_database")
        _new(document, "new_header")
        _aside(document)
        if not isinstance(document.get("vault_id"), str):
            raise ValueError("vault_id")
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _unreadable(path) from None
    return document


def _unreadable(path: Path) -> VaultUnusable:
    return VaultUnusable(
        _(
            "An interrupted restore left {path}, which cannot be read. Keep the vault folder "
            "as it is and ask for help."
        ).format(path=visible(path))
    )


def _is_new(path: Path, inode: int) -> bool:
    try:
        return path.lstat().st_ino == inode
    except FileNotFoundError:
        return False


def repair(target: Path) -> None:
    """Finishes or undoes an interrupted swap at `target`; the caller holds the writer lock.

    Both new files in place: the swap is finished (this computer's record follows the
    restored count of saves, the old files aside are removed). Otherwise the old files
    are put back and the new ones removed.
    """
    journal = read_journal(target)
    if journal is None:
        return
    _database_name, database_inode = _new(journal, "new_database")
    _header_name, header_inode = _new(journal, "new_header")
    if _is_new(target, database_inode) and _is_new(header_path(target), header_inode):
        finish(target, journal)
    else:
        undo(target, journal)


def finish(target: Path, journal: dict[str, object]) -> None:
    """Completes a swap whose new files are in place: records the restored count of saves
    for this computer, removes the old files aside and the journal."""
    folder = target.parent
    restored = header_file.read(header_path(target))
    if restored.commit is not None:
        try:
            fresh.write_state(target, restored.vault_id, restored.commit)
        except OSError:
            try:
                fresh.forget_state(target, restored.vault_id)
            except OSError:
                raise StorageError(
                    _(
                        "This computer's record of the vault could not be updated; the "
                        "restore was not finished."
                    )
                ) from None
    for _own, kept in _aside(journal):
        (folder / kept).unlink(missing_ok=True)
    sync_folder(folder)
    journal_path(target).unlink(missing_ok=True)
    sync_folder(folder)


def undo(target: Path, journal: dict[str, object]) -> None:
    """Puts the old files back in place (header first, then the database, then SQLite's
    files), removes the new ones and the journal. Safe to repeat after a crash."""
    folder = target.parent
    aside = dict(_aside(journal))
    news = {
        header_path(target).name: _new(journal, "new_header"),
        target.name: _new(journal, "new_database"),
    }
    for own, (temp_name, inode) in news.items():
        kept = aside.get(own)
        if kept is not None and (folder / kept).exists():
            os.replace(folder / kept, folder / own)
        elif kept is None and _is_new(folder / own, inode):
            (folder / own).unlink()
        (folder / temp_name).unlink(missing_ok=True)
    for suffix in _LEFTOVER_SIDECARS:
        own = target.name + suffix
        kept = aside.get(own)
        if kept is not None and (folder / kept).exists():
            os.replace(folder / kept, folder / own)
        elif kept is None:
            (folder / own).unlink(missing_ok=True)
    sync_folder(folder)
    journal_path(target).unlink(missing_ok=True)
    sync_folder(folder)


_STALE_SUFFIXES = (".restoring", ".restoring-journal", ".tmp")


def sweep_stale_temps(target: Path) -> None:
    """Removes the temp files a killed restore left beside the vault at `target`: the
    encrypted copies `.<vault>.<hex>.restoring` (and `.<vault>.header.<hex>.restoring`) and
    the journal's own `.<vault>.restore.json.<hex>.tmp`. Call only with the writer lock held
    and no journal in place (`repair` first), so no live restore is disturbed."""
    if journal_path(target).exists():
        return
    folder = target.parent
    prefixes = tuple(
        f".{name}." for name in (target.name, header_path(target).name, journal_path(target).name)
    )
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for item in entries:
        if item.name.startswith(prefixes) and item.name.endswith(_STALE_SUFFIXES):
            with suppress(OSError):
                item.unlink()


def finish_interrupted_restore(path: Path) -> None:
    """Finishes or undoes a restore at `path` that was interrupted (cheap without a journal).

    Takes the writer lock without waiting; when another process holds it (a restore may
    be running there), the files are left alone, and only when they are mid-swap (the
    database or its header is missing) is `VaultInUse` raised.

    Raises:
        VaultInUse: a restore is running in another process and the vault is mid-swap.
        VaultUnusable: the journal cannot be read.
    """
    if not journal_path(path).exists():
        return
    lock = WriterLock(path)
    try:
        lock.acquire()
    except VaultInUse:
        if path.exists() and header_path(path).exists():
            return
        raise
    except StorageError:
        return  # a folder we cannot write: nothing can be repaired here
    try:
        repair(path)
        sweep_stale_temps(path)
    finally:
        lock.release()
