"""Provides `ReportScreen`: the yearly anonymised report, looked at and published from the app.

The adviser picks the organisation (any of the vault's, archived ones too: they keep their
reports) and the year (`[` and `]` step through the years), sees to whom the report goes
and when it is due (the organisation's rules, with its own threshold), and sees each
breakdown as a table with bars, this year beside last year; hidden cells show as `<5` or
`x` and never get a bar. A separate, clearly labelled panel lists what was hidden and why:
that list is for the adviser only and is never published. Publishing writes the report as
Markdown, CSV, JSON and PDF into a folder the adviser names, after a question that says
plainly that the files leave the vault unencrypted, where they go, and which existing files
it would replace. Publishing has no printable key (Ctrl+O, the button or the palette): a
letter typed while the folder field is not yet focused must never start it, and the question
starts on Cancel, so a stray Enter writes nothing.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, Select, Static

from confidant_tui.domain.report_formats import Labels, organisation_heading
from confidant_tui.domain.report_json import ReportDocument
from confidant_tui.domain.report_pdf_layout import (
    KEY_FIGURES,
    SECTIONS,
    TIME_FIGURES,
    TIME_TITLE,
    breakdown_rows,
    figure_cell,
    heading_lines,
)
from confidant_tui.domain.suppression import SMALL, Hidden
from confidant_tui.errors import ConfidantError
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.i18n import _ as translate
from confidant_tui.services import report as report_service
from confidant_tui.services.organisations import default_organisation, list_organisations
from confidant_tui.services.report_publish import (
    default_folder,
    existing_files,
    file_names,
    publish_files,
)
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.bar_chart import BarChart
from confidant_tui.ui.widgets.key_footer import KeyFooter

YEARS_OFFERED = 8
"""How many years back the year list offers ([ and ] go further)."""


class ReportScreen(BaseScreen):
    """The yearly report: choose organisation and year, read the figures, publish them.

    Args:
        organisation: the organisation to show first (None: the default organisation).
        year: the year to show first (default: last year, the one usually reported on).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    KEEP_PER_UNLOCK = True
    """Built once per unlock and shown again (`ui/kept_screens.py`): composing its charts
    and selects anew cost most of the time it took to open."""
    HELP = N_(
        "The yearly anonymised report for the board. Choose the organisation and the year; "
        "[ and ] step to the year before or after. Small counts are hidden (<5) and so are "
        "counts that would let someone work them out (x); the panel on the right, for you "
        "only, says what was hidden and why. Ctrl+O publishes: the files leave the vault "
        "unencrypted, in the folder you name."
    )
    BINDINGS: ClassVar = [
        Binding("left_square_bracket", "step_year(-1)", N_("Year before"), key_display="["),
        Binding("right_square_bracket", "step_year(1)", N_("Year after"), key_display="]"),
        Binding("ctrl+o", "publish", N_("Publish"), id="report.publish"),
        Binding("escape", "close", N_("Back")),
    ]

    class Built(Message):
        """A report was built in the worker."""

        def __init__(self, built: report_service.BuiltReport, asked: tuple) -> None:
            super().__init__()
            self.built = built
            self.asked = asked

    class Organisations(Message):
        """The vault's organisations were read, and the one to show chosen."""

        def __init__(self, names: list[str], chosen: str | None, year: int) -> None:
            super().__init__()
            self.names = names
            self.chosen = chosen
            self.year = year

    class Published(Message):
        """The report files were written and the report recorded as published."""

        def __init__(self, paths: list[Path]) -> None:
            super().__init__()
            self.paths = paths

    def __init__(self, organisation: str | None = None, year: int | None = None) -> None:
        super().__init__()
        self.organisation = organisation
        self._organisation_asked = organisation
        self._year_asked = year
        self.year = year or 0
        """The year shown; without one asked, last year by the app's clock (set in `compose`)."""
        self.built: report_service.BuiltReport | None = None
        self._organisations_shown: list[tuple[str, str]] | None = None

    def lock_snapshot(self) -> Restorer:
        """Comes back on the same organisation and year (no figures are kept meanwhile)."""
        return partial(ReportScreen, self.organisation, self.year or None)

    def palette_commands(self) -> list[PaletteCommand]:
        """Publishing is offered in the palette while this screen is open."""
        return [
            PaletteCommand(
                N_("Publish the yearly report"),
                N_("Write it as Markdown, CSV, JSON and PDF (unencrypted)"),
                "screen.publish",
                key="ctrl+o",
            )
        ]

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self._year_asked is None:
            self.year = self.context.today().year - 1
        yield Header()
        with Horizontal(id="choices"):
            yield Label(_("Organisation"))
            yield Select[str]([], id="organisation", prompt=_("All cases in the vault"))
            yield Label(_("Year"))
            yield Select[int](self._year_options(), id="year", value=self.year, allow_blank=False)
        with Horizontal(id="folder-row"):
            yield Label(_("Publish to folder"))
            yield Input(str(default_folder()), id="folder")
            yield Button(_("Publish"), id="publish", variant="primary")
        yield Static("", id="written")
        with Horizontal(id="body"):
            with VerticalScroll(id="figures"):
                yield Static(_("Counting…"), id="status")
                with Vertical(id="sections"):
                    yield Static("", id="heading")
                    yield Static(_("Key figures"), classes="section-title")
                    yield Static("", id="key-figures")
                    for field, title, note in SECTIONS:
                        yield Static(translate(title), classes="section-title")
                        if note:
                            yield Static(translate(note), classes="section-note")
                        yield BarChart(id=f"chart-{field}")
            with VerticalScroll(id="hidden-panel") as panel:
                panel.border_title = _("For you only: what was hidden and why")
                yield Static(
                    _("This list is never published: it is in none of the files written."),
                    id="hidden-intro",
                )
                yield Static("", id="hidden-list")
        yield KeyFooter()

    def _year_options(self) -> list[tuple[str, int]]:
        newest = max(self.context.today().year, self.year)
        oldest = min(newest - YEARS_OFFERED + 1, self.year)
        return [(str(year), year) for year in range(newest, oldest - 1, -1)]

    def on_mount(self) -> None:
        self.query_one("#figures").focus()
        self._load()

    def reopened(self) -> None:
        """Back to how a new report screen opens, before it shows again: the organisation
        and year first asked, the default folder, no figures until counted anew (the vault
        may have changed meanwhile)."""
        self.organisation = self._organisation_asked
        self.year = self._year_asked or self.context.today().year - 1
        self.built = None
        select = self.query_one("#year", Select)
        with select.prevent(Select.Changed):
            select.set_options(self._year_options())
            select.value = self.year
        self.query_one("#folder", Input).value = str(default_folder())
        self.query_one("#written", Static).update("")
        self.query_one("#hidden-list", Static).update("")
        self.query_one("#sections").visible = False
        figures = self.query_one("#figures", VerticalScroll)
        figures.scroll_home(animate=False)
        self.query_one("#hidden-panel", VerticalScroll).scroll_home(animate=False)
        figures.focus()
        self._load()

    # -- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        """Reads the organisations and counts the report, in one worker."""
        self._counting()
        self.load_organisations(self.organisation, self.year)

    @work(thread=True, exclusive=True, group="report-build")
    def load_organisations(self, organisation: str | None, year: int) -> None:
        """Reads the vault's organisations (archived ones too), chooses the one asked for or
        the default, and counts its report in the same worker: the count starts without
        waiting for the screen to show the organisations first."""
        found = list_organisations(self.context.vault)
        default = default_organisation(found)
        names = [o.name for o in found]
        if organisation not in names:
            organisation = default.name if default is not None else (names[0] if names else None)
        self.post_message(self.Organisations(names, organisation, year))
        self._count(organisation, year)

    @on(Organisations)
    def _set_organisations(self, message: Organisations) -> None:
        select = self.query_one("#organisation", Select)
        if self.organisation not in message.names:
            self.organisation = message.chosen
        options = [
            (literal_text(organisation_heading(name, translate), single_line=True), name)
            for name in message.names
        ]
        shown = [(label.plain, name) for label, name in options]
        with select.prevent(Select.Changed):
            # Reopened with the same organisations: the list stays (setting it anew restyles
            # and lays out the list once more while the report is being counted).
            if shown != self._organisations_shown:
                select.set_options(options)
                self._organisations_shown = shown
            if self.organisation is not None and select.value != self.organisation:
                select.value = self.organisation
        if (self.organisation, self.year) != (message.chosen, message.year):
            self.build()  # chosen or stepped meanwhile: the worker counts another report

    def _counting(self) -> None:
        self.built = None
        self.query_one("#status", Static).update(_("Counting…"))

    def build(self) -> None:
        """Counts the report for the chosen organisation and year in a worker."""
        self._counting()
        self._build(self.organisation, self.year)

    @work(thread=True, exclusive=True, group="report-build")
    def _build(self, organisation: str | None, year: int) -> None:
        self._count(organisation, year)

    def _count(self, organisation: str | None, year: int) -> None:
        context = self.context
        built = report_service.build_report(
            context.vault,
            year,
            taxonomy=context.taxonomy,
            organisation=organisation,
        )
        self.post_message(self.Built(built, (organisation, year)))

    @on(Built)
    def _show(self, message: Built) -> None:
        if message.asked != (self.organisation, self.year):
            return
        self.built = built = message.built
        self.query_one("#sections").visible = True
        report = built.document
        labels = report_service.label_function(built.taxonomy)
        previous = report.get("previous")
        years = (previous["year"] if previous else None, report["year"])
        status = _("Yearly report {year}, beside {previous}. Counts below {k} are hidden.")
        self.query_one("#status", Static).update(
            status.format(year=report["year"], previous=years[0] or "-", k=report["threshold"])
        )
        heading = Text("\n").join(
            literal_text(line, single_line=True) for line in heading_lines(report, translate)
        )
        self.query_one("#heading", Static).update(heading)
        self.query_one("#key-figures", Static).update(self._key_figures(report))
        for field, _title, _note in SECTIONS:
            chart = self.query_one(f"#chart-{field}", BarChart)
            chart.years = years
            chart.rows = tuple(breakdown_rows(report, field, partial(labels, field)))
        self.query_one("#hidden-list", Static).update(self._hidden_text(built, labels))

    def _key_figures(self, report: ReportDocument) -> Table:
        """The key figures, then the time spent (*tijdsbesteding*), both years.

        A grid whose label column takes the room left and wraps, so the numbers stay in
        their columns at 80 columns too.
        """
        previous = report.get("previous")
        table = Table.grid(padding=(0, 1))
        table.add_column(ratio=1, overflow="fold")
        table.add_column(width=6, justify="right", style="dim")
        table.add_column(width=6, justify="right", style="bold")
        table.add_row("", str(previous["year"]) if previous else "", str(report["year"]))
        for field, label in (*KEY_FIGURES, *TIME_FIGURES):
            if field == TIME_FIGURES[0][0]:
                table.add_row(Text(translate(TIME_TITLE), "bold"), "", "")
            table.add_row(
                translate(label),
                figure_cell(previous, field) if previous else "",
                figure_cell(report, field),
            )
        return table

    def _cell_name(self, figure: str, key: str | None, labels: Labels) -> str:
        names: dict[str, str] = dict((*KEY_FIGURES, *TIME_FIGURES))
        names |= {field: title for field, title, _note in SECTIONS}
        name = translate(names.get(figure, figure))
        return name if key is None else f"{name}: {labels(figure, key)}"

    def _hidden_text(self, built: report_service.BuiltReport, labels: Labels) -> Text:
        if not built.hidden:
            return Text(_("Nothing was hidden."))
        k = built.document["threshold"]
        text = Text()
        for item in sorted(built.hidden, key=lambda h: -h.year):
            text.append(f"{item.year}  ", "bold")
            text.append_text(
                literal_text(self._cell_name(item.figure, item.key, labels), single_line=True)
            )
            text.append("\n   " + self._reason(item, k, labels) + "\n", "italic")
        return text

    def _reason(self, item: Hidden, k: int, labels: Labels) -> str:
        if item.reason == SMALL:
            return _("a count from 1 to {below}, shown as <{k}").format(below=k - 1, k=k)
        if item.protects is not None:
            figure, key = item.protects
            return _("shown as x, so that {cell} cannot be worked out").format(
                cell=self._cell_name(figure, key, labels)
            )
        return _("the whole breakdown shown as x, so no small count can be worked out")

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
        select = self.query_one("#year", Select)
        with select.prevent(Select.Changed):
            select.set_options(self._year_options())
            select.value = self.year
        self.build()

    def action_close(self) -> None:
        """Goes back to the previous screen."""
        self.app.pop_screen()

    # -- publishing ----------------------------------------------------------------------------

    @on(Button.Pressed, "#publish")
    def action_publish(self) -> None:
        """Asks first (the files leave the vault unencrypted, to this folder, replacing
        these files), then writes. The question starts on Cancel."""
        built = self.built
        if built is None:
            self.notify(_("The report is still being counted."))
            return
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        try:
            existing = existing_files(self.context.session.path, built, folder)
        except ConfidantError as error:
            self.notify(error.message, severity="error")
            return
        question = self._question(built, folder, existing)

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._publish(built, folder, bool(existing))

        self.app.push_screen(
            ConfirmModal(
                question,
                confirm=_("Replace and write the files") if existing else _("Write the files"),
                danger=True,
            ),
            answered,
        )

    def _question(
        self, built: report_service.BuiltReport, folder: Path, existing: list[Path]
    ) -> Text:
        question = Text()
        question.append(_("The report leaves the vault unencrypted.") + "\n\n", "bold")
        question.append(
            _(
                "Anyone who can open this folder can read the files. They hold only the "
                "anonymised counts; what was hidden, and why, stays in the vault."
            )
            + "\n\n"
        )
        question.append(_("Folder:") + " ")
        question.append_text(literal_text(str(folder.resolve()), single_line=True))
        question.append("\n" + _("Files:") + " ")
        question.append_text(
            literal_text(", ".join(file_names(built.year, built.organisation)), single_line=True)
        )
        if existing:
            question.append(
                "\n\n"
                + ngettext(
                    "This file already exists and will be replaced:",
                    "These files already exist and will be replaced:",
                    len(existing),
                )
                + " ",
                "bold",
            )
            question.append_text(
                literal_text(", ".join(path.name for path in existing), single_line=True)
            )
        if report_service.year_running(built.year, self.context.today()):
            question.append("\n\n" + report_service.year_running_warning(built.year), "bold")
        if built.earlier_differs:
            question.append(
                "\n\n"
                + _(
                    "Warning: a report for {year} was published before with other figures. "
                    "Readers who compare both versions may learn about single cases."
                ).format(year=built.year),
                "bold",
            )
        return question

    @work(thread=True, exclusive=True, group="report-publish")
    def _publish(self, built: report_service.BuiltReport, folder: Path, replace: bool) -> None:
        context = self.context
        paths = publish_files(
            context.vault,
            context.session.path,
            built,
            folder,
            today=context.today(),
            replace=replace,
        )
        self.post_message(self.Published(paths))

    @on(Published)
    def _published(self, message: Published) -> None:
        text = Text(_("Written, unencrypted:") + " ", "bold")
        text.append_text(
            literal_text(", ".join(path.name for path in message.paths), single_line=True)
        )
        self.query_one("#written", Static).update(text)
        self.notify(_("The yearly report was written and recorded as published."))
