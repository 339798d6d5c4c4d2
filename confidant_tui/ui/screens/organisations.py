"""Provides `OrganisationsScreen`: the organisations the adviser serves, and their state.

One row per organisation: active or archived (since when), the default for new cases, its
number of cases, its complaint period and when its yearly report is due. From here the
adviser adds one (`a`), edits one's rules (Enter, on `OrganisationFormScreen`), archives or
restores one (`r`: an archived organisation keeps its cases and reports, but gets no new
cases) and makes one the default (`d`). Every change is one service call in a worker; the
app's context then gets the vault's organisations, so the intake sees them at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from confidant_tui.display_text import visible
from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.services.organisations import (
    OrganisationEntry,
    edit_organisation,
    overview,
    set_archived,
)
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.commands import load_screen_class
from confidant_tui.ui.context import apply_organisations
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.month_day import format_month_day
from confidant_tui.ui.widgets.key_footer import KeyFooter

FORM = "confidant_tui.ui.screens.organisation_form:OrganisationFormScreen"
"""The form, opened by name (screens do not import each other, see `ui/navigation.py`)."""


class OrganisationTable(LocalisedBindings, DataTable[Text]):
    """The table of organisations: Enter (edit) shows in the footer while it has the focus."""

    BINDINGS: ClassVar = [Binding("enter", "select_cursor", N_("Edit"), show=True)]


class OrganisationsScreen(BaseScreen):
    """The list of organisations; `a` adds, Enter edits, `r` archives or restores, `d`
    makes the default, Escape goes back."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "The organisations you serve, each with its own rules. a adds one, Enter edits the "
        "rules of the one under the cursor, r archives it (it keeps its cases and reports but "
        "gets no new ones) or brings it back, d makes it the default for new cases. ★ marks "
        "the default."
    )
    BINDINGS: ClassVar = [
        Binding("a", "add", N_("Add")),
        Binding("enter", "edit", N_("Edit"), show=False),
        Binding("r", "archive", N_("Archive/restore")),
        Binding("d", "make_default", N_("Default")),
        Binding("escape", "app.pop_screen", N_("Back")),
    ]

    class Loaded(Message):
        """The organisations, with their numbers of cases, as the vault holds them now."""

        def __init__(self, entries: list[OrganisationEntry]) -> None:
            super().__init__()
            self.entries = entries

    class Refused(Message):
        """A change was refused; `message` says why."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[OrganisationEntry] = []
        self._in_form = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Organisations"), style="bold"), id="title")
        yield OrganisationTable(id="organisations", cursor_type="row", zebra_stripes=True)
        yield Static(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#organisations", DataTable)
        table.add_column(_("Name"), key="name")
        table.add_column(_("Status"), key="status")
        table.add_column("★", key="default", width=1)
        table.add_column(_("Cases"), key="cases")
        table.add_column(_("Complaint period"), key="period")
        table.add_column(_("Report due"), key="due")
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        """Shows the changes made on the form when the adviser comes back from it (not
        after a question: its answer starts its own change, which a reload would cancel)."""
        if self.is_mounted and self._in_form:
            self._in_form = False
            self.reload()

    # -- loading and changing ------------------------------------------------------------

    def reload(self) -> None:
        """Reads the organisations again (in a worker)."""
        self._run(None)

    @work(thread=True, exclusive=True, group="organisations")
    def _run(self, change: tuple[str, str] | None) -> None:
        """Applies `change` ("archive"/"restore"/"default", name), then reads every
        organisation; a refusal is said, nothing else changes."""
        context = self.context
        vault = context.vault
        if change is not None:
            what, name = change
            try:
                if what == "default":
                    edit_organisation(vault, name, {}, make_default=True)
                else:
                    set_archived(vault, name, archived=what == "archive", today=context.today())
            except InvalidInput as error:
                self.post_message(self.Refused(error.message))
        self.post_message(self.Loaded(overview(vault)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.entries = message.entries
        apply_organisations(self.app, [entry.organisation for entry in message.entries])
        table = self.query_one("#organisations", DataTable)
        row = table.cursor_row
        table.clear()
        for entry in message.entries:
            table.add_row(*_cells(entry), key=str(entry.organisation.id))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        active = sum(entry.organisation.active for entry in message.entries)
        self.query_one("#status", Static).update(
            ngettext(
                "{count} organisation, {active} active.",
                "{count} organisations, {active} active.",
                len(message.entries),
            ).format(count=len(message.entries), active=active)
        )

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.notify(message.message, severity="error", markup=False)

    def _selected(self) -> OrganisationEntry | None:
        table = self.query_one("#organisations", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.entries if str(e.organisation.id) == key), None)

    # -- actions -------------------------------------------------------------------------

    def action_add(self) -> None:
        """Opens an empty form for a new organisation."""
        self._in_form = True
        self.app.push_screen(load_screen_class(FORM)())

    def action_edit(self) -> None:
        """Opens the rules of the organisation under the cursor."""
        entry = self._selected()
        if entry is not None:
            self._in_form = True
            self.app.push_screen(load_screen_class(FORM)(entry.organisation.name))

    @on(DataTable.RowSelected, "#organisations")
    def _row_selected(self) -> None:
        self.action_edit()

    def action_archive(self) -> None:
        """Archives the organisation under the cursor, or brings it back; asks first."""
        entry = self._selected()
        if entry is None:
            return
        organisation = entry.organisation
        name = visible(organisation.name)
        if organisation.active:
            question = _(
                "Archive {name}? It keeps its cases and reports, but gets no new cases."
            ).format(name=name)
            confirm, what = _("Archive"), "archive"
        else:
            question = _("Bring {name} back? It can get new cases again.").format(name=name)
            confirm, what = _("Restore"), "restore"

        def answered(yes: bool | None) -> None:
            if yes:
                self._run((what, organisation.name))

        self.app.push_screen(ConfirmModal(question, confirm=confirm, safe_default=True), answered)

    def action_make_default(self) -> None:
        """Makes the organisation under the cursor the one new cases get."""
        entry = self._selected()
        if entry is not None and not entry.organisation.is_default:
            self._run(("default", entry.organisation.name))


def _cells(entry: OrganisationEntry) -> tuple[Text, ...]:
    """One row of the table; the name exactly as typed, never as markup."""
    organisation = entry.organisation
    rules = organisation.rules
    if organisation.archived is None:
        status = _("active")
    else:
        status = _("archived {date}").format(date=format_date(organisation.archived))
    period = ngettext("{count} year", "{count} years", rules.complaint_period_years).format(
        count=rules.complaint_period_years
    )
    return (
        literal_text(organisation.name, single_line=True),
        Text(status),
        Text("★" if organisation.is_default else ""),
        Text(str(entry.cases), justify="right"),
        Text(period),
        Text(format_month_day(rules.report_due)),
    )
