"""Provides `TickBox` and `ChoiceButton`: a checkbox and a radio button whose mark is text.

Textual's `Checkbox` shows "▐X▌" and its `RadioButton` "▐●▌" whether they are on or off;
only the colour tells them apart, which a colour-blind adviser or a monochrome terminal
cannot see. These show "[x]" / "[ ]" and "(•)" / "( )".
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, RadioButton


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
