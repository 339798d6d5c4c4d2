"""The report screen's keys: publishing has no printable key, and its question starts on
Cancel, so typing a folder path (and Enter) never writes files outside the vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from confidant_tui.services.report_publish import file_names
from confidant_tui.settings import Settings
from confidant_tui.ui.app import ConfidantApp, make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens import report as report_screen
from confidant_tui.ui.screens.report import ReportScreen
from tests.ui.conftest import open_report, settle


@pytest.fixture
def home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the report screen offers first (the adviser's documents or home)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setattr(report_screen, "default_folder", lambda: folder)
    return folder


def _written(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]


async def test_typing_a_path_right_after_opening_writes_nothing(
    demo_path: Path, home_folder: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_report(pilot)
        await pilot.press(*str(target), "enter")  # typed fast, while the screen is built
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen), "no confirmation was opened"
        assert screen.built is not None

        field = screen.query_one("#folder", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"/tmp/out", "enter")  # typed into the field, then Enter
        await settle(pilot)
        assert field.value == "/tmp/out"
        assert isinstance(app.screen, ReportScreen)

        screen.query_one("#figures").focus()
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), "p publishes no more"
        await pilot.press("enter")
        await settle(pilot)
    assert _written(home_folder, target) == []


async def test_the_publish_question_starts_on_cancel(
    demo_path: Path, home_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        screen.query_one("#folder", Input).value = str(out)
        screen.query_one("#folder", Input).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "cancel"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    assert _written(home_folder, out) == []


async def test_existing_files_are_named_and_replaced_only_after_yes(
    demo_path: Path, home_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen) and screen.built is not None
        names = file_names(screen.built.year, screen.built.organisation)
        older = out / names[1]
        older.write_text("older version")
        screen.query_one("#folder", Input).value = str(out)
        await pilot.press("ctrl+o")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        question = str(modal.query_one("#question").render())
        assert "Dit bestand bestaat al en wordt vervangen: " + names[1] in question
        assert "Vervangen" in str(modal.query_one("#confirm", Button).label)
        await pilot.press("escape")
        await settle(pilot)
        assert older.read_text() == "older version"
        assert sorted(p.name for p in out.iterdir()) == [names[1]]

        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.screen is screen
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert older.read_text() != "older version"
    assert _written(home_folder) == []


async def test_a_folder_that_does_not_exist_is_said_before_asking(
    demo_path: Path, home_folder: Path, tmp_path: Path
) -> None:
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        screen = app.screen
        screen.query_one("#folder", Input).value = str(tmp_path / "nergens")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen is screen
        messages = [n.message for n in app._notifications]
        assert any("nergens bestaat niet" in m for m in messages), messages


def test_publishing_has_no_printable_key() -> None:
    keys = [
        binding.key
        for binding in ReportScreen.BINDINGS
        if binding.action == "publish"  # type: ignore[union-attr]
    ]
    assert keys == ["ctrl+o"]
    app_keys = {binding.key for binding in ConfidantApp.BINDINGS}  # type: ignore[union-attr]
    assert "ctrl+o" not in app_keys and "ctrl+p" in app_keys


async def test_publishing_a_year_still_running_is_questioned_with_a_warning(
    demo_path: Path, home_folder: Path
) -> None:
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        screen.query_one("#figures").focus()
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "nog niet voorbij" not in _shown_text(app), "last year is over"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("right_square_bracket")  # this year, still running
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "is nog niet voorbij" in _shown_text(app)
        await pilot.press("enter")  # Cancel has the focus
        await settle(pilot)
    assert _written(home_folder) == []


def _shown_text(app: ConfidantApp) -> str:
    return " ".join(str(static.render()) for static in app.screen.query(Static))
