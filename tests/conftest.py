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


LONGEST_FIRST = (
    "tests/cli/test_backup_proofs.py::test_a_restore_killed_at_random_moments_always_leaves_one_whole_vault",
    "tests/ui/test_case_list_10k.py::test_ten_thousand_cases_open_page_by_page_and_scroll",
    "tests/ui/test_case_flow.py::test_case_from_intake_to_closing_survives_a_restart",
    "tests/ui/test_protocol_screen.py::test_full_procedure_on_conscientious_distress",
    "tests/cli/test_vault_passwd_kill.py::test_kill_during_passphrase_change_never_loses_the_vault",
    "tests/ui/test_referral_screen.py::test_a_bedrijfsarts_letter_is_drafted_and_exported",
    "tests/cli/test_backup_proofs.py::test_a_backup_while_a_child_writes_is_one_consistent_snapshot",
    "tests/ui/test_quit_drafts.py::test_a_lock_keeps_the_form_and_stores_it_without_offering_it_twice",
    "tests/cli/test_signal_drafts.py::test_a_stop_signal_stores_the_typed_intake_as_an_encrypted_draft",
    "tests/test_project.py::test_mypy_finds_no_type_errors",
    "tests/cli/test_backup_proofs.py::test_a_flipped_bit_anywhere_in_a_backup_is_refused_by_check_and_restore",
    "tests/unit/domain/test_suppression_properties.py::test_nothing_published_is_false_small_or_recomputable",
    "tests/ui/test_organisations_screen.py::test_editing_the_period_and_units_keeps_the_key_of_an_edited_unit",
    "tests/cli/test_recovery_cli.py::test_the_key_from_init_recovers_survives_passwd_and_a_new_key_replaces_it",
    "tests/cli/test_recovery_cli.py::test_recover_and_recovery_key_killed_at_any_moment_leave_a_vault_that_opens",
)
"""The longest tests (by `--durations`), run first: `pytest -n 4` hands tests out in this
order, so a long test collected near the end no longer finishes alone after the rest. Only
the order changes; a name missing here (renamed, new) just keeps its place."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("[")[0], len(rank)))


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
