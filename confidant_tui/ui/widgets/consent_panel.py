"""Provides `ConsentPanel`: every consent purpose of a case at a glance.

One line per purpose (recording, statistics, referral per destination, sharing with a
third party, revealing the identity): given or not, the scope, oral or written, the date,
and whether and when it was withdrawn; the purpose and scope wrap, so a referral's
destination is always shown whole. Statistics are opt-out, so "not asked" reads as
"counted". The case file records a consent with `t` and a withdrawal with `w`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from confidant_tui.domain.consent import PURPOSES, ConsentLedger, ConsentRecord
from confidant_tui.i18n import _, format_moment
from confidant_tui.ui.presenters.protocol_texts import (
    FORM_LABELS,
    PURPOSE_LABELS,
    label,
    scope_text,
)


def _purpose(record: ConsentRecord, destination_label: dict[str, str]) -> str:
    text = label(PURPOSE_LABELS, record.purpose)
    if record.destination:
        text += " → " + destination_label.get(record.destination, record.destination)
    return text


def consent_table(
    ledger: ConsentLedger, now: dt.datetime, destination_label: dict[str, str] | None = None
) -> Table:
    """The ledger as a table: purpose, scope, form, given, withdrawn (corrected ones left out)."""
    names = destination_label or {}
    table = Table(box=None, show_edge=False, pad_edge=False, expand=True, header_style="bold")
    # Purpose (with the destination) and scope wrap rather than cut off: at 80 columns
    # "Referral → Bedrijfsarts" and the scope are shown whole, on two lines if need be.
    table.add_column(_("Consent for"), ratio=3, overflow="fold")
    table.add_column(_("Scope"), ratio=3, overflow="fold")
    table.add_column(_("Form"), width=12, no_wrap=True, overflow="ellipsis")
    table.add_column(_("Given"), width=16, no_wrap=True)
    table.add_column(_("Withdrawn"), width=16, no_wrap=True)
    shown_purposes = set()
    for record in ledger.effective():
        shown_purposes.add(record.purpose)
        withdrawn = ledger.withdrawn_at(record.id)
        style = "dim" if withdrawn is not None else ""
        table.add_row(
            Text(_purpose(record, names), style=style),
            Text(scope_text(record.scope), style=style),
            Text(label(FORM_LABELS, record.form), style=style),
            Text(format_moment(record.given_at), style=style),
            Text(format_moment(withdrawn) if withdrawn else "—", style="bold" if withdrawn else ""),
        )
    for purpose in PURPOSES:
        if purpose in shown_purposes or purpose == "referral":
            continue
        state = _("not asked: counted (opt-out)") if purpose == "statistics" else _("not given")
        table.add_row(
            Text(label(PURPOSE_LABELS, purpose), style="dim"),
            Text(state, style="italic dim"),
            Text(""),
            Text(""),
            Text(""),
        )
    return table


class RenderedOnce:
    """A renderable rendered once per width (and other console options): Textual renders a
    `Static`'s content to measure its height and again to draw it, at every layout, and a
    table of consents is the dearest part of the case file to render. The segments are
    the renderable's own; only the repeat is saved."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._rendered: dict[Hashable, list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (
            options.size,
            options.min_width,
            options.max_width,
            options.max_height,
            options.height,
            options.is_terminal,
            options.encoding,
            options.legacy_windows,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.highlight,
            options.markup,
        )
        segments = self._rendered.get(key)
        if segments is None:
            segments = self._rendered[key] = list(console.render(self.renderable, options))
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class ConsentPanel(Static):
    """The case's consents at a glance; `show(ledger, now)` fills it."""

    DEFAULT_CSS = """
    ConsentPanel { height: auto; margin-top: 1; }
    """

    def show(
        self,
        ledger: ConsentLedger,
        now: dt.datetime,
        destination_label: dict[str, str] | None = None,
    ) -> None:
        """Shows `ledger` (with a title and the keys that change it)."""
        title = Text(_("Consents"), style="bold")
        title.append("  " + _("(t records a consent, w a withdrawal)"), style="italic")
        self.update(RenderedOnce(Group(title, consent_table(ledger, now, destination_label))))
