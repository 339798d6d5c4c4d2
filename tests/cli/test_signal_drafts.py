"""A stop signal never loses the open form: the real app, in a pseudo-terminal, gets SIGTERM
(or its terminal is closed: SIGHUP) while an intake holds typed text; it stores the draft
inside the vault, encrypted, and exits. No file holds the typed text in plain.

The app runs as `python -m confidant_tui open` under `pty.fork`, with its own HOME, TMPDIR
and XDG folders; the test reads the screen (escape sequences stripped) to know when to type.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import secrets
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.services.drafts import list_drafts
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
TIMEOUT = 60.0


class Terminal:
    """The app in a pseudo-terminal of 80x24; collects what it draws."""

    def __init__(self, vault: Path, home: Path) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TERM": "xterm-256color",
            "HOME": str(home),
            "TMPDIR": str(home / "tmp"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "CONFIDANT_CONFIG_DIR": str(home / ".config" / "confidant"),
            "CONFIDANT_TEST_KDF": "floor",
            "CONFIDANT_LANG": "nl",
            "PYTHONPATH": str(REPO),
        }
        (home / "tmp").mkdir(parents=True)
        pid, fd = pty.fork()
        if pid == 0:  # the child: the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(REPO)
            os.execve(
                sys.executable,
                [sys.executable, "-m", "confidant_tui", "open", "--vault", str(vault)],
                env,
            )
        self.pid, self.fd = pid, fd
        self.ended = False
        self.output = bytearray()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def text(self) -> str:
        """What was drawn so far, without escape sequences."""
        return ANSI.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for(self, words: str) -> None:
        """Waits until the app drew `words`."""
        deadline = time.monotonic() + TIMEOUT
        while words not in self.text():
            assert time.monotonic() < deadline, f"{words!r} never appeared:\n{self.text()[-2000:]}"
            assert os.waitpid(self.pid, os.WNOHANG) == (0, 0), "the app ended early"
            time.sleep(0.05)

    def type(self, text: str) -> None:
        """Types text, one key at a time."""
        for char in text:
            os.write(self.fd, char.encode())
            time.sleep(0.02)

    def close(self) -> None:
        """Closes the terminal, as closing its window does (the app gets SIGHUP)."""
        if not self._closed:
            self._closed = True
            os.close(self.fd)

    def wait_exit(self) -> int:
        """Waits for the app to end; returns its exit code."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.ended = True
                self.close()
                assert os.WIFEXITED(status), f"ended by signal {os.WTERMSIG(status)}"
                return os.WEXITSTATUS(status)
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the app did not exit:\n{self.text()[-2000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        """Ends the app at once if it still runs (after a failed test)."""
        self.close()
        if not self.ended:
            self.ended = True
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _files_containing(roots: list[Path], needle: str) -> list[str]:
    needles = [needle.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and any(n in path.read_bytes() for n in needles):
                found.append(str(path))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "terminal closed (SIGHUP)"])
def test_a_stop_signal_stores_the_typed_intake_as_an_encrypted_draft(
    vault_path: Path, tmp_path: Path, how: str
) -> None:
    marker = f"ZEBRA{secrets.token_hex(6)}"
    home = tmp_path / "home"
    app = Terminal(vault_path, home)
    try:
        app.wait_for("Wachtwoordzin")
        app.type(PASSPHRASE + "\r")
        app.wait_for("Vandaag ·")  # the today view opens first after unlocking
        time.sleep(0.5)
        app.type("\x1b")
        app.wait_for("dossiers ·")
        time.sleep(0.5)
        app.type("n")
        app.wait_for("Nieuw dossier: intake")
        time.sleep(0.5)
        app.type(marker)
        app.wait_for(marker)
        if how == "SIGTERM":
            os.kill(app.pid, signal.SIGTERM)
        else:
            app.close()
        code = app.wait_exit()
    finally:
        app.kill()
    assert code == 130

    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        drafts = list_drafts(vault)
    assert [d.kind for d in drafts] == ["intake"]
    assert drafts[0].snapshot["args"][0]["reporter_alias"] == marker
    assert _files_containing([vault_path.parent, home], marker) == []
    # The scanner finds a plain copy (so the empty result above means something).
    (home / "tmp" / "control.txt").write_text(marker, encoding="utf-16-le")
    assert _files_containing([vault_path.parent, home], marker) == [
        str(home / "tmp" / "control.txt")
    ]
