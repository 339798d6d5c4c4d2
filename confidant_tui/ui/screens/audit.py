"""Provides `AuditScreen`: the audit log, newest first, filtered, with the state of its chain.

The line at the top says how many entries the log holds and whether their chain is intact
(every MAC recomputed in a worker, so the list shows at once; with a broken chain it names
the first broken entry as `confidant check` does). The filters narrow the list to one
action, one case code and a period (from, to: dd-mm-yyyy or ISO). The newest `PAGE_SIZE`
entries load first; more load as the cursor nears the end, so a log of 100,000 entries opens
at once. Enter on an entry opens its case while it exists; of a destroyed case the screen
says so (its entries stay, its content is gone). Every value from the vault is shown
literally.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Select, Static
from textual.worker import get_current_worker

from confidant_tui.domain.audit import ACTIONS, AuditEntry, AuditFilter, action_label
from confidant_tui.domain.audit_view import chain_summary, format_at, format_count, parse_period
from confidant_tui.errors import ConfidantError, NotFound, VaultLocked
from confidant_tui.i18n import N_, _, format_date
from confidant_tui.services import audit
from confidant_tui.services.cases import get_case
from confidant_tui.services.vaults import Vault
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter

PAGE_SIZE = 500
"""Entries loaded at first; as many more each time the cursor nears the end."""
MOMENT_WIDTH = 19
CASE_WIDTH = 9
DETAIL_WIDTH = 14
FIXED_WIDTH = MOMENT_WIDTH + CASE_WIDTH + DETAIL_WIDTH + 4 * 2 + 2
"""Columns taken by every cell but the action (cell padding and the scroll bar)."""


class AuditTable(LocalisedBindings, DataTable[Text], inherit_bindings=False):
    """The table of entries: Enter (open the case) shows in the footer while it has the
    focus; Home and End go to the first and last entry loaded (End loads more). Its own
    keys only, so the help lists Enter and not every cursor key of a table."""

    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", N_("Open case"), show=True),
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home,ctrl+home", "scroll_top", show=False),
        Binding("end,ctrl+end", "scroll_bottom", show=False),
    ]


class AuditScreen(BaseScreen):
    """The audit log with its filters.

    Args:
        action: show only this action key (None: every action).
        case_code: the text of the case filter.
        since: the text of the "from" date.
        until: the text of the "to" date.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "The audit log: every act that matters (unlocking, changes to cases, exports, "
        "settings, destruction) with its moment and case code, never its content, newest "
        "first. The top line says whether the chain of entries is intact: a changed, removed "
        "or inserted entry breaks it, and confidant check names it. Filter by action, case "
        "code and period (f jumps there, x clears the filters). Enter opens the case of the "
        "entry under the cursor, while it exists. Escape goes back."
    )
    BINDINGS: ClassVar = [
        Binding("f", "focus_filters", N_("Filter")),
        Binding("x", "clear_filters", N_("Clear filters")),
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """The entries for a filter arrived from the vault."""

        def __init__(self, selection: AuditFilter, limit: int, rows: list[AuditEntry]) -> None:
            super().__init__()
            self.selection = selection
            self.limit = limit
            self.rows = rows

    class Verified(Message):
        """The chain was checked; `summary` says its state."""

        def __init__(self, summary: str, intact: bool) -> None:
            super().__init__()
            self.summary = summary
            self.intact = intact

    class CaseFound(Message):
        """The case of an entry exists: open it."""

        def __init__(self, case_id: int) -> None:
            super().__init__()
            self.case_id = case_id

    class CaseGone(Message):
        """The case of an entry is no longer in the vault; `text` says so."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Failed(Message):
        """A service call failed with an error for the adviser."""

        def __init__(self, error: ConfidantError) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        action: str | None = None,
        case_code: str = "",
        since: str = "",
        until: str = "",
    ) -> None:
        super().__init__()
        self._initial = (action, case_code, since, until)
        self._limit = PAGE_SIZE
        self._more = False
        self._loading = False
        self._shown: AuditFilter | None = None
        self._verify_next = False
        self.entries: dict[str, AuditEntry] = {}

    def compose(self) -> ComposeResult:
        action, case_code, since, until = self._initial
        yield Header()
        yield Static(_("Checking the chain of the audit log…"), id="chain")
        with Horizontal(id="filters"):
            yield Select[str](
                [(Text(action_label(key)), key) for key in ACTIONS],
                id="filter-action",
                prompt=_("Action: all"),
                value=action if action in ACTIONS else Select.NULL,
            )
            yield Input(case_code, id="filter-case", placeholder=_("Case code"), max_length=20)
            yield Input(since, id="filter-since", placeholder=_("From date"), max_length=10)
            yield Input(until, id="filter-until", placeholder=_("Until date"), max_length=10)
        yield AuditTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield Static(id="audit-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        for field in self.query("#filters > *"):
            if isinstance(field, Select | Input):
                field.compact = True
        table = self.query_one("#entries", DataTable)
        table.add_column(_("Moment"), key="at", width=MOMENT_WIDTH)
        # A fixed width (what 80 columns leave, or more on a wider terminal): an auto-sized
        # column kept its header's width in a real terminal when the rows came from a worker.
        table.add_column(
            _("Action"), key="action", width=max(12, self.app.size.width - FIXED_WIDTH)
        )
        table.add_column(_("Case"), key="case", width=CASE_WIDTH)
        table.add_column(_("Detail"), key="detail", width=DETAIL_WIDTH)
        table.focus()
        self.reload(verify=True)

    def on_screen_resume(self) -> None:
        """Shows the entries the acts made while the screen was covered (a case opened)."""
        if self.is_mounted and self.query("#entries"):
            self.reload(verify=True)

    def lock_snapshot(self) -> Restorer | None:
        """Comes back with the same filters (the entries are read again)."""
        return partial(
            AuditScreen,
            self._action(),
            self.query_one("#filter-case", Input).value,
            self.query_one("#filter-since", Input).value,
            self.query_one("#filter-until", Input).value,
        )

    # -- loading ---------------------------------------------------------------------------

    def _action(self) -> str | None:
        value = self.query_one("#filter-action", Select).value
        return value if isinstance(value, str) else None

    def current_filter(self) -> AuditFilter | None:
        """The filter the fields say, or None while a date is half typed or invalid (the
        status line then says why)."""
        try:
            since, until = parse_period(
                self.query_one("#filter-since", Input).value,
                self.query_one("#filter-until", Input).value,
            )
        except ValueError as error:
            self.query_one("#audit-status", Static).update(Text(str(error)))
            return None
        code = self.query_one("#filter-case", Input).value.strip()
        return AuditFilter(self._action(), code or None, since, until)

    def reload(self, *, verify: bool = False) -> None:
        """Reads the newest entries for the current filter again (the cursor stays on its
        entry); with `verify` checks the chain too (not at every key typed in a filter:
        checking 100,000 entries takes a moment)."""
        selection = self.current_filter()
        if selection is None:
            if verify:
                self._verify()
            return
        if selection != self._shown:
            self._limit = PAGE_SIZE
        # The chain is checked once the entries are shown: both read through the vault's
        # one connection, and the list must not wait for 100,000 MACs.
        self._verify_next = self._verify_next or verify
        self._loading = True
        self._load(selection, self._limit)

    @work(thread=True, exclusive=True, group="audit-entries")
    def _load(self, selection: AuditFilter, limit: int) -> None:
        context = self.context
        self._post_outcome(
            lambda: self.Loaded(
                selection, limit, audit.entries(context.vault, selection, limit=limit + 1)
            )
        )

    @work(thread=True, exclusive=True, group="audit-chain")
    def _verify(self) -> None:
        context = self.context

        def verified() -> Message:
            check = audit.verify(context.vault)
            return self.Verified(chain_summary(check), check.intact)

        self._post_outcome(verified)

    def _post_outcome(self, call: Callable[[], Message]) -> None:
        """Runs `call` (a service call, in a worker's thread) and posts the message it makes,
        or `Failed`; nothing once the vault is locked or the worker was cancelled."""
        worker = get_current_worker()
        try:
            outcome: Message = call()
        except VaultLocked:
            return
        except ConfidantError as error:
            outcome = self.Failed(error)
        if not worker.is_cancelled:
            self.post_message(outcome)

    @on(Verified)
    def _show_chain(self, message: Verified) -> None:
        line = self.query_one("#chain", Static)
        line.update(Text(_("Audit log: {state}").format(state=message.summary)))
        line.set_class(not message.intact, "broken")

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.selection != self.current_filter():
            return
        table = self.query_one("#entries", DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        self._shown = message.selection
        self._more = len(message.rows) > message.limit
        room = max(12, self.app.size.width - FIXED_WIDTH)
        self.entries = {}
        for entry in message.rows[: message.limit]:
            key = str(entry.id)
            self.entries[key] = entry
            table.add_row(
                Text(format_at(entry.at)),
                _short(Text(action_label(entry.action)), room),
                _short(literal_text(entry.case_code, single_line=True), CASE_WIDTH),
                _short(literal_text(entry.detail, single_line=True), DETAIL_WIDTH),
                key=key,
            )
        if keep is not None and keep in self.entries:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(keep))
        self._loading = False
        self._update_status()
        if self._verify_next:
            self._verify_next = False
            self._verify()

    def _update_status(self) -> None:
        shown = len(self.entries)
        if self._more:
            line = _("The newest {count} entries; more load as you move down.").format(
                count=format_count(shown)
            )
        elif shown:
            line = _("{count} shown, newest first.").format(count=format_count(shown))
        elif self._filters_active():
            line = _("No entry matches the filter (x clears it).")
        else:
            line = _("The audit log is empty.")
        self.query_one("#audit-status", Static).update(Text(line))

    @on(DataTable.RowHighlighted, "#entries")
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if self._more and not self._loading and event.cursor_row >= table.row_count - 20:
            self._limit += PAGE_SIZE
            self.reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._loading = False
        problems = getattr(message.error, "problems", None)
        self.app.push_screen(ErrorModal(message.error.message, problems))

    @on(Input.Changed, "#filters Input")
    @on(Select.Changed, "#filter-action")
    def _filter_changed(self) -> None:
        self.reload()

    def _filters_active(self) -> bool:
        found = self._shown
        return found is not None and found != AuditFilter()

    # -- actions ---------------------------------------------------------------------------

    def _under_cursor(self) -> AuditEntry | None:
        table = self.query_one("#entries", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(key or "")

    @on(DataTable.RowSelected, "#entries")
    def _row_selected(self) -> None:
        self.action_open_case()

    def action_open_case(self) -> None:
        """Opens the case of the entry under the cursor, or says why not (Enter)."""
        entry = self._under_cursor()
        if entry is None:
            return
        if entry.case_code is None:
            self.notify(_("This entry concerns no case."), markup=False)
            return
        self._find_case(entry.case_code)

    @work(thread=True, exclusive=True, group="audit-open")
    def _find_case(self, code: str) -> None:
        context = self.context

        def found() -> Message:
            try:
                return self.CaseFound(get_case(context.vault, code).id)
            except NotFound:
                return self.CaseGone(gone_text(context.vault, code))

        self._post_outcome(found)

    @on(CaseFound)
    def _open(self, message: CaseFound) -> None:
        navigation.open_case_file(self.app, message.case_id)

    @on(CaseGone)
    def _gone(self, message: CaseGone) -> None:
        self.notify(message.text, severity="warning", markup=False)

    def action_focus_filters(self) -> None:
        """Moves to the action filter (f)."""
        self.query_one("#filter-action", Select).focus()

    def action_clear_filters(self) -> None:
        """Shows every entry again (x)."""
        self.query_one("#filter-action", Select).clear()
        for field in self.query("#filters Input").results(Input):
            field.value = ""
        self.reload()

    def action_back(self) -> None:
        """Goes back to the list when in a filter, else leaves the screen (Escape)."""
        table = self.query_one("#entries", DataTable)
        if not table.has_focus:
            table.focus()
            return
        self.dismiss()


def gone_text(vault: Vault, code: str) -> str:
    """What the screen says of a case code that names no case (any more): destroyed on a
    date when the log says so, else that the vault holds no such case."""
    destroyed = audit.entries(vault, AuditFilter("case.destroyed", code), limit=1)
    shown = literal_text(code, single_line=True).plain
    if destroyed:
        return _(
            "Case {code} was destroyed on {date}: its content is gone, only these audit "
            "entries remain."
        ).format(code=shown, date=format_date(destroyed[0].at.date()))
    return _("This vault holds no case {code} (any more).").format(code=shown)


def _short(text: Text, width: int) -> Text:
    """Cuts a cell to `width` cells with an ellipsis, so every column fits at 80 columns."""
    text.truncate(width, overflow="ellipsis")
    return text
