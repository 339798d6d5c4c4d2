"""A writer that unlocks a vault derived below the Argon2id defaults (256 MiB, t = 3, p = 4)
strengthens it: calibrated as `init` does, never below the defaults, re-wrapped atomically
with the recovery wrap and commit mark kept. Readers, the test setting and the demo never do.

Calibration is replaced by a stub that reports a slow computer (the floor), so the new costs
are exactly the defaults: about 0.45 s per derivation here, run only a few times.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE
from test_recovery import make_keyed_vault

from confidant_tui.domain.recovery_key import format_recovery_key
from confidant_tui.errors import StorageError
from confidant_tui.paths import header_path
from confidant_tui.services import vaults
from confidant_tui.services.demo import DEMO_PASSPHRASE
from confidant_tui.services.session import Session
from confidant_tui.vault import header, kdf
from confidant_tui.vault.store import Vault

DEFAULTS = (256 * 1024, 3, 4)


@pytest.fixture
def real_kdf(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Runs as outside the tests (no `CONFIDANT_TEST_KDF`); calibration measures a slow
    computer. Returns the list of calibrations made."""
    monkeypatch.delenv("CONFIDANT_TEST_KDF", raising=False)
    calls: list[float] = []

    def slow_computer(target_seconds: float = kdf.CALIBRATION_TARGET_SECONDS) -> kdf.KdfParams:
        calls.append(target_seconds)
        return kdf.floor_params()

    monkeypatch.setattr(kdf, "calibrate", slow_computer)
    return calls


def _costs(path: Path) -> tuple[int, int, int]:
    params = header.read(header_path(path)).kdf_params
    return (params.memory_kib, params.time_cost, params.parallelism)


@pytest.fixture
def keyed(tmp_path: Path) -> tuple[Path, bytes]:
    return make_keyed_vault(tmp_path)


def test_unlocking_for_writing_strengthens_a_floor_vault_once(
    keyed: tuple[Path, bytes], real_kdf: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = keyed
    before = header.read(header_path(path))
    assert _costs(path) == (kdf.FLOOR_MEMORY_KIB, 3, 4)

    session = Session(path)
    session.unlock(PASSPHRASE)
    after = header.read(header_path(path))
    assert _costs(path) == DEFAULTS
    assert len(real_kdf) == 1
    assert after.kdf_params.salt != before.kdf_params.salt
    assert (after.vault_id, after.recovery) == (before.vault_id, before.recovery)
    # The commit mark was kept, then moved on by the unlock's two audit entries (the
    # strengthening, then the unlock itself).
    assert after.commit is not None and before.commit is not None
    assert after.commit.counter == before.commit.counter + 2
    with session.vault.transaction() as conn:  # the open vault works on, and mirrors
        conn.execute("INSERT INTO meta(key, value) VALUES ('after', 'strengthening')")
    session.lock()
    mirrored = header.read(header_path(path))
    assert _costs(path) == DEFAULTS
    assert mirrored.commit is not None and before.commit is not None
    assert mirrored.commit.counter == before.commit.counter + 4  # + the row and the lock
    vaults.check_recovery_key(path, format_recovery_key(key))

    # At the defaults: no calibration, no rewrite, and the passphrase opens it.
    monkeypatch.setattr(kdf, "calibrate", lambda *a: pytest.fail("calibrated again"))
    written = header_path(path).read_bytes()
    with vaults.open_vault(path, PASSPHRASE) as vault, vault.reading() as conn:
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert rows["marker"] == "still here" and rows["after"] == "strengthening"
    assert header_path(path).read_bytes() == written


def test_a_reader_never_rewrites_the_header(
    keyed: tuple[Path, bytes], real_kdf: list[float]
) -> None:
    path, _ = keyed
    written = header_path(path).read_bytes()
    vaults.open_vault(path, PASSPHRASE, read_only=True).close()
    assert header_path(path).read_bytes() == written
    assert real_kdf == []


def test_the_test_setting_turns_it_off(keyed: tuple[Path, bytes]) -> None:
    path, _ = keyed  # the autouse fixture sets CONFIDANT_TEST_KDF=floor
    written = header_path(path).read_bytes()
    vaults.open_vault(path, PASSPHRASE).close()
    assert header_path(path).read_bytes() == written


def test_the_demo_vault_stays_at_the_floor(
    tmp_path: Path, floor_params: kdf.KdfParams, real_kdf: list[float]
) -> None:
    path = tmp_path / "demo" / "demo.vault"
    Vault.create(path, DEMO_PASSPHRASE, floor_params).close()
    Session(path).unlock(DEMO_PASSPHRASE)
    assert _costs(path) == (kdf.FLOOR_MEMORY_KIB, 3, 4)
    assert real_kdf == []


def test_a_failed_rewrite_leaves_the_old_header_and_the_vault_opens(
    keyed: tuple[Path, bytes], real_kdf: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = keyed
    written = header_path(path).read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise StorageError("full")

    monkeypatch.setattr(header, "write_atomically", full_disk)
    with vaults.open_vault(path, PASSPHRASE) as vault, vault.reading() as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() == (
            "still here",
        )
    assert header_path(path).read_bytes() == written


def test_calibration_never_goes_below_the_defaults(real_kdf: list[float]) -> None:
    assert vaults.is_below_defaults(kdf.floor_params())
    strong = vaults.strong_kdf_params()
    assert (strong.memory_kib, strong.time_cost, strong.parallelism) == DEFAULTS
    assert not vaults.is_below_defaults(strong)
    assert vaults.is_below_defaults(kdf.KdfParams(512 * 1024, 3, 2, strong.salt))
    assert vaults.is_below_defaults(kdf.KdfParams(512 * 1024, 2, 4, strong.salt))


def test_a_fast_computer_keeps_its_calibration(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = kdf.KdfParams(768 * 1024, 3, 4, kdf.new_salt())
    monkeypatch.setattr(kdf, "calibrate", lambda *a: fast)
    assert vaults.strong_kdf_params() == fast
