"""Provides what the case file shows of the ledger's later additions and the statistics
opt-out: addenda under the entry they point to, and the header's "not counted" note.

The timeline's consent, withdrawal and request rows (`presenters/case_protocol.py`) are
built from the ledger; `with_addenda` adds, below each one's detail, the addenda that point
to it (an answer's addenda show under its request) and the keys that add to it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from confidant_tui.domain.consent import ConsentLedger, LedgerAddendum
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.i18n import _, format_moment, ngettext
from confidant_tui.ui.presenters.case_protocol import ProtocolView
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.protocol_texts import (
    FORM_LABELS,
    PURPOSE_LABELS,
    REQUESTER_LABELS,
    label,
    scope_text,
)
from confidant_tui.ui.presenters.timeline import Entry

LEDGER_ROWS = {"consent": "consent", "withdrawal": "withdrawal", "request": "information_request"}
"""Timeline row prefix -> the ledger target an addendum on that row points to."""


def ledger_row(key: str | None) -> tuple[str, int] | None:
    """(`consent` | `withdrawal` | `request`, id) for a ledger row key, else None."""
    prefix, _sep, rest = (key or "").partition("-")
    if prefix in LEDGER_ROWS and rest.isdigit():
        return prefix, int(rest)
    return None


def with_addenda(
    entries: Sequence[Entry],
    addenda: Sequence[LedgerAddendum],
    requests: Sequence[tuple[InformationRequest, InformationAnswer | None]] = (),
) -> list[Entry]:
    """The entries, each ledger row's detail followed by its addenda and its keys."""
    answers = {a.id: r.id for r, a in requests if a is not None}
    unanswered = {r.id for r, a in requests if a is None}
    by_row: dict[str, list[LedgerAddendum]] = {}
    for addendum in addenda:
        if addendum.target == "information_answer":
            row = f"request-{answers.get(addendum.target_id)}"
        elif addendum.target == "information_request":
            row = f"request-{addendum.target_id}"
        else:
            row = f"{addendum.target}-{addendum.target_id}"
        by_row.setdefault(row, []).append(addendum)
    shown = []
    for entry in entries:
        found = ledger_row(entry.key)
        if found is None:
            shown.append(entry)
            continue
        detail = entry.detail.copy()
        for addendum in by_row.get(entry.key, []):
            detail.append("\n")
            detail.append(
                _("Addendum of {when}: ").format(when=format_moment(addendum.at)), style="bold"
            )
            detail.append_text(literal_text(addendum.text))
        kind, row_id = found
        if kind == "request" and row_id in unanswered:
            hint = _("Enter (or a) records the answer; n adds an addendum.")
        else:
            hint = _("Enter (or n) adds an addendum; the entry itself stays as recorded.")
        detail.append("\n" + hint, style="italic")
        summary = entry.summary
        count = len(by_row.get(entry.key, []))
        if count:
            summary = summary.copy()
            summary.append(
                "  "
                + ngettext("(+{count} addendum)", "(+{count} addenda)", count).format(count=count),
                style="italic",
            )
        shown.append(dataclasses.replace(entry, detail=detail, summary=summary))
    return shown


def describe_entry(
    kind: str,
    row_id: int,
    ledger: ConsentLedger,
    requests: Sequence[tuple[InformationRequest, InformationAnswer | None]],
) -> Text | None:
    """A ledger entry in one or two lines, for the addendum dialog (None: not found)."""
    if kind == "request":
        for request, _answer in requests:
            if request.id == row_id:
                text = Text(
                    _("Information request from {who}").format(
                        who=label(REQUESTER_LABELS, request.requester)
                    )
                    + ", "
                    + format_moment(request.asked_at)
                    + "\n"
                )
                text.append_text(literal_text(request.subject, single_line=True))
                return text
        return None
    if kind == "withdrawal":
        withdrawal = next((w for w in ledger.withdrawals if w.id == row_id), None)
        if withdrawal is None:
            return None
        target = ledger.by_id(withdrawal.consent_id)
        what = label(PURPOSE_LABELS, target.purpose) if target else "?"
        return Text(
            _("Consent withdrawn: {purpose}").format(purpose=what)
            + ", "
            + format_moment(withdrawal.withdrawn_at)
        )
    consent = ledger.by_id(row_id)
    if consent is None:
        return None
    text = Text(_("Consent: {purpose}").format(purpose=label(PURPOSE_LABELS, consent.purpose)))
    if consent.destination:
        text.append(" → " + consent.destination)
    text.append(
        " · "
        + scope_text(consent.scope)
        + " · "
        + label(FORM_LABELS, consent.form)
        + ", "
        + format_moment(consent.given_at)
    )
    return text


def statistics_note(view: ProtocolView, now: dt.datetime) -> str | None:
    """The header's note when the reporter opted out of the yearly report, else None."""
    if view.ledger.counted_in_statistics(now):
        return None
    return _("not in yearly report")
