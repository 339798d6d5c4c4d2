"""A full disk gives a clear StorageError, keeps the vault intact, and loses nothing saved.

The disk is "filled" with RLIMIT_FSIZE in a subprocess: writes past the limit fail with
EFBIG, which SQLite reports as an I/O error. (Python ignores SIGXFSZ at start-up; the child
ignores it explicitly too, so the signal cannot kill it instead.)
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import PASSPHRASE

from confidant_tui.errors import ExitCode
from confidant_tui.services.vaults import check_vault
from confidant_tui.vault.store import Vault

LIMIT = 96 * 1024

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from confidant_tui.errors import ConfidantError, StorageError
    from confidant_tui.vault.store import Vault

    vault = Vault.open(Path(sys.argv[1]), "correct horse battery staple")
    try:
        with vault.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('small', 'saved before')")
        try:
            with vault.transaction() as conn:
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('big', ?)", ("x" * 2_000_000,)
                )
        except StorageError as error:
            print("STORAGE:", error.message, flush=True)
            sys.exit(int(error.exit_code))
        print("the big write was not refused", flush=True)
        sys.exit(0)
    finally:
        vault.close()
    """
)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_full_disk_is_a_clear_error_and_the_vault_stays_sound(vault_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(vault_path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == ExitCode.STORAGE, result.stdout + result.stderr
    assert "STORAGE: De schijf" in result.stdout
    assert "Traceback" not in result.stderr
    results = check_vault(vault_path, PASSPHRASE)
    assert results and all(r.ok for r in results), results
    with Vault.open(vault_path, PASSPHRASE) as vault:
        with vault.reading() as conn:
            keys = {row[0] for row in conn.execute("SELECT key FROM meta")}
        assert "small" in keys and "big" not in keys
        with vault.transaction() as conn:  # with space again, writing works
            conn.execute("INSERT INTO meta(key, value) VALUES ('big', 'now it fits')")
