"""Provides `SearchScreen`: full-text search over notes and case texts, matches highlighted.

The adviser types words (prefixes match: "pest" finds "pesten") or "a phrase"; results
appear as they type, best first, each with the case code, where the text was found and a
snippet whose matching words are highlighted. The snippet is plain text styled by the
search's spans, never markup. Enter opens the conversation (or the case file).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from confidant_tui.domain.cases import SearchHit
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.presenters.highlight import highlighted
from confidant_tui.ui.presenters.literal import literal_text

FIELD_NAMES: dict[str, str] = {
    "notes": N_("notes"),
    "advice": N_("advice"),
    "next_steps": N_("next steps"),
    "wishes": N_("wishes"),
    "work_situation": N_("work situation"),
    "outcome": N_("outcome"),
}
LIMIT = 100


class SearchScreen(BaseScreen):
    """Search: type, then Down to the results and Enter to open one.

    Args:
        query: the text to search for first.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "Search the notes, advice, next steps and the case texts. Type words: each must occur, "
        "and the start of a word is enough (pest finds pesten). Put words in double quotes to "
        "find them as a phrase. Down moves to the results; Enter opens the conversation that "
        "matched. Escape goes back."
    )
    BINDINGS: ClassVar = [
        Binding("escape", "back", N_("Back")),
        Binding("down", "to_results", N_("Results"), show=False),
        Binding("ctrl+f", "to_query", N_("Search box")),
    ]

    class Found(Message):
        """Hits for a query arrived."""

        def __init__(self, query: str, hits: list[SearchHit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self._initial, placeholder=_("Search notes and case texts…"), id="query")
        yield Static(Text(_("Type a word to search.")), id="search-status")
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if self._initial:
            self._search(self._initial)

    def lock_snapshot(self) -> Restorer | None:
        """Comes back with the same query (results are read again)."""
        query = self.query_one("#query", Input).value
        return lambda: SearchScreen(query)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_to_results()

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str) -> None:
        from confidant_tui.services.search import search

        try:
            hits = search(self.context.vault, query, limit=LIMIT) if query.strip() else []
        except VaultLocked:
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(query, hits))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.query != self.query_one("#query", Input).value:
            return
        self.hits = message.hits
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options(
            Option(hit_text(hit), id=str(index)) for index, hit in enumerate(message.hits)
        )
        if not message.query.strip():
            status = _("Type a word to search.")
        elif not message.hits:
            status = _("Nothing found.")
        else:
            count = len(message.hits)
            status = ngettext("{count} result", "{count} results", count).format(count=count)
            if count >= LIMIT:
                status += " · " + _("showing the best; add a word to narrow down")
        self.query_one("#search-status", Static).update(Text(status))

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        """Opens the case file at the hit, and the conversation editor for a conversation."""
        select = f"conv-{hit.conversation_id}" if hit.conversation_id is not None else None
        navigation.open_case_file(self.app, hit.case_id, select=select)
        if hit.conversation_id is not None:
            navigation.open_conversation(self.app, hit.case_id, hit.conversation_id)

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
