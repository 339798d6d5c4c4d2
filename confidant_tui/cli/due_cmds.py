"""Provides `confidant due`: what is due, as the app's today view shows it, as lines or JSON.

It lists everything overdue and everything falling due in the next 30 days (or up to
`--until`, "what falls in my holiday?"), grouped as overdue, this week, coming up and
snoozed, each item with when, its case code and what it asks. `--done` adds the items
marked done. It opens the vault read-only, so it runs beside the open app and changes
nothing; "today" is the command line's clock (`cli.common.command_context`). The rules are
in `domain.deadlines` and `docs/deadlines.md`; the stable JSON keys in `docs/cli.md`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import textwrap

from confidant_tui.cli.common import command_context, passphrases, say, vault_path
from confidant_tui.display_text import neutralise
from confidant_tui.domain.deadlines import DueItem, describe, timing
from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import ExitCode, InvalidInput, UsageError
from confidant_tui.i18n import N_, _, ngettext, parse_date
from confidant_tui.services import deadlines, vaults

GROUPS: tuple[tuple[str, str], ...] = (
    ("overdue", N_("Overdue ({count})")),
    ("due", N_("This week ({count})")),
    ("upcoming", N_("Coming up ({count})")),
    ("snoozed", N_("Snoozed ({count})")),
    ("done", N_("Done ({count})")),
)
"""The groups of the text output, in order: a state (`domain.deadlines.STATES`) and its
heading with the number of items."""

MIN_WIDTH = 40
"""Lines are wrapped to the terminal's width, but never narrower than this."""
INDENT = "  "


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `due` to the parser."""
    command = subparsers.add_parser(
        "due",
        parents=[common],
        help=_("print what is due: overdue items and those due in the next 30 days"),
    )
    command.add_argument(
        "--until",
        metavar=_("DATE"),
        help=_(
            "everything due up to and including this day (yyyy-mm-dd or dd-mm-yyyy), "
            "e.g. your holiday"
        ),
    )
    command.add_argument("--done", action="store_true", help=_("also list the items marked done"))
    command.add_argument(
        "--json",
        action="store_true",
        help=_("print a JSON list of objects: case, kind, due, state, until, what"),
    )
    command.set_defaults(func=run_due)


def until_of(text: str | None, today: dt.date) -> dt.date | None:
    """The last day `--until` asks for (None: the default, 30 days ahead).

    Raises:
        InvalidInput: the text is no valid date.
        UsageError: the day lies before today.
    """
    if text is None:
        return None
    try:
        until = parse_date(text)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if until < today:
        raise UsageError(
            _(
                "--until {day} lies before today ({today}): give today or a later day, "
                "e.g. the last day of your holiday."
            ).format(day=long_date(until), today=long_date(today))
        )
    return until


def run_due(args: argparse.Namespace) -> int:
    """Prints what is due, grouped, or as JSON."""
    context = command_context()
    today = context.today()
    until = until_of(args.until, today)
    path = vault_path(args)
    vaults.ensure_vault(path)
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase, read_only=True)
    try:
        found = deadlines.due_list(
            vault, today=today, settings=context.settings, until=until, include_done=args.done
        )
    finally:
        vault.close()
    if args.json:
        say(json.dumps([as_json(item) for item in found.items], ensure_ascii=True, indent=2))
    else:
        for text in lines(found, width=_width()):
            say(text)
    return ExitCode.OK


def _width() -> int:
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def lines(found: deadlines.DueList, *, width: int = 80) -> list[str]:
    """The text output: a heading with the period, then each group with its items (one item
    a line, wrapped under itself when the terminal is too narrow), then what was left out."""
    out = [
        _("Due up to and including {until} (today is {today}):").format(
            until=long_date(found.until), today=long_date(found.today)
        )
    ]
    if not found.items:
        out.append(_("Nothing is due."))
    for state, heading in GROUPS:
        items = found.of_state(state)
        if not items:
            continue
        out.append("")
        out.append(_(heading).format(count=len(items)))
        for item in items:
            out += item_lines(item, found.today, width)
    if found.snoozed:
        out.append("")
        out.append(
            ngettext(
                "{count} snoozed item comes back after {until} and is not listed.",
                "{count} snoozed items come back after {until} and are not listed.",
                found.snoozed,
            ).format(count=found.snoozed, until=long_date(found.until))
        )
    return out


def item_lines(item: DueItem, today: dt.date, width: int = 80) -> list[str]:
    """One item on one line: when, case code (or "-"), what. When that is wider than
    `width`, what it asks goes on the next line, indented (wrapped further if need be)."""
    code = neutralise(item.deadline.code or "-", single_line=True)
    what = neutralise(describe(item.deadline), single_line=True)
    when = f"{INDENT}{timing(item, today)}  {code}"
    if len(when) + 2 + len(what) <= width:
        return [f"{when}  {what}"]
    wrapped = textwrap.wrap(
        what,
        width=width,
        initial_indent=INDENT * 3,
        subsequent_indent=INDENT * 3,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [when, *wrapped]


def as_json(item: DueItem) -> dict[str, object]:
    """One item for `--json`: `case` the code or null, `kind` and `state` stable keys,
    `due` and `until` (a snooze's end, else null) ISO days, `what` in the interface's
    language."""
    deadline = item.deadline
    snoozed_until = item.mark.until if item.state == "snoozed" and item.mark is not None else None
    return {
        "case": deadline.code,
        "kind": deadline.kind,
        "due": deadline.due.isoformat(),
        "state": item.state,
        "until": snoozed_until.isoformat() if snoozed_until is not None else None,
        "what": describe(deadline),
    }
