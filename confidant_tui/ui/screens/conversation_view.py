"""Provides `ConversationViewScreen`: one conversation, read-only, with `e` to edit it.

Opening a conversation (Enter on the case file's timeline, or on a search result) shows it
first as it was recorded: reading a note never risks changing it. `e` opens the editor
(`ConversationScreen`) on top; saving there returns to where the conversation was opened
from, as editing did before, and Escape from the editor comes back here. Every text is
shown literally (control characters as visible symbols).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from confidant_tui.domain.cases import Case, Conversation, ConversationVersion
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import NotFound, VaultLocked
from confidant_tui.i18n import N_, _, format_date, ngettext
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.modals.versions import VersionsModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter


class ConversationViewScreen(BaseScreen[int | None]):
    """A recorded conversation, read-only; dismisses with the id saved by the editor (None:
    left without editing).

    Args:
        case_id: the case the conversation belongs to.
        conversation_id: the conversation to show.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "The conversation as it was recorded, read-only: the date, time, duration and how it "
        "took place, your notes, the advice you gave, the next steps and the follow-up date. "
        "e edits it (saving keeps the earlier text as a version); h shows the earlier "
        "versions. Arrow keys and Page Up/Down scroll. Escape goes back."
    )
    BINDINGS: ClassVar = [
        Binding("e", "edit", N_("Edit")),
        Binding("h", "versions", N_("Versions")),
        Binding("f4", "versions", N_("Versions"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """The case (with the conversation) was read."""

        def __init__(self, case: Case) -> None:
            super().__init__()
            self.case = case

    class VersionsLoaded(Message):
        """The earlier versions were read."""

        def __init__(self, versions: list[ConversationVersion]) -> None:
            super().__init__()
            self.versions = versions

    def __init__(self, case_id: int, conversation_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.conversation_id = conversation_id
        self.conversation: Conversation | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading the conversation…")), id="view-title")
        with VerticalScroll(id="view"):
            yield Static(id="view-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#view", VerticalScroll).focus()
        self._read(self.case_id)

    def on_screen_resume(self) -> None:
        """Shows the text again after the editor on top was left."""
        if self.conversation is not None:
            self._read(self.case_id)

    def lock_snapshot(self) -> Restorer | None:
        """Comes back on the same conversation."""
        return partial(ConversationViewScreen, self.case_id, self.conversation_id)

    @work(thread=True, exclusive=True, group="conversation-view")
    def _read(self, case_id: int) -> None:
        from confidant_tui.services.cases import get_case

        context = self.context
        try:
            case = get_case(context.vault, case_id)
        except (VaultLocked, NotFound):
            return
        self.post_message(self.Loaded(case))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        case = message.case
        found = [c for c in case.conversations if c.id == self.conversation_id]
        if not found:
            self.query_one("#view-title", Static).update(
                Text(_("This conversation no longer exists."))
            )
            return
        self.conversation = conversation = found[0]
        title = _("Conversation of {date} in case {code} (read-only)").format(
            date=format_date(conversation.date), code=case.code
        )
        self.query_one("#view-title", Static).update(
            literal_text(title, single_line=True, style="bold")
        )
        self.query_one("#view-body", Static).update(
            conversation_text(conversation, self.context.taxonomy)
        )

    def action_edit(self) -> None:
        """Opens the editor on this conversation (e)."""

        def edited(saved: int | None) -> None:
            if saved is not None:
                self.dismiss(saved)

        navigation.open_conversation(self.app, self.case_id, self.conversation_id, edited)

    def action_versions(self) -> None:
        """Shows the earlier versions of this conversation (h, F4)."""
        self._read_versions(self.conversation_id)

    @work(thread=True, exclusive=True, group="conversation-view-versions")
    def _read_versions(self, conversation_id: int) -> None:
        from confidant_tui.services.cases import conversation_versions

        try:
            versions = conversation_versions(self.context.vault, conversation_id)
        except VaultLocked:
            return
        self.post_message(self.VersionsLoaded(versions))

    @on(VersionsLoaded)
    def _versions_loaded(self, message: VersionsLoaded) -> None:
        if not message.versions:
            self.notify(_("This conversation was never edited: it has no earlier versions."))
            return
        self.app.push_screen(VersionsModal(message.versions))

    def action_back(self) -> None:
        """Goes back (Escape)."""
        self.dismiss(None)


def conversation_text(conversation: Conversation, taxonomy: Taxonomy) -> Text:
    """The conversation's facts and texts, each text literal under its heading."""
    text = Text()
    facts: list[tuple[str, str]] = [(_("Date"), format_date(conversation.date))]
    if conversation.time is not None:
        facts.append((_("Time"), conversation.time.strftime("%H:%M")))
    if conversation.minutes is not None:
        facts.append((_("Minutes"), str(conversation.minutes)))
    if conversation.mode:
        facts.append((_("How"), taxonomy.label("mode", conversation.mode)))
    facts.append(
        (
            _("Follow up on"),
            format_date(conversation.follow_up) if conversation.follow_up else "—",
        )
    )
    for number, (name, value) in enumerate(facts):
        if number:
            text.append("  ·  ")
        text.append(name + ": ", style="bold")
        text.append_text(literal_text(value, single_line=True))
    for name, body in _texts(conversation):
        text.append("\n\n" + name + "\n", style="bold underline")
        if body and body.strip():
            text.append_text(literal_text(body))
        else:
            text.append("—", style="dim")
    if conversation.version > 1:
        text.append(
            "\n\n"
            + ngettext(
                "Edited once; h shows the earlier version.",
                "Edited {count} times; h shows the earlier versions.",
                conversation.version - 1,
            ).format(count=conversation.version - 1),
            style="italic",
        )
    return text


def _texts(conversation: Conversation) -> Iterable[tuple[str, str | None]]:
    yield _("Notes"), conversation.notes
    yield _("Advice given"), conversation.advice
    yield _("Next steps"), conversation.next_steps
