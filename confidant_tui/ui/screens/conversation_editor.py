"""Provides `ConversationScreen`: writing a new conversation or editing one, with drafts.

Notes, advice and next steps are multi-line `TextArea`s; the date, time, duration, mode and
follow-up date sit above and below them. Ctrl+S saves (an edit keeps the earlier text as a
version, F4 shows them). A refused save keeps everything typed and names the problem next
to its field; Escape asks before throwing text away; a lock keeps the draft in memory.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Input, Static, TextArea

from confidant_tui.domain.cases import Case, Conversation
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import N_, _, format_date
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.modals.form_cycle import FormCycle, Problems
from confidant_tui.ui.modals.versions import VersionsModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.literal_fields import LiteralTextArea
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect

TEXTS = ("notes", "advice", "next_steps")
INPUTS = ("date", "time", "minutes", "follow_up")


class ConversationScreen(FormCycle[Conversation], BaseScreen[int | None]):
    """The conversation editor; dismisses with the saved conversation's id (None: not saved).

    Args:
        case_id: the case the conversation belongs to.
        conversation_id: the conversation to edit; None writes a new one.
        draft: values to fill in (kept across a lock).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "Write down the conversation: date, time, how long it took and how it took place, then "
        "your notes, the advice you gave and the next steps, and when to follow up. Tab moves "
        "between fields; Enter makes a new line in the texts. Ctrl+S saves. Editing keeps the "
        "earlier text: F4 shows it. Escape asks before throwing away what you typed."
    )
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("f4", "versions", N_("Versions")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    SAVE_GROUP = "conversation-save"

    class Loaded(Message):
        """The case (and the conversation being edited) were read."""

        def __init__(self, case: Case) -> None:
            super().__init__()
            self.case = case

    class Saved(Message):
        """The conversation was stored."""

        def __init__(self, conversation_id: int) -> None:
            super().__init__()
            self.conversation_id = conversation_id

    class Refused(FormCycle.Refused):
        """The service refused the conversation."""

    def __init__(
        self,
        case_id: int,
        conversation_id: int | None = None,
        *,
        draft: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.conversation_id = conversation_id
        self._draft_in = dict(draft or {})
        self.code = ""

    def compose(self) -> ComposeResult:
        taxonomy = self.context.taxonomy
        today = self.context.today()
        yield Header()
        yield Static(Text(_("Conversation")), id="form-title")
        with VerticalScroll(id="form", can_focus=False):  # the fields scroll into view
            with Horizontal(classes="row"):
                yield FormField(_("Date"), DateField(today, today=today, id="date"), field="date")
                yield FormField(
                    _("Time"),
                    Input(placeholder=_("hh:mm"), restrict=r"[0-9:.]{0,5}", id="time"),
                    field="time",
                )
                yield FormField(
                    _("Minutes"),
                    Input(restrict=r"\d{0,4}", id="minutes"),
                    field="minutes",
                )
                yield FormField(
                    _("How"), KeySelect(taxonomy, "mode", "in_person", id="mode"), field="mode"
                )
            yield FormField(_("Notes"), _area("notes"), field="notes")
            yield FormField(_("Advice given"), _area("advice"), field="advice")
            yield FormField(_("Next steps"), _area("next_steps"), field="next_steps")
            yield FormField(
                _("Follow up on"),
                DateField(today=today, id="follow_up"),
                hint=_("When to get back to the reporter (may lie ahead)."),
                field="follow_up",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.conversation_id is not None or self._draft_in:
            # Stored text arrives from a worker and replaces the texts: until then they
            # take no keys, so nothing typed early is overwritten by the loaded text.
            for name in TEXTS:
                self.query_one(f"#{name}", TextArea).read_only = True
        self.query_one("#notes", TextArea).focus()
        self._read(self.case_id)

    @work(thread=True, exclusive=True, group="conversation-load")
    def _read(self, case_id: int) -> None:
        from confidant_tui.services.cases import get_case

        try:
            case = get_case(self.context.vault, case_id)
        except VaultLocked:
            return
        self.post_message(self.Loaded(case))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        case = message.case
        self.code = case.code
        editing = self.conversation_id is not None
        title = (
            _("Edit a conversation in case {code}")
            if editing
            else _("New conversation in case {code}")
        ).format(code=case.code)
        self.query_one("#form-title", Static).update(
            literal_text(title, single_line=True, style="bold")
        )
        values = self._draft_in
        if not values and editing:
            found = [c for c in case.conversations if c.id == self.conversation_id]
            if found:
                values = conversation_draft(found[0])
        if values:
            self._apply(values)
        for name in TEXTS:
            self.query_one(f"#{name}", TextArea).read_only = False
        if self._draft_in.get("_dirty"):
            self._pristine = {}
        else:
            self.remember_pristine()

    def _apply(self, values: dict[str, Any]) -> None:
        for name in INPUTS:
            if name in values:
                self.query_one(f"#{name}", Input).value = values[name] or ""
        for name in TEXTS:
            if name in values:
                self.query_one(f"#{name}", TextArea).load_text(values[name] or "")
        if values.get("mode"):
            self.query_one("#mode", KeySelect).value = values["mode"]

    # -- the draft ---------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """Everything typed so far, as plain values."""
        values: dict[str, Any] = {n: self.query_one(f"#{n}", Input).value for n in INPUTS}
        values.update({n: self.query_one(f"#{n}", LiteralTextArea).stored_text for n in TEXTS})
        values["mode"] = self.query_one("#mode", KeySelect).key
        return values

    def lock_snapshot(self) -> Restorer | None:
        """Rebuilds the editor with the draft after unlocking."""
        if self._pristine is None and not self._draft_in:
            return partial(ConversationScreen, self.case_id, self.conversation_id)
        draft = self.draft()
        draft["_dirty"] = self.is_dirty
        return partial(ConversationScreen, self.case_id, self.conversation_id, draft=draft)

    # -- saving ------------------------------------------------------------------------

    def collect(self) -> Conversation | Problems:
        """Builds the conversation from the form, or the problems the form itself can see."""
        problems: list[tuple[str, str]] = []
        date_field = self.query_one("#date", DateField)
        follow_up = self.query_one("#follow_up", DateField)
        for field in (date_field, follow_up):
            if field.problem:
                problems.append((str(field.id), field.problem))
        if date_field.date is None and not date_field.problem:
            problems.append(("date", _("Give the date of the conversation.")))
        time_text = self.query_one("#time", Input).value.strip().replace(".", ":")
        time: dt.time | None = None
        if time_text:
            try:
                hours, _sep, minutes = time_text.partition(":")
                time = dt.time(int(hours), int(minutes or 0))
            except ValueError:
                problems.append(("time", _("Not a valid time: use hh:mm, for example 10:30.")))
        minutes_text = self.query_one("#minutes", Input).value.strip()
        if problems or date_field.date is None:
            return problems

        def text(name: str) -> str | None:
            stored = self.query_one(f"#{name}", LiteralTextArea).stored_text
            return stored if stored.strip() else None

        return Conversation(
            date=date_field.date,
            time=time,
            minutes=int(minutes_text) if minutes_text else None,
            mode=self.query_one("#mode", KeySelect).key,
            notes=text("notes"),
            advice=text("advice"),
            next_steps=text("next_steps"),
            follow_up=follow_up.date,
        )

    def store(self, context: AppContext, built: Conversation) -> Message:
        """Adds the conversation, or stores the edit (in the save worker)."""
        from confidant_tui.services import cases

        today, taxonomy = context.today(), context.taxonomy
        vault = context.vault
        if self.conversation_id is None:
            return self.Saved(
                cases.add_conversation(vault, self.case_id, built, today=today, taxonomy=taxonomy)
            )
        cases.edit_conversation(vault, self.conversation_id, built, today=today, taxonomy=taxonomy)
        return self.Saved(self.conversation_id)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.refused(message.error, unplaced="notes")

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saved()
        self.conversation_id = message.conversation_id
        self.notify(_("The conversation was saved."))
        self.dismiss(message.conversation_id)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Shows each problem under its field; focuses the first."""
        by_name: dict[str, list[str]] = {}
        for path, text in problems:
            name = path.rsplit(".", 1)[-1].split("[")[0]
            by_name.setdefault(name if name in (*INPUTS, *TEXTS, "mode") else "notes", []).append(
                text
            )
        fields = list(self.query(FormField))
        for form_field in fields:
            messages = by_name.get(form_field.field)
            form_field.show_problem(" ".join(messages) if messages else None)
        for form_field in fields:
            if form_field.field in by_name:
                form_field.control.focus()
                break

    # -- versions and leaving ----------------------------------------------------------

    def action_versions(self) -> None:
        """Shows the earlier versions of this conversation (F4)."""
        if self.conversation_id is None:
            self.notify(_("A new conversation has no earlier versions."))
            return
        self._read_versions(self.conversation_id)

    @work(thread=True, exclusive=True, group="conversation-versions")
    def _read_versions(self, conversation_id: int) -> None:
        from confidant_tui.services.cases import conversation_versions

        versions = conversation_versions(self.context.vault, conversation_id)
        self.app.call_from_thread(self._show_versions, versions)

    def _show_versions(self, versions: list[Any]) -> None:
        self.app.push_screen(VersionsModal(versions))

    def discard_question(self) -> str:
        """Asks before discarding the conversation typed (Escape)."""
        return _("Discard this conversation? What you typed will be lost.")


def conversation_draft(conversation: Conversation) -> dict[str, Any]:
    """A stored conversation as the editor's plain values."""
    return {
        "date": format_date(conversation.date),
        "time": conversation.time.strftime("%H:%M") if conversation.time else "",
        "minutes": "" if conversation.minutes is None else str(conversation.minutes),
        "follow_up": format_date(conversation.follow_up),
        "notes": conversation.notes or "",
        "advice": conversation.advice or "",
        "next_steps": conversation.next_steps or "",
        "mode": conversation.mode,
    }


def _area(name: str) -> TextArea:
    return LiteralTextArea(id=name, soft_wrap=True, tab_behavior="focus", classes="text")
