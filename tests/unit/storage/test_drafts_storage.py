"""Drafts on real encrypted files: stored as typed, listed with their case, replaced,
discarded, and gone with their case; never part of the case itself."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlcipher3

from confidant_tui.domain.cases import CaseFacts, Identity, Intake
from confidant_tui.errors import StorageError
from confidant_tui.services import cases
from confidant_tui.services.drafts import NewDraft, discard_drafts, list_drafts, save_drafts
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

NOW = dt.datetime(2026, 11, 23, 14, 5, 37)
TYPED = "Regel één\r\nmet \x1b[31m escape, \x07 bel, \ud800 en 🌹\n"


def _case(vault: Vault) -> int:
    facts = CaseFacts(reporter_role="volunteer", categories=("bullying",))
    intake = Intake(dt.date(2026, 3, 2), facts, Identity(None, None))
    return cases.create_case(
        vault,
        intake,
        today=dt.date(2026, 11, 23),
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    ).id


def test_a_draft_comes_back_exactly_as_typed(vault: Vault) -> None:
    case_id = _case(vault)
    snapshot = {"args": [case_id, None], "kwargs": {"draft": {"notes": TYPED, "_dirty": True}}}
    [draft_id] = save_drafts(vault, [NewDraft("conversation", case_id, snapshot)], now=NOW)

    [draft] = list_drafts(vault)
    assert draft.id == draft_id
    assert draft.kind == "conversation"
    assert draft.case_id == case_id
    assert draft.case_code == cases.get_case(vault, case_id).code
    assert draft.snapshot == snapshot
    assert draft.snapshot["kwargs"]["draft"]["notes"] == TYPED
    assert draft.created == NOW


def test_drafts_are_not_records_of_the_case(vault: Vault) -> None:
    case_id = _case(vault)
    save_drafts(vault, [NewDraft("conversation", case_id, {"notes": "ZEBRA-draft"})], now=NOW)
    case = cases.get_case(vault, case_id)
    assert case.conversations == ()
    assert "ZEBRA-draft" not in repr(case)


def test_replacing_and_discarding(vault: Vault) -> None:
    first = save_drafts(vault, [NewDraft("intake", None, {"wishes": "een"})], now=NOW)
    second = save_drafts(
        vault, [NewDraft("intake", None, {"wishes": "twee"})], replacing=first, now=NOW
    )
    assert [d.snapshot for d in list_drafts(vault)] == [{"wishes": "twee"}]
    discard_drafts(vault, second)
    assert list_drafts(vault) == []
    discard_drafts(vault, [12345])  # unknown ids are ignored


def test_a_draft_goes_with_its_case(vault: Vault) -> None:
    case_id = _case(vault)
    save_drafts(vault, [NewDraft("facts", case_id, {"wishes": "weg"})], now=NOW)
    save_drafts(vault, [NewDraft("intake", None, {"wishes": "blijft"})], now=NOW)
    with vault.transaction() as conn:
        search_repo.forget_case(conn, case_id)
        conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    assert [d.snapshot for d in list_drafts(vault)] == [{"wishes": "blijft"}]


def test_an_unknown_kind_or_a_broken_snapshot_writes_nothing(vault: Vault) -> None:
    with pytest.raises(ValueError):
        save_drafts(vault, [NewDraft("letter", None, {})], now=NOW)
    with pytest.raises(ValueError):
        save_drafts(vault, [NewDraft("intake", None, {"minutes": float("nan")})], now=NOW)
    assert list_drafts(vault) == []


def test_a_refused_write_changes_nothing(vault: Vault) -> None:
    stored = save_drafts(vault, [NewDraft("intake", None, {"wishes": "oud"})], now=NOW)
    with vault.transaction() as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON drafts BEGIN SELECT RAISE(ABORT, 'vol'); END"
        )
    with pytest.raises((StorageError, sqlcipher3.Error)):
        save_drafts(
            vault, [NewDraft("intake", None, {"wishes": "nieuw"})], replacing=stored, now=NOW
        )
    assert [d.snapshot for d in list_drafts(vault)] == [{"wishes": "oud"}]
