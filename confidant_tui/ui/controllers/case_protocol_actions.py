"""Provides the case file's protocol actions: procedure, consent, withdrawal, request, prompt.

The case file (`ui/screens/case_file.py`) binds keys to these functions so that it stays
small: each opens the right screen or dialog for the case on screen and reloads the case
file once something was recorded. `confidentiality_prompt` is the gentle reminder at the
first conversation of a case to explain the limits of confidentiality. What the functions
need of the case file is the `CaseScreen` protocol.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App
from textual.notifications import SeverityLevel

from confidant_tui.domain.cases import Case
from confidant_tui.i18n import _
from confidant_tui.services.cases import update_facts
from confidant_tui.ui import navigation
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.consent import ConsentModal
from confidant_tui.ui.modals.information_request import InformationRequestModal
from confidant_tui.ui.modals.withdrawal import WithdrawalModal, withdrawable
from confidant_tui.ui.presenters.case_protocol import ProtocolView


class CaseScreen(Protocol):
    """What the protocol actions need of the screen showing a case (the case file)."""

    @property
    def app(self) -> App[Any]:
        """The running app (to push screens and dialogs, and run workers)."""
        ...

    @property
    def context(self) -> AppContext:
        """The app's context (vault, taxonomy, clock)."""
        ...

    @property
    def case(self) -> Case | None:
        """The case on screen (None while it is being read)."""
        ...

    @property
    def protocol_view(self) -> ProtocolView:
        """The case's procedures, consents and requests, as last read."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Shows a notification."""
        ...

    def load(self) -> None:
        """Reads the case again from the vault."""
        ...


def _reload_when_stored(screen: CaseScreen) -> Callable[[bool | None], None]:
    def done(stored: bool | None) -> None:
        if stored:
            screen.notify(_("Saved."))
            screen.load()

    return done


def open_procedure(screen: CaseScreen, procedure_id: int | None = None) -> None:
    """Continues the case's open procedure, or opens a new one (asking for the ground)."""
    if screen.case is None:
        return
    if procedure_id is None:
        current = screen.protocol_view.current
        procedure_id = current.id if current is not None else None
    navigation.open_protocol(screen.app, screen.case.id, procedure_id)


def record_consent(screen: CaseScreen) -> None:
    """Records a consent the reporter gave."""
    case, context = screen.case, screen.context
    if case is not None:
        modal = ConsentModal(case.id, case.code, context.taxonomy, context.now())
        screen.app.push_screen(modal, _reload_when_stored(screen))


def withdraw_consent(screen: CaseScreen) -> None:
    """Records that the reporter withdrew a consent."""
    case = screen.case
    if case is None:
        return
    ledger = screen.protocol_view.ledger
    if not withdrawable(ledger):
        screen.notify(_("There is no consent in force to withdraw."), severity="warning")
        return
    modal = WithdrawalModal(case.id, case.code, ledger, screen.context.now())
    screen.app.push_screen(modal, _reload_when_stored(screen))


def information_request(screen: CaseScreen) -> None:
    """Records a request for information from a third party, and the answer."""
    case = screen.case
    if case is not None:
        modal = InformationRequestModal(
            case.id, case.code, screen.protocol_view.ledger, screen.context.now()
        )
        screen.app.push_screen(modal, _reload_when_stored(screen))


def confidentiality_prompt(screen: CaseScreen, then: Callable[[], None]) -> None:
    """At the first conversation of a case, reminds the adviser to explain the limits.

    Asks only when the case has no conversation yet and the explanation is not recorded;
    "explained today" records today's date on the case. `then` runs in every case.
    """
    case = screen.case
    if case is None or case.conversations or case.facts.confidentiality_explained is not None:
        then()
        return

    def answered(explained: bool | None) -> None:
        if explained:
            _record_explained(screen, case)
        then()

    screen.app.push_screen(
        ConfirmModal(
            _(
                "This is the first conversation in this case. Explain the limits of "
                'confidentiality ("vertrouwelijk, tenzij"): what you share only with consent, '
                "and when you may have to break confidentiality. Record that you explained "
                "it today?"
            ),
            confirm=_("Explained today"),
            cancel=_("Not now"),
            safe_default=True,
        ),
        answered,
    )


def _record_explained(screen: CaseScreen, case: Case) -> None:
    context = screen.context
    today, taxonomy = context.today(), context.taxonomy
    facts = dataclasses.replace(case.facts, confidentiality_explained=today)

    def store() -> None:
        update_facts(context.vault, case.id, facts, today=today, taxonomy=taxonomy)

    screen.app.run_worker(store, thread=True, group="confidentiality-explained")
