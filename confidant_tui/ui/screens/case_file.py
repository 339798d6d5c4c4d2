"""Provides `CaseFileScreen`: one case with its facts and the timeline of what happened.

The facts sit at the top (the reporter's identity hidden until `i`), the timeline in the
middle (opening, status changes, conversations, routes, referrals), and the full text of
the highlighted entry below it. From here the adviser adds and edits conversations,
changes the status, and records routes and referrals.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, get_current_worker

from confidant_tui.domain.cases import Case, ConversationVersion, Identity, Route
from confidant_tui.domain.consent import LedgerAddendum
from confidant_tui.domain.deadlines import DueItem
from confidant_tui.domain.route_rules import MELDING_ROUTES
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import N_, _, format_date
from confidant_tui.services.referrals import StoredLetter
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.controllers import case_gaps
from confidant_tui.ui.controllers import case_protocol_actions as protocol_actions
from confidant_tui.ui.controllers.intake_form import case_draft
from confidant_tui.ui.modals.form_modal import FormModal
from confidant_tui.ui.modals.referral import ReferralModal
from confidant_tui.ui.modals.route import RouteModal
from confidant_tui.ui.modals.status import StatusModal
from confidant_tui.ui.modals.versions import VersionsModal
from confidant_tui.ui.presenters.case_gaps import ledger_row, statistics_note, with_addenda
from confidant_tui.ui.presenters.case_protocol import (
    ProtocolView,
    merge_entries,
    protocol_entries,
    read_protocol_view,
)
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.timeline import Entry, facts_text, timeline
from confidant_tui.ui.screen_commands import CASE_FILE_COMMANDS
from confidant_tui.ui.widgets.case_warnings import CaseDeadlines, CaseWarnings
from confidant_tui.ui.widgets.consent_panel import ConsentPanel
from confidant_tui.ui.widgets.key_footer import KeyFooter

FIRST_SHOW_WAIT = 0.3
"""How long (seconds) a case file being opened waits for its case before it shows itself
(with "Loading the case…"); the list stays on screen meanwhile."""


class CaseFileScreen(BaseScreen):
    """A case file; `c` adds a conversation, Enter opens the highlighted entry.

    Args:
        case_id: the case to show.
        select: the timeline row to highlight first (e.g. `conv-12`).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#timeline"
    """Focused as it is built (Textual's default would focus the facts first, then the
    timeline: a second styling and layout)."""
    HELP = N_(
        "The case file shows the facts of the case at the top and the timeline below: the "
        "opening, status changes, conversations, routes and referrals. Arrow keys move through "
        "the timeline and the full text shows underneath. Enter shows a conversation read-only "
        "(e there edits it) or opens a route to record a milestone. c adds a conversation, s "
        "changes the status (aftercare, closed, reopen), r adds a route, d a referral, l "
        "prepares a referral letter (Enter on a referral makes a letter for it), e edits the "
        "facts, h shows earlier versions of an edited conversation. p opens the protocol "
        "procedure (or continues the open one), t records a consent, w a withdrawal, v an "
        "information request. A procedure takes one row (its ground, where it stands, its "
        "steps): Enter or + shows its steps under it, Enter or - hides them again, Enter on a "
        "step opens the procedure. The reporter's name stays "
        "hidden until you press i; I (capital i) changes it. a answers an information request "
        "recorded without an answer, n adds an addendum to the highlighted consent, withdrawal "
        "or request (Enter on their line does the same): the entry itself never changes. o "
        "leaves the case out of the yearly report when the reporter does not want it counted "
        "(or counts it again); the title then says so. Under the title stand what must not be "
        "forgotten and the case's open deadlines (! when overdue; the today view, t on the "
        "list, marks them done or snoozes them). Escape goes back to the list."
    )
    BINDINGS: ClassVar = [
        Binding("c", "new_conversation", N_("Conversation")),
        Binding("s", "change_status", N_("Status")),
        # The footer shows the keys that fit at 80 columns in Dutch and English (c s p t
        # Escape); the others are in F1 (HELP) and the palette (CASE_FILE_COMMANDS).
        Binding("r", "add_route", N_("Route"), show=False),
        Binding("d", "add_referral", N_("Referral"), show=False),
        Binding("l", "referral_letter", N_("Letter"), show=False),
        Binding("e", "edit_facts", N_("Facts"), show=False),
        Binding("i", "toggle_identity", N_("Identity"), show=False),
        Binding("h", "versions", N_("Versions"), show=False),
        Binding("p", "procedure", N_("Protocol")),
        Binding("t", "consent", N_("Consent")),
        Binding("w", "withdraw_consent", N_("Withdraw"), show=False),
        Binding("v", "information_request", N_("Request"), show=False),
        Binding("a", "answer_request", N_("Answer"), show=False),
        Binding("n", "ledger_addendum", N_("Addendum"), show=False),
        Binding("I", "edit_identity", N_("Edit identity"), show=False),
        Binding("o", "statistics_opt_out", N_("Report opt-out"), show=False),
        Binding("plus", "expand(True)", N_("Show steps"), show=False),
        Binding("minus", "expand(False)", N_("Hide steps"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """The case was read from the vault."""

        def __init__(
            self,
            case: Case,
            protocol: ProtocolView | None = None,
            letters: Mapping[int, Sequence[StoredLetter]] | None = None,
            due: Sequence[DueItem] = (),
            extended: frozenset[int] = frozenset(),
            addenda: Sequence[LedgerAddendum] = (),
        ) -> None:
            super().__init__()
            self.case = case
            self.addenda = list(addenda)
            self.protocol = protocol
            self.letters = letters or {}
            self.due = due
            self.extended = extended
            self.shown = False
            """Already shown (on mount, before the message came round)."""

    class IdentityLoaded(Message):
        """The reporter's identity was read, because the adviser asked."""

        def __init__(self, identity: Identity) -> None:
            super().__init__()
            self.identity = identity

    class VersionsLoaded(Message):
        """The earlier versions of a conversation were read."""

        def __init__(self, versions: list[ConversationVersion]) -> None:
            super().__init__()
            self.versions = versions

    def __init__(self, case_id: int, *, select: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.case: Case | None = None
        self.protocol_view = ProtocolView()
        self.identity: Identity | None = None
        self._select = select
        self._select_next: str | None = None
        """The entry to highlight after the next load (a conversation just saved)."""
        self._entries: dict[str, Entry] = {}
        self._timeline: list[Entry] = []
        """The timeline's rows; a group (a procedure) holds its steps as children."""
        self._parents: dict[str, str] = {}
        """A step's row key -> its group's row key."""
        self._expanded: set[str] = set()
        """The groups whose steps are shown (kept across reloads)."""
        self.ledger_addenda: list[LedgerAddendum] = []
        self._detail_shown: Entry | None = None
        """The entry whose text the detail pane shows."""
        self._covered = False
        """A screen came on top since the case was read (read it again on resume)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading the case…")), id="case-title")
        yield CaseWarnings(id="case-warnings", classes="-empty")
        yield CaseDeadlines(id="case-deadlines", classes="-empty")
        with VerticalScroll(id="facts-pane"):
            yield Static(id="facts")
            yield ConsentPanel(id="consents")
        table: DataTable[Text] = DataTable(id="timeline", cursor_type="row")
        yield table
        with VerticalScroll(id="detail-pane"):
            yield Static(id="detail")
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Reads the case and waits (`FIRST_SHOW_WAIT` at most) until it is read, so the
        case file is laid out and painted filled, not first empty and then again with the
        case (the read runs alone: started in `compose`, it would contend with building the
        widgets for the interpreter). Keys typed meanwhile are held and dropped, as while
        any screen is built (`ui/bindings.py`)."""
        table = self.query_one("#timeline", DataTable)
        if self.focused is not table:
            table.focus()
        worker = self._reading()
        waiting = asyncio.ensure_future(worker.wait())
        done, _pending = await asyncio.wait({waiting}, timeout=FIRST_SHOW_WAIT)
        if not done:
            # Still reading: the message `Loaded` shows the case when it comes.
            waiting.add_done_callback(lambda task: task.cancelled() or task.exception())
            return
        if waiting.cancelled() or waiting.exception() is not None:
            return
        loaded = waiting.result()
        if loaded is not None and self.is_attached:
            self._loaded(loaded)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shows what was added or changed on the screens on top. The first resume, as the
        case file is pushed, comes after `on_mount` has read and shown the case, and its
        widgets were styled as they were mounted: styling them all again would cost a
        second layout."""
        if self._covered:
            self._covered = False
            self.load()
        else:
            event.refresh_styles = False

    def on_screen_suspend(self) -> None:
        """Hides the identity again once the adviser leaves the case file."""
        self._covered = True
        if self.identity is not None:
            self.identity = None
            self._show_facts()

    def on_resize(self, event: events.Resize) -> None:
        """Skips Textual's second layout of the screen at the size it was just laid out at
        (its first layout tells the screen its size; a new size is laid out as usual)."""
        if event.size == self.outer_size:
            event.prevent_default()

    def lock_snapshot(self) -> Restorer | None:
        """Comes back on the same case, at the same entry, identity hidden."""
        return partial(CaseFileScreen, self.case_id, select=self._current_key())

    # -- loading ------------------------------------------------------------------------

    def load(self) -> None:
        """Reads the case again from the vault (message `Loaded`)."""
        self._reading()

    def _reading(self) -> Worker[Loaded | None]:
        """Starts reading the case (`load`); the worker returns what it posts."""
        self._select = self._current_key() or self._select
        return self._read_case(self.case_id, self.context.today())

    @work(thread=True, exclusive=True, group="case-file")
    def _read_case(self, case_id: int, today: dt.date) -> Loaded | None:
        """Reads the case; posts `Loaded` and returns it too (None: the vault locked)."""
        from confidant_tui.services import deadlines
        from confidant_tui.services.cases import get_case
        from confidant_tui.services.consent import ledger_addenda
        from confidant_tui.services.referrals import letters_of_case

        vault = self.context.vault
        try:
            case = get_case(vault, case_id)
            protocol = read_protocol_view(vault, case_id)
            letters: dict[int, list[StoredLetter]] = {}
            for letter in letters_of_case(vault, case_id):
                letters.setdefault(letter.referral_id, []).append(letter)
            due = deadlines.case_items(vault, case_id, today=today, settings=self.context.settings)
            reports = {r.id for r in case.routes if r.id is not None and r.route in MELDING_ROUTES}
            extended = frozenset(deadlines.extended_routes(vault, reports))
            addenda = ledger_addenda(vault, case_id)
        except VaultLocked:
            return None
        if get_current_worker().is_cancelled:
            return None
        loaded = self.Loaded(case, protocol, letters, due, extended, addenda)
        self.post_message(loaded)
        return loaded

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.shown:
            return
        message.shown = True
        self.case = case = message.case
        taxonomy = self.context.taxonomy
        title = literal_text(
            _("Case {code}").format(code=case.code), single_line=True, style="bold"
        )
        title.append("  ·  " + taxonomy.label("status", case.status))
        opted_out = statistics_note(message.protocol or ProtocolView(), self.context.now())
        if opted_out:
            title.append("  ·  " + opted_out, style="bold")
        title.append("  ·  " + _("opened {date}").format(date=format_date(case.opened)))
        if case.next_follow_up:
            title.append(
                "  ·  " + _("follow-up {date}").format(date=format_date(case.next_follow_up))
            )
        self._show_protocol(message.protocol or ProtocolView())
        self.query_one("#case-title", Static).update(title)
        self._show_facts()
        self.ledger_addenda = message.addenda
        for deadlines in self.query(CaseDeadlines):
            deadlines.show(message.due, self.context.today())
        table = self.query_one("#timeline", DataTable)
        rules = self.context.rules_of(case.facts.organisation)
        entries = merge_entries(
            timeline(
                case,
                taxonomy,
                rules=rules,
                today=self.context.today(),
                letters=message.letters,
                ledger=self.protocol_view.ledger,
                extended=message.extended,
            ),
            protocol_entries(self.protocol_view, self._destination_names()),
        )
        entries = with_addenda(entries, self.ledger_addenda, self.protocol_view.requests)
        self._timeline = entries
        self._entries = {e.key: e for e in entries}
        self._parents = {c.key: e.key for e in entries for c in e.children}
        self._entries.update((c.key, c) for e in entries for c in e.children)
        table.clear(columns=True)
        table.add_column(_("Date"), key="date", width=10)
        table.add_column(_("What"), key="kind", width=12)
        widest = max((e.summary.cell_len + 4 for e in self._entries.values()), default=12)
        table.add_column(_("Summary"), key="summary", width=min(max(widest, 12), 300))
        if self._select_next in self._entries:
            self._select, self._select_next = self._select_next, None
        wanted = (
            self._select
            if self._select in self._entries
            else (entries[-1].key if entries else None)
        )
        if wanted in self._parents:
            self._expanded.add(self._parents[wanted])
        self._fill_timeline(wanted)

    def _fill_timeline(self, wanted: str | None) -> None:
        """Shows the timeline's rows, a group's steps under it when expanded, and puts the
        cursor on `wanted`."""
        table = self.query_one("#timeline", DataTable)
        table.clear()
        for entry in self._timeline:
            summary = entry.summary
            if entry.children:
                summary = Text("▾ " if entry.key in self._expanded else "▸ ") + summary
            table.add_row(Text(format_date(entry.date)), Text(entry.kind), summary, key=entry.key)
            if entry.key in self._expanded:
                for step in entry.children:
                    table.add_row(
                        Text(format_date(step.date)),
                        Text(step.kind, style="dim"),
                        Text("  └ ") + step.summary,
                        key=step.key,
                    )
        if wanted is not None and wanted in table.rows:
            table.move_cursor(row=table.get_row_index(wanted))
            self._show_detail(wanted)

    def action_expand(self, shown: bool | None = None) -> None:
        """Shows (+) or hides (-) the steps of the highlighted procedure; Enter toggles."""
        key = self._current_key() or ""
        group = self._parents.get(key, key)
        if group not in self._entries or not self._entries[group].children:
            return
        if shown is None:
            shown = group not in self._expanded
        if shown == (group in self._expanded):
            return
        if shown:
            self._expanded.add(group)
        else:
            self._expanded.discard(group)
        self._fill_timeline(group)
        if shown:
            self._show_steps_of(group)

    def _show_steps_of(self, group: str, tries: int = 10) -> None:
        """Scrolls the timeline so that a group's steps show under it, the group staying on
        screen; waits until the table has measured its new rows (until then it would stop
        scrolling at the old height)."""
        table = self.query_one("#timeline", DataTable)
        if group not in table.rows:
            return
        if table.virtual_size.height < table.row_count + table.header_height:
            if tries > 0:
                table.call_later(self._show_steps_of, group, tries - 1)
            return
        first = table.get_row_index(group)
        last = first + len(self._entries[group].children)
        rows = table.scrollable_content_region.height - table.header_height
        if rows > 0 and last >= table.scroll_y + rows:
            table.scroll_to(y=min(first, last - rows + 1), animate=False)

    def _destination_names(self) -> dict[str, str]:
        """The referral destinations' names by key (a consent says to whom)."""
        taxonomy = self.context.taxonomy
        return {key: taxonomy.label("destination", key) for key in taxonomy.keys("destination")}

    def _show_protocol(self, view: ProtocolView) -> None:
        """Fills the warnings and the consent panel with the case's protocol records."""
        self.protocol_view = view
        if self.case is None:
            return
        for warnings in self.query(CaseWarnings):
            warnings.show(self.case, view)
        names = self._destination_names()
        for panel in self.query(ConsentPanel):
            panel.show(view.ledger, self.context.now(), names)

    def _show_facts(self) -> None:
        if self.case is None:
            return
        self.query_one("#facts", Static).update(
            facts_text(self.case, self.context.taxonomy, self.identity)
        )

    def _current_key(self) -> str | None:
        table = self.query_one("#timeline", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def _show_detail(self, key: str | None) -> None:
        entry = self._entries.get(key or "")
        if entry is not None and entry is self._detail_shown:
            return  # the same entry again (the table highlights it once more as it fills)
        self._detail_shown = entry
        self.query_one("#detail", Static).update(entry.detail if entry else Text(""))

    @on(DataTable.RowHighlighted, "#timeline")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The row highlighted now: as the table fills, it says "row 0" and then the row
        # the cursor was put on, both after the fact (showing each would repaint twice).
        self._show_detail(self._current_key())

    @on(DataTable.RowSelected, "#timeline")
    def _selected(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if key.startswith("conv-"):
            self.open_conversation(int(key[5:]))
        elif key.startswith("route-") and self.case is not None:
            route = next(r for r in self.case.routes if r.id == int(key[6:]))
            self._open_form("route", route=route)
        elif key.startswith("ref-"):
            navigation.open_referral(self.app, self.case_id, int(key[4:]))
        elif key.startswith("proc-"):
            self.action_expand()
        elif key.startswith("pstep-"):
            protocol_actions.open_procedure(self, int(key.split("-")[1]))
        else:
            case_gaps.entry_selected(self, key)

    # -- actions ------------------------------------------------------------------------

    def open_conversation(self, conversation_id: int | None) -> None:
        """Opens a conversation read-only (`e` there edits it); None: the editor for a new
        conversation."""

        def saved(conversation_id: int | None) -> None:
            if conversation_id is not None:
                self._select_next = f"conv-{conversation_id}"
                self.load()

        if conversation_id is None:
            navigation.open_conversation(self.app, self.case_id, None, saved)
        else:
            navigation.view_conversation(self.app, self.case_id, conversation_id, saved)

    def action_new_conversation(self) -> None:
        """Adds a conversation (c); at the first one, reminds to explain confidentiality."""
        protocol_actions.confidentiality_prompt(self, lambda: self.open_conversation(None))

    def action_procedure(self) -> None:
        """Continues the open protocol procedure, or opens one (p)."""
        protocol_actions.open_procedure(self)

    def action_consent(self) -> None:
        """Records a consent of the reporter (t)."""
        protocol_actions.record_consent(self)

    def action_withdraw_consent(self) -> None:
        """Records the withdrawal of a consent (w)."""
        protocol_actions.withdraw_consent(self)

    def action_information_request(self) -> None:
        """Records a request for information from a third party (v)."""
        protocol_actions.information_request(self)

    def action_answer_request(self) -> None:
        """Records the answer to a request recorded without one (a)."""
        case_gaps.answer_request(self)

    def action_ledger_addendum(self) -> None:
        """Adds an addendum to the highlighted consent, withdrawal or request (n)."""
        case_gaps.add_addendum(self)

    def action_edit_identity(self) -> None:
        """Records, changes or erases the reporter's identity (I)."""
        case_gaps.edit_identity(self)

    def action_statistics_opt_out(self) -> None:
        """Leaves the case out of the yearly report, or counts it again (o)."""
        case_gaps.toggle_statistics(self)

    def current_row(self) -> str | None:
        """The key of the highlighted timeline row (None: the timeline is empty)."""
        return self._current_key()

    def action_edit_facts(self) -> None:
        """Edits the facts in the intake form (e)."""
        if self.case is None:
            return
        navigation.open_intake(
            self.app, case_draft(self.case), case_id=self.case.id, code=self.case.code
        )

    def _open_form(self, which: str, *, route: Route | None = None) -> None:
        if self.case is None:
            return
        case, taxonomy, today = self.case, self.context.taxonomy, self.context.today()
        if which == "status":
            modal: FormModal = StatusModal(case.id, case.code, case.status, taxonomy, today)
        elif which == "route":
            modal = RouteModal(case.id, case.code, taxonomy, today, route, case=case)
        else:
            rules = self.context.rules_of(case.facts.organisation)
            own = tuple(destination.key for destination in rules.destinations)
            modal = ReferralModal(case.id, case.code, taxonomy, today, own)

        def done(stored: bool | None) -> None:
            if stored:
                self.notify(_("Saved."))
                self.load()

        self.app.push_screen(modal, done)

    def action_change_status(self) -> None:
        """Changes the status: aftercare, closed, or reopened (s)."""
        self._open_form("status")

    def action_add_route(self) -> None:
        """Records a route the reporter takes (r)."""
        self._open_form("route")

    def action_add_referral(self) -> None:
        """Records a referral to other help (d)."""
        self._open_form("referral")

    def action_referral_letter(self) -> None:
        """Prepares a referral letter from the case's facts and consents (l); on the row of
        a referral consent, to that consent's destination."""
        found = ledger_row(self.current_row())
        consent = (
            self.protocol_view.ledger.by_id(found[1])
            if found is not None and found[0] == "consent"
            else None
        )
        destination = consent.destination if consent is not None else None
        navigation.open_referral(self.app, self.case_id, destination=destination)

    def action_toggle_identity(self) -> None:
        """Shows or hides the reporter's name and contact (i)."""
        if self.identity is not None:
            self.identity = None
            self._show_facts()
        else:
            self._read_identity(self.case_id)

    @work(thread=True, exclusive=True, group="case-identity")
    def _read_identity(self, case_id: int) -> None:
        from confidant_tui.services.cases import reveal_identity

        identity = reveal_identity(self.context.vault, case_id)
        self.post_message(self.IdentityLoaded(identity))

    @on(IdentityLoaded)
    def _identity_loaded(self, message: IdentityLoaded) -> None:
        self.identity = message.identity
        self._show_facts()

    def action_versions(self) -> None:
        """Shows the earlier versions of the highlighted conversation (h)."""
        key = self._current_key() or ""
        if not key.startswith("conv-"):
            self.notify(_("Highlight a conversation first."), severity="warning")
            return
        self._read_versions(int(key[5:]))

    @work(thread=True, exclusive=True, group="case-versions")
    def _read_versions(self, conversation_id: int) -> None:
        from confidant_tui.services.cases import conversation_versions

        versions = conversation_versions(self.context.vault, conversation_id)
        self.post_message(self.VersionsLoaded(versions))

    @on(VersionsLoaded)
    def _versions_loaded(self, message: VersionsLoaded) -> None:
        self.app.push_screen(VersionsModal(message.versions))

    def action_back(self) -> None:
        """Goes back to the list (Escape)."""
        self.dismiss()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """The case file's own commands in the palette."""
        return CASE_FILE_COMMANDS
