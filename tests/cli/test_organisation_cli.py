"""`confidant organisation list|add|edit` through the real command: rules, JSON, refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ORGANISATION, PASSPHRASE

from confidant_tui.errors import ExitCode
from confidant_tui.paths import header_path

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def cli(
    vault: Path, *args: str, stdin: str = PASSPHRASE + "\n"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "confidant_tui",
            "organisation",
            *args,
            "--vault",
            str(vault),
            "--passphrase-stdin",
        ],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def _rules(vault: Path) -> dict[str, dict]:
    result = cli(vault, "list", "--json")
    assert result.returncode == 0, result.stderr
    return {entry["name"]: entry for entry in json.loads(result.stdout)}


def _bytes(vault: Path) -> tuple[bytes, bytes]:
    return vault.read_bytes(), header_path(vault).read_bytes()


def _settled(vault_path: Path):
    """Opens the vault for writing once (settling it: it gets its organisation), so that a
    later refused command can be shown to change no byte."""
    return cli(vault_path, "edit", ORGANISATION, "--board", "Bestuur")


def test_add_sets_every_kind_of_rule_and_list_shows_it(vault_path: Path, tmp_path: Path) -> None:
    text = tmp_path / "tekst.txt"
    text.write_text("Wat u vertelt blijft tussen ons, tenzij…\n", encoding="utf-8")
    result = cli(
        vault_path,
        "add",
        "Fractie Zuid",
        "--complaint-period-years",
        "1",
        "--complaint-anonymous",
        "ja",
        "--may-mediate",
        "yes",
        "--adviser-position",
        "internal",
        "--appointed-on",
        "01-02-2024",
        "--unit",
        "Jongeren",
        "--unit",
        "Senioren",
        "--escalation",
        "jongeren,national_office",
        "--destination",
        "Huisarts: de eigen huisarts",
        "--measure",
        "Berisping",
        "--recipients",
        "het bestuur, afschrift aan de OR",
        "--confidentiality-text-file",
        str(text),
        "--report-due",
        "05-01",
        "--report-threshold",
        "7",
        "--retention-years",
        "3",
        "--default",
    )
    assert result.returncode == 0, result.stderr
    assert "Fractie Zuid" in result.stdout
    entry = _rules(vault_path)["Fractie Zuid"]
    rules = entry["rules"]
    assert entry["default"] is True and entry["archived"] is None and entry["cases"] == 0
    assert rules["complaint_period_years"] == 1
    assert rules["complaint_anonymous"] is True and rules["adviser_may_mediate"] is True
    assert rules["adviser_position"] == "internal"
    assert rules["appointed_on"] == "2024-02-01"
    assert [u["key"] for u in rules["units"]] == ["jongeren", "senioren"]
    assert rules["escalation"] == ["jongeren", "national_office"]
    assert rules["destinations"] == [
        {"key": "own.huisarts", "label": "Huisarts", "description": "de eigen huisarts"}
    ]
    assert rules["measures"] == [{"key": "own.berisping", "label": "Berisping"}]
    assert rules["report_recipients"] == "het bestuur, afschrift aan de OR"
    assert rules["confidentiality_text"].startswith("Wat u vertelt")
    assert (rules["report_due"], rules["report_threshold"], rules["retention_years"]) == (
        "05-01",
        7,
        3,
    )
    listing = cli(vault_path, "list")
    assert listing.returncode == 0, listing.stderr
    line = next(line for line in listing.stdout.splitlines() if line.startswith("Fractie Zuid"))
    assert "standaard" in line and "1 jaar" in line and "1 mei" in line and "7" in line
    assert any(line.startswith(ORGANISATION) for line in listing.stdout.splitlines())


def test_edit_renames_keeps_unit_keys_archives_and_restores(vault_path: Path) -> None:
    assert cli(vault_path, "add", "Gemeente", "--unit", "Noord", "--unit", "Zuid").returncode == 0
    result = cli(
        vault_path,
        "edit",
        "Gemeente",
        "--rename",
        "Gemeente Oost",
        "--unit",
        "Noord",
        "--unit",
        "Zuid",
        "--unit",
        "West",
        "--complaint-period-years",
        "2",
    )
    assert result.returncode == 0, result.stderr
    entries = _rules(vault_path)
    assert "Gemeente" not in entries
    rules = entries["Gemeente Oost"]["rules"]
    assert [u["key"] for u in rules["units"]] == ["noord", "zuid", "west"]
    assert rules["complaint_period_years"] == 2
    assert cli(vault_path, "edit", "Gemeente Oost", "--archive").returncode == 0
    assert _rules(vault_path)["Gemeente Oost"]["archived"] is not None
    assert cli(vault_path, "edit", "Gemeente Oost", "--restore", "--default").returncode == 0
    entry = _rules(vault_path)["Gemeente Oost"]
    assert entry["archived"] is None and entry["default"] is True


@pytest.mark.parametrize(
    ("options", "rule"),
    [
        (["--complaint-period-years", "40"], "klachttermijn"),
        (["--complaint-anonymous", "misschien"], "anonieme klacht"),
        (["--report-due", "02-30"], "jaarverslag uiterlijk"),
        (["--adviser-serves", "iedereen"], "leden, medewerkers"),
        (["--appointed-on", "31-02-2024"], "benoemd"),
        (["--escalation", "nergens"], "escalatieketen"),
        (["--unit", "x" * 101], "onderdelen"),
    ],
)
def test_a_wrong_value_exits_1_naming_the_rule_and_changes_no_byte(
    vault_path: Path, options: list[str], rule: str
) -> None:
    assert _settled(vault_path).returncode == 0  # the vault has its organisation
    before = _bytes(vault_path)
    result = cli(vault_path, "edit", ORGANISATION, *options)
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert result.stderr.startswith("Fout: ")
    assert rule in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert _bytes(vault_path) == before


def test_archiving_the_last_active_organisation_is_refused(vault_path: Path) -> None:
    assert _settled(vault_path).returncode == 0
    before = _bytes(vault_path)
    result = cli(vault_path, "edit", ORGANISATION, "--archive", "--board", "Nieuw bestuur")
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "enige actieve organisatie" in result.stderr
    assert _bytes(vault_path) == before


def test_usage_mistakes_exit_2_and_unknown_names_exit_1(vault_path: Path) -> None:
    assert cli(vault_path, "edit", ORGANISATION, "--archive", "--restore").returncode == 2
    assert cli(vault_path, "edit", ORGANISATION, "--default", "--archive").returncode == 2
    assert cli(vault_path, "add").returncode == 2
    missing = cli(vault_path, "edit", "Bestaat niet", "--board", "x")
    assert missing.returncode == 1
    assert "Bestaat niet" in missing.stderr
    taken = cli(vault_path, "add", ORGANISATION)
    assert taken.returncode == 1
    assert "bestaat al" in taken.stderr or "al een organisatie" in taken.stderr


def test_wrong_passphrase_exits_3(vault_path: Path) -> None:
    result = cli(vault_path, "list", stdin="verkeerde wachtwoordzin\n")
    assert result.returncode == ExitCode.WRONG_PASSPHRASE


def test_list_only_reads_so_it_works_while_the_app_holds_the_vault(vault_path: Path) -> None:
    from confidant_tui.services import vaults

    assert _settled(vault_path).returncode == 0
    writer = vaults.open_vault(vault_path, PASSPHRASE)  # as the app holds it
    try:
        assert cli(vault_path, "edit", ORGANISATION, "--board", "x").returncode == 5
        listing = cli(vault_path, "list")
        assert listing.returncode == 0, listing.stderr
        assert ORGANISATION in listing.stdout
    finally:
        writer.close()
