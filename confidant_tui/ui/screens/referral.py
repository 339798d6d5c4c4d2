"""Provides `ReferralScreen`: a referral letter drafted from the case, with only what the
reporter consented to, previewed exactly as it will be written, and exported to a file.

Opened from the case file (`l`, the palette) for a new referral, or with Enter on a referral
row: the letter then belongs to that referral and its destination is fixed. `l` on the row of
a referral consent chooses that consent's destination first (the adviser may change it). The
adviser chooses the destination and reads its purpose to the reporter (with the Huis voor
Klokkenluiders' conditions, the complaint period check); every fact the letter may carry has
a box, ticked only where a live `referral` consent for that destination covers it; a missing
consent can be recorded here through the consent dialog. The summary and the question are
typed here, the blanks of the letter too. The preview on the right (below, at 80 columns)
is the letter exactly as written (`services.referrals.draft`), shown literally. Export
(Ctrl+O, no printable key) names the file, says plainly that it is not encrypted, asks
before replacing a file, writes it and records the letter with its referral.

What the adviser typed or chose counts as unsaved work until it is exported: Escape asks,
Ctrl+Q asks, a lock keeps it (`lock_snapshot`), a stop signal keeps it as a read-only draft.
Unsaved means the form differs from what the screen started with (`is_dirty`): what the
screen fills in itself (the destination of the referral or consent it was opened from, the
file name it proposes) is no work of the adviser's, so opening and leaving asks nothing.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import Button, Checkbox, Header, Select, Static, TextArea
from textual.worker import get_current_worker

from confidant_tui.domain.cases import Case
from confidant_tui.domain.consent import SCOPE_KEYS
from confidant_tui.errors import ConfidantError, InvalidInput, ValidationError, VaultLocked
from confidant_tui.i18n import N_, SUPPORTED_LANGUAGES, _, format_date, get_language
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.exports import OutputExists, check_output_path
from confidant_tui.services.letter_files import discard_letter_file, letter_format, write_letter
from confidant_tui.services.referrals import (
    Letter,
    LetterInput,
    ReferralDraft,
    load_letter_book,
)
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.controllers import referral as controller
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.consent import ConsentModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.literal_fields import LiteralInput, LiteralTextArea
from confidant_tui.ui.widgets.marks import TickBox
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
"""The letter's language, each named in itself."""

NARROW = 110
"""Below this many columns the preview goes under the form instead of beside it."""


class ReferralScreen(BaseScreen):
    """A referral letter for one case; Ctrl+O exports it, Escape goes back.

    Args:
        case_id: the case.
        referral_id: the existing referral the letter is for (its destination fixed), or
            None for a new referral.
        draft: what was typed, to show again (after a lock).
        destination: the destination chosen first (a referral consent's), still changeable.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "A referral letter drafted from the case. Choose the destination and read its purpose "
        "to the reporter. Each fact has a box; only what a consent of the reporter for this "
        "destination covers can be ticked, and beside the others it says why not. Record a "
        "missing consent with its button. Write the question for the recipient (always in "
        "the letter) and, when consented, a summary; fill in the blanks. The preview is the "
        "letter exactly as it will be written: show it to the reporter. Ctrl+O writes it to a "
        "file (.md, .txt or .pdf), which is not encrypted, and records the letter on the case. "
        "Tab moves through the form; Escape goes back."
    )
    BINDINGS: ClassVar = [
        Binding("ctrl+o", "export", N_("Export")),
        Binding("escape", "back", N_("Back")),
    ]

    class CaseRead(Message):
        """The case was read (its code, organisation and referrals)."""

        def __init__(self, case: Case) -> None:
            super().__init__()
            self.case = case

    class DraftRead(Message):
        """What may go to a destination was read."""

        def __init__(self, draft: ReferralDraft, asked: tuple[str, str]) -> None:
            super().__init__()
            self.draft = draft
            self.asked = asked

    class Previewed(Message):
        """The letter as it will be written, or why it cannot be made yet."""

        def __init__(
            self, letter: Letter | None, problems: list[tuple[str, str]], token: int
        ) -> None:
            super().__init__()
            self.letter = letter
            self.problems = problems
            self.token = token

    class Exported(Message):
        """The letter was written and recorded."""

        def __init__(self, path: Path, referral_id: int) -> None:
            super().__init__()
            self.path = path
            self.referral_id = referral_id

    def __init__(
        self,
        case_id: int,
        *,
        referral_id: int | None = None,
        draft: dict[str, Any] | None = None,
        destination: str | None = None,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.referral_id = referral_id
        self._draft_in = dict(draft or {})
        if destination is not None:
            self._draft_in.setdefault("destination", destination)
        self.case: Case | None = None
        self.code = ""
        self.referral_draft: ReferralDraft | None = None
        self.letter: Letter | None = None
        self._unticked: set[str] = set(self._draft_in.get("unticked", ()))
        self._token = 0
        self._pristine: dict[str, Any] | None = self._draft_in.get("_start")
        """The form as the screen started it (`draft()`); None until the case is read."""
        self._proposed_file = ""
        """The file name the screen filled in itself (not the adviser's work)."""
        book = load_letter_book()
        language = get_language()
        self._blank_keys = tuple(book.blank_labels)
        self._blank_labels = {key: book.blank_label(key, language) for key in self._blank_keys}

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        values = self._draft_in
        language = values.get("language") or get_language()
        if language not in SUPPORTED_LANGUAGES:
            language = "nl"
        yield Header()
        yield Static(Text(_("Reading the case…")), id="referral-title")
        with Horizontal(id="body"):
            with VerticalScroll(id="form", can_focus=False):  # the fields scroll into view
                yield FormField(
                    _("Referred to"),
                    KeySelect(
                        self.context.taxonomy,
                        "destination",
                        keys=load_taxonomy().keys("destination"),
                        id="destination",
                        prompt=_("Choose"),
                    ),
                    field="destination",
                )
                yield FormField(
                    _("Language of the letter"),
                    Select(
                        [(LANGUAGE_NAMES[code], code) for code in SUPPORTED_LANGUAGES],
                        value=language,
                        allow_blank=False,
                        id="language",
                    ),
                    field="language",
                )
                yield Static("", id="purpose", classes="box -empty")
                yield Static("", id="conditions", classes="box -empty")
                yield Static("", id="warnings", classes="-empty")
                yield Static(Text(_("What the letter may carry"), "bold"), classes="section")
                with Vertical(id="facts"):
                    for key in SCOPE_KEYS:
                        with Vertical(id=f"row-{key}", classes="fact"):
                            yield TickBox(key, False, id=f"fact-{key}", compact=True)
                            yield Static("", classes="reason")
                            yield Button(
                                _("Record consent…"),
                                id=f"consent-{key}",
                                compact=True,
                                classes="consent",
                            )
                    yield Static("", id="never", classes="reason")
                yield FormField(
                    _("Summary for this letter"),
                    LiteralTextArea(
                        values.get("summary", ""),
                        id="summary",
                        soft_wrap=True,
                        tab_behavior="focus",
                        disabled=True,
                    ),
                    hint=_("Only with the reporter's consent to share a summary with them."),
                    field="summary",
                )
                yield FormField(
                    _("Question for the recipient"),
                    LiteralTextArea(
                        values.get("question", ""),
                        id="question",
                        soft_wrap=True,
                        tab_behavior="focus",
                    ),
                    hint=_("Your own request to the recipient; always in the letter."),
                    field="question",
                )
                blanks = values.get("blanks") or {}
                with Vertical(id="blanks"):
                    for key in self._blank_keys:
                        yield FormField(
                            self._blank_labels[key],
                            LiteralInput(blanks.get(key, ""), id=f"blank-{key}"),
                            field=f"blank-{key}",
                        )
                yield Static("", id="checklist")
                yield FormField(
                    _("File (.md, .txt or .pdf)"),
                    LiteralInput(values.get("file", ""), id="file"),
                    hint=_("The file is not encrypted."),
                    field="file",
                )
                with Horizontal(id="buttons"):
                    yield Button(_("Export…"), id="export", variant="primary", compact=True)
                    yield Button(_("Back"), id="back", compact=True)
                yield Static("", id="written")
            with VerticalScroll(id="preview-pane") as pane:
                pane.border_title = _("Preview: exactly as it will be written")
                yield Static(Text(_("Choose the destination.")), id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_no_destination()
        self.query_one("#destination", KeySelect).focus()
        self._read_case(self.case_id)

    def on_resize(self, event: Resize) -> None:
        """Puts the preview under the form on a narrow terminal, beside it on a wide one."""
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- what was typed -------------------------------------------------------------------------

    @property
    def destination(self) -> str | None:
        """The chosen destination key, or None."""
        return self.query_one("#destination", KeySelect).key

    @property
    def language(self) -> str:
        """The letter's language."""
        value = self.query_one("#language", Select).value
        return value if isinstance(value, str) else "nl"

    def _text(self, selector: str) -> str:
        return self.query_one(selector, LiteralTextArea).stored_text

    def _blanks(self) -> dict[str, str]:
        return {
            key: self.query_one(f"#blank-{key}", LiteralInput).stored_value
            for key in self._blank_keys
        }

    def _included(self) -> tuple[str, ...]:
        return tuple(
            key
            for key in SCOPE_KEYS
            if (box := self.query_one(f"#fact-{key}", Checkbox)).value and not box.disabled
        )

    def draft(self) -> dict[str, Any]:
        """Everything typed or chosen, as plain values (kept across a lock). The file name
        the screen proposed itself is left out: it is proposed again for the destination."""
        file_name = self.query_one("#file", LiteralInput).stored_value
        return {
            "destination": self.destination,
            "language": self.language,
            "summary": self._text("#summary"),
            "question": self._text("#question"),
            "blanks": {k: v for k, v in self._blanks().items() if v},
            "file": "" if file_name == self._proposed_file else file_name,
            "unticked": sorted(self._unticked),
        }

    @property
    def is_dirty(self) -> bool:
        """Whether the form differs from what the screen started with and was not exported
        since: something the adviser typed or chose."""
        if self._pristine is None or self.case is None:
            return bool(self._draft_in.get("_dirty"))
        return self.draft() != self._pristine

    def title_text(self) -> str:
        """The screen's title (for a draft kept when the app must stop)."""
        return _("Referral letter in case {code}").format(code=self.code or "?")

    def lock_snapshot(self) -> Restorer | None:
        """Comes back on the same letter, filled in as it was."""
        if self._pristine is None or self.case is None:  # not filled in yet: as it came
            draft = self._draft_in or None
        else:
            draft = self.draft()
            draft["_dirty"] = self.is_dirty
            draft["_start"] = self._pristine  # so that unsaved still means "changed since"
        return partial(ReferralScreen, self.case_id, referral_id=self.referral_id, draft=draft)

    def palette_commands(self) -> list[PaletteCommand]:
        """Exporting is offered in the palette while this screen is open."""
        return [
            PaletteCommand(
                N_("Export the referral letter"),
                N_("Write it as .md, .txt or .pdf (unencrypted) and record it"),
                "screen.export",
                key="ctrl+o",
            )
        ]

    # -- reading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="referral-case")
    def _read_case(self, case_id: int) -> None:
        from confidant_tui.services.cases import get_case

        try:
            case = get_case(self.context.vault, case_id)
        except VaultLocked:
            return
        self.post_message(self.CaseRead(case))

    @on(CaseRead)
    def _case_read(self, message: CaseRead) -> None:
        self.case = case = message.case
        self.code = case.code
        title = literal_text(
            _("Referral letter · case {code}").format(code=case.code), single_line=True
        )
        title.stylize("bold")
        select = self.query_one("#destination", KeySelect)
        rules = self.context.rules_of(case.facts.organisation)
        own = tuple(d.key for d in rules.destinations)
        keys = load_taxonomy().keys("destination") + own
        taxonomy = self.context.taxonomy
        with select.prevent(Select.Changed):
            select.set_options((Text(taxonomy.label("destination", k)), k) for k in keys)
        wanted = self._draft_in.get("destination")
        if self.referral_id is not None:
            referral = next((r for r in case.referrals if r.id == self.referral_id), None)
            if referral is None:
                self.notify(_("That referral is not one of this case's."), severity="error")
                self.dismiss()
                return
            wanted = referral.destination
            title.append(
                "  ·  " + _("for the referral of {date}").format(date=format_date(referral.date))
            )
            select.disabled = True
        self.query_one("#referral-title", Static).update(title)
        if wanted and wanted not in keys:  # one the organisation no longer lists
            with select.prevent(Select.Changed):
                select.set_options(
                    (Text(taxonomy.label("destination", k)), k) for k in (*keys, wanted)
                )
        if wanted:
            with select.prevent(Select.Changed):
                select.value = wanted
            self._read_draft()
        if self.referral_id is not None:
            self.call_after_refresh(self.query_one("#question", LiteralTextArea).focus)
        self._propose_file()
        self.call_after_refresh(self._remember_pristine)

    def _remember_pristine(self) -> None:
        if self._pristine is None:
            self._pristine = self.draft()

    def _propose_file(self) -> None:
        """Names the file after the case and the destination, unless the adviser named it."""
        field = self.query_one("#file", LiteralInput)
        if field.stored_value not in ("", self._proposed_file):
            return
        destination = self.destination
        name = controller.default_file_name(self.code, destination) if destination else ""
        self._proposed_file = name
        field.load(name)

    def _read_draft(self) -> None:
        destination = self.destination
        if destination is None:
            self._show_no_destination()
            return
        self._draft_worker(destination, self.language)

    def _show_no_destination(self) -> None:
        """Shows the form as it started, before a destination (the prompt chosen again)."""
        for selector in ("#purpose", "#conditions", "#warnings"):
            box = self.query_one(selector, Static)
            box.update("")
            box.add_class("-empty")
        for key in SCOPE_KEYS:
            self.query_one(f"#row-{key}").display = False
        for key in self._blank_keys:
            self.query_one(f"#blank-{key}").parent.display = False  # type: ignore[union-attr]
        self.query_one("#summary").parent.display = False  # type: ignore[union-attr]
        self.query_one("#never", Static).update("")
        self.query_one("#checklist", Static).update("")
        self.query_one("#preview", Static).update(Text(_("Choose the destination.")))
        question = self.query_one("#question").parent
        if isinstance(question, FormField):
            question.show_problem(None)

    @work(thread=True, exclusive=True, group="referral-draft")
    def _draft_worker(self, destination: str, language: str) -> None:
        from confidant_tui.services.referrals import referral_draft

        context = self.context
        try:
            found = referral_draft(
                context.vault,
                self.case_id,
                destination,
                language=language,
                now=context.now(),
                taxonomy=context.taxonomy,
            )
        except VaultLocked:
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.DraftRead(found, (destination, language)))

    @on(DraftRead)
    def _draft_read(self, message: DraftRead) -> None:
        if message.asked != (self.destination, self.language):
            return
        self.referral_draft = draft = message.draft
        self._show_box("#purpose", _("Read this to the reporter"), draft.purpose)
        conditions = "\n".join(f"• {c}" for c in draft.conditions)
        self._show_box("#conditions", _("Go through these conditions together"), conditions)
        warnings = self.query_one("#warnings", Static)
        warnings.update(Text("\n".join(f"⚠ {w}" for w in draft.warnings), "bold"))
        warnings.set_class(not draft.warnings, "-empty")
        for key in self._blank_keys:
            self.query_one(f"#blank-{key}").parent.display = (  # type: ignore[union-attr]
                key in draft.kind.blanks
            )
        self._show_facts()
        self._show_blanks()
        self.refresh_preview()

    def _show_box(self, selector: str, heading: str, body: str) -> None:
        box = self.query_one(selector, Static)
        text = Text()
        if body:
            text.append(heading + "\n", "bold")
            text.append_text(literal_text(body))
        box.update(text)
        box.set_class(not body, "-empty")

    def _show_facts(self) -> None:
        """Updates every fact's box: enabled and ticked only when it may go in."""
        draft = self.referral_draft
        if draft is None:
            return
        summary = self.query_one("#summary", LiteralTextArea)
        summary.disabled = not controller.summary_open(draft)
        if summary.parent is not None:
            summary.parent.display = "summary" in draft.kind.facts
        states = controller.fact_states(draft, summary.stored_text)
        for state in states:
            row = self.query_one(f"#row-{state.key}")
            row.display = state.carried
            box = self.query_one(f"#fact-{state.key}", Checkbox)
            with box.prevent(Checkbox.Changed):
                box.label = Text(state.label[:1].upper() + state.label[1:])
                box.disabled = not state.allowed
                box.value = state.allowed and state.key not in self._unticked
            reason = row.query_one(".reason", Static)
            reason.update(Text(state.reason))
            reason.display = bool(state.reason)
            row.query_one(".consent", Button).display = state.consent_missing
        never = self.query_one("#never", Static)
        never.update(Text(controller.never_carried(states)))

    def _show_blanks(self) -> None:
        """Flags each blank of the letter that is still empty."""
        blanks = self._blanks()
        kind = self.referral_draft.kind if self.referral_draft else None
        for key in self._blank_keys:
            field = self.query_one(f"#blank-{key}").parent
            if isinstance(field, FormField):
                missing = kind is not None and key in kind.blanks and not blanks[key].strip()
                field.show_problem(
                    _("Missing: the letter shows it as missing.") if missing else None
                )

    # -- the preview ----------------------------------------------------------------------------

    def choice(self) -> LetterInput | None:
        """The letter asked for on the form (None: no destination yet)."""
        destination = self.destination
        if destination is None:
            return None
        return controller.letter_input(
            destination,
            question=self._text("#question"),
            summary=self._text("#summary"),
            include=self._included(),
            blanks=self._blanks(),
            language=self.language,
        )

    def refresh_preview(self) -> None:
        """Makes the letter again from what the form holds now (in a worker)."""
        choice = self.choice()
        if choice is None or self.referral_draft is None:
            return
        self._token += 1
        self._preview_worker(choice, self._token)

    @work(thread=True, exclusive=True, group="referral-preview")
    def _preview_worker(self, choice: LetterInput, token: int) -> None:
        from confidant_tui.services.referrals import draft

        context = self.context
        try:
            letter = draft(
                context.vault, self.case_id, choice, now=context.now(), taxonomy=context.taxonomy
            )
        except VaultLocked:
            return
        except ValidationError as error:
            self.post_message(self.Previewed(None, list(error.problems), token))
            return
        self.post_message(self.Previewed(letter, [], token))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if message.token != self._token:
            return
        self.letter = message.letter
        preview = self.query_one("#preview", Static)
        question = self.query_one("#question", LiteralTextArea).parent
        if message.letter is None:
            reasons = " ".join(text for _key, text in message.problems)
            preview.update(Text(_("The letter cannot be made yet:") + " " + reasons, "italic"))
        else:
            preview.update(literal_text(message.letter.text))
        if isinstance(question, FormField):
            asked = [text for key, text in message.problems if key == "question"]
            question.show_problem(" ".join(asked) if asked else None)
        self.query_one("#checklist", Static).update(
            controller.checklist_text(message.letter, self._blank_labels)
        )

    # -- changes --------------------------------------------------------------------------------

    @on(Select.Changed, "#destination")
    @on(Select.Changed, "#language")
    def _destination_changed(self) -> None:
        self.referral_draft = None
        self.letter = None
        if self.case is not None:
            self._propose_file()
        self._read_draft()

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        key = str(event.checkbox.id or "").removeprefix("fact-")
        if event.value:
            self._unticked.discard(key)
        else:
            self._unticked.add(key)
        self.refresh_preview()

    @on(TextArea.Changed, "#summary")
    def _summary_changed(self) -> None:
        self._show_facts()
        self.refresh_preview()

    @on(TextArea.Changed, "#question")
    def _question_changed(self) -> None:
        self.refresh_preview()

    @on(LiteralInput.Changed, "#blanks LiteralInput")
    def _blank_changed(self) -> None:
        self._show_blanks()
        self.refresh_preview()

    # -- consent --------------------------------------------------------------------------------

    @on(Button.Pressed, ".consent")
    def _record_consent(self, event: Button.Pressed) -> None:
        """Opens the consent dialog for the missing consent, to record it now."""
        key = str(event.button.id or "").removeprefix("consent-")
        case, destination = self.case, self.destination
        if case is None or case.id is None or destination is None:
            return
        context = self.context
        modal = ConsentModal(
            case.id,
            case.code,
            context.taxonomy,
            context.now(),
            purpose="referral",
            destination=destination,
            scope=(key,),
        )

        def done(stored: bool | None) -> None:
            if stored:
                self.notify(_("The consent was recorded."))
                self._unticked.discard(key)
                self._read_draft()

        self.app.push_screen(modal, done)

    # -- export ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Asks first (the file is not encrypted; replacing a file), then writes the letter
        and records it. The question starts on Cancel."""
        file_field = self.query_one("#file", LiteralInput)
        form_field = file_field.parent
        choice, letter = self.choice(), self.letter
        if choice is None or letter is None:
            self.notify(_("The letter cannot be made yet: see the preview."), severity="warning")
            return
        try:
            name = file_field.stored_value.strip()
            if not name:
                raise InvalidInput(_("Name the file to write, ending in .md, .txt or .pdf."))
            path = Path(name).expanduser()
            file_format = letter_format(path)
            replacing = False
            try:
                path = check_output_path(path, vault_path=self.context.session.path)
            except OutputExists as exists:
                path, replacing = exists.path, True
        except ConfidantError as error:
            if isinstance(form_field, FormField):
                form_field.show_problem(error.message)
            file_field.focus()
            return
        if isinstance(form_field, FormField):
            form_field.show_problem(None)
        referral_id = self.referral_id

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._export(choice, path, replacing, file_format, referral_id)

        self.app.push_screen(
            ConfirmModal(
                controller.export_question(path, replacing, letter.facts),
                confirm=(_("Replace and write the letter") if replacing else _("Write the letter")),
                danger=True,
                safe_default=True,
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="referral-export")
    def _export(
        self,
        choice: LetterInput,
        path: Path,
        replace: bool,
        file_format: str,
        referral_id: int | None,
    ) -> None:
        from confidant_tui.services.referrals import draft, record_letter

        context = self.context
        now, taxonomy = context.now(), context.taxonomy
        letter = draft(context.vault, self.case_id, choice, now=now, taxonomy=taxonomy)
        written = write_letter(letter, path, replace=replace, vault_path=context.session.path)
        try:
            recorded = record_letter(
                context.vault,
                self.case_id,
                choice,
                now=now,
                taxonomy=taxonomy,
                referral_id=referral_id,
                file_format=file_format,
            )
        except BaseException:
            # A letter on file that the case does not record would be a share nobody
            # can account for: the file goes again (as the command line does).
            discard_letter_file(written)
            raise
        self.post_message(self.Exported(written, recorded.referral_id))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.referral_id = message.referral_id
        self.query_one("#destination", KeySelect).disabled = True
        text = Text(_("Written, unencrypted:") + " ", "bold")
        text.append_text(literal_text(str(message.path), single_line=True))
        self.query_one("#written", Static).update(text)
        self._pristine = self.draft()
        self.notify(_("The letter was written and recorded on the case."))

    # -- leaving --------------------------------------------------------------------------------

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Goes back to the case file, asking first when something typed was not exported."""
        if not self.is_dirty:
            self.dismiss()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        self.app.push_screen(
            ConfirmModal(
                _("Leave the letter without exporting it? What you typed or chose is lost."),
                confirm=_("Leave"),
                safe_default=True,
            ),
            answered,
        )
