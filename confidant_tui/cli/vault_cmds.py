"""Provides the vault commands: `init`, `passwd` and `check`."""

from __future__ import annotations

import argparse

from confidant_tui.cli.common import passphrases, say, vault_path
from confidant_tui.display_text import visible
from confidant_tui.errors import DamagedHeader, ExitCode
from confidant_tui.i18n import _
from confidant_tui.services import vaults


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds the vault commands to the parser."""
    init = subparsers.add_parser(
        "init", parents=[common], help=_("create a new, empty vault (asks for a passphrase)")
    )
    init.set_defaults(func=run_init)
    passwd = subparsers.add_parser(
        "passwd", parents=[common], help=_("change the passphrase of the vault")
    )
    passwd.set_defaults(func=run_passwd)
    check = subparsers.add_parser(
        "check", parents=[common], help=_("check the vault for damage (read-only)")
    )
    check.set_defaults(func=run_check)


def run_init(args: argparse.Namespace) -> int:
    """Creates a vault; the passphrase is read twice without echo."""
    path = vault_path(args)
    vaults.ensure_free(path)
    passphrase = passphrases(args).read_new()
    vaults.validate_new_passphrase(passphrase)
    params = getattr(args, "kdf_params", None)
    if params is None:
        say(_("Creating the vault; measuring this computer to tune the key derivation..."))
    vault = vaults.create_vault(path, passphrase, params=params)
    vault.close()
    say(_("Vault created: {path}").format(path=visible(path)))
    say(_("Keep your passphrase safe: without it nobody, not even you, can open the vault."))
    return ExitCode.OK


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
