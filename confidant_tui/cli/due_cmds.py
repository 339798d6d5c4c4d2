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
CODE_WIDTH = 8
"""The case code column's least width (a code is `YYYY-NNN`, longer from case 1000 on)."""


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
    a line, wrapped under its text when the terminal is too narrow), then what was left
    out."""
    out = _wrapped(
        _("Due up to and including {until} (today is {today}):").format(
            until=long_date(found.until), today=long_date(found.today)
        ),
        width,
    )
    if not found.items:
        out.append(_("Nothing is due."))
    code_width = max([CODE_WIDTH, *(len(i.deadline.code or "") for i in found.items)])
    for state, heading in GROUPS:
        items = found.of_state(state)
        if not items:
            continue
        out.append("")
        out.append(_(heading).format(count=len(items)))
        for item in items:
            out += item_lines(item, found.today, width, code_width)
    if found.snoozed:
        out.append("")
        out += _wrapped(
            ngettext(
                "{count} snoozed item comes back after {until} and is not listed.",
                "{count} snoozed items come back after {until} and are not listed.",
                found.snoozed,
            ).format(count=found.snoozed, until=long_date(found.until)),
            width,
        )
    return out


def item_lines(item: DueItem, today: dt.date, width: int = 80, code_width: int = 8) -> list[str]:
    """One item, as the today view shows it: the case code in a column of `code_width`
    ("-" for the yearly report and the backup, so that no line reads as the continuation
    of the one above), then when and what it asks; wrapped to `width` under the text, past
    the code column."""
    code = neutralise(item.deadline.code or "-", single_line=True).ljust(code_width)
    what = neutralise(describe(item.deadline), single_line=True)
    return textwrap.wrap(
        f"{timing(item, today)} · {what}",
        width=width,
        initial_indent=f"{INDENT}{code}{INDENT}",
        subsequent_indent=" " * (2 * len(INDENT) + code_width),
        break_long_words=False,
        break_on_hyphens=False,
    )


def _wrapped(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [text]


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
