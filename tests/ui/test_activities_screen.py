"""The screen of work outside cases, through the keyboard, on a real encrypted vault."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Button, DataTable, Input, Static

from confidant_tui.domain.activities import Activity
from confidant_tui.services import activities, organisations
from confidant_tui.services.drafts import list_drafts
from confidant_tui.ui.modals.activity import ActivityModal
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens.activities import ActivitiesScreen
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, freeze_today, screen_text, type_into
from tests.ui.conftest import settle, unlock


def store_entries(vault_path, *entries: Activity, extra_organisation: str | None = None) -> None:
    """Stores `entries` through the service (the vault settled as the app would)."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        organisations.settle(vault, default_name=ORGANISATION, moment=dt.datetime(2025, 6, 2, 9, 0))
        if extra_organisation:
            organisations.add_organisation(vault, extra_organisation)
        for entry in entries:
            activities.add_activity(vault, entry, today=TODAY, taxonomy=TAXONOMY)


def entry(subject: str = "Intervisie", **changes: object) -> Activity:
    values: dict[str, object] = {
        "organisation": ORGANISATION,
        "kind": "supervision",
        "date": dt.date(2025, 5, 20),
        "minutes": 90,
        "subject": subject,
    }
    values.update(changes)
    return Activity(**values)  # type: ignore[arg-type]


async def settle_reload(pilot) -> None:
    """Waits for a save or delete and the reload it starts (a dialog's callback starts the
    reload only after the save's message was handled, so one round is not always enough)."""
    quiet = 0
    for _round in range(40):
        await settle(pilot)
        await pilot.pause(0.05)
        busy = any(worker.is_running for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return


def subjects(screen) -> list[str]:
    """The subjects the table shows, as the adviser reads them (after a dialog closed, the
    widgets are read: the compositor's picture of the screen below can lag under load)."""
    table = screen.query_one("#activities", DataTable)
    return [table.get_row_at(index)[4].plain for index in range(table.row_count)]


async def shown_text(pilot, *fragments: str) -> str:
    """The screen's text once every fragment is on it (the table repaints after its reload
    was handled; up to about three seconds), else as it is, for the assertion to show."""
    text = screen_text(pilot.app)
    for _round in range(60):
        if all(fragment in text for fragment in fragments):
            break
        await pilot.pause(0.05)
        text = screen_text(pilot.app)
    return text


def stored(app) -> list[Activity]:
    return activities.list_activities(app.session.vault)


async def open_screen(pilot) -> ActivitiesScreen:
    """Unlocks and opens the screen from the command palette, as the adviser would."""
    freeze_today(pilot.app)
    await unlock(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in "Werk buiten":
        await pilot.press(char if char != " " else "space")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ActivitiesScreen), type(pilot.app.screen)
    return pilot.app.screen


async def choose_first_kind(pilot) -> None:
    """Opens the kind list (focused first in the dialog) and takes its first kind."""
    modal = pilot.app.screen
    assert modal.focused is modal.query_one("#kind")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()


async def test_adding_an_entry_with_keys_shows_it_literally_with_totals(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot)
        assert "Geen registraties" in screen_text(shell)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(shell.screen, ActivityModal)
        await choose_first_kind(pilot)
        await pilot.press("tab")  # the date: today
        await type_into(pilot, "#minutes", "1:30")
        await type_into(pilot, "#subject", "[bold]x[/bold]")
        await type_into(pilot, "#notes", "Advies over het beleid")
        await pilot.press("ctrl+s")
        await settle_reload(pilot)
        assert shell.screen is screen
        [saved] = stored(shell)
        assert (saved.kind, saved.date, saved.minutes) == ("advice_requested", TODAY, 90)
        assert (saved.subject, saved.notes) == ("[bold]x[/bold]", "Advies over het beleid")
        # read from the widgets: the compositor's picture can lag behind under load
        row = screen.query_one("#activities", DataTable).get_row_at(0)
        date, _organisation, _kind, duration, subject = row
        assert (date.plain, duration.plain) == ("02-06-2025", "1:30")
        assert subject.plain == "[bold]x[/bold]" and not subject.spans and not subject.style
        totals = str(screen.query_one("#totals", Static).render())
        assert "1 registratie, 1:30 uur" in totals
        assert "Gevraagd advies 1 (1:30)" in totals


async def test_a_wrong_duration_is_shown_beside_its_field_and_nothing_is_stored(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        modal = shell.screen
        await choose_first_kind(pilot)
        await type_into(pilot, "#minutes", "1:75")
        await type_into(pilot, "#subject", "Voorlichting")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shell.screen is modal
        fields = {f.field: f for f in modal.query(FormField)}
        assert "1:30" in (fields["minutes"].problem or "")
        assert fields["subject"].problem is None
        assert modal.focused is modal.query_one("#minutes")
        assert stored(shell) == []


async def test_a_future_date_is_refused_by_the_rules_beside_the_date(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        modal = shell.screen
        await choose_first_kind(pilot)
        await type_into(pilot, "#date", "03-06-2025")
        await type_into(pilot, "#minutes", "45")
        await type_into(pilot, "#subject", "Training")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shell.screen is modal
        problem = {f.field: f for f in modal.query(FormField)}["date"].problem
        assert problem is not None and "toekomst" in problem
        assert stored(shell) == []


async def test_enter_edits_the_entry_under_the_cursor(shell, vault_path) -> None:
    store_entries(vault_path, entry("Oud onderwerp"))
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot)
        assert screen.query_one("#activities", DataTable).row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, ActivityModal)
        assert modal.query_one("#minutes", Input).value == "1:30"
        await type_into(pilot, "#subject", "Nieuw onderwerp")
        await type_into(pilot, "#minutes", "45")
        await pilot.press("ctrl+s")
        await settle_reload(pilot)
        assert shell.screen is screen
        [saved] = stored(shell)
        assert (saved.subject, saved.minutes, saved.kind) == ("Nieuw onderwerp", 45, "supervision")
        assert subjects(screen) == ["Nieuw onderwerp"]


async def test_delete_asks_first_and_deletes_only_when_confirmed(shell, vault_path) -> None:
    store_entries(vault_path, entry("Blijft"), entry("Weg", date=dt.date(2025, 5, 21)))
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot)
        await pilot.press("delete")  # the newest first: "Weg"
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        assert "Weg" in await shown_text(pilot, "Weg")
        await pilot.press("enter")  # the focus starts on Cancel
        await settle(pilot)
        assert shell.screen is screen
        assert len(stored(shell)) == 2
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.press("shift+tab", "enter")
        await settle_reload(pilot)
        assert shell.screen is screen
        assert [a.subject for a in stored(shell)] == ["Blijft"]
        assert subjects(screen) == ["Blijft"]


async def test_the_filters_choose_year_and_organisation(shell, vault_path) -> None:
    store_entries(
        vault_path,
        entry("Dit jaar"),
        entry("Vorig jaar", date=dt.date(2024, 3, 1)),
        entry("Ander bestuur", organisation="Tweede"),
        extra_organisation="Tweede",
    )
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot)
        table = screen.query_one("#activities", DataTable)
        assert table.row_count == 2  # this year, both organisations
        await pilot.press("f")
        await type_into(pilot, "#filter-year", "2024")
        await settle_reload(pilot)
        assert subjects(screen) == ["Vorig jaar"]
        await type_into(pilot, "#filter-year", "")
        await settle_reload(pilot)
        assert table.row_count == 3
        await pilot.press("tab", "enter")  # the organisation filter
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # past "all" and "Mijn organisatie"
        await settle_reload(pilot)
        assert subjects(screen) == ["Ander bestuur"]


async def focus_walk(pilot, container: str) -> list[str]:
    """Tabs from the first field to the Save button; each focused widget must be visible."""
    modal = pilot.app.screen
    seen: list[str] = []
    for _step in range(12):
        focused = modal.focused
        assert focused is not None
        seen.append(focused.id or type(focused).__name__)
        assert modal.query_one(container).region.contains_region(focused.region), seen
        if isinstance(focused, Button) and focused.id == "save":
            return seen
        await pilot.press("tab")
        await pilot.pause()
    raise AssertionError(f"Tab never reached Save: {seen}")


async def test_every_field_and_save_are_reachable_by_tab_at_80x24(shell, vault_path) -> None:
    store_entries(vault_path, extra_organisation="Tweede")
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        seen = await focus_walk(pilot, "#dialog")
        assert seen == ["organisation", "kind", "date", "minutes", "subject", "notes", "save"]
        assert "Geen dossierinhoud" in screen_text(shell)


async def test_the_dialog_fits_100x30_with_one_organisation(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        seen = await focus_walk(pilot, "#dialog")
        assert seen == ["kind", "date", "minutes", "subject", "notes", "save"]


async def test_typed_text_in_the_dialog_survives_a_lock(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#subject", "Voorlichting aan afdeling")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert not shell.session.is_unlocked
        await unlock(pilot)
        [draft] = list_drafts(shell.session.vault)
        assert draft.kind == "dialog"
        values = [f["value"] for f in draft.snapshot["fields"]]
        assert "Voorlichting aan afdeling" in values
        assert any(isinstance(s, ActivitiesScreen) for s in shell.screen_stack)
