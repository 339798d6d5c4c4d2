"""Provides `WithdrawalModal`: records that the reporter withdrew a consent (a new record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Select

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.i18n import _, format_moment
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store, input_text, select_key
from confidant_tui.ui.presenters.protocol_texts import PURPOSE_LABELS, label, scope_text
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.moment_field import MomentField


def withdrawable(ledger: ConsentLedger) -> list[tuple[Text, int]]:
    """The consents that can still be withdrawn, as Select options."""
    options = []
    for record in ledger.effective():
        if record.id is None or ledger.withdrawn_at(record.id) is not None:
            continue
        text = label(PURPOSE_LABELS, record.purpose)
        if record.destination:
            text += " → " + record.destination
        text += f" ({scope_text(record.scope)}; {format_moment(record.given_at)})"
        options.append((Text(text), record.id))
    return options


class WithdrawalModal(FormModal):
    """Asks which consent was withdrawn, and when; the consent itself stays on record.

    Args:
        case_id: the case.
        code: its code (for the heading).
        ledger: the case's consents.
        now: the default moment (the rules use the app's clock at saving).
    """

    DEFAULT_CSS = """
    WithdrawalModal #dialog { width: 76; }
    """

    def __init__(self, case_id: int, code: str, ledger: ConsentLedger, now: dt.datetime) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.ledger = ledger
        self.now = now

    def title_text(self) -> str:
        return _("Consent withdrawn in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        yield FormField(
            _("Which consent"),
            Select(withdrawable(self.ledger), id="consent", prompt=_("Choose")),
            hint=_("The consent stays on record; the withdrawal is added to it."),
            field="consent",
        )
        yield FormField(_("When"), MomentField(self.now, id_prefix="withdrawn"), field="date")
        yield FormField(_("Note (optional)"), Input(id="note"), field="note")

    def build(self) -> Store | list[tuple[str, str]]:
        consent_id = select_key(self.query_one("#consent", Select))
        moment_field = self.query_one(MomentField)
        problems = []
        if consent_id is None:
            problems.append(("consent", _("Choose the consent that was withdrawn.")))
        if moment_field.moment is None:
            problems.append(("date", moment_field.problem or ""))
        if problems or consent_id is None or moment_field.moment is None:
            return problems
        case_id, now, at = self.case_id, self.context.now(), moment_field.moment
        note = input_text(self.query_one("#note", Input))

        def store(vault: Vault) -> int:
            from confidant_tui.services.consent import withdraw_consent

            return withdraw_consent(vault, case_id, int(consent_id), at, note=note, now=now)

        return store
