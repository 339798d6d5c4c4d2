"""The `Vault` lifecycle: transactions, snapshots, read-only use, create, close and schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3
from conftest import PASSPHRASE

from confidant_tui.errors import (
    DamagedDatabase,
    StorageError,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultTooNew,
    VaultUnusable,
    WrongPassphrase,
)
from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf
from confidant_tui.vault.maintenance import change_passphrase
from confidant_tui.vault.migrations import latest_version
from confidant_tui.vault.opening import read_header_for
from confidant_tui.vault.store import Vault, sqlite_errors, translate_sqlite_error


def _meta(vault: Vault, key: str) -> str | None:
    with vault.reading() as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def test_transaction_commits(vault: Vault) -> None:
    with vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'kept')")
    assert _meta(vault, "note") == "kept"


def test_transaction_rolls_back_on_error(vault: Vault) -> None:
    with pytest.raises(RuntimeError), vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'lost')")
        raise RuntimeError("the user action failed halfway")
    assert _meta(vault, "note") is None
    with vault.transaction() as conn:  # the connection is usable again
        conn.execute("INSERT INTO meta(key, value) VALUES ('after', 'ok')")


def test_data_survives_close_and_reopen(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'durable')")
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as again:
        assert _meta(again, "note") == "durable"
        assert again.schema_version() == latest_version()


def test_reading_leaves_no_open_transaction(vault: Vault) -> None:
    with vault.reading() as conn:
        assert conn.in_transaction  # a snapshot while reading
        conn.execute("SELECT count(*) FROM meta").fetchone()
    assert not conn.in_transaction
    with pytest.raises(RuntimeError), vault.reading() as conn:
        conn.execute("SELECT count(*) FROM meta").fetchone()
        raise RuntimeError("the reader failed halfway")
    assert not conn.in_transaction
    with vault.transaction():  # a writer is not blocked by a leftover read transaction
        pass


def test_change_passphrase_takes_a_new_salt_and_nonce(vault_path: Path) -> None:
    before = read_header_for(vault_path)
    change_passphrase(vault_path, PASSPHRASE, PASSPHRASE + " and more")
    after = read_header_for(vault_path)
    assert after.kdf_params.salt != before.kdf_params.salt
    assert len(after.kdf_params.salt) == len(before.kdf_params.salt) == 16
    assert after.nonce != before.nonce
    assert after.vault_id == before.vault_id
    assert (after.kdf_params.memory_kib, after.kdf_params.time_cost) == (
        before.kdf_params.memory_kib,
        before.kdf_params.time_cost,
    )
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, PASSPHRASE)
    Vault.open(vault_path, PASSPHRASE + " and more").close()


def test_closed_vault_refuses_access_and_forgets_the_key(vault_path: Path) -> None:
    vault = Vault.open(vault_path, PASSPHRASE)
    key = vault._data_key
    vault.close()
    vault.close()  # idempotent
    assert not vault.is_open
    assert key == bytearray(32)
    with pytest.raises(VaultLocked), vault.reading():
        pass


def test_read_only_vault_refuses_writes(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        with pytest.raises(VaultUnusable), vault.transaction():
            pass
        with pytest.raises(StorageError), vault.reading() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")


def test_second_writer_is_refused_but_a_reader_may_open(vault: Vault) -> None:
    with pytest.raises(VaultInUse):
        Vault.open(vault.path, PASSPHRASE)
    with Vault.open(vault.path, PASSPHRASE, read_only=True) as reader:
        assert all(result.ok for result in reader.check())


def test_create_refuses_an_existing_database_or_header(vault_path: Path) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault_path, PASSPHRASE, kdf.floor_params())
    lonely = vault_path.with_name("other.vault")
    header_path(lonely).write_text("{}")
    with pytest.raises(VaultExists):
        Vault.create(lonely, PASSPHRASE, kdf.floor_params())
    assert not lonely.exists()


def test_failed_create_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object) -> None:
        raise StorageError("disk full")

    target = tmp_path / "new" / "confidant.vault"
    monkeypatch.setattr(header_file, "write_atomically", disk_full)
    with pytest.raises(StorageError):
        Vault.create(target, PASSPHRASE, kdf.floor_params())
    assert sorted(p.name for p in target.parent.iterdir()) == ["confidant.vault.lock"]
    monkeypatch.undo()
    Vault.create(target, PASSPHRASE, kdf.floor_params()).close()  # init can simply rerun


def test_create_in_an_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir(mode=0o500)
    try:
        if _can_write(folder):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(StorageError):
            Vault.create(folder / "confidant.vault", PASSPHRASE, kdf.floor_params())
    finally:
        folder.chmod(0o700)


def _can_write(folder: Path) -> bool:
    probe = folder / "probe"
    try:
        probe.write_text("x")
    except OSError:
        return False
    probe.unlink()
    return True


def test_empty_database_file_is_damaged_and_stays_empty(vault_path: Path) -> None:
    vault_path.write_bytes(b"")
    with pytest.raises(DamagedDatabase):
        Vault.open(vault_path, PASSPHRASE)
    assert vault_path.stat().st_size == 0


def test_header_of_another_vault_is_refused(vault_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "confidant.vault"
    Vault.create(other, PASSPHRASE, kdf.floor_params()).close()
    header_path(vault_path).write_bytes(header_path(other).read_bytes())
    with pytest.raises(DamagedDatabase) as caught:
        Vault.open(vault_path, PASSPHRASE)
    assert "ander" in caught.value.message


def test_database_from_a_newer_schema_is_refused(vault_path: Path) -> None:
    key = header_file.unwrap(read_header_for(vault_path), PASSPHRASE)
    conn = sqlcipher3.connect(str(vault_path))
    conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    with pytest.raises(VaultTooNew):
        Vault.open(vault_path, PASSPHRASE)


def test_sqlite_errors_are_translated() -> None:
    class Fake(sqlcipher3.OperationalError):
        def __init__(self, code: int) -> None:
            super().__init__("x")
            self.sqlite_errorcode = code

    assert isinstance(translate_sqlite_error(Fake(13)), StorageError)  # SQLITE_FULL
    assert isinstance(translate_sqlite_error(Fake(10 | (4 << 8))), StorageError)  # IOERR_*
    assert isinstance(translate_sqlite_error(Fake(11)), DamagedDatabase)  # CORRUPT
    assert translate_sqlite_error(Fake(1)) is None  # a program fault stays a fault
    assert translate_sqlite_error(ValueError("no code")) is None
    with pytest.raises(StorageError), sqlite_errors():
        raise Fake(13)
    with pytest.raises(sqlcipher3.OperationalError), sqlite_errors():
        raise Fake(1)


def test_create_below_a_file_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StorageError):
        Vault.create(tmp_path / "a-file" / "confidant.vault", PASSPHRASE, kdf.floor_params())
