"""No plaintext on disk: a marker stored through the vault appears in no file anywhere.

The store runs in a subprocess with its own TMPDIR, HOME and XDG folders, so every file the
process could have written is in folders the test owns. The scan runs twice: while the vault
is open (the `-wal` and `-shm` hold the fresh write) and after close.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from confidant_tui.paths import header_path

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from confidant_tui.hardening import harden_process
    from confidant_tui.services.vaults import create_vault
    from confidant_tui.vault import kdf

    harden_process()
    marker = sys.stdin.readline().rstrip("\\n")
    vault = create_vault(Path(sys.argv[1]), "correct horse battery staple", kdf.floor_params())
    with vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', ?)", (marker,))
        conn.execute("INSERT INTO meta(key, value) VALUES (?, 'as key')", (marker + "-key",))
    print("stored", flush=True)
    sys.stdin.readline()
    vault.close()
    print("closed", flush=True)
    """
)


def _encodings(marker: str) -> list[bytes]:
    return [marker.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _files_containing(roots: list[Path], needles: list[bytes]) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if any(needle in data for needle in needles):
                    found.append(str(path))
    return found


@pytest.mark.slow
def test_marker_is_in_no_file(tmp_path: Path) -> None:
    marker = f"GEHEIM-{secrets.token_hex(8)}-vertrouwelijk-é"
    home, tmp, vault_dir = tmp_path / "home", tmp_path / "tmp", tmp_path / "vault"
    for folder in (home, tmp):
        folder.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "CONFIDANT_CONFIG_DIR": str(home / ".config" / "confidant"),
    }
    vault = vault_dir / "confidant.vault"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(vault)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(marker + "\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "stored"
    roots = [vault_dir, home, tmp]
    needles = _encodings(marker)
    wal = vault.with_name(vault.name + "-wal")
    assert wal.stat().st_size > 0  # the write sits in the WAL: the scan looks at it
    assert _files_containing(roots, needles) == []
    child.stdin.write("close\n")
    child.stdin.flush()
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0, stderr
    assert _files_containing(roots, needles) == []
    assert not vault.read_bytes().startswith(b"SQLite format 3")
    assert b"SQLite format 3" not in vault.read_bytes()[:16]
    assert header_path(vault).exists()
    # The scanner itself finds a plain copy (so the empty results above mean something).
    (tmp / "control.txt").write_text("x" + marker, encoding="utf-16-le")
    assert _files_containing(roots, needles) == [str(tmp / "control.txt")]
