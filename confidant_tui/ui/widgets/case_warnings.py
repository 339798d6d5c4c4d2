"""Provides `CaseWarnings`: what the adviser must not forget, on top of the case file.

The limits of confidentiality not yet explained, and a disclosure whose reporter still has
to be informed (read from the case's `ProtocolView`, `ui/presenters/case_protocol.py`).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from confidant_tui.domain.cases import Case
from confidant_tui.i18n import _, format_moment
from confidant_tui.ui.presenters.case_protocol import ProtocolView


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
