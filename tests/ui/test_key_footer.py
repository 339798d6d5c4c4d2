"""The footer shows the keys Textual's footer shows, and rebuilds only when they change."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input

from confidant_tui.ui.textual_private import FOOTER_KEY
from confidant_tui.ui.widgets.key_footer import KeyFooter


class Keys(App[None]):
    """Two text fields and three keys, one of them switched off by `check_action`."""

    BINDINGS: ClassVar = [
        Binding("f2", "first", "First"),
        Binding("f3", "second", "Second"),
        Binding("f4", "hidden", "Hidden", show=False),
    ]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer
        self.second_on = True

    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")
        yield self.footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "second" and not self.second_on else True


def shown(app: App[None]) -> list[tuple[str, str, bool, bool]]:
    """Each key of the footer: key, description, disabled, compact (the palette key is)."""
    return [
        (key.key, key.description, key.has_class("-disabled"), key.has_class("-compact"))
        for key in app.screen.query(FOOTER_KEY)
    ]


async def test_the_keys_are_textuals_and_follow_the_bindings() -> None:
    async with Keys(Footer).run_test() as pilot:
        await pilot.pause()
        textual_keys = shown(pilot.app)
    app = Keys(KeyFooter)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert shown(app) == textual_keys
        assert ("f3", "Second", False, False) in shown(app)
        assert ("ctrl+p", "palette", False, True) in shown(app)
        app.second_on = False
        app.refresh_bindings()
        await pilot.pause()
        assert ("f3", "Second", True, False) in shown(app)


async def test_a_focus_change_that_keeps_the_keys_keeps_the_footer() -> None:
    app = Keys(KeyFooter)
    async with app.run_test() as pilot:
        await pilot.pause()
        before = list(app.screen.query(FOOTER_KEY))
        assert before
        for _round in range(3):
            await pilot.press("tab")
            app.refresh_bindings()
            await pilot.pause()
        assert list(app.screen.query(FOOTER_KEY)) == before
        assert all(key.is_attached for key in before)


class Crowded(App[None]):
    """A screen with five keys and long descriptions, and the app's own Quit."""

    BINDINGS: ClassVar = [Binding("ctrl+q", "quit", "Quit the application")]

    def on_mount(self) -> None:
        self.push_screen(CrowdedScreen())


class CrowdedScreen(Screen[None]):
    BINDINGS: ClassVar = [
        Binding(key, f"noop('{key}')", f"Action number {key}") for key in ("a", "b", "c", "d", "e")
    ]

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def action_noop(self, key: str) -> None:
        pass


async def test_the_apps_own_keys_leave_the_footer_when_the_screens_keys_need_the_room() -> None:
    app = Crowded()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        keys = [key for key, _description, _disabled, _compact in shown(app)]
        assert "ctrl+q" not in keys, "Quit would have cut the screen's last key"
        assert keys[:5] == ["a", "b", "c", "d", "e"]
        await pilot.resize_terminal(160, 10)
        await pilot.pause()
        await pilot.pause()
        keys = [key for key, _description, _disabled, _compact in shown(app)]
        assert "ctrl+q" in keys, "with room, the app's Quit shows again"


class CountedFooter(KeyFooter):
    """A footer that notes each time it builds its keys."""

    def __init__(self) -> None:
        super().__init__()
        self.builds: list[tuple[str, ...]] = []

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self.builds.append(tuple(key.key for key in keys))
        yield from keys


async def pushed(pilot: Any, screen: Screen[None]) -> CountedFooter:
    """Pushes `screen` once the app has settled; its footer once the screen is built."""
    await pilot.pause()
    await pilot.app.push_screen(screen)
    for _round in range(3):
        await pilot.pause()
    return screen.query_one(CountedFooter)


class CountedScreen(CrowdedScreen):
    def compose(self) -> ComposeResult:
        yield CountedFooter()


async def test_the_footer_is_built_once_with_the_keys_that_fit() -> None:
    """Built with the screen's keys (and without the app's, which would not fit), not
    empty first and again once the bindings are known."""
    app = Crowded()
    async with app.run_test(size=(100, 10)) as pilot:
        footer = await pushed(pilot, CountedScreen())
        assert footer.builds == [("a", "b", "c", "d", "e", "ctrl+p")], footer.builds
        app.refresh_bindings()
        await pilot.pause()
        assert len(footer.builds) == 1, "the same keys again rebuild nothing"


class Listing(Input):
    """A field with a key of its own, shown in the footer while it has the focus."""

    BINDINGS: ClassVar = [Binding("f5", "open", "Open")]


class FocusedScreen(Screen[None]):
    """A screen whose focus goes to its second field (as the case list's to its table)."""

    AUTO_FOCUS = "#listing"

    def compose(self) -> ComposeResult:
        yield Input(id="filter")
        yield Listing(id="listing")
        yield CountedFooter()


async def test_the_footer_is_built_with_the_keys_of_the_widget_that_gets_the_focus() -> None:
    """Textual focuses a screen's `AUTO_FOCUS` widget once the screen is built, after its
    footer: the footer focuses it first, so the widget's own keys are there from the start
    and the footer is not built a second time a moment later."""
    app = Keys(KeyFooter)
    async with app.run_test(size=(100, 10)) as pilot:
        screen = FocusedScreen()
        footer = await pushed(pilot, screen)
        assert screen.focused is screen.query_one("#listing")
        assert len(footer.builds) == 1, footer.builds
        assert "f5" in footer.builds[0]
