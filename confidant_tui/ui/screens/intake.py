"""Provides `IntakeScreen`: the form for a new case (and for editing a case's facts).

The fields follow a first conversation: the reporter, what happened, who is involved, the
reporter's wishes, and the confidentiality explanation and recording consent. When the
adviser serves more than one organisation the form asks which (the default preselected);
the levels and the "vertrouwelijk, tenzij" text shown follow the organisation chosen. Nothing typed
is lost: a refused save keeps every field and shows each problem next to its field; Escape
asks before discarding; and when the app locks mid-form, `lock_snapshot` keeps the draft in
memory and the form comes back filled in after unlocking.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header, Input, Select, Static, TextArea

from confidant_tui.domain.cases import CaseFacts, Identity, Intake
from confidant_tui.i18n import N_, _
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.controllers.intake_form import (
    DATE_FIELDS,
    apply_draft,
    form_draft,
    level_keys,
    organisation_choices,
    problem_field,
)
from confidant_tui.ui.modals.form_cycle import FormCycle, Problems
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.literal_fields import LiteralInput, LiteralTextArea
from confidant_tui.ui.widgets.people_editor import PeopleEditor
from confidant_tui.ui.widgets.taxonomy_picker import CategoryPicker, KeySelect


class IntakeScreen(FormCycle[Intake | CaseFacts], BaseScreen):
    """The intake form; Ctrl+S saves, Escape asks before discarding.

    Args:
        draft: values to fill in (after a lock, or a case's facts when editing).
        case_id: the case whose facts are edited; None for a new intake.
        code: the case code, for the title when editing.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "The intake form records a new case. Tab moves to the next field, Shift+Tab back; "
        "Space ticks a category. Dates are typed as dd-mm-yyyy (or t for today). Ctrl+S saves; "
        "a problem is shown in red under its field and nothing you typed is lost. Escape asks "
        "before throwing the form away. The reporter's name and contact are stored apart from "
        "the case and shown only when asked for."
    )
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    SAVE_GROUP = "intake-save"

    class Saved(Message):
        """The case was stored."""

        def __init__(self, case_id: int) -> None:
            super().__init__()
            self.case_id = case_id

    class Refused(FormCycle.Refused):
        """The service refused the facts; `error.problems` name the fields."""

    def __init__(
        self,
        draft: dict[str, Any] | None = None,
        *,
        case_id: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__()
        self._draft_in = dict(draft or {})
        self.case_id = case_id
        self.code = code
        self._case_organisation: str | None = self._draft_in.get("organisation") or None

    @property
    def chosen_organisation(self) -> str:
        """The organisation chosen in the form (or the case's, or the default)."""
        for select in self.query("#organisation").results(Select):
            if isinstance(select.value, str):
                return select.value
        return self._case_organisation or self.context.organisation

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        taxonomy = self.context.taxonomy
        today = self.context.today()
        editing = self.case_id is not None
        yield Header()
        title = (
            _("Facts of case {code}").format(code=self.code or "")
            if editing
            else _("New case: intake")
        )
        yield Static(Text(title, style="bold"), id="form-title")
        with VerticalScroll(id="form", can_focus=False):  # the fields scroll into view
            if not editing:
                yield _section(_("First contact"))
                yield FormField(
                    _("Opened on"), DateField(today, today=today, id="opened"), field="opened"
                )
            choices = organisation_choices(self.context, self._case_organisation)
            if len(choices) > 1:
                chosen = self._case_organisation or self.context.organisation
                yield FormField(
                    _("Organisation"),
                    Select[str](
                        [(literal_text(name, single_line=True), name) for name in choices],
                        value=chosen if chosen in choices else choices[0],
                        allow_blank=False,
                        id="organisation",
                    ),
                    field="organisation",
                )
            yield _section(_("The reporter"))
            yield FormField(
                _("Alias"),
                LiteralInput(
                    placeholder=_("What you call the reporter, e.g. A."), id="reporter_alias"
                ),
                field="reporter_alias",
            )
            yield FormField(
                _("Role of the reporter"),
                KeySelect(taxonomy, "reporter_role", id="reporter_role", prompt=_("Choose")),
                field="reporter_role",
            )
            if not editing:
                yield FormField(
                    _("Name (optional)"),
                    LiteralInput(id="name"),
                    hint=_("Stored apart from the case; shown only when asked for."),
                    field="name",
                )
                yield FormField(
                    _("Contact (optional)"), LiteralInput(id="contact"), field="contact"
                )
            yield _section(_("What happened"))
            yield FormField(
                _("Categories"),
                CategoryPicker(taxonomy, id="categories"),
                hint=_("Space ticks; one case may have several."),
                field="categories",
            )
            with Horizontal(classes="pair"):
                yield FormField(
                    _("First incident"),
                    DateField(today=today, id="first_incident"),
                    field="first_incident",
                )
                yield FormField(
                    _("Last incident"),
                    DateField(today=today, id="last_incident"),
                    field="last_incident",
                )
            yield FormField(
                _("Work situation"), _text_area("work_situation"), field="work_situation"
            )
            yield _section(_("Who is involved"))
            yield FormField(
                _("Relation of the person reported about"),
                KeySelect(taxonomy, "relation", id="relation", prompt=_("Not recorded")),
                field="relation",
            )
            yield FormField(
                _("Power imbalance"),
                Select[bool](
                    [(Text(_("Yes")), True), (Text(_("No")), False)],
                    id="power_imbalance",
                    prompt=_("Not recorded"),
                ),
                field="power_imbalance",
            )
            yield FormField(
                _("Level where it happened"),
                KeySelect(
                    taxonomy,
                    "level",
                    id="level",
                    keys=level_keys(self.context, self._initial_organisation()),
                    prompt=_("Not recorded"),
                ),
                field="level",
            )
            yield FormField(
                _("People involved (aliases only)"),
                PeopleEditor(taxonomy, id="people"),
                field="people",
            )
            yield _section(_("Wishes of the reporter"))
            yield FormField(_("Wishes"), _text_area("wishes"), field="wishes")
            if editing:
                yield FormField(
                    _("Outcome of the case"),
                    KeySelect(taxonomy, "outcome", id="outcome_key", prompt=_("Not recorded")),
                    field="outcome_key",
                )
                yield FormField(
                    _("How the reporter experienced it"),
                    KeySelect(taxonomy, "experience", id="experience", prompt=_("Not recorded")),
                    field="experience",
                )
                yield FormField(
                    _("Outcome as the reporter experienced it"),
                    _text_area("outcome"),
                    field="outcome",
                )
            yield _section(_("Confidential, unless"))
            yield FormField(
                _("Confidentiality explained on"),
                DateField(today=today, id="confidentiality_explained"),
                hint=_('When you explained "vertrouwelijk, tenzij" (t = today).'),
                field="confidentiality_explained",
            )
            yield Static(_("What you explain:"), classes="explain-heading")
            yield Static(
                literal_text(self.context.rules_of(self._initial_organisation()).confidentiality()),
                id="confidentiality-text",
            )
            yield FormField(
                _("Consent to record given on"),
                DateField(today=today, id="recording_consent"),
                hint=_("What is recorded, why and for how long (t = today)."),
                field="recording_consent",
            )
        yield KeyFooter()

    def _initial_organisation(self) -> str:
        """The organisation the form opens with (the case's, else the default)."""
        return self._case_organisation or self.context.organisation

    @on(Select.Changed, "#organisation")
    def _organisation_changed(self) -> None:
        """The levels and the confidentiality text follow the organisation chosen; a level
        the new organisation also has stays chosen."""
        organisation = self.chosen_organisation
        level = self.query_one("#level", KeySelect)
        kept = level.key
        keys = level_keys(self.context, organisation)
        taxonomy = self.context.taxonomy
        level.set_options([(Text(taxonomy.label("level", key)), key) for key in keys])
        if kept in keys:
            level.value = kept
        self.query_one("#confidentiality-text", Static).update(
            literal_text(self.context.rules_of(organisation).confidentiality())
        )

    async def on_mount(self) -> None:
        if self._draft_in:
            await apply_draft(self, self._draft_in, self.context.taxonomy)
        self.call_after_refresh(self._remember_pristine)
        first = "#reporter_alias"
        self.query_one(first).focus()

    def _remember_pristine(self) -> None:
        if self._pristine is None:
            if self._draft_in.get("_dirty"):
                self._pristine = {}
            else:
                self.remember_pristine()

    # -- the draft ---------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """Everything typed so far, as plain values (kept in memory across a lock)."""
        return form_draft(self)

    def lock_snapshot(self) -> Restorer | None:
        """Rebuilds the form, filled in as it was, after unlocking."""
        draft = self.draft()
        draft["_dirty"] = self.is_dirty
        return partial(IntakeScreen, draft, case_id=self.case_id, code=self.code)

    # -- saving ------------------------------------------------------------------------------

    def collect(self) -> Intake | CaseFacts | Problems:
        """Builds the intake from the form, or the problems the form itself can see."""
        problems: list[tuple[str, str]] = []
        for name in DATE_FIELDS:
            if self.query(f"#{name}"):
                problem = self.query_one(f"#{name}", DateField).problem
                if problem:
                    problems.append((name, problem))
        role = self.query_one("#reporter_role", KeySelect).key
        if role is None:
            problems.append(("reporter_role", _("Choose the reporter's role.")))
        categories = self.query_one("#categories", CategoryPicker).keys
        if not categories:
            problems.append(("categories", _("Tick at least one category.")))
        if problems or role is None:
            return problems

        def date(name: str) -> Any:
            return self.query_one(f"#{name}", DateField).date if self.query(f"#{name}") else None

        def text(name: str) -> str | None:
            if not self.query(f"#{name}"):
                return None
            widget = self.query_one(f"#{name}", Widget)
            if isinstance(widget, LiteralTextArea):
                stored = widget.stored_text
                return stored if stored.strip() else None
            if isinstance(widget, LiteralInput):
                return widget.stored_value.strip() or None
            if isinstance(widget, TextArea):
                return widget.text.strip() or None
            if isinstance(widget, Input):
                return widget.value.strip() or None
            return None

        imbalance = self.query_one("#power_imbalance", Select).value

        def key(name: str) -> str | None:
            found = list(self.query(f"#{name}").results(Select))
            value = found[0].value if found else None
            return value if isinstance(value, str) else None

        facts = CaseFacts(
            reporter_role=role,
            categories=categories,
            reporter_alias=text("reporter_alias"),
            organisation=key("organisation"),
            relation=self.query_one("#relation", KeySelect).key,
            power_imbalance=imbalance if isinstance(imbalance, bool) else None,
            level=self.query_one("#level", KeySelect).key,
            first_incident=date("first_incident"),
            last_incident=date("last_incident"),
            wishes=text("wishes"),
            work_situation=text("work_situation"),
            outcome=text("outcome"),
            outcome_key=key("outcome_key"),
            experience=key("experience"),
            confidentiality_explained=date("confidentiality_explained"),
            recording_consent=date("recording_consent"),
            people=self.query_one("#people", PeopleEditor).people,
        )
        if self.case_id is not None:
            return facts
        opened = date("opened")
        if opened is None:
            return [("opened", _("Give the date of the first contact."))]
        identity = Identity(text("name"), text("contact"))
        return Intake(opened=opened, facts=facts, identity=identity)

    def refuse_early(self, problems: Problems) -> None:
        """Marks the fields in red and says the case is not saved yet."""
        self.show_problems(problems)
        self.notify(_("Not saved yet: see the fields marked in red."), severity="warning")

    def store(self, context: AppContext, built: Intake | CaseFacts) -> Message:
        """Creates the case, or updates its facts (in the save worker)."""
        from confidant_tui.services import cases

        today = context.today()
        vault = context.vault
        if isinstance(built, Intake):
            case = cases.create_case(
                vault,
                built,
                today=today,
                taxonomy=context.taxonomy,
                default_organisation=context.organisation,
            )
            return self.Saved(case.id)
        assert self.case_id is not None
        cases.update_facts(vault, self.case_id, built, today=today, taxonomy=context.taxonomy)
        return self.Saved(self.case_id)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.refused(message.error)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saved()
        if self.case_id is not None:
            self.notify(_("The facts were saved."))
            self.dismiss()
            return
        self.notify(_("The case was saved."))
        navigation.switch_to_case_file(self.app, message.case_id)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Shows each problem under its field and clears the others; focuses the first."""
        by_field: dict[str, list[str]] = {}
        unplaced: list[str] = []
        fields = {f.field: f for f in self.query(FormField)}
        for path, message in problems:
            name = problem_field(path)
            if name in fields:
                by_field.setdefault(name, []).append(message)
            else:
                unplaced.append(message)
        for name, form_field in fields.items():
            messages = by_field.get(name)
            form_field.show_problem(" ".join(messages) if messages else None)
        if unplaced:
            self.notify("\n".join(unplaced), severity="warning", markup=False)
        for form_field in fields.values():
            if form_field.field in by_field:
                form_field.control.focus()
                form_field.scroll_visible()
                break

    # -- leaving -----------------------------------------------------------------------------

    def discard_question(self) -> str:
        """Asks before discarding the facts typed (Escape)."""
        if self.case_id is not None:
            return _("Discard the changes to these facts?")
        return _("Discard this intake? What you typed will be lost.")


def _section(title: str) -> Static:
    return Static(Text(title, style="bold underline"), classes="section")


def _text_area(name: str) -> TextArea:
    return LiteralTextArea(id=name, soft_wrap=True, tab_behavior="focus", classes="text")
