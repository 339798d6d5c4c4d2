"""Where an export may be written (`services.exports`), and `confidant report --out/--force`.

Never onto the vault's own files under any spelling, never onto a folder, device or pipe,
never over an existing file without consent, and a refused write says why.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.errors import ExitCode, StorageError
from confidant_tui.services import exports
from confidant_tui.services.exports import OutputExists, OutputRefused, write_export

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_vault(tmp_path: Path) -> Path:
    """A folder with files named like a vault's (content only matters for 'unchanged')."""
    folder = tmp_path / "kluis"
    folder.mkdir()
    database = folder / "confidant.vault"
    for path in exports.vault_files(database)[:4]:  # database, header, lock, -wal
        path.write_bytes(b"VAULT " + path.name.encode())
    return database


def _contents(database: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in database.parent.iterdir() if p.is_file()}


def _spellings(database: Path, tmp_path: Path) -> list[Path]:
    folder = database.parent
    (tmp_path / "link-to-lock").symlink_to(folder / "confidant.vault.lock")
    (tmp_path / "link-to-shm").symlink_to(folder / "confidant.vault-shm")  # dangling
    (tmp_path / "folder-link").symlink_to(folder, target_is_directory=True)
    os.link(folder / "confidant.vault.header", tmp_path / "hard-link-to-header")
    return [
        database,
        folder / "confidant.vault.header",
        folder / "confidant.vault.lock",
        folder / "confidant.vault-wal",
        folder / "confidant.vault-shm",  # does not exist yet: SQLite makes it later
        folder / "confidant.vault-journal",
        folder / ".." / "kluis" / "confidant.vault.lock",
        Path(os.path.relpath(folder / "confidant.vault.lock")),
        tmp_path / "link-to-lock",
        tmp_path / "link-to-shm",
        tmp_path / "folder-link" / "confidant.vault",
        tmp_path / "hard-link-to-header",
        folder / "CONFIDANT.VAULT-WAL",  # the same file on a disk that ignores case
    ]


@pytest.mark.parametrize("replace", [False, True])
def test_no_spelling_of_a_vault_file_is_written(
    fake_vault: Path, tmp_path: Path, replace: bool
) -> None:
    before = _contents(fake_vault)
    for target in _spellings(fake_vault, tmp_path):
        with pytest.raises(OutputRefused, match="bestanden van de kluis zelf"):
            write_export(target, b"report", vault_path=fake_vault, replace=replace)
        assert _contents(fake_vault) == before, target
    assert not (fake_vault.parent / "confidant.vault-shm").exists()
    assert os.path.islink(tmp_path / "link-to-lock") and os.path.islink(tmp_path / "link-to-shm")


def test_a_report_beside_the_vault_is_fine(fake_vault: Path) -> None:
    written = write_export(fake_vault.parent / "verslag.md", b"x", vault_path=fake_vault)
    assert written.read_bytes() == b"x"


def test_folders_devices_and_pipes_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "to-folder").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "to-pipe").symlink_to(fifo)
    for target, reason in [
        (tmp_path, "is een map"),
        (tmp_path / ".", "is een map"),
        (tmp_path / "to-folder", "is een map"),
        (fifo, "geen gewoon bestand"),  # opening it would hang: it is never opened
        (tmp_path / "to-pipe", "geen gewoon bestand"),
    ]:
        with pytest.raises(OutputRefused, match=reason):
            write_export(target, b"x", vault_path=None, replace=True)
    # A real device only through the check: should the check ever break, a test run as root
    # must not replace /dev/null itself.
    with pytest.raises(OutputRefused, match="geen gewoon bestand"):
        exports.check_output_path(Path("/dev/null"), vault_path=None, replace=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.path.islink(tmp_path / "to-pipe")


def test_an_existing_file_is_replaced_only_when_allowed(tmp_path: Path) -> None:
    target = tmp_path / "verslag.md"
    target.write_bytes(b"old")
    target.chmod(0o644)
    with pytest.raises(OutputExists, match="bestaat al") as caught:
        write_export(target, b"new", vault_path=None)
    assert caught.value.path == target
    assert target.read_bytes() == b"old"
    with pytest.raises(OutputExists):
        exports.check_output_path(target, vault_path=None)  # before any work is done
    write_export(target, b"new", vault_path=None, replace=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verslag.md"], "no temp file left"


def test_a_file_that_appears_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "verslag.md"
    target.write_bytes(b"made meanwhile by someone else")
    with pytest.raises(FileExistsError):
        write_private_atomically(target, b"report", replace=False)
    assert target.read_bytes() == b"made meanwhile by someone else"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verslag.md"]


def test_without_hard_links_the_name_is_still_not_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    fresh = tmp_path / "fresh.md"
    write_private_atomically(fresh, b"report", replace=False)
    assert fresh.read_bytes() == b"report"
    with pytest.raises(FileExistsError):
        write_private_atomically(fresh, b"again", replace=False)
    assert fresh.read_bytes() == b"report"


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"de map .*nergens bestaat niet"):
        write_export(tmp_path / "nergens" / "r.md", b"x", vault_path=None)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StorageError, match="is geen map"):
        write_export(tmp_path / "a-file" / "r.md", b"x", vault_path=None)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "de schijf is vol"),
        (errno.EDQUOT, "schijfquotum is op"),
        (errno.EROFS, "alleen-lezen"),
        (errno.EACCES, "geen toestemming"),
        (errno.EIO, "lees- of schrijffout"),
        (errno.EXDEV, "EXDEV"),
    ],
)
def test_a_refused_write_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    real_fsync = os.fsync

    def refuse(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(StorageError, match=reason):
        write_export(tmp_path / "r.md", b"x", vault_path=None)
    assert not list(tmp_path.iterdir()), "neither the file nor a temp file is left"


# -- through the command ----------------------------------------------------------------------


def cli(
    *args: str, preexec: Callable[[], None] | None = None, stdin: str = PASSPHRASE + "\n"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args, "--passphrase-stdin"],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        preexec_fn=preexec,
    )


def _report(
    vault: Path, out: Path | str, *extra: str, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return cli(
        "report",
        "--vault",
        str(vault),
        "--year",
        "2025",
        "--out",
        str(out),
        *extra,
        preexec=preexec,
    )


@pytest.mark.slow
@pytest.mark.parametrize("form", ["md", "csv", "json", "pdf"])
def test_report_never_replaces_the_lock_file_or_header(vault_path: Path, form: str) -> None:
    lock, header = (
        vault_path.with_name("confidant.vault.lock"),
        vault_path.with_name("confidant.vault.header"),
    )
    lock.touch()
    before = (os.stat(lock).st_ino, header.read_bytes())
    for out in (lock, vault_path.parent / ".." / vault_path.parent.name / header.name):
        result = _report(vault_path, out, "--format", form, "--force")
        assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
        assert "bestanden van de kluis zelf" in result.stderr
    assert (os.stat(lock).st_ino, header.read_bytes()) == before
    assert lock.read_bytes() == b""


@pytest.mark.slow
def test_report_asks_for_force_before_replacing(vault_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "verslag.md"
    out.write_text("older version\n")
    refused = _report(vault_path, out)
    assert refused.returncode == ExitCode.INVALID_INPUT
    assert "--force" in refused.stderr and "bestaat al" in refused.stderr
    assert out.read_text() == "older version\n"
    before_passphrase = cli(
        "report", "--vault", str(vault_path), "--year", "2025", "--out", str(out), stdin=""
    )
    assert before_passphrase.returncode == ExitCode.INVALID_INPUT, "refused before asking"
    replaced = _report(vault_path, out, "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert out.read_text().startswith("# Jaarverslag")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.slow
def test_report_refuses_a_pipe_at_once_and_names_a_missing_folder(
    vault_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = _report(vault_path, fifo, "--force")  # would hang if the pipe were opened
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "geen gewoon bestand" in result.stderr
    missing = _report(vault_path, tmp_path / "weg" / "r.md")
    assert missing.returncode == ExitCode.STORAGE
    assert f"de map {tmp_path / 'weg'} bestaat niet" in missing.stderr
    folder = _report(vault_path, tmp_path)
    assert folder.returncode == ExitCode.INVALID_INPUT and "is een map" in folder.stderr


FULL_DISK = """
import errno, os, sys
real_fsync = os.fsync
def fsync(fd):
    if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    real_fsync(fd)
os.fsync = fsync
from confidant_tui.cli.main import main
sys.exit(main(sys.argv[1:]))
"""
"""Runs `confidant` on a disk that is full for the export (fsync of its temp file fails)."""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("form", ["md", "pdf"])
def test_report_on_a_full_disk_says_so(vault_path: Path, tmp_path: Path, form: str) -> None:
    out = tmp_path / f"r.{form}"
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    result = subprocess.run(
        [
            *(sys.executable, "-c", FULL_DISK, "report", "--vault", str(vault_path)),
            *("--year", "2025", "--format", form, "--out", str(out)),
            *("--passphrase-stdin", "--lang", "en"),
        ],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == ExitCode.STORAGE, result.stderr
    assert f"{out} could not be saved: the disk is full." in result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("r.", ".r."))]
