"""The today view, through the keyboard, on the demo vault (a real encrypted file).

The clock stands at 2 December 2026, 09:00 (the demo's cases are dated around 23 November
2026): 2026-003's follow-up of 25 November is 7 days overdue, 2026-004's of 30 November 2
days overdue, 2026-001's falls due today.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from confidant_tui.services.audit import entries
from confidant_tui.settings import Settings
from confidant_tui.ui.app import VAULT_MODE, make_app
from confidant_tui.ui.modals.deadline_mark import DeadlineMarkModal
from confidant_tui.ui.screens import today as today_module
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.today import TodayScreen
from confidant_tui.ui.widgets.form_field import FormField
from tests.ui.case_helpers import screen_text, type_into
from tests.ui.conftest import settle, unlock
from tests.ui.test_keys_while_building import burst

NOW = dt.datetime(2026, 12, 2, 9, 0)


def today_screen(app) -> TodayScreen:
    screen = app.screen
    assert isinstance(screen, TodayScreen), type(screen)
    return screen


def follow_up_key(screen: TodayScreen, code: str) -> str:
    [key] = [
        key
        for key, item in screen.items.items()
        if item.deadline.code == code and item.deadline.kind == "follow_up"
    ]
    return key


async def cursor_on(pilot, screen: TodayScreen, key: str) -> None:
    """Moves the cursor with the arrow keys to the row of `key`."""
    listing = screen.query_one("#items")
    for _press in range(len(listing.options)):
        if screen.current() is not None and screen.current() is screen.items[key]:
            return
        await pilot.press("down")
    raise AssertionError(f"{key} not reached")


async def open_today(pilot, clock) -> TodayScreen:
    clock.set(NOW)
    await unlock(pilot)
    await settle(pilot)
    screen = today_screen(pilot.app)
    assert [type(s) for s in pilot.app.screen_stack] == [CaseListScreen, TodayScreen]
    return screen


async def test_unlocking_shows_what_is_due_at_80x24_and_enter_opens_the_conversation(
    demo_path, clock
) -> None:
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_today(pilot, clock)
        text = screen_text(app)
        assert "Te laat (7)" in text
        assert "7 te laat, 3 deze week" in text  # the title counts the groups below the fold
        assert "2026-003" in text and "7 dagen te laat (sinds 25 november 2026)" in text
        for key in ("Openen", "Afgehandeld", "Uitstellen", "Terug"):  # the footer at 80
            assert key in text, key
        overdue = [item.deadline.code for item in screen.items.values() if item.state == "overdue"]
        assert "2026-003" in overdue and "2026-004" in overdue

        key = follow_up_key(screen, "2026-003")
        target = screen.items[key].deadline.target
        assert target is not None and target.startswith("conv-")
        await cursor_on(pilot, screen, key)
        detail = "2026-003: Opvolging · vervalt op 25 november 2026"  # the line under the list
        assert detail in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        case_file = app.screen
        assert isinstance(case_file, CaseFileScreen)
        assert case_file._current_key() == target  # at that conversation

        await pilot.press("escape")
        await settle(pilot)
        assert today_screen(app).current() is today_screen(app).items[key]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)


async def test_done_asks_a_reason_removes_the_item_and_is_audited(demo_path, clock) -> None:
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_today(pilot, clock)
        text = screen_text(app)
        assert "Deze week (3)" in text and "vandaag · Vervolgcontact met de melder" in text
        key = follow_up_key(screen, "2026-003")
        await cursor_on(pilot, screen, key)
        after = list(screen.items)[list(screen.items).index(key) + 1]

        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeadlineMarkModal) and dialog.act == "done"
        await pilot.press("ctrl+s")  # no reason: refused in the dialog, in Dutch
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one(FormField).problem == "Geef in een paar woorden een reden."
        await type_into(pilot, "#reason", "Gebeld, komt volgende week")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is screen
        assert key not in screen.items
        assert screen.current() is screen.items[after]  # the next item took its place
        [entry] = [e for e in entries(app.session.vault) if e.action == "deadline.done"]
        assert entry.case_code == "2026-003" and "follow_up 2026-11-25" in (entry.detail or "")
        assert "Gebeld" not in (entry.detail or "")  # the reason stays out of the log


async def test_a_snooze_hides_the_item_until_its_day(demo_path, clock) -> None:
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_today(pilot, clock)
        key = follow_up_key(screen, "2026-004")
        await cursor_on(pilot, screen, key)
        # Typed in one burst as the dialog opens: the Tab moves on to the day's field.
        burst(app, "z", *"Melder op vakantie", "tab", *"02-12-2026")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeadlineMarkModal) and dialog.act == "snoozed"
        assert dialog.query_one("#reason", Input).value == "Melder op vakantie"
        assert dialog.query_one("#until", Input).value == "02-12-2026"  # today: refused
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "na vandaag" in str(dialog.query(FormField).last().problem)
        assert dialog.query_one("#reason", Input).value == "Melder op vakantie"
        await type_into(pilot, "#until", "09-12-2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and key not in screen.items
        assert "1 uitgesteld punt" in screen_text(app)
        snoozed = [e for e in entries(app.session.vault) if e.action == "deadline.snoozed"]
        assert [e.case_code for e in snoozed] == ["2026-004"]

        # On the snooze's day it is back (locked and unlocked: the view is read again).
        await pilot.press("ctrl+l")
        await settle(pilot)
        clock.set(dt.datetime(2026, 12, 9, 9, 0))
        await unlock(pilot)
        await settle(pilot)
        again = today_screen(app)
        assert [type(s) for s in app.screen_stack] == [CaseListScreen, TodayScreen]
        assert key in again.items and again.items[key].state == "overdue"
        assert "uitgesteld" not in screen_text(app)


async def test_keys_typed_as_the_view_appears_act_on_nothing(demo_path, clock) -> None:
    """n (new case) and a (audit log) belong to the case list, d to the today view: typed
    the instant the vault opens, before the view is built, none of them acts."""
    app = make_app(Settings(), demo_path, clock=clock)
    switch_mode = app.switch_mode

    def switch_and_type(mode: str):
        if mode == VAULT_MODE:
            burst(app, "n", "a", "d", "enter")
        return switch_mode(mode)

    app.switch_mode = switch_and_type  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_today(pilot, clock)
        assert [type(s) for s in app.screen_stack] == [CaseListScreen, TodayScreen]


async def test_with_the_setting_off_unlocking_shows_the_case_list(
    demo_path, clock, monkeypatch
) -> None:
    monkeypatch.setattr(today_module, "GROUP_ROWS", 3)  # a long group is cut and counted
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.set(NOW)
        await unlock(pilot)
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [CaseListScreen]
        await pilot.press("t")  # the case list's key opens the view
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        text = screen_text(app)
        assert "Te laat (7)" in text and "… en nog 4: confidant due toont ze allemaal" in text
        assert "2024-003" in text and "2026-003" not in text  # the 4th overdue item is cut
