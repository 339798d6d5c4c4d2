"""A new adviser's first commands: no vault yet, `init` (passphrase and organisation) and the
first report naming the organisation."""

from __future__ import annotations

import builtins
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.cli import common
from confidant_tui.cli.main import main
from confidant_tui.errors import ExitCode
from confidant_tui.paths import header_path

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


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


def test_confidant_without_a_vault_says_to_make_one_first(tmp_path: Path) -> None:
    result = cli("--vault", str(tmp_path / "nieuw.vault"), stdin="")
    assert result.returncode == ExitCode.VAULT_UNUSABLE
    assert "Er is geen kluis op" in result.stderr
    assert "Maak eerst een kluis met 'confidant init'" in result.stderr
    assert "'confidant demo'" in result.stderr
    english = cli("--lang", "en", "--vault", str(tmp_path / "nieuw.vault"), stdin="")
    assert "Make one first with 'confidant init'" in english.stderr
    assert "Traceback" not in result.stderr + english.stderr
    assert not (tmp_path / "nieuw.vault").exists()


def test_a_vault_that_lost_its_database_is_not_sent_to_init(vault_path: Path) -> None:
    vault_path.unlink()
    result = cli("--vault", str(vault_path), stdin="")
    assert result.returncode == ExitCode.VAULT_UNUSABLE
    assert "ontbreekt" in result.stderr and "confidant init" not in result.stderr
    assert header_path(vault_path).exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Types `answers` at the prompts of a terminal (name and passphrases); returns the
    prompts in the order they were shown."""
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(common.sys, "stdin", _Terminal())
    monkeypatch.setattr(common.getpass, "getpass", answer)
    monkeypatch.setattr(builtins, "input", answer)
    return prompts


def test_init_refuses_a_short_passphrase_before_asking_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused with the reason before the repeat, then asked for anew; the organisation's
    name typed before it stays."""
    target = tmp_path / "kluis.vault"
    answers = ["Gemeente Voorbeeld", "te kort", PASSPHRASE, PASSPHRASE]
    prompts = _terminal(monkeypatch, answers)
    assert main(["init", "--vault", str(target), "--no-recovery-key"]) == ExitCode.OK
    said = capsys.readouterr()
    assert "te kort: gebruik minstens 12 tekens" in said.err
    assert "Organisatie: Gemeente Voorbeeld\n" in said.out
    assert prompts == [
        "Naam van de organisatie (voor het jaarverslag): ",
        "Nieuwe wachtwoordzin: ",
        "Nieuwe wachtwoordzin: ",
        "Herhaal de nieuwe wachtwoordzin: ",
    ]
    assert target.exists() and header_path(target).exists()


def test_init_ends_after_three_refused_passphrases_and_makes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kluis.vault"
    prompts = _terminal(monkeypatch, ["Gemeente Voorbeeld", "te kort", "nog korter", "kort"])
    assert main(["init", "--vault", str(target)]) == ExitCode.INVALID_INPUT
    assert capsys.readouterr().err.count("gebruik minstens 12 tekens") == 3
    assert [p for p in prompts if "wachtwoordzin" in p.lower()] == ["Nieuwe wachtwoordzin: "] * 3
    assert not target.exists() and not header_path(target).exists()


def test_init_on_a_terminal_asks_the_organisation_first_and_the_report_is_headed_by_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kluis.vault"
    prompts = _terminal(monkeypatch, ["  Gemeente Voorbeeld ", PASSPHRASE, PASSPHRASE])
    assert main(["init", "--vault", str(target), "--no-recovery-key"]) == ExitCode.OK
    assert prompts == [
        "Naam van de organisatie (voor het jaarverslag): ",
        "Nieuwe wachtwoordzin: ",
        "Herhaal de nieuwe wachtwoordzin: ",
    ]
    assert "Organisatie: Gemeente Voorbeeld\n" in capsys.readouterr().out
    listed = cli("organisation", "list", "--vault", str(target), "--passphrase-stdin")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("Gemeente Voorbeeld: actief, standaard; 0 dossiers")
    assert "Mijn organisatie" not in listed.stdout


def test_init_for_scripts_takes_the_organisation_and_report_selects_it(tmp_path: Path) -> None:
    target = tmp_path / "kluis.vault"
    made = cli(
        "init",
        "--vault",
        str(target),
        "--organisation",
        "Gemeente Voorbeeld",
        "--no-recovery-key",
        "--passphrase-stdin",
    )
    assert made.returncode == 0, made.stderr
    out = tmp_path / "verslag.md"
    base = ("report", "--vault", str(target), "--year", "2025", "--passphrase-stdin")
    written = cli(*base, "--organisation", "Gemeente Voorbeeld", "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert "**Gemeente Voorbeeld**" in out.read_text(encoding="utf-8")
    unknown = cli(*base, "--organisation", "Gemeente Elders", "--out", str(tmp_path / "x.md"))
    assert unknown.returncode == ExitCode.INVALID_INPUT
    assert "Er is geen organisatie 'Gemeente Elders' in de kluis." in unknown.stderr
    assert "Kies een van: 'Gemeente Voorbeeld' (--organisation NAAM)." in unknown.stderr
    assert not (tmp_path / "x.md").exists()


def test_a_wrong_organisation_name_is_refused_before_any_passphrase(tmp_path: Path) -> None:
    target = tmp_path / "kluis.vault"
    result = cli("init", "--vault", str(target), "--organisation", "   ", "--passphrase-stdin")
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "Vul de naam van de organisatie in" in result.stderr
    assert not target.exists()


def test_a_vault_made_without_a_name_heads_an_english_report_in_english(tmp_path: Path) -> None:
    target = tmp_path / "kluis.vault"
    made = cli("init", "--vault", str(target), "--no-recovery-key", "--passphrase-stdin")
    assert made.returncode == 0, made.stderr
    assert (
        "Organisatie: 'Mijn organisatie'. Geef haar de echte naam met: confidant organisation "
        "edit 'Mijn organisatie' --rename NAAM"
    ) in made.stdout
    out = tmp_path / "report.md"
    base = ("report", "--vault", str(target), "--year", "2025", "--passphrase-stdin")
    english = cli("--lang", "en", *base, "--out", str(out))
    assert english.returncode == 0, english.stderr
    text = out.read_text(encoding="utf-8")
    assert "**My organisation**" in text and "Mijn organisatie" not in text
    dutch = cli(*base, "--out", str(out), "--force")
    assert dutch.returncode == 0, dutch.stderr
    assert "**Mijn organisatie**" in out.read_text(encoding="utf-8")


def test_the_rename_that_init_proposes_names_the_organisation_of_the_report(
    tmp_path: Path,
) -> None:
    target = tmp_path / "kluis.vault"
    assert cli("init", "--vault", str(target), "--passphrase-stdin").returncode == 0
    renamed = cli(
        "organisation",
        "edit",
        "Mijn organisatie",
        "--rename",
        "Gemeente Voorbeeld",
        "--vault",
        str(target),
        "--passphrase-stdin",
    )
    assert renamed.returncode == 0, renamed.stderr
    out = tmp_path / "verslag.md"
    base = ("report", "--vault", str(target), "--year", "2025", "--passphrase-stdin")
    assert cli("--lang", "en", *base, "--out", str(out)).returncode == 0
    assert "**Gemeente Voorbeeld**" in out.read_text(encoding="utf-8")


def test_a_report_over_several_organisations_names_them_to_choose_from(tmp_path: Path) -> None:
    target = tmp_path / "kluis.vault"
    args = ("--vault", str(target), "--passphrase-stdin")
    assert cli("init", "--organisation", "Partij", *args).returncode == 0
    assert cli("organisation", "add", "Fractie", *args).returncode == 0
    out = tmp_path / "verslag.md"
    refused = cli("report", "--year", "2025", "--out", str(out), *args)
    assert refused.returncode == ExitCode.INVALID_INPUT
    assert "kies er één met --organisation." in refused.stderr
    assert "Kies een van: 'Fractie', 'Partij' (--organisation NAAM)." in refused.stderr
    assert not out.exists()
