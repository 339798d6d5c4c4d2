"""Provides `ActivityModal`: records a piece of work outside cases, or changes one.

Advice to the board, an information session, peer supervision: each gets a kind, a date, a
duration (minutes or h:mm), a short subject and the adviser's own notes. A line under the
notes reminds the adviser that case content does not belong here: this record is counted in
the organisation's yearly report and kept apart from the case files. Like every `FormModal`,
what was typed is kept as a draft when the app locks with the dialog open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from confidant_tui.domain.activities import Activity, format_duration, parse_duration
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.services.activities import add_activity, update_activity
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.literal_fields import LiteralInput, LiteralTextArea
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect


class ActivityModal(FormModal):
    """Asks for the organisation, kind, date, duration, subject and notes of one entry.

    Args:
        taxonomy: for the labels of the kinds.
        organisations: the organisations an entry can be for (the active ones); a choice is
            offered only when there is more than one.
        today: the default date.
        activity: the entry to change (None: a new entry for `organisations[0]`).
    """

    DEFAULT_CSS = """
    ActivityModal #dialog { width: 72; }
    ActivityModal #notes { height: 4; }
    ActivityModal #minutes { width: 12; }
    ActivityModal .no-case-content { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        organisations: Sequence[str],
        today: dt.date,
        activity: Activity | None = None,
    ) -> None:
        super().__init__()
        self.taxonomy = taxonomy
        names = list(organisations)
        if activity is not None and activity.organisation not in names:
            names.append(activity.organisation)  # an archived organisation keeps its entries
        self.organisations = names
        self.today = today
        self.activity = activity

    def title_text(self) -> str:
        if self.activity is not None:
            return _("Work outside cases")
        return _("New work outside cases")

    def fields(self) -> Iterable[Widget]:
        activity = self.activity
        if len(self.organisations) > 1:
            options = [(literal_text(n, single_line=True), n) for n in self.organisations]
            yield FormField(
                _("Organisation"),
                Select(
                    options,
                    value=activity.organisation if activity else self.organisations[0],
                    allow_blank=False,
                    id="organisation",
                ),
                field="organisation",
            )
        yield FormField(
            _("Kind of work"),
            KeySelect(
                self.taxonomy,
                "activity",
                activity.kind if activity else None,
                id="kind",
                prompt=_("Choose"),
            ),
            field="kind",
        )
        yield Horizontal(
            FormField(
                _("Date"),
                DateField(activity.date if activity else self.today, today=self.today, id="date"),
                field="date",
            ),
            FormField(
                _("Duration (h:mm or minutes)"),
                Input(
                    format_duration(activity.minutes) if activity else "",
                    placeholder="1:30",
                    restrict=r"[0-9:uU]{0,5}",
                    id="minutes",
                ),
                field="minutes",
            ),
            classes="pair",
        )
        yield FormField(
            _("Subject"),
            LiteralInput(activity.subject if activity else "", id="subject"),
            field="subject",
        )
        yield FormField(
            _("Notes (optional)"),
            LiteralTextArea(activity.notes or "" if activity else "", id="notes"),
            field="notes",
        )
        yield Static(
            Text(_("No case content: names and details of cases do not belong here.")),
            classes="no-case-content",
        )

    def build(self) -> Store | list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        kind = self.query_one("#kind", KeySelect).key
        if kind is None:
            problems.append(("kind", _("Choose the kind of work.")))
        date_field = self.query_one("#date", DateField)
        if date_field.problem:
            problems.append(("date", date_field.problem))
        elif date_field.date is None:
            problems.append(("date", _("Enter the date.")))
        minutes: int | None = None
        try:
            minutes = parse_duration(self.query_one("#minutes", Input).value)
        except ValueError as error:
            problems.append(("minutes", str(error)))
        else:
            if minutes is None:
                problems.append(("minutes", _("Enter how long it took.")))
        if problems or kind is None or date_field.date is None or minutes is None:
            return problems
        activity = Activity(
            organisation=self._organisation(),
            kind=kind,
            date=date_field.date,
            minutes=minutes,
            subject=self.query_one("#subject", LiteralInput).stored_value,
            notes=self.query_one("#notes", LiteralTextArea).stored_text or None,
        )
        today, taxonomy = self.context.today(), self.context.taxonomy
        activity_id = self.activity.id if self.activity else None

        def store(vault: Vault) -> None:
            if activity_id is None:
                add_activity(vault, activity, today=today, taxonomy=taxonomy)
            else:
                update_activity(vault, activity_id, activity, today=today, taxonomy=taxonomy)

        return store

    def _organisation(self) -> str:
        found = self.query("#organisation")
        if found:
            value = found.only_one(Select).value
            if isinstance(value, str):
                return value
        if self.activity is not None:
            return self.activity.organisation
        return self.organisations[0] if self.organisations else ""
