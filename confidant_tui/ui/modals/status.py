"""Provides `StatusModal`: changes a case's status (aftercare, closed, reopened) on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from textual.widget import Widget

from confidant_tui.domain.cases import Case
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect


class StatusModal(FormModal):
    """Asks for the new status and its date, and records the change.

    Args:
        case_id: the case.
        code: its code (for the heading).
        current: the current status; it is not offered again.
        taxonomy: for the status labels.
        today: the default date.
    """

    def __init__(
        self, case_id: int, code: str, current: str, taxonomy: Taxonomy, today: dt.date
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.current = current
        self.taxonomy = taxonomy
        self.today = today

    def title_text(self) -> str:
        return _("Change the status of case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        choices = [k for k in self.taxonomy.keys("status") if k != self.current]
        first = "closed" if self.current == "aftercare" else choices[0]
        if self.current == "closed":
            first = "open"
        yield FormField(
            _("New status"),
            KeySelect(self.taxonomy, "status", first, keys=choices, allow_blank=False, id="status"),
            hint=_("Choose Open to reopen a closed case."),
            field="status",
        )
        yield FormField(_("Date"), DateField(self.today, today=self.today, id="date"), field="date")

    def build(self) -> Store | list[tuple[str, str]]:
        date_field = self.query_one("#date", DateField)
        status = self.query_one("#status", KeySelect).key
        if date_field.problem or date_field.date is None:
            return [("date", date_field.problem or _("Give the date of the change."))]
        if status is None:
            return [("status", _("Choose the new status."))]
        case_id, date, today = self.case_id, date_field.date, self.context.today()

        def store(vault: Vault) -> Case:
            from confidant_tui.services.cases import change_status

            return change_status(vault, case_id, status, date, today=today)

        return store
