"""Locking: by key, by idle time; nothing of the cases stays; the adviser returns where they were."""

from __future__ import annotations

import io
from functools import partial

from rich.console import Console
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.content import Content
from textual.widgets import Input, Static

from confidant_tui.errors import VaultLocked
from confidant_tui.ui.app import VAULT_MODE
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.help import HelpScreen
from confidant_tui.ui.screens.settings import SettingsScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from tests.ui.conftest import settle, unlock

MARKER = "ZEBRA-7731-vertrouwelijk"


class MarkerScreen(BaseScreen):
    """A stand-in case screen: reads text from the vault, and keeps a draft across a lock."""

    def __init__(self, draft: str = "") -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        yield Static("", id="shown")
        yield Input(self.draft, id="draft")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="marker")
    def load(self) -> None:
        with self.app.session.vault.reading() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()
        self.app.call_from_thread(self.query_one("#shown", Static).update, literal_text(row[0]))

    def lock_snapshot(self) -> Restorer | None:
        return partial(MarkerScreen, draft=self.query_one("#draft", Input).value)


def _seed_marker(vault_path) -> None:
    from confidant_tui.vault.store import Vault
    from tests.conftest import PASSPHRASE

    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', ?)", (MARKER,))


def _rendered_text(node) -> str:
    """What a node renders, as plain text; a node that cannot render fails the test.

    A widget whose text cannot be read here could hold case content unseen, so it is never
    skipped: the check would pass without having looked.
    """
    try:
        rendered = node.render()
    except Exception as error:
        raise AssertionError(
            f"{type(node).__name__}#{node.id} could not render, so its text was not checked: "
            f"{error!r}"
        ) from error
    if isinstance(rendered, str | Text | Content):
        return str(rendered)
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:  # a Panel or other rich renderable: its text
        console.print(rendered)
    return capture.get()


def _texts(node) -> list[str]:
    """Every string a node holds in its attributes, and what it renders."""
    found: list[str] = []
    for value in vars(node).values():
        if isinstance(value, str | Text | Content):
            found.append(str(value))
    found.append(_rendered_text(node))
    return found


def _all_text(app) -> str:
    screens = [s for stack in app._screen_stacks.values() for s in stack]
    screens += list(app._installed_screens.values())
    chunks = [app.clipboard, app.export_screenshot()]
    for screen in screens:
        if not isinstance(screen, str):
            for node in [screen, *screen.walk_children(with_self=False)]:
                chunks.extend(_texts(node))
    chunks.extend(str(n.message) for n in app._notifications)
    return "\n".join(chunks)


async def _open_marker_screen(pilot) -> MarkerScreen:
    screen = MarkerScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_lock_key_closes_the_vault_and_removes_the_case_screens(vault_path, shell) -> None:
    _seed_marker(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await _open_marker_screen(pilot)
        await pilot.press("ctrl+a")
        await pilot.press(*"draft")
        assert MARKER in str(screen.query_one("#shown", Static).render())
        assert MARKER in _all_text(shell)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(shell.screen, UnlockScreen)
        assert not shell.session.is_unlocked
        assert VAULT_MODE not in shell._screen_stacks
        assert MARKER not in _all_text(shell)
        assert "draft" not in _all_text(shell)


async def test_palette_and_app_keys_do_nothing_while_locked(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(shell)
        await pilot.press("escape", "ctrl+l")
        await settle(pilot)
        await pilot.press("ctrl+p", "f1")
        await pilot.pause()
        assert not CommandPalette.is_open(shell)
        assert isinstance(shell.screen, UnlockScreen) and len(shell.screen_stack) == 1
        assert not shell.check_action("lock", ()) and not shell.check_action("help", ())
        assert shell.check_action("quit", ())


async def test_idle_minutes_lock_the_app(shell, clock) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        clock.advance(4 * 60)
        await pilot.press("f1")  # activity restarts the idle time
        clock.advance(4 * 60)
        assert not await shell.lock_if_idle()
        assert shell.session.is_unlocked
        clock.advance(60)
        assert await shell.lock_if_idle()
        await settle(pilot)
        assert isinstance(shell.screen, UnlockScreen) and not shell.session.is_unlocked
        assert "5" in str(shell.screen.query_one("#status").render())


async def test_unlocking_returns_to_the_same_screens_with_the_draft(vault_path, shell) -> None:
    _seed_marker(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await _open_marker_screen(pilot)
        screen.query_one("#draft", Input).value = "half a sentence"
        await shell.action_open_screen("settings")
        await pilot.press("f1")
        await pilot.pause()
        before = [type(s) for s in shell.screen_stack]
        assert before == [CaseListScreen, MarkerScreen, SettingsScreen, HelpScreen]
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        assert [type(s) for s in shell.screen_stack] == before
        restored = shell.screen_stack[1]
        assert restored is not screen
        assert restored.query_one("#draft", Input).value == "half a sentence"
        assert MARKER in str(restored.query_one("#shown", Static).render())


async def test_running_workers_end_before_the_vault_closes(shell) -> None:
    import threading

    started, release, done = threading.Event(), threading.Event(), threading.Event()
    outcome: list[str] = []

    class BusyScreen(BaseScreen):
        def on_mount(self) -> None:
            self.busy()

        @work(thread=True, group="busy")
        def busy(self) -> None:
            session = self.app.session
            started.set()
            release.wait(5)
            try:
                with session.vault.reading():
                    outcome.append("read")
            except VaultLocked:
                outcome.append("locked")
            except Exception as error:
                outcome.append(repr(error))
            finally:
                done.set()

    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await shell.push_screen(BusyScreen())
        await pilot.pause()
        assert started.wait(5)
        await shell.lock()
        assert not shell.session.is_unlocked
        release.set()
        assert done.wait(5)
        await settle(pilot)
        assert outcome == ["locked"]
        assert isinstance(shell.screen, UnlockScreen)
        assert not any(isinstance(s, ErrorModal) for s in shell.screen_stack)


async def test_quit_locks_first(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not shell.session.is_unlocked
    assert shell.return_code == 0
