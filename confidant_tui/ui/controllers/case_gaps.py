"""Provides the case file's later additions: answering a request, addenda to the ledger,
the reporter's identity, and the statistics opt-out.

The case file binds keys (and Enter on a ledger row) to these functions, as it does with
`case_protocol_actions`: each opens the right dialog for the case on screen and reloads the
case file once something was recorded.

- `a` answers an information request recorded without an answer (the highlighted one, or
  the only one open); Enter on an open request's row does the same.
- `n` adds an addendum to the highlighted consent, withdrawal or request (Enter on an
  answered request, a consent or a withdrawal does the same). The entry never changes.
- `I` opens the identity dialog (hidden until the adviser asks to see it).
- `o` leaves the case out of the yearly report, or counts it again, after a question.
"""

from __future__ import annotations

from typing import Protocol

from confidant_tui.domain.cases import Identity
from confidant_tui.domain.consent import LedgerAddendum
from confidant_tui.errors import ValidationError, VaultLocked
from confidant_tui.i18n import _
from confidant_tui.ui.controllers.case_protocol_actions import CaseScreen
from confidant_tui.ui.modals.addendum import LedgerAddendumModal
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.identity import IdentityModal
from confidant_tui.ui.modals.information_request import AnswerRequestModal
from confidant_tui.ui.presenters.case_gaps import LEDGER_ROWS, describe_entry, ledger_row


class GapsScreen(CaseScreen, Protocol):
    """What these actions need of the case file beyond `CaseScreen`."""

    @property
    def identity(self) -> Identity | None:
        """The identity the case file shows (None: hidden)."""
        ...

    @property
    def ledger_addenda(self) -> list[LedgerAddendum]:
        """The case's ledger addenda, as last read."""
        ...

    def current_row(self) -> str | None:
        """The key of the highlighted timeline row."""
        ...


def _reload(screen: GapsScreen, stored: bool | None) -> None:
    if stored and getattr(screen, "is_mounted", True):  # not after a lock removed it
        screen.notify(_("Saved."))
        screen.load()


def entry_selected(screen: GapsScreen, key: str) -> bool:
    """Enter on a ledger row: answers an open request, else adds an addendum. Returns
    whether the row was a ledger row."""
    found = ledger_row(key)
    if found is None:
        return False
    kind, row_id = found
    if kind == "request" and _unanswered(screen, row_id):
        answer_request(screen, row_id)
    else:
        add_addendum(screen, key)
    return True


def _unanswered(screen: GapsScreen, request_id: int) -> bool:
    return any(r.id == request_id and a is None for r, a in screen.protocol_view.requests)


def answer_request(screen: GapsScreen, request_id: int | None = None) -> None:
    """Records the answer to an open request: `request_id`, the highlighted one, or the
    only open one."""
    case = screen.case
    if case is None:
        return
    view = screen.protocol_view
    open_ids = [r.id for r, a in view.requests if a is None and r.id is not None]
    if request_id is None:
        found = ledger_row(screen.current_row())
        if found is not None and found[0] == "request" and found[1] in open_ids:
            request_id = found[1]
        elif len(open_ids) == 1:
            request_id = open_ids[0]
    if request_id is None or request_id not in open_ids:
        screen.notify(
            _("Highlight a request without an answer first (v records a new request).")
            if open_ids
            else _("Every information request of this case has its answer."),
            severity="warning",
        )
        return
    request = next(r for r, _a in view.requests if r.id == request_id)
    modal = AnswerRequestModal(case.id, case.code, request, view.ledger, screen.context.now())
    screen.app.push_screen(modal, lambda stored: _reload(screen, stored))


def add_addendum(screen: GapsScreen, key: str | None = None) -> None:
    """Adds an addendum to the consent, withdrawal or request on row `key` (default: the
    highlighted row)."""
    case = screen.case
    if case is None:
        return
    found = ledger_row(key if key is not None else screen.current_row())
    view = screen.protocol_view
    described = describe_entry(*found, view.ledger, view.requests) if found else None
    if found is None or described is None:
        screen.notify(
            _("Highlight a consent, a withdrawal or an information request first."),
            severity="warning",
        )
        return
    kind, row_id = found
    modal = LedgerAddendumModal(
        case.id, case.code, LEDGER_ROWS[kind], row_id, described, screen.context.now()
    )
    screen.app.push_screen(modal, lambda stored: _reload(screen, stored))


def edit_identity(screen: GapsScreen) -> None:
    """Opens the identity dialog (the identity shown only when the case file shows it)."""
    case = screen.case
    if case is not None:
        modal = IdentityModal(case.id, case.code, screen.identity)
        screen.app.push_screen(modal, lambda stored: _reload(screen, stored))


def toggle_statistics(screen: GapsScreen) -> None:
    """Leaves the case out of the yearly report, or counts it again, after a question."""
    case = screen.case
    if case is None:
        return
    context = screen.context
    counted = screen.protocol_view.ledger.counted_in_statistics(context.now())
    if counted:
        question = _(
            "Leave this case out of the yearly report, because the reporter does not want it "
            "counted? It is then left out of every report made from now on (recorded as a "
            "withdrawal of the consent to be counted; o counts it again)."
        )
        confirm = _("Leave out")
    else:
        question = _(
            "Count this case in the yearly report again? The reporter agreed to be counted "
            "(recorded as a new consent)."
        )
        confirm = _("Count again")
    case_id, app = case.id, screen.app

    def store() -> None:
        from confidant_tui.services import consent

        now = context.now()
        try:
            if counted:
                consent.opt_out_of_statistics(context.vault, case_id, now=now)
            else:
                consent.opt_in_to_statistics(context.vault, case_id, now=now)
        except VaultLocked:
            return
        except ValidationError as error:
            app.call_from_thread(screen.notify, error.message, severity="warning", markup=False)
            return
        app.call_from_thread(_reload, screen, True)

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(store, thread=True, group="statistics-opt-out")

    screen.app.push_screen(ConfirmModal(question, confirm=confirm, safe_default=True), answered)
