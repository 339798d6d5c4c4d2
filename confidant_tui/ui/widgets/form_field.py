"""Provides `FormField`: a labelled form control with room for its problem right below it.

Validation explains itself next to the field: the form calls `show_problem(message)` and
the message appears under the control, in the error colour; `show_problem(None)` clears it.
The control itself is never reset, so what the adviser typed stays.

A problem describes the value the field held when it was judged, so it goes by itself as
soon as the adviser changes that value (typing, a choice, a tick), and comes back only
when the form judges the field again (the next refused save). The field compares what it
holds with what was judged rather than reacting to every change message: a message about an
earlier change may arrive after the problem was shown, and a date rewritten in the standard
form when the adviser leaves it ("1-3-2025" becomes "01-03-2025") is the same date. A
change in another field never clears this field's problem. A control whose value changes
without a change message of its own (a row added or removed) posts `ValueChanged`.

When the control gets the focus, the field scrolls into view whole (label, hint, control and
problem) where it fits: Textual scrolls only the control into view, so at 80x24 a Shift+Tab
upwards would leave the label of the field above the top of the form.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.date_field import DateField

_NO_VALUE = object()
"""What `value_of` gives for a widget that holds no value of its own (a label, a button)."""


class ValueChanged(Message):
    """A control's value changed without a change message of its own (a row added or
    removed); the `FormField` around it takes it as an edit."""


def value_of(widget: Widget) -> object:
    """What one widget holds, comparable with `==` (`_NO_VALUE` when it holds nothing).

    A readable date counts as its date, so rewriting it in the standard form is no change.
    """
    if isinstance(widget, DateField):
        date = widget.date
        return date if date is not None else widget.value
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return widget.value
    if isinstance(widget, SelectionList):
        return frozenset(widget.selected)
    if isinstance(widget, (Checkbox, RadioButton)):
        return widget.value
    return _NO_VALUE


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
        self._judged: tuple[object, ...] | None = None
        """What the field held when its problem was shown (None: no problem shown)."""

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
        """Shows why the value held now is refused (None: clears it); it stays until that
        value changes or the form shows another problem."""
        self._judged = self.held() if message else None
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-problem", Static).update(literal_text(message or ""))

    def held(self) -> tuple[object, ...]:
        """What the field holds now: the value of every input, select or tick list in it."""
        widgets = (self.control, *self.control.query("*"))
        return tuple(value for value in map(value_of, widgets) if value is not _NO_VALUE)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    @on(RadioButton.Changed)
    @on(RadioSet.Changed)
    @on(ValueChanged)
    def _edited(self) -> None:
        """Clears the problem once the value it described has changed (the message goes on
        to the form: its own handlers still see it)."""
        if self._judged is not None and self.held() != self._judged:
            self.show_problem(None)

    @property
    def problem(self) -> str | None:
        """The problem shown now, or None."""
        if not self.has_class("-invalid"):
            return None
        return str(self.query_one(".field-problem", Static).content)
