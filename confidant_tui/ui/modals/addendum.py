"""Provides `LedgerAddendumModal`: a dated note added later to a consent, a withdrawal, an
information request or its answer.

The ledger is append-only: a recorded consent or request never changes. What was wrong or
missing is said in an addendum that points to the entry (as a protocol step gets one, and
an edited conversation keeps its earlier version); the case file shows it under the entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from confidant_tui.domain.consent import LedgerAddendum
from confidant_tui.i18n import _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.literal_fields import LiteralTextArea
from confidant_tui.ui.widgets.moment_field import MomentField


class LedgerAddendumModal(FormModal):
    """Asks when and what; the entry it points to stays as it was recorded.

    Args:
        case_id: the case.
        code: its code (for the heading).
        target: `consent`, `withdrawal`, `information_request` or `information_answer`.
        target_id: the entry's id.
        described: the entry as the adviser knows it (shown above the fields).
        now: the default moment.
    """

    DEFAULT_CSS = """
    LedgerAddendumModal #dialog { width: 76; }
    LedgerAddendumModal #target-text { margin-bottom: 1; }
    LedgerAddendumModal TextArea { height: 5; }
    """

    def __init__(
        self,
        case_id: int,
        code: str,
        target: str,
        target_id: int,
        described: Text,
        now: dt.datetime,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.target = target
        self.target_id = target_id
        self.described = described
        self.now = now

    def title_text(self) -> str:
        return _("Addendum in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        intro = Text(_("Adds to:") + " ", style="italic")
        intro.append_text(self.described)
        yield Static(intro, id="target-text")
        yield FormField(
            _("Addendum"),
            LiteralTextArea(id="text", soft_wrap=True, tab_behavior="focus"),
            hint=_("What was wrong or missing; the entry itself stays as it was recorded."),
            field="text",
        )
        yield FormField(_("When"), MomentField(self.now, id_prefix="addendum"), field="at")

    def build(self) -> Store | list[tuple[str, str]]:
        moment = self.query_one(MomentField)
        text = self.query_one("#text", LiteralTextArea).stored_text
        problems = []
        if not text.strip():
            problems.append(("text", _("An addendum needs its text.")))
        if moment.moment is None:
            problems.append(("at", moment.problem or ""))
        if problems or moment.moment is None:
            return problems
        addendum = LedgerAddendum(self.target, self.target_id, moment.moment, text)
        case_id, now = self.case_id, self.context.now()

        def store(vault: Vault) -> int:
            from confidant_tui.services.consent import add_ledger_addendum

            return add_ledger_addendum(vault, case_id, addendum, now=now)

        return store
