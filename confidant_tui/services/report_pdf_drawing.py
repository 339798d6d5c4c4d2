"""Provides `ReportWriter`: draws the yearly report's pages with fpdf2 (layout, rows, bars).

A suppressed cell (`<k`, `x`) is printed as text and never drawn as a bar; the metadata date
is 1 January after the reported year, so a rebuilt file is the same byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from fpdf import FPDF

from confidant_tui import i18n
from confidant_tui.domain.report_formats import (
    PROTOCOL_GROUND_LABELS,
    UNKNOWN_LABEL,
    organisation_heading,
)
from confidant_tui.domain.report_json import BreakdownField, ReportDocument
from confidant_tui.domain.report_pdf_layout import (
    KEY_FIGURES,
    POWER_IMBALANCE_LABELS,
    SECTIONS,
    TIME_FIGURES,
    TIME_TITLE,
    Row,
    breakdown_rows,
    figure_cell,
    heading_lines,
    humanise_key,
)
from confidant_tui.domain.statistics import UNKNOWN
from confidant_tui.i18n import N_
from confidant_tui.services.pdf_font import FAMILY, printable, use_font

Labels = Callable[[str, str], str] | Mapping[str, Mapping[str, str]] | None
"""Labels for keys: a function (field, key) -> label, or {field: {key: label}}; None for
readable keys. `field` is the report field, e.g. `by_category`."""

THIS_YEAR = (31, 78, 121)
LAST_YEAR = (176, 190, 206)
INK = (33, 37, 41)
MUTED = (100, 108, 117)
RULE = (206, 212, 218)

MARGIN = 18.0
LABEL_W = 70.0
NUMBER_W = 17.0
GAP_W = 5.0
ROW_H = 8.0
BAR_H = 2.6


def _label_function(labels: Labels, tr: Callable[[str], str]) -> Callable[[str, str], str]:
    def lookup(field: str, key: str) -> str:
        if field == "power_imbalance" and key in POWER_IMBALANCE_LABELS:
            return tr(POWER_IMBALANCE_LABELS[key])
        found: str | None = None
        if callable(labels):
            found = labels(field, key)
        elif labels is not None:
            found = (labels.get(field) or {}).get(key)
        if found and found != key:
            return found
        if field == "by_protocol_ground" and key in PROTOCOL_GROUND_LABELS:
            return tr(PROTOCOL_GROUND_LABELS[key])
        if key == UNKNOWN:
            return tr(UNKNOWN_LABEL)
        return humanise_key(key)

    return lookup


class _ReportPDF(FPDF):
    """FPDF with the report's running footer: confidentiality line and page x of n."""

    footer_text = ""
    page_text = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 2, self.w - MARGIN, self.get_y() - 2)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(MARGIN)
        self.cell(0, 5, self.page_text.format(page=self.page_no(), pages="{nb}"), align="R")


class ReportWriter:
    """Draws one report; split from `write_report_pdf` to keep each step small."""

    def __init__(self, report: ReportDocument, language: str, labels: Labels) -> None:
        self.report = report
        self.language = language
        # The report's own language, whatever the screen shows (ValueError if unsupported).
        self.tr = i18n.translator(language).gettext
        self.label = _label_function(labels, self.tr)
        self.year = int(report["year"])
        previous = report.get("previous")
        self.previous_year = int(previous["year"]) if previous else None
        self.pdf = _ReportPDF(orientation="P", unit="mm", format="A4")
        use_font(self.pdf)
        self.width = self.pdf.w - 2 * MARGIN

    def text(self, value: str) -> str:
        return printable(value)

    def build(self) -> FPDF:
        pdf = self.pdf
        tr = self.tr
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_creation_date(dt.datetime(self.year + 1, 1, 1, tzinfo=dt.UTC))
        pdf.set_title(self.text(self.title()))
        pdf.set_creator("Confidant")
        pdf.set_producer("Confidant")
        pdf.set_lang(self.language)
        pdf.footer_text = self.text(
            tr(N_("Confidential - anonymised yearly report of the confidential adviser"))
        )
        pdf.page_text = self.text(tr(N_("Page {page} of {pages}")))
        pdf.add_page()
        self.heading()
        self.explanation()
        self.key_figures()
        for field, title, note in SECTIONS:
            self.section(field, tr(title), tr(note) if note else "")
        return pdf

    def title(self) -> str:
        return self.tr(N_("Yearly report of the confidential adviser {year}")).format(
            year=self.year
        )

    def heading(self) -> None:
        pdf = self.pdf
        pdf.set_text_color(*THIS_YEAR)
        pdf.set_font(FAMILY, "B", 20)
        pdf.multi_cell(0, 9, self.text(self.title()), new_x="LMARGIN", new_y="NEXT")
        organisation = self.report.get("organisation")
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, "", 13)
        if organisation:
            shown = organisation_heading(str(organisation), self.tr)
            pdf.multi_cell(0, 7, self.text(shown), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 11)
        for line in heading_lines(self.report, self.tr):
            pdf.multi_cell(0, 6, self.text(line), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*MUTED)
        pdf.set_font(FAMILY, "", 10)
        period = self.tr(N_("Reporting year {year}")).format(year=self.year)
        if self.previous_year is not None:
            period += " \u00b7 " + self.tr(N_("compared with {year}")).format(
                year=self.previous_year
            )
        pdf.cell(0, 6, self.text(period), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_draw_color(*THIS_YEAR)
        pdf.set_line_width(0.6)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.ln(5)

    def explanation(self) -> None:
        tr = self.tr
        threshold = int(self.report.get("threshold", 5))
        paragraphs = [
            tr(
                N_(
                    "This report shows the nature and extent of what was brought to the "
                    "confidential adviser in {year}. It is anonymised: it holds no names, case "
                    "numbers, dates or descriptions, only counts."
                )
            ).format(year=self.year),
            tr(
                N_(
                    "Counted are the cases opened in the year, the conversations held in the "
                    "year, and the routes, referrals and shared information dated in the year. "
                    "Cases whose reporter objected to being counted are left out."
                )
            ),
            tr(
                N_(
                    "Outcomes are counted for the cases closed in the year and the routes that "
                    "ended in it. The time spent covers conversations and the adviser's work "
                    "outside cases, in whole hours."
                )
            ),
            tr(
                N_(
                    "Small numbers are hidden so that nobody can be recognised: a count from 1 "
                    "to {below} is shown as <{k}. An x means a count was hidden so that a hidden "
                    "number cannot be worked out from the totals. Hidden counts get no bar."
                )
            ).format(below=threshold - 1, k=threshold),
        ]
        pdf = self.pdf
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, "", 10)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, self.text(paragraph), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        pdf.ln(3)

    def columns_header(self, first: str, bars: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(LABEL_W, 6, self.text(first))
        if self.previous_year is not None:
            pdf.cell(NUMBER_W, 6, str(self.previous_year), align="R")
        pdf.set_text_color(*THIS_YEAR)
        pdf.cell(NUMBER_W, 6, str(self.year), align="R")
        if bars:
            self.legend()
        pdf.ln(6)
        pdf.set_draw_color(*RULE)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())

    def legend(self) -> None:
        pdf = self.pdf
        x = pdf.get_x() + GAP_W
        y = pdf.get_y()
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*MUTED)
        entries = [(THIS_YEAR, str(self.year))]
        if self.previous_year is not None:
            entries.insert(0, (LAST_YEAR, str(self.previous_year)))
        for colour, text in entries:
            pdf.set_fill_color(*colour)
            pdf.rect(x, y + 2, 3, 2.6, style="F")
            pdf.set_xy(x + 4, y)
            pdf.cell(14, 6, text)
            x += 20
        pdf.set_xy(x, y)

    def key_figures(self) -> None:
        self.figures(self.tr(N_("Key figures")), KEY_FIGURES)
        self.figures(self.tr(TIME_TITLE), TIME_FIGURES)

    def figures(self, title: str, figures: tuple[tuple[str, str], ...]) -> None:
        """A table of single figures, both years (no bars)."""
        pdf = self.pdf
        self.section_title(title, "")
        self.columns_header("", bars=False)
        previous = self.report.get("previous")
        for field, label in figures:
            pdf.set_font(FAMILY, "", 10)
            pdf.set_text_color(*INK)
            pdf.cell(LABEL_W + 40, 6.5, self.text(self.tr(label)))
            pdf.set_x(MARGIN + LABEL_W)
            if previous is not None:
                pdf.set_text_color(*MUTED)
                pdf.cell(NUMBER_W, 6.5, figure_cell(previous, field), align="R")
            pdf.set_font(FAMILY, "B", 10)
            pdf.set_text_color(*INK)
            pdf.cell(NUMBER_W, 6.5, figure_cell(self.report, field), align="R")
            pdf.ln(6.5)
        pdf.ln(5)

    def section_title(self, title: str, note: str) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 12)
        pdf.set_text_color(*THIS_YEAR)
        pdf.multi_cell(0, 7, self.text(title), new_x="LMARGIN", new_y="NEXT")
        if note:
            pdf.set_font(FAMILY, "I", 9)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(0, 4.5, self.text(note), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def section(self, field: BreakdownField, title: str, note: str) -> None:
        pdf = self.pdf
        rows = breakdown_rows(self.report, field, lambda key: self.label(field, key))
        heights = [self.row_height(self.label_lines(row.label)) for row in rows]
        whole = 30 + sum(heights)
        usable = pdf.page_break_trigger - pdf.t_margin
        needed = whole if whole <= usable else 30 + sum(heights[:4])
        if pdf.get_y() + needed > pdf.page_break_trigger:
            pdf.add_page()
        self.section_title(title, note)
        if not rows:
            pdf.set_font(FAMILY, "", 10)
            pdf.set_text_color(*MUTED)
            pdf.cell(
                0, 6, self.text(self.tr(N_("None in either year."))), new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(5)
            return
        self.columns_header("", bars=True)
        for row in rows:
            label_lines = self.label_lines(row.label)
            height = self.row_height(label_lines)
            if pdf.get_y() + height > pdf.page_break_trigger:
                pdf.add_page()
                self.columns_header(title, bars=True)
            self.row(row, label_lines, height)
        pdf.ln(6)

    @staticmethod
    def row_height(label_lines: list[str]) -> float:
        return max(ROW_H, 4.6 * len(label_lines) + 3.4)

    def label_lines(self, label: str) -> list[str]:
        self.pdf.set_font(FAMILY, "", 10)
        lines = self.pdf.multi_cell(
            LABEL_W - 2, 4.6, self.text(label), dry_run=True, output="LINES"
        )
        # fpdf2 types the result of every `output` as one union; "LINES" gives the lines.
        assert isinstance(lines, list)
        return lines

    def row(self, row: Row, label_lines: list[str], height: float) -> None:
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*INK)
        pdf.set_xy(MARGIN, top + 1.7)
        pdf.multi_cell(LABEL_W - 2, 4.6, "\n".join(label_lines))
        middle = top + height / 2 - 3
        pdf.set_xy(MARGIN + LABEL_W, middle)
        if row.previous is not None:
            pdf.set_text_color(*MUTED)
            pdf.cell(NUMBER_W, 6, row.previous, align="R")
        pdf.set_font(FAMILY, "B", 10)
        pdf.set_text_color(*INK)
        pdf.cell(NUMBER_W, 6, row.current, align="R")
        bars_x = pdf.get_x() + GAP_W
        bars_w = pdf.w - MARGIN - bars_x
        centre = top + height / 2
        if row.previous is not None:
            self.bar(
                bars_x, centre - BAR_H - 0.4, bars_w, row.previous_bar, row.previous, LAST_YEAR
            )
            self.bar(bars_x, centre + 0.4, bars_w, row.current_bar, row.current, THIS_YEAR)
        else:
            self.bar(bars_x, centre - BAR_H / 2, bars_w, row.current_bar, row.current, THIS_YEAR)
        pdf.set_draw_color(*RULE)
        pdf.line(MARGIN, top + height, pdf.w - MARGIN, top + height)
        pdf.set_xy(MARGIN, top + height)

    def bar(
        self, x: float, y: float, width: float, fraction: float | None, cell: str, colour: tuple
    ) -> None:
        """Draws one bar; a hidden cell gets a small grey mark instead, never a length."""
        pdf = self.pdf
        if fraction is None:
            pdf.set_font(FAMILY, "I", 7)
            pdf.set_text_color(*MUTED)
            pdf.set_xy(x, y - 0.9)
            pdf.cell(40, BAR_H + 1.8, self.text(self.tr(N_("hidden"))))
            return
        if fraction <= 0:
            return
        pdf.set_fill_color(*colour)
        pdf.rect(x, y, max(0.6, width * fraction), BAR_H, style="F")
