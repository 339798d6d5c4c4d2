"""Two processes never write one vault; a read-only `check` may run beside the writer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.errors import VaultInUse
from confidant_tui.vault.maintenance import change_passphrase
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
NEW = "a brand new passphrase for the vault"


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


@pytest.mark.slow
def test_second_writer_is_refused_while_check_runs(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as writer:
        with writer.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('unsaved?', 'saved')")
        header_before = vault_path.with_name(vault_path.name + ".header").read_bytes()
        refused = cli(
            "passwd", "--vault", str(vault_path), "--passphrase-stdin",
            stdin=f"{PASSPHRASE}\n{NEW}\n",
        )  # fmt: skip
        assert refused.returncode == 5, refused.stderr
        assert "geopend in een ander Confidant-venster" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert vault_path.with_name(vault_path.name + ".header").read_bytes() == header_before
        checked = cli("check", "--vault", str(vault_path), "--passphrase-stdin", stdin=PASSPHRASE)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "Oordeel: de kluis is in orde." in checked.stdout
        with writer.transaction() as conn:  # the writer is undisturbed
            conn.execute("INSERT INTO meta(key, value) VALUES ('after check', 'saved')")
    # Once the writer closed, the change goes through.
    done = cli(
        "passwd", "--vault", str(vault_path), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n{NEW}\n"
    )
    assert done.returncode == 0, done.stderr


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from confidant_tui.vault.store import Vault

    vault = Vault.open(Path(sys.argv[1]), "correct horse battery staple")
    print("open", flush=True)
    sys.stdin.readline()
    vault.close()
    """
)


@pytest.mark.slow
def test_vault_held_by_another_process_is_refused_here(vault_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(VaultInUse) as caught:
            Vault.open(vault_path, PASSPHRASE)
        assert "Sluit haar daar eerst" in caught.value.message
        with pytest.raises(VaultInUse):
            change_passphrase(vault_path, PASSPHRASE, NEW)
        with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader:
            assert all(result.ok for result in reader.check())
    finally:
        holder.communicate("close\n", timeout=30)
    assert holder.returncode == 0
    Vault.open(vault_path, PASSPHRASE).close()  # free again once the holder exits
