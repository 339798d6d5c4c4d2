"""Provides the case commands: `import` of an interchange file (docs/interchange.md)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from confidant_tui.cli.common import command_context, passphrases, say, vault_path, warn
from confidant_tui.errors import ExitCode, ValidationError
from confidant_tui.i18n import _, ngettext
from confidant_tui.services import importing, organisations, vaults


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds the case commands to the parser."""
    command = subparsers.add_parser(
        "import",
        parents=[common],
        help=_("import cases from a confidant-cases/1 JSON file (all or nothing)"),
    )
    command.add_argument("file", metavar=_("FILE"), help=_("the JSON file to import"))
    command.set_defaults(func=run_import)


def _report(error: ValidationError, codes: Mapping[int, str]) -> None:
    for line in importing.problem_lines(error, codes):
        warn(f"  {line}")


def run_import(args: argparse.Namespace) -> int:
    """Validates the whole file first, then asks the passphrase and imports in one go."""
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    context = command_context()
    moment = context.now()
    document = importing.read_file(Path(args.file))
    try:
        cases = importing.validate_document(document, now=moment, taxonomy=context.taxonomy)
    except ValidationError as error:
        _report(error, importing.file_codes(document))
        raise
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase)
    try:
        default = organisations.default_organisation(context.settle(vault))
        assert default is not None  # settle makes one
        codes = importing.store_validated(
            vault, cases, now=moment, default_organisation=default.name
        )
    except ValidationError as error:
        _report(error, {case.index: case.intake.code for case in cases if case.intake.code})
        raise
    finally:
        vault.close()
    say(
        ngettext("Imported {count} case.", "Imported {count} cases.", len(codes)).format(
            count=len(codes)
        )
    )
    return ExitCode.OK
