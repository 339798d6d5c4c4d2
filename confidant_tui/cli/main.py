"""Provides `main`, the entry point of the `confidant` command.

It hardens the process, chooses the language before any UI module is imported, parses the
arguments (global options may stand before or after the subcommand), runs the command and
turns every error into a clear message and its exit code — never a traceback, never
content.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from confidant_tui import __version__
from confidant_tui.errors import ConfidantError, ExitCode, UsageError
from confidant_tui.hardening import harden_process
from confidant_tui.i18n import _, resolve_language, set_language

COMMAND_MODULES = (
    "confidant_tui.cli.vault_cmds",
    "confidant_tui.cli.app_cmds",
    "confidant_tui.cli.case_cmds",
    "confidant_tui.cli.report_cmds",
)
"""Modules that each add their commands with `register(subparsers, common)`: each area of
the app owns its own file."""

DEFAULT_COMMAND = "open"
TEST_KDF_ENV = "CONFIDANT_TEST_KDF"
"""Set to `floor` to skip Argon2id calibration and use the floor parameters (tests only;
the floor is the safe minimum, never below it)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are translated and raised, not printed with exit.

    Options cannot be abbreviated (so `--passphrase SECRET` is no hidden alias of
    `--passphrase-stdin`), and stray arguments are not echoed back: one might be a
    passphrase typed where it does not belong.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            words = message.split(":", 1)[1].split()
            options = [word.split("=", 1)[0] for word in words if word.startswith("-")]
            if options:
                message = _("unknown options {options}").format(options=" ".join(options))
            else:
                message = _("unexpected extra arguments")
        raise UsageError(
            _("Wrong use of the command: {detail}. See 'confidant --help'.").format(detail=message)
        )


def _common_options() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--vault",
        metavar=_("PATH"),
        default=argparse.SUPPRESS,
        help=_("the vault file (default: CONFIDANT_VAULT or your data folder)"),
    )
    common.add_argument(
        "--lang",
        choices=["nl", "en"],
        default=argparse.SUPPRESS,
        help=_("interface language (default: CONFIDANT_LANG or the setting, else Dutch)"),
    )
    common.add_argument(
        "--passphrase-stdin",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("read passphrases from standard input, one per line (for scripts)"),
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """Builds the parser with every available command."""
    common = _common_options()
    parser = _Parser(
        prog="confidant",
        description=_("Confidant: the encrypted case register for confidential advisers."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"confidant {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def _early_language(argv: Sequence[str]) -> str | None:
    for index, item in enumerate(argv):
        if item == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if item.startswith("--lang="):
            return item.split("=", 1)[1]
    return None


def _setting_language() -> str | None:
    try:
        from confidant_tui.settings import load_settings
    except ModuleNotFoundError:
        return None
    try:
        return load_settings().language
    except ConfidantError:
        return None


def run(argv: Sequence[str]) -> int:
    """Parses `argv` and runs the command; errors propagate as exceptions."""
    set_language(resolve_language(_early_language(argv), _setting_language()))
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.command is None:
        if not hasattr(args, "func") and DEFAULT_COMMAND not in _command_names(parser):
            parser.print_help()
            return ExitCode.USAGE
        args = parser.parse_args([DEFAULT_COMMAND, *argv])
    if os.environ.get(TEST_KDF_ENV) == "floor":
        from confidant_tui.vault.kdf import floor_params

        args.kdf_params = floor_params()
    return int(args.func(args))


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    """Runs `confidant` and returns its exit code (see `docs/cli.md`)."""
    harden_process()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        code = run(arguments)
    except ConfidantError as error:
        print(_("Error: {message}").format(message=error.message), file=sys.stderr)
        code = int(error.exit_code)
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        code = int(ExitCode.INTERRUPTED)
    except Exception:
        print(
            _(
                "Error: something unexpected went wrong inside Confidant. Nothing was changed "
                "in a way that loses saved work; please report this (without case details)."
            ),
            file=sys.stderr,
        )
        if os.environ.get("CONFIDANT_DEBUG") == "1":
            raise
        code = 70
    return code
