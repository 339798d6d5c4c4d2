"""Provides `ReferralModal`: records a referral of the reporter to other help."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Input

from confidant_tui.domain.cases import Referral
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store, input_text
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.literal_fields import LiteralInput
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect


class ReferralModal(FormModal):
    """Asks for the destination, the date and a short note, and records the referral.

    Args:
        case_id: the case.
        code: its code (for the heading).
        taxonomy: for the destination labels.
        today: the default date.
        own_destinations: the keys of the case's organisation's own destinations, offered
            after the shipped ones (another organisation's are not).
    """

    def __init__(
        self,
        case_id: int,
        code: str,
        taxonomy: Taxonomy,
        today: dt.date,
        own_destinations: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.taxonomy = taxonomy
        self.today = today
        self.destinations = load_taxonomy().keys("destination") + own_destinations

    def title_text(self) -> str:
        return _("Referral in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        yield FormField(
            _("Referred to"),
            KeySelect(
                self.taxonomy,
                "destination",
                keys=self.destinations,
                id="to",
                prompt=_("Choose"),
            ),
            field="to",
        )
        yield FormField(_("Date"), DateField(self.today, today=self.today, id="date"), field="date")
        yield FormField(
            _("Note (optional)"),
            LiteralInput(id="note"),
            hint=_("Only what the reporter agreed to share goes in a referral."),
            field="note",
        )

    def build(self) -> Store | list[tuple[str, str]]:
        destination = self.query_one("#to", KeySelect).key
        date_field = self.query_one("#date", DateField)
        problems = []
        if destination is None:
            problems.append(("to", _("Choose where the reporter is referred to.")))
        if date_field.problem or date_field.date is None:
            problems.append(("date", date_field.problem or _("Give the date of the referral.")))
        if problems or destination is None or date_field.date is None:
            return problems
        referral = Referral(
            destination, date_field.date, input_text(self.query_one("#note", Input))
        )
        case_id, today, taxonomy = self.case_id, self.context.today(), self.context.taxonomy

        def store(vault: Vault) -> int:
            from confidant_tui.services.cases import add_referral

            return add_referral(vault, case_id, referral, today=today, taxonomy=taxonomy)

        return store
