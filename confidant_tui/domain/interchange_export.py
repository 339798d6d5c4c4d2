"""Provides `case_to_dict`: a stored case in the `confidant-cases/1` interchange form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from confidant_tui.domain.cases import Case, Identity


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_to_dict(
    case: Case, identity: Identity, sections: Mapping[str, list[Any]] | None = None
) -> dict[str, Any]:
    """The interchange form of a stored case (every key present; null when not recorded).

    Args:
        case: the case.
        identity: the reporter's identity (export carries it: the file is sensitive).
        sections: the exported extra sections ({"consents": [...], "protocol": [...]}).
    """
    facts = case.facts
    extra = dict(sections or {})
    return {
        "code": case.code,
        "organisation": facts.organisation,
        "opened": case.opened.isoformat(),
        "status": [{"status": s.status, "date": s.date.isoformat()} for s in case.status_history],
        "reporter": {
            "alias": facts.reporter_alias,
            "role": facts.reporter_role,
            "name": identity.name,
            "contact": identity.contact,
        },
        "categories": list(facts.categories),
        "relation": facts.relation,
        "power_imbalance": facts.power_imbalance,
        "level": facts.level,
        "people": [
            {"alias": p.alias, "role": p.role, "relation": p.relation} for p in facts.people
        ],
        "first_incident": _iso(facts.first_incident),
        "last_incident": _iso(facts.last_incident),
        "wishes": facts.wishes,
        "work_situation": facts.work_situation,
        "outcome": facts.outcome,
        "outcome_key": facts.outcome_key,
        "experience": facts.experience,
        "confidentiality_explained": _iso(facts.confidentiality_explained),
        "recording_consent": _iso(facts.recording_consent),
        "routes": [
            {
                "route": r.route,
                "date": r.date.isoformat(),
                "filed": _iso(r.filed),
                "acknowledged": _iso(r.acknowledged),
                "feedback": _iso(r.feedback),
                "ended": _iso(r.ended),
                "manner": r.manner,
                "outcome": r.outcome,
                "measure": r.measure,
            }
            for r in case.routes
        ],
        "referrals": [
            {"to": f.destination, "date": f.date.isoformat(), "note": f.note}
            for f in case.referrals
        ],
        "conversations": [
            {
                "date": c.date.isoformat(),
                "time": c.time.strftime("%H:%M") if c.time else None,
                "minutes": c.minutes,
                "mode": c.mode,
                "notes": c.notes,
                "advice": c.advice,
                "next_steps": c.next_steps,
                "follow_up": _iso(c.follow_up),
            }
            for c in case.conversations
        ],
        "consents": list(extra.get("consents", [])),
        "protocol": list(extra.get("protocol", [])),
    }
