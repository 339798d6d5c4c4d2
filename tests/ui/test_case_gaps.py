"""The case file's later additions at 80x24, through the keyboard, on a real encrypted vault:
answering a request later, addenda to consents and requests, the identity dialog (hidden
until asked), the statistics opt-out, and conversations opened read-only first."""

from __future__ import annotations

import datetime as dt

from textual.command import CommandList
from textual.widgets import DataTable, Input, OptionList, TextArea

from confidant_tui.domain.cases import CaseFacts, Conversation, Identity, Intake
from confidant_tui.domain.consent import ConsentRecord
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.services import audit
from confidant_tui.services import consent as consent_service
from confidant_tui.services.cases import (
    add_conversation,
    create_case,
    get_case,
    reveal_identity,
)
from confidant_tui.ui.modals.addendum import LedgerAddendumModal
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.identity import IdentityModal
from confidant_tui.ui.modals.information_request import AnswerRequestModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.ui.screens.conversation_view import ConversationViewScreen
from confidant_tui.ui.screens.search import SearchScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, freeze_now, freeze_today, screen_text
from tests.ui.conftest import settle, unlock
from tests.ui.test_consent_panel import choose

NOW = dt.datetime(2025, 6, 2, 16, 0)
SIZE = (80, 24)
NAME = "Jolanda Zwaluw"


def make_case(vault_path, identity: Identity | None = None) -> int:
    """A case opened on 01-05-2025 (with `identity`), stored through the service."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case = create_case(
            vault,
            Intake(
                dt.date(2025, 5, 1),
                CaseFacts("employee", ("aggression.physical",)),
                identity=identity or Identity(),
            ),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    assert case.id is not None
    return case.id


def with_vault(vault_path, work):
    with Vault.open(vault_path, PASSPHRASE) as vault:
        return work(vault)


async def open_case(pilot, case_id: int, select: str | None = None) -> CaseFileScreen:
    """Unlocks and shows the case file at row `select`, with today and now fixed."""
    freeze_today(pilot.app)
    freeze_now(pilot.app, NOW)
    await unlock(pilot)
    await pilot.app.push_screen(CaseFileScreen(case_id, select=select))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseFileScreen)
    screen.query_one("#timeline", DataTable).focus()
    return screen


def detail_text(screen: CaseFileScreen) -> str:
    return str(screen.query_one("#detail").render())


async def test_enter_on_an_open_request_records_its_answer_later(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    request = InformationRequest("board", "Wie meldde dit?", dt.datetime(2025, 5, 20, 10, 0))
    request_id = with_vault(
        vault_path,
        lambda v: consent_service.record_information_request(v, case_id, request, now=NOW),
    )
    async with shell.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, case_id, select=f"request-{request_id}")
        assert "Nog niet beantwoord" in detail_text(screen)
        await pilot.press("enter")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, AnswerRequestModal)
        assert "Wie meldde dit?" in screen_text(shell)
        await pilot.press("ctrl+s")  # no answer chosen: refused in the form
        await settle(pilot)
        assert isinstance(shell.screen, AnswerRequestModal)
        assert "Kies hoe u hebt geantwoord" in screen_text(shell)
        await choose(pilot, "#answer", "Gew")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen), screen_text(shell)
        [(stored, answer)] = consent_service.information_requests(shell.session.vault, case_id)
        assert stored.subject == "Wie meldde dit?" and stored.asked_at == request.asked_at
        assert answer is not None and answer.answer == "declined"
        assert answer.answered_at == NOW
        assert "Antwoord: " in detail_text(screen)
        # Answered now: `a` says so instead of opening a second answer.
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        actions = [e.action for e in audit.entries(shell.session.vault)]
        assert actions[0] == "information_request.answered"


async def test_a_answers_the_only_open_request_wherever_the_cursor_is(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    request = InformationRequest("manager", "Hoe gaat het?", dt.datetime(2025, 5, 20, 10, 0))
    with_vault(
        vault_path,
        lambda v: consent_service.record_information_request(v, case_id, request, now=NOW),
    )
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id, select="opened")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(shell.screen, AnswerRequestModal)
        await choose(pilot, "#answer", "Verw")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [(_request, answer)] = consent_service.information_requests(shell.session.vault, case_id)
        assert answer is not None and answer.answer == "referred_to_reporter"


async def test_addenda_to_a_consent_and_an_answered_request(shell, vault_path) -> None:
    case_id = make_case(vault_path)

    def seed(vault):
        consent_id = consent_service.record_consent(
            vault,
            case_id,
            ConsentRecord("third_party", frozenset({"summary"}), "oral", dt.datetime(2025, 5, 3)),
            now=NOW,
        )
        request_id = consent_service.record_information_request(
            vault,
            case_id,
            InformationRequest("manager", "Vraag", dt.datetime(2025, 5, 20, 10, 0)),
            InformationAnswer(0, "declined", dt.datetime(2025, 5, 21, 10, 0)),
            now=NOW,
        )
        return consent_id, request_id

    consent_id, request_id = with_vault(vault_path, seed)
    async with shell.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, case_id, select=f"consent-{consent_id}")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(shell.screen, LedgerAddendumModal)
        assert shell.focused is shell.screen.query_one("#text", TextArea)
        await pilot.press(*"Ook schriftelijk")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert "Ook schriftelijk" in detail_text(screen)
        assert "(+1 aanvulling)" in screen_text(shell) or "aanvulling" in detail_text(screen)

        # Enter on the answered request adds an addendum to it (not a second answer).
        table = screen.query_one("#timeline", DataTable)
        table.move_cursor(row=table.get_row_index(f"request-{request_id}"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, LedgerAddendumModal)
        await pilot.press(*"Per mail")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert "Per mail" in detail_text(screen)
        vault = shell.session.vault
        addenda = consent_service.ledger_addenda(vault, case_id)
        assert [(a.target, a.target_id, a.text) for a in addenda] == [
            ("consent", consent_id, "Ook schriftelijk"),
            ("information_request", request_id, "Per mail"),
        ]
        [consent] = consent_service.consent_ledger(vault, case_id).consents
        assert consent.note is None and consent.scope == {"summary"}  # the consent is unchanged


async def test_the_identity_dialog_shows_the_name_only_when_asked(shell, vault_path) -> None:
    case_id = make_case(vault_path, Identity(NAME, "06-12345678"))
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("I")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, IdentityModal)
        assert NAME not in screen_text(shell)
        assert "Er is een identiteit vastgelegd" in screen_text(shell)
        assert modal.query_one("#name", Input).disabled
        await pilot.press("ctrl+s")  # nothing shown, nothing changed
        await settle(pilot)
        assert isinstance(shell.screen, IdentityModal)
        assert "Toon eerst de identiteit" in screen_text(shell)
        await pilot.press("enter")  # the Show button has the focus
        await settle(pilot)
        assert NAME in screen_text(shell)
        assert shell.focused is modal.query_one("#name", Input)
        await pilot.press("home", "ctrl+k", *"J. Zwaluw")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert "J. Zwaluw" not in screen_text(shell)  # the case file keeps it hidden
        vault = shell.session.vault
        assert reveal_identity(vault, case_id) == Identity("J. Zwaluw", "06-12345678")
        [entry] = [e for e in audit.entries(vault) if e.action == "case.identity_changed"]
        assert entry.detail is None and "Zwaluw" not in str(entry)


async def test_an_identity_shown_in_the_case_file_opens_shown(shell, vault_path) -> None:
    case_id = make_case(vault_path, Identity(NAME, None))
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("i")
        await settle(pilot)
        assert NAME in screen_text(shell)
        await pilot.press("I")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, IdentityModal)
        assert modal.query_one("#name", Input).value == NAME
        assert not modal.query_one("#reveal").display
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)


async def test_the_new_keys_are_in_f1_and_the_palette(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("f1")
        await settle(pilot)
        help_text = str(shell.screen.query_one("#help-text").render())
        for key, label in (
            ("a", "Antwoorden"),
            ("n", "Aanvulling"),
            ("I", "Identiteit wijzigen"),
            ("o", "Niet meetellen"),
        ):
            assert any(
                line.split()[:1] == [key] and label in line for line in help_text.splitlines()
            ), (key, help_text)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"meetellen")
        commands = shell.screen.query_one(CommandList)
        wanted = None
        for _try in range(100):  # the palette searches in the background
            prompts = [
                str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
            ]
            wanted = next((i for i, p in enumerate(prompts) if "buiten het jaarverslag" in p), None)
            if wanted is not None:
                break
            await pilot.pause(0.05)
        assert wanted is not None
        commands.highlighted = wanted
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)


async def test_an_identity_is_typed_at_once_when_none_is_recorded(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("I")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, IdentityModal)
        assert "Er is geen identiteit vastgelegd" in screen_text(shell)
        assert shell.focused is modal.query_one("#name", Input)
        await pilot.press(*"Kees", "tab", *"kees@example.org")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        # Emptying both fields erases it, after a question.
        await pilot.press("I")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("home", "ctrl+k", "tab", "home", "ctrl+k", "ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert reveal_identity(shell.session.vault, case_id) == Identity()


async def test_the_statistics_opt_out_is_confirmed_shown_and_reversible(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    note = "niet in jaarverslag"
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id)
        assert note not in screen_text(shell)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.press("enter")  # the safe button has the focus: nothing recorded
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert consent_service.counted_in_statistics(shell.session.vault, case_id, now=NOW)
        await pilot.press("o")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert not consent_service.counted_in_statistics(shell.session.vault, case_id, now=NOW)
        assert note in screen_text(shell)
        await pilot.press("o")
        await settle(pilot)
        assert "weer meetellen" in screen_text(shell).lower()
        await pilot.click("#confirm")
        await settle(pilot)
        assert consent_service.counted_in_statistics(shell.session.vault, case_id, now=NOW)
        assert note not in screen_text(shell)
        actions = [e.action for e in audit.entries(shell.session.vault)]
        assert actions[:2] == ["statistics.opted_in", "statistics.opted_out"]


def _case_with_conversation(vault_path, notes: str) -> tuple[int, int]:
    case_id = make_case(vault_path)
    conversation_id = with_vault(
        vault_path,
        lambda v: add_conversation(
            v,
            case_id,
            Conversation(dt.date(2025, 5, 2), notes=notes),
            today=TODAY,
            taxonomy=TAXONOMY,
        ),
    )
    return case_id, conversation_id


async def test_enter_on_a_conversation_shows_it_read_only_and_e_edits(shell, vault_path) -> None:
    case_id, conversation_id = _case_with_conversation(vault_path, "Melder voelt zich gepest")
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id, select=f"conv-{conversation_id}")
        await pilot.press("enter")
        await settle(pilot)
        view = shell.screen
        assert isinstance(view, ConversationViewScreen)
        assert not view.query(TextArea) and not view.query(Input)
        assert "Melder voelt zich gepest" in screen_text(shell)
        assert "alleen-lezen" in screen_text(shell)
        await pilot.press("x", "y")  # typing changes nothing
        await pilot.press("e")
        await settle(pilot)
        editor = shell.screen
        assert isinstance(editor, ConversationScreen)
        assert editor.query_one("#notes", TextArea).text == "Melder voelt zich gepest"
        await pilot.press("escape")  # nothing typed: back to the read-only view
        await settle(pilot)
        assert shell.screen is view
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", *" erg")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)  # saving returns as before
        [stored] = get_case(shell.session.vault, case_id).conversations
        assert stored.notes == "Melder voelt zich gepest erg" and stored.version == 2


async def test_a_search_result_opens_read_only_and_e_edits(shell, vault_path) -> None:
    case_id, _conversation_id = _case_with_conversation(vault_path, "Pesterijen op de afdeling")
    async with shell.run_test(size=SIZE) as pilot:
        freeze_today(pilot.app)
        freeze_now(pilot.app, NOW)
        await unlock(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(shell.screen, SearchScreen)
        await pilot.press(*"pesterij")
        await settle(pilot)
        assert shell.screen.query_one("#results", OptionList).option_count == 1
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationViewScreen)
        assert "Pesterijen op de afdeling" in screen_text(shell)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationViewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert shell.screen.case_id == case_id


async def test_a_draft_typed_after_e_survives_a_lock(shell, vault_path) -> None:
    case_id, conversation_id = _case_with_conversation(vault_path, "Eerste tekst")
    async with shell.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id, select=f"conv-{conversation_id}")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", *" en meer")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(shell.screen, UnlockScreen)
        await unlock(pilot)
        await settle(pilot)
        editor = shell.screen
        assert isinstance(editor, ConversationScreen), type(editor)
        assert editor.query_one("#notes", TextArea).text == "Eerste tekst en meer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationViewScreen)  # restored below the editor
        assert "Eerste tekst en meer" in screen_text(shell)
        [stored] = get_case(shell.session.vault, case_id).conversations
        assert stored.notes == "Eerste tekst en meer"
