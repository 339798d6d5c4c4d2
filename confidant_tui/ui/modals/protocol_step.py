"""Provides `StepModal`: the form for one step of a protocol procedure.

One form per step kind (a condition, an attempt to get consent, the informing of the
reporter, the disclosure, an addendum, ...), each dated to the minute. The form checks the
step with the protocol's own rules before storing it (the service checks again, in the
transaction): when a step cannot be recorded yet — a disclosure before the reporter was
informed — the rule's own messages appear at the top, and everything typed stays.
A disclosure or a decision not to disclose closes the procedure, so those ask once more.
The dialog scrolls: whatever has the focus is shown whole with its label (Tab at 80x24).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from confidant_tui.domain.consent import SCOPE_KEYS, ConsentLedger
from confidant_tui.domain.protocol import (
    CONDITIONS,
    GROUNDS,
    STEP_TYPES,
    Disclosure,
    Procedure,
    Step,
    condition_title,
)
from confidant_tui.domain.protocol_rules import step_problems
from confidant_tui.i18n import _
from confidant_tui.i18n import _ as translate
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.presenters.protocol_texts import (
    GROUND_EXPLANATIONS,
    GROUND_LABELS,
    SCOPE_LABELS,
    STEP_EXPLANATIONS,
    STEP_LABELS,
)
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.marks import TickList
from confidant_tui.ui.widgets.moment_field import MomentField

CLOSING = frozenset({"disclosure", "abandonment"})
"""Steps that close the procedure: asked once more before storing."""

_AT_FIELDS = frozenset({"at", "disclosed_at", "informed_at"})


def _area(widget_id: str, text: str = "") -> TextArea:
    area = TextArea(text, id=widget_id, soft_wrap=True, show_line_numbers=False)
    area.styles.height = 5
    return area


class StepModal(FormModal):
    """Records one step of a procedure.

    Args:
        kind: the step kind (`condition`, `informing`, `disclosure`, `addendum`, ...).
        procedure: the procedure as loaded (for the rules and the heading).
        ledger: the case's consent ledger (the rules of a disclosure with consent).
        code: the case code (for the heading).
        now: the moment the dialog opens (the default date and time); the rules are checked
            against the app's clock at the moment of saving.
        number: for a condition, the condition to explain.
        corrects: for an addendum, the id of the step it points to.
        target: for an addendum, how that step is named (already translated).
    """

    DEFAULT_CSS = """
    StepModal #dialog { width: 80; }
    StepModal #refusal { color: $error; height: auto; margin-bottom: 1; display: none; }
    StepModal #refusal.-shown { display: block; }
    StepModal #step-hint { color: $text-muted; margin-bottom: 1; }
    StepModal SelectionList { height: auto; max-height: 10; }
    """

    def __init__(
        self,
        kind: str,
        procedure: Procedure,
        ledger: ConsentLedger,
        *,
        code: str,
        now: dt.datetime,
        number: int | None = None,
        corrects: int | None = None,
        target: str = "",
    ) -> None:
        super().__init__()
        self.kind = kind
        self.procedure = procedure
        self.ledger = ledger
        self.code = code
        self.now = now
        self.number = number
        self.corrects = corrects
        self.target = target

    def title_text(self) -> str:
        return _("{step} · case {code}").format(
            step=translate(STEP_LABELS[self.kind]), code=self.code
        )

    # -- the form ----------------------------------------------------------------------

    def fields(self) -> Iterable[Widget]:
        yield Static(Text(""), id="refusal")
        hint = STEP_EXPLANATIONS.get(self.kind)
        if self.kind == "addendum":
            yield Static(
                Text(
                    _(
                        "The step stays as it was recorded; this note is added to it: {target}"
                    ).format(target=self.target)
                ),
                id="step-hint",
            )
        elif hint:
            yield Static(Text(translate(hint)), id="step-hint")
        yield from self._specific_fields()
        yield FormField(_("When"), MomentField(self.now), field="at")

    def _specific_fields(self) -> Iterable[Widget]:
        kind = self.kind
        if kind == "ground":
            options = [
                (
                    Text(translate(GROUND_LABELS[g]) + " — " + translate(GROUND_EXPLANATIONS[g])),
                    g,
                )
                for g in GROUNDS
            ]
            yield FormField(
                _("Ground"), Select(options, id="ground", prompt=_("Choose")), field="ground"
            )
        elif kind == "legal_basis":
            yield FormField(
                _("Legal basis"),
                Input(id="legal_basis", placeholder=_("e.g. art. 160 Sv, court order of …")),
                field="legal_basis",
            )
            yield FormField(
                _("Who demands the disclosure"), Input(id="demanded_by"), field="demanded_by"
            )
        elif kind == "condition":
            conditions = [(Text(f"{n}. {condition_title(n)}"), n) for n in CONDITIONS]
            select: Select[int] = Select(conditions, id="number", prompt=_("Choose"))
            if self.number is not None:
                select = Select(conditions, id="number", value=self.number, allow_blank=False)
            yield FormField(_("Condition"), select, field="number")
            earlier = self.procedure.conditions().get(self.number or 0, "")
            yield FormField(
                _("Your explanation"),
                _area("explanation"),
                hint=_("Your earlier explanation stays on record; this one counts from now.")
                if earlier
                else "",
                field="conditions",
            )
        elif kind == "consent_attempt":
            yield FormField(
                _("What you did, and the answer"), _area("description"), field="consent_attempts"
            )
        elif kind == "consultation":
            yield FormField(
                _("Consulted"),
                Input(id="consulted", placeholder=_("e.g. LVV helpdesk, anonymised")),
                field="consulted",
            )
            yield FormField(_("Notes (optional)"), _area("notes"), field="notes")
        elif kind == "informing":
            yield FormField(
                _("How"),
                Input(id="how", placeholder=_("in person, by phone, …")),
                field="informed_how",
            )
            yield FormField(
                _("The reporter's reaction"), _area("reaction"), field="reporter_reaction"
            )
        elif kind == "informing_forbidden":
            yield FormField(
                _("Forbidden by"), Input(id="forbidden_by"), field="informing_forbidden_by"
            )
            yield FormField(
                _("Reference"), Input(id="reference"), field="informing_forbidden_reference"
            )
        elif kind == "referral_offer":
            options = [
                (Text(_("yes, offered")), "yes"),
                (Text(_("no")), "no"),
                (Text(_("not known")), "unknown"),
            ]
            yield FormField(
                _("Offered"),
                Select(options, id="offered", value="yes", allow_blank=False),
                field="offered",
            )
            yield FormField(_("How, or why not"), _area("explanation"), field="referral_offered")
        elif kind == "justification":
            yield FormField(_("Justification"), _area("text"), field="justification")
        elif kind == "disclosure":
            yield FormField(
                _("To whom (role, organisation)"), Input(id="recipient"), field="recipient"
            )
            yield FormField(_("How"), Input(id="how"), field="disclosed_how")
            yield FormField(_("What you shared"), _area("what"), field="disclosed")
            selections = [Selection(Text(translate(SCOPE_LABELS[k])), k) for k in SCOPE_KEYS]
            yield FormField(
                _("Shared (space marks)"),
                TickList(*selections, id="shared"),
                hint=_("Only the minimum necessary, only with whom must know it."),
                field="shared",
            )
        elif kind == "abandonment":
            yield FormField(_("Why not"), _area("reason"), field="reason")
        elif kind == "addendum":
            yield FormField(_("Addendum"), _area("text"), field="text")

    def on_mount(self) -> None:
        """A condition chosen beforehand: the cursor waits in the explanation."""
        if self.kind == "condition" and self.number is not None:
            self.call_after_refresh(self.query_one("#explanation").focus)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Shows the focused field whole, with its label and problem (Tab at 80x24)."""
        self.call_after_refresh(self._show_focused, event.widget)

    def _show_focused(self, widget: Widget) -> None:
        dialog = self.query_one("#dialog", VerticalScroll)
        if self.focused is not widget or widget is dialog or not widget.is_attached:
            return
        view = dialog.scrollable_content_region
        field = next((a for a in widget.ancestors if isinstance(a, FormField)), None)
        shown = field if field is not None and field.region.height <= view.height else widget
        if not view.contains_region(shown.region):
            dialog.scroll_to_widget(shown, animate=False, immediate=True)
            if shown is not widget:
                dialog.scroll_to_widget(widget, animate=False, immediate=True)

    # -- reading the form --------------------------------------------------------------

    def _text(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text.strip()
        assert isinstance(widget, Input)
        return widget.value.strip()

    def _step(self, at: dt.datetime) -> Step:
        kind = self.kind
        values: dict[str, Any] = {"at": at}
        if kind == "ground":
            ground = self.query_one("#ground", Select)
            values["ground"] = "" if ground.is_blank() else ground.value
        elif kind == "legal_basis":
            values |= {
                "legal_basis": self._text("legal_basis"),
                "demanded_by": self._text("demanded_by"),
            }
        elif kind == "condition":
            number = self.query_one("#number", Select)
            values |= {
                "number": 0 if number.is_blank() else number.value,
                "explanation": self._text("explanation"),
            }
        elif kind == "consent_attempt":
            values["description"] = self._text("description")
        elif kind == "consultation":
            values |= {"consulted": self._text("consulted"), "notes": self._text("notes")}
        elif kind == "informing":
            values |= {"how": self._text("how"), "reaction": self._text("reaction")}
        elif kind == "informing_forbidden":
            values |= {
                "forbidden_by": self._text("forbidden_by"),
                "reference": self._text("reference"),
            }
        elif kind == "referral_offer":
            offered = self.query_one("#offered", Select).value
            values |= {
                "offered": {"yes": True, "no": False}.get(str(offered)),
                "explanation": self._text("explanation"),
            }
        elif kind == "justification":
            values["text"] = self._text("text")
        elif kind == "disclosure":
            values |= {
                "recipient": self._text("recipient"),
                "how": self._text("how"),
                "what": self._text("what"),
                "shared": frozenset(self.query_one("#shared", SelectionList).selected),
            }
        elif kind == "abandonment":
            values["reason"] = self._text("reason")
        elif kind == "addendum":
            values |= {"text": self._text("text"), "corrects": self.corrects}
        return STEP_TYPES[kind](**values)

    def build(self) -> Store | list[tuple[str, str]]:
        moment_field = self.query_one(MomentField)
        at = moment_field.moment
        if at is None:
            return [("at", moment_field.problem or "")]
        step = self._step(at)
        if isinstance(step, Disclosure) and not (step.recipient or "").strip():
            return [("recipient", _("Say to whom you disclosed."))]
        # "In the future" means after the moment of saving, not of opening the dialog.
        now = self.context.now()
        problems = step_problems(self.procedure, step, ledger=self.ledger, now=now)
        if problems:
            return problems
        procedure_id = self.procedure.id
        assert procedure_id is not None

        def store(vault: Vault) -> Procedure:
            from confidant_tui.services.protocol import record_step

            return record_step(vault, procedure_id, step, now=now)

        return store

    def action_save(self) -> None:
        """Checks the step; a closing step asks once more before it is stored."""
        if self.kind not in CLOSING or self._saving:
            super().action_save()
            return
        built = self.build()
        if isinstance(built, list):
            self.show_problems(built)
            return

        if self.kind == "disclosure":
            question = _(
                "Record the disclosure? The procedure is then closed: later you can only add "
                "addenda."
            )
        else:
            question = _(
                "Close this procedure without disclosing? Later you can only add addenda; if the "
                "situation changes, open a new procedure."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                FormModal.action_save(self)

        self.app.push_screen(ConfirmModal(question, confirm=_("Record"), danger=True), answered)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Problems of this form's fields go under them; missing steps go on top."""
        names = {f.field for f in self.query(FormField)}
        placed: list[tuple[str, str]] = []
        missing: list[str] = []
        for path, message in problems:
            name = (
                "at"
                if path in _AT_FIELDS and (self.kind != "disclosure" or path != "informed_at")
                else path
            )
            head = name.split(".")[0]
            if head in names:
                placed.append((head, message))
            else:
                missing.append(message)
        super().show_problems(placed)
        refusal = self.query_one("#refusal", Static)
        refusal.set_class(bool(missing), "-shown")
        if missing:
            text = Text(_("This cannot be recorded yet:") + "\n", style="bold")
            for message in missing:
                text.append("• " + message + "\n")
            text.rstrip()
            refusal.update(text)
            dialog = self.query_one("#dialog", VerticalScroll)
            dialog.scroll_home(animate=False)
            if not placed:
                # The refusal is read from the top: the focus goes to the dialog itself, whose
                # arrow keys scroll through it (Tab goes on to the fields).
                dialog.focus(scroll_visible=False)
