"""Provides pickers for the taxonomy's keys, labelled in the adviser's language.

`KeySelect` chooses one key of a kind (reporter role, relation, level, route, ...);
`CategoryPicker` chooses one or more categories, sub-kinds indented under their group.
Both show labels as plain `Text` (never markup) and give back the stable keys.

`TickBox` is a checkbox, and `CategoryPicker` a list of them, that shows "[x]" when ticked
and "[ ]" when not: Textual's own box shows "▐X▌" either way, only its colour telling them
apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Checkbox, Select, SelectionList
from textual.widgets.selection_list import Selection

from confidant_tui.domain.taxonomy import Taxonomy


class KeySelect(Select[str]):
    """A `Select` over the keys of one taxonomy kind; `key` is the chosen key or None.

    Args:
        taxonomy: the loaded taxonomy.
        kind: the kind of key (`reporter_role`, `relation`, `level`, `route`, ...).
        value: the key chosen first (None: nothing yet).
        keys: only these keys, in this order (default: every key of the kind).
        **kwargs: passed on to `Select` (id, prompt, allow_blank, ...).
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        kind: str,
        value: str | None = None,
        *,
        keys: Iterable[str] | None = None,
        **kwargs: object,
    ) -> None:
        chosen = tuple(keys) if keys is not None else taxonomy.keys(kind)
        options = [(Text(taxonomy.label(kind, key)), key) for key in chosen]
        if value is not None and value not in chosen:
            options.append((Text(taxonomy.label(kind, value)), value))
        super().__init__(
            options,
            value=value if value is not None else Select.NULL,
            # Select's own keyword arguments (id, prompt, ...), passed on unchanged.
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def key(self) -> str | None:
        """The chosen key, or None."""
        value = self.value
        return value if isinstance(value, str) else None


class CategoryPicker(SelectionList[str]):
    """Chooses categories: each top-level kind with its sub-kinds indented under it.

    Args:
        taxonomy: the loaded taxonomy.
        chosen: the keys ticked first.
        **kwargs: passed on to `SelectionList` (id, classes, ...).
    """

    def __init__(self, taxonomy: Taxonomy, chosen: Iterable[str] = (), **kwargs: object) -> None:
        ticked = set(chosen)
        selections: list[Selection[str]] = []
        for top in taxonomy.top_levels():
            selections.append(Selection(Text(taxonomy.label("category", top)), top, top in ticked))
            for child in taxonomy.children(top):
                label = taxonomy.label("category", child)
                label = label.split(": ", 1)[1] if ": " in label else label
                selections.append(Selection(Text("   " + label), child, child in ticked))
        # SelectionList's own keyword arguments (id, classes, ...), passed on unchanged.
        super().__init__(*selections, **kwargs)  # type: ignore[arg-type]
        self._order = [s.value for s in selections]

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
        return Strip(
            [
                Segment("[", plain + meta),
                Segment(mark, plain + Style(bold=True) + meta),
                Segment("]", plain + meta),
                *segments[3:],
            ]
        )

    @property
    def keys(self) -> tuple[str, ...]:
        """The ticked category keys, in the taxonomy's order."""
        ticked = set(self.selected)
        return tuple(key for key in self._order if key in ticked)


class TickBox(Checkbox):
    """A `Checkbox` showing "[x]" when ticked and "[ ]" when not (not only a colour)."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = "x" if self.value else " "

    def watch_value(self) -> None:
        """Shows the mark of the new value (then Textual's class and message)."""
        self.BUTTON_INNER = "x" if self.value else " "
        super().watch_value()
