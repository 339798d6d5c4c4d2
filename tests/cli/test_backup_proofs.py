"""Backups and restores, proved through the real commands.

- A backup made while a child process commits is one consistent snapshot: it holds exactly
  the cases 1..k the writer saved (each with all its rows) and the commit counter k; it
  checks clean; restored, it equals itself table by table, row by row.
- A marker written into the vault is in no backup file, in UTF-8 nor UTF-16.
- A flipped bit anywhere in a backup (database pages and header): `check` fails with exit 4
  and `restore` refuses it, leaving the target vault byte for byte as it was.
- A restore killed at random moments always leaves exactly one vault that opens, with all
  the data of either the old vault or the backup; a later `restore` and `check` work.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE
from proof_helpers import (
    REPO,
    Progress,
    cli,
    env,
    header_counter,
    numbered_cases,
    start_writer,
    vault_files,
    write_cases,
)

from confidant_tui.cli.main import main
from confidant_tui.errors import WrongPassphrase
from confidant_tui.paths import header_path
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf
from confidant_tui.vault.store import Vault
from tests.unit.vault.release_vaults import snapshot
from tests.unit.vault.test_no_plaintext import _encodings, _files_containing

BACKUP_PASSPHRASE = "a separate passphrase for the copy at the office"
PER_CASE = {"case_categories": 1, "people": 2, "reporters": 1, "reporter_identities": 1}
"""The rows the writer's every case has in these tables (saved in the case's transaction)."""


def backup(vault: Path, dest: Path, *extra: str, stdin: str = PASSPHRASE + "\n") -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    made = cli(
        "backup", str(dest), "--vault", str(vault), "--passphrase-stdin", *extra, stdin=stdin
    )
    assert made.returncode == 0, made.stdout + made.stderr


def check_code(path: Path, passphrase: str = PASSPHRASE) -> tuple[int, str]:
    result = cli("check", "--vault", str(path), "--passphrase-stdin", stdin=passphrase + "\n")
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


def restore_args(source: Path, target: Path) -> list[str]:
    return ["restore", str(source), "--yes", "--vault", str(target), "--passphrase-stdin"]


def snapshot_of_backup(backup_path: Path, scratch: Path, passphrase: str = PASSPHRASE) -> Any:
    """The backup's contents, read from a copy (opening a file as a vault sets WAL mode;
    the backup itself must stay as it is)."""
    scratch.mkdir()
    copy = scratch / backup_path.name
    shutil.copyfile(backup_path, copy)
    shutil.copyfile(header_path(backup_path), header_path(copy))
    return snapshot(copy, passphrase)


@pytest.fixture
def memoised_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id once per (passphrase, parameters and salt) in this process: the many
    in-process runs below repeat the same derivation; a changed salt still derives anew."""
    real = kdf.derive_key
    known: dict[tuple[str, kdf.KdfParams], bytes] = {}

    def derive(passphrase: str, params: kdf.KdfParams) -> bytearray:
        if (passphrase, params) not in known:
            known[(passphrase, params)] = bytes(real(passphrase, params))
        return bytearray(known[(passphrase, params)])

    monkeypatch.setattr(kdf, "derive_key", derive)


def run_main(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str) -> int:
    """The real `confidant` in this process (its exit code)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


# -- consistency ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_backup_while_a_child_writes_is_one_consistent_snapshot(
    vault_path: Path, tmp_path: Path
) -> None:
    stop = tmp_path / "stop"
    progress = Progress(start_writer(vault_path, PASSPHRASE, 0, stop_file=stop), stop)
    progress.wait_for(20)
    backups = []
    for number in (1, 2):
        dest = tmp_path / "backups" / f"during-{number}.vault"
        before = progress.number
        backup(vault_path, dest)
        backups.append((dest, before))
    progress.wait_for(progress.number + 5)  # the writer goes on after the last backup
    saved = progress.stop()
    source = snapshot(vault_path, PASSPHRASE)
    assert numbered_cases(source) == list(range(1, saved + 1))
    for index, (dest, before) in enumerate(backups):
        files = vault_files(dest)
        code, out = check_code(dest)
        assert code == 0, out
        assert "een back-up van" in out and "kloppen met de kop" in out
        assert vault_files(dest) == files  # checking a backup changes no byte of it
        copy = snapshot_of_backup(dest, tmp_path / f"scratch-{index}")
        numbers = numbered_cases(copy)
        count = len(numbers)
        assert numbers == list(range(1, count + 1)), "not one consistent snapshot"
        assert before <= count <= saved, (before, count, saved)
        assert copy["rows"]["commit_counter"] == [(1, count)]
        assert header_counter(dest) == count
        for table, per_case in PER_CASE.items():
            assert len(copy["rows"][table]) == per_case * count, table
        for table in (*PER_CASE, "cases", "organisations", "meta"):
            assert set(copy["rows"][table]) <= set(source["rows"][table]), table
        # Restored into a new place, it equals the backup table by table, row by row.
        target = tmp_path / f"restored-{index}" / "confidant.vault"
        done = cli(*restore_args(dest, target), stdin=PASSPHRASE)
        assert done.returncode == 0, done.stdout + done.stderr
        assert snapshot(target, PASSPHRASE) == copy
        assert vault_files(dest) == files  # restoring reads the backup only
    # A backup of the quiet vault, restored, equals the source vault itself.
    quiet = tmp_path / "backups" / "quiet.vault"
    backup(vault_path, quiet)
    target = tmp_path / "restored-quiet" / "confidant.vault"
    done = cli(*restore_args(quiet, target), stdin=PASSPHRASE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert snapshot(target, PASSPHRASE) == source
    code, out = check_code(target)
    assert code == 0 and "evenveel als de kop en deze computer" in out, out


# -- no plaintext --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_marker_is_in_no_backup_file(vault_path: Path, tmp_path: Path) -> None:
    marker = f"GEHEIM-{os.urandom(6).hex()}-vertrouwelijk-é"
    write_cases(vault_path, PASSPHRASE, 3, marker=marker)
    shared, separate = tmp_path / "backups" / "shared", tmp_path / "backups" / "separate"
    backup(vault_path, shared / "kopie.vault")
    backup(vault_path, shared / "kopie.vault", "--force")  # replacing leaves nothing either
    backup(
        vault_path, separate / "kopie.vault", "--separate-passphrase",
        stdin=f"{PASSPHRASE}\n{BACKUP_PASSPHRASE}\n",
    )  # fmt: skip
    for folder in (shared, separate):
        assert sorted(os.listdir(folder)) == ["kopie.vault", "kopie.vault.header"]
    roots = [tmp_path / "backups", tmp_path / "state", tmp_path / "config"]
    needles = _encodings(marker)
    assert _files_containing(roots, needles) == []
    # The marker really is in the backups, encrypted: both open and hold it.
    shared_copy = snapshot_of_backup(shared / "kopie.vault", tmp_path / "s1")
    separate_copy = snapshot_of_backup(
        separate / "kopie.vault", tmp_path / "s2", passphrase=BACKUP_PASSPHRASE
    )
    assert numbered_cases(shared_copy, marker) == [1, 2, 3]
    assert numbered_cases(separate_copy, marker) == [1, 2, 3]
    with pytest.raises(WrongPassphrase):
        header_file.unwrap(header_file.read(header_path(separate / "kopie.vault")), PASSPHRASE)
    # The scanner finds a plain copy (so the empty result above means something).
    control = tmp_path / "backups" / "control.txt"
    control.write_text("x" + marker, encoding="utf-16-be")
    assert _files_containing(roots, needles) == [str(control)]


# -- flipped bits --------------------------------------------------------------------------


def _header_positions(raw: bytes, rng: random.Random) -> list[tuple[str, int]]:
    """Offsets in the backup's header: in each field's value, and some at random."""
    text = raw.decode("ascii")
    named = []
    for field in ('"version"', '"salt"', '"kcv"', '"ciphertext"', '"counter"', '"mac"'):
        start = text.index(field) + len(field) + 2
        named.append((f"header {field}", start + (1 if text[start] == '"' else 0)))
    named.append(("header made_at", text.index('"made_at"') + 14))
    named.append(("header checksum", text.index('"checksum"') + 20))
    named += [("header random", rng.randrange(len(raw))) for _ in range(4)]
    return named


def _database_positions(size: int, rng: random.Random) -> list[tuple[str, int]]:
    page = 4096
    pages = size // page
    assert size % page == 0 and pages > 10
    last = (pages - 1) * page
    named = [
        ("page 1 salt", 3),
        ("page 1 salt end", 15),
        ("page 1 first encrypted byte", 16),
        ("page 1 middle", 2000),
        ("page 1 IV", page - 80 + 5),
        ("page 1 MAC", page - 10),
        ("last page first byte", last),
        ("last page middle", last + 2048),
        ("last page MAC", last + page - 1),
        ("second page", page + 100),
    ]
    named += [(f"page {n // page + 1}", n) for n in sorted(rng.sample(range(size), 16))]
    return named


@pytest.mark.slow
def test_a_flipped_bit_anywhere_in_a_backup_is_refused_by_check_and_restore(
    vault_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memoised_kdf: None
) -> None:
    write_cases(vault_path, PASSPHRASE, 5)
    good = tmp_path / "good" / "kopie.vault"
    backup(vault_path, good)
    good_db, good_header = good.read_bytes(), header_path(good).read_bytes()
    target_files = vault_files(vault_path)
    state = fresh.state_record_path(vault_path, header_file.read(header_path(vault_path)).vault_id)
    state_before = state.read_bytes()
    rng = random.Random(15)
    flips = [("database", name, at) for name, at in _database_positions(len(good_db), rng)]
    flips += [("header", name, at) for name, at in _header_positions(good_header, rng)]
    assert len(flips) >= 30
    damaged = tmp_path / "damaged" / "kopie.vault"
    damaged.parent.mkdir()
    outcomes = {}
    for which, name, offset in flips:
        database, header = bytearray(good_db), bytearray(good_header)
        (database if which == "database" else header)[offset] ^= 1 << rng.randrange(8)
        damaged.write_bytes(bytes(database))
        header_path(damaged).write_bytes(bytes(header))
        checked = run_main(
            monkeypatch, ["check", "--vault", str(damaged), "--passphrase-stdin"], PASSPHRASE
        )
        restored = run_main(monkeypatch, restore_args(damaged, vault_path), PASSPHRASE)
        outcomes[name, offset] = (checked, restored)
        assert (checked, restored) == (4, 4), (
            f"{name} at {offset}: check {checked}, restore {restored}"
        )
        assert damaged.read_bytes() == bytes(database), name  # not a byte of it changed
        assert header_path(damaged).read_bytes() == bytes(header), name
        assert vault_files(vault_path) == target_files, name
        assert sorted(  # the good backup's audit entry waits there for the next writer
            n for n in os.listdir(vault_path.parent) if not n.endswith(".pending")
        ) == sorted([*target_files, vault_path.name + ".lock"]), name
        assert state.read_bytes() == state_before, name
    # Through the command line as a subprocess too: the first page, the last, the header.
    for which, at in (("database", 20), ("database", len(good_db) - 100), ("header", 40)):
        database, header = bytearray(good_db), bytearray(good_header)
        (database if which == "database" else header)[at] ^= 0x40
        damaged.write_bytes(bytes(database))
        header_path(damaged).write_bytes(bytes(header))
        code, out = check_code(damaged)
        assert code == 4, out
        assert "beschadigd" in out
        refused = cli(*restore_args(damaged, vault_path), stdin=PASSPHRASE)
        assert refused.returncode == 4, refused.stdout + refused.stderr
        assert "Traceback" not in refused.stderr
        assert vault_files(vault_path) == target_files
    # The undamaged backup passes both (so the refusals above are the flips' doing).
    damaged.write_bytes(good_db)
    header_path(damaged).write_bytes(good_header)
    assert (
        run_main(monkeypatch, ["check", "--vault", str(damaged), "--passphrase-stdin"], PASSPHRASE)
        == 0
    )
    assert run_main(monkeypatch, restore_args(damaged, vault_path), PASSPHRASE) == 0


# -- restore killed ------------------------------------------------------------------------


KILLS, MAX_ROUNDS = 22, 40
"""Restores are started until this many were killed before they finished (a restore that
finishes before its random delay ran out counts as a round, not a kill)."""


def _start_restore(source: Path, target: Path) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, "-m", "confidant_tui", *restore_args(source, target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
        cwd=REPO,
    )
    assert child.stdin is not None
    child.stdin.write(f"{BACKUP_PASSPHRASE}\n".encode())
    child.stdin.close()
    return child


def _wait_for(folder: Path, child: subprocess.Popen[bytes], seen: Callable[[str], bool]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and child.poll() is None:
        if any(seen(name) for name in os.listdir(folder)):
            return
        time.sleep(0.0003)


def _which_opens(target: Path) -> list[str]:
    """Which passphrases open the vault (opening also repairs an interrupted restore)."""
    opens = []
    for name, passphrase in (("old", PASSPHRASE), ("restored", BACKUP_PASSPHRASE)):
        try:
            vault = Vault.open(target, passphrase, read_only=True)
        except WrongPassphrase:
            continue
        with vault:
            assert not vault.freshness.went_back, (name, vault.freshness)
        opens.append(name)
    return opens


@pytest.mark.slow
def test_a_restore_killed_at_random_moments_always_leaves_one_whole_vault(
    vault_path: Path, tmp_path: Path, memoised_kdf: None
) -> None:
    """The backup (its own passphrase, 4 cases) replaces the vault (7 cases). After each
    SIGKILL exactly one of the two passphrases opens the vault, and its contents are those
    that go with that passphrase. A third of the kills come at a random moment of the whole
    run, a third just after the temp copy beside the vault appears, a third just after the
    journal of the swap appears."""
    write_cases(vault_path, PASSPHRASE, 4)
    source = tmp_path / "backups" / "kopie.vault"
    backup(
        vault_path, source, "--separate-passphrase", stdin=f"{PASSPHRASE}\n{BACKUP_PASSPHRASE}\n"
    )
    source_files = vault_files(source)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        for number in range(3):
            with vault.transaction() as conn:
                conn.execute("INSERT INTO meta(key, value) VALUES (?, 'after')", (f"n{number}",))
    expected = {
        "old": snapshot(vault_path, PASSPHRASE),
        "restored": snapshot_of_backup(source, tmp_path / "scratch", BACKUP_PASSPHRASE),
    }
    assert expected["old"] != expected["restored"]
    folder = vault_path.parent
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine)
    vault_id = header_file.read(header_path(vault_path)).vault_id
    state = fresh.state_record_path(vault_path, vault_id)
    state_before = state.read_bytes()
    # How long a whole restore takes here, for the random delays.
    started = time.monotonic()
    assert _start_restore(source, vault_path).wait(timeout=60) == 0
    whole = time.monotonic() - started
    assert _which_opens(vault_path) == ["restored"]
    rng = random.Random()
    killed, stale_temps, outcomes = 0, 0, {"old": 0, "restored": 0}
    round_number = 0
    while killed < KILLS and round_number < MAX_ROUNDS:
        round_number += 1
        shutil.rmtree(folder)
        shutil.copytree(pristine, folder)
        state.write_bytes(state_before)
        child = _start_restore(source, vault_path)
        if round_number % 3 == 0:
            time.sleep(rng.uniform(0, whole))
        elif round_number % 3 == 1:
            _wait_for(folder, child, lambda name: name.endswith(".restoring"))
            time.sleep(rng.uniform(0, 0.01))
        else:
            _wait_for(folder, child, lambda name: name.endswith(".restore.json"))
            time.sleep(rng.uniform(0, 0.004))
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed += child.returncode == -signal.SIGKILL
        opens = _which_opens(vault_path)
        assert len(opens) == 1, f"round {round_number}: {opens} open the vault"
        passphrase = PASSPHRASE if opens == ["old"] else BACKUP_PASSPHRASE
        assert snapshot(vault_path, passphrase) == expected[opens[0]], round_number
        outcomes[opens[0]] += 1
        leftovers = [
            name
            for name in os.listdir(folder)
            if (not name.startswith(vault_path.name) and not name.endswith(".pending"))
            or ".replaced-" in name
            or name.endswith(".restore.json")
        ]  # a `.pending` file: the restored vault's audit entry, for its first writer
        temps = [name for name in leftovers if name.endswith((".restoring", ".tmp"))]
        assert [name for name in leftovers if name not in temps] == [], round_number
        stale_temps += bool(temps)
        assert vault_files(source) == source_files
    assert killed >= KILLS, f"only {killed} of {round_number} restores were killed in time"
    # After the last kill, a restore runs to the end, and check finds the vault in order.
    done = cli(*restore_args(source, vault_path), stdin=BACKUP_PASSPHRASE)
    assert done.returncode == 0, done.stdout + done.stderr
    code, out = check_code(vault_path, BACKUP_PASSPHRASE)
    assert code == 0, out
    print(f"{killed} kills in {round_number} rounds: {outcomes}; {stale_temps} left a temp copy")
    # A kill before the journal is in place leaves an encrypted temp copy
    # (`.<vault>.<random>.restoring`, or the journal's own `.restore.json.<random>.tmp`);
    # the next restore (or writer) sweeps them under the writer lock.
    left = [name for name in os.listdir(folder) if name.endswith((".restoring", ".tmp"))]
    assert left == []
