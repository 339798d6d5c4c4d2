"""Provides `RetentionScreen`: the closed cases due for destruction, and those postponed.

A closed case becomes due once the yearly report of the year it was closed has been
published for its organisation, and at the latest a set time after closing
(`domain/retention.py`). The screen (palette: "Due for destruction"; `d` on the case list)
lists the due cases with their organisation, the day they were closed, since when they are
due and why; below them the postponed ones with the day they are kept until and the
adviser's reason. The line under the lists shows the full reason of the row under the
cursor (a table cell cuts it at 80 columns).

Space selects one or several due cases; `x` (or the button) destroys the selection, or the
case under the cursor when nothing is selected, after `DestroyConfirmModal`; `p` postpones
the case under the cursor (`PostponeModal`), also a postponed one again. Codes, names and
reasons are shown literally.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Static
from textual.widgets.data_table import RowDoesNotExist
from textual.worker import get_current_worker

from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import ConfidantError, VaultLocked
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.services import retention
from confidant_tui.services.retention import DueCase
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.modals.destroy_confirm import Backups, DestroyConfirmModal
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.modals.postpone import PostponeModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter

SELECTED = "✓"
"""Shown in the first column of a selected due case."""
DUE_FIXED = 44
"""Columns the due list takes besides the reason and the organisation (padding and scroll
bar included); the reason is cut to the rest and shown whole under the lists."""
POSTPONED_FIXED = 26
"""The same for the postponed list."""
ORGANISATION_WIDTH = 16
"""The organisation's cell (14) with its padding, when the adviser serves several."""


class DueTable(LocalisedBindings, DataTable[Text]):
    """The table of due cases: space selects or unselects the case under the cursor."""

    BINDINGS: ClassVar = [Binding("space", "toggle_selected", N_("Select"))]

    class Toggle(Message):
        """The adviser pressed space on a row."""

    def action_toggle_selected(self) -> None:
        """Selects or unselects the case under the cursor (space)."""
        self.post_message(self.Toggle())


class RetentionScreen(BaseScreen):
    """The due cases (select with space, destroy with x) and the postponed ones (p)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "Closed cases due for destruction: once the yearly report of the year they were "
        "closed has been published, and at the latest the organisation's retention term "
        "after closing. Space selects one or several, x destroys them (or the one under the "
        "cursor) after you type its code or their number; what stays is the anonymous "
        "statistical record and the audit entries. p postpones the case under the cursor "
        "with a reason and a new date. Tab moves between the lists and the buttons."
    )
    BINDINGS: ClassVar = [
        Binding("x", "destroy", N_("Destroy")),
        Binding("delete", "destroy", N_("Destroy"), show=False),
        Binding("p", "postpone", N_("Postpone")),
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """The due and postponed cases and the known backups, as the vault says now."""

        def __init__(self, due: list[DueCase], postponed: list[DueCase], backups: Backups) -> None:
            super().__init__()
            self.due = due
            self.postponed = postponed
            self.backups = backups

    class Failed(Message):
        """Reading the lists failed with an error for the adviser."""

        def __init__(self, error: ConfidantError) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.due: dict[str, DueCase] = {}
        self.postponed: dict[str, DueCase] = {}
        self.selected: set[str] = set()
        self.backups: Backups = []
        self._loaded = False
        self._last_table = "due"
        self._several = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Due for destruction"), style="bold"), id="title")
        yield DueTable(id="due", cursor_type="row", zebra_stripes=True)
        yield Static(id="due-empty")
        yield Static(Text(_("Postponed"), style="bold"), id="postponed-title")
        yield DataTable[Text](id="postponed", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail")
        with Horizontal(id="buttons"):
            yield Button(_("Destroy…"), id="destroy", variant="error", compact=True)
            yield Button(_("Postpone…"), id="postpone", compact=True)
            yield Button(_("Back"), id="back", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        # The organisation gets a column only when the adviser serves several.
        self._several = len(self.context.organisations) > 1
        due = self.query_one("#due", DataTable)
        due.add_column(Text(SELECTED), key="selected", width=1)
        due.add_column(_("Case"), key="code", width=9)
        if self._several:
            due.add_column(_("Organisation"), key="organisation", width=14)
        due.add_column(_("Closed"), key="closed", width=10)
        due.add_column(_("Due since"), key="due", width=10)
        due.add_column(_("Reason"), key="reason")
        postponed = self.query_one("#postponed", DataTable)
        postponed.add_column(_("Case"), key="code", width=9)
        if self._several:
            postponed.add_column(_("Organisation"), key="organisation", width=14)
        postponed.add_column(_("Until"), key="until", width=10)
        postponed.add_column(_("Reason"), key="reason")
        self.query_one("#due-empty").display = False
        for part in ("#postponed-title", "#postponed"):
            self.query_one(part).display = False
        due.focus()
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Reads the due and postponed cases again (in a worker)."""
        self._load()

    @work(thread=True, exclusive=True, group="retention")
    def _load(self) -> None:
        context = self.context
        worker = get_current_worker()
        try:
            vault = context.vault
            today = context.today()
            due = retention.due_cases(vault, today=today)
            postponed = retention.postponed_cases(vault, today=today)
            backups = retention.known_backups(vault)
        except VaultLocked:
            return
        except ConfidantError as error:
            if not worker.is_cancelled:
                self.post_message(self.Failed(error))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(due, postponed, backups))

    @on(Loaded)
    def _loaded_lists(self, message: Loaded) -> None:
        self._loaded = True
        self.due = {case.code: case for case in message.due}
        self.postponed = {case.code: case for case in message.postponed}
        self.selected &= set(self.due)
        self.backups = message.backups
        due = self.query_one("#due", DataTable)
        keep = self._key_under_cursor(due)
        due.clear()
        for case in message.due:
            due.add_row(*self._due_cells(case), key=case.code)
        _move_to(due, keep)
        empty = self.query_one("#due-empty", Static)
        empty.update(Text(_("No case is due for destruction today.")))
        empty.display = not message.due
        postponed = self.query_one("#postponed", DataTable)
        keep = self._key_under_cursor(postponed)
        postponed.clear()
        for case in message.postponed:
            postponed.add_row(*self._postponed_cells(case), key=case.code)
        _move_to(postponed, keep)
        for part in ("#postponed-title", "#postponed"):
            self.query_one(part).display = bool(message.postponed)
        self._show_detail()

    def _due_cells(self, case: DueCase) -> list[Text]:
        cells = [
            Text(SELECTED if case.code in self.selected else "", style="bold"),
            literal_text(case.code, single_line=True, style="bold"),
            Text(format_date(case.closed_on)),
            Text(format_date(case.due_on)),
            _short(literal_text(case.reason, single_line=True), self._room(DUE_FIXED)),
        ]
        if self._several:
            cells.insert(2, _short(literal_text(case.organisation, single_line=True), 14))
        return cells

    def _postponed_cells(self, case: DueCase) -> list[Text]:
        cells = [
            literal_text(case.code, single_line=True, style="bold"),
            Text(format_date(case.postponed_until)),
            _short(
                literal_text(case.postponement_reason, single_line=True),
                self._room(POSTPONED_FIXED),
            ),
        ]
        if self._several:
            cells.insert(1, _short(literal_text(case.organisation, single_line=True), 14))
        return cells

    def _room(self, fixed: int) -> int:
        """The width left for a reason cell on this screen."""
        taken = fixed + (ORGANISATION_WIDTH if self._several else 0)
        return max(12, self.app.size.width - taken)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        problems = getattr(message.error, "problems", None)
        self.app.push_screen(ErrorModal(message.error.message, problems))

    # -- the row under the cursor ----------------------------------------------------------

    @staticmethod
    def _key_under_cursor(table: DataTable[Text]) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _table(self, name: str) -> DataTable[Text]:
        return self.query_one(f"#{name}", DataTable)

    def _current(self) -> tuple[str, DueCase] | None:
        """The list the adviser is in (the last one focused) and the case under its cursor."""
        name = self._last_table
        cases = self.postponed if name == "postponed" else self.due
        code = self._key_under_cursor(self._table(name))
        if code is None or code not in cases:
            other = "due" if name == "postponed" else "postponed"
            cases = self.postponed if other == "postponed" else self.due
            code = self._key_under_cursor(self._table(other))
            if code is None or code not in cases:
                return None
            name = other
        return name, cases[code]

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id in ("due", "postponed") and event.data_table.has_focus:
            self._last_table = event.data_table.id or "due"
        self._show_detail()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id in ("due", "postponed"):
            self._last_table = focused.id or "due"
            self._show_detail()

    def _show_detail(self) -> None:
        """The full reason of the case under the cursor, and how many are selected."""
        line = Text()
        current = self._current() if self._loaded else None
        if current is not None:
            name, case = current
            line.append_text(literal_text(case.code, single_line=True, style="bold"))
            line.append(": ")
            if name == "postponed" and case.postponed_until is not None:
                line.append(_("kept until {date}").format(date=long_date(case.postponed_until)))
                line.append(" · ")
                line.append_text(literal_text(case.postponement_reason, single_line=True))
            else:
                line.append(_("due since {date}").format(date=long_date(case.due_on)))
                line.append(" · ")
                line.append_text(literal_text(case.reason, single_line=True))
        if self.selected:
            if line.plain:
                line.append("\n")
            count = len(self.selected)
            line.append(
                ngettext("{count} case selected", "{count} cases selected", count).format(
                    count=count
                ),
                style="bold",
            )
        self.query_one("#detail", Static).update(line)

    # -- selecting -------------------------------------------------------------------------

    @on(DueTable.Toggle)
    def _toggle(self) -> None:
        table = self._table("due")
        code = self._key_under_cursor(table)
        if code is None or code not in self.due:
            return
        if code in self.selected:
            self.selected.discard(code)
        else:
            self.selected.add(code)
        mark = Text(SELECTED if code in self.selected else "", style="bold")
        table.update_cell(code, "selected", mark)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)
        self._show_detail()

    # -- destroying ------------------------------------------------------------------------

    @on(Button.Pressed, "#destroy")
    def action_destroy(self) -> None:
        """Destroys the selected due cases, or the one under the cursor, after asking (x)."""
        if not self._loaded:
            return
        if self.selected:
            cases = [case for code, case in self.due.items() if code in self.selected]
        else:
            code = self._key_under_cursor(self._table("due"))
            if code is None or code not in self.due:
                self.notify(
                    _("No case is due for destruction: there is nothing to destroy."),
                    markup=False,
                )
                return
            cases = [self.due[code]]

        def closed(destroyed: bool | None) -> None:
            if destroyed:
                self.selected.clear()
                self.reload()

        self.app.push_screen(DestroyConfirmModal(cases, self.backups), closed)

    # -- postponing ------------------------------------------------------------------------

    @on(Button.Pressed, "#postpone")
    def action_postpone(self) -> None:
        """Postpones the destruction of the case under the cursor, with a reason (p)."""
        current = self._current() if self._loaded else None
        if current is None:
            self.notify(_("Choose a case to postpone first."), markup=False)
            return
        _name, case = current

        def closed(stored: bool | None) -> None:
            if stored:
                self.selected.discard(case.code)
                self.reload()

        self.app.push_screen(PostponeModal(case), closed)

    # -- leaving ---------------------------------------------------------------------------

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Goes back to where the adviser came from (Escape)."""
        self.dismiss()


def _move_to(table: DataTable[Text], key: str | None) -> None:
    """Puts the cursor back on the row of `key` when it is still there."""
    if key is None:
        return
    with contextlib.suppress(RowDoesNotExist):  # the row went away: the cursor stays
        table.move_cursor(row=table.get_row_index(key))


def _short(text: Text, width: int) -> Text:
    """Cuts a cell to `width` cells with an ellipsis."""
    text.truncate(width, overflow="ellipsis")
    return text
