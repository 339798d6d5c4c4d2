"""A vault that went back in time is reported (exit 7); a vault that did not, is not.

Every case goes through the real `confidant check` and through a writer (`organisation
add`), which must refuse with exit 7 and change no byte of the vault or of this computer's
state record, while a reader (`report`) still works. What a rollback looks like here:

- saves lost after a crash: a child commits cases and is SIGKILLed before any checkpoint,
  so its commits live only in the `-wal`; the `-wal` is then deleted or damaged;
- the database file alone replaced by an older copy (its header is newer);
- database and header replaced by older copies (this computer's state record is newer);
- an older backup pair copied over the vault's files (instead of `confidant restore`).

Not a rollback: a normal crash (the `-wal` intact), a header older than its database (a
crash between commit and header write), `check` on a backup, a normal restore of an older
backup, a vault of release 0.1.0 without a counter, and `check` running beside a writer
that commits in a loop.
"""

from __future__ import annotations

import json
import shutil
import signal
import threading
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from proof_helpers import (
    Progress,
    cli,
    header_counter,
    numbered_cases,
    sidecars,
    start_writer,
    vault_files,
    wait_for_done,
)

from confidant_tui.paths import header_path
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault import migrations
from confidant_tui.vault.store import Vault
from tests.unit.vault.release_vaults import copy_release, manifest, snapshot

CASES = 30
"""How many cases the crashing child saves (each its own commit)."""
WAL_HEADER, FRAME_HEADER = 32, 24


def check(path: Path, lang: str | None = None) -> tuple[int, str]:
    result = cli("check", "--vault", str(path), "--passphrase-stdin", stdin=PASSPHRASE, lang=lang)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr


def state_bytes(path: Path) -> bytes | None:
    record = fresh.state_record_path(path, header_file.read(header_path(path)).vault_id)
    return record.read_bytes() if record.exists() else None


def crashed_vault(path: Path) -> None:
    """A child saves CASES cases and is killed before it closes (nothing checkpointed)."""
    child = start_writer(path, PASSPHRASE, CASES)
    assert wait_for_done(child) == CASES
    child.send_signal(signal.SIGKILL)
    child.wait()
    wal, _shm = sidecars(path)
    assert wal.stat().st_size > 0
    assert header_counter(path) == CASES


def assert_writer_refused_and_reader_works(
    path: Path, missing: int, *, backup_copy: bool = False
) -> None:
    """`organisation add` refuses with exit 7 and changes nothing; a reader still works.

    `backup_copy`: the database is a backup's, in rollback-journal mode. Any opening as a
    vault (reader or writer) switches it to WAL, which rewrites page 1 but not the contents;
    the contents are read first (making that switch), then no byte may change.
    """
    contents = snapshot(path, PASSPHRASE) if backup_copy else None
    before, state_before = vault_files(path), state_bytes(path)
    refused = cli(
        "organisation", "add", "Nieuwe organisatie", "--vault", str(path), "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert refused.returncode == 7, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    assert str(missing) in refused.stderr
    assert "oudere kopie" in refused.stderr or "'-wal'" in refused.stderr
    assert vault_files(path) == before
    assert state_bytes(path) == state_before
    if contents is not None:
        assert snapshot(path, PASSPHRASE) == contents
    report = path.parent.parent / "report.md"
    made = cli(
        "report", "--year", "2026", "--out", str(report), "--vault", str(path),
        "--passphrase-stdin", stdin=PASSPHRASE,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert report.stat().st_size > 0
    report.unlink()


def backup(path: Path, tmp_path: Path) -> Path:
    """A backup of the vault through `confidant backup` (in tmp_path/backups)."""
    kopie = tmp_path / "backups" / "kopie.vault"
    kopie.parent.mkdir()
    made = cli("backup", str(kopie), "--vault", str(path), "--passphrase-stdin", stdin=PASSPHRASE)
    assert made.returncode == 0, made.stdout + made.stderr
    return kopie


def write_rows(path: Path, count: int, tag: str) -> None:
    """`count` saves from this process, one row each."""
    with Vault.open(path, PASSPHRASE) as vault:
        for number in range(count):
            with vault.transaction() as conn:
                conn.execute("INSERT INTO meta(key, value) VALUES (?, 'x')", (f"{tag}{number}",))


# -- reported ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_deleted_wal_after_a_crash_is_reported(vault_path: Path) -> None:
    crashed_vault(vault_path)
    wal, shm = sidecars(vault_path)
    wal.unlink()  # the -shm stays, as it would when only the -wal were lost
    assert shm.exists()
    code, out = check(vault_path)
    assert code == 7, out
    assert f"De database mist {CASES} opgeslagen wijzigingen" in out
    assert "de kluis is teruggegaan in de tijd" in out
    code, out = check(vault_path, lang="en")
    assert code == 7, out
    assert f"The database lacks {CASES} saves that its header records" in out
    assert "Verdict: no damage found, but saves are missing" in out
    assert numbered_cases(snapshot(vault_path, PASSPHRASE)) == []
    assert_writer_refused_and_reader_works(vault_path, CASES)


@pytest.mark.slow
def test_a_damaged_wal_after_a_crash_is_reported_as_lost_saves(
    vault_path: Path, tmp_path: Path
) -> None:
    """A flipped bit in a `-wal` frame fails SQLite's frame checksum: that frame and all
    after it are ignored, so the damage shows as lost saves (exit 7), never as a damaged
    page (exit 4): SQLCipher never sees the flipped page."""
    crashed_vault(vault_path)
    wal, _shm = sidecars(vault_path)
    saved = tmp_path / "crashed"
    shutil.copytree(vault_path.parent, saved)
    state = state_bytes(vault_path)
    page = 4096
    frames = (wal.stat().st_size - WAL_HEADER) // (FRAME_HEADER + page)
    assert (wal.stat().st_size - WAL_HEADER) % (FRAME_HEADER + page) == 0
    positions = {
        "the last frame's page": WAL_HEADER + (frames - 1) * (FRAME_HEADER + page) + 24 + 700,
        "a late frame's header": WAL_HEADER + (frames - 8) * (FRAME_HEADER + page) + 3,
        "a frame halfway": WAL_HEADER + (frames // 2) * (FRAME_HEADER + page) + 24 + 4000,
    }
    seen = {}
    for name, offset in positions.items():
        shutil.rmtree(vault_path.parent)
        shutil.copytree(saved, vault_path.parent)
        data = bytearray(wal.read_bytes())
        data[offset] ^= 0x08
        wal.write_bytes(bytes(data))
        code, out = check(vault_path)
        assert code == 7, f"{name}: {out}"
        kept = numbered_cases(snapshot(vault_path, PASSPHRASE))
        assert kept == list(range(1, len(kept) + 1)), name  # a prefix, nothing out of order
        lost = CASES - len(kept)
        assert 1 <= lost <= CASES, name
        assert f"De database mist {lost} opgeslagen wijziging" in out, f"{name}: {out}"
        seen[name] = lost
    assert seen["the last frame's page"] == 1
    assert seen["a frame halfway"] > seen["a late frame's header"]
    assert state_bytes(vault_path) == state
    assert_writer_refused_and_reader_works(vault_path, seen["a frame halfway"])


@pytest.mark.slow
def test_a_database_only_rollback_is_reported(vault_path: Path, tmp_path: Path) -> None:
    write_rows(vault_path, 3, "old")
    older = tmp_path / "older.vault"
    shutil.copyfile(vault_path, older)
    write_rows(vault_path, 4, "new")
    shutil.copyfile(older, vault_path)
    code, out = check(vault_path)
    assert code == 7, out
    assert "De database mist 4 opgeslagen wijzigingen die in de kop" in out
    assert_writer_refused_and_reader_works(vault_path, 4)


@pytest.mark.slow
def test_a_whole_folder_rollback_is_reported(vault_path: Path, tmp_path: Path) -> None:
    write_rows(vault_path, 3, "old")
    older = tmp_path / "older"
    older.mkdir()
    for source in (vault_path, header_path(vault_path)):
        shutil.copyfile(source, older / source.name)
    write_rows(vault_path, 5, "new")
    for source in (vault_path, header_path(vault_path)):
        shutil.copyfile(older / source.name, source)
    assert header_counter(vault_path) == 3  # database and header agree with each other
    code, out = check(vault_path)
    assert code == 7, out
    assert "Deze kluis mist 5 opgeslagen wijzigingen die deze computer eerder zag" in out
    code, out = check(vault_path, lang="en")
    assert code == 7, out
    assert "This vault lacks 5 saves that this computer saw before" in out
    assert "replaced by an older copy of itself" in out
    assert_writer_refused_and_reader_works(vault_path, 5)


@pytest.mark.slow
def test_a_backup_pair_copied_over_the_vault_is_reported(vault_path: Path, tmp_path: Path) -> None:
    """Copying an older backup over the vault's files (instead of `confidant restore`) is a
    whole-folder rollback: the backup mark must not hide it from this computer's record."""
    write_rows(vault_path, 3, "old")
    kopie = backup(vault_path, tmp_path)
    write_rows(vault_path, 4, "new")  # 5 saves: its writer first folds the backup's audit entry
    for source, target in ((kopie, vault_path), (header_path(kopie), header_path(vault_path))):
        shutil.copyfile(source, target)
    code, out = check(vault_path)
    assert code == 7, out
    assert "Deze kluis mist 5 opgeslagen wijzigingen die deze computer eerder zag" in out
    assert_writer_refused_and_reader_works(vault_path, 5, backup_copy=True)


# -- not reported --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_normal_crash_keeps_every_acknowledged_save(vault_path: Path) -> None:
    crashed_vault(vault_path)
    code, out = check(vault_path)
    assert code == 0, out
    assert f"{CASES} opgeslagen wijzigingen, evenveel als de kop en deze computer" in out
    assert numbered_cases(snapshot(vault_path, PASSPHRASE)) == list(range(1, CASES + 1))
    added = cli(
        "organisation", "add", "Na de crash", "--vault", str(vault_path), "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr


@pytest.mark.slow
def test_a_lagging_header_is_fine_and_the_next_writer_repairs_it(
    vault_path: Path, tmp_path: Path
) -> None:
    """An older copy of the header alone (same passphrase): the database is ahead of it, as
    after a crash between a commit and the header write."""
    write_rows(vault_path, 2, "old")
    older = tmp_path / "older.header"
    shutil.copyfile(header_path(vault_path), older)
    write_rows(vault_path, 3, "new")
    shutil.copyfile(older, header_path(vault_path))
    assert header_counter(vault_path) == 2
    code, out = check(vault_path)
    assert code == 0, out
    assert "5 opgeslagen wijzigingen; de kop loopt achter" in out
    assert header_counter(vault_path) == 2  # a reader leaves it
    added = cli(
        "organisation", "add", "Herstelt de kop", "--vault", str(vault_path),
        "--passphrase-stdin", stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        counter = vault.freshness.database
    assert counter is not None and counter > 5
    assert header_counter(vault_path) == counter
    code, out = check(vault_path)
    assert code == 0 and "evenveel als de kop en deze computer" in out, out


@pytest.mark.slow
def test_check_on_a_backup_and_a_normal_restore_are_not_reported(
    vault_path: Path, tmp_path: Path
) -> None:
    write_rows(vault_path, 3, "old")
    kopie = backup(vault_path, tmp_path)
    write_rows(vault_path, 4, "new")
    code, out = check(kopie)  # compared with its own header: 3 saves, as it should
    assert code == 0, out
    assert "een back-up van" in out and "de 3 opgeslagen wijzigingen kloppen met de kop" in out
    restored = cli(
        "restore", str(kopie), "--yes", "--vault", str(vault_path), "--passphrase-stdin",
        stdin=PASSPHRASE,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stdout + restored.stderr
    code, out = check(vault_path)  # 3 saves now, though this computer saw 7: restored
    assert code == 0, out
    assert "3 opgeslagen wijzigingen, evenveel als de kop en deze computer" in out
    added = cli(
        "organisation", "add", "Na het terugzetten", "--vault", str(vault_path),
        "--passphrase-stdin", stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert (header_counter(vault_path) or 0) > 3  # it saved, above the restored count


@pytest.mark.slow
def test_check_beside_a_writer_committing_in_a_loop_never_reports_a_rollback(
    vault_path: Path, tmp_path: Path
) -> None:
    """Three workers run `check` over and over while a child commits (at least 200
    commits). Readers read the state record and header before their snapshot, so a commit
    in between makes the database look ahead, never behind: none may exit 7."""
    stop = tmp_path / "stop"
    progress = Progress(start_writer(vault_path, PASSPHRASE, 0, stop_file=stop), stop)
    results: list[tuple[int, int, int, str]] = []

    def run_checks() -> None:
        runs = 0
        while runs < 2 or progress.number < 200:
            start = progress.number
            code, out = check(vault_path)
            results.append((start, progress.number, code, out))
            runs += 1
            if runs > 40:
                return

    workers = [threading.Thread(target=run_checks) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=150)
    saved = progress.stop()
    assert saved >= 200, saved
    assert len(results) >= 6
    bad = [(start, end, out) for start, end, code, out in results if code != 0]
    assert bad == [], bad[0]
    # The checks really ran while commits happened (not all before or after the writer).
    assert sum(end > start for start, end, _code, _out in results) >= 3, results
    code, out = check(vault_path)
    assert code == 0 and f"{saved} opgeslagen wijzigingen" in out, out


@pytest.mark.slow
def test_a_vault_of_release_0_1_0_gains_the_counter_on_its_first_write(tmp_path: Path) -> None:
    recorded = manifest("0.1.0")
    passphrase = recorded["passphrase"]
    path = copy_release("0.1.0", tmp_path / "copy")
    assert json.loads(header_path(path).read_bytes())["version"] == 1
    before = cli("check", "--vault", str(path), "--passphrase-stdin", stdin=passphrase)
    # No damage and no rollback: only the upgrade is needed (exit 4 with its own verdict).
    assert before.returncode == 4, before.stdout + before.stderr
    assert "Opgeslagen wijzigingen: in orde (nog niet geteld in deze oudere kluis)" in (
        before.stdout
    )
    assert "de kluis moet worden bijgewerkt" in before.stdout
    rows_before = snapshot(path, passphrase)["rows"]
    added = cli(
        "organisation", "add", "Eerste schrijver", "--vault", str(path), "--passphrase-stdin",
        stdin=passphrase + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    document = json.loads(header_path(path).read_bytes())
    assert document["version"] == header_file.HEADER_VERSION == 2
    after = snapshot(path, passphrase)
    assert after["version"] == migrations.latest_version() >= 7
    assert after["rows"]["commit_counter"] == [(1, document["commit"]["counter"])]
    assert document["commit"]["counter"] >= 1
    for table, rows in rows_before.items():  # later migrations add columns, not rows
        if table != "organisations":
            assert len(after["rows"][table]) == len(rows), table
    checked = cli("check", "--vault", str(path), "--passphrase-stdin", stdin=passphrase)
    assert checked.returncode == 0, checked.stdout
    assert "evenveel als de kop en deze computer" in checked.stdout
