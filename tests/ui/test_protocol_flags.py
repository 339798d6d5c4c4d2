"""What the case file must not let the adviser forget, and the procedure screen in English.

- A disclosure under a legal duty to disclose whose authority forbade informing the reporter
  is flagged on the case file until the reporter has been informed afterwards.
- At the first conversation of a case, a gentle prompt reminds the adviser to explain the
  limits of confidentiality; "explained today" records the date.
- The procedure screen speaks English when the app runs in English.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from confidant_tui import i18n
from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.domain.protocol import (
    Disclosure,
    InformingForbidden,
    Justification,
    LegalBasis,
)
from confidant_tui.services import protocol as protocol_service
from confidant_tui.services.cases import create_case, get_case
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.ui.screens.protocol import ProtocolScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, screen_text
from tests.ui.conftest import settle
from tests.ui.test_protocol_screen import NOW, fill, make_case, open_case_file, save

FLAG = "de melder inlichten was verboden"
"""Part of the case file's flag (Dutch) for a disclosure the reporter was not told of."""
UNEXPLAINED = "Nog niet vastgelegd dat de grenzen van de vertrouwelijkheid zijn uitgelegd"
"""Part of the case file's warning (Dutch) that confidentiality was not explained."""


def at(day: int, hour: int) -> dt.datetime:
    """A moment in May 2025, before NOW."""
    return dt.datetime(2025, 5, day, hour)


def disclosed_without_informing(vault_path) -> int:
    """A case whose procedure disclosed under a duty to disclose, informing forbidden."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        facts = CaseFacts(
            "employee", ("aggression.physical",), confidentiality_explained=dt.date(2025, 5, 1)
        )
        case = create_case(
            vault,
            Intake(dt.date(2025, 5, 1), facts),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
        pid = protocol_service.open_procedure(
            vault, case.id, "duty_to_disclose", opened_at=at(2, 9), now=NOW
        )
        for step in (
            LegalBasis(at=at(2, 10), legal_basis="art. 126nd Sv", demanded_by="OvJ"),
            InformingForbidden(at=at(2, 11), forbidden_by="OvJ Utrecht", reference="PN-7"),
            Justification(at=at(2, 12), text="Vordering"),
            Disclosure(at=at(3, 9), recipient="OM", shared=frozenset({"summary"})),
        ):
            protocol_service.record_step(vault, pid, step, now=NOW)
    return case.id


def shown(app, selector: str) -> str:
    """The plain text a Static of the current screen shows (unwrapped)."""
    return str(app.screen.query_one(selector, Static).content)


async def test_forbidden_informing_is_flagged_until_the_reporter_is_informed(
    shell, vault_path
) -> None:
    case_id = disclosed_without_informing(vault_path)
    async with shell.run_test(size=(110, 34)) as pilot:
        await open_case_file(pilot, case_id)
        text = screen_text(shell)
        assert FLAG in text, text
        assert "03-05-2025" in text  # the disclosure the flag is about
        assert UNEXPLAINED not in text

        # p continues the flagged procedure, which says who forbade informing.
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(shell.screen, ProtocolScreen)
        status = shown(shell, "#proc-status")
        assert status.startswith("⚑") and "OvJ Utrecht" in status, status

        # i records that the reporter has now been informed.
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, {"how": "telefonisch"})
        await save(pilot)
        assert isinstance(shell.screen, ProtocolScreen), screen_text(shell)
        status = shown(shell, "#proc-status")
        assert "⚑" not in status and "Afgesloten" in status, status
        [procedure] = protocol_service.case_procedures(shell.session.vault, case_id)
        assert procedure.open_items() == []
        assert procedure.reporter_informed_afterwards

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        text = screen_text(shell)
        assert FLAG not in text, text
        assert "⚑" not in text


async def test_the_first_conversation_prompts_to_explain_confidentiality(shell, vault_path) -> None:
    case_id = make_case(vault_path)  # no explanation date, no conversation
    async with shell.run_test(size=(110, 34)) as pilot:
        await open_case_file(pilot, case_id)
        assert UNEXPLAINED in screen_text(shell)

        await pilot.press("c")
        await settle(pilot)
        prompt = shell.screen
        assert isinstance(prompt, ConfirmModal), type(prompt)
        text = screen_text(shell)
        assert "eerste gesprek" in text and "vertrouwelijk, tenzij" in text
        await pilot.click("#confirm")
        await settle(pilot)

        # The conversation editor opens after the answer; the date is saved meanwhile.
        assert isinstance(shell.screen, ConversationScreen), type(shell.screen)
        assert get_case(shell.session.vault, case_id).facts.confidentiality_explained == TODAY
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert UNEXPLAINED not in screen_text(shell)


async def test_not_now_keeps_the_warning_and_still_opens_the_conversation(
    shell, vault_path
) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(110, 34)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.click("#cancel")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert get_case(shell.session.vault, case_id).facts.confidentiality_explained is None
        assert UNEXPLAINED in screen_text(shell)


async def test_the_procedure_screen_in_english(vault_path, clock) -> None:
    i18n.set_language("en")
    app = make_app(Settings(language="en"), vault_path, clock=clock)
    case_id = make_case(vault_path)
    async with app.run_test(size=(110, 34)) as pilot:
        await open_case_file(pilot, case_id)
        text = screen_text(app)
        assert "Not yet recorded that the limits of confidentiality were explained" in text

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        text = screen_text(app)
        for ground in (
            "Sharing with consent",
            "Serious conscientious distress",
            "Legal duty to report",
            "Legal duty to disclose",
            "Not decided yet",
        ):
            assert ground in text, ground
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ProtocolScreen)
        text = screen_text(app)
        assert "The eight LVV conditions" in text
        title = shown(app, "#proc-title")
        assert title.startswith("Protocol procedure · case 2025-001"), title
        assert "Serious conscientious distress" in title
        status = shown(app, "#proc-status")
        assert status.startswith("Open · 3 things are still missing"), status
        missing = shown(app, "#missing")
        assert missing.startswith("Still missing before a disclosure:"), missing
        assert "No justification is recorded" in missing
        assert "The reporter was not informed beforehand" in missing
        assert "LVV conditions not explained yet: 1, 2, 3, 4, 5, 6, 7, 8." in missing
        assert "Nog" not in text and "Ernstige" not in text
        assert app.screen.active_bindings["d"].binding.description == "Disclosure"
