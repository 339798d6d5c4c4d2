"""Provides the procedure screen's state: its status line and what is still missing.

`missing_steps` asks the protocol's own rules what a disclosure recorded now would still
lack (their messages, with the unexplained LVV conditions in one line); `status_text` says
where the procedure stands in one line (flagged first: disclosed while informing the
reporter was forbidden); `missing_text` lists the missing steps under the LVV checklist, and for an open procedure
how to close it without disclosing (x).
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.protocol import Disclosure, InformingForbidden, Procedure
from confidant_tui.domain.protocol_rules import disclosure_problems
from confidant_tui.i18n import _, format_moment, ngettext


def missing_steps(
    procedure: Procedure | None, ledger: ConsentLedger, now: dt.datetime
) -> list[str]:
    """The rules' messages for what a disclosure recorded now would still lack.

    Args:
        procedure: the procedure as loaded (None: nothing loaded yet).
        ledger: the case's consent ledger.
        now: the current moment; the disclosure is imagined a minute later, so that an
            informing recorded "now" counts as before it.

    Returns:
        One message per missing step; empty for a closed procedure.
    """
    if procedure is None or procedure.is_closed:
        return []
    moment = now + dt.timedelta(minutes=1)
    problems = disclosure_problems(procedure, Disclosure(at=moment), ledger)
    conditions = [f.split(".")[1] for f, _m in problems if f.startswith("conditions.")]
    found = [message for field, message in problems if not field.startswith("conditions.")]
    if conditions:
        found.append(
            _(
                "LVV conditions not explained yet: {numbers}. Press the number to explain "
                "one in your own words."
            ).format(numbers=", ".join(conditions))
        )
    return found


def status_text(procedure: Procedure, missing: list[str]) -> tuple[Text, bool]:
    """The one-line state of the procedure, and whether it is a warning (flagged).

    Args:
        procedure: the procedure as loaded.
        missing: what `missing_steps` found.
    """
    if procedure.open_items():
        forbidden = procedure.latest(InformingForbidden)
        return (
            Text(
                "⚑ "
                + _(
                    "Disclosed while informing was forbidden by {authority}: inform the "
                    "reporter as soon as that is allowed, and record it (i)."
                ).format(authority=forbidden.forbidden_by if forbidden else "?")
            ),
            True,
        )
    if procedure.disclosure is not None:
        line = _("Closed: confidentiality was broken on {when}.").format(
            when=format_moment(procedure.disclosure.at)
        )
    elif procedure.is_closed:
        line = _("Closed: you decided not to disclose.")
    elif missing:
        line = ngettext(
            "Open · {count} thing is still missing before a disclosure may be recorded.",
            "Open · {count} things are still missing before a disclosure may be recorded.",
            len(missing),
        ).format(count=len(missing))
    else:
        line = _("Open · Everything the protocol asks is recorded: d records the disclosure.")
    return Text(line), False


def missing_text(procedure: Procedure, missing: list[str]) -> Text:
    """The list of missing steps (or "nothing is missing"), and a word on the LVV conditions.

    Args:
        procedure: the procedure as loaded.
        missing: what `missing_steps` found.
    """
    text = Text()
    if missing:
        text.append(_("Still missing before a disclosure:") + "\n", style="bold")
        for line in missing:
            text.append("☐ " + line + "\n")
    elif not procedure.is_closed:
        text.append(_("Nothing is missing before a disclosure."), style="bold")
    if procedure.effective_ground not in (None, "conscientious_distress"):
        text.append(
            "\n"
            + _(
                "The LVV conditions are required for serious conscientious distress; for "
                "this ground they are good practice."
            ),
            style="italic",
        )
    if not procedure.is_closed:
        text.append(
            "\n"
            + _(
                "Decided not to disclose, or opened this procedure by mistake? x closes it "
                "without disclosing."
            ),
            style="italic",
        )
    text.rstrip()
    return text
