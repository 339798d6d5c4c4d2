"""Referral letters: only consented facts go out, for every destination, whatever the case
holds; the bedrijfsarts never gets notes, advice, wishes or outcome; checklists and the
complaint deadline (issue "Referral letters")."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confidant_tui.domain.cases import (
    Case,
    CaseFacts,
    Conversation,
    Identity,
    Route,
    StatusChange,
)
from confidant_tui.domain.consent import (
    REFERRAL_DESTINATIONS,
    SCOPE_KEYS,
    ConsentLedger,
    ConsentRecord,
    Withdrawal,
)
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.referral_letters import (
    LetterRequest,
    case_values,
    consented_scope,
    deadline_warnings,
    draft_letter,
    fact_choices,
    relied_on,
)
from confidant_tui.errors import ValidationError
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.referrals import load_letter_book

BOOK = load_letter_book()
TAXONOMY = load_taxonomy()
NOW = dt.datetime(2026, 12, 1, 10, 0)
DESTINATIONS = (*REFERRAL_DESTINATIONS, "own.buddy")


def _case(**facts: object) -> Case:
    base = CaseFacts(
        reporter_role="employee",
        categories=("bullying",),
        work_situation="MARK-work",
        wishes="MARK-wishes",
        outcome="MARK-outcome",
        first_incident=dt.date(2026, 3, 1),
        last_incident=dt.date(2026, 4, 5),
    )
    base = dataclasses.replace(base, **facts)  # type: ignore[arg-type]
    return Case(
        id=1,
        code="2026-001",
        opened=dt.date(2026, 4, 10),
        reporter_id=1,
        facts=base,
        status_history=(StatusChange("open", dt.date(2026, 4, 10)),),
        conversations=(
            Conversation(
                date=dt.date(2026, 4, 10),
                notes="MARK-notes",
                advice="MARK-advice",
                next_steps="MARK-next",
            ),
        ),
        routes=(Route("informal.self", dt.date(2026, 4, 12)),),
    )


def _consent(scope: set[str], destination: str, cid: int = 1) -> ConsentRecord:
    return ConsentRecord(
        "referral", frozenset(scope), "oral", NOW - dt.timedelta(days=1), destination, id=cid
    )


def _request(destination: str, include: tuple[str, ...], **more: object) -> LetterRequest:
    values = {
        "destination": destination,
        "destination_name": destination,
        "organisation": "Partij Links",
        "language": "nl",
        "date": dt.date(2026, 12, 1),
        "question": "Kunt u de betrokkene zien?",
        "include": include,
    }
    values.update(more)
    return LetterRequest(**values)  # type: ignore[arg-type]


def test_the_letter_book_has_a_letter_for_each_named_destination_and_a_general_one() -> None:
    assert {
        "occupational_health",
        "whistleblower_authority.advice",
        "whistleblower_authority.investigation",
        "complaints_committee",
        "other_adviser",
        "general",
    } <= set(BOOK.kinds)
    assert BOOK.kind_for("own.buddy") is BOOK.kinds["general"]
    assert BOOK.kind_for("gp") is BOOK.kinds["general"]


def test_a_fact_without_a_consent_for_that_destination_is_refused_naming_it() -> None:
    values = case_values(_case(), Identity("Zoë", "06"), TAXONOMY, language="nl", summary=None)
    ledger = ConsentLedger((_consent({"work_situation"}, "gp"),))
    consented = consented_scope(ledger, "occupational_health", now=NOW)
    assert consented == frozenset()
    with pytest.raises(ValidationError) as refused:
        draft_letter(BOOK, _request("occupational_health", ("work_situation",)), values, consented)
    assert [path for path, _ in refused.value.problems] == ["work_situation"]
    assert "toestemming" in refused.value.problems[0][1].lower()


def test_an_identity_consent_alone_does_not_let_the_name_out() -> None:
    ledger = ConsentLedger(
        (ConsentRecord("identity", frozenset({"name", "contact"}), "written", NOW),)
    )
    assert consented_scope(ledger, "occupational_health", now=NOW) == frozenset()


def test_the_bedrijfsarts_letter_carries_only_the_work_situation_name_and_contact() -> None:
    everything = set(SCOPE_KEYS)
    ledger = ConsentLedger((_consent(everything, "occupational_health"),))
    values = case_values(
        _case(), Identity("Şükrü Çelik", "s@example.org"), TAXONOMY, language="nl", summary="S"
    )
    consented = consented_scope(ledger, "occupational_health", now=NOW)
    choices = {c.key: c for c in fact_choices(BOOK, "occupational_health", values, consented)}
    assert {key for key, c in choices.items() if c.allowed} == {
        "name",
        "contact",
        "work_situation",
    }
    with pytest.raises(ValidationError):
        draft_letter(BOOK, _request("occupational_health", ("summary",)), values, consented)
    letter = draft_letter(
        BOOK,
        _request("occupational_health", ("name", "contact", "work_situation")),
        values,
        consented,
    )
    assert "Şükrü Çelik" in letter.text and "MARK-work" in letter.text
    assert "open spreekuur" in letter.text and "beroepsgeheim" in letter.text
    for marker in ("MARK-notes", "MARK-advice", "MARK-next", "MARK-wishes", "MARK-outcome"):
        assert marker not in letter.text
    assert letter.facts == ("name", "contact", "work_situation")


def test_the_question_is_always_in_the_letter_and_required() -> None:
    values = case_values(_case(), Identity(), TAXONOMY, language="nl", summary=None)
    letter = draft_letter(BOOK, _request("gp", ()), values, frozenset())
    assert "Kunt u de betrokkene zien?" in letter.text
    assert "geen gegevens vrijgegeven" in letter.text
    with pytest.raises(ValidationError) as refused:
        draft_letter(BOOK, _request("gp", (), question="  "), values, frozenset())
    assert refused.value.problems[0][0] == "question"


def test_typed_text_is_never_read_as_a_template() -> None:
    values = case_values(
        _case(work_situation="{question} {blank:signature} {date}"),
        Identity("{facts}"),
        TAXONOMY,
        language="en",
        summary=None,
    )
    consented = frozenset({"name", "work_situation"})
    letter = draft_letter(
        BOOK,
        _request("occupational_health", ("name", "work_situation"), language="en"),
        values,
        consented,
    )
    assert "{question} {blank:signature} {date}" in letter.text
    assert "Name: {facts}" in letter.text


def test_blanks_are_flagged_missing_until_filled() -> None:
    values = case_values(_case(), Identity("Ilse van 't Hek"), TAXONOMY, language="nl", summary="S")
    consented = frozenset(SCOPE_KEYS)
    letter = draft_letter(
        BOOK, _request("whistleblower_authority.investigation", ()), values, consented
    )
    assert "[ONTBREEKT: Adres van de melder]" in letter.text
    assert set(letter.missing) == {
        "recipient",
        "reporter_address",
        "organisation_address",
        "suspicion",
        "court_proceedings",
        "signature",
    }
    filled = draft_letter(
        BOOK,
        _request(
            "whistleblower_authority.investigation",
            ("name",),
            blanks={"reporter_address": "Dorpsstraat 1", "signature": "A. Adviseur"},
        ),
        values,
        consented,
    )
    assert "Dorpsstraat 1" in filled.text and "ONTBREEKT: Adres van de melder" not in filled.text
    assert "reporter_address" not in filled.missing


def _checklist(
    letter_destination: str, include: tuple[str, ...], blanks: dict[str, str]
) -> dict[str, bool]:
    values = case_values(_case(), Identity("Zoë", "06"), TAXONOMY, language="nl", summary="S")
    letter = draft_letter(
        BOOK, _request(letter_destination, include, blanks=blanks), values, frozenset(SCOPE_KEYS)
    )
    return {item.key: item.present for item in letter.checklist}


INVESTIGATION_NEEDS = {
    "name_and_address": (("name",), ("reporter_address",)),
    "what_is_reported": (("summary",), ()),
    "suspicion": ((), ("suspicion",)),
    "organisation": ((), ("organisation_address",)),
    "court_proceedings": ((), ("court_proceedings",)),
    "signature": ((), ("signature",)),
}


@pytest.mark.parametrize("item", sorted(INVESTIGATION_NEEDS))
def test_the_investigation_checklist_flags_each_missing_element(item: str) -> None:
    all_facts = ("name", "summary")
    all_blanks = {
        "reporter_address": "Dorpsstraat 1",
        "suspicion": "Facturen",
        "organisation_address": "Partij, Den Haag",
        "court_proceedings": "geen",
        "signature": "A. Adviseur",
    }
    complete = _checklist("whistleblower_authority.investigation", all_facts, all_blanks)
    assert all(complete.values())
    facts, blanks = INVESTIGATION_NEEDS[item]
    without = _checklist(
        "whistleblower_authority.investigation",
        tuple(f for f in all_facts if f not in facts),
        {k: v for k, v in all_blanks.items() if k not in blanks},
    )
    assert without[item] is False
    assert without["date"] is True


def test_the_advice_department_needs_only_the_question_and_the_situation() -> None:
    checked = _checklist("whistleblower_authority.advice", ("work_situation",), {})
    assert checked == {"question": True, "situation": True}
    assert _checklist("whistleblower_authority.advice", (), {})["situation"] is False
    assert BOOK.conditions_for("whistleblower_authority.advice")
    assert not BOOK.conditions_for("occupational_health")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2029, 1, 4), ""),  # more than three months before 5 April 2029
        (dt.date(2029, 1, 5), "loopt af"),  # three months before: warned
        (dt.date(2029, 4, 4), "loopt af"),  # a day before
        (dt.date(2029, 4, 5), "loopt af"),  # on the last day
        (dt.date(2029, 4, 6), "verstreken"),  # after
    ],
)
def test_the_complaint_deadline_warns_at_its_edges(today: dt.date, expected: str) -> None:
    warnings = deadline_warnings("complaints_committee", _case(), OrganisationRules(), today)
    if expected:
        assert len(warnings) == 1 and expected in warnings[0]
    else:
        assert warnings == ()
    assert deadline_warnings("occupational_health", _case(), OrganisationRules(), today) == ()


def test_relied_on_names_the_consents_that_cover_the_facts() -> None:
    ledger = ConsentLedger(
        (
            _consent({"name"}, "gp", cid=1),
            _consent({"period"}, "gp", cid=2),
            _consent({"name"}, "police", cid=3),
        ),
        (Withdrawal(2, NOW - dt.timedelta(hours=1)),),
    )
    assert relied_on(ledger, "gp", ("name", "period"), now=NOW) == (1,)


# -- the property ---------------------------------------------------------------------------

CONTENT_FIELDS = ("notes", "advice", "next_steps", "wishes", "outcome")


@st.composite
def _consent_sets(draw: st.DrawFn) -> tuple[ConsentLedger, str]:
    destination = draw(st.sampled_from(DESTINATIONS))
    consents = []
    withdrawals = []
    for index in range(draw(st.integers(0, 5))):
        given = NOW - dt.timedelta(days=draw(st.integers(0, 30)), minutes=1)
        consents.append(
            ConsentRecord(
                draw(st.sampled_from(("referral", "identity", "third_party"))),
                frozenset(draw(st.sets(st.sampled_from(SCOPE_KEYS), min_size=1))),
                "oral",
                given,
                draw(st.sampled_from((destination, "gp", "police"))),
                id=index + 1,
            )
        )
        if draw(st.booleans()):
            withdrawals.append(Withdrawal(index + 1, given + dt.timedelta(minutes=1)))
    consents = [
        c
        if c.purpose == "referral"
        else ConsentRecord(c.purpose, c.scope, c.form, c.given_at, None, id=c.id)
        for c in consents
    ]
    return ConsentLedger(tuple(consents), tuple(withdrawals)), destination


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=_consent_sets(),
    wanted=st.sets(st.sampled_from(SCOPE_KEYS)),
    language=st.sampled_from(("nl", "en")),
)
def test_a_letter_never_holds_a_fact_without_a_live_covering_consent(
    drawn: tuple[ConsentLedger, str], wanted: set[str], language: str
) -> None:
    ledger, destination = drawn
    marker = {key: f"Q{index}Z{key.upper()}X" for index, key in enumerate(SCOPE_KEYS)}
    case = _case(
        reporter_role="employee",
        work_situation=marker["work_situation"],
        wishes="WISHMARKERQ",
        outcome="OUTCOMEMARKERQ",
    )
    identity = Identity(marker["name"], marker["contact"])
    values = case_values(case, identity, TAXONOMY, language=language, summary=marker["summary"])
    consented = consented_scope(ledger, destination, now=NOW)
    choices = {c.key: c for c in fact_choices(BOOK, destination, values, consented)}
    include = tuple(sorted(wanted))
    try:
        letter = draft_letter(
            BOOK, _request(destination, include, language=language), values, consented
        )
    except ValidationError as refused:
        refused_keys = {path for path, _ in refused.problems}
        assert refused_keys == {key for key in include if not choices[key].allowed}
        assert refused_keys
        return
    live = set()
    for consent in ledger.active_at(NOW, "referral", destination):
        live |= consent.scope
    for key in ("name", "contact", "work_situation", "summary"):
        if key not in live or key not in BOOK.kind_for(destination).facts:
            assert marker[key] not in letter.text
    for text in ("MARK-notes", "MARK-advice", "MARK-next", "WISHMARKERQ", "OUTCOMEMARKERQ"):
        assert text not in letter.text
    assert set(letter.facts) == set(include)
