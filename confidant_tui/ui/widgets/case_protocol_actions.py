"""Provides the case file's protocol actions: procedure, consent, withdrawal, request, prompt.

The case file (`ui/screens/case_file.py`) binds keys to these functions so that it stays
small: each opens the right screen or dialog for the case on screen and reloads the case
file once something was recorded. `confidentiality_prompt` is the gentle reminder at the
first conversation of a case to explain the limits of confidentiality.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from confidant_tui.i18n import _
from confidant_tui.ui.widgets.case_context import taxonomy_of, today_of, vault_of
from confidant_tui.ui.widgets.case_protocol import CaseWarnings, ProtocolView
from confidant_tui.ui.widgets.consent_panel import ConsentPanel
from confidant_tui.ui.widgets.protocol_texts import now_of


def _view(screen: Any) -> ProtocolView:
    return getattr(screen, "protocol_view", None) or ProtocolView()


def show_protocol(screen: Screen[Any], view: ProtocolView | None) -> None:
    """Fills the case file's warnings and consent panel after the case was read."""
    screen.protocol_view = view or ProtocolView()  # type: ignore[attr-defined]
    case = getattr(screen, "case", None)
    if case is None:
        return
    for warnings in screen.query(CaseWarnings):
        warnings.show(case, screen.protocol_view)  # type: ignore[attr-defined]
    taxonomy = taxonomy_of(screen.app)
    names = {key: taxonomy.label("destination", key) for key in taxonomy.keys("destination")}
    for panel in screen.query(ConsentPanel):
        panel.show(screen.protocol_view.ledger, now_of(screen.app), names)  # type: ignore[attr-defined]


def _reload_when_stored(screen: Any) -> Callable[[bool | None], None]:
    def done(stored: bool | None) -> None:
        if stored:
            screen.notify(_("Saved."))
            screen.load()

    return done


def open_procedure(screen: Any, procedure_id: int | None = None) -> None:
    """Continues the case's open procedure, or opens a new one (asking for the ground)."""
    from confidant_tui.ui.screens.protocol import ProtocolScreen

    if screen.case is None:
        return
    if procedure_id is None:
        current = _view(screen).current
        procedure_id = current.id if current is not None else None
    screen.app.push_screen(ProtocolScreen(screen.case.id, procedure_id))


def record_consent(screen: Any) -> None:
    """Records a consent the reporter gave."""
    from confidant_tui.ui.modals.consent import ConsentModal

    if screen.case is not None:
        modal = ConsentModal(
            screen.case.id, screen.case.code, taxonomy_of(screen.app), now_of(screen.app)
        )
        screen.app.push_screen(modal, _reload_when_stored(screen))


def withdraw_consent(screen: Any) -> None:
    """Records that the reporter withdrew a consent."""
    from confidant_tui.ui.modals.withdrawal import WithdrawalModal, withdrawable

    if screen.case is None:
        return
    ledger = _view(screen).ledger
    if not withdrawable(ledger):
        screen.notify(_("There is no consent in force to withdraw."), severity="warning")
        return
    modal = WithdrawalModal(screen.case.id, screen.case.code, ledger, now_of(screen.app))
    screen.app.push_screen(modal, _reload_when_stored(screen))


def information_request(screen: Any) -> None:
    """Records a request for information from a third party, and the answer."""
    from confidant_tui.ui.modals.information_request import InformationRequestModal

    if screen.case is not None:
        modal = InformationRequestModal(
            screen.case.id, screen.case.code, _view(screen).ledger, now_of(screen.app)
        )
        screen.app.push_screen(modal, _reload_when_stored(screen))


def confidentiality_prompt(screen: Any, then: Callable[[], None]) -> None:
    """At the first conversation of a case, reminds the adviser to explain the limits.

    Asks only when the case has no conversation yet and the explanation is not recorded;
    "explained today" records today's date on the case. `then` runs in every case.
    """
    case = screen.case
    if case is None or case.conversations or case.facts.confidentiality_explained is not None:
        then()
        return
    from confidant_tui.ui.modals.confirm import ConfirmModal

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


def _record_explained(screen: Any, case: Any) -> None:
    import dataclasses

    app = screen.app
    today, taxonomy = today_of(app), taxonomy_of(app)
    facts = dataclasses.replace(case.facts, confidentiality_explained=today)

    def store() -> None:
        from confidant_tui.services.cases import update_facts

        update_facts(vault_of(app), case.id, facts, today=today, taxonomy=taxonomy)

    app.run_worker(store, thread=True, group="confidentiality-explained")
