"""The pure check of `consents` and `protocol` entries, without a vault."""

from __future__ import annotations

import datetime as dt

from protocol_import_cases import CONDITIONS, consent_entry, distress_entry, third_party

from confidant_tui.domain.protocol import Disclosure, Informing, InformingForbidden
from confidant_tui.domain.protocol_interchange import (
    parse_case_consents_and_protocol,
    validate_case_consents_and_protocol,
)

NOW = dt.datetime(2025, 6, 1, 12, 0)


def test_a_valid_case_converts_to_steps_in_order() -> None:
    case = {"consents": [third_party()], "protocol": [distress_entry(), consent_entry()]}
    parsed, problems = parse_case_consents_and_protocol(case, "cases[2]", NOW)
    assert problems == []
    assert parsed.consents[0].record.given_at == dt.datetime(2025, 4, 30)
    kinds = [s.kind for s in parsed.procedures[0].steps]
    assert kinds.index("informing") < kinds.index("disclosure") == len(kinds) - 1
    assert kinds.count("condition") == 8


def test_problems_carry_the_full_path() -> None:
    case = {"protocol": [distress_entry(), distress_entry(informed_at="2025-05-01T15:00")]}
    assert validate_case_consents_and_protocol(case, "cases[2]", NOW) == [
        (
            "cases[2].protocol[1].informed_at",
            "De melder is ingelicht op 01-05-2025 15:00, in dezelfde minuut als de doorbreking: "
            "de melder moet vóór de doorbreking worden ingelicht.",
        )
    ]


def test_a_later_informing_after_a_prohibition_comes_after_the_disclosure() -> None:
    entry = distress_entry(
        ground="duty_to_disclose",
        conditions=None,
        legal_basis="vordering",
        demanded_by="rc",
        informed_at="2025-05-09T09:00",
        informing_forbidden_by="rc",
        informing_forbidden_reference="k-1",
    )
    parsed, problems = parse_case_consents_and_protocol({"protocol": [entry]}, "cases[0]", NOW)
    assert problems == []
    steps = parsed.procedures[0].steps
    assert isinstance(steps[-1], Informing) and isinstance(steps[-2], Disclosure)
    assert any(isinstance(s, InformingForbidden) for s in steps)


def test_wrong_types_are_named_not_crashed_on() -> None:
    case = {"consents": "all", "protocol": [{"ground": 3, "shared": "name", "conditions": []}]}
    paths = [p for p, _m in validate_case_consents_and_protocol(case, "cases[0]", NOW)]
    assert "cases[0].consents" in paths
    assert {"cases[0].protocol[0].ground", "cases[0].protocol[0].shared"} <= set(paths)
    assert "cases[0].protocol[0].conditions" in paths


def test_condition_keys_are_the_ascii_numbers_1_to_8() -> None:
    for key in ("²", "١", "０", "9", "01", " 1"):
        conditions = {**CONDITIONS, key: "uitleg"}
        case = {"protocol": [distress_entry(conditions=conditions)]}
        paths = [p for p, _m in validate_case_consents_and_protocol(case, "cases[0]", NOW)]
        assert paths == [f"cases[0].protocol[0].conditions.{key}"]


def test_consent_and_protocol_moments_are_only_the_documented_forms() -> None:
    for value in (
        "20250430",
        "2025-W18-3",
        "٢٠٢٥-٠٤-٣٠",
        "2025-04-30T10:00:00",
        "2025-04-30 10:00",
    ):
        case = {"consents": [third_party(date=value)]}
        problems = validate_case_consents_and_protocol(case, "cases[0]", NOW)
        assert [p for p, _m in problems] == ["cases[0].consents[0].date"], value
    for value in ("20250501T1500", "2025-05-01", "2025-05-01T15:00Z"):
        case = {"protocol": [distress_entry(disclosed_at=value)]}
        problems = validate_case_consents_and_protocol(case, "cases[0]", NOW)
        assert "cases[0].protocol[0].disclosed_at" in [p for p, _m in problems], value
