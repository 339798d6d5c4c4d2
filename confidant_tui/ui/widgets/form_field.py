"""Provides `FormField`: a labelled form control with room for its problem right below it.

Validation explains itself next to the field: the form calls `show_problem(message)` and
the message appears under the control, in the error colour; `show_problem(None)` clears it.
The control itself is never reset, so what the adviser typed stays.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from confidant_tui.ui.presenters.literal import literal_text


class FormField(Vertical):
    """A label, one control, an optional hint and a problem line.

    Args:
        label: the field's label (already translated).
        control: the input widget; give it an id, the form finds it by that.
        hint: a short help line under the label (already translated).
        field: the name of the fact this field holds, matching the paths of
            `ValidationError.problems` (e.g. "opened", "categories").
    """

    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 0 1 0; }
    FormField > .field-label { text-style: bold; }
    FormField > .field-hint { color: $text-muted; }
    FormField > .field-problem { color: $error; display: none; }
    FormField.-invalid > .field-problem { display: block; }
    """

    def __init__(
        self, label: str, control: Widget, *, hint: str = "", field: str = "", compact: bool = True
    ) -> None:
        super().__init__()
        if compact and hasattr(control, "compact"):
            control.compact = True  # one line per field keeps a long form readable at 80x24
        self.label = label
        self.control = control
        self.hint = hint
        self.field = field

    def compose(self) -> ComposeResult:
        yield Static(literal_text(self.label, single_line=True), classes="field-label")
        if self.hint:
            yield Static(literal_text(self.hint), classes="field-hint")
        yield self.control
        yield Static(Text(""), classes="field-problem")

    def show_problem(self, message: str | None) -> None:
        """Shows why the value is refused (None: clears it)."""
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-problem", Static).update(literal_text(message or ""))

    @property
    def problem(self) -> str | None:
        """The problem shown now, or None."""
        if not self.has_class("-invalid"):
            return None
        return str(self.query_one(".field-problem", Static).content)
