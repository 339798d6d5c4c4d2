"""Provides `confidant audit`: the audit log, newest first, as lines or as JSON.

It prints what the app's audit screen shows: each entry's moment, action, case code and
detail (never content), filtered by case, action and period, then whether the chain of
entries is intact. It opens the vault read-only, so it runs beside the open app. A broken
chain is printed all the same (it is the evidence) and ends with exit code 8, as
`confidant check` does.
"""

from __future__ import annotations

import argparse
import json

from confidant_tui.cli.common import command_context, passphrases, say, vault_path, warn
from confidant_tui.display_text import neutralise
from confidant_tui.domain.audit import ACTIONS, AuditEntry, AuditFilter, action_label
from confidant_tui.domain.audit_view import chain_summary, format_at, parse_period
from confidant_tui.errors import ExitCode, InvalidInput
from confidant_tui.i18n import _
from confidant_tui.services import audit, vaults


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `audit` to the parser."""
    command = subparsers.add_parser(
        "audit",
        parents=[common],
        help=_("print the audit log, newest first, and whether its chain is intact"),
    )
    command.add_argument("--case", metavar=_("CODE"), help=_("only the entries of this case"))
    command.add_argument(
        "--since", metavar=_("DATE"), help=_("only entries from this day on (yyyy-mm-dd)")
    )
    command.add_argument(
        "--until", metavar=_("DATE"), help=_("only entries up to and including this day")
    )
    command.add_argument(
        "--action", metavar=_("KEY"), help=_("only this action (a stable key, e.g. case.created)")
    )
    command.add_argument(
        "--json",
        action="store_true",
        help=_("print a JSON list of objects: id, at, action, case, detail"),
    )
    command.set_defaults(func=run_audit)


def selection_of(args: argparse.Namespace) -> AuditFilter:
    """The filter the arguments give.

    Raises:
        InvalidInput: an unknown action key, an invalid date or a period that ends before
            it starts.
    """
    if args.action is not None and args.action not in ACTIONS:
        raise InvalidInput(
            _("Unknown action {action}; the actions are: {keys}.").format(
                action=neutralise(args.action, single_line=True), keys=", ".join(ACTIONS)
            )
        )
    try:
        since, until = parse_period(args.since or "", args.until or "")
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    code = (args.case or "").strip()
    return AuditFilter(args.action, code or None, since, until)


def run_audit(args: argparse.Namespace) -> int:
    """Prints the matching entries, newest first, and the state of the chain."""
    selection = selection_of(args)
    path = vault_path(args)
    vaults.ensure_vault(path)
    command_context()  # a settings file with a mistake stops here, as in every command
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase, read_only=True)
    try:
        found = audit.entries(vault, selection)
        check = audit.verify(vault)
    finally:
        vault.close()
    if args.json:
        say(json.dumps([as_json(entry) for entry in found], ensure_ascii=True, indent=2))
    else:
        for entry in found:
            say(line(entry))
        say(_("Audit log: {state}").format(state=chain_summary(check)))
    if not check.intact:
        if args.json:
            warn(chain_summary(check))
        return ExitCode.AUDIT_BROKEN
    return ExitCode.OK


def line(entry: AuditEntry) -> str:
    """One entry as a line: moment, case code (or -), action, detail."""
    parts = [
        format_at(entry.at),
        neutralise(entry.case_code or "-", single_line=True).ljust(9),
        action_label(entry.action),
    ]
    if entry.detail:
        parts.append(neutralise(entry.detail, single_line=True))
    return "  ".join(parts)


def as_json(entry: AuditEntry) -> dict[str, object]:
    """One entry for `--json`: `at` as an ISO moment, `action` its stable key, `case` the
    code or null."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="seconds"),
        "action": entry.action,
        "case": entry.case_code,
        "detail": entry.detail,
    }
