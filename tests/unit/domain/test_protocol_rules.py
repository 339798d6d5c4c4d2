"""The rules of "vertrouwelijk, tenzij": every way to get a disclosure wrong, with its message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from confidant_tui import i18n
from confidant_tui.domain.consent import ConsentLedger, ConsentRecord, Withdrawal
from confidant_tui.domain.protocol import (
    Abandonment,
    Addendum,
    ConditionExplained,
    ConsentAttempt,
    Consultation,
    Disclosure,
    GroundChosen,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    ReferralOffer,
    Step,
)
from confidant_tui.domain.protocol_rules import (
    check_opening,
    check_step,
    record_step,
    step_problems,
)
from confidant_tui.errors import ProtocolViolation

NOW = dt.datetime(2025, 6, 1, 12, 0)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour, minute)


def build(ground: str | None, steps: Iterable[Step]) -> Procedure:
    """A procedure with the given steps, each given the next id."""
    procedure = Procedure(opened_at=at(1, 9), ground=ground, id=1, case_id=1)
    for number, step in enumerate(steps, start=1):
        procedure = procedure.with_step(_with_id(step, number))
    return procedure


def _with_id(step: Step, number: int) -> Step:
    from dataclasses import replace

    return replace(step, id=number)


def conditions(skip: int | None = None, blank: int | None = None) -> list[Step]:
    return [
        ConditionExplained(at=at(2, 9), number=n, explanation="  " if n == blank else f"uitleg {n}")
        for n in range(1, 9)
        if n != skip
    ]


def informed(moment: dt.datetime | None = None) -> Informing:
    return Informing(
        at=moment or at(3, 10), how="telefonisch", reaction="geschrokken, begrijpt het"
    )


JUSTIFIED = Justification(at=at(3, 9), text="Acuut gevaar voor een collega.")


def disclose(moment: dt.datetime | None = None, shared: Iterable[str] = ("summary",)) -> Disclosure:
    return Disclosure(
        at=moment or at(3, 15),
        recipient="bestuurder",
        how="telefonisch",
        what="de kern",
        shared=frozenset(shared),
    )


def complete(ground: str) -> list[Step]:
    steps: list[Step] = [JUSTIFIED, informed()]
    if ground == "conscientious_distress":
        steps += conditions()
    if ground in ("duty_to_report", "duty_to_disclose"):
        steps.append(LegalBasis(at=at(2, 9), legal_basis="art. 160 Sv", demanded_by="OM"))
    return steps


def consent_ledger(
    *records: ConsentRecord, withdrawals: Iterable[Withdrawal] = ()
) -> ConsentLedger:
    numbered = tuple(
        ConsentRecord(
            purpose=r.purpose,
            scope=r.scope,
            form=r.form,
            given_at=r.given_at,
            destination=r.destination,
            id=r.id or i,
            corrects=r.corrects,
        )
        for i, r in enumerate(records, start=1)
    )
    return ConsentLedger(numbered, tuple(withdrawals))


def third_party(given: dt.datetime, scope: Iterable[str] = ("summary", "role")) -> ConsentRecord:
    return ConsentRecord("third_party", frozenset(scope), "written", given)


def refused(procedure: Procedure, step: Step, ledger: ConsentLedger | None = None) -> dict:
    with pytest.raises(ProtocolViolation) as caught:
        check_step(procedure, step, ledger=ledger or ConsentLedger(), now=NOW)
    return dict(caught.value.problems)


def accepted(procedure: Procedure, step: Step, ledger: ConsentLedger | None = None) -> Procedure:
    return record_step(procedure, step, ledger=ledger or ConsentLedger(), now=NOW)


# -- complete procedures are accepted ------------------------------------------------------


@pytest.mark.parametrize("ground", ["conscientious_distress", "duty_to_report", "duty_to_disclose"])
def test_a_complete_procedure_may_disclose_and_is_then_closed(ground: str) -> None:
    procedure = accepted(build(ground, complete(ground)), disclose())
    assert procedure.is_closed
    assert procedure.disclosure is not None
    assert procedure.open_items() == []
    assert not procedure.flagged


def test_a_disclosure_with_covering_consent_is_accepted() -> None:
    ledger = consent_ledger(third_party(at(2, 9)))
    procedure = accepted(build("consent", complete("consent")), disclose(), ledger)
    assert procedure.is_closed


def test_steps_recorded_one_by_one_over_days_lead_to_a_disclosure() -> None:
    procedure = Procedure(opened_at=at(1, 9), ground="conscientious_distress")
    for step in [
        ConsentAttempt(at=at(1, 10), description="Gevraagd, geweigerd."),
        Consultation(at=at(1, 11), consulted="LVV-helpdesk, geanonimiseerd"),
        *conditions(),
        ReferralOffer(at=at(2, 10), offered=True, explanation="Externe VP aangeboden."),
        JUSTIFIED,
        informed(),
    ]:
        procedure = accepted(procedure, step)
    assert not procedure.is_closed
    assert accepted(procedure, disclose()).is_closed


# -- the order of informing ----------------------------------------------------------------


def test_informing_after_the_disclosure_is_refused() -> None:
    steps = [JUSTIFIED, informed(at(3, 16)), *conditions()]
    problems = refused(build("conscientious_distress", steps), disclose(at(3, 15)))
    assert set(problems) == {"informed_at"}
    assert problems["informed_at"] == (
        "De melder is ingelicht op 03-05-2025 16:00, na de doorbreking op 03-05-2025 15:00: "
        "de melder moet vóór de doorbreking worden ingelicht."
    )


def test_informing_in_the_same_minute_as_the_disclosure_is_refused() -> None:
    steps = [JUSTIFIED, informed(at(3, 15)), *conditions()]
    problems = refused(build("conscientious_distress", steps), disclose(at(3, 15)))
    assert set(problems) == {"informed_at"}
    assert "in dezelfde minuut als de doorbreking" in problems["informed_at"]


def test_seconds_do_not_count_the_same_minute_is_not_before() -> None:
    steps = [JUSTIFIED, informed(at(3, 15).replace(second=1)), *conditions()]
    procedure = build("conscientious_distress", steps)
    problems = refused(procedure, disclose(at(3, 15).replace(second=59)))
    assert "in dezelfde minuut" in problems["informed_at"]


def test_no_informing_at_all_is_refused() -> None:
    problems = refused(
        build("duty_to_report", [JUSTIFIED, *complete("duty_to_report")[2:]]), disclose()
    )
    assert problems == {
        "informed_at": "De melder is niet vooraf ingelicht: leg vast wanneer en hoe u de melder "
        "over het voornemen tot doorbreken hebt verteld, vóór de doorbreking."
    }


def test_one_informing_before_is_enough_even_with_a_later_one() -> None:
    steps = [*complete("duty_to_report"), informed(at(3, 18))]
    assert accepted(build("duty_to_report", steps), disclose(at(3, 15))).is_closed


def test_a_corrected_informing_no_longer_counts() -> None:
    steps = [*complete("duty_to_report")]  # informing is step 2
    correction = Informing(at=at(3, 17), how="per mail", corrects=2)
    problems = refused(build("duty_to_report", [*steps, correction]), disclose(at(3, 15)))
    assert "na de doorbreking" in problems["informed_at"]


# -- ground, justification, conditions, legal basis ----------------------------------------


def test_no_ground_is_refused() -> None:
    problems = refused(build(None, [JUSTIFIED, informed()]), disclose())
    assert problems == {
        "ground": "Er is geen grond vastgelegd: kies vóór de doorbreking toestemming, ernstige "
        "gewetensnood, een wettelijke aangifteplicht of een wettelijke plicht tot verstrekken."
    }


def test_a_ground_chosen_later_counts() -> None:
    procedure = accepted(
        build(None, complete("duty_to_report")), GroundChosen(at=at(3, 11), ground="duty_to_report")
    )
    assert procedure.effective_ground == "duty_to_report"
    assert accepted(procedure, disclose()).is_closed


def test_an_unknown_ground_is_refused_when_chosen() -> None:
    problems = refused(build(None, []), GroundChosen(at=at(3, 11), ground="gut_feeling"))
    assert problems == {"ground": "Onbekende grond voor het doorbreken van de vertrouwelijkheid."}


def test_no_justification_is_refused() -> None:
    steps = [informed(), *conditions()]
    problems = refused(build("conscientious_distress", steps), disclose())
    assert problems == {
        "justification": "Er is geen motivering vastgelegd: schrijf op waarom de "
        "vertrouwelijkheid wordt doorbroken, vóór u de doorbreking vastlegt."
    }


def test_an_empty_justification_is_refused_at_disclosure_and_when_recorded() -> None:
    blank = Justification(at=at(3, 9), text="   ")
    problems = refused(
        build("conscientious_distress", [blank, informed(), *conditions()]), disclose()
    )
    assert set(problems) == {"justification"}
    assert set(refused(build("conscientious_distress", []), blank)) == {"justification"}


@pytest.mark.parametrize("number", range(1, 9))
def test_a_missing_condition_is_refused(number: int) -> None:
    steps = [JUSTIFIED, informed(), *conditions(skip=number)]
    problems = refused(build("conscientious_distress", steps), disclose())
    assert set(problems) == {f"conditions.{number}"}
    assert problems[f"conditions.{number}"].startswith(f"LVV-voorwaarde {number} (")
    assert problems[f"conditions.{number}"].endswith(
        "is niet toegelicht: licht haar vóór de doorbreking in uw eigen woorden toe."
    )


@pytest.mark.parametrize("number", [1, 6, 8])
def test_an_empty_condition_is_refused(number: int) -> None:
    steps = [JUSTIFIED, informed(), *conditions(blank=number)]
    problems = refused(build("conscientious_distress", steps), disclose())
    assert set(problems) == {f"conditions.{number}"}


def test_condition_titles_name_the_lvv_condition() -> None:
    problems = refused(
        build("conscientious_distress", [JUSTIFIED, informed(), *conditions(skip=1)]), disclose()
    )
    assert "(ernstige gewetensnood)" in problems["conditions.1"]


def test_an_empty_explanation_or_a_ninth_condition_cannot_be_recorded() -> None:
    procedure = build("conscientious_distress", [])
    assert refused(procedure, ConditionExplained(at=at(2, 9), number=3, explanation=" ")) == {
        "conditions.3": "Licht de voorwaarde in uw eigen woorden toe."
    }
    assert set(refused(procedure, ConditionExplained(at=at(2, 9), number=9, explanation="x"))) == {
        "conditions"
    }


def test_a_corrected_condition_uses_the_correction() -> None:
    steps = [JUSTIFIED, informed(), *conditions()]  # condition 1 is step 3
    procedure = build("conscientious_distress", steps)
    procedure = accepted(
        procedure, ConditionExplained(at=at(3, 11), number=1, explanation="beter", corrects=3)
    )
    assert procedure.conditions()[1] == "beter"
    wrong = ConditionExplained(at=at(3, 11), number=3, explanation="x", corrects=4)
    assert refused(procedure, wrong) == {
        "corrects": "Een voorwaarde wordt gecorrigeerd met een toelichting op dezelfde voorwaarde."
    }
    assert set(
        refused(procedure, ConditionExplained(at=at(3, 11), number=1, explanation="x", corrects=3))
    ) == {"corrects"}


@pytest.mark.parametrize("ground", ["duty_to_report", "duty_to_disclose"])
def test_a_legal_duty_without_its_basis_is_refused(ground: str) -> None:
    problems = refused(build(ground, [JUSTIFIED, informed()]), disclose())
    assert set(problems) == {"legal_basis", "demanded_by"}
    assert problems["legal_basis"].startswith("De wettelijke grondslag van de plicht is niet")
    assert problems["demanded_by"] == "Er is niet vastgelegd wie om de verstrekking vraagt."


def test_a_legal_basis_needs_both_fields_when_recorded() -> None:
    procedure = build("duty_to_report", [])
    problems = refused(procedure, LegalBasis(at=at(2, 9), legal_basis="", demanded_by=" "))
    assert set(problems) == {"legal_basis", "demanded_by"}


def test_conditions_are_not_demanded_for_a_legal_duty() -> None:
    assert accepted(build("duty_to_report", complete("duty_to_report")), disclose()).is_closed


def test_every_missing_step_is_named_at_once() -> None:
    problems = refused(build("conscientious_distress", []), disclose())
    assert set(problems) == {"justification", "informed_at"} | {
        f"conditions.{n}" for n in range(1, 9)
    }


# -- informing forbidden under a duty to disclose ------------------------------------------


def forbidden() -> InformingForbidden:
    return InformingForbidden(
        at=at(2, 12), forbidden_by="officier van justitie", reference="PARKET-1"
    )


def test_duty_to_disclose_may_replace_informing_by_a_prohibition_and_is_flagged() -> None:
    steps = [
        JUSTIFIED,
        LegalBasis(at=at(2, 9), legal_basis="vordering", demanded_by="rechter-commissaris"),
        forbidden(),
    ]
    procedure = accepted(build("duty_to_disclose", steps), disclose())
    assert procedure.flagged
    assert procedure.open_items() == ["inform_reporter"]
    later = accepted(procedure, informed(at(20, 9)))
    assert later.flagged
    assert later.open_items() == []
    assert set(refused(later, informed(at(21, 9)))) == {"kind"}


def test_informing_afterwards_must_come_after_the_disclosure() -> None:
    steps = [
        JUSTIFIED,
        LegalBasis(at=at(2, 9), legal_basis="vordering", demanded_by="rc"),
        forbidden(),
    ]
    procedure = accepted(build("duty_to_disclose", steps), disclose(at(3, 15)))
    assert refused(procedure, informed(at(3, 15))) == {
        "informed_at": "Het achteraf inlichten van de melder moet na de doorbreking liggen."
    }


@pytest.mark.parametrize("ground", ["consent", "conscientious_distress", "duty_to_report"])
def test_only_a_duty_to_disclose_allows_a_prohibition(ground: str) -> None:
    problems = refused(build(ground, []), forbidden())
    assert problems == {
        "informing_forbidden_by": "Alleen bij een wettelijke plicht tot verstrekken mag de "
        "vorderende instantie verbieden de melder in te lichten."
    }


def test_a_prohibition_needs_who_and_the_reference() -> None:
    problems = refused(
        build("duty_to_disclose", []),
        InformingForbidden(at=at(2, 12), forbidden_by="", reference=" "),
    )
    assert set(problems) == {"informing_forbidden_by", "informing_forbidden_reference"}


def test_a_prohibition_stops_counting_when_the_ground_changes() -> None:
    steps = [
        JUSTIFIED,
        LegalBasis(at=at(2, 9), legal_basis="b", demanded_by="d"),
        forbidden(),
        GroundChosen(at=at(2, 13), ground="duty_to_report"),
    ]
    assert set(refused(build("duty_to_disclose", steps), disclose())) == {"informed_at"}


# -- the consent ground --------------------------------------------------------------------


def consent_procedure() -> Procedure:
    return build("consent", complete("consent"))


def test_consent_ground_without_any_consent_is_refused() -> None:
    assert refused(consent_procedure(), disclose()) == {
        "shared": "Er is geen toestemming vastgelegd om met een derde te delen: leg de "
        "toestemming van de melder vast vóór de doorbreking."
    }


def test_consent_not_covering_what_was_shared_is_refused() -> None:
    ledger = consent_ledger(third_party(at(2, 9), scope=["role"]))
    problems = refused(consent_procedure(), disclose(shared=["summary", "role", "period"]), ledger)
    assert problems == {
        "shared": "De toestemming dekt niet alles wat gedeeld is; geen toestemming voor: "
        "period, summary."
    }


def test_consent_given_after_the_disclosure_is_refused() -> None:
    ledger = consent_ledger(third_party(at(3, 16)))
    problems = refused(consent_procedure(), disclose(at(3, 15)), ledger)
    assert problems == {
        "shared": "De toestemming is gegeven op 03-05-2025 16:00, niet vóór de doorbreking op "
        "03-05-2025 15:00."
    }


def test_consent_given_in_the_same_minute_is_not_before() -> None:
    ledger = consent_ledger(third_party(at(3, 15)))
    assert (
        "niet vóór de doorbreking"
        in refused(consent_procedure(), disclose(at(3, 15)), ledger)["shared"]
    )


def test_consent_withdrawn_before_the_disclosure_is_refused() -> None:
    ledger = consent_ledger(third_party(at(2, 9)), withdrawals=[Withdrawal(1, at(3, 14))])
    assert refused(consent_procedure(), disclose(at(3, 15)), ledger) == {
        "shared": "De toestemming is ingetrokken op 03-05-2025 14:00, vóór de doorbreking op "
        "03-05-2025 15:00."
    }


def test_consent_withdrawn_in_the_same_minute_is_withdrawn_by_then() -> None:
    ledger = consent_ledger(third_party(at(2, 9)), withdrawals=[Withdrawal(1, at(3, 15))])
    assert "ingetrokken" in refused(consent_procedure(), disclose(at(3, 15)), ledger)["shared"]


def test_consent_withdrawn_after_the_disclosure_still_covered_it() -> None:
    ledger = consent_ledger(third_party(at(2, 9)), withdrawals=[Withdrawal(1, at(3, 16))])
    assert accepted(consent_procedure(), disclose(at(3, 15)), ledger).is_closed


def test_sharing_a_name_needs_an_identity_consent() -> None:
    ledger = consent_ledger(third_party(at(2, 9), scope=["name", "summary"]))
    problems = refused(consent_procedure(), disclose(shared=["name", "summary"]), ledger)
    assert problems["shared"].startswith("Er wordt een naam of contactgegeven gedeeld")
    with_identity = consent_ledger(
        ConsentRecord("identity", frozenset({"name", "summary"}), "oral", at(2, 9))
    )
    assert accepted(consent_procedure(), disclose(shared=["name", "summary"]), with_identity)


def test_an_identity_consent_must_cover_everything_shared() -> None:
    ledger = consent_ledger(ConsentRecord("identity", frozenset({"contact"}), "oral", at(2, 9)))
    problems = refused(consent_procedure(), disclose(shared=["contact", "summary"]), ledger)
    assert "geen toestemming voor: summary" in problems["shared"]


def test_other_purposes_do_not_count_for_a_disclosure() -> None:
    ledger = consent_ledger(
        ConsentRecord("referral", frozenset({"summary"}), "oral", at(2, 9), destination="gp"),
        ConsentRecord("recording", frozenset({"summary"}), "oral", at(2, 9)),
    )
    assert set(refused(consent_procedure(), disclose(), ledger)) == {"shared"}


def test_a_corrected_consent_no_longer_counts() -> None:
    ledger = consent_ledger(
        third_party(at(2, 9), scope=["summary"]),
        ConsentRecord("third_party", frozenset({"role"}), "oral", at(2, 9), corrects=1),
    )
    assert "summary" in refused(consent_procedure(), disclose(shared=["summary"]), ledger)["shared"]


def test_unknown_scope_keys_are_refused() -> None:
    problems = refused(
        build("duty_to_report", complete("duty_to_report")), disclose(shared=["shoe_size"])
    )
    assert problems == {"shared": "Onbekende reikwijdte: shoe_size."}


# -- the clock, closing, corrections -------------------------------------------------------


def test_a_disclosure_in_the_future_is_refused() -> None:
    procedure = build("duty_to_report", complete("duty_to_report"))
    problems = refused(procedure, disclose(NOW + dt.timedelta(minutes=1)))
    assert problems == {"disclosed_at": "Een stap van het protocol kan niet in de toekomst liggen."}
    assert accepted(procedure, disclose(NOW + dt.timedelta(seconds=59))).is_closed


@pytest.mark.parametrize(
    "step",
    [
        informed(NOW + dt.timedelta(days=1)),
        Justification(at=NOW + dt.timedelta(hours=1), text="x"),
        ConditionExplained(at=NOW + dt.timedelta(minutes=1), number=1, explanation="x"),
        Abandonment(at=NOW + dt.timedelta(minutes=1), reason="x"),
    ],
)
def test_no_step_is_dated_in_the_future(step: Step) -> None:
    assert refused(build("conscientious_distress", []), step) == {
        "at": "Een stap van het protocol kan niet in de toekomst liggen."
    }


def test_a_closed_procedure_takes_only_addenda() -> None:
    procedure = accepted(build("duty_to_report", complete("duty_to_report")), disclose())
    assert refused(procedure, JUSTIFIED) == {
        "kind": "Deze procedure is afgesloten door de doorbreking of door het besluit niet te "
        "doorbreken; alleen een aanvulling kan nog worden toegevoegd."
    }
    assert set(refused(procedure, disclose(at(3, 16)))) == {"kind"}
    note = Addendum(
        at=at(4, 9), text="Ontvanger was de voorzitter, niet de secretaris.", corrects=1
    )
    procedure = accepted(procedure, note)
    assert len(procedure.steps) == len(complete("duty_to_report")) + 2
    assert procedure.latest(Justification) == procedure.steps[0]


def test_an_addendum_must_point_to_an_existing_entry() -> None:
    procedure = build("duty_to_report", complete("duty_to_report"))
    assert set(refused(procedure, Addendum(at=at(4, 9), text="x"))) == {"corrects"}
    assert set(refused(procedure, Addendum(at=at(4, 9), text="x", corrects=99))) == {"corrects"}
    assert set(refused(procedure, Addendum(at=at(4, 9), text=" ", corrects=1))) == {"text"}


def test_a_step_is_corrected_by_its_own_kind_only_once() -> None:
    procedure = build("duty_to_report", complete("duty_to_report"))  # 1 justification
    assert set(refused(procedure, Informing(at=at(3, 9), corrects=1))) == {"corrects"}
    procedure = accepted(procedure, Justification(at=at(3, 11), text="scherper", corrects=1))
    assert procedure.latest(Justification).text == "scherper"
    assert set(refused(procedure, Justification(at=at(3, 12), text="y", corrects=1))) == {
        "corrects"
    }


def test_the_adviser_may_decide_not_to_disclose() -> None:
    procedure = accepted(
        build("conscientious_distress", [JUSTIFIED]),
        Abandonment(at=at(4, 9), reason="Melder heeft zelf de politie ingeschakeld."),
    )
    assert procedure.is_closed and procedure.disclosure is None
    assert set(refused(procedure, disclose(at(4, 10)))) == {"kind"}
    assert refused(build("consent", []), Abandonment(at=at(4, 9), reason="")) == {
        "reason": "Geef aan waarom u besloot de vertrouwelijkheid toch niet te doorbreken."
    }


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (ConsentAttempt(at=at(1, 9), description=" "), "consent_attempts"),
        (Consultation(at=at(1, 9), consulted=""), "consulted"),
        (ReferralOffer(at=at(1, 9), offered=False, explanation=""), "referral_offered"),
    ],
)
def test_text_steps_need_their_text(step: Step, field: str) -> None:
    assert set(refused(build("consent", []), step)) == {field}


def test_opening_checks_the_ground_and_the_clock() -> None:
    check_opening("consent", NOW, NOW)
    check_opening(None, NOW, NOW)
    with pytest.raises(ProtocolViolation) as caught:
        check_opening("hunch", NOW + dt.timedelta(minutes=1), NOW)
    assert {f for f, _m in caught.value.problems} == {"ground", "opened_at"}


def test_messages_are_english_when_asked() -> None:
    i18n.set_language("en")
    problems = step_problems(build(None, []), disclose(), ledger=ConsentLedger(), now=NOW)
    assert dict(problems)["ground"].startswith("No ground is recorded")
    with pytest.raises(ProtocolViolation) as caught:
        check_step(build(None, []), disclose(), ledger=ConsentLedger(), now=NOW)
    assert caught.value.message.startswith("This step of the protocol cannot be recorded.")


def test_recorded_moments_are_truncated_to_the_minute() -> None:
    procedure = accepted(build("consent", []), Informing(at=at(3, 10).replace(second=42)))
    assert procedure.steps[-1].at == at(3, 10)
