"""The recovery key in the vault and service layers: it opens the vault and sets a new
passphrase, a new key replaces the old one, a passphrase change keeps it working, and every
header change is atomic, verified and refused while another process writes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.cli import common, vault_cmds
from confidant_tui.domain.recovery_key import format_recovery_key, new_recovery_key
from confidant_tui.errors import (
    DamagedDatabase,
    ExitCode,
    InvalidInput,
    VaultInUse,
    WrongPassphrase,
    WrongRecoveryKey,
)
from confidant_tui.paths import header_path
from confidant_tui.services import vaults
from confidant_tui.vault import header, kdf
from confidant_tui.vault.store import Vault

NEW = "a new passphrase set with the key"
THIRD = "yet another passphrase for the vault"


def make_keyed_vault(folder: Path) -> tuple[Path, bytes]:
    """A floor vault with a recovery key and one saved row; returns its path and the key."""
    key = new_recovery_key()
    path = folder / "keyed" / "confidant.vault"
    vault = Vault.create(path, PASSPHRASE, kdf.floor_params(), recovery_key=key)
    with vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', 'still here')")
    return path, key


@pytest.fixture
def keyed(tmp_path: Path) -> tuple[Path, bytes]:
    """A vault with a recovery key and one saved row (`make_keyed_vault`)."""
    return make_keyed_vault(tmp_path)


def _marker(path: Path, passphrase: str) -> str:
    with Vault.open(path, passphrase, read_only=True) as vault, vault.reading() as conn:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()[0])


def _opens(path: Path, passphrase: str) -> bool:
    try:
        _marker(path, passphrase)
    except WrongPassphrase:
        return False
    return True


def test_the_key_sets_a_new_passphrase_and_keeps_working(
    keyed: tuple[Path, bytes], floor_params: kdf.KdfParams
) -> None:
    path, key = keyed
    before = header.read(header_path(path))
    typed = format_recovery_key(key).lower().replace("-", " ")
    assert vaults.check_recovery_key(path, typed) == key
    vaults.recover_vault(path, key, NEW, floor_params)
    after = header.read(header_path(path))
    assert _marker(path, NEW) == "still here"
    assert not _opens(path, PASSPHRASE)
    assert after.kdf_params.salt != before.kdf_params.salt
    assert after.recovery == before.recovery
    assert after.commit == before.commit
    # The same key works again: the adviser forgot the new passphrase too.
    vaults.recover_vault(path, vaults.check_recovery_key(path, format_recovery_key(key)), THIRD)
    assert _marker(path, THIRD) == "still here"
    assert not _opens(path, NEW)


def test_a_new_key_replaces_the_old_one(keyed: tuple[Path, bytes]) -> None:
    path, old = keyed
    new = vaults.replace_recovery_key(path, PASSPHRASE)
    assert new != old and len(new) == 16
    with pytest.raises(WrongRecoveryKey) as refused:
        vaults.check_recovery_key(path, format_recovery_key(old))
    assert refused.value.exit_code == ExitCode.WRONG_PASSPHRASE
    assert "herstelsleutel" in refused.value.message
    with pytest.raises(WrongRecoveryKey):
        vaults.recover_vault(path, old, NEW)
    assert _marker(path, PASSPHRASE) == "still here"
    vaults.recover_vault(path, vaults.check_recovery_key(path, format_recovery_key(new)), NEW)
    assert _opens(path, NEW) and not _opens(path, PASSPHRASE)


def test_a_passphrase_change_keeps_the_recovery_key_and_the_commit_mark(
    keyed: tuple[Path, bytes], floor_params: kdf.KdfParams
) -> None:
    path, key = keyed
    before = header.read(header_path(path))
    vaults.set_new_passphrase(path, PASSPHRASE, NEW, floor_params)
    after = header.read(header_path(path))
    assert (after.recovery, after.commit) == (before.recovery, before.commit)
    vaults.check_recovery_key(path, format_recovery_key(key))
    vaults.recover_vault(path, key, THIRD)
    assert _marker(path, THIRD) == "still here"


def test_a_key_with_one_character_wrong_is_a_typo(keyed: tuple[Path, bytes]) -> None:
    path, key = keyed
    written = format_recovery_key(key)
    wrong = ("1" if written[0] != "1" else "2") + written[1:]
    with pytest.raises(InvalidInput) as refused:
        vaults.check_recovery_key(path, wrong)
    assert refused.value.exit_code == ExitCode.INVALID_INPUT
    assert "controleer de herstelsleutel op een typefout" in refused.value.message


def test_a_well_formed_key_of_another_vault_does_not_open_it(keyed: tuple[Path, bytes]) -> None:
    path, _ = keyed
    before = header_path(path).read_bytes()
    with pytest.raises(WrongRecoveryKey):
        vaults.check_recovery_key(path, format_recovery_key(new_recovery_key()))
    with pytest.raises(WrongRecoveryKey):
        vaults.recover_vault(path, new_recovery_key(), NEW)
    assert header_path(path).read_bytes() == before


def test_a_vault_without_a_recovery_key_says_so(vault_path: Path) -> None:
    assert not vaults.has_recovery_key(vault_path)
    with pytest.raises(WrongRecoveryKey) as refused:
        vaults.check_recovery_key(vault_path, format_recovery_key(new_recovery_key()))
    assert "geen herstelsleutel" in refused.value.message
    # recovery-key gives such a vault its first key
    key = vaults.replace_recovery_key(vault_path, PASSPHRASE)
    assert vaults.has_recovery_key(vault_path)
    assert vaults.check_recovery_key(vault_path, format_recovery_key(key)) == key


def test_a_wrong_passphrase_makes_no_new_key(keyed: tuple[Path, bytes]) -> None:
    path, key = keyed
    before = header_path(path).read_bytes()
    with pytest.raises(WrongPassphrase):
        vaults.replace_recovery_key(path, "not the passphrase at all")
    assert header_path(path).read_bytes() == before
    vaults.check_recovery_key(path, format_recovery_key(key))


def test_both_refuse_while_another_process_writes(keyed: tuple[Path, bytes]) -> None:
    path, key = keyed
    before = header_path(path).read_bytes()
    with Vault.open(path, PASSPHRASE):
        with pytest.raises(VaultInUse):
            vaults.recover_vault(path, key, NEW)
        with pytest.raises(VaultInUse):
            vaults.replace_recovery_key(path, PASSPHRASE)
    assert header_path(path).read_bytes() == before


def test_the_key_of_another_vaults_header_opens_nothing_here(
    keyed: tuple[Path, bytes], tmp_path: Path, floor_params: kdf.KdfParams
) -> None:
    path, _ = keyed
    other_key = new_recovery_key()
    other = tmp_path / "other" / "confidant.vault"
    Vault.create(other, PASSPHRASE, floor_params, recovery_key=other_key).close()
    header_path(path).write_bytes(header_path(other).read_bytes())  # a stranger's header
    stranger = header_path(path).read_bytes()
    with pytest.raises(DamagedDatabase):
        vaults.recover_vault(path, other_key, NEW)
    assert header_path(path).read_bytes() == stranger


def test_a_header_that_fails_its_read_back_is_put_back(
    keyed: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = keyed
    before = header_path(path).read_bytes()
    monkeypatch.setattr(header, "unwrap_recovery", lambda parsed, given: bytearray(32))
    with pytest.raises(DamagedDatabase):
        vaults.replace_recovery_key(path, PASSPHRASE)
    assert header_path(path).read_bytes() == before
    monkeypatch.undo()
    vaults.check_recovery_key(path, format_recovery_key(key))


class _Terminal:
    """Standard input as a terminal; getpass answers in turn and records its prompts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
        self.prompts: list[str] = []

        def getpass(prompt: str) -> str:
            self.prompts.append(prompt)
            return answers.pop(0)

        class Tty:
            def isatty(self) -> bool:
                return True

        monkeypatch.setattr(common.sys, "stdin", Tty())
        monkeypatch.setattr(common.getpass, "getpass", getpass)


def test_recover_on_a_terminal_asks_the_key_without_echo_then_the_new_passphrase_twice(
    keyed: tuple[Path, bytes],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    floor_params: kdf.KdfParams,
) -> None:
    path, key = keyed
    terminal = _Terminal(monkeypatch, [format_recovery_key(key), NEW, NEW])
    args = argparse.Namespace(vault=str(path), kdf_params=floor_params)
    assert vault_cmds.run_recover(args) == ExitCode.OK
    assert terminal.prompts == [
        "Herstelsleutel: ",
        "Nieuwe wachtwoordzin: ",
        "Herhaal de nieuwe wachtwoordzin: ",
    ]
    assert "nieuwe wachtwoordzin" in capsys.readouterr().out
    assert _marker(path, NEW) == "still here"


def test_recover_on_a_terminal_refuses_a_wrong_key_before_asking_a_passphrase(
    keyed: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = keyed
    terminal = _Terminal(monkeypatch, [format_recovery_key(new_recovery_key()), NEW, NEW])
    with pytest.raises(WrongRecoveryKey):
        vault_cmds.run_recover(argparse.Namespace(vault=str(path)))
    assert terminal.prompts == ["Herstelsleutel: "]
