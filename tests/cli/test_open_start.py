"""`confidant open` draws its first frame without the vault's code, and still refuses a vault
that is not sound with the same message and exit code as before.

The real command runs in a subprocess, headless (Textual draws into memory at 80×24); the
vault's header is checked just after the first frame (`cli/app_cmds.py`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confidant_tui.paths import header_path

REPO = Path(__file__).resolve().parents[2]

RUNNER = """
import gc, json, os, sys
from textual.app import App
from confidant_tui.cli import app_cmds
from confidant_tui.cli.main import main

run = App.run

def headless(self, *args, **kwargs):
    kwargs.update(headless=True, size=(80, 24))
    return run(self, *args, **kwargs)

App.run = headless
if sys.argv[1] == "--modules-at-check":
    sys.argv.pop(1)
    checked = app_cmds._ensure_vault

    def record(path):
        taxonomy = sys.modules["confidant_tui.services.shipped_taxonomy"].load_taxonomy
        seen = {
            "modules": sorted(sys.modules),
            "taxonomy_read": taxonomy.cache_info().currsize > 0,
            "frozen": gc.get_freeze_count(),
        }
        print(json.dumps(seen), flush=True)
        checked(path)
        os._exit(0)

    app_cmds._ensure_vault = record
sys.exit(main(sys.argv[1:]))
"""
"""Runs `confidant ARGS` headless; `--modules-at-check` first: prints what was imported (and
read, and frozen) when the vault check runs, just after the first frame, then ends once the
check passed."""


def run_open(vault: Path, *, modules: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    flag = ["--modules-at-check"] if modules else []
    return subprocess.run(
        [sys.executable, "-c", RUNNER, *flag, "open", "--vault", str(vault)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {
        item.name: hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.iterdir())
        if item.is_file() and not item.name.endswith(".lock")
    }


def test_the_first_frame_needs_none_of_the_vaults_code(vault_path: Path) -> None:
    result = run_open(vault_path, modules=True)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[0])
    assert not seen["taxonomy_read"]  # read by the warm-up, after the first frame
    assert seen["frozen"] > 0  # what start-up imported is out of the collector's sight
    modules = seen["modules"]
    assert "confidant_tui.ui.screens.unlock" in modules
    vault_code = [
        name
        for name in modules
        if name.split(".")[0] in ("sqlcipher3", "cryptography", "argon2")
        or name.startswith(("confidant_tui.vault", "confidant_tui.services.vaults"))
    ]
    assert vault_code == []  # and the check passed: the runner ended with 0


def _garbage_header(path: Path) -> Path:
    header_path(path).write_bytes(os.urandom(300))
    return path


def _no_header(path: Path) -> Path:
    header_path(path).unlink()
    return path


def _newer_header(path: Path) -> Path:
    head = header_path(path)
    document = json.loads(head.read_text(encoding="utf-8"))
    document["version"] = 99
    head.write_text(json.dumps(document), encoding="utf-8")
    return path


def _directory(path: Path) -> Path:
    folder = path.parent / "a-folder.vault"
    folder.mkdir()
    return folder


def _only_header(path: Path) -> Path:
    path.unlink()
    return path


CASES = {
    "garbage header": (_garbage_header, "beschadigd"),
    "no header": (_no_header, "staat geen kopbestand"),
    "newer header version": (_newer_header, "nieuwere versie van Confidant"),
    "a folder": (_directory, "is geen kluisbestand"),
    "database missing, header there": (_only_header, "ontbreekt"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_vault_that_is_not_sound_is_refused_with_its_message(vault_path: Path, name: str) -> None:
    setup, fragment = CASES[name]
    target = setup(vault_path)
    before = snapshot(vault_path.parent)
    result = run_open(target)
    assert result.returncode == 4, result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(vault_path.parent) == before
