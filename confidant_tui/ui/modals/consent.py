"""Provides `ConsentModal`: records a consent the reporter gave (what, for what, how, when)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList
from textual.widgets.selection_list import Selection

from confidant_tui.domain.consent import (
    FORMS,
    PURPOSES,
    REFERRAL_DESTINATIONS,
    SCOPE_KEYS,
    ConsentRecord,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store, input_text, select_key
from confidant_tui.ui.presenters.protocol_texts import (
    FORM_LABELS,
    PURPOSE_LABELS,
    SCOPE_LABELS,
    label,
)
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.marks import TickList
from confidant_tui.ui.widgets.moment_field import MomentField


class ConsentModal(FormModal):
    """Asks for the purpose (and destination), the scope, oral or written, and when.

    Args:
        case_id: the case.
        code: its code (for the heading).
        taxonomy: for the referral destinations.
        now: the default moment (the rules use the app's clock at saving).
        purpose: the purpose chosen first (None: none yet).
        destination: the referral destination chosen first (None: none yet).
        scope: the scope keys ticked first (the referral screen asks for the one missing).
    """

    DEFAULT_CSS = """
    ConsentModal #dialog { width: 76; }
    ConsentModal SelectionList { height: auto; max-height: 10; }
    """

    def __init__(
        self,
        case_id: int,
        code: str,
        taxonomy: Taxonomy,
        now: dt.datetime,
        *,
        purpose: str | None = None,
        destination: str | None = None,
        scope: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.taxonomy = taxonomy
        self.now = now
        self.purpose = purpose
        self.destination = destination
        self.scope = frozenset(scope)

    def title_text(self) -> str:
        return _("Consent in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        purposes = [(Text(label(PURPOSE_LABELS, p)), p) for p in PURPOSES]
        yield FormField(
            _("Consent for"),
            Select(purposes, id="purpose", prompt=_("Choose"), value=self.purpose or Select.NULL),
            field="purpose",
        )
        # The shipped destinations, then the organisations' own (`own.*`).
        keys = [*REFERRAL_DESTINATIONS]
        keys += [d for d in self.taxonomy.keys("destination") if d not in REFERRAL_DESTINATIONS]
        destinations = [(Text(self.taxonomy.label("destination", d)), d) for d in keys]
        yield FormField(
            _("Referred to (only for a referral)"),
            Select(
                destinations,
                id="destination",
                prompt=_("Choose"),
                value=self.destination or Select.NULL,
            ),
            field="destination",
        )
        yield FormField(
            _("What may be shared (space marks)"),
            TickList(
                *(Selection(Text(label(SCOPE_LABELS, k)), k, k in self.scope) for k in SCOPE_KEYS),
                id="scope",
            ),
            hint=_("Only what the reporter agreed to, nothing more."),
            field="scope",
        )
        forms = [(Text(label(FORM_LABELS, f)), f) for f in FORMS]
        yield FormField(
            _("Given"), Select(forms, id="form", value="oral", allow_blank=False), field="form"
        )
        yield FormField(_("When"), MomentField(self.now, id_prefix="given"), field="date")
        yield FormField(_("Note (optional)"), Input(id="note"), field="note")

    def build(self) -> Store | list[tuple[str, str]]:
        moment_field = self.query_one(MomentField)
        purpose = select_key(self.query_one("#purpose", Select))
        problems = []
        if purpose is None:
            problems.append(("purpose", _("Choose what the consent is for.")))
        if moment_field.moment is None:
            problems.append(("date", moment_field.problem or ""))
        if problems or purpose is None or moment_field.moment is None:
            return problems
        destination = select_key(self.query_one("#destination", Select))
        record = ConsentRecord(
            purpose=purpose,
            scope=frozenset(self.query_one("#scope", SelectionList).selected),
            form=str(self.query_one("#form", Select).value),
            given_at=moment_field.moment,
            destination=destination if purpose == "referral" else None,
            note=input_text(self.query_one("#note", Input)),
        )
        case_id, now = self.case_id, self.context.now()

        def store(vault: Vault) -> int:
            from confidant_tui.services.consent import record_consent

            return record_consent(vault, case_id, record, now=now)

        return store
