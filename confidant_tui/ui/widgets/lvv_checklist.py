"""Provides `LvvChecklist`: the eight conditions of the LVV protocol as a checklist.

Each line shows whether the adviser explained the condition and the start of that
explanation, in the adviser's own words. Enter on a line explains (or explains again)
that condition; the screen listens for `OptionList.OptionSelected` with ids `cond-N`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from confidant_tui.domain.protocol import CONDITIONS, Procedure, condition_title
from confidant_tui.ui.presenters.literal import neutralise


def condition_line(number: int, explanation: str | None, width: int = 60) -> Text:
    """One line of the checklist: a mark, the number and title, and the explanation's start."""
    done = bool(explanation and explanation.strip())
    line = Text("✓ " if done else "☐ ", style="bold green" if done else "bold yellow")
    line.append(f"{number}. {condition_title(number)}", style="bold" if not done else "")
    if done:
        assert explanation is not None
        first = neutralise(explanation.strip(), single_line=True)
        line.append("\n   " + (first if len(first) <= width else first[: width - 1] + "…"))
    return line


class LvvChecklist(OptionList):
    """The eight LVV conditions with the adviser's explanations; Enter explains one."""

    DEFAULT_CSS = """
    LvvChecklist { height: auto; max-height: 100%; }
    """

    def show(self, procedure: Procedure) -> None:
        """Shows the conditions as explained in `procedure` (keeps the highlighted line)."""
        explained = procedure.conditions()
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            Option(condition_line(n, explained.get(n)), id=f"cond-{n}") for n in CONDITIONS
        )
        self.highlighted = highlighted if highlighted is not None else 0

    @property
    def explained(self) -> int:
        """How many lines show an explanation (for tests and the heading)."""
        return sum(1 for option in self.options if str(option.prompt).startswith("✓"))
