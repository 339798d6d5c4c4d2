"""Provides `CaseListScreen`: the home screen, every case as one row, filtered and sorted.

The list is paged: it asks the vault for one page of `CaseSummary` rows (no notes, no
identity) and the count, and fetches the next page when the cursor nears the end, so it
opens at once with 10,000 cases. Every text cell is a literal `Text`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Select, Static
from textual.widgets.data_table import ColumnKey, RowDoesNotExist
from textual.worker import get_current_worker

from confidant_tui.domain.cases import SORT_KEYS, CaseFilter, CaseSummary
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import ConfidantError, NotFound, VaultLocked
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.settings import Settings
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect

if TYPE_CHECKING:
    from confidant_tui.services.vaults import Vault
    from confidant_tui.ui.context import AppContext

PAGE_SIZE = 100
"""Rows fetched at a time; the next page loads when the cursor comes near the end."""
SEEK_ROWS = 10 * PAGE_SIZE
"""How far the list reads on to put the cursor on a case just made that the first page
does not show (a back-dated intake in a large vault); beyond it the cursor stays on top."""

SORT_NAMES: dict[str, str] = {
    "code": N_("case code"),
    "opened": N_("date opened"),
    "status": N_("status"),
    "follow_up": N_("next follow-up"),
}
CATEGORIES_WIDTH = 28
"""The categories cell's widest; less with the marker columns (`_categories_width`), so a row
fits 80 columns beside the list's scroll bar (2 cells)."""
OVERDUE_COLUMN = "!"
"""Title of the overdue marker column (the same in Dutch and English)."""
OVERDUE_MARKER = "!"
"""Shown on the row of a case with an overdue deadline (see the F1 help)."""
PROTOCOL_COLUMN = "P"
"""Title of the marker column (P for protocol, the same word in Dutch and English)."""
PROTOCOL_MARKER = "⚑"
"""Shown on the row of a case with a protocol procedure (see the F1 help)."""
COLUMN_SORT = {"code": "code", "opened": "opened", "status": "status", "follow_up": "follow_up"}
FIRST_DESCENDING: dict[str, bool] = {
    "code": True,
    "opened": True,
    "status": False,
    "follow_up": False,
}
"""The direction a column sorts in when `s` (or a click on its title) first chooses it: the
newest cases first, open cases first (the workflow's order), the nearest follow-up first."""
DIRECTION_NAMES: dict[tuple[str, bool], str] = {
    ("code", True): N_("newest first"),
    ("code", False): N_("oldest first"),
    ("opened", True): N_("newest first"),
    ("opened", False): N_("oldest first"),
    ("status", False): N_("open first"),
    ("status", True): N_("closed first"),
    ("follow_up", False): N_("nearest first"),
    ("follow_up", True): N_("latest first"),
}
"""The sort's direction in words, for the line under the list."""
COLUMN_TITLES: dict[str, str] = {
    "code": N_("Case"),
    "opened": N_("Opened"),
    "status": N_("Status"),
    "follow_up": N_("Follow-up"),
}
ARROWS = {True: "▼", False: "▲"}
"""After the title of the sorted column: descending, ascending."""
OverdueKey = tuple[int, dt.date, Settings]
"""The vault's commit counter, the day and the settings the overdue marks were worked out
for."""


class CaseTable(LocalisedBindings, DataTable[Text]):
    """The list's table: Enter opens (shown in the footer while the table has the focus),
    Home and End go to the first and last row loaded."""

    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", N_("Open"), show=True),
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]

    def action_select_cursor(self) -> None:
        """Opens the case under the cursor at once. Textual's own action only posts a
        `RowSelected` message, which a key typed right after Enter overtakes (`s` sorted the
        list before the case file opened); once the case file is pushed, such a key waits
        for it (`KeysWaitForScreens`). A click still opens through the message."""
        opener = getattr(self.screen, "action_open_case", None)
        if opener is not None:
            opener()


class CaseListScreen(BaseScreen):
    """The adviser's register: find a case, open it with Enter, start a new one with `n`."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#cases"  # focused before the footer is built, which then shows its keys
    HELP = N_(
        "The case list shows every case, newest first. Arrow keys move, Enter opens the case, "
        "n starts a new intake. Filter by status, year, category and organisation at the top "
        "(f jumps there, x clears the filters). s sorts by the next column (case code, date "
        "opened, status in the order open, aftercare, closed, follow-up) and o reverses the "
        "order; the arrow after a column's title shows it (▼ descending, ▲ ascending). "
        "/ searches the notes. ! in the column after the follow-up marks a case with an "
        "overdue deadline (a follow-up, aftercare, a report's term, a destruction day); t "
        "opens the today view with what is due. ⚑ in the last column (P) marks a case with a "
        "protocol procedure (confidentiality broken or being considered)."
    )
    # The footer shows the keys an adviser needs first and fits 80 columns in Dutch and
    # English (Enter comes from the table); the others are in F1 and the palette.
    BINDINGS: ClassVar = [
        Binding("n", "new_case", N_("New case")),
        Binding("enter", "open_case", N_("Open"), show=False),
        Binding("slash", "search", N_("Search")),
        Binding("f", "focus_filters", N_("Filter")),
        Binding("s", "next_sort", N_("Sort")),
        Binding("t", "app.open_screen('today')", N_("Today"), show=False),
        Binding("x", "clear_filters", N_("Clear filters"), show=False),
        Binding("o", "reverse", N_("Reverse"), show=False),
        Binding("d", "app.open_screen('retention')", N_("Due for destruction"), show=False),
        Binding("a", "app.open_screen('audit')", N_("Audit log"), show=False),
        Binding("escape", "focus_table", N_("To the list"), show=False),
    ]

    class PageLoaded(Message):
        """A page of rows arrived from the vault."""

        def __init__(
            self,
            rows: list[CaseSummary],
            total: int | None,
            offset: int,
            organisations: list[str],
            overdue: set[int] | None = None,
            newest: int | None = None,
            overdue_key: OverdueKey | None = None,
        ) -> None:
            super().__init__()
            self.rows = rows
            self.total = total
            self.offset = offset
            self.organisations = organisations
            self.overdue = overdue
            self.newest = newest
            self.overdue_key = overdue_key

    class Unchanged(Message):
        """Nothing the list shows has changed since its rows were read (a return to it)."""

    class PageAhead(Message):
        """The page after the last row shown, read ahead: it is shown at once when the
        cursor comes near the end (no round trip to the vault, no second frame)."""

        def __init__(self, rows: list[CaseSummary], case_filter: CaseFilter, after: int) -> None:
            super().__init__()
            self.rows = rows
            self.case_filter = case_filter
            self.after = after

    class Failed(Message):
        """A service call failed with an error for the adviser."""

        def __init__(self, error: ConfidantError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, *, covered: bool = False) -> None:
        super().__init__()
        self._covered = covered
        """Whether another screen covers the list as it is built (the today view after
        unlocking): the list then reads its first page when asked (`reload`), which the app
        does once that screen has been drawn."""
        self.case_filter = CaseFilter(limit=PAGE_SIZE)
        self.total = 0
        self._loading = False
        self._organisations: list[str] = []
        self._keep_case: str | None = None
        self._newest = 0
        """The id of the newest case in the vault (0: none), read with every reload."""
        self._seeking: str | None = None
        """The row key of a case just made, while the pages are read until it shows."""
        self._newest_before: int | None = None
        """`_newest` when `n` opened an intake: a newer case on return is the one just
        made, and the cursor goes to it."""
        self._overdue: set[int] = set()
        """The cases with an overdue deadline, worked out on a reload when the vault, the day
        or the settings changed since (`_overdue_key`)."""
        self._overdue_key: OverdueKey | None = None
        """What `_overdue` was worked out for: the vault's commit counter, the day and the
        settings (a sort or a filter keeps it: at 50,000 cases it costs 20 ms)."""
        self._rows_key: OverdueKey | None = None
        """The vault's commit counter, the day and the settings the rows shown were read at
        (a return to the list reads them again only when one of them changed)."""
        self._ahead: CaseListScreen.PageAhead | None = None
        """The next page, read ahead after the last one was shown (None: not yet, or used)."""

    def compose(self) -> ComposeResult:
        taxonomy = self.context.taxonomy
        yield Header()
        with Horizontal(id="filters"):
            yield KeySelect(taxonomy, "status", id="filter-status", prompt=_("Status: all"))
            yield Input(id="filter-year", placeholder=_("Year"), restrict=r"\d{0,4}", max_length=4)
            yield KeySelect(
                taxonomy,
                "category",
                keys=taxonomy.top_levels(),
                id="filter-category",
                prompt=_("Category: all"),
            )
            yield Select[str]([], id="filter-organisation", prompt=_("Organisation: all"))
        table = CaseTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="list-empty")
        yield Static(id="list-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        for field in self.query("#filters > *"):
            if isinstance(field, Select | Input):
                field.compact = True
        table = self.query_one("#cases", DataTable)
        table.add_column(self._title("code"), key="code", width=9)
        table.add_column(self._title("opened"), key="opened", width=10)
        table.add_column(self._title("status"), key="status", width=10)
        table.add_column(_("Categories"), key="categories")
        table.add_column(self._title("follow_up"), key="follow_up", width=10)
        table.add_column(Text(OVERDUE_COLUMN), key="overdue", width=1)
        if _has_protocol_marker():
            table.add_column(Text(PROTOCOL_COLUMN), key="protocol", width=1)
        table.focus()
        if not self._covered:
            self.reload()

    def on_screen_resume(self) -> None:
        """Shows new and changed cases when the adviser comes back to the list: read again
        only when the vault, the day or the settings changed since its rows were read (not
        when it is first shown, for which Textual may resume it twice: `on_mount` has just
        asked for the first page, and another read slows unlocking)."""
        if self.left_since_shown and self.is_mounted and self.query("#cases"):
            self.reload(keep_cursor=True, unless_unchanged=True)

    # -- loading ---------------------------------------------------------------------------

    def reload(self, keep_cursor: bool = False, *, unless_unchanged: bool = False) -> None:
        """Fetches the first page again for the current filter; with `unless_unchanged`,
        only when the vault's commit counter, the day or the settings differ from those
        the rows shown were read at (a return to the list after only looking elsewhere)."""
        table = self.query_one("#cases", DataTable)
        self._keep_case = None
        self._seeking = None
        if keep_cursor and table.row_count:
            self._keep_case = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self._loading = True
        self._ahead = None
        self.workers.cancel_group(self, "case-list-ahead")
        self._load(
            dataclasses.replace(self.case_filter, offset=0),
            count=True,
            today=self.context.today(),
            known=self._overdue_key,
            unchanged_since=self._rows_key if unless_unchanged else None,
        )

    @work(thread=True, exclusive=True, group="case-list")
    def _load(
        self,
        case_filter: CaseFilter,
        count: bool,
        today: dt.date | None = None,
        after: int | None = None,
        known: OverdueKey | None = None,
        unchanged_since: OverdueKey | None = None,
    ) -> None:
        """Reads a page for `PageLoaded` (`_read`), or only sees that nothing changed since
        the rows shown were read (`Unchanged`: the vault's commit counter, the day and the
        settings are those of `unchanged_since`); a failure is shown, unless the vault was
        locked meanwhile."""
        worker = get_current_worker()
        try:
            if unchanged_since is not None and today is not None:
                from confidant_tui.services import cases

                context = self.context
                version = cases.vault_version(context.vault)
                if version is not None and (version, today, context.settings) == unchanged_since:
                    if not worker.is_cancelled:
                        self.post_message(self.Unchanged())
                    return
            loaded = _read(self.context, case_filter, count, today, after, known)
        except VaultLocked:
            return
        except ConfidantError as error:
            if not worker.is_cancelled:
                self.post_message(self.Failed(error))
            return
        if not worker.is_cancelled:
            self.post_message(loaded)

    @on(Unchanged)
    def _unchanged(self) -> None:
        self._loading = False
        self._keep_case = None
        self._newest_before = None  # no case was made meanwhile
        self._read_next_ahead(self.query_one("#cases", DataTable))

    @work(thread=True, exclusive=True, group="case-list-ahead")
    def _read_ahead(self, case_filter: CaseFilter, after: int) -> None:
        """Reads the page after the case `after` (the last row shown) for `PageAhead`; a
        failure is left to the read that follows when the cursor gets there."""
        worker = get_current_worker()
        try:
            rows = _read_page(self.context.vault, case_filter, after)
        except ConfidantError:
            return
        if not worker.is_cancelled:
            self.post_message(self.PageAhead(rows, case_filter, after))

    def _read_next_ahead(self, table: DataTable[Text]) -> None:
        """Reads the page after the rows shown ahead, when there is one and the list is on
        top (beneath another screen, a return to the list may read the list again)."""
        if self.is_active and table.row_count < self.total:
            self._read_ahead(*self._next_read(table))

    @on(PageAhead)
    def _keep_ahead(self, message: PageAhead) -> None:
        self._ahead = message

    @on(PageLoaded)
    def _show_page(self, message: PageLoaded) -> None:
        table = self.query_one("#cases", DataTable)
        if message.offset == 0:
            self._show_sort(table)
            table.clear()
            self._rows_key = message.overdue_key
        if message.newest is not None:
            if self._newest_before is not None and message.newest > self._newest_before:
                self._seeking = str(message.newest)  # the case made in the intake
            self._newest_before = None
            self._newest = message.newest
        if message.total is not None:
            self.total = message.total
            self._set_organisations(message.organisations)
        if message.overdue is not None:
            self._overdue = message.overdue
            self._overdue_key = message.overdue_key
        cells = _RowCells(self.context.taxonomy, self._overdue)
        for row in message.rows:
            table.add_row(*cells.of(row), key=str(row.id))
        self._loading = False
        if self._seeking is not None:
            self._seek(table, bool(message.rows))
        elif message.offset == 0 and self._keep_case is not None:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(self._keep_case))
        if message.offset == 0:
            self._keep_case = None
        self._update_status()
        if message.rows and not self._loading:  # not while `_seek` reads the next page
            self._read_next_ahead(table)

    def _seek(self, table: DataTable[Text], more: bool) -> None:
        """Puts the cursor on the case just made once its page is loaded, reading the next
        page while it is not (up to `SEEK_ROWS`)."""
        assert self._seeking is not None
        with contextlib.suppress(RowDoesNotExist):
            table.move_cursor(row=table.get_row_index(self._seeking))
            self._seeking = None
            return
        if more and table.row_count < min(self.total, SEEK_ROWS):
            self._next_page(table)
        else:
            self._seeking = None

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._loading = False
        problems = getattr(message.error, "problems", None)
        self.app.push_screen(ErrorModal(message.error.message, problems))

    def _set_organisations(self, names: list[str]) -> None:
        select = self.query_one("#filter-organisation", Select)
        if names == self._organisations:
            return
        self._organisations = names
        current = select.value
        select.set_options([(literal_text(n, single_line=True), n) for n in names])
        if isinstance(current, str) and current in names:
            select.value = current
        select.display = len(names) > 1

    def _title(self, key: str) -> Text:
        """A sortable column's title, with the arrow of the direction when it is sorted."""
        title = Text(_(COLUMN_TITLES[key]))
        if key == self.case_filter.sort:
            title.append(ARROWS[self.case_filter.descending], style="bold")
        return title

    def _show_sort(self, table: DataTable[Text]) -> None:
        """Puts the arrow after the sorted column's title (before the table is refilled,
        which redraws the header)."""
        for key in COLUMN_TITLES:
            column = table.columns.get(ColumnKey(key))
            if column is not None:
                column.label = self._title(key)

    def _update_status(self) -> None:
        table = self.query_one("#cases", DataTable)
        shown = ngettext("{count} case", "{count} cases", self.total).format(count=self.total)
        if table.row_count < self.total:
            shown = _("{loaded} of {total}").format(loaded=table.row_count, total=shown)
        sort = (self.case_filter.sort, self.case_filter.descending)
        line = _("{shown} · by {order}, {direction} (o reverses)").format(
            shown=shown, order=_(SORT_NAMES[sort[0]]), direction=_(DIRECTION_NAMES[sort])
        )
        _set_line(self.query_one("#list-status", Static), line)
        empty = self.query_one("#list-empty", Static)
        empty.display = self.total == 0
        if self.total == 0 and self._filters_active():
            empty.update(Text(_("No case matches the filter. x clears the filters.")))
        elif self.total == 0:
            empty.update(Text(_("No cases yet. Press n for a new intake.")))

    @on(DataTable.RowHighlighted, "#cases")
    def _maybe_next_page(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if (
            not self._loading
            and table.row_count < self.total
            and event.cursor_row >= table.row_count - 20
        ):
            self._next_page(table)

    def _next_page(self, table: DataTable[Text]) -> None:
        """Shows the page after the last row shown (by its sort key): at once when it was
        read ahead, else once the vault has been read."""
        case_filter, after = self._next_read(table)
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.after == after and ahead.case_filter == case_filter:
            self._show_page(self.PageLoaded(ahead.rows, None, case_filter.offset, []))
            return
        self._loading = True
        self.workers.cancel_group(self, "case-list-ahead")
        self._load(case_filter, count=False, after=after)

    def _next_read(self, table: DataTable[Text]) -> tuple[CaseFilter, int]:
        """The filter and the last row's case id that read the page after the rows shown."""
        last = table.coordinate_to_cell_key(Coordinate(table.row_count - 1, 0)).row_key.value
        return dataclasses.replace(self.case_filter, offset=table.row_count), int(str(last))

    # -- filters ---------------------------------------------------------------------------

    def _filters_active(self) -> bool:
        f = self.case_filter
        return any(v is not None for v in (f.status, f.year, f.category, f.organisation))

    @on(Select.Changed)
    @on(Input.Changed, "#filter-year")
    def _filter_changed(self) -> None:
        year_text = self.query_one("#filter-year", Input).value
        if year_text and len(year_text) != 4:
            return
        organisation = self.query_one("#filter-organisation", Select).value
        new = dataclasses.replace(
            self.case_filter,
            status=self.query_one("#filter-status", KeySelect).key,
            year=int(year_text) if year_text else None,
            category=self.query_one("#filter-category", KeySelect).key,
            organisation=organisation if isinstance(organisation, str) else None,
        )
        if new != self.case_filter:
            self.case_filter = new
            self.reload()

    @on(DataTable.HeaderSelected, "#cases")
    def _sort_by_column(self, event: DataTable.HeaderSelected) -> None:
        key = COLUMN_SORT.get(str(event.column_key.value))
        if key is None:
            return
        if key == self.case_filter.sort:
            descending = not self.case_filter.descending
        else:
            descending = FIRST_DESCENDING[key]
        self.case_filter = dataclasses.replace(self.case_filter, sort=key, descending=descending)
        self.reload()

    # -- actions ---------------------------------------------------------------------------

    def action_new_case(self) -> None:
        """Opens an empty intake form (back on the list, the cursor is on the new case)."""
        self._newest_before = self._newest
        navigation.open_intake(self.app)

    def action_open_case(self) -> None:
        """Opens the case under the cursor."""
        table = self.query_one("#cases", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.open_case(int(key))

    @on(DataTable.RowSelected, "#cases")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_case(int(event.row_key.value))

    def open_case(self, case_id: int) -> None:
        """Shows the case file of `case_id`."""
        navigation.open_case_file(self.app, case_id)

    def action_search(self) -> None:
        """Opens the search over notes and case texts."""
        navigation.open_search(self.app)

    def action_focus_filters(self) -> None:
        """Moves the focus to the first filter (at once: a Tab typed right after `f` then
        moves on from the filter, not from the list)."""
        self.set_focus(self.query_one("#filter-status"))

    def action_focus_table(self) -> None:
        """Moves the focus back to the list (at once, as `action_focus_filters`)."""
        self.set_focus(self.query_one("#cases"))

    def action_clear_filters(self) -> None:
        """Shows every case again."""
        for select_id in ("#filter-status", "#filter-category", "#filter-organisation"):
            self.query_one(select_id, Select).clear()
        self.query_one("#filter-year", Input).value = ""
        self.case_filter = CaseFilter(
            sort=self.case_filter.sort, descending=self.case_filter.descending, limit=PAGE_SIZE
        )
        self.reload()

    def action_next_sort(self) -> None:
        """Sorts by the next column (case code, opened, status, follow-up), each first in
        its own direction (`FIRST_DESCENDING`); `o` reverses it."""
        key = SORT_KEYS[(SORT_KEYS.index(self.case_filter.sort) + 1) % len(SORT_KEYS)]
        self.case_filter = dataclasses.replace(
            self.case_filter, sort=key, descending=FIRST_DESCENDING[key]
        )
        self.reload()

    def action_reverse(self) -> None:
        """Reverses the sort order."""
        self.case_filter = dataclasses.replace(
            self.case_filter, descending=not self.case_filter.descending
        )
        self.reload()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """The list's own commands in the palette."""
        return (
            PaletteCommand(
                N_("Clear filters"), N_("Show every case again"), "screen.clear_filters", "x"
            ),
            PaletteCommand(
                N_("Sort the list"), N_("Sort by the next column"), "screen.next_sort", "s"
            ),
            PaletteCommand(
                N_("Reverse the order"), N_("Oldest or newest first"), "screen.reverse", "o"
            ),
        )


class _RowCells:
    """Makes the cells of a page's rows. The rows of a page share their dates and statuses
    often and their categories at times, so each such text is worked out once per page;
    every cell is still a `Text` of its own."""

    def __init__(self, taxonomy: Taxonomy, overdue: set[int]) -> None:
        self.taxonomy = taxonomy
        self.overdue = overdue
        self.marker = _has_protocol_marker()
        self.width = _categories_width(self.marker)
        self.dates: dict[dt.date | None, str] = {}
        self.statuses: dict[str, str] = {}
        self.categories: dict[tuple[str, ...], Text] = {}

    def of(self, row: CaseSummary) -> list[Text]:
        """The row's cells, in the order of the columns."""
        status = self.statuses.get(row.status)
        if status is None:
            status = self.statuses[row.status] = self.taxonomy.short_label("status", row.status)
        categories = self.categories.get(row.categories)
        if categories is None:
            labels = ", ".join(self.taxonomy.short_label("category", c) for c in row.categories)
            categories = _short(literal_text(labels, single_line=True), self.width)
            self.categories[row.categories] = categories
        cells = [
            literal_text(row.code, single_line=True, style="bold"),
            Text(self._date(row.opened)),
            Text(status),
            categories.copy(),
            Text(self._date(row.next_follow_up)),
            Text(OVERDUE_MARKER, style="bold red") if row.id in self.overdue else Text(""),
        ]
        if self.marker:
            cells.append(
                Text(PROTOCOL_MARKER, style="bold")
                if getattr(row, "has_protocol", False)
                else Text("")
            )
        return cells

    def _date(self, day: dt.date | None) -> str:
        shown = self.dates.get(day)
        if shown is None:
            shown = self.dates[day] = format_date(day)
        return shown


def _read(
    context: AppContext,
    case_filter: CaseFilter,
    count: bool,
    today: dt.date | None = None,
    after: int | None = None,
    known: OverdueKey | None = None,
) -> CaseListScreen.PageLoaded:
    """Reads a page (the one after the case `after`, by its sort key, when given); with
    `count` (a reload, given `today`) also the number of cases, the organisations, the id of
    the newest case and, unless the overdue marks were worked out for the same vault commit,
    day and settings (`known`), the cases with an overdue deadline (one pass over the live
    cases).

    Raises:
        ConfidantError: the vault could not be read (`VaultLocked`: it was locked).
    """
    from confidant_tui.services import cases, deadlines

    vault = context.vault
    settings = context.settings
    # Read before the marks, so that a change saved meanwhile is seen next time.
    version = cases.vault_version(vault) if count and today is not None else None
    key = None if version is None or today is None else (version, today, settings)
    rows = _read_page(vault, case_filter, after)
    total = cases.count_cases(vault, case_filter) if count else None
    organisations = list(cases.list_organisations(vault)) if count else []
    overdue = (
        deadlines.overdue_case_ids(vault, today=today, settings=settings)
        if count and today is not None and (key is None or key != known)
        else None
    )
    latest = cases.newest_case_id(vault) if count else None
    return CaseListScreen.PageLoaded(
        rows, total, case_filter.offset, organisations, overdue, latest, key
    )


def _read_page(vault: Vault, case_filter: CaseFilter, after: int | None) -> list[CaseSummary]:
    """A page of the list: the one after the case `after` by its sort key (by the filter's
    offset when that case went meanwhile), or the filter's own."""
    from confidant_tui.services import cases

    if after is not None:
        with contextlib.suppress(NotFound):  # the last row's case went meanwhile
            return cases.list_cases_after(vault, case_filter, after)
    return cases.list_cases(vault, case_filter)


def _set_line(static: Static, line: str) -> None:
    """Shows `line` in `static` (a line under the list), asking for a new layout only when
    its height may change: when the old or the new line does not fit on one line. (Every
    layout also redraws the table's scroll bar, a second frame after the first.)"""
    old = str(static.content)
    if line == old:
        return
    width = static.content_size.width
    fits = static.size.height == 1 and cell_len(old) <= width and cell_len(line) <= width
    static.update(Text(line), layout=not fits)


def _short(text: Text, width: int = CATEGORIES_WIDTH) -> Text:
    """Cuts a cell to `width` cells with an ellipsis, so every column fits at 80 columns."""
    text.truncate(width, overflow="ellipsis")
    return text


def _categories_width(protocol_marker: bool) -> int:
    """The categories cell's width beside the overdue column (and the protocol column): a
    marker column takes 3 cells (its character and padding); the row and the scroll bar then
    fill 80 columns exactly."""
    return CATEGORIES_WIDTH - (5 if protocol_marker else 2)


def _has_protocol_marker() -> bool:
    """Whether the case summaries say which cases have a protocol record (once it exists)."""
    return any(f.name == "has_protocol" for f in dataclasses.fields(CaseSummary))
