"""Provides the `consents` and `protocol` entries of a stored case in the interchange form.

Only what the format can carry (`docs/interchange.md`): the effective consents (with
`withdrawn`), and each procedure closed by a disclosure, built from its latest effective
steps. Open or abandoned procedures, addenda and information requests are not part of the
format. The reverse, reading these entries, is `domain.protocol_interchange`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.protocol import (
    ConsentAttempt,
    Consultation,
    Disclosure,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    ReferralOffer,
    Step,
)
from confidant_tui.domain.protocol_time import moment_text


def consent_date(moment: dt.datetime) -> str:
    """A consent's date as exchanged: `YYYY-MM-DD`, or the moment when it has a time."""
    return moment.date().isoformat() if moment.time() == dt.time(0, 0) else moment_text(moment)


def case_protocol(ledger: ConsentLedger, procedures: Iterable[Procedure]) -> dict[str, list[Any]]:
    """A case's `consents` and `protocol` entries.

    Args:
        ledger: the case's consent ledger.
        procedures: the case's procedures, oldest first.
    """
    consents = []
    for record in ledger.effective():
        withdrawn = ledger.withdrawn_at(record.id)
        consents.append(
            {
                "purpose": record.purpose,
                "destination": record.destination,
                "scope": sorted(record.scope),
                "form": record.form,
                "date": consent_date(record.given_at),
                "withdrawn": consent_date(withdrawn) if withdrawn else None,
            }
        )
    protocol = []
    for procedure in procedures:
        disclosure = procedure.disclosure
        if disclosure is not None:
            protocol.append(protocol_entry(procedure, disclosure))
    return {"consents": consents, "protocol": protocol}


def protocol_entry(procedure: Procedure, disclosure: Disclosure) -> dict[str, Any]:
    """The `protocol` entry of a procedure closed by `disclosure`."""
    basis = procedure.latest(LegalBasis)
    forbidden = procedure.latest(InformingForbidden)
    informings = procedure.of_kind(Informing)
    before = [s for s in informings if s.at < disclosure.at]
    informing = before[-1] if before else (informings[-1] if informings else None)

    def text(kind: type[Step], attribute: str) -> str | None:
        step = procedure.latest(kind)
        return getattr(step, attribute) if step is not None else None

    return {
        "ground": procedure.effective_ground,
        "legal_basis": basis.legal_basis if basis else None,
        "demanded_by": basis.demanded_by if basis else None,
        "conditions": {str(n): t for n, t in sorted(procedure.conditions().items())} or None,
        "consent_attempts": text(ConsentAttempt, "description"),
        "consulted": text(Consultation, "consulted"),
        "informed_at": moment_text(informing.at) if informing else None,
        "informed_how": informing.how or None if informing else None,
        "reporter_reaction": informing.reaction or None if informing else None,
        "referral_offered": text(ReferralOffer, "explanation"),
        "disclosed_at": moment_text(disclosure.at),
        "recipient": disclosure.recipient or None,
        "disclosed_how": disclosure.how or None,
        "disclosed": disclosure.what or None,
        "shared": sorted(disclosure.shared),
        "justification": text(Justification, "text"),
        "informing_forbidden_by": forbidden.forbidden_by if forbidden else None,
        "informing_forbidden_reference": forbidden.reference if forbidden else None,
    }
