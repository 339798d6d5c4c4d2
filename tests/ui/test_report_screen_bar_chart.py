"""The bar chart widget: bars proportional to visible counts, hidden cells never drawn."""

from __future__ import annotations

from textual.app import App, ComposeResult

from confidant_tui.domain.report_pdf_layout import breakdown_rows
from confidant_tui.ui.widgets.bar_chart import BarChart, bar_text

REPORT = {
    "year": 2025,
    "by_role": {"employee": 20, "volunteer": 10, "member": "<5", "guest": "x"},
    "previous": {"year": 2024, "by_role": {"employee": 10, "member": 6}},
}


class _ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        chart = BarChart()
        chart.rows = tuple(breakdown_rows(REPORT, "by_role", lambda key: key.title()))
        chart.years = (2024, 2025)
        yield chart


def test_bar_text_is_proportional_and_never_hides_a_small_count() -> None:
    assert bar_text(1.0, 10) == "█" * 10
    assert bar_text(0.5, 10) == "█" * 5
    assert bar_text(0.0, 10) == ""
    assert bar_text(0.001, 10) == "▏"


async def test_chart_draws_visible_counts_and_marks_hidden_ones() -> None:
    app = _ChartApp()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        chart = app.query_one(BarChart)
        lines = [strip.text for strip in chart.render_lines(chart.region.reset_offset)]
        text = "\n".join(lines)
    employee = next(line for line in lines if line.startswith("Employee"))
    volunteer = next(line for line in lines if line.startswith("Volunteer"))
    assert employee.split()[1:3] == ["10", "20"]
    full, half = employee.count("█"), volunteer.strip().split()[-1]
    assert full > 20 and abs(full - 2 * len(half)) <= 1
    member = lines.index(next(line for line in lines if line.startswith("Member")))
    assert "█" not in lines[member] and "verborgen" in lines[member]
    assert "█" in lines[member + 1], "last year's 6 is visible and gets its bar"
    guest = next(line for line in lines if line.startswith("Guest"))
    assert guest.split()[1:3] == ["0", "x"] and "verborgen" in guest
    assert "2024" in lines[0] and "2025" in lines[0]
    assert text.count("verborgen") == 2
