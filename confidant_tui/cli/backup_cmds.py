"""Provides the backup commands: `backup`, `restore` and `rekey-to`.

`backup` only reads the vault (it may run while the app is open); `restore` replaces a
vault only after a confirmation (typed on a terminal, or `--yes` for scripts); `rekey-to`
copies the vault into a new one under a new data key, for after a leaked passphrase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from confidant_tui.cli.common import PassphraseSource, passphrases, say, vault_path, warn
from confidant_tui.cli.vault_cmds import print_recovery_key
from confidant_tui.display_text import visible
from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import ExitCode, InvalidInput, UsageError
from confidant_tui.i18n import _, ngettext
from confidant_tui.services import backups, exports, vaults


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds the backup commands to the parser."""
    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help=_("make an encrypted, verified backup of the vault (also while the app is open)"),
    )
    backup.add_argument(
        "destination",
        metavar=_("DEST"),
        help=_("the backup's file; its header is written beside it as DEST.header"),
    )
    backup.add_argument(
        "--force", action="store_true", help=_("replace an existing backup at DEST")
    )
    backup.add_argument(
        "--separate-passphrase",
        action="store_true",
        help=_("protect the backup with its own passphrase instead of the vault's"),
    )
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser(
        "restore",
        parents=[common],
        help=_("restore a backup as the vault (asks before replacing an existing vault)"),
    )
    restore.add_argument("source", metavar=_("SRC"), help=_("the backup's file"))
    restore.add_argument(
        "--yes",
        action="store_true",
        help=_("replace an existing vault without asking (for scripts)"),
    )
    restore.set_defaults(func=run_restore)
    rekey = subparsers.add_parser(
        "rekey-to",
        parents=[common],
        help=_("copy the vault into a new vault under a new key (after a leaked passphrase)"),
    )
    rekey.add_argument("new_vault", metavar=_("NEWVAULT"), help=_("the new vault's file"))
    rekey.set_defaults(func=run_rekey_to)


def _checked_destination(args: argparse.Namespace, vault: Path) -> Path:
    """DEST and DEST.header, checked before any passphrase is asked."""
    try:
        return backups.check_destination(Path(args.destination), vault, replace=bool(args.force))
    except exports.OutputExists as exists:
        raise _exists_error(exists.path) from None


def _exists_error(path: Path) -> InvalidInput:
    return InvalidInput(
        _("{path} already exists. Add --force to replace it.").format(path=visible(path))
    )


def _read_backup_passphrase(source: PassphraseSource) -> str:
    """The backup's own passphrase: once from standard input, twice from a terminal."""
    first = source.read(_("Backup passphrase: "))
    if not source.from_stdin:
        again = source.read(_("Repeat the backup passphrase: "))
        if again != first:
            raise InvalidInput(_("The two passphrases differ. Nothing was written."))
    vaults.validate_new_passphrase(first)
    return first


def _moment(moment: dt.datetime | None) -> str:
    """A backup's moment on this computer's clock, written out: "2 december 2026, 14:03"."""
    if moment is None:
        return "?"
    local = moment.astimezone()
    return f"{long_date(local.date())}, {local:%H:%M}"


def run_backup(args: argparse.Namespace) -> int:
    """Writes a verified backup: the vault's passphrase first, then (with
    `--separate-passphrase`) the backup's own."""
    path = vault_path(args)
    vaults.ensure_vault(path)
    destination = _checked_destination(args, path)
    source = passphrases(args)
    passphrase = source.read(_("Passphrase: "))
    separate = _read_backup_passphrase(source) if args.separate_passphrase else None
    vault = vaults.open_vault(path, passphrase, read_only=True)
    try:
        if vault.freshness.went_back:
            warn(
                _(
                    "Warning: this vault went back in time. {explanation} The backup holds "
                    "the vault as it is now."
                ).format(explanation=vault.freshness.explanation())
            )
        try:
            made = backups.make_backup(
                vault,
                destination,
                now=dt.datetime.now(dt.UTC),
                replace=bool(args.force),
                separate_passphrase=separate,
            )
        except exports.OutputExists as exists:
            raise _exists_error(exists.path) from None
    finally:
        vault.close()
    say(_("Backup written: {path}").format(path=visible(made.path)))
    say(_("Its header: {path}").format(path=visible(made.header_path)))
    say(
        ngettext(
            "Verified: it holds {count} case, and every page, its structure and its "
            "references pass their checks.",
            "Verified: it holds {count} cases, and every page, its structure and its "
            "references pass their checks.",
            made.cases,
        ).format(count=made.cases)
    )
    if separate is None:
        say(_("The backup is encrypted: it opens with the vault's passphrase or recovery key."))
    else:
        say(
            _(
                "The backup is encrypted: it opens with the backup passphrase or the vault's "
                "recovery key."
            )
        )
    say(_("Keep both files together, on another disk or in another place than this computer."))
    return ExitCode.OK


def _confirm_replace(target: Path) -> bool:
    """Asks on the terminal whether the vault at `target` may be replaced."""
    say(
        _(
            "Restoring replaces the vault at {path} with this backup: saves made after the "
            "backup are lost."
        ).format(path=visible(target))
    )
    print(_("Type yes to replace it: "), end="", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().casefold() in {"yes", _("yes").casefold()}


def run_restore(args: argparse.Namespace) -> int:
    """Restores a backup as the vault; asks for the backup's passphrase (one line with
    `--passphrase-stdin`)."""
    target = vault_path(args)
    source_path = Path(args.source).expanduser()
    exists = backups.target_exists(target)
    confirm_here = False
    if exists:
        backups.ensure_restorable(target)
        if not args.yes:
            from_stdin = bool(getattr(args, "passphrase_stdin", False))
            if from_stdin or not sys.stdin.isatty():
                raise UsageError(
                    _(
                        "A vault exists at {path}; restoring replaces it. Add --yes to "
                        "confirm (needed without a terminal or with --passphrase-stdin). "
                        "Nothing was changed."
                    ).format(path=visible(target))
                )
            confirm_here = True
    passphrase = passphrases(args).read(_("Backup passphrase: "))
    found = backups.check_backup(source_path, passphrase)
    say(
        ngettext(
            "The backup made {moment} holds {count} case and passes every check.",
            "The backup made {moment} holds {count} cases and passes every check.",
            found.cases,
        ).format(moment=_moment(found.made_at), count=found.cases)
    )
    if confirm_here and not _confirm_replace(target):
        say(_("Nothing was changed."))
        return ExitCode.INVALID_INPUT
    done = backups.restore_backup(source_path, target, passphrase, replace_existing=exists)
    say(_("Restored: {path}").format(path=visible(done.path)))
    if done.replaced:
        say(_("The vault that was there was replaced after the restored one passed its checks."))
    say(_("The restored vault opens with the backup's passphrase."))
    return ExitCode.OK


def run_rekey_to(args: argparse.Namespace) -> int:
    """Copies the vault into a new vault under a new data key: the current passphrase
    first, then the new vault's (once from standard input, twice from a terminal)."""
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    new_path = Path(args.new_vault).expanduser()
    vaults.ensure_free(new_path)
    source = passphrases(args)
    current = source.read(_("Current passphrase: "))
    new = source.read_new()
    vaults.validate_new_passphrase(new)
    params = getattr(args, "kdf_params", None)
    vault = vaults.open_vault(path, current)
    try:
        if params is None:
            say(_("Measuring this computer to tune the key derivation..."))
        key = backups.rekey_to(vault, new_path, new, params=params)
    finally:
        vault.close()
    say(_("New vault made under a new key: {path}").format(path=visible(new_path)))
    say(_("It holds everything the old vault holds, and opens with the new passphrase."))
    print_recovery_key(key)
    say(
        _(
            "Use the new vault from now on (--vault or CONFIDANT_VAULT), make a backup of it, "
            "and then destroy the old vault and its backups: the old passphrase and recovery "
            "key still open those."
        )
    )
    return ExitCode.OK
