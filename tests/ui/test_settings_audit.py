"""Saving the settings while the vault is unlocked puts `settings.changed` in the audit log,
naming the settings that changed (their keys, never their values); the unlock before it is
there too, with its count of failed tries, before the app settles the vault."""

from __future__ import annotations

from textual.widgets import Input

from confidant_tui.services import audit
from confidant_tui.ui.screens.settings import SettingsScreen
from tests.ui.conftest import settle, unlock


async def test_a_saved_setting_is_in_the_audit_log_by_its_key(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.app.action_open_screen("settings")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#idle_minutes", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(shell.screen, SettingsScreen)
        acts = [(e.action, e.detail) for e in audit.entries(shell.session.vault, limit=3)]
    assert acts == [
        ("settings.changed", "idle_minutes"),
        ("organisation.added", None),  # the first unlock makes the default organisation
        ("vault.unlocked", "0"),
    ]
