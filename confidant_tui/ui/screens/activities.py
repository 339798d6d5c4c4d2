"""Provides `ActivitiesScreen`: the adviser's work outside cases, listed, totalled and edited.

Yearly reports show advice to the board, information sessions, consultations, peer
supervision and training beside the cases. The screen lists the entries of one year (this
year at first) and, when the adviser serves several, one organisation, newest first, with a
totals line per kind for that filter. `a` adds an entry, Enter changes the one under the
cursor, Delete (or `x`) deletes it after asking. Subjects are shown literally.
"""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from confidant_tui.domain.activities import Activity, ActivityFilter, format_duration
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import ConfidantError, VaultLocked
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.services.activities import ActivityOverview, delete_activity, overview
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.modals.activity import ActivityModal
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter

FIXED_WIDTH = 62
"""Columns taken by every cell but the subject (with padding and the scroll bar)."""


class ActivitiesScreen(BaseScreen):
    """The list of work outside cases for one year and organisation.

    Args:
        organisation: show only this organisation's entries (None: every organisation).
        year: the text of the year filter (None: this year; "" every year).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "Work outside cases: advice to the board, information sessions, consultations, peer "
        "supervision and training, counted in the yearly report. a adds an entry, Enter "
        "changes the one under the cursor, Delete or x deletes it after asking. Choose the "
        "year and the organisation at the top (f jumps there); the line under the list adds "
        "up the entries shown. Escape goes back."
    )
    BINDINGS: ClassVar = [
        Binding("a", "add", N_("Add")),
        Binding("enter", "edit", N_("Edit"), show=True),
        Binding("delete", "delete", N_("Delete")),
        Binding("x", "delete", N_("Delete"), show=False),
        Binding("f", "focus_filters", N_("Filter")),
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """The entries for a filter arrived from the vault."""

        def __init__(self, found: ActivityFilter, view: ActivityOverview) -> None:
            super().__init__()
            self.found = found
            self.view = view

    class Failed(Message):
        """A service call failed with an error for the adviser."""

        def __init__(self, error: ConfidantError) -> None:
            super().__init__()
            self.error = error

    class Deleted(Message):
        """An entry was deleted."""

    def __init__(self, organisation: str | None = None, year: str | None = None) -> None:
        super().__init__()
        self._organisation = organisation
        self._year = year
        self.entries: dict[str, Activity] = {}

    def compose(self) -> ComposeResult:
        names = [o.name for o in self.context.organisations]
        year = str(self.context.today().year) if self._year is None else self._year
        yield Header()
        with Horizontal(id="filters"):
            yield Label(_("Year"), id="year-label")
            yield Input(
                year, id="filter-year", placeholder=_("Year"), restrict=r"\d{0,4}", max_length=4
            )
            organisation = Select[str](
                [(literal_text(n, single_line=True), n) for n in names],
                id="filter-organisation",
                prompt=_("Organisation: all"),
                value=self._organisation if self._organisation in names else Select.NULL,
            )
            organisation.display = len(names) > 1
            yield organisation
        yield DataTable[Text](id="activities", cursor_type="row", zebra_stripes=True)
        yield Static(id="totals")
        yield KeyFooter()

    def on_mount(self) -> None:
        for field in self.query("#filters > *"):
            if isinstance(field, Select | Input):
                field.compact = True
        table = self.query_one("#activities", DataTable)
        table.add_column(_("Date"), key="date", width=10)
        table.add_column(_("Organisation"), key="organisation", width=14)
        table.add_column(_("Kind"), key="kind", width=18)
        table.add_column(_("Time"), key="minutes", width=5)
        table.add_column(_("Subject"), key="subject")
        table.focus()
        self.reload()

    def lock_snapshot(self) -> Restorer | None:
        """Comes back with the same filter (the entries are read again)."""
        select = self.query_one("#filter-organisation", Select)
        organisation = select.value if isinstance(select.value, str) else None
        return partial(ActivitiesScreen, organisation, self.query_one("#filter-year", Input).value)

    # -- loading ---------------------------------------------------------------------------

    def current_filter(self) -> ActivityFilter | None:
        """The filter the fields say, or None while a year is half typed."""
        year = self.query_one("#filter-year", Input).value.strip()
        if year and len(year) != 4:
            return None
        select = self.query_one("#filter-organisation", Select)
        organisation = select.value if isinstance(select.value, str) else None
        return ActivityFilter.for_year(int(year) if year else None, organisation)

    def reload(self) -> None:
        """Reads the entries for the current filter again."""
        found = self.current_filter()
        if found is not None:
            self._load(found)

    @work(thread=True, exclusive=True, group="activities")
    def _load(self, found: ActivityFilter) -> None:
        worker = get_current_worker()
        try:
            view = overview(self.context.vault, found)
        except VaultLocked:
            return
        except ConfidantError as error:
            if not worker.is_cancelled:
                self.post_message(self.Failed(error))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(found, view))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.found != self.current_filter():
            return
        table = self.query_one("#activities", DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        taxonomy = self.context.taxonomy
        room = max(12, self.app.size.width - FIXED_WIDTH)
        self.entries = {}
        for activity in message.view.activities:
            key = str(activity.id)
            self.entries[key] = activity
            table.add_row(
                Text(format_date(activity.date)),
                _short(literal_text(activity.organisation, single_line=True), 14),
                _short(Text(taxonomy.short_label("activity", activity.kind)), 18),
                Text(format_duration(activity.minutes), justify="right"),
                _short(literal_text(activity.subject, single_line=True), room),
                key=key,
            )
        if keep is not None and keep in self.entries:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(keep))
        self.query_one("#totals", Static).update(Text(totals_line(message.view, taxonomy)))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        problems = getattr(message.error, "problems", None)
        self.app.push_screen(ErrorModal(message.error.message, problems))

    @on(Input.Changed, "#filter-year")
    @on(Select.Changed, "#filter-organisation")
    def _filter_changed(self) -> None:
        self.reload()

    @on(DataTable.RowSelected, "#activities")
    def _row_selected(self) -> None:
        self.action_edit()

    # -- actions ---------------------------------------------------------------------------

    def _under_cursor(self) -> Activity | None:
        table = self.query_one("#activities", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(key or "")

    def _open_form(self, activity: Activity | None) -> None:
        context = self.context
        names = [o.name for o in context.active_organisations]
        select = self.query_one("#filter-organisation", Select)
        if activity is None and isinstance(select.value, str) and select.value in names:
            names.remove(select.value)
            names.insert(0, select.value)  # a new entry for the organisation shown
        elif activity is None and context.organisation in names:
            names.remove(context.organisation)
            names.insert(0, context.organisation)

        def closed(stored: bool | None) -> None:
            if stored:
                self.reload()

        self.app.push_screen(
            ActivityModal(context.taxonomy, names, context.today(), activity), closed
        )

    def action_add(self) -> None:
        """Records a new entry (a)."""
        self._open_form(None)

    def action_edit(self) -> None:
        """Changes the entry under the cursor (Enter)."""
        activity = self._under_cursor()
        if activity is not None:
            self._open_form(activity)

    def action_delete(self) -> None:
        """Deletes the entry under the cursor after asking (Delete, x)."""
        activity = self._under_cursor()
        if activity is None or activity.id is None:
            return
        activity_id = activity.id
        question = literal_text(
            _("Delete the entry of {date}, '{subject}'? This cannot be undone.").format(
                date=format_date(activity.date), subject=activity.subject
            )
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(activity_id)

        self.app.push_screen(ConfirmModal(question, confirm=_("Delete"), danger=True), answered)

    @work(thread=True, group="activities-delete")
    def _delete(self, activity_id: int) -> None:
        context = self.context
        try:
            delete_activity(context.vault, activity_id)
        except VaultLocked:
            return
        except ConfidantError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Deleted())

    @on(Deleted)
    def _deleted(self) -> None:
        self.notify(_("Entry deleted."), markup=False)
        self.reload()

    def action_focus_filters(self) -> None:
        """Moves to the year filter (f)."""
        self.query_one("#filter-year", Input).focus()

    def action_back(self) -> None:
        """Goes back to the list when in a filter, else leaves the screen (Escape)."""
        table = self.query_one("#activities", DataTable)
        if not table.has_focus:
            table.focus()
            return
        self.dismiss()


def totals_line(view: ActivityOverview, taxonomy: Taxonomy) -> str:
    """The totals of the entries shown: their number and hours, then each kind's."""
    count = len(view.activities)
    if not count:
        return _("No entries for this filter: press a to add one.")
    line = ngettext(
        "{count} entry, {duration} hours", "{count} entries, {duration} hours", count
    ).format(count=count, duration=format_duration(view.minutes))
    kinds = [
        _("{kind} {count} ({duration})").format(
            kind=taxonomy.short_label("activity", total.kind),
            count=total.count,
            duration=format_duration(total.minutes),
        )
        for total in view.totals
    ]
    return line + " · " + " · ".join(kinds)


def _short(text: Text, width: int) -> Text:
    """`text` cut to `width` cells with an ellipsis."""
    if text.cell_len <= width:
        return text
    text.truncate(width - 1)
    text.append("…")
    return text
