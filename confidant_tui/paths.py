"""Provides every filesystem location Confidant uses, as functions (never at import).

Each location can be overridden by an environment variable, which the tests use to keep
everything inside a temporary folder:

- `CONFIDANT_VAULT`: the vault's database file (its header sits beside it);
- `CONFIDANT_CONFIG_DIR`: the folder of `settings.toml`;
- `CONFIDANT_STATE_DIR`: the folder of this computer's records of each vault's latest save
  and last backup (see `vault.freshness`);
- `CONFIDANT_CACHE_DIR`: the folder of what Confidant can always make again (the compiled
  translations, see `i18n`); never anything of a vault.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "confidant"
HEADER_SUFFIX = ".header"
LOCK_SUFFIX = ".lock"
CONFIG_DIR_ENV = "CONFIDANT_CONFIG_DIR"
STATE_DIR_ENV = "CONFIDANT_STATE_DIR"
CACHE_DIR_ENV = "CONFIDANT_CACHE_DIR"


def default_vault_path() -> Path:
    """The vault used when neither `--vault` nor `CONFIDANT_VAULT` names one."""
    override = os.environ.get("CONFIDANT_VAULT")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "confidant.vault"


def header_path(vault_path: Path) -> Path:
    """The plaintext header (wrapped data key, KDF parameters) beside the database."""
    return vault_path.with_name(vault_path.name + HEADER_SUFFIX)


def lock_path(vault_path: Path) -> Path:
    """The empty file whose lock marks the one process allowed to write the vault."""
    return vault_path.with_name(vault_path.name + LOCK_SUFFIX)


def config_dir() -> Path:
    """The folder holding `settings.toml`."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def settings_path() -> Path:
    """The settings file."""
    return config_dir() / "settings.toml"


def state_dir() -> Path:
    """The folder of the per-vault state records (the latest save, the last backup)."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The folder of files made from the installed package alone (compiled translations):
    deleting it only costs the next start a little time."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
