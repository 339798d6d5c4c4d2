"""Provides `OrganisationFormScreen`: every rule of one organisation, on one form.

A screen rather than a dialog: it has some twenty fields. It works like the intake form
(`modals/form_cycle.py`): Ctrl+S checks every field and shows each problem beside its own
field, then saves the organisation in one service call; Escape asks before throwing typed
text away; a lock keeps what was typed (`lock_snapshot`). After saving, the app's context
gets the vault's organisations at once, so the intake and the taxonomy see the change.
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
from textual.widgets import Button, Checkbox, Header, Select, Static

from confidant_tui.domain.organisation import (
    ADVISER_POSITIONS,
    ADVISER_SERVES,
    DEFAULT_CONFIDENTIALITY,
    OrganisationRules,
    field_label,
)
from confidant_tui.i18n import N_, _
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.organisations import (
    Organisation,
    add_organisation,
    edit_organisation,
    list_organisations,
)
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.context import AppContext, apply_organisations
from confidant_tui.ui.controllers.organisation_form import (
    CHOICE_RULES,
    DATE_RULES,
    FLAG_RULES,
    LINE_RULES,
    field_values,
    read_rules,
)
from confidant_tui.ui.modals.form_cycle import FormCycle, Problems
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.literal_fields import LiteralInput, LiteralTextArea
from confidant_tui.ui.widgets.marks import TickBox

CHOICE_LABELS = {
    "internal": N_("internal"),
    "external": N_("external"),
    "members": N_("members"),
    "staff": N_("staff"),
    "both": N_("both"),
}
"""The adviser-facing names of the choices of `adviser_position` and `adviser_serves`."""

Built = tuple[str, dict[str, Any]]
"""The organisation's name and its rules in the JSON form."""


def _hints() -> dict[str, str]:
    return {
        "units": _("One per line. Used as levels next to the shipped ones."),
        "escalation": _("Levels in order, separated by → or a comma, e.g. Local branch → Region."),
        "destinations": _("One per line, as Label: description."),
        "measures": _("One per line, next to the shipped measures."),
        "confidentiality_text": _("Empty: the default text (shown greyed) is used."),
        "report_due": _("Day and month, e.g. 1-3 or 1 March."),
    }


class OrganisationFormScreen(FormCycle[Built], BaseScreen):
    """Adds an organisation (`name` None) or edits one; Ctrl+S saves, Escape leaves.

    Args:
        name: the organisation edited, or None for a new one.
        draft: field values to show instead of the stored rules (after a lock).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "Every rule of one organisation. Tab moves to the next field, Shift+Tab back; Space "
        "ticks a box. Units, destinations and measures take one per line. Ctrl+S saves; a "
        "problem is shown in red beside its field and nothing you typed is lost. Escape asks "
        "before throwing your changes away."
    )
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    SAVE_GROUP = "organisation-save"

    class Saved(Message):
        """The organisation was stored; `organisations` are the vault's, as they are now."""

        def __init__(self, organisations: list[Organisation]) -> None:
            super().__init__()
            self.organisations = organisations

    class Refused(FormCycle.Refused):
        """The service refused the organisation."""

    def __init__(self, name: str | None = None, draft: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.original = name
        self._draft_in = dict(draft or {})

    def _current(self) -> Organisation | None:
        return next((o for o in self.context.organisations if o.name == self.original), None)

    def _base(self) -> OrganisationRules:
        current = self._current()
        return current.rules if current is not None else OrganisationRules()

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        values = field_values(self._base(), load_taxonomy())
        values["name"] = self.original or ""
        values.update(self._draft_in)
        hints = _hints()
        today = self.context.today()
        yield Header()
        yield Static(
            literal_text(self.title_text(), single_line=True, style="bold"), id="form-title"
        )
        with VerticalScroll(id="form", can_focus=False):  # the fields scroll into view
            yield FormField(_("Name"), LiteralInput(values["name"], id="name"), field="name")
            yield _section(_("Units and escalation"))
            yield self._lines("units", values, hints)
            yield self._line("escalation", values, hints.get("escalation", ""))
            yield _section(_("Bodies"))
            for name in ("complaints_committee", "integrity_desk", "board", "report_recipients"):
                yield self._line(name, values)
            yield _section(_("Complaints and meldingen"))
            yield self._line("complaint_period_years", values, classes="number")
            for name in FLAG_RULES:
                yield TickBox(
                    Text(_capital(field_label(name))), bool(values[name]), id=name, compact=True
                )
            yield _section(_("The adviser"))
            for name, choices in zip(
                CHOICE_RULES, (ADVISER_POSITIONS, ADVISER_SERVES), strict=True
            ):
                options = [(Text(_(CHOICE_LABELS[c])), c) for c in choices]
                yield FormField(
                    _capital(field_label(name)),
                    Select(options, value=values[name], allow_blank=False, id=name),
                    field=name,
                )
            with Horizontal(classes="pair"):
                for name in DATE_RULES:
                    yield FormField(
                        _capital(field_label(name)),
                        DateField(values[name], today=today, id=name),
                        field=name,
                    )
            yield FormField(
                _capital(field_label("confidentiality_text")),
                _area("confidentiality_text", values, placeholder=_(DEFAULT_CONFIDENTIALITY)),
                hint=hints["confidentiality_text"],
                field="confidentiality_text",
            )
            yield _section(_("Referrals and measures"))
            yield self._lines("destinations", values, hints)
            yield self._lines("measures", values, hints)
            yield _section(_("Yearly report and retention"))
            yield FormField(
                _("Yearly report due (day and month)"),
                LiteralInput(values["report_due"], id="report_due", classes="number"),
                hint=hints["report_due"],
                field="report_due",
            )
            yield self._line("report_threshold", values, classes="number")
            yield self._line("retention_years", values, classes="number")
            with Horizontal(id="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")
        yield KeyFooter()

    def _line(
        self, name: str, values: dict[str, Any], hint: str = "", classes: str = ""
    ) -> FormField:
        control = LiteralInput(str(values[name]), id=name, classes=classes)
        return FormField(_capital(field_label(name)), control, hint=hint, field=name)

    def _lines(self, name: str, values: dict[str, Any], hints: dict[str, str]) -> FormField:
        return FormField(
            _capital(field_label(name)), _area(name, values), hint=hints[name], field=name
        )

    def on_mount(self) -> None:
        self.query_one("#name").focus()
        self.call_after_refresh(self._remember_pristine)

    def _remember_pristine(self) -> None:
        if self._pristine is None:
            self._pristine = {} if self._draft_in.get("_dirty") else self.draft()

    # -- the draft ---------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """Every field's value (text, a tick, a choice), kept in memory across a lock."""
        values: dict[str, Any] = {}
        for control in self.query("#form LiteralInput, #form LiteralTextArea"):
            if isinstance(control, LiteralTextArea):
                values[str(control.id)] = control.stored_text
            elif isinstance(control, LiteralInput):
                values[str(control.id)] = control.stored_value
        for name in FLAG_RULES:
            values[name] = self.query_one(f"#{name}", Checkbox).value
        for name in CHOICE_RULES:
            values[name] = self.query_one(f"#{name}", Select).value
        return values

    def title_text(self) -> str:
        """The form's title, for a draft of it kept when the app must stop (`ui/drafts.py`)."""
        if self.original is None:
            return _("New organisation")
        return _("Organisation: {name}").format(name=self.original)

    def lock_snapshot(self) -> Restorer | None:
        """Rebuilds the form, filled in as it was, after unlocking."""
        draft = self.draft()
        draft["_dirty"] = self.is_dirty
        return partial(OrganisationFormScreen, self.original, draft)

    # -- saving ------------------------------------------------------------------------------

    def collect(self) -> Built | Problems:
        """The name and the rules, or the problems beside their fields."""
        values = self.draft()
        changes, problems = read_rules(values, self._base(), load_taxonomy(), self.context.today())
        name = values["name"].strip()
        if not name:
            problems.insert(0, ("name", _("Enter the name of the organisation.")))
        elif name != self.original and any(o.name == name for o in self.context.organisations):
            problems.insert(
                0,
                ("name", _("There is already an organisation called '{name}'.").format(name=name)),
            )
        return problems if problems else (values["name"], changes)

    def refuse_early(self, problems: Problems) -> None:
        """Marks the fields in red and says nothing was saved yet."""
        self.show_problems(problems)
        self.notify(_("Not saved yet: see the fields marked in red."), severity="warning")

    def store(self, context: AppContext, built: Built) -> Message:
        """Adds or changes the organisation in one service call (in the save worker)."""
        name, changes = built
        vault = context.vault
        if self.original is None:
            add_organisation(vault, name, changes)
        else:
            edit_organisation(vault, self.original, changes, new_name=name)
        return self.Saved(list_organisations(vault))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.refused(message.error, unplaced="name")

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saved()
        apply_organisations(self.app, message.organisations)
        self.notify(_("The organisation was saved."))
        self.dismiss(True)

    def show_problems(self, problems: Problems) -> None:
        """Shows each problem beside its field and clears the others; focuses the first."""
        by_field: dict[str, list[str]] = {}
        for path, text in problems:
            by_field.setdefault(path or "name", []).append(text)
        first: FormField | None = None
        for form_field in self.query(FormField):
            messages = by_field.get(form_field.field)
            form_field.show_problem(" ".join(messages) if messages else None)
            if messages and first is None:
                first = form_field
        if first is not None:
            first.control.focus()
            first.scroll_visible()

    def discard_question(self) -> str:
        """Asks before throwing the changes away (Escape)."""
        return _("Discard the changes to this organisation?")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _section(title: str) -> Static:
    return Static(Text(title, style="bold underline"), classes="section")


def _area(name: str, values: dict[str, Any], placeholder: str = "") -> LiteralTextArea:
    return LiteralTextArea(
        str(values[name]),
        id=name,
        soft_wrap=True,
        tab_behavior="focus",
        classes="text" if name not in LINE_RULES else "lines",
        placeholder=placeholder,
    )
