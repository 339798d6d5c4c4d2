"""`confidant report --format pdf`: the same figures as `--format json`, Dutch or English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import PASSPHRASE

from confidant_tui.services.demo_data import DEMO_TODAY, load_demo_cases
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args, "--passphrase-stdin"],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


@pytest.fixture
def demo(vault_path: Path) -> Path:
    vault = Vault.open(vault_path, PASSPHRASE)
    try:
        load_demo_cases(
            vault, today=DEMO_TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
        )
    finally:
        vault.close()
    return vault_path


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def test_pdf_has_the_figures_of_the_json(demo: Path, tmp_path: Path) -> None:
    pdf, data = tmp_path / "verslag.pdf", tmp_path / "verslag.json"
    made = cli(
        "report", "--vault", str(demo), "--year", "2025", "--format", "pdf", "--out", str(pdf)
    )
    assert made.returncode == 0, made.stderr
    assert "ONVERSLEUTELD" in made.stderr.upper() and str(pdf.resolve()) in made.stderr
    made = cli(
        "report", "--vault", str(demo), "--year", "2025", "--format", "json", "--out", str(data)
    )
    assert made.returncode == 0, made.stderr
    report = json.loads(data.read_text(encoding="utf-8"))
    previous = report["previous"]
    text = _pdf_text(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "Jaarverslag vertrouwenspersoon 2025" in text
    assert f"Nieuwe dossiers {previous['cases_opened']} {report['cases_opened']}" in text
    assert f"Gevoerde gesprekken {previous['conversations']} {report['conversations']}" in text
    counted = 0
    for field, cells in report.items():
        if not (field.startswith("by_") or field == "power_imbalance"):
            continue
        for key in set(cells) | set(previous[field]):
            pair = f"{previous[field].get(key, 0)} {cells.get(key, 0)}"
            assert pair in text, (field, key)
            counted += 1
    assert counted >= 10


def test_pdf_in_english_with_lang_en(demo: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    made = cli(
        "report",
        "--vault",
        str(demo),
        "--year",
        "2025",
        "--format",
        "pdf",
        "--out",
        str(pdf),
        "--lang",
        "en",
    )
    assert made.returncode == 0, made.stderr
    text = _pdf_text(pdf)
    assert "Yearly report of the confidential adviser 2025" in text
    assert "Key figures" in text and "Kerncijfers" not in text
