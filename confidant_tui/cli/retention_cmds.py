"""Provides `confidant purge --due`: destroy the closed cases that are due, after asking.

It lists what would go (code, organisation, why it is due), says that backups made before
still hold those cases and lists the backups this computer knows of, by date. On a terminal
it asks for the case code typed in full (several cases: their number); `--yes` confirms in
scripts; without a terminal and without `--yes` it refuses before anything is opened
(exit 2). `--dry-run` only lists, from a read-only opening (it works beside the open app).
"""

from __future__ import annotations

import argparse
import sys

from confidant_tui.cli.common import command_context, passphrases, say, vault_path
from confidant_tui.display_text import visible
from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import ExitCode, UsageError
from confidant_tui.i18n import _, ngettext
from confidant_tui.services import retention, vaults


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `purge` to the parser."""
    purge = subparsers.add_parser(
        "purge",
        parents=[common],
        help=_("destroy the closed cases that are due under the retention rule"),
    )
    purge.add_argument(
        "--due",
        action="store_true",
        required=True,
        help=_("every case that is due today (the only selection for now)"),
    )
    purge.add_argument(
        "--dry-run", action="store_true", help=_("only list what would be destroyed")
    )
    purge.add_argument("--yes", action="store_true", help=_("destroy without asking (for scripts)"))
    purge.set_defaults(func=run_purge)


def _list(due: list[retention.DueCase]) -> None:
    say(
        ngettext(
            "{count} case is due for destruction:",
            "{count} cases are due for destruction:",
            len(due),
        ).format(count=len(due))
    )
    for case in due:
        say(f"  {case.code}  {visible(case.organisation)}  {case.reason}")


def _backups_warning(vault: vaults.Vault) -> None:
    known = retention.known_backups(vault)
    if not known:
        say(
            _(
                "Backups made before still hold these cases. This computer knows of no "
                "backup of this vault; delete any you made elsewhere."
            )
        )
        return
    say(_("Backups made before still hold these cases; delete them yourself:"))
    for path, made_at in known:
        moment = made_at.astimezone()
        say(f"  {long_date(moment.date())} {moment:%H:%M}  {visible(path)}")


def _confirmed(due: list[retention.DueCase]) -> bool:
    if len(due) == 1:
        prompt = _("Type the case code {code} to destroy it: ").format(code=due[0].code)
        expected = due[0].code
    else:
        prompt = _("Type the number of cases ({count}) to destroy them: ").format(count=len(due))
        expected = str(len(due))
    print(prompt, end="", flush=True)
    return sys.stdin.readline().strip().casefold() == expected.casefold()


def run_purge(args: argparse.Namespace) -> int:
    """Lists the cases due for destruction and destroys them after a confirmation."""
    path = vault_path(args)
    from_stdin = bool(getattr(args, "passphrase_stdin", False))
    if not args.dry_run and not args.yes and (from_stdin or not sys.stdin.isatty()):
        raise UsageError(
            _(
                "Destroying cases needs a confirmation: add --yes (needed without a terminal "
                "or with --passphrase-stdin), or --dry-run to only list them. Nothing was "
                "changed."
            )
        )
    vaults.ensure_vault(path, for_writing=not args.dry_run)
    context = command_context()
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase, read_only=args.dry_run)
    try:
        if not args.dry_run:
            context.settle(vault)  # an old settings file's retention term moves in first
        due = retention.due_cases(vault, today=context.today())
        if not due:
            say(_("No case is due for destruction."))
            return ExitCode.OK
        _list(due)
        _backups_warning(vault)
        if args.dry_run:
            say(_("Dry run: nothing was destroyed."))
            return ExitCode.OK
        if not args.yes and not _confirmed(due):
            say(_("Nothing was destroyed."))
            return ExitCode.INVALID_INPUT
        done = retention.destroy(vault, [case.code for case in due], now=context.now())
    finally:
        vault.close()
    say(
        ngettext(
            "Destroyed {count} case: {codes}.",
            "Destroyed {count} cases: {codes}.",
            len(done.destroyed),
        ).format(count=len(done.destroyed), codes=", ".join(done.destroyed))
    )
    say(
        ngettext(
            "{count} anonymous statistical record kept for the yearly reports.",
            "{count} anonymous statistical records kept for the yearly reports.",
            done.records_kept,
        ).format(count=done.records_kept)
    )
    return ExitCode.OK
