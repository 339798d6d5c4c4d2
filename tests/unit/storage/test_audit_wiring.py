"""Every act that matters leaves its audit entry, on a real encrypted vault: the right action,
the case's code (never its id), a non-content detail at most, and never what the adviser
typed (the entries are searched for marker strings put in notes, aliases, names and texts).
Acts that are refused leave no entry; header changes and restores, done with no vault
open, reach the chain through pending entries that the next writer folds in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from confidant_tui.domain.activities import Activity
from confidant_tui.domain.audit import ACTIONS, AuditEntry
from confidant_tui.domain.cases import (
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Referral,
    Route,
)
from confidant_tui.domain.consent import ConsentRecord, LedgerAddendum
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.domain.protocol import Justification
from confidant_tui.domain.recovery_key import new_recovery_key
from confidant_tui.errors import ValidationError, WrongPassphrase
from confidant_tui.services import (
    activities,
    audit,
    backups,
    cases,
    consent,
    importing,
    organisations,
    protocol,
    referrals,
)
from confidant_tui.services import report as report_service
from confidant_tui.services.session import Session
from confidant_tui.vault import maintenance
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY

NOW = dt.datetime(2026, 6, 1, 12, 0, 30)
TODAY = NOW.date()
CODE = "2026-014"
MARKERS = ("ALIAS-MRK", "NAME-MRK", "CONTACT-MRK", "WISH-MRK", "NOTE-MRK", "EDIT-MRK", "ASK-MRK")


def _chain(vault: Vault) -> list[AuditEntry]:
    """The entries oldest first (the service lists them newest first)."""
    return list(reversed(audit.entries(vault)))


def _acts(entries: list[AuditEntry]) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.case_code, e.detail) for e in entries]


def _assert_no_content(entries: list[AuditEntry]) -> None:
    for entry in entries:
        assert entry.action in ACTIONS
        for value in (entry.action, entry.case_code, entry.detail):
            assert not any(marker in (value or "") for marker in MARKERS), entry


def _new_case(vault: Vault) -> int:
    facts = CaseFacts(
        reporter_role="employee",
        categories=("bullying",),
        reporter_alias="ALIAS-MRK",
        wishes="WISH-MRK",
        work_situation="Werkt 32 uur",
    )
    intake = Intake(
        opened=dt.date(2026, 5, 4),
        facts=facts,
        identity=Identity("NAME-MRK", "CONTACT-MRK"),
        code=CODE,
    )
    created = cases.create_case(
        vault, intake, today=TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    return created.id


def test_every_act_on_a_case_is_in_the_chain_by_code_without_content(vault: Vault) -> None:
    case_id = _new_case(vault)
    before = len(audit.entries(vault))
    moment = dt.datetime(2026, 5, 20, 10, 0)
    current = cases.get_case(vault, case_id)
    cases.update_facts(
        vault,
        case_id,
        dataclasses.replace(current.facts, wishes="WISH-MRK and more"),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.set_identity(vault, CODE, Identity("NAME-MRK 2", None))
    conversation_id = cases.add_conversation(
        vault,
        case_id,
        Conversation(dt.date(2026, 5, 4), notes="NOTE-MRK"),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.edit_conversation(
        vault,
        conversation_id,
        Conversation(dt.date(2026, 5, 4), notes="EDIT-MRK"),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    route_id = cases.add_route(
        vault,
        case_id,
        Route("informal.self", dt.date(2026, 5, 5)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.update_route(
        vault,
        route_id,
        Route("informal.hr", dt.date(2026, 5, 5)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.add_referral(
        vault, case_id, Referral("gp", dt.date(2026, 5, 6)), today=TODAY, taxonomy=TAXONOMY
    )
    consent_id = consent.record_consent(
        vault,
        CODE,
        ConsentRecord(
            "referral",
            frozenset({"name", "work_situation"}),
            "oral",
            moment,
            "occupational_health",
        ),
        now=NOW,
    )
    third = consent.record_consent(
        vault, CODE, ConsentRecord("third_party", frozenset({"role"}), "oral", moment), now=NOW
    )
    consent.withdraw_consent(
        vault, CODE, third, moment + dt.timedelta(hours=1), note="NOTE-MRK", now=NOW
    )
    consent.add_ledger_addendum(
        vault, CODE, LedgerAddendum("consent", consent_id, moment, "NOTE-MRK"), now=NOW
    )
    request_id = consent.record_information_request(
        vault, CODE, InformationRequest("board", "ASK-MRK", moment), now=NOW
    )
    consent.answer_information_request(
        vault, request_id, InformationAnswer(request_id, "declined", moment), now=NOW
    )
    procedure_id = protocol.open_procedure(
        vault, CODE, "conscientious_distress", opened_at=moment, now=NOW
    )
    protocol.record_step(vault, procedure_id, Justification(at=moment, text="NOTE-MRK"), now=NOW)
    choice = referrals.LetterInput(destination="occupational_health", question="ASK-MRK")
    referrals.record_letter(vault, CODE, choice, now=NOW, taxonomy=TAXONOMY, file_format="pdf")
    cases.change_status(vault, CODE, "aftercare", dt.date(2026, 5, 25), today=TODAY)
    cases.change_status(vault, CODE, "closed", dt.date(2026, 5, 30), today=TODAY)

    entries = _chain(vault)
    assert _acts(entries[:before]) == [("case.created", CODE, None)]
    assert _acts(entries[before:]) == [
        ("case.changed", CODE, None),
        ("case.identity_changed", CODE, None),
        ("conversation.added", CODE, None),
        ("conversation.edited", CODE, None),
        ("route.added", CODE, None),
        ("route.changed", CODE, None),
        ("referral.added", CODE, None),
        ("consent.recorded", CODE, "referral"),
        ("consent.recorded", CODE, "third_party"),
        ("consent.withdrawn", CODE, None),
        ("ledger.addendum", CODE, None),
        ("information_request.recorded", CODE, None),
        ("information_request.answered", CODE, None),
        ("protocol.step", CODE, "opened"),
        ("protocol.step", CODE, "justification"),
        ("referral.added", CODE, None),
        ("letter.made", CODE, "pdf"),
        ("export.letter", CODE, "pdf"),
        ("case.status", CODE, "aftercare"),
        ("case.closed", CODE, None),
    ]
    assert entries[-3].at == NOW  # a service given `now` dates its entry by it
    _assert_no_content(entries)
    assert audit.verify(vault).intact


def test_a_refused_act_leaves_no_entry(vault: Vault) -> None:
    case_id = _new_case(vault)
    count = len(audit.entries(vault))
    with pytest.raises(ValidationError):
        cases.change_status(vault, case_id, "closed", dt.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError):
        cases.add_conversation(
            vault, case_id, Conversation(dt.date(2030, 1, 1)), today=TODAY, taxonomy=TAXONOMY
        )
    assert len(audit.entries(vault)) == count


def test_acts_outside_cases_are_in_the_chain(vault: Vault, tmp_path: Path) -> None:
    organisations.settle(vault, default_name=ORGANISATION, moment=NOW)
    organisations.add_organisation(vault, "Afdeling NAME-MRK")
    organisations.edit_organisation(vault, "Afdeling NAME-MRK", {}, new_name="Afdeling Oost")
    organisations.set_archived(vault, "Afdeling Oost", archived=True, today=TODAY)
    activity = Activity(ORGANISATION, "supervision", dt.date(2026, 3, 1), 90, "NOTE-MRK", "")
    activity_id = activities.add_activity(vault, activity, today=TODAY, taxonomy=TAXONOMY)
    activities.update_activity(
        vault,
        activity_id,
        dataclasses.replace(activity, minutes=60),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    activities.delete_activity(vault, activity_id)
    document = {
        "format": "confidant-cases/1",
        "cases": [
            {
                "opened": "2026-02-01",
                "reporter": {"role": "employee", "alias": "ALIAS-MRK"},
                "categories": ["bullying"],
            },
            {"opened": "2026-02-02", "reporter": {"role": "member"}, "categories": ["stalking"]},
        ],
    }
    codes = importing.import_document(
        vault, document, now=NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    assert len(codes) == 2
    built = report_service.build_report(vault, 2026, taxonomy=TAXONOMY, organisation=ORGANISATION)
    report_service.publish(vault, built, "json", TODAY)
    written: list[str] = []
    report_service.write_draft(vault, "csv", lambda: written.append("csv"))
    assert written == ["csv"]
    backups.make_backup(vault, tmp_path / "copy.vault", now=NOW)

    acts = _acts(_chain(vault))
    assert acts[-11:] == [
        ("organisation.added", None, None),
        ("organisation.added", None, None),
        ("organisation.changed", None, None),
        ("organisation.changed", None, "archived"),
        ("activity.recorded", None, None),
        ("activity.changed", None, None),
        ("activity.deleted", None, None),
        ("import.cases", None, "2"),
        ("export.report_published", None, "json"),
        ("export.report", None, "csv"),
        ("export.backup", None, None),
    ]
    _assert_no_content(_chain(vault))


def test_a_draft_that_fails_to_write_is_not_recorded(vault: Vault) -> None:
    count = len(audit.entries(vault))

    def refuse() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        report_service.write_draft(vault, "md", refuse)
    assert len(audit.entries(vault)) == count


def test_unlock_counts_the_failed_tries_and_lock_is_recorded_before_closing(
    vault_path: Path,
) -> None:
    session = Session(vault_path)
    for _attempt in range(1):
        with pytest.raises(WrongPassphrase):
            session.unlock("not the passphrase at all")
    session.unlock(PASSPHRASE)
    session.lock()
    session.unlock(PASSPHRASE)
    acts = _acts(_chain(session.vault))
    session.lock()
    assert acts[-3:] == [
        ("vault.unlocked", None, "1"),
        ("vault.locked", None, None),
        ("vault.unlocked", None, "0"),
    ]
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader:
        assert _acts(_chain(reader))[-1] == ("vault.locked", None, None)
        assert audit.verify(reader).intact


def test_header_changes_reach_the_chain_through_pending_entries(vault_path: Path) -> None:
    recovery_key = new_recovery_key()
    maintenance.set_recovery_key(vault_path, PASSPHRASE, recovery_key)
    maintenance.change_passphrase(vault_path, PASSPHRASE, "a new passphrase of some length")
    maintenance.recover(vault_path, recovery_key, PASSPHRASE)
    assert len(list(vault_path.parent.glob(f".{vault_path.name}.audit.*.pending"))) == 3
    with Vault.open(vault_path, PASSPHRASE) as vault:
        acts = _acts(_chain(vault))
        assert audit.verify(vault).intact
    assert [a for a, _c, _d in acts[-3:]] == [
        "recovery_key.replaced",
        "passphrase.changed",
        "passphrase.recovered",
    ]
    assert not list(vault_path.parent.glob("*.pending"))


def test_a_restore_is_in_the_restored_vaults_chain(vault_path: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup" / "copy.vault"
    backup.parent.mkdir()
    with Vault.open(vault_path, PASSPHRASE) as vault:
        backups.make_backup(vault, backup, now=NOW)
        _new_case(vault)  # after the backup: gone again by the restore
    backups.restore_backup(backup, vault_path, PASSPHRASE, replace_existing=True)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        acts = _acts(_chain(vault))
        assert audit.verify(vault).intact
    assert ("case.created", CODE, None) not in acts
    action, code, detail = acts[-1]
    assert (action, code) == ("vault.restored", None)
    assert detail is not None and detail.startswith("2026-06-01T")
