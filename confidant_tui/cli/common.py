"""Provides what every command shares: the vault path, the settings, passphrases and output.

A command that records or counts reads the adviser's settings, the taxonomy and the clock
once, through `command_context()`, and hands them to the services as arguments (the
services never read the settings file or the system clock themselves).

Passphrases come only from the terminal without echo, or from standard input with
`--passphrase-stdin` (one per line; only the line ending is stripped). Never from argv or
the environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from confidant_tui.display_text import neutralise
from confidant_tui.domain.clock import Clock, SystemClock
from confidant_tui.domain.protocol_time import to_minute
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput, UsageError
from confidant_tui.i18n import _
from confidant_tui.paths import default_vault_path
from confidant_tui.settings import Settings, load_settings

if TYPE_CHECKING:
    # Imported where used: `confidant open` reaches this module before its first frame,
    # which needs none of the vault's code (see `cli.app_cmds`).
    from confidant_tui.services.organisations import Organisation
    from confidant_tui.services.vaults import Vault

CRASHED = 70
"""Exit code after an unexpected error (`cli.main`, or the app ending on one)."""


@dataclass(frozen=True)
class CommandContext:
    """What a command hands the services: settings, taxonomy and clock, read once.

    Attributes:
        settings: the adviser's settings (the settings file, or the defaults).
        taxonomy: the shipped taxonomy (a command that opens a vault adds its organisations'
            own terms with `services.organisations.taxonomy`).
        clock: the computer's clock (`SystemClock`).
    """

    settings: Settings
    taxonomy: Taxonomy
    clock: Clock

    def today(self) -> dt.date:
        """Today's date by the clock."""
        return self.clock.today()

    def now(self) -> dt.datetime:
        """The current moment by the clock, to the minute (as protocol moments are kept)."""
        return to_minute(self.clock.now())

    def settle(self, vault: Vault) -> list[Organisation]:
        """Settles a vault opened for writing (`services.organisations.settle`): the old
        settings file's organisation values move in, and there is an organisation."""
        from confidant_tui.services import organisations

        return organisations.settle(vault, default_name=_("My organisation"), moment=self.now())


def command_context(settings: Settings | None = None) -> CommandContext:
    """Reads the settings (unless given), builds the taxonomy and the system clock.

    Raises:
        InvalidInput: the settings file holds a mistake.
    """
    from confidant_tui.services.cases import load_taxonomy

    settings = settings if settings is not None else load_settings()
    return CommandContext(settings, load_taxonomy(), SystemClock())


def vault_path(args: argparse.Namespace) -> Path:
    """The vault named by `--vault`, else `CONFIDANT_VAULT`, else the user data folder."""
    given = getattr(args, "vault", None)
    return Path(given).expanduser() if given else default_vault_path()


def _strip_line_ending(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith("\n"):
        return line[:-1]
    return line


def _read_stdin_line() -> str:
    """One line of standard input, decoded as strict UTF-8 (whatever the locale says)."""
    buffer = getattr(sys.stdin, "buffer", None)
    try:
        if buffer is not None:
            return buffer.readline().decode("utf-8")
        return sys.stdin.readline()
    except UnicodeDecodeError:
        raise InvalidInput(_("The passphrase on standard input is not valid UTF-8 text.")) from None


def _valid_text(passphrase: str) -> str:
    """Refuses text that cannot be encoded (undecodable bytes smuggled in as surrogates)."""
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(_("The passphrase on standard input is not valid UTF-8 text.")) from None
    return passphrase


class PassphraseSource:
    """Reads passphrases from the terminal (no echo) or, for scripts, from stdin lines.

    Args:
        from_stdin: read one line of standard input per passphrase.
    """

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str) -> str:
        """Reads one passphrase."""
        if self.from_stdin:
            line = _read_stdin_line()
            if not line:
                raise UsageError(_("Expected a passphrase on standard input, found none."))
            return _valid_text(_strip_line_ending(line))
        if not sys.stdin.isatty():
            raise UsageError(
                _("No terminal to ask for the passphrase; use --passphrase-stdin in scripts.")
            )
        try:
            return _valid_text(getpass.getpass(prompt))
        except EOFError:
            raise UsageError(_("No passphrase was typed.")) from None

    def read_new(self) -> str:
        """Reads a new passphrase: twice from a terminal, once from stdin.

        A passphrase the policy refuses (too short, common, guessable) is refused with the
        reason before it is asked for the second time. On a terminal a refused passphrase,
        or two that differ, is asked for again (`NEW_PASSPHRASE_TRIES` times in all), so
        that what was answered before it (the organisation's name at `init`) need not be
        typed again; from stdin (a script) it is refused at once.

        Raises:
            WeakPassphrase: the policy refuses it (`domain.passphrase`).
            InvalidInput: the two typed passphrases differ.
        """
        tries = 1 if self.from_stdin else NEW_PASSPHRASE_TRIES
        for _attempt in range(tries - 1):
            try:
                return self._read_new_once()
            except InvalidInput as error:
                warn(_("Error: {message}").format(message=error.message))
        return self._read_new_once()

    def _read_new_once(self) -> str:
        from confidant_tui.services.vaults import validate_new_passphrase

        first = self.read(_("New passphrase: "))
        validate_new_passphrase(first)
        if not self.from_stdin:
            again = self.read(_("Repeat the new passphrase: "))
            if again != first:
                raise InvalidInput(_("The two passphrases differ. Nothing was changed."))
        return first


NEW_PASSPHRASE_TRIES = 3
"""How often a terminal asks for a new passphrase that was refused or typed differently
the second time, before the command ends (as `passwd` does)."""


def passphrases(args: argparse.Namespace) -> PassphraseSource:
    """The passphrase source chosen by the command's arguments."""
    return PassphraseSource(bool(getattr(args, "passphrase_stdin", False)))


def ask_line(prompt: str) -> str | None:
    """Asks the adviser for one line of text on the terminal (with echo: never for a
    passphrase); None when there is no terminal to ask (a script) or nothing was typed."""
    if not sys.stdin.isatty():
        return None
    try:
        answer = input(neutralise(prompt))
    except EOFError:
        return None
    return answer.strip() or None


def say(text: str) -> None:
    """Prints a line for the adviser on standard output.

    Every line the command line prints goes through `say` or `warn`: control characters
    left in it (from a path, a name, an argument) show as visible symbols, never reach the
    terminal as escape sequences. Quote values with `display_text.visible` as well, so they
    stay on one line. On a terminal a long line is wrapped between words to its width
    (`for_terminal`); a pipe or file gets it whole, one line per message.
    """
    print(for_terminal(neutralise(text), sys.stdout), flush=True)


def warn(text: str) -> None:
    """Prints a line for the adviser on standard error (a warning or an error); see `say`."""
    print(for_terminal(neutralise(text), sys.stderr), file=sys.stderr, flush=True)


def for_terminal(text: str, stream: TextIO) -> str:
    """`text` wrapped between words to the width of the terminal `stream` writes to (so the
    terminal does not break a word in two), keeping a line's indent; unchanged when
    `stream` is no terminal. A word longer than the width (a path) stays whole."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return text
    width = shutil.get_terminal_size().columns - 1
    if width < 20:
        return text
    lines = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines.append(
            textwrap.fill(
                line,
                width=width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if len(line) > width
            else line
        )
    return "\n".join(lines)
