"""The consent ledger: what is consented now, what was consented at moment T, and its rules."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.consent import (
    ConsentLedger,
    ConsentRecord,
    Withdrawal,
    check_consent,
    check_withdrawal,
    consent_problems,
    disclosure_consent_problems,
    withdrawal_problems,
)
from confidant_tui.errors import ValidationError

NOW = dt.datetime(2025, 6, 1, 12, 0)


def day(d: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2025, 5, d, hour)


def record(purpose: str, scope: set[str], given: dt.datetime, **extra: object) -> ConsentRecord:
    return ConsentRecord(purpose, frozenset(scope), "oral", given, **extra)  # type: ignore[arg-type]


GP = record("referral", {"role", "work_situation"}, day(2), destination="occupational_health", id=1)
THIRD = record("third_party", {"summary"}, day(3), id=2)
THIRD_MORE = record("third_party", {"role", "period"}, day(5), id=3)
LEDGER = ConsentLedger((GP, THIRD, THIRD_MORE), (Withdrawal(2, day(10)),))


def test_consented_now_follows_withdrawals() -> None:
    assert LEDGER.consented_now("third_party", now=NOW) == {"role", "period"}
    assert LEDGER.consented_now("referral", "occupational_health", now=NOW) == {
        "role",
        "work_situation",
    }
    assert LEDGER.consented_now("referral", "gp", now=NOW) == frozenset()
    assert LEDGER.consented_now("identity", now=NOW) == frozenset()


def test_consented_at_answers_for_any_moment() -> None:
    assert LEDGER.consented_at(day(1), "third_party") == frozenset()
    assert LEDGER.consented_at(day(3), "third_party") == {"summary"}
    assert LEDGER.consented_at(day(6), "third_party") == {"summary", "role", "period"}
    assert LEDGER.consented_at(day(10), "third_party") == {"role", "period"}
    assert LEDGER.consented_at(day(9, 23), "third_party") == {"summary", "role", "period"}


def test_a_correction_replaces_the_corrected_consent() -> None:
    corrected = ConsentLedger(
        (
            GP,
            record(
                "referral", {"role"}, day(2), destination="occupational_health", corrects=1, id=4
            ),
        ),
    )
    assert corrected.consented_at(day(3), "referral", "occupational_health") == {"role"}
    assert [c.id for c in corrected.effective()] == [4]


def test_statistics_are_opt_out() -> None:
    assert ConsentLedger().counted_in_statistics(NOW)
    stats = record("statistics", set(), day(1), id=7)
    assert ConsentLedger((stats,)).counted_in_statistics(NOW)
    withdrawn = ConsentLedger((stats,), (Withdrawal(7, day(4)),))
    assert not withdrawn.counted_in_statistics(NOW)
    assert withdrawn.counted_in_statistics(day(3))


def test_a_valid_consent_passes() -> None:
    check_consent(GP, ConsentLedger(), now=NOW)
    check_consent(record("identity", {"name"}, NOW), ConsentLedger(), now=NOW)


@pytest.mark.parametrize(
    ("consent", "field", "message"),
    [
        (record("gossip", {"name"}, day(1)), "purpose", "Onbekend doel van de toestemming."),
        (
            record("referral", {"role"}, day(1)),
            "destination",
            "Bij toestemming voor een verwijzing hoort de bestemming.",
        ),
        (
            record("referral", {"role"}, day(1), destination="moon"),
            "destination",
            "Onbekende bestemming voor de verwijzing.",
        ),
        (
            record("third_party", {"role"}, day(1), destination="gp"),
            "destination",
            "Alleen toestemming voor een verwijzing heeft een bestemming.",
        ),
        (record("third_party", {"role", "diary"}, day(1)), "scope", "Onbekende reikwijdte: diary."),
        (
            ConsentRecord("third_party", frozenset({"role"}), "telepathic", day(1)),
            "form",
            "Geef aan of de toestemming mondeling of schriftelijk is gegeven.",
        ),
        (
            record("third_party", {"role"}, NOW + dt.timedelta(minutes=1)),
            "date",
            "Een toestemming kan niet in de toekomst liggen.",
        ),
        (
            record("third_party", {"role"}, day(1), corrects=99),
            "corrects",
            "De toestemming die gecorrigeerd moet worden, bestaat niet.",
        ),
        (
            record("third_party", {"role"}, day(1), corrects=2),
            "corrects",
            "Een ingetrokken toestemming kan niet worden gecorrigeerd; voeg een aanvulling toe.",
        ),
    ],
)
def test_each_consent_rule_has_its_message(
    consent: ConsentRecord, field: str, message: str
) -> None:
    assert consent_problems(consent, LEDGER, now=NOW) == [(field, message)]
    with pytest.raises(ValidationError) as caught:
        check_consent(consent, LEDGER, now=NOW)
    assert caught.value.problems == [(field, message)]


def test_an_already_corrected_consent_cannot_be_corrected_again() -> None:
    ledger = ConsentLedger(
        (GP, record("referral", {"role"}, day(2), destination="gp", corrects=1, id=4))
    )
    problems = consent_problems(
        record("third_party", {"role"}, day(3), corrects=1), ledger, now=NOW
    )
    assert problems == [
        ("corrects", "Die toestemming is al gecorrigeerd; corrigeer de laatste versie.")
    ]


@pytest.mark.parametrize(
    ("withdrawal", "message"),
    [
        (Withdrawal(99, day(20)), "De toestemming die ingetrokken moet worden, bestaat niet."),
        (Withdrawal(2, day(20)), "Die toestemming is al ingetrokken."),
        (
            Withdrawal(3, day(4)),
            "Een toestemming kan niet worden ingetrokken voordat ze is gegeven.",
        ),
        (
            Withdrawal(3, NOW + dt.timedelta(minutes=1)),
            "Een intrekking kan niet in de toekomst liggen.",
        ),
    ],
)
def test_each_withdrawal_rule_has_its_message(withdrawal: Withdrawal, message: str) -> None:
    assert [m for _f, m in withdrawal_problems(withdrawal, LEDGER, now=NOW)] == [message]
    with pytest.raises(ValidationError):
        check_withdrawal(withdrawal, LEDGER, now=NOW)


def test_a_corrected_consent_is_withdrawn_through_its_correction() -> None:
    ledger = ConsentLedger(
        (GP, record("referral", {"role"}, day(2), destination="gp", corrects=1, id=4))
    )
    assert [m for _f, m in withdrawal_problems(Withdrawal(1, day(5)), ledger, now=NOW)] == [
        "Die toestemming is gecorrigeerd; trek de laatste versie in."
    ]
    check_withdrawal(Withdrawal(4, day(5)), ledger, now=NOW)


def test_moments_are_kept_to_the_minute() -> None:
    consent = record("third_party", {"role"}, dt.datetime(2025, 5, 1, 9, 30, 59))
    assert consent.given_at == dt.datetime(2025, 5, 1, 9, 30)


def test_a_disclosure_is_covered_by_one_live_consent_among_several() -> None:
    narrow = record("third_party", {"role"}, day(2), id=1)
    wide = record("third_party", {"role", "summary"}, day(3), id=2)
    shared = frozenset({"role", "summary"})
    for consents in ((narrow, wide), (wide, narrow)):
        ledger = ConsentLedger(consents)
        assert disclosure_consent_problems(ledger, day(4), shared) == []
        assert disclosure_consent_problems(ledger, day(4), frozenset({"role"})) == []
        problems = disclosure_consent_problems(ledger, day(4), frozenset({"summary", "period"}))
        assert [f for f, _m in problems] == ["shared"] and "period" in problems[0][1]
    withdrawn = ConsentLedger((narrow, wide), (Withdrawal(2, day(3, 12)),))
    problems = disclosure_consent_problems(withdrawn, day(4), shared)
    assert [f for f, _m in problems] == ["shared"] and "summary" in problems[0][1]
