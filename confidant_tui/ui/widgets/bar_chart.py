"""Provides `BarChart`: one breakdown of the yearly report as a table with horizontal bars.

Each row shows the label, last year's and this year's cell, and two bars: this year's in the
primary colour on the row's line, last year's dimmed on the line below. A suppressed cell
(`<5`, `x`) is printed as text and gets the word "hidden" instead of a bar, never a length.
The rows come from `domain.report_pdf_layout.breakdown_rows`, the same as the PDF's.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from confidant_tui.domain.report_pdf_layout import Row
from confidant_tui.i18n import _
from confidant_tui.ui.presenters.literal import neutralise

_EIGHTHS = " ▏▎▍▌▋▊▉"
NUMBER_WIDTH = 7
MIN_BAR_WIDTH = 8


def bar_text(fraction: float, width: int) -> str:
    """A bar of `fraction` (0..1) of `width` cells, in eighths of a cell.

    A non-zero count always shows at least a sliver, so it is never mistaken for zero.
    """
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


class BarChart(Widget):
    """A breakdown as a table of two years with bars; set `rows` (and the years) to show one.

    Attributes:
        rows: the rows to show, from `breakdown_rows`.
        years: (last year or None, this year), for the column heads.
    """

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
    }
    BarChart > .bar-chart--current { color: $primary; }
    BarChart > .bar-chart--previous { color: $text-muted; }
    BarChart > .bar-chart--hidden { color: $warning; text-style: italic; }
    BarChart > .bar-chart--head { color: $text-muted; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bar-chart--current",
        "bar-chart--previous",
        "bar-chart--hidden",
        "bar-chart--head",
    }

    rows: reactive[tuple[Row, ...]] = reactive((), layout=True)
    years: reactive[tuple[int | None, int]] = reactive((None, 0))

    def label_width(self) -> int:
        """Width of the label column: the longest label, within a third of the widget."""
        longest = max((len(row.label) for row in self.rows), default=10)
        return max(10, min(longest + 1, max(14, self.size.width // 3)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self.rows:
            return 1
        per_row = 2 if self.years[0] is not None else 1
        return 1 + per_row * len(self.rows)

    def render(self) -> RenderableType:
        previous_year, year = self.years
        if not self.rows:
            return Text(_("None in either year."), style="italic")
        head_style = self.get_component_rich_style("bar-chart--head")
        current_style = self.get_component_rich_style("bar-chart--current")
        previous_style = self.get_component_rich_style("bar-chart--previous")
        hidden_style = self.get_component_rich_style("bar-chart--hidden")
        label_w = self.label_width()
        bar_w = max(MIN_BAR_WIDTH, self.size.width - label_w - 2 * NUMBER_WIDTH - 3)
        lines = Text(no_wrap=True, overflow="ellipsis")
        head = " " * label_w
        head += (str(previous_year) if previous_year else "").rjust(NUMBER_WIDTH)
        head += str(year).rjust(NUMBER_WIDTH) + "  "
        lines.append(head, head_style)
        lines.append("█ " + str(year), current_style)
        if previous_year is not None:
            lines.append("  ")
            lines.append("█ " + str(previous_year), previous_style)
        for row in self.rows:
            lines.append("\n")
            label = neutralise(row.label, single_line=True)
            if len(label) > label_w - 1:
                label = label[: label_w - 2] + "…"
            lines.append(label.ljust(label_w))
            lines.append((row.previous or "").rjust(NUMBER_WIDTH), previous_style)
            lines.append(row.current.rjust(NUMBER_WIDTH), "bold")
            lines.append("  ")
            self._append_bar(lines, row.current_bar, bar_w, current_style, hidden_style)
            if previous_year is not None:
                lines.append("\n" + " " * (label_w + 2 * NUMBER_WIDTH + 2))
                self._append_bar(lines, row.previous_bar, bar_w, previous_style, hidden_style)
        return lines

    @staticmethod
    def _append_bar(
        lines: Text, fraction: float | None, width: int, style: Style, hidden: Style
    ) -> None:
        if fraction is None:
            lines.append(_("hidden"), hidden)
        else:
            lines.append(bar_text(fraction, width), style)
