"""No organisation name outside the vault: made through the command and through the app.

Both run with their own HOME, TMPDIR, XDG folders and config folder, so every file they
could have written is in folders the test owns; the scan reuses the plaintext marker scan of
`tests/unit/vault/test_no_plaintext.py`. The settings file exists (it is written first) and
holds neither name: nothing that names an organisation stays outside the vault.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.domain.clock import FixedClock
from confidant_tui.settings import Settings, save_settings
from confidant_tui.ui.app import make_app
from tests.ui.case_helpers import type_into
from tests.ui.conftest import settle, unlock
from tests.unit.vault.test_no_plaintext import _encodings, _files_containing

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Private HOME, TMPDIR, XDG and config folders, for this process and its children."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    for folder in (home, tmp):
        folder.mkdir()
    folders = {
        "HOME": home,
        "TMPDIR": tmp,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
        "CONFIDANT_CONFIG_DIR": home / ".config" / "confidant",
    }
    for name, folder in folders.items():
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return folders


async def test_names_of_organisations_are_in_no_file_outside_the_vault(
    vault_path: Path, private: dict[str, Path]
) -> None:
    save_settings(Settings())
    settings_file = private["CONFIDANT_CONFIG_DIR"] / "settings.toml"
    assert settings_file.is_file()
    by_cli = f"CLIORG{secrets.token_hex(6)}"
    by_app = f"APPORG{secrets.token_hex(6)}"
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "confidant_tui",
            "organisation",
            "add",
            by_cli,
            "--vault",
            str(vault_path),
            "--passphrase-stdin",
        ],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    app = make_app(Settings(), vault_path, clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await app.action_open_screen("organisations")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#name", by_app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert by_app in [o.name for o in app.context.organisations]
        assert by_cli in [o.name for o in app.context.organisations]
        roots = [vault_path.parent, private["HOME"], private["TMPDIR"]]
        needles = [n for name in (by_cli, by_app) for n in _encodings(name)]
        assert _files_containing(roots, needles) == []  # while the vault is open
        await pilot.press("ctrl+l")
        await settle(pilot)
    assert _files_containing(roots, needles) == []
    settings_text = settings_file.read_bytes()
    assert all(needle not in settings_text for needle in needles)
    # the scan finds a plain copy, so the empty results above mean something
    control = private["TMPDIR"] / "control.txt"
    control.write_text(by_app, encoding="utf-8")
    assert _files_containing(roots, needles) == [str(control)]
