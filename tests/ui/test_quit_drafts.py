"""Unsaved text at the edges: Ctrl+Q and the palette's Quit ask first, a stop signal stores
the open forms in the vault as drafts, and the next unlock offers them back."""

from __future__ import annotations

import datetime as dt
import signal

from textual.command import CommandPalette
from textual.widgets import Button, Input, TextArea

from confidant_tui.domain.cases import CaseFacts, Identity, Intake
from confidant_tui.services import cases
from confidant_tui.services.drafts import NewDraft, list_drafts, save_drafts
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.draft_offer import DraftOfferModal
from confidant_tui.ui.modals.draft_text import DraftTextModal
from confidant_tui.ui.modals.referral import ReferralModal
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import open_case_list, type_into
from tests.ui.conftest import settle, unlock

WISH = "Wil dat het stopt"


def _stored(vault_path) -> list:
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        return list_drafts(vault)


def _case(vault_path) -> tuple[int, str]:
    facts = CaseFacts(reporter_role="employee", categories=("bullying",))
    intake = Intake(dt.date(2025, 3, 2), facts, Identity(None, None))
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case = cases.create_case(
            vault,
            intake,
            today=dt.date(2025, 6, 2),
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    return case.id, case.code


async def _typed_intake(pilot) -> IntakeScreen:
    await open_case_list(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen)
    await type_into(pilot, "#wishes", WISH)
    return screen


def _ended(app) -> bool:
    return app._exit and not app.session.is_unlocked


# -- Ctrl+Q and the palette ask first ------------------------------------------------------


async def test_ctrl_q_with_an_unsaved_intake_asks_and_enter_keeps_editing(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _typed_intake(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(shell.screen, ConfirmModal)
        assert shell.focused is not None and shell.focused.id == "cancel"
        await pilot.press("enter")  # the reflexive Enter: keep editing
        await settle(pilot)
        assert shell.screen is screen and not shell._exit
        assert screen.query_one("#wishes", TextArea).text == WISH

        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert _ended(shell)
        assert shell.return_code == 0
    assert _stored(shell.session.path) == []  # discarded means discarded


async def test_quitting_a_restored_draft_and_discarding_it_deletes_it(shell, vault_path) -> None:
    _store_intake_draft(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        await pilot.press("enter")  # continue editing
        await settle(pilot)
        assert isinstance(shell.screen, IntakeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.click("#confirm")
        await settle(pilot)
        assert _ended(shell)
        assert shell.return_code == 0
    assert _stored(vault_path) == []


async def test_quit_from_the_palette_asks_too(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _typed_intake(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(shell)
        await pilot.press(*"afsluiten")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        assert shell.focused is not None and shell.focused.id == "cancel"
        await pilot.press("escape")
        await settle(pilot)
        assert shell.screen is screen and not shell._exit
        assert screen.query_one("#wishes", TextArea).text == WISH


async def test_ctrl_q_with_unsaved_text_in_a_dialog_asks(shell, vault_path) -> None:
    case_id, code = _case(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_case_list(pilot)
        taxonomy = shell.context.taxonomy
        await shell.push_screen(ReferralModal(case_id, code, taxonomy, dt.date(2025, 6, 2)))
        await settle(pilot)
        dialog = shell.screen
        await type_into(pilot, "#note", "Huisarts")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(shell.screen, ConfirmModal)
        assert shell.focused is not None and shell.focused.id == "cancel"
        await pilot.press("enter")
        await settle(pilot)
        assert shell.screen is dialog
        assert dialog.query_one("#note", Input).value == "Huisarts"


async def test_quit_with_nothing_unsaved_is_immediate(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_case_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(shell.screen, IntakeScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert _ended(shell)
    assert _stored(shell.session.path) == []


# -- a stop signal stores drafts in the vault ----------------------------------------------


async def test_a_stop_signal_stores_the_open_forms_as_drafts(shell, vault_path) -> None:
    case_id, code = _case(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await _typed_intake(pilot)
        await shell.push_screen(ConversationScreen(case_id))
        await settle(pilot)
        await type_into(pilot, "#notes", "Gesprek over de roosters")
        shell.stop_on_signal(signal.SIGTERM)
        await settle(pilot)
        assert _ended(shell)
        assert shell.return_code == 130
    stored = {d.kind: d for d in _stored(vault_path)}
    assert set(stored) == {"intake", "conversation"}
    assert stored["intake"].snapshot["args"][0]["wishes"] == WISH
    conversation = stored["conversation"]
    assert conversation.case_id == case_id and conversation.case_code == code
    assert conversation.snapshot["kwargs"]["draft"]["notes"] == "Gesprek over de roosters"


async def test_a_stop_signal_with_a_broken_vault_still_exits(shell, monkeypatch) -> None:
    from confidant_tui.services import drafts

    def refuse(*_args, **_kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(drafts, "save_drafts", refuse)
    async with shell.run_test(size=(80, 24)) as pilot:
        await _typed_intake(pilot)
        shell.stop_on_signal(signal.SIGHUP)
        await settle(pilot)
        assert _ended(shell)
        assert shell.return_code == 130


async def test_a_signal_while_locked_keeps_the_drafts_stored_by_locking(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await _typed_intake(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(shell.screen, UnlockScreen)
        shell.stop_on_signal(signal.SIGTERM)
        await settle(pilot)
        assert _ended(shell)
    [draft] = _stored(shell.session.path)
    assert draft.kind == "intake" and draft.snapshot["args"][0]["wishes"] == WISH


# -- the next unlock offers them back ------------------------------------------------------


def _store_intake_draft(vault_path, wishes: str = WISH) -> int:
    snapshot = {
        "screen": "intake",
        "args": [{"wishes": wishes, "reporter_alias": "B.", "_dirty": True}],
        "kwargs": {"case_id": None, "code": None},
    }
    with Vault.open(vault_path, PASSPHRASE) as vault:
        [draft_id] = save_drafts(
            vault, [NewDraft("intake", None, snapshot)], now=dt.datetime(2025, 6, 2, 12, 0)
        )
    return draft_id


async def test_unlocking_offers_a_stored_draft_and_enter_restores_it(shell, vault_path) -> None:
    _store_intake_draft(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(shell.screen, DraftOfferModal)
        assert "U heeft een concept van een nieuwe intake van" in str(
            shell.screen.query_one("#question").render()
        )
        assert shell.focused is not None and shell.focused.id == "restore"
        await pilot.press("enter")
        await settle(pilot)
        screen = shell.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#wishes", TextArea).text == WISH
        assert screen.query_one("#reporter_alias", Input).value == "B."
        assert len(list_drafts(shell.session.vault)) == 1  # kept until saved or discarded

        await pilot.press("escape")  # discard the restored intake
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        assert list_drafts(shell.session.vault) == []


async def test_a_restored_conversation_is_deleted_once_saved(shell, vault_path) -> None:
    case_id, _code = _case(vault_path)
    draft = {"date": "02-06-2025", "notes": "Eerste gesprek", "mode": "in_person", "_dirty": True}
    snapshot = {"screen": "conversation", "args": [case_id, None], "kwargs": {"draft": draft}}
    with Vault.open(vault_path, PASSPHRASE) as vault:
        save_drafts(
            vault, [NewDraft("conversation", case_id, snapshot)], now=dt.datetime(2025, 6, 2, 12, 0)
        )
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(shell.screen, DraftOfferModal)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationScreen)
        assert shell.screen.query_one("#notes", TextArea).text == "Eerste gesprek"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(shell.screen, ConversationScreen)
        assert list_drafts(shell.session.vault) == []
        saved = cases.get_case(shell.session.vault, case_id).conversations
        assert [c.notes for c in saved] == ["Eerste gesprek"]


async def test_discarding_or_postponing_an_offered_draft(shell, vault_path) -> None:
    _store_intake_draft(vault_path, "een")
    _store_intake_draft(vault_path, "twee")
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(shell.screen, DraftOfferModal)
        await pilot.click("#discard")
        await settle(pilot)
        assert isinstance(shell.screen, DraftOfferModal)
        await pilot.press("escape")  # later
        await settle(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        remaining = list_drafts(shell.session.vault)
        assert [d.snapshot["args"][0]["wishes"] for d in remaining] == ["twee"]


async def test_a_dialog_draft_is_shown_back_read_only(shell, vault_path) -> None:
    case_id, code = _case(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_case_list(pilot)
        taxonomy = shell.context.taxonomy
        await shell.push_screen(ReferralModal(case_id, code, taxonomy, dt.date(2025, 6, 2)))
        await settle(pilot)
        await type_into(pilot, "#note", "Huisarts")
        shell.stop_on_signal(signal.SIGTERM)
        await settle(pilot)
    again = make_app(Settings(), vault_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(again.screen, DraftOfferModal)
        assert code in str(again.screen.query_one("#question").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, DraftTextModal)
        assert again.focused is not None and again.focused.id == "keep"
        areas = [a.text for a in again.screen.query(TextArea)]
        assert "Huisarts" in areas
        await pilot.click("#done")
        await settle(pilot)
        assert list_drafts(again.session.vault) == []


async def test_a_lock_keeps_the_form_and_stores_it_without_offering_it_twice(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await _typed_intake(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        [stored] = _stored(shell.session.path)  # a kill while locked would lose nothing
        await unlock(pilot)
        await settle(pilot)
        screen = shell.screen
        assert isinstance(screen, IntakeScreen), "the form comes back, not an offer"
        assert screen.query_one("#wishes", TextArea).text == WISH
        await type_into(pilot, "#reporter_alias", "C.")
        await pilot.press("ctrl+l")
        await settle(pilot)
        [again] = _stored(shell.session.path)  # replaced, not added
        assert again.id != stored.id
        assert again.snapshot["args"][0]["reporter_alias"] == "C."
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(shell.screen, IntakeScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert list_drafts(shell.session.vault) == []


async def test_the_offer_has_three_choices_in_a_safe_order(shell, vault_path) -> None:
    _store_intake_draft(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        buttons = [b.id for b in shell.screen.query(Button)]
        assert buttons == ["restore", "discard", "later"]


async def test_an_unsaved_organisation_form_asks_on_quit_and_is_kept_on_a_stop_signal(
    shell, vault_path
) -> None:
    from confidant_tui.ui.screens.organisation_form import OrganisationFormScreen

    async with shell.run_test(size=(80, 24)) as pilot:
        await open_case_list(pilot)
        await shell.push_screen(OrganisationFormScreen(ORGANISATION))
        await settle(pilot)
        form = shell.screen
        await type_into(pilot, "#board", "Het nieuwe bestuur")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.press("enter")  # keep editing
        await settle(pilot)
        assert shell.screen is form
        shell.stop_on_signal(signal.SIGTERM)
        await settle(pilot)
        assert _ended(shell)
    [draft] = _stored(vault_path)
    assert draft.kind == "dialog" and draft.case_id is None
    assert f"Organisatie: {ORGANISATION}" == draft.snapshot["title"]
    assert {"label": "Bestuur", "value": "Het nieuwe bestuur"} in draft.snapshot["fields"]
