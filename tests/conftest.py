"""Shared fixtures: KDF floor parameters, private paths, and vaults on real encrypted files.

Every test runs with its own config folder and `CONFIDANT_VAULT` inside `tmp_path`, so no
test reads or writes the developer's real settings or vault.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from confidant_tui import i18n
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.vault import kdf
from confidant_tui.vault.store import Vault

PASSPHRASE = "correct horse battery staple"
"""The passphrase of every test vault."""

TAXONOMY = load_taxonomy()
"""The shipped taxonomy, without extra levels (what services get when a test names none)."""

ORGANISATION = "Mijn organisatie"
"""The default organisation of new cases (the setting's default)."""


_real_argon2 = kdf.hash_secret_raw
_ARGON2_RESULTS: dict[tuple[Any, ...], bytes] = {}


def _memoised_argon2(**arguments: Any) -> bytes:
    """Argon2id once per exact input in this process. It is a pure function, so a repeat
    gives the same bytes: only the time differs. Every test vault is a copy of one template
    (one salt), so without this most of a UI or storage test's time went to deriving the
    same key again (212 derivations, 4 distinct, in 197 tests). A test that forbids or
    spies on Argon2 patches `kdf.hash_secret_raw` itself and so replaces this wrapper."""
    key = tuple(sorted(arguments.items()))
    if key not in _ARGON2_RESULTS:
        _ARGON2_RESULTS[key] = _real_argon2(**arguments)
    return _ARGON2_RESULTS[key]


@pytest.fixture(autouse=True, scope="session")
def _argon2_once_per_input() -> Iterator[None]:
    kdf.hash_secret_raw = _memoised_argon2  # type: ignore[assignment]
    yield
    kdf.hash_secret_raw = _real_argon2  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CONFIDANT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CONFIDANT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CONFIDANT_VAULT", str(tmp_path / "default" / "confidant.vault"))
    monkeypatch.setenv("CONFIDANT_TEST_KDF", "floor")
    monkeypatch.delenv("CONFIDANT_LANG", raising=False)
    previous = i18n.get_language()
    i18n.set_language("nl")
    yield
    i18n.set_language(previous)


@pytest.fixture
def floor_params() -> kdf.KdfParams:
    """The KDF floor (m = 64 MiB, t = 3, p = 4): the fastest parameters that exist."""
    return kdf.floor_params()


@pytest.fixture(scope="session")
def _template_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "confidant.vault"
    Vault.create(path, PASSPHRASE, kdf.floor_params()).close()
    return path


@pytest.fixture
def vault_path(tmp_path: Path, _template_vault: Path) -> Path:
    """A fresh, closed, empty vault (copied from one made per session) at the latest schema."""
    target = tmp_path / "vault" / "confidant.vault"
    target.parent.mkdir()
    for source in _template_vault.parent.iterdir():
        if source.name.startswith("confidant.vault") and not source.name.endswith(".lock"):
            shutil.copy2(source, target.parent / source.name)
    return target


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    """The fresh vault, open for writing; closed after the test."""
    opened = Vault.open(vault_path, PASSPHRASE)
    yield opened
    opened.close()
