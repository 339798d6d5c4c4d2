"""One test per private Textual name Confidant relies on (all used in `ui/textual_private.py`).

Each test checks that the name still exists and still behaves as Confidant uses it, on a
tiny app of its own, so a Textual upgrade that changes one fails here, loudly, by name.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from confidant_tui.ui import textual_private as tp


class Plain(App[None]):
    """An app with one priority binding and a text field."""

    BINDINGS: ClassVar = [Binding("ctrl+y", "noted", "Noted", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.noted = 0

    def compose(self) -> ComposeResult:
        yield Input(id="field")

    def action_noted(self) -> None:
        self.noted += 1


class Hooked(tp.AppHooks[None]):
    """An app that records which `AppHooks` hook ran with what."""

    BINDINGS: ClassVar = [Binding("x", "bound", "Bound")]

    def __init__(self, *, handles: bool = True) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []
        self.handles = handles

    def compose(self) -> ComposeResult:
        yield Static("hooked")

    def on_mount(self) -> None:
        self.calls.append(("on_mount", None))

    def action_bound(self) -> None:
        self.calls.append(("bound", None))

    def app_mounted(self) -> None:
        self.calls.append(("app_mounted", None))

    def key_bubbled(self, event: events.Key) -> None:
        self.calls.append(("key_bubbled", event.key))
        if event.key == "z":
            event.prevent_default()

    def screen_replaced(self, screen: Screen[Any]) -> None:
        self.calls.append(("screen_replaced", screen))

    def handles_error(self, error: Exception) -> bool:
        self.calls.append(("handles_error", error))
        return self.handles

    def fatal_error(self) -> None:
        self.calls.append(("fatal_error", None))
        tp.stop_with_message(self, Text("plain message"))

    @work(exit_on_error=True)
    async def fail(self) -> None:
        raise RuntimeError("boom")


async def test_app_modes_tells_which_modes_exist() -> None:
    app = Plain()
    assert isinstance(app._modes, dict)
    async with app.run_test():
        assert not tp.has_mode(app, "extra")
        app.add_mode("extra", Screen)
        assert tp.has_mode(app, "extra")
        await app.remove_mode("extra")
        assert not tp.has_mode(app, "extra")


async def test_app_screen_stacks_hold_every_mode() -> None:
    app = Plain()
    assert isinstance(app._screen_stacks, dict)
    async with app.run_test() as pilot:
        app.add_mode("one", Screen)
        app.add_mode("two", Screen)
        await app.switch_mode("one")
        one = app.screen
        await app.switch_mode("two")
        await pilot.pause()
        assert tp.in_any_screen_stack(app, one)
        await app.remove_mode("one")
        await pilot.pause()
        assert not tp.in_any_screen_stack(app, one)
        pushed = Screen()
        await app.push_screen(pushed)
        await app.pop_screen()
        await pilot.pause()
        assert not tp.in_any_screen_stack(app, pushed)


async def test_app_clipboard_is_what_the_app_pastes() -> None:
    app = Plain()
    assert app._clipboard == ""
    async with app.run_test() as pilot:
        tp.set_local_clipboard(app, "only inside")
        assert app.clipboard == "only inside"
        await pilot.press("ctrl+v")
        assert app.query_one("#field", Input).value == "only inside"


async def test_app_check_bindings_runs_priority_bindings() -> None:
    app = Plain()
    async with app.run_test():
        assert await tp.run_priority_bindings(app, "ctrl+y")
        assert app.noted == 1
        assert not await tp.run_priority_bindings(app, "q")


async def test_widget_forward_event_posts_a_forwarded_key() -> None:
    app = Plain()
    async with app.run_test() as pilot:
        field = app.query_one("#field", Input)
        field.focus()
        key = events.Key("a", "a")
        tp.forward_event(field, key)
        await pilot.pause()
        assert key.is_forwarded
        assert field.value == "a"


async def test_domnode_bindings_are_the_instances_own() -> None:
    app = Plain()
    pairs = list(tp.bindings_of(app))
    assert ("ctrl+y", app.BINDINGS[0]) in pairs
    renamed = next(b for _key, b in pairs if b.key == "ctrl+y")
    tp.set_bindings(app, [Binding("ctrl+y", renamed.action, "Genoteerd", priority=True)])
    assert [b.description for _k, b in tp.bindings_of(app)] == ["Genoteerd"]
    assert [b.description for _k, b in tp.bindings_of(Plain())][-1] != "Genoteerd"
    async with app.run_test():
        assert await tp.run_priority_bindings(app, "ctrl+y")
        assert app.noted == 1


async def test_select_options_are_prompt_value_pairs() -> None:
    class WithSelect(App[None]):
        def compose(self) -> ComposeResult:
            yield Select([("One", 1), ("Two", 2)], id="choice")

    app = WithSelect()
    async with app.run_test():
        prompts = tp.select_prompts(app.query_one("#choice", Select))
        assert ("One", 1) in prompts and ("Two", 2) in prompts


async def test_app_exit_renderables_and_close_messages_no_wait_stop_the_app() -> None:
    app = Plain()
    assert app._exit_renderables == []
    async with app.run_test() as pilot:
        tp.stop_with_message(app, Text("plain message"))
        assert [str(r) for r in app._exit_renderables] == ["plain message"]
        app._exit_renderables.clear()
        for _round in range(50):
            if not app.is_running:
                break
            await asyncio.sleep(0.02)
        assert not app.is_running
        del pilot


async def test_on_mount_and_on_key_handlers_of_every_class_are_called() -> None:
    app = Hooked()
    async with app.run_test() as pilot:
        assert [c for c, _ in app.calls][:2] == ["on_mount", "app_mounted"]
        app.calls.clear()
        await pilot.press("x")
        assert app.calls == [("key_bubbled", "x"), ("bound", None)]
        app.calls.clear()
        await pilot.press("z")
        assert app.calls == [("key_bubbled", "z")]


async def test_app_replace_screen_sees_every_screen_left() -> None:
    app = Hooked()
    async with app.run_test() as pilot:
        pushed = Screen()
        await app.push_screen(pushed)
        await app.pop_screen()
        await pilot.pause()
        assert ("screen_replaced", pushed) in app.calls


async def test_app_handle_exception_gets_worker_errors() -> None:
    app = Hooked(handles=True)
    async with app.run_test() as pilot:
        worker = app.fail()
        await asyncio.gather(worker.wait(), return_exceptions=True)
        await pilot.pause()
        errors = [e for c, e in app.calls if c == "handles_error"]
        assert errors and "boom" in str(errors[0])
        assert app.is_running
        assert app.return_code is None


async def test_app_fatal_error_is_replaced_by_the_hook() -> None:
    app = Hooked(handles=False)
    async with app.run_test():
        app._handle_exception(RuntimeError("boom"))
        assert ("fatal_error", None) in app.calls
        assert [str(r) for r in app._exit_renderables] == ["plain message"]
        app._exit_renderables.clear()
        app._exception = None


async def test_footer_key_is_the_widget_of_textuals_footer() -> None:
    from textual.widgets import Footer

    class WithFooter(App[None]):
        BINDINGS: ClassVar = [Binding("f2", "noted", "Noted")]

        def compose(self) -> ComposeResult:
            yield Footer()

    app = WithFooter()
    async with app.run_test() as pilot:
        await pilot.pause()
        key = app.screen.query(tp.FOOTER_KEY).first()
        assert (key.key, key.description, key.action) == ("f2", "Noted", "noted")
        assert tp.FOOTER_KEY.compact._default is True  # why KeyFooter's keys start plain


async def test_styled_as_current_spares_the_reparse_of_a_mode_switch() -> None:
    app = Plain()
    async with app.run_test() as pilot:
        await pilot.pause()
        reparses = [0]
        original = app.stylesheet.reparse

        def counted() -> None:
            reparses[0] += 1
            original()

        app.stylesheet.reparse = counted  # type: ignore[method-assign]
        assert Screen()._css_update_count == -1 != app._css_update_count
        app.add_mode("plain", Screen)
        await app.switch_mode("plain")
        assert reparses[0] == 2  # Textual's own: _init_mode and switch_mode
        app.add_mode("marked", lambda: tp.styled_as_current(app, Screen()))
        await app.switch_mode("marked")
        await pilot.pause()
        assert reparses[0] == 2
