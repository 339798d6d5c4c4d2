"""Provides `StopOnSignal`: on SIGTERM or SIGHUP the app stores its drafts and exits.

Nobody can answer a dialog after a stop signal (or when the terminal window was closed),
so the open forms go into the vault as drafts (`store_drafts_on_signal`, from
`DraftKeeping`), the vault is closed and the app exits with `ExitCode.INTERRUPTED`. The
handlers run on the app's event loop, are installed only in a real terminal (not in headless
tests, which call `stop_on_signal` directly) and give the signals back when the app ends.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual.app import App

from confidant_tui.errors import ExitCode

if TYPE_CHECKING:
    from confidant_tui.services.session import Session

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals after which the app stores its drafts in the vault and exits."""


class StopOnSignal(App[None]):
    """App base that handles `STOP_SIGNALS` (call `install_signal_handlers` once mounted)."""

    if TYPE_CHECKING:

        @property
        def session(self) -> Session: ...

        def store_drafts_on_signal(self) -> None: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stopping = False
        self._signal_handlers: dict[int, Any] = {}
        self._terminal_fds: list[int] = []

    def install_signal_handlers(self) -> None:
        """Handles SIGTERM and SIGHUP on the app's loop (not in headless tests)."""
        if self.is_headless or threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        self._terminal_fds = [fd for fd in (1, 2) if os.isatty(fd)]
        for signum in STOP_SIGNALS:
            previous = signal.getsignal(signum)
            try:
                loop.add_signal_handler(signum, self.stop_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            self._signal_handlers[signum] = previous

    def on_unmount(self) -> None:
        """Gives the signals back to whoever handled them before (the CLI's demo clean-up)."""
        loop = asyncio.get_running_loop()
        for signum, previous in self._signal_handlers.items():
            with suppress(Exception):
                loop.remove_signal_handler(signum)
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._signal_handlers = {}

    def _leave_lost_terminal(self) -> None:
        """Points output at /dev/null when the terminal is gone (SIGHUP after the window
        closed), so the last screen updates and Python's final flush do not fail."""
        for fd in self._terminal_fds:
            with suppress(OSError):
                if not os.isatty(fd):
                    null = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(null, fd)
                    os.close(null)

    def stop_on_signal(self, signum: int) -> None:
        """Stores the open forms in the vault as drafts, closes the vault and exits.

        Runs on SIGTERM and SIGHUP (a closed terminal): nobody can answer a dialog. Every
        step is guarded: when the vault cannot be written the app still closes it and exits.
        While locked there is nothing to do: locking already stored the drafts.

        Args:
            signum: the signal received.
        """
        if self._stopping:
            return
        self._stopping = True
        self._leave_lost_terminal()
        try:
            if self.session.is_unlocked:
                self.store_drafts_on_signal()
        except Exception:
            pass
        finally:
            with suppress(Exception):
                self.session.lock()
            self.exit(return_code=int(ExitCode.INTERRUPTED))
