"""Provides `PostponeModal`: keeps a closed case past its retention day, for a reason.

The adviser gives a reason (required; kept with the case and shown in the list of postponed
cases, never written to the audit log) and the day until which the case is kept (after
today). The postponement is recorded and audited (code and day); from that day the case is
due again. A case already postponed can be postponed again: the latest decision counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Static

from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import InvalidInput, ValidationError
from confidant_tui.i18n import _
from confidant_tui.services import retention
from confidant_tui.services.retention import DueCase
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.presenters.literal import literal_text, neutralise
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.literal_fields import LiteralInput


class PostponeModal(FormModal):
    """Asks why and until when the destruction of `case` is postponed, and records it.

    Args:
        case: the due (or already postponed) case.
    """

    DEFAULT_CSS = """
    PostponeModal #dialog { width: 72; }
    PostponeModal #about { margin-bottom: 1; }
    """

    def __init__(self, case: DueCase) -> None:
        super().__init__()
        self.case = case

    def title_text(self) -> str:
        code = neutralise(self.case.code, single_line=True)  # the title is plain text
        return _("Postpone the destruction of {code}").format(code=code)

    def fields(self) -> Iterable[Widget]:
        case = self.case
        about = literal_text(case.organisation, single_line=True)
        about.append(" · ")
        if case.postponed_until is not None:
            about.append(_("kept until {date}").format(date=long_date(case.postponed_until)))
        else:
            about.append(_("due since {date}").format(date=long_date(case.due_on)))
        about.append(" · ")
        about.append_text(literal_text(case.reason))
        yield Static(about, id="about")
        yield FormField(
            _("Reason"),
            LiteralInput(case.postponement_reason or "", id="reason"),
            hint=_("Shown in the postponed list; the audit log keeps only the day."),
            field="reason",
        )
        yield FormField(
            _("Keep until (a day after today)"),
            DateField(case.postponed_until, today=self.context.today(), id="until"),
            field="until",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reason", LiteralInput).focus()

    def build(self) -> Store | list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        reason = self.query_one("#reason", LiteralInput).stored_value.strip()
        if not reason:
            problems.append(("reason", _("Give a reason for postponing the destruction.")))
        field = self.query_one("#until", DateField)
        today = self.context.today()
        until = field.date
        if field.problem:
            problems.append(("until", field.problem))
        elif until is None:
            problems.append(("until", _("Enter the day until which the case is kept.")))
        elif until <= today:
            problems.append(("until", _("Postpone the destruction to a day after today.")))
        if problems or until is None:
            return problems
        code, now = self.case.code, self.context.now()

        def store(vault: Vault) -> None:
            try:
                retention.postpone(vault, code, until=until, reason=reason, now=now)
            except ValidationError:
                raise
            except InvalidInput as error:
                raise ValidationError(error.message) from error

        return store
