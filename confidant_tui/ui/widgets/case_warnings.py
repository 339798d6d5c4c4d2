"""Provides `CaseWarnings` and `CaseDeadlines`: what the adviser must not forget, on top of
the case file.

`CaseWarnings`: the limits of confidentiality not yet explained, and a disclosure whose
reporter still has to be informed (read from the case's `ProtocolView`,
`ui/presenters/case_protocol.py`). `CaseDeadlines`: the case's own open deadlines
(`services.deadlines.case_items`), one line each, so the case file stays usable at 80×24.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from confidant_tui.domain.cases import Case
from confidant_tui.domain.deadlines import DueItem, describe, timing
from confidant_tui.i18n import _, format_moment, ngettext
from confidant_tui.ui.presenters.case_protocol import ProtocolView

MAX_DEADLINE_LINES = 3
"""The most deadlines shown on the case file; a last line counts the rest."""
LEFT_TO_WARNINGS = frozenset({"confidentiality_not_explained"})
"""Deadline kinds `CaseWarnings` states already (in its own words)."""


class CaseWarnings(Static):
    """What the adviser must not forget on this case (hidden when there is nothing)."""

    DEFAULT_CSS = """
    CaseWarnings { height: auto; padding: 0 1; color: $warning; text-style: bold; }
    CaseWarnings.-empty { display: none; }
    """

    def show(self, case: Case, view: ProtocolView) -> None:
        """Shows the warnings for `case` (hides itself when there are none)."""
        text = Text()
        for procedure in view.flagged:
            text.append(
                "⚑ "
                + _(
                    "Disclosure of {when}: informing the reporter was forbidden; inform the "
                    "reporter as soon as allowed (p opens the procedure)."
                ).format(
                    when=format_moment(procedure.disclosure.at if procedure.disclosure else None)
                )
                + "\n"
            )
        if case.facts.confidentiality_explained is None:
            text.append(
                "! "
                + _(
                    "Not yet recorded that the limits of confidentiality were explained "
                    '("vertrouwelijk, tenzij"): explain them at the first conversation and '
                    "record the date (e)."
                )
                + "\n"
            )
        text.rstrip()
        self.set_class(not text.plain, "-empty")
        self.update(text)


def deadline_line(item: DueItem, today: dt.date) -> Text:
    """One deadline as a line: when (capitalised), then what ("7 days overdue (since 25
    November 2026): Follow up with the reporter")."""
    when = timing(item, today)
    line = _("{when}: {what}").format(
        when=when[:1].upper() + when[1:], what=describe(item.deadline)
    )
    if item.state == "overdue":
        return Text("! " + line, style="bold")
    return Text("• " + line)


class CaseDeadlines(Static):
    """The case's open deadlines, soonest first, one line each (hidden when there are none);
    an overdue one is marked with "!"."""

    DEFAULT_CSS = """
    CaseDeadlines {
        height: auto; padding: 0 1; color: $warning; text-wrap: nowrap; text-overflow: ellipsis;
    }
    CaseDeadlines.-empty { display: none; }
    """

    def show(self, items: Sequence[DueItem], today: dt.date) -> None:
        """Shows `items` (the case's open deadlines, soonest first) as of `today`."""
        shown = [item for item in items if item.deadline.kind not in LEFT_TO_WARNINGS]
        text = Text()
        for item in shown[:MAX_DEADLINE_LINES]:
            text.append_text(deadline_line(item, today))
            text.append("\n")
        rest = len(shown) - MAX_DEADLINE_LINES
        if rest > 0:
            text.append(
                ngettext(
                    "and {count} more: see the today view (t on the case list)",
                    "and {count} more: see the today view (t on the case list)",
                    rest,
                ).format(count=rest),
                style="italic",
            )
        text.rstrip()
        self.set_class(not text.plain, "-empty")
        self.update(text)
