"""`confidant referral` through the real command: a bedrijfsarts letter to .pdf, .md and .txt
from a case with consents, the refusal of a fact without consent (no file, nothing
recorded), the output-path rules, `--referral ID`, and the order write-then-record."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import PASSPHRASE, TAXONOMY

from confidant_tui.cli import main as cli_main
from confidant_tui.cli import referral_cmds
from confidant_tui.domain.cases import CaseFacts, Identity, Intake, Referral
from confidant_tui.domain.consent import ConsentRecord
from confidant_tui.errors import ExitCode, StorageError
from confidant_tui.services import consent, referrals
from confidant_tui.services.cases import add_referral, create_case, get_case
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
CODE = "2026-007"
WORK = "Werkt bij Œuvre met Zoë en Ilse van 't Hek; *geen opmaak*"
QUESTION = "Kunt u Şükrü Çelik op het open spreekuur ontvangen?"

pytestmark = pytest.mark.slow


def cli(
    *args: str, lang: str = "nl", passphrase: str = PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    """Runs `confidant` (an empty `passphrase`: nothing on standard input, so a command that
    asks for one exits 2)."""
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor", "CONFIDANT_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args, "--passphrase-stdin"],
        input=passphrase + "\n" if passphrase else "",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def _consent(vault: Vault, scope: set[str], destination: str = "occupational_health") -> int:
    given = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    record = ConsentRecord("referral", frozenset(scope), "written", given, destination)
    return consent.record_consent(vault, CODE, record, now=given + dt.timedelta(minutes=1))


@pytest.fixture
def case_vault(vault_path: Path) -> Path:
    """A vault with one case: a real name, a work situation, wishes and outcome (which never
    go out), and a referral consent for the bedrijfsarts covering name and work situation."""
    today = dt.date.today()
    facts = CaseFacts(
        reporter_role="employee",
        categories=("bullying",),
        work_situation=WORK,
        wishes="WISH-MARKER",
        outcome="OUTCOME-MARKER",
        last_incident=today - dt.timedelta(days=30),
    )
    intake = Intake(
        opened=today - dt.timedelta(days=20),
        facts=facts,
        identity=Identity("Şükrü Çelik", "sukru@example.org"),
        code=CODE,
    )
    with Vault.open(vault_path, PASSPHRASE) as vault:
        create_case(
            vault,
            intake,
            today=today,
            default_organisation="Stichting Vĳfhuizen",
            taxonomy=TAXONOMY,
        )
        _consent(vault, {"name", "work_situation"})
    return vault_path


def _state(path: Path) -> tuple[int, tuple[referrals.StoredLetter, ...]]:
    with Vault.open(path, PASSPHRASE, read_only=True) as vault:
        return len(get_case(vault, CODE).referrals), referrals.letters_of_case(vault, CODE)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _args(vault: Path, out: Path, *more: str) -> list[str]:
    return [
        "referral",
        "--vault",
        str(vault),
        "--case",
        CODE,
        "--question",
        QUESTION,
        "--out",
        str(out),
        *more,
    ]


def test_a_bedrijfsarts_letter_to_pdf_md_and_txt(case_vault: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    done = cli(
        *_args(case_vault, pdf, "--to", "occupational_health"),
        "--blank",
        "recipient=Arbodienst Oost",
        "--blank",
        "signature=A. de Vries",
    )
    assert done.returncode == ExitCode.OK, done.stderr
    assert "ONVERSLEUTELD" in done.stderr and "brief.pdf" in done.stderr
    assert "Vastgelegd" in done.stdout
    count, letters = _state(case_vault)
    assert count == 1 and len(letters) == 1
    stored = letters[0]
    assert stored.facts == ("name", "work_situation") and stored.file_format == "pdf"
    text = _flat("\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages))
    assert text == _flat(stored.text)
    for name in ("Şükrü Çelik", "Zoë", "Ilse van 't Hek", "Œuvre", "Arbodienst Oost"):
        assert name in text
    for marker in ("WISH-MARKER", "OUTCOME-MARKER", "sukru@example.org"):
        assert marker not in text

    markdown = tmp_path / "brief.md"
    done = cli(*_args(case_vault, markdown, "--to", "occupational_health", "--include", "name"))
    assert done.returncode == ExitCode.OK, done.stderr
    assert "Niet ingevuld" in done.stderr and "--blank signature=" in done.stderr
    written = markdown.read_text(encoding="utf-8")
    assert "Şükrü Çelik" in written and WORK not in written and "\\\n" in written

    plain = tmp_path / "brief.txt"
    done = cli(*_args(case_vault, plain, "--to", "occupational_health"), lang="en")
    assert done.returncode == ExitCode.OK, done.stderr
    assert "UNENCRYPTED" in done.stderr
    count, letters = _state(case_vault)
    assert count == 3
    assert [letter.file_format for letter in letters] == ["pdf", "md", "txt"]
    assert letters[1].facts == ("name",)
    assert plain.read_text(encoding="utf-8") == letters[2].text
    assert WORK in letters[2].text and letters[2].language == "en"


def test_a_fact_without_consent_is_refused_and_nothing_happens(
    case_vault: Path, tmp_path: Path
) -> None:
    out = tmp_path / "brief.pdf"
    done = cli(*_args(case_vault, out, "--to", "occupational_health", "--include", "contact"))
    assert done.returncode == ExitCode.INVALID_INPUT, done.stderr
    assert "(contact)" in done.stderr and "toestemming" in done.stderr.lower()
    assert "Bedrijfsarts" in done.stderr  # the destination the consent must name
    assert not out.exists()
    assert _state(case_vault) == (0, ())


def test_the_output_path_rules_apply_before_the_passphrase(
    case_vault: Path, tmp_path: Path
) -> None:
    """Each refusal comes before the passphrase is asked: with none on standard input the
    command still exits 1 (not 2, "expected a passphrase")."""
    existing = tmp_path / "brief.txt"
    existing.write_text("eerder", encoding="utf-8")
    done = cli(*_args(case_vault, existing, "--to", "occupational_health"), passphrase="")
    assert done.returncode == ExitCode.INVALID_INPUT, done.stderr
    assert "--force" in done.stderr and existing.read_text(encoding="utf-8") == "eerder"
    done = cli(*_args(case_vault, tmp_path / "brief.docx", "--to", "gp"), passphrase="")
    assert done.returncode == ExitCode.INVALID_INPUT, done.stderr
    assert ".md" in done.stderr and ".txt" in done.stderr and ".pdf" in done.stderr
    header = case_vault.with_name(case_vault.name + ".header")
    before = header.read_bytes()
    link = tmp_path / "brief-link.pdf"
    link.symlink_to(header)
    done = cli(*_args(case_vault, link, "--to", "gp", "--force"), passphrase="")
    assert done.returncode == ExitCode.INVALID_INPUT, done.stderr
    assert "kluis" in done.stderr
    assert header.read_bytes() == before
    assert _state(case_vault) == (0, ())


def test_a_letter_from_an_existing_referral_belongs_to_it(case_vault: Path, tmp_path: Path) -> None:
    with Vault.open(case_vault, PASSPHRASE) as vault:
        rid = add_referral(
            vault,
            CODE,
            Referral("occupational_health", dt.date.today()),
            today=dt.date.today(),
            taxonomy=TAXONOMY,
        )
    out = tmp_path / "brief.txt"
    done = cli(*_args(case_vault, out, "--referral", str(rid)))
    assert done.returncode == ExitCode.OK, done.stderr
    count, letters = _state(case_vault)
    assert count == 1 and [letter.referral_id for letter in letters] == [rid]
    other = tmp_path / "ander.txt"
    done = cli(*_args(case_vault, other, "--referral", str(rid + 99)))
    assert done.returncode == ExitCode.INVALID_INPUT and not other.exists()
    assert _state(case_vault)[0] == 1


def test_the_investigation_request_lists_what_it_still_lacks(
    case_vault: Path, tmp_path: Path
) -> None:
    destination = "whistleblower_authority.investigation"
    with Vault.open(case_vault, PASSPHRASE) as vault:
        _consent(vault, {"name", "summary"}, destination)
    out = tmp_path / "verzoek.md"
    done = cli(*_args(case_vault, out, "--to", destination, "--summary", "Fraude met *uren*"))
    assert done.returncode == ExitCode.OK, done.stderr
    assert "Ontbreekt" in done.stderr or "ontbreekt" in done.stderr
    assert "voorwaarden" in done.stderr
    assert "Fraude met \\*uren\\*" in out.read_text(encoding="utf-8")


# -- the order: write, then record (in-process, to make a step fail) ----------------------


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    return cli_main.run([*argv, "--passphrase-stdin"])


@pytest.mark.parametrize(
    ("owner", "step"),
    [(referral_cmds, "write_letter"), (referrals, "record_letter")],
    ids=["write fails: nothing recorded", "recording fails: the file is removed"],
)
def test_a_failed_step_leaves_neither_file_nor_record(
    case_vault: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    owner: object,
    step: str,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise StorageError("disk full")

    monkeypatch.setattr(owner, step, refuse)
    out = tmp_path / "brief.md"
    with pytest.raises(StorageError):
        _run(monkeypatch, _args(case_vault, out, "--to", "occupational_health"))
    assert not out.exists()
    assert _state(case_vault) == (0, ())
