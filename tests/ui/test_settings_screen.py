"""Settings: validated per field, saved to the TOML file, idle minutes applied at once."""

from __future__ import annotations

from textual.widgets import Input, Static

from confidant_tui.settings import field_problem, load_settings, validate
from confidant_tui.ui.screens.settings import SettingsScreen
from tests.ui.conftest import settle, unlock


def test_field_problems_are_messages_for_the_adviser() -> None:
    assert field_problem("idle_minutes", 0) is not None
    assert field_problem("idle_minutes", "vijf") is not None
    assert field_problem("idle_minutes", 10) is None
    assert field_problem("language", "fr") is not None


def test_file_validation_refuses_an_impossible_due_date() -> None:
    import pytest

    from confidant_tui.errors import InvalidInput

    with pytest.raises(InvalidInput):
        validate({"report_due": "02-31"})


async def _open_settings(pilot) -> SettingsScreen:
    await unlock(pilot)
    await pilot.app.action_open_screen("settings")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def test_wrong_values_are_shown_beside_the_fields_and_not_saved(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        screen.query_one("#idle_minutes", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(screen.query_one("#idle_minutes-problem", Static).render()).startswith("Vul")
        assert shell.screen is screen
        assert load_settings().idle_minutes == 5


async def test_valid_values_are_saved_and_the_idle_lock_follows(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        screen.query_one("#idle_minutes", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = load_settings()
        assert saved.idle_minutes == 12
        assert shell.session.idle_minutes == 12
        assert not isinstance(shell.screen, SettingsScreen)


async def test_unsaved_settings_survive_a_lock(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        screen.query_one("#idle_minutes", Input).value = "77"
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        restored = shell.screen
        assert isinstance(restored, SettingsScreen) and restored is not screen
        assert restored.query_one("#idle_minutes", Input).value == "77"


async def test_a_superscript_digit_is_a_problem_beside_the_field_not_a_crash(shell) -> None:
    """`"²".isdigit()` is true but `int("²")` fails: such a number must be refused calmly."""
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        field = screen.query_one("#idle_minutes", Input)
        field.value = ""
        field.focus()
        await pilot.press("²", "ctrl+s")
        await pilot.pause()
        assert str(screen.query_one("#idle_minutes-problem", Static).render())
        assert shell.screen is screen
        assert load_settings().idle_minutes == 5


async def test_the_backup_interval_is_checked_saved_and_explained(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        assert "herinnert Confidant u" in str(screen.query_one(".hint", Static).render())
        field = screen.query_one("#backup_interval_days", Input)
        assert field.value == "7"
        field.value = "366"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1 tot en met 365" in str(
            screen.query_one("#backup_interval_days-problem", Static).render()
        )
        assert shell.screen is screen and load_settings().backup_interval_days == 7
        field.value = "14"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert load_settings().backup_interval_days == 14
        assert shell.context.settings.backup_interval_days == 14


async def test_every_setting_is_reachable_by_tab_at_80x24(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        seen = []
        for _press in range(5):
            focused = shell.focused
            assert focused is not None
            seen.append(focused.id)
            assert screen.region.contains_region(focused.region), focused.id
            await pilot.press("tab")
            await pilot.pause()
        assert seen[:3] == ["idle_minutes", "backup_interval_days", "language"]
