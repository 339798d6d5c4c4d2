"""Provides `ProtocolScreen`: one "vertrouwelijk, tenzij" procedure, built step by step.

The adviser opens a procedure from the case file, chooses the ground, and records steps in
any order over days: the LVV conditions (left, as a checklist in the adviser's own words),
attempts to get consent, a consultation, informing the reporter, the justification, and at
last the disclosure (or the decision not to disclose). Under the checklist the screen lists
what the protocol still asks before a disclosure may be recorded — the rules' own
messages — and the right side shows every step as recorded, final, with its addenda.
The status line and the missing steps are built in `ui/presenters/protocol_status.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, OptionList, Static
from textual.worker import get_current_worker

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.protocol import (
    GROUNDS,
    LEGAL_DUTIES,
    Procedure,
)
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import N_, _, format_moment
from confidant_tui.i18n import _ as translate
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.modals.protocol_step import StepModal
from confidant_tui.ui.presenters.protocol_status import missing_steps, missing_text, status_text
from confidant_tui.ui.presenters.protocol_steps import step_detail, step_name, step_summary
from confidant_tui.ui.presenters.protocol_texts import (
    GROUND_EXPLANATIONS,
    GROUND_LABELS,
    STEP_EXPLANATIONS,
    STEP_LABELS,
    ground_label,
    label,
)
from confidant_tui.ui.screen_commands import PROTOCOL_COMMANDS
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.lvv_checklist import LvvChecklist

STEP_MENU = (
    "condition",
    "consent_attempt",
    "consultation",
    "informing",
    "referral_offer",
    "justification",
    "ground",
    "legal_basis",
    "informing_forbidden",
    "disclosure",
    "abandonment",
)
"""The steps offered by `s`, in the order an adviser usually meets them."""


def ground_choices(with_undecided: bool) -> list[tuple[str, str, str]]:
    """The grounds as (key, label, explanation) for a `ChoiceModal`."""
    choices = [(g, translate(GROUND_LABELS[g]), translate(GROUND_EXPLANATIONS[g])) for g in GROUNDS]
    if with_undecided:
        choices.append(
            ("", _("Not decided yet"), _("Start recording now; choose the ground later (g)."))
        )
    return choices


class ProtocolScreen(BaseScreen):
    """One protocol procedure of a case.

    Args:
        case_id: the case.
        procedure_id: the procedure to show; None asks for the ground and opens a new one.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "A protocol procedure records, step by step, why and how confidentiality is broken. "
        "Record the steps in any order, over as many days as needed; each step is final once "
        "saved (c adds an addendum to the highlighted step). Left: the eight LVV conditions; "
        "press 1 to 8 (or Enter on a line) to explain one in your own words. Below them: what "
        "is still missing before a disclosure may be recorded. s records any other step "
        "(consent attempt, consultation, informing the reporter, referral, justification); "
        "d records the disclosure, which is refused, with the reason, while a step is missing. "
        "x closes the procedure without disclosing: when you decided not to break "
        "confidentiality, or opened the procedure by mistake (it stays on record as closed). "
        "Escape goes back to the case file."
    )
    BINDINGS: ClassVar = [
        Binding("s", "step_menu", N_("Step")),
        Binding("1", "condition(1)", N_("Condition"), key_display="1-8"),
        *(Binding(str(n), f"condition({n})", show=False) for n in range(2, 9)),
        Binding("i", "step('informing')", N_("Informed"), show=False),
        Binding("j", "step('justification')", N_("Justification"), show=False),
        Binding("a", "step('consent_attempt')", N_("Consent attempt"), show=False),
        Binding("o", "step('consultation')", N_("Consultation"), show=False),
        Binding("g", "step('ground')", N_("Ground"), show=False),
        Binding("d", "step('disclosure')", N_("Disclosure")),
        Binding("x", "step('abandonment')", N_("Don't disclose")),
        Binding("c", "correct", N_("Addendum"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """The procedure, the consent ledger and the case code were read."""

        def __init__(self, procedure: Procedure, ledger: ConsentLedger, code: str) -> None:
            super().__init__()
            self.procedure = procedure
            self.ledger = ledger
            self.code = code

    class Opened(Message):
        """A new procedure was opened."""

        def __init__(self, procedure_id: int) -> None:
            super().__init__()
            self.procedure_id = procedure_id

    def __init__(self, case_id: int, procedure_id: int | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.procedure_id = procedure_id
        self.procedure: Procedure | None = None
        self.ledger = ConsentLedger()
        self.code = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Protocol procedure")), id="proc-title")
        yield Static(Text(""), id="proc-status")
        with Horizontal(id="proc-body"):
            with Vertical(id="proc-left"):
                yield Static(Text(_("The eight LVV conditions"), style="bold"), id="lvv-title")
                yield LvvChecklist(id="lvv")
                with VerticalScroll(id="missing-pane"):
                    yield Static(Text(""), id="missing")
            with Vertical(id="proc-right"):
                table: DataTable[Text] = DataTable(id="steps", cursor_type="row")
                yield table
                with VerticalScroll(id="step-detail-pane"):
                    yield Static(Text(""), id="step-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        table.add_column(_("When"), key="when", width=16)
        table.add_column(_("Step"), key="kind", width=14)
        table.add_column(_("Summary"), key="summary")
        self.query_one("#lvv", LvvChecklist).focus()
        if self.procedure_id is None:
            self._ask_ground()
        else:
            self.load()

    def lock_snapshot(self) -> Restorer | None:
        """Comes back on the same procedure (a procedure not opened yet is dropped)."""
        if self.procedure_id is None:
            return None
        return partial(ProtocolScreen, self.case_id, self.procedure_id)

    # -- opening and loading -------------------------------------------------------------

    def _ask_ground(self) -> None:
        def chosen(ground: str | None) -> None:
            if ground is None:
                self.dismiss()
            else:
                self._open(ground or None, self.context.now())

        self.app.push_screen(
            ChoiceModal(
                _("On what ground may confidentiality be broken?"),
                ground_choices(with_undecided=True),
                intro=_(
                    "A procedure records why and how you break confidentiality. You can record "
                    "its steps over several days; nothing is shared by opening it."
                ),
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="protocol-open")
    def _open(self, ground: str | None, now: dt.datetime) -> None:
        from confidant_tui.services.protocol import open_procedure

        procedure_id = open_procedure(self.context.vault, self.case_id, ground, now=now)
        self.post_message(self.Opened(procedure_id))

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        self.procedure_id = message.procedure_id
        self.load()

    def load(self) -> None:
        """Reads the procedure and the case's consents again."""
        if self.procedure_id is not None:
            self._read(self.procedure_id)

    @work(thread=True, exclusive=True, group="protocol")
    def _read(self, procedure_id: int) -> None:
        from confidant_tui.services.cases import get_case
        from confidant_tui.services.consent import consent_ledger
        from confidant_tui.services.protocol import get_procedure

        try:
            vault = self.context.vault
            procedure = get_procedure(vault, procedure_id)
            ledger = consent_ledger(vault, self.case_id)
            code = get_case(vault, self.case_id).code
        except VaultLocked:
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(procedure, ledger, code))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.procedure = procedure = message.procedure
        self.refresh_bindings()  # a closed procedure takes fewer keys (`check_action`)
        self.ledger, self.code = message.ledger, message.code
        title = Text(_("Protocol procedure · case {code}").format(code=self.code), style="bold")
        title.append("  ·  " + ground_label(procedure.effective_ground))
        title.append("  ·  " + _("opened {when}").format(when=format_moment(procedure.opened_at)))
        self.query_one("#proc-title", Static).update(title)
        self.query_one("#lvv", LvvChecklist).show(procedure)
        self._show_state(procedure)
        self._show_steps(procedure)

    def _show_state(self, procedure: Procedure) -> None:
        missing = self.missing()
        line, warning = status_text(procedure, missing)
        status = self.query_one("#proc-status", Static)
        status.set_class(warning, "-warning")
        status.update(line)
        self.query_one("#missing", Static).update(missing_text(procedure, missing))

    def missing(self) -> list[str]:
        """The rules' messages for what a disclosure recorded now would still lack."""
        return missing_steps(self.procedure, self.ledger, self.context.now())

    def _show_steps(self, procedure: Procedure) -> None:
        table = self.query_one("#steps", DataTable)
        current = self._current_step_id()
        table.clear()
        effective = {s.id for s in procedure.effective_steps()}
        for step in procedure.steps:
            counts = step.kind == "addendum" or step.id in effective
            style = "" if counts else "dim strike"
            table.add_row(
                Text(format_moment(step.at), style=style),
                Text(label(STEP_LABELS, step.kind), style=style),
                step_summary(procedure, step),
                key=f"step-{step.id}",
            )
        if not table.row_count:
            self.query_one("#step-detail", Static).update(
                Text(_("No steps yet. Press 1 to 8 to explain a condition, s for any step."))
            )
            return
        wanted = f"step-{current}" if current is not None else f"step-{procedure.steps[-1].id}"
        try:
            table.move_cursor(row=table.get_row_index(wanted))
        except Exception:
            table.move_cursor(row=table.row_count - 1)
        self._show_detail()

    def _current_step_id(self) -> int | None:
        table = self.query_one("#steps", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(str(key)[5:]) if key else None

    def _show_detail(self) -> None:
        step_id = self._current_step_id()
        procedure = self.procedure
        if procedure is None or step_id is None:
            return
        step = procedure.step_by_id(step_id)
        if step is not None:
            self.query_one("#step-detail", Static).update(step_detail(procedure, step))

    @on(DataTable.RowHighlighted, "#steps")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#lvv")
    def _condition_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_condition(int(str(event.option.id)[5:]))

    # -- actions -------------------------------------------------------------------------

    def _step_modal(self, kind: str, **kwargs: object) -> None:
        procedure = self.procedure
        if procedure is None:
            return
        if procedure.is_closed and kind not in ("addendum", "informing"):
            self.notify(
                _("This procedure is closed; c adds an addendum to the highlighted step."),
                severity="warning",
            )
            return

        def done(stored: bool | None) -> None:
            if stored:
                self.notify(_("Recorded. The step is final; c adds an addendum to it."))
                self.load()

        self.app.push_screen(
            StepModal(
                kind,
                procedure,
                self.ledger,
                code=self.code,
                now=self.context.now(),
                # kwargs are the step-specific keyword arguments of StepModal, by kind.
                **kwargs,  # type: ignore[arg-type]
            ),
            done,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A closed procedure takes no new step but an addendum (c) or the informing of the
        reporter: the keys of the others show as unavailable."""
        procedure = self.procedure
        if procedure is None or not procedure.is_closed:
            return True
        if action in ("step_menu", "condition"):
            return None
        if action == "step" and parameters and parameters[0] not in ("addendum", "informing"):
            return None
        return True

    def action_step(self, kind: str) -> None:
        """Records a step of this kind (i, j, a, o, g, d; x closes without disclosing)."""
        self._step_modal(kind)

    def action_condition(self, number: int) -> None:
        """Explains LVV condition `number` (1-8)."""
        self._step_modal("condition", number=number)

    def action_step_menu(self) -> None:
        """Shows every step with what it means, and records the chosen one (s)."""
        procedure = self.procedure
        if procedure is None:
            return

        ground = procedure.effective_ground
        kinds = [
            k
            for k in STEP_MENU
            if (k != "legal_basis" or ground in LEGAL_DUTIES)
            and (k != "informing_forbidden" or ground == "duty_to_disclose")
        ]
        choices = [(k, label(STEP_LABELS, k), translate(STEP_EXPLANATIONS[k])) for k in kinds]

        def chosen(kind: str | None) -> None:
            if kind:
                self._step_modal(kind)

        self.app.push_screen(ChoiceModal(_("Which step do you record?"), choices), chosen)

    def action_correct(self) -> None:
        """Adds an addendum pointing to the highlighted step (c)."""
        procedure = self.procedure
        step_id = self._current_step_id()
        step = procedure.step_by_id(step_id) if procedure and step_id is not None else None
        if procedure is None or step is None:
            self.notify(_("Highlight a step on the right first."), severity="warning")
            return
        self._step_modal("addendum", corrects=step.id, target=step_name(procedure, step))

    def action_back(self) -> None:
        """Goes back to the case file (Escape)."""
        self.dismiss()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """The procedure's own commands in the palette."""
        return PROTOCOL_COMMANDS
