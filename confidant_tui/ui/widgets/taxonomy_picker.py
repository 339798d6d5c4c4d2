"""Provides pickers for the taxonomy's keys, labelled in the adviser's language.

`KeySelect` chooses one key of a kind (reporter role, relation, level, route, ...);
`CategoryPicker` chooses one or more categories, sub-kinds indented under their group.
Both show labels as plain `Text` (never markup) and give back the stable keys.

`CategoryPicker` shows "[x]" beside a ticked category and "[ ]" beside the others, as
`TickBox` (`ui/widgets/marks.py`) does.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Select
from textual.widgets.selection_list import Selection

from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.ui.widgets.marks import TickList

INDENT = "   "
"""How far a sub-kind stands in from its group."""


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


class CategoryPicker(TickList):
    """Chooses categories: each top-level kind with its sub-kinds indented under it.

    Args:
        taxonomy: the loaded taxonomy.
        chosen: the keys ticked first.
        **kwargs: passed on to `SelectionList` (id, classes, ...).
    """

    def __init__(self, taxonomy: Taxonomy, chosen: Iterable[str] = (), **kwargs: object) -> None:
        ticked = set(chosen)
        self._children: set[str] = set()
        selections: list[Selection[str]] = []
        for top in taxonomy.top_levels():
            selections.append(Selection(Text(taxonomy.label("category", top)), top, top in ticked))
            for child in taxonomy.children(top):
                label = taxonomy.label("category", child)
                label = label.split(": ", 1)[1] if ": " in label else label
                selections.append(Selection(Text(INDENT + label), child, child in ticked))
                self._children.add(child)
        # SelectionList's own keyword arguments (id, classes, ...), passed on unchanged.
        super().__init__(*selections, **kwargs)  # type: ignore[arg-type]
        self._order = [s.value for s in selections]

    def marked_line(self, option: Selection[str], box: Strip, rest: Strip, plain: Style) -> Strip:
        """A sub-kind's indent moves before its box, so the boxes show the grouping too."""
        text = rest.text
        start = len(text) - len(text.lstrip(" "))
        if option.value in self._children and start >= len(INDENT):
            indent = Strip([Segment(INDENT, plain)])
            rest = Strip.join([rest.crop(0, start - len(INDENT)), rest.crop(start)])
            return Strip.join([indent, box, rest])
        return Strip.join([box, rest])

    @property
    def keys(self) -> tuple[str, ...]:
        """The ticked category keys, in the taxonomy's order."""
        ticked = set(self.selected)
        return tuple(key for key in self._order if key in ticked)
