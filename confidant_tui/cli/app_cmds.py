"""Provides the app commands: `open` (the full-screen app; the default) and `demo`.

The UI modules are imported inside the handlers, after `cli.main` has set the language, so
every string of the UI is in the adviser's language.

Start-up is quick because the app's first frame, the unlock screen, needs none of the
vault's code (SQLCipher, Argon2, the header's cryptography): that is imported after it,
while the adviser types the passphrase. So `open` checks the vault's header (`ensure_vault`)
just after the first frame, some 50 ms before anyone could have typed a passphrase (and
unlocking checks it again); when it fails the app ends at once and the error is reported
as before, with its exit code. Only when nothing at all is at the
path is it checked before the app starts (that error needs no screen).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from confidant_tui.cli.common import CRASHED, command_context, say, vault_path
from confidant_tui.errors import ExitCode
from confidant_tui.i18n import _
from confidant_tui.paths import CONFIG_DIR_ENV, header_path
from confidant_tui.settings import Settings, load_settings


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `open` and `demo` to the parser."""
    opener = subparsers.add_parser(
        "open", parents=[common], help=_("open the vault in the full-screen app (the default)")
    )
    opener.set_defaults(func=run_open)
    demo = subparsers.add_parser(
        "demo", parents=[common], help=_("try Confidant on a temporary vault with made-up cases")
    )
    demo.set_defaults(func=run_demo)


def run_open(args: argparse.Namespace) -> int:
    """Opens the app on the vault; the passphrase is asked on the unlock screen."""
    path = vault_path(args)
    if not (path.exists() or header_path(path).exists()):
        _ensure_vault(path)  # raises: there is no vault (and what to do next)
    settings = load_settings()
    return _run_app(settings, path, demo_passphrase=None, vault_check=partial(_ensure_vault, path))


def _ensure_vault(path: Path) -> None:
    """`services.vaults.ensure_vault`, imported when called (see the module docstring)."""
    from confidant_tui.services import vaults

    vaults.ensure_vault(path)


def run_demo(args: argparse.Namespace) -> int:
    """Runs the app on a fresh demo vault, removed again when the app ends.

    The demo starts from the adviser's settings (language and so on), but settings saved
    during the demo go into the demo folder and vanish with it: trying the app never
    changes the real configuration.
    """
    from confidant_tui.services.demo import demo_vault

    context = command_context()
    made = demo_vault(
        today=context.today(),
        taxonomy=context.taxonomy,
        default_organisation=_("My organisation"),
    )
    with made as demo, _config_dir(demo.path.parent / "config"):
        return _run_app(context.settings, demo.path, demo_passphrase=demo.passphrase)


@contextlib.contextmanager
def _config_dir(folder: Path) -> Iterator[None]:
    """Points the settings file at `folder` for the duration (see `paths.config_dir`)."""
    previous = os.environ.get(CONFIG_DIR_ENV)
    os.environ[CONFIG_DIR_ENV] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(CONFIG_DIR_ENV, None)
        else:
            os.environ[CONFIG_DIR_ENV] = previous


def _run_app(
    settings: Settings,
    path: Path,
    *,
    demo_passphrase: str | None,
    vault_check: Callable[[], None] | None = None,
) -> int:
    from confidant_tui.ui.app import make_app

    app = make_app(settings, path, demo_passphrase=demo_passphrase, vault_check=vault_check)
    # What was imported so far lives as long as the process: out of the collector's sight
    # until the first frame is drawn, the full collections that the app's start would
    # otherwise trigger (each walks every object loaded so far) are spared; `ui.warm_up`
    # collects once after the first frame and freezes again.
    gc.freeze()
    try:
        with _exit_on_signals(app):
            app.run()
    finally:
        app.session.lock()
    if app.vault_error is not None:
        raise app.vault_error
    if app.return_code:
        return CRASHED if app.return_code == 1 else int(app.return_code)
    if demo_passphrase is not None:
        say(_("The demo vault was removed."))
    return int(ExitCode.OK)


@contextlib.contextmanager
def _exit_on_signals(app: Any) -> Iterator[None]:
    """Ends the app cleanly on SIGTERM and SIGHUP, so the vault closes and demos are removed."""

    def stop(_signum: int, _frame: object) -> None:
        app.exit(return_code=int(ExitCode.INTERRUPTED))

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
