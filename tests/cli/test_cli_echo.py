"""What the command line repeats: control characters shown as symbols, typed values never
echoed in usage errors, argparse's own texts in the adviser's language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.cli.main import _without_typed_values
from confidant_tui.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
OSC52 = "\x1b]52;c;aGFja2Vk\x07"
RED = "\x1b[31m"
HOSTILE = f"{OSC52}{RED}x"


def cli(*args: str, stdin: str = PASSPHRASE + "\n") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def _assert_clean(result: subprocess.CompletedProcess[str], *, symbols: bool = True) -> None:
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream, repr(stream)
        assert "Traceback" not in stream
    if symbols:
        assert "␛]52;c;aGFja2Vk␇" in result.stdout + result.stderr, "shown as symbols"


@pytest.mark.slow
def test_paths_and_names_with_escape_sequences_are_shown_as_symbols(
    vault_path: Path, tmp_path: Path
) -> None:
    weird_folder = tmp_path / HOSTILE
    weird_folder.mkdir()
    runs = {
        "no vault": cli("check", "--vault", str(tmp_path / HOSTILE / "v"), "--passphrase-stdin"),
        "init over a file": cli(
            "init", "--vault", str(vault_path.parent / HOSTILE), "--passphrase-stdin"
        )
        if (vault_path.parent / HOSTILE).write_text("x") is not None
        else None,
        "missing import": cli(
            "import", str(tmp_path / f"{HOSTILE}.json"), "--vault", str(vault_path)
        ),
        "missing folder": cli(
            "report", "--vault", str(vault_path), "--year", "2025", "--passphrase-stdin",
            "--out", str(tmp_path / HOSTILE / "nope" / "r.md"),
        ),
        "existing file": cli(
            "report", "--vault", str(vault_path), "--year", "2025", "--passphrase-stdin",
            "--out", str(vault_path.parent / HOSTILE),
        ),
        "vault file": cli(
            "report", "--vault", str(vault_path), "--year", "2025", "--passphrase-stdin",
            "--out", str(weird_folder / ".." / "vault" / "confidant.vault.lock"),
        ),
        "unknown organisation": cli(
            "report", "--vault", str(vault_path), "--year", "2025", "--passphrase-stdin",
            "--organisation", HOSTILE, "--out", str(tmp_path / "r.md"),
        ),
        "written": cli(
            "report", "--vault", str(vault_path), "--year", "2025", "--passphrase-stdin",
            "--out", str(weird_folder / f"{HOSTILE}.md"),
        ),
    }  # fmt: skip
    for name, result in runs.items():
        assert result is not None
        # The import's file messages use `case_rules.shown` ("?" for a control character);
        # the vault-file message names the file as resolved (the odd folder is gone).
        _assert_clean(result, symbols=name not in ("missing import", "vault file"))
    assert runs["vault file"].returncode == ExitCode.INVALID_INPUT
    assert runs["written"].returncode == 0, runs["written"].stderr
    assert (weird_folder / f"{HOSTILE}.md").exists(), "the file itself has the name as given"


SECRET = "paard-batterij-nietje-correct"


@pytest.mark.parametrize(
    "argv",
    [
        [SECRET],
        ["check", SECRET],
        ["check", f"--publish={SECRET}"],
        ["report", "--year", "2025", "--out", "x.md", f"--force={SECRET}"],
        ["report", "--year", SECRET, "--out", "x.md"],
        ["report", "--year", "2025", "--out", "x.md", "--format", SECRET],
        ["--lang", SECRET, "check"],
        ["check", "--vault"],
    ],
)
def test_a_wrong_argument_is_reported_without_repeating_it(argv: list[str]) -> None:
    result = cli(*argv)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert SECRET[:8] not in result.stdout + result.stderr
    assert result.stderr.startswith("Fout: Verkeerd gebruik van de opdracht:")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_an_unknown_option_is_named_but_not_its_value() -> None:
    result = cli("check", f"--passphrase={SECRET}")
    assert result.returncode == ExitCode.USAGE
    assert "--passphrase" in result.stderr and SECRET not in result.stderr


def test_a_message_of_an_unknown_python_still_hides_typed_values() -> None:
    message = f"invalid choice: '{SECRET}', maybe you meant 'check'? --vault=x"
    cleaned = _without_typed_values(message, [SECRET, "--vault=x"], {"check", "--vault"})
    assert SECRET not in cleaned and "'check'" in cleaned


def test_argparse_texts_are_in_dutch_and_english() -> None:
    dutch = cli("report", "--help")
    assert dutch.returncode == 0
    assert dutch.stdout.startswith("gebruik: confidant report")
    assert "\nopties:\n" in dutch.stdout and "deze hulptekst tonen en stoppen" in dutch.stdout
    assert "--force" in dutch.stdout and "vervangen" in dutch.stdout
    english = cli("report", "--help", "--lang", "en")
    assert english.stdout.startswith("usage: confidant report")
    assert "\noptions:\n" in english.stdout and "show this help message and exit" in english.stdout
    importing = cli("import", "--help")
    assert "\nargumenten:\n" in importing.stdout
    missing = cli("report")
    assert "deze argumenten zijn verplicht: --year, --out" in missing.stderr
    unknown = cli("rapport")
    assert "ongeldige keuze (kies uit 'init'," in unknown.stderr and "rapport'" not in (
        unknown.stderr
    )
    extra = cli("check", "--forse")
    assert "onbekende opties --forse" in extra.stderr


def test_every_error_message_and_printed_line_is_neutralised(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from confidant_tui.cli.common import say, warn
    from confidant_tui.errors import InvalidInput, ValidationError

    assert "\x1b" not in InvalidInput(f"no vault at {HOSTILE}").message
    problems = ValidationError("x", [(f"cases[0].{HOSTILE}", f"bad {HOSTILE}")]).problems
    assert all("\x1b" not in part and "\x07" not in part for pair in problems for part in pair)
    say(f"out {HOSTILE}")
    warn(f"err {HOSTILE}")
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "␛]52;c;aGFja2Vk␇␛[31mx" in captured.out and "␛[31mx" in captured.err
