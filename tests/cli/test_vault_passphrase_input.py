"""Passphrase input: the terminal without echo (asked twice when new), or stdin lines."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confidant_tui.cli import common
from confidant_tui.cli.common import PassphraseSource
from confidant_tui.errors import ExitCode, InvalidInput, UsageError

REPO = Path(__file__).resolve().parents[2]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(common.sys, "stdin", FakeTerminal())
    monkeypatch.setattr(common.getpass, "getpass", getpass)
    return prompts


def test_terminal_new_passphrase_is_asked_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = _terminal(monkeypatch, ["same words here ok", "same words here ok"])
    assert PassphraseSource(False).read_new() == "same words here ok"
    assert prompts == ["Nieuwe wachtwoordzin: ", "Herhaal de nieuwe wachtwoordzin: "]


def test_terminal_passphrases_that_differ_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    _terminal(monkeypatch, ["one passphrase here", "another one here"] * 3)
    with pytest.raises(InvalidInput) as caught:
        PassphraseSource(False).read_new()
    assert "verschillen" in caught.value.message
    assert caught.value.exit_code == ExitCode.INVALID_INPUT


def test_a_terminal_asks_again_after_a_refused_or_mistyped_passphrase(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As `passwd` does: the reason, then the question again (what was typed before it,
    such as `init`'s organisation, stays)."""
    good = "orange kettle drifts north"
    prompts = _terminal(monkeypatch, ["short", good, good + " typo", good, good])
    assert PassphraseSource(False).read_new() == good
    assert prompts == [
        "Nieuwe wachtwoordzin: ",  # refused: too short
        "Nieuwe wachtwoordzin: ",
        "Herhaal de nieuwe wachtwoordzin: ",  # differs
        "Nieuwe wachtwoordzin: ",
        "Herhaal de nieuwe wachtwoordzin: ",
    ]
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 2 and "te kort" in said[0] and "verschillen" in said[1]


def test_a_terminal_asks_three_times_at_most(monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = _terminal(monkeypatch, ["short", "tiny", "small", "orange kettle drifts north"])
    with pytest.raises(InvalidInput) as caught:
        PassphraseSource(False).read_new()
    assert "te kort" in caught.value.message
    assert len(prompts) == 3


def test_stdin_refuses_a_weak_passphrase_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common.sys, "stdin", io.StringIO("short\norange kettle drifts north\n"))
    with pytest.raises(InvalidInput):
        PassphraseSource(True).read_new()


def test_ctrl_d_at_the_prompt_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _terminal(monkeypatch, [])
    with pytest.raises(UsageError):
        PassphraseSource(False).read("Wachtwoordzin: ")


def test_stdin_reads_one_line_each_and_strips_only_the_line_ending(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        common.sys, "stdin", io.StringIO("  orange kettle drifts north \r\nsecond\t\nlast")
    )
    source = PassphraseSource(True)
    assert source.read_new() == "  orange kettle drifts north "  # once only from stdin
    assert source.read("x") == "second\t"
    assert source.read("x") == "last"
    with pytest.raises(UsageError):
        source.read("x")


def test_invalid_utf8_on_stdin_is_invalid_input(vault_path: Path) -> None:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "confidant_tui",
            "check",
            "--vault",
            str(vault_path),
            "--passphrase-stdin",
        ],
        input=b"\xff\xfe not utf-8\n",
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "geen geldige UTF-8-tekst" in stderr
    assert "Traceback" not in stderr
