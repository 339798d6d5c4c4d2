"""Provides the vault commands: `init`, `passwd`, `recovery-key`, `recover` and `check`."""

from __future__ import annotations

import argparse

from confidant_tui.cli.common import ask_line, command_context, passphrases, say, vault_path
from confidant_tui.display_text import visible
from confidant_tui.domain.recovery_key import format_recovery_key
from confidant_tui.errors import DamagedHeader, ExitCode, WrongRecoveryKey
from confidant_tui.i18n import _
from confidant_tui.services import vaults


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds the vault commands to the parser."""
    init = subparsers.add_parser(
        "init", parents=[common], help=_("create a new, empty vault (asks for a passphrase)")
    )
    init.add_argument(
        "--organisation",
        metavar=_("NAME"),
        help=_(
            "the organisation's name, at the head of the yearly report (asked for when "
            "left out on a terminal; 'My organisation' when not given)"
        ),
    )
    init.add_argument(
        "--no-recovery-key",
        action="store_true",
        help=_("make no recovery key (a forgotten passphrase then loses the vault for good)"),
    )
    init.set_defaults(func=run_init)
    passwd = subparsers.add_parser(
        "passwd", parents=[common], help=_("change the passphrase of the vault")
    )
    passwd.set_defaults(func=run_passwd)
    recovery_key = subparsers.add_parser(
        "recovery-key",
        parents=[common],
        help=_("make a new recovery key (asks for the passphrase; the old key stops working)"),
    )
    recovery_key.set_defaults(func=run_recovery_key)
    recover = subparsers.add_parser(
        "recover",
        parents=[common],
        help=_("set a new passphrase with the recovery key (when the passphrase is forgotten)"),
    )
    recover.set_defaults(func=run_recover)
    check = subparsers.add_parser(
        "check", parents=[common], help=_("check the vault for damage (read-only)")
    )
    check.set_defaults(func=run_check)


def run_init(args: argparse.Namespace) -> int:
    """Creates a vault with its first organisation; the passphrase is read twice without
    echo (a weak one is refused before the second time).

    The organisation's name comes from `--organisation`, else it is asked for on a terminal
    (not with `--passphrase-stdin`: scripts give `--organisation`); without a name the
    organisation is called "My organisation", which a report shows in its own language.
    """
    path = vault_path(args)
    vaults.ensure_free(path)
    context = command_context()
    organisation = _organisation_name(args)
    passphrase = passphrases(args).read_new()
    params = getattr(args, "kdf_params", None)
    if params is None:
        say(_("Creating the vault; measuring this computer to tune the key derivation..."))
    key = None if args.no_recovery_key else vaults.make_recovery_key()
    vault = vaults.create_vault(path, passphrase, params=params, recovery_key=key)
    try:
        named = vaults.add_first_organisation(
            vault, organisation, default_name=_("My organisation"), moment=context.now()
        )
    finally:
        vault.close()
    say(_("Vault created: {path}").format(path=visible(path)))
    if organisation is None:
        say(
            _(
                "Organisation: '{name}'. Give it its real name with: confidant organisation "
                "edit '{name}' --rename NAME"
            ).format(name=visible(named))
        )
    else:
        say(_("Organisation: {name}").format(name=visible(named)))
    if key is None:
        say(
            _(
                "Keep your passphrase safe: without it nobody, not even you, can open the "
                "vault. This vault has no recovery key; 'confidant recovery-key' makes one."
            )
        )
    else:
        print_recovery_key(key)
    return ExitCode.OK


def _organisation_name(args: argparse.Namespace) -> str | None:
    """The organisation's name from `--organisation` or asked on the terminal (checked
    before any passphrase is asked); None: none given."""
    given = args.organisation
    if given is None and not getattr(args, "passphrase_stdin", False):
        given = ask_line(_("Name of the organisation (for the yearly report): "))
    return None if given is None else vaults.check_organisation_name(given)


def print_recovery_key(key: bytes) -> None:
    """Shows a recovery key once, on standard output, in a block that says what it is for.

    The key stands alone on its own line (`XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`, no
    indent), so a script can take it with a pattern; the lines around it are the adviser's.
    Used by `init`, `recovery-key` and `rekey-to`.
    """
    rule = "=" * 64
    say(rule)
    say(_("RECOVERY KEY - shown only this once"))
    say("")
    say(format_recovery_key(key))
    say("")
    say(
        _(
            "Write this key down on paper and keep it in a safe. If you forget your "
            "passphrase, 'confidant recover' opens the vault with this key and sets a new "
            "passphrase. Anyone who has this key and a copy of the vault can read it: never "
            "keep the key on this computer or beside a backup."
        )
    )
    say(rule)


def run_passwd(args: argparse.Namespace) -> int:
    """Changes the passphrase: current first, then the new one."""
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    source = passphrases(args)
    current = source.read(_("Current passphrase: "))
    new = source.read_new()
    vaults.set_new_passphrase(path, current, new, params=getattr(args, "kdf_params", None))
    say(_("The passphrase was changed."))
    return ExitCode.OK


def run_recovery_key(args: argparse.Namespace) -> int:
    """Makes a new recovery key with the passphrase and shows it; the old one stops working."""
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    passphrase = passphrases(args).read(_("Passphrase: "))
    key = vaults.replace_recovery_key(path, passphrase)
    say(_("A new recovery key was made. The previous recovery key no longer opens the vault."))
    print_recovery_key(key)
    return ExitCode.OK


def run_recover(args: argparse.Namespace) -> int:
    """Sets a new passphrase with the recovery key: the key first (checked at once), then
    the new passphrase (twice from a terminal, once from standard input)."""
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    if not vaults.has_recovery_key(path):
        raise WrongRecoveryKey(
            _(
                "This vault has no recovery key, so a forgotten passphrase cannot be replaced. "
                "Restore a backup whose passphrase you know."
            )
        )
    source = passphrases(args)
    key = vaults.check_recovery_key(path, source.read(_("Recovery key: ")))
    new = source.read_new()
    vaults.validate_new_passphrase(new)
    vaults.recover_vault(path, key, new, params=getattr(args, "kdf_params", None))
    say(
        _(
            "The vault now opens with the new passphrase; the old passphrase no longer works. "
            "Your recovery key still works until you make a new one with 'confidant "
            "recovery-key'."
        )
    )
    return ExitCode.OK


def run_check(args: argparse.Namespace) -> int:
    """Checks the header, every page and the structure; non-zero on any problem."""
    path = vault_path(args)
    try:
        vaults.ensure_vault(path)
    except DamagedHeader as error:
        _report(_("Header"), False, error.message)
        return _verdict(False)
    passphrase = passphrases(args).read(_("Passphrase: "))
    results = vaults.check_vault(path, passphrase)
    _report(_("Header"), True, _("the passphrase unlocks the data key"))
    for result in results:
        _report(result.name, result.ok, result.detail)
    if all(r.ok for r in results):
        return _verdict(True)
    if all(r.ok or r.chain_broken for r in results):
        say(
            _(
                "Verdict: no damage found, but the audit log was altered. Keep this copy as "
                "it is: it is the evidence."
            )
        )
        return ExitCode.AUDIT_BROKEN
    if all(r.ok or r.went_back for r in results):
        say(
            _(
                "Verdict: no damage found, but saves are missing: the vault went back in "
                "time. Keep this copy as it is and compare it with your latest backup."
            )
        )
        return ExitCode.ROLLED_BACK
    if all(r.ok or r.needs_upgrade for r in results):
        say(
            _(
                "Verdict: no damage found, but the vault needs an upgrade: open it once in Confidant."
            )
        )
        return ExitCode.VAULT_UNUSABLE
    return _verdict(False)


def _report(name: str, ok: bool, detail: str) -> None:
    mark = _("in order") if ok else _("PROBLEM")
    say(_("{name}: {mark} ({detail})").format(name=name, mark=mark, detail=detail))


def _verdict(ok: bool) -> int:
    if ok:
        say(_("Verdict: the vault is in order."))
        return ExitCode.OK
    say(_("Verdict: the vault is damaged. Restore a backup, and keep this copy."))
    return ExitCode.VAULT_UNUSABLE
