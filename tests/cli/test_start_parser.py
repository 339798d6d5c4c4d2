"""Starting the app parses its arguments with the app's commands alone, to the same result."""

from __future__ import annotations

import pytest

from confidant_tui.cli import main as cli_main
from confidant_tui.cli.argparse_text import argparse_in_language
from confidant_tui.i18n import set_language

APP_ARGS = [
    ["open"],
    ["open", "--vault", "/tmp/v.vault"],
    ["--vault", "/tmp/v.vault", "open", "--lang", "en"],
    ["--lang=en", "demo"],
    ["demo", "--passphrase-stdin"],
]


@pytest.mark.parametrize("argv", APP_ARGS)
def test_app_commands_parse_alike_with_every_module_or_only_the_app_module(argv) -> None:
    assert cli_main.parser_modules(argv) == (cli_main.APP_COMMANDS_MODULE,)
    set_language("en")
    with argparse_in_language():
        full = cli_main.build_parser().parse_args(argv)
        alone = cli_main.build_parser(cli_main.parser_modules(argv)).parse_args(argv)
    assert vars(full) == vars(alone)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--year", "2025"],
        ["--vault", "open", "report"],  # "open" is the vault's path here
        ["--help"],
        ["--version"],
        ["-h", "open"],
        ["opne"],
        ["--", "open"],
    ],
)
def test_other_commands_and_help_parse_with_every_module(argv) -> None:
    assert cli_main.parser_modules(argv) == cli_main.COMMAND_MODULES


def test_no_command_is_the_default_command_of_the_app_module() -> None:
    assert cli_main.parser_modules([]) == (cli_main.APP_COMMANDS_MODULE,)
    assert cli_main.parser_modules(["--vault", "/tmp/v.vault"]) == (cli_main.APP_COMMANDS_MODULE,)
    assert cli_main.DEFAULT_COMMAND in cli_main.APP_COMMANDS
