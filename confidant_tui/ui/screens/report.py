"""Provides `ReportScreen`: the yearly anonymised report, looked at and published from the app.

The adviser picks the organisation and the year (`[` and `]` step through the years) and sees
each breakdown as a table with bars, this year beside last year; hidden cells show as `<5` or
`x` and never get a bar. A separate, clearly labelled panel lists what was hidden and why:
that list is for the adviser only and is never published. Publishing writes the report as
Markdown, CSV, JSON and PDF into a folder the adviser names, after a question that says
plainly that the files leave the vault unencrypted, and where they go.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from confidant_tui.domain.report_pdf_layout import KEY_FIGURES, SECTIONS, breakdown_rows
from confidant_tui.i18n import N_, _, get_language
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens import report_data
from confidant_tui.ui.screens.base import BaseScreen
from confidant_tui.ui.widgets.bar_chart import BarChart
from confidant_tui.ui.widgets.literal import literal_text


class ReportScreen(BaseScreen):
    """The yearly report: choose organisation and year, read the figures, publish them."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "The yearly anonymised report for the board. Choose the organisation and the year; "
        "[ and ] step to the year before or after. Small counts are hidden (<5) and so are "
        "counts that would let someone work them out (x); the panel on the right, for you "
        "only, says what was hidden and why. P publishes: the files leave the vault "
        "unencrypted, in the folder you name."
    )
    BINDINGS: ClassVar = [
        Binding("left_square_bracket", "step_year(-1)", N_("Year before"), key_display="["),
        Binding("right_square_bracket", "step_year(1)", N_("Year after"), key_display="]"),
        Binding("p", "publish", N_("Publish")),
        Binding("escape", "close", N_("Back")),
    ]

    class Built(Message):
        """A report was built in the worker: the figures and the adviser-only list."""

        def __init__(self, view: report_data.ReportView) -> None:
            super().__init__()
            self.view = view

    class Published(Message):
        """The report files were written."""

        def __init__(self, paths: list[Path]) -> None:
            super().__init__()
            self.paths = paths

    def __init__(self, organisation: str | None = None, year: int | None = None) -> None:
        super().__init__()
        self.organisation = organisation
        self.year = year or dt.date.today().year - 1
        self.view: report_data.ReportView | None = None

    def lock_snapshot(self):  # type: ignore[override]
        """Comes back on the same organisation and year (no figures are kept meanwhile)."""
        organisation, year = self.organisation, self.year
        return lambda: ReportScreen(organisation, year)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand(
                N_("Publish the yearly report"),
                N_("Write it as Markdown, CSV, JSON and PDF (unencrypted)"),
                "screen.publish",
                key="p",
            )
        ]

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="choices"):
            yield Label(_("Organisation"))
            yield Select[str](
                [], id="organisation", allow_blank=True, prompt=_("All cases in the vault")
            )
            yield Label(_("Year"))
            yield Select[int](
                [(str(self.year), self.year)], id="year", value=self.year, allow_blank=False
            )
        with Horizontal(id="folder-row"):
            yield Label(_("Publish to folder"))
            yield Input(str(report_data.default_folder()), id="folder")
            yield Button(_("Publish"), id="publish", variant="primary")
        yield Static("", id="written")
        with Horizontal(id="body"):
            with VerticalScroll(id="figures"):
                yield Static(_("Counting…"), id="status")
                yield Static("", id="key-figures-title", classes="section-title")
                yield Static("", id="key-figures")
                for field, _title, _note in SECTIONS:
                    yield Static("", id=f"title-{field}", classes="section-title")
                    yield Static("", id=f"note-{field}", classes="section-note")
                    yield BarChart(id=f"chart-{field}")
            with VerticalScroll(id="hidden-panel") as panel:
                panel.border_title = _("For you only: what was hidden and why")
                yield Static(
                    _("This list is never published. It is not in any file written."),
                    id="hidden-intro",
                )
                yield Static("", id="hidden-list")
        yield Footer()

    def on_mount(self) -> None:
        self.load_choices()
        self.query_one("#figures").focus()

    # -- loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="report-choices")
    def load_choices(self) -> None:
        """Reads the organisations and the years with cases (in a thread: the vault is slow)."""
        choices = report_data.choices(self.app.session.vault)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._set_choices, choices)

    def _set_choices(self, choices: report_data.Choices) -> None:
        organisations = self.query_one("#organisation", Select)
        with organisations.prevent(Select.Changed):
            organisations.set_options(
                (literal_text(name, single_line=True), name) for name in choices.organisations
            )
            if self.organisation in choices.organisations:
                organisations.value = self.organisation
        years = sorted(set(choices.years) | {self.year}, reverse=True)
        year_select = self.query_one("#year", Select)
        with year_select.prevent(Select.Changed):
            year_select.set_options((str(year), year) for year in years)
            year_select.value = self.year
        self.build()

    def build(self) -> None:
        """Builds the report for the chosen organisation and year in a worker."""
        self.query_one("#status", Static).update(_("Counting…"))
        self._build(self.organisation, self.year)

    @work(thread=True, exclusive=True, group="report-build")
    def _build(self, organisation: str | None, year: int) -> None:
        vault = self.app.session.vault  # type: ignore[attr-defined]
        view = report_data.build(vault, organisation, year, self._threshold())
        self.post_message(self.Built(view))

    def _threshold(self) -> int:
        settings = getattr(self.app, "settings", None)
        return int(getattr(settings, "report_threshold", 5))

    @on(Built)
    def _show(self, message: Built) -> None:
        view = message.view
        if view.year != self.year or view.organisation != self.organisation:
            return
        self.view = view
        report = view.report
        previous = report.get("previous")
        years = (previous["year"] if previous else None, report["year"])
        self.query_one("#status", Static).update(
            _("Yearly report {year}, compared with {previous}. Hidden: fewer than {k}.").format(
                year=report["year"], previous=years[0] or "-", k=report["threshold"]
            )
        )
        self.query_one("#key-figures-title", Static).update(_("Key figures"))
        self.query_one("#key-figures", Static).update(self._key_figures(report))
        for field, title, note in SECTIONS:
            self.query_one(f"#title-{field}", Static).update(_(title) if False else report_data.tr(title))
            self.query_one(f"#note-{field}", Static).update(report_data.tr(note) if note else "")
            chart = self.query_one(f"#chart-{field}", BarChart)
            chart.years = years
            chart.rows = tuple(
                breakdown_rows(report, field, lambda key, f=field: view.label(f, key))
            )
        self.query_one("#hidden-list", Static).update(view.hidden_text())

    def _key_figures(self, report: dict[str, Any]) -> Text:
        previous = report.get("previous")
        text = Text(no_wrap=True)
        width = max(len(report_data.tr(label)) for _field, label in KEY_FIGURES) + 2
        text.append(" " * width)
        text.append(str(previous["year"] if previous else "").rjust(7), "dim")
        text.append(str(report["year"]).rjust(7), "bold")
        for field, label in KEY_FIGURES:
            text.append("\n" + report_data.tr(label).ljust(width))
            text.append(
                (str(previous.get(field, 0)) if previous else "").rjust(7), "dim"
            )
            text.append(str(report.get(field, 0)).rjust(7), "bold")
        return text

    # -- choices -------------------------------------------------------------------------------

    @on(Select.Changed, "#organisation")
    def _organisation_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self.organisation = value if isinstance(value, str) else None
        self.build()

    @on(Select.Changed, "#year")
    def _year_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.year:
            self.year = event.value
            self.build()

    def action_step_year(self, step: int) -> None:
        """Shows the year before (-1) or after (+1)."""
        self.year += step
        year_select = self.query_one("#year", Select)
        known = [value for _label, value in year_select._options if isinstance(value, int)]
        with year_select.prevent(Select.Changed):
            if self.year not in known:
                options = sorted({*known, self.year}, reverse=True)
                year_select.set_options((str(year), year) for year in options)
            year_select.value = self.year
        self.build()

    def action_close(self) -> None:
        """Goes back to the previous screen."""
        self.app.pop_screen()

    # -- publishing ----------------------------------------------------------------------------

    @on(Button.Pressed, "#publish")
    def action_publish(self) -> None:
        """Asks first (the files leave the vault unencrypted), then writes them."""
        if self.view is None:
            self.notify(_("The report is still being counted."))
            return
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        names = report_data.file_names(self.year, self.organisation)
        question = Text()
        question.append(_("The report leaves the vault unencrypted.") + "\n\n", "bold")
        question.append(
            _(
                "Anyone who can read this folder can read these files. They hold only the "
                "anonymised counts; the list of what was hidden stays in the vault."
            )
            + "\n\n"
        )
        question.append(_("Folder:") + " ")
        question.append_text(literal_text(str(folder.resolve()), single_line=True))
        question.append("\n" + _("Files:") + " " + ", ".join(names))
        self.app.push_screen(
            ConfirmModal(question, confirm=_("Write the files")),
            lambda confirmed: self._publish(folder) if confirmed else None,
        )

    @work(thread=True, exclusive=True, group="report-publish")
    def _publish(self, folder: Path) -> None:
        vault = self.app.session.vault  # type: ignore[attr-defined]
        paths = report_data.publish(
            vault, self.organisation, self.year, self._threshold(), folder, get_language()
        )
        self.post_message(self.Published(paths))

    @on(Published)
    def _published(self, message: Published) -> None:
        text = Text(_("Written, unencrypted:") + " ")
        text.append_text(
            literal_text(", ".join(str(path) for path in message.paths), single_line=True)
        )
        self.query_one("#written", Static).update(text)
        self.notify(_("The yearly report was written."))
