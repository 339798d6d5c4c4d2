"""Provides the commands for work outside cases: `activity list` and `activity add`.

Advisers who keep their hours in a script or a calendar can record advice to the board,
information sessions, peer supervision and training without opening the app; `list` shows
what the yearly report will count. `list` opens the vault read-only, so it may run while the
app is open; `add` needs the writer.
"""

from __future__ import annotations

import argparse

from confidant_tui.cli.common import command_context, passphrases, say, vault_path, warn
from confidant_tui.display_text import neutralise
from confidant_tui.domain.activities import (
    Activity,
    ActivityFilter,
    format_duration,
    parse_duration,
)
from confidant_tui.errors import ExitCode, InvalidInput, ValidationError
from confidant_tui.i18n import _, format_date, ngettext, parse_date
from confidant_tui.services import activities, organisations, vaults
from confidant_tui.services.cases import load_taxonomy


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `activity list` and `activity add` to the parser."""
    group = subparsers.add_parser(
        "activity", parents=[common], help=_("record and list work outside cases")
    )
    actions = group.add_subparsers(
        dest="activity_command", metavar=_("COMMAND"), parser_class=type(group), required=True
    )
    listing = actions.add_parser(
        "list", parents=[common], help=_("list work outside cases, newest first, with totals")
    )
    listing.add_argument(
        "--organisation", metavar=_("NAME"), help=_("only this organisation's entries")
    )
    listing.add_argument("--year", type=int, metavar=_("YEAR"), help=_("only this year"))
    listing.set_defaults(func=run_list)

    adding = actions.add_parser("add", parents=[common], help=_("record work outside cases"))
    adding.add_argument(
        "--kind",
        required=True,
        metavar=_("KIND"),
        help=_("the kind of work: {keys}").format(keys=", ".join(load_taxonomy().keys("activity"))),
    )
    adding.add_argument("--date", required=True, metavar=_("DATE"), help=_("dd-mm-yyyy"))
    adding.add_argument(
        "--minutes", required=True, metavar=_("DURATION"), help=_("minutes (90) or h:mm (1:30)")
    )
    adding.add_argument("--subject", required=True, metavar=_("TEXT"), help=_("a short subject"))
    adding.add_argument(
        "--organisation",
        metavar=_("NAME"),
        help=_("the organisation (default: the default organisation)"),
    )
    adding.set_defaults(func=run_add)


def run_list(args: argparse.Namespace) -> int:
    """Prints the entries of the filter, newest first, and the totals per kind."""
    path = vault_path(args)
    vaults.ensure_vault(path)
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase, read_only=True)
    try:
        taxonomy = organisations.taxonomy(organisations.list_organisations(vault))
        view = activities.overview(vault, ActivityFilter.for_year(args.year, args.organisation))
    finally:
        vault.close()
    for entry in view.activities:
        say(
            "  ".join(
                (
                    format_date(entry.date),
                    format_duration(entry.minutes).rjust(5),
                    taxonomy.short_label("activity", entry.kind),
                    neutralise(entry.organisation, single_line=True),
                    neutralise(entry.subject, single_line=True),
                )
            )
        )
    count = len(view.activities)
    say(
        ngettext(
            "{count} entry, {duration} hours", "{count} entries, {duration} hours", count
        ).format(count=count, duration=format_duration(view.minutes))
    )
    for total in view.totals:
        say(
            "  "
            + _("{kind} {count} ({duration})").format(
                kind=taxonomy.short_label("activity", total.kind),
                count=total.count,
                duration=format_duration(total.minutes),
            )
        )
    return ExitCode.OK


def run_add(args: argparse.Namespace) -> int:
    """Checks the typed values, asks the passphrase and records the entry."""
    try:
        date = parse_date(args.date)
        minutes = parse_duration(args.minutes)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if minutes is None:
        raise InvalidInput(_("Enter how long it took."))
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    context = command_context()
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase)
    try:
        found = context.settle(vault)
        name = args.organisation
        if name is None:
            default = organisations.default_organisation(found)
            assert default is not None  # settle makes one
            name = default.name
        entry = Activity(name, args.kind, date, minutes, args.subject)
        try:
            activities.add_activity(
                vault, entry, today=context.today(), taxonomy=organisations.taxonomy(found)
            )
        except ValidationError as error:
            for field, message in error.problems:
                warn(f"  {field}: {message}")
            raise
    finally:
        vault.close()
    say(
        _("Recorded: {subject}").format(subject=neutralise(entry.subject.strip(), single_line=True))
    )
    return ExitCode.OK
