"""Provides `FormField`: a labelled form control with room for its problem right below it.

Validation explains itself next to the field: the form calls `show_problem(message)` and
the message appears under the control, in the error colour; `show_problem(None)` clears it.
The control itself is never reset, so what the adviser typed stays.

When the control gets the focus, the field scrolls into view whole (label, hint, control and
problem) where it fits: Textual scrolls only the control into view, so at 80x24 a Shift+Tab
upwards would leave the label of the field above the top of the form.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
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

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        # after Textual's own scroll to the control, which runs once the focus has moved
        self.call_after_refresh(self.show_whole, event.widget)

    def show_whole(self, focused: Widget | None = None) -> None:
        """Scrolls the form so this field shows whole, when it fits in the form's view.

        Args:
            focused: only while this widget still has the focus (None: always).
        """
        if not self.is_attached or (focused is not None and self.app.focused is not focused):
            return
        scroll = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if scroll is None:
            return
        view = scroll.scrollable_content_region
        if self.region.height <= view.height and not view.contains_region(self.region):
            scroll.scroll_to_widget(self, animate=False, immediate=True)

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
