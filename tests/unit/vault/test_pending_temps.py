"""A pending audit entry's temp file left by a killed process is removed by the next
maintenance command (under the writer lock), unless it may still be being written."""

from __future__ import annotations

import os
import time
from pathlib import Path

from confidant_tui.vault import audit_pending


def test_stale_pending_temps_go_and_fresh_ones_and_entries_stay(tmp_path: Path) -> None:
    vault = tmp_path / "confidant.vault"
    prefix = f"..{vault.name}.audit."
    stale = tmp_path / f"{prefix}0000000000000001aa.pending.8e81ae64ccb1.tmp"
    fresh = tmp_path / f"{prefix}0000000000000002bb.pending.0123456789ab.tmp"
    entry = tmp_path / f".{vault.name}.audit.0000000000000003cc.pending"
    other = tmp_path / ".other.vault.audit.0000000000000004dd.pending.0123456789ab.tmp"
    header_temp = tmp_path / f".{vault.name}.header.0123456789ab.tmp"
    for path in (stale, fresh, entry, other, header_temp):
        path.write_bytes(b"x")
    old = time.time() - 10 * audit_pending.STALE_TEMP_SECONDS
    for path in (stale, entry, other, header_temp):
        os.utime(path, (old, old))

    audit_pending.remove_stale_temps(vault)

    assert not stale.exists()
    assert fresh.exists()  # perhaps a read-only process writing it right now
    assert entry.exists() and other.exists() and header_temp.exists()
