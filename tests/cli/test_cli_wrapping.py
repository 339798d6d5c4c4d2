"""On a terminal the command line wraps its long lines between words; a pipe gets them whole."""

from __future__ import annotations

import io
import os

import pytest

from confidant_tui.cli import common

MESSAGE = (
    "Schrijf deze sleutel op papier en bewaar hem in een kluis. Als u uw wachtwoordzin "
    "vergeet, opent 'confidant recover' de kluis."
)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common.shutil, "get_terminal_size", lambda: os.terminal_size((41, 24)))


@pytest.mark.usefixtures("narrow")
def test_a_terminal_gets_lines_broken_between_words(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(common.sys, "stdout", terminal)
    common.say(MESSAGE)
    lines = terminal.getvalue().splitlines()
    assert len(lines) > 2 and all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == MESSAGE  # no word broken, nothing lost
    assert "wachtwoordzin" in lines[1].split() or "wachtwoordzin" in lines[2].split()


@pytest.mark.usefixtures("narrow")
def test_indent_stays_and_a_long_path_stays_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(common.sys, "stderr", terminal)
    path = "/home/adviseur/.local/share/confidant/confidant.vault"
    common.warn(f"  dossier 1 (2025-003), veld opened: de kluis {path} ontbreekt hier.")
    lines = terminal.getvalue().splitlines()
    assert all(line.startswith("  ") for line in lines)
    assert any(line.strip() == path for line in lines)


@pytest.mark.usefixtures("narrow")
def test_a_pipe_gets_each_message_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr(common.sys, "stdout", pipe)
    common.say(MESSAGE)
    assert pipe.getvalue() == MESSAGE + "\n"
