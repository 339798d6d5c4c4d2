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
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from confidant_tui import __version__
from confidant_tui.cli.argparse_text import argparse_in_language
from confidant_tui.cli.common import CRASHED, warn
from confidant_tui.display_text import neutralise
from confidant_tui.errors import ConfidantError, ExitCode, UsageError
from confidant_tui.hardening import harden_process
from confidant_tui.i18n import _, resolve_language, set_language

COMMAND_MODULES = (
    "confidant_tui.cli.vault_cmds",
    "confidant_tui.cli.app_cmds",
    "confidant_tui.cli.case_cmds",
    "confidant_tui.cli.report_cmds",
    "confidant_tui.cli.activity_cmds",
    "confidant_tui.cli.organisation_cmds",
    "confidant_tui.cli.referral_cmds",
    "confidant_tui.cli.backup_cmds",
    "confidant_tui.cli.audit_cmds",
    "confidant_tui.cli.retention_cmds",
    "confidant_tui.cli.due_cmds",
)
"""Modules that each add their commands with `register(subparsers, common)`: each area of
the app owns its own file."""

DEFAULT_COMMAND = "open"
APP_COMMANDS_MODULE = "confidant_tui.cli.app_cmds"
APP_COMMANDS = frozenset({"open", "demo"})
"""The commands of `APP_COMMANDS_MODULE`, which start the app: their arguments are parsed
with that module alone, because the other command modules import report, referral, import
and backup code that starting the app does not need (200 ms and more before the first
frame)."""
_VALUED_OPTIONS = frozenset({"--vault", "--lang"})
"""Global options followed by their value as a separate word."""
TEST_KDF_ENV = "CONFIDANT_TEST_KDF"
"""Set to `floor` to skip Argon2id calibration and use the floor parameters (tests only;
the floor is the safe minimum, never below it)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are translated and raised, not printed with exit.

    Options cannot be abbreviated (so `--passphrase SECRET` is no hidden alias of
    `--passphrase-stdin`), and stray arguments are not echoed back: one might be a
    passphrase typed where it does not belong. argparse's own texts are translated by
    `cli.argparse_text` (see `run`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    # argparse.parse_args is overloaded on `namespace`; this override keeps the plain form.
    def parse_args(self, args: Any = None, namespace: Any = None) -> argparse.Namespace:  # type: ignore[override]
        """Parses like argparse, but names only the unknown options, never other words."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            names = {word.split("=", 1)[0] for word in extras}
            options = sorted(name for name in names if _OPTION_NAME.fullmatch(name))
            if options:
                self.error(_("unknown options {options}").format(options=" ".join(options)))
            self.error(_("unexpected extra arguments"))
        return parsed

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            _("Wrong use of the command: {detail}. See 'confidant --help'.").format(detail=message)
        )

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            super()._print_message(neutralise(message), file)


_OPTION_NAME = re.compile(r"--?[A-Za-z][A-Za-z0-9-]{0,30}")
"""What an option looks like: an unknown one is named in the error, anything else is not."""


def _known_words(parser: argparse.ArgumentParser) -> set[str]:
    """Option strings, command names and choices of `parser` and its subparsers: public words
    that an error may repeat."""
    words: set[str] = set()
    for action in parser._actions:
        words.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                words.add(name)
                words.update(_known_words(sub))
        elif action.choices:
            words.update(str(choice) for choice in action.choices)
    return words


def _without_typed_values(message: str, argv: Sequence[str], known: set[str]) -> str:
    """Replaces every typed value that an error message repeats by "…" (a safety net under
    `cli.argparse_text`, for texts of a newer Python that it does not know)."""
    values: list[str] = []
    for word in argv:
        name, equals, value = word.partition("=")
        if _OPTION_NAME.fullmatch(name):
            if equals:
                values.append(value)
        else:
            values.append(word)
    for value in sorted(set(values), key=len, reverse=True):
        if len(value) >= 3 and value not in known and value in message:
            message = message.replace(value, "…")
    return message


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


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """Builds the parser with the commands of `modules` (default: every command)."""
    common = _common_options()
    parser = _Parser(
        prog="confidant",
        description=_("Confidant: the encrypted case register for confidential advisers."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"confidant {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    for name in modules:
        importlib.import_module(name).register(subparsers, common)
    return parser


def parser_modules(argv: Sequence[str]) -> Sequence[str]:
    """The command modules that parsing `argv` needs: only `APP_COMMANDS_MODULE` when the
    command starts the app (`open`, `demo`, or no command: the default), every module
    otherwise (another command, `--help` or `--version` without a command)."""
    skip_value = False
    for word in argv:
        if skip_value:
            skip_value = False
        elif word in _VALUED_OPTIONS:
            skip_value = True
        elif word == "--":
            return COMMAND_MODULES
        elif not word.startswith("-"):
            return (APP_COMMANDS_MODULE,) if word in APP_COMMANDS else COMMAND_MODULES
        elif word in ("-h", "--help", "--version"):
            return COMMAND_MODULES
    return (APP_COMMANDS_MODULE,)


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
    with argparse_in_language():
        parser = build_parser(parser_modules(argv))
        try:
            args = parser.parse_args(list(argv))
            if args.command is None:
                if not hasattr(args, "func") and DEFAULT_COMMAND not in _command_names(parser):
                    parser.print_help()
                    return ExitCode.USAGE
                args = parser.parse_args([DEFAULT_COMMAND, *argv])
        except UsageError as error:
            raise UsageError(
                _without_typed_values(error.message, argv, _known_words(parser))
            ) from None
    if os.environ.get(TEST_KDF_ENV) == "floor" and args.command not in APP_COMMANDS:
        # Only the vault commands take `kdf_params`; the app's need not import the vault.
        from confidant_tui.services.vaults import floor_kdf_params

        args.kdf_params = floor_kdf_params()
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
        warn(_("Error: {message}").format(message=error.message))
        code = int(error.exit_code)
    except KeyboardInterrupt:
        warn(_("Stopped."))
        code = int(ExitCode.INTERRUPTED)
    except Exception:
        warn(
            _(
                "Error: something unexpected went wrong inside Confidant. Nothing was changed "
                "in a way that loses saved work; please report this (without case details)."
            )
        )
        if os.environ.get("CONFIDANT_DEBUG") == "1":
            raise
        code = CRASHED
    return code
