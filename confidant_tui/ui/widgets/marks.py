"""Provides `TickBox`, `ChoiceButton` and `TickList`: a checkbox, a radio button and a
selection list whose marks are text.

Textual's `Checkbox` shows "▐X▌" and its `RadioButton` "▐●▌" whether they are on or off, and
its `SelectionList` draws the same three-cell box beside every option; only the colour tells
them apart, which a colour-blind adviser or a monochrome terminal cannot see. These show
"[x]" / "[ ]" and "(•)" / "( )".
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets.selection_list import Selection


class TickBox(Checkbox):
    """A `Checkbox` showing "[x]" when ticked and "[ ]" when not."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"
    MARK = "x"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = self.MARK if self.value else " "

    def watch_value(self) -> None:
        """Shows the mark of the new value (then Textual's class and message)."""
        self.BUTTON_INNER = self.MARK if self.value else " "
        super().watch_value()


class ChoiceButton(RadioButton):
    """A `RadioButton` showing "(•)" when chosen and "( )" when not."""

    BUTTON_LEFT = "("
    BUTTON_RIGHT = ")"
    MARK = "•"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = self.MARK if self.value else " "

    def watch_value(self) -> None:
        """Shows the mark of the new value (then Textual's class and message)."""
        self.BUTTON_INNER = self.MARK if self.value else " "
        super().watch_value()


class TickList(SelectionList[str]):
    """A `SelectionList` whose boxes read "[x]" or "[ ]" (one line per option)."""

    def render_line(self, y: int) -> Strip:
        """Textual's line with "[x]" or "[ ]" in place of its three-cell box."""
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        segments = list(line)
        if len(segments) < 4 or index >= self.option_count:
            return line
        option = self.get_option_at_index(index)
        plain = segments[3].style or Style()
        meta = Style(meta={"option": index})
        mark = "x" if option.value in self.selected else " "
        box = Strip(
            [
                Segment("[", plain + meta),
                Segment(mark, plain + Style(bold=True) + meta),
                Segment("]", plain + meta),
            ]
        )
        return self.marked_line(option, box, Strip(segments[3:]), plain)

    def marked_line(self, option: Selection[str], box: Strip, rest: Strip, plain: Style) -> Strip:
        """The line from the option's box and the rest of Textual's line (a subclass may
        move the parts around)."""
        return Strip.join([box, rest])
