"""`confidant backup` through the real command: both files, verified, encrypted; `check` on
a backup passes without changing a byte; the output-path rules; a separate passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from backup_helpers import add_marker, vault_with_cases
from conftest import PASSPHRASE
from test_vault_commands import cli

from confidant_tui.paths import header_path
from confidant_tui.vault import freshness, kdf
from confidant_tui.vault.store import Vault

SEPARATE = "a separate passphrase for the colleague's safe"


def _snapshot(*paths: Path) -> list[tuple[bytes, int]]:
    return [(path.read_bytes(), path.stat().st_mtime_ns) for path in paths]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    vault = vault_with_cases(tmp_path / "v" / "confidant.vault")
    vault.close()
    return vault.path


def test_backup_writes_both_files_and_check_passes_without_a_change(
    source: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "backups" / "back up #1.vault"
    dest.parent.mkdir()
    made = cli(
        "--lang",
        "en",
        "backup",
        str(dest),
        "--vault",
        str(source),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert str(dest) in made.stdout and str(header_path(dest)) in made.stdout
    assert "holds 13 cases" in made.stdout and "Verified" in made.stdout
    assert "encrypted" in made.stdout
    assert made.stderr == ""
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name, header_path(dest).name]
    before = _snapshot(dest, header_path(dest))
    checked = cli(
        "--lang", "en", "check", "--vault", str(dest), "--passphrase-stdin", stdin=PASSPHRASE + "\n"
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "a backup made" in checked.stdout
    assert _snapshot(dest, header_path(dest)) == before
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name, header_path(dest).name]


def test_output_path_rules(source: Path, tmp_path: Path) -> None:
    own = cli(
        "--lang",
        "en",
        "backup",
        str(header_path(source)),
        "--vault",
        str(source),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert own.returncode == 1 and "vault's own files" in own.stderr
    existing = tmp_path / "old.vault"
    existing.write_bytes(b"an older backup")
    refused = cli(
        "--lang",
        "en",
        "backup",
        str(existing),
        "--vault",
        str(source),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert existing.read_bytes() == b"an older backup"
    forced = cli(
        "--lang",
        "en",
        "backup",
        str(existing),
        "--force",
        "--vault",
        str(source),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert forced.returncode == 0, forced.stderr
    assert existing.read_bytes() != b"an older backup"


def test_separate_passphrase_opens_the_backup_and_the_vaults_does_not(
    source: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "b.vault"
    made = cli(
        "--lang",
        "en",
        "backup",
        str(dest),
        "--separate-passphrase",
        "--vault",
        str(source),
        "--passphrase-stdin",
        stdin=f"{PASSPHRASE}\n{SEPARATE}\n",
    )
    assert made.returncode == 0, made.stderr
    assert "backup passphrase" in made.stdout
    wrong = cli("check", "--vault", str(dest), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert wrong.returncode == 3
    right = cli("check", "--vault", str(dest), "--passphrase-stdin", stdin=SEPARATE + "\n")
    assert right.returncode == 0, right.stdout


def test_backup_warns_when_the_vault_went_back_in_time(source: Path, tmp_path: Path) -> None:
    with Vault.open(source, PASSPHRASE) as vault:
        add_marker(vault, "a save")
        key = vault.data_key_copy()
        mac = freshness.mac_key(key)
        state = freshness.read_state(source, vault.vault_id)
        ahead = freshness.mark_for(mac, vault.vault_id, state.counter + 3)
        kdf.zero(key)
        kdf.zero(mac)
        vault_id = vault.vault_id
    freshness.write_state(source, vault_id, ahead)  # this computer saw 3 saves more
    made = cli(
        "--lang",
        "en",
        "backup",
        str(tmp_path / "b.vault"),
        "--vault",
        str(source),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert "went back in time" in made.stderr and "3 saves" in made.stderr
