"""Provides what the case screens ask of the app: the open vault, the taxonomy, today, settings.

Screens never keep a `Vault`: they ask `vault_of(app)` at the moment a worker calls a
service, and get `VaultLocked` once the app is locked. The taxonomy is read once per set of
extra levels and kept in memory (it is reference data, not case content).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from textual.app import App

from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import _
from confidant_tui.services.vaults import Vault


def vault_of(app: App[Any]) -> Vault:
    """The open vault of the app's session.

    Raises:
        VaultLocked: the app is locked (or has no session).
    """
    session = getattr(app, "session", None)
    if session is None:
        raise VaultLocked(_("The vault is locked."))
    return session.vault


def settings_of(app: App[Any]) -> Any:
    """The app's settings (a `Settings`), or defaults when the app has none."""
    settings = getattr(app, "settings", None)
    if settings is None:
        from confidant_tui.settings import Settings

        settings = Settings()
    return settings


def today_of(app: App[Any]) -> dt.date:
    """Today's date as the app sees it (tests may give the app a fixed `today()`)."""
    today = getattr(app, "today", None)
    if callable(today):
        value = today()
        if isinstance(value, dt.date):
            return value
    return dt.date.today()


def default_organisation(app: App[Any]) -> str:
    """The organisation a new case belongs to when the adviser names none."""
    return str(getattr(settings_of(app), "organisation", "") or "")


@lru_cache(maxsize=4)
def _taxonomy(extra_levels: tuple[str, ...]) -> Taxonomy:
    from confidant_tui.services.cases import load_taxonomy

    return load_taxonomy(extra_levels)


def taxonomy_of(app: App[Any]) -> Taxonomy:
    """The taxonomy with the organisation's own levels."""
    extra = getattr(settings_of(app), "extra_levels", ()) or ()
    return _taxonomy(tuple(extra))
