"""Provides `TodayScreen`: what is due, in three groups an adviser reads at a glance.

Shown right after unlocking (setting `today_on_unlock`), with `t` on the case list and the
palette's "Today". It lists `services.deadlines.due_list` for the adviser's today: overdue
("Te laat"), due within the week ("Deze week") and coming up within 30 days
("Binnenkort"). Each row says which case (its code; nothing for the yearly report and the
backup), when (`domain.deadlines.timing`) and what (`describe`); the line under the list
names the kind and the due day of the row under the cursor. Snoozed items are left out and
counted.

Enter opens the item where it is handled (`Deadline.target`: the case file at the
conversation or route, the protocol procedure, the retention screen, the yearly report or
the backup dialog); `d` marks it done and `z` snoozes it to a day, each with a reason
(`DeadlineMarkModal`); `e` records the one extension of a report's feedback term. After
any change the list is read again and the cursor stays on the same item, or on the one that
took its place. Escape goes back to the case list.

After unlocking the view is built with what the unlock's worker read (`prefetch`), so it is
drawn once, with its rows; the case list beneath it reads its first page once the view has
been drawn.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from confidant_tui.domain.deadlines import KINDS, DueItem, describe, timing
from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import ConfidantError, VaultLocked
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.services import deadlines
from confidant_tui.services.deadlines import DueList
from confidant_tui.ui import navigation
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.modals.deadline_mark import DeadlineMarkModal
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.open_options import OpenOptions

GROUPS: tuple[tuple[str, str, str], ...] = (
    ("overdue", N_("Overdue ({count})"), N_("{count} overdue")),
    ("due", N_("This week ({count})"), N_("{count} this week")),
    ("upcoming", N_("Coming up ({count})"), N_("{count} coming up")),
)
"""The states listed, in order, with their group's heading (as `confidant due` has them) and
their count in the title line (which shows all three groups at a glance, also when the
first fills the screen)."""
CODE_WIDTH = 9
"""The case code's column (a code is 8 characters)."""
SCREENS_BY_TARGET = frozenset({"retention", "report", "backup"})
"""Targets that are screens of their own (`ui/commands.py`), not a place in a case."""


GROUP_ROWS = 100
"""Rows shown per group: the rest is counted (the screen must open at once with thousands of
cases, and no adviser reads past a hundred; `confidant due` prints everything)."""
RETENTION_ROWS = 5
"""Up to this many closed cases due for destruction get a row each; more become one row
that counts them (Enter opens the destruction screen)."""


def item_key(item: DueItem) -> str:
    """A row's key: the deadline's kind, subject and due day (what a mark is matched on)."""
    deadline = item.deadline
    return f"{deadline.kind}|{deadline.subject}|{deadline.due.isoformat()}"


def item_prompt(item: DueItem, today: dt.date, width: int, console: Console) -> Text:
    """A row: the case code in its own column, then when and what, wrapped under its own
    start to `width` cells.

    Plain text wrapped here rather than a Rich grid: the option list measures every
    option's height when the list is filled, and a grid costs three times a text there
    (hundreds of rows at 50k cases). The list is filled again when its width changes.
    """
    deadline = item.deadline
    code = literal_text(deadline.code or "", single_line=True, style="bold")
    code.truncate(CODE_WIDTH, overflow="ellipsis", pad=True)
    when = Text(timing(item, today), style="bold" if item.state == "overdue" else "")
    body = Text.assemble(when, " · ", literal_text(describe(deadline), single_line=True))
    prompt = Text.assemble(code, " ")
    indent = " " * (CODE_WIDTH + 1)
    for number, line in enumerate(body.wrap(console, max(10, width - CODE_WIDTH - 1))):
        if number:
            prompt.append("\n" + indent)
        prompt.append_text(line)
    return prompt


class TodayScreen(BaseScreen):
    """What is due: overdue, this week, coming up; open, mark done, snooze, extend."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#items"  # focused before the footer is built, which then shows its keys
    HELP = N_(
        "What is due: follow-ups you agreed, aftercare, complaint periods, the terms of "
        "integrity and whistleblower reports, destruction days, the yearly report and the "
        "backup. Overdue items come first, then what falls due this week, then what comes up "
        "in the next 30 days. Enter opens the item where it is handled; d marks it done and z "
        "snoozes it to a later day, each with a reason (kept, and audited without the "
        "reason); e records the one extension of three months of a report's feedback term. "
        "Escape goes back to the cases. Settings decide whether this view opens after "
        "unlocking."
    )
    BINDINGS: ClassVar = [
        Binding("d", "done", N_("Done")),
        Binding("z", "snooze", N_("Snooze")),
        Binding("e", "extend", N_("Extend"), show=False),  # the line under the list says it
        Binding("escape", "back", N_("Back")),
    ]

    class Loaded(Message):
        """What is due, as the vault says now."""

        def __init__(self, due: DueList) -> None:
            super().__init__()
            self.due = due

    class Failed(Message):
        """Reading the list failed with an error for the adviser."""

        def __init__(self, error: ConfidantError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, prefetched: DueList | None = None) -> None:
        super().__init__()
        self._prefetched = prefetched
        """What is due, read before the view was built (`prefetch`): shown as it is
        mounted, so the view is drawn once, with its rows."""
        self.items: dict[str, DueItem] = {}
        self.due: DueList | None = None
        self._filled_width = 0
        """The width the rows were last wrapped to (`on_resize` fills the list again)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="title")
        yield OpenOptions(id="items")
        yield Static(id="empty")
        yield Static(id="detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_title(self.context.today())
        self.query_one("#empty").display = False
        self.query_one("#items", OptionList).focus()
        first, self._prefetched = self._prefetched, None
        if first is None:
            self.reload()
        else:
            self._loaded(self.Loaded(first))

    def on_screen_resume(self) -> None:
        """Reads the list again when the adviser comes back (a conversation held or a
        backup made on the screen opened from here may have met a deadline); not when it
        is first shown, for which Textual may resume it twice."""
        if self.left_since_shown and self.due is not None:
            self.reload()

    def _show_title(self, today: dt.date, found: DueList | None = None) -> None:
        title = Text(_("Today"), style="bold")
        title.append(" · " + long_date(today))
        counts = [
            _(count).format(count=len(found.of_state(state)))
            for state, _heading, count in GROUPS
            if found is not None and found.of_state(state)
        ]
        if counts:
            title.append(" · ")
            title.append(", ".join(counts), style="bold")
        self.query_one("#title", Static).update(title)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Reads what is due again (in a worker)."""
        self._load()

    @classmethod
    def prefetch(cls, context: AppContext) -> DueList:
        """What is due, read before the view is built: unlocking reads it in its worker,
        so the view opens with its rows instead of being drawn twice (empty, then filled).

        Raises:
            ConfidantError: the vault could not be read.
        """
        return deadlines.due_list(
            context.vault,
            today=context.today(),
            settings=context.settings,
            group_retention=RETENTION_ROWS,
        )

    @work(thread=True, exclusive=True, group="today")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            found = self.prefetch(self.context)
        except VaultLocked:
            return
        except ConfidantError as error:
            if not worker.is_cancelled:
                self.post_message(self.Failed(error))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(found))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        found = message.due
        self.due = found
        self._show_title(found.today, found)
        listing = self.query_one("#items", OptionList)
        keep_key = self._key_under_cursor()
        keep_index = listing.highlighted
        width = self._prompt_width(listing)
        self._filled_width = width
        options: list[Option] = []
        self.items = {}
        for state, heading, _count in GROUPS:
            items = found.of_state(state)
            if not items:
                continue
            if options:
                options.append(Option(Text(""), disabled=True))
            label = Text(_(heading).format(count=len(items)), style="bold")
            options.append(Option(label, id=f"group:{state}", disabled=True))
            for item in items[:GROUP_ROWS]:
                key = item_key(item)
                self.items[key] = item
                prompt = item_prompt(item, found.today, width, self.app.console)
                options.append(Option(prompt, id=key))
            if len(items) > GROUP_ROWS:
                more = len(items) - GROUP_ROWS
                line = ngettext(
                    "… and {count} more: confidant due lists them all",
                    "… and {count} more: confidant due lists them all",
                    more,
                ).format(count=more)
                options.append(Option(Text(line, style="italic"), disabled=True))
        listing.clear_options()
        listing.add_options(options)
        listing.display = bool(self.items)
        self._restore_cursor(listing, keep_key, keep_index)
        self._show_empty(found)
        self._show_detail()

    @staticmethod
    def _prompt_width(listing: OptionList) -> int:
        """The cells a row's text has: the list's width less its scrollbar and padding
        (before the first layout, the list spans the screen: its width is the screen's
        less the list's own padding and its scroll bar's gutter, kept with or without one)."""
        padding = listing.get_component_styles("option-list--option").padding
        styles = listing.styles
        region = listing.scrollable_content_region.width or (
            listing.app.size.width - styles.gutter.width - styles.scrollbar_size_vertical
        )
        return max(20, region - padding.width - styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        """Fills the list again when its rows have another width to wrap in."""
        listing = self.query_one("#items", OptionList)
        if self.due is not None and self._prompt_width(listing) != self._filled_width:
            self.post_message(self.Loaded(self.due))

    def _restore_cursor(self, listing: OptionList, key: str | None, index: int | None) -> None:
        """The cursor on the same item, else on the one now in its place (or the last)."""
        if not self.items:
            return
        if key is not None and key in self.items:
            listing.highlighted = listing.get_option_index(key)
            return
        enabled = [i for i, o in enumerate(listing.options) if not o.disabled]
        start = index if index is not None else 0
        later = [i for i in enabled if i >= start]
        listing.highlighted = later[0] if later else enabled[-1]

    def _show_empty(self, found: DueList) -> None:
        hidden = found.snoozed + len(found.of_state("snoozed"))
        lines = Text()
        if not self.items:
            days = (found.until - found.today).days
            lines.append(
                ngettext(
                    "Nothing to do: nothing is overdue or due in the next {days} day.",
                    "Nothing to do: nothing is overdue or due in the next {days} days.",
                    days,
                ).format(days=days),
                style="bold",
            )
        if hidden:
            if lines.plain:
                lines.append("\n")
            lines.append(
                ngettext(
                    "{count} snoozed item is not shown until its day.",
                    "{count} snoozed items are not shown until their day.",
                    hidden,
                ).format(count=hidden)
            )
        empty = self.query_one("#empty", Static)
        empty.update(lines)
        empty.display = bool(lines.plain)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        problems = getattr(message.error, "problems", None)
        self.app.push_screen(ErrorModal(message.error.message, problems))

    # -- the item under the cursor ---------------------------------------------------------

    def _key_under_cursor(self) -> str | None:
        listing = self.query_one("#items", OptionList)
        option = listing.highlighted_option
        if option is None or option.id not in self.items:
            return None
        return option.id

    def current(self) -> DueItem | None:
        """The item under the cursor, if any."""
        key = self._key_under_cursor()
        return self.items.get(key) if key is not None else None

    @on(OptionList.OptionHighlighted, "#items")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The kind and due day of the item under the cursor, and what e does for it."""
        item = self.current()
        line = Text()
        if item is not None:
            deadline = item.deadline
            if deadline.code:
                line.append_text(literal_text(deadline.code, single_line=True, style="bold"))
                line.append(": ")
            line.append(_(KINDS.get(deadline.kind, deadline.kind)))
            line.append(" · ")
            line.append(_("due {day}").format(day=long_date(deadline.due)))
            if _extendable(item):
                line.append(" · ")
                line.append(_("e: extend once by 3 months"))
        self.query_one("#detail", Static).update(line)

    # -- acting ----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#items")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        item = self.items.get(event.option.id or "")
        if item is not None:
            self.open_item(item)

    def open_item(self, item: DueItem) -> None:
        """Opens the place where `item` is handled (Enter)."""
        deadline = item.deadline
        target = deadline.target or ""
        if target in SCREENS_BY_TARGET:
            self.app.call_later(self.app.run_action, f"open_screen({target!r})")
        elif target.startswith("procedure:") and deadline.case_id is not None:
            navigation.open_protocol(self.app, deadline.case_id, int(target.partition(":")[2]))
        elif deadline.case_id is not None:
            navigation.open_case_file(self.app, deadline.case_id, select=target or None)

    def action_done(self) -> None:
        """Marks the item under the cursor done, with a reason (d)."""
        self._mark("done")

    def action_snooze(self) -> None:
        """Snoozes the item under the cursor to a later day, with a reason (z)."""
        self._mark("snoozed")

    def action_extend(self) -> None:
        """Records the one extension of a report's feedback term, with a reason (e)."""
        item = self.current()
        if item is None:
            self.notify(_("Choose an item first."), markup=False)
            return
        if not _extendable(item):
            if item.deadline.kind == "report_feedback":
                message = _("The feedback term of this report was extended already.")
            else:
                message = _(
                    "Only the feedback term of an integrity report or a report to the "
                    "whistleblower authority can be extended."
                )
            self.notify(message, markup=False)
            return
        self._mark("extend")

    def _mark(self, act: str) -> None:
        item = self.current()
        if item is None:
            self.notify(_("Choose an item first."), markup=False)
            return
        if item.deadline.kind == "retention":
            self.notify(
                _(
                    "A case due for destruction is postponed or destroyed on the destruction "
                    "screen: press Enter."
                ),
                markup=False,
            )
            return

        def closed(_stored: bool | None) -> None:
            self.reload()  # also after a refusal: the deadline may have changed meanwhile

        self.app.push_screen(DeadlineMarkModal(item, act), closed)

    def action_back(self) -> None:
        """Goes back to the case list (Escape)."""
        self.dismiss()


def _extendable(item: DueItem) -> bool:
    """Whether `e` applies: a report's feedback term not extended yet (the engine says
    "extended once" in its detail after the extension)."""
    deadline = item.deadline
    return deadline.kind == "report_feedback" and not deadline.detail
