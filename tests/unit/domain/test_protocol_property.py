"""Property: for random step sequences, a disclosure is accepted exactly when the rules say so.

The oracle below restates the rules of the protocol issue directly from their wording, without
using the domain's own helpers, so that a mistake in one is caught by the other.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from confidant_tui.domain.consent import ConsentLedger, ConsentRecord, Withdrawal
from confidant_tui.domain.protocol import (
    ConditionExplained,
    Disclosure,
    GroundChosen,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    Step,
)
from confidant_tui.domain.protocol_rules import step_problems

BASE = dt.datetime(2025, 5, 3, 15, 0)
NOW = BASE + dt.timedelta(minutes=2)
GROUNDS = ["consent", "conscientious_distress", "duty_to_report", "duty_to_disclose"]
KEYS = ["name", "contact", "role", "work_situation", "categories", "period", "summary", "routes"]

moments = st.integers(min_value=-3, max_value=3).map(lambda k: BASE + dt.timedelta(minutes=k))
texts = st.sampled_from(["", "  ", "uitleg"])

step_strategy = st.one_of(
    st.builds(lambda at, how: Informing(at=at, how=how), moments, texts),
    st.builds(lambda at, text: Justification(at=at, text=text), moments, texts),
    st.builds(
        lambda at, n, text: ConditionExplained(at=at, number=n, explanation=text),
        moments,
        st.integers(1, 8),
        st.sampled_from(["", "uitleg", "uitleg", "uitleg"]),
    ),
    st.builds(
        lambda at, basis, by: LegalBasis(at=at, legal_basis=basis, demanded_by=by),
        moments,
        texts,
        texts,
    ),
    st.builds(lambda at: InformingForbidden(at=at, forbidden_by="rc", reference="k"), moments),
    st.builds(lambda at, g: GroundChosen(at=at, ground=g), moments, st.sampled_from(GROUNDS)),
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple:
    ground = draw(st.sampled_from([None, *GROUNDS, *GROUNDS]))
    raw = draw(st.lists(step_strategy, max_size=6))
    # The ingredients of an acceptable disclosure, each present or not, so that both
    # outcomes are common; the random steps around them may spoil or supersede them.
    if draw(st.integers(0, 3)) > 0:
        raw.append(Justification(at=draw(moments), text="motivering"))
    if draw(st.integers(0, 3)) > 0:
        raw.append(Informing(at=draw(moments), how="telefonisch"))
    if draw(st.integers(0, 3)) > 0:
        raw += [ConditionExplained(at=BASE, number=n, explanation="uitleg") for n in range(1, 9)]
    if draw(st.integers(0, 3)) > 0:
        raw.append(LegalBasis(at=draw(moments), legal_basis="art. 160 Sv", demanded_by="OM"))
    raw = draw(st.permutations(raw))
    steps: list[Step] = []
    for index, step in enumerate(raw, start=1):
        earlier_same = [s.id for s in steps if s.kind == step.kind]
        corrects = None
        if earlier_same and draw(st.integers(0, 4)) == 0:
            corrects = draw(st.sampled_from(earlier_same))
        fields = {**step.__dict__, "id": index, "corrects": corrects}
        steps.append(type(step)(**fields))
    consents = []
    for index in range(1, draw(st.integers(0, 3)) + 1):
        consents.append(
            ConsentRecord(
                draw(st.sampled_from(["third_party", "identity", "recording"])),
                frozenset(draw(st.sets(st.sampled_from(KEYS), min_size=2, max_size=6))),
                "oral",
                draw(moments),
                id=index,
            )
        )
    withdrawals = [
        Withdrawal(draw(st.integers(1, len(consents))), draw(moments))
        for _ in range(draw(st.integers(0, 2)) if consents else 0)
    ]
    disclosed_at = draw(moments)
    shared = frozenset(draw(st.sets(st.sampled_from(KEYS), max_size=2)))
    return ground, steps, consents, withdrawals, disclosed_at, shared


def oracle(ground, steps, consents, withdrawals, disclosed_at, shared) -> bool:
    """The rules, restated from the issue's wording."""
    if disclosed_at > NOW:
        return False
    replaced = {s.corrects for s in steps if s.corrects is not None}
    live = [s for s in steps if s.id not in replaced]
    for s in live:
        if isinstance(s, GroundChosen):
            ground = s.ground
    if ground is None:
        return False
    justifications = [s for s in live if isinstance(s, Justification)]
    if not justifications or justifications[-1].text.strip() == "":
        return False
    may_skip_informing = ground == "duty_to_disclose" and any(
        isinstance(s, InformingForbidden) for s in live
    )
    informed_before = any(isinstance(s, Informing) and s.at < disclosed_at for s in live)
    if not may_skip_informing and not informed_before:
        return False
    if ground == "conscientious_distress":
        for number in range(1, 9):
            explanation = ""
            for s in live:
                if isinstance(s, ConditionExplained) and s.number == number:
                    explanation = s.explanation
            if explanation.strip() == "":
                return False
    if ground in ("duty_to_report", "duty_to_disclose"):
        bases = [s for s in live if isinstance(s, LegalBasis)]
        if not bases or not bases[-1].legal_basis.strip() or not bases[-1].demanded_by.strip():
            return False
    if ground == "consent":
        needed = "identity" if ("name" in shared or "contact" in shared) else "third_party"
        for c in consents:
            withdrawn = any(
                w.consent_id == c.id and w.withdrawn_at <= disclosed_at for w in withdrawals
            )
            if (
                c.purpose == needed
                and c.given_at < disclosed_at
                and not withdrawn
                and shared <= c.scope
            ):
                return True
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_a_disclosure_is_accepted_exactly_when_the_rules_say_so(scenario: tuple) -> None:
    ground, steps, consents, withdrawals, disclosed_at, shared = scenario
    procedure = Procedure(opened_at=BASE - dt.timedelta(days=1), ground=ground, steps=tuple(steps))
    ledger = ConsentLedger(tuple(consents), tuple(withdrawals))
    disclosure = Disclosure(at=disclosed_at, recipient="r", shared=shared)
    problems = step_problems(procedure, disclosure, ledger=ledger, now=NOW)
    assert (not problems) == oracle(ground, steps, consents, withdrawals, disclosed_at, shared), (
        problems
    )
