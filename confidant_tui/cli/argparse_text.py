"""Provides `argparse_in_language`: argparse's own texts in the adviser's language, without
repeating what was typed.

argparse builds its texts (usage, "positional arguments", "invalid choice", ...) with the
`_` and `ngettext` it imported from `gettext` into its own module namespace. This is the
one place Confidant replaces them: while the parser is built, parses and prints help,
`argparse._` and `argparse.ngettext` are our translator, and they are put back afterwards,
so nothing else in the process is affected.

Texts that would quote an argument's value (an unknown command, an invalid choice, a value
given to an option that takes none) are replaced by texts that do not: someone may have
typed a passphrase where it does not belong. Texts not listed here (a newer Python's) pass
through in English; `cli.main` still strips any typed value from them.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator

from confidant_tui.i18n import N_, ngettext
from confidant_tui.i18n import _ as translate

ARGPARSE_TEXTS: dict[str, str] = {
    "usage: ": N_("usage: "),
    "positional arguments": N_("positional arguments"),
    "options": N_("options"),
    "optional arguments": N_("options"),
    "show this help message and exit": N_("show this help message and exit"),
    "show program's version number and exit": N_("show the version number and exit"),
    "argument %(argument_name)s: %(message)s": N_("argument %(argument_name)s: %(message)s"),
    "the following arguments are required: %s": N_("the following arguments are required: %s"),
    "one of the arguments %s is required": N_("one of the arguments %s is required"),
    "not allowed with argument %s": N_("not allowed with argument %s"),
    "expected one argument": N_("expected one argument"),
    "expected at most one argument": N_("expected at most one argument"),
    "expected at least one argument": N_("expected at least one argument"),
    # Texts that quote a typed value: the translation leaves the value out (`%.0s` takes a
    # positional value and prints nothing of it).
    "invalid choice: %(value)r (choose from %(choices)s)": N_(
        "invalid choice (choose from %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": N_("invalid value"),
    "ignored explicit argument %r": N_("this option takes no value%.0s"),
    "unrecognized arguments: %s": N_("unrecognized arguments%.0s"),
    "ambiguous option: %(option)s could match %(matches)s": N_("unknown option"),
    "unknown parser %(parser_name)r (choices: %(choices)s)": N_(
        "unknown command (choose from %(choices)s)"
    ),
}
"""argparse's texts (Python 3.11-3.13) -> our English message ids (translated in .po)."""


def argparse_gettext(message: str) -> str:
    """argparse's `_`: its text in the adviser's language, value-free where it quotes one."""
    ours = ARGPARSE_TEXTS.get(message)
    return translate(ours) if ours is not None else message


def argparse_ngettext(singular: str, plural: str, count: int) -> str:
    """argparse's `ngettext` ("expected %s argument(s)")."""
    if singular == "expected %s argument":
        return ngettext("expected %s argument", "expected %s arguments", count)
    return singular if count == 1 else plural


@contextlib.contextmanager
def argparse_in_language() -> Iterator[None]:
    """Makes argparse speak the current language while the block runs (build, parse, help)."""
    # argparse looks its texts up through its module's `_` and `ngettext` (imported from
    # gettext, not declared in its stubs): replacing those two names is the only way in.
    saved: tuple[Callable[..., str], Callable[..., str]] = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._ = argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = argparse_ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
