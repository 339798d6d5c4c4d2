"""Recording an information request (and the answer) from the case file."""

from __future__ import annotations

from textual.widgets import TextArea

from confidant_tui.services.consent import information_requests
from confidant_tui.ui.modals.information_request import InformationRequestModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.case_helpers import screen_text
from tests.ui.conftest import settle
from tests.ui.test_consent_panel import choose
from tests.ui.test_protocol_screen import make_case, open_case_file


async def test_information_request_recorded_with_its_answer(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("v")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, InformationRequestModal)
        await choose(pilot, "#requester", "Het")
        modal.query_one("#subject", TextArea).focus()
        await pilot.press(*"Wie meldde")
        await choose(pilot, "#answer", "Gew")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen), screen_text(shell)
        [(request, answer)] = information_requests(shell.session.vault, case_id)
        assert request.requester == "board" and request.subject == "Wie meldde"
        assert answer is not None and answer.answer == "declined"
        text = screen_text(shell)
        assert "Verzoek" in text and "Het bestuur: Wie meldde" in text


async def test_an_answer_with_consent_needs_the_consent(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("v")
        await settle(pilot)
        modal = shell.screen
        await choose(pilot, "#requester", "Een l")
        modal.query_one("#subject", TextArea).focus()
        await pilot.press(*"Hoe gaat het")
        await choose(pilot, "#answer", "Bea")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, InformationRequestModal)
        assert "Koppel de toestemming" in screen_text(shell)
        assert information_requests(shell.session.vault, case_id) == []
