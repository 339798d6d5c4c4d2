"""Provides what every command shares: the vault path, passphrase input and output.

Passphrases come only from the terminal without echo, or from standard input with
`--passphrase-stdin` (one per line; only the line ending is stripped). Never from argv or
the environment.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from confidant_tui.display_text import neutralise
from confidant_tui.errors import InvalidInput, UsageError
from confidant_tui.i18n import _
from confidant_tui.paths import default_vault_path


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
        """Reads a new passphrase: twice from a terminal, once from stdin."""
        first = self.read(_("New passphrase: "))
        if not self.from_stdin:
            again = self.read(_("Repeat the new passphrase: "))
            if again != first:
                raise InvalidInput(_("The two passphrases differ. Nothing was changed."))
        return first


def passphrases(args: argparse.Namespace) -> PassphraseSource:
    """The passphrase source chosen by the command's arguments."""
    return PassphraseSource(bool(getattr(args, "passphrase_stdin", False)))


def say(text: str) -> None:
    """Prints a line for the adviser on standard output.

    Every line the command line prints goes through `say` or `warn`: control characters
    left in it (from a path, a name, an argument) show as visible symbols, never reach the
    terminal as escape sequences. Quote values with `display_text.visible` as well, so they
    stay on one line.
    """
    print(neutralise(text), flush=True)


def warn(text: str) -> None:
    """Prints a line for the adviser on standard error (a warning or an error); see `say`."""
    print(neutralise(text), file=sys.stderr, flush=True)
