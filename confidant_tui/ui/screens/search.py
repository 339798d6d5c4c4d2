"""Provides `SearchScreen`: full-text search over notes and case texts, matches highlighted.

The adviser types words (prefixes match: "pest" finds "pesten") or "a phrase"; results
appear as they type, each with the case code, where the text was found and a snippet whose
matching words are highlighted. The snippet is plain text styled by the search's spans,
never markup. Enter shows the conversation read-only (`e` there edits it), or the case file.

Keeping up with typing: a change that follows the one before it within `PAUSE` waits
`PAUSE` before it searches (keys that arrive in one burst cost one search), while a key typed
after a pause searches at once (no typist types slower than `PAUSE` within a burst), a query whose words all have fewer than three letters is not
searched (the status says so), and a newer change stops the running search's SQL
(`services.search.find`'s `cancelled`). Every change gets a generation number; only the
results of the newest generation are ever shown, so an earlier prefix's results can never
replace a later one's. The result lines are built in the worker; the list takes the first
`FIRST` (more than a screenful) at once and the rest `REST_DELAY` later, a batch per refresh,
so the first screenful shows without waiting for every line to be measured and a key typed
meanwhile is never held up for long. The ranking is described in
`vault.search_repo`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from confidant_tui.domain.cases import SearchHit
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.presenters.highlight import highlighted
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.open_options import OpenOptions

FIELD_NAMES: dict[str, str] = {
    "notes": N_("notes"),
    "advice": N_("advice"),
    "next_steps": N_("next steps"),
    "wishes": N_("wishes"),
    "work_situation": N_("work situation"),
    "outcome": N_("outcome"),
}
LIMIT = 100
PAUSE = 0.03
"""Seconds a change that came within `PAUSE` of the one before waits before it searches
(within the 100 ms a search may take)."""
FIRST = 20
"""Results put in the list per refresh (the first batch is more than a screenful)."""
REST_DELAY = 0.1
"""Seconds after the first batch before the rest follow, a batch per refresh."""


class SearchScreen(BaseScreen):
    """Search: type, then Down to the results and Enter to open one.

    Args:
        query: the text to search for first.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "Search the notes, advice, next steps and the case texts. Type words: each must occur, "
        "and the start of a word is enough (pest finds pesten); at least one word needs three "
        "letters. Put words in double quotes to find them as a phrase. The best matches come "
        "first; when more than 300 texts match, the most recent ones are shown, newest first. "
        "Down moves to the results; Enter shows the conversation that matched, read-only (e "
        "there edits it). Escape goes back."
    )
    BINDINGS: ClassVar = [
        Binding("escape", "back", N_("Back")),
        Binding("down", "to_results", N_("Results"), show=False),
        Binding("ctrl+f", "to_query", N_("Search box")),
    ]

    class Found(Message):
        """Hits for a query arrived."""

        def __init__(
            self,
            query: str,
            generation: int,
            hits: list[SearchHit],
            complete: bool,
            lines: list[Text],
        ) -> None:
            super().__init__()
            self.query = query
            self.generation = generation
            self.hits = hits
            self.complete = complete
            self.lines = lines

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self._generation = 0
        self._changed_at = 0.0
        """When the query last changed (`time.monotonic`)."""
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self._initial, placeholder=_("Search notes and case texts…"), id="query")
        yield Static(Text(_("Type a word to search.")), id="search-status")
        yield OpenOptions(id="results")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if self._initial:
            self._start(self._initial)

    def lock_snapshot(self) -> Restorer | None:
        """Comes back with the same query (results are read again)."""
        query = self.query_one("#query", Input).value
        return lambda: SearchScreen(query)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._start(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_to_results()

    def _start(self, query: str) -> None:
        """Starts a search for `query` (a new generation), or says why there is none."""
        from confidant_tui.services.search import too_short

        self._generation += 1
        now = time.monotonic()
        in_burst = now - self._changed_at < PAUSE
        self._changed_at = now
        if query.strip() and not too_short(query):
            self._search(query, self._generation, PAUSE if in_burst else 0.0)
            return
        self.workers.cancel_group(self, "search")
        self._show(self._generation, [], complete=True, query=query)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, generation: int, pause: float) -> None:
        from confidant_tui.services.search import find

        worker = get_current_worker()

        def stale() -> bool:
            return worker.is_cancelled or generation != self._generation

        if pause:
            time.sleep(pause)
        if stale():
            return
        try:
            found = find(self.context.vault, query, limit=LIMIT, cancelled=stale)
        except VaultLocked:
            return
        if found is None or stale():
            return
        lines = [hit_text(hit) for hit in found.hits]
        if not stale():
            self.post_message(self.Found(query, generation, found.hits, found.complete, lines))

    @on(Found)
    def _found(self, message: Found) -> None:
        self._show(message.generation, message.hits, message.complete, message.query, message.lines)

    def _show(
        self,
        generation: int,
        hits: list[SearchHit],
        complete: bool,
        query: str,
        lines: list[Text] | None = None,
    ) -> None:
        """Shows the hits of `generation` (nothing when a newer change came since)."""
        from confidant_tui.services.search import WINDOW, too_short

        if generation != self._generation:
            return
        self.hits = hits
        options = [Option(line, id=str(index)) for index, line in enumerate(lines or [])]
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options(options[:FIRST])
        if len(options) > FIRST:
            # The rest once the first screenful is painted and the adviser has paused: a
            # key typed meanwhile never waits for lines below the fold.
            self.set_timer(REST_DELAY, lambda: self._add_rest(generation, options[FIRST:]))
        if not query.strip():
            status = _("Type a word to search.")
        elif too_short(query):
            status = _("Type at least 3 letters to search.")
        elif not hits:
            status = _("Nothing found.")
        else:
            count = len(hits)
            status = ngettext("{count} result", "{count} results", count).format(count=count)
            if not complete:
                status += " · " + _(
                    "more than {window} found: the most recent, newest first; "
                    "add a word to narrow down"
                ).format(window=WINDOW)
            elif count >= LIMIT:
                status += " · " + _("showing the best; add a word to narrow down")
        self.query_one("#search-status", Static).update(Text(status))

    def _add_rest(self, generation: int, options: list[Option]) -> None:
        """Adds the next `FIRST` results, and the rest after another refresh, unless a newer
        change came since (so a key typed meanwhile never waits for a long list)."""
        if generation != self._generation:
            return
        self.query_one("#results", OptionList).add_options(options[:FIRST])
        if len(options) > FIRST:
            self.call_after_refresh(self._add_rest, generation, options[FIRST:])

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        """Opens the case file at the hit, and on it a conversation read-only (`e` edits)."""
        select = f"conv-{hit.conversation_id}" if hit.conversation_id is not None else None
        navigation.open_case_file(self.app, hit.case_id, select=select)
        if hit.conversation_id is not None:
            navigation.view_conversation(self.app, hit.case_id, hit.conversation_id)

    def action_to_results(self) -> None:
        """Moves to the list of results."""
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    def action_to_query(self) -> None:
        """Moves back to the search box."""
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        """Goes back (Escape)."""
        self.dismiss()


def hit_text(hit: SearchHit) -> Text:
    """One result: the case code, where it was found, and the highlighted snippet."""
    text = literal_text(hit.code, single_line=True, style="bold")
    where = _(FIELD_NAMES.get(hit.field, hit.field))
    if hit.conversation_date is not None:
        where = _("conversation of {date}, {field}").format(
            date=format_date(hit.conversation_date), field=where
        )
    text.append("  " + where + "\n", style="italic")
    text.append("  ")
    text.append_text(highlighted(hit.snippet, hit.spans))
    return text
