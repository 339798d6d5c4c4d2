"""The app shell: palette commands, help, languages, errors, the demo vault and the CLI."""

from __future__ import annotations

import datetime as dt
import inspect
import os
import stat
from pathlib import Path

import pytest
from textual import work
from textual.command import CommandPalette

from confidant_tui import i18n
from confidant_tui.errors import InvalidInput
from confidant_tui.services import demo
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.help import HelpScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY
from tests.ui.conftest import settle, unlock


async def test_palette_offers_our_commands_and_no_screenshot(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        titles = [command.title for command in shell.get_system_commands(shell.screen)]
        assert "Vergrendel nu" in titles and "Instellingen" in titles
        for textual_own in ("Screenshot", "Theme", "Keys", "Maximize"):
            assert textual_own not in titles
        provider_names = [getattr(p, "__name__", "") for p in shell.COMMANDS]
        assert provider_names in (["get_system_commands_provider"], ["SystemCommandsProvider"])


async def test_lock_from_the_palette(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(shell)
        await pilot.press(*"vergrendel")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, UnlockScreen) and not shell.session.is_unlocked


async def test_help_lists_the_keys_of_the_screen_below(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(shell.screen, HelpScreen)
        text = str(shell.screen.query_one("#help-text").render())
        assert "startscherm" in text and "Vergrendel" in text and "Ctrl+P" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(shell.screen, CaseListScreen)


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", ("Nieuw dossier", "Vergrendel", "Hulp")), ("en", ("New case", "Lock", "Help"))],
)
async def test_the_same_screen_in_dutch_and_english(vault_path, clock, language, words) -> None:
    i18n.set_language(language)
    app = make_app(Settings(today_on_unlock=False), vault_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        new_case, lock, help_ = words
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        assert app.screen.active_bindings["n"].binding.description == new_case
        assert app.screen.active_bindings["ctrl+l"].binding.description == lock
        assert app.screen.active_bindings["f1"].binding.description == help_


async def test_worker_errors_become_the_error_dialog(shell) -> None:
    class FailingScreen(BaseScreen):
        def on_mount(self) -> None:
            self.fail()

        @work(thread=True, group="fail")
        def fail(self) -> None:
            raise InvalidInput("Deze invoer klopt niet.")

    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await shell.push_screen(FailingScreen())
        await settle(pilot)
        assert isinstance(shell.screen, ErrorModal)
        assert "Deze invoer klopt niet." in str(shell.screen.query_one("#message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(shell.screen, FailingScreen)
    assert not shell.return_code


async def test_unexpected_errors_print_no_local_variables(shell) -> None:
    async with shell.run_test(size=(80, 24)):
        secret_note = "ZEBRA-melding van mevrouw X"  # noqa: F841 - a local a traceback would show
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            shell._fatal_error()
        printed = "\n".join(str(r) for r in shell._exit_renderables)
        assert "ZEBRA" not in printed and "boom" not in printed
        shell._exit_renderables.clear()


def test_textual_uses_the_alternate_screen() -> None:
    from textual.drivers.linux_driver import LinuxDriver

    assert "\\x1b[?1049h" in inspect.getsource(LinuxDriver.start_application_mode)
    assert "\\x1b[?1049l" in inspect.getsource(LinuxDriver.stop_application_mode)


def test_demo_vault_is_private_and_removed(tmp_path: Path) -> None:
    with demo.demo_vault(
        tmp_path, today=dt.date.today(), taxonomy=TAXONOMY, default_organisation=ORGANISATION
    ) as made:
        folder = made.path.parent
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        with Vault.open(made.path, made.passphrase) as vault:
            assert vault.is_open
    assert not folder.exists()


def test_settings_saved_in_the_demo_leave_the_real_settings_alone(monkeypatch) -> None:
    from confidant_tui.cli import app_cmds
    from confidant_tui.paths import settings_path
    from confidant_tui.settings import load_settings, save_settings

    real = settings_path()
    save_settings(Settings(idle_minutes=9))
    seen = {}

    def fake_app(settings, path, *, demo_passphrase):
        seen["start"] = settings.idle_minutes
        save_settings(Settings(idle_minutes=3))
        seen["demo_file"] = settings_path()
        return 0

    monkeypatch.setattr(app_cmds, "_run_app", fake_app)
    assert app_cmds.run_demo(None) == 0
    assert seen["start"] == 9
    assert seen["demo_file"] != real and not seen["demo_file"].exists()
    assert settings_path() == real and load_settings().idle_minutes == 9


def test_demo_vault_is_removed_after_an_error(tmp_path: Path) -> None:
    with (
        pytest.raises(KeyboardInterrupt),
        demo.demo_vault(
            tmp_path, today=dt.date.today(), taxonomy=TAXONOMY, default_organisation=ORGANISATION
        ) as made,
    ):
        Vault.open(made.path, made.passphrase).close()
        raise KeyboardInterrupt
    # The state folder (CONFIDANT_STATE_DIR, inside tmp_path in tests) stays; the record of
    # the demo's latest save must not.
    assert [item for item in tmp_path.iterdir() if item.name != "state"] == []
    assert list((tmp_path / "state").rglob("*.json")) == []


def test_stale_demo_folders_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / (demo.PREFIX + "old")
    stale.mkdir()
    (stale / "pid").write_text("999999999")
    alive = tmp_path / (demo.PREFIX + "mine")
    alive.mkdir()
    (alive / "pid").write_text(str(os.getppid()))
    demo.remove_stale_demos(tmp_path)
    assert not stale.exists() and alive.exists()


def test_open_is_the_default_command(vault_path, monkeypatch) -> None:
    from confidant_tui.cli import app_cmds, main

    calls: list[tuple[Path, str | None]] = []
    checks: list[object] = []

    def run_app(settings, path, demo_passphrase, vault_check=None) -> int:
        calls.append((path, demo_passphrase))
        checks.append(vault_check)
        return 0

    monkeypatch.setattr(app_cmds, "_run_app", run_app)
    assert main.run(["--vault", str(vault_path)]) == 0
    assert main.run(["demo"]) == 0
    assert calls[0] == (vault_path, None)
    assert calls[1][1] == demo.DEMO_PASSPHRASE and not calls[1][0].parent.exists()
    assert callable(checks[0]) and checks[1] is None  # open checks the header after the frame


def test_open_refuses_a_missing_vault_before_the_ui(tmp_path, capsys) -> None:
    from confidant_tui.cli import main

    assert main.main(["open", "--vault", str(tmp_path / "nothing.vault")]) != 0
    assert "nothing.vault" in capsys.readouterr().err


async def test_confirm_modal_returns_the_choice(shell) -> None:
    from confidant_tui.ui.modals.confirm import ConfirmModal

    answers: list[bool | None] = []
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        shell.push_screen(ConfirmModal("Dossier [red]X[/] sluiten?"), answers.append)
        await pilot.pause()
        assert "[red]X[/]" in str(shell.screen.query_one("#question").render())
        await pilot.press("escape")
        shell.push_screen(ConfirmModal("Zeker?", danger=True), answers.append)
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        # Enter on a plain question confirms; on one that cannot be undone it cancels.
        shell.push_screen(ConfirmModal("Verder?"), answers.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shell.push_screen(ConfirmModal("Weggooien?", danger=True), answers.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert answers == [False, True, True, False]
